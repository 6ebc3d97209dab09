"""A sheet read into a typed frame, and the reporter that collects the issues of a sheet."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.limits import Limits
from kpi_tritue.contract.privacy import quoted_params
from kpi_tritue.contract.schema import SheetSpec
from kpi_tritue.io.column_batch import SharedRows, stored_array
from kpi_tritue.io.frames import at, item
from kpi_tritue.model.issues import Issue, IssueLog, Location, ParamValue, Severity


class SheetTable:
    """One sheet of one workbook, parsed: typed columns by key, `_row`, `_invalid`.

    Its rows are its `frame`, or, until a frame is asked for, rows of a frame shared with
    other files' tables (`shared`).
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
    ) -> None:
        if (frame is None) == (shared is None):
            raise ValueError("a table has either its own frame or shared rows")
        self.spec = spec
        self.sheet_name = sheet_name
        self._frame = frame
        self._shared = shared
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
        """The table's frame (made from its shared rows the first time it is asked for:
        from then on it is the table's own, to read and to change)."""
        if self._frame is None:
            assert self._shared is not None
            self._frame = self._shared.frame()
            self._shared = None
        return self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._shared = None

    @property
    def shared(self) -> SharedRows | None:
        """Its rows in a shared frame, while no frame of its own has been asked for."""
        return self._shared

    def share(self, rows: SharedRows) -> None:
        """Its rows from now on: `rows` (handed over: its frame, if any, is dropped)."""
        self._frame = None
        self._shared = rows

    @property
    def height(self) -> int:
        """How many rows it has."""
        shared = self._shared
        return shared.stop - shared.start if shared is not None else len(self.frame)

    @property
    def columns(self) -> pd.Index:
        """Its columns' labels, in order."""
        shared = self._shared
        return shared.whole.columns if shared is not None else self.frame.columns

    def has_column(self, key: str) -> bool:
        return key in self.columns

    def column_array(self, key: str) -> Any:
        """The column `key` as stored (an ndarray or an extension array), to read only,
        without a frame made for it."""
        shared = self._shared
        if shared is None:
            return stored_array(self.frame, key)
        part = stored_array(shared.whole, key)[shared.start : shared.stop]
        if isinstance(part, np.ndarray):
            part.flags.writeable = False  # a view of the shared frame: not to be written
        return part

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
