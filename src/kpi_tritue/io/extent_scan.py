"""The exact analysis of an .xlsx sheet: every cell placed as calamine places it, streaming.

Cells and rows without `r` are counted by position, namespace prefixes are read, and refs
past Excel's grid are kept as they are; `analyse` gives the far cells, the cells holding a
value row by row, and the edits (`extent_mend.rewrite`) that give calamine a sheet without
the far ones.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from kpi_tritue.contract.limits import Limits
from kpi_tritue.io.extent_rule import (
    GRID_COLUMNS,
    GRID_ROWS,
    MAX_EDITS,
    Decision,
    RowStats,
    TooManyEdits,
    cell_label,
    cell_name,
    parse_ref,
)


class MalformedSheet(Exception):
    """Cells nested in ways no spreadsheet writes; calamine's reading of them is not
    predictable enough to hand it the sheet."""


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


class Analyser:
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
    return Analyser(limits, cut_row).run(blocks)


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
