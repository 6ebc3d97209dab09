"""Where the cells of an .ods lie, found before calamine reads `content.xml`.

An OpenDocument sheet compresses runs of equal rows and cells (`number-rows-repeated`,
`number-columns-repeated`): a 1 kB file may hold a row repeated a million times, or a cell
repeated across 16,384 columns, and calamine lays every one of them out (a gigabyte and
more) when it opens the workbook, every sheet at once. So `content.xml` is read first, in
one streaming pass (expat, which gives each element's byte offset), positions counted
through the repeats as calamine counts them, and the rule of `extent_rule.decide` applied to
each sheet: cells past the columns read or past the grid, and rows below the sheet's
budget, are left out of a copy of `content.xml` (a repeat clamped, a cell or row cut);
a sheet that would lose more than a few stray cells is emptied in the copy and refused.

Cells holding a value are counted as written (a repeated cell once): a repeat is not data
someone typed, so it does not buy a sparse sheet a larger budget.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from kpi_tritue.contract.limits import Limits
from kpi_tritue.io.extent_mend import apply_edits
from kpi_tritue.io.extent_rule import (
    GRID_COLUMNS,
    GRID_ROWS,
    MAX_EDITS,
    Decision,
    RowStats,
    TooManyEdits,
    cell_label,
    decide,
)

_TABLE = "table:table"
_ROW = "table:table-row"
_CELLS = ("table:table-cell", "table:covered-table-cell")
# Any of these makes a cell hold a value for calamine (a string cell holds its text, even
# an empty one); a formula alone makes it a cell, without a value.
_VALUES = (
    "office:value",
    "office:string-value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
)
_REPEAT = re.compile(rb"""(table:number-(?:rows|columns)-repeated)\s*=\s*(["'])([^"']*)\2""")


class OdsUnreadable(Exception):
    """`content.xml` is not XML calamine could read (it would fail on it too)."""


@dataclass
class OdsSheet:
    """One sheet (`table:table`) of the content: its cells row by row, what was left out."""

    name: str
    stats: RowStats = field(default_factory=RowStats)
    written: int = 0
    far_count: int = 0
    first_far: tuple[int, int] | None = None
    decision: Decision | None = None
    # The first row holding values repeated more than `Limits.max_repeats` times, and how
    # many times: the sheet is refused.
    repeated: tuple[int, int] | None = None
    # Where its content lies, to empty it when it is refused.
    inner: tuple[int, int] = (0, 0)

    @property
    def refused(self) -> bool:
        return self.repeated is not None or (self.decision is not None and self.decision.refused)

    @property
    def far_cells(self) -> tuple[int, str] | None:
        if not self.far_count or self.refused:
            return None
        first = self.first_far or (0, 0)
        return self.far_count, cell_label(*first)


@dataclass
class OdsExtent:
    # In the content's order (calamine keeps the last of two sheets of one name).
    sheets: list[OdsSheet] = field(default_factory=list)
    # (start, end, replacement) byte edits of content.xml.
    edits: list[tuple[int, int, bytes]] = field(default_factory=list)

    @property
    def needs_rewrite(self) -> bool:
        return bool(self.edits)

    def sheet(self, name: str) -> OdsSheet | None:
        found = [sheet for sheet in self.sheets if sheet.name == name]
        return found[-1] if found else None


class _Pass:
    """One streaming pass over content.xml with expat (element names as written, as
    calamine matches them: `table:table-row`, prefix included)."""

    def __init__(self, limits: Limits, cut_rows: dict[int, int] | None = None) -> None:
        self.columns = min(GRID_COLUMNS, limits.max_columns)
        self.max_repeats = limits.max_repeats
        self.cut_rows = cut_rows or {}
        self.extent = OdsExtent()
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.window = b""
        self.window_start = 0
        self.tables = 0
        self.sheet: OdsSheet | None = None
        self.sheet_index = -1
        self.depth = 0  # elements open inside the current cell, or inside the row
        self.in_row = False
        self.in_cell = False
        self.row = 0  # first row of the current row element
        self.row_start = 0
        self.row_repeats = 1
        self.row_repeat_span: tuple[int, int] | None = None
        self.col = 0
        self.row_cells = 0  # cells (holding a value or a formula) kept in the row
        self.row_first_col = -1
        self.row_width = 0
        self.row_present = 0
        self.row_written = 0
        self.row_first_far: tuple[int, int] | None = None
        self.row_far = 0
        self.cell_start = 0
        self.cell_far = False
        self.cell_empty_end: int | None = None
        self.row_empty_end: int | None = None

    def run(self, blocks: Iterable[bytes]) -> OdsExtent:
        try:
            for block in blocks:
                keep = self.window[-(1 << 20) :] if self.window else b""
                self.window_start += len(self.window) - len(keep)
                self.window = keep + block
                self.parser.Parse(block, False)
            self.parser.Parse(b"", True)
        except expat.ExpatError as error:
            raise OdsUnreadable(str(error)) from error
        return self.extent

    def _doctype(self, *_: object) -> None:
        raise OdsUnreadable("DOCTYPE")

    def _at(self) -> int:
        return int(self.parser.CurrentByteIndex)

    def _tag(self, start: int) -> bytes:
        """The start tag at `start` (held in the window)."""
        at = start - self.window_start
        end = self.window.find(b">", at)
        if at < 0 or end < 0:
            raise OdsUnreadable("tag out of reach")
        return self.window[at : end + 1]

    def _empty_end(self, start: int) -> int | None:
        """Where the element starting at `start` ends, when it is an empty tag `<x/>`."""
        tag = self._tag(start)
        return start + len(tag) if tag.endswith(b"/>") else None

    def _element_end(self, empty_end: int | None) -> int:
        """Where the element ending now ends: after its end tag, or its empty tag."""
        if empty_end is not None:
            return empty_end
        local = self._at() - self.window_start
        end = self.window.find(b">", local)
        if local < 0 or end < 0 or not self.window.startswith(b"</", local):
            raise OdsUnreadable("tag out of reach")
        return self.window_start + end + 1

    def _repeat_span(self, start: int, which: bytes) -> tuple[int, int] | None:
        tag = self._tag(start)
        for match in _REPEAT.finditer(tag):
            if match[1] == which:
                return start + match.start(3), start + match.end(3)
        return None

    def _edit(self, start: int, end: int, text: bytes = b"") -> None:
        if len(self.extent.edits) >= MAX_EDITS:
            raise TooManyEdits
        self.extent.edits.append((start, end, text))

    # -- events

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if self.in_cell:
            self.depth += 1
            return
        if self.in_row:
            if name in _CELLS:
                self._start_cell(attributes)
            else:
                self.depth += 1
            return
        if self.sheet is None:
            if name == _TABLE and "table:name" in attributes:
                self.sheet_index += 1
                self.sheet = OdsSheet(name=attributes["table:name"])
                self.extent.sheets.append(self.sheet)
                self.sheet.inner = (self._tag_end(), 0)
                self.row = 0
            return
        if name == _ROW:
            self._start_row(attributes)

    def _tag_end(self) -> int:
        start = self._at()
        return start + len(self._tag(start))

    def _end(self, name: str) -> None:
        if self.in_cell:
            if self.depth:
                self.depth -= 1
            else:
                self._end_cell()
            return
        if self.in_row:
            if self.depth:
                self.depth -= 1
            elif name == _ROW:
                self._end_row()
            return
        if self.sheet is not None and name == _TABLE:
            self.sheet.inner = (self.sheet.inner[0], self._at())
            self.sheet = None

    def _start_row(self, attributes: dict[str, str]) -> None:
        self.in_row, self.depth = True, 0
        self.row_start = self._at()
        self.row_empty_end = self._empty_end(self.row_start)
        self.row_repeats = _count(attributes.get("table:number-rows-repeated"))
        self.row_repeat_span = None
        if self.row_repeats > 1:
            self.row_repeat_span = self._repeat_span(self.row_start, b"table:number-rows-repeated")
        self.col = 0
        self.row_cells = self.row_width = self.row_present = self.row_written = 0
        self.row_first_col = -1
        self.row_first_far, self.row_far = None, 0

    def _start_cell(self, attributes: dict[str, str]) -> None:
        self.in_cell, self.depth = True, 0
        self.cell_start = self._at()
        self.cell_far = False
        repeats = _count(attributes.get("table:number-columns-repeated"))
        holds = any(key in attributes for key in _VALUES)
        holds = holds or attributes.get("office:value-type") == "string"
        pushed = holds or "table:formula" in attributes
        first = self.col
        self.col += repeats
        if not pushed:
            return  # calamine lays out empty cells only before a cell that is not
        kept = max(0, min(repeats, self.columns - first))
        if kept < repeats:
            if self.row_first_far is None:
                self.row_first_far = (0, first + kept)
            self.row_far += repeats - kept
            if kept == 0:
                self.cell_far = True
                self.cell_empty_end = self._empty_end(self.cell_start)
            else:
                span = self._repeat_span(self.cell_start, b"table:number-columns-repeated")
                if span is None:
                    raise OdsUnreadable("repeat out of reach")
                self._edit(*span, str(kept).encode())
        if kept:
            self.row_cells += kept
            if self.row_first_col < 0:
                self.row_first_col = first
            if holds:
                self.row_width = first + kept
                self.row_present += kept
                self.row_written += 1

    def _end_cell(self) -> None:
        self.in_cell = False
        if self.cell_far:
            self._edit(self.cell_start, self._element_end(self.cell_empty_end))

    def _end_row(self) -> None:
        self.in_row = False
        sheet = self.sheet
        assert sheet is not None
        first, repeats = self.row, self.row_repeats
        self.row += repeats
        if not self.row_cells and not self.row_far:
            return
        limit = min(GRID_ROWS, self.cut_rows.get(self.sheet_index, GRID_ROWS))
        kept = max(0, min(repeats, limit - first))
        far = self.row_far * kept + (self.row_cells + self.row_far) * (repeats - kept)
        if far:
            sheet.far_count += far
            if sheet.first_far is None:
                if self.row_first_far is not None and kept:
                    sheet.first_far = (first, self.row_first_far[1])
                else:
                    sheet.first_far = (first + kept, max(self.row_first_col, 0))
        if kept == 0:
            self._edit(self.row_start, self._element_end(self.row_empty_end))
            return
        if kept < repeats:
            if self.row_repeat_span is None:
                raise OdsUnreadable("repeat out of reach")
            self._edit(*self.row_repeat_span, str(kept).encode())
        if self.row_width:
            if kept > self.max_repeats and sheet.repeated is None:
                sheet.repeated = (first, kept)
            sheet.stats.add_rows(first, kept, self.row_width, self.row_present)
            sheet.written += self.row_written


def _count(value: str | None) -> int:
    """A repeat count as calamine reads it; a count it would refuse counts once (calamine
    then fails on the workbook anyway)."""
    if value is None:
        return 1
    try:
        count = int(value.strip())
    except ValueError:
        return 1
    return count if count > 0 else 1


def scan(
    blocks: Iterable[bytes], limits: Limits, cut_rows: dict[int, int] | None = None
) -> OdsExtent:
    return _Pass(limits, cut_rows).run(blocks)


def settle(read: Callable[[], Iterable[bytes]], limits: Limits) -> OdsExtent:
    """Every sheet of content.xml placed, the rule applied to each, and the edits that leave
    out what it leaves out (a refused sheet is emptied whole). `read` gives it afresh."""
    found = scan(read(), limits)
    decisions = {
        index: decide(sheet.stats, sheet.written, limits)
        for index, sheet in enumerate(found.sheets)
    }
    cut_rows = {
        index: decision.cut_row
        for index, decision in decisions.items()
        if decision.cut_row is not None
        and not decision.refused
        and found.sheets[index].repeated is None
    }
    if cut_rows:
        found = scan(read(), limits, cut_rows)
    refused: list[OdsSheet] = []
    for index, sheet in enumerate(found.sheets):
        sheet.decision = decisions.get(index)
        if sheet.refused:
            refused.append(sheet)
    if refused:
        edits = [
            e for e in found.edits if not any(s.inner[0] <= e[0] < s.inner[1] for s in refused)
        ]
        edits.extend((s.inner[0], s.inner[1], b"") for s in refused)
        found.edits = edits
    return found


def rewrite(blocks: Iterable[bytes], edits: list[tuple[int, int, bytes]]) -> Iterator[bytes]:
    """content.xml with `edits` applied, streaming."""
    return apply_edits(blocks, sorted(edits))
