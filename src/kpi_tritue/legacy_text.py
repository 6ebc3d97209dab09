"""Recognise Vietnamese text typed in the legacy TCVN3 (ABC) or VNI encodings.

Before Unicode, Vietnamese offices typed with fonts such as `.VnTime` (TCVN3) or
`VNI-Times` (VNI): the file stores Latin-1 characters that only those fonts draw as
Vietnamese letters. Opened anywhere else, `Sở Y tế` reads `Së Y tÕ` (TCVN3) or `Sôû Y teá`
(VNI), and no category or unit name matches. Such text is recognised here so that the
message can say what happened; converting it is left to the tools offices already have
(Unikey's converter), since upper-case TCVN3 letters depend on the font and cannot be
converted with certainty.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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
