"""The XML gate's fast paths give exactly what the plain ones give, on any XML cut anywhere."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook

from kpi_tritue.contract import limits as contract_limits
from kpi_tritue.contract.limits import Limits
from kpi_tritue.io import extent_fast, sheet_xml
from kpi_tritue.io.extent_rule import budget_reached
from kpi_tritue.io.sheet_xml import Scanner
from test_reader_beside import _read_every_sheet, _saved, _workbooks

# Pieces of sheet XML, well and badly written, that the gate's patterns look at.
FRAGMENTS = [
    b'<c r="',
    b"<c r='",
    b"<c",
    b"<c ",
    b"<x:c ",
    b"<x:sheetData>",
    b"<c>",
    b"<c/>",
    b"</c>",
    b"</c >",
    b"<f>",
    b"<f/>",
    b"</f>",
    b'<f t="shared" si="0"/>',
    b"<v>",
    b"</v>",
    b"<v/>",
    b"<v></v>",
    b"<!--",
    b"<?x?>",
    b"<![CDATA[",
    b' r="',
    b" r=",
    b' t="e"',
    b" t='e'",
    b' s="1"',
    b"\t",
    b"\n",
    b" ",
    b'"',
    b"'",
    b"=",
    b">",
    b"/>",
    b"<",
    b"/",
    b"A",
    b"a",
    b"Z",
    b"XFD",
    b"AAAA",
    b"0",
    b"1",
    b"9",
    b"1048576",
    b"200001",
    b"\xc3\xa1",
    b"\x85",
    b"\xa0",
    b"\xff",
    b"<mergeCell ref=",
    b'"A1:B2"/>',
    b"mergeCell",
    b'<c r="B2"><f>1+1</f></c>',
    b'<c r="C3"><f>A1</f><v/></c>',
    b'<c r="D4"><f t="shared" si="0"/><v></v></c>',
    b'<c r="E5"><f>2</f><v>2</v></c>',
    b'<c r="F6" t="e"><v>#N/A</v></c>',
    b'<mergeCell ref="A1:B2"/>',
    b'<row r="1" x14ac:dyDescent="0.25">',
    b"<sheetData>",
    b"</sheetData>",
]


def xml_like(max_size: int = 60) -> st.SearchStrategy[bytes]:
    return st.lists(st.sampled_from(FRAGMENTS), max_size=max_size).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(
    data=xml_like(),
    rows=st.integers(min_value=1, max_value=2_000_000),
    cols=st.integers(min_value=1, max_value=16_384),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=4),
)
def test_google_re2_finds_what_pyarrow_finds(
    data: bytes, rows: int, cols: int, cuts: list[int]
) -> None:
    pytest.importorskip("re2")
    extent_fast.pyarrow_ready()
    pattern = extent_fast.danger_pattern(rows, cols)
    bounds = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    assert extent_fast._compiled(pattern) is not None
    assert extent_fast.found_in(pattern, data, bounds) == extent_fast.found_in_pyarrow(
        pattern, data, bounds
    )


def _cut(data: bytes, cuts: list[int]) -> list[bytes]:
    bounds = [0, *sorted(min(cut, len(data)) for cut in cuts), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


class _PlainScanner(Scanner):
    prefiltered = False


class _Recorded(extent_fast.FastCheck):
    """A fast check noting which of its batches was the last (matched closed by `>`)."""

    finals: list[bool]

    def _check(self, final: bool) -> None:
        before = len(self.batches)
        super()._check(final)
        self.finals = [*getattr(self, "finals", []), *[final] * (len(self.batches) - before)]


@settings(max_examples=400, deadline=None)
@given(
    data=xml_like(120),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=6),
    ends=st.integers(min_value=0, max_value=200),
)
def test_the_scanner_finds_what_its_patterns_find_on_every_block(
    data: bytes, cuts: list[int], ends: int
) -> None:
    fast, plain = Scanner(), _PlainScanner()
    mp = pytest.MonkeyPatch()
    mp.setattr(sheet_xml, "_ENDS", ends)  # so that chunks this small have a middle
    try:
        for block in _cut(data, cuts):
            fast.feed(block)
            plain.feed(block)
    finally:
        mp.undo()
    assert fast.result() == plain.result()


@settings(max_examples=500, deadline=None)
@given(
    data=st.lists(st.sampled_from([b"ab", b"a", b"b", b"c", b"abc", b"x"]), max_size=40),
    needle=st.sampled_from([b"ab", b"abc", b"bca", b"c"]),
    ends=st.integers(min_value=0, max_value=12),
    at=st.integers(min_value=0, max_value=2),
)
def test_holds_is_in(data: list[bytes], needle: bytes, ends: int, at: int) -> None:
    chunk = b"".join(data)
    byte = needle[min(at, len(needle) - 1) :][:1]
    mp = pytest.MonkeyPatch()
    mp.setattr(sheet_xml, "_ENDS", ends)
    try:
        holds = sheet_xml._holds(chunk, needle, byte)
    finally:
        mp.undo()
    assert holds == (needle in chunk)


# A sheet's XML for the fast check (`_sheet_xml`), cut into blocks anywhere, in batches
# of any size.
_CHECKED = {
    "data": xml_like(120),
    "cuts": st.lists(st.integers(min_value=0, max_value=2000), max_size=6),
    "batch": st.integers(min_value=1, max_value=300),
    "declared": st.booleans(),
    # A budget small enough that the check stops counting cells part way (None: never).
    "max_cells": st.sampled_from([None, 8, 64, 400]),
}


def _limits(max_cells: int | None) -> Limits:
    return Limits() if max_cells is None else dataclasses.replace(Limits(), max_cells=max_cells)


def _sheet_xml(data: bytes, declared: bool) -> bytes:
    return (b'<?xml version="1.0"?>' if declared else b"") + b'<dimension ref="A1:X9"/>' + data


def _fed(check: extent_fast.FastCheck, blocks: list[bytes]) -> extent_fast.FastCheck:
    """`check` fed every block, then finished."""
    for block in blocks:
        check.feed(block)
    check.finish()
    return check


@settings(max_examples=300, deadline=None)
@given(**_CHECKED)
def test_each_batch_of_the_fast_check_is_what_its_bytes_say(
    data: bytes, cuts: list[int], batch: int, declared: bool, max_cells: int | None
) -> None:
    """Each batch the fast check records is flagged when its pattern is in its bytes (the
    last one closed by `>`), in a box as high as the `</c>` before its end allow, which it
    counts until they reach the budget's most; `opened` is the first `<sheetData` and the
    start of its batch; `read_again` gives every `</c>` and the first `</sheetData>` from
    an offset, however the part is cut."""
    extent_fast.pyarrow_ready()
    xml = _sheet_xml(data, declared)
    limits = _limits(max_cells)
    mp = pytest.MonkeyPatch()
    mp.setattr(extent_fast, "_BATCH", batch)
    try:
        check = _fed(_Recorded(limits), _cut(xml, cuts))
    finally:
        mp.undo()
    ends = [b.end for b in check.batches]
    assert [b.start for b in check.batches] == [0, *ends[:-1]]
    # It reads to the end, unless it found what only the slow analysis settles.
    assert ends[-1] == len(xml) or (check.suspect and not check.viable)
    written, counted, counted_to = 0, 0, None
    for found, last in zip(check.batches, check.finals, strict=True):
        piece = xml[found.start : found.end]
        skip = extent_fast.declaration_end(piece) if found.start == 0 else 0
        pattern = extent_fast.danger_pattern(found.rows, check.cols)
        assert (
            found.flagged
            == extent_fast.found_in_pyarrow(
                pattern, piece + (b">" if last else b""), [skip, len(piece) + last]
            )[0]
        )
        assert found.data in (None, piece)
        written += piece.count(b"</c>")
        # The box of every batch is the one all the cells before its end give.
        assert found.rows == extent_fast.safe_rows(written, check.cols, limits)
        if counted_to is None:
            counted = written
            if budget_reached(written, limits):
                counted_to = found.end
    assert (check.written, check.counted_to) == (counted, counted_to)
    opened = xml.find(b"<sheetData")
    first = max((b.start for b in check.batches if b.start <= opened), default=0)
    if check.opened is not None:
        assert check.opened == (opened, first)
    for start in (0, first, len(xml) // 2):
        again = extent_fast.read_again(_cut(xml, cuts), start, count=True)
        assert again == (xml.count(b"</c>"), xml.find(b"</sheetData>", start))
        assert extent_fast.read_again(_cut(xml, cuts), start, count=False)[1] == again[1]


def test_the_part_read_again_is_read_across_every_cut() -> None:
    """`read_again` finds `</c>` and `</sheetData>` cut anywhere, into blocks of any size
    (a cut of one, two or three bytes included), from any offset."""
    xml = b'<sheetData><c r="A1"><v>1</v></c></sheetData><c r="B2"></c></sheetData></c>'
    wrong = [
        (i, j, start)
        for i, j in itertools.combinations_with_replacement(range(len(xml) + 1), 2)
        for start in range(len(xml) + 1)
        if extent_fast.read_again([xml[:i], xml[i:j], xml[j:]], start, count=True)
        != (xml.count(b"</c>"), xml.find(b"</sheetData>", start))
    ]
    assert wrong == []


def _state(check: extent_fast.FastCheck) -> tuple[object, ...]:
    """All of a fast check that `locate` and the gate read once it has finished."""
    batches = [(b.start, b.end, b.rows, b.flagged, b.data) for b in check.batches]
    found = (check.suspect, check.viable, check.long_run, check.written, check.counted_to)
    found += (check.opened,)
    return (*found, check.cols, batches)


@settings(max_examples=300, deadline=None)
@given(**_CHECKED)
def test_batches_matched_in_a_pool_give_the_plain_check(
    data: bytes, cuts: list[int], batch: int, declared: bool, max_cells: int | None
) -> None:
    """A big part's batches matched in the pool's threads (`FastCheck`'s `pool`), then the
    plain check over the part again at a flag (`settled`), end as the plain check ends,
    field by field; and the pool's threads have ended."""
    import threading

    extent_fast.pyarrow_ready()
    xml = _sheet_xml(data, declared)
    blocks = _cut(xml, cuts)
    mp = pytest.MonkeyPatch()
    mp.setattr(extent_fast, "_BATCH", batch)
    mp.setattr(extent_fast, "_SMALL", 0)  # every batch but the last matched in the pool
    try:
        limits = _limits(max_cells)
        plain = _fed(extent_fast.FastCheck(limits), blocks)
        pooled = extent_fast.FastCheck(limits, extent_fast.pool_for(extent_fast.POOL_FROM))
        try:
            _fed(pooled, blocks)
        finally:
            pooled.close()
        pooled = extent_fast.settled(pooled, lambda: iter(blocks))
    finally:
        mp.undo()
    assert _state(pooled) == _state(plain)
    assert [t for t in threading.enumerate() if t.name.startswith("kpi-gate")] == []


def test_a_small_part_is_matched_in_the_callers_thread() -> None:
    assert extent_fast.pool_for(extent_fast.POOL_FROM - 1) is None
    pool = extent_fast.pool_for(extent_fast.POOL_FROM)
    assert pool is not None
    pool.shutdown()


# The fast check stops counting cells at the budget (`COUNT_TO_BUDGET`); `locate` then
# counts the part again. Read whole, a workbook gives what it gives counted to the end.


def _read_counting_all_and_to_the_budget(path: Path, batch: int) -> list[object]:
    """Each sheet of the workbook read with its cells counted to the budget, which must be
    what it is with them counted to the end (in batches of `batch` bytes: many of them)."""
    reads = []
    for count_to_budget in (True, False):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(extent_fast, "COUNT_TO_BUDGET", count_to_budget)
            patch.setattr(extent_fast, "_BATCH", batch)
            patch.setattr(contract_limits, "_BLOCK", min(batch, contract_limits._BLOCK))
            reads.append(_read_every_sheet(path))
    assert reads[0] == reads[1]
    return reads[0]


@settings(deadline=None)
@given(_workbooks(), st.sampled_from([64, 512, 1 << 20]))
def test_cells_counted_to_the_budget_read_as_counted_to_the_end(
    made: tuple[OpenpyxlWorkbook, str | None], batch: int
) -> None:
    with _saved(made) as (path, _):
        assert _read_counting_all_and_to_the_budget(path, batch)


def test_a_sheet_refused_after_the_count_stopped_says_what_it_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400 cells in one column, 200 allowed: the check stops counting at 25 cells, the
    cells below row 200 are flagged, and `locate` refuses the sheet. How many cells it
    would take to read it (the whole box, as 8 × 400 cells cover it) needs every cell
    counted, which `locate` does again."""
    workbook = OpenpyxlWorkbook()
    sheet = workbook.active
    sheet.title = "NhanSu"
    for row in range(1, 401):
        sheet.cell(row=row, column=1).value = row
    path = tmp_path / "w.xlsx"
    workbook.save(path)
    monkeypatch.setenv("KPI_MAX_CELLS", "200")
    [(name, (error, text, params))] = _read_counting_all_and_to_the_budget(path, 2048)
    assert name == "NhanSu" and error == "UnreadableWorkbook"
    assert params is not None and params.get("needed") == 400, (text, params)
