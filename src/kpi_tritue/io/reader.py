"""Raw access to a workbook file: which sheets it has and the text of their cells.

Cells come back as text exactly as calamine (through fastexcel) sees them, positioned on
the sheet's own grid (row 0 is Excel row 1), so every later problem can name its cell.
Nothing here interprets the contract (`io/sheet.py` does).

A workbook is read in the caller's thread. The one exception is `read_ahead.prefetch`: the
same reading of each workbook given, started in a thread of its own while the command
imports what it needs, and always finished (`read_ahead.opened` takes it over,
`finish_prefetch` waits for it) so that no read is left running when a command ends.
"""

from __future__ import annotations

import hashlib
import re
import weakref
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpi_tritue.contract.limits import (
    MIB,
    ArchiveMismatch,
    LimitHit,
    Limits,
    check_declared_sizes,
    inflated_blocks,
    inspect_archive,
    long_text_hit,
    unsupported_compression,
)
from kpi_tritue.io import blank_cells, extent, extent_ods, extent_xls, scan_beside
from kpi_tritue.io.arrow_frames import framed as _framed
from kpi_tritue.io.arrow_frames import framed_plain, text_columns
from kpi_tritue.io.raw_sheet import RawSheet
from kpi_tritue.io.reader_refusals import Legacy as _Legacy
from kpi_tritue.io.reader_refusals import first_line as _first_line
from kpi_tritue.io.reader_refusals import legacy_refusal as _legacy_refusal
from kpi_tritue.io.reader_refusals import limit_error as _limit_error
from kpi_tritue.io.reader_refusals import mended_is_safe as _mended_is_safe
from kpi_tritue.io.reader_refusals import quiet_rust_logs as _quiet_rust_logs
from kpi_tritue.io.reader_refusals import refused as _refused
from kpi_tritue.io.reader_refusals import refused_cells as _refused_cells
from kpi_tritue.io.reader_refusals import refused_limit as _refused_limit
from kpi_tritue.io.scan_beside import ScanBeside
from kpi_tritue.io.sheet_xml import (
    MergedRange,
    Scanner,
    SheetScan,
    UnreadableWorkbook,
    ascii_lower,
    ods_merged,
    xlsx_hidden_sheets,
    xlsx_sheet_paths,
)
from kpi_tritue.io.workbook_file import in_memory, release, sniff_format

if TYPE_CHECKING:
    import pyarrow as pa

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
_CELL_ERROR = re.compile(r"Error\((\w+)\)")
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


class Workbook:
    """An open workbook. Reads lazily, one sheet at a time, in the caller's thread; never
    writes to the file, and holds it open only where it is not read into memory
    (`workbook_file.in_memory`)."""

    def __init__(self, path: Path, *, open_reader: bool = True) -> None:
        """`open_reader` False: every check made, calamine not yet handed the file; the
        caller calls `open_reader` before anything else (`read_ahead` gates the workforce
        sheet meanwhile)."""
        self.path = path
        # The file's SHA-256 when its bytes are read here whole (`in_memory`): taken from
        # those bytes, so that it is of what is parsed and the file is not read again for
        # it (`workbook.open_workbook`); None otherwise.
        self.digest: str | None = None
        self._mended: dict[str, Any] = {}
        # Each sheet's XML size as the archive declares it (the gate records it, and
        # refuses a part that inflates to another). A sheet of `blank_cells.IN_ARROW_FROM`
        # or more is read by calamine without `whitespace_as_null`, its blank-looking
        # cells made null by `read_sheet` in Arrow (`_blanks_in_arrow`): on a big sheet
        # that costs less than calamine's own rule, on a small one more (~50 µs a column).
        self._declared: dict[str, int] = {}
        self._sheet_parts: dict[str, str] = {}
        # The archive's directory (a closed `ZipFile`: its entries, not its data), read
        # once, when it opens; or why it could not be read, said of each sheet scanned.
        self._directory: zipfile.ZipFile | None = None
        self._unreadable = ""
        self._is_zip = kind_is_zip = False
        # What `prefetch` loaded of a sheet (or found wrong with it), for `read_sheet`, once.
        self._loaded: dict[str, LoadedSheet | BaseException] = {}
        # Sheets read once and kept for the next `read_sheet` of them (`keep=True`): a
        # sheet looked at to find the list by its content is not read a second time.
        self._kept: dict[str, RawSheet] = {}
        self._hidden: frozenset[str] | None = None
        kind = sniff_format(path)
        if kind == "unknown":
            raise UnreadableWorkbook("not_a_workbook")
        if kind == "ole2" and path.suffix.lower() in {".xlsx", ".xlsm"}:
            # An .xlsx inside an OLE2 container is how Excel stores an encrypted workbook.
            raise UnreadableWorkbook("password_protected")
        self._limits = Limits.from_environment()
        entries: list[zipfile.ZipInfo] = []
        if kind == "zip":
            # The archive's directory, read once for the checks below, `_settle_ods` and
            # the scan of every sheet (issue 14: not opened again for each sheet).
            archive = self._open_directory()
            entries = archive.infolist() if archive is not None else []
            try:
                # calamine inflates deflate only: LZMA or bzip2 would fail deep inside it.
                method = unsupported_compression(path, entries)
                if method is not None:
                    raise UnreadableWorkbook("unsupported_compression", part=method)
                # A zip bomb is refused from the archive's directory, before calamine inflates it.
                hit = inspect_archive(path, self._limits, entries)
                if hit is not None:
                    raise _limit_error(hit)
                # A directory that lies about sizes would let a bomb past the limits above.
                lying = check_declared_sizes(path, self._limits, entries)
                if isinstance(lying, LimitHit):
                    raise _limit_error(lying)
                if lying is not None:
                    raise UnreadableWorkbook("archive_mismatch", part=lying)
                kind_is_zip = True
                self._read_sheet_parts(archive)
            finally:
                if archive is not None:
                    archive.close()
        self._is_zip = kind_is_zip
        # calamine lays out every sheet of an .ods or .xls as it opens it: those are placed
        # first (`extent_ods`, `extent_xls`), and calamine given a mended copy if need be.
        self._legacy: dict[str, _Legacy] = {}
        # A mended copy of the workbook, for calamine, if it needs one.
        self._source: bytes | None = None
        if kind == "ole2":
            self._source = self._settle_xls()
        elif kind_is_zip:
            self._source = self._settle_ods(entries)
        self._whole = kind == "ole2" or (kind_is_zip and self._directory is not None)
        if open_reader:
            self.open_reader()

    def open_reader(self) -> None:
        """Hand the file to calamine (`Workbook(open_reader=False)` left it to the caller):
        its shared strings are read here, and what it cannot open is raised."""
        import fastexcel

        mended, self._source = self._source, None
        path = self.path
        source: Path | bytes | None = mended
        # From memory (`in_memory`), but not an archive whose directory cannot be read:
        # given its path calamine says what is wrong with it, from bytes only that it
        # cannot tell the format. It fails there, so it holds no file open either.
        if source is None and self._whole:
            source = in_memory(path)
            if isinstance(source, bytes):
                # Given back once this workbook (and calamine's copy with it) is gone.
                weakref.finalize(self, release, len(source))
                self.digest = hashlib.sha256(source).hexdigest()
        source = source or path
        _quiet_rust_logs()
        try:
            self._reader = fastexcel.read_excel(source)
        except fastexcel.FastExcelError as error:
            raise UnreadableWorkbook("unreadable_file", _first_line(error)) from error
        except BaseException as error:  # a panic in calamine (pyo3's PanicException)
            if type(error).__name__ != "PanicException":
                raise
            raise UnreadableWorkbook("unreadable_file", type(error).__name__) from error
        self._sheet_names: list[str] = list(self._reader.sheet_names)

    def _open_directory(self) -> zipfile.ZipFile | None:
        """The archive, open (None when its directory cannot be read, as for
        `archive_directory`); kept once closed, for its entries, by the sheets' scans."""
        try:
            self._directory = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            self._unreadable = type(error).__name__
        return self._directory

    def _read_sheet_parts(self, archive: zipfile.ZipFile | None) -> None:
        """Sheet name → its part (`xlsx_sheet_paths`), once the archive has passed the
        checks on its sizes; an error reading them is said of each sheet scanned."""
        if archive is None:
            return
        try:
            self._sheet_parts = xlsx_sheet_paths(archive)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            self._unreadable = type(error).__name__
            self._directory = None

    def _settle_xls(self) -> bytes | None:
        limits = self._limits
        size = self.path.stat().st_size
        if size > limits.max_sheet_bytes:
            raise _limit_error(
                LimitHit(
                    "KPI_MAX_SHEET_MB",
                    self.path.name,
                    f"{size // MIB} MB",
                    f"{limits.max_sheet_bytes // MIB} MB",
                )
            )
        try:
            found = extent_xls.settle(self.path.read_bytes(), limits)
        except extent_xls.NoWorkbookStream:
            return None  # not a workbook: calamine says so, without laying out anything
        except (extent_xls.XlsUnreadable, extent.TooManyEdits) as error:
            raise UnreadableWorkbook("unreadable_file", str(error)) from error
        for sheet in found.sheets:
            self._legacy.setdefault(
                sheet.name,
                _Legacy(
                    merged=[MergedRange(*block) for block in sheet.merged],
                    far_cells=sheet.far_cells,
                    refusal=_legacy_refusal(sheet.decision, None),
                ),
            )
        return found.mended

    def _settle_ods(self, entries: Sequence[zipfile.ZipInfo]) -> bytes | None:
        # An .xlsx is told from its directory, without opening the archive again.
        names = {ascii_lower(entry.filename) for entry in entries}
        if b"content.xml" not in names or b"xl/workbook.xml" in names:
            return None
        try:
            with zipfile.ZipFile(self.path) as archive:
                entry = archive.getinfo("content.xml")

                def read() -> Iterator[bytes]:
                    return inflated_blocks(self.path, entry)

                found = extent_ods.settle(read, self._limits)
                for sheet in found.sheets:
                    self._legacy[sheet.name] = _Legacy(
                        merged=None,
                        far_cells=sheet.far_cells,
                        refusal=_legacy_refusal(sheet.decision, sheet.repeated, self._limits),
                    )
                if not found.needs_rewrite:
                    return None
                return extent.mended_workbook(
                    archive, entry, extent_ods.rewrite(read(), found.edits)
                )
        except ArchiveMismatch as mismatch:
            raise UnreadableWorkbook("archive_mismatch", part=mismatch.part) from mismatch
        except (extent_ods.OdsUnreadable, extent.TooManyEdits) as error:
            raise UnreadableWorkbook("unreadable_file", str(error)) from error
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
            return None  # calamine says what is wrong with it

    @property
    def sheet_names(self) -> list[str]:
        return list(self._sheet_names)

    @property
    def part_names(self) -> list[str]:
        """The sheets of an .xlsx as its workbook.xml names them, known before calamine
        opens it; none for the other formats."""
        return list(self._sheet_parts)

    @property
    def limits(self) -> Limits:
        """The limits it was opened under: its sheets are read under them (`take_head`)."""
        return self._limits

    @property
    def hidden_sheets(self) -> frozenset[str]:
        """The sheets an .xlsx marks hidden (none for the other formats)."""
        if self._hidden is None:
            self._hidden = xlsx_hidden_sheets(self.path) if self._is_zip else frozenset()
        return self._hidden

    def read_sheet(self, name: str, *, keep: bool = False) -> RawSheet:
        """The sheet's cells; `keep`: kept for the next call, which takes them over."""
        kept = self._kept.pop(name, None)
        if kept is not None:
            return kept
        raw = self._read_sheet(name)
        if keep:
            self._kept[name] = raw
        return raw

    def release(self, name: str) -> None:
        """Forget the cells kept of a sheet (`read_sheet(keep=True)`) that will not be read."""
        self._kept.pop(name, None)

    def is_kept(self, name: str) -> bool:
        return name in self._kept

    def _read_sheet(self, name: str) -> RawSheet:
        extent.pyarrow_ready()
        loaded = self._loaded.pop(name, None) or self._load(name)
        if isinstance(loaded, BaseException):
            raise loaded  # as `_load` raised it, ahead
        scan = loaded.scan
        batch, columns = loaded.parsed or (None, [])
        # The eager read is the fast one (calamine borrows the shared strings instead of
        # copying one per cell) but turns error cells into blanks without saying where; a
        # sheet whose XML holds any error cell is read again the way that reports them.
        if batch is not None and scan.has_errors is False:
            if self._blanks_in_arrow(name):
                # Blank-looking cells as null (calamine's `whitespace_as_null`, in Arrow),
                # here and not in the read ahead: Arrow's functions import pandas, which
                # the command's thread imports meanwhile.
                batch = blank_cells.batch_blanks_as_null(batch)
            text = text_columns(batch, columns)
            return RawSheet(
                name=name,
                content=text if text is not None else framed_plain(batch, columns),
                merged=scan.merged,
                unsaved_formulas=scan.unsaved_formulas,
                far_cells=scan.far_cells,
            )
        del batch, loaded
        raw = self._read_with_errors(name, scan.merged)
        raw.unsaved_formulas = scan.unsaved_formulas
        raw.far_cells = scan.far_cells
        return raw

    def _load(self, name: str) -> LoadedSheet:
        """The sheet's XML scanned, then its cells parsed (xlsx only): all of `read_sheet`
        that needs no pandas, which `prefetch` and `load_ahead` therefore run ahead.

        calamine lays every cell of a sheet in one dense grid: a single far cell makes it
        allocate more than any machine has and abort the process. So the gate, which
        establishes where the cells lie (see `extent`) and counts what the XML inflates to
        against what the archive declares, ends before calamine is handed the sheet. The
        scanner's findings (merged blocks, error cells, unsaved formulas) are read only
        after the parse: for a big part they are found beside it (`scan_beside`).
        """
        scan, beside = self._scan_parts(name, beside=True)
        return self._parse_scanned(name, scan, beside)

    def _parse_scanned(self, name: str, scan: SheetScan, beside: ScanBeside | None) -> LoadedSheet:
        """The rest of `_load`, once the sheet is scanned (`_scan_parts`)."""
        if beside is None:
            if scan.mismatch is not None:
                raise UnreadableWorkbook("archive_mismatch", part=scan.mismatch)
            if scan.refusal is not None:
                raise scan.refusal
            return LoadedSheet(scan=scan, parsed=self._parse_eagerly(name))
        # A big part: its scanner still runs (`scan_beside`), while calamine parses.
        try:
            parsed = self._parse_eagerly(name)
        finally:
            found = beside.result()
        return LoadedSheet(
            scan=replace(
                scan,
                merged=found.merged,
                has_errors=found.has_errors,
                unsaved_formulas=found.unsaved_formulas,
            ),
            parsed=parsed,
        )

    def _reader_for(self, name: str) -> Any:
        return self._mended.get(name, self._reader)

    def _parse_eagerly(self, name: str) -> tuple[pa.RecordBatch, list[int]] | None:
        import fastexcel

        if not self._is_zip:
            return None
        try:
            return self._read_eager(name)
        except fastexcel.FastExcelError:
            return None  # read again the other way, which says what is wrong

    def _read_eager(self, name: str) -> tuple[pa.RecordBatch, list[int]]:
        columns: list[int] = []

        def keep(column: Any) -> bool:
            columns.append(column.absolute_index)
            return True

        batch = self._reader_for(name).load_sheet(
            name,
            header_row=None,
            skip_rows=0,
            dtypes="string",
            whitespace_as_null=not self._blanks_in_arrow(name),
            use_columns=keep,
            eager=True,
        )
        return batch, columns

    def _blanks_in_arrow(self, name: str) -> bool:
        """Whether the sheet's blank-looking cells are made null by `read_sheet` in Arrow
        (`blank_cells`) rather than by calamine (`whitespace_as_null`, 0.35 s of its one
        thread at 1,048,575 rows): a big sheet's."""
        return self._declared.get(name, 0) >= blank_cells.IN_ARROW_FROM

    def _read_with_errors(self, name: str, merged: list[MergedRange]) -> RawSheet:
        import fastexcel

        try:
            sheet = self._reader_for(name).load_sheet(
                name, header_row=None, skip_rows=0, dtypes="string", whitespace_as_null=True
            )
            batch, errors = sheet.to_arrow_with_errors()
        except fastexcel.FastExcelError as error:
            raise UnreadableWorkbook("unreadable_sheet", _first_line(error)) from error
        columns = [info.absolute_index for info in sheet.available_columns()]
        cells = _framed(batch, columns)
        error_cells: dict[tuple[int, int], str] = {}
        for cell_error in errors.errors if errors is not None else []:
            row, col = cell_error.offset_position
            match = _CELL_ERROR.search(cell_error.detail)
            kind = match.group(1) if match else "Error"
            error_cells[(row, columns[col] if col < len(columns) else col)] = _EXCEL_ERRORS.get(
                kind, f"#{kind}"
            )
        return RawSheet(name=name, content=cells, error_cells=error_cells, merged=merged)

    def merged_ranges(self, sheet_name: str) -> list[MergedRange]:
        """The merged blocks of a sheet, in any of the formats read."""
        return self._scan_sheet(sheet_name).merged

    def _scan_sheet(self, sheet_name: str) -> SheetScan:
        return self._scan_parts(sheet_name, beside=False)[0]

    def _scan_parts(self, sheet_name: str, *, beside: bool) -> tuple[SheetScan, ScanBeside | None]:
        """The sheet's scan; `beside`: a big part's scanner left running in its thread
        (returned with the scan, which then holds only what the gate found), when the
        gate let the part through; else ended here."""
        later: list[ScanBeside] = []
        try:
            scan = self._scan_xml(sheet_name, later if beside else None)
        except BaseException:
            for scanner in later:
                scanner.cancel()
            raise
        if not later:
            return scan, None
        if scan.mismatch is not None or scan.refusal is not None:
            later[0].cancel()
            return scan, None
        return scan, later[0]

    def _scan_xml(self, sheet_name: str, later: list[ScanBeside] | None) -> SheetScan:
        legacy = self._legacy.get(sheet_name)
        if legacy is not None and legacy.refusal is not None:
            return SheetScan(merged=[], has_errors=None, refusal=legacy.refusal)
        if not self._is_zip:
            # A legacy .xls: its merged blocks were read with its cells' places.
            return SheetScan(
                merged=legacy.merged or [] if legacy is not None else [],
                has_errors=None,
                far_cells=legacy.far_cells if legacy is not None else None,
            )
        directory = self._directory
        if directory is None:
            return _refused("unreadable_sheet", detail=self._unreadable)
        try:
            part = self._sheet_parts.get(sheet_name)
            if not part and "content.xml" in directory.namelist():
                entry = directory.getinfo("content.xml")
                merged = ods_merged(inflated_blocks(self.path, entry), sheet_name)
                return SheetScan(
                    merged=merged,
                    has_errors=None,
                    far_cells=legacy.far_cells if legacy is not None else None,
                )
            chosen, candidates = (None, 0) if not part else extent.calamine_entry(directory, part)
            if chosen is None:
                # Not a sheet whose XML can be found: calamine is not handed it unseen.
                return _refused("unreadable_sheet", detail="worksheet part not found")
            self._declared[sheet_name] = chosen.file_size
            return self._gate(chosen, candidates, sheet_name, later)
        except ArchiveMismatch as mismatch:
            return SheetScan(merged=[], has_errors=None, mismatch=mismatch.part)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error) as error:
            return _refused("unreadable_sheet", detail=type(error).__name__)

    def _gate(
        self,
        entry: zipfile.ZipInfo,
        candidates: int,
        name: str,
        later: list[ScanBeside] | None = None,
    ) -> SheetScan:
        """Scan the sheet's XML once; when the fast check of `extent` finds a cell outside
        its safe box, place the cells exactly (`locate`, else `settle`) and, if any is far,
        read a mended copy. `later`: given, a big part's scanner runs in a thread of its
        own (`scan_beside`), put in `later` for the caller, who ends it (the scan returned
        then holds only what the gate found)."""
        limits = self._limits

        def read() -> Iterator[bytes]:
            return inflated_blocks(self.path, entry)

        check = extent.FastCheck(limits, extent.pool_for(entry.file_size))
        beside = later is not None and scan_beside.pays(entry.file_size)
        scanner: Scanner | ScanBeside = ScanBeside(entry.file_size) if beside else Scanner()
        if isinstance(scanner, ScanBeside) and later is not None:
            later.append(scanner)
        blocks = read()
        try:
            for block in blocks:
                check.feed(block)
                if check.long_run:
                    # Counted to its end first: a part that lies about its size says so.
                    for _ in blocks:
                        pass
                    return _refused_limit(long_text_hit(name, limits))
                scanner.feed(block)
            check.finish()
        finally:
            check.close()
        check = extent.settled(check, read)
        if isinstance(scanner, Scanner):
            scan = scanner.result()
        else:
            scanner.start()
            scan = SheetScan(merged=[], has_errors=False)  # the scanner's part: `_load`'s
        if not check.suspect and candidates == 1:
            return scan

        found: extent.Extent | None = None
        try:
            if candidates == 1:
                located = extent.locate(check, limits, read)
                del check
                if located is not None and self._mend(entry, name, located, located):
                    found = located
            if found is None:
                found = extent.settle(read, limits)
                mending = not found.refused and (found.needs_rewrite or candidates > 1)
                if mending and not self._mend(entry, name, found, None):
                    return _refused("unreadable_sheet", detail="far cells could not be left out")
        except (extent.MalformedSheet, extent.TooManyEdits) as error:
            return _refused("unreadable_sheet", detail=f"{type(error).__name__}: {error}")
        except UnreadableWorkbook as error:
            return SheetScan(merged=[], has_errors=None, refusal=error)
        if found.refused:
            return _refused_cells(found.decision)
        if found.far_count:
            scan = SheetScan(
                merged=scan.merged,
                has_errors=scan.has_errors,
                unsaved_formulas=scan.unsaved_formulas,
                far_cells=(found.far_count, found.first_far_label),
            )
        return scan

    def _mend(
        self,
        entry: zipfile.ZipInfo,
        name: str,
        found: extent.Extent,
        located: extent.Located | None,
    ) -> bool:
        """Give calamine a copy of the workbook with the far cells left out, when there are
        any; False when the copy does not pass its check."""
        import fastexcel

        if located is not None and (located.refused or not located.needs_rewrite):
            return True
        blocks = extent.rewrite(inflated_blocks(self.path, entry), found)
        with zipfile.ZipFile(self.path) as archive:
            mended = extent.mended_workbook(archive, entry, blocks)
        # What `locate` mended, it checked; what `settle` mended is placed again.
        if located is None and not _mended_is_safe(mended, entry.filename, self._limits):
            return False
        try:
            self._mended[name] = fastexcel.read_excel(mended)
        except fastexcel.FastExcelError as error:
            raise UnreadableWorkbook("unreadable_sheet", _first_line(error)) from error
        return True


@dataclass(frozen=True)
class LoadedSheet:
    """A sheet loaded without pandas, ahead of `read_sheet` (`Workbook._load`): its XML
    scanned, its cells parsed by calamine into Arrow (None when they are to be read the way
    that reports error cells)."""

    scan: SheetScan
    parsed: tuple[pa.RecordBatch, list[int]] | None
