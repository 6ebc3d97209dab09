"""The `kpi` command: Typer only. Parse options, call the core, render, map to exit codes.

Heavy modules (pandas, the readers, rich) are imported inside the commands, so `kpi --help`
starts about as fast as Typer itself. Annotations are evaluated at definition (no
`from __future__ import annotations`): Typer would otherwise compile every one of them
from a string at each start; names imported only for type checking are quoted.
"""

import gc
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from kpi_tritue import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from kpi_tritue.catalog.model import Catalog
    from kpi_tritue.compute.trend import YearlyData
    from kpi_tritue.errors import OutputLost
    from kpi_tritue.i18n import Lang
    from kpi_tritue.io.dataset import Dataset
    from kpi_tritue.model.issues import Issue
    from kpi_tritue.model.results import IndicatorResult
    from kpi_tritue.render.report import ReportContext

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_INTERNAL = 4

app = typer.Typer(
    name="kpi",
    help="Tính các chỉ tiêu của Kế hoạch phát triển đội ngũ trí thức tỉnh Hà Tĩnh đến 2030. "
    "(Indicator calculator for Hà Tĩnh's intellectual-workforce plan to 2030.)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class LangChoice(StrEnum):
    VI = "vi"
    EN = "en"


class ValidateFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class ComputeFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class GroupByChoice(StrEnum):
    UNIT = "unit"
    LEVEL = "level"
    SECTOR = "sector"
    AREA = "area"


FilesArg = Annotated[
    list[str],
    typer.Argument(
        help="Bảng tính (.xlsx, .xlsm, .xls, .ods) hoặc thư mục chứa bảng tính. "
        "(Workbooks or folders of workbooks.)",
        show_default=False,
    ),
]
LangOpt = Annotated[LangChoice, typer.Option("--lang", help="Ngôn ngữ / language: vi | en.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Ngày số liệu (dd/mm/yyyy hoặc yyyy-mm-dd); mặc định lấy từ trang ThongTin. "
        "(Reference date; defaults to the ThongTin sheet.)",
        show_default=False,
    ),
]
DebugOpt = Annotated[
    bool, typer.Option("--debug", help="Hiện chi tiết lỗi nội bộ. (Show tracebacks.)")
]

_AS_OF = re.compile(r"^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})/(\d{4}))$")


# rich is imported when something is printed, not at start-up: `kpi --help` does not need it.


def _stdout() -> "Console":
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, markup=False)


def _stderr() -> "Console":
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False)


def _fail(message: str, code: int, lang: "Lang") -> NoReturn:
    _print_error(message, lang)
    raise typer.Exit(code)


def _print_error(message: str, lang: "Lang") -> None:
    from rich.panel import Panel

    from kpi_tritue.i18n import text

    _stderr().print(Panel(message, title=text("error.title", lang), border_style="red"))


def parse_as_of(value: str | None, lang: "Lang") -> date | None:
    if value is None:
        return None
    match = _AS_OF.match(value.strip())
    try:
        if match and match[1]:
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match:
            return date(int(match[6]), int(match[5]), int(match[4]))
    except ValueError:
        pass
    message = {
        "vi": f"--as-of: \u201c{value}\u201d không phải là ngày. Ghi dd/mm/yyyy, ví dụ 31/12/2025.",
        "en": f"--as-of: \u201c{value}\u201d is not a date. Write dd/mm/yyyy, e.g. 31/12/2025.",
    }[lang]
    _fail(message, EXIT_USAGE, lang)


def _check_paths(files: list[str], lang: "Lang", *, folders: bool = True) -> None:
    """Exit 2 unless every path names a regular file (or a folder, where `folders`): the
    command line names something that cannot be read (missing, or a device, a FIFO...),
    so the fix is to the command, and nothing was read. Never opens anything."""
    from kpi_tritue.io.safe_files import path_problem

    problems = [path_problem(Path(f), folder_ok=folders) for f in files]
    found = [problem.message(lang) for problem in problems if problem is not None]
    if found:
        _fail("\n".join(found), EXIT_USAGE, lang)


@contextmanager
def _guard(debug: bool, lang: "Lang") -> Iterator[None]:
    """Map what a command raises to one short message and its exit code, once:
    a `KpiError` to its own code, stdout failing to 2, anything else (a bug) to 4."""
    from kpi_tritue.errors import KpiError, OutputLost

    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except OutputLost as lost:
        _output_lost(lost, lang)
        raise typer.Exit(EXIT_USAGE) from None
    except KpiError as error:
        _fail(error.message(lang), error.exit_code, lang)
    except Exception as error:
        _internal_error(error, debug, lang)
        raise typer.Exit(EXIT_INTERNAL) from None


def _internal_error(error: BaseException, debug: bool, lang: "Lang") -> None:
    """Say that this is a bug and how to report it; with --debug, the traceback first.

    Without --debug the message names the exception's type and the line of `kpi` it came
    from, never its text: that may quote a cell, and so a person's name.
    """
    import traceback

    from kpi_tritue.i18n import text

    if debug:
        with suppress(Exception):
            sys.stderr.write("".join(traceback.format_exception(error)))
    where = "?"
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "kpi_tritue" in Path(frame.filename).parts]
    if ours or frames:
        frame = (ours or frames)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
    message = text("error.internal", lang, kind=type(error).__name__, where=where)
    with suppress(Exception):  # the report of a bug must not raise a second one
        _print_error(message, lang)


def _output_lost(lost: "OutputLost", lang: "Lang") -> None:
    """Say once that the results did not all reach stdout (not when a pipe's reader left:
    `kpi … | head` stops reading on purpose)."""
    from kpi_tritue.i18n import text
    from kpi_tritue.render.outputs import os_reason

    if lost.reported or lost.reader_left:
        lost.reported = True
        return
    lost.reported = True
    _print_error(text("error.stdout", lang, reason=os_reason(lost.cause, lang)), lang)


def _load(files: list[str], as_of: str | None, lang: "Lang") -> "Dataset":
    from rich.progress import Progress

    from kpi_tritue.io.dataset import load_dataset

    _check_paths(files, lang)
    reference = parse_as_of(as_of, lang)
    console = _stderr()
    if not console.is_terminal:
        return load_dataset(files, as_of=reference)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("…", total=None)

        def report(step: int, total: int, name: str) -> None:
            progress.update(task, completed=step, total=total, description=name)

        return load_dataset(files, as_of=reference, progress=report)


@app.command()
def validate(
    files: FilesArg,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", help="table | json.")
    ] = ValidateFormat.TABLE,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Chỉ đọc và kiểm tra bảng tính: liệt kê mọi vấn đề kèm ô. Mã thoát 3 nếu có lỗi.

    (Only read and validate: list every issue with its cell; exit 3 on any error.)

    Example: kpi validate data/samples/ha_tinh_2024.xlsx --format json
    """
    _prefetch(files)
    from kpi_tritue.render import terminal as render

    language: Lang = lang.value
    with _guard(debug, language):
        dataset = _load(files, as_of, language)
        out = _stdout()
        if output_format is ValidateFormat.JSON:
            sys.stdout.write(render.validation_json(dataset, language))
        else:
            out.print(render.as_of_line(dataset, language))
            if dataset.issues:
                out.print(render.issues_table(dataset.issues, language))
            else:
                out.print(_text("issues.none", language))
        _stderr().print(render.issues_summary(dataset.issues, len(dataset.sources), language))
    if dataset.has_errors:
        raise typer.Exit(EXIT_INPUT)


TargetsOpt = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        help="Danh mục chỉ tiêu khác (TOML), xem docs/catalog.md. "
        "(Another indicator catalog, see docs/catalog.md.)",
        show_default=False,
    ),
]
ByOpt = Annotated[
    GroupByChoice | None,
    typer.Option(
        "--by",
        help="Tính thêm theo nhóm: unit | level | sector | area. (Also per group.)",
        show_default=False,
    ),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        help="Kết quả JSON lần trước (kpi compute --format json) để so sánh. "
        "(A previous JSON result to compare with.)",
        show_default=False,
    ),
]
SkipInvalidOpt = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Bỏ qua các dòng có lỗi thay vì dừng lại. (Leave rows with errors out.)",
    ),
]


@app.command()
def compute(
    files: FilesArg,
    output_format: Annotated[
        ComputeFormat, typer.Option("--format", help="table | json | csv | markdown.")
    ] = ComputeFormat.TABLE,
    targets: TargetsOpt = None,
    by: ByOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    debug: DebugOpt = False,
    baseline: BaselineOpt = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            help="Ghi thêm báo cáo Excel vào tệp này (như kpi export). "
            "(Also write the Excel report, as kpi export does.)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Tính mọi chỉ tiêu: giá trị, mục tiêu, khoảng cách, số cần thêm và đánh giá.

    (Compute every indicator: value, target, gap, shortfall and status.)

    Example: kpi compute data/samples/ha_tinh_2024.xlsx --by level --lang en
    """
    _prefetch(files)
    from kpi_tritue.render import report

    language: Lang = lang.value
    with _guard(debug, language):
        results, context = _computed(
            files, targets, by, skip_invalid, as_of, language, baseline=baseline
        )
        if xlsx is not None:
            _check_xlsx(xlsx, files, targets, context, language)
        match output_format:
            case ComputeFormat.JSON:
                sys.stdout.write(report.results_json(results, context, language))
            case ComputeFormat.CSV:
                sys.stdout.write(report.results_csv(results, language))
            case ComputeFormat.MARKDOWN:
                sys.stdout.write(report.results_markdown(results, context, language))
            case ComputeFormat.TABLE:
                _stdout().print(report.results_table(results, context, language))
        if xlsx is not None:
            _write_xlsx(xlsx, results, context, files, targets, language)
        _report_warnings(context.issues, language)


OutputOpt = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        help="Tệp Excel kết quả (.xlsx). (The .xlsx file to write.)",
        show_default=False,
    ),
]


@app.command()
def export(
    files: FilesArg,
    output: OutputOpt,
    targets: TargetsOpt = None,
    by: ByOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Ghi báo cáo khoảng cách ra tệp Excel: bảng tổng hợp, biểu đồ, theo nhóm, vấn đề dữ liệu.

    (Write the gap report workbook: summary, chart, breakdown, data issues, information.)

    Example: kpi export data/samples/ha_tinh_2024.xlsx -o gap_report.xlsx --by level
    """
    _prefetch(files)
    language: Lang = lang.value
    with _guard(debug, language):
        trend_document: dict[str, object] | None = None
        if as_of is None and len(_stated_years(files, language)) > 1:
            # Several report years: the summary is of the latest, plus a trend sheet.
            results, context, trend_document = _computed_over_years(
                files, targets, by, skip_invalid, language
            )
        else:
            results, context = _computed(files, targets, by, skip_invalid, as_of, language)
        _check_xlsx(output, files, targets, context, language)
        _write_xlsx(output, results, context, files, targets, language, trend=trend_document)
        _report_warnings(context.issues, language)


def _stated_years(files: list[str], lang: "Lang") -> set[int]:
    """The report years the workbooks state in `ThongTin` (only that sheet is read)."""
    from kpi_tritue.io.dataset import expand_inputs
    from kpi_tritue.io.workbook import open_workbook

    _check_paths(files, lang)
    years: set[int] = set()
    for path, display in expand_inputs(files)[0]:
        opened = open_workbook(path, display)
        if isinstance(opened, list):
            continue
        info = opened.info
        year = info.as_of.year if info.as_of is not None else info.report_year
        if year is not None:
            years.add(year)
    return years


def _computed_over_years(
    files: list[str],
    targets: Path | None,
    by: GroupByChoice | None,
    skip_invalid: bool,
    lang: "Lang",
) -> tuple[list["IndicatorResult"], "ReportContext", dict[str, object]]:
    """The latest year's results and report context, and the trend document of all years."""
    from kpi_tritue.compute.engine import compute as compute_indicators
    from kpi_tritue.compute.trend import compute_trend, load_series
    from kpi_tritue.model.issues import sorted_issues
    from kpi_tritue.render import report
    from kpi_tritue.render.trend_terminal import trend_document

    catalog = _catalog(targets, lang)
    yearly, skipped = _usable_series(load_series(files, catalog=catalog), skip_invalid, lang)
    trend = compute_trend(yearly, catalog, by=by.value if by else None)
    latest = yearly.years[-1].dataset
    computation = compute_indicators(latest, catalog, by.value if by else None)
    context = report.ReportContext(
        dataset=latest,
        catalog_id=catalog.id,
        catalog_target_year=_target_year(computation.results),
        issues=sorted_issues([*yearly.issues, *computation.issues]),
        skipped_rows=skipped,
        by=by.value if by else None,
        people_shares=frozenset(i.id for i in catalog.indicators if i.is_share_of_people),
    )
    return computation.results, context, trend_document(trend, lang)


@app.command()
def template(
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Tệp mẫu sẽ ghi. (The file to write.)"),
    ] = Path("mau_bao_cao_kpi.xlsx"),
    force: Annotated[
        bool, typer.Option("--force", help="Ghi đè tệp đã có. (Replace an existing file.)")
    ] = False,
    lang: LangOpt = LangChoice.VI,
    debug: DebugOpt = False,
) -> None:
    """Ghi mẫu bảng tính đầu vào trống, có danh sách chọn và trang hướng dẫn.

    (Write the blank input workbook, with drop-down lists and an instructions sheet.)

    Example: kpi template -o mau_bao_cao_kpi.xlsx
    """
    from kpi_tritue.render.template import write_template
    from kpi_tritue.render.xlsx_report import xlsx_label

    language: Lang = lang.value
    with _guard(debug, language):
        write_template(output, language, force=force)
        _stderr().print(xlsx_label("written", language, path=output))


class CheckFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command()
def check(
    files: FilesArg,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            help="Trạng thái làm cổng thất bại, cách nhau bằng dấu phẩy: not_met, "
            "above_range, no_data. (Statuses that fail the gate.)",
        ),
    ] = "not_met",
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit",
            help="Ghi kết quả dạng JUnit XML cho máy chủ CI. (Write JUnit XML for CI.)",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", help="table | json.")
    ] = CheckFormat.TABLE,
    targets: TargetsOpt = None,
    baseline: BaselineOpt = None,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Cổng kiểm tra cho CI: mã thoát 1 khi có chỉ tiêu không qua cổng, 3 khi dữ liệu lỗi.

    (The CI gate: exit 1 when an indicator fails the gate, 3 when the input has errors.)

    Example: kpi check reports/ --fail-on not_met,no_data --junit kpi.xml
    """
    _prefetch(files)
    from kpi_tritue.render import gate, report

    language: Lang = lang.value
    with _guard(debug, language):
        try:
            statuses = gate.parse_fail_on(fail_on)
        except ValueError as error:
            _fail(_text("gate.bad_fail_on", language, value=str(error)), EXIT_USAGE, language)
        results, context = _computed(
            files, targets, None, False, as_of, language, baseline=baseline
        )
        if junit is not None:
            _check_output_path(junit, files, targets, context, language, (".xml",))
        failures = gate.gate_failures(results, statuses)
        if output_format is CheckFormat.JSON:
            sys.stdout.write(gate.gate_json(results, statuses, context, language))
        else:
            _stdout().print(report.results_table(results, context, language))
        if junit is not None:
            xml = gate.junit_xml(results, statuses, context, language)
            _write_text(junit, xml, language)
        _report_warnings(context.issues, language)
        _stderr().print(gate.gate_summary(failures, statuses, language))
    if failures:
        raise typer.Exit(EXIT_GATE_FAILED)


@app.command()
def indicators(
    targets: TargetsOpt = None,
    output_format: Annotated[
        CheckFormat, typer.Option("--format", help="table | json.")
    ] = CheckFormat.TABLE,
    lang: LangOpt = LangChoice.VI,
    debug: DebugOpt = False,
) -> None:
    """Liệt kê danh mục chỉ tiêu: mã, tên, mục của kế hoạch, mục tiêu, năm.

    (List the indicator catalog: id, name, clause, target, year.)

    Example: kpi indicators --lang en
    """
    from kpi_tritue.catalog.listing import (
        catalog_json,
        catalog_listing,
        catalog_text,
        packaged_listing,
    )

    language: Lang = lang.value
    with _guard(debug, language):
        if targets is None:
            listing = packaged_listing()
        else:
            listing = catalog_listing(_catalog(targets, language))
        if output_format is CheckFormat.JSON:
            sys.stdout.write(catalog_json(listing, language))
        else:
            sys.stdout.write(catalog_text(listing, language))


class ExplainFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


@app.command()
def explain(
    indicator: Annotated[
        str,
        typer.Argument(
            help="Mã chỉ tiêu (xem kpi indicators). (Indicator ID, see kpi indicators.)",
            show_default=False,
        ),
    ],
    files: FilesArg,
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", help="table | csv | json.")
    ] = ExplainFormat.TABLE,
    targets: TargetsOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Các dòng được tính vào tử số và mẫu số của một chỉ tiêu, kèm tệp, trang, dòng, Mã.

    (The rows counted in one indicator's numerator and denominator, with file, sheet,
    row and ID, and the SoLieu figures used: to audit any number.)

    Example: kpi explain doctors_per_10k data/samples/ha_tinh_2024.xlsx --format csv
    """
    _prefetch(files)
    from kpi_tritue.compute.engine import explain as explain_indicator
    from kpi_tritue.compute.explain import explanation_csv, explanation_json, explanation_table
    from kpi_tritue.errors import UnknownIndicator

    language: Lang = lang.value
    with _guard(debug, language):
        catalog = _catalog(targets, language)
        if indicator not in {entry.id for entry in catalog.indicators}:
            _fail(
                str(UnknownIndicator(indicator, [e.id for e in catalog.indicators])),
                EXIT_USAGE,
                language,
            )
        dataset = _load(files, as_of, language)
        dataset, _ = _usable(dataset, skip_invalid, language)
        explanation = explain_indicator(dataset, catalog, indicator)
        match output_format:
            case ExplainFormat.CSV:
                sys.stdout.write(explanation_csv(explanation, language))
            case ExplainFormat.JSON:
                sys.stdout.write(explanation_json(explanation, language))
            case ExplainFormat.TABLE:
                _stdout().print(explanation_table(explanation, language))


class TrendFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


@app.command()
def trend(
    files: FilesArg,
    output_format: Annotated[
        TrendFormat, typer.Option("--format", help="table | json | csv.")
    ] = TrendFormat.TABLE,
    targets: TargetsOpt = None,
    by: ByOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    debug: DebugOpt = False,
) -> None:
    """Xu hướng qua các năm báo cáo: dự báo đến năm mục tiêu, tỷ lệ tiến độ, xếp loại.

    (Several report years: trend, projection to the target year, on-track class.)

    Example: kpi trend bao_cao_2023.xlsx bao_cao_2024.xlsx bao_cao_2025.xlsx --lang en
    """
    from kpi_tritue.compute.trend import compute_trend, load_series
    from kpi_tritue.render.trend_terminal import trend_csv, trend_json, trend_table

    language: Lang = lang.value
    with _guard(debug, language):
        catalog = _catalog(targets, language)
        _check_paths(files, language)
        as_of_date = parse_as_of(as_of, language)
        yearly = load_series(files, catalog=catalog, as_of_override=as_of_date)
        yearly, _ = _usable_series(yearly, skip_invalid, language)
        result = compute_trend(yearly, catalog, by=by.value if by else None)
        match output_format:
            case TrendFormat.JSON:
                sys.stdout.write(trend_json(result, language))
            case TrendFormat.CSV:
                sys.stdout.write(trend_csv(result, language))
            case TrendFormat.TABLE:
                _stdout().print(trend_table(result, language))
        _report_warnings(list(yearly.issues), language)


def _check_output_path(
    output: Path,
    files: list[str],
    targets: Path | None,
    context: "ReportContext",
    lang: "Lang",
    suffixes: tuple[str, ...],
) -> None:
    from kpi_tritue.render.outputs import check_output

    check_output(output, _protected(files, targets, context), lang, suffixes=suffixes)


def _write_text(output: Path, text: str, lang: "Lang") -> None:
    from kpi_tritue.render.outputs import write_atomically

    # "replace": a file name that is not UTF-8 must not stop the report.
    data = text.encode("utf-8", errors="replace")
    write_atomically(output, lambda stream: stream.write(data), lang)


def _computed(
    files: list[str],
    targets: Path | None,
    by: GroupByChoice | None,
    skip_invalid: bool,
    as_of: str | None,
    lang: "Lang",
    *,
    baseline: Path | None = None,
) -> tuple[list["IndicatorResult"], "ReportContext"]:
    """Load, check and compute as `compute` does: the results and what the report states."""
    from kpi_tritue.compute.baseline import load_baseline
    from kpi_tritue.compute.engine import compute as compute_indicators
    from kpi_tritue.model.issues import sorted_issues
    from kpi_tritue.render import report

    catalog = _catalog(targets, lang)
    if baseline is not None:
        _check_paths([str(baseline)], lang, folders=False)
    previous = load_baseline(baseline) if baseline is not None else None  # BaselineError: 3
    dataset = _load(files, as_of, lang)
    dataset, skipped = _usable(dataset, skip_invalid, lang)
    computation = compute_indicators(dataset, catalog, by.value if by else None)
    context = report.ReportContext(
        dataset=dataset,
        catalog_id=catalog.id,
        catalog_target_year=_target_year(computation.results),
        issues=sorted_issues([*dataset.issues, *computation.issues]),
        skipped_rows=skipped,
        by=by.value if by else None,
        baseline=previous,
        people_shares=frozenset(i.id for i in catalog.indicators if i.is_share_of_people),
    )
    return computation.results, context


def _protected(files: list[str], targets: Path | None, context: "ReportContext") -> list[Path]:
    """Every input: the paths given, every workbook in a folder given, the catalog."""
    from kpi_tritue.io.dataset import expand_inputs

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


def _check_xlsx(
    output: Path, files: list[str], targets: Path | None, context: "ReportContext", lang: "Lang"
) -> None:
    """Refuse a bad output path before anything is printed or computed further."""
    from kpi_tritue.render.xlsx_report import check_output

    check_output(output, _protected(files, targets, context), lang)


def _write_xlsx(
    output: Path,
    results: list["IndicatorResult"],
    context: "ReportContext",
    files: list[str],
    targets: Path | None,
    lang: "Lang",
    *,
    trend: dict[str, object] | None = None,
) -> None:
    from datetime import datetime

    from kpi_tritue.render.xlsx_report import write_gap_report, xlsx_label

    write_gap_report(
        output,
        results,
        context,
        lang,
        run_time=datetime.now(),
        protected=_protected(files, targets, context),
        trend=trend,
    )
    _stderr().print(xlsx_label("written", lang, path=output))


def _target_year(results: list["IndicatorResult"]) -> int:
    """The plan's horizon for the title: the most common target year."""
    from collections import Counter

    years = Counter(r.target.year for r in results if r.target is not None)
    return years.most_common(1)[0][0] if years else date.today().year


def _usable(dataset: "Dataset", skip_invalid: bool, lang: "Lang") -> tuple["Dataset", int]:
    """Stop on errors (exit 3, listing them), or leave the bad rows out with --skip-invalid."""
    from kpi_tritue.model.issues import Severity
    from kpi_tritue.render import terminal as render

    errors = [issue for issue in dataset.issues if issue.severity is Severity.ERROR]
    if not errors:
        return dataset, 0
    # Only row errors can be left out; a file or sheet that cannot be read cannot.
    if skip_invalid and all(issue.row is not None for issue in errors):
        return dataset.without_invalid_rows()
    console = _stderr()
    console.print(render.issues_table(errors, lang))
    # A summary of issues past the limit counts as the errors it stands for.
    _fail(_text("error.input", lang, errors=sum(i.weight for i in errors)), EXIT_INPUT, lang)


def _report_warnings(issues: Sequence["Issue"], lang: "Lang") -> None:
    from kpi_tritue.model.issues import Severity
    from kpi_tritue.render import terminal as render

    warnings = [issue for issue in issues if issue.severity is Severity.WARNING]
    if warnings:
        _stderr().print(render.issues_table(warnings, lang))


def _catalog(targets: Path | None, lang: "Lang") -> "Catalog":
    """The default catalog, or a `--targets` file: a path that is not a regular file is
    usage (2), a bad catalog is input (3)."""
    from kpi_tritue.catalog.model import load_catalog

    if targets is not None:
        _check_paths([str(targets)], lang, folders=False)
    return load_catalog(targets)  # CatalogError: 3, as every KpiError (see _guard)


def _usable_series(
    yearly: "YearlyData", skip_invalid: bool, lang: "Lang"
) -> tuple["YearlyData", int]:
    """As `_usable`, for several report years."""
    from kpi_tritue.model.issues import Severity
    from kpi_tritue.render import terminal as render

    errors = [issue for issue in yearly.issues if issue.severity is Severity.ERROR]
    if not errors:
        return yearly, 0
    if skip_invalid and all(issue.row is not None for issue in errors):
        return yearly.without_invalid_rows()
    _stderr().print(render.issues_table(errors, lang))
    # A summary of issues past the limit counts as the errors it stands for.
    _fail(_text("error.input", lang, errors=sum(i.weight for i in errors)), EXIT_INPUT, lang)


def _prefetch(files: list[str]) -> None:
    """Start reading a lone workbook now, while the heavy modules are being imported
    (`main` waits for the read in the end, if the command did not take it over)."""
    from kpi_tritue.io.reader import prefetch

    # Only a head start: a path it cannot look at (a name too long…) is the plain read's
    # to report, inside the command's guard.
    with suppress(OSError, ValueError):
        prefetch(files)


def _text(key: str, lang: "Lang", **params: object) -> str:
    from kpi_tritue.i18n import text

    return text(key, lang, **params)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="In phiên bản. (Version.)"
        ),
    ] = False,
) -> None:
    """kpi: chỉ tiêu đội ngũ trí thức Hà Tĩnh 2030."""


def main() -> None:
    """Run the command; end with its exit code once its output is out.

    stdout and stderr are guarded first (see `streams`): results that could not all be
    written make the run fail (exit 2, as an output file that cannot be written), a bug
    anywhere exits 4, and SIGTERM during a write exits 143 once the write is undone.
    """
    from kpi_tritue.errors import OutputLost, Terminated
    from kpi_tritue.render import streams

    installed = streams.install()
    lang = _lang_of(sys.argv[1:])
    try:
        app()
        status = EXIT_OK
    except SystemExit as done:
        status = _exit_status(done.code)
    except Terminated as stop:
        status = stop.exit_code
    except OutputLost as early:  # outside a command: --help, --version, a usage error
        _output_lost(early, lang)
        status = EXIT_USAGE
    except Exception as error:  # a bug outside any command's guard
        _internal_error(error, "--debug" in sys.argv[1:], lang)
        status = EXIT_INTERNAL
    lost = streams.flush_results()
    if lost is not None:
        _output_lost(lost, lang)
        if status in (EXIT_OK, EXIT_GATE_FAILED):
            status = EXIT_USAGE  # the results are incomplete: not a success, not a gate
    installed.restore()
    if "kpi_tritue.io.reader" in sys.modules:
        from kpi_tritue.io.reader import finish_prefetch

        # A command that failed early may have left the read ahead running: it ends here,
        # not in the interpreter's shutdown, where a native thread still parsing aborts.
        finish_prefetch()
    # What is left is modules: their cycles are not worth collecting on the way out (the
    # shutdown's collections of pandas, pyarrow and pydantic cost 0.3-0.7 s otherwise).
    gc.freeze()
    sys.exit(status)


def _lang_of(arguments: Sequence[str]) -> "Lang":
    """The --lang given, for the few messages said before or outside a command."""
    for index, argument in enumerate(arguments):
        if argument == "--lang" and arguments[index + 1 : index + 2] == ["en"]:
            return "en"
        if argument == "--lang=en":
            return "en"
    return "vi"


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_GATE_FAILED


_: Callable[[], None] = main
