"""Golden files: the sample workbooks beside the exact output they must give.

After an intended change of output, regenerate with `KPI_UPDATE_GOLDEN=1 pytest
tests/test_golden.py` and review the diff like any other change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_tritue.cli import app

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "data" / "samples"
GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "ha_tinh_2024.validate.json": (["validate", "ha_tinh_2024.xlsx", "--format", "json"], 0),
    "ha_tinh_2024.validate.txt": (["validate", "ha_tinh_2024.xlsx"], 0),
    "ha_tinh_2024.compute.json": (["compute", "ha_tinh_2024.xlsx", "--format", "json"], 0),
    "ha_tinh_2024.compute.txt": (["compute", "ha_tinh_2024.xlsx"], 0),
    "ha_tinh_2024.compute.en.txt": (["compute", "ha_tinh_2024.xlsx", "--lang", "en"], 0),
    "ha_tinh_2024.compute.csv": (["compute", "ha_tinh_2024.xlsx", "--format", "csv"], 0),
    "ha_tinh_2024.compute.md": (["compute", "ha_tinh_2024.xlsx", "--format", "markdown"], 0),
    "ha_tinh_2024.by_level.json": (
        ["compute", "ha_tinh_2024.xlsx", "--by", "level", "--format", "json"],
        0,
    ),
    "loi_mau.validate.json": (["validate", "loi_mau.xlsx", "--format", "json", "--lang", "en"], 3),
    "loi_mau.validate.txt": (["validate", "loi_mau.xlsx"], 3),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_sample_output_matches_its_golden_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arguments, exit_code = CASES[name]
    monkeypatch.chdir(SAMPLES)
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == exit_code, result.output
    golden = GOLDEN / name
    if os.environ.get("KPI_UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


# The outputs of trend, explain and check, pinned before the layers were reshaped (issue 13)
# so that the move shows in no byte. The tool's version reads `<version>` in them (a release
# leaves them alone); what a command writes to stderr is pinned beside, in `*.stderr.txt`,
# and must be empty when there is no such file. Environment: width COLUMNS (120) by default.
PINNED: dict[str, tuple[list[str], int, dict[str, str]]] = {
    "ha_tinh_2024.trend.txt": (["trend", "ha_tinh_2024.xlsx"], 0, {}),
    "ha_tinh_2024.trend.80.txt": (["trend", "ha_tinh_2024.xlsx"], 0, {"COLUMNS": "80"}),
    "ha_tinh_2024.trend.en.txt": (["trend", "ha_tinh_2024.xlsx", "--lang", "en"], 0, {}),
    "ha_tinh_2024.trend.json": (["trend", "ha_tinh_2024.xlsx", "--format", "json"], 0, {}),
    "ha_tinh_2024.trend.csv": (["trend", "ha_tinh_2024.xlsx", "--format", "csv"], 0, {}),
    "ha_tinh_2024.explain.talent_retention.txt": (
        ["explain", "talent_retention", "ha_tinh_2024.xlsx"],
        0,
        {},
    ),
    "ha_tinh_2024.explain.talent_retention.en.txt": (
        ["explain", "talent_retention", "ha_tinh_2024.xlsx", "--lang", "en"],
        0,
        {},
    ),
    "ha_tinh_2024.explain.talent_retention.json": (
        ["explain", "talent_retention", "ha_tinh_2024.xlsx", "--format", "json"],
        0,
        {},
    ),
    "ha_tinh_2024.explain.talent_retention.csv": (
        ["explain", "talent_retention", "ha_tinh_2024.xlsx", "--format", "csv"],
        0,
        {},
    ),
    "ha_tinh_2024.explain.certified_labour_share.txt": (
        ["explain", "certified_labour_share", "ha_tinh_2024.xlsx"],
        0,
        {},
    ),
    "ha_tinh_2024.explain.certified_labour_share.json": (
        ["explain", "certified_labour_share", "ha_tinh_2024.xlsx", "--format", "json"],
        0,
        {},
    ),
    "ha_tinh_2024.check.txt": (["check", "ha_tinh_2024.xlsx"], 1, {}),
    "ha_tinh_2024.check.en.txt": (["check", "ha_tinh_2024.xlsx", "--lang", "en"], 1, {}),
    "ha_tinh_2024.check.json": (["check", "ha_tinh_2024.xlsx", "--format", "json"], 1, {}),
    "loi_mau.check.txt": (["check", "loi_mau.xlsx"], 3, {}),
}

# `kpi check --junit`: the XML file it writes, by language.
JUNIT = {
    "ha_tinh_2024.check.junit.xml": ["--lang", "vi"],
    "ha_tinh_2024.check.junit.en.xml": ["--lang", "en"],
}


def _masked(text: str) -> str:
    from kpi_tritue import __version__

    text = text.replace(f'"version": "{__version__}"', '"version": "<version>"')
    return text.replace(str(SAMPLES), "<samples>")


def _matches_golden(name: str, text: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("KPI_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), name


@pytest.mark.parametrize("name", sorted(PINNED))
def test_pinned_output_matches_its_golden_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arguments, exit_code, env = PINNED[name]
    monkeypatch.chdir(SAMPLES)
    result = CliRunner().invoke(app, arguments, env=env)
    assert result.exit_code == exit_code, result.output
    assert (result.stdout + result.stderr).strip()
    _matches_golden(name, _masked(result.stdout))
    stderr = GOLDEN / f"{Path(name).stem}.stderr.txt"
    if os.environ.get("KPI_UPDATE_GOLDEN"):
        stderr.unlink(missing_ok=True)
        if result.stderr:
            stderr.write_text(_masked(result.stderr), encoding="utf-8")
    expected = stderr.read_text(encoding="utf-8") if stderr.exists() else ""
    assert _masked(result.stderr) == expected


@pytest.mark.parametrize("name", sorted(JUNIT))
def test_the_junit_file_matches_its_golden_file(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(SAMPLES)
    junit = tmp_path / "kpi.xml"
    arguments = ["check", "ha_tinh_2024.xlsx", "--junit", str(junit), *JUNIT[name]]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 1, result.output
    _matches_golden(name, _masked(junit.read_text(encoding="utf-8")))


def test_no_output_of_the_sample_shows_a_name() -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(SAMPLES / "ha_tinh_2024.xlsx", read_only=True)["NhanSu"]
    rows = sheet.iter_rows(min_row=6, min_col=2, max_col=2, values_only=True)
    names = {str(row[0]) for row in rows if row[0] and str(row[0]) != "7044"}
    assert len(names) > 1000
    for golden in GOLDEN.iterdir():
        text = golden.read_text(encoding="utf-8")
        assert not [name for name in names if name in text], golden.name
