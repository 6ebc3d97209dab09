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


def test_not_json_says_where_it_breaks_in_the_users_language(tmp_path: Path) -> None:
    path = tmp_path / "prev.json"
    path.write_text('{"indicators": [\n  {"id": "a",, }]}', encoding="utf-8")
    with pytest.raises(BaselineError) as raised:
        load_baseline(path)
    assert raised.value.message("vi").splitlines()[1] == (
        "tệp không phải JSON: hỏng ở dòng 2, cột 14. Dùng tệp do kpi compute --format json ghi ra."
    )
    assert "it breaks at line 2, column 14" in raised.value.message("en")


def test_what_is_wrong_with_a_result_is_said_in_the_users_language(tmp_path: Path) -> None:
    path = write(tmp_path / "prev.json", {"tool": "kpi", "indicators": [{"id": 3, "value": "x"}]})
    with pytest.raises(BaselineError) as raised:
        load_baseline(path)
    assert raised.value.message("vi").splitlines()[2:] == [
        "- indicators.0.id: phải là văn bản",
        "- indicators.0.value: phải là một số",
    ]
    assert raised.value.message("en").splitlines()[2:] == [
        "- indicators.0.id: Input should be a valid string",
        "- indicators.0.value: Input should be a valid number, unable to parse string as a number",
    ]
    missing = write(tmp_path / "other.json", {"rows": []})
    with pytest.raises(BaselineError) as other:
        load_baseline(missing)
    assert other.value.message("vi").splitlines()[2] == (
        "- indicators: thiếu, đây là trường bắt buộc"
    )


def test_a_list_of_choices_reads_as_vietnamese() -> None:
    from kpi_tritue.i18n import validation_message

    detail = {
        "type": "literal_error",
        "msg": "Input should be 'a', 'b' or 'c'",
        "ctx": {"expected": "'a', 'b' or 'c'"},
    }
    assert validation_message(detail, "vi") == "phải là một trong các giá trị 'a', 'b' hoặc 'c'"
    assert validation_message(detail, "en") == "Input should be 'a', 'b' or 'c'"
    unknown = {"type": "uuid_type", "msg": "Value error, odd"}
    assert validation_message(unknown, "vi") == "odd"


def test_json_of_something_else_says_where(tmp_path: Path) -> None:
    path = write(tmp_path / "prev.json", {"indicators": [{"value": 1}]})
    with pytest.raises(BaselineError, match=r"indicators\.0\.id"):
        load_baseline(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match=r"nope\.json"):
        load_baseline(tmp_path / "nope.json")
