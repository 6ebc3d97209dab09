"""The gap report's breakdown sheet (`--by`): the groups as rows, worst first under the
province's row; each indicator a narrow column under its upright name, the value coloured
and marked by its status; printed one page wide on A4 landscape."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.results import IndicatorResult, Measurement, Status
from kpi_tritue.render.report import ReportContext, format_target, group_label
from kpi_tritue.render.terminal import as_of_line
from kpi_tritue.render.xlsx_cells import HEADER_FILL, print_setup, put
from kpi_tritue.render.xlsx_formats import STATUS_COLOURS, cell_number, marked_value_format

_VALUE_WIDTH = 9.0
# Indicator names stand upright over their narrow columns: a sheet of 166 units and 17
# indicators then prints one page wide (it took 40 pages in pairs of value and status).
_HEADING_ROTATION = 90
_HEADING_HEIGHT = 165.0
# The status also as a mark after each value, for a print without colour.
_MARKS = {
    Status.MET: "✓",
    Status.NOT_MET: "✗",
    Status.ABOVE_RANGE: "↑",
    Status.NO_DATA: "",
    Status.TRACKED: "",
    Status.NOT_APPLICABLE: "–",
}


def breakdown_sheet(
    workbook: Workbook, results: Sequence[IndicatorResult], context: ReportContext, lang: Lang
) -> None:
    """Groups as rows, worst first under the province's own row; each indicator one
    column, its value coloured and marked by its status."""
    if context.by is None:
        return
    split = [r for r in results if r.breakdown is not None]
    by = text(f"report.by.{context.by}", lang)
    sheet = workbook.create_sheet(text("xlsx.sheet.breakdown", lang, by=by)[:31])
    title = text("xlsx.breakdown.title", lang, by=by)
    put(sheet, 1, 1, title, bold=True, size=14, colour=HEADER_FILL)
    put(sheet, 2, 1, as_of_line(context.dataset, lang), colour="404040")
    groups = _worst_first(split, context.by, lang)
    shown = [group_label(group, context.by, lang) for group in groups]
    names, targets, province = 4, 5, 6
    group_width = max([24.0, *(min(len(g) * 1.05 + 2, 48.0) for g in shown)])
    sheet.column_dimensions["A"].width = group_width
    put(sheet, names, 1, by.capitalize(), bold=True, colour="FFFFFF", fill=HEADER_FILL)
    put(sheet, targets, 1, text("xlsx.row.target", lang), italic=True, border=True)
    put(sheet, province, 1, text("xlsx.row.province", lang), bold=True, border=True)
    first_group = province + 1
    for offset, name in enumerate(shown):
        put(sheet, first_group + offset, 1, name, border=True)
    last_row = max(first_group + len(groups) - 1, province)
    small = False
    for index, result in enumerate(split):
        column = 2 + index
        sheet.column_dimensions[get_column_letter(column)].width = _VALUE_WIDTH
        heading = put(
            sheet,
            names,
            column,
            f"{result.clause} {result.name(lang)}",
            bold=True,
            colour="FFFFFF",
            fill=HEADER_FILL,
            wrap=True,
            border=True,
        )
        heading.alignment = Alignment(
            wrap_text=True, text_rotation=_HEADING_ROTATION, vertical="bottom", horizontal="center"
        )
        put(
            sheet,
            targets,
            column,
            format_target(result, lang, context.catalog_target_year),
            italic=True,
            horizontal="center",
            border=True,
        )
        _value_cell(sheet, province, column, result, result.measurement, lang, bold=True)
        by_group = {g.group: g.measurement for g in result.breakdown or ()}
        for offset, group in enumerate(groups):
            measurement = by_group.get(group)
            row = first_group + offset
            if measurement is None:
                put(sheet, row, column, None, border=True)
            else:
                _value_cell(sheet, row, column, result, measurement, lang)
                small = small or measurement.small
    sheet.row_dimensions[names].height = _HEADING_HEIGHT
    last_row += 2
    legend = "   ".join(
        f"{mark} {text(f'report.status.{status.value}', lang)}"
        for status, mark in _MARKS.items()
        if mark
    )
    put(sheet, last_row, 1, legend, italic=True, colour="404040")
    if small or any(r.measurement.small for r in split):
        last_row += 1
        put(sheet, last_row, 1, text("report.small", lang), italic=True, colour="404040")
    sheet.freeze_panes = sheet.cell(row=province + 1, column=2)
    print_setup(
        sheet,
        title_rows=f"{names}:{province}",
        title_columns="A:A",
        last_column=max(1 + len(split), 1),
        last_row=last_row,
        footer=title,
        lang=lang,
    )


def _worst_first(split: Sequence[IndicatorResult], by: str, lang: Lang) -> list[str]:
    """The groups, those with the most indicators short of their target first (then by
    name), so that the units that pull the province down are on the first page."""
    short: dict[str, int] = {}
    for result in split:
        for group in result.breakdown or ():
            failing = group.measurement.status is Status.NOT_MET
            short[group.group] = short.get(group.group, 0) + failing
    return sorted(short, key=lambda group: (-short[group], group_label(group, by, lang)))


def _value_cell(
    sheet: Worksheet,
    row: int,
    column: int,
    result: IndicatorResult,
    measurement: Measurement,
    lang: Lang,
    *,
    bold: bool = False,
) -> None:
    """The value as a number, filled with its status's colour and followed by its mark."""
    mark = _MARKS[measurement.status]
    base = marked_value_format(result, measurement, lang)
    number_format = ";".join(f'{part}" {mark}"' for part in base.split(";")) if mark else base
    fill, font = STATUS_COLOURS[measurement.status]
    put(
        sheet,
        row,
        column,
        # Not applicable has no value: its mark stands in the cell, in grey.
        mark if measurement.status is Status.NOT_APPLICABLE else cell_number(measurement.value),
        number_format=number_format,
        bold=bold,
        fill=fill,
        colour=font,
        border=True,
        horizontal="right",
    )
