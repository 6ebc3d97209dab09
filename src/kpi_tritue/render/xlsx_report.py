"""The gap report as an Excel workbook (`kpi export`, `kpi compute --xlsx`), with openpyxl.

Sheets: the summary (one row per indicator, grouped by field as in the terminal table),
a bar chart of value against target for the percentage indicators, the breakdown (`--by`:
groups as rows, indicators as columns), the data issues and the information on the run.

Numbers are real numbers with number formats. A percentage is stored in percent units,
as in the JSON output (81.8 for 81.8 %), and shown with the format `0.0" %"`; gaps of
percentages are percentage points (`0.0`); a milestone is 1 (done) or 0, shown as its word
by the format.

Every text cell is written as a string, never as a formula, whatever it starts with (`=`,
`+`, `-`, `@`): unit names, messages, file names and catalog names come from the user. The
workbook goes to a temporary file beside the target and is renamed into place only once
complete, and it is never written over one of the inputs. The results carry no personal
name, and nothing here adds one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue import __version__
from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import format_number
from kpi_tritue.model.issues import Issue, Severity, count_by_severity
from kpi_tritue.model.results import IndicatorResult, Measurement, Status, Unit
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.outputs import check_output as check_output
from kpi_tritue.render.report import (
    FIELD_ORDER,
    SMALL_MARK,
    ReportContext,
    context_lines,
    field_label,
    format_target,
    group_label,
)
from kpi_tritue.render.terminal import TOOL, as_of_line
from kpi_tritue.render.xlsx_cells import (
    HEADER_FILL,
    LINE_HEIGHT,
    fit_row,
    header_row,
    put,
    save_workbook,
    text_lines,
    widths,
)
from kpi_tritue.render.xlsx_trend import trend_sheet

PAPER_A4 = "9"

STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    # (fill, font): the green/red/amber of Excel's own Good/Bad/Neutral styles.
    Status.MET: ("C6EFCE", "006100"),
    Status.NOT_MET: ("FFC7CE", "9C0006"),
    Status.ABOVE_RANGE: ("FFEB9C", "9C5700"),
    Status.NO_DATA: ("E7E6E6", "595959"),
    Status.TRACKED: ("DDEBF7", "1F4E78"),
}
SEVERITY_COLOURS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: STATUS_COLOURS[Status.NOT_MET],
    Severity.WARNING: STATUS_COLOURS[Status.ABOVE_RANGE],
    Severity.INFO: STATUS_COLOURS[Status.NO_DATA],
}
FIELD_FILL = "D9E1F2"

_VALUE_FORMATS: dict[Unit, str] = {
    "per_10k": "0.00",
    "percent": '0.0" %"',
    "count": "#,##0",
    "milestone": "0",  # replaced by the words of `_milestone_format`
}
_GAP_FORMATS: dict[Unit, str] = {
    "per_10k": "0.00;-0.00;0",
    "percent": "0.0;-0.0;0",
    "count": "#,##0",
    "milestone": "0",
}
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"


def xlsx_label(key: str, lang: Lang, **params: object) -> str:
    """`text("xlsx." + key)`: kept only for `cli.py` (`kpi template`), whose helper moves it
    to `text`; remove it then."""
    return text(f"xlsx.{key}", lang, **params)


def _print_setup(
    sheet: Worksheet,
    *,
    title_rows: str | None,
    last_column: int,
    last_row: int,
    fit_width: bool = True,
    title_columns: str | None = None,
    footer: str = "",
    lang: Lang = "vi",
) -> None:
    """A4 landscape, fitted to the page width, the header repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = PAPER_A4
    if fit_width:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    if title_rows:
        sheet.print_title_rows = title_rows
    if title_columns:
        sheet.print_title_cols = title_columns
    sheet.print_area = f"A1:{get_column_letter(last_column)}{max(last_row, 1)}"
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.left.text = footer.replace("&", "&&")
    sheet.oddFooter.left.size = 8
    sheet.oddFooter.right.text = text("xlsx.footer.page", lang)
    sheet.oddFooter.right.size = 8


def _status_cell(
    sheet: Worksheet, row: int, column: int, status: Status, lang: Lang, border: bool = True
) -> Cell:
    fill, font = STATUS_COLOURS[status]
    return put(
        sheet,
        row,
        column,
        text(f"report.status.{status.value}", lang),
        bold=True,
        colour=font,
        fill=fill,
        border=border,
        horizontal="center",
    )


def _number(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return float(value)


def _milestone_format(lang: Lang) -> str:
    """1 shows as done, 0 as not done: the value stays a number."""
    done = text("target.done", lang).replace('"', "")
    not_done = text("target.not_done", lang).replace('"', "")
    return f'"{done}";"{not_done}";"{not_done}"'


def value_format(unit: Unit, lang: Lang) -> str:
    return _milestone_format(lang) if unit == "milestone" else _VALUE_FORMATS[unit]


# ---------------------------------------------------------------------------------------
# Sheets


def _fields(results: Sequence[IndicatorResult]) -> list[str]:
    present = list(dict.fromkeys(r.field for r in results))
    return sorted(present, key=lambda f: FIELD_ORDER.index(f) if f in FIELD_ORDER else 99)


def _title_lines(
    results: Sequence[IndicatorResult], context: ReportContext, lang: Lang
) -> list[str]:
    counts = dict.fromkeys(Status, 0)
    for result in results:
        counts[result.measurement.status] += 1
    sources = context.dataset.sources
    lines = [
        text(
            "report.summary",
            lang,
            met=counts[Status.MET],
            total=len(results) - counts[Status.TRACKED],
            not_met=counts[Status.NOT_MET] + counts[Status.ABOVE_RANGE],
            no_data=counts[Status.NO_DATA],
        ),
        as_of_line(context.dataset, lang),
        text("report.sources", lang, files=", ".join(s.path for s in sources))
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


def _summary_sheet(
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
    _print_setup(
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
        _number(measurement.value),
        number_format=_marked_value_format(result, measurement, lang),
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
        _number(measurement.gap),
        number_format=_GAP_FORMATS[result.unit],
        border=True,
    )
    put(sheet, row, 7, measurement.shortfall, number_format=COUNT_FORMAT, border=True)
    _status_cell(sheet, row, 8, measurement.status, lang)
    put(sheet, row, _NOTE_COLUMN, note, wrap=True, colour="404040", border=True)
    put(sheet, row, 10, result.id, colour="808080")
    fit_row(
        sheet,
        row,
        [(name, _SUMMARY_WIDTHS[1]), (note, _SUMMARY_WIDTHS[_NOTE_COLUMN - 1])],
    )


def _marked_value_format(result: IndicatorResult, measurement: Measurement, lang: Lang) -> str:
    """The value's format, with the small-denominator mark shown after the number: the
    cell stays a number that sorts and sums."""
    fmt = value_format(result.unit, lang)
    if not measurement.small:
        return fmt
    return ";".join(f'{part}"{SMALL_MARK}"' for part in fmt.split(";"))


def _interval_text(measurement: Measurement, lang: Lang) -> str | None:
    """`8,2–25,4` (percent): the 95 % Wilson interval of a share of people, else blank."""
    interval = measurement.ci95
    if interval is None:
        return None
    low, high = (format_number(bound, 1, lang) for bound in interval)
    return f"{low}–{high}"


_CHART_WIDTHS = (7.0, 72.0, 12.0, 16.0, 14.0)
_CM_PER_WIDTH = 0.2  # a column width unit (one digit of the default font) in centimetres
_CHART_ROWS = 30  # rows the chart covers before its data table starts


def _chart_sheet(
    workbook: Workbook, results: Sequence[IndicatorResult], context: ReportContext, lang: Lang
) -> None:
    shares = [r for r in results if r.unit == "percent"]
    if not shares:
        return
    sheet = workbook.create_sheet(text("xlsx.sheet.chart", lang))
    title = text("xlsx.chart.title", lang)
    put(sheet, 1, 1, title, bold=True, size=14, colour=HEADER_FILL)
    put(sheet, 2, 1, text("xlsx.chart.note", lang), italic=True, colour="595959")
    widths(sheet, _CHART_WIDTHS)
    header = _CHART_ROWS + 2
    header_row(
        sheet,
        header,
        [
            text("report.col.clause", lang),
            text("report.col.indicator", lang),
            text("xlsx.chart.value", lang),
            text("xlsx.col.target_min", lang),
            text("report.col.status", lang),
        ],
    )
    sheet.row_dimensions[header].height = LINE_HEIGHT * 2 + 3
    for offset, result in enumerate(shares, start=1):
        row = header + offset
        target = result.target
        bound = None if target is None else (target.min if target.op == "between" else target.value)
        put(sheet, row, 1, result.clause, colour="595959", border=True)
        put(sheet, row, 2, result.name(lang), wrap=True, border=True)
        put(sheet, row, 3, _number(result.measurement.value), number_format='0.0" %"', border=True)
        put(sheet, row, 4, _number(bound), number_format='0" %"', border=True)
        _status_cell(sheet, row, 5, result.measurement.status, lang)
        fit_row(sheet, row, [(result.name(lang), _CHART_WIDTHS[1])])
    last = header + len(shares)

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = None
    chart.style = 10
    chart.add_data(
        Reference(sheet, min_col=3, max_col=4, min_row=header, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=2, min_row=header + 1, max_row=last))
    value_series, target_series = chart.series
    value_series.graphicalProperties.solidFill = "2E75B6"
    value_series.graphicalProperties.line.solidFill = "2E75B6"
    target_series.graphicalProperties.solidFill = "A6A6A6"
    target_series.graphicalProperties.line.solidFill = "A6A6A6"
    value_series.dLbls = DataLabelList()
    value_series.dLbls.showVal = True
    value_series.dLbls.numFmt = '0.0" %"'
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(value_series.dLbls, flag, False)
    chart.gapWidth = 60
    # Categories top to bottom in the order of the table; the value axis below them.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    chart.y_axis.scaling.min = 0
    top = max([100.0, *(r.measurement.value or 0.0 for r in shares)])
    chart.y_axis.scaling.max = math.ceil(top / 20) * 20
    chart.y_axis.majorUnit = 20
    chart.y_axis.number_format = '0" %"'
    # openpyxl 3.1 marks axes deleted unless told otherwise: Excel would hide them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.width = sum(_CHART_WIDTHS) * _CM_PER_WIDTH
    chart.height = 14
    sheet.add_chart(chart, "A3")
    # The chart on the first page, its table on the next.
    sheet.row_breaks.append(Break(id=header - 1))
    _print_setup(
        sheet,
        title_rows=None,
        last_column=len(_CHART_WIDTHS),
        last_row=last,
        footer=text("report.title", lang, year=context.catalog_target_year),
        lang=lang,
    )


_BREAKDOWN_VALUE_WIDTH = 11.0
_BREAKDOWN_STATUS_WIDTH = 12.0


def _breakdown_sheet(
    workbook: Workbook, results: Sequence[IndicatorResult], context: ReportContext, lang: Lang
) -> None:
    """Groups as rows; each indicator a pair of columns (value, status), coloured by status."""
    if context.by is None:
        return
    split = [r for r in results if r.breakdown is not None]
    by = text(f"report.by.{context.by}", lang)
    sheet = workbook.create_sheet(text("xlsx.sheet.breakdown", lang, by=by)[:31])
    title = text("xlsx.breakdown.title", lang, by=by)
    put(sheet, 1, 1, title, bold=True, size=14, colour=HEADER_FILL)
    put(sheet, 2, 1, as_of_line(context.dataset, lang), colour="404040")
    groups = list(dict.fromkeys(g.group for r in split for g in r.breakdown or ()))
    shown = [group_label(group, context.by, lang) for group in groups]
    names, subheads, targets, province = 4, 5, 6, 7
    group_width = max([24.0, *(min(len(g) * 1.05 + 2, 48.0) for g in shown)])
    sheet.column_dimensions["A"].width = group_width
    put(
        sheet,
        names,
        1,
        text("report.col.group", lang),
        bold=True,
        colour="FFFFFF",
        fill=HEADER_FILL,
        border=True,
    )
    put(sheet, subheads, 1, by.capitalize(), bold=True, colour="FFFFFF", fill=HEADER_FILL)
    put(sheet, targets, 1, text("xlsx.row.target", lang), italic=True, border=True)
    put(sheet, province, 1, text("xlsx.row.province", lang), bold=True, border=True)
    first_group = province + 1
    for offset, name in enumerate(shown):
        put(sheet, first_group + offset, 1, name, border=True)
    last_row = max(first_group + len(groups) - 1, province)
    name_height = 1
    small = False
    for index, result in enumerate(split):
        value_col = 2 + 2 * index
        status_col = value_col + 1
        value_letter = get_column_letter(value_col)
        status_letter = get_column_letter(status_col)
        sheet.column_dimensions[value_letter].width = _BREAKDOWN_VALUE_WIDTH
        sheet.column_dimensions[status_letter].width = _BREAKDOWN_STATUS_WIDTH
        heading = f"{result.clause} {result.name(lang)}"
        put(
            sheet,
            names,
            value_col,
            heading,
            bold=True,
            colour="FFFFFF",
            fill=HEADER_FILL,
            wrap=True,
            horizontal="center",
            border=True,
        )
        put(sheet, names, status_col, None, fill=HEADER_FILL, border=True)
        sheet.merge_cells(
            start_row=names, start_column=value_col, end_row=names, end_column=status_col
        )
        name_height = max(
            name_height, text_lines(heading, _BREAKDOWN_VALUE_WIDTH + _BREAKDOWN_STATUS_WIDTH)
        )
        for column, key in ((value_col, "col.value"), (status_col, "col.status")):
            put(
                sheet,
                subheads,
                column,
                text(f"report.{key}", lang),
                bold=True,
                colour="FFFFFF",
                fill=HEADER_FILL,
                horizontal="center",
                border=True,
            )
        put(
            sheet,
            targets,
            value_col,
            format_target(result, lang, context.catalog_target_year),
            italic=True,
            horizontal="right",
            border=True,
        )
        put(sheet, targets, status_col, None, border=True)
        fmt = _marked_value_format(result, result.measurement, lang)
        _breakdown_cells(sheet, province, value_col, result.measurement, fmt, lang, bold=True)
        by_group = {g.group: g.measurement for g in result.breakdown or ()}
        for offset, group in enumerate(groups):
            measurement = by_group.get(group)
            row = first_group + offset
            if measurement is None:
                put(sheet, row, value_col, None, border=True)
                put(sheet, row, status_col, None, border=True)
            else:
                fmt = _marked_value_format(result, measurement, lang)
                _breakdown_cells(sheet, row, value_col, measurement, fmt, lang)
                small = small or measurement.small
        # The colour follows the status text, so an edited status recolours its value.
        for status, (fill, font) in STATUS_COLOURS.items():
            word = text(f"report.status.{status.value}", lang).replace('"', '""')
            style = {
                "fill": PatternFill("solid", start_color=fill, end_color=fill),
                "font": Font(color=font),
            }
            cells = f"{status_letter}{province}:{status_letter}{last_row}"
            values = f"{value_letter}{province}:{value_letter}{last_row}"
            sheet.conditional_formatting.add(
                cells, CellIsRule(operator="equal", formula=[f'"{word}"'], **style)
            )
            sheet.conditional_formatting.add(
                values, FormulaRule(formula=[f'${status_letter}{province}="{word}"'], **style)
            )
    if small or any(r.measurement.small for r in split):
        last_row += 2
        put(sheet, last_row, 1, text("report.small", lang), italic=True, colour="404040")
    sheet.row_dimensions[names].height = LINE_HEIGHT * min(name_height, 6) + 3
    sheet.freeze_panes = sheet.cell(row=province + 1, column=2)
    last_column = 1 + 2 * len(split)
    _print_setup(
        sheet,
        title_rows=f"{names}:{subheads}",
        title_columns="A:A",
        last_column=max(last_column, 1),
        last_row=last_row,
        fit_width=False,
        footer=title,
        lang=lang,
    )


def _breakdown_cells(
    sheet: Worksheet,
    row: int,
    value_col: int,
    measurement: Measurement,
    number_format: str,
    lang: Lang,
    *,
    bold: bool = False,
) -> None:
    put(
        sheet,
        row,
        value_col,
        _number(measurement.value),
        number_format=number_format,
        bold=bold,
        border=True,
    )
    put(
        sheet,
        row,
        value_col + 1,
        text(f"report.status.{measurement.status.value}", lang),
        bold=bold,
        border=True,
        horizontal="center",
    )


_ISSUE_WIDTHS = (11.0, 22.0, 70.0, 32.0, 14.0, 8.0, 22.0, 7.0)


def _issues_sheet(workbook: Workbook, issues: Sequence[Issue], lang: Lang) -> None:
    sheet = workbook.create_sheet(text("xlsx.sheet.issues", lang))
    headers = [
        text("col.severity", lang),
        text("xlsx.col.code", lang),
        text("col.message", lang),
        text("xlsx.col.file", lang),
        text("xlsx.col.sheet", lang),
        text("xlsx.col.row", lang),
        text("xlsx.col.column", lang),
        text("xlsx.col.cell", lang),
    ]
    header_row(sheet, 1, headers)
    widths(sheet, _ISSUE_WIDTHS)
    if not issues:
        put(sheet, 2, 3, text("issues.none", lang))
    for row, issue in enumerate(issues, start=2):
        fill, font = SEVERITY_COLOURS[issue.severity]
        message = issue.message(lang)
        put(
            sheet,
            row,
            1,
            text(f"severity.{issue.severity.value}", lang),
            fill=fill,
            colour=font,
            border=True,
        )
        put(sheet, row, 2, issue.code, colour="595959", border=True)
        put(sheet, row, 3, message, wrap=True, border=True)
        put(sheet, row, 4, issue.file, wrap=True, border=True)
        put(sheet, row, 5, issue.sheet, border=True)
        put(sheet, row, 6, issue.row, border=True)
        put(sheet, row, 7, issue.column, wrap=True, border=True)
        put(sheet, row, 8, issue.cell, border=True)
        fit_row(
            sheet,
            row,
            [
                (message, _ISSUE_WIDTHS[2]),
                (issue.file or "", _ISSUE_WIDTHS[3]),
                (issue.column or "", _ISSUE_WIDTHS[6]),
            ],
        )
    last = max(len(issues) + 1, 2)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    sheet.freeze_panes = "A2"
    _print_setup(
        sheet,
        title_rows="1:1",
        last_column=len(headers),
        last_row=last,
        footer=text("xlsx.sheet.issues", lang),
        lang=lang,
    )


def _local(moment: datetime) -> datetime:
    """Excel has no time zones: an aware time is shown in local time."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _info_sheet(workbook: Workbook, context: ReportContext, lang: Lang, run_time: datetime) -> None:
    sheet = workbook.create_sheet(text("xlsx.sheet.info", lang))
    dataset = context.dataset
    put(sheet, 1, 1, text("xlsx.info.title", lang), bold=True, size=14, colour=HEADER_FILL)
    header_row(sheet, 3, [text("xlsx.col.item", lang), text("xlsx.col.content", lang)])
    counts = count_by_severity(context.issues)
    by = text(f"report.by.{context.by}", lang) if context.by else text("xlsx.none", lang)
    rows: list[tuple[str, str | float | date | None, str | None]] = [
        ("info.tool", f"{TOOL} {__version__}", None),
        ("info.run_time", _local(run_time), DATETIME_FORMAT),
        ("info.as_of", dataset.as_of, DATE_FORMAT),
        ("info.as_of_source", text(f"asof.{dataset.reference.source.value}", lang), None),
        ("info.report_year", dataset.report_year, "0"),
        ("info.catalog", context.catalog_id, None),
        ("info.target_year", context.catalog_target_year, "0"),
        ("info.by", by, None),
        ("info.skipped", context.skipped_rows, COUNT_FORMAT),
        ("info.errors", counts[Severity.ERROR], COUNT_FORMAT),
        ("info.warnings", counts[Severity.WARNING], COUNT_FORMAT),
        ("info.infos", counts[Severity.INFO], COUNT_FORMAT),
    ]
    row = 4
    for key, value, number_format in rows:
        put(sheet, row, 1, text(f"xlsx.{key}", lang), bold=True, border=True)
        put(
            sheet,
            row,
            2,
            value,
            number_format=number_format,
            horizontal="left",
            border=True,
        )
        row += 1
    put(sheet, row + 1, 1, text("xlsx.info.percent", lang), italic=True, colour="595959")
    row += 3
    put(sheet, row, 1, text("xlsx.info.sources", lang), bold=True, size=12, colour=HEADER_FILL)
    row += 1
    header_row(sheet, row, [text("xlsx.col.file", lang), text("xlsx.col.sha256", lang)])
    for source in dataset.sources:
        row += 1
        put(sheet, row, 1, source.path, wrap=True, border=True)
        put(sheet, row, 2, source.sha256, border=True)
        fit_row(sheet, row, [(source.path, 44.0)])
    widths(sheet, (44.0, 70.0))
    _print_setup(
        sheet,
        title_rows=None,
        last_column=2,
        last_row=row,
        footer=text("xlsx.info.title", lang),
        lang=lang,
    )


# ---------------------------------------------------------------------------------------
# The workbook


def build_gap_report(
    results: Sequence[IndicatorResult],
    context: ReportContext,
    lang: Lang,
    *,
    run_time: datetime,
    trend: Mapping[str, Any] | None = None,
) -> Workbook:
    """The report as an openpyxl workbook, not yet saved; with `trend` (the document of
    `trend_report.trend_document`, when several years were given), a trend sheet too."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    _summary_sheet(summary, results, context, lang)
    _chart_sheet(workbook, results, context, lang)
    _breakdown_sheet(workbook, results, context, lang)
    if trend is not None:
        trend_sheet(workbook, trend, lang)
    _issues_sheet(workbook, context.issues, lang)
    _info_sheet(workbook, context, lang, run_time)
    properties = workbook.properties
    properties.title = text("report.title", lang, year=context.catalog_target_year)
    properties.creator = f"{TOOL} {__version__}"
    properties.lastModifiedBy = None
    properties.created = properties.modified = _local(run_time)
    properties.language = lang
    return workbook


def write_gap_report(
    path: Path,
    results: Sequence[IndicatorResult],
    context: ReportContext,
    lang: Lang,
    *,
    run_time: datetime,
    protected: Iterable[Path] = (),
    trend: Mapping[str, Any] | None = None,
) -> None:
    """Write the report to `path`, atomically; never over an input or a `protected` file.

    Raises `OutputError` when the path is an input or cannot be written.
    """
    inputs = [Path(source.path) for source in context.dataset.sources] + list(protected)
    check_output(path, inputs, lang)
    workbook = build_gap_report(results, context, lang, run_time=run_time, trend=trend)
    save_workbook(workbook, path, lang)
