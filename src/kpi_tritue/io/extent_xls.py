"""Where the cells of a legacy .xls lie, found before calamine opens it.

calamine parses every sheet of an .xls when it opens the workbook, laying each in a dense
grid: one value at `IV65536` beside a hundred rows makes that 65,536 × 256 cells (1.7 GB
with the copies fastexcel makes), and a `DIMENSIONS` record may ask it to reserve any
number of cells up front. So the workbook's `Workbook` stream is read first, from its
compound-file container (a few lines of the format suffice: sectors, the FAT, the
directory), record by record: where every cell lies, which sheet it belongs to, and the
rule of `extent_rule.decide` applied to each sheet. What it leaves out is neutralised in a copy
of the file (the record's type changed to one calamine skips, so no offset moves), and every
`DIMENSIONS` record is shrunk to the cells kept; a refused sheet loses all its cells.

The same pass keeps the merged blocks (calamine's reading of them needs the whole grid
again), and mends the few records calamine would panic or over-allocate on (a shared-string
count larger than the strings, a merge count larger than its record).
"""

from __future__ import annotations

import struct
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
    decide,
)

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
# A record type calamine (and every reader) skips: a neutralised record.
_SKIPPED = 0x0000

# Records that place one cell at (row, col) in their first four bytes.
_CELL = {0x0203: 14, 0x0204: 6, 0x0205: 8, 0x027E: 10, 0x00FD: 10, 0x00D6: 6, 0x0006: 20}
_MULRK, _STRING, _FORMULA = 0x00BD, 0x0207, 0x0006
_DIMENSIONS, _MERGED, _EOF, _BOF, _BOUNDSHEET, _SST = 0x0200, 0x00E5, 0x000A, 0x0809, 0x0085, 0x00FC
_CODEPAGE, _FILEPASS = 0x0042, 0x002F


class XlsUnreadable(Exception):
    """The container or its records are broken in a way calamine would fail (or panic) on."""


class NoWorkbookStream(XlsUnreadable):
    """A compound file without a workbook in it (a Word file renamed, say), or an encrypted
    one: calamine says what it is without laying out any cell."""


class Encrypted(NoWorkbookStream):
    pass


@dataclass
class XlsSheet:
    name: str
    index: int
    stats: RowStats = field(default_factory=RowStats)
    written: int = 0
    far_count: int = 0
    first_far: tuple[int, int] | None = None
    decision: Decision | None = None
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    # (stream offset, row, col, cells) of every cell record, in order.
    cells: list[tuple[int, int, int, int]] = field(default_factory=list)
    dimensions: list[tuple[int, int]] = field(default_factory=list)  # (offset, length)

    @property
    def refused(self) -> bool:
        return self.decision is not None and self.decision.refused

    @property
    def far_cells(self) -> tuple[int, str] | None:
        if not self.far_count or self.refused:
            return None
        first = self.first_far or (0, 0)
        return self.far_count, cell_label(*first)


@dataclass
class XlsExtent:
    sheets: list[XlsSheet] = field(default_factory=list)
    # (stream offset, bytes) patches of the Workbook stream.
    patches: list[tuple[int, bytes]] = field(default_factory=list)
    mended: bytes | None = None

    def sheet(self, name: str) -> XlsSheet | None:
        found = [sheet for sheet in self.sheets if sheet.name == name]
        return found[0] if found else None


# ---------------------------------------------------------------------------------------
# The compound-file container


class _Container:
    """The streams of a compound file (MS-CFB), read enough to find one stream's bytes and
    where each of them lies in the file."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(_MAGIC):
            raise XlsUnreadable("not a compound file")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise XlsUnreadable("sector size")
        self.sector: int = 1 << int(shift)
        self.mini: int = 1 << int(mini_shift)
        (fat_sectors, self.first_dir, _, self.cutoff, first_minifat, minifat_sectors) = (
            struct.unpack_from("<IIIIII", data, 0x2C)
        )
        first_difat, difat_sectors = struct.unpack_from("<II", data, 0x44)
        self.sectors = max(0, (len(data) - self.sector) // self.sector)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        at, seen = first_difat, 0
        while at not in (_FREE, _END_OF_CHAIN) and seen < min(difat_sectors, self.sectors):
            entries = struct.unpack_from(f"<{self.sector // 4}I", data, self._offset(at))
            difat.extend(entries[:-1])
            at, seen = entries[-1], seen + 1
        self.fat: list[int] = []
        for sector in difat[: min(fat_sectors, self.sectors)]:
            if sector in (_FREE, _END_OF_CHAIN):
                continue
            self.fat.extend(struct.unpack_from(f"<{self.sector // 4}I", data, self._offset(sector)))
        self.minifat: list[int] = []
        for sector in self._chain(first_minifat)[:minifat_sectors]:
            self.minifat.extend(
                struct.unpack_from(f"<{self.sector // 4}I", data, self._offset(sector))
            )
        directory = b"".join(
            data[self._offset(s) : self._offset(s) + self.sector]
            for s in self._chain(self.first_dir)
        )
        self.entries: list[tuple[str, int, int, int]] = []  # name, type, start, size
        for at in range(0, len(directory) - 127, 128):
            entry = directory[at : at + 128]
            length = struct.unpack_from("<H", entry, 0x40)[0]
            name = entry[: max(0, min(length, 64) - 2)].decode("utf-16-le", "replace")
            kind = entry[0x42]
            start, size = struct.unpack_from("<IQ", entry, 0x74)
            if self.sector == 512:
                size &= 0xFFFFFFFF
            self.entries.append((name, kind, start, size))
        if not self.entries or self.entries[0][1] != 5:
            raise XlsUnreadable("no root entry")
        root = self.entries[0]
        self.mini_stream = self._positions(root[2], root[3], mini=False)

    def _offset(self, sector: int) -> int:
        if sector >= self.sectors:
            raise XlsUnreadable("sector out of the file")
        return (sector + 1) * self.sector

    def _chain(self, first: int) -> list[int]:
        chain: list[int] = []
        at = first
        while at not in (_FREE, _END_OF_CHAIN):
            if at >= len(self.fat) or len(chain) > self.sectors:
                raise XlsUnreadable("broken sector chain")
            chain.append(at)
            at = self.fat[at]
        return chain

    def _positions(self, first: int, size: int, mini: bool) -> list[int]:
        """The file offset of each block of a stream (sectors, or mini sectors)."""
        if not mini:
            return [self._offset(s) for s in self._chain(first)]
        blocks: list[int] = []
        at = first
        while at not in (_FREE, _END_OF_CHAIN) and len(blocks) * self.mini < size:
            if at >= len(self.minifat) or len(blocks) > len(self.minifat):
                raise XlsUnreadable("broken mini chain")
            where = at * self.mini
            sector = where // self.sector
            if sector >= len(self.mini_stream):
                raise XlsUnreadable("mini sector out of the mini stream")
            blocks.append(self.mini_stream[sector] + where % self.sector)
            at = self.minifat[at]
        return blocks

    def stream(self, names: tuple[str, ...]) -> tuple[bytes, list[int], int]:
        """The first stream named one of `names` (in that order of preference): its bytes,
        the file offset of each of its blocks, and the block size."""
        for wanted in names:
            for name, kind, start, size in self.entries:
                if kind == 2 and name == wanted:
                    mini = size < self.cutoff
                    block = self.mini if mini else self.sector
                    positions = self._positions(start, size, mini)
                    if len(positions) * block < size:
                        raise XlsUnreadable("stream shorter than declared")
                    data = b"".join(self.data[p : p + block] for p in positions)[:size]
                    return data, positions, block
        raise NoWorkbookStream("no Workbook stream")


# ---------------------------------------------------------------------------------------
# The records


def _records(stream: bytes, start: int) -> list[tuple[int, int, int]]:
    """(offset, type, length) of the records from `start` to the substream's EOF."""
    found: list[tuple[int, int, int]] = []
    at = start
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        if at + 4 + length > len(stream):
            break  # calamine stops on it with an error
        found.append((at, kind, length))
        at += 4 + length
        if kind == _EOF:
            break
    return found


def _decode_name(raw: bytes, wide: bool, codepage: int) -> str:
    if wide:
        text = raw.decode("utf-16-le", "replace")
    else:
        try:
            text = raw.decode("latin-1" if codepage in (1200, 0) else f"cp{codepage}")
        except (LookupError, UnicodeDecodeError):
            text = raw.decode("latin-1")
    return text.replace("\0", "")


class _Scan:
    def __init__(self, stream: bytes, limits: Limits) -> None:
        self.stream = stream
        self.limits = limits
        self.columns = min(GRID_COLUMNS, limits.max_columns)
        self.extent = XlsExtent()

    def patch(self, offset: int, data: bytes) -> None:
        if len(self.extent.patches) >= MAX_EDITS:
            raise TooManyEdits
        self.extent.patches.append((offset, data))

    def neutralise(self, offset: int) -> None:
        self.patch(offset, struct.pack("<H", _SKIPPED))

    def run(self) -> XlsExtent:
        stream = self.stream
        codepage = 1200
        biff8 = True
        sheets: list[tuple[int, str]] = []
        for at, kind, length in _records(stream, 0):
            data = stream[at + 4 : at + 4 + length]
            if kind == _BOF and length >= 4 and not sheets:
                version, sort = struct.unpack_from("<HH", data)
                biff8 = version == 0x0600 or (version == 0 and sort != 0x1000) or version > 0x0600
            elif kind == _FILEPASS:
                raise Encrypted("encrypted")  # calamine stops here: password-protected
            elif kind == _CODEPAGE and length >= 2:
                codepage = struct.unpack_from("<H", data)[0]
            elif kind == _BOUNDSHEET:
                if length < 8:
                    raise XlsUnreadable("short sheet record")
                position = struct.unpack_from("<I", data)[0]
                if position >= len(stream):
                    raise XlsUnreadable("sheet past the stream")
                count = data[6]
                wide = biff8 and bool(data[7] & 1)
                raw = data[8:] if biff8 else data[7:]
                sheets.append(
                    (position, _decode_name(raw[: count * (2 if wide else 1)], wide, codepage))
                )
            elif kind == _SST and length >= 8:
                # calamine reserves as many strings as this says, and refuses a negative one.
                declared = struct.unpack_from("<i", data, 4)[0]
                most = self._sst_bytes(at) // 3
                if declared < 0 or declared > most:
                    self.patch(at + 8, struct.pack("<i", min(max(declared, 0), most)))
        for index, (position, name) in enumerate(sheets):
            self.extent.sheets.append(self._sheet(position, name, index))
        return self.extent

    def _sst_bytes(self, at: int) -> int:
        """The bytes of the shared strings: the record and its CONTINUE records."""
        total = 0
        while at + 4 <= len(self.stream):
            kind, length = struct.unpack_from("<HH", self.stream, at)
            if total and kind != 0x003C:
                break
            total += length
            at += 4 + length
        return total

    def _sheet(self, position: int, name: str, index: int) -> XlsSheet:
        sheet = XlsSheet(name=name, index=index)
        formula_at = (0, 0)
        for at, kind, length in _records(self.stream, position):
            data = self.stream[at + 4 : at + 4 + length]
            if kind in _CELL and length >= _CELL[kind]:
                row, col = struct.unpack_from("<HH", data)
                if kind == _FORMULA:
                    formula_at = (row, col)
                sheet.cells.append((at, row, col, 1))
            elif kind == _STRING:
                sheet.cells.append((at, *formula_at, 1))
            elif kind == _MULRK and length >= 6:
                row, first = struct.unpack_from("<HH", data)
                last = struct.unpack_from("<H", data, length - 2)[0]
                if last >= first and length == 6 + 6 * (last - first + 1):
                    sheet.cells.append((at, row, first, last - first + 1))
            elif kind == _DIMENSIONS and length in (10, 14):
                sheet.dimensions.append((at, length))
            elif kind == _MERGED and length >= 2:
                count = struct.unpack_from("<H", data)[0]
                fits = min(count, (length - 2) // 8)
                if fits != count:
                    self.patch(at + 4, struct.pack("<H", fits))  # calamine would read past it
                for i in range(fits):
                    r1, r2, c1, c2 = struct.unpack_from("<HHHH", data, 2 + 8 * i)
                    sheet.merged.append((r1, c1, r2, c2))
        return sheet


def _place(scan: _Scan, sheet: XlsSheet, cut_row: int | None) -> None:
    """The sheet's cells, far ones neutralised (all of them when the sheet is refused), its
    `DIMENSIONS` shrunk to what is kept."""
    limit = min(GRID_ROWS, cut_row if cut_row is not None else GRID_ROWS)
    refused = sheet.refused
    sheet.stats, sheet.written, sheet.far_count, sheet.first_far = RowStats(), 0, 0, None
    kept_rows = kept_cols = 0
    for at, row, col, count in sheet.cells:
        far_from = max(0, min(count, scan.columns - col))
        if refused or row >= limit or far_from < count:
            if not refused:
                if far_from and count > 1:
                    raise XlsUnreadable("a row of cells across the columns read")
                sheet.far_count += count
                if sheet.first_far is None:
                    sheet.first_far = (row, col) if row >= limit else (row, col + far_from)
            scan.neutralise(at)
            continue
        sheet.written += count
        sheet.stats.add(row, col + count - 1, count)
        kept_rows, kept_cols = max(kept_rows, row + 1), max(kept_cols, col + count)
    for at, length in sheet.dimensions:
        wide = length == 14
        shape = "<IIHH" if wide else "<HHHH"
        first_row, rows, first_col, cols = struct.unpack_from(shape, scan.stream, at + 4)
        # calamine reserves the declared box up front (and underflows on an inverted one).
        if not (first_row <= rows <= kept_rows and first_col <= cols <= kept_cols):
            scan.patch(at + 4, struct.pack(shape, 0, kept_rows, 0, kept_cols))


def settle(data: bytes, limits: Limits) -> XlsExtent:
    """Every sheet of the .xls placed, the rule applied to each, and the file mended when it
    must be (`mended`; None when calamine may read the file as it is)."""
    container = _Container(data)
    stream, positions, block = container.stream(("Workbook", "Book"))
    scan = _Scan(stream, limits)
    found = scan.run()
    for sheet in found.sheets:
        first = RowStats()
        for _, row, col, count in sheet.cells:
            if row < GRID_ROWS and col + count <= scan.columns:
                first.add(row, col + count - 1, count)
        sheet.written = sum(c for _, row, col, c in sheet.cells)
        sheet.decision = decide(first, sheet.written, limits)
        cut = sheet.decision.cut_row
        _place(scan, sheet, cut if cut is not None and not sheet.refused else None)
        sheet.cells = []
    if _needs_patches(found, stream):
        mended = bytearray(data)
        for offset, patch in found.patches:
            for i, byte in enumerate(patch):
                where = offset + i
                mended[positions[where // block] + where % block] = byte
        found.mended = bytes(mended)
    return found


def _needs_patches(found: XlsExtent, stream: bytes) -> bool:
    """Whether any patch changes a byte (`DIMENSIONS` already right need not be written)."""
    return any(stream[offset : offset + len(patch)] != patch for offset, patch in found.patches)
