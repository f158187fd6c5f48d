"""Files: TOML read and write, atomic writes, locks, campaign files, reference files, imports, settings.

May import `core`, `rules` and `changes`; never Textual, the app, the screens or the session.
"""
