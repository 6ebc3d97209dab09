"""The catalog as text or JSON for `kpi indicators`; light (no pandas, no pydantic, no rich).

The packaged catalog is listed straight from its TOML, which the test suite validates;
a `--targets` file is read and validated by `io.option_files.load_targets` before it is listed.

The text is one line per indicator in aligned columns, the long name last, as `pip list`
or `kubectl get` print: it reads in any terminal width and pipes into `grep` whole. It is
written without rich, whose import and table layout would cost more than the rest of the
command (issue 7 wants `kpi indicators` within 1.5 × the start-up of `import typer`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

from kpi_tritue.i18n import text
from kpi_tritue.i18n.numbers import format_bounds
from kpi_tritue.model.targets import Target

if TYPE_CHECKING:
    from kpi_tritue.catalog.model import Catalog
    from kpi_tritue.i18n import Lang

_HEADERS = ("id", "name", "clause", "target", "year")
DEFAULT_CATALOG = "ha_tinh_2030.toml"


class Listing(NamedTuple):
    id: str
    name_vi: str
    name_en: str
    catalog_name_vi: str
    catalog_name_en: str
    entries: tuple[Entry, ...]

    def name(self, lang: Lang) -> str:
        return self.name_vi if lang == "vi" else self.name_en


class Entry(NamedTuple):
    id: str
    name_vi: str
    name_en: str
    clause: str
    field: str
    unit: Any
    target: Target | None


def packaged_listing() -> Listing:
    """The default catalog's indicators, read from the packaged TOML without pydantic."""
    source = resources.files("kpi_tritue").joinpath("catalog", DEFAULT_CATALOG).read_text("utf-8")
    data = tomllib.loads(source)
    entries = []
    for item in data["indicators"]:
        target = item.get("target")
        entries.append(
            Entry(
                id=item["id"],
                name_vi=item["name_vi"],
                name_en=item["name_en"],
                clause=item["clause"],
                field=item["field"],
                unit=item["unit"],
                target=None
                if target is None
                else Target(
                    op=target["op"],
                    year=int(target["year"]),
                    value=_float(target.get("value")),
                    min=_float(target.get("min")),
                    max=_float(target.get("max")),
                ),
            )
        )
    return Listing(
        id=data["id"],
        name_vi=data["name_vi"],
        name_en=data["name_en"],
        catalog_name_vi=data["name_vi"],
        catalog_name_en=data["name_en"],
        entries=tuple(entries),
    )


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def catalog_listing(catalog: Catalog) -> Listing:
    """The indicators of a validated catalog (a `--targets` file)."""
    return Listing(
        id=catalog.id,
        name_vi=catalog.name_vi,
        name_en=catalog.name_en,
        catalog_name_vi=catalog.name_vi,
        catalog_name_en=catalog.name_en,
        entries=tuple(
            Entry(
                id=i.id,
                name_vi=i.name_vi,
                name_en=i.name_en,
                clause=i.clause,
                field=i.field,
                unit=i.unit,
                target=i.target_result,
            )
            for i in catalog.indicators
        ),
    )


def catalog_text(listing: Listing, lang: Lang, width: int | None = None) -> str:
    """The catalog's title, then a header and one aligned line per indicator.

    With a `width` (the terminal's), a name longer than the room left is wrapped under its
    own column, so that no line is wider than the terminal; the first line of each
    indicator still holds its id, clause, target and year, for `grep`.
    """
    id_, name, clause, target, year = (text(f"listing.col.{key}", lang) for key in _HEADERS)
    rows = [(id_, clause, target, year, name)]
    for entry in listing.entries:
        rows.append(
            (
                entry.id,
                entry.clause,
                _bounds(entry, lang),
                str(entry.target.year) if entry.target is not None else "—",
                entry.name_vi if lang == "vi" else entry.name_en,
            )
        )
    cells = [tuple(_printable(cell) for cell in row) for row in rows]
    widths = [max(_width(row[column]) for row in cells) for column in range(4)]
    indent = sum(widths) + 2 * 4
    room = None if width is None else max(width - indent, _MIN_NAME_WIDTH)
    lines = [*_wrapped(_printable(listing.name(lang)), width), ""]
    for row in cells:
        parts = [
            _pad(row[0], widths[0]),
            _pad(row[1], widths[1]),
            _pad(row[2], widths[2], right=True),
            _pad(row[3], widths[3], right=True),
        ]
        first, *more = _wrapped(row[4], room)
        lines.append("  ".join([*parts, first]).rstrip())
        lines.extend(" " * indent + line for line in more)
    return "\n".join(lines) + "\n"


# The least room a name is given, however narrow the terminal: a word a line is unreadable.
_MIN_NAME_WIDTH = 16


def _wrapped(value: str, width: int | None) -> list[str]:
    """`value` in lines of at most `width` terminal columns (at word breaks; a word longer
    than the line is cut), or as one line without a width."""
    if width is None or _width(value) <= width:
        return [value]
    import textwrap

    # The names are NFC text of one-column characters, as `_width` counts for Vietnamese;
    # textwrap counts characters.
    return textwrap.wrap(value, width, break_on_hyphens=False) or [value]


# Control characters from a `--targets` file must not drive the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _bounds(entry: Entry, lang: Lang) -> str:
    """The target without its year, which has a column of its own."""
    target = entry.target
    if target is None:
        return text("target.tracked", lang)
    return format_bounds(entry.unit, target.op, target.value, target.min, target.max, lang)


def _printable(value: str) -> str:
    return _CONTROL.sub("\ufffd", unicodedata.normalize("NFC", value))


def _width(value: str) -> int:
    """Terminal columns: wide (CJK) characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in value
    )


def _pad(value: str, width: int, right: bool = False) -> str:
    fill = " " * (width - _width(value))
    return fill + value if right else value + fill


def catalog_json(listing: Listing, lang: Lang) -> str:
    import json

    document = {
        "catalog": listing.id,
        "name": listing.name(lang),
        "indicators": [
            {
                "id": entry.id,
                "name": entry.name_vi if lang == "vi" else entry.name_en,
                "clause": entry.clause,
                "field": entry.field,
                "unit": entry.unit,
                "target": None if entry.target is None else entry.target.to_dict(),
            }
            for entry in listing.entries
        ],
    }
    # allow_nan=False: strict JSON, as render.dumps.
    return (
        json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False) + "\n"
    )
