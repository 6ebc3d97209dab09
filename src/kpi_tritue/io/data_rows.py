"""Which rows under a sheet's header hold records: column codes, totals and group headings go."""

from __future__ import annotations

import itertools
import re
import string
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.normalize import (
    clean_text,
    fold,
    is_column_code,
    is_totals_label,
    unit_key,
)
from kpi_tritue.contract.schema import WORKFORCE, SheetSpec
from kpi_tritue.io.arrow_frames import TextColumns
from kpi_tritue.io.column_batch import stored_array
from kpi_tritue.io.frames import head_values
from kpi_tritue.io.headers import STT_HEADERS, Cells, Header
from kpi_tritue.io.sheet_table import Reporter
from kpi_tritue.model.issues import Severity


def data_rows(
    cells: Cells, header: Header, spec: SheetSpec, reporter: Reporter
) -> tuple[pd.DataFrame, dict[int, str]]:
    """The rows under the header that hold records: the grid index stays the Excel row - 1;
    and those of them that are group headings if their text is a unit of `DonVi`
    (`drop_unit_headings`), grid index → text.

    From the reader's Arrow columns (`TextColumns`) the rules read the columns and the
    frame is made of the rows taken alone, never of all the sheet's cells (issue 14)."""
    rows, marked = _data_rows(cells, header, spec, reporter)
    return rows.frame, marked


class DataRows:
    """A sheet's data rows (`data_rows`): their frame, made only when asked from the
    reader's Arrow columns and the rows kept; what the parse reads of them (a column's
    array, their grid index, their count) is had without it (issue 14: a small sheet's
    frame of two dozen text columns cost more than its rules)."""

    def __init__(
        self,
        frame: pd.DataFrame | None = None,
        cells: TextColumns | None = None,
        start: int = 0,
        kept: np.ndarray[Any, Any] | None = None,
    ) -> None:
        if frame is not None:
            self.__dict__["frame"] = frame
        self._cells, self._start, self._kept = cells, start, kept

    @cached_property
    def frame(self) -> pd.DataFrame:
        assert self._cells is not None
        frame = self._cells.frame(self._start, self._kept)
        if "index" in self.__dict__:
            # The same index object as the parse's, which built on it already.
            frame.index = self.__dict__["index"]
        return frame

    @cached_property
    def index(self) -> pd.Index:
        """The rows' grid indexes: the frame's index."""
        if "frame" in self.__dict__ or self._cells is None:
            return self.frame.index
        return self._cells.rows_index(self._start, self._kept)

    def __len__(self) -> int:
        return len(self.index)

    def column_array(self, column: int) -> Any:
        """The column `column` as the frame stores it (`column_batch.stored_array`)."""
        if "frame" in self.__dict__ or self._cells is None:
            return stored_array(self.frame, column)
        return self._cells.column_array(column, self._start, self._kept)

    def arrow_column(self, column: int) -> Any:
        """The Arrow text `column_array(column)` wraps, not wrapped (the parse joins a
        run's sheets' columns, then wraps the whole once); None when these rows are a
        frame's (its columns are what `column_array` gives)."""
        if "frame" in self.__dict__ or self._cells is None:
            return None
        return self._cells.arrow_column(column, self._start, self._taken)

    @cached_property
    def _taken(self) -> Any:
        assert self._cells is not None
        return self._cells._taken(self._kept)


def _data_rows(
    cells: Cells, header: Header, spec: SheetSpec, reporter: Reporter, start: int | None = None
) -> tuple[DataRows, dict[int, str]]:
    """`data_rows`, its frame not yet made from the reader's Arrow columns. `start`: the
    first data row (`_first_data_row`), when it is known."""
    if start is None:
        start = _first_data_row(cells, header)
    if isinstance(cells, TextColumns):
        texts = [text.slice(start) for text in cells.arrays.values()]
        index: pd.Index = pd.RangeIndex(len(cells))[start:]
        found = _row_rules(texts, len(index), cells.columns, header, spec)
        rows = DataRows(cells=cells, start=start, kept=found.kept)
        return rows, _reported(found, index, reporter)
    region = cells.iloc[start:]
    if region.empty:
        return DataRows(region), {}
    keys = [int(str(c)) for c in region.columns]
    found = _row_rules(region, len(region), keys, header, spec)
    marked = _reported(found, region.index, reporter)
    # Most sheets keep every row: taking them all would copy every column for nothing.
    return DataRows(region if found.kept.all() else region[found.kept]), marked


# ---------------------------------------------------------------------------------------
# The data rows of many sheets found at once (issue 14): a run's small sheets of one
# layout (the same columns, the same header's places) put one under the other, the rules
# applied once over their rows, each sheet given back its own rows and issues. The rules
# are row by row (a row's own cells and the header decide), so this is `data_rows` of each
# sheet; what it saves is the rules' cost per call (~0.1 ms: a few dozen numpy and Arrow
# calls), paid for each small sheet of a run of thousands. A property test holds it to
# `data_rows` sheet by sheet (tests/test_fast_paths.py).

# Sheets of more rows than this are looked at alone: the call's cost is nothing beside
# their rules', and putting them together copies their columns. (Sheets of 1,000 rows
# together or alone: the same time, 200 × 1,000 measured at 500 and at 5,000.)
TOGETHER_UP_TO_ROWS = 5_000


def data_rows_all(
    sheets: Sequence[tuple[Cells, Header, Reporter]], spec: SheetSpec
) -> list[tuple[pd.DataFrame, dict[int, str]]]:
    """`data_rows` of each sheet (cells, header, reporter) of the contract sheet `spec`."""
    return [(rows.frame, marked) for rows, marked in rows_all(sheets, spec)]


def rows_all(
    sheets: Sequence[tuple[Cells, Header, Reporter]], spec: SheetSpec
) -> list[tuple[DataRows, dict[int, str]]]:
    """`data_rows_all`, the frames not yet made (`DataRows`)."""
    import pyarrow as pa

    found: list[tuple[DataRows, dict[int, str]] | None] = [None] * len(sheets)
    # By layout: each sheet's position, Arrow columns, header, reporter and first data row.
    groups: dict[tuple[Any, ...], list[tuple[int, TextColumns, Header, Reporter, int]]] = {}
    for position, (cells, header, reporter) in enumerate(sheets):
        if not isinstance(cells, TextColumns) or len(cells) > TOGETHER_UP_TO_ROWS:
            found[position] = _data_rows(cells, header, spec, reporter)
            continue
        layout = (tuple(cells.columns), *_rules_read(header))
        start = _first_data_row(cells, header)
        groups.setdefault(layout, []).append((position, cells, header, reporter, start))
    for members in groups.values():
        if len(members) == 1:
            position, cells, header, reporter, start = members[0]
            found[position] = _data_rows(cells, header, spec, reporter, start)
            continue
        columns = members[0][1].columns
        texts = [
            pa.concat_arrays([one[1].arrays[column].slice(one[4]) for one in members])
            for column in columns
        ]
        heights = [max(0, len(cells) - start) for _, cells, _, _, start in members]
        rules = _row_rules(texts, sum(heights), columns, members[0][2], spec)
        for (position, cells, _, reporter, start), own in zip(
            members, rules.split(heights), strict=True
        ):
            index: pd.Index = pd.RangeIndex(len(cells))[start:]
            rows = DataRows(cells=cells, start=start, kept=own.kept)
            found[position] = (rows, _reported(own, index, reporter))
    return [one for one in found if one is not None]


def _rules_read(header: Header) -> tuple[Any, ...]:
    """What of a header the rules read: sheets alike in it (and in their columns) are
    looked at together."""
    columns = header.columns
    return (
        columns.get("id"),
        columns.get("full_name"),
        _stt_column(header),
        tuple(sorted(header.mapped)),
    )


def _first_data_row(cells: Cells, header: Header) -> int:
    """The first row under the header, past a row of column codes."""
    start = header.rows[-1] + 1
    if start < len(cells) and len(cells.columns) and _column_codes_at(cells, start):
        start += 1
    return start


def _column_codes_at(cells: Cells, row: int) -> bool:
    """Whether the row holds column codes alone, `(1)` `(2)`... (blanks aside)."""
    if isinstance(cells, TextColumns):
        first = [v for a in cells.arrays.values() if (v := a[row].as_py()) is not None]
    else:
        first = [v for _, c in cells.items() if pd.notna(v := head_values(c, 1, row)[0])]
    return bool(first) and all(is_column_code(str(v)) for v in first)


@dataclass
class RowRules:
    """What the rules found of a region's rows, by position: the rows kept, the totals
    rows, the group headings (position, text) and the rows that are headings only if
    their text is a unit of `DonVi` (position → text, of the rows kept), the rows outside
    the table (positions), each in order."""

    kept: np.ndarray[Any, Any]
    totals: list[int]
    headings: list[tuple[int, str]]
    maybe_units: dict[int, str]
    outside: list[int]

    def split(self, heights: Sequence[int]) -> list[RowRules]:
        """The findings of consecutive parts of the region, `heights` rows each, each by
        its own positions (from 0)."""
        bounds = np.cumsum([0, *heights]).tolist()
        maybe = list(self.maybe_units.items())
        heading_at, maybe_at = [p for p, _ in self.headings], [p for p, _ in maybe]
        parts: list[RowRules] = []
        for start, stop in itertools.pairwise(bounds):

            def within(positions: Sequence[int], start: int = start, stop: int = stop) -> slice:
                return slice(bisect_left(positions, start), bisect_left(positions, stop))

            totals, outside = within(self.totals), within(self.outside)
            headings, units = within(heading_at), within(maybe_at)
            parts.append(
                RowRules(
                    kept=self.kept[start:stop],
                    totals=[p - start for p in self.totals[totals]],
                    headings=[(p - start, t) for p, t in self.headings[headings]],
                    maybe_units={p - start: t for p, t in maybe[units]},
                    outside=[p - start for p in self.outside[outside]],
                )
            )
        return parts


def _reported(found: RowRules, index: pd.Index, reporter: Reporter) -> dict[int, str]:
    """What is skipped reported (`index`: the rows' grid indexes); the rows that may be
    group headings, grid index → text."""
    for position in found.totals:
        reporter.add(Severity.INFO, "totals_row_skipped", row=int(index[position]) + 1)
    headings = found.headings

    def heading(i: int) -> dict[str, Any]:
        return {"row": int(index[headings[i][0]]) + 1, "value": headings[i][1]}

    reporter.add_each(Severity.INFO, "section_row_skipped", len(headings), heading)
    outside = found.outside
    reporter.add_each(
        Severity.INFO,
        "row_outside_table",
        len(outside),
        lambda i: {"row": int(index[outside[i]]) + 1},
    )
    return {int(index[position]): text for position, text in found.maybe_units.items()}


def _row_rules(
    region: pd.DataFrame | list[Any],
    height: int,
    keys: list[int],
    header: Header,
    spec: SheetSpec,
) -> RowRules:
    """Which rows of `region` (a frame, or its Arrow columns, `height` rows; column
    indexes `keys`) hold records, and what is skipped, by position; nothing reported."""
    # In numpy, row by column: a sheet's few hundred rows then cost no pandas frame.
    flags = _filled(region, height)
    # Also clears the cells that clean to nothing where one comes first in its row.
    totals = _totals_rows(region, flags)
    # Counted in 16 bits when a row cannot hold more cells (a third of the time).
    filled = flags.sum(axis=1, dtype=np.uint16 if flags.shape[1] < 1 << 16 else np.int64)
    keep = filled > 0
    keep[totals] = False

    groups = GroupRows()
    if spec.key == WORKFORCE.key and (keep & (filled <= 2)).any():
        few = np.flatnonzero(keep & (filled <= 2))
        groups = _section_rows(few.tolist(), _rows_at(region, few), keys, header)
        keep[np.fromiter(groups.headings, dtype=np.intp, count=len(groups.headings))] = False

    # The positions of the header's columns (-1: none, as `get_indexer` says it).
    position_of = {c: i for i, c in enumerate(keys)}
    mapped = [position_of.get(c, -1) for c in sorted(header.mapped)]
    # Column by column, as `flags[:, mapped].any(axis=1)` says it without copying the
    # grid (40 ms at 1,048,575 rows).
    held = np.zeros(len(flags), dtype=bool)
    for position in mapped:
        held |= flags[:, position]
    outside = keep & ~held
    kept = keep & ~outside
    return RowRules(
        kept=kept,
        totals=totals,
        headings=list(groups.headings.items()),
        maybe_units={p: t for p, t in groups.maybe_units.items() if kept[p]},
        outside=np.flatnonzero(outside).tolist(),
    )


def _rows_at(region: pd.DataFrame | list[Any], positions: np.ndarray[Any, Any]) -> list[Any]:
    """The values of the rows of `region` (a frame, or its Arrow columns) at `positions`,
    each a tuple in column order; a blank is None or NaN."""
    if isinstance(region, pd.DataFrame):
        return list(region.iloc[positions].itertuples(index=False))
    import pyarrow as pa

    taken = pa.array(positions, type=pa.int64())
    return list(zip(*(text.take(taken).to_pylist() for text in region), strict=True))


# The spec's rule for a totals row (`input-format.md`, "Matching names"): its first
# non-empty cell, in whatever column (`STT` included), is a totals label. A cell that
# cleans to nothing (white space only) is empty. `_totals_rows_plain` says it row by row;
# `_totals_rows` is the same rule for 200,000 rows, and a property test holds them equal.


def _totals_rows_plain(region: pd.DataFrame) -> list[Any]:
    """The index of every row whose first non-empty cell is a totals label (`is_totals_label`)."""
    found: list[Any] = []
    for index, values in zip(region.index, region.itertuples(index=False), strict=True):
        for value in values:
            text = "" if pd.isna(value) else clean_text(str(value))
            if text:
                if is_totals_label(text):
                    found.append(index)
                break
    return found


# First UTF-8 bytes that settle it: a cell starting with an ASCII letter or digit other than
# `t` or `c` holds something (so it is the row's first) and is no totals label.
_NEVER_TOTALS = np.zeros(256, dtype=bool)
_NEVER_TOTALS[[ord(c) for c in string.ascii_letters + string.digits if c not in "TtCc"]] = True
# A superset of the other first cells the rule can match, for Arrow to find: nothing but
# white space (the cell is empty, the row is looked at again), or, after white space, a
# letter that case folds to `t` or `c` with `ng` (tổng, cộng) or `tal` (total) further on:
# neither NFC nor case folding makes those letters out of others.
# `clean_text` strips Python's white space (`str.isspace`) and nothing else, so the lead may
# hold only that: ASCII's non-alphanumerics (a superset) and the non-ASCII white space
# below, spelled out (a test holds the list to `str.isspace` over all of Unicode). Spelled
# out, not `[^\pL\pN]`: RE2 builds the Unicode classes' tables each time the pattern is
# compiled, and pyarrow compiles it on every call: 1 ms a sheet against 0.04 ms.
NON_ASCII_WHITE_SPACE = "\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_LEAD = "[\\x00-/:-@\\[-`{-\\x7f" + NON_ASCII_WHITE_SPACE + "]"
_MAYBE_TOTALS = "(?s)^" + _LEAD + "*(?:$|[TtCc\u1e97].*(?i:ng|tal))"


def _filled(region: pd.DataFrame | list[Any], height: int) -> np.ndarray[Any, Any]:
    """Which cells of `region` (a frame, or its Arrow columns, `height` rows) hold a value,
    rows × columns (a new array: it is written to), as `notna` says it."""
    if isinstance(region, pd.DataFrame):
        return region.notna().to_numpy(dtype=bool, copy=True)
    # Column-major: each column is written whole, and the rules' sums and searches along
    # a row read the columns in order (row-major, a sheet of 1,048,575 rows took 0.1 s
    # more, each column written one byte in every row's width).
    flags = np.empty((height, len(region)), dtype=bool, order="F")
    for position, text in enumerate(region):
        flags[:, position] = True if text.null_count == 0 else valid_fast(text)
    return flags


def valid_plain(text: Any) -> np.ndarray[Any, Any]:
    """Which entries of an Arrow array are not null (`pyarrow.compute.is_valid`)."""
    import pyarrow.compute as pc

    return np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False), dtype=bool)


def valid_fast(text: Any) -> np.ndarray[Any, Any]:
    """`valid_plain` read from the array's validity bitmap in numpy: a dozen columns a sheet
    through `pc.is_valid` cost ~20 µs each, the bitmap ~3 (tests/test_fast_paths.py)."""
    length = len(text)
    if text.null_count == 0:
        return np.ones(length, dtype=bool)
    validity = text.buffers()[0]
    if validity is None:
        return np.zeros(length, dtype=bool)  # an array of the `null` type: no bitmap
    bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
    # The bits are 0 or 1: read as booleans as they are, not copied.
    flags: np.ndarray[Any, Any] = bits[text.offset : text.offset + length].view(bool)
    return flags


def _totals_rows(region: pd.DataFrame | list[Any], nonempty: np.ndarray[Any, Any]) -> list[int]:
    """`_totals_rows_plain`, vectorised, the rows by position: the first filled cell of
    each row, by column, is looked at by its first byte, then in Arrow against
    `_MAYBE_TOTALS`; only the cells that match are tested one by one. A sheet of IDs
    starting with `C` or `T` and no `STT` column makes every row's first cell start like
    a total: the second half of the pattern keeps that cheap.

    `nonempty` (rows × columns of `region`) is updated where a row's first filled cell
    cleans to nothing (`\\x1c`, which the reader does not take for white space): such a
    cell is cleared, and the row looked at again. `region`: a frame, or its Arrow columns
    (large strings), as the reader has them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = np.flatnonzero(nonempty.any(axis=1))
    found: list[int] = []
    while len(rows):
        first_column = np.zeros(len(rows), dtype=np.intp)
        later = ~nonempty[rows, 0]
        if later.any():
            first_column[later] = nonempty[rows[later]].argmax(axis=1)
        again: list[int] = []
        for column in np.flatnonzero(np.bincount(first_column)).tolist():
            these = rows[first_column == column]
            cut = _column_texts(region, column, these)
            maybe = ~_NEVER_TOTALS[_first_bytes(cut)]
            if not maybe.any():
                continue
            these, cut = these[maybe], cut.filter(pa.array(maybe))
            hit = pc.fill_null(pc.match_substring_regex(cut, pattern=_MAYBE_TOTALS), False)
            positions = these[hit.to_numpy(zero_copy_only=False)]
            for position, raw in zip(positions.tolist(), cut.filter(hit).to_pylist(), strict=True):
                text = str(raw)
                if not text.strip():  # what `clean_text` leaves empty: Python's white space
                    nonempty[position, column] = False
                    again.append(position)
                elif is_totals_label(text):
                    found.append(position)
        rows = np.array([row for row in again if nonempty[row].any()], dtype=np.intp)
    return sorted(found)


def _column_texts(region: pd.DataFrame | list[Any], column: int, rows: np.ndarray[Any, Any]) -> Any:
    """The cells of `region` (a frame or its Arrow columns) at positions `rows` of column
    position `column`, as an Arrow large-string array (null: blank). An Arrow text column
    (what the reader gives) is taken from in Arrow: through pandas, its `iloc` and a new
    array cost more than the search."""
    import pyarrow as pa

    if not isinstance(region, pd.DataFrame):
        text = region[column]
        if len(rows) == len(text) and bool(np.all(rows[1:] > rows[:-1])):
            return text  # every position, in order (the first look at a sheet): no copy
        return text.take(pa.array(rows, type=pa.int64()))

    values = region.iloc[:, column].array
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        texts = pa.array(values).take(pa.array(rows, type=pa.int64()))
        if texts.type == pa.large_string():
            return texts
    texts = pa.array(region.iloc[rows, column], type=pa.large_string(), from_pandas=True)
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    return texts


def _first_bytes(texts: Any) -> np.ndarray[Any, Any]:
    """The first UTF-8 byte of each string of an Arrow large-string array (0: empty, null)."""
    _, offset_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int64)[
        texts.offset : texts.offset + len(texts) + 1
    ]
    starts = offsets[:-1]
    filled = offsets[1:] > starts
    first = np.zeros(len(texts), dtype=np.uint8)
    if data_buffer is not None and filled.any():
        first[filled] = np.frombuffer(data_buffer, dtype=np.uint8)[starts[filled]]
    return first


# A group heading's `STT`: a Roman numeral or a letter (`I`, `II`, `A`, `a)`, `(b)`, `I.`).
_GROUP_NUMBER = re.compile(r"^\(?(?:[IVXLCDM]+|[ivxlcdm]+|[^\W\d_])[.):]?$")


@dataclass
class GroupRows:
    """The group headings of a sheet: those skipped, and the rows that are headings only
    if their text is a unit of `DonVi` (`STT | text`, decided once the run's units are
    known: `drop_unit_headings`), each position → text."""

    headings: dict[int, str] = field(default_factory=dict)
    maybe_units: dict[int, str] = field(default_factory=dict)


def _stt_column(header: Header) -> int | None:
    for col, text in sorted(header.texts.items()):
        if fold(text) in STT_HEADERS:
            return col
    return None


def _section_rows(
    positions: list[int],
    rows: Sequence[Sequence[Any]],
    columns: list[int],
    header: Header,
) -> GroupRows:
    """Group headings inside the data (official-lists.md, settled 16), one rule:

    - a row with a single filled cell (`I. KHỐI TỈNH`) is a heading when it has a letter
      and is not a lone name (a person whose other cells are missing); a lone cell in the
      ID column only when it reads like a heading (it has a space): a lone `HT00123` is a
      person;
    - a row whose only filled cells are its `STT` and one text is a heading when the `STT`
      is a Roman numeral or a letter, or the text is all capitals (`I | KHỐI ĐẢNG`), or the
      text is a unit of `DonVi` (`1 | Sở Nội vụ`: known only once the run is read, so such
      rows are kept and marked, `maybe_units`).

    Any other such row is a person whose other cells are blank: its blanks are errors.
    `rows`: the values of the rows still kept that have one or two filled cells (blank:
    None or NaN), in `columns` order; `positions`: theirs, by which the rows found are
    given (in order).
    """
    id_col = header.columns.get("id")
    name_col = header.columns.get("full_name")
    stt_col = _stt_column(header)
    headings: dict[int, str] = {}
    maybe: dict[int, str] = {}
    for index, values in zip(positions, rows, strict=True):
        filled = [
            (col, clean_text(str(value)))
            for col, value in zip(columns, values, strict=True)
            if pd.notna(value)
        ]
        filled = [(col, text) for col, text in filled if text]
        stt = next((text for col, text in filled if col == stt_col), None)
        others = [(col, text) for col, text in filled if col != stt_col]
        if len(others) != 1 or not _LETTER.search(others[0][1]):
            if not others and stt is not None and len(filled) == 1 and _LETTER.search(stt):
                headings[index] = stt  # a lone `I` or `A` in the STT column
            continue
        col, text = others[0]
        if col == id_col and " " not in text:
            continue
        if stt is None:
            if col != name_col:
                headings[index] = text
        elif _GROUP_NUMBER.match(stt) or (text.upper() == text and text.lower() != text):
            headings[index] = text
        else:
            maybe[index] = text
    return GroupRows(headings=headings, maybe_units=maybe)


_LETTER = re.compile(r"[^\W\d_]")


def drop_unit_headings(
    data: pd.DataFrame, maybe_units: dict[int, str], units: set[str], reporter: Reporter
) -> pd.DataFrame:
    """The rows `STT | text` whose text is a unit of the run's `DonVi`: group headings,
    dropped with an `info` (settled 16); the others stay, persons with blank cells."""
    found = [(index, text) for index, text in maybe_units.items() if unit_key(text) in units]
    if not found:
        return data

    def build(i: int) -> dict[str, Any]:
        return {"row": int(found[i][0]) + 1, "value": found[i][1]}

    reporter.add_each(Severity.INFO, "section_row_skipped", len(found), build)
    return data.drop(index=[index for index, _ in found])
