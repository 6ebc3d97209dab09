"""`kpi explain` shown: a rich table for people, CSV with every row, deterministic JSON.

Renderers only: what is counted, and the sentences of the catalog's filters, come made on
the `Explanation` (model/explanation.py, built by compute/explain.py and the engine). The
words are `i18n/explain.py`'s.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kpi_tritue import __version__
from kpi_tritue.contract.schema import METRIC, MILESTONE_STATE, SPECIALIST_TEAMS, WORKFORCE
from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import format_exact, format_number, printable, spreadsheet_text
from kpi_tritue.model.explanation import (
    ROLE_COLUMNS,
    ROW_COLUMNS,
    UNIT_COLUMNS,
    Explanation,
    FigureUsed,
)
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.numbers import CSV_BOM
from kpi_tritue.render.report import format_target, format_value, result_dict
from kpi_tritue.render.terminal import TOOL, dumps

# The terminal shows this many rows of a table; `--format csv` gives them all.
TABLE_ROWS = 200


def _place(
    expl: Explanation,
    lang: Lang,
    file: str | None,
    sheet: str | None,
    row: int | None,
    cell: str | None = None,
) -> str:
    """`Sheet!B12`, or `Sheet, dòng 12`; the file first when there are several."""
    if sheet is None:
        return "—"
    if cell:
        where = f"{sheet}!{cell}"
    else:
        where = sheet if row is None else f"{sheet}, {text('explain.row', lang, row=row)}"
    return f"{file} › {where}" if file and len(expl.sources) > 1 else where


def _header(expl: Explanation, lang: Lang) -> list[RenderableType]:
    result = expl.result
    measurement = result.measurement
    title = Text(text("explain.title", lang, id=result.id), style="bold")
    clause = text("explain.clause", lang, clause=result.clause)
    title.append(printable(f" · {result.name(lang)} ({clause})"))
    lines: list[RenderableType] = [title]
    files = ", ".join(printable(source.path) for source in expl.sources) or "—"
    as_of = expl.as_of.strftime("%d/%m/%Y")
    lines.append(Text(text("explain.as_of", lang, as_of=as_of, year=expl.report_year, files=files)))
    status = text(f"report.status.{measurement.status.value}", lang)
    value = format_value(result, measurement.value, lang)
    target = format_target(result, lang)
    lines.append(Text(text("explain.value", lang, value=value, target=target, status=status)))
    if expl.kind != "milestone":
        amounts = text(
            "explain.amounts",
            lang,
            numerator=_optional_number(measurement.numerator, lang),
            denominator=_optional_number(measurement.denominator, lang),
        )
        lines.append(Text(amounts))
    for side in ("numerator", "denominator"):
        condition = getattr(expl.conditions, side)
        if condition is not None:
            key = "condition" if expl.kind == "milestone" else side
            name = text(f"explain.{key}", lang)
            line = Text(f"{name} = ", style="bold")
            line.append(condition.get(lang))
            lines.append(line)
    if expl.note is not None:
        lines.append(
            Text(text("explain.note", lang, note=note_message(expl.note, lang)), style="italic")
        )
    if expl.override:
        lines.append(Text(text("explain.override", lang), style="italic"))
    if expl.has_roles:
        lines.append(Text(text("explain.roles", lang), style="italic"))
    return lines


def _rows_table(expl: Explanation, lang: Lang) -> list[RenderableType]:
    rows = expl.rows
    if rows.empty:
        return (
            []
            if expl.kind == "milestone" or expl.override
            else [Text(text("explain.no_rows", lang))]
        )
    several_files = len(expl.sources) > 1
    has_ids = bool(rows["id"].notna().any())
    has_units = bool(rows["unit"].notna().any())
    table = Table(title=text("explain.rows", lang), title_justify="left", pad_edge=False)
    if several_files:
        table.add_column(text("explain.col.file", lang), overflow="fold")
    table.add_column(text("explain.col.sheet", lang), no_wrap=True)
    table.add_column(text("explain.col.row", lang), justify="right", no_wrap=True)
    if has_ids:
        specialty = expl.sheets == (SPECIALIST_TEAMS.key,)
        table.add_column(
            text("explain.col.specialty" if specialty else "explain.col.id", lang), no_wrap=True
        )
    if has_units:
        table.add_column(text("explain.col.unit", lang), overflow="fold", ratio=1)
    table.add_column(text("explain.col.counted_in", lang), no_wrap=True)
    roles = expl.has_roles
    if roles:
        table.add_column(text("explain.col.position", lang), overflow="fold", ratio=1)
        table.add_column(text("explain.col.role", lang), overflow="fold", ratio=1)
    for record in _records(rows.head(TABLE_ROWS), _row_columns(expl)):
        cells = [str(record["file"])] if several_files else []
        cells += [str(record["sheet"]), str(record["row"])]
        if has_ids:
            cells.append(_text(record["id"]))
        if has_units:
            cells.append(_text(record["unit"]))
        cells.append(text(f"explain.counted_in.{record['counted_in']}", lang))
        if roles:
            cells += [_text(record["position"]), _role_text(record["role"], lang) or "—"]
        table.add_row(*_text_cells(*cells))
    counted = text(
        "explain.counted",
        lang,
        numerator=format_number(expl.counted("numerator"), 0, lang),
        denominator=format_number(expl.counted("denominator"), 0, lang),
    )
    shown: list[RenderableType] = [Text(counted), table]
    if len(rows) > TABLE_ROWS:
        more = format_number(len(rows) - TABLE_ROWS, 0, lang)
        shown.append(Text(text("explain.more", lang, count=more), style="italic"))
    return shown


def _row_columns(expl: Explanation) -> tuple[str, ...]:
    """The columns of `expl.rows` to show: the position and rule too when it has them."""
    return (*ROW_COLUMNS, *ROLE_COLUMNS) if expl.has_roles else ROW_COLUMNS


def _role_text(role: object, lang: Lang) -> str | None:
    """The rules that matched, as people read them: `Lãnh đạo quản lý ← “giám đốc”`."""
    if not isinstance(role, tuple):
        return None
    return "; ".join(
        text("explain.role", lang, flag=WORKFORCE.column(flag).label(lang), phrase=phrase)
        for flag, phrase in role
    )


def _role_code(role: object) -> str | None:
    """The rules that matched, for CSV: `is_manager: giám đốc; is_key_leader: bí thư`."""
    if not isinstance(role, tuple):
        return None
    return "; ".join(f"{flag}: {phrase}" for flag, phrase in role)


def _role_list(role: object) -> list[dict[str, str]] | None:
    """The rules that matched, for JSON: `[{"flag": "is_manager", "phrase": "giám đốc"}]`."""
    if not isinstance(role, tuple):
        return None
    return [{"flag": flag, "phrase": phrase} for flag, phrase in role]


def _text_cells(*cells: str) -> list[Text]:
    """Cells as plain text: a unit named `[b]` is not rich markup, nor `\x1b[2J` a command."""
    return [Text(printable(cell)) for cell in cells]


def _optional_number(value: float | None, lang: Lang) -> str:
    return "—" if value is None else format_exact(value, lang)


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _figures_table(expl: Explanation, lang: Lang) -> list[RenderableType]:
    if not expl.figures:
        return []
    table = Table(title=text("explain.figures", lang), title_justify="left", pad_edge=False)
    table.add_column(text("explain.col.counted_in", lang), no_wrap=True)
    table.add_column(text("explain.col.metric", lang), overflow="fold", ratio=1)
    table.add_column(text("explain.col.year", lang), no_wrap=True)
    table.add_column(text("explain.col.area", lang), overflow="fold")
    table.add_column(text("explain.col.value", lang), justify="right", no_wrap=True)
    table.add_column(text("explain.col.weight", lang), justify="right", no_wrap=True)
    table.add_column(text("explain.col.where", lang), overflow="fold")
    for figure in expl.figures:
        if figure.year is None:
            year = "—"
        elif figure.year < expl.report_year:
            year = text("explain.earlier", lang, year=figure.year)
        else:
            year = str(figure.year)
        table.add_row(
            *_text_cells(
                text(f"explain.counted_in.{figure.counted_in}", lang),
                METRIC.label(figure.metric, lang),
                year,
                figure.area or text("explain.province", lang),
                format_exact(figure.value, lang),
                format_exact(figure.weight, lang),
                text("explain.absent", lang)
                if figure.default
                else _place(expl, lang, figure.file, figure.sheet, figure.row, figure.cell),
            )
        )
    return [table]


def _units_table(expl: Explanation, lang: Lang) -> list[RenderableType]:
    units = expl.units
    if units is None or units.empty:
        return []
    table = Table(title=text("explain.units", lang), title_justify="left", pad_edge=False)
    table.add_column(text("explain.col.unit", lang), overflow="fold", ratio=1)
    for key in ("people", "qualifying", "share", "norm"):
        table.add_column(text(f"explain.col.{key}", lang), justify="right", no_wrap=True)
    table.add_column(text("explain.col.meets", lang), no_wrap=True)
    table.add_column(text("explain.col.where", lang), overflow="fold")
    for record in _records(units.head(TABLE_ROWS), UNIT_COLUMNS):
        table.add_row(
            *_text_cells(
                str(record["unit"]),
                format_number(record["people"], 0, lang),
                format_number(record["qualifying"], 0, lang),
                format_number(record["share"], 1, lang),
                format_exact(record["norm"], lang),
                text("explain.yes" if record["meets"] else "explain.no", lang),
                _place(expl, lang, record["file"], record["sheet"], record["row"]),
            )
        )
    shown: list[RenderableType] = [table]
    if len(units) > TABLE_ROWS:
        more = format_number(len(units) - TABLE_ROWS, 0, lang)
        shown.append(Text(text("explain.more", lang, count=more), style="italic"))
    return shown


def _milestone_line(expl: Explanation, lang: Lang) -> list[RenderableType]:
    milestone = expl.milestone
    if milestone is None:
        return []
    place = _place(expl, lang, milestone.file, milestone.sheet, milestone.row)
    state = MILESTONE_STATE.label(milestone.state, lang)
    return [Text(text("explain.milestone", lang, place=printable(place), state=state))]


def explanation_table(expl: Explanation, lang: Lang) -> Group:
    """Header lines (indicator, value, amounts, conditions, note), then the rows counted
    (the first `TABLE_ROWS`; a line says how many more), the figures, the units or the
    milestone row."""
    parts = [
        *_header(expl, lang),
        *_rows_table(expl, lang),
        *_units_table(expl, lang),
        *_figures_table(expl, lang),
        *_milestone_line(expl, lang),
    ]
    return Group(*parts)


# -- machine formats --------------------------------------------------------------------

_BASE_CSV = ("kind", "counted_in", "file", "sheet", "row", "id", "unit")
_FIGURE_CSV = ("metric", "year", "area", "value", "weight")
_UNIT_CSV = ("people", "qualifying", "share", "norm", "meets")


def _plain(value: object) -> Any:
    """A cell for JSON/CSV: NA as None, numpy scalars as Python ones, whole floats as ints."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def _records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    return [
        {column: _plain(value) for column, value in zip(columns, values, strict=True)}
        for values in frame[list(columns)].itertuples(index=False, name=None)
    ]


def _figure_dict(figure: FigureUsed, report_year: int) -> dict[str, Any]:
    return {
        "counted_in": figure.counted_in,
        "metric": figure.metric,
        "value": _plain(figure.value),
        "weight": _plain(figure.weight),
        "year": figure.year,
        "earlier_year": figure.year is not None and figure.year < report_year,
        "area": figure.area,
        "file": figure.file,
        "sheet": figure.sheet,
        "row": figure.row,
        "cell": figure.cell,
        "default": figure.default,
    }


def explanation_csv(expl: Explanation, lang: Lang) -> str:
    """Every row counted (`kind` = row, or unit for DonVi units with their arithmetic),
    then every figure used (`kind` = figure), or the milestone row. Codes, not labels,
    so scripts can read it in either language; `lang` is kept for the common signature."""
    del lang
    columns = list(_BASE_CSV)
    if expl.has_roles:
        columns += ROLE_COLUMNS
    if expl.kind == "ratio":
        columns += _FIGURE_CSV
    elif expl.kind == "unit_norm":
        columns += _UNIT_CSV
    else:
        columns.append("state")
    lines: list[dict[str, Any]] = []
    if expl.kind == "unit_norm" and expl.units is not None:
        units = {(r["file"], r["sheet"], r["row"]): r for r in _records(expl.units, UNIT_COLUMNS)}
        for row in _records(expl.rows, ROW_COLUMNS):
            unit = units.get((row["file"], row["sheet"], row["row"]), {})
            lines.append({"kind": "unit", **row, **{k: unit.get(k) for k in _UNIT_CSV}})
    else:
        for row in _records(expl.rows, _row_columns(expl)):
            if "role" in row:
                row["role"] = _role_code(row["role"])
            lines.append({"kind": "row", **row})
    for figure in expl.figures:
        data = _figure_dict(figure, expl.report_year)
        lines.append({"kind": "figure", **{k: data[k] for k in data if k in columns}})
    if expl.milestone is not None:
        milestone = expl.milestone
        lines.append(
            {
                "kind": "milestone",
                "file": milestone.file,
                "sheet": milestone.sheet,
                "row": milestone.row,
                "id": milestone.milestone,
                "state": milestone.state,
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", restval="")
    writer.writeheader()
    for line in lines:
        writer.writerow({k: _csv_cell(v) for k, v in line.items() if k in columns})
    return CSV_BOM + buffer.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return spreadsheet_text(value)
    return value


def explanation_dict(expl: Explanation, lang: Lang) -> dict[str, Any]:
    """The explanation as one JSON-ready object (see `explanation_json`)."""
    conditions = {
        side: None if sentence is None else sentence.get(lang)
        for side, sentence in (
            ("numerator", expl.conditions.numerator),
            ("denominator", expl.conditions.denominator),
        )
    }
    milestone = expl.milestone
    return {
        "tool": TOOL,
        "version": __version__,
        "catalog": expl.catalog,
        "as_of": expl.as_of.isoformat(),
        "report_year": expl.report_year,
        "sources": [{"path": s.path, "sha256": s.sha256} for s in expl.sources],
        "indicator": result_dict(expl.result, lang),
        "kind": expl.kind,
        "override": expl.override,
        "conditions": conditions,
        "counted": {
            "numerator": expl.counted("numerator"),
            "denominator": expl.counted("denominator"),
        },
        "rows": _json_rows(expl),
        "figures": [_figure_dict(f, expl.report_year) for f in expl.figures],
        "units": None if expl.units is None else _records(expl.units, UNIT_COLUMNS),
        "milestone": None
        if milestone is None
        else {
            "milestone": milestone.milestone,
            "state": milestone.state,
            "file": milestone.file,
            "sheet": milestone.sheet,
            "row": milestone.row,
        },
    }


def _json_rows(expl: Explanation) -> list[dict[str, Any]]:
    rows = _records(expl.rows, _row_columns(expl))
    for row in rows:
        if "role" in row:
            row["role"] = _role_list(row["role"])
    return rows


def explanation_json(expl: Explanation, lang: Lang) -> str:
    """Deterministic JSON (sorted keys, UTF-8 text): the header every JSON output has, the
    indicator as `kpi compute` gives it, the conditions, the rows, figures, units and
    milestone row."""
    return dumps(explanation_dict(expl, lang))


__all__ = [
    "TABLE_ROWS",
    "explanation_csv",
    "explanation_dict",
    "explanation_json",
    "explanation_table",
]
