"""Limits on hostile archives: declared sizes are checked against the data itself."""

from __future__ import annotations

import io
import itertools
import random
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.make_bad_corpus import declare_sizes
from kpi_tritue.contract import limits
from kpi_tritue.contract.limits import (
    ArchiveMismatch,
    TextRun,
    check_declared_sizes,
    inflated_blocks,
)


def _archive(path: Path, parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _declare(path: Path, part: str, size: int) -> None:
    path.write_bytes(declare_sizes(path.read_bytes(), {part: size}))


@settings(max_examples=30)
@given(
    st.binary(max_size=5000) | st.text(max_size=3000).map(str.encode),
    st.sampled_from([zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED]),
)
def test_an_honest_part_inflates_to_exactly_its_bytes(data: bytes, method: int) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("xl/sharedStrings.xml", data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.xlsx"
        path.write_bytes(buffer.getvalue())
        with zipfile.ZipFile(path) as archive:
            entry = archive.getinfo("xl/sharedStrings.xml")
        assert b"".join(inflated_blocks(path, entry)) == data
        assert check_declared_sizes(path) is None


@pytest.mark.parametrize("declared", [10, 200_000, 2_000_000])
def test_a_part_that_inflates_to_another_size_than_declared_is_found(
    tmp_path: Path, declared: int
) -> None:
    path = _archive(tmp_path / "a.xlsx", {"xl/sharedStrings.xml": b"<sst>" + b" " * 1_000_000})
    _declare(path, "xl/sharedStrings.xml", declared)
    assert check_declared_sizes(path) == "xl/sharedStrings.xml"
    with zipfile.ZipFile(path) as archive:
        entry = archive.getinfo("xl/sharedStrings.xml")
    with pytest.raises(ArchiveMismatch):
        for _ in inflated_blocks(path, entry):
            pass


def test_a_sheet_declaring_less_than_its_compressed_data_is_refused_from_the_directory(
    tmp_path: Path,
) -> None:
    noise = random.Random(7).randbytes(200_000)  # deflate cannot shrink it
    path = _archive(tmp_path / "a.xlsx", {"xl/worksheets/sheet1.xml": noise})
    _declare(path, "xl/worksheets/sheet1.xml", 4096)
    assert check_declared_sizes(path) == "xl/worksheets/sheet1.xml"


def _inflated(path: Path, entry: zipfile.ZipInfo) -> tuple[list[bytes], object]:
    """The blocks `inflated_blocks` gives, and what it raised (its class and arguments)."""
    blocks: list[bytes] = []
    try:
        blocks.extend(inflated_blocks(path, entry))
    except (ArchiveMismatch, zlib.error) as error:
        return blocks, (type(error).__name__, error.args)
    return blocks, None


_ROW = b'<row r="7"><c r="A7" t="s"><v>12</v></c><c r="B7"><f>SUM(A1:A6)</f><v>3</v></c></row>'


@settings(max_examples=150)
@given(
    data=st.binary(max_size=3000)
    | st.lists(st.sampled_from([_ROW, b"<c/>", b"x", b"\x00" * 40]), max_size=300).map(b"".join),
    level=st.integers(0, 9),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 7)), max_size=4),
    declared=st.none() | st.integers(0, 30_000),
    block=st.sampled_from([1 << 20, 61]),
)
def test_the_fast_inflate_gives_what_zlib_gives(
    data: bytes, level: int, flips: list[tuple[float, int]], declared: int | None, block: int
) -> None:
    """zlib-ng's inflate, the fast way, gives the same blocks and raises the same errors as
    zlib's on honest parts, on parts whose deflate stream has bits flipped (broken, cut or
    trailed by what follows), and on parts that declare another size."""
    assert limits._decompressor()[1] is not zlib.error  # zlib-ng is installed: the fast way
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "a.xlsx"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", data)
        raw = bytearray(buffer.getvalue())
        with zipfile.ZipFile(buffer) as archive:
            entry = archive.getinfo("xl/worksheets/sheet1.xml")
        start = entry.header_offset + 30 + len(entry.filename.encode())
        for where, bit in flips:
            if entry.compress_size:
                raw[start + int(where * entry.compress_size)] ^= 1 << bit
        path.write_bytes(bytes(raw))
        if declared is not None:
            _declare(path, entry.filename, declared)
        with zipfile.ZipFile(path) as archive:
            entry = archive.getinfo(entry.filename)
        patch.setattr(limits, "_BLOCK", block)
        fast = _inflated(path, entry)
        patch.setattr(limits, "FAST_INFLATE", False)
        assert limits._decompressor()[1] is zlib.error
        assert _inflated(path, entry) == fast


# ---------------------------------------------------------------------------------------
# The extent of a sheet's cells (issue 12, item 1): the fast check lets nothing far through.

from kpi_tritue.contract.limits import Limits, unsupported_compression  # noqa: E402
from kpi_tritue.io import extent_fast, extent_mend, extent_rule, extent_scan  # noqa: E402

BOX = (200_001, 24)  # rows, columns: A1:X200001


def _flagged(xml: bytes) -> bool:
    extent_fast.pyarrow_ready()
    check = extent_fast.FastCheck(Limits())
    head = b'<worksheet><dimension ref="A1:X200001"/><sheetData>'
    for block in (head, xml, b"</sheetData></worksheet>"):
        check.feed(block)
    check.finish()
    return check.suspect


def _letters(col: int, lower: bool) -> str:
    name = extent_rule.column_letters(col)
    return name.lower() if lower else name


@settings(max_examples=300, deadline=None)
@given(
    row=st.integers(min_value=1, max_value=3_000_000),
    col=st.integers(min_value=0, max_value=40_000),
    lower=st.booleans(),
    zeros=st.integers(min_value=0, max_value=3),
)
def test_a_cell_outside_the_safe_box_is_always_flagged(
    row: int, col: int, lower: bool, zeros: int
) -> None:
    ref = f"{_letters(col, lower)}{'0' * zeros}{row}".encode()
    rows, cols = extent_fast.safe_box(b'<dimension ref="A1:X200001"/>', Limits())
    outside = row > rows or col >= cols
    flagged = _flagged(b'<row r="1"><c r="' + ref + b'"><v>1</v></c></row>')
    # Outside the box: always flagged. Inside, plain refs pass the fast way; a zero-padded
    # one may be flagged for the slow look.
    assert flagged if outside else (zeros > 0 or not flagged)


@pytest.mark.parametrize(
    "cell",
    [
        b"<c><v>1</v></c>",
        b'<c s="1" r="A1"><v>1</v></c>',
        b'<x:c r="A1"><x:v>1</x:v></x:c>',
        b'<c\tr="A1"><v>1</v></c>',
        b"<c r='A1'><v>1</v></c>",
        b'<c r="A1" t="n" r="XFD1048576"><v>1</v></c>',
        b'<c r=""><v>1</v></c>',
        b'<c r="A0"><v>1</v></c>',
    ],
)
def test_a_cell_not_written_the_plain_way_is_flagged(cell: bytes) -> None:
    assert _flagged(b'<row r="1">' + cell + b"</row>")


def test_an_ordinary_sheet_is_not_flagged() -> None:
    rows = b"".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>1</v></c><c r="X{r}"><v>2</v></c></row>'.encode()
        for r in range(1, 3000)
    )
    assert not _flagged(rows)


def _cells(xml: bytes) -> extent_scan.Extent:
    return extent_scan.analyse(
        [b"<worksheet><sheetData>", xml, b"</sheetData></worksheet>"], Limits()
    )


def test_cells_without_r_are_placed_as_calamine_places_them() -> None:
    found = _cells(
        b'<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row>'
        b"<row><c/><c><v>3</v></c></row>"
        b'<row r="10">' + b"<c/>" * 1030 + b"<c><v>4</v></c></row>"
    )
    assert (found.stats.height, found.stats.width) == (4, 3)  # C4 is the last kept cell
    # Empty cells past the columns read go too (calamine would skip them anyway).
    assert found.far_count == 7 and found.first_far == (9, 1024)
    # Every kept cell without `r` gets one when the sheet is mended.
    assert [bytes(r) for r in found.insert_refs][:2] == [b' r="C3"', b' r="A4"']


def test_a_cell_nested_in_a_cell_is_refused() -> None:
    with pytest.raises(extent_scan.MalformedSheet):
        _cells(b'<row r="1"><c r="A1"><v>1<c r="XFD1"/></v></c></row>')


def test_the_mended_sheet_keeps_the_cells_and_loses_the_far_ones() -> None:
    xml = (
        b'<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c><v>2</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>3</v></c></row>'
        b"<row><c><v>4</v></c></row></sheetData></worksheet>"
    )
    found = extent_scan.analyse([xml], Limits())
    for size in (1, 7, 64, len(xml)):
        blocks = [xml[i : i + size] for i in range(0, len(xml), size)]
        mended = b"".join(extent_mend.rewrite(blocks, found))
        assert b"XFD" not in mended
        assert b'<c r="B1"><v>2</v></c>' in mended
        # The cell after row 1,048,576 would be placed past Excel's grid: far too.
        assert b"<v>4</v>" not in mended
    assert found.far_count == 2


def test_lzma_and_bzip2_entries_are_named(tmp_path: Path) -> None:
    for method in (zipfile.ZIP_LZMA, zipfile.ZIP_BZIP2):
        path = _archive(tmp_path / f"{method}.xlsx", {"xl/workbook.xml": b"<workbook/>"}, method)
        assert unsupported_compression(path) == "xl/workbook.xml"
    plain = _archive(tmp_path / "plain.xlsx", {"xl/workbook.xml": b"<workbook/>"})
    assert unsupported_compression(plain) is None


def test_an_archive_directory_read_once_gives_what_each_check_reads(tmp_path: Path) -> None:
    from kpi_tritue.contract.limits import archive_directory, inspect_archive

    path = _archive(tmp_path / "a.xlsx", {"xl/workbook.xml": b"<workbook/>" * 50})
    _declare(path, "xl/workbook.xml", 3)
    entries = archive_directory(path)
    limits = Limits()
    assert check_declared_sizes(path, limits, entries) == check_declared_sizes(path, limits)
    assert check_declared_sizes(path, limits, entries) == "xl/workbook.xml"
    assert unsupported_compression(path, entries) == unsupported_compression(path)
    assert inspect_archive(path, limits, entries) == inspect_archive(path, limits)
    assert archive_directory(tmp_path / "missing.xlsx") == []


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from([b"<", b"<c>", b"x", b"xx", b"abcdefgh", b"y" * 40, b"\xc3\xa1"]),
        max_size=60,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=800), max_size=6),
    limit=st.integers(min_value=0, max_value=120),
)
def test_a_run_of_text_is_measured_wherever_it_lies(
    pieces: list[bytes], cuts: list[int], limit: int
) -> None:
    """`TextRun` says a part holds a run without `<` longer than its limit exactly when it
    does, however the part is cut into blocks: inside a block as well as across blocks."""
    data = b"".join(pieces)
    bounds = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    run = TextRun(limit)
    for start, end in itertools.pairwise(bounds):
        run.feed(data[start:end])
    longest = max((len(part) for part in data.split(b"<")), default=0)
    assert run.exceeded == (longest > limit)
