"""The summary in every format: text, Markdown, CSV, JSON, HTML, XLSX, and one candidate's record.

Renderers only present what `rules` computed; may import `core`, `rules`, `changes` and `storage`.
"""
