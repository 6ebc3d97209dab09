"""What each indicator means, in words: `docs/indicators.md` and `kpi indicators ID`.

Both are made from the catalog (its `[indicators.about]` tables, its norms, targets and
clauses), so the document cannot drift from what `kpi` computes; a test keeps
`docs/indicators.md` equal to `indicators_document()` of the shipped catalog.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from rich.cells import cell_len as _width

from kpi_tritue.i18n import LANGS, text
from kpi_tritue.i18n.numbers import format_bounds, format_exact, printable

if TYPE_CHECKING:
    from kpi_tritue.catalog.model import Catalog, Indicator
    from kpi_tritue.i18n import Lang

_NAMED_NORMS = (
    "nursery_group",
    "kindergarten_class",
    "primary_class",
    "lower_secondary_class",
    "upper_secondary_class",
)


def described(catalog: Catalog, indicator: Indicator, lang: Lang) -> list[tuple[str, str]]:
    """(key, words) for each thing said about `indicator`, in order; empty ones left out.
    Keys: measures, numerator, denominator, value, norms, basis, clause, target,
    applies_until, field."""
    about = indicator.about
    plan = catalog_name(catalog, lang)
    said: list[tuple[str, str | None]] = [
        ("measures", about.measures(lang) if about else None),
        ("numerator", about.numerator(lang) if about else None),
        ("denominator", about.denominator(lang) if about else None),
        ("value", _value(indicator, lang)),
        ("norms", _norms(catalog, indicator, lang)),
        ("basis", about.basis(lang) if about else None),
        ("clause", text("about.clause.value", lang, clause=indicator.clause, plan=plan)),
        ("target", _target(indicator, lang)),
        ("applies_until", _applies_until(indicator, lang)),
        ("field", text(f"report.field.{indicator.field}", lang)),
    ]
    return [(key, printable(words)) for key, words in said if words]


def describe(catalog: Catalog, indicator: Indicator, lang: Lang) -> list[tuple[str, str]]:
    """(label, words): `described` with each key as people read it."""
    return [
        (text(f"about.{key}", lang), words) for key, words in described(catalog, indicator, lang)
    ]


def catalog_name(catalog: Catalog, lang: Lang) -> str:
    return catalog.name_vi if lang == "vi" else catalog.name_en


def _value(indicator: Indicator, lang: Lang) -> str | None:
    if indicator.kind == "unit_norm":
        return text("about.value.unit_norm", lang)
    if indicator.unit == "percent" and indicator.factor != 100:
        return None  # a catalog's own scale: the measures say it
    if indicator.unit == "per_10k" and indicator.factor != 10000:
        return None
    return text(f"about.value.{indicator.unit}", lang)


def _norms(catalog: Catalog, indicator: Indicator, lang: Lang) -> str | None:
    said = []
    for name in indicator.norms_used():
        what_key = f"about.norm.{name}" if name in _NAMED_NORMS else "about.norm.other"
        value = format_exact(catalog.norms[name], lang)
        said.append(text("about.norm", lang, value=value, what=text(what_key, lang), name=name))
    return "; ".join(said) or None


def _applies_until(indicator: Indicator, lang: Lang) -> str | None:
    """The last day it applies and why (`not_applicable` after it, with no population)."""
    if indicator.applies_until is None:
        return None
    day = indicator.applies_until.strftime("%d/%m/%Y")
    reason = indicator.applies_until_reason(lang)
    return text("about.applies_until.value", lang, date=day, reason=reason)


def _target(indicator: Indicator, lang: Lang) -> str:
    target = indicator.target
    if target is None:
        return text("target.tracked", lang)
    bounds = format_bounds(indicator.unit, target.op, target.value, target.min, target.max, lang)
    return text("about.target.by", lang, bounds=bounds, year=target.year)


def indicator_text(catalog: Catalog, indicator: Indicator, lang: Lang, width: int = 80) -> str:
    """One indicator for the terminal: its id and name, then label: words, wrapped to
    `width` columns under their label."""
    said = describe(catalog, indicator, lang)
    label_width = max(_width(label) for label, _ in said) + 2
    text_width = max(width - label_width, 20)
    lines = [printable(f"{indicator.id} — {indicator.name(lang)}"), ""]
    for label, words in said:
        wrapped = textwrap.wrap(words, text_width, break_on_hyphens=False) or [""]
        head = label + ":" + " " * (label_width - _width(label) - 1)
        lines.append(head + wrapped[0])
        lines.extend(" " * label_width + line for line in wrapped[1:])
    return "\n".join(lines) + "\n"


def indicator_json(catalog: Catalog, indicator: Indicator, lang: Lang) -> str:
    """One indicator as JSON: its id, name, unit and target, and `described`'s words under
    `about`."""
    import json

    document: dict[str, object] = {
        "id": indicator.id,
        "name": indicator.name(lang),
        "unit": indicator.unit,
        "target": None if indicator.target is None else indicator.target.to_target().to_dict(),
        "about": dict(described(catalog, indicator, lang)),
    }
    return (
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"
    )


def indicators_document(catalog: Catalog) -> str:
    """Every indicator in Vietnamese, then in English, as Markdown."""
    parts = [
        f"# {text('about.title', 'vi')} / {text('about.title', 'en')}",
        "",
        " · ".join(
            f"[{text('about.language', lang)}](#{_anchor(text('about.language', lang))})"
            for lang in LANGS
        ),
        "",
    ]
    for lang in LANGS:
        parts += [
            f"## {text('about.language', lang)}",
            "",
            text("about.generated", lang, catalog=_cell(catalog.id)),
            "",
            f"**{_cell(catalog_name(catalog, lang))}**",
            "",
            f"| {text('listing.col.id', lang)} | {text('listing.col.name', lang)} "
            f"| {text('listing.col.clause', lang)} | {text('about.target', lang)} |",
            "| --- | --- | --- | --- |",
        ]
        for indicator in catalog.indicators:
            parts.append(
                f"| `{indicator.id}` | {_cell(indicator.name(lang))} | {_cell(indicator.clause)} "
                f"| {_cell(_target(indicator, lang))} |"
            )
        parts.append("")
        for indicator in catalog.indicators:
            parts += [f"### `{indicator.id}`: {_cell(indicator.name(lang))}", ""]
            parts += [
                f"- **{label}:** {words}" for label, words in describe(catalog, indicator, lang)
            ]
            parts.append("")
    return "\n".join(parts)


def _cell(value: str) -> str:
    return printable(value).replace("|", "\\|")


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, spaces to hyphens (letters kept)."""
    return heading.lower().replace(" ", "-")


__all__ = [
    "catalog_name",
    "describe",
    "described",
    "indicator_json",
    "indicator_text",
    "indicators_document",
]
