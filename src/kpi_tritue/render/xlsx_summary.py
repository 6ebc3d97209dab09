"""The gap report's first sheet: one row per indicator, grouped by field as in the
terminal table, under the summary lines of the run; the indicator id last, unprinted."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import format_number
from kpi_tritue.model.results import IndicatorResult, Measurement
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.report import (
    FIELD_ORDER,
    ReportContext,
    context_lines,
    field_label,
    format_target,
    summary_line,
)
from kpi_tritue.render.terminal import as_of_line
from kpi_tritue.render.xlsx_cells import HEADER_FILL, fit_row, header_row, print_setup, put, widths
from kpi_tritue.render.xlsx_formats import (
    COUNT_FORMAT,
    GAP_FORMATS,
    cell_number,
    marked_value_format,
    status_cell,
)

FIELD_FILL = "D9E1F2"


def _fields(results: Sequence[IndicatorResult]) -> list[str]:
    present = list(dict.fromkeys(r.field for r in results))
    return sorted(present, key=lambda f: FIELD_ORDER.index(f) if f in FIELD_ORDER else 99)


def _title_lines(
    results: Sequence[IndicatorResult], context: ReportContext, lang: Lang
) -> list[str]:
    sources = context.dataset.sources
    lines = [
        summary_line(context.tally, lang),
        as_of_line(context.dataset, lang),
        # The file's name: the report is forwarded, the analyst's folders are not its news.
        text("report.sources", lang, files=", ".join(PurePath(s.path).name for s in sources))
        if len(sources) <= 3
        else text(
            "xlsx.sources.many", lang, count=len(sources), sheet=text("xlsx.sheet.info", lang)
        ),
    ]
    lines += context_lines(context, lang)
    if context.by:
        lines.append(text("report.by", lang, by=text(f"report.by.{context.by}", lang)).capitalize())
    if context.skipped_rows:
        lines.append(text("report.skipped", lang, count=context.skipped_rows))
    return lines


_SUMMARY_WIDTHS = (7.0, 60.0, 11.0, 14.0, 15.0, 11.0, 10.0, 13.0, 44.0, 30.0)
_NOTE_WIDTH_EMPTY = 12.0  # a note column with nothing in it leaves the page to the rest
_SUMMARY_PRINTED = 9  # the indicator id (last column) is for screens and scripts
_NOTE_COLUMN = 9


def summary_sheet(
    sheet: Worksheet, results: Sequence[IndicatorResult], context: ReportContext, lang: Lang
) -> None:
    title = text("report.title", lang, year=context.catalog_target_year)
    sheet.title = text("xlsx.sheet.summary", lang)
    put(sheet, 1, 1, title, bold=True, size=14, colour=HEADER_FILL)
    sheet.row_dimensions[1].height = 22
    row = 2
    for line in _title_lines(results, context, lang):
        put(sheet, row, 1, line, colour="404040")
        row += 1
    header = row + 1
    headers = [
        text("report.col.clause", lang),
        text("report.col.indicator", lang),
        text("report.col.value", lang),
        text("xlsx.col.ci95", lang),
        text("report.col.target", lang),
        text("report.col.gap", lang),
        text("report.col.shortfall", lang),
        text("report.col.status", lang),
        text("xlsx.col.note", lang),
        text("xlsx.col.id", lang),
    ]
    header_row(sheet, header, headers)
    fit_row(sheet, header, zip(headers, _SUMMARY_WIDTHS, strict=True))
    widths(sheet, _SUMMARY_WIDTHS)
    if all(r.measurement.note is None for r in results):
        sheet.column_dimensions[get_column_letter(_NOTE_COLUMN)].width = _NOTE_WIDTH_EMPTY
    row = header + 1
    for field_name in _fields(results):
        for column in range(1, _SUMMARY_PRINTED + 1):
            put(sheet, row, column, None, fill=FIELD_FILL, border=True)
        put(sheet, row, 2, field_label(field_name, lang), bold=True, fill=FIELD_FILL, border=True)
        row += 1
        for result in (r for r in results if r.field == field_name):
            _summary_row(sheet, row, result, context, lang)
            row += 1
    last_row = row - 1
    if any(r.measurement.small for r in results):
        last_row = row + 1
        put(sheet, last_row, 2, text("report.small", lang), italic=True, colour="404040")
    sheet.freeze_panes = sheet.cell(row=header + 1, column=3)
    print_setup(
        sheet,
        title_rows=f"{header}:{header}",
        last_column=_SUMMARY_PRINTED,
        last_row=last_row,
        footer=title,
        lang=lang,
    )


def _summary_row(
    sheet: Worksheet, row: int, result: IndicatorResult, context: ReportContext, lang: Lang
) -> None:
    measurement = result.measurement
    name = result.name(lang)
    note = note_message(measurement.note, lang) if measurement.note is not None else ""
    target = format_target(result, lang, context.catalog_target_year)
    put(sheet, row, 1, result.clause, colour="595959", border=True)
    put(sheet, row, 2, name, wrap=True, border=True)
    put(
        sheet,
        row,
        3,
        cell_number(measurement.value),
        number_format=marked_value_format(result, measurement, lang),
        border=True,
        horizontal="right",
    )
    put(
        sheet,
        row,
        4,
        _interval_text(measurement, lang),
        border=True,
        horizontal="center",
    )
    put(sheet, row, 5, target, border=True, horizontal="right")
    put(
        sheet,
        row,
        6,
        cell_number(measurement.gap),
        number_format=GAP_FORMATS[result.unit],
        border=True,
    )
    put(sheet, row, 7, measurement.shortfall, number_format=COUNT_FORMAT, border=True)
    status_cell(sheet, row, 8, measurement.status, lang)
    put(sheet, row, _NOTE_COLUMN, note, wrap=True, colour="404040", border=True)
    put(sheet, row, 10, result.id, colour="808080")
    fit_row(
        sheet,
        row,
        [(name, _SUMMARY_WIDTHS[1]), (note, _SUMMARY_WIDTHS[_NOTE_COLUMN - 1])],
    )


def _interval_text(measurement: Measurement, lang: Lang) -> str | None:
    """`8,2–25,4` (percent): the 95 % Wilson interval of a share of people, else blank."""
    interval = measurement.ci95
    if interval is None:
        return None
    low, high = (format_number(bound, 1, lang) for bound in interval)
    return f"{low}–{high}"
