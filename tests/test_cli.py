"""The command line through Typer's CliRunner: exit codes, formats, languages."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.cli import app, choose_arrow_pool

runner = CliRunner()
ROOT = Path(__file__).parent.parent


@pytest.fixture
def good(tmp_path: Path) -> Path:
    # A good workbook states its report year: without one, today's date is a warning.
    info = [["Mục", "Giá trị"], ["Năm báo cáo", 2024]]
    return write_workbook(
        tmp_path / "good.xlsx", {"ThongTin": info, "NhanSu": [WORKFORCE_HEADER, person("A1")]}
    )


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    rows = [WORKFORCE_HEADER, person("A1"), person("A2", level="Trung ương")]
    return write_workbook(tmp_path / "bad.xlsx", {"NhanSu": rows})


def test_every_command_has_help_text() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in app.registered_commands:
        assert command.help, command.name


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ("validate", "Usage: kpi validate [OPTIONS] FILE..."),
        ("compute", "Usage: kpi compute [OPTIONS] FILE..."),
        ("export", "Usage: kpi export [OPTIONS] FILE..."),
        ("check", "Usage: kpi check [OPTIONS] FILE..."),
        ("trend", "Usage: kpi trend [OPTIONS] FILE..."),
        ("explain", "Usage: kpi explain [OPTIONS] ID FILE..."),
        ("indicators", "Usage: kpi indicators [OPTIONS] [ID]"),
        ("template", "Usage: kpi template [OPTIONS]"),
    ],
)
def test_help_shows_placeholders_people_read(command: str, usage: str) -> None:
    """`FILE...`, `DATE`, `STATUS,...`: not Typer's `{files}...`, `<str>` or `<path>`."""
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == usage
    assert re.findall(r"<(?:str|path|float|int|text)>|\{\w+\}", result.stdout) == []
    placeholders = {
        "--as-of": "DATE",
        "--targets": "FILE.toml",
        "--baseline": "FILE.json",
        "--fail-on": "STATUS,...",
        "--junit": "FILE.xml",
        "--xlsx": "FILE.xlsx",
        "--output": "FILE.xlsx",
    }
    expected = {
        "validate": ["--as-of"],
        "compute": ["--as-of", "--targets", "--baseline", "--xlsx"],
        "export": ["--as-of", "--targets", "--output"],
        "check": ["--as-of", "--targets", "--baseline", "--fail-on", "--junit"],
        "trend": ["--as-of", "--targets"],
        "explain": ["--as-of", "--targets"],
        "indicators": ["--targets"],
        "template": ["--output"],
    }[command]
    shown = [
        option for option in placeholders if f"{option} {placeholders[option]} " in result.stdout
    ]
    assert [option for option in expected if option not in shown] == []


def test_validate_a_good_workbook_exits_0(good: Path) -> None:
    result = runner.invoke(app, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "Không phát hiện vấn đề nào" in result.stdout


def test_validate_a_bad_workbook_exits_3_and_names_the_cell(bad: Path) -> None:
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 3
    assert "NhanSu!D3" in result.stdout
    assert "Trung ương" in result.stdout
    assert "Traceback" not in result.output


def test_validate_in_english(bad: Path) -> None:
    result = runner.invoke(app, ["validate", str(bad), "--lang", "en"])
    assert result.exit_code == 3
    assert "is not a valid Cấp" in result.stdout
    assert "1 error(s)" in result.stderr


def test_validate_counts_every_file_given_a_broken_one_too(good: Path) -> None:
    """The summary's count is of the files given (their lines), not of those read: a
    workbook that cannot be opened is one of them."""
    broken = good.parent / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:600])
    result = runner.invoke(app, ["validate", str(good.parent), "--lang", "en"])
    assert result.exit_code == 3
    assert "broken.xlsx" in result.stdout and "good.xlsx" in result.stdout
    assert result.stderr.splitlines()[-1] == "1 error(s), 0 warning(s), 0 info in 2 file(s)."


def test_validate_counts_a_folder_without_workbooks_as_no_file(good: Path) -> None:
    """A folder given that holds no workbook has its line and its error, but is no file."""
    empty = good.parent / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["validate", str(good), str(empty), "--lang", "en"])
    assert result.exit_code == 3
    assert "no_workbooks_in_folder" in result.stdout
    assert result.stderr.splitlines()[-1].endswith(" in 1 file(s).")
    alone = runner.invoke(app, ["validate", str(empty), "--lang", "en"])
    assert alone.stderr.splitlines()[-1] == "1 error(s), 0 warning(s), 0 info in 0 file(s)."


def test_validate_json_is_deterministic_and_complete(bad: Path) -> None:
    first = runner.invoke(app, ["validate", str(bad), "--format", "json"])
    second = runner.invoke(app, ["validate", str(bad), "--format", "json"])
    assert first.exit_code == 3
    assert first.stdout == second.stdout
    document = json.loads(first.stdout)
    assert set(document) == {
        "tool",
        "version",
        "as_of",
        "report_year",
        "files",
        "sources",
        "issues",
        "derived",
    }
    assert document["sources"][0]["path"] == bad.as_posix()
    assert len(document["sources"][0]["sha256"]) == 64
    (issue,) = [i for i in document["issues"] if i["severity"] == "error"]
    assert issue == {
        "severity": "error",
        "code": "bad_enum",
        "message": issue["message"],
        "file": bad.as_posix(),
        "sheet": "NhanSu",
        "row": 3,
        "column": "Cấp",
        "cell": "D3",
    }


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2
    assert "nope.xlsx" in result.stderr


def test_a_bad_as_of_is_a_usage_error(good: Path) -> None:
    result = runner.invoke(app, ["validate", str(good), "--as-of", "2025-13-01"])
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_as_of_option_is_stated(good: Path) -> None:
    result = runner.invoke(app, ["validate", str(good), "--as-of", "31/12/2025"])
    assert result.exit_code == 0
    assert "31/12/2025" in result.stdout and "--as-of" in result.stdout


def test_not_a_workbook_exits_3_without_traceback(tmp_path: Path) -> None:
    fake = tmp_path / "data.xlsx"
    fake.write_text("Mã,Họ và tên\nA1,Nguyễn Văn A\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(fake)])
    assert result.exit_code == 3
    assert "not_a_workbook" in result.stdout
    assert "Traceback" not in result.output
    assert "Nguyễn" not in result.output


def test_input_files_are_never_modified(bad: Path) -> None:
    before = bad.read_bytes()
    runner.invoke(app, ["validate", str(bad), "--format", "json"])
    assert bad.read_bytes() == before


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("kpi ")


def test_every_issue_code_raised_anywhere_has_a_message_in_both_languages() -> None:
    import re

    from kpi_tritue.i18n import ISSUE_MESSAGES

    source = "\n".join(p.read_text() for p in (ROOT / "src" / "kpi_tritue").rglob("*.py"))
    raised = set(re.findall(r"Severity\.\w+,\s*\n?\s*\"([a-z_]+)\"", source))
    assert len(raised) > 20
    # Codes made at run time: cell problems, unreadable files, ThongTin values.
    from kpi_tritue.contract import values

    raised |= {
        v
        for k, v in vars(values).items()
        if k.isupper() and isinstance(v, str) and v.isidentifier()
    }
    raised |= set(re.findall(r"UnreadableWorkbook\(\"([a-z_]+)\"", source))
    raised |= {"bad_report_year", "bad_as_of"}
    missing = sorted(code for code in raised if code not in ISSUE_MESSAGES)
    assert missing == []
    for code, messages in ISSUE_MESSAGES.items():
        assert set(messages) == {"vi", "en"}, code


def test_text_from_the_input_is_never_read_as_terminal_markup(tmp_path: Path) -> None:
    header = [*WORKFORCE_HEADER, "Phù hợp vị trí việc làm"]
    rows = [
        header,
        [*person("A1", unit="[bold]Sở[/bold] [red]Y tế"), "x"],
        [*person("A2", level="[x]"), "x"],
    ]
    path = write_workbook(tmp_path / "[b]bad.xlsx", {"NhanSu": rows})
    result = runner.invoke(app, ["validate", str(path), "--as-of", "31/12/2024"])
    assert result.exit_code == 3
    assert "[x]" in result.stdout
    assert "[b]bad.xlsx" in result.stdout
    computed = runner.invoke(app, ["compute", str(path), "--skip-invalid", "--by", "unit"])
    assert computed.exit_code == 0, computed.output
    assert "[bold]Sở[/bold] [red]Y tế" in computed.stdout


def test_a_command_that_fails_early_leaves_no_read_running(
    monkeypatch: pytest.MonkeyPatch, good: Path, tmp_path: Path
) -> None:
    """The workbook is parsed while the command imports; a command that fails before it
    takes the read over (here, on its --targets) waits for it before it exits: a native
    thread still parsing when the interpreter shuts down would abort it (exit 134)."""
    import sys
    import threading
    import time

    from kpi_tritue import cli
    from kpi_tritue.io import reader

    loaded: list[str] = []
    failed_early = threading.Event()
    parse, say = reader.Workbook._read_eager, cli._print_error

    def slow(self: reader.Workbook, name: str) -> object:
        failed_early.wait(timeout=30)
        time.sleep(0.3)  # still going when the command has failed
        loaded.append(name)
        return parse(self, name)

    def said(message: str, lang: str) -> None:
        say(message, lang)
        failed_early.set()

    monkeypatch.setattr(reader.Workbook, "_read_eager", slow)
    monkeypatch.setattr(cli, "_print_error", said)
    absent = str(tmp_path / "absent.toml")
    monkeypatch.setattr(sys, "argv", ["kpi", "compute", str(good), "--targets", absent])
    with pytest.raises(SystemExit) as failed:
        cli.main()
    assert failed.value.code == 2
    assert loaded == ["NhanSu"]
    assert [t for t in threading.enumerate() if t.name == "kpi-read-ahead"] == []
    monkeypatch.setattr(sys, "argv", ["kpi", "--help"])
    with pytest.raises(SystemExit) as plain:
        cli.main()
    assert plain.value.code == 0


def test_a_finished_command_hands_nothing_it_read_to_a_later_read(
    monkeypatch: pytest.MonkeyPatch, good: Path
) -> None:
    """The read ahead is the command's: once the command has ended (here through Typer's
    runner, without `main`), a later read of the same file in the same process opens it
    afresh, under the limits then in force."""
    from kpi_tritue.io import read_ahead
    from kpi_tritue.io.dataset import load_dataset

    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    assert read_ahead._ahead == ()
    monkeypatch.setenv("KPI_MAX_COLUMNS", "2")
    assert "far_cells_ignored" in [issue.code for issue in load_dataset([str(good)]).issues]


def test_the_table_stays_readable_at_eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe, a CI log or a small terminal: the indicator names keep room to be read."""
    sample = Path(__file__).parents[1] / "data" / "samples" / "ha_tinh_2024.xlsx"
    monkeypatch.setenv("COLUMNS", "80")
    narrow = runner.invoke(app, ["compute", str(sample)])
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "Chỉ tiêu" in line)
    assert header.index("┃", 1) > 20  # the name column is the widest one
    assert "Số bác sĩ trên 10.000" in narrow.stdout and "Khoảng cách" not in narrow.stdout
    monkeypatch.setenv("COLUMNS", "120")
    wide = runner.invoke(app, ["compute", str(sample)])
    assert "Khoảng cách" in wide.stdout and "Mục" in wide.stdout.splitlines()[2]


# --- Exit codes: a bug is 4, an expected failure keeps its code -----------------------------

SAMPLE = ROOT / "data" / "samples" / "ha_tinh_2024.xlsx"
A_NAME = "Nguyễn Văn An"  # what a bug's exception could quote from a cell


def _flat(text: str) -> str:
    """A message as read, without the panel's borders and line breaks."""
    return " ".join(text.replace("\u2502", " ").split())


def _bug(*args: object, **kwargs: object) -> None:
    raise KeyError(A_NAME)


# Each command, and one function it calls that a bug is planted in.
BUGS = {
    "validate": ("kpi_tritue.io.dataset.load_dataset", ["validate", "{good}"]),
    "compute": ("kpi_tritue.io.dataset.load_dataset", ["compute", "{good}"]),
    "export": ("kpi_tritue.io.dataset.load_dataset", ["export", "{good}", "-o", "{out}"]),
    "check": ("kpi_tritue.io.dataset.load_dataset", ["check", "{good}"]),
    "explain": ("kpi_tritue.io.dataset.load_dataset", ["explain", "doctors_per_10k", "{good}"]),
    "trend": ("kpi_tritue.io.series.load_series", ["trend", "{good}"]),
    "template": ("kpi_tritue.render.template.write_template", ["template", "-o", "{out}"]),
    "indicators": ("kpi_tritue.catalog.listing.packaged_listing", ["indicators"]),
}


def _arguments(command: str, good: Path, tmp_path: Path) -> tuple[str, list[str]]:
    target, arguments = BUGS[command]
    out = str(tmp_path / "out.xlsx")
    return target, [a.format(good=good, out=out) for a in arguments]


@pytest.mark.parametrize("command", sorted(BUGS))
def test_a_bug_in_any_command_exits_4_and_asks_for_a_report(
    command: str, good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, arguments = _arguments(command, good, tmp_path)
    monkeypatch.setattr(target, _bug)
    result = runner.invoke(app, arguments)
    assert result.exit_code == 4, result.output
    said = _flat(result.stderr)
    assert "Lỗi nội bộ" in said and "--debug" in said and "KeyError" in said
    assert "báo cho nhóm phát triển" in said
    assert "Traceback" not in result.output
    assert A_NAME not in result.output  # the exception's text may quote a cell
    english = runner.invoke(app, [*arguments, "--lang", "en"])
    assert english.exit_code == 4
    assert "bug" in _flat(english.stderr) and "report it" in _flat(english.stderr)


def test_with_debug_a_bug_shows_its_traceback_and_still_exits_4(
    good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("kpi_tritue.io.dataset.load_dataset", _bug)
    result = runner.invoke(app, ["compute", str(good), "--debug"])
    assert result.exit_code == 4
    assert "Traceback" in result.stderr and "KeyError" in result.stderr
    assert "--debug" in result.stderr


@pytest.mark.parametrize(
    ("error", "code"),
    [
        ("InputError", 3),
        ("OutputError", 2),
    ],
)
def test_expected_failures_keep_their_codes(
    error: str, code: int, good: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpi_tritue import errors

    def refuse(*args: object, **kwargs: object) -> None:
        raise getattr(errors, error)("Sửa tệp rồi chạy lại.")

    monkeypatch.setattr("kpi_tritue.io.dataset.load_dataset", refuse)
    result = runner.invoke(app, ["compute", str(good)])
    assert result.exit_code == code
    assert "Sửa tệp rồi chạy lại." in _flat(result.stderr)
    assert "Lỗi nội bộ" not in result.stderr


def test_a_bad_targets_file_is_still_an_input_error(good: Path, tmp_path: Path) -> None:
    targets = tmp_path / "targets.toml"
    targets.write_text("[[indicator]\n", encoding="utf-8")
    result = runner.invoke(app, ["compute", str(good), "--targets", str(targets)])
    assert result.exit_code == 3
    assert "Lỗi nội bộ" not in result.stderr


# --- The real process: file descriptors, encodings, file names -----------------------------


def _child_environment(**extra: str) -> dict[str, str]:
    """The environment of a child `python`: it imports the package under test, wherever
    it runs from (PYTHONPATH=src is relative)."""
    import kpi_tritue

    source = str(Path(kpi_tritue.__file__).parents[1])
    path = os.pathsep.join([source, *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path, **extra}


def _kpi(
    *arguments: str | bytes,
    redirect: str = "",
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m kpi_tritue ARGUMENTS REDIRECT` through sh, as a user types it."""
    environment = _child_environment(**(env or {}))
    script = f'exec "$0" -m kpi_tritue "$@" {redirect}'
    return subprocess.run(
        ["sh", "-c", script, sys.executable, *arguments],
        capture_output=True,
        env=environment,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def _clean(run: subprocess.CompletedProcess[bytes]) -> str:
    """stderr, decoded strictly: a message that cannot be printed is a bug too."""
    stderr = run.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    return stderr


def test_a_closed_stdout_fails_the_run_with_a_message() -> None:
    run = _kpi("compute", str(SAMPLE), redirect=">&-")
    assert run.returncode == 2
    assert "stdout" in _clean(run) and "đã bị đóng" in _flat(run.stderr.decode())


def test_a_closed_stdout_does_not_matter_to_a_command_that_prints_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "r.xlsx"
    run = _kpi("export", str(SAMPLE), "-o", str(out), redirect=">&-")
    assert run.returncode == 0, run.stderr.decode()
    assert out.exists()
    _clean(run)


def test_a_closed_stderr_keeps_the_exit_code(tmp_path: Path) -> None:
    run = _kpi("compute", str(SAMPLE), "--format", "json", redirect="2>&-")
    assert run.returncode == 0
    assert json.loads(run.stdout)["indicators"]
    missing = _kpi("compute", str(tmp_path / "absent.xlsx"), redirect="2>&-")
    assert missing.returncode == 2 and missing.stderr == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("output_format", ["table", "json"])
def test_a_full_disk_on_stdout_is_not_success(output_format: str) -> None:
    run = _kpi("compute", str(SAMPLE), "--format", output_format, redirect=">/dev/full")
    assert run.returncode == 2
    assert "ổ đĩa đã đầy" in _flat(_clean(run))
    english = _kpi("indicators", "--lang", "en", redirect=">/dev/full")
    assert english.returncode == 2 and "the disk is full" in _flat(_clean(english))


def test_a_reader_that_leaves_fails_the_run_quietly() -> None:
    """`kpi … | head`: the pipe is closed by its reader; no message, not a success."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte
    try:
        run = subprocess.run(
            [sys.executable, "-m", "kpi_tritue", "explain", "doctors_per_10k", str(SAMPLE)],
            stdout=write,
            stderr=subprocess.PIPE,
            env=_child_environment(),
            timeout=300,
            check=False,
        )
    finally:
        os.close(write)
    assert run.returncode == 2
    assert run.stderr.decode("utf-8") == ""


def test_an_ascii_terminal_gets_vietnamese_without_diacritics(tmp_path: Path) -> None:
    ascii_only = {"PYTHONIOENCODING": "ascii"}
    for arguments in (["validate", str(SAMPLE)], ["compute", str(SAMPLE)], ["indicators"]):
        run = _kpi(*arguments, env=ascii_only)
        assert run.returncode == 0, run.stderr
        assert run.stdout.isascii() and run.stderr.isascii()
        _clean(run)
    computed = _kpi("compute", str(SAMPLE), env=ascii_only)
    assert b"So bac si tren 10.000" in computed.stdout
    missing = _kpi("validate", str(tmp_path / "absent.xlsx"), env=ascii_only)
    assert missing.returncode == 2
    assert "Khong tim thay tep" in _flat(_clean(missing))


def test_a_file_name_that_is_not_utf8_is_printed_without_error(tmp_path: Path) -> None:
    odd = os.fsencode(tmp_path) + b"/bao_cao_\xff.xlsx"
    with open(odd, "wb") as copy:
        copy.write(SAMPLE.read_bytes())
    for env in ({}, {"PYTHONIOENCODING": "ascii"}):
        validated = _kpi("validate", odd, "--format", "json", env=env)
        assert validated.returncode in (0, 3), validated.stderr
        _clean(validated)
        document = json.loads(validated.stdout.decode("utf-8"))  # valid UTF-8, valid JSON
        assert "bao_cao_" in json.dumps(document, ensure_ascii=False)
        for arguments in (["validate"], ["compute"], ["compute", "--format", "json"]):
            run = _kpi(*arguments, odd, env=env)
            assert run.returncode in (0, 3), run.stderr
            run.stdout.decode("utf-8")
            assert "bao_cao_" in _clean(run) + run.stdout.decode("utf-8")
    missing = _kpi("validate", os.fsencode(tmp_path) + b"/thieu_\xff.xlsx")
    assert missing.returncode == 2
    assert "thieu_\ufffd.xlsx" in _flat(_clean(missing))


def test_a_bug_outside_any_command_exits_4_without_traceback(good: Path) -> None:
    planted = (
        "import sys, kpi_tritue.io.read_ahead as read_ahead\n"
        "def bug(files): raise KeyError('Nguyễn Văn An')\n"
        "read_ahead.prefetch = bug\n"
        "from kpi_tritue.cli import main\n"
        "sys.argv = ['kpi', *sys.argv[1:]]\n"
        "main()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", planted, "compute", str(good)],
        capture_output=True,
        env=_child_environment(),
        timeout=300,
        check=False,
    )
    assert run.returncode == 4
    stderr = _flat(_clean(run))
    assert "Lỗi nội bộ" in stderr and "--debug" in stderr and "Nguyễn" not in stderr
    debug = subprocess.run(
        [sys.executable, "-c", planted, "compute", str(good), "--debug"],
        capture_output=True,
        env=_child_environment(),
        timeout=300,
        check=False,
    )
    assert debug.returncode == 4 and b"Traceback" in debug.stderr


# ---------------------------------------------------------------------------------------
# The root cause first, once (issue 14)


def _issues(arguments: list[str]) -> list[dict[str, object]]:
    result = runner.invoke(app, [*arguments, "--format", "json"])
    issues: list[dict[str, object]] = json.loads(result.stdout)["issues"]
    return issues


@pytest.fixture
def figures_that_differ(tmp_path: Path) -> Path:
    return write_workbook(
        tmp_path / "a.xlsx",
        {
            "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", 2024]],
            "NhanSu": [WORKFORCE_HEADER, person("A1"), person("A2")],
            "SoLieu": [
                ["Chỉ tiêu", "Giá trị", "Năm", "Địa bàn"],
                ["Dân số", 1_320_000, 2024, None],
                ["Dân số", 1_000_000, 2024, "Huyện Kỳ Anh"],
                ["Dân số", 312_600, 2024, "Thành phố Hà Tĩnh"],
                ["Lực lượng lao động", 720_000, 2023, None],
            ],
            "MocCongViec": [["Mã mốc", "Trạng thái"], ["khong_co", "Hoàn thành"]],
        },
    )


@pytest.mark.parametrize(
    ("lang", "province", "areas"),
    [("vi", "1.320.000", "1.312.600"), ("en", "1,320,000", "1,312,600")],
)
def test_validate_finds_what_compute_finds_in_the_data(
    figures_that_differ: Path, lang: str, province: str, areas: str
) -> None:
    path = str(figures_that_differ)
    validated = _issues(["validate", path, "--lang", lang])
    computed = _issues(["compute", path, "--lang", lang])
    assert validated == computed
    assert {issue["code"] for issue in validated} >= {"figure_total_differs", "unknown_milestone"}
    differs = next(i for i in validated if i["code"] == "figure_total_differs")
    assert f"({province})" in str(differs["message"]) and f"({areas})" in str(differs["message"])


def test_validate_runs_compute_s_checks_on_the_rows_compute_would_keep(tmp_path: Path) -> None:
    rows = [WORKFORCE_HEADER, person("A1"), person("A2", level="Trung ương")]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {
            "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", 2024]],
            "NhanSu": rows,
            "SoLieu": [
                ["Chỉ tiêu", "Giá trị", "Địa bàn"],
                ["Dân số", 10, None],
                ["Dân số", 7, "Huyện Kỳ Anh"],
            ],
        },
    )
    validated = _issues(["validate", str(path)])
    computed = _issues(["compute", str(path), "--skip-invalid"])
    assert [i["code"] for i in validated] == ["bad_enum", "figure_total_differs"]
    assert validated == computed


def test_a_workbook_without_a_required_column_is_one_error_in_every_command(
    tmp_path: Path,
) -> None:
    # (Not Cấp, which may be absent since official lists carry none: test_registry.py
    # has this test for a list without Cấp and without a registry.)
    missing = "Trình độ chuyên môn"
    header = [h for h in WORKFORCE_HEADER if h != missing]
    rows = [
        header,
        *(
            [v for h, v in zip(WORKFORCE_HEADER, person(f"A{n}"), strict=True) if h != missing]
            for n in range(3)
        ),
    ]
    path = write_workbook(
        tmp_path / "a.xlsx",
        {
            "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", 2024]],
            "NhanSu": rows,
            "DonVi": [["Đơn vị"], ["Sở Y tế"], ["Sở Tư pháp"]],
        },
    )
    for command in (["validate"], ["compute"], ["compute", "--skip-invalid"]):
        result = runner.invoke(app, [*command, str(path), "--format", "json"])
        assert result.exit_code == 3, command
        said = result.stdout if command == ["validate"] else result.stderr
        assert said.count("header_not_found") == 1, command
        assert "unit_without_staff" not in said, command
        if command == ["validate"]:
            issues = json.loads(said)["issues"]
            assert [i["code"] for i in issues] == ["header_not_found"]
        else:
            assert "warning" not in said and "cảnh báo" not in said, command
        # Leaving bad rows out cannot help: the option is not advised.
        assert "dùng --skip-invalid" not in said, command


def test_today_as_reference_is_one_warning_not_a_figure_of_an_earlier_year_each(
    tmp_path: Path,
) -> None:
    figures = [["Chỉ tiêu", "Giá trị", "Năm"], ["Dân số", 1_320_000, 2024]]
    path = str(
        write_workbook(
            tmp_path / "a.xlsx",
            {"NhanSu": [WORKFORCE_HEADER, person("A1")], "SoLieu": figures},
        )
    )
    for command in ("validate", "compute"):
        assert [i["code"] for i in _issues([command, path])] == ["as_of_today"], command
        # With a reference date given, the figure of 2024 is one of an earlier year.
        dated = _issues([command, path, "--as-of", "31/12/2025"])
        assert [i["code"] for i in dated] == ["figure_earlier_year"], command


def test_the_collector_is_paused_while_a_command_runs_and_is_back_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`main` runs the command with the cyclic collector paused (issue 14, round 10), and
    puts it back as it found it (here, in the test's process, on)."""
    from kpi_tritue import cli

    assert gc.isenabled()
    during: list[bool] = []
    monkeypatch.setattr(cli, "app", lambda: during.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["kpi", "indicators"])
    try:
        with pytest.raises(SystemExit) as done:
            cli.main()
    finally:
        gc.unfreeze()
    assert done.value.code == 0
    assert during == [False]
    assert gc.isenabled()


# Arrow's allocator (`cli.choose_arrow_pool`, issue 14, round 17).


def test_arrow_allocates_from_the_c_library_unless_the_user_chose_another() -> None:
    chosen: dict[str, str] = {}
    choose_arrow_pool(chosen)
    assert chosen == {"ARROW_DEFAULT_MEMORY_POOL": "system"}
    mine = {"ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}
    choose_arrow_pool(mine)
    assert mine == {"ARROW_DEFAULT_MEMORY_POOL": "jemalloc"}


@pytest.mark.parametrize(("setting", "used"), [(None, "system"), ("mimalloc", "mimalloc")])
def test_a_command_runs_with_the_arrow_pool_chosen(setting: str | None, used: str) -> None:
    """In a process of its own, as a user runs it: the pool `main` chose before anything
    imported pyarrow is the one Arrow allocated from, or the one the user set."""
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if setting is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = setting
    code = (
        "import atexit, sys\n"
        "def said():\n"
        "    import pyarrow as pa\n"
        "    sys.stderr.write('pool=' + pa.default_memory_pool().backend_name)\n"
        "atexit.register(said)\n"
        "from kpi_tritue.cli import main\n"
        f"sys.argv = ['kpi', 'compute', {str(SAMPLE)!r}, '--format', 'json']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["catalog"] == "ha-tinh-2030"
    assert done.stderr.endswith(f"pool={used}")
