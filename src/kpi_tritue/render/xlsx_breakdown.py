"""The gap report's breakdown sheet (`--by`): the groups as rows, each indicator a pair of
columns (value, status), the value coloured by its status."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.results import IndicatorResult, Measurement
from kpi_tritue.render.report import ReportContext, format_target, group_label
from kpi_tritue.render.terminal import as_of_line
from kpi_tritue.render.xlsx_cells import HEADER_FILL, LINE_HEIGHT, print_setup, put, text_lines
from kpi_tritue.render.xlsx_formats import STATUS_COLOURS, cell_number, marked_value_format

_BREAKDOWN_VALUE_WIDTH = 11.0
_BREAKDOWN_STATUS_WIDTH = 12.0


def breakdown_sheet(
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
        fmt = marked_value_format(result, result.measurement, lang)
        _breakdown_cells(sheet, province, value_col, result.measurement, fmt, lang, bold=True)
        by_group = {g.group: g.measurement for g in result.breakdown or ()}
        for offset, group in enumerate(groups):
            measurement = by_group.get(group)
            row = first_group + offset
            if measurement is None:
                put(sheet, row, value_col, None, border=True)
                put(sheet, row, status_col, None, border=True)
            else:
                fmt = marked_value_format(result, measurement, lang)
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
    print_setup(
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
        cell_number(measurement.value),
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
