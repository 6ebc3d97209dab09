"""Digits grouped as people read them: `1.312.600,5` in Vietnamese, `1,312,600.5` in English.

Imports nothing of kpi: `issue_message` (i18n/__init__) and `numbers` both use it.
"""

from __future__ import annotations


def grouped(value: float, decimals: int, lang: str) -> str:
    """`value` with `decimals` decimals and its thousands grouped the `lang` way."""
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def exact(value: float, lang: str, most: int = 6) -> str:
    """A number with the decimals it has (at most `most`): `2,5`, `1.320.000`, `512,9`."""
    fraction = f"{float(value):.{most}f}".split(".")[1].rstrip("0")
    return grouped(value, len(fraction), lang)
