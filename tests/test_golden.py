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


def test_no_output_of_the_sample_shows_a_name() -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(SAMPLES / "ha_tinh_2024.xlsx", read_only=True)["NhanSu"]
    rows = sheet.iter_rows(min_row=6, min_col=2, max_col=2, values_only=True)
    names = {str(row[0]) for row in rows if row[0] and str(row[0]) != "7044"}
    assert len(names) > 1000
    for golden in GOLDEN.iterdir():
        text = golden.read_text(encoding="utf-8")
        assert not [name for name in names if name in text], golden.name
