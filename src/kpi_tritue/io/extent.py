"""Where the cells of an .xlsx sheet lie, found before calamine is handed the sheet.

calamine places every cell of a sheet in one dense grid spanning all of them: a single
value at `XFD1048576` (a stray key press after Ctrl+End) makes it allocate 17 billion
cells and abort the whole process, which no `try` can catch; one at `X1048576` beside a
hundred rows costs a gigabyte. So the extent of a sheet's cells is established from its XML
first, block by block in bounded memory, and a sheet is handed to calamine only once its
grid is known to be small.

The rule is `extent_rule.decide`, the same for .xlsx, .xls and .ods. How it is found for an
.xlsx:

- `FastCheck` (`extent_fast`), on every block: one regular expression (RE2, through
  pyarrow, which runs without the GIL at the speed of inflating) that finds any cell
  written otherwise than `<c r="REF"` with REF inside a box the budget allows. A sheet
  where it finds nothing is handed to calamine as it is: that is every sheet Excel or
  LibreOffice writes. A big part's batches are matched in a pool of threads while the next
  is inflated; at a flag the plain check runs again (`settled`), so it ends the same.
- `locate`, here, when the fast check found something in a few blocks of a sheet where
  every other cell carries a plain `r`: the exact analysis of those few pieces only, and a
  proof that the rest cannot change the answer (else it says so and `settle` runs instead).
- `settle`, here, the plain version: `analyse` (`extent_scan`) places every cell exactly as
  calamine would (cells and rows without `r` counted by position, namespace prefixes, refs
  past Excel's grid), then `decide` applies the rule, and a second pass marks what to leave
  out.
- `rewrite` (`extent_mend`) then gives calamine a copy of the sheet without the far cells
  (and with an explicit `r` on every cell it keeps); the copy is checked again before
  calamine sees it.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from kpi_tritue.contract.limits import Limits
from kpi_tritue.io.extent_fast import (
    KEEP,
    Batch,
    FastCheck,
    danger_pattern,
    declaration_end,
    found_in,
    matcher_ready,
    matches,
    pool_for,
    pyarrow_ready,
    read_again,
    settled,
)
from kpi_tritue.io.extent_mend import calamine_entry, mended_workbook, rewrite
from kpi_tritue.io.extent_rule import (
    MAX_STRAYS,
    Decision,
    RowStats,
    TooManyEdits,
    budget,
    cell_name,
    decide,
    row_cut,
)
from kpi_tritue.io.extent_scan import Analyser, Extent, MalformedSheet, NotPlain, analyse

# What reader.py takes from here as `extent.X`; those not made here are named here until it
# imports them from their homes (extent_fast, extent_scan, extent_mend, extent_rule).
__all__ = [
    "Decision",
    "Extent",
    "FastCheck",
    "Located",
    "MalformedSheet",
    "TooManyEdits",
    "analyse",
    "calamine_entry",
    "cell_name",
    "decide",
    "locate",
    "matcher_ready",
    "mended_workbook",
    "pool_for",
    "pyarrow_ready",
    "rewrite",
    "settle",
    "settled",
]

# `locate` analyses the flagged blocks in pieces of about this size.
_PIECE = 32 << 10
_CELL_START = re.compile(rb"<c[\s/>]")


def settle(read: Callable[[], Iterable[bytes]], limits: Limits) -> Extent:
    """The plain version: the whole sheet analysed, the rule applied, and (when it leaves
    rows out) analysed again to mark them. `read` gives the sheet's XML afresh."""
    found = analyse(read(), limits)
    decision = decide(found.stats, found.written, limits)
    if decision.cut_row is not None and not decision.refused:
        found = analyse(read(), limits, decision.cut_row)
    found.decision = decision
    return found


# ---------------------------------------------------------------------------------------
# The speed trick: only the flagged pieces analysed, with the same answer as `settle`


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
    None when they do not settle it (then `settle` must run), or without `read`. `read`
    gives the sheet's XML afresh: for where `</sheetData>` is and, when the check stopped
    counting at the budget, its cells (`read_again`, one pass), and for a second look at
    the blocks the fast check did not keep.

    Every cell outside those pieces is written `<c r="REF"` inside the box of its batch
    (the fast check proved it) and every `</c>` outside them is counted: so the cells
    holding a value are known in number, and those outside the pieces lie above the
    batches' rows and left of their columns. The rule is applied twice, once as if those
    cells filled their box to the right and once as if they were not there; when both say
    the same of every analysed cell, and neither reaches into the rows of the unanalysed
    ones, that is the rule's answer. When the first reaches into those rows, every piece is
    looked at again with a box that low, and the ones with a cell below it analysed too.
    """
    if not check.viable or not check.suspect or check.opened is None or read is None:
        return None
    # What the check left: where `</sheetData>` is, and, when it stopped counting at the
    # budget, every cell (a refusal says how many the sheet holds).
    recount = check.counted_to is not None
    written, closed = read_again(read(), check.opened[1], count=recount)
    if closed < 0:
        return None
    looked = _Pieces(check, check.written if not recount else written, (check.opened[0], closed))
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
        skip = declaration_end(mended) if batch.start == 0 else 0
        if matches(pattern, mended[skip:]):
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

    def __init__(self, check: FastCheck, written: int, sheet_data: tuple[int, int]) -> None:
        self.check = check
        self.written = written  # the `</c>` of the whole part
        self.sheet_data = sheet_data  # the offsets of `<sheetData` and `</sheetData>`
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
        bounds = [declaration_end(data) if batch.start == 0 else 0]
        while bounds[-1] < len(data):
            found = _CELL_START.search(data, bounds[-1] + _PIECE)
            bounds.append(found.start() if found is not None else len(data))
        flags = found_in(pattern, data, bounds)
        if not any(flags):
            # What the whole batch shows, its pieces must show too (a tag cut in two...).
            return not matches(pattern, data[bounds[0] :])
        for start, end, flag in zip(bounds, bounds[1:], flags, strict=False):
            if flag and batch.start + start not in self.pieces:
                self.pieces[batch.start + start] = data[start:end]
                self.size += end - start
        if batch.start not in self.held:
            self.held[batch.start] = (batch, data)
            self.size += len(data) if data is not batch.data else 0
        return self.size <= KEEP

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
        opened, closed = self.sheet_data
        whole = Extent()
        for start, data in _joined(self.pieces):
            state = "before" if start <= opened else ("in" if start < closed else "after")
            part = Analyser(limits, cut_row, strict=True, state=state, offset=start).run([data])
            whole.stats.merge(part.stats)
            whole.written += part.written - data.count(b"</c>")
            whole.far_count += part.far_count
            if whole.first_far is None and part.first_far is not None:
                whole.first_far, whole.first_far_text = part.first_far, part.first_far_text
            whole.cuts.extend(part.cuts)
            whole.kept_rows = max(whole.kept_rows, part.kept_rows)
            whole.kept_cols = max(whole.kept_cols, part.kept_cols)
        whole.written += self.written
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
