"""The CI gate and its JUnit XML."""

from __future__ import annotations

import json
from datetime import date
from xml.etree import ElementTree

import pytest

from kpi_tritue.compute.gate import (
    DEFAULT_FAIL_ON,
    UnknownGateStatus,
    gate_failures,
    judge,
    parse_fail_on,
)
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.results import IndicatorResult, Measurement, Note, Status, Target
from kpi_tritue.model.sources import AsOfSource, ReferenceDate, Source
from kpi_tritue.render.gate import gate_json, gate_summary, junit_xml
from kpi_tritue.render.report import ReportContext


def result(
    id_: str, status: Status, value: float | None = 50.0, **extra: object
) -> IndicatorResult:
    target = Target(op=">=", year=2030, value=60.0)
    measurement = Measurement(
        value=value,
        status=status,
        gap=10.0 if status is Status.NOT_MET else 0.0,
        shortfall=5 if status is Status.NOT_MET else 0,
        numerator=50,
        denominator=100,
        note=Note("missing_sheet", {"sheet": "SoLieu"}) if status is Status.NO_DATA else None,
    )
    return IndicatorResult(
        id=id_,
        name_vi=f"Chỉ tiêu {id_}",
        name_en=f"Indicator {id_}",
        clause="II.2",
        field="cadres",
        unit="percent",
        target=target,
        measurement=measurement,
        **extra,  # type: ignore[arg-type]
    )


RESULTS = [
    result("a", Status.MET, 70.0),
    result("b", Status.NOT_MET, 50.0),
    result("c", Status.ABOVE_RANGE, 35.0),
    result("d", Status.NO_DATA, None),
    result("e", Status.TRACKED, 6.0),
]


def context() -> ReportContext:
    dataset = Dataset(
        sources=[Source("data.xlsx", "0" * 64)],
        reference=ReferenceDate(date(2024, 12, 31), AsOfSource.SHEET),
        tables={},
    )
    return ReportContext(
        dataset=dataset, catalog_id="ha-tinh-2030", catalog_target_year=2030, issues=[]
    )


def test_default_gate_fails_on_not_met_only() -> None:
    assert [r.id for r in gate_failures(RESULTS, DEFAULT_FAIL_ON)] == ["b"]


def test_fail_on_can_add_statuses() -> None:
    fail_on = parse_fail_on("not_met, above_range,no_data")
    assert [r.id for r in gate_failures(RESULTS, fail_on)] == ["b", "c", "d"]


@pytest.mark.parametrize(
    ("text", "named"),
    [("met", "met"), ("nope", "nope"), ("", ""), (" , ", ""), ("not_met,tracked", "tracked")],
)
def test_fail_on_refuses_what_cannot_fail_and_names_it(text: str, named: str) -> None:
    with pytest.raises(UnknownGateStatus) as raised:
        parse_fail_on(text)
    assert raised.value.value == named


def test_junit_has_a_testcase_per_indicator_and_a_failure_per_gate_failure() -> None:
    fail_on = parse_fail_on("not_met,above_range")
    xml = junit_xml(RESULTS, judge(RESULTS, fail_on), context(), "en")
    root = ElementTree.fromstring(xml)
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "2", "1")
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name", "").split(":")[0] for c in cases] == ["a", "b", "c", "d", "e"]
    failures = {c.get("name", "").split(":")[0]: c.find("failure") for c in cases}
    assert failures["a"] is None
    failed_b = failures["b"]
    assert failed_b is not None
    assert failed_b.get("type") == "not_met"
    assert "50.0 %" in failed_b.get("message", "") and "≥ 60 %" in failed_b.get("message", "")
    assert "shortfall 5" in failed_b.get("message", "")
    assert "numerator: 50" in (failed_b.text or "")
    skipped = suite.findall("testcase/skipped")
    assert len(skipped) == 1
    assert "SoLieu" in skipped[0].get("message", "")
    properties = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert properties["as_of"] == "2024-12-31"
    assert properties["fail_on"] == "above_range,not_met"


def test_junit_is_deterministic() -> None:
    verdict = judge(RESULTS, DEFAULT_FAIL_ON)
    assert junit_xml(RESULTS, verdict, context(), "vi") == junit_xml(
        RESULTS, verdict, context(), "vi"
    )


def test_the_verdict_is_decided_once_and_carried() -> None:
    verdict = judge(RESULTS, parse_fail_on("not_met"))
    assert [r.id for r in verdict.failed] == ["b"]
    assert [r.id for r in verdict.skipped] == ["d"]
    assert not verdict.passed
    with_no_data = judge(RESULTS, parse_fail_on("no_data"))
    assert ([r.id for r in with_no_data.failed], with_no_data.skipped) == (["d"], ())
    assert judge(RESULTS[:1], DEFAULT_FAIL_ON).passed


def test_gate_json_and_summary_show_the_verdict() -> None:
    verdict = judge(RESULTS, parse_fail_on("not_met,above_range"))
    gate = json.loads(gate_json(RESULTS, verdict, context(), "en"))["gate"]
    assert gate == {"fail_on": ["above_range", "not_met"], "failed": ["b", "c"], "passed": False}
    summary = gate_summary(verdict, "en")
    assert "b, c" in summary
    passed = judge(RESULTS[:1], DEFAULT_FAIL_ON)
    assert json.loads(gate_json(RESULTS[:1], passed, context(), "en"))["gate"]["passed"] is True
    assert gate_summary(passed, "en") != summary
