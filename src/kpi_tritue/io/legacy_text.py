"""Recognise Vietnamese text typed in the legacy TCVN3 (ABC) or VNI encodings.

Before Unicode, Vietnamese offices typed with fonts such as `.VnTime` (TCVN3) or
`VNI-Times` (VNI): the file stores Latin-1 characters that only those fonts draw as
Vietnamese letters. Opened anywhere else, `Sở Y tế` reads `Së Y tÕ` (TCVN3) or `Sôû Y teá`
(VNI), and no category or unit name matches. Such text is recognised here, and converted
to Unicode where the mapping is certain (`decode_column`):

- TCVN3 gives each lower-case Vietnamese letter (and seven upper-case ones) one Latin-1
  code; the upper-case font `.VnTimeH` draws the same codes in capitals, so a decoded value
  may differ from what was seen in its letter case only, which matching ignores anyway.
- VNI writes a vowel, then its hat, breve or tone as a second character (`aø` = à,
  `oá` = ố), in both cases.

A value is converted only when every character it has belongs to the encoding, every mark
follows a letter that can carry it, and no word ends up with two tones; a column only when
all of its legacy-looking values decode one way and not the other (or, when both ways spell
Vietnamese, the way the letters only one encoding uses point to). In a category column
whose encoding is so known, a value that reads as a category in it is decoded too
(`Y tÕ` -> `Y tế`). Anything else is left as it was and reported, for the office to
convert with the tools it has (Unikey).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from enum import StrEnum

# Characters that TCVN3 uses for Vietnamese letters (`ª` = ê, `©` = â, `«` = ô, `ë` = ở…)
# and that never occur in Vietnamese written in Unicode.
_TCVN3 = re.compile("[µ¸¶·¹¨©ª«¬®¡¢£¤¥¦§÷þëß×Þ]")
# VNI writes tones and hats as a second Latin-1 letter after the vowel (`aø` = à,
# `öù` = ứ, `ñ` = đ): of those, these never occur in Unicode Vietnamese.
_VNI = re.compile("[øûïöñåäØÛÏÖÑÅÄ]")


class LegacyEncoding(StrEnum):
    TCVN3 = "TCVN3"
    VNI = "VNI"


def legacy_encoding(text: str) -> LegacyEncoding | None:
    """The legacy encoding `text` looks typed in, if any."""
    if _TCVN3.search(text):
        return LegacyEncoding.TCVN3
    if _VNI.search(text):
        return LegacyEncoding.VNI
    return None


def first_legacy(values: Iterable[str]) -> tuple[str, LegacyEncoding] | None:
    """The first value that looks legacy-encoded, and the encoding the values point to.

    TCVN3 also uses some of VNI's letters (`chøc` is `chức` in both), so a column with any
    value that only TCVN3 explains is TCVN3.
    """
    first: tuple[str, LegacyEncoding] | None = None
    for value in values:
        found = legacy_encoding(value)
        if found is None:
            continue
        if first is None:
            first = (value, found)
        if found is LegacyEncoding.TCVN3:
            return first[0], LegacyEncoding.TCVN3
    return first


# ---------------------------------------------------------------------------------------
# Decoding

_TONES = {
    "grave": "\u0300",
    "acute": "\u0301",
    "hook": "\u0309",
    "tilde": "\u0303",
    "dot": "\u0323",
}
_TONE_ORDER = ("grave", "acute", "hook", "tilde", "dot")


def _letter(base: str, *marks: str) -> str:
    return unicodedata.normalize("NFC", base + "".join(marks))


def _tcvn3_table() -> dict[str, str]:
    """TCVN3 (TCVN 5712:1993, VN3): Latin-1 code -> Unicode letter."""
    codes = {
        # letter: codes of (no tone, grave, acute, hook, tilde, dot)
        "a": "a\u00b5\u00b8\u00b6\u00b7\u00b9",
        "ă": "\u00a8\u00bb\u00be\u00bc\u00bd\u00c6",
        "â": "\u00a9\u00c7\u00ca\u00c8\u00c9\u00cb",
        "e": "e\u00cc\u00d0\u00ce\u00cf\u00d1",
        "ê": "\u00aa\u00d2\u00d5\u00d3\u00d4\u00d6",
        "i": "i\u00d7\u00dd\u00d8\u00dc\u00de",
        "o": "o\u00df\u00e3\u00e1\u00e2\u00e4",
        "ô": "\u00ab\u00e5\u00e8\u00e6\u00e7\u00e9",
        "ơ": "\u00ac\u00ea\u00ed\u00eb\u00ec\u00ee",
        "u": "u\u00ef\u00f3\u00f1\u00f2\u00f4",
        "ư": "\u00ad\u00f5\u00f8\u00f6\u00f7\u00f9",
        "y": "y\u00fa\u00fd\u00fb\u00fc\u00fe",
    }
    table: dict[str, str] = {}
    for letter, row in codes.items():
        for code, tone in zip(row, (None, *_TONE_ORDER), strict=True):
            if not code.isascii():
                table[code] = _letter(letter, _TONES[tone]) if tone else letter
    table.update(
        {"\u00ae": "đ", "\u00a1": "Ă", "\u00a2": "Â", "\u00a3": "Ê", "\u00a4": "Ô"}
        | {"\u00a5": "Ơ", "\u00a6": "Ư", "\u00a7": "Đ"}
    )
    return table


TCVN3_TO_UNICODE: Mapping[str, str] = _tcvn3_table()

# VNI: the mark written after a vowel, by what it adds.
_VNI_TONE = dict(zip(_TONE_ORDER, "\u00f8\u00f9\u00fb\u00f5\u00ef", strict=True))  # ø ù û õ ï
_VNI_HAT_TONE = dict(zip(_TONE_ORDER, "\u00e0\u00e1\u00e5\u00e3\u00e4", strict=True))  # à á å ã ä
_VNI_BREVE_TONE = dict(zip(_TONE_ORDER, "\u00e8\u00e9\u00fa\u00fc\u00eb", strict=True))  # è é ú ü ë
_VNI_HAT = "\u00e2"  # â
_VNI_BREVE = "\u00ea"  # ê
# Letters VNI writes as one character: đ, ơ, ư, and i and ỵ with their tones.
_VNI_SINGLE = {
    "\u00f1": "đ",
    "\u00f4": "ơ",
    "\u00f6": "ư",
    "\u00ec": "ì",
    "\u00ed": "í",
    "\u00e6": "ỉ",
    "\u00f3": "ĩ",
    "\u00f2": "ị",
    "\u00ee": "ỵ",
}


def _vni_pairs() -> dict[str, str]:
    """Two-character VNI spellings (base + mark), lower and upper case -> Unicode letter."""
    pairs: dict[str, str] = {}
    hat, breve = "\u0302", "\u0306"
    for base in ("a", "e", "o", "u", "y", "\u00f4", "\u00f6"):
        letter = _VNI_SINGLE.get(base, base)
        for tone, mark in _VNI_TONE.items():
            if base == "y" and tone == "dot":
                continue  # ỵ is one character, î
            pairs[base + mark] = _letter(letter, _TONES[tone])
    for base in ("a", "e", "o"):
        pairs[base + _VNI_HAT] = _letter(base, hat)
        for tone, mark in _VNI_HAT_TONE.items():
            pairs[base + mark] = _letter(base, hat, _TONES[tone])
    pairs["a" + _VNI_BREVE] = _letter("a", breve)
    for tone, mark in _VNI_BREVE_TONE.items():
        pairs["a" + mark] = _letter("a", breve, _TONES[tone])
    upper = {key.upper(): value.upper() for key, value in pairs.items()}
    return pairs | upper


_VNI_PAIRS: Mapping[str, str] = _vni_pairs()
_VNI_SINGLES: Mapping[str, str] = _VNI_SINGLE | {
    k.upper(): v.upper() for k, v in _VNI_SINGLE.items()
}


def decode_tcvn3(text: str) -> str | None:
    """`text` read as TCVN3, or None when that reading is not certain."""
    if not all(char.isascii() or char.isspace() or char in TCVN3_TO_UNICODE for char in text):
        return None
    decoded = "".join(TCVN3_TO_UNICODE.get(char, char) for char in text)
    return decoded if _plausible(decoded) else None


def decode_vni(text: str) -> str | None:
    """`text` read as VNI, or None when that reading is not certain."""
    out: list[str] = []
    position = 0
    while position < len(text):
        pair = _VNI_PAIRS.get(text[position : position + 2])
        if pair is not None:
            out.append(pair)
            position += 2
            continue
        char = text[position]
        if char.isascii() or char.isspace():
            out.append(char)
        elif char in _VNI_SINGLES:
            out.append(_VNI_SINGLES[char])
        else:
            return None  # a mark after a letter that cannot carry it, or a foreign character
        position += 1
    decoded = "".join(out)
    return decoded if _plausible(decoded) else None


def _plausible(text: str) -> bool:
    """Whether decoded text spells Vietnamese, as far as a wrong decoding would break it.

    A word with a Vietnamese letter is made of letters, no word carries two tones, and
    `ư` and `ơ` open their vowel group (`ươ`, `uơ` aside): read in the wrong encoding, a
    word nearly always breaks one of these (`chaøo` read as TCVN3 is `chaứo`).
    """
    for word in text.lower().split():
        if not word.isascii() and not word.strip(_PUNCTUATION).isalpha():
            return False  # `5×3` read as TCVN3 would put a letter inside a number
        letters = unicodedata.normalize("NFD", word)
        if sum(mark in _TONE_MARKS for mark in letters) > 1:
            return False
        bases = [_base(char) for char in word]
        for before, letter in itertools.pairwise(bases):
            if letter == "ư" and before in _VOWELS:
                return False
            if letter == "ơ" and before in _VOWELS and before not in ("u", "ư"):
                return False
    return True


def _base(char: str) -> str:
    """The letter without its tone: `ứ` -> `ư`, `ầ` -> `â`."""
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", char) if c not in _TONE_MARKS)
    )


_VOWELS = frozenset("aăâeêioôơuưy")
_PUNCTUATION = ".,;:!?()[]\"'-–/"
_TONE_MARKS = frozenset(_TONES.values())
_DECODERS = {LegacyEncoding.TCVN3: decode_tcvn3, LegacyEncoding.VNI: decode_vni}


def decode(text: str, encoding: LegacyEncoding) -> str | None:
    """`text` read in `encoding`, or None when that reading is not certain."""
    return _DECODERS[encoding](text)


def decode_column(values: Iterable[str]) -> tuple[LegacyEncoding, dict[str, str]] | None:
    """The encoding a column's legacy-looking values were typed in, and each one decoded.

    None when no value looks legacy, or when the reading is not certain: some value does
    not decode, or the values decode both ways.
    """
    flagged = [value for value in dict.fromkeys(values) if legacy_encoding(value) is not None]
    if not flagged:
        return None
    readings = {
        encoding: {value: decode(value) for value in flagged}
        for encoding, decode in _DECODERS.items()
    }
    certain = {
        encoding: decoded
        for encoding, decoded in readings.items()
        if all(text is not None for text in decoded.values())
    }
    if not certain:
        return None
    if len(certain) == 2:
        # Both spell Vietnamese: the letters that only one encoding uses decide.
        found = first_legacy(flagged)
        assert found is not None
        encoding = found[1]
    else:
        encoding = next(iter(certain))
    return encoding, {value: text for value, text in certain[encoding].items() if text is not None}
