"""Leadership flags from the position text: the catalog's `[[roles]]` rules and the matcher.

A rule names a flag (`is_manager`, `is_key_leader`, `is_standing_committee`), the levels
of the rows it applies to (none: any) and the phrases a position starts with
(official-lists.md, 2 and settled detail 4). A position is split on `,` `;` `-` `–` and
the whole word `kiêm`; each part, trimmed, NFC and case folded with its diacritics kept,
matches a phrase that is a whole-word prefix of it, so `Giáo viên - Trường THCS` is no
manager (`trường` is not `trưởng`). A position written wholly without diacritics is
compared with the phrases' folded forms (and split as any other: on `kiêm`, not `kiem`,
which is also `kiểm`).

The old and the new placement of the tone mark (`Uỷ viên`, `Ủy viên`; `khoẻ`, `khỏe`)
are one spelling here: the mark is put on the first vowel of `oa`, `oe`, `uy` on both
sides, so that no diacritic is dropped and both spellings match.

Pure text: `io/roles.py` applies the rules to the rows of each file, once per distinct
position.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal, get_args

from pydantic import Field, field_validator

from kpi_tritue.catalog.measures import Frozen, enum_code
from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import LEVEL

RoleFlag = Literal["is_manager", "is_key_leader", "is_standing_committee"]
ROLE_FLAGS: tuple[RoleFlag, ...] = get_args(RoleFlag)
# A phrase longer than this is no position's start: a typo or a pasted paragraph.
MAX_PHRASE = 100

_WHITESPACE = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[,;\-\u2013]|(?<!\w)kiêm(?!\w)")
# A tone mark on the second vowel of `oa`, `oe`, `uy` (decomposed): moved to the first.
_TONE_ON_SECOND = re.compile("([ou])([aey])([\u0300\u0301\u0303\u0309\u0323])")


@lru_cache(maxsize=65536)
def position_key(text: str) -> str:
    """How a position (or a phrase) is compared: NFC, case folded, white space folded to
    one space and trimmed, the tone of `oa` `oe` `uy` on its first vowel."""
    folded = unicodedata.normalize("NFD", text.casefold())
    folded = _TONE_ON_SECOND.sub(r"\1\3\2", folded)
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", folded)).strip()


def is_plain(key: str) -> bool:
    """Whether a text is written wholly without diacritics: each of its letters ASCII, and
    no combining mark left over."""
    return all(
        (char.isascii() or not char.isalpha()) and unicodedata.category(char) != "Mn"
        for char in key
    )


@lru_cache(maxsize=65536)
def position_parts(text: str) -> tuple[tuple[str, ...], bool]:
    """The parts of a position as compared, and whether they are folded (the position was
    written without diacritics): split on `,` `;` `-` `–` and the word `kiêm`, each part
    trimmed; empty parts left out."""
    key = position_key(text)
    plain = is_plain(key)
    pieces = _SEPARATORS.split(key)
    if plain:
        parts = (fold(piece) for piece in pieces)
    else:
        parts = (_WHITESPACE.sub(" ", piece).strip() for piece in pieces)
    return tuple(part for part in parts if part), plain


def starts_with_words(part: str, phrase: str) -> bool:
    """Whether `phrase` is a whole-word prefix of `part` (`trưởng` of `trưởng phòng`, not
    of `trưởngphòng`)."""
    if not part.startswith(phrase):
        return False
    if len(part) == len(phrase):
        return True
    following = part[len(phrase)]
    return not (following.isalnum() or unicodedata.category(following).startswith("M"))


class RoleRule(Frozen):
    """One `[[roles]]` table: `flag` is yes for a row of one of `levels` (none: any level)
    whose position has a part starting with one of `phrases`."""

    flag: RoleFlag
    levels: tuple[str, ...] = ()
    phrases: tuple[str, ...] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _level_codes(cls, levels: tuple[str, ...]) -> tuple[str, ...]:
        """Levels as codes: `district`, `Huyện` and `Cấp huyện` are one; `any` is every."""
        codes: list[str] = []
        for level in levels:
            if fold(level) == "any":
                return ()
            code = enum_code(LEVEL, level)
            if code is None:
                known = ", ".join(f"`{LEVEL.label(c, 'vi')}`" for c in LEVEL.codes)
                raise ValueError(f"unknown level `{level[:40]}`: one of {known}, or `any`")
            if code not in codes:
                codes.append(code)
        return tuple(codes)

    @field_validator("phrases")
    @classmethod
    def _phrase_keys(cls, phrases: tuple[str, ...]) -> tuple[str, ...]:
        keys: list[str] = []
        for phrase in phrases:
            key = position_key(phrase)
            shown = phrase[:40]
            if not key:
                raise ValueError("a phrase cannot be blank")
            if len(key) > MAX_PHRASE:
                raise ValueError(f"the phrase `{shown}…` is longer than {MAX_PHRASE} characters")
            if _SEPARATORS.search(key):
                raise ValueError(
                    f"the phrase `{shown}` holds `,` `;` `-` `–` or the word `kiêm`: a "
                    "position is split there before its parts are matched, so it never would"
                )
            keys.append(key)
        return tuple(keys)

    @property
    def folded(self) -> tuple[str, ...]:
        """The phrases as a position written without diacritics is compared with them."""
        return _folded(self.phrases)

    def match(self, parts: tuple[str, ...], plain: bool) -> str | None:
        """The phrase (as written in the catalog, normalised) that the first matching part
        starts with, the longest one; None when no part does."""
        phrases = self.folded if plain else self.phrases
        for part in parts:
            found = [i for i, phrase in enumerate(phrases) if starts_with_words(part, phrase)]
            if found:
                return self.phrases[max(found, key=lambda i: len(phrases[i]))]
        return None

    def applies_to(self, level: str | None) -> bool:
        """Whether a row of `level` (a code, None when unknown) may take this rule."""
        return not self.levels or level in self.levels


@lru_cache(maxsize=256)
def _folded(phrases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(fold(phrase) for phrase in phrases)


__all__ = [
    "MAX_PHRASE",
    "ROLE_FLAGS",
    "RoleFlag",
    "RoleRule",
    "is_plain",
    "position_key",
    "position_parts",
    "starts_with_words",
]
