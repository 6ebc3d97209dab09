"""The trend sheet of the gap report: yearly values, projection and class per indicator,
and a native line chart per indicator with its target drawn as a line."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.i18n import Lang, text
from kpi_tritue.render.xlsx_cells import header_row, put, widths

CHART_WIDTH = 12
CHART_HEIGHT = 6.5


def _goal(target: Mapping[str, Any] | None) -> float | None:
    """The line drawn for the target: its value, or the lower bound of a band."""
    if not target:
        return None
    value = target.get("value", target.get("min"))
    return None if value is None else float(value)


def trend_sheet(workbook: Workbook, document: Mapping[str, Any], lang: Lang) -> Worksheet:
    """Add the trend sheet built from `trend_report.trend_document` and return it."""
    sheet = workbook.create_sheet(text("xlsx.trend.sheet", lang))
    years = [str(entry["year"]) for entry in document["report_years"]]
    put(sheet, 1, 1, text("xlsx.trend.title", lang), bold=True, size=14)
    headers = [
        text("xlsx.trend.id", lang),
        text("xlsx.trend.name", lang),
        *years,
        text("xlsx.trend.target", lang),
        text("xlsx.trend.projection", lang),
        text("xlsx.trend.ratio", lang),
        text("xlsx.trend.class", lang),
    ]
    header_row(sheet, 3, headers)
    first_year_column = 3
    target_column = first_year_column + len(years)
    charted: list[tuple[int, Mapping[str, Any]]] = []
    for offset, indicator in enumerate(document["indicators"]):
        row = 4 + offset
        put(sheet, row, 1, indicator["id"])
        put(sheet, row, 2, indicator["name"], wrap=True)
        values = indicator.get("years", {})
        for index, year in enumerate(years):
            value = values.get(year)
            put(sheet, row, first_year_column + index, value, number_format="0.0")
        goal = _goal(indicator.get("target"))
        put(sheet, row, target_column, goal, number_format="0.0")
        put(sheet, row, target_column + 1, indicator.get("projection"), number_format="0.0")
        put(sheet, row, target_column + 2, indicator.get("ratio"), number_format="0.00")
        put(sheet, row, target_column + 3, indicator.get("class") or "")
        present = [v for v in values.values() if v is not None]
        if indicator["unit"] in ("percent", "per_10k") and len(present) >= 2 and goal is not None:
            charted.append((row, indicator))
    widths(sheet, [30, 48, *([9] * len(years)), 10, 12, 10, 24])
    sheet.freeze_panes = "C4"
    # A4 landscape, one page wide, as the summary sheet.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    _charts(
        sheet,
        charted,
        years,
        first_year_column,
        target_column,
        4 + len(document["indicators"]) + 2,
        lang,
    )
    return sheet


def _charts(
    sheet: Worksheet,
    charted: list[tuple[int, Mapping[str, Any]]],
    years: list[str],
    first_year_column: int,
    target_column: int,
    top: int,
    lang: Lang,
) -> None:
    """A line chart per indicator: its yearly values, and the target as a flat line.

    The target line needs one value a year: they are written in hidden helper rows.
    """
    helper_row = top + 16 * ((len(charted) + 1) // 2) + 2
    for number, (row, indicator) in enumerate(charted):
        chart = LineChart()
        chart.title = str(indicator["name"])[:60]
        chart.height, chart.width = CHART_HEIGHT, CHART_WIDTH
        chart.y_axis.title = None
        chart.legend.position = "b"
        # The target line reads hidden helper rows: plot them anyway.
        chart.visible_cells_only = False
        last_year_column = first_year_column + len(years) - 1
        values = Reference(
            sheet, min_col=first_year_column, max_col=last_year_column, min_row=row, max_row=row
        )
        chart.add_data(values, from_rows=True, titles_from_data=False)
        goal_row = helper_row + number
        goal = _goal(indicator.get("target"))
        for index in range(len(years)):
            sheet.cell(row=goal_row, column=first_year_column + index, value=goal)
        sheet.row_dimensions[goal_row].hidden = True
        target = Reference(
            sheet,
            min_col=first_year_column,
            max_col=last_year_column,
            min_row=goal_row,
            max_row=goal_row,
        )
        chart.add_data(target, from_rows=True, titles_from_data=False)
        chart.series[0].tx = SeriesLabel(v=text("xlsx.trend.series", lang))
        chart.series[1].tx = SeriesLabel(v=text("xlsx.trend.target", lang))
        categories = Reference(
            sheet, min_col=first_year_column, max_col=last_year_column, min_row=3, max_row=3
        )
        chart.set_categories(categories)
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
        anchor_row = top + 16 * (number // 2)
        anchor_col = "A" if number % 2 == 0 else "C"
        sheet.add_chart(chart, f"{anchor_col}{anchor_row}")
