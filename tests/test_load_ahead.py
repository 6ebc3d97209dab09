"""The report years of a run read ahead (`io/load_ahead.PartsAhead`, issue 14) and the first
workbooks of several read from the command's start (`cli._prefetch`): the same years,
results and issues as the plain read, one year after another in the caller's thread;
each workbook opened once; no thread left when the command ends."""

from __future__ import annotations

import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from builders import write_workbook
from engine_fixtures import CATALOG, Book, doctor, figures, person
from kpi_tritue.cli import _first_workbooks, app
from kpi_tritue.compute.trend import compute_trend
from kpi_tritue.io import load_ahead, read_ahead, reader, series
from kpi_tritue.io.inputs import expand_inputs
from kpi_tritue.io.series import load_series
from kpi_tritue.io.sheet_xml import UnreadableWorkbook
from kpi_tritue.render.trend_terminal import trend_json

runner = CliRunner()
# A formula without its value: found by the XML gate (`formula_without_value`), ahead or not.
_UNSAVED = "=1+1"


def _write_report(path: Path, year: int, people: int, unsaved: bool, figure: float) -> None:
    staff: list[dict[str, Any]] = [
        doctor(id=f"{year}-{path.stem}-{i}", qualification="Thạc sĩ")
        if i % 2
        else person(id=f"{year}-{path.stem}-{i}")
        for i in range(people)
    ]
    if unsaved and staff:
        staff[0] = {**staff[0], "position": _UNSAVED}
    rows = figures({"labour_force": figure, "certified_labour": 400})
    sheets = Book(people=staff, figures=rows).sheets()
    sheets["ThongTin"] = [["Mục", "Giá trị"], ["Năm báo cáo", year]]
    write_workbook(path, sheets)


# Each file of a year: (people, a formula without its value, a sheet that cannot be read,
# the labour force figure).
_year = st.lists(
    st.tuples(st.integers(0, 4), st.booleans(), st.booleans(), st.sampled_from([1e3, 1.2e3])),
    min_size=1,
    max_size=2,
)


def _loads_by_thread(run: Callable[[], Any]) -> tuple[Any, Counter[str]]:
    """What `run` returns, and the threads the sheets were loaded in (by name prefix).
    The data sheets of a file named `*_x.xlsx` cannot be read: `_load` raises, as the gate
    does for a sheet it refuses."""
    threads: Counter[str] = Counter()
    original = reader.Workbook._load

    def counting(self: reader.Workbook, name: str, *gated: Any) -> Any:
        threads[threading.current_thread().name.split("_")[0]] += 1
        if self.path.stem.endswith("_x") and name != "ThongTin":
            raise UnreadableWorkbook("unreadable_sheet", f"{self.path.name}!{name}")
        return original(self, name, *gated)

    with mock.patch.object(reader.Workbook, "_load", counting):
        return run(), threads


@settings(max_examples=10)
@given(st.dictionaries(st.sampled_from([2021, 2022, 2023]), _year, min_size=2, max_size=3))
def test_years_read_ahead_give_the_plain_read(years: dict[int, list[Any]]) -> None:
    def view(folder: str) -> tuple[str, list[object]]:
        yearly = load_series([folder], catalog=CATALOG)
        return trend_json(compute_trend(yearly, CATALOG), "en"), list(yearly.issues)

    with tempfile.TemporaryDirectory() as folder:
        for year, files in years.items():
            for i, (people, unsaved, broken, figure) in enumerate(files):
                name = f"y{year}_{i}{'_x' if broken else ''}.xlsx"
                _write_report(Path(folder) / name, year, people, unsaved, figure)
        seen = {}
        for window in (0, 1, 2):
            with mock.patch.object(load_ahead, "PARTS_AHEAD", window):
                seen[window] = _loads_by_thread(lambda: view(folder))
    plain, plain_threads = seen[0]
    assert "kpi-parts-ahead" not in plain_threads
    for window in (1, 2):
        found, threads = seen[window]
        assert found == plain
        # Each later year's first workbook was loaded ahead.
        assert threads["kpi-parts-ahead"] >= len(years) - 1


def test_a_sheet_refused_ahead_is_said_as_the_plain_read_says_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for year in (2022, 2023, 2024):
        name = f"bao_cao_{year}{'_x' if year == 2023 else ''}.xlsx"
        _write_report(tmp_path / name, year, 3, year == 2024, 1000.0)
    found = {}
    for window in (0, 1):
        monkeypatch.setattr(load_ahead, "PARTS_AHEAD", window)
        found[window], threads = _loads_by_thread(
            lambda: load_series([str(tmp_path)], catalog=CATALOG).issues
        )
        assert ("kpi-parts-ahead" in threads) == (window > 0)
    codes = {(i.code, Path(i.file or "").name) for i in found[0]}
    assert ("unreadable_sheet", "bao_cao_2023_x.xlsx") in codes
    assert ("formula_without_value", "bao_cao_2024.xlsx") in codes
    assert found[1] == found[0]


def _ahead_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("kpi-")]


@pytest.mark.parametrize(
    ("command", "exit_code"),
    [
        (["trend", "{folder}", "--format", "json"], 0),
        (["export", "{folder}", "-o", "{out}"], 0),
        # `check` exits 1: the made-up figures miss their targets.
        (["check", "{folder}/bao_cao_2024.xlsx", "--history", "{folder}"], 1),
    ],
    ids=["trend", "export", "check"],
)
def test_report_years_of_a_folder_open_each_workbook_once_and_leave_no_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], exit_code: int
) -> None:
    """`kpi trend`, `kpi export` and `kpi check --history` read the first two workbooks of
    the run from the command's start, and every workbook is opened once."""
    for year in (2022, 2023, 2024):
        _write_report(tmp_path / f"bao_cao_{year}.xlsx", year, 3, False, 1000.0)
    out = tmp_path.parent / f"{tmp_path.name}_report.xlsx"
    arguments = [a.format(folder=tmp_path, out=out) for a in command]
    opened: Counter[Path] = Counter()
    constructor = reader.Workbook.__init__

    def constructing(self: reader.Workbook, path: Path, **options: bool) -> None:
        opened[Path(path).resolve()] += 1
        constructor(self, path, **options)

    monkeypatch.setattr(reader.Workbook, "__init__", constructing)
    started = mock.patch.object(read_ahead, "prefetch", wraps=read_ahead.prefetch)
    with started as prefetch:
        result = runner.invoke(app, arguments)
    assert result.exit_code == exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # The first years' workbooks, as many as are read ahead, were read from the command's
    # start, and taken over.
    firsts = ["bao_cao_2022.xlsx", "bao_cao_2023.xlsx"][: load_ahead.PARTS_AHEAD]
    prefetch.assert_called_once_with([(tmp_path / name).as_posix() for name in firsts])
    assert dict(opened) == {p.resolve(): 1 for p in tmp_path.glob("*.xlsx")}
    assert _ahead_threads() == []


def test_a_year_that_fails_leaves_no_thread_reading_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for year in (2021, 2022, 2023, 2024):
        _write_report(tmp_path / f"bao_cao_{year}.xlsx", year, 3, False, 1000.0)
    monkeypatch.setattr(load_ahead, "PARTS_AHEAD", 2)
    original = series.load_dataset
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("stop")
        return original(*args, **kwargs)

    monkeypatch.setattr(series, "load_dataset", failing)
    with pytest.raises(RuntimeError, match="stop"):
        load_series([str(tmp_path)], catalog=CATALOG)
    assert len(calls) == 2
    assert _ahead_threads() == []


_NAMES = st.sampled_from(
    [
        "a.xlsx",
        "B.XLSX",
        "c.xls",
        "d.ods",
        "e.xlsm",
        ".hidden.xlsx",
        "~$lock.xlsx",
        "notes.txt",
        "f.csv",
        "Ä.xlsx",
        "0.xlsx",
    ]
)


@given(
    st.sets(_NAMES, max_size=6),
    st.sets(_NAMES, max_size=3),
    st.booleans(),
    st.integers(min_value=1, max_value=4),
)
def test_the_first_workbooks_are_the_ones_the_run_lists_first(
    in_folder: set[str], given_files: set[str], nested: bool, count: int
) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "thu_muc"
        folder.mkdir()
        for name in in_folder:
            (folder / name).write_bytes(b"")
        if nested:
            (folder / "con").mkdir()
            (folder / "con" / "0.xlsx").write_bytes(b"")
        loose = []
        for name in given_files:
            (Path(root) / name).write_bytes(b"")
            loose.append(str(Path(root) / name))
        inputs = [str(folder), *loose]
        chosen = _first_workbooks(inputs, count)
        listed = [display for _, display in expand_inputs(inputs)[0]]
    assert chosen == listed[:count]
    # A lone file is `prefetch`'s own case.
    assert _first_workbooks([str(folder / "a.xlsx")], count) == []
