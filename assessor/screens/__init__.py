"""The app's screens and dialogs, one module each with its .tcss beside it.

They present the open campaign and make every change through the session; they import
`core` and `rules` for types and wording, never `storage`.
"""
