"""The cells every workbook kpi writes is made of: text that is never a formula, one font,
the header row, column widths, rows as tall as their wrapped text, the printed page, the
atomic save.

The gap report (`xlsx_report` and its sheets), its trend sheet (`xlsx_trend`) and the blank
form (`template`) all build on these, so that none of them imports another for its cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import FORMULA_START, printable
from kpi_tritue.render.outputs import write_atomically

FORMULA_PREFIXES = FORMULA_START
# Excel reads `_x001B_` in a cell's text as the character U+001B: a literal one is
# written with its underscore escaped (`_x005F_`), so the report shows what the input held.
_EXCEL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
MAX_CELL_TEXT = 32_767
FONT_NAME = "Arial"
FONT_SIZE = 10
LINE_HEIGHT = 13.0  # points per line of 10-point text, for rows with wrapped text
HEADER_FILL = "1F4E78"
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
PAPER_A4 = "9"
DATE_FORMAT = "dd/mm/yyyy"


def put_text(cell: Cell, value: str) -> Cell:
    """Write `value` as a string cell: never a formula, whatever it starts with."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", printable(value, lines=True))
    cleaned = _EXCEL_ESCAPE.sub(r"_x005F_\1", cleaned)[:MAX_CELL_TEXT]
    cell.value = cleaned
    # openpyxl makes any text starting with `=` a formula; the type is set back explicitly.
    cell.data_type = "s"
    if cleaned.startswith(FORMULA_PREFIXES):
        # The quote prefix keeps it text when someone edits the cell in Excel, too.
        cell.quotePrefix = True
    return cell


def put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: str | float | date | None,
    *,
    number_format: str | None = None,
    bold: bool = False,
    italic: bool = False,
    size: float = FONT_SIZE,
    colour: str | None = None,
    fill: str | None = None,
    wrap: bool = False,
    horizontal: str | None = None,
    border: bool = False,
) -> Cell:
    """One styled cell; text through `put_text`, a NaN or None left empty."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        put_text(cell, value)
    elif isinstance(value, float) and not math.isfinite(value):
        cell.value = None
    else:
        cell.value = value
    cell.font = Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=colour)
    if fill is not None:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    if number_format is not None:
        cell.number_format = number_format
    cell.alignment = Alignment(wrap_text=wrap, vertical="top", horizontal=horizontal)
    if border:
        cell.border = GRID
    return cell


def text_lines(value: str, width: float) -> int:
    """How many lines `value` takes in a column of `width` characters, wrapped by words."""
    chars = max(int(width * 1.3) - 1, 1)  # Arial 10 is narrower than the width unit
    total = 0
    for paragraph in value.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split(" "):
            if used and used + 1 + len(word) > chars:
                lines, used = lines + 1, len(word)
            else:
                used += len(word) + (1 if used else 0)
            lines += max(0, (len(word) - 1) // chars) if len(word) > chars else 0
        total += lines
    return total


def fit_row(sheet: Worksheet, row: int, texts: Iterable[tuple[str, float]]) -> None:
    """Give a row with wrapped text the height of its tallest cell."""
    lines = max((text_lines(value, width) for value, width in texts if value), default=1)
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines + 3


def header_row(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    for column, heading in enumerate(headers, start=1):
        put(
            sheet,
            row,
            column,
            heading,
            bold=True,
            colour="FFFFFF",
            fill=HEADER_FILL,
            wrap=True,
            horizontal="center",
            border=True,
        )


def widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def print_setup(
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


def save_workbook(workbook: Workbook, path: Path, lang: Lang) -> None:
    """Save atomically (see `outputs.write_atomically`)."""
    write_atomically(path, workbook.save, lang)


__all__ = [
    "DATE_FORMAT",
    "FONT_NAME",
    "FONT_SIZE",
    "FORMULA_PREFIXES",
    "GRID",
    "HEADER_FILL",
    "LINE_HEIGHT",
    "MAX_CELL_TEXT",
    "PAPER_A4",
    "fit_row",
    "header_row",
    "print_setup",
    "put",
    "put_text",
    "save_workbook",
    "text_lines",
    "widths",
]
