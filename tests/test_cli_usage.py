"""Click's own usage errors in the user's language (cli/usage.py): Vietnamese by default,
English with --lang en; exit code 2 and click's layout kept."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kpi_tritue.cli import app
from kpi_tritue.cli.usage import lang_of

runner = CliRunner()


@pytest.mark.parametrize(
    ("arguments", "vietnamese", "english"),
    [
        (
            ["check"],
            "Lỗi: thiếu đối số FILE...: hãy cho ít nhất một bảng tính hoặc thư mục.",
            "Error: missing argument FILE...: give at least one workbook or folder.",
        ),
        (
            ["check", "a.xlsx", "--format", "nope"],
            "Lỗi: giá trị `nope` không dùng được cho --format; hãy chọn một trong: table, json.",
            "Error: `nope` is not a value of --format; choose one of: table, json.",
        ),
        (
            ["check", "a.xlsx", "--tolerance", "abc"],
            "Lỗi: --tolerance cần một số, không phải `abc` (dùng dấu chấm cho phần thập phân: "
            "0.5).",
            "Error: --tolerance needs a number, not `abc` (with a decimal point: 0.5).",
        ),
        (
            ["check", "a.xlsx", "--xyzzy"],
            "Lỗi: không có tùy chọn --xyzzy.",
            "Error: no such option: --xyzzy.",
        ),
        (
            ["check", "a.xlsx", "--fail-on"],
            "Lỗi: tùy chọn --fail-on cần một giá trị ngay sau nó.",
            "Error: option --fail-on needs a value after it.",
        ),
        (
            ["chek", "a.xlsx"],
            "Lỗi: không có lệnh `chek`. Các lệnh: validate, compute, export, template, check, "
            "indicators, explain, trend. Có phải ý bạn là check?",
            "Error: no such command `chek`. Commands: validate, compute, export, template, "
            "check, indicators, explain, trend. Did you mean check?",
        ),
        (
            ["template", "extra"],
            "Lỗi: thừa đối số: extra.",
            "Error: unexpected extra argument: extra.",
        ),
    ],
)
def test_a_usage_error_is_said_in_the_users_language(
    arguments: list[str], vietnamese: str, english: str
) -> None:
    said = runner.invoke(app, arguments)
    assert said.exit_code == 2
    assert said.stderr.rstrip().splitlines()[-1] == vietnamese
    assert said.stdout == ""
    # --lang en on the line, even past the error (the command is never run); after the
    # command's name, as the options belong to it.
    where = 1 if arguments[0] != "chek" else len(arguments)
    english_run = runner.invoke(app, [*arguments[:where], "--lang", "en", *arguments[where:]])
    assert english_run.exit_code == 2
    assert english_run.stderr.rstrip().splitlines()[-1] == english


def test_the_usage_line_and_the_hint_come_first() -> None:
    said = runner.invoke(app, ["check", "a.xlsx", "--xyzzy"])
    assert said.stderr.splitlines()[:3] == [
        "Cách dùng: kpi check [OPTIONS] FILE...",
        "Xem hướng dẫn: kpi check --help",
        "",
    ]


def test_what_a_message_quotes_is_bounded() -> None:
    said = runner.invoke(app, ["check", "a.xlsx", "--format", "x" * 5000])
    assert said.exit_code == 2
    assert len(said.stderr) < 500


def test_help_and_no_arguments_still_work() -> None:
    assert runner.invoke(app, ["check", "--help"]).exit_code == 0
    bare = runner.invoke(app, [])
    assert bare.exit_code == 2
    assert "Commands:" in bare.output


@pytest.mark.parametrize(
    ("arguments", "lang"),
    [([], "vi"), (["--lang", "en"], "en"), (["--lang=en"], "en"), (["--lang"], "vi")],
)
def test_the_language_is_read_from_the_command_line(arguments: list[str], lang: str) -> None:
    assert lang_of(["check", *arguments]) == lang
