"""The use cases (`kpi_tritue.app`), called directly, not through the command line.

They take plain options and return model objects; what the user can fix is raised as a
`KpiError` with its exit code. They never print: every test here checks that stdout and
stderr stay empty.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import kpi_tritue.app as use
from kpi_tritue.catalog.model import CatalogError
from kpi_tritue.catalog.reading import load_catalog
from kpi_tritue.compute.baseline import BaselineError
from kpi_tritue.errors import (
    EXIT_INPUT,
    EXIT_USAGE,
    KpiError,
    OutputError,
    UnknownIndicator,
    UsageError,
)
from kpi_tritue.model.issues import Severity
from kpi_tritue.model.results import Status

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "ha_tinh_2024.xlsx"
MISTAKES = ROOT / "data" / "samples" / "loi_mau.xlsx"
GOLDEN = ROOT / "tests" / "golden" / "ha_tinh_2024.compute.json"
CATALOG = ROOT / "src" / "kpi_tritue" / "catalog" / "ha_tinh_2030.toml"


@pytest.fixture(autouse=True)
def _silent(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """A use case never prints: only the command line does."""
    yield
    printed = capsys.readouterr()
    assert printed.out == "" and printed.err == ""


@pytest.fixture(scope="module")
def report() -> use.Report:
    return use.compute([str(SAMPLE)])


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the sample cut in half: not a workbook any more."""
    data = SAMPLE.read_bytes()
    path = tmp_path / "hong.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _golden() -> dict[str, dict[str, object]]:
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return {indicator["id"]: indicator for indicator in document["indicators"]}


# --- validate ------------------------------------------------------------------------------


def test_validate_gives_the_dataset_with_its_issues() -> None:
    dataset = use.validate([str(SAMPLE)])
    assert not dataset.has_errors
    assert [Path(source.path).name for source in dataset.sources] == [SAMPLE.name]
    mistakes = use.validate([str(MISTAKES)])
    assert mistakes.has_errors
    assert sum(issue.severity is Severity.ERROR for issue in mistakes.issues) == 10


def test_validate_of_a_broken_copy_is_an_issue_not_an_exception(broken: Path) -> None:
    dataset = use.validate([str(broken)])
    assert dataset.has_errors
    assert all(issue.row is None for issue in dataset.issues if issue.severity is Severity.ERROR)


def test_validate_tells_the_progress_of_the_reading() -> None:
    told: list[tuple[int, int, str]] = []
    use.validate([str(SAMPLE)], progress=lambda step, total, name: told.append((step, total, name)))
    assert told, "the progress callback was never called"
    assert all(total >= step >= 0 for step, total, _ in told)


# --- compute -------------------------------------------------------------------------------


def test_compute_gives_the_figures_of_the_golden_file(report: use.Report) -> None:
    golden = _golden()
    assert [result.id for result in report.results] == list(golden)
    for result in report.results:
        expected = golden[result.id]
        assert result.measurement.value == expected["value"], result.id
        assert result.measurement.status.value == expected["status"], result.id
        assert result.measurement.shortfall == expected["shortfall"], result.id
        ci95 = None if result.measurement.ci95 is None else list(result.measurement.ci95)
        assert ci95 == expected["ci95"], result.id
    assert report.context.catalog_target_year == 2030
    assert report.context.catalog_id == "ha-tinh-2030"
    assert report.context.baseline is None and report.trend is None


def test_shares_of_people_carry_their_interval_and_small_mark(report: use.Report) -> None:
    catalog = load_catalog()
    shares = [r for r in report.results if catalog.indicator(r.id).is_share_of_people]
    assert len(shares) >= 10
    for result in report.results:
        measurement = result.measurement
        if result in shares and measurement.denominator:
            assert measurement.ci95 is not None, result.id
            low, high = measurement.ci95
            assert measurement.value is not None and low <= measurement.value <= high
            assert measurement.small == (measurement.denominator < 30)
        else:
            assert measurement.ci95 is None and not measurement.small, result.id


def test_compute_with_a_baseline_carries_each_change(tmp_path: Path) -> None:
    previous = json.loads(GOLDEN.read_text(encoding="utf-8"))
    for indicator in previous["indicators"]:
        if indicator["value"] is not None:
            indicator["value"] -= 1.0
    path = tmp_path / "truoc.json"
    path.write_text(json.dumps(previous), encoding="utf-8")
    compared = use.compute([str(SAMPLE)], baseline=path)
    assert compared.context.baseline is not None
    changed = [r for r in compared.results if r.measurement.value is not None]
    assert changed
    for result in changed:
        assert result.delta == pytest.approx(1.0), result.id


def test_compute_by_a_group_fills_the_breakdown() -> None:
    by_level = use.compute([str(SAMPLE)], by="level")
    assert by_level.context.by == "level"
    assert any(result.breakdown for result in by_level.results)


def test_rows_in_error_are_raised_with_the_errors_or_left_out() -> None:
    with pytest.raises(use.InvalidRows) as raised:
        use.compute([str(MISTAKES)])
    assert raised.value.exit_code == EXIT_INPUT
    assert len(raised.value.errors) == 10
    assert all(issue.severity is Severity.ERROR for issue in raised.value.errors)
    assert "10" in raised.value.message("en")
    assert "use --skip-invalid" in raised.value.message("en")  # every error is in a row
    skipped = use.compute([str(MISTAKES)], skip_invalid=True)
    assert skipped.context.skipped_rows > 0


def test_a_broken_copy_cannot_be_skipped_past(broken: Path) -> None:
    """A file that cannot be read is not a row that --skip-invalid could leave out."""
    with pytest.raises(use.InvalidRows) as raised:
        use.compute([str(broken)], skip_invalid=True)
    assert raised.value.errors
    assert all(issue.row is None for issue in raised.value.errors)
    # Nor is the option advised: it was given, and could not help.
    assert "dùng --skip-invalid" not in raised.value.message("vi")
    assert "use --skip-invalid" not in raised.value.message("en")
    assert "--skip-invalid" in raised.value.message("en")  # says why it did not help


def test_paths_and_dates_that_mean_nothing_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(use.UnusablePaths) as missing:
        use.compute([str(tmp_path / "khong_co.xlsx")])
    assert missing.value.exit_code == EXIT_USAGE
    assert "khong_co.xlsx" in missing.value.message("vi")
    with pytest.raises(UsageError) as date:
        use.compute([str(SAMPLE)], as_of="31/02/2024")
    assert date.value.exit_code == EXIT_USAGE
    assert "31/02/2024" in date.value.message("en") and "not a date" in date.value.message("en")
    assert "không phải là ngày" in date.value.message("vi")


def test_as_of_reads_both_ways_of_writing_a_date() -> None:
    assert use.parse_as_of("31/12/2024") == use.parse_as_of("2024-12-31")
    assert use.parse_as_of(None) is None


def test_a_bad_targets_or_baseline_file_is_an_input_error(tmp_path: Path) -> None:
    targets = tmp_path / "chi_tieu.toml"
    targets.write_text("[[indicators]\n", encoding="utf-8")
    with pytest.raises(CatalogError) as catalog:
        use.compute([str(SAMPLE)], targets=targets)
    assert catalog.value.exit_code == EXIT_INPUT
    baseline = tmp_path / "truoc.json"
    baseline.write_text("không phải JSON", encoding="utf-8")
    with pytest.raises(BaselineError) as previous:
        use.compute([str(SAMPLE)], baseline=baseline)
    assert previous.value.exit_code == EXIT_INPUT
    with pytest.raises(use.UnusablePaths):
        use.compute([str(SAMPLE)], targets=tmp_path)  # a folder is not a catalog


def test_a_targets_file_is_the_catalog_used(tmp_path: Path) -> None:
    targets = tmp_path / "chi_tieu.toml"
    shutil.copy(CATALOG, targets)
    assert use.load_catalog(targets) == use.load_catalog(None)


# --- export, check, explain, trend, template, indicators --------------------------------


def test_export_writes_the_workbook(tmp_path: Path) -> None:
    output = tmp_path / "bao_cao.xlsx"
    exported = use.export([str(SAMPLE)], output, "vi")
    assert output.stat().st_size > 0
    assert exported.trend is None
    assert [r.id for r in exported.results] == list(_golden())


def test_export_never_writes_over_an_input(tmp_path: Path) -> None:
    source = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, source)
    before = source.read_bytes()
    with pytest.raises(OutputError) as refused:
        use.export([str(source)], source, "en")
    assert refused.value.exit_code == EXIT_USAGE
    assert source.read_bytes() == before


def test_check_finds_what_fails_the_gate(report: use.Report, tmp_path: Path) -> None:
    junit = tmp_path / "kpi.xml"
    gate = use.check([str(SAMPLE)], fail_on="not_met,no_data", junit=junit)
    assert gate.verdict.fail_on == {Status.NOT_MET, Status.NO_DATA}
    expected = [r.id for r in report.results if r.measurement.status in gate.verdict.fail_on]
    assert expected, "the sample fails the gate on something"
    assert [r.id for r in gate.verdict.failed] == expected
    assert not gate.verdict.passed
    assert not junit.exists()  # checked by `check`, written by `write_junit`
    use.write_junit(junit, gate, "en")
    assert junit.read_text(encoding="utf-8").startswith("<?xml")


def test_check_refuses_a_status_that_cannot_fail() -> None:
    with pytest.raises(UsageError) as raised:
        use.check([str(SAMPLE)], fail_on="met")
    assert raised.value.exit_code == EXIT_USAGE
    assert "--fail-on" in raised.value.message("vi")


def test_explain_gives_the_rows_behind_one_indicator(report: use.Report) -> None:
    explanation = use.explain("doctors_per_10k", [str(SAMPLE)])
    assert explanation.result.measurement == report.results[0].measurement
    assert len(explanation.rows) > 0


def test_an_unknown_indicator_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(UnknownIndicator) as raised:
        use.explain("bac_si", [str(tmp_path / "khong_co.xlsx")])
    assert raised.value.exit_code == EXIT_USAGE
    assert "doctors_per_10k" in raised.value.message("vi")


def test_trend_of_one_report_year() -> None:
    found = use.trend([str(SAMPLE)])
    assert [indicator.id for indicator in found.result.indicators] == list(_golden())
    assert all(issue.severity is not Severity.ERROR for issue in found.issues)


def test_template_is_written_once_unless_forced(tmp_path: Path) -> None:
    output = tmp_path / "mau.xlsx"
    assert use.template(output, "vi") == output
    assert output.stat().st_size > 0
    with pytest.raises(OutputError):
        use.template(output, "vi")
    use.template(output, "en", force=True)


def test_indicators_lists_the_packaged_catalog_or_a_targets_file(tmp_path: Path) -> None:
    ids = [indicator.id for indicator in load_catalog().indicators]
    assert [entry.id for entry in use.indicators().entries] == ids
    targets = tmp_path / "chi_tieu.toml"
    shutil.copy(CATALOG, targets)
    assert [entry.id for entry in use.indicators(targets).entries] == ids


def test_every_failure_raised_here_is_a_kpi_error(tmp_path: Path) -> None:
    failures: list[Callable[[], object]] = [
        lambda: use.compute([str(tmp_path / "khong_co.xlsx")]),
        lambda: use.compute([str(MISTAKES)]),
        lambda: use.check([str(SAMPLE)], fail_on=""),
        lambda: use.explain("x", [str(SAMPLE)]),
        lambda: use.trend([str(MISTAKES)]),
    ]
    for failure in failures:
        with pytest.raises(KpiError):
            failure()


def test_importing_the_use_cases_loads_nothing_heavy() -> None:
    """`kpi --help` and `kpi indicators` are timed against `import typer`."""
    code = (
        "import sys, kpi_tritue.app\n"
        "heavy = {'pandas', 'rich', 'typer', 'openpyxl', 'pydantic', 'numpy', 'dataclasses'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
