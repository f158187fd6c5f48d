"""Text folded for searching: `zoe` finds Zoë and `lukasz` finds Łukasz, with no dependency.

Unicode NFKD splits a letter from its accents (ë into e and a diaeresis), which are then
dropped; a few letters that do not split (ł, ø, đ, æ, œ, þ) are spelled as a person typing
without them would; case is folded last (ß becomes ss).
"""

from __future__ import annotations

import unicodedata

_UNSPLIT = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH"}
)


def folded(text: str) -> str:
    """`text` without accents or case, as a search compares it."""
    split = unicodedata.normalize("NFKD", text.translate(_UNSPLIT))
    return "".join(character for character in split if not unicodedata.combining(character)).casefold()
