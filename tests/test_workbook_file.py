"""`io/workbook_file.py`: a workbook's file read whole, once, so that a run of many
workbooks does not hold a file open for each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.io import workbook_file
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.io.workbook_file import in_memory


def test_a_file_up_to_the_size_is_read_whole_and_a_bigger_one_keeps_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workbook_file, "IN_MEMORY_UP_TO", 10)
    monkeypatch.setattr(workbook_file, "_held", 0)
    at_most = tmp_path / "a.xlsx"
    at_most.write_bytes(b"0123456789")
    past = tmp_path / "b.xlsx"
    past.write_bytes(b"0123456789A")
    assert in_memory(at_most) == b"0123456789"
    assert in_memory(past) == past


def test_a_workbook_kept_on_its_file_reads_as_one_read_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [WORKFORCE_HEADER, person("A1"), person("A2", birth_date="#N/A"), ["Tổng cộng"]]
    path = write_workbook(tmp_path / "p.xlsx", {"NhanSu": rows, "Khác": [["x"]]})
    from_memory = load_dataset([str(path)])
    monkeypatch.setattr(workbook_file, "IN_MEMORY_UP_TO", 0)
    from_file = load_dataset([str(path)])
    assert [(i.code, i.cell) for i in from_file.issues] == [
        (i.code, i.cell) for i in from_memory.issues
    ]
    workforce = from_file.tables["workforce"].frame
    assert workforce.equals(from_memory.tables["workforce"].frame)
    assert list(workforce["id"]) == ["A1", "A2"]


def test_a_run_reads_more_workbooks_than_the_process_may_hold_files_open(
    tmp_path: Path,
) -> None:
    """A folder of 120 unit workbooks read by a process that may open 64 files at once
    (macOS allows 256 by default, Linux 1,024): each workbook used to keep its file open
    for the whole run, and every one past the limit failed as an unreadable sheet."""
    paths = [
        write_workbook(tmp_path / f"u{n:03}.xlsx", {"NhanSu": [WORKFORCE_HEADER, person(f"A{n}")]})
        for n in range(120)
    ]
    script = (
        "import resource, sys\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (64, hard))\n"
        "from kpi_tritue.io.dataset import load_dataset\n"
        "dataset = load_dataset(sys.argv[1:])\n"
        "print(len(dataset.tables['workforce'].frame))\n"
        "print(sorted({i.code for i in dataset.issues if i.severity.value == 'error'}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.split("\n")[:2] == ["120", "[]"]


def test_an_archive_whose_directory_cannot_be_read_is_reported_with_calamine_s_reason() -> None:
    """Such a file is given to calamine by its path, not its bytes: from bytes calamine
    could only say that it cannot tell the format."""
    truncated = Path(__file__).parent / "data" / "bad" / "truncated.xlsx"
    issues = load_dataset([str(truncated)]).issues
    (unreadable,) = [i for i in issues if i.code == "unreadable_file"]
    assert "Zip error" in str((unreadable.params or {}).get("detail"))


def test_files_are_held_in_memory_within_a_budget_and_given_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the run's budget a file is read from its path; what a workbook held is given
    back once it is gone."""
    import gc

    from kpi_tritue.io.reader import Workbook

    path = write_workbook(tmp_path / "p.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("A1")]})
    size = path.stat().st_size
    monkeypatch.setattr(workbook_file, "_held", 0)
    monkeypatch.setattr(workbook_file, "IN_MEMORY_BUDGET", 2 * size)
    first, second = in_memory(path), in_memory(path)
    assert first == second == path.read_bytes()
    assert in_memory(path) == path  # the budget is spent
    workbook_file.release(size)
    assert in_memory(path) == path.read_bytes()
    workbook_file.release(2 * size)
    assert workbook_file._held == 0
    workbook = Workbook(path)
    assert workbook_file._held == size
    del workbook
    gc.collect()
    assert workbook_file._held == 0


def test_a_workbook_read_whole_is_digested_from_its_bytes_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digest of a workbook held in memory is taken from the bytes parsed; only a
    workbook read from its path is read a second time for it."""
    import hashlib

    from kpi_tritue.io import workbook as workbook_module
    from kpi_tritue.io.workbook import OpenedWorkbook, open_workbook

    path = write_workbook(tmp_path / "a.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("A1")]})
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    hashed: list[Path] = []
    hashing = workbook_module.sha256_of

    def counted(file: Path) -> str:
        hashed.append(file)
        return hashing(file)

    monkeypatch.setattr(workbook_module, "sha256_of", counted)
    monkeypatch.setattr(workbook_file, "_held", 0)
    opened = open_workbook(path, path.as_posix())
    assert isinstance(opened, OpenedWorkbook)
    assert (opened.sha256, hashed) == (expected, [])
    # Past the size held in memory: read from its path, and digested from it.
    monkeypatch.setattr(workbook_file, "IN_MEMORY_UP_TO", 10)
    opened = open_workbook(path, path.as_posix())
    assert isinstance(opened, OpenedWorkbook)
    assert (opened.sha256, hashed) == (expected, [path])
