"""Limits that stop a hostile workbook before it costs much, as explicit settings.

A zip bomb (a sheet whose XML inflates to gigabytes) is recognised from the archive's
directory before any of it is inflated: by its declared size and by its compression
ratio. Each limit has a default and an environment variable; the message of an issue
names the limit that was hit, so a user with a genuinely huge file knows what to raise.
"""

from __future__ import annotations

import functools
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpi_tritue.model.issues import MAX_ISSUES_PER_CODE

MIB = 1 << 20
# The largest number a cell may hold, in size: a province's population is 10^6, a figure
# of 10^15 is a slip of the keyboard. Past it a sum could overflow to infinity and a count
# would not fit in 64 bits; up to the ceiling (2^53) every whole number is exact.
MAX_NUMBER = 10**15
MAX_NUMBER_CEILING = 2**53


# The XML of a genuine sheet of 1,048,575 rows by 24 columns is about 600 MB, inflated from
# a ninth of that; 1 GiB leaves room, and stops a sheet that would take calamine over 20 s.
MAX_SHEET_MB = 1024
# Above `RATIO_FROM_MB` of XML, a part may not inflate more than this many times: genuine
# sheets compress 5 to 30 times, the 1.2 GB sheet of a 18 MB file 67 times.
MAX_RATIO = 50
RATIO_FROM_MB = 64
# Cells of a sheet's box (last row × last column that hold a value): calamine allocates 32
# bytes for each, filled or not. Excel's 1,048,576 rows by 32 columns (1 GiB).
MAX_CELLS = 1 << 25
# Columns read: a sheet of the contract has about 25; cells beyond are ignored.
MAX_COLUMNS = 1024
# The longest run of text or tag without a `<` in a sheet or the shared strings: Excel's
# longest cell holds 32,767 characters (at most about 200 kB of XML).
MAX_TEXT_KB = 1024
# An .ods row holding values may stand for at most this many equal rows
# (`number-rows-repeated`): a sheet of people has no two rows alike, a 1 kB file may ask
# for a million.
MAX_REPEATS = 1000


@dataclass(frozen=True)
class Limits:
    max_sheet_bytes: int = MAX_SHEET_MB * MIB
    max_ratio: float = float(MAX_RATIO)
    max_rows: int = 1_048_576
    max_number: int = MAX_NUMBER
    # Issues of one code listed per sheet of a file; the others are counted (issues.py).
    max_issues_per_code: int = MAX_ISSUES_PER_CODE
    max_cells: int = MAX_CELLS
    max_columns: int = MAX_COLUMNS
    max_text_bytes: int = MAX_TEXT_KB * 1024
    max_repeats: int = MAX_REPEATS

    @classmethod
    def from_environment(cls) -> Limits:
        """Defaults, overridden by `KPI_MAX_SHEET_MB`, `KPI_MAX_RATIO`, `KPI_MAX_ROWS`,
        `KPI_MAX_NUMBER` (at most `MAX_NUMBER_CEILING`), `KPI_MAX_ISSUES_PER_CODE`,
        `KPI_MAX_CELLS`, `KPI_MAX_COLUMNS`, `KPI_MAX_TEXT_KB`, `KPI_MAX_REPEATS`.

        Built once for each set of values the environment holds (issue 14: it is asked
        for a few times a sheet, and building it cost 0.1 ms each time); a change to the
        environment is seen at the next call."""
        return _limits_for(tuple(os.environ.get(name) for name in _SETTINGS))

    @classmethod
    def _from_values(cls, values: dict[str, str | None]) -> Limits:
        defaults = cls()

        def setting(name: str, default: int) -> int:
            return _int_value(values[name], default)

        return cls(
            max_sheet_bytes=setting("KPI_MAX_SHEET_MB", defaults.max_sheet_bytes // MIB) * MIB,
            max_ratio=float(setting("KPI_MAX_RATIO", int(defaults.max_ratio))),
            max_rows=setting("KPI_MAX_ROWS", defaults.max_rows),
            max_number=min(setting("KPI_MAX_NUMBER", defaults.max_number), MAX_NUMBER_CEILING),
            max_issues_per_code=setting("KPI_MAX_ISSUES_PER_CODE", defaults.max_issues_per_code),
            max_cells=setting("KPI_MAX_CELLS", defaults.max_cells),
            max_columns=setting("KPI_MAX_COLUMNS", defaults.max_columns),
            max_text_bytes=setting("KPI_MAX_TEXT_KB", defaults.max_text_bytes // 1024) * 1024,
            max_repeats=setting("KPI_MAX_REPEATS", defaults.max_repeats),
        )


_SETTINGS = (
    "KPI_MAX_SHEET_MB",
    "KPI_MAX_RATIO",
    "KPI_MAX_ROWS",
    "KPI_MAX_NUMBER",
    "KPI_MAX_ISSUES_PER_CODE",
    "KPI_MAX_CELLS",
    "KPI_MAX_COLUMNS",
    "KPI_MAX_TEXT_KB",
    "KPI_MAX_REPEATS",
)


@functools.lru_cache(maxsize=8)
def _limits_for(values: tuple[str | None, ...]) -> Limits:
    return Limits._from_values(dict(zip(_SETTINGS, values, strict=True)))


def _int_value(text: str | None, default: int) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return default
    return value if value > 0 else default


def _int_env(name: str, default: int) -> int:
    return _int_value(os.environ.get(name), default)


@dataclass(frozen=True)
class LimitHit:
    """Which limit a part of the archive exceeds, with the figures for the message."""

    setting: str
    part: str
    value: str
    limit: str


# Parts small or irrelevant enough not to matter: only sheets and shared strings are parsed
# into cells, and those are what a bomb inflates.
_PARSED_PARTS = ("xl/worksheets/", "xl/sharedStrings", "content.xml")


def archive_directory(path: Path) -> list[zipfile.ZipInfo]:
    """The archive's directory; empty when it cannot be read, which the reader then reports
    in its own words. The checks below read it themselves when not handed it (`entries`):
    the reader hands them the directory it read when it opened the workbook."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return []


_directory = archive_directory


def unsupported_compression(
    path: Path, entries: Sequence[zipfile.ZipInfo] | None = None
) -> str | None:
    """The first part compressed by a method calamine cannot inflate (LZMA, bzip2, ...)."""
    for entry in _directory(path) if entries is None else entries:
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return entry.filename
    return None


def inspect_archive(
    path: Path, limits: Limits, entries: Sequence[zipfile.ZipInfo] | None = None
) -> LimitHit | None:
    """The first limit a zip-based workbook exceeds, from its directory alone; or None."""
    for entry in _directory(path) if entries is None else entries:
        if not entry.filename.startswith(_PARSED_PARTS):
            continue
        if entry.file_size > limits.max_sheet_bytes:
            return LimitHit(
                "KPI_MAX_SHEET_MB",
                entry.filename,
                f"{entry.file_size // MIB} MB",
                f"{limits.max_sheet_bytes // MIB} MB",
            )
        # A ratio only means something once there is something to inflate.
        if entry.file_size > RATIO_FROM_MB * MIB and entry.compress_size > 0:
            ratio = entry.file_size / entry.compress_size
            if ratio > limits.max_ratio:
                return LimitHit(
                    "KPI_MAX_RATIO", entry.filename, f"{ratio:.0f}", f"{limits.max_ratio:.0f}"
                )
    return None


# ---------------------------------------------------------------------------------------
# An archive whose directory lies about sizes
#
# calamine inflates a part until its deflate stream ends, whatever size the directory
# declares: a bomb that declares a small, plausible size would pass the limits above and
# still inflate to gigabytes. So declared sizes are checked against the data: at once for
# sizes deflate cannot produce, and by inflating the parts themselves, counting bytes and
# stopping as soon as one inflates past its declared size (the small parts when the
# workbook is opened; a sheet by the scan that reads its XML beside calamine).


class ArchiveMismatch(Exception):
    """A part of a zip archive does not inflate to the size its directory declares."""

    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_BLOCK = 1 << 20

# `inflated_blocks` inflates with zlib-ng (python-zlib-ng) when it is installed: its inflate
# is zlib's own, with faster loops, so the same bytes in give the same blocks out and the
# same errors (tests/test_limits.py holds the two to each other on valid, cut, corrupted and
# padded streams), at about twice the speed (a 200,000-row sheet's 112 MiB: 0.066 s against
# 0.123 s; it releases the GIL as zlib does). False: zlib's, the plain version.
FAST_INFLATE = True


def _decompressor() -> tuple[Any, type[Exception]]:
    """A raw-deflate decompressor, with the class of the errors it raises."""
    if FAST_INFLATE:
        try:
            from zlib_ng import zlib_ng
        except ImportError:
            pass
        else:
            fast_error: type[Exception] = zlib_ng.error  # type: ignore[assignment]  # stub: an instance
            return zlib_ng.decompressobj(-15), fast_error
    return zlib.decompressobj(-15), zlib.error


def inflated_blocks(path: Path, entry: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, block by block, never more than its declared size.

    Raises `ArchiveMismatch` as soon as the part inflates past its declared size, or when
    its data ends before it; `zlib.error` when its deflate stream is broken.
    """
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ArchiveMismatch(entry.filename)
    with path.open("rb") as stream:
        stream.seek(entry.header_offset)
        header = stream.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise ArchiveMismatch(entry.filename)
        fields = _LOCAL_HEADER.unpack(header)
        stream.seek(fields[9] + fields[10], os.SEEK_CUR)
        left = entry.compress_size
        inflate: Any = None
        broken: type[Exception] = zlib.error
        if entry.compress_type == zipfile.ZIP_DEFLATED:
            inflate, broken = _decompressor()
        produced = 0
        while left > 0:
            chunk = stream.read(min(_BLOCK, left))
            if not chunk:
                break
            left -= len(chunk)
            while chunk:
                if inflate is None:
                    block, chunk = chunk, b""
                else:
                    # Bounded output: the bomb is counted, never held.
                    try:
                        block = inflate.decompress(chunk, _BLOCK)
                    except broken as error:  # zlib-ng's said as zlib's, which callers catch
                        raise zlib.error(*error.args) from None
                    chunk = inflate.unconsumed_tail
                produced += len(block)
                if produced > entry.file_size:
                    raise ArchiveMismatch(entry.filename)
                if block:
                    yield block
        ended = inflate is None or inflate.eof
        if left > 0 or not ended or produced != entry.file_size:
            raise ArchiveMismatch(entry.filename)


class TextRun:
    """The longest run of bytes without a `<` in a part fed block by block: no cell of
    Excel's holds more than 32,767 characters, so a far longer one is a crafted file."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.run = 0
        self.exceeded = False

    def feed(self, block: bytes) -> None:
        first = block.find(b"<")
        if first < 0:
            self.run += len(block)
        else:
            if self.run + first > self.limit:
                self.exceeded = True
            last = block.rfind(b"<")
            # A run between two `<` of the block: only possible when the block holds more
            # bytes than the limit (the default limit is the block's size; a lower
            # `KPI_MAX_TEXT_KB` is not).
            if (
                last - first - 1 > self.limit
                and _longest_inner_run(block, first, last) > self.limit
            ):
                self.exceeded = True
            self.run = len(block) - last - 1
        if self.run > self.limit:
            self.exceeded = True


def _longest_inner_run(block: bytes, first: int, last: int) -> int:
    """The longest run of bytes without a `<` between the `<` at `first` and at `last`."""
    import numpy as np

    marks = np.flatnonzero(
        np.frombuffer(block, dtype=np.uint8, count=last - first + 1, offset=first) == 60
    )
    return int(np.diff(marks).max()) - 1 if len(marks) > 1 else 0


def check_declared_sizes(
    path: Path, limits: Limits | None = None, entries: Sequence[zipfile.ZipInfo] | None = None
) -> str | LimitHit | None:
    """The first part of a zip-based workbook whose declared size is false, or None.

    Every part is checked against what deflate can produce; the parts calamine reads in
    full when it opens the workbook (shared strings, styles, the workbook itself) are
    inflated and counted. Sheets are left to the scan that reads them anyway. With
    `limits`, a part holding a run of text longer than `max_text_bytes` is a `LimitHit`.
    """
    if entries is None:
        entries = _directory(path)
    for entry in entries:
        # Deflate never makes data more than a little bigger; stored data keeps its size.
        most = entry.file_size + entry.file_size // 1000 + 1024
        if entry.compress_type == zipfile.ZIP_STORED:
            most = entry.file_size
        if entry.compress_size > most:
            return entry.filename
    for entry in entries:
        name = entry.filename
        if name.startswith("xl/worksheets/") or not name.endswith((".xml", ".rels")):
            continue
        run = TextRun(limits.max_text_bytes) if limits is not None else None
        try:
            for block in inflated_blocks(path, entry):
                if run is not None:
                    run.feed(block)
                    if run.exceeded:
                        return long_text_hit(name, limits)
        except ArchiveMismatch as mismatch:
            return mismatch.part
        except (OSError, zlib.error):
            return name
    return None


def long_text_hit(part: str, limits: Limits | None) -> LimitHit:
    limit = (limits or Limits()).max_text_bytes
    return LimitHit("KPI_MAX_TEXT_KB", part, f"> {limit // 1024} kB", f"{limit // 1024} kB")
