"""The rule that says which cells of a sheet are read, the same for .xlsx, .xls and .ods.

- Cells past Excel's grid or past `Limits.max_columns` are *far*: always left out.
- The others may span a box of `budget` cells: 8 times the cells the sheet holds (so a
  dense sheet of any size within `Limits.max_cells` is read whole), at least an eighth of
  `Limits.max_cells` (4 Mi cells: a sparse sheet costs little), at most `Limits.max_cells`.
  When they span more, the sheet is read from its top down to the last row whose box still
  fits (`row_cut`), and what lies below is *far* too: left out with an info when it is a
  few stray cells (at most `MAX_STRAYS`), else the sheet is refused, naming the cell.

`decide` applies it to the cells a format's scan found (`extent_scan` for an .xlsx,
`extent_xls`, `extent_ods`); the cells are named here as calamine names them.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kpi_tritue.contract.limits import Limits

# Excel's grid: 1,048,576 rows by 16,384 columns (XFD).
GRID_ROWS = 1_048_576
GRID_COLUMNS = 16_384
# Beyond this many far cells, or kept cells to give an `r`, a sheet is not worth mending.
MAX_EDITS = 2_000_000
# At most this many cells holding a value are left out below a sheet's budget: a stray key
# press or a stray row or two. More is data: the sheet is refused rather than cut short.
MAX_STRAYS = 100
# A sheet holding this many cells (or more) per cell of its box is dense: read whole.
DENSITY = 8

_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")


class TooManyEdits(Exception):
    """More far cells, or kept cells to give an `r`, than `MAX_EDITS`: not worth mending."""


def column_letters(index: int) -> str:
    """`0` → `A`, `16383` → `XFD`."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    return f"{column_letters(col)}{row + 1}"


def cell_label(row: int, col: int, text: str = "") -> str:
    """A cell's name for a message; `text` (its raw reference) when it lies past any sane
    grid (a number of thousands of digits is not worth spelling)."""
    if row < GRID_ROWS * 1000 and col < GRID_COLUMNS * 1000:
        return cell_name(row, col)
    return text


def parse_ref(ref: bytes) -> tuple[int, int | None] | None:
    """(row, column) 0-based as calamine reads `ref` (letters in either case, then digits);
    None when calamine would refuse it. The numbers are exact, never wrapped: a value past
    the grid stays past it."""
    match = _REF.fullmatch(ref)
    if match is None or not match[2]:
        return None
    row = int(match[2]) - 1
    if row < 0:
        return None
    if not match[1]:
        return row, None
    col = 0
    for char in match[1].upper():
        col = col * 26 + (char - 64)
    return row, col - 1


def budget(written: int, limits: Limits) -> int:
    """The most cells a sheet's box may span, for a sheet holding `written` cells."""
    return min(limits.max_cells, max(limits.max_cells // DENSITY, DENSITY * written))


def budget_reached(written: int, limits: Limits) -> bool:
    """Whether `written` cells already give a sheet the most cells its box may span: the
    budget of a sheet holding more is the same."""
    return budget(written, limits) >= limits.max_cells


class RowStats:
    """Per row, the width (last column + 1) and the number of the cells holding a value."""

    def __init__(self) -> None:
        self.widths = array("i")
        self.counts = array("i")

    def add(self, row: int, col: int, count: int = 1) -> None:
        if row >= len(self.widths):
            grow = min(max(row + 1, 2 * len(self.widths)), max(row + 1, GRID_ROWS))
            self.widths.frombytes(bytes(4 * (grow - len(self.widths))))
            self.counts.frombytes(bytes(4 * (grow - len(self.counts))))
        if col >= self.widths[row]:
            self.widths[row] = col + 1
        self.counts[row] += count

    def add_rows(self, first: int, rows: int, width: int, count: int) -> None:
        """`rows` equal rows from `first` (a repeated row of an .ods)."""
        if rows <= 0 or width <= 0:
            return
        import numpy as np

        self.add(first + rows - 1, width - 1, 0)
        widths = np.frombuffer(self.widths, dtype=np.int32)[first : first + rows]
        np.maximum(widths, width, out=widths)
        counts = np.frombuffer(self.counts, dtype=np.int32)[first : first + rows]
        counts += count
        del widths, counts

    def merge(self, other: RowStats) -> None:
        for row, width in other.rows():
            self.add(row, width - 1, other.counts[row])

    def rows(self) -> Iterator[tuple[int, int]]:
        """(row, width) of every row holding a value, top down."""
        for row, width in enumerate(self.widths):
            if width:
                yield row, width

    @property
    def height(self) -> int:
        for row in range(len(self.widths) - 1, -1, -1):
            if self.widths[row]:
                return row + 1
        return 0

    @property
    def width(self) -> int:
        return max(self.widths, default=0)

    @property
    def present(self) -> int:
        return sum(self.counts)

    def present_from(self, row: int) -> int:
        return sum(self.counts[row:])


def row_cut(rows: Iterable[tuple[int, int]], cells: int) -> int | None:
    """The first row left out so that the rows above, as wide as their widest, span at most
    `cells`: the first row (of those holding a value) whose box overflows; None when every
    row fits. `rows` are (row, width) pairs, top down."""
    widest = 0
    for row, width in rows:
        widest = max(widest, width)
        if (row + 1) * widest > cells:
            return row
    return None


@dataclass(frozen=True)
class Decision:
    """What the rule says of a sheet once its far cells are out: the first row left out
    (None: all kept), how many cells holding a value lie below it, and whether that is too
    many to leave out."""

    budget: int
    cut_row: int | None = None
    strays: int = 0
    # The cell whose row overflowed the budget (the widest of its row), and the box all the
    # cells would have spanned: for the refusal's message.
    cell: tuple[int, int] = (0, 0)
    box: int = 0
    written: int = 0

    @property
    def refused(self) -> bool:
        return self.strays > MAX_STRAYS

    @property
    def needed(self) -> int:
        """The `Limits.max_cells` under which the whole box would be read."""
        return self.box if DENSITY * self.written >= self.box else DENSITY * self.box


def decide(stats: RowStats, written: int, limits: Limits) -> Decision:
    cells = budget(written, limits)
    cut = row_cut(stats.rows(), cells)
    if cut is None:
        return Decision(cells)
    strays = stats.present_from(cut)
    return Decision(
        cells,
        cut_row=cut,
        strays=strays,
        cell=(cut, stats.widths[cut] - 1),
        box=stats.height * stats.width if strays > MAX_STRAYS else 0,
        written=written,
    )
