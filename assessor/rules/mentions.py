"""Finding candidates named in free text, however the name is written, for subject access
exports and feedback letters: each must hold nothing about anyone else.

Text and names are compared after folding: compatibility forms (NFKC), case, accents (a
composed `ë`, a decomposed `e` + U+0308 and a plain `e` are the same letter), soft hyphens and
zero-width characters (dropped), and every apostrophe and dash (unified). Words are runs of
letters and digits (an apostrophe inside one, as in `O'Brien`, belongs to it); everything
else, `-`, `_`, `.` and `@` included, separates words, so `Sofia.Marchetti@dfe.gov.uk`, the
`Marchetti-led team` and `C02-related` each name someone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from assessor.core.campaign import Campaign

ANOTHER = "[another candidate]"
"""What stands in a subject access export or a letter for any other candidate named in free text."""

KINDS = ("id", "reference", "full name", "part of a name")
"""The ways another candidate is found, in the order an export lists them."""

_DROPPED = {"\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"}
_APOSTROPHES = "\u2018\u2019\u201b\u02bc\u02bb\u2032\u0060\u00b4"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_UNIFIED = str.maketrans({**dict.fromkeys(_APOSTROPHES, "'"), **dict.fromkeys(_DASHES, "-")})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_JOIN = re.compile(r"[\s\-_.@]*")
"""What may stand between the words of a name written in full: spaces, `-`, `_`, `.`, `@`."""

PART_MIN = 3
"""The fewest letters a part of a name has to be found on its own."""


def fold_char(char: str) -> str:
    """One character as it is compared: lower case, accents and invisible marks gone."""
    if char in _DROPPED:
        return ""
    spread = unicodedata.normalize("NFKD", char.translate(_UNIFIED))
    return "".join(c for c in spread if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """The text as it is compared (`fold_char` on each character)."""
    return "".join(fold_char(char) for char in unicodedata.normalize("NFKC", text))


def words_of(text: str) -> tuple[str, ...]:
    """The folded words of a name, id or reference."""
    return tuple(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    kind: str
    name: str  # whom it names, for a warning


class NameTable:
    """Every candidate's id, reference, full name and parts of a name of PART_MIN letters or more, folded
    once for a campaign: the letters of a whole campaign each look them up, never fold them again."""

    def __init__(self, campaign: Campaign) -> None:
        terms: dict[tuple[str, ...], _Term] = {}
        self.own: dict[str, frozenset[tuple[str, ...]]] = {}
        for person in campaign.candidates:
            whole = [(words_of(text), kind) for text, kind in ((person.id, "id"), (person.reference, "reference"), (person.name, "full name"))]
            parts = words_of(person.name)
            self.own[person.id] = frozenset([*(words for words, _ in whole), *((part,) for part in parts)])
            for words, kind in whole:
                if words:
                    terms.setdefault(words, _Term(words, kind, person.name))
            for part in parts:
                if len(part) >= PART_MIN and not part.isdigit():
                    terms.setdefault((part,), _Term((part,), "part of a name", person.name))
        self.by_first: dict[str, list[_Term]] = {}
        # Longest first, so a full name is one replacement and the candidate's own name is kept whole.
        for term in sorted(terms.values(), key=lambda term: -len(term.words)):
            self.by_first.setdefault(term.words[0], []).append(term)


class _Folded:
    """A text folded, with where each folded character came from, so a match is replaced in the
    original; a match runs on over the marks and invisible characters that follow it."""

    def __init__(self, text: str) -> None:
        self.text = text
        chars: list[str] = []
        self.origin: list[int] = []
        for at, char in enumerate(text):
            # NFKC per character: a decomposed accent is dropped as a mark on its own.
            for folded in fold_char(unicodedata.normalize("NFKC", char)):
                chars.append(folded)
                self.origin.append(at)
        self.folded = "".join(chars)
        self.words = list(_WORD.finditer(self.folded))

    def start(self, word: int) -> int:
        return self.origin[self.words[word].start()]

    def end(self, word: int, trim: int = 0) -> int:
        """Where word `word` ends in the original, less `trim` folded characters."""
        end = self.origin[self.words[word].end() - 1 - trim] + 1
        while not trim and end < len(self.text) and not fold_char(self.text[end]):
            end += 1
        return end

    def joined(self, first: int, last: int) -> bool:
        """Only spaces and separators stand between words `first` to `last`."""
        return all(_JOIN.fullmatch(self.folded[self.words[i].end() : self.words[i + 1].start()]) for i in range(first, last))


class Mentions:
    """Finds every other candidate in free text: their id, reference, full name, and each part
    of their name of PART_MIN letters or more that is not part of the candidate's own name;
    replaces each with ANOTHER, counting them by kind (`found`).

    Whole words only, a possessive `'s` kept (`Sofia's` -> `[another candidate]'s`); the
    candidate's own name, reference and id are never replaced, even where another's is part of
    them. With `candidate_id` None, every candidate counts as another (a warning to the chair).
    """

    def __init__(self, campaign: Campaign, candidate_id: str | None, table: NameTable | None = None) -> None:
        table = table or NameTable(campaign)
        self._by_first = table.by_first
        # Their own id, reference and name, and any part of their name, even where another's too: kept.
        self._own = table.own.get(candidate_id or "", frozenset())
        self.found: Counter[str] = Counter()
        self.named: dict[str, None] = {}

    @property
    def replaced(self) -> int:
        """How many mentions of other candidates were replaced so far."""
        return sum(self.found.values())

    def _at(self, text: _Folded, index: int) -> tuple[_Term, int] | None:
        """The longest term starting at word `index`, and where it ends in the original."""
        first = text.words[index].group()
        stem = first[:-2] if first.endswith("'s") else None
        for term in self._by_first.get(first, []) + (self._by_first.get(stem, []) if stem else []):
            last = index + len(term.words) - 1
            if last >= len(text.words) or not text.joined(index, last):
                continue
            written = [word.group() for word in text.words[index : last + 1]]
            if tuple(written) == term.words:
                return term, text.end(last)
            if tuple(written[:-1]) == term.words[:-1] and written[-1] == term.words[-1] + "'s":
                return term, text.end(last, trim=2)  # the possessive 's stays
        return None

    def _mentions(self, text: str) -> list[tuple[_Term, int, int]]:
        """Every mention in the text, in order, none overlapping: (term, start, end)."""
        folded = _Folded(text)
        out: list[tuple[_Term, int, int]] = []
        index = 0
        while index < len(folded.words):
            hit = self._at(folded, index)
            if hit is None:
                index += 1
                continue
            term, end = hit
            out.append((term, folded.start(index), end))
            index += len(term.words)
        return out

    def hide(self, text: str) -> str:
        """The text with every other candidate replaced by ANOTHER (counted in `found`)."""
        out, at = [], 0
        for term, start, end in self._mentions(text):
            if term.words not in self._own:
                out += [text[at:start], ANOTHER]
                at = end
                self.found[term.kind] += 1
                self.named[term.name] = None
        return "".join(out) + text[at:] if out else text

    def names_own(self, text: str) -> bool:
        """Whether the text names the candidate: by id, reference or name."""
        return any(term.words in self._own for term, _, _ in self._mentions(text))

    def kinds(self) -> dict[str, int]:
        """How many were replaced of each kind found, in the order of KINDS."""
        return {kind: self.found[kind] for kind in KINDS if self.found[kind]}


def others_named(campaign: Campaign, candidate_id: str, text: str) -> list[str]:
    """The other candidates a text about `candidate_id` names, in the order first named."""
    mentions = Mentions(campaign, candidate_id)
    mentions.hide(text)
    return list(mentions.named)
