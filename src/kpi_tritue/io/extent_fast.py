"""The fast check of an .xlsx sheet: one RE2 pattern for any cell not plainly in a safe box.

It runs on every block of a sheet's XML (RE2, through google-re2, which compiles the
pattern once and runs without the GIL at the speed of inflating; through pyarrow when
google-re2 is not installed) and finds any cell written otherwise than `<c r="REF"` with REF
inside a box the budget allows. A sheet where it finds nothing is handed to calamine as it
is: that is every sheet Excel or LibreOffice writes. What it flags is settled by `extent`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import itertools
import re
import threading
from array import array
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from kpi_tritue.contract.limits import Limits, TextRun
from kpi_tritue.io.extent_rule import GRID_ROWS, budget, budget_reached, column_letters, parse_ref

_DIMENSION = re.compile(rb'<(?:[^\s<>/!?:"\'=]+:)?dimension\s[^>]*?ref\s*=\s*["\']([^"\']*)["\']')


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


@functools.lru_cache(maxsize=64)
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


# Held while `pyarrow.compute` is imported through `pyarrow_ready`.
_PYARROW_IMPORT = threading.Lock()


def pyarrow_ready() -> None:
    """Import `pyarrow.compute`, once, whichever thread asks first (`found_in_pyarrow`,
    the matcher without google-re2, and `read_sheet`).

    A thread that gets here while another imports it waits for that import; nothing is
    ever waited for that no thread is doing (a run of files opened and loaded in threads
    once waited 30 s a batch for an announcement only `prefetch` made).
    """
    with _PYARROW_IMPORT:
        import pyarrow.compute  # noqa: F401


def matcher_ready() -> None:
    """Import google-re2, the matcher, if it is installed: `prefetch` calls it before its
    threads start, so that no module is imported by two threads at once."""
    with contextlib.suppress(ImportError):
        importlib.import_module("re2")


# A batch of more XML than this, of a big part, is matched in the pool's threads while the
# next is inflated (`FastCheck`).
_SMALL = 1 << 20


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> Any | None:
    """`pattern` compiled by google-re2 as pyarrow compiles it for binary data (the
    pattern's UTF-8 bytes, read as Latin-1, matched byte by byte); None without it (or
    with another module of its name)."""
    try:
        re2 = importlib.import_module("re2")
        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1
        return re2.compile(pattern.encode("utf-8"), options)
    except (ImportError, AttributeError, TypeError):
        return None


def found_in(pattern: str, data: bytes, bounds: list[int]) -> list[bool]:
    """Whether `pattern` occurs in each slice `data[bounds[i]:bounds[i + 1]]`, in one call.

    Through google-re2 when it is installed: it compiles each pattern once per process
    (~0.01 ms) where pyarrow compiles it on every call (~0.25 ms, 12,000 small sheets in a
    year of 2,000 units), matches as fast per byte, and releases the GIL as pyarrow does;
    and it needs no import of `pyarrow.compute` (~0.13 s), which a read-ahead gating a big
    sheet would otherwise wait for (issue 14). Else through pyarrow.
    """
    compiled = _compiled(pattern)
    if compiled is not None:
        return [
            compiled.search(data, start, end) is not None
            for start, end in itertools.pairwise(bounds)
        ]
    return found_in_pyarrow(pattern, data, bounds)


def found_in_pyarrow(pattern: str, data: bytes, bounds: list[int]) -> list[bool]:
    """`found_in` through pyarrow's RE2 (which compiles the pattern on every call)."""
    pyarrow_ready()
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.py_buffer(array("q", bounds).tobytes())
    # Zero-copy: large-binary values over the data's own bytes.
    values = pa.Array.from_buffers(
        pa.large_binary(), len(bounds) - 1, [None, offsets, pa.py_buffer(data)]
    )
    return [bool(x) for x in pc.match_substring_regex(values, pattern).to_pylist()]


def matches(pattern: str, chunk: bytes) -> bool:
    return found_in(pattern, chunk, [0, len(chunk)])[0]


def declaration_end(chunk: bytes) -> int:
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


# The fast check stops counting a sheet's cells once they give it the most cells its box
# may span (`FastCheck.counted_to`): the box grows no more, and counting `</c>` was a fifth
# of the gate's CPU on a sheet of 1,048,575 rows (0.29 of 1.5 s). Nor does it look for
# `</sheetData>` (0.15 s there, a search over every batch for what is in the last). Only
# `locate` needs either, for a sheet the check flagged: it reads the part again for them
# (`read_again`). False: every batch counted, the plain version, which tests hold this
# one to.
COUNT_TO_BUDGET = True

_SHEET_DATA_END = b"</sheetData>"


def read_again(blocks: Iterable[bytes], closing_from: int, count: bool) -> tuple[int, int]:
    """What the fast check leaves to `locate`, from a part's blocks however they cut it: its
    cells holding a value (`</c>`; 0 unless `count`), what `FastCheck.written` is once it
    has counted a part to its end; and where its first `</sheetData>` at or after offset
    `closing_from` starts (-1: none)."""
    written, closed = 0, -1
    tail, base = b"", 0  # the last bytes before the block, and the block's offset
    for block in blocks:
        if count:
            # A `</c>` across the cut between the blocks: in the three bytes either side.
            written += (tail[-3:] + block[:3]).count(b"</c>") + block.count(b"</c>")
        if closed < 0:
            edge = tail + block[: len(_SHEET_DATA_END) - 1]
            at = edge.find(_SHEET_DATA_END, max(0, closing_from - base + len(tail)))
            if at >= 0:
                closed = base - len(tail) + at
            else:
                at = block.find(_SHEET_DATA_END, max(0, closing_from - base))
                closed = base + at if at >= 0 else -1
        elif not count:
            break
        tail = (tail + block)[-(len(_SHEET_DATA_END) - 1) :]
        base += len(block)
    return written, closed


# The fast check matches this much XML at a time (pyarrow, without google-re2, compiles the
# pattern per call).
_BATCH = 8 << 20
# Blocks the fast check flagged are kept (up to this much) for `locate`; beyond, or beyond
# `_MAX_FLAGGED` blocks, the exact analysis reads the whole sheet instead.
KEEP = 48 << 20
_MAX_FLAGGED = 6


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

    With a `pool` (a big part, `pool_for`), each batch but the last is matched in the
    pool's threads while the next is inflated and cut (RE2 and zlib release the
    GIL). Its state is then exactly the plain check's as long as no such batch is flagged,
    the only thing the plain check does differently after a flag; at the first flag,
    `again` is set and the caller runs the plain check over the part (`settled`). The
    pool is the caller's to shut down (`close`).

    The box's columns come from the sheet's dimension; its rows grow with the cells seen so
    far (each `</c>` is a cell holding something), so a long dense sheet passes and a stray
    far below a short one does not. Once they reach the budget's most (`counted_to`), the
    box is the largest it gets, and the rest of the sheet's cells are not counted. The
    check runs over whole cells: the unfinished cell at the end of a batch is carried into
    the next. Every batch is recorded, and the flagged ones kept, for `locate`.
    """

    def __init__(self, limits: Limits, pool: ThreadPoolExecutor | None = None) -> None:
        self.limits = limits
        self._pool = pool
        # Batches being matched in the pool, oldest first.
        self._matching: deque[Future[list[bool]]] = deque()
        # A batch matched in the pool was flagged: the plain check must be run instead.
        self.again = False
        self.suspect = False
        self.long_run = False
        # Whether `locate` may try the flagged batches alone.
        self.viable = True
        self.cols = 0
        # The `</c>` in the batches so far, up to `counted_to`: from there on (an offset in
        # the part) none is counted, as no more can change the box (`COUNT_TO_BUDGET`).
        self.written = 0
        self.counted_to: int | None = None
        self.batches: list[Batch] = []
        # The offset of `<sheetData`, and of the start of its batch (`</sheetData>` is
        # looked for from there, by `read_again`).
        self.opened: tuple[int, int] | None = None
        self._patterns: dict[int, str] = {}
        self._pending: list[bytes] = []
        self._size = 0
        self._offset = 0
        self._kept = 0
        self._run = TextRun(limits.max_text_bytes)

    def feed(self, block: bytes) -> None:
        self._run.feed(block)
        self.long_run = self._run.exceeded
        if self.long_run or (self.suspect and not self.viable) or self.again:
            return
        if not self.cols:
            self.cols = safe_columns(block, self.limits)
        self._pending.append(block)
        self._size += len(block)
        if self._size >= _BATCH:
            self._check(final=False)

    def finish(self) -> None:
        while self._matching and not self.again:
            self._settle_oldest()
        if self.again:
            return
        if not self.long_run and not (self.suspect and not self.viable) and self._pending:
            self._check(final=True)
        self._pending, self._size = [], 0
        if self.opened is None:
            self.viable = False

    def close(self) -> None:
        """Stop matching in the pool (the batches being matched end; none queued starts)."""
        self._matching.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _settle_oldest(self) -> None:
        if self._matching.popleft().result()[0]:
            self.again = True

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
        # The batch is `chunk[:cut]`, read in place (not copied) unless it is kept.
        rest = chunk[cut:]
        self._pending, self._size = ([rest], len(rest)) if rest else ([], 0)
        if not cut:
            return
        start = self._offset
        self._offset += cut
        if self.counted_to is None:
            self.written += chunk.count(b"</c>", 0, cut)
            if COUNT_TO_BUDGET and budget_reached(self.written, self.limits):
                self.counted_to = self._offset
        if self.opened is None:
            self._find_opening(chunk, cut, start)
        rows = safe_rows(self.written, self.cols, self.limits)
        skip = declaration_end(chunk) if start == 0 else 0
        if not final and self._pool is not None and len(chunk) > _SMALL:
            # Matched beside: recorded unflagged, as the plain check records it unless it
            # is flagged (then `again`).
            self.batches.append(Batch(start, self._offset, rows, False))
            # A batch settled before the next is sent: at most `_MATCHING` are held.
            while len(self._matching) >= _MATCHING and not self.again:
                self._settle_oldest()
            if not self.again:
                self._matching.append(
                    self._pool.submit(found_in, self.pattern(rows), chunk, [skip, cut])
                )
            return
        if final:
            flagged = matches(self.pattern(rows), chunk[skip:] + b">")
        else:
            flagged = found_in(self.pattern(rows), chunk, [skip, cut])[0]
        batch = Batch(start, self._offset, rows, flagged)
        self.batches.append(batch)
        if flagged:
            self.suspect = True
            if sum(b.flagged for b in self.batches) > _MAX_FLAGGED:
                self.viable = False
        if self.viable and flagged:
            if self._kept + cut <= KEEP:
                batch.data = chunk[:cut]
                self._kept += cut
            else:
                self.viable = False
        if not self.viable:
            for earlier in self.batches:
                earlier.data = None

    def _find_opening(self, chunk: bytes, cut: int, start: int) -> None:
        """Note where `<sheetData` is in the batch `chunk[:cut]`, if it is."""
        at = chunk.find(b"<sheetData", 0, cut)
        if at >= 0:
            end = chunk.find(b">", at, cut)
            name_end = chunk[at + 10 : min(at + 11, cut)]
            if end < 0 or chunk[end - 1 : end] == b"/" or name_end not in b" \t\r\n>":
                self.viable = False  # empty or oddly written: nothing worth locating
            self.opened = (start + at, start)


# A part declared to inflate to at least this many bytes has its batches matched in a pool
# of threads (`FastCheck`'s `pool`), at most `_MATCHING` at once (each holds its batch).
POOL_FROM = 4 * _BATCH
_MATCHING = 2


def pool_for(declared: int) -> ThreadPoolExecutor | None:
    """The pool a part declared to inflate to `declared` bytes is matched in, if any."""
    if declared < POOL_FROM:
        return None
    return ThreadPoolExecutor(max_workers=_MATCHING, thread_name_prefix="kpi-gate")


def settled(check: FastCheck, read: Callable[[], Iterable[bytes]]) -> FastCheck:
    """`check`, once finished, when none of the batches it matched in its pool was
    flagged; else the plain check run over the part again (`read`), which is then what
    the check is."""
    if not check.again:
        return check
    plain = FastCheck(check.limits)
    for block in read():
        plain.feed(block)
    plain.finish()
    return plain
