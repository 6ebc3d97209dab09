"""The trend sheets of the gap report (`kpi export` of several report years): a table of
yearly values, target, projection, progress ratio and class per indicator, and a sheet of
line charts, one a printed page, each with its target drawn as a dashed line.

Everything shown comes from the `TrendResult` that compute/ made; this module formats it:
classes in words, targets as people read them (`25–30 %`, `≥ 14`), milestones as
`Hoàn thành` / `Chưa xong` (numbers underneath, so they still sort).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import printable
from kpi_tritue.model.trend import IndicatorTrend, TrendResult
from kpi_tritue.render.numbers import format_target
from kpi_tritue.render.xlsx_cells import fit_row, header_row, print_setup, put, widths
from kpi_tritue.render.xlsx_formats import cell_number, value_format

# One chart a printed page (A4 landscape): its size in cm, and the rows a page holds.
CHART_WIDTH = 25.0
CHART_HEIGHT = 14.0
ROWS_A_PAGE = 32
_HEADER_ROW = 3
_FIRST_ROW = 4


def _goal(indicator: IndicatorTrend) -> float | None:
    """The line drawn for the target: the value the progress aims at (a band's nearer
    bound), else the target's value or lower bound."""
    target = indicator.target
    if indicator.progress.goal is not None:
        return indicator.progress.goal
    if target is None:
        return None
    return target.value if target.value is not None else target.min


def _class_words(indicator: IndicatorTrend, lang: Lang) -> str:
    trend_class = indicator.progress.trend_class
    if indicator.progress.ended is not None and indicator.target is not None:
        return text("trend.class.ended", lang, year=indicator.progress.ended)
    return text(f"trend.class.{trend_class.value if trend_class else 'tracked'}", lang)


def trend_sheet(workbook: Workbook, trend: TrendResult, lang: Lang, horizon: int) -> Worksheet:
    """Add the trend table and its charts; `horizon` is the catalog's target year (a
    target of another year shows its year)."""
    sheet = workbook.create_sheet(text("xlsx.trend.sheet", lang))
    years = trend.year_numbers
    put(sheet, 1, 1, text("xlsx.trend.title", lang), bold=True, size=14)
    headers = [
        text("xlsx.trend.id", lang),
        text("xlsx.trend.name", lang),
        *(str(year) for year in years),
        text("xlsx.trend.target", lang),
        text("xlsx.trend.projection", lang),
        text("xlsx.trend.ratio", lang),
        text("xlsx.trend.class", lang),
        text("trend.col.pace", lang),
    ]
    header_row(sheet, _HEADER_ROW, headers)
    column_widths = [30.0, 48.0, *([9.0] * len(years)), 14.0, 13.0, 10.0, 24.0, 13.0]
    fit_row(sheet, _HEADER_ROW, zip(headers, column_widths, strict=True))
    first_year = 3
    target_column = first_year + len(years)
    charted: list[tuple[int, IndicatorTrend]] = []
    for offset, indicator in enumerate(trend.indicators):
        row = _FIRST_ROW + offset
        fmt = value_format(indicator.unit, lang)
        put(sheet, row, 1, indicator.id)
        put(sheet, row, 2, indicator.name(lang), wrap=True)
        for index, year in enumerate(years):
            point = indicator.point(year)
            value = None if point is None else cell_number(point.value)
            put(sheet, row, first_year + index, value, number_format=fmt)
        target = format_target(indicator.unit, indicator.target, lang, horizon)
        put(sheet, row, target_column, target, horizontal="center")
        progress = indicator.progress
        if indicator.unit != "milestone":  # a line through 0s and 1s projects nothing
            put(sheet, row, target_column + 1, cell_number(progress.projection), number_format=fmt)
            put(sheet, row, target_column + 2, cell_number(progress.ratio), number_format="0.00")
            put(
                sheet,
                row,
                target_column + 4,
                cell_number(progress.required_pace),
                number_format=fmt,
            )
        put(sheet, row, target_column + 3, _class_words(indicator, lang), wrap=True)
        fit_row(sheet, row, [(indicator.name(lang), column_widths[1])])
        values = [p.value for p in indicator.points if p.value is not None]
        if (
            indicator.unit in ("percent", "per_10k")
            and len(values) >= 2
            and _goal(indicator) is not None
        ):
            charted.append((row, indicator))
    widths(sheet, column_widths)
    sheet.freeze_panes = f"C{_FIRST_ROW}"
    last_row = _FIRST_ROW + len(trend.indicators) - 1
    print_setup(
        sheet,
        title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}",
        last_column=len(headers),
        last_row=last_row,
        lang=lang,
    )
    if charted:
        _chart_sheet(workbook, sheet, charted, years, first_year, last_row + 2, lang)
    return sheet


def _chart_sheet(
    workbook: Workbook,
    table: Worksheet,
    charted: list[tuple[int, IndicatorTrend]],
    years: tuple[int, ...],
    first_year: int,
    helper_top: int,
    lang: Lang,
) -> None:
    """A sheet of charts, one a page: an indicator's yearly values and its target.

    The target line needs one value a year: they sit in hidden rows of the table sheet,
    below its print area, so that they are never printed.
    """
    sheet = workbook.create_sheet(text("xlsx.trend.charts", lang))
    last_year = first_year + len(years) - 1
    categories = Reference(
        table, min_col=first_year, max_col=last_year, min_row=_HEADER_ROW, max_row=_HEADER_ROW
    )
    for number, (row, indicator) in enumerate(charted):
        goal_row = helper_top + number
        for index in range(len(years)):
            table.cell(row=goal_row, column=first_year + index, value=_goal(indicator))
        table.row_dimensions[goal_row].hidden = True
        chart = LineChart()
        target = format_target(indicator.unit, indicator.target, lang)
        chart.title = printable(f"{indicator.name(lang)}: {target}")
        chart.height, chart.width = CHART_HEIGHT, CHART_WIDTH
        chart.legend.position = "b"
        # The target line reads hidden rows: plot them anyway.
        chart.visible_cells_only = False
        for source_row, label, dashed in (
            (row, text("xlsx.trend.series", lang), False),
            (goal_row, text("xlsx.trend.target", lang), True),
        ):
            data = Reference(
                table, min_col=first_year, max_col=last_year, min_row=source_row, max_row=source_row
            )
            chart.add_data(data, from_rows=True, titles_from_data=False)
            series = chart.series[-1]
            series.tx = SeriesLabel(v=label)
            if dashed:
                series.graphicalProperties.line.dashStyle = "dash"
        chart.set_categories(categories)
        top = 1 + number * ROWS_A_PAGE
        sheet.add_chart(chart, f"A{top}")
        if number:
            sheet.row_breaks.append(Break(id=top - 1))
    # The page holds the charts only: 14 columns wide of the default width cover 25 cm.
    print_setup(
        sheet,
        title_rows=None,
        last_column=14,
        last_row=len(charted) * ROWS_A_PAGE,
        lang=lang,
    )
