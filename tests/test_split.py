"""One workbook per unit gives exactly what the same rows give as one consolidated file."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from kpi_tritue.cli import app

ROOT = Path(__file__).parent.parent
runner = CliRunner()


def _make_split() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_split", ROOT / "scripts" / "make_split.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def split_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("split")
    folder, consolidated = _make_split().write_split(5, 40, out, log=lambda _: None)
    return folder, consolidated


def _compute(*inputs: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["compute", *map(str, inputs), "--format", "json"])
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def test_split_set_is_one_workbook_per_unit(split_set: tuple[Path, Path]) -> None:
    folder, _ = split_set
    assert sorted(p.name for p in folder.glob("*.xlsx")) == [
        f"unit-{i:04d}.xlsx" for i in range(1, 6)
    ]


def test_split_set_computes_as_the_consolidated_file(split_set: tuple[Path, Path]) -> None:
    folder, consolidated = split_set
    split, whole = _compute(folder), _compute(consolidated)
    assert len(split["sources"]) == 5 and len(whole["sources"]) == 1
    by_id = {i["id"]: i for i in whole["indicators"]}
    assert [i["id"] for i in split["indicators"]] == list(by_id)
    computed = 0
    for indicator in split["indicators"]:
        other = by_id[indicator["id"]]
        for key in ("value", "numerator", "denominator", "status"):
            assert indicator[key] == other[key], (indicator["id"], key)
        computed += indicator["value"] is not None
    # Not a comparison of two empty results: most indicators have a value.
    assert computed >= 15
    assert split["issues"] == whole["issues"] == []
    assert split["completeness"]["reporting_units"] == 5


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    make_split = _make_split()
    one, _ = make_split.write_split(2, 3, tmp_path / "a", log=lambda _: None)
    two, _ = make_split.write_split(2, 3, tmp_path / "b", log=lambda _: None)
    written = sorted(one.glob("*.xlsx"))
    assert [p.name for p in written] == ["unit-0001.xlsx", "unit-0002.xlsx"]
    assert [p.read_bytes() for p in written] == [(two / p.name).read_bytes() for p in written]
