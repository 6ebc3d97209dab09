"""What a sheet's XML says beside its cells: merged blocks, error cells, unsaved formulas.

Read by streaming the sheet's part block by block (`scan_xml`), beside calamine's parse in
`reader.py`, which gives the cells but not these; also the `.ods` merged blocks and the
sheet parts of an `.xlsx` archive.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from xml.etree import ElementTree

_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_ERROR_TYPE = re.compile(rb"\st\s*=\s*[\"']e[\"']")
_UNSAVED_FORMULA = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*>'
    rb"(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)"
    rb"(?:<v\s*/>|<v></v>)?</c>"
)
# Beyond this many cells of one kind, the first ones make the point.
_MAX_LISTED = 1000
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class UnreadableWorkbook(Exception):
    """The file cannot be opened as a workbook; `reason` is an issue code."""

    def __init__(self, reason: str, detail: str = "", **params: str | float) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail
        self.params = params


@dataclass(frozen=True)
class MergedRange:
    """A merged block, 0-based and inclusive, on the sheet's grid."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


def column_index(letters: bytes) -> int:
    index = 0
    for char in letters:
        index = index * 26 + (char - 64)
    return index - 1


def ascii_lower(name: str) -> bytes:
    return name.encode("utf-8", "surrogateescape").lower()


_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def ods_merged(blocks: Iterable[bytes], sheet_name: str) -> list[MergedRange]:
    """The merged blocks of one sheet of an .ods, from `content.xml`.

    A merged cell carries `number-rows-spanned` / `number-columns-spanned`; positions are
    counted through `number-rows-repeated` and `number-columns-repeated`, as the format
    compresses runs of equal rows and cells.
    """
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(
        events=("start", "end")
    )
    table, row, col = f"{{{_ODS_TABLE}}}", -1, 0
    inside = False
    merged: list[MergedRange] = []
    for block in blocks:
        parser.feed(block)
        for found in parser.read_events():
            event, element = cast("tuple[str, ElementTree.Element]", found)
            tag = element.tag
            if tag == f"{table}table":
                if event == "start":
                    inside = element.get(f"{table}name") == sheet_name
                elif inside:
                    return merged
                else:
                    element.clear()
                continue
            if not inside:
                continue
            if tag == f"{table}table-row":
                if event == "start":
                    row, col = row + 1, 0
                else:
                    row += int(element.get(f"{table}number-rows-repeated", "1")) - 1
                    element.clear()
            elif event == "start" and tag in (f"{table}table-cell", f"{table}covered-table-cell"):
                rows = int(element.get(f"{table}number-rows-spanned", "1"))
                cols = int(element.get(f"{table}number-columns-spanned", "1"))
                if rows > 1 or cols > 1:
                    merged.append(MergedRange(row, col, row + rows - 1, col + cols - 1))
                col += int(element.get(f"{table}number-columns-repeated", "1"))
    return merged


def xlsx_sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
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
            # As calamine resolves it; of two sheets of one name, it reads the first.
            if target.startswith("/xl/"):
                part = target[1:]
            elif target.startswith("xl/"):
                part = target
            else:
                part = f"xl/{target}"
            paths.setdefault(sheet.get("name", ""), part)
    return paths


def xlsx_hidden_sheets(path: Path) -> frozenset[str]:
    """The names of the sheets an .xlsx's workbook.xml marks hidden (`state="hidden"` or
    `"veryHidden"`): a list found by its content is looked for among the visible ones."""
    try:
        with zipfile.ZipFile(path) as archive:
            workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return frozenset()
    return frozenset(
        sheet.get("name", "")
        for sheet in workbook.iter()
        if sheet.tag.endswith("}sheet") and sheet.get("state", "visible") != "visible"
    )


@dataclass(frozen=True)
class SheetScan:
    """What the sheet's XML says beside its cells: merged blocks, and whether any cell holds
    an error value (None when the XML could not be scanned)."""

    merged: list[MergedRange]
    has_errors: bool | None
    unsaved_formulas: list[tuple[int, int]] = field(default_factory=list)
    # The part, when it inflates to more (or less) than the archive declares.
    mismatch: str | None = None
    # Why the sheet is not handed to calamine at all.
    refusal: UnreadableWorkbook | None = None
    far_cells: tuple[int, str] | None = None


class Scanner:
    """Merged blocks, unsaved formulas and error cells of a sheet's XML, fed block by block.

    What a block ends in the middle of (a cell, a tag) is carried whole into the next, so
    a cell is seen the same wherever the blocks are cut (up to `_MAX_CARRY`: a cell that
    long holds text, not an unsaved formula).
    """

    # False: every pattern is run on every block (the plain version the tests compare with).
    prefiltered = True

    def __init__(self) -> None:
        self.merged: list[MergedRange] = []
        self.unsaved: list[tuple[int, int]] = []
        self.has_errors = False
        self._tail = b""

    def feed(self, block: bytes) -> None:
        chunk = self._tail + block
        self._scan(chunk, *self._wanted(chunk))

    def feed_if_plain(self, block: bytes) -> bool:
        """`feed` when no pattern is to run on `block` (no formula, error value or merged
        block can be in it: only its unfinished end is carried), and True; else False,
        the scanner as it was."""
        chunk = self._tail + block
        if any(self._wanted(chunk)):
            return False
        self._scan(chunk, False, False, False)
        return True

    def _wanted(self, chunk: bytes) -> tuple[bool, bool, bool]:
        """Which patterns run on `chunk`: unsaved formulas, error cells, merged blocks."""
        if not self.prefiltered:
            return True, not self.has_errors, True
        # Each test first looks for one byte its pattern cannot match without (see
        # `_holds`), so that a sheet without formulas, error cells or merged blocks is
        # read through three times, not seven. A formula cell without a saved value holds
        # `<f` and ends `</f><v/></c>`, `</f><v></v></c>` or `</f></c>`, or, its formula
        # shared (`<f .../>`), `/></c>` or `/><v></v></c>`; Excel itself always saves
        # the value. Every cell the pattern finds holds these.
        formulas = _holds(chunk, b"<f", b"f") and (
            b"</f><v" in chunk
            or b"</f></c>" in chunk
            or b"/></c>" in chunk
            or b"/><v></v></c>" in chunk
        )
        # An attribute whose value is `e` is rare enough to check with a plain search
        # first; the pattern then confirms it is a cell's type.
        errors = not self.has_errors and (
            _holds(chunk, b"'e'", b"'") or _holds(chunk, b'"e"', b"e")
        )
        return formulas, errors, _holds(chunk, b"mergeCell", b"g")

    def _scan(self, chunk: bytes, formulas: bool, errors: bool, merges: bool) -> None:
        if formulas:
            for found in _UNSAVED_FORMULA.finditer(chunk):
                cell = (int(found[2]) - 1, column_index(found[1]))
                if len(self.unsaved) < _MAX_LISTED and cell not in self.unsaved:
                    self.unsaved.append(cell)
        if errors:
            self.has_errors = _ERROR_TYPE.search(chunk) is not None
        last_end = 0
        if merges:
            for match in _MERGE_REF.finditer(chunk):
                last_end = match.end()
                c1, r1, c2, r2 = match.groups()
                self.merged.append(
                    MergedRange(
                        first_row=int(r1) - 1,
                        first_col=column_index(c1),
                        last_row=int(r2) - 1,
                        last_col=column_index(c2),
                    )
                )
        self._tail = chunk[max(last_end, _carry_from(chunk)) :]

    def result(self) -> SheetScan:
        return SheetScan(
            merged=self.merged, has_errors=self.has_errors, unsaved_formulas=self.unsaved
        )


# What `_holds` searches whole at each end of a chunk: a sheet's header and footer.
_ENDS = 4096


def _holds(chunk: bytes, needle: bytes, byte: bytes) -> bool:
    """`needle in chunk`, `byte` being one of its bytes and rare in cells.

    A search for one byte (memchr) is ~10x faster than for a string, but a sheet's
    header and footer (namespaces, `</worksheet>`) hold nearly every letter: so the ends
    are searched for `needle` itself, and between them for `byte` first. An occurrence
    not within `_ENDS` of the start nor reaching into the last `_ENDS` bytes lies in
    between, so holds `byte` there.
    """
    size, length = len(chunk), len(needle)
    if size <= 2 * _ENDS:
        return needle in chunk
    if chunk.find(needle, 0, _ENDS + length - 1) >= 0:
        return True
    if chunk.find(needle, size - _ENDS - length + 1) >= 0:
        return True
    return chunk.find(byte, _ENDS, size - _ENDS) >= 0 and needle in chunk


# The longest unfinished cell carried from one block to the next.
_MAX_CARRY = 1 << 20


def _carry_from(chunk: bytes) -> int:
    """Where the unfinished end of `chunk` starts: its last cell if not closed, else its
    last tag if not closed (everything before is complete)."""
    cell = chunk.rfind(b"<c ")
    if cell >= 0 and chunk.find(b"</c>", cell) < 0 and len(chunk) - cell <= _MAX_CARRY:
        end = chunk.find(b">", cell)
        if end < 0 or chunk[end - 1 : end] != b"/":
            return cell
    tag = chunk.rfind(b"<")
    if tag >= 0 and chunk.find(b">", tag) < 0 and len(chunk) - tag <= _MAX_CARRY:
        return tag
    return len(chunk)


def scan_xml(blocks: Iterable[bytes]) -> SheetScan:
    scanner = Scanner()
    for block in blocks:
        scanner.feed(block)
    return scanner.result()
