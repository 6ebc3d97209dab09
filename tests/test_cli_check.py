"""`kpi check` (the CI gate), `--baseline` and `kpi indicators` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from builders import csv_rows
from kpi_tritue.cli import app

SAMPLE = Path(__file__).parent.parent / "data" / "samples" / "ha_tinh_2024.xlsx"
BROKEN = SAMPLE.with_name("loi_mau.xlsx")
runner = CliRunner()


@pytest.fixture(scope="module")
def sample_json() -> dict[str, object]:
    result = runner.invoke(app, ["compute", str(SAMPLE), "--format", "json"])
    assert result.exit_code == 0
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_gate_fails_with_exit_1_and_junit_lists_exactly_the_not_met(
    tmp_path: Path, sample_json: dict[str, object]
) -> None:
    junit = tmp_path / "kpi.xml"
    result = runner.invoke(app, ["check", str(SAMPLE), "--junit", str(junit)])
    assert result.exit_code == 1
    not_met = {
        i["id"]
        for i in sample_json["indicators"]  # type: ignore[attr-defined]
        if i["status"] == "not_met"
    }
    root = ElementTree.fromstring(junit.read_text(encoding="utf-8"))
    failed = {
        case.get("name", "").split(":")[0]
        for case in root.iter("testcase")
        if case.find("failure") is not None
    }
    assert failed == not_met
    assert root.get("tests") == "23"
    assert "KHÔNG ĐẠT" in result.stderr


def test_gate_on_above_range_and_no_data(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["check", str(SAMPLE), "--fail-on", "above_range", "--format", "json"]
    )
    assert result.exit_code == 1
    gate = json.loads(result.stdout)["gate"]
    assert gate == {
        "fail_on": ["above_range"],
        "failed": ["provincial_leaders_international"],
        "passed": False,
        "reasons": {"provincial_leaders_international": ["above_range"]},
        "not_judged": {},
    }


def test_gate_passes_with_exit_0_when_nothing_is_in_fail_on() -> None:
    result = runner.invoke(app, ["check", str(SAMPLE), "--fail-on", "no_data"])
    assert result.exit_code == 0
    assert "ĐẠT" in result.stderr


def test_input_errors_always_fail_with_exit_3() -> None:
    result = runner.invoke(app, ["check", str(BROKEN)])
    assert result.exit_code == 3


def test_bad_fail_on_is_a_usage_error_that_says_what_to_use() -> None:
    result = runner.invoke(app, ["check", str(SAMPLE), "--fail-on", "met"])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "--fail-on: `met`" in said
    assert "not_met, above_range, no_data" in said
    english = runner.invoke(app, ["check", str(SAMPLE), "--fail-on", ",", "--lang", "en"])
    assert english.exit_code == 2
    assert "--fail-on names no status. Use one or more of" in " ".join(english.stderr.split())


def test_junit_never_overwrites_an_input(tmp_path: Path) -> None:
    copy = tmp_path / "data.xml"
    copy.write_bytes(b"<x/>")
    result = runner.invoke(app, ["check", str(SAMPLE), "--junit", str(SAMPLE)])
    assert result.exit_code == 2
    assert SAMPLE.read_bytes()[:2] == b"PK"


def test_baseline_adds_deltas(tmp_path: Path, sample_json: dict[str, object]) -> None:
    previous = json.loads(json.dumps(sample_json))
    for indicator in previous["indicators"]:
        if indicator["id"] == "doctors_per_10k":
            indicator["value"] = 11.0
    baseline = tmp_path / "2023.json"
    baseline.write_text(json.dumps(previous), encoding="utf-8")
    result = runner.invoke(
        app, ["compute", str(SAMPLE), "--baseline", str(baseline), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    deltas = {i["id"]: i["delta"] for i in document["indicators"]}
    assert deltas["doctors_per_10k"] == pytest.approx(11.401515151515152 - 11.0)
    assert deltas["job_position_fit"] == 0
    assert deltas["university_merger"] == 0
    assert document["baseline"]["path"] == baseline.as_posix()
    table = runner.invoke(app, ["compute", str(SAMPLE), "--baseline", str(baseline)])
    assert "↑ 0,40" in table.stdout
    assert "Thay đổi" in table.stdout


def test_a_baseline_that_is_not_a_result_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "x.json"
    bad.write_text('{"foo": 1}', encoding="utf-8")
    result = runner.invoke(app, ["compute", str(SAMPLE), "--baseline", str(bad)])
    assert result.exit_code == 3
    assert "indicators" in result.stderr


def test_indicators_lists_the_catalog() -> None:
    result = runner.invoke(app, ["indicators", "--format", "json", "--lang", "en"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert len(document["indicators"]) == 23
    first = document["indicators"][0]
    assert first["id"] == "doctors_per_10k"
    assert first["target"] == {"op": ">=", "value": 14.0, "year": 2030}
    table = runner.invoke(app, ["indicators"])
    assert "provincial_leaders_under_40" in table.stdout
    assert "15–20 %" in table.stdout


def test_explain_lists_the_counted_rows_as_csv() -> None:
    result = runner.invoke(app, ["explain", "doctors_per_10k", str(SAMPLE), "--format", "csv"])
    assert result.exit_code == 0, result.output
    people = [r for r in csv_rows(result.stdout) if r["kind"] == "row"]
    assert len(people) == 1305
    assert all(r["sheet"] == "NhanSu" and r["id"].startswith("HT") for r in people)


def test_explain_table_and_unknown_indicator() -> None:
    table = runner.invoke(app, ["explain", "provincial_leaders_under_40", str(SAMPLE)])
    assert table.exit_code == 0
    assert "50" in table.stdout and "302" in table.stdout
    unknown = runner.invoke(app, ["explain", "nope", str(SAMPLE)])
    assert unknown.exit_code == 2
    assert "doctors_per_10k" in unknown.stderr


def test_trend_through_the_cli_does_not_depend_on_file_order(tmp_path: Path) -> None:
    from builders import WORKFORCE_HEADER, person, write_workbook

    def year(y: int, doctors: int) -> Path:
        rows = [WORKFORCE_HEADER, *(person(f"{y}-{i}") for i in range(doctors))]
        return write_workbook(
            tmp_path / f"bao_cao_{y}.xlsx",
            {
                "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", y]],
                "NhanSu": rows,
                "SoLieu": [["Chỉ tiêu", "Giá trị"], ["Dân số", 10000]],
            },
        )

    files = [str(year(2022, 10)), str(year(2023, 11)), str(year(2024, 12))]
    forward = runner.invoke(app, ["trend", *files, "--format", "json"])
    backward = runner.invoke(app, ["trend", *reversed(files), "--format", "json"])
    assert forward.exit_code == 0, forward.output
    assert forward.stdout == backward.stdout
    doctors = next(
        i for i in json.loads(forward.stdout)["indicators"] if i["id"] == "doctors_per_10k"
    )
    assert doctors["years"] == {"2022": 10.0, "2023": 11.0, "2024": 12.0}
    # Least squares through (2022, 10), (2023, 11), (2024, 12) reaches 18 in 2030:
    # r = (18 − 10) ÷ (14 − 10) = 2 ≥ 0.95.
    assert doctors["projection"] == pytest.approx(18.0)
    assert doctors["ratio"] == pytest.approx(2.0)
    assert doctors["class"] == "on_track"
    table = runner.invoke(app, ["trend", *files])
    assert table.exit_code == 0
    assert "2022" in table.stdout


def test_shares_of_people_carry_a_wilson_interval(sample_json: dict[str, object]) -> None:
    from kpi_tritue.compute.stats import wilson_interval

    indicators = {i["id"]: i for i in sample_json["indicators"]}  # type: ignore[attr-defined]
    leaders = indicators["provincial_leaders_under_40"]
    assert leaders["ci95"] == pytest.approx(list(wilson_interval(50, 302)))
    assert leaders["ci95"][0] < leaders["value"] < leaders["ci95"][1]
    assert indicators["doctors_per_10k"]["ci95"] is None  # not a share of people
    assert indicators["certified_labour_share"]["ci95"] is None  # a share of figures


def test_small_denominators_are_marked_in_the_table() -> None:
    result = runner.invoke(app, ["compute", str(SAMPLE), "--by", "unit"])
    assert result.exit_code == 0
    assert "%*" in result.stdout
    assert "Mẫu số dưới 30 người" in result.stdout
    plain = runner.invoke(app, ["compute", str(SAMPLE)])
    assert "%*" not in plain.stdout


def test_the_trend_table_keeps_its_class_column_at_eighty_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builders import WORKFORCE_HEADER, person, write_workbook

    files = []
    for y, doctors in ((2022, 10), (2023, 11), (2024, 12)):
        rows = [WORKFORCE_HEADER, *(person(f"{y}-{i}") for i in range(doctors))]
        files.append(
            str(
                write_workbook(
                    tmp_path / f"bao_cao_{y}.xlsx",
                    {
                        "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", y]],
                        "NhanSu": rows,
                        "SoLieu": [["Chỉ tiêu", "Giá trị"], ["Dân số", 10000]],
                    },
                )
            )
        )
    monkeypatch.setenv("COLUMNS", "80")
    narrow = runner.invoke(app, ["trend", *files])
    assert narrow.exit_code == 0, narrow.output
    table = [line for line in narrow.stdout.splitlines() if line.startswith(("┃", "│"))]
    assert table and all(line.endswith(("┃", "│")) for line in table)  # nothing cut off
    assert "Đánh giá" in narrow.stdout and "Đúng tiến độ" in narrow.stdout
    monkeypatch.setenv("COLUMNS", "200")
    wide = runner.invoke(app, ["trend", *files])
    assert all(str(y) in wide.stdout.splitlines()[2] for y in (2022, 2023, 2024))


# ---------------------------------------------------------------------------------------
# A gate that means something before 2030: off_track over the report years, regressed


@pytest.fixture(scope="module")
def yearly(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """2023–2025: commune staff trained 2, 4, 6 of 10 (on track to 100 % by 2030);
    certified labour 30 %, 32 %, 34 % (needs acceleration to reach 50 %)."""
    from test_trend import commune_staff, figures, write_year

    folder = tmp_path_factory.mktemp("years")
    return [
        write_year(
            folder,
            year,
            commune_staff(trained),
            figures_rows=figures({"labour_force": 1000, "certified_labour": certified}),
        )
        for year, trained, certified in [(2023, 2, 300), (2024, 4, 320), (2025, 6, 340)]
    ]


def _gate(arguments: list[str]) -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["check", *arguments, "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["gate"]


def test_off_track_fails_exactly_the_indicators_heading_short_of_the_target(
    yearly: list[Path],
) -> None:
    latest, *earlier = reversed(yearly)
    history = [argument for path in earlier for argument in ("--history", str(path))]
    code, gate = _gate([str(latest), *history, "--fail-on", "off_track"])
    assert code == 1
    trend = runner.invoke(app, ["trend", *map(str, yearly), "--format", "json"])
    classes = {i["id"]: i["class"] for i in json.loads(trend.stdout)["indicators"]}
    off_track = [
        id_ for id_, c in classes.items() if c in ("needs_acceleration", "stagnating_or_regressing")
    ]
    assert "certified_labour_share" in off_track
    assert classes["commune_staff_trained"] == "on_track"
    assert gate["failed"] == off_track
    # Known from the fixture: certified labour rises 2 points a year toward 50 % (needs
    # acceleration); nobody's qualification fits or is standardised, every year (flat at 0).
    assert off_track == [
        "certified_labour_share",
        "job_position_fit",
        "commune_staff_standardized",
    ]
    assert gate["reasons"] == {key: ["off_track"] for key in off_track}
    # The same years given as inputs: the latest is gated, the rest are its history.
    same = _gate([str(path) for path in yearly] + ["--fail-on", "off_track"])
    assert same == (code, gate)


def test_off_track_with_one_year_passes_and_each_case_says_why(
    yearly: list[Path], tmp_path: Path
) -> None:
    junit = tmp_path / "kpi.xml"
    code, gate = _gate([str(yearly[-1]), "--fail-on", "off_track", "--junit", str(junit)])
    assert code == 0
    not_judged = gate["not_judged"]
    assert isinstance(not_judged, dict)
    assert not_judged["certified_labour_share"] == {"off_track": "one_year"}
    cases = {c.get("name", "").split(":")[0]: c for c in ElementTree.parse(junit).iter("testcase")}
    said = cases["certified_labour_share"].findtext("system-out") or ""
    assert "off_track: chưa đánh giá được xu hướng: chỉ có một năm báo cáo" in said


def test_regressed_compares_with_the_baseline_beyond_the_tolerance(
    yearly: list[Path], tmp_path: Path
) -> None:
    previous = runner.invoke(app, ["compute", str(yearly[-1]), "--format", "json"])
    document = json.loads(previous.stdout)
    for indicator in document["indicators"]:
        if indicator["id"] == "commune_staff_trained":
            indicator["value"] = 70.0  # last year it was nearer the target than 60 % now
    baseline = tmp_path / "truoc.json"
    baseline.write_text(json.dumps(document), encoding="utf-8")
    arguments = [str(yearly[-1]), "--fail-on", "regressed", "--baseline", str(baseline)]
    code, gate = _gate(arguments)
    assert (code, gate["failed"]) == (1, ["commune_staff_trained"])
    assert _gate([*arguments, "--tolerance", "10"])[0] == 0
    assert _gate([*arguments, "--tolerance", "9.5"])[0] == 1
    wrong = runner.invoke(app, ["check", *arguments, "--tolerance", "-1"])
    assert wrong.exit_code == 2
    assert "--tolerance" in wrong.stderr


def test_input_errors_still_write_the_junit_file_one_failing_case_per_error_cell(
    tmp_path: Path,
) -> None:
    junit = tmp_path / "kpi.xml"
    result = runner.invoke(app, ["check", str(BROKEN), "--junit", str(junit)])
    assert result.exit_code == 3
    validated = runner.invoke(app, ["validate", str(BROKEN), "--format", "json"])
    errors = [i for i in json.loads(validated.stdout)["issues"] if i["severity"] == "error"]
    assert len(errors) >= 5
    suite = ElementTree.parse(junit).getroot()
    cases = list(suite.iter("testcase"))
    assert suite.get("failures") == str(len(errors))
    expected = [f"{e['file']}!{e['sheet']}!{e['cell']}: {e['code']}" for e in errors]
    assert sorted(c.get("name") for c in cases) == sorted(expected)
    assert all(c.find("failure") is not None for c in cases)
    assert "Nguyễn" not in junit.read_text(encoding="utf-8")


def test_an_unusable_baseline_is_one_failing_case_of_the_junit_file(tmp_path: Path) -> None:
    baseline = tmp_path / "truoc.json"
    baseline.write_text("{", encoding="utf-8")
    junit = tmp_path / "kpi.xml"
    arguments = ["check", str(SAMPLE), "--baseline", str(baseline), "--junit", str(junit)]
    result = runner.invoke(app, [*arguments, "--lang", "en"])
    assert result.exit_code == 3
    (case,) = ElementTree.parse(junit).getroot().iter("testcase")
    assert "is not JSON: it breaks at line 1, column 2" in (case.find("failure").text or "")  # type: ignore[union-attr]
