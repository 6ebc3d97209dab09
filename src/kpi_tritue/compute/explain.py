"""`kpi explain`: the rows and figures behind one indicator, and how they are shown.

`engine.explain` fills an `Explanation` from the engine's own masks and figure choice, so
its rows always add up to the result's numerator and denominator. This module holds the
frozen results, the catalog's filters as sentences, and the three renderers (a rich
table, CSV with every row, deterministic JSON). No personal name is ever in a frame.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, get_args

import pandas as pd
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kpi_tritue import __version__
from kpi_tritue.catalog.model import (
    DERIVED,
    UNIT_PREFIX,
    Condition,
    FigureMeasure,
    UnitNorm,
    Where,
    enum_code,
    metric_code,
    resolve_operand,
    vocabulary,
)
from kpi_tritue.contract.schema import (
    FIGURES,
    METRIC,
    MILESTONE_STATE,
    MILESTONES,
    SPECIALIST_TEAMS,
    UNITS,
    WORKFORCE,
    SheetSpec,
    ValueType,
)
from kpi_tritue.i18n import Lang
from kpi_tritue.i18n.numbers import printable, spreadsheet_text
from kpi_tritue.io.dataset import Source
from kpi_tritue.model.results import IndicatorResult, Note
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.report import format_number, format_target, format_value, result_dict
from kpi_tritue.render.report import label as report_label
from kpi_tritue.render.terminal import TOOL, dumps

Side = Literal["numerator", "denominator"]
CountedIn = Literal["numerator+denominator", "denominator", "numerator"]
COUNTED_IN: tuple[CountedIn, ...] = get_args(CountedIn)
Kind = Literal["ratio", "unit_norm", "milestone"]
ROW_COLUMNS = ("file", "sheet", "row", "id", "unit", "counted_in")
UNIT_COLUMNS = ("file", "sheet", "row", "unit", "people", "qualifying", "share", "norm", "meets")
# The terminal shows this many rows of a table; `--format csv` gives them all.
TABLE_ROWS = 200

_SHEETS: dict[str, SheetSpec] = {
    spec.key: spec for spec in (WORKFORCE, UNITS, SPECIALIST_TEAMS, FIGURES, MILESTONES)
}


# ---------------------------------------------------------------------------------------
# What an explanation holds


@dataclass(frozen=True)
class Bilingual:
    """A sentence in both languages of the tool."""

    vi: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Conditions:
    """What the numerator and the denominator take, as people read the catalog's filters."""

    numerator: Bilingual | None
    denominator: Bilingual | None


@dataclass(frozen=True)
class FigureUsed:
    """One `SoLieu` row that went into an amount (amount = value × weight).

    A figure made of area rows (no province row) lists each of them. A figure that is
    absent but has a default lists the default, with `default` set and no place.
    """

    counted_in: Side
    metric: str
    value: float
    weight: float
    year: int | None = None
    area: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    cell: str | None = None
    default: bool = False

    @property
    def amount(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class MilestoneRow:
    """The `MocCongViec` row a milestone's state was read from."""

    milestone: str
    state: str
    file: str
    sheet: str
    row: int


@dataclass(frozen=True, eq=False)
class Explanation:
    """One indicator's result and everything it was computed from.

    `rows` has the columns `ROW_COLUMNS`, sorted by file, sheet and row: one line per row
    of a sheet that a count of the numerator or the denominator takes (`counted_in` says
    which), so the lines with "numerator" in `counted_in` are the rows counted in the
    numerator. `id` is the row's key (`Mã` of NhanSu, `Chuyên khoa` of KipChuyenSau);
    `unit` is blank where the sheet has none. For `unit_norm` the rows are DonVi rows and
    `units` the per-unit arithmetic (columns `UNIT_COLUMNS`).
    """

    result: IndicatorResult
    kind: Kind
    catalog: str
    as_of: date
    report_year: int
    sources: tuple[Source, ...]
    conditions: Conditions
    rows: pd.DataFrame
    # Keys of the sheets whose rows are counted (`workforce`, `specialist_teams`, `units`).
    sheets: tuple[str, ...] = ()
    figures: tuple[FigureUsed, ...] = ()
    units: pd.DataFrame | None = None
    milestone: MilestoneRow | None = None
    # The `SoLieu` figures of an override were used instead of counting rows.
    override: bool = False

    @property
    def note(self) -> Note | None:
        """Why the value is what it is: what is missing for no_data, what was used instead."""
        return self.result.measurement.note

    def counted(self, side: Side) -> int:
        """How many rows count in `side`."""
        return int(self.rows["counted_in"].str.contains(side, regex=False).sum())

    def figure_amount(self, side: Side) -> float:
        """The part of `side` that comes from `SoLieu` figures."""
        return math.fsum(f.amount for f in self.figures if f.counted_in == side)


def counted_rows(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Rows of several sheets as one tidy frame of `ROW_COLUMNS`, sorted by file, sheet, row."""
    parts = [frame for frame in frames if not frame.empty]
    if not parts:
        return _typed_rows(pd.DataFrame({column: [] for column in ROW_COLUMNS}))
    rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    rows = _typed_rows(rows[list(ROW_COLUMNS)])
    return rows.sort_values(["file", "sheet", "row"], kind="stable", ignore_index=True)


def _typed_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.astype(
        {
            "file": "string",
            "sheet": "string",
            "row": "int64",
            "id": "string",
            "unit": "string",
            "counted_in": "string",
        }
    )


# ---------------------------------------------------------------------------------------
# The catalog's filters as sentences

_WORDS: dict[str, dict[Lang, str]] = {
    "or": {"vi": " hoặc ", "en": " or "},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "prefix": {"vi": "bắt đầu bằng", "en": "starts with"},
    "every_row": {"vi": "mọi dòng", "en": "every row"},
    "report_year": {"vi": "năm báo cáo", "en": "report year"},
    "default": {"vi": "không có thì {value}", "en": "{value} when absent"},
    "year_only": {"vi": "chỉ số liệu năm {year}", "en": "{year} only"},
    "units": {"vi": "Đơn vị trong {sheet}", "en": "Units of {sheet}"},
    "has_norm": {"vi": "có {norm}", "en": "with a {norm}"},
    "people": {"vi": "có người ({where}) trong {sheet}", "en": "with people ({where}) in {sheet}"},
    "meets": {
        "vi": "tỷ lệ % người có {qualifying} ≥ {norm}",
        "en": "the share (%) of them with {qualifying} ≥ the {norm}",
    },
    "milestone": {"vi": "{sheet}: {name} — {state}", "en": "{sheet}: {name} — {state}"},
}
_COMPARISONS = {"eq": "=", "lt": "<", "le": "≤", "ge": "≥", "gt": ">"}
_DERIVED_LABELS: dict[str, dict[Lang, str]] = {
    "age": {"vi": "Tuổi", "en": "Age"},
    "postgraduate": {"vi": "Trình độ sau đại học", "en": "Postgraduate"},
    "leader": {
        "vi": "Lãnh đạo quản lý hoặc Lãnh đạo chủ chốt",
        "en": "Manager or key leader",
    },
    "profession_key": {"vi": "Chức danh nghề nghiệp", "en": "Professional title"},
}

# Columns filled from another when blank (workbook.py): said so, or the count looks wrong.
_FALLBACK_LABELS: dict[str, dict[Lang, str]] = {
    "attracted_year": {
        "vi": "Năm thu hút (trống thì Năm tuyển dụng)",
        "en": "Attracted year (blank: recruited year)",
    },
}


def _word(key: str, lang: Lang, **params: object) -> str:
    template = _WORDS[key][lang]
    return template.format(**params) if params else template


def bilingual(make: Any) -> Bilingual:
    """`make(lang)` in both languages."""
    return Bilingual(vi=make("vi"), en=make("en"))


def column_label(sheet: str, name: str, lang: Lang) -> str:
    """A filter's column as the form names it: `Trạng thái`, `Đối ngoại (DonVi)`, `Tuổi`."""
    if name.startswith(UNIT_PREFIX):
        column = UNITS.column(name.removeprefix(UNIT_PREFIX))
        return f"{column.label(lang)} ({UNITS.name})"
    if name in DERIVED:
        return _DERIVED_LABELS[name][lang]
    if name in _FALLBACK_LABELS:
        return _FALLBACK_LABELS[name][lang]
    return _SHEETS[sheet].column(name).label(lang)


def _number(value: float, lang: Lang, most: int = 6) -> str:
    """A number with the decimals it has (at most `most`): `2,5`, `1.320.000`, `512,9`."""
    fraction = f"{float(value):.{most}f}".split(".")[1].rstrip("0")
    return format_number(value, len(fraction), lang)


def _operand(value: object, year: int, lang: Lang, is_year: bool) -> str:
    """A number, or a year relative to the report year shown with what it is."""
    if isinstance(value, str):
        resolved = int(resolve_operand(value, year))
        symbol = value.replace("report_year", _word("report_year", lang))
        symbol = " ".join(symbol.replace("-", " − ").replace("+", " + ").split())
        return f"{resolved} ({symbol})"
    assert isinstance(value, int | float)
    # A year reads 2019, never 2.019.
    return str(int(value)) if is_year and float(value).is_integer() else _number(value, lang)


def _value(sheet: str, column: str, value: object, year: int, lang: Lang) -> str:
    info = vocabulary(sheet)[column]
    if info.type is ValueType.ENUM:
        assert info.enum is not None
        code = enum_code(info.enum, str(value))
        return info.enum.label(code or str(value), lang)
    if info.type is ValueType.TEXT:
        return f"\u201c{value}\u201d"
    return _operand(value, year, lang, info.type is ValueType.YEAR)


def condition_text(sheet: str, condition: Condition, year: int, lang: Lang) -> str:
    """One condition: `Trạng thái ∈ {Đang công tác}`, `Chức danh … bắt đầu bằng “bac si”`."""
    if condition.any_ is not None:
        parts = [condition_text(sheet, part, year, lang) for part in condition.any_]
        return "(" + _word("or", lang).join(parts) + ")"
    assert condition.column is not None
    name = column_label(sheet, condition.column, lang)
    op = condition.operator
    operand = condition.operand(op)
    if op == "is":
        return f"{name} = {_word('yes' if operand else 'no', lang)}"
    if op == "prefix":
        prefixes = _word("or", lang).join(f"\u201c{p}\u201d" for p in operand)
        return f"{name} {_word('prefix', lang)} {prefixes}"
    if op in ("in", "not_in"):
        values = ", ".join(_value(sheet, condition.column, v, year, lang) for v in operand)
        return f"{name} {'∈' if op == 'in' else '∉'} {{{values}}}"
    return f"{name} {_COMPARISONS[op]} {_value(sheet, condition.column, operand, year, lang)}"


def where_text(sheet: str, where: Where, year: int, lang: Lang) -> str:
    """Every condition, `; ` between them; `every row` when there is none."""
    if not where:
        return _word("every_row", lang)
    return "; ".join(condition_text(sheet, condition, year, lang) for condition in where)


def count_text(sheet: str, where: Where, year: int, lang: Lang) -> str:
    """A count: `NhanSu: Trạng thái ∈ {Đang công tác}; …`."""
    return f"{_SHEETS[sheet].name}: {where_text(sheet, where, year, lang)}"


def figure_text(measure: FigureMeasure, weight: float, year: int, lang: Lang) -> str:
    """A figure: `SoLieu: Số nhóm trẻ mầm non × 2,5`, with its default and year rule."""
    code = metric_code(measure.figure) or measure.figure
    text = f"{FIGURES.name}: {METRIC.label(code, lang)}"
    if weight != 1:
        text += f" × {_number(weight, lang)}"
    extras = []
    if measure.default is not None:
        extras.append(_word("default", lang, value=_number(measure.default, lang)))
    if not measure.earlier_years:
        extras.append(_word("year_only", lang, year=year))
    return text + (f" ({'; '.join(extras)})" if extras else "")


def unit_norm_conditions(spec: UnitNorm, year: int) -> Conditions:
    """The units counted, and those meeting their norm."""

    def units(lang: Lang) -> str:
        norm = column_label(UNITS.key, spec.norm, lang)
        parts = [_word("units", lang, sheet=UNITS.name)]
        if spec.where:
            parts[0] += f": {where_text(UNITS.key, spec.where, year, lang)}"
        parts.append(_word("has_norm", lang, norm=norm))
        people = where_text(WORKFORCE.key, spec.people, year, lang)
        parts.append(_word("people", lang, where=people, sheet=WORKFORCE.name))
        return "; ".join(parts)

    def meeting(lang: Lang) -> str:
        qualifying = where_text(WORKFORCE.key, spec.qualifying, year, lang)
        norm = column_label(UNITS.key, spec.norm, lang)
        return f"{units(lang)}; {_word('meets', lang, qualifying=qualifying, norm=norm)}"

    return Conditions(numerator=bilingual(meeting), denominator=bilingual(units))


def milestone_conditions(name: Bilingual, milestone: str) -> Conditions:
    done = bilingual(lambda lang: MILESTONE_STATE.label("done", lang))

    def text(lang: Lang) -> str:
        shown = f"{name.get(lang)} ({milestone})"
        return _word("milestone", lang, sheet=MILESTONES.name, name=shown, state=done.get(lang))

    return Conditions(numerator=bilingual(text), denominator=None)


# ---------------------------------------------------------------------------------------
# Renderers

LABELS: dict[str, dict[Lang, str]] = {
    "title": {"vi": "Giải trình chỉ tiêu {id}", "en": "Explaining indicator {id}"},
    "clause": {"vi": "mục {clause}", "en": "clause {clause}"},
    "as_of": {
        "vi": "Ngày số liệu {as_of} (năm báo cáo {year}); nguồn: {files}.",
        "en": "Data as of {as_of} (report year {year}); sources: {files}.",
    },
    "value": {
        "vi": "Giá trị: {value} · Mục tiêu: {target} · Đánh giá: {status}",
        "en": "Value: {value} · Target: {target} · Status: {status}",
    },
    "amounts": {
        "vi": "Tử số: {numerator} · Mẫu số: {denominator}",
        "en": "Numerator: {numerator} · Denominator: {denominator}",
    },
    "numerator": {"vi": "Tử số", "en": "Numerator"},
    "condition": {"vi": "Điều kiện", "en": "Condition"},
    "denominator": {"vi": "Mẫu số", "en": "Denominator"},
    "note": {"vi": "Ghi chú: {note}", "en": "Note: {note}"},
    "override": {
        "vi": "Tính từ số liệu của trang SoLieu (bảng dưới) thay cho việc đếm các dòng NhanSu.",
        "en": "Computed from the SoLieu figures below instead of counting NhanSu rows.",
    },
    "counted": {
        "vi": "Số dòng được đếm: {numerator} ở tử số, {denominator} ở mẫu số.",
        "en": "Rows counted: {numerator} in the numerator, {denominator} in the denominator.",
    },
    "rows": {"vi": "Các dòng được đếm", "en": "Rows counted"},
    "no_rows": {"vi": "Không có dòng nào được đếm.", "en": "No row is counted."},
    "more": {
        "vi": "… và {count} dòng nữa: xem đủ với --format csv.",
        "en": "… and {count} more rows: see them all with --format csv.",
    },
    "figures": {"vi": "Số liệu SoLieu được dùng", "en": "SoLieu figures used"},
    "units": {"vi": "Các đơn vị so với định mức", "en": "Units against their norm"},
    "milestone": {
        "vi": "Trạng thái đọc ở {place}: {state}.",
        "en": "State read at {place}: {state}.",
    },
    "col.file": {"vi": "Tệp", "en": "File"},
    "col.sheet": {"vi": "Trang", "en": "Sheet"},
    "col.row": {"vi": "Dòng", "en": "Row"},
    "col.id": {"vi": "Mã", "en": "ID"},
    "col.specialty": {"vi": "Chuyên khoa", "en": "Specialty"},
    "col.unit": {"vi": "Đơn vị", "en": "Unit"},
    "col.counted_in": {"vi": "Tính vào", "en": "Counted in"},
    "col.metric": {"vi": "Chỉ tiêu", "en": "Metric"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.area": {"vi": "Địa bàn", "en": "Area"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.weight": {"vi": "Hệ số", "en": "Weight"},
    "col.where": {"vi": "Vị trí", "en": "Where"},
    "col.people": {"vi": "Số người", "en": "People"},
    "col.qualifying": {"vi": "Đạt yêu cầu", "en": "Qualifying"},
    "col.share": {"vi": "Tỷ lệ %", "en": "Share %"},
    "col.norm": {"vi": "Định mức %", "en": "Norm %"},
    "col.meets": {"vi": "Đạt định mức", "en": "Meets"},
    "counted_in.numerator+denominator": {"vi": "tử số + mẫu số", "en": "numerator + denominator"},
    "counted_in.numerator": {"vi": "tử số", "en": "numerator"},
    "counted_in.denominator": {"vi": "mẫu số", "en": "denominator"},
    "province": {"vi": "toàn tỉnh", "en": "whole province"},
    "earlier": {"vi": "{year} (năm trước)", "en": "{year} (earlier year)"},
    "absent": {"vi": "không có: dùng mặc định", "en": "absent: default used"},
    "yes": {"vi": "có", "en": "yes"},
    "no": {"vi": "không", "en": "no"},
    "row": {"vi": "dòng {row}", "en": "row {row}"},
}


def label(key: str, lang: Lang, **params: object) -> str:
    template = LABELS[key][lang]
    return template.format(**params) if params else template


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
        where = sheet if row is None else f"{sheet}, {label('row', lang, row=row)}"
    return f"{file} › {where}" if file and len(expl.sources) > 1 else where


def _header(expl: Explanation, lang: Lang) -> list[RenderableType]:
    result = expl.result
    measurement = result.measurement
    title = Text(label("title", lang, id=result.id), style="bold")
    clause = label("clause", lang, clause=result.clause)
    title.append(printable(f" · {result.name(lang)} ({clause})"))
    lines: list[RenderableType] = [title]
    files = ", ".join(printable(source.path) for source in expl.sources) or "—"
    as_of = expl.as_of.strftime("%d/%m/%Y")
    lines.append(Text(label("as_of", lang, as_of=as_of, year=expl.report_year, files=files)))
    status = report_label(f"status.{measurement.status.value}", lang)
    value = format_value(result, measurement.value, lang)
    target = format_target(result, lang)
    lines.append(Text(label("value", lang, value=value, target=target, status=status)))
    if expl.kind != "milestone":
        amounts = label(
            "amounts",
            lang,
            numerator=_optional_number(measurement.numerator, lang),
            denominator=_optional_number(measurement.denominator, lang),
        )
        lines.append(Text(amounts))
    for side in ("numerator", "denominator"):
        condition = getattr(expl.conditions, side)
        if condition is not None:
            name = label("condition" if expl.kind == "milestone" else side, lang)
            line = Text(f"{name} = ", style="bold")
            line.append(condition.get(lang))
            lines.append(line)
    if expl.note is not None:
        lines.append(Text(label("note", lang, note=note_message(expl.note, lang)), style="italic"))
    if expl.override:
        lines.append(Text(label("override", lang), style="italic"))
    return lines


def _rows_table(expl: Explanation, lang: Lang) -> list[RenderableType]:
    rows = expl.rows
    if rows.empty:
        return [] if expl.kind == "milestone" or expl.override else [Text(label("no_rows", lang))]
    several_files = len(expl.sources) > 1
    has_ids = bool(rows["id"].notna().any())
    has_units = bool(rows["unit"].notna().any())
    table = Table(title=label("rows", lang), title_justify="left", pad_edge=False)
    if several_files:
        table.add_column(label("col.file", lang), overflow="fold")
    table.add_column(label("col.sheet", lang), no_wrap=True)
    table.add_column(label("col.row", lang), justify="right", no_wrap=True)
    if has_ids:
        specialty = expl.sheets == (SPECIALIST_TEAMS.key,)
        table.add_column(label("col.specialty" if specialty else "col.id", lang), no_wrap=True)
    if has_units:
        table.add_column(label("col.unit", lang), overflow="fold", ratio=1)
    table.add_column(label("col.counted_in", lang), no_wrap=True)
    for record in _records(rows.head(TABLE_ROWS), ROW_COLUMNS):
        cells = [str(record["file"])] if several_files else []
        cells += [str(record["sheet"]), str(record["row"])]
        if has_ids:
            cells.append(_text(record["id"]))
        if has_units:
            cells.append(_text(record["unit"]))
        cells.append(label(f"counted_in.{record['counted_in']}", lang))
        table.add_row(*_text_cells(*cells))
    counted = label(
        "counted",
        lang,
        numerator=format_number(expl.counted("numerator"), 0, lang),
        denominator=format_number(expl.counted("denominator"), 0, lang),
    )
    shown: list[RenderableType] = [Text(counted), table]
    if len(rows) > TABLE_ROWS:
        more = format_number(len(rows) - TABLE_ROWS, 0, lang)
        shown.append(Text(label("more", lang, count=more), style="italic"))
    return shown


def _text_cells(*cells: str) -> list[Text]:
    """Cells as plain text: a unit named `[b]` is not rich markup, nor `\x1b[2J` a command."""
    return [Text(printable(cell)) for cell in cells]


def _optional_number(value: float | None, lang: Lang) -> str:
    return "—" if value is None else _number(value, lang)


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _figures_table(expl: Explanation, lang: Lang) -> list[RenderableType]:
    if not expl.figures:
        return []
    table = Table(title=label("figures", lang), title_justify="left", pad_edge=False)
    table.add_column(label("col.counted_in", lang), no_wrap=True)
    table.add_column(label("col.metric", lang), overflow="fold", ratio=1)
    table.add_column(label("col.year", lang), no_wrap=True)
    table.add_column(label("col.area", lang), overflow="fold")
    table.add_column(label("col.value", lang), justify="right", no_wrap=True)
    table.add_column(label("col.weight", lang), justify="right", no_wrap=True)
    table.add_column(label("col.where", lang), overflow="fold")
    for figure in expl.figures:
        if figure.year is None:
            year = "—"
        elif figure.year < expl.report_year:
            year = label("earlier", lang, year=figure.year)
        else:
            year = str(figure.year)
        table.add_row(
            *_text_cells(
                label(f"counted_in.{figure.counted_in}", lang),
                METRIC.label(figure.metric, lang),
                year,
                figure.area or label("province", lang),
                _number(figure.value, lang),
                _number(figure.weight, lang),
                label("absent", lang)
                if figure.default
                else _place(expl, lang, figure.file, figure.sheet, figure.row, figure.cell),
            )
        )
    return [table]


def _units_table(expl: Explanation, lang: Lang) -> list[RenderableType]:
    units = expl.units
    if units is None or units.empty:
        return []
    table = Table(title=label("units", lang), title_justify="left", pad_edge=False)
    table.add_column(label("col.unit", lang), overflow="fold", ratio=1)
    for key in ("people", "qualifying", "share", "norm"):
        table.add_column(label(f"col.{key}", lang), justify="right", no_wrap=True)
    table.add_column(label("col.meets", lang), no_wrap=True)
    table.add_column(label("col.where", lang), overflow="fold")
    for record in _records(units.head(TABLE_ROWS), UNIT_COLUMNS):
        table.add_row(
            *_text_cells(
                str(record["unit"]),
                format_number(record["people"], 0, lang),
                format_number(record["qualifying"], 0, lang),
                format_number(record["share"], 1, lang),
                _number(record["norm"], lang),
                label("yes" if record["meets"] else "no", lang),
                _place(expl, lang, record["file"], record["sheet"], record["row"]),
            )
        )
    shown: list[RenderableType] = [table]
    if len(units) > TABLE_ROWS:
        more = format_number(len(units) - TABLE_ROWS, 0, lang)
        shown.append(Text(label("more", lang, count=more), style="italic"))
    return shown


def _milestone_line(expl: Explanation, lang: Lang) -> list[RenderableType]:
    milestone = expl.milestone
    if milestone is None:
        return []
    place = _place(expl, lang, milestone.file, milestone.sheet, milestone.row)
    state = MILESTONE_STATE.label(milestone.state, lang)
    return [Text(label("milestone", lang, place=printable(place), state=state))]


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
        lines += [{"kind": "row", **row} for row in _records(expl.rows, ROW_COLUMNS)]
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
    return buffer.getvalue()


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
        side: None if text is None else text.get(lang)
        for side, text in (
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
        "rows": _records(expl.rows, ROW_COLUMNS),
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


def explanation_json(expl: Explanation, lang: Lang) -> str:
    """Deterministic JSON (sorted keys, UTF-8 text): the header every JSON output has, the
    indicator as `kpi compute` gives it, the conditions, the rows, figures, units and
    milestone row."""
    return dumps(explanation_dict(expl, lang))


__all__ = [
    "COUNTED_IN",
    "ROW_COLUMNS",
    "TABLE_ROWS",
    "UNIT_COLUMNS",
    "Bilingual",
    "Conditions",
    "CountedIn",
    "Explanation",
    "FigureUsed",
    "MilestoneRow",
    "Side",
    "counted_rows",
    "explanation_csv",
    "explanation_dict",
    "explanation_json",
    "explanation_table",
]
