"""A run's files opened and taken in one pass (`io/open_take.open_and_take`: each file's
sheets loaded in the reader threads from the moment it is opened) give what the plain way
gives: every file opened (`open_files`), then taken (`take_files`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.contract.schema import CONTRACT
from kpi_tritue.io.inputs import open_files
from kpi_tritue.io.open_take import open_and_take
from kpi_tritue.io.workbook import OpenedWorkbook, TakenFiles, take_files
from kpi_tritue.model.issues import Issue

BAD = Path(__file__).parent / "data" / "bad"
SAMPLES = Path(__file__).parent.parent / "data" / "samples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The broken workbooks, the samples, and unit files with and without `ThongTin`."""
    folder = tmp_path_factory.mktemp("units")
    made = []
    for number in range(3):
        path = folder / f"don_vi_{number}.xlsx"
        sheets: dict[str, Any] = {
            "NhanSu": [WORKFORCE_HEADER, *[person(f"U{number}-{i}") for i in range(3)]]
        }
        if number:
            sheets["ThongTin"] = [["Mục", "Giá trị"], ["Năm báo cáo", 2024 + number]]
        write_workbook(path, sheets)
        made.append(path)
    return sorted([*BAD.glob("*.xlsx"), *SAMPLES.glob("*.xlsx"), *made])


def _opened_view(found: OpenedWorkbook | list[Issue]) -> object:
    if isinstance(found, list):
        return found
    table = found.info_table
    return (
        found.display,
        found.sha256,
        found.sheet_names,
        found.info,
        found.issues,
        None if table is None else (table.frame.to_json(orient="split"), table.headers),
    )


def _taken_view(taken: TakenFiles) -> object:
    return (
        {
            key: [
                (
                    step,
                    found.data.to_json(orient="split"),
                    found.header.columns,
                    found.reporter.issues,
                    found.maybe_units,
                )
                for step, found in parts
            ]
            for key, parts in taken.taken.items()
        },
        [{key: reporter.issues for key, reporter in mine.items()} for mine in taken.reporters],
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data(), st.sampled_from([0, 1, 2]))
def test_files_opened_and_taken_in_one_pass_are_those_opened_then_taken(
    corpus: list[Path], data: st.DataObject, threads: int
) -> None:
    chosen = data.draw(st.lists(st.sampled_from(corpus), min_size=1, max_size=8, unique=True))
    files = [(path, path.name) for path in chosen]
    plain = open_files(files, contract=CONTRACT)
    plain_taken = take_files(plain.workbooks, CONTRACT)
    steps: list[tuple[int, str]] = []
    results, taken = open_and_take(
        files, CONTRACT, lambda step, name: steps.append((step, name)), threads=threads
    )
    assert [r for r in results if isinstance(r, list)] == [
        [i for i in plain.issues if i.file == path.name]
        for path in chosen
        if any(i.file == path.name for i in plain.issues)
    ]
    opened = [r for r in results if not isinstance(r, list)]
    assert [_opened_view(w) for w in opened] == [_opened_view(w) for w in plain.workbooks]
    assert _taken_view(taken) == _taken_view(plain_taken)
    # Each file said as it is opened, then each opened as it is taken.
    assert steps == [(i, path.name) for i, path in enumerate(chosen)] + [
        (len(chosen) + i, w.display) for i, w in enumerate(opened)
    ]


def test_a_big_part_loaded_in_the_threads_waits_for_nothing_nobody_does(tmp_path: Path) -> None:
    """A folder's files opened and loaded in the reader threads, each part big enough for
    the gate to match its batches in a pool (made so here: every part, 64-byte batches),
    in a fresh interpreter where nothing ran `prefetch`: the run ends and reads what the
    plain run reads. It once waited 30 s a batch for an import announced by `prefetch`
    alone; the bound below is that wait's, not a measure of speed."""
    import json
    import shutil
    import subprocess
    import sys

    folder = tmp_path / "units"
    folder.mkdir()
    shutil.copy(SAMPLES / "ha_tinh_2024.xlsx", folder / "ha_tinh_2024.xlsx")
    script = (
        "import json, sys\n"
        "from kpi_tritue.io import extent_fast\n"
        "from kpi_tritue.io.dataset import load_dataset\n"
        "extent_fast.POOL_FROM, extent_fast._SMALL, extent_fast._BATCH = 0, 0, 64\n"
        "data = load_dataset([sys.argv[1]])\n"
        "print(json.dumps([{k: len(t.frame) for k, t in data.tables.items()},"
        " [i.code for i in data.issues]]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        capture_output=True,
        text=True,
        timeout=25,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    from kpi_tritue.io.dataset import load_dataset

    plain = load_dataset([str(folder)])
    read = [{k: len(t.frame) for k, t in plain.tables.items()}, [i.code for i in plain.issues]]
    assert json.loads(done.stdout) == read
    assert read[0]["workforce"] > 0
