"""Raw access to a workbook file: which sheets it has and the text of their cells.

Cells come back as text exactly as calamine (through fastexcel) sees them, positioned on
the sheet's own grid (row 0 is Excel row 1), so every later problem can name its cell.
Nothing here interprets the contract; `workbook.py` does.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    import pandas as pd

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL_ERROR = re.compile(r"Error\((\w+)\)")
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
# calamine's names for Excel's error values, as Excel shows them.
_EXCEL_ERRORS = {
    "NA": "#N/A",
    "Div0": "#DIV/0!",
    "Value": "#VALUE!",
    "Ref": "#REF!",
    "Name": "#NAME?",
    "Num": "#NUM!",
    "Null": "#NULL!",
    "GettingData": "#GETTING_DATA",
}
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class UnreadableWorkbook(Exception):
    """The file cannot be opened as a workbook; `reason` is an issue code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class MergedRange:
    """A merged block, 0-based and inclusive, on the sheet's grid."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class RawSheet:
    """The cells of one sheet as text; `cells` columns are absolute 0-based column indexes."""

    name: str
    cells: pd.DataFrame
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    merged: list[MergedRange] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sniff_format(path: Path) -> str:
    """What the bytes say the file is: `zip`, `ole2`, or `unknown`. Never trusts the suffix."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head == _OLE2_MAGIC:
        return "ole2"
    return "unknown"


def _column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


class Workbook:
    """An open workbook. Reads lazily, one sheet at a time; never writes to the file."""

    def __init__(self, path: Path) -> None:
        import fastexcel

        self.path = path
        kind = sniff_format(path)
        if kind == "unknown":
            raise UnreadableWorkbook("not_a_workbook")
        if kind == "ole2" and path.suffix.lower() in {".xlsx", ".xlsm"}:
            # An .xlsx inside an OLE2 container is how Excel stores an encrypted workbook.
            raise UnreadableWorkbook("password_protected")
        try:
            self._reader = fastexcel.read_excel(path)
        except fastexcel.FastExcelError as error:
            raise UnreadableWorkbook("unreadable_file", _first_line(error)) from error
        self._sheet_parts: dict[str, str] | None = None
        self._is_zip = kind == "zip"

    @property
    def sheet_names(self) -> list[str]:
        return list(self._reader.sheet_names)

    def read_sheet(self, name: str) -> RawSheet:
        import fastexcel
        import pandas as pd

        # calamine keeps only the top-left value of a merged block and does not say where
        # blocks are; their list sits at the end of the sheet's XML, so it is scanned in a
        # thread (inflating releases the GIL) while fastexcel parses the cells.
        with ThreadPoolExecutor(max_workers=1) as pool:
            merges = pool.submit(self.merged_ranges, name)
            try:
                sheet = self._reader.load_sheet(
                    name,
                    header_row=None,
                    skip_rows=0,
                    dtypes="string",
                    whitespace_as_null=True,
                )
                batch, errors = sheet.to_arrow_with_errors()
            except fastexcel.FastExcelError as error:
                raise UnreadableWorkbook("unreadable_sheet", _first_line(error)) from error
            merged = merges.result()
        columns = [info.absolute_index for info in sheet.available_columns()]
        cells = batch.to_pandas()
        cells.columns = pd.Index(columns[: len(cells.columns)])
        error_cells: dict[tuple[int, int], str] = {}
        for cell_error in errors.errors if errors is not None else []:
            row, col = cell_error.offset_position
            match = _CELL_ERROR.search(cell_error.detail)
            kind = match.group(1) if match else "Error"
            error_cells[(row, columns[col] if col < len(columns) else col)] = _EXCEL_ERRORS.get(
                kind, f"#{kind}"
            )
        return RawSheet(name=name, cells=cells, error_cells=error_cells, merged=merged)

    def merged_ranges(self, sheet_name: str) -> list[MergedRange]:
        """The merged blocks of a sheet (xlsx/xlsm only; other formats report none)."""
        if not self._is_zip:
            return []
        try:
            with zipfile.ZipFile(self.path) as archive:
                if self._sheet_parts is None:
                    self._sheet_parts = _xlsx_sheet_paths(archive)
                part = self._sheet_parts.get(sheet_name)
                return list(_scan_merges(archive, part)) if part else []
        except (KeyError, zipfile.BadZipFile, OSError, EOFError):
            return []


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _xlsx_sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part name inside the archive, from workbook.xml and its relationships."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    paths: dict[str, str] = {}
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        if target:
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            paths[sheet.get("name", "")] = part
    return paths


def _scan_merges(archive: zipfile.ZipFile, part: str) -> Iterator[MergedRange]:
    tail = b""
    with archive.open(part) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            chunk = tail + block
            if b"mergeCell" not in chunk:
                tail = chunk[-64:]
                continue
            last_end = 0
            for match in _MERGE_REF.finditer(chunk):
                last_end = match.end()
                c1, r1, c2, r2 = match.groups()
                yield MergedRange(
                    first_row=int(r1) - 1,
                    first_col=_column_index(c1),
                    last_row=int(r2) - 1,
                    last_col=_column_index(c2),
                )
            tail = chunk[max(last_end, len(chunk) - 64) :]
