"""A big sheet scanned beside calamine's parse (`io/scan_beside`) is read as the plain,
serial gate reads it: the same cells, findings and errors, and no thread left running."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook as OpenpyxlWorkbook

from kpi_tritue.contract import limits
from kpi_tritue.io import reader, scan_beside
from kpi_tritue.io.sheet_xml import Scanner

BAD = Path(__file__).parent / "data" / "bad"
_PLAIN = 1 << 62  # no part is this big: every one scanned in the gate's thread


def _threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "kpi-scan-beside"]


def _error(error: BaseException) -> object:
    return type(error).__name__, str(error), getattr(error, "params", None)


def _read_every_sheet(path: Path) -> list[tuple[str, object]]:
    """Each sheet of the workbook at `path`, read in order: its cells and what the reader
    found beside them (and the scan `_load` made), or the error it raised."""
    try:
        workbook = reader.Workbook(path)
    except Exception as error:
        return [("", _error(error))]
    read: list[tuple[str, object]] = []
    for name in workbook.sheet_names:
        try:
            loaded = workbook._load(name)
        except Exception as error:
            read.append((name, _error(error)))
            continue
        parsed = None if loaded.parsed is None else (loaded.parsed[0].to_pydict(), loaded.parsed[1])
        workbook._loaded[name] = loaded
        raw = workbook.read_sheet(name)
        found = (raw.error_cells, raw.merged, raw.unsaved_formulas, raw.far_cells)
        cells = raw.cells.to_json(orient="split", date_format="iso")
        read.append((name, (loaded.scan, parsed, cells, found)))
    return read


# Blocks of this many bytes cut a small part into many, so that the scanner meets the
# first block it must run a pattern on after some it scanned at once.
_SMALL_BLOCK = 97


def _both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, object]]:
    """The sheets read the plain way and the threaded way (every part scanned beside),
    in blocks of the usual size and in small ones, which must all agree; no scanning
    thread outlives a read."""
    monkeypatch.setattr(scan_beside, "BESIDE_FROM", _PLAIN)
    plain = _read_every_sheet(path)
    monkeypatch.setattr(scan_beside, "BESIDE_FROM", 0)
    beside = _read_every_sheet(path)
    assert _threads() == []
    assert beside == plain
    monkeypatch.setattr(limits, "_BLOCK", _SMALL_BLOCK)
    assert _read_every_sheet(path) == plain
    assert _threads() == []
    monkeypatch.setattr(scan_beside, "BESIDE_FROM", _PLAIN)
    assert _read_every_sheet(path) == plain
    monkeypatch.undo()
    return plain


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.glob("*.xlsx")))
def test_each_hostile_workbook_is_read_beside_as_in_turn(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = _both_ways(BAD / name, monkeypatch)
    assert read


_CELL = st.one_of(
    st.none(),
    st.integers(-5, 5),
    st.sampled_from(["#N/A", "#DIV/0!", "#REF!", "=1+1", "=A1", "=SUM(A1:A2)", " ", "x"]),
    st.text(alphabet="aăâbc <>&\"'é", max_size=6),
)
_MERGES = st.lists(st.sampled_from(["A1:B1", "C2:C4", "B3:D3", "E1:E2"]), max_size=3, unique=True)
_FAR = st.sampled_from([None, (1048576, 16384), (5000, 3), (2, 900), (70, 2)])


@st.composite
def _workbooks(draw: st.DrawFn) -> tuple[OpenpyxlWorkbook, str | None]:
    workbook = OpenpyxlWorkbook()
    workbook.remove(workbook.active)
    for name in draw(st.lists(st.sampled_from(["NhanSu", "A", "B"]), min_size=1, unique=True)):
        sheet = workbook.create_sheet(name)
        for row in draw(st.lists(st.lists(_CELL, max_size=5), max_size=6)):
            sheet.append(row)
        for block in draw(_MERGES):
            sheet.merge_cells(block)
        far = draw(_FAR)
        if far is not None:
            sheet.cell(row=far[0], column=far[1]).value = "far"
    # A small budget refuses some sheets outright (too_many_cells).
    return workbook, draw(st.sampled_from([None, "40", "200"]))


@contextlib.contextmanager
def _saved(made: tuple[OpenpyxlWorkbook, str | None]) -> Iterator[tuple[Path, pytest.MonkeyPatch]]:
    """A generated workbook saved in a folder of its own, with its budget set."""
    workbook, max_cells = made
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        if max_cells is not None:
            patch.setenv("KPI_MAX_CELLS", max_cells)
        path = Path(folder) / "w.xlsx"
        workbook.save(path)
        yield path, patch


@given(_workbooks())
def test_a_generated_workbook_is_read_beside_as_in_turn(
    made: tuple[OpenpyxlWorkbook, str | None],
) -> None:
    with _saved(made) as (path, patch):
        assert _both_ways(path, patch)


def _sheet_part(path: Path) -> zipfile.ZipInfo:
    with zipfile.ZipFile(path) as archive:
        return archive.getinfo("xl/worksheets/sheet1.xml")


def _one_sheet(folder: Path) -> Path:
    workbook = OpenpyxlWorkbook()
    sheet = workbook.active
    sheet.title = "NhanSu"
    for row in range(200):
        sheet.append([f"text {row}", row, "=A1", "#N/A"])
    sheet.merge_cells("A1:B1")
    path = folder / "w.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize("offset", [0, 40, 300])
def test_a_broken_deflate_stream_is_refused_beside_as_in_turn(
    offset: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_sheet(tmp_path)
    entry = _sheet_part(path)
    data = bytearray(path.read_bytes())
    # Past the local header: into the part's compressed data.
    start = entry.header_offset + 30 + len(entry.filename.encode()) + offset
    data[start : start + 8] = b"\xff" * 8
    path.write_bytes(bytes(data))
    read = _both_ways(path, monkeypatch)
    assert read


def test_an_error_raised_while_scanning_is_raised_as_in_turn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_sheet(tmp_path)
    feed = Scanner.feed

    def failing(self: Scanner, block: bytes) -> None:
        feed(self, block)
        raise RecursionError("scanner failed")

    monkeypatch.setattr(Scanner, "feed", failing)
    outcomes = []
    for threshold in (_PLAIN, 0):
        monkeypatch.setattr(scan_beside, "BESIDE_FROM", threshold)
        workbook = reader.Workbook(path)
        with pytest.raises(RecursionError) as raised:
            workbook._load("NhanSu")
        outcomes.append(str(raised.value))
        assert _threads() == []
    assert outcomes == ["scanner failed"] * 2


def _watch_feeds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The thread of each block the scanner runs its patterns on (`Scanner.feed`)."""
    seen: list[str] = []
    feed = Scanner.feed

    def watched(self: Scanner, block: bytes) -> None:
        seen.append(threading.current_thread().name)
        feed(self, block)

    monkeypatch.setattr(Scanner, "feed", watched)
    return seen


def test_a_big_part_is_scanned_in_a_thread_that_ends_with_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_sheet(tmp_path)
    seen = _watch_feeds(monkeypatch)
    monkeypatch.setattr(scan_beside, "BESIDE_FROM", _sheet_part(path).file_size)
    loaded = reader.Workbook(path)._load("NhanSu")
    assert seen and set(seen) == {"kpi-scan-beside"}
    assert _threads() == []
    assert loaded.scan.has_errors and loaded.scan.merged and loaded.scan.unsaved_formulas
    seen.clear()
    monkeypatch.setattr(scan_beside, "BESIDE_FROM", _sheet_part(path).file_size + 1)
    assert reader.Workbook(path)._load("NhanSu").scan == loaded.scan
    assert seen and "kpi-scan-beside" not in seen


def _three_hundred_rows(folder: Path, formula_at: int | None) -> Path:
    """A sheet of 300 rows, a formula (not saved) at row `formula_at` and a merged block
    (at the end of the part) when given, else neither."""
    workbook = OpenpyxlWorkbook()
    sheet = workbook.active
    sheet.title = "NhanSu"
    for row in range(300):
        sheet.append([f"text {row}", row, "=B1" if row == formula_at else "plain"])
    if formula_at is not None:
        sheet.merge_cells("A1:B1")
    path = folder / "w.xlsx"
    workbook.save(path)
    return path


def _loaded_beside_in_small_blocks(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, list[int], list[str]]:
    """The sheet loaded scanned beside, in blocks of `_SMALL_BLOCK` bytes; the size of each
    buffer taken for the scanner's thread; the thread of each block it ran patterns on."""
    monkeypatch.setattr(limits, "_BLOCK", _SMALL_BLOCK)
    monkeypatch.setattr(scan_beside, "BESIDE_FROM", 0)
    allocated: list[int] = []

    class Counted(bytearray):
        def __init__(self, size: int) -> None:
            allocated.append(size)
            super().__init__(size)

    monkeypatch.setattr(scan_beside, "bytearray", Counted, raising=False)
    seen = _watch_feeds(monkeypatch)
    return reader.Workbook(path)._load("NhanSu"), allocated, seen


def test_a_sheet_without_formulas_errors_or_merges_is_scanned_at_once_in_no_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _three_hundred_rows(tmp_path, None)
    loaded, allocated, seen = _loaded_beside_in_small_blocks(path, monkeypatch)
    assert loaded.scan.merged == [] and loaded.scan.has_errors is False
    assert seen == [] and allocated == [] and _threads() == []


def test_blocks_are_held_for_the_thread_from_the_first_that_needs_a_pattern(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _three_hundred_rows(tmp_path, 250)
    size = _sheet_part(path).file_size
    loaded, allocated, seen = _loaded_beside_in_small_blocks(path, monkeypatch)
    assert loaded.scan.merged and loaded.scan.unsaved_formulas == [(250, 2)]  # not saved
    # Only what is left from the formula's block on is held, and scanned in the thread.
    assert len(allocated) == 1 and 0 < allocated[0] < size / 4
    assert seen and set(seen) == {"kpi-scan-beside"} and _threads() == []
