"""--baseline: a previous JSON result and the change since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kpi_tritue.compute.baseline import BaselineError, delta, load_baseline
from test_gate import RESULTS


def write(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_delta_is_value_minus_previous_value(tmp_path: Path) -> None:
    previous = {
        "tool": "kpi-tritue",
        "as_of": "2023-12-31",
        "indicators": [
            {"id": "a", "value": 65.5, "status": "met", "extra": 1},
            {"id": "b", "value": None},
            {"id": "gone", "value": 3.0},
        ],
    }
    baseline = load_baseline(write(tmp_path / "prev.json", previous))
    a, b, c = RESULTS[:3]
    assert delta(baseline, a) == pytest.approx(70.0 - 65.5)
    assert delta(baseline, b) is None  # no previous value
    assert delta(baseline, c) is None  # a new indicator
    assert str(baseline.as_of) == "2023-12-31"


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "prev.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(BaselineError, match=r"prev\.json"):
        load_baseline(path)


def test_json_of_something_else_says_where(tmp_path: Path) -> None:
    path = write(tmp_path / "prev.json", {"indicators": [{"value": 1}]})
    with pytest.raises(BaselineError, match=r"indicators\.0\.id"):
        load_baseline(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"nope\.json"):
        load_baseline(tmp_path / "nope.json")
