"""The command line through Typer's CliRunner: exit codes, formats, languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.cli import app

runner = CliRunner()
ROOT = Path(__file__).parent.parent


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "good.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("A1")]})


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    rows = [WORKFORCE_HEADER, person("A1"), person("A2", level="Trung ương")]
    return write_workbook(tmp_path / "bad.xlsx", {"NhanSu": rows})


def test_every_command_has_help_text() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in app.registered_commands:
        assert command.callback is not None and command.callback.__doc__, command.name


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


def test_validate_json_is_deterministic_and_complete(bad: Path) -> None:
    first = runner.invoke(app, ["validate", str(bad), "--format", "json"])
    second = runner.invoke(app, ["validate", str(bad), "--format", "json"])
    assert first.exit_code == 3
    assert first.stdout == second.stdout
    document = json.loads(first.stdout)
    assert set(document) == {"tool", "version", "as_of", "report_year", "sources", "issues"}
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

    source = "\n".join(p.read_text() for p in (ROOT / "src" / "kpi_tritue").glob("*.py"))
    raised = set(re.findall(r"Severity\.\w+,\s*\n?\s*\"([a-z_]+)\"", source))
    assert len(raised) > 20
    # Codes made at run time: cell problems, unreadable files, ThongTin values.
    from kpi_tritue import values

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
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 3
    assert "[x]" in result.stdout
    assert "[b]bad.xlsx" in result.stdout
    computed = runner.invoke(app, ["compute", str(path), "--skip-invalid", "--by", "unit"])
    assert computed.exit_code == 0, computed.output
    assert "[bold]Sở[/bold] [red]Y tế" in computed.stdout


def test_a_command_that_read_workbooks_ends_the_process_once_its_output_is_out(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Reads may be left running in native threads; Python's shutdown would then abort
    (exit 134) instead of exiting with the command's code."""
    import sys

    from kpi_tritue import cli

    ended: list[int] = []

    def end(code: int) -> None:
        ended.append(code)
        raise SystemExit(code)  # stands in for os._exit, which would end the test run

    monkeypatch.setattr(cli.os, "_exit", end)
    monkeypatch.setattr(sys, "argv", ["kpi", "compute", str(tmp_path / "absent.xlsx")])
    import kpi_tritue.reader  # noqa: F401 -- as after any command that read a workbook

    with pytest.raises(SystemExit):
        cli.main()
    assert ended == [2]
    monkeypatch.delitem(sys.modules, "kpi_tritue.reader")
    monkeypatch.setattr(sys, "argv", ["kpi", "--help"])
    with pytest.raises(SystemExit) as plain:
        cli.main()
    assert plain.value.code == 0 and ended == [2]


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
