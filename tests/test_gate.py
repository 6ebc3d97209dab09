"""The CI gate and its JUnit XML."""

from __future__ import annotations

import json
from datetime import date
from xml.etree import ElementTree

import pytest

from kpi_tritue.compute.gate import (
    DEFAULT_FAIL_ON,
    UnknownGateStatus,
    distance,
    gate_failures,
    judge,
    parse_fail_on,
)
from kpi_tritue.compute.summary import tally
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.model.gate import GateCondition
from kpi_tritue.model.results import (
    Baseline,
    IndicatorResult,
    Measurement,
    Note,
    Status,
    Target,
)
from kpi_tritue.model.sources import AsOfSource, ReferenceDate, Source
from kpi_tritue.model.trend import (
    IndicatorTrend,
    Progress,
    ReportYear,
    Thresholds,
    TrendClass,
    TrendResult,
)
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
        dataset=dataset,
        catalog_id="ha-tinh-2030",
        catalog_target_year=2030,
        issues=[],
        tally=tally(RESULTS),
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
    assert gate == {
        "fail_on": ["above_range", "not_met"],
        "failed": ["b", "c"],
        "passed": False,
        "reasons": {"b": ["not_met"], "c": ["above_range"]},
        "not_judged": {},
    }
    summary = gate_summary(verdict, "en")
    assert "b, c" in summary
    passed = judge(RESULTS[:1], DEFAULT_FAIL_ON)
    assert json.loads(gate_json(RESULTS[:1], passed, context(), "en"))["gate"]["passed"] is True
    assert gate_summary(passed, "en") != summary


# ---------------------------------------------------------------------------------------
# off_track and regressed: conditions that mean something before the target year


def _trend(classes: dict[str, TrendClass | None], years: int = 3) -> TrendResult:
    """A trend of `years` report years in which each indicator has the class given."""
    reports = tuple(
        ReportYear(
            year=2022 + i,
            as_of=date(2022 + i, 12, 31),
            as_of_source=AsOfSource.SHEET,
            sources=(),
            figure_sources=(),
            has_workforce=True,
        )
        for i in range(years)
    )
    indicators = tuple(
        IndicatorTrend(
            id=r.id,
            name_vi=r.name_vi,
            name_en=r.name_en,
            clause=r.clause,
            field=r.field,
            unit=r.unit,
            target=r.target,
            factor=100.0,
            points=(),
            progress=Progress(
                trend_class=classes.get(r.id), ratio=0.42, projection=55.0, target_year=2030
            ),
        )
        for r in RESULTS
    )
    return TrendResult(
        catalog_id="ha-tinh-2030",
        thresholds=Thresholds(0.95, 0.10),
        years=reports,
        sources=(),
        indicators=indicators,
        small_denominator=30,
    )


OFF_TRACK = frozenset({GateCondition.OFF_TRACK})
REGRESSED = frozenset({GateCondition.REGRESSED})


def test_off_track_fails_exactly_the_indicators_whose_class_is_off_track() -> None:
    trend = _trend(
        {
            "a": TrendClass.ACHIEVED,
            "b": TrendClass.NEEDS_ACCELERATION,
            "c": TrendClass.STAGNATING_OR_REGRESSING,
            "d": TrendClass.ON_TRACK,
            "e": None,
        }
    )
    verdict = judge(RESULTS, OFF_TRACK, trend=trend)
    assert [r.id for r in verdict.failed] == ["b", "c"]
    failure = verdict.case("b").failures[0]
    assert failure.trend_class is TrendClass.NEEDS_ACCELERATION
    assert (failure.ratio, failure.projection, failure.target_year) == (0.42, 55.0, 2030)
    # `d` is no_data this year but on track: off_track does not fail it, it is skipped.
    assert [r.id for r in verdict.skipped] == ["d"]
    xml = junit_xml(RESULTS, verdict, context(), "en")
    cases = {
        c.get("name", "").split(":")[0]: c for c in ElementTree.fromstring(xml).iter("testcase")
    }
    message = cases["b"].find("failure").get("message")  # type: ignore[union-attr]
    assert message == (
        "off_track: Needs acceleration (progress ratio r = 0.42; projected for 2030: 55.0 %)"
    )
    assert cases["c"].find("failure").get("type") == "off_track"  # type: ignore[union-attr]
    assert cases["a"].find("failure") is None


def test_off_track_with_one_year_or_too_few_values_fails_nothing_and_says_why() -> None:
    one_year = judge(RESULTS, OFF_TRACK, trend=None)
    assert one_year.passed
    assert [(c.result.id, [n.reason for n in c.not_judged]) for c in one_year.cases] == [
        ("a", ["one_year"]),
        ("b", ["one_year"]),
        ("c", ["one_year"]),
        ("d", ["one_year"]),
        ("e", []),  # tracked: nothing to be on track to
    ]
    xml = junit_xml(RESULTS, one_year, context(), "vi")
    outputs = [c.findtext("system-out") or "" for c in ElementTree.fromstring(xml).iter("testcase")]
    assert "off_track: chưa đánh giá được xu hướng: chỉ có một năm báo cáo" in outputs[1]
    few = judge(RESULTS, OFF_TRACK, trend=_trend({"b": TrendClass.INSUFFICIENT_DATA}))
    assert few.case("b").failures == ()
    assert [n.reason for n in few.case("b").not_judged] == ["insufficient_data"]


def _baseline(values: dict[str, float | None]) -> Baseline:
    return Baseline(path="truoc.json", as_of=date(2023, 12, 31), values=values)


def test_regressed_fails_what_moved_away_from_the_target_by_more_than_the_tolerance() -> None:
    # ≥ 60: b fell from 55 to 50 (5 farther); a stayed above the target (70 → 70 from 90:
    # met both times, no farther); c (`≥ 60` as built, 35) rose from 30: nearer.
    baseline = _baseline({"a": 90.0, "b": 55.0, "c": 30.0, "d": 40.0, "e": 9.0})
    verdict = judge(RESULTS, REGRESSED, baseline=baseline)
    assert [r.id for r in verdict.failed] == ["b"]
    assert verdict.case("b").failures[0].farther == pytest.approx(5.0)
    assert [n.reason for n in verdict.case("d").not_judged] == ["no_previous_value"]
    assert verdict.case("e").not_judged == ()  # tracked: no direction
    assert judge(RESULTS, REGRESSED, baseline=baseline, tolerance=5.0).passed
    assert not judge(RESULTS, REGRESSED, baseline=baseline, tolerance=4.9).passed
    xml = junit_xml(RESULTS, verdict, context(), "vi")
    failure = next(ElementTree.fromstring(xml).iter("failure"))
    assert failure.get("message") == (
        "regressed: xa mục tiêu hơn lần trước: 55,0 % → 50,0 % (xa thêm 5,0 %)"
    )
    without = judge(RESULTS, REGRESSED, baseline=None)
    assert without.passed
    assert [n.reason for n in without.case("a").not_judged] == ["no_baseline"]


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [
        (Target(op=">=", year=2030, value=14.0), 11.0, 3.0),
        (Target(op=">=", year=2030, value=14.0), 15.0, 0.0),
        (Target(op="==", year=2030, value=100.0), 96.0, 4.0),
        (Target(op="between", year=2030, min=15.0, max=20.0), 12.0, 3.0),
        (Target(op="between", year=2030, min=15.0, max=20.0), 17.0, 0.0),
        (Target(op="between", year=2030, min=15.0, max=20.0), 26.0, 6.0),
    ],
)
def test_distance_to_a_target(target: Target, value: float, expected: float) -> None:
    assert distance(value, target) == pytest.approx(expected)


def test_conditions_combine_and_each_reason_is_said() -> None:
    trend = _trend({"b": TrendClass.STAGNATING_OR_REGRESSING})
    fail_on = parse_fail_on("not_met,off_track,regressed,no_data")
    verdict = judge(RESULTS, fail_on, trend=trend, baseline=_baseline({"b": 58.0}))
    assert [f.condition.value for f in verdict.case("b").failures] == [
        "not_met",
        "off_track",
        "regressed",
    ]
    assert [r.id for r in verdict.failed] == ["b", "d"]
    xml = junit_xml(RESULTS, verdict, context(), "en")
    failure = next(ElementTree.fromstring(xml).iter("failure"))
    assert failure.get("type") == "not_met,off_track,regressed"
    assert failure.get("message") == (
        "not_met: 50.0 % / ≥ 60 % — shortfall 5; off_track: Stagnating or regressing (progress "
        "ratio r = 0.42; projected for 2030: 55.0 %); regressed: farther from the target than "
        "last time: 58.0 % → 50.0 % (8.0 % farther)"
    )


def test_the_summary_says_how_many_could_not_be_judged_and_why() -> None:
    verdict = judge(RESULTS, OFF_TRACK, trend=None)
    assert gate_summary(verdict, "en") == (
        "Gate: PASSED (no indicator is off_track). off_track: 4 indicators not judged — the "
        "trend cannot be judged: there is one report year only; add the workbooks of "
        "earlier years with --history."
    )
    assert "not judged" not in gate_summary(judge(RESULTS, DEFAULT_FAIL_ON), "en")
