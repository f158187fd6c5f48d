"""The campaign and framework models, the one error module, identity and the clock.

Imports nothing of assessor outside `core`, and no Textual; does no I/O.
"""
