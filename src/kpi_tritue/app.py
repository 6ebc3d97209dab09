"""The use cases of `kpi`: validate, compute, export, check, explain, trend, template and
indicators, as functions that take plain options and return model objects.

They read, check and compute; they never print, never exit and never import rich or typer
themselves. What goes wrong that the user can fix is raised as a `KpiError` (with its exit
code and message key); `cli.py` renders what they return, prints it, and turns every error
into its message and exit code in one place.

Rules of the flow (docs/architecture.md; `tests/test_layers.py` enforces the first):

1. Imports point down only: cli → app → render / compute → io → catalog / contract →
   model → i18n / errors. No module imports upward, and there is no cycle.
2. Only `io/` opens inputs, only `render/` writes files, only `cli.py` prints or exits.
3. Every number that is shown is computed in `compute/` and carried on a `model/` type;
   renderers only format.
4. Every user-visible sentence lives in `i18n/`, in both languages, with the test that
   every key has both.
5. Each workbook is opened once per command, whatever the command.
6. A speed trick lives in one place, next to the plain version it replaces, with a
   property test that the two agree on generated input.

Heavy modules (pandas, the readers, pydantic, rich) are imported inside the functions:
`kpi --help` and `kpi indicators` start about as fast as Typer itself, and importing this
module loads nothing but the standard library and `errors`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

# The inputs (paths, dates, the catalog, `--columns`, the workbooks) live in `app_inputs`;
# their names are this module's too.
from kpi_tritue.app_inputs import InvalidRows as InvalidRows
from kpi_tritue.app_inputs import Progress as Progress
from kpi_tritue.app_inputs import UnusablePaths as UnusablePaths
from kpi_tritue.app_inputs import _errors
from kpi_tritue.app_inputs import check_paths as check_paths
from kpi_tritue.app_inputs import load as load
from kpi_tritue.app_inputs import load_catalog as load_catalog
from kpi_tritue.app_inputs import load_contract as load_contract
from kpi_tritue.app_inputs import parse_as_of as parse_as_of
from kpi_tritue.app_inputs import usable as usable
from kpi_tritue.errors import InputError, UnknownIndicator, UsageError

if TYPE_CHECKING:
    from kpi_tritue.catalog.listing import Listing
    from kpi_tritue.catalog.model import Catalog, Indicator
    from kpi_tritue.compute.engine import GroupBy
    from kpi_tritue.contract.schema import Contract
    from kpi_tritue.i18n import Lang
    from kpi_tritue.io.dataset import Dataset
    from kpi_tritue.io.inputs import OpenedInputs
    from kpi_tritue.model.explanation import Explanation
    from kpi_tritue.model.gate import GateVerdict
    from kpi_tritue.model.issues import Issue
    from kpi_tritue.model.results import IndicatorResult
    from kpi_tritue.model.trend import TrendResult
    from kpi_tritue.render.report import ReportContext


class Report(NamedTuple):
    """The results of `compute` and `export`, and what the report states besides them."""

    results: list[IndicatorResult]
    context: ReportContext
    # Several report years (`kpi export` of workbooks of different years): the trend of
    # all years, for the trend sheet; the results and context are of the latest.
    trend: TrendResult | None = None


class Gate(NamedTuple):
    """What `kpi check` found: the report, and the gate's verdict on it."""

    report: Report
    verdict: GateVerdict


class Trend(NamedTuple):
    """What `kpi trend` found, and the issues of every year's workbooks."""

    result: TrendResult
    issues: list[Issue]


# ---------------------------------------------------------------------------------------
# The use cases


def validate(
    files: Sequence[str],
    *,
    as_of: str | None = None,
    progress: Progress | None = None,
    columns: Path | None = None,
    targets: Path | None = None,
) -> Dataset:
    """Only read and validate: the dataset, with every issue found (`kpi validate`),
    those `compute` would find in the data among them (`with_data_issues`). The
    catalog (`--targets`) gives the `[[roles]]` that derive leadership flags, as compute's."""
    contract = load_contract(columns)
    catalog = load_catalog(targets)
    dataset = load(files, as_of, progress, contract=contract, catalog=catalog)
    return with_data_issues(dataset, catalog)


def with_data_issues(dataset: Dataset, catalog: Catalog | None = None) -> Dataset:
    """The dataset with the issues `compute` finds in its data (a province figure against
    the sum of its areas, an unknown milestone...), found as `compute --skip-invalid`
    would: on the rows without errors. Not when an error keeps `compute` from running
    at all (a sheet or a file that cannot be read): that one is the root cause."""
    from dataclasses import replace

    from kpi_tritue.compute.engine import data_issues
    from kpi_tritue.contract.privacy import redact_issues
    from kpi_tritue.model.issues import sorted_issues

    errors = _errors(dataset.issues)
    if any(issue.row is None for issue in errors):
        return dataset
    usable_rows = dataset.without_invalid_rows()[0] if errors else dataset
    plan = load_catalog(None) if catalog is None else catalog
    found = redact_issues(data_issues(usable_rows, plan), dataset.names)
    if not found:
        return dataset
    return replace(dataset, issues=sorted_issues([*dataset.issues, *found]))


class AnnotatedCopies(NamedTuple):
    """What `kpi validate --annotate` wrote: (input shown, copy written) in the inputs'
    order; the inputs with issues left without a copy because they changed after they
    were read; the inputs with an error that could not be opened at all (no copy to
    mark: the unit must send the file again); and the inputs read but that openpyxl cannot
    load to copy, with what it said (names hidden)."""

    written: list[tuple[str, Path]]
    changed: list[str]
    unopened: list[str]
    uncopied: list[tuple[str, str]]


def validate_annotated(
    files: Sequence[str],
    folder: Path,
    lang: Lang,
    *,
    as_of: str | None = None,
    progress: Progress | None = None,
    columns: Path | None = None,
    targets: Path | None = None,
) -> tuple[Dataset, AnnotatedCopies]:
    """`validate`, then the annotated copy of every input with an error or a warning, in
    `folder` (created if missing, checked before anything is read)."""
    from kpi_tritue.io.copies import ChangedInput, copy_source
    from kpi_tritue.io.inputs import open_inputs
    from kpi_tritue.model.marks import plan_marks
    from kpi_tritue.render.annotate import CopyRefused, copy_names, prepare_folder, write_copy

    check_paths(files)
    parse_as_of(as_of)
    contract = load_contract(columns)
    catalog = load_catalog(targets)
    prepare_folder(folder, lang)

    def opening(step: int, found: int, name: str) -> None:
        if progress:
            progress(step, 2 * found, name)

    opened = open_inputs(files, contract=contract, progress=opening)
    # The same issues as `validate` without `--annotate`: compute's data checks too.
    dataset = with_data_issues(load(files, as_of, progress, opened, catalog=catalog), catalog)
    inputs = [(workbook.display, workbook.path) for workbook in opened.workbooks]
    names = copy_names(inputs, folder)
    written: list[tuple[str, Path]] = []
    changed: list[str] = []
    uncopied: list[tuple[str, str]] = []
    for workbook in opened.workbooks:
        plan = plan_marks(workbook.display, dataset.issues, workbook.workbook.sheet_names)
        if not plan.needs_copy:
            continue
        try:
            source = copy_source(workbook)
        except ChangedInput:
            changed.append(workbook.display)
            continue
        target = names[workbook.display]
        try:
            write_copy(source, plan, target, [path for _, path in inputs], lang)
        except CopyRefused as refused:
            # What openpyxl said may quote a cell: shown only without a person's name.
            uncopied.append((workbook.display, dataset.names.shown(refused.detail)))
            continue
        written.append((workbook.display, target))
    return dataset, AnnotatedCopies(written, changed, _unopened(opened), uncopied)


def _unopened(opened: OpenedInputs) -> list[str]:
    """The inputs with an error or a warning of their own that were not opened: files that
    cannot be read, are not workbooks, or are not there (not a folder given)."""
    from kpi_tritue.io.inputs import NO_WORKBOOKS_IN_FOLDER
    from kpi_tritue.model.issues import Severity

    return sorted(
        {
            issue.file
            for issue in opened.issues
            if issue.file is not None
            and issue.code != NO_WORKBOOKS_IN_FOLDER
            and issue.severity is not Severity.INFO
        }
    )


def compute(
    files: Sequence[str],
    *,
    targets: Path | None = None,
    by: GroupBy | None = None,
    skip_invalid: bool = False,
    as_of: str | None = None,
    baseline: Path | None = None,
    progress: Progress | None = None,
    opened: OpenedInputs | None = None,
    columns: Path | None = None,
) -> Report:
    """Load, check and compute every indicator: the results and what the report states.

    `opened`: the workbooks of `files` already opened (by `export`), not opened again."""
    from kpi_tritue.compute.baseline import load_baseline, with_deltas
    from kpi_tritue.compute.engine import compute as compute_indicators
    from kpi_tritue.compute.summary import tally
    from kpi_tritue.model.issues import sorted_issues
    from kpi_tritue.render.report import ReportContext

    catalog = load_catalog(targets)
    if baseline is not None:
        check_paths([str(baseline)], folders=False)
    previous = load_baseline(baseline) if baseline is not None else None  # BaselineError: 3
    contract = load_contract(columns) if opened is None else opened.contract
    dataset = load(files, as_of, progress, opened, contract, catalog)
    dataset, skipped = usable(dataset, skip_invalid)
    computation = compute_indicators(dataset, catalog, by)
    results = computation.results
    if previous is not None:
        results = with_deltas(results, previous)
    context = ReportContext(
        dataset=dataset,
        catalog_id=catalog.id,
        catalog_target_year=target_year(results),
        issues=sorted_issues([*dataset.issues, *computation.issues]),
        tally=tally(results),
        skipped_rows=skipped,
        by=by,
        baseline=previous,
    )
    return Report(results, context)


def export(
    files: Sequence[str],
    output: Path,
    lang: Lang,
    *,
    targets: Path | None = None,
    by: GroupBy | None = None,
    skip_invalid: bool = False,
    as_of: str | None = None,
    progress: Progress | None = None,
    columns: Path | None = None,
) -> Report:
    """Compute, then write the gap report workbook to `output` (`kpi export`).

    Workbooks of several report years (and no `--as-of`): the summary is of the latest
    year, and a trend sheet shows them all.
    """
    # Each workbook is opened once: its `ThongTin` says which path to take.
    contract = load_contract(columns)
    opened = open_once(files, contract) if as_of is None else None
    if opened is not None and len(opened.stated_years) > 1:
        report = computed_over_years(opened, targets, by, skip_invalid)
    else:
        report = compute(
            files,
            targets=targets,
            by=by,
            skip_invalid=skip_invalid,
            as_of=as_of,
            progress=progress,
            opened=opened,
            columns=columns,
        )
    check_workbook_output(output, report, files, targets, lang)
    write_workbook(output, report, files, targets, lang)
    return report


def check(
    files: Sequence[str],
    *,
    fail_on: str,
    junit: Path | None = None,
    targets: Path | None = None,
    baseline: Path | None = None,
    history: Sequence[str] = (),
    tolerance: float = 0.0,
    as_of: str | None = None,
    lang: Lang = "vi",
    progress: Progress | None = None,
    columns: Path | None = None,
) -> Gate:
    """The CI gate (`kpi check`): every indicator computed, and those that fail the gate.

    Workbooks of several report years (`files` and `history` together): the latest year is
    gated, and all of them make the trend that `off_track` judges. A `junit` path is
    checked here, before anything is printed; `write_junit` writes it.
    """
    from kpi_tritue.compute.gate import (
        GATE_CONDITIONS,
        NEVER_FAILS,
        UnknownGateStatus,
        judge,
        parse_fail_on,
    )
    from kpi_tritue.contract.privacy import quote

    try:
        conditions = parse_fail_on(fail_on)
    except UnknownGateStatus as error:
        allowed = ", ".join(condition.value for condition in GATE_CONDITIONS)
        if error.value in NEVER_FAILS:
            raise UsageError("gate.never_fails", value=error.value, allowed=allowed) from None
        if not error.value:
            raise UsageError("gate.empty_fail_on", allowed=allowed) from None
        raise UsageError("gate.bad_fail_on", value=quote(error.value), allowed=allowed) from None
    if not tolerance >= 0:  # NaN too
        raise UsageError("gate.bad_tolerance", value=tolerance)
    everything = [*files, *history]
    try:
        report = _gated_report(files, history, targets, baseline, as_of, progress, columns)
    except InputError as failure:
        # CI shows the JUnit file: it lists what is wrong with the input, one case a place.
        if junit is not None:
            write_input_errors_junit(junit, failure, everything, targets, lang)
        raise
    if junit is not None:
        check_text_output(junit, report, files, targets, lang, (".xml",))
    verdict = judge(
        report.results,
        conditions,
        trend=report.trend,
        baseline=report.context.baseline,
        tolerance=tolerance,
    )
    return Gate(report, verdict)


def _gated_report(
    files: Sequence[str],
    history: Sequence[str],
    targets: Path | None,
    baseline: Path | None,
    as_of: str | None,
    progress: Progress | None,
    columns: Path | None = None,
) -> Report:
    """This year's report, with the trend of every report year among `files` and `history`."""
    from dataclasses import replace

    from kpi_tritue.compute.baseline import load_baseline, with_deltas

    everything = [*files, *history]
    contract = load_contract(columns)
    opened = open_once(everything, contract) if as_of is None else None
    if opened is not None and len(opened.stated_years) > 1:
        report = computed_over_years(opened, targets, None, skip_invalid=False)
        if baseline is not None:
            check_paths([str(baseline)], folders=False)
            previous = load_baseline(baseline)
            context = replace(report.context, baseline=previous)
            report = Report(with_deltas(report.results, previous), context, report.trend)
    else:
        # One report year: the history adds nothing to it (and is not consolidated into it).
        if opened is not None and history:
            opened = _without(opened, history)
        report = compute(
            files,
            targets=targets,
            baseline=baseline,
            as_of=as_of,
            progress=progress,
            opened=opened,
            columns=columns,
        )
    return report


def _without(opened: OpenedInputs, given: Sequence[str]) -> OpenedInputs:
    """The workbooks of `opened` but those found in `given` (paths or folders)."""
    from dataclasses import replace

    from kpi_tritue.io.inputs import expand_inputs

    left_out = {display for _, display in expand_inputs(given)[0]}
    kept = tuple(w for w in opened.workbooks if w.display not in left_out)
    return replace(opened, workbooks=kept, found=opened.found - (len(opened.workbooks) - len(kept)))


def explain(
    indicator: str,
    files: Sequence[str],
    *,
    targets: Path | None = None,
    skip_invalid: bool = False,
    as_of: str | None = None,
    progress: Progress | None = None,
    columns: Path | None = None,
) -> Explanation:
    """The rows and figures behind one indicator (`kpi explain`); an id the catalog does
    not have is refused before anything is read."""
    from kpi_tritue.compute.engine import explain as explain_indicator
    from kpi_tritue.contract.privacy import quote

    catalog = load_catalog(targets)
    ids = [entry.id for entry in catalog.indicators]
    if indicator not in ids:
        raise UnknownIndicator(quote(indicator), ids)
    dataset = load(files, as_of, progress, contract=load_contract(columns), catalog=catalog)
    dataset, _ = usable(dataset, skip_invalid)
    return explain_indicator(dataset, catalog, indicator)


def trend(
    files: Sequence[str],
    *,
    targets: Path | None = None,
    by: GroupBy | None = None,
    skip_invalid: bool = False,
    as_of: str | None = None,
    columns: Path | None = None,
) -> Trend:
    """Several report years (`kpi trend`): trend, projection to the target year, class."""
    from kpi_tritue.compute.trend import compute_trend
    from kpi_tritue.io.series import load_series

    catalog = load_catalog(targets)
    check_paths(files)
    as_of_date = parse_as_of(as_of)
    contract = load_contract(columns)
    yearly = load_series(files, catalog=catalog, as_of_override=as_of_date, contract=contract)
    yearly, _ = usable(yearly, skip_invalid)
    result = compute_trend(yearly, catalog, by=by)
    return Trend(result, list(yearly.issues))


def template(output: Path, lang: Lang, *, force: bool = False) -> Path:
    """Write the blank input workbook (`kpi template`); the path written."""
    from kpi_tritue.render.template import write_template

    write_template(output, lang, force=force)
    return output


def indicators(targets: Path | None = None) -> Listing:
    """The catalog's indicators (`kpi indicators`): the packaged one is listed from its
    TOML without validating it again (fast); a `--targets` file is validated first."""
    from kpi_tritue.catalog.listing import catalog_listing, packaged_listing

    if targets is None:
        return packaged_listing()
    return catalog_listing(load_catalog(targets))


def indicator_about(indicator: str, targets: Path | None = None) -> tuple[Catalog, Indicator]:
    """One indicator of the catalog, for `kpi indicators ID` (what it means, in words)."""
    catalog = load_catalog(targets)
    ids = [entry.id for entry in catalog.indicators]
    if indicator not in ids:
        from kpi_tritue.contract.privacy import quote

        raise UnknownIndicator(quote(indicator), ids)
    return catalog, catalog.indicator(indicator)


# ---------------------------------------------------------------------------------------
# Several report years


def open_once(files: Sequence[str], contract: Contract | None = None) -> OpenedInputs:
    """Every workbook of `files` opened once (sheets matched, `ThongTin` read), so that
    the path a command takes and what it reads come from the same opening."""
    from kpi_tritue.io.inputs import open_inputs

    check_paths(files)
    return open_inputs(files) if contract is None else open_inputs(files, contract=contract)


def computed_over_years(
    opened: OpenedInputs, targets: Path | None, by: GroupBy | None, skip_invalid: bool
) -> Report:
    """The latest year's results and report context, and the trend of all years."""
    from kpi_tritue.compute.engine import compute as compute_indicators
    from kpi_tritue.compute.summary import tally
    from kpi_tritue.compute.trend import compute_trend
    from kpi_tritue.io.series import load_series
    from kpi_tritue.model.issues import sorted_issues
    from kpi_tritue.render.report import ReportContext

    catalog = load_catalog(targets)
    yearly, skipped = usable(load_series(opened, catalog=catalog), skip_invalid)
    result = compute_trend(yearly, catalog, by=by)
    latest = yearly.years[-1].dataset
    computation = compute_indicators(latest, catalog, by)
    context = ReportContext(
        dataset=latest,
        catalog_id=catalog.id,
        catalog_target_year=target_year(computation.results),
        issues=sorted_issues([*yearly.issues, *computation.issues]),
        tally=tally(computation.results),
        skipped_rows=skipped,
        by=by,
    )
    return Report(computation.results, context, result)


# ---------------------------------------------------------------------------------------
# Outputs: checked before anything is printed, written by the renderers


def check_workbook_output(
    output: Path, report: Report, files: Sequence[str], targets: Path | None, lang: Lang
) -> None:
    """Refuse a bad `.xlsx` output path (an input, an unwritable folder) before anything
    is printed or computed further: `OutputError`, exit code 2."""
    from kpi_tritue.render.outputs import check_output

    check_output(output, protected(files, targets, report.context), lang)


def write_workbook(
    output: Path, report: Report, files: Sequence[str], targets: Path | None, lang: Lang
) -> None:
    """Write the gap report workbook (with its trend sheet for several years)."""
    from datetime import datetime

    from kpi_tritue.render.xlsx_report import write_gap_report

    write_gap_report(
        output,
        report.results,
        report.context,
        lang,
        run_time=datetime.now(),
        protected=protected(files, targets, report.context),
        trend=report.trend,
    )


def check_text_output(
    output: Path,
    report: Report,
    files: Sequence[str],
    targets: Path | None,
    lang: Lang,
    suffixes: tuple[str, ...],
) -> None:
    """Refuse a bad output path for a text file (`--junit`): `OutputError`, exit code 2."""
    from kpi_tritue.render.outputs import check_output

    check_output(output, protected(files, targets, report.context), lang, suffixes=suffixes)


def write_junit(output: Path, gate: Gate, lang: Lang) -> None:
    """Write the gate's JUnit XML (its path checked by `check` already)."""
    from kpi_tritue.render.gate import junit_xml
    from kpi_tritue.render.outputs import write_atomically

    xml = junit_xml(gate.report.results, gate.verdict, gate.report.context, lang)
    # "replace": a file name that is not UTF-8 must not stop the report.
    data = xml.encode("utf-8", errors="replace")
    write_atomically(output, lambda stream: stream.write(data), lang)


def write_input_errors_junit(
    output: Path, failure: InputError, files: Sequence[str], targets: Path | None, lang: Lang
) -> None:
    """The JUnit file of `kpi check` when its input cannot be used: one failing case per
    error (`render.gate.input_errors_junit`), at a path checked as any output is."""
    from kpi_tritue.io.inputs import expand_inputs
    from kpi_tritue.render.gate import input_errors_junit
    from kpi_tritue.render.outputs import check_output, write_atomically

    inputs = [Path(f) for f in files] + [path for path, _ in expand_inputs(files)[0]]
    check_output(output, inputs + ([targets] if targets else []), lang, suffixes=(".xml",))
    errors = failure.errors if isinstance(failure, InvalidRows) else []
    xml = input_errors_junit(errors, failure.message(lang), lang)
    data = xml.encode("utf-8", errors="replace")
    write_atomically(output, lambda stream: stream.write(data), lang)


def protected(files: Sequence[str], targets: Path | None, context: ReportContext) -> list[Path]:
    """Every input: the paths given, every workbook in a folder given, the catalog."""
    from kpi_tritue.io.inputs import expand_inputs

    # A report of kpi's own found in a folder given was skipped, not read: the rerun of
    # `kpi export reports/ -o reports/ket_qua.xlsx` replaces it, as any generated artifact.
    reports = {
        Path(issue.file).resolve()
        for issue in context.dataset.issues
        if issue.code == "own_report_skipped" and issue.file
    }
    listed = [path for path, _ in expand_inputs(files)[0] if path.resolve() not in reports]
    paths = [Path(f) for f in files] + listed
    paths += [Path(s.path) for s in context.dataset.sources]
    return paths + ([targets] if targets is not None else [])


def target_year(results: Sequence[IndicatorResult]) -> int:
    """The plan's horizon for the title: the most common target year."""
    from collections import Counter

    years = Counter(r.target.year for r in results if r.target is not None)
    return years.most_common(1)[0][0] if years else date.today().year
