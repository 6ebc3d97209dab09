"""`io/shards.py`: a run of many files read in several processes gives the dataset the
plain way (`open_inputs`, `read_all_tables`, one process) gives, whatever the chunks."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kpi_tritue.io import dataset as dataset_module
from kpi_tritue.io import shards
from kpi_tritue.io.dataset import Dataset, load_dataset
from kpi_tritue.io.inputs import open_inputs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder as the December cycle brings it: unit files of the split, the samples
    (the official layout's list and registry among them), a sample given twice under
    two names, and every broken workbook of `tests/data/bad/`."""
    folder = tmp_path_factory.mktemp("run")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "make_split.py"),
            "--units",
            "12",
            "--rows",
            "6",
            "--out",
            str(folder / "split"),
        ],
        check=True,
        capture_output=True,
    )
    for sample in sorted((ROOT / "data" / "samples").glob("*.xlsx")):
        shutil.copy(sample, folder / sample.name)
    shutil.copy(ROOT / "data" / "samples" / "danh_sach.xlsx", folder / "danh_sach_lai.xlsx")
    shutil.copytree(ROOT / "tests" / "data" / "bad", folder / "bad")
    return folder


@pytest.fixture(scope="module")
def one_year_run(mixed_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unit files and the sample of errors, all of 2024: one report year, so that
    the checks over the run (the registry's completeness among them) run too."""
    folder = tmp_path_factory.mktemp("one_year")
    (units,) = (mixed_run / "split").glob("split_*")
    shutil.copytree(units, folder / "units")
    shutil.copy(mixed_run / "loi_mau.xlsx", folder / "loi_mau.xlsx")
    return folder


def _read(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    processes: int,
    chunks: int,
    *,
    opened: bool = False,
) -> Dataset:
    """The run of `folder` read as asked; `opened`: its workbooks opened first, here (as
    `kpi export` and `kpi check` do to choose between one year and a trend)."""
    monkeypatch.setenv(shards.PROCESSES_SETTING, str(processes))
    monkeypatch.setattr(shards, "FEWEST_FILES", 1)
    monkeypatch.setattr(shards, "CHUNKS_PER_PROCESS", chunks)
    # As many as asked, whatever this machine's CPUs (results do not depend on them).
    monkeypatch.setattr(shards, "_usable_cpus", lambda: 8)
    steps: list[tuple[int, int]] = []
    used = _processes_used(monkeypatch)
    given = open_inputs([str(folder)]) if opened else [str(folder)]
    found = load_dataset(given, progress=lambda step, total, _: steps.append((step, total)))
    # Read as asked: in this process alone, or in `processes` (no worker lost on the way).
    assert used == ([] if processes == 1 else [processes])
    # The progress bar only moves forward and ends full, either way; for workbooks opened
    # first, within the second half, as the read one at a time says it.
    assert steps == sorted(steps)
    assert steps[-1][0] == steps[-1][1]
    if opened:
        assert all(2 * step >= total for step, total in steps)
    elif processes > 1:
        # The takes fill three quarters of the bar (they are most of the time), not half:
        # it does not stand still through the parse.
        total = steps[-1][1]
        assert (total * 3 // 4, total) in steps and (total * 7 // 8, total) in steps
    return found


def _processes_used(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many processes each read to come in processes used (a read that lost a worker
    is not counted: it is read again here)."""
    used: list[int] = []
    reading = shards.read_in_processes

    def counted(*args: Any, **kwargs: Any) -> Any:
        done = reading(*args, **kwargs)
        used.append(args[4])
        return done

    monkeypatch.setattr(dataset_module, "read_in_processes", counted)
    return used


def _view(found: Dataset) -> dict[str, Any]:
    return {
        "issues": found.issues,
        "sources": found.sources,
        "reference": found.reference,
        "completeness": found.completeness,
        # The run's personal names (no equality of its own).
        "names": (sorted(found.names._long.to_pylist()), found.names._short),
        "files": found.files,
        "derived": found.derived,
        "tables": {
            key: (t.spec, t.present, t.sheet_names, t.letters, t.row_letters)
            for key, t in found.tables.items()
        },
    }


@pytest.mark.parametrize(("processes", "chunks"), [(2, 1), (2, 5), (3, 2)])
def test_a_run_read_in_processes_is_the_run_read_in_one(
    mixed_run: Path, monkeypatch: pytest.MonkeyPatch, processes: int, chunks: int
) -> None:
    plain = _read(mixed_run, monkeypatch, 1, chunks)
    split = _read(mixed_run, monkeypatch, processes, chunks)
    assert _view(split) == _view(plain)
    assert split.tables.keys() == plain.tables.keys()
    for key, table in plain.tables.items():
        pd.testing.assert_frame_equal(split.tables[key].frame, table.frame)
    # The run has what makes it hard: files that cannot be read, a copy, several years.
    codes = {issue.code for issue in plain.issues}
    assert {"same_data_as", "report_years_differ"} <= codes
    assert len(plain.sources) > 20


def test_a_run_of_one_year_read_in_processes_is_the_run_read_in_one(
    one_year_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _read(one_year_run, monkeypatch, 1, 3)
    split = _read(one_year_run, monkeypatch, 2, 3)
    assert _view(split) == _view(plain)
    for key, table in plain.tables.items():
        pd.testing.assert_frame_equal(split.tables[key].frame, table.frame)
    assert plain.completeness is not None
    assert "report_years_differ" not in {issue.code for issue in plain.issues}


@pytest.mark.parametrize("run", ["mixed_run", "one_year_run"])
def test_workbooks_opened_first_are_read_in_processes_as_in_one(
    run: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workbooks opened here first (`kpi export`, `kpi check`, each year of `kpi trend`)
    are opened again by the processes: the dataset is the one read from the paths."""
    folder = request.getfixturevalue(run)
    from_paths = _read(folder, monkeypatch, 1, 2)
    plain = _read(folder, monkeypatch, 1, 2, opened=True)
    opening = shards.open_workbook
    opened_again: list[str] = []

    def counted(path: Path, display: str, *args: Any, **kwargs: Any) -> Any:
        opened_again.append(display)
        return opening(path, display, *args, **kwargs)

    monkeypatch.setattr(shards, "open_workbook", counted)
    split = _read(folder, monkeypatch, 2, 2, opened=True)
    # This process took its share as it was opened; only the worker opened its own again.
    assert opened_again == []
    assert _view(split) == _view(plain) == _view(from_paths)
    for key, table in plain.tables.items():
        pd.testing.assert_frame_equal(split.tables[key].frame, table.frame)


def test_the_processes_are_used_only_for_many_small_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(shards.PROCESSES_SETTING, raising=False)
    monkeypatch.setattr(shards, "_usable_cpus", lambda: 4)
    small = [shards.SMALL_FILE_BYTES] * (4 * shards.FEWEST_FILES)
    assert shards.processes_for(small) == 4
    assert shards.processes_for(small[: 2 * shards.FEWEST_FILES]) == 2
    assert shards.processes_for(small[: shards.FEWEST_FILES - 1]) == 1
    big = [shards.SMALL_FILE_BYTES + 1] * (4 * shards.FEWEST_FILES)
    assert shards.processes_for(big) == 1
    monkeypatch.setenv(shards.PROCESSES_SETTING, "3")
    assert shards.processes_for(big) == 3
    monkeypatch.setenv(shards.PROCESSES_SETTING, "1")
    assert shards.processes_for(small) == 1
    monkeypatch.setenv(shards.PROCESSES_SETTING, "many")
    assert shards.processes_for(small) == 4
    # Never more than the CPUs.
    monkeypatch.setenv(shards.PROCESSES_SETTING, "64")
    assert shards.processes_for(small) == 4


def test_chunks_keep_the_files_order_and_cut_by_size(tmp_path: Path) -> None:
    files = [(tmp_path / f"{i}.xlsx", f"{i}.xlsx") for i in range(10)]
    sizes = [100, 100, 100, 100, 400, 1, 1, 1, 1, 1]
    chunks = shards.chunks_of(files, sizes, 1)
    assert [index for chunk in chunks for index, _, _ in chunk] == list(range(10))
    assert all(chunk for chunk in chunks)
    # About 50 bytes a chunk (806 over 16): each big file alone, the small ones together.
    assert [[index for index, _, _ in chunk] for chunk in chunks][:5] == [[0], [1], [2], [3], [4]]


def test_a_worker_lost_has_the_run_read_again_here(
    mixed_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _read(mixed_run, monkeypatch, 1, 2)
    sent = shards._Worker.send

    def killed(worker: Any, order: tuple[Any, ...]) -> None:
        worker.process.kill()
        worker.process.wait()
        sent(worker, order)

    monkeypatch.setattr(shards._Worker, "send", killed)
    monkeypatch.setenv(shards.PROCESSES_SETTING, "2")
    lost = _losses(monkeypatch)
    again = load_dataset([str(mixed_run)])
    assert len(lost) == 1
    assert _view(again) == _view(plain)


def test_a_worker_lost_late_has_opened_workbooks_read_again_here(
    mixed_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lost once this process has taken its share of the workbooks opened first: those
    are read again here from the start, as if the processes had not been tried."""
    plain = _read(mixed_run, monkeypatch, 1, 2, opened=True)
    sent = shards._Worker.send

    def killed_at_parse(worker: Any, order: tuple[Any, ...]) -> None:
        if order[0] == "parse":
            worker.process.kill()
            worker.process.wait()
        sent(worker, order)

    monkeypatch.setattr(shards._Worker, "send", killed_at_parse)
    monkeypatch.setenv(shards.PROCESSES_SETTING, "2")
    taken: list[int] = []
    taking = shards._Shard.take

    def counted(shard: Any, chunk: Any) -> Any:
        taken.append(len(chunk))
        return taking(shard, chunk)

    monkeypatch.setattr(shards._Shard, "take", counted)
    lost = _losses(monkeypatch)
    again = load_dataset(open_inputs([str(mixed_run)]))
    assert len(lost) == 1
    assert taken  # this process had taken some of them before the loss
    assert _view(again) == _view(plain)
    for key, table in plain.tables.items():
        pd.testing.assert_frame_equal(again.tables[key].frame, table.frame)


def _losses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each `WorkerLost` of the reads to come said (they are read again here)."""
    lost: list[str] = []
    reading = shards.read_in_processes

    def counted(*args: Any, **kwargs: Any) -> Any:
        try:
            return reading(*args, **kwargs)
        except shards.WorkerLost as error:
            lost.append(str(error))
            raise

    monkeypatch.setattr(dataset_module, "read_in_processes", counted)
    return lost


def test_an_error_in_a_worker_is_raised_here_with_its_trace() -> None:
    worker = type("W", (), {"outstanding": 1})()
    with pytest.raises(shards.WorkerFailed, match="ZeroDivisionError"):
        shards._received(("failed", 0, "Traceback...\nZeroDivisionError: x"), [worker])
    assert worker.outstanding == 0


def test_a_script_without_a_main_guard_runs_once(mixed_run: Path, tmp_path: Path) -> None:
    """The workers start afresh (`python -c`), not from the caller's `__main__`: a script
    calling `load_dataset` at its top level is not run again in them."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from kpi_tritue.io import dataset, shards
            from kpi_tritue.io.dataset import load_dataset
            shards.FEWEST_FILES = 1
            used = []
            reading = dataset.read_in_processes
            def counted(*args):
                done = reading(*args)
                used.append(args[4])
                return done
            dataset.read_in_processes = counted
            found = load_dataset([{str(mixed_run / "split")!r}])
            print("ran", len(found.sources), "in processes:", used)
            """
        )
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        env={**_environment(), shards.PROCESSES_SETTING: "2"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["ran 13 in processes: [2]"]


def _environment() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def test_a_worker_that_cannot_start_has_the_run_read_here(
    mixed_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _read(mixed_run, monkeypatch, 1, 2)
    monkeypatch.setattr(sys, "executable", str(mixed_run / "no-such-python"))
    monkeypatch.setenv(shards.PROCESSES_SETTING, "2")
    lost = _losses(monkeypatch)
    again = load_dataset([str(mixed_run)])
    assert len(lost) == 1
    assert "no-such-python" in lost[0]
    assert _view(again) == _view(plain)


def test_a_trend_reads_each_year_in_processes_as_in_one(
    mixed_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kpi trend`, `kpi export` and `kpi check` over several report years read each year
    from the workbooks they opened: in processes too, each year as in one process."""
    from kpi_tritue.catalog.reading import load_catalog
    from kpi_tritue.io.series import load_series

    catalog = load_catalog()
    monkeypatch.setattr(shards, "FEWEST_FILES", 1)
    monkeypatch.setattr(shards, "_usable_cpus", lambda: 8)
    used = _processes_used(monkeypatch)
    monkeypatch.setenv(shards.PROCESSES_SETTING, "1")
    plain = load_series([str(mixed_run)], catalog=catalog)
    assert used == []
    monkeypatch.setenv(shards.PROCESSES_SETTING, "2")
    steps: list[tuple[int, int]] = []
    split = load_series(
        [str(mixed_run)],
        catalog=catalog,
        progress=lambda step, total, _: steps.append((step, total)),
    )
    # The progress bar only moves forward, year after year, and ends full.
    assert steps == sorted(steps)
    assert steps[-1][0] == steps[-1][1]
    # Every year of more than one file was read in two processes.
    assert len(plain.years) >= 2
    assert used and set(used) == {2}
    assert split.issues == plain.issues
    assert split.sources == plain.sources
    assert split.unit_changes == plain.unit_changes
    assert [y.year for y in split.years] == [y.year for y in plain.years]
    for mine, theirs in zip(split.years, plain.years, strict=True):
        assert mine.own_sources == theirs.own_sources
        assert _view(mine.dataset) == _view(theirs.dataset)
        for key, table in theirs.dataset.tables.items():
            pd.testing.assert_frame_equal(mine.dataset.tables[key].frame, table.frame)
