"""Where the cells of an .xlsx sheet lie, found before calamine is handed the sheet.

calamine places every cell of a sheet in one dense grid spanning all of them: a single
value at `XFD1048576` (a stray key press after Ctrl+End) makes it allocate 17 billion
cells and abort the whole process, which no `try` can catch. So the extent of a sheet's
cells is established from its XML first, block by block in bounded memory:

- `FastCheck`, on every block: one regular expression (RE2, through pyarrow, which runs
  without the GIL at the speed of inflating) that finds any cell written otherwise than
  `<c r="REF"` with REF inside a box known to be safe. A sheet where it finds nothing is
  handed to calamine as it is: that is every sheet Excel or LibreOffice writes.
- `analyse`, only when the fast check found something: the exact positions calamine would
  give every cell (cells and rows without `r` counted by position, namespace prefixes,
  refs past Excel's grid), following calamine's own rules. Cells past Excel's grid or past
  `Limits.max_columns` are far; `rewrite` then gives calamine a copy of the sheet without
  them (and with an explicit `r` on every cell it keeps). A sheet whose remaining cells
  still span more than `Limits.max_cells` is refused.
"""

from __future__ import annotations

import re
import threading
import zipfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kpi_tritue.limits import Limits, TextRun

# Excel's grid: 1,048,576 rows by 16,384 columns (XFD).
GRID_ROWS = 1_048_576
GRID_COLUMNS = 16_384
# Beyond this many far cells, or kept cells to give an `r`, a sheet is not worth mending.
MAX_EDITS = 2_000_000

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
    with REF inside the first `rows` rows and `cols` columns, or carries a second `r`.

    What it cannot match is, by construction, a cell calamine places inside that box: every
    element whose local name is `c` (with any prefix) is either `<c r="` or matched; after
    `<c r="`, anything but letters then digits within the box then `"` is matched.
    """
    name_end = r"(?:[\s/>])"
    odd_cell = (
        # any prefixed `c` element
        r"<[^\s<>/!?:\"'=]+:c"
        + name_end
        # an unprefixed `c` element not starting with ` r="`
        + r"|<c(?:>|/|[\t\r\n]| [\t\r\n ]| [^r\t\r\n ]| r[^=]| r=[^\"])"
    )
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
    return f"{odd_cell}|{far_ref}|{second_r}"


_PYARROW_READY = threading.Event()


def pyarrow_ready() -> None:
    """Say that `pyarrow.compute` is imported: a scan thread waits for it rather than import
    it beside the main thread's imports."""
    import pyarrow.compute  # noqa: F401

    _PYARROW_READY.set()


def _matches(pattern: str, chunk: bytes) -> bool:
    if not _PYARROW_READY.is_set():
        _PYARROW_READY.wait(timeout=30)
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer(array("q", (0, len(chunk))).tobytes())
    # Zero-copy: one large-binary value over the chunk's own bytes.
    value = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(chunk)])
    found = pc.match_substring_regex(value, pattern)
    return bool(found[0].as_py())


def safe_box(first_block: bytes, limits: Limits) -> tuple[int, int]:
    """The box (rows, columns) the fast check lets through: the sheet's declared dimension
    when it is within the limits and wider than the default, else every row of Excel's grid
    by as many columns as the cell budget allows."""
    cols = max(1, min(limits.max_columns, limits.max_cells // GRID_ROWS))
    rows = min(GRID_ROWS, limits.max_cells // cols)
    match = _DIMENSION.search(first_block)
    if match is not None:
        end = match[1].split(b":")[-1]
        parsed = parse_ref(end)
        if parsed is not None and parsed[1] is not None:
            drow, dcol = parsed[0] + 1, parsed[1] + 1
            if (
                dcol > cols
                and dcol <= limits.max_columns
                and drow <= GRID_ROWS
                and drow * dcol <= limits.max_cells
            ):
                return drow, dcol
    return rows, cols


# The fast check matches this much XML at a time (pyarrow compiles the pattern per call).
_BATCH = 8 << 20


class FastCheck:
    """Feeds a sheet's XML block by block; `suspect` turns true at the first cell that is
    not plainly inside the safe box. The check runs over whole tags: the unfinished tag at
    the end of a batch is carried into the next."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.suspect = False
        self.long_run = False
        self._pattern: str | None = None
        self._pending: list[bytes] = []
        self._size = 0
        self._run = TextRun(limits.max_text_bytes)

    def feed(self, block: bytes) -> None:
        self._run.feed(block)
        self.long_run = self._run.exceeded
        if self.suspect or self.long_run:
            return
        if self._pattern is None:
            self._pattern = danger_pattern(*safe_box(block, self.limits))
        self._pending.append(block)
        self._size += len(block)
        if self._size >= _BATCH:
            self._check(final=False)

    def finish(self) -> None:
        if not self.suspect and not self.long_run and self._pending:
            self._check(final=True)
        self._pending, self._size = [], 0

    def _check(self, final: bool) -> None:
        assert self._pattern is not None
        chunk = b"".join(self._pending)
        cut = chunk.rfind(b"<")
        if not final and cut >= 0 and chunk.find(b">", cut) < 0:
            # Bounded: a run without `<` longer than the limit is refused by `TextRun`.
            checked, rest = chunk[:cut], chunk[cut:]
        else:
            checked, rest = chunk, b""
        self._pending, self._size = ([rest], len(rest)) if rest else ([], 0)
        if checked and _matches(self._pattern, checked + (b">" if final else b"")):
            self.suspect = True


# ---------------------------------------------------------------------------------------
# The exact analysis


class MalformedSheet(Exception):
    """Cells nested in ways no spreadsheet writes; calamine's reading of them is not
    predictable enough to hand it the sheet."""


class TooManyEdits(Exception):
    pass


@dataclass
class Extent:
    """What the exact analysis found: the far cells, the box of the others, and the edits
    that give calamine a sheet without the far ones."""

    far_count: int = 0
    first_far: tuple[int, int] | None = None
    first_far_text: str = ""
    max_row: int = -1
    max_col: int = -1
    max_row_cell: tuple[int, int] = (0, 0)
    max_col_cell: tuple[int, int] = (0, 0)
    # Byte ranges [start, end) of far cells, and offsets where `r="REF"` goes in a kept cell
    # written without one.
    cuts: array[int] = field(default_factory=lambda: array("q"))
    inserts: array[int] = field(default_factory=lambda: array("q"))
    insert_refs: list[bytes] = field(default_factory=list)

    @property
    def cells(self) -> int:
        return (self.max_row + 1) * (self.max_col + 1) if self.max_row >= 0 else 0

    @property
    def needs_rewrite(self) -> bool:
        return bool(self.cuts) or bool(self.inserts)


_TOKEN = re.compile(
    rb"<(?:!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|!(?:[^>\[]|\[[^\]]*\])*>"
    rb"|(/?)([^\s/>]+)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>)",
    re.DOTALL,
)
_R_ATTR = re.compile(rb"(?:^|[\s\"'])r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_INF = 1 << 40


def _local(name: bytes) -> bytes:
    colon = name.find(b":")
    return name if colon < 0 else name[colon + 1 :]


def analyse(blocks: Iterable[bytes], limits: Limits) -> Extent:
    """Every cell of the sheet placed as calamine places it, in one streaming pass."""
    extent = Extent()
    row_index = col_index = 0
    state = "before"  # before sheetData, in it, or after
    in_cell = False
    cell_start = 0
    cell_pos = (0, 0)
    cell_far = False
    cell_insert: tuple[int, bytes] | None = None
    cell_has_child = False
    stack: list[bytes] = []
    offset = 0  # stream offset of chunk[0]
    tail = b""
    for block in _with_end(blocks):
        final = block is None
        chunk = tail + (block or b"")
        pos = 0
        while True:
            lt = chunk.find(b"<", pos)
            if lt < 0:
                pos = len(chunk)
                break
            match = _TOKEN.match(chunk, lt)
            if match is None:
                if final:
                    pos = len(chunk)
                    break  # quick-xml stops with an error here: calamine reads nothing
                pos = lt
                if len(chunk) - lt > limits.max_text_bytes:
                    raise MalformedSheet("tag too long")
                break
            pos = match.end()
            name = match[2]
            if name is None:
                continue  # comment, CDATA, processing instruction, doctype
            closing = bool(match[1])
            empty = bool(match[4])
            local = _local(name)
            if state == "after":
                continue
            if state == "before":
                if not closing and local == b"sheetData":
                    state = "after" if empty else "in"
                continue
            if in_cell:
                if closing:
                    if not stack and local == b"c":
                        in_cell = False
                        if cell_far:
                            _cut(extent, cell_start, offset + pos)
                        elif cell_insert is not None:
                            _insert(extent, *cell_insert)
                        if cell_has_child and not cell_far:
                            _grow(extent, cell_pos)
                        col_index = cell_pos[1] + 1 if cell_pos[1] < _INF else _INF
                    elif stack and stack[-1] == name:
                        stack.pop()
                    else:
                        raise MalformedSheet("unbalanced cell")
                else:
                    if local in (b"c", b"row", b"sheetData"):
                        raise MalformedSheet("nested cell")
                    cell_has_child = True
                    if not empty:
                        stack.append(name)
                continue
            if local == b"sheetData" and closing:
                state = "after"
                continue
            if local == b"row":
                if not closing:
                    row_ref = _attribute_r(match[3])
                    if row_ref is not None:
                        parsed = parse_ref(row_ref)
                        row_index = parsed[0] if parsed is not None else _INF
                if closing or empty:
                    row_index += 1
                    col_index = 0
                continue
            if local == b"c" and not closing:
                ref = _attribute_r(match[3])
                if ref is not None:
                    parsed = parse_ref(ref)
                    row, col = _INF, _INF
                    if parsed is not None and parsed[1] is not None:
                        row, col = parsed[0], parsed[1]
                    insert = None
                else:
                    row, col = row_index, col_index
                    at = offset + lt + 1 + len(name)
                    insert = (at, b' r="' + cell_name(row, col).encode() + b'"')
                far = row >= GRID_ROWS or col >= min(GRID_COLUMNS, limits.max_columns)
                if far and extent.first_far is None:
                    extent.first_far = (row, col)
                    extent.first_far_text = (ref or b"").decode("latin-1")[:20]
                cell_pos = (row, col)
                if empty:
                    # Empty: calamine leaves it out of the grid, but it moves the column on.
                    if far:
                        _cut(extent, offset + lt, offset + pos)
                    elif insert is not None:
                        _insert(extent, *insert)
                    col_index = col + 1 if col < _INF else _INF
                else:
                    in_cell, cell_start, cell_far = True, offset + lt, far
                    cell_insert, cell_has_child = insert, False
                    stack = []
        if final:
            break
        offset += pos
        tail = chunk[pos:]
    return extent


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


def _grow(extent: Extent, pos: tuple[int, int]) -> None:
    row, col = pos
    if row > extent.max_row:
        extent.max_row, extent.max_row_cell = row, pos
    if col > extent.max_col:
        extent.max_col, extent.max_col_cell = col, pos


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


def rewrite(blocks: Iterable[bytes], extent: Extent) -> Iterator[bytes]:
    """The sheet's XML without the far cells, with `r` on every kept cell: the edits of
    `analyse`, applied in one streaming pass."""
    edits: list[tuple[int, int, bytes]] = []
    for i in range(0, len(extent.cuts), 2):
        edits.append((extent.cuts[i], extent.cuts[i + 1], b""))
    for at, text in zip(extent.inserts, extent.insert_refs, strict=True):
        edits.append((at, at, text))
    edits.sort(key=lambda edit: (edit[0], edit[1]))
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


def mended_workbook(
    source: zipfile.ZipFile, part: zipfile.ZipInfo, sheet_xml: Iterable[bytes]
) -> bytes:
    """The workbook again, in memory, with `part` replaced by `sheet_xml`; every other
    entry of the same name (a duplicate in a forged archive) is left out."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        with copy.open(part.filename, "w", force_zip64=True) as stream:
            for block in sheet_xml:
                stream.write(block)
        last: dict[str, zipfile.ZipInfo] = {}
        for entry in source.infolist():
            last[entry.filename] = entry
        for entry in last.values():
            if _ascii_lower(entry.filename) == _ascii_lower(part.filename) or entry.is_dir():
                continue
            with source.open(entry) as original, copy.open(entry.filename, "w") as target:
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
