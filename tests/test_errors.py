"""What went wrong, and the exit code it ends with (docs/spec/cli.md).

Every expected failure is a `KpiError` carrying its exit code and the i18n key of its
message, said in the user's `--lang`; `cli._said` is the one place that turns them (and
everything else) into an exit code: 2 for usage, 3 for input, 4 for a bug.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpi_tritue import cli
from kpi_tritue.app import InvalidRows, UnusablePaths
from kpi_tritue.catalog.model import CatalogError
from kpi_tritue.cli import app
from kpi_tritue.compute.baseline import BaselineError
from kpi_tritue.contract.text_inputs import UnsafeInput
from kpi_tritue.errors import (
    EXIT_GATE_FAILED,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    InputError,
    KpiError,
    OutputError,
    OutputLost,
    Terminated,
    UnknownIndicator,
    UsageError,
)
from kpi_tritue.i18n import LANGS, TEXT, Lang
from kpi_tritue.model.issues import Issue, Severity

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "ha_tinh_2024.xlsx"
MISTAKES = ROOT / "data" / "samples" / "loi_mau.xlsx"
runner = CliRunner()


def _flat(text: str) -> str:
    """A message as read, without the panel's borders and line breaks."""
    return " ".join(text.replace("\u2502", " ").split())


def test_the_exit_codes_are_those_of_the_spec() -> None:
    assert (EXIT_OK, EXIT_GATE_FAILED, EXIT_USAGE, EXIT_INPUT, EXIT_INTERNAL) == (0, 1, 2, 3, 4)
    assert (cli.EXIT_USAGE, cli.EXIT_INPUT, cli.EXIT_INTERNAL) == (2, 3, 4)


def _row_error() -> Issue:
    return Issue(
        Severity.ERROR,
        "bad_enum",
        file="a.xlsx",
        sheet="NhanSu",
        row=3,
        column="Cấp",
        params={"value": "x"},
    )


# Each expected failure, as raised, and the exit code it carries.
FAILURES: list[tuple[KpiError, int]] = [
    (UsageError("errors.as_of", value="hôm qua"), EXIT_USAGE),
    (UsageError("gate.bad_fail_on", value="met", allowed="not_met, no_data"), EXIT_USAGE),
    (UsageError("gate.empty_fail_on", allowed="not_met, no_data"), EXIT_USAGE),
    (UnknownIndicator("bac_si", ["doctors_per_10k", "patents"]), EXIT_USAGE),
    (UnusablePaths([UnsafeInput("missing", path="khong_co.xlsx")]), EXIT_USAGE),
    (OutputError("a.txt: tệp ra phải có đuôi .xlsx"), EXIT_USAGE),
    (InputError("error.input", errors=2), EXIT_INPUT),
    (InvalidRows([_row_error()]), EXIT_INPUT),
    (CatalogError("chi_tieu.toml", [("indicators[0].id", "Field required")]), EXIT_INPUT),
    (BaselineError(Path("truoc.json"), reason="baseline.not_json", detail="x"), EXIT_INPUT),
]


@pytest.mark.parametrize(("error", "code"), FAILURES, ids=lambda v: type(v).__name__)
def test_every_failure_carries_its_exit_code_and_a_message_in_each_language(
    error: KpiError, code: int
) -> None:
    assert error.exit_code == code
    said = {lang: error.message(lang) for lang in LANGS}
    assert all(said.values())
    assert said["vi"] != said["en"] or isinstance(error, UnusablePaths | OutputError)
    assert str(error) == said["en"]
    if error.key in TEXT:
        assert all(TEXT[error.key].get(lang) for lang in LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_indicator_is_said_in_one_language(lang: Lang) -> None:
    """It used to join both languages in one string, whatever --lang said."""
    error = UnknownIndicator("bac_si", ["doctors_per_10k", "patents"])
    message = error.message(lang)
    assert "bac_si" in message and "doctors_per_10k, patents" in message
    assert "kpi indicators" in message
    other = {"vi": "in the catalog", "en": "danh mục"}[lang]
    assert other not in message


@pytest.mark.parametrize("lang", LANGS)
def test_a_bad_baseline_is_said_in_one_language(lang: Lang, tmp_path: Path) -> None:
    path = tmp_path / "truoc.json"
    path.write_text(json.dumps({"indicators": [{"id": 3}]}), encoding="utf-8")
    result = runner.invoke(app, ["compute", str(SAMPLE), "--baseline", str(path), "--lang", lang])
    assert result.exit_code == EXIT_INPUT
    said = _flat(result.stderr)
    assert "truoc.json" in said
    expected, other = {
        "vi": ("Không dùng được tệp --baseline", "cannot be used"),
        "en": ("cannot be used", "Không dùng được"),
    }[lang]
    assert expected in said and other not in said


# --- The one mapping: cli._said ----------------------------------------------------------


@pytest.mark.parametrize(("error", "code"), FAILURES, ids=lambda v: type(v).__name__)
@pytest.mark.parametrize("lang", LANGS)
def test_said_says_a_failure_in_the_language_asked_and_gives_its_code(
    error: KpiError, code: int, lang: Lang, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli._said(error, False, lang) == code
    printed = capsys.readouterr()
    assert printed.out == ""
    first_line = error.message(lang).splitlines()[0]
    assert _flat(first_line)[:30] in _flat(printed.err)
    assert "Lỗi nội bộ" not in printed.err and "Internal error" not in printed.err


def test_said_lists_the_rows_in_error_before_the_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli._said(InvalidRows([_row_error()]), False, "en") == EXIT_INPUT
    said = capsys.readouterr().err
    assert "a.xlsx" in said and "NhanSu" in said
    assert said.index("NhanSu") < said.index("The input has 1 error")


@pytest.mark.parametrize("lang", LANGS)
def test_said_calls_anything_else_a_bug(lang: Lang, capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> None:
        raise KeyError("Nguyễn Văn An")  # a bug's text may quote a cell

    with pytest.raises(KeyError) as raised:
        fail()
    assert cli._said(raised.value, False, lang) == EXIT_INTERNAL
    said = _flat(capsys.readouterr().err)
    assert "KeyError" in said and "test_errors.py" in said and "--debug" in said
    assert "Nguyễn" not in said
    assert ("Lỗi nội bộ" in said) == (lang == "vi")
    assert ("Internal error" in said) == (lang == "en")


def test_said_with_debug_shows_the_traceback_first(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="x") as raised:
        raise ValueError("x")
    assert cli._said(raised.value, True, "en") == EXIT_INTERNAL
    said = capsys.readouterr().err
    assert said.index("Traceback") < said.index("Internal error")


def test_said_on_lost_output_and_a_signal(capsys: pytest.CaptureFixture[str]) -> None:
    full = OutputLost(OSError(errno.ENOSPC, "No space left on device"))
    assert cli._said(full, False, "en") == EXIT_USAGE
    assert "standard output" in _flat(capsys.readouterr().err)
    assert cli._said(full, False, "en") == EXIT_USAGE  # said once
    assert capsys.readouterr().err == ""
    left = OutputLost(OSError(errno.EPIPE, "Broken pipe"))  # `kpi … | head`: nothing to say
    assert cli._said(left, False, "en") == EXIT_USAGE
    assert capsys.readouterr().err == ""
    assert cli._said(Terminated(15), False, "vi") == 143


# --- Through the command line: 2, 3 and 4 ------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "code", "said"),
    [
        (["compute", "khong_co.xlsx"], EXIT_USAGE, {"vi": "khong_co.xlsx", "en": "khong_co.xlsx"}),
        (
            ["compute", str(SAMPLE), "--as-of", "hôm qua"],
            EXIT_USAGE,
            {"vi": "không phải là ngày", "en": "is not a date"},
        ),
        (
            ["check", str(SAMPLE), "--fail-on", "met"],
            EXIT_USAGE,
            {"vi": "không phải là trạng thái", "en": "is not a status"},
        ),
        (
            ["explain", "bac_si", str(SAMPLE)],
            EXIT_USAGE,
            {"vi": "Không có chỉ tiêu", "en": "No indicator"},
        ),
        (
            ["compute", str(MISTAKES)],
            EXIT_INPUT,
            {"vi": "Dữ liệu đầu vào có 10 lỗi", "en": "The input has 10 error(s)"},
        ),
        (
            ["trend", str(MISTAKES)],
            EXIT_INPUT,
            {"vi": "Dữ liệu đầu vào có", "en": "The input has"},
        ),
    ],
)
@pytest.mark.parametrize("lang", LANGS)
def test_expected_failures_exit_with_their_code_in_the_language_asked(
    arguments: list[str], code: int, said: dict[Lang, str], lang: Lang
) -> None:
    result = runner.invoke(app, [*arguments, "--lang", lang])
    assert result.exit_code == code, result.output
    assert said[lang] in _flat(result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.output and "Lỗi nội bộ" not in result.stderr


# A bug planted in each layer a command goes through: the use case, the computation, the
# renderer, the printing of warnings after the results.
BUGS = {
    "use case": ("kpi_tritue.app.load_catalog", ["compute", str(SAMPLE)]),
    "compute": ("kpi_tritue.compute.engine.compute", ["compute", str(SAMPLE)]),
    "render": (
        "kpi_tritue.render.report.results_json",
        ["compute", str(SAMPLE), "--format", "json"],
    ),
    "gate": ("kpi_tritue.render.gate.gate_summary", ["check", str(SAMPLE)]),
    "explain": ("kpi_tritue.compute.engine.explain", ["explain", "patents", str(SAMPLE)]),
    "listing": ("kpi_tritue.catalog.listing.catalog_text", ["indicators"]),
}


def _bug(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError("Nguyễn Văn An")


@pytest.mark.parametrize("where", sorted(BUGS))
def test_a_bug_anywhere_exits_4_and_asks_for_a_report(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, arguments = BUGS[where]
    monkeypatch.setattr(target, _bug)
    for lang, words in (("vi", "báo cho nhóm phát triển"), ("en", "report it")):
        result = runner.invoke(app, [*arguments, "--lang", lang])
        assert result.exit_code == EXIT_INTERNAL, (where, result.output)
        said = _flat(result.stderr)
        assert words in said and "ZeroDivisionError" in said and "--debug" in said
        assert "Nguyễn" not in result.output and "Traceback" not in result.output


def test_no_module_maps_errors_to_exit_codes_but_the_command_line() -> None:
    """`typer.Exit` and `sys.exit` appear in the command line (`cli/`) only; it catches in
    `_guard` (one `except Exception`) and `main`, both through `_said`."""
    source = ROOT / "src" / "kpi_tritue"
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.parent.name != "cli":
            assert "typer.Exit" not in text and "sys.exit(" not in text, path
    cli_text = (source / "cli" / "__init__.py").read_text(encoding="utf-8")
    assert cli_text.count("except Exception") == 1
    assert cli_text.count("_said(") >= 4  # defined, and called by _guard and main (twice)


def test_expected_failures_are_kpi_errors() -> None:
    kinds: tuple[type[Exception], ...] = (
        UsageError,
        InputError,
        OutputError,
        UnknownIndicator,
        CatalogError,
        BaselineError,
        InvalidRows,
        UnusablePaths,
    )
    assert all(issubclass(kind, KpiError) for kind in kinds)
    assert issubclass(CatalogError, InputError) and issubclass(BaselineError, InputError)
    assert issubclass(UnknownIndicator, UsageError) and issubclass(UnusablePaths, UsageError)


def test_every_key_a_failure_is_raised_with_is_a_sentence_of_i18n() -> None:
    """A key that is not in `i18n.TEXT` would be shown to the user as it is (a dotted
    name, in no language): every literal key a failure is raised with in the code must be
    a sentence of i18n."""
    import ast

    kinds = {"KpiError", "UsageError", "InputError"}
    keys: list[tuple[str, str]] = []
    for path in sorted((ROOT / "src" / "kpi_tritue").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else None
            first = node.args[0]
            if name in kinds and isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.append((f"{path.name}:{node.lineno}", first.value))
    assert len(keys) >= 2
    assert [(where, key) for where, key in keys if key not in TEXT] == []


def test_a_control_character_quoted_by_an_error_never_reaches_the_terminal() -> None:
    """The error panel quotes what the user gave (an indicator id, an `--as-of` value, a
    path): an escape sequence in it is shown as `�`, not run by the terminal."""
    result = runner.invoke(app, ["explain", "bad\x1b[2J\x07id", str(SAMPLE)])
    assert result.exit_code == EXIT_USAGE
    assert "bad\ufffd[2J\ufffdid" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
