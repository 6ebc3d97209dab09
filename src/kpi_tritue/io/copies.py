"""What an annotated copy is made from (`kpi validate --annotate`): the workbook as read.

An `.xlsx` or `.xlsm` is copied from its own bytes, read here once more and checked
against the digest taken when it was opened: the copy is of exactly the file validated,
and a file changed in between is refused rather than annotated with issues that are no
longer its own. The workbook is not parsed a second time (the renderer loads those bytes).
A legacy `.xls` or `.ods` has no `.xlsx` bytes to copy: its copy is built from the cells
the open workbook reads (the same reader, not a second opening), sheet by sheet, as text
as calamine sees it, numbers that are plainly numbers made numbers again.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kpi_tritue.io.sheet_xml import UnreadableWorkbook
from kpi_tritue.io.workbook import OpenedWorkbook
from kpi_tritue.io.workbook_file import sniff_format

CellValue = str | int | float | datetime


class ChangedInput(Exception):
    """The file is no longer what was validated (changed, replaced or gone)."""


@dataclass(frozen=True)
class LegacySheet:
    """One sheet of a legacy workbook: its non-empty cells by (1-based row, column)."""

    name: str
    cells: dict[tuple[int, int], CellValue] = field(default_factory=dict)
    # Merged blocks as (first row, first column, last row, last column), 1-based.
    merged: tuple[tuple[int, int, int, int], ...] = ()
    # The sheet could not be read (refused by a limit): it is copied empty.
    unreadable: bool = False


@dataclass(frozen=True)
class CopySource:
    """A workbook to annotate: its bytes (`.xlsx`, `.xlsm`) or its sheets (`.xls`, `.ods`)."""

    display: str
    path: Path
    sheet_names: tuple[str, ...]
    data: bytes | None = None
    legacy: tuple[LegacySheet, ...] = ()
    macros: bool = False


def copy_source(opened: OpenedWorkbook) -> CopySource:
    """What the annotated copy of `opened` is made from; `ChangedInput` if the file changed."""
    names = tuple(opened.workbook.sheet_names)
    path = opened.path
    if sniff_format(path) == "zip" and path.suffix.lower() in {".xlsx", ".xlsm"}:
        data = _read_same(path, opened.sha256)
        return CopySource(
            display=opened.display,
            path=path,
            sheet_names=names,
            data=data,
            macros=path.suffix.lower() == ".xlsm",
        )
    sheets = tuple(_legacy_sheet(opened, name) for name in names)
    return CopySource(display=opened.display, path=path, sheet_names=names, legacy=sheets)


def _read_same(path: Path, sha256: str) -> bytes:
    """The bytes of the regular file at `path`, if they are still those of digest `sha256`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        raise ChangedInput(str(path)) from error
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise ChangedInput(str(path))
        data = stream.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ChangedInput(str(path))
    return data


_INTEGER = re.compile(r"^-?[1-9][0-9]{0,14}$|^0$")
_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+(?:[eE][-+]?[0-9]+)?$")
# How calamine writes a date cell as text: `1975-05-16 00:00:00` (a time, when it has one).
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}:[0-9]{2})?$")


def cell_value(text: str) -> CellValue:
    """A cell's text as read, a number or a date when it reads back as exactly that text."""
    if _DATE.match(text):
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        return moment if str(moment) == text or moment.date().isoformat() == text else text
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        number = float(text)
        if math.isfinite(number) and repr(number) == text:
            return number
    return text


def _legacy_sheet(opened: OpenedWorkbook, name: str) -> LegacySheet:
    try:
        raw = opened.workbook.read_sheet(name)
    except UnreadableWorkbook:
        return LegacySheet(name=name, unreadable=True)
    cells: dict[tuple[int, int], CellValue] = {}
    frame = raw.cells
    for column in frame.columns:
        series = frame[column]
        for index, value in series[series.notna()].items():
            cells[int(str(index)) + 1, int(str(column)) + 1] = cell_value(str(value))
    for (grid_row, grid_column), shown in raw.error_cells.items():
        cells[grid_row + 1, grid_column + 1] = shown
    merged = tuple(
        (block.first_row + 1, block.first_col + 1, block.last_row + 1, block.last_col + 1)
        for block in raw.merged
    )
    return LegacySheet(name=name, cells=cells, merged=merged)


__all__ = ["CellValue", "ChangedInput", "CopySource", "LegacySheet", "cell_value", "copy_source"]
