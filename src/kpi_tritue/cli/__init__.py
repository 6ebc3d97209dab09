"""The `kpi` command: Typer only. Options → the use case (`app.py`) → render → print, exit.

This is the one module that prints and exits, and the one place that turns what went
wrong into a message and an exit code (`_said`): a `KpiError` into its own code and
message in the user's `--lang`, standard output failing into 2, and anything else (a bug)
into 4 with the message asking to report it (docs/spec/cli.md).

Heavy modules (pandas, the readers, rich, the use cases) are imported inside the commands,
so `kpi --help` starts about as fast as Typer itself. Annotations are evaluated at
definition (no `from __future__ import annotations`): Typer would otherwise compile every
one of them from a string at each start; names imported only for type checking are quoted.
"""

import gc
import os
import sys
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
import typer.core

from kpi_tritue import __version__
from kpi_tritue.cli.options import (
    AnnotateOpt,
    AsOfOpt,
    BaselineOpt,
    ByOpt,
    ColumnsOpt,
    Command,
    ComputeFormat,
    DebugOpt,
    ExplainFormat,
    FilesArg,
    GroupByChoice,
    LangChoice,
    LangOpt,
    OutputOpt,
    SkipInvalidOpt,
    TableOrJson,
    TargetsOpt,
    TrendFormat,
    command_help,
    help_of,
)
from kpi_tritue.cli.usage import Group, lang_of
from kpi_tritue.errors import EXIT_GATE_FAILED as EXIT_GATE_FAILED
from kpi_tritue.errors import EXIT_INPUT as EXIT_INPUT
from kpi_tritue.errors import EXIT_INTERNAL as EXIT_INTERNAL
from kpi_tritue.errors import EXIT_OK as EXIT_OK
from kpi_tritue.errors import EXIT_USAGE as EXIT_USAGE
from kpi_tritue.i18n import text

if TYPE_CHECKING:
    from kpi_tritue.app import Progress
    from kpi_tritue.compute.engine import GroupBy
    from kpi_tritue.i18n import Lang
    from kpi_tritue.model.issues import Issue
    from kpi_tritue.render.console import Console


app = typer.Typer(
    name="kpi",
    cls=Group,
    help=help_of("cli.help.app"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


# rich is imported when something is printed, not at start-up: `kpi --help` does not need it.


def _stdout() -> "Console":
    from kpi_tritue.render import console

    return console.stdout()


def _stderr() -> "Console":
    from kpi_tritue.render import console

    return console.stderr()


def _print_error(message: str, lang: "Lang") -> None:
    from kpi_tritue.render.failures import error_panel

    _stderr().print(error_panel(message, lang))


@contextmanager
def _guard(debug: bool, lang: "Lang") -> Iterator[None]:
    """Around a command's work: what it raises is said once and ends the command with its
    exit code (see `_said`)."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:
        raise typer.Exit(_said(error, debug, lang)) from None


def _said(error: BaseException, debug: bool, lang: "Lang") -> int:
    """The one place that maps what went wrong to its exit code, once it is said.

    A `KpiError` is said in the user's language and ends with its own code (the rows in
    error listed first); standard output failing ends with 2; SIGTERM while a file was
    written with 128 + the signal; anything else is a bug: 4, with the message asking to
    report it (with --debug, its traceback first).
    """
    from kpi_tritue.errors import KpiError, OutputLost, Terminated

    if isinstance(error, Terminated):
        return error.exit_code
    if isinstance(error, OutputLost):
        # Said once, and not when the reader of a pipe left: `kpi … | head` stops reading
        # on purpose.
        if not (error.reported or error.reader_left):
            from kpi_tritue.render.failures import stdout_lost_message

            _print_error(stdout_lost_message(error, lang), lang)
        error.reported = True
        return error.exit_code
    if isinstance(error, KpiError):
        from kpi_tritue.app import InvalidRows

        if isinstance(error, InvalidRows):
            from kpi_tritue.render.terminal import issues_table

            _stderr().print(issues_table(error.errors, lang))
        _print_error(error.message(lang), lang)
        return error.exit_code
    # The report of a bug must not raise a second one.
    if debug:
        with suppress(Exception):
            from kpi_tritue.render.failures import traceback_text

            sys.stderr.write(traceback_text(error))
    with suppress(Exception):
        from kpi_tritue.render.failures import bug_message

        _print_error(bug_message(error, lang), lang)
    return EXIT_INTERNAL


def _progress() -> AbstractContextManager["Progress | None"]:
    """A progress bar on stderr while workbooks are read, when stderr is a terminal."""
    from kpi_tritue.render.console import progress_bar

    return progress_bar()


def _report_warnings(issues: Sequence["Issue"], lang: "Lang") -> None:
    from kpi_tritue.model.issues import Severity
    from kpi_tritue.render import terminal as render

    warnings = [issue for issue in issues if issue.severity is Severity.WARNING]
    if warnings:
        _stderr().print(render.issues_table(warnings, lang))


def _written(path: Path, lang: "Lang") -> None:
    _stderr().print(text("xlsx.written", lang, path=path))


def _by(by: "GroupByChoice | None") -> "GroupBy | None":
    return None if by is None else by.value


@app.command(cls=Command, help=command_help("validate"))
def validate(
    files: FilesArg,
    output_format: Annotated[
        TableOrJson, typer.Option("--format", help="table | json.")
    ] = TableOrJson.TABLE,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    annotate: AnnotateOpt = None,
    columns: ColumnsOpt = None,
    targets: TargetsOpt = None,
    debug: DebugOpt = False,
) -> None:
    _prefetch(files)
    import kpi_tritue.app as use
    from kpi_tritue.i18n import text
    from kpi_tritue.render import terminal as render
    from kpi_tritue.render.files import files_table

    language: Lang = lang.value
    with _guard(debug, language):
        with _progress() as progress:
            if annotate is None:
                dataset = use.validate(
                    files, as_of=as_of, progress=progress, columns=columns, targets=targets
                )
            else:
                dataset, annotated = use.validate_annotated(
                    files,
                    annotate,
                    language,
                    as_of=as_of,
                    progress=progress,
                    columns=columns,
                    targets=targets,
                )
        out = _stdout()
        if output_format is TableOrJson.JSON:
            sys.stdout.write(render.validation_json(dataset, language))
        else:
            out.print(files_table(dataset.files, language))
            out.print(render.as_of_line(dataset, language))
            if dataset.issues:
                out.print(render.issues_table(dataset.issues, language))
            else:
                out.print(text("issues.none", language))
        # Counted over every input met (its line above), read or not: a workbook that
        # cannot be opened is one of the files the analyst gave.
        _stderr().print(render.issues_summary(dataset.issues, dataset.files.file_count, language))
        if annotate is not None:
            from kpi_tritue.render.annotate import annotated_lines

            for line in annotated_lines(*annotated, annotate, language):
                _stderr().print(line, markup=False, highlight=False)
    if dataset.has_errors:
        raise typer.Exit(EXIT_INPUT)


@app.command(cls=Command, help=command_help("compute"))
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
    columns: ColumnsOpt = None,
    xlsx: Annotated[
        Path | None,
        typer.Option(
            "--xlsx",
            metavar="FILE.xlsx",
            help=help_of("cli.help.xlsx"),
            show_default=False,
        ),
    ] = None,
) -> None:
    _prefetch(files)
    import kpi_tritue.app as use
    from kpi_tritue.render import report

    language: Lang = lang.value
    with _guard(debug, language):
        with _progress() as progress:
            computed = use.compute(
                files,
                targets=targets,
                by=_by(by),
                skip_invalid=skip_invalid,
                as_of=as_of,
                baseline=baseline,
                progress=progress,
                columns=columns,
            )
        results, context, _ = computed
        if xlsx is not None:
            use.check_workbook_output(xlsx, computed, files, targets, language)
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
            use.write_workbook(xlsx, computed, files, targets, language)
            _written(xlsx, language)
        _report_warnings(context.issues, language)


@app.command(cls=Command, help=command_help("export"))
def export(
    files: FilesArg,
    output: OutputOpt,
    targets: TargetsOpt = None,
    by: ByOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    columns: ColumnsOpt = None,
    debug: DebugOpt = False,
) -> None:
    # Several report years are read one after another, as by `kpi trend`.
    _prefetch(files, first=True)
    import kpi_tritue.app as use

    language: Lang = lang.value
    with _guard(debug, language):
        with _progress() as progress:
            exported = use.export(
                files,
                output,
                language,
                targets=targets,
                by=_by(by),
                skip_invalid=skip_invalid,
                as_of=as_of,
                progress=progress,
                columns=columns,
            )
        _written(output, language)
        _report_warnings(exported.context.issues, language)


@app.command(cls=Command, help=command_help("template"))
def template(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE.xlsx", help=help_of("cli.help.template_output")
        ),
    ] = Path("mau_bao_cao_kpi.xlsx"),
    force: Annotated[bool, typer.Option("--force", help=help_of("cli.help.force"))] = False,
    lang: LangOpt = LangChoice.VI,
    debug: DebugOpt = False,
) -> None:
    import kpi_tritue.app as use

    language: Lang = lang.value
    with _guard(debug, language):
        _written(use.template(output, language, force=force), language)


@app.command(cls=Command, help=command_help("check"))
def check(
    files: FilesArg,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on",
            metavar="STATUS,...",
            help=help_of("cli.help.fail_on"),
        ),
    ] = "not_met",
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit",
            metavar="FILE.xml",
            help=help_of("cli.help.junit"),
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        TableOrJson, typer.Option("--format", help="table | json.")
    ] = TableOrJson.TABLE,
    targets: TargetsOpt = None,
    baseline: BaselineOpt = None,
    history: Annotated[
        list[str] | None,
        typer.Option(
            "--history",
            metavar="FILE_OR_DIR",
            help=help_of("cli.help.history"),
            show_default=False,
        ),
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option("--tolerance", metavar="X", help=help_of("cli.help.tolerance")),
    ] = 0.0,
    lang: LangOpt = LangChoice.VI,
    as_of: AsOfOpt = None,
    columns: ColumnsOpt = None,
    debug: DebugOpt = False,
) -> None:
    _prefetch([*files, *(history or [])], first=True)
    import kpi_tritue.app as use
    from kpi_tritue.render import gate, report

    language: Lang = lang.value
    with _guard(debug, language):
        with _progress() as progress:
            checked = use.check(
                files,
                fail_on=fail_on,
                junit=junit,
                targets=targets,
                baseline=baseline,
                history=history or [],
                tolerance=tolerance,
                as_of=as_of,
                lang=language,
                progress=progress,
                columns=columns,
            )
        (results, context, _), verdict = checked
        if output_format is TableOrJson.JSON:
            sys.stdout.write(gate.gate_json(results, verdict, context, language))
        else:
            _stdout().print(report.results_table(results, context, language))
        if junit is not None:
            use.write_junit(junit, checked, language)
        _report_warnings(context.issues, language)
        _stderr().print(gate.gate_summary(verdict, language))
    if not verdict.passed:
        raise typer.Exit(EXIT_GATE_FAILED)


@app.command(cls=Command, help=command_help("indicators"))
def indicators(
    indicator: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help=help_of("cli.help.indicator_about"), show_default=False
        ),
    ] = None,
    targets: TargetsOpt = None,
    output_format: Annotated[
        TableOrJson, typer.Option("--format", help="table | json.")
    ] = TableOrJson.TABLE,
    lang: LangOpt = LangChoice.VI,
    debug: DebugOpt = False,
) -> None:
    import kpi_tritue.app as use

    language: Lang = lang.value
    with _guard(debug, language):
        if indicator is not None:
            from kpi_tritue.render.indicator_doc import indicator_json, indicator_text

            catalog, chosen = use.indicator_about(indicator, targets)
            if output_format is TableOrJson.JSON:
                sys.stdout.write(indicator_json(catalog, chosen, language))
            else:
                width = _stdout().width
                sys.stdout.write(indicator_text(catalog, chosen, language, width))
            return
        from kpi_tritue.catalog.listing import catalog_json, catalog_text

        listing = use.indicators(targets)
        if output_format is TableOrJson.JSON:
            sys.stdout.write(catalog_json(listing, language))
        else:
            import shutil

            # The terminal's width (or $COLUMNS, or 80 in a pipe), as rich measures it too.
            sys.stdout.write(catalog_text(listing, language, shutil.get_terminal_size().columns))


@app.command(cls=Command, help=command_help("explain"))
def explain(
    indicator: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help=help_of("cli.help.indicator"),
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
    columns: ColumnsOpt = None,
    debug: DebugOpt = False,
) -> None:
    _prefetch(files)
    import kpi_tritue.app as use
    from kpi_tritue.render.explain import explanation_csv, explanation_json, explanation_table

    language: Lang = lang.value
    with _guard(debug, language):
        with _progress() as progress:
            explanation = use.explain(
                indicator,
                files,
                targets=targets,
                skip_invalid=skip_invalid,
                as_of=as_of,
                progress=progress,
                columns=columns,
            )
        match output_format:
            case ExplainFormat.CSV:
                sys.stdout.write(explanation_csv(explanation, language))
            case ExplainFormat.JSON:
                sys.stdout.write(explanation_json(explanation, language))
            case ExplainFormat.TABLE:
                _stdout().print(explanation_table(explanation, language))


@app.command(cls=Command, help=command_help("trend"))
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
    columns: ColumnsOpt = None,
    debug: DebugOpt = False,
) -> None:
    _prefetch(files, first=True)
    import kpi_tritue.app as use
    from kpi_tritue.render.trend_terminal import trend_csv, trend_json, trend_table

    language: Lang = lang.value
    with _guard(debug, language):
        result, issues = use.trend(
            files,
            targets=targets,
            by=_by(by),
            skip_invalid=skip_invalid,
            as_of=as_of,
            columns=columns,
        )
        match output_format:
            case TrendFormat.JSON:
                sys.stdout.write(trend_json(result, language))
            case TrendFormat.CSV:
                sys.stdout.write(trend_csv(result, language))
            case TrendFormat.TABLE:
                _stdout().print(trend_table(result, language))
        _report_warnings(issues, language)


def _prefetch(files: list[str], *, first: bool = False) -> None:
    """Start reading a lone workbook now, while the heavy modules are being imported
    (the read is the command's: see `_finish_reads`); with `first`, the first workbooks of
    several, or of a folder, in the order the run reads them, as many as are read ahead
    after them (`kpi trend`, `export` and `check`, which may read report years one after
    another: the others are read ahead by `io.load_ahead.PartsAhead`, which starts only
    once every workbook is open)."""
    from kpi_tritue.io.load_ahead import PARTS_AHEAD
    from kpi_tritue.io.read_ahead import prefetch

    # Only a head start: a path it cannot look at (a name too long…) is the plain read's
    # to report, inside the command's guard.
    with suppress(OSError, ValueError):
        chosen = _first_workbooks(files, max(PARTS_AHEAD, 1)) if first else []
        prefetch(chosen or (files if len(files) == 1 else []))


def _first_workbooks(files: list[str], count: int) -> list[str]:
    """The `count` workbooks of `files` (paths and folders) that `io.inputs.expand_inputs`
    lists first (the least names shown), found by the same walk (`safe_files.workbooks_in`)
    without importing `io.inputs` (it imports pandas); none for a lone path (`prefetch`
    takes it)."""
    from kpi_tritue.io.reader import WORKBOOK_SUFFIXES
    from kpi_tritue.io.safe_files import workbooks_in

    if len(files) == 1 and not Path(files[0]).is_dir():
        return []
    shown: list[str] = []
    for given in files:
        path = Path(given)
        if path.is_dir():
            shown += [found.as_posix() for found in workbooks_in(path, WORKBOOK_SUFFIXES)[0]]
        else:
            shown.append(path.as_posix())
    return sorted(set(shown))[:count]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpi {__version__}")
        raise typer.Exit()


def _finish_reads() -> None:
    """Wait for the workbook read ahead, if the command did not take it over (it failed
    early), and forget it: no thread of the reader outlives the command (a native thread
    still parsing when the interpreter shuts down aborts it, exit 134), and no later
    command (in tests, one process runs many) is handed what this one read."""
    if "kpi_tritue.io.reader" in sys.modules:
        from kpi_tritue.io.read_ahead import finish_prefetch

        finish_prefetch()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help=help_of("cli.help.version")
        ),
    ] = False,
) -> None:
    # No docstring: the app's help is `cli.help.app`, given to `typer.Typer`.
    ctx.call_on_close(_finish_reads)  # once the command has ended, however it ended


# Arrow's buffers come from the C library's allocator, not pyarrow's default (mimalloc),
# unless the user chose one (issue 14, round 17). A command makes arrays a column long and
# lets them go, step after step; measured with `kpi compute ... --format json`, 4 pairs of
# runs, the file of 1,048,575 rows took 8.00 s against 8.45 s (faster in 4 of 4), and
# 200,000 rows, 200 x 1,000, 2,000 x 100 and `kpi trend` as long or a little less, with
# the same peak memory or less (docs/benchmarks.md). Read by Arrow once, when pyarrow is
# first imported: so set before anything imports it, and inherited by the worker processes.
ARROW_POOL_SETTING = "ARROW_DEFAULT_MEMORY_POOL"
ARROW_POOL = "system"


def choose_arrow_pool(environ: MutableMapping[str, str]) -> None:
    """Arrow's allocator for this command: the user's own `ARROW_DEFAULT_MEMORY_POOL`
    if set, else `ARROW_POOL`."""
    environ.setdefault(ARROW_POOL_SETTING, ARROW_POOL)


def main() -> None:
    """Run the command; end with its exit code once its output is out.

    stdout and stderr are guarded first (see `streams`): results that could not all be
    written make the run fail (exit 2, as an output file that cannot be written), a bug
    anywhere exits 4, and SIGTERM during a write exits 143 once the write is undone.
    """
    choose_arrow_pool(os.environ)
    from kpi_tritue.errors import Terminated
    from kpi_tritue.render import streams

    installed = streams.install()
    lang = lang_of(sys.argv[1:])
    debug = "--debug" in sys.argv[1:]
    # The cyclic collector is paused for the command (issue 14, round 10). A command builds
    # what it reads and keeps it to the end, and makes next to no cyclic garbage (1,689
    # objects over the 2,000 files of 2,000 x 100; 22,206 over `tests/data/bad/`): the
    # collector's passes over that growing heap found nothing, and took 2.9 s of 15 s on
    # 2,000 x 100 (full passes of 1.1 s and 0.5 s, and a pass of the young objects
    # every 0.3 to 1.3 s). Reference counting still frees everything else as before.
    collecting = gc.isenabled()
    gc.disable()
    try:
        app()
        status = EXIT_OK
    except SystemExit as done:
        status = _exit_status(done.code)
    except (Terminated, Exception) as error:
        # Outside any command's guard: stdout lost by --help, --version or a usage error,
        # SIGTERM during a write, or a bug.
        status = _said(error, debug, lang)
    lost = streams.flush_results()
    if lost is not None:
        code = _said(lost, debug, lang)
        if status in (EXIT_OK, EXIT_GATE_FAILED):
            status = code  # the results are incomplete: not a success, not a gate
    installed.restore()
    # No read is left running here (see `_finish_reads`), and what is left is modules: their
    # cycles are not worth collecting on the way out (the shutdown's collections of pandas,
    # pyarrow and pydantic cost 0.3-0.7 s otherwise, against 0.03-0.08 s frozen). Frozen
    # before the collector is back: the objects made while it was paused would otherwise
    # be looked at by its next pass.
    gc.freeze()
    if collecting:
        gc.enable()
    sys.exit(status)


def _exit_status(code: object) -> int:
    if code is None:
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_GATE_FAILED


_: Callable[[], None] = main
