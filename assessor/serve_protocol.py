"""What `assessor serve` and the app it starts for a browser tab say to each other, beyond
textual-serve's own protocol. Plain names only, so both sides import it cheaply: the server
never imports Textual, and the app never imports the server (aiohttp) to start faster.
"""

LIFELINE_VARIABLE = "ASSESSOR_SERVER_FD"
"""The environment variable that gives the app the read end of a pipe the server holds open and
never writes: its end of file means the server is gone (stopped, crashed or killed), and the
app quits after its last save."""

FIRST_SCREEN = "assessor_first_screen"
"""The type of the meta packet the app sends once its first screen is drawn and has its focus:
keys the tab typed before it are dropped by the server, never sent to a later screen."""
