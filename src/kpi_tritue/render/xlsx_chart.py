"""The gap report's chart sheet: a bar chart of value against target for the percentage
indicators on the first printed page, the table it is drawn from on the next."""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList

from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.results import IndicatorResult
from kpi_tritue.render.report import ReportContext
from kpi_tritue.render.xlsx_cells import (
    HEADER_FILL,
    LINE_HEIGHT,
    fit_row,
    header_row,
    print_setup,
    put,
    widths,
)
from kpi_tritue.render.xlsx_formats import cell_number, status_cell

_CHART_WIDTHS = (7.0, 72.0, 12.0, 16.0, 14.0)
_CM_PER_WIDTH = 0.2  # a column width unit (one digit of the default font) in centimetres
_CHART_ROWS = 30  # rows the chart covers before its data table starts


def chart_sheet(
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
        put(
            sheet,
            row,
            3,
            cell_number(result.measurement.value),
            number_format='0.0" %"',
            border=True,
        )
        put(sheet, row, 4, cell_number(bound), number_format='0" %"', border=True)
        status_cell(sheet, row, 5, result.measurement.status, lang)
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
    # The chart is printed, on one page; the table it is drawn from is for the screen
    # (the summary sheet prints the same numbers).
    print_setup(
        sheet,
        title_rows=None,
        last_column=len(_CHART_WIDTHS),
        last_row=header - 1,
        footer=text("report.title", lang, year=context.catalog_target_year),
        lang=lang,
    )
