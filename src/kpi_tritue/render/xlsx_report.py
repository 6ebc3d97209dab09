"""The gap report as an Excel workbook (`kpi export`, `kpi compute --xlsx`), with openpyxl.

Sheets: the summary (one row per indicator, grouped by field as in the terminal table,
`xlsx_summary`), a bar chart of value against target for the percentage indicators
(`xlsx_chart`), the breakdown (`--by`: groups as rows, indicators as columns,
`xlsx_breakdown`), the trend (`xlsx_trend`, with several years), the data issues
(`xlsx_issues`) and the information on the run (here, with the workbook they make).

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

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue import __version__
from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.issues import Severity, count_by_severity
from kpi_tritue.model.results import IndicatorResult
from kpi_tritue.model.trend import TrendResult
from kpi_tritue.render.outputs import check_output
from kpi_tritue.render.report import ReportContext
from kpi_tritue.render.terminal import TOOL
from kpi_tritue.render.xlsx_breakdown import breakdown_sheet
from kpi_tritue.render.xlsx_cells import (
    DATE_FORMAT,
    HEADER_FILL,
    fit_row,
    header_row,
    print_setup,
    put,
    save_workbook,
    widths,
)
from kpi_tritue.render.xlsx_chart import chart_sheet
from kpi_tritue.render.xlsx_formats import COUNT_FORMAT
from kpi_tritue.render.xlsx_issues import issues_sheet
from kpi_tritue.render.xlsx_summary import summary_sheet
from kpi_tritue.render.xlsx_trend import trend_sheet

DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"


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
    row = _derived_rows(sheet, row, dataset.derived, lang)
    widths(sheet, (44.0, 70.0))
    print_setup(
        sheet,
        title_rows=None,
        last_column=2,
        last_row=row,
        footer=text("xlsx.info.title", lang),
        lang=lang,
    )


def _derived_rows(
    sheet: Worksheet, row: int, derived: dict[str, dict[str, str]], lang: Lang
) -> int:
    """Which NhanSu columns were derived rather than read, in which files, and from what
    (official-lists.md, 13): one row per file and column, after the sources. The last
    row written."""
    if not any(derived.values()):
        return row
    row += 2
    put(sheet, row, 1, text("xlsx.info.derived", lang), bold=True, size=12, colour=HEADER_FILL)
    row += 1
    header_row(sheet, row, [text("xlsx.col.file", lang), text("xlsx.col.derived", lang)])
    for file, columns in sorted(derived.items()):
        for key, source in sorted(columns.items()):
            row += 1
            line = text(
                "xlsx.derived.line",
                lang,
                column=_column_label(key, lang),
                source=text(f"xlsx.derived.{source}", lang),
            )
            put(sheet, row, 1, file, wrap=True, border=True)
            put(sheet, row, 2, line, wrap=True, border=True)
            fit_row(sheet, row, [(file, 44.0), (line, 70.0)])
    return row


def _column_label(key: str, lang: Lang) -> str:
    """A NhanSu column's header in the user's language (its key if it is none of them)."""
    try:
        return WORKFORCE.column(key).label(lang)
    except KeyError:
        return key


# ---------------------------------------------------------------------------------------
# The workbook


def build_gap_report(
    results: Sequence[IndicatorResult],
    context: ReportContext,
    lang: Lang,
    *,
    run_time: datetime,
    trend: TrendResult | None = None,
) -> Workbook:
    """The report as an openpyxl workbook, not yet saved; with `trend` (when several years
    were given), the trend sheet and its charts too."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary_sheet(summary, results, context, lang)
    chart_sheet(workbook, results, context, lang)
    breakdown_sheet(workbook, results, context, lang)
    if trend is not None:
        trend_sheet(workbook, trend, lang, context.catalog_target_year)
    issues_sheet(workbook, context.issues, lang, context.dataset.files.file_count)
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
    trend: TrendResult | None = None,
) -> None:
    """Write the report to `path`, atomically; never over an input or a `protected` file.

    Raises `OutputError` when the path is an input or cannot be written.
    """
    inputs = [Path(source.path) for source in context.dataset.sources] + list(protected)
    check_output(path, inputs, lang)
    workbook = build_gap_report(results, context, lang, run_time=run_time, trend=trend)
    save_workbook(workbook, path, lang)
