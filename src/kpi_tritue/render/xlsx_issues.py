"""The gap report's data issues sheet: one row per issue, filterable, coloured by severity."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.issues import Issue
from kpi_tritue.render.xlsx_cells import fit_row, header_row, print_setup, put, widths
from kpi_tritue.render.xlsx_formats import SEVERITY_COLOURS

_ISSUE_WIDTHS = (11.0, 22.0, 70.0, 32.0, 14.0, 8.0, 22.0, 7.0)


def issues_sheet(workbook: Workbook, issues: Sequence[Issue], lang: Lang) -> None:
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
    print_setup(
        sheet,
        title_rows="1:1",
        last_column=len(headers),
        last_row=last,
        footer=text("xlsx.sheet.issues", lang),
        lang=lang,
    )
