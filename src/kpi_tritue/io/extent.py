"""Where the cells of an .xlsx sheet lie, found before calamine is handed the sheet.

calamine places every cell of a sheet in one dense grid spanning all of them: a single
value at `XFD1048576` (a stray key press after Ctrl+End) makes it allocate 17 billion
cells and abort the whole process, which no `try` can catch; one at `X1048576` beside a
hundred rows costs a gigabyte. So the extent of a sheet's cells is established from its XML
first, block by block in bounded memory, and a sheet is handed to calamine only once its
grid is known to be small.

The rule (`decide`, the same for .xlsx, .xls and .ods):

- Cells past Excel's grid or past `Limits.max_columns` are *far*: always left out.
- The others may span a box of `budget` cells: 8 times the cells the sheet holds (so a
  dense sheet of any size within `Limits.max_cells` is read whole), at least an eighth of
  `Limits.max_cells` (4 Mi cells: a sparse sheet costs little), at most `Limits.max_cells`.
  When they span more, the sheet is read from its top down to the last row whose box still
  fits (`row_cut`), and what lies below is *far* too: left out with an info when it is a
  few stray cells (at most `MAX_STRAYS`), else the sheet is refused, naming the cell.

How it is found for an .xlsx:

- `FastCheck`, on every block: one regular expression (RE2, through pyarrow, which runs
  without the GIL at the speed of inflating) that finds any cell written otherwise than
  `<c r="REF"` with REF inside a box the budget allows. A sheet where it finds nothing is
  handed to calamine as it is: that is every sheet Excel or LibreOffice writes.
- `locate`, when the fast check found something in a few blocks of a sheet where every
  other cell carries a plain `r`: the exact analysis of those few pieces only, and a proof
  that the rest cannot change the answer (else it says so and `settle` runs instead).
- `settle`, the plain version: `analyse` places every cell exactly as calamine would
  (cells and rows without `r` counted by position, namespace prefixes, refs past Excel's
  grid), then `decide` applies the rule, and a second pass marks what to leave out.
- `rewrite` then gives calamine a copy of the sheet without the far cells (and with an
  explicit `r` on every cell it keeps); the copy is checked again before calamine sees it.
"""

from __future__ import annotations

import re
import threading
import zipfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kpi_tritue.contract.limits import Limits, TextRun

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

_DIMENSION = re.compile(rb'<(?:[^\s<>/!?:"\'=]+:)?dimension\s[^>]*?ref\s*=\s*["\']([^"\']*)["\']')
_REF = re.compile(rb"([A-Za-z]*)([0-9]*)")


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


# ---------------------------------------------------------------------------------------
# The rule


def budget(written: int, limits: Limits) -> int:
    """The most cells a sheet's box may span, for a sheet holding `written` cells."""
    return min(limits.max_cells, max(limits.max_cells // DENSITY, DENSITY * written))


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


# ---------------------------------------------------------------------------------------
# The fast check


def _greater_number(bound: int) -> str:
    """A regex for the decimal numbers (without leading zeros) greater than `bound` ≥ 1."""
    digits = str(bound)
    options = [f"[1-9][0-9]{{{len(digits)},}}"]  # more digits
    for i, d in enumerate(digits):
        if d == "9":
            continue
        head = digits[:i]
        rest = len(digits) - i - 1
        first = f"[{int(d) + 1}-9]" if not (i == 0 and d == "0") else "[1-9]"
        options.append(f"{head}{first}[0-9]{{{rest}}}")
    return "(?:" + "|".join(options) + ")"


def _letter_class(low: int, high: int) -> str:
    """Letters from index `low` to `high` (0 = A) in either case, as a class."""
    if low > high:
        return ""
    a, b = chr(65 + low), chr(65 + high)
    return f"[{a}-{b}{a.lower()}-{b.lower()}]"


def _greater_column(bound: int) -> str:
    """A regex for column letters (either case) of a column greater than `bound` (0-based),
    and for any run of letters longer than its name."""
    name = column_letters(bound)
    options = [f"[A-Za-z]{{{len(name) + 1}}}"]
    for i, char in enumerate(name):
        above = _letter_class(ord(char) - 64, 25)
        if not above:
            continue
        head = "".join(_letter_class(ord(c) - 65, ord(c) - 65) for c in name[:i])
        options.append(f"{head}{above}[A-Za-z]{{{len(name) - i - 1}}}")
    return "(?:" + "|".join(options) + ")"


def _column_at_most(bound: int) -> str:
    """A regex for column letters of a column at most `bound`, of any shorter length too."""
    name = column_letters(bound)
    options = [f"[A-Za-z]{{1,{len(name) - 1}}}"] if len(name) > 1 else []
    for i, char in enumerate(name):
        head = "".join(_letter_class(ord(c) - 65, ord(c) - 65) for c in name[:i])
        if i == len(name) - 1:
            options.append(f"{head}{_letter_class(0, ord(char) - 65)}")
        elif ord(char) > 65:
            below = _letter_class(0, ord(char) - 66)
            options.append(f"{head}{below}[A-Za-z]{{{len(name) - i - 1}}}")
    return "(?:" + "|".join(options) + ")"


def danger_pattern(rows: int, cols: int) -> str:
    """An RE2 pattern found in a sheet's XML wherever a cell is not written `<c r="REF"`
    with REF inside the first `rows` rows and `cols` columns, or carries a second `r`; and
    wherever the XML holds what a spreadsheet program never writes in a sheet and a plain
    count of `</c>` would misread (a comment, CDATA, a processing instruction, `</c >`,
    a prefixed `sheetData`).

    What it cannot match is, by construction, a cell calamine places inside that box: every
    element whose local name is `c` (with any prefix) is either `<c r="` or matched; after
    `<c r="`, anything but letters then digits within the box then `"` is matched.
    """
    name_end = r"(?:[\s/>])"
    odd_cell = (
        # any prefixed `c` or `sheetData` element
        r"<[^\s<>/!?:\"'=]+:(?:c|sheetData)"
        + name_end
        # an unprefixed `c` element not starting with ` r="`
        + r"|<c(?:>|/|[\t\r\n]| [\t\r\n ]| [^r\t\r\n ]| r[^=]| r=[^\"])"
    )
    odd_xml = r"|<[!?]|</c\s"
    within_col = _column_at_most(cols - 1)
    far_ref = (
        r'<c r="(?:[^A-Za-z]|'
        + _greater_column(cols - 1)
        + "|"
        + within_col
        # (a letter next makes a longer column: matched above if past the box)
        + r"(?:[^0-9A-Za-z]|0*"
        + _greater_number(rows)
        + r"|0+[^0-9]|[0-9]+[^0-9\"]))"
    )
    second_r = r"<c r=\"[^\"]*\"(?:[^>\"']|\"[^\"]*\"|'[^']*')*[\s\"']r\s*="
    return f"{odd_cell}{odd_xml}|{far_ref}|{second_r}"


_PYARROW_READY = threading.Event()


def pyarrow_ready() -> None:
    """Say that `pyarrow.compute` is imported: a scan thread waits for it rather than import
    it beside the main thread's imports."""
    import pyarrow.compute  # noqa: F401

    _PYARROW_READY.set()


def _found(pattern: str, data: bytes, bounds: list[int]) -> list[bool]:
    """Whether `pattern` occurs in each slice `data[bounds[i]:bounds[i + 1]]`, in one call."""
    if not _PYARROW_READY.is_set():
        _PYARROW_READY.wait(timeout=30)
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer(array("q", bounds).tobytes())
    # Zero-copy: large-binary values over the data's own bytes.
    values = pa.Array.from_buffers(
        pa.large_binary(), len(bounds) - 1, [None, offsets, pa.py_buffer(data)]
    )
    return [bool(x) for x in pc.match_substring_regex(values, pattern).to_pylist()]


def _matches(pattern: str, chunk: bytes) -> bool:
    return _found(pattern, chunk, [0, len(chunk)])[0]


def _declaration_end(chunk: bytes) -> int:
    """Where the XML declaration at the head of a part ends (0 when there is none)."""
    if chunk.startswith(b"<?xml"):
        end = chunk.find(b"?>", 0, 512)
        if end >= 0 and chunk.find(b"<", 1, end) < 0:
            return end + 2
    return 0


def safe_columns(first_block: bytes, limits: Limits) -> int:
    """The columns the fast check lets through: the sheet's declared dimension when it is
    within the limits, but never fewer than fill Excel's rows within the cell limit."""
    cols = max(1, min(limits.max_columns, limits.max_cells // GRID_ROWS))
    match = _DIMENSION.search(first_block)
    if match is not None:
        parsed = parse_ref(match[1].split(b":")[-1])
        if parsed is not None and parsed[1] is not None and parsed[1] < limits.max_columns:
            cols = max(cols, parsed[1] + 1)
    return cols


def safe_rows(written: int, cols: int, limits: Limits) -> int:
    return min(GRID_ROWS, max(1, budget(written, limits) // cols))


def safe_box(first_block: bytes, limits: Limits) -> tuple[int, int]:
    """The box (rows, columns) the fast check lets through before it has seen any cell."""
    cols = safe_columns(first_block, limits)
    return safe_rows(0, cols, limits), cols


# The fast check matches this much XML at a time (pyarrow compiles the pattern per call).
_BATCH = 8 << 20
# Blocks the fast check flagged are kept (up to this much) for `locate`; beyond, or beyond
# `_MAX_FLAGGED` blocks, the exact analysis reads the whole sheet instead.
_KEEP = 48 << 20
_MAX_FLAGGED = 6
# `locate` analyses the flagged blocks in pieces of about this size.
_PIECE = 32 << 10
_CELL_START = re.compile(rb"<c[\s/>]")


def _last_cell_start(chunk: bytes) -> int:
    """Where the last `<c` element of `chunk` starts, or -1."""
    at = len(chunk)
    while True:
        at = chunk.rfind(b"<c", 0, at)
        if at < 0 or chunk[at + 2 : at + 3] in (b" ", b"\t", b"\r", b"\n", b"/", b">"):
            return at


@dataclass
class Batch:
    """A stretch of a sheet's XML the fast check matched at once: its offsets in the part,
    the rows its box allowed, whether it found something, and its bytes when kept."""

    start: int
    end: int
    rows: int
    flagged: bool
    data: bytes | None = None


class FastCheck:
    """Feeds a sheet's XML block by block; `suspect` turns true at the first cell that is
    not plainly inside the safe box.

    The box's columns come from the sheet's dimension; its rows grow with the cells seen so
    far (each `</c>` is a cell holding something), so a long dense sheet passes and a stray
    far below a short one does not. The check runs over whole cells: the unfinished cell at
    the end of a batch is carried into the next. Every batch is recorded, and the flagged
    ones kept, for `locate`.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.suspect = False
        self.long_run = False
        # Whether `locate` may try the flagged batches alone.
        self.viable = True
        self.cols = 0
        self.written = 0
        self.batches: list[Batch] = []
        self.sheet_data: tuple[int, int] | None = None  # offsets of `<sheetData` and its end
        self._opened = -1
        self._patterns: dict[int, str] = {}
        self._pending: list[bytes] = []
        self._size = 0
        self._offset = 0
        self._kept = 0
        self._run = TextRun(limits.max_text_bytes)

    def feed(self, block: bytes) -> None:
        self._run.feed(block)
        self.long_run = self._run.exceeded
        if self.long_run or (self.suspect and not self.viable):
            return
        if not self.cols:
            self.cols = safe_columns(block, self.limits)
        self._pending.append(block)
        self._size += len(block)
        if self._size >= _BATCH:
            self._check(final=False)

    def finish(self) -> None:
        if not self.long_run and not (self.suspect and not self.viable) and self._pending:
            self._check(final=True)
        self._pending, self._size = [], 0
        if self.sheet_data is None:
            self.viable = False

    def pattern(self, rows: int) -> str:
        if rows not in self._patterns:
            self._patterns[rows] = danger_pattern(rows, self.cols)
        return self._patterns[rows]

    def _check(self, final: bool) -> None:
        chunk = b"".join(self._pending)
        cut = len(chunk)
        if not final:
            cut = _last_cell_start(chunk)
            if cut <= 0:
                # No whole cell to check yet: cut at the last tag instead (bounded: a run
                # without `<` longer than the limit is refused by `TextRun`).
                self.viable = False
                tag = chunk.rfind(b"<")
                cut = tag if tag > 0 and chunk.find(b">", tag) < 0 else len(chunk)
        checked, rest = chunk[:cut], chunk[cut:]
        self._pending, self._size = ([rest], len(rest)) if rest else ([], 0)
        if not checked:
            return
        start = self._offset
        self._offset += len(checked)
        self.written += checked.count(b"</c>")
        self._find_sheet_data(checked, start)
        rows = safe_rows(self.written, self.cols, self.limits)
        skip = _declaration_end(checked) if start == 0 else 0
        flagged = _matches(self.pattern(rows), checked[skip:] + (b">" if final else b""))
        batch = Batch(start, self._offset, rows, flagged)
        self.batches.append(batch)
        if flagged:
            self.suspect = True
            if sum(b.flagged for b in self.batches) > _MAX_FLAGGED:
                self.viable = False
        if self.viable and flagged:
            if self._kept + len(checked) <= _KEEP:
                batch.data = checked
                self._kept += len(checked)
            else:
                self.viable = False
        if not self.viable:
            for earlier in self.batches:
                earlier.data = None

    def _find_sheet_data(self, checked: bytes, start: int) -> None:
        if self._opened < 0:
            at = checked.find(b"<sheetData")
            if at >= 0:
                end = checked.find(b">", at)
                name_end = checked[at + 10 : at + 11]
                if end < 0 or checked[end - 1 : end] == b"/" or name_end not in b" \t\r\n>":
                    self.viable = False  # empty or oddly written: nothing worth locating
                self._opened = start + at
        if self._opened >= 0 and self.sheet_data is None:
            at = checked.find(b"</sheetData>")
            if at >= 0:
                self.sheet_data = (self._opened, start + at)


# ---------------------------------------------------------------------------------------
# The exact analysis


class MalformedSheet(Exception):
    """Cells nested in ways no spreadsheet writes; calamine's reading of them is not
    predictable enough to hand it the sheet."""


class TooManyEdits(Exception):
    pass


class NotPlain(Exception):
    """`locate` met what only the whole analysis can place (a cell without `r`, a prefix,
    a comment...)."""


@dataclass
class Extent:
    """What the exact analysis found: the far cells, the cells holding a value row by row,
    and the edits that give calamine a sheet without the far ones."""

    far_count: int = 0
    first_far: tuple[int, int] | None = None
    first_far_text: str = ""
    # Closing `</c>` tags: the cells holding something, as the fast check counts them.
    written: int = 0
    stats: RowStats = field(default_factory=RowStats)
    # The last row and column of any cell kept (with a value or not).
    kept_rows: int = 0
    kept_cols: int = 0
    decision: Decision | None = None
    # Byte ranges [start, end) of far cells, and offsets where `r="REF"` goes in a kept cell
    # written without one.
    cuts: array[int] = field(default_factory=lambda: array("q"))
    inserts: array[int] = field(default_factory=lambda: array("q"))
    insert_refs: list[bytes] = field(default_factory=list)

    @property
    def needs_rewrite(self) -> bool:
        return bool(self.cuts) or bool(self.inserts)

    @property
    def refused(self) -> bool:
        return self.decision is not None and self.decision.refused

    @property
    def first_far_label(self) -> str:
        first = self.first_far or (0, 0)
        return cell_label(first[0], first[1], self.first_far_text)


_TOKEN = re.compile(
    rb"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!(?:[^>\[]|\[[^\]]*\])*>"
    rb"|(/?)([^\s/>]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>)",
    re.DOTALL,
)
_NESTED = re.compile(rb"<(?:[!?]|(?:[^\s<>/!?:\"'=]+:)?(?:c|row|sheetData)[\s/>])")
_R_ATTR = re.compile(rb"(?:^|[\s\"'])r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_INF = 1 << 40


def _local(name: bytes) -> bytes:
    colon = name.find(b":")
    return name if colon < 0 else name[colon + 1 :]


class _Analyser:
    """Every cell of a stretch of sheet XML placed as calamine places it, streaming.

    `cut_row`: cells from that row down are far too (the rule's second pass). `strict`: the
    stretch is one `locate` analyses alone, so whatever needs the rest of the sheet to be
    placed (a cell without `r`, a prefixed cell, a comment) raises `NotPlain`.
    """

    def __init__(
        self,
        limits: Limits,
        cut_row: int | None = None,
        strict: bool = False,
        state: str = "before",
        offset: int = 0,
    ) -> None:
        self.limits = limits
        self.cut_row = _INF if cut_row is None else cut_row
        self.strict = strict
        self.columns = min(GRID_COLUMNS, limits.max_columns)
        self.extent = Extent()
        self.state = state  # before sheetData, in it, or after
        self.offset = offset  # stream offset of the chunk being read
        self.row_index = 0
        self.col_index = 0
        self.in_cell = False
        self.cell_start = 0
        self.cell_pos = (0, 0)
        self.cell_far = False
        self.cell_insert: tuple[int, bytes] | None = None
        self.cell_has_child = False
        self.stack: list[bytes] = []

    def run(self, blocks: Iterable[bytes]) -> Extent:
        tail = b""
        for block in _with_end(blocks):
            final = block is None
            chunk = tail + (block or b"")
            pos = self._tokens(chunk, final)
            if final:
                break
            self.offset += pos
            tail = chunk[pos:]
        return self.extent

    def _tokens(self, chunk: bytes, final: bool) -> int:
        """Read the tokens of `chunk`; where the unread rest starts."""
        pos = 0
        while True:
            lt = chunk.find(b"<", pos)
            if lt < 0:
                return len(chunk)
            match = _TOKEN.match(chunk, lt)
            if match is None:
                if final:
                    return len(chunk)  # quick-xml stops with an error here: calamine reads nothing
                if len(chunk) - lt > self.limits.max_text_bytes:
                    raise MalformedSheet("tag too long")
                return lt
            pos = match.end()
            name = match[2]
            if name is None:
                if self.strict:
                    raise NotPlain("comment, CDATA or processing instruction")
                continue
            self._token(name, bool(match[1]), match[3], bool(match[4]), lt, pos)
            if self.in_cell and self.cell_far:
                # A far cell goes whole: what it holds is not worth reading tag by tag (a
                # header of 100,000 columns), unless it could hide a cell or a comment.
                end = chunk.find(b"</c>", pos)
                if end >= 0 and _NESTED.search(chunk, pos, end) is None:
                    self.extent.written += 1
                    pos = end + 4
                    self._end_cell(self.offset + pos)

    def _token(
        self, name: bytes, closing: bool, attributes: bytes, empty: bool, lt: int, pos: int
    ) -> None:
        extent = self.extent
        if closing and name == b"c":
            extent.written += 1
        local = _local(name)
        if self.strict and local != name and local in (b"c", b"row", b"sheetData"):
            raise NotPlain("prefixed element")
        if self.state == "after":
            return
        if self.state == "before":
            if not closing and local == b"sheetData":
                self.state = "after" if empty else "in"
            return
        if self.in_cell:
            if closing:
                if not self.stack and local == b"c":
                    self._end_cell(self.offset + pos)
                elif self.stack and self.stack[-1] == name:
                    self.stack.pop()
                else:
                    raise MalformedSheet("unbalanced cell")
            else:
                if local in (b"c", b"row", b"sheetData"):
                    raise MalformedSheet("nested cell")
                self.cell_has_child = True
                if not empty:
                    self.stack.append(name)
            return
        if local == b"sheetData" and closing:
            self.state = "after"
            return
        if local == b"row":
            if not closing:
                row_ref = _attribute_r(attributes)
                if row_ref is not None:
                    parsed = parse_ref(row_ref)
                    self.row_index = parsed[0] if parsed is not None else _INF
            if closing or empty:
                self.row_index += 1
                self.col_index = 0
            return
        if local == b"c" and not closing:
            self._start_cell(name, attributes, empty, lt, pos)

    def _start_cell(self, name: bytes, attributes: bytes, empty: bool, lt: int, pos: int) -> None:
        ref = _attribute_r(attributes)
        if ref is not None:
            parsed = parse_ref(ref)
            row, col = _INF, _INF
            if parsed is not None and parsed[1] is not None:
                row, col = parsed[0], parsed[1]
            insert = None
        else:
            if self.strict:
                raise NotPlain("cell without r")
            row, col = self.row_index, self.col_index
            at = self.offset + lt + 1 + len(name)
            insert = (at, b' r="' + cell_name(row, col).encode() + b'"')
        far = row >= GRID_ROWS or col >= self.columns or row >= self.cut_row
        if far and self.extent.first_far is None:
            self.extent.first_far = (row, col)
            self.extent.first_far_text = (ref or b"").decode("latin-1")[:20]
        self.cell_pos = (row, col)
        if empty:
            # Empty: calamine leaves it out of the grid, but it moves the column on.
            if far:
                _cut(self.extent, self.offset + lt, self.offset + pos)
            else:
                self._keep(insert)
            self.col_index = col + 1 if col < _INF else _INF
        else:
            self.in_cell, self.cell_start, self.cell_far = True, self.offset + lt, far
            self.cell_insert, self.cell_has_child = insert, False
            self.stack = []

    def _end_cell(self, end: int) -> None:
        self.in_cell = False
        row, col = self.cell_pos
        if self.cell_far:
            _cut(self.extent, self.cell_start, end)
        else:
            self._keep(self.cell_insert)
            if self.cell_has_child:
                self.extent.stats.add(row, col)
        self.col_index = col + 1 if col < _INF else _INF

    def _keep(self, insert: tuple[int, bytes] | None) -> None:
        row, col = self.cell_pos
        self.extent.kept_rows = max(self.extent.kept_rows, row + 1)
        self.extent.kept_cols = max(self.extent.kept_cols, col + 1)
        if insert is not None:
            _insert(self.extent, *insert)


def analyse(blocks: Iterable[bytes], limits: Limits, cut_row: int | None = None) -> Extent:
    """Every cell of the sheet placed as calamine places it, in one streaming pass; cells
    past Excel's grid, past the columns read or (with `cut_row`) from that row down are far."""
    return _Analyser(limits, cut_row).run(blocks)


def settle(read: Callable[[], Iterable[bytes]], limits: Limits) -> Extent:
    """The plain version: the whole sheet analysed, the rule applied, and (when it leaves
    rows out) analysed again to mark them. `read` gives the sheet's XML afresh."""
    found = analyse(read(), limits)
    decision = decide(found.stats, found.written, limits)
    if decision.cut_row is not None and not decision.refused:
        found = analyse(read(), limits, decision.cut_row)
    found.decision = decision
    return found


def _with_end(blocks: Iterable[bytes]) -> Iterator[bytes | None]:
    yield from blocks
    yield None


def _attribute_r(attributes: bytes) -> bytes | None:
    found = None
    for match in _R_ATTR.finditer(attributes):
        value = match[1] if match[1] is not None else match[2]
        # A second `r` (calamine would take the last): counted as far in any case.
        found = value if found is None else b"!"
    return found


def _cut(extent: Extent, start: int, end: int) -> None:
    extent.far_count += 1
    if len(extent.cuts) // 2 + len(extent.inserts) >= MAX_EDITS:
        raise TooManyEdits
    extent.cuts.extend((start, end))


def _insert(extent: Extent, at: int, text: bytes) -> None:
    if len(extent.cuts) // 2 + len(extent.inserts) >= MAX_EDITS:
        raise TooManyEdits
    extent.inserts.append(at)
    extent.insert_refs.append(text)


# ---------------------------------------------------------------------------------------
# The speed trick: only the flagged pieces analysed


@dataclass
class Located(Extent):
    """`locate`'s answer: an `Extent` of the pieces it analysed, and the box that the whole
    mended sheet keeps (`check_rows` by `check_cols`), which `locate` checked."""

    check_rows: int = 0
    check_cols: int = 0


def locate(
    check: FastCheck, limits: Limits, read: Callable[[], Iterable[bytes]] | None = None
) -> Located | None:
    """The same answer as `settle`, from the pieces of the blocks the fast check flagged;
    None when they do not settle it (then `settle` must run). `read` gives the sheet's XML
    afresh, for a second look at the blocks the fast check did not keep.

    Every cell outside those pieces is written `<c r="REF"` inside the box of its batch
    (the fast check proved it) and every `</c>` outside them was counted: so the cells
    holding a value are known in number, and those outside the pieces lie above the
    batches' rows and left of their columns. The rule is applied twice, once as if those
    cells filled their box to the right and once as if they were not there; when both say
    the same of every analysed cell, and neither reaches into the rows of the unanalysed
    ones, that is the rule's answer. When the first reaches into those rows, every piece is
    looked at again with a box that low, and the ones with a cell below it analysed too.
    """
    if not check.viable or not check.suspect or check.sheet_data is None:
        return None
    looked = _Pieces(check)
    for batch in check.batches:
        if batch.flagged and not looked.add_matching(batch, check.pattern(batch.rows)):
            return None
    if not looked.pieces:
        return None
    rows_below = max(batch.rows for batch in check.batches)
    try:
        for _ in range(3):
            found = looked.analysed(limits, None)
            cells = budget(found.written, limits)
            # The rule's answer if the unanalysed cells were as wide as their box and lay
            # as low as they may...
            low = _lowest_cut(found.stats, check.cols, rows_below, cells)
            if low is None or low >= rows_below:
                break
            if not looked.add_below(low, read):
                return None
            rows_below = low
        else:
            return None
        # ... and if they were not there.
        high = row_cut(found.stats.rows(), cells)
        decision = Decision(cells)
        if low is not None:
            at_low = looked.analysed(limits, low)
            at_high = looked.analysed(limits, high) if high is not None else found
            if list(at_low.cuts) != list(at_high.cuts):
                return None
            if high is not None:
                strays = found.stats.present_from(high)
                refused = strays > MAX_STRAYS
                if refused and found.stats.width < check.cols:
                    return None  # the refusal's figures need the sheet's true width
                decision = Decision(
                    cells,
                    cut_row=high,
                    strays=strays,
                    cell=(high, found.stats.widths[high] - 1),
                    box=found.stats.height * found.stats.width if refused else 0,
                    written=found.written,
                )
            found = at_low
    except (NotPlain, MalformedSheet, TooManyEdits):
        return None
    located = Located(
        far_count=found.far_count,
        first_far=found.first_far,
        first_far_text=found.first_far_text,
        written=found.written,
        stats=found.stats,
        decision=decision,
        cuts=found.cuts,
        check_rows=max(rows_below, found.kept_rows),
        check_cols=max(check.cols, found.kept_cols),
    )
    if located.check_rows * located.check_cols > limits.max_cells:
        return None
    # Every batch holding a piece, mended, checked whole against the box the mended sheet
    # keeps (the others passed a smaller one already): whatever the pieces missed is found.
    pattern = danger_pattern(located.check_rows, located.check_cols)
    for batch, data in looked.batches:
        mended = b"".join(rewrite([data], _shifted(located, batch)))
        skip = _declaration_end(mended) if batch.start == 0 else 0
        if _matches(pattern, mended[skip:]):
            return None
    return located


def _lowest_cut(stats: RowStats, cols: int, rows_below: int, cells: int) -> int | None:
    """The first row `row_cut` could leave out, were there besides the cells of `stats` a row
    `cols` wide at the top and another anywhere above `rows_below`."""
    widest = cols
    start = 0
    for row, width in stats.rows():
        anywhere = max(start, cells // widest)  # a row of unanalysed cells there overflows
        if anywhere < min(row, rows_below):
            return anywhere
        widest = max(widest, width)
        if (row + 1) * widest > cells:
            return row
        start = row + 1
    anywhere = max(start, cells // widest)
    return anywhere if anywhere < rows_below else None


class _Pieces:
    """The pieces of a sheet's XML `locate` analyses, and the batches they come from."""

    def __init__(self, check: FastCheck) -> None:
        self.check = check
        self.pieces: dict[int, bytes] = {}  # offset in the part → the piece's bytes
        self.held: dict[int, tuple[Batch, bytes]] = {}  # batch start → its bytes
        self.size = 0
        self._analysed: dict[tuple[int, int | None], Extent] = {}

    @property
    def batches(self) -> list[tuple[Batch, bytes]]:
        return [self.held[start] for start in sorted(self.held)]

    def add_matching(self, batch: Batch, pattern: str, data: bytes | None = None) -> bool:
        """Add the pieces of `batch` where `pattern` is found; False when its bytes are not
        at hand, or it holds too much to analyse piece by piece."""
        data = batch.data if data is None else data
        if data is None:
            return False
        bounds = [_declaration_end(data) if batch.start == 0 else 0]
        while bounds[-1] < len(data):
            found = _CELL_START.search(data, bounds[-1] + _PIECE)
            bounds.append(found.start() if found is not None else len(data))
        flags = _found(pattern, data, bounds)
        if not any(flags):
            # What the whole batch shows, its pieces must show too (a tag cut in two...).
            return not _matches(pattern, data[bounds[0] :])
        for start, end, flag in zip(bounds, bounds[1:], flags, strict=False):
            if flag and batch.start + start not in self.pieces:
                self.pieces[batch.start + start] = data[start:end]
                self.size += end - start
        if batch.start not in self.held:
            self.held[batch.start] = (batch, data)
            self.size += len(data) if data is not batch.data else 0
        return self.size <= _KEEP

    def add_below(self, rows: int, read: Callable[[], Iterable[bytes]] | None) -> bool:
        """Look at every batch again with a box `rows` high, adding the pieces with a cell
        below it; the batches not at hand are read again (`read`)."""
        pattern = self.check.pattern(rows)
        missing: list[Batch] = []
        for batch in self.check.batches:
            data = self.held[batch.start][1] if batch.start in self.held else batch.data
            if data is None:
                missing.append(batch)
            elif not self.add_matching(batch, pattern, data):
                return False
        if not missing:
            return True
        if read is None:
            return False
        for batch, data in _batch_data(read(), missing):
            if not self.add_matching(batch, pattern, data):
                return False
        return True

    def analysed(self, limits: Limits, cut_row: int | None) -> Extent:
        """The pieces analysed (strictly), adjoining ones together, as one extent."""
        key = (len(self.pieces), cut_row)
        if key not in self._analysed:
            self._analysed[key] = self._analyse(limits, cut_row)
        return self._analysed[key]

    def _analyse(self, limits: Limits, cut_row: int | None) -> Extent:
        assert self.check.sheet_data is not None
        opened, closed = self.check.sheet_data
        whole = Extent()
        for start, data in _joined(self.pieces):
            state = "before" if start <= opened else ("in" if start < closed else "after")
            part = _Analyser(limits, cut_row, strict=True, state=state, offset=start).run([data])
            whole.stats.merge(part.stats)
            whole.written += part.written - data.count(b"</c>")
            whole.far_count += part.far_count
            if whole.first_far is None and part.first_far is not None:
                whole.first_far, whole.first_far_text = part.first_far, part.first_far_text
            whole.cuts.extend(part.cuts)
            whole.kept_rows = max(whole.kept_rows, part.kept_rows)
            whole.kept_cols = max(whole.kept_cols, part.kept_cols)
        whole.written += self.check.written
        return whole


def _joined(pieces: dict[int, bytes]) -> list[tuple[int, bytes]]:
    joined: list[tuple[int, bytes]] = []
    for start in sorted(pieces):
        if joined and joined[-1][0] + len(joined[-1][1]) == start:
            joined[-1] = (joined[-1][0], joined[-1][1] + pieces[start])
        else:
            joined.append((start, pieces[start]))
    return joined


def _batch_data(blocks: Iterable[bytes], wanted: list[Batch]) -> Iterator[tuple[Batch, bytes]]:
    """The bytes of the `wanted` batches (in the part's order), from the part read again."""
    buffer = bytearray()
    base = 0  # offset in the part of buffer[0]
    index = 0
    for block in blocks:
        if index >= len(wanted):
            return
        buffer += block
        while index < len(wanted) and wanted[index].end <= base + len(buffer):
            batch = wanted[index]
            yield batch, bytes(buffer[batch.start - base : batch.end - base])
            index += 1
        # Drop what no wanted batch still needs.
        keep_from = wanted[index].start if index < len(wanted) else base + len(buffer)
        if keep_from > base:
            del buffer[: keep_from - base]
            base = keep_from


def _shifted(found: Extent, batch: Batch) -> Extent:
    """The cuts of `found` within `batch`, as offsets in its bytes."""
    cuts = array("q")
    for i in range(0, len(found.cuts), 2):
        start, end = found.cuts[i], found.cuts[i + 1]
        if batch.start <= start < batch.end:
            cuts.extend((start - batch.start, end - batch.start))
    return Extent(cuts=cuts)


# ---------------------------------------------------------------------------------------
# The mended copy


def rewrite(blocks: Iterable[bytes], extent: Extent) -> Iterator[bytes]:
    """The sheet's XML without the far cells, with `r` on every kept cell: the edits of
    `analyse`, applied in one streaming pass."""
    edits: list[tuple[int, int, bytes]] = []
    for i in range(0, len(extent.cuts), 2):
        edits.append((extent.cuts[i], extent.cuts[i + 1], b""))
    for at, text in zip(extent.inserts, extent.insert_refs, strict=True):
        edits.append((at, at, text))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
    return apply_edits(blocks, edits)


def apply_edits(blocks: Iterable[bytes], edits: list[tuple[int, int, bytes]]) -> Iterator[bytes]:
    """`blocks` with each (start, stop, text) edit, in order, replacing bytes start:stop by
    text, in one streaming pass; an edit inside a cut already made is dropped."""
    offset = 0
    index = 0
    skip_to = 0
    for block in blocks:
        end = offset + len(block)
        pos = offset
        out: list[bytes] = []
        while index < len(edits) and edits[index][0] < end:
            start, stop, text = edits[index]
            if start < skip_to:  # inside a cut (an insert in a far cell)
                index += 1
                continue
            begin = max(pos, skip_to)
            if start > begin:
                out.append(block[begin - offset : start - offset])
            out.append(text)
            pos = start
            skip_to = max(skip_to, stop)
            index += 1
        begin = max(pos, skip_to)
        if begin < end:
            out.append(block[begin - offset :])
        offset = end
        yield b"".join(out)


# A mended sheet up to this size is stored in the copy (deflating costs more than it saves).
_STORED = 256 << 20


def mended_workbook(
    source: zipfile.ZipFile, part: zipfile.ZipInfo, sheet_xml: Iterable[bytes]
) -> bytes:
    """The workbook again, in memory, with `part` replaced by `sheet_xml`; every other
    entry of the same name (a duplicate in a forged archive) is left out. The entries keep
    their order and their compression (an .ods starts with its `mimetype`, stored); the
    sheet is stored rather than deflated when it is small enough to hold as it is."""
    import io

    buffer = io.BytesIO()
    last: dict[str, zipfile.ZipInfo] = {}
    for entry in source.infolist():
        last[entry.filename] = entry
    wanted = _ascii_lower(part.filename)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        written = False
        for entry in source.infolist():
            if entry.is_dir() or last[entry.filename] is not entry:
                continue
            if _ascii_lower(entry.filename) == wanted:
                if written:
                    continue
                written = True
                info = zipfile.ZipInfo(part.filename, date_time=part.date_time)
                info.compress_type = (
                    zipfile.ZIP_STORED if part.file_size <= _STORED else zipfile.ZIP_DEFLATED
                )
                with copy.open(info, "w", force_zip64=True) as stream:
                    for block in sheet_xml:
                        stream.write(block)
                continue
            info = zipfile.ZipInfo(entry.filename, date_time=entry.date_time)
            info.compress_type = entry.compress_type
            with source.open(entry) as original, copy.open(info, "w") as target:
                while chunk := original.read(1 << 20):
                    target.write(chunk)
    return buffer.getvalue()


def _ascii_lower(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape").lower()


def calamine_entry(archive: zipfile.ZipFile, path: str) -> tuple[zipfile.ZipInfo | None, int]:
    """The entry calamine reads for the part `path`, and how many entries could be it.

    calamine takes the first name (in the archive's order) equal to `path` but for ASCII
    case, and of several entries of that exact name, the last.
    """
    wanted = _ascii_lower(path)
    candidates = [e for e in archive.infolist() if _ascii_lower(e.filename) == wanted]
    if not candidates:
        return None, 0
    name = candidates[0].filename
    chosen = [e for e in candidates if e.filename == name][-1]
    return chosen, len(candidates)
