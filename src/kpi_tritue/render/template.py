"""The blank input workbook (`kpi template`), built from the input contract in `schema.py`.

Every contract sheet with its canonical headers in row 1, drop-down lists for the list and
yes/no columns, number and date formats, a comment on each header, the `ThongTin` items
ready for their values, and an instructions sheet whose text comes from `contract_doc.py`.
The column list is never copied by hand: a column added to the contract appears here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue import __version__
from kpi_tritue.catalog.reading import load_catalog
from kpi_tritue.contract.schema import CONTRACT, INFO, WORKFORCE, ColumnSpec, SheetSpec
from kpi_tritue.contract.schema import ValueType as T
from kpi_tritue.contract.values import FALSE_SPELLINGS, MIN_YEAR, TRUE_SPELLINGS
from kpi_tritue.errors import OutputError
from kpi_tritue.i18n import Lang, text
from kpi_tritue.render.contract_doc import required_text, sheet_required, type_text
from kpi_tritue.render.outputs import check_output
from kpi_tritue.render.terminal import TOOL
from kpi_tritue.render.xlsx_cells import (
    DATE_FORMAT,
    HEADER_FILL,
    LINE_HEIGHT,
    fit_row,
    print_setup,
    put,
    save_workbook,
)

DEFAULT_NAME = "mau_bao_cao_kpi.xlsx"
LISTS_SHEET = "DanhMuc"
AUTHOR = TOOL  # header comments carry the tool's name, never a person's
LAST_ROW = 1_048_576
MAX_YEAR = 2100
REQUIRED_FILL = "F8CBAD"
OPTIONAL_FILL = "DDEBF7"
TRUE_MARK = "x"

# The bullets of "How to fill it in", in order.
_HOW = tuple(f"template.how.{n}" for n in range(1, 8))

_NUMBER_FORMATS: dict[T, str] = {
    T.TEXT: "@",
    T.BOOL: "@",
    T.DATE: DATE_FORMAT,
    T.YEAR: "0",
    T.INT: "0",
    T.NUMBER: "General",
    T.ENUM: "@",
}
_BASE_WIDTHS: dict[T, float] = {
    T.TEXT: 18.0,
    T.BOOL: 12.0,
    T.DATE: 13.0,
    T.YEAR: 11.0,
    T.INT: 11.0,
    T.NUMBER: 14.0,
    T.ENUM: 16.0,
}
_WIDE_TEXT = {"unit": 36.0, "full_name": 26.0, "profession": 26.0, "milestone": 50.0, "note": 40.0}


def _words(words: Sequence[str]) -> str:
    return ", ".join(words)


def _number(value: float) -> str:
    return f"{value:g}"


class _Lists:
    """The hidden sheet that holds the drop-down lists (some labels contain commas)."""

    def __init__(self, workbook: Workbook) -> None:
        self.sheet = workbook.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.ranges: dict[str, str] = {}

    def range(self, name: str, values: Sequence[str]) -> str:
        if name not in self.ranges:
            column = len(self.ranges) + 1
            put(self.sheet, 1, column, name, bold=True)
            for row, value in enumerate(values, start=2):
                put(self.sheet, row, column, value)
            letter = get_column_letter(column)
            self.sheet.column_dimensions[letter].width = max(len(v) for v in values) + 2
            self.ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
        return self.ranges[name]


def _accepted(column: ColumnSpec, lang: Lang, milestones: Sequence[str]) -> str:
    """The accepted values of a column, as plain text."""
    match column.type:
        case T.ENUM:
            assert column.enum is not None
            values = []
            for value in column.enum.values:
                shown = value.vi if lang == "vi" else f"{value.vi} = {value.en}"
                if value.synonyms:
                    shown += f" ({text('template.also', lang, names=_words(value.synonyms))})"
                values.append(shown)
            return "; ".join(values)
        case T.BOOL:
            return text(
                "template.bool", lang, true=_words(TRUE_SPELLINGS), false=_words(FALSE_SPELLINGS)
            )
        case T.DATE:
            return text("template.date", lang)
        case T.YEAR:
            return text("template.year", lang, low=MIN_YEAR)
        case T.INT | T.NUMBER:
            low = _number(column.minimum if column.minimum is not None else 0)
            if column.maximum is not None:
                return text("template.range", lang, low=low, high=_number(column.maximum))
            return text(
                "template.whole" if column.type is T.INT else "template.minimum", lang, low=low
            )
        case T.TEXT:
            if column.key == "milestone":
                return text("template.milestones", lang, names="; ".join(milestones))
            return ""


def _notes(column: ColumnSpec, lang: Lang) -> str:
    notes = []
    if column.aliases:
        notes.append(text("template.aliases", lang, names=_words(column.aliases)))
    note = column.note_vi if lang == "vi" else column.note_en
    if note:
        notes.append(note)
    return "; ".join(notes)


def _comment(sheet: SheetSpec, column: ColumnSpec, lang: Lang, milestones: Sequence[str]) -> str:
    parts = [f"{column.header} ({column.en})" if lang == "en" else column.header]
    kind = type_text(column.type, lang)
    required = required_text(sheet, column, lang)
    parts.append(f"{text('template.col.type', lang)}: {kind}")
    if required:
        parts.append(f"{text('template.col.required', lang)}: {required}")
    if sheet.key == INFO.key and column.key == "value":
        parts.append(text("template.info.values", lang))
    else:
        accepted = _accepted(column, lang, milestones)
        if accepted:
            parts.append(accepted)
    notes = _notes(column, lang)
    if notes:
        parts.append(notes)
    return "\n".join(parts)


def _validation(
    column: ColumnSpec, lists: _Lists, lang: Lang, milestones: Sequence[str]
) -> DataValidation | None:
    """The drop-down or number check of a column, or None."""
    title = column.header[:32]
    if column.type is T.ENUM:
        assert column.enum is not None
        labels = [value.vi for value in column.enum.values]
        return DataValidation(
            type="list",
            formula1=lists.range(column.enum.name, labels),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error=text("template.error.list", lang, values=_words(labels))[:255],
            showInputMessage=True,
            promptTitle=title,
            prompt=text("template.prompt.list", lang),
        )
    if column.type is T.BOOL:
        return DataValidation(
            type="list",
            formula1=f'"{TRUE_MARK}"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error=text("template.error.bool", lang),
        )
    if column.key == "milestone" and milestones:
        return DataValidation(
            type="list",
            formula1=lists.range("milestone", milestones),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error=text("template.milestones", lang, names="; ".join(milestones))[:255],
        )
    if column.type in (T.YEAR, T.INT, T.NUMBER):
        low: float = column.minimum if column.minimum is not None else 0
        high: float | None = column.maximum
        if column.type is T.YEAR:
            low, high = MIN_YEAR, MAX_YEAR
        what = _accepted(column, lang, milestones)
        return DataValidation(
            type="decimal" if column.type is T.NUMBER else "whole",
            operator="between" if high is not None else "greaterThanOrEqual",
            formula1=_number(low),
            formula2=None if high is None else _number(high),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=title,
            error=text("template.error.number", lang, what=what),
        )
    return None


def _data_sheet(
    workbook: Workbook,
    spec: SheetSpec,
    lists: _Lists,
    lang: Lang,
    milestones: Sequence[str],
) -> None:
    sheet = workbook.create_sheet(spec.name)
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        needed = column.required or any(column.key in group for group in spec.one_of)
        cell = put(
            sheet,
            1,
            index,
            column.header,
            bold=True,
            fill=REQUIRED_FILL if needed else OPTIONAL_FILL,
            wrap=True,
            horizontal="center",
            border=True,
        )
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        note = _comment(spec, column, lang, milestones)
        lines = sum(1 + len(line) // 40 for line in note.split("\n"))
        cell.comment = Comment(note, AUTHOR, height=min(20 * lines + 20, 400), width=320)
        width = _WIDE_TEXT.get(column.key, _BASE_WIDTHS[column.type])
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(width, min(len(column.header) * 0.55 + 4, 24.0))
        dimension.number_format = _NUMBER_FORMATS[column.type]
        validation = _validation(column, lists, lang, milestones)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = LINE_HEIGHT * 3 + 6
    sheet.freeze_panes = "B2" if spec.key == WORKFORCE.key else "A2"
    if spec.key == INFO.key:
        _info_rows(sheet, spec)
    print_setup(
        sheet,
        title_rows="1:1",
        last_column=len(spec.columns),
        last_row=2 if spec.key != INFO.key else 4,
        footer=spec.name,
        lang=lang,
    )


def _info_rows(sheet: Worksheet, spec: SheetSpec) -> None:
    """The three items, each value cell formatted for what it holds."""
    item = spec.column("item")
    assert item.enum is not None
    formats = {"report_year": "0", "as_of": DATE_FORMAT, "reporting_unit": "@"}
    for row, value in enumerate(item.enum.values, start=2):
        put(sheet, row, 1, value.vi, border=True)
        put(sheet, row, 2, None, number_format=formats.get(value.code, "@"), border=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 36
    year = DataValidation(
        type="whole",
        operator="between",
        formula1=str(MIN_YEAR),
        formula2=str(MAX_YEAR),
        allow_blank=True,
        showErrorMessage=True,
    )
    for row, value in enumerate(item.enum.values, start=2):
        if value.code == "report_year":
            year.add(f"B{row}")
    sheet.add_data_validation(year)


def _intro_rules(lang: Lang) -> list[str]:
    """The general rules of docs/input-format.md: its bullets, as plain sentences."""
    intro = text("contract.intro", lang, true=_words(TRUE_SPELLINGS), false=_words(FALSE_SPELLINGS))
    rules: list[str] = []
    for line in intro.splitlines():
        if line.startswith("- "):
            rules.append(line[2:].strip())
        elif line.startswith("  ") and rules:
            rules[-1] += " " + line.strip()
    return [rule.replace("`", "") for rule in rules]


_INSTRUCTION_WIDTHS = (30.0, 12.0, 14.0, 62.0, 44.0)


def _instructions(
    sheet: Worksheet, lang: Lang, milestones: Sequence[str], sheets: Sequence[SheetSpec]
) -> None:
    sheet.title = text("template.sheet.instructions", lang)
    for index, width in enumerate(_INSTRUCTION_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    text_width = sum(_INSTRUCTION_WIDTHS)
    put(sheet, 1, 1, text("template.title", lang), bold=True, size=14, colour=HEADER_FILL)
    put(
        sheet,
        2,
        1,
        text("template.subtitle", lang, tool=TOOL, version=__version__),
        italic=True,
        colour="595959",
    )
    row = 4
    for heading, bullets in (
        ("how", tuple(text(key, lang) for key in _HOW)),
        ("rules", tuple(_intro_rules(lang))),
    ):
        put(
            sheet, row, 1, text(f"template.{heading}", lang), bold=True, size=12, colour=HEADER_FILL
        )
        row += 1
        for bullet in bullets:
            put(sheet, row, 1, f"• {bullet}", wrap=True)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
            fit_row(sheet, row, [(bullet, text_width)])
            row += 1
        row += 1
    put(sheet, row, 1, text("template.columns", lang), bold=True, size=12, colour=HEADER_FILL)
    row += 1
    headers = ("col.column", "col.type", "col.required", "col.values", "col.notes")
    for spec in sheets:
        required = sheet_required(spec.key == WORKFORCE.key, lang)
        line = text(
            "template.sheet.line",
            lang,
            name=spec.name,
            en=spec.en,
            required=required,
            aliases=_words((*spec.aliases, spec.key)),
        )
        row += 1
        put(sheet, row, 1, line, bold=True, wrap=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        fit_row(sheet, row, [(line, text_width)])
        row += 1
        for index, key in enumerate(headers, start=1):
            put(
                sheet,
                row,
                index,
                text(f"template.{key}", lang),
                bold=True,
                colour="FFFFFF",
                fill=HEADER_FILL,
                border=True,
            )
        for column in spec.columns:
            row += 1
            name = column.header if lang == "vi" else f"{column.header} ({column.en})"
            if spec.key == INFO.key and column.key == "value":
                accepted = text("template.info.values", lang)
            else:
                accepted = _accepted(column, lang, milestones)
            notes = _notes(column, lang)
            needed = column.required or any(column.key in group for group in spec.one_of)
            put(
                sheet,
                row,
                1,
                name,
                bold=needed,
                fill=REQUIRED_FILL if needed else None,
                wrap=True,
                border=True,
            )
            put(sheet, row, 2, type_text(column.type, lang), border=True)
            put(sheet, row, 3, required_text(spec, column, lang), border=True)
            put(sheet, row, 4, accepted, wrap=True, border=True)
            put(sheet, row, 5, notes, wrap=True, border=True)
            fit_row(
                sheet,
                row,
                [
                    (name, _INSTRUCTION_WIDTHS[0]),
                    (accepted, _INSTRUCTION_WIDTHS[3]),
                    (notes, _INSTRUCTION_WIDTHS[4]),
                ],
            )
        row += 1
    print_setup(
        sheet,
        title_rows=None,
        last_column=5,
        last_row=row,
        footer=text("template.title", lang),
        lang=lang,
    )
    sheet.page_setup.orientation = "portrait"


def build_template(lang: Lang) -> Workbook:
    """The blank input workbook, not yet saved."""
    catalog = load_catalog()
    milestones = [m.name_vi for m in catalog.milestones]
    workbook = Workbook()
    instructions = workbook.active
    assert instructions is not None
    lists = _Lists(workbook)
    for spec in CONTRACT.sheets:
        _data_sheet(workbook, spec, lists, lang, milestones)
    _instructions(instructions, lang, milestones, CONTRACT.sheets)
    # The lists last, out of the way; the instructions first and open.
    workbook.move_sheet(lists.sheet, offset=len(workbook.sheetnames) - 1)
    workbook.active = 0
    properties = workbook.properties
    properties.title = text("template.title", lang)
    properties.creator = f"{TOOL} {__version__}"
    properties.lastModifiedBy = None
    properties.language = lang
    return workbook


def write_template(path: Path, lang: Lang, *, force: bool = False) -> None:
    """Write the blank input workbook to `path`, atomically; an existing file only if `force`.

    Raises `OutputError` when the file exists (without `force`) or cannot be written.
    """
    check_output(path, (), lang)
    if path.exists() and not force:
        raise OutputError(text("output.exists", lang, path=str(path)))
    save_workbook(build_template(lang), path, lang)
