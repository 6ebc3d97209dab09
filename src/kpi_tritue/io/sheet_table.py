"""A sheet read into a typed frame, and the reporter that collects the issues of a sheet.

A run's clean tables of one layout are kept as rows of one frame (`keep_together`,
`SharedRows`), each table's own frame made only when something asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.limits import Limits
from kpi_tritue.contract.privacy import quoted_params
from kpi_tritue.contract.schema import SheetSpec
from kpi_tritue.io.column_batch import (
    SharedRows,
    dtype_key,
    framed,
    framed_fast,
    framed_keeps,
    joined_arrays,
    row_runs,
    stored_array,
)
from kpi_tritue.io.frames import at, item
from kpi_tritue.model.issues import Issue, IssueLog, Location, ParamValue, Severity


@dataclass(frozen=True)
class Built:
    """The columns a table's frame is built from (`column_batch.framed`: arrays, or
    Series on `index`), on its rows' `index`."""

    columns: dict[str, Any]
    index: pd.Index

    def stored(self, key: str) -> Any:
        """The column `key` as the frame built would store it (`stored_array`), to read
        only: an array `framed` keeps as given is that array (a Series, its own); anything
        else is read from the frame built."""
        value = self.columns[key]
        if isinstance(value, pd.Series) and value.index is self.index:
            value = value._values
        if framed_keeps(value, len(self.index)):
            return _read_only(value)
        return _read_only(stored_array(framed(self.columns, self.index), key))


# Tables put together at most (`keep_together`, and the workforce checks: issue 14). A
# frame asked for of one of them is a slice of theirs, and slices of one frame share one
# list of references (pandas' copy-on-write), walked each time a column of any of them
# is read: on 2,000 files of a run, 0.6 ms a read instead of 0.04. Cut at this many, a
# read stays cheap even when every file's frame is asked for, and a run's rules are
# still applied over thousands of rows at once.
TOGETHER = 64


def keep_together(tables: Sequence[SheetTable], most: int = TOGETHER) -> None:
    """The tables still built (`SheetTable.built`, in order): those of one layout (the
    same columns, each of the same type) that follow each other put together, `most` at
    a time: one frame built for them, each column's arrays joined once, each table given
    its rows of it (`SharedRows`). The others keep their built columns."""
    run: list[SheetTable] = []
    layout: Any = None
    for table in [*tables, None]:
        built = None if table is None else table.built
        key = None if built is None else _layout(built)
        if run and (key is None or key != layout or len(run) == most):
            _put_together(run)
            run = []
        if key is not None and table is not None:
            layout = key
            run.append(table)


def _layout(built: Built) -> tuple[Any, ...] | None:
    """The columns and their types a built table's frame has; None when `framed` would
    not keep each column as it is given."""
    kinds = []
    for key, value in built.columns.items():
        if isinstance(value, pd.Series) and value.index is not built.index:
            return None
        array = _array(value)
        if not framed_keeps(array, len(built.index)):
            return None
        kinds.append((key, dtype_key(array.dtype)))
    return tuple(kinds)


def _put_together(run: list[SheetTable]) -> None:
    if len(run) < 2:
        return
    builts = [table.built for table in run if table.built is not None]
    heights = [len(built.index) for built in builts]
    columns: dict[str, Any] = {}
    for key in builts[0].columns:
        columns[key] = joined_arrays([_array(built.columns[key]) for built in builts])
    whole = framed_fast(columns, pd.RangeIndex(sum(heights)))
    if whole is None:
        return
    start = 0
    for table, height in zip(run, heights, strict=True):
        table.share(SharedRows(whole, start, start + height, table.index))
        start += height


def _array(value: Any) -> Any:
    return value._values if isinstance(value, pd.Series) else value


def run_columns(tables: Sequence[SheetTable], key: str) -> list[Any]:
    """The column `key` of each table as stored (to read only), in order, the tables
    kept together that follow each other in their frame read at once, as one slice of
    it: joined, the parts are the tables' columns one after the other."""
    parts = []
    for run in row_runs([table.shared or table for table in tables]):
        if isinstance(run, SharedRows):
            parts.append(_read_only(stored_array(run.whole, key)[run.start : run.stop]))
        else:
            parts.append(run.column_array(key))
    return parts


def _read_only(part: Any) -> Any:
    """A numpy view made read-only (it is a view of a frame's data: not to be written)."""
    if isinstance(part, np.ndarray):
        part = part.view()
        part.flags.writeable = False
    return part


class SheetTable:
    """One sheet of one workbook, parsed: typed columns by key, `_row`, `_invalid`.

    Its rows are its `frame`; or, until a frame is asked for, rows of a frame shared with
    other files' tables (`shared`), or the arrays its frame would be built from (`built`,
    as the parse leaves a table: a run's tables are then kept together, `sheet.py`).
    """

    def __init__(
        self,
        spec: SheetSpec,
        sheet_name: str,
        frame: pd.DataFrame | None,
        headers: dict[str, str],
        letters: dict[str, str],
        header_row: int | None = None,
        names: Any = None,
        row_letters: dict[str, dict[int, str]] | None = None,
        derived: dict[str, str] | None = None,
        blank: dict[str, Any] | None = None,
        *,
        shared: SharedRows | None = None,
        built: Built | None = None,
    ) -> None:
        if sum(state is not None for state in (frame, shared, built)) != 1:
            raise ValueError("a table has one of its own frame, shared rows or built columns")
        self.spec = spec
        self.sheet_name = sheet_name
        self._frame = frame
        self._shared = shared
        self._built = built
        self.headers = headers
        self.letters = letters
        self.header_row = header_row  # the Excel row of the (lower) header row
        # The sheet's personal names (an Arrow array of its `Họ và tên` cells, and its `Mã`
        # cells if they read as names): kept apart, for `known_names`, never in `frame`.
        self.names = names
        # Cells whose column depends on the row (a birth date split into `Nam` / `Nữ`):
        # key → Excel row → the letter of that row's cell, where it is not `letters[key]`.
        self.row_letters: dict[str, dict[int, str]] = row_letters or {}
        # Columns derived rather than read (official-lists.md, settled 13): key → from what
        # ("DonVi", "ThongTin", "defaults", "position", ...). They count as present.
        self.derived: dict[str, str] = derived or {}
        # The truly blank cells (not a bad value, not an unreadable cell) of the columns
        # whose blanks are filled later (`sheet.FILLED_LATER`): key → a mask of the rows.
        self.blank: dict[str, Any] = blank or {}

    @property
    def frame(self) -> pd.DataFrame:
        """The table's frame (made from its shared rows or built columns the first time
        it is asked for: from then on it is the table's own, to read and to change)."""
        if self._frame is None:
            if self._shared is not None:
                self._frame = self._shared.frame()
            else:
                assert self._built is not None
                self._frame = framed(self._built.columns, self._built.index)
            self._shared = self._built = None
        return self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._shared = self._built = None

    @property
    def shared(self) -> SharedRows | None:
        """Its rows in a shared frame, while no frame of its own has been asked for."""
        return self._shared

    @property
    def built(self) -> Built | None:
        """The arrays its frame is to be built from, while none has been asked for."""
        return self._built

    def share(self, rows: SharedRows) -> None:
        """Its rows from now on: `rows` (handed over: its frame, if any, is dropped)."""
        self._frame = self._built = None
        self._shared = rows

    @property
    def height(self) -> int:
        """How many rows it has."""
        return len(self.index)

    @property
    def index(self) -> pd.Index:
        """Its rows' index (the sheet's grid rows)."""
        if self._shared is not None:
            return self._shared.index
        if self._built is not None:
            return self._built.index
        return self.frame.index

    @property
    def columns(self) -> Collection[Hashable]:
        """Its columns' labels, in order."""
        if self._shared is not None:
            return self._shared.whole.columns
        if self._built is not None:
            return list(self._built.columns)
        return self.frame.columns

    def has_column(self, key: str) -> bool:
        if self._built is not None:
            return key in self._built.columns
        return key in (self._shared.whole if self._shared is not None else self.frame).columns

    def column_array(self, key: str) -> Any:
        """The column `key` as stored (an ndarray or an extension array), to read only,
        without a frame made for it."""
        if self._built is not None:
            return self._built.stored(key)
        shared = self._shared
        if shared is None:
            return stored_array(self.frame, key)
        return _read_only(stored_array(shared.whole, key)[shared.start : shared.stop])

    @property
    def present(self) -> frozenset[str]:
        return frozenset(self.headers) | frozenset(self.derived)

    def cell(self, key: str, row: int) -> str | None:
        letter = self.row_letters.get(key, {}).get(row) or self.letters.get(key)
        return f"{letter}{row}" if letter else None


class Reporter:
    """Collects the issues of one sheet, with the location filled in.

    At most `KPI_MAX_ISSUES_PER_CODE` issues of one code are kept (`IssueLog`); quoted
    text is cut and made printable as it is recorded. Names are hidden once the whole run
    is read, when every name is known (`privacy.redact_issues`).
    """

    def __init__(self, file: str, sheet: str | None) -> None:
        self.file = file
        self.sheet = sheet
        self._log: IssueLog | None = None

    @property
    def log(self) -> IssueLog:
        """The issues kept, made at the first one: the limit is read from the environment
        then, so the sheets without any (nearly all) never read it (issue 14: 9 reporters
        a file, 18,000 reads of 9 variables on 2,000 files)."""
        if self._log is None:
            self._log = IssueLog(Limits.from_environment().max_issues_per_code)
        return self._log

    @log.setter
    def log(self, log: IssueLog) -> None:
        self._log = log

    @property
    def issues(self) -> list[Issue]:
        return [] if self._log is None else self._log.issues

    def add(
        self,
        severity: Severity,
        code: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
        related: Location | None = None,
        **more: ParamValue,
    ) -> None:
        sheet = sheet or self.sheet
        if not self.log.room(self.file, sheet, code):
            self.log.omit(severity, code, self.file, sheet, 1, row)
            return
        self.log.append(
            Issue(
                severity=severity,
                code=code,
                file=self.file,
                sheet=sheet,
                row=row,
                column=column,
                cell=cell,
                params=quoted_params({**(params or {}), **more}),
                related=related,
            )
        )

    def add_each(
        self, severity: Severity, code: str, count: int, build: Callable[[int], dict[str, Any]]
    ) -> None:
        """One issue for each of `count` places, `build(i)` giving the place and the
        params of the i-th; only those the limit keeps are built (and the first one
        left out, for its row), so a million bad rows cost a hundred issues."""
        if count <= 0:
            return
        room = min(count, self.log.room(self.file, self.sheet, code))
        for position in range(room):
            self.add(severity, code, **build(position))
        if count > room:
            row = build(room).get("row")
            self.log.omit(severity, code, self.file, self.sheet, count - room, row)


def id_at(ids: pd.Series | None, index: Any) -> str:
    """The ID of a row as an issue quotes it: `?` when the sheet has none, or the row."""
    if ids is None:
        return "?"
    value = item(ids, index)
    return "?" if pd.isna(value) else str(value)


def report_rows(
    table: SheetTable,
    reporter: Reporter,
    severity: Severity,
    code: str,
    where: pd.Series,
    key: str,
    params: Callable[[Any], dict[str, ParamValue]] | None = None,
) -> None:
    """One issue at the `key` cell of each row where `where` holds, with the row's ID."""
    frame = table.frame
    ids = frame.get("id")
    indexes = frame.index[where.to_numpy(dtype=bool)]

    def build(i: int) -> dict[str, Any]:
        index = indexes[i]
        row = int(at(frame, index, ROW))
        found: dict[str, ParamValue] = {"id": id_at(ids, index)}
        if params is not None:
            found.update(params(index))
        return {
            "row": row,
            "column": table.headers[key],
            "cell": table.cell(key, row),
            "params": found,
        }

    reporter.add_each(severity, code, len(indexes), build)
