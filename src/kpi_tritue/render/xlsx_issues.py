"""The gap report's data issues sheet: one row per issue, filterable, coloured by severity."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from kpi_tritue.i18n import Lang, text
from kpi_tritue.model.issues import Issue
from kpi_tritue.render.terminal import issues_summary
from kpi_tritue.render.xlsx_cells import fit_row, header_row, print_setup, put, widths
from kpi_tritue.render.xlsx_formats import SEVERITY_COLOURS

# Narrow enough that, fitted to an A4 landscape page, the type stays readable (at 186
# characters of columns it printed at about half its size).
_ISSUE_WIDTHS = (10.0, 18.0, 62.0, 24.0, 11.0, 7.0, 16.0, 7.0)
_TITLE_ROWS = 3  # the title, the counts, a blank line


def issues_sheet(workbook: Workbook, issues: Sequence[Issue], lang: Lang, files: int = 1) -> None:
    sheet = workbook.create_sheet(text("xlsx.sheet.issues", lang))
    put(sheet, 1, 1, text("xlsx.issues.title", lang), bold=True, size=14)
    put(sheet, 2, 1, issues_summary(issues, files, lang))
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
    header = _TITLE_ROWS + 1
    header_row(sheet, header, headers)
    widths(sheet, _ISSUE_WIDTHS)
    if not issues:
        put(sheet, header + 1, 3, text("issues.none", lang))
    for row, issue in enumerate(issues, start=header + 1):
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
    last = header + max(len(issues), 1)
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(headers))}{last}"
    sheet.freeze_panes = f"A{header + 1}"
    print_setup(
        sheet,
        title_rows=f"{header}:{header}",
        last_column=len(headers),
        last_row=last,
        footer=text("xlsx.sheet.issues", lang),
        lang=lang,
    )
