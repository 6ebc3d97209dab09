"""Each workbook is opened once per command (issue 13), whatever the command.

`io.workbook.open_workbook` is the one function that opens a workbook (its digest, the
reader, the sheets matched, `ThongTin` read); the reader's `Workbook` is what it opens
the file with. Both are counted, per file, while a command runs through the CLI.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import kpi_tritue
from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.cli import app
from kpi_tritue.io import reader, workbook

runner = CliRunner()
YEARS = (2022, 2023, 2024)


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, Path]]:
    """(what opened it, the file) → how many times, for the test's command."""
    counted: Counter[tuple[str, Path]] = Counter()
    original = workbook.open_workbook

    def counting(path: Path, *args: Any, **kwargs: Any) -> Any:
        counted["open_workbook", Path(path).resolve()] += 1
        return original(path, *args, **kwargs)

    # Every module that took the function by name gets the counting one; all are imported
    # first, so that none takes the counting one for good.
    for found in pkgutil.walk_packages(kpi_tritue.__path__, "kpi_tritue."):
        if not found.name.endswith("__main__"):
            importlib.import_module(found.name)
    for name, module in list(sys.modules.items()):
        if name.startswith("kpi_tritue") and getattr(module, "open_workbook", None) is original:
            monkeypatch.setattr(module, "open_workbook", counting)

    constructor: Callable[..., None] = reader.Workbook.__init__

    def constructing(self: reader.Workbook, path: Path, *args: Any, **kwargs: Any) -> None:
        counted["Workbook", Path(path).resolve()] += 1
        constructor(self, path, *args, **kwargs)

    monkeypatch.setattr(reader.Workbook, "__init__", constructing)
    return counted


def _years(folder: Path, years: tuple[int, ...] = YEARS) -> list[Path]:
    header = [*WORKFORCE_HEADER, "Phù hợp vị trí việc làm"]
    paths = []
    for year in years:
        rows = [header, *([*person(f"{year}-{i}"), "x"] for i in range(10 + year % 10))]
        paths.append(
            write_workbook(
                folder / f"bao_cao_{year}.xlsx",
                {
                    "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", year]],
                    "NhanSu": rows,
                    "SoLieu": [["Chỉ tiêu", "Giá trị"], ["Dân số", 10000]],
                },
            )
        )
    return paths


def _once_each(opens: Counter[tuple[str, Path]], paths: list[Path]) -> None:
    expected = {(by, path.resolve()): 1 for path in paths for by in ("open_workbook", "Workbook")}
    assert dict(opens) == expected


@pytest.mark.parametrize("output_format", ["table", "json"])
def test_trend_opens_each_workbook_once(
    tmp_path: Path, opens: Counter[tuple[str, Path]], output_format: str
) -> None:
    paths = _years(tmp_path)
    result = runner.invoke(app, ["trend", *map(str, paths), "--format", output_format])
    assert result.exit_code == 0, result.output
    _once_each(opens, paths)


@pytest.mark.parametrize("given", ["files", "folder"])
def test_an_export_of_several_years_opens_each_workbook_once(
    tmp_path: Path, opens: Counter[tuple[str, Path]], given: str
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = _years(folder)
    inputs = [str(folder)] if given == "folder" else [str(p) for p in paths]
    output = tmp_path / "report.xlsx"
    result = runner.invoke(app, ["export", *inputs, "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.exists()
    _once_each(opens, paths)


def test_an_export_of_one_year_opens_its_workbook_once(
    tmp_path: Path, opens: Counter[tuple[str, Path]]
) -> None:
    paths = _years(tmp_path, (2024,))
    result = runner.invoke(app, ["export", str(paths[0]), "-o", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 0, result.output
    _once_each(opens, paths)


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate"],
        ["compute"],
        ["compute", "--format", "json"],
        ["check"],
        ["explain", "doctors_per_10k"],
    ],
    ids=" ".join,
)
def test_every_other_command_opens_each_workbook_once(
    tmp_path: Path, opens: Counter[tuple[str, Path]], arguments: list[str]
) -> None:
    paths = _years(tmp_path, (2024,))
    result = runner.invoke(app, [*arguments, str(paths[0])])
    assert result.exit_code in (0, 1), result.output
    _once_each(opens, paths)


@pytest.mark.parametrize("given", ["history", "inputs", "same_year_history"])
def test_a_gate_over_several_years_opens_each_workbook_once(
    tmp_path: Path, opens: Counter[tuple[str, Path]], given: str
) -> None:
    paths = _years(tmp_path)
    if given == "history":
        arguments = [str(paths[-1]), *(f"--history={p}" for p in paths[:-1])]
    elif given == "inputs":
        arguments = [str(p) for p in paths]
    else:  # a history of the same year adds nothing, and is opened once all the same
        again = tmp_path / "again"
        again.mkdir()
        paths = [paths[-1], *_years(again, (2024,))]
        arguments = [str(paths[0]), f"--history={paths[1]}"]
    result = runner.invoke(app, ["check", *arguments, "--fail-on", "off_track"])
    assert result.exit_code in (0, 1), result.output
    _once_each(opens, paths)


def test_validate_with_annotate_opens_each_workbook_once(
    tmp_path: Path, opens: Counter[tuple[str, Path]]
) -> None:
    """The annotated copy is made of the bytes io/copies reads back (checked against the
    digest taken at the opening) and parsed by openpyxl: the workbook is not opened again."""
    paths = _years(tmp_path, (2024,))
    bad = write_workbook(
        tmp_path / "bad.xlsx",
        {"NhanSu": [WORKFORCE_HEADER, person("X1", level="Trung ương")]},
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["validate", *map(str, [*paths, bad]), "--annotate", str(out)])
    assert result.exit_code == 3, result.output
    assert (out / "bad.kiem-tra.xlsx").is_file()
    _once_each(opens, [*paths, bad])
