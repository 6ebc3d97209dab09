"""The CI gate's verdict shown: JUnit XML for CI servers, JSON, the summary line.

Which indicators fail, and why, is decided once, in compute/gate.py, and comes here as a
`GateVerdict`. Each indicator is a test case: a failed one shows each condition it fails
(its value, target and shortfall; its trend class; how far it moved since the baseline), a
skipped one (`no_data` failing nothing) its note, the others pass; a condition that could
not be judged says why in the case's output.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.etree import ElementTree

from kpi_tritue.i18n import Lang, text
from kpi_tritue.i18n.numbers import format_number, printable
from kpi_tritue.model.gate import GateCase, GateCondition, GateFailure, GateVerdict
from kpi_tritue.model.issues import Issue
from kpi_tritue.model.results import IndicatorResult
from kpi_tritue.render.notes import note_message
from kpi_tritue.render.report import ReportContext, format_target, format_value, results_json
from kpi_tritue.render.terminal import dumps


def failure_text(result: IndicatorResult, lang: Lang, horizon: int | None = None) -> str:
    """`11,40 / ≥ 14 — cần thêm 343` : value, target and shortfall in one line."""
    measurement = result.measurement
    parts = [
        f"{format_value(result, measurement.value, lang)} / {format_target(result, lang, horizon)}"
    ]
    if measurement.shortfall:
        needed = format_number(measurement.shortfall, 0, lang)
        parts.append(f"{text('report.col.shortfall', lang).lower()} {needed}")
    if measurement.note is not None:
        parts.append(note_message(measurement.note, lang))
    return " — ".join(parts)


def junit_xml(
    results: Sequence[IndicatorResult],
    verdict: GateVerdict,
    context: ReportContext,
    lang: Lang,
) -> str:
    """JUnit XML, one test case per indicator; deterministic (no clock, no host name)."""
    failures, skipped, fail_on = verdict.failed, verdict.skipped, verdict.fail_on
    suites = ElementTree.Element(
        "testsuites",
        name="kpi",
        tests=str(len(results)),
        failures=str(len(failures)),
        errors="0",
        skipped=str(len(skipped)),
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=f"{context.catalog_id} @ {context.dataset.as_of.isoformat()}",
        tests=str(len(results)),
        failures=str(len(failures)),
        errors="0",
        skipped=str(len(skipped)),
        time="0",
    )
    properties = ElementTree.SubElement(suite, "properties")
    for name, value in (
        ("as_of", context.dataset.as_of.isoformat()),
        ("report_year", str(context.dataset.report_year)),
        ("catalog", context.catalog_id),
        ("fail_on", ",".join(sorted(status.value for status in fail_on))),
        *((f"source.{i}", s.path) for i, s in enumerate(context.dataset.sources)),
    ):
        ElementTree.SubElement(properties, "property", name=name, value=value)
    for gate_case in verdict.cases:
        result = gate_case.result
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"kpi.{result.field}",
            name=f"{result.id}: {result.name(lang)}",
            time="0",
        )
        status = result.measurement.status
        said = failure_text(result, lang, context.catalog_target_year)
        output = [f"{status.value}: {said}", *_not_judged(gate_case, lang)]
        if gate_case.failures:
            reasons = [_reason(failure, result, lang, context) for failure in gate_case.failures]
            failure = ElementTree.SubElement(
                case,
                "failure",
                type=",".join(f.condition.value for f in gate_case.failures),
                message="; ".join(reasons),
            )
            failure.text = _details(result, lang)
            output = output[1:]
        elif gate_case.skipped:
            ElementTree.SubElement(case, "skipped", message=f"{status.value}: {said}")
            output = output[1:]
        if output:
            ElementTree.SubElement(case, "system-out").text = "\n".join(output)
    ElementTree.indent(suites)
    # Control characters of a file name or a targets file are not even valid XML.
    body = printable(ElementTree.tostring(suites, encoding="unicode"), lines=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def input_errors_junit(errors: Sequence[Issue], message: str, lang: Lang) -> str:
    """JUnit XML when the input cannot be used (`kpi check` exits 3): one failing test case
    per error, named by its file, sheet and cell, so that CI lists each place to fix; an
    error that is not about the workbooks (a bad catalog or baseline) is one case, `message`.
    """
    cases: list[tuple[str, str, str, str]] = []  # classname, name, type, message
    for issue in errors:
        where = "!".join(part for part in (issue.file, issue.sheet, issue.cell) if part)
        cases.append(
            ("kpi.input", f"{where or '-'}: {issue.code}", issue.code, issue.message(lang))
        )
    if not cases:
        cases.append(("kpi.input", "input", "input_error", message))
    suites = ElementTree.Element(
        "testsuites", name="kpi", tests=str(len(cases)), failures=str(len(cases)), errors="0"
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="kpi.input",
        tests=str(len(cases)),
        failures=str(len(cases)),
        errors="0",
        skipped="0",
        time="0",
    )
    for classname, name, kind, said in cases:
        case = ElementTree.SubElement(suite, "testcase", classname=classname, name=name, time="0")
        failure = ElementTree.SubElement(case, "failure", type=kind, message=said)
        failure.text = said
    ElementTree.indent(suites)
    body = printable(ElementTree.tostring(suites, encoding="unicode"), lines=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def gate_summary(verdict: GateVerdict, lang: Lang) -> str:
    """One line for the terminal: passed, or how many failed and which; then, if a
    condition could not be judged for some indicators, how many and why (the first reason)."""
    conditions = ", ".join(sorted(condition.value for condition in verdict.fail_on))
    if verdict.passed:
        said = text("gate.passed", lang, fail_on=conditions)
    else:
        ids = ", ".join(result.id for result in verdict.failed)
        said = text("gate.failed", lang, count=len(verdict.failed), fail_on=conditions, ids=ids)
    unjudged = [item for case in verdict.cases for item in case.not_judged]
    for condition in sorted({item.condition for item in unjudged}, key=list(GateCondition).index):
        reasons = [item.reason for item in unjudged if item.condition is condition]
        said += " " + text(
            "gate.not_judged_count",
            lang,
            condition=condition.value,
            count=len(reasons),
            reason=text(f"gate.not_judged.{reasons[0]}", lang),
        )
    return said


def gate_json(
    results: Sequence[IndicatorResult],
    verdict: GateVerdict,
    context: ReportContext,
    lang: Lang,
) -> str:
    """compute's JSON plus `gate`: what fails it, which failed, whether it passed."""
    document = json.loads(results_json(results, context, lang))
    document["gate"] = {
        "fail_on": sorted(condition.value for condition in verdict.fail_on),
        "failed": [result.id for result in verdict.failed],
        "passed": verdict.passed,
        # Why each failed one fails, and what could not be judged, by indicator.
        "reasons": {
            case.result.id: [failure.condition.value for failure in case.failures]
            for case in verdict.cases
            if case.failures
        },
        "not_judged": {
            case.result.id: {item.condition.value: item.reason for item in case.not_judged}
            for case in verdict.cases
            if case.not_judged
        },
    }
    return dumps(document)


def _reason(
    failure: GateFailure, result: IndicatorResult, lang: Lang, context: ReportContext
) -> str:
    """`off_track: Cần đẩy nhanh (r = 0,42; dự báo 2030: 12,1)`: one condition failed."""
    condition = failure.condition
    if condition is GateCondition.OFF_TRACK:
        assert failure.trend_class is not None
        said = text(
            "gate.reason.off_track",
            lang,
            trend_class=text(f"trend.class.{failure.trend_class.value}", lang),
            ratio=format_number(failure.ratio, 2, lang),
            year=failure.target_year,
            projection=format_value(result, failure.projection, lang),
        )
    elif condition is GateCondition.REGRESSED:
        key = "gate.reason.undone" if result.unit == "milestone" else "gate.reason.regressed"
        said = text(
            key,
            lang,
            previous=format_value(result, failure.previous, lang),
            value=format_value(result, result.measurement.value, lang),
            farther=format_value(result, failure.farther, lang),
        )
    else:
        said = failure_text(result, lang, context.catalog_target_year)
    return f"{condition.value}: {said}"


def _not_judged(case: GateCase, lang: Lang) -> list[str]:
    return [
        f"{item.condition.value}: " + text(f"gate.not_judged.{item.reason}", lang)
        for item in case.not_judged
    ]


def _details(result: IndicatorResult, lang: Lang) -> str:
    measurement = result.measurement
    lines = [
        f"id: {result.id}",
        f"clause: {result.clause}",
        f"value: {measurement.value!r}",
        f"target: {format_target(result, lang)}",
        f"gap: {measurement.gap!r}",
        f"shortfall: {measurement.shortfall!r}",
        f"numerator: {measurement.numerator!r}",
        f"denominator: {measurement.denominator!r}",
    ]
    if measurement.note is not None:
        lines.append(f"note: {note_message(measurement.note, lang)}")
    return "\n".join(lines)
