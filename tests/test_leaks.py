"""Issue 12, leaks and floods: what a hostile workbook puts in its cells never leaks a
name, drives the terminal or becomes a formula, and one mistake repeated a million times
is one summary, not a million issues. Workbooks are generated here, in tmp_path."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person
from kpi_tritue.cli import app
from kpi_tritue.contract.privacy import fold
from kpi_tritue.i18n.numbers import FORMULA_START
from kpi_tritue.io import sheet, sheet_table
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.model.issues import MORE_ISSUES

runner = CliRunner()
HEADER = [*WORKFORCE_HEADER, "Phù hợp vị trí việc làm"]
UNITS_HEADER = ["Đơn vị", "Cấp", "Lĩnh vực"]


def staff(id_: str, **fields: Any) -> list[Any]:
    return [*person(id_, **fields), "x"]


def write(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """Like builders.write_workbook, but every text is a text cell (`=x` too, not a formula)."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    book.save(path)
    return path


def outputs(path: Path, folder: Path, *extra: str) -> list[str]:
    """Every text `kpi` writes for a workbook: validate, compute, explain, export."""
    texts = [runner.invoke(app, ["validate", str(path), *extra]).output]
    texts.append(runner.invoke(app, ["validate", str(path), "--format", "json", *extra]).output)
    for fmt in ("table", "json", "csv", "markdown"):
        args = ["compute", str(path), "--skip-invalid", "--by", "unit", "--format", fmt, *extra]
        texts.append(runner.invoke(app, args).output)
    for fmt in ("table", "csv", "json"):
        args = ["explain", "job_position_fit", str(path), "--skip-invalid", "--format", fmt]
        texts.append(runner.invoke(app, [*args, *extra]).output)
    report = folder / "report.xlsx"
    args = ["export", str(path), "--skip-invalid", "--by", "unit", "-o", str(report), *extra]
    exported = runner.invoke(app, args)
    texts.append(exported.output)
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(report) as archive:
        texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
    return texts


def issues_of(path: Path, *, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["validate", str(path), "--format", "json"], env=env)
    issues: list[dict[str, Any]] = json.loads(result.stdout)["issues"]
    return issues


# ---------------------------------------------------------------------------------------
# Floods


def test_one_mistake_repeated_is_a_hundred_issues_and_a_count(tmp_path: Path) -> None:
    rows = [HEADER] + [staff(f"A{i}", level="Trung ương") for i in range(250)]
    path = write(tmp_path / "flood.xlsx", {"NhanSu": rows})
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 3
    issues = json.loads(result.stdout)["issues"]
    assert sum(i["code"] == "bad_enum" for i in issues) == 100
    (summary,) = [i for i in issues if i["code"] == MORE_ISSUES]
    assert summary["more"] == {"code": "bad_enum", "count": 150}
    assert summary["severity"] == "error" and summary["row"] == 102
    assert "150" in summary["message"] and "KPI_MAX_ISSUES_PER_CODE" in summary["message"]
    # The summary line counts every problem, the ones only counted too.
    assert "250 lỗi" in result.output
    stopped = runner.invoke(app, ["compute", str(path)])
    assert stopped.exit_code == 3 and "có 250 lỗi" in stopped.output
    # The limit is a setting: raised, every issue is listed.
    raised = issues_of(path, env={"KPI_MAX_ISSUES_PER_CODE": "1000"})
    assert sum(i["code"] == "bad_enum" for i in raised) == 250
    assert not any(i["code"] == MORE_ISSUES for i in raised)


def test_the_limit_changes_no_invalid_row_nor_the_exit_code(tmp_path: Path) -> None:
    rows = [HEADER] + [staff(f"A{i}", level="??") for i in range(150)]
    rows += [staff(f"B{i}", birth_date="31/02/1980") for i in range(120)]
    rows += [staff(f"C{i}") for i in range(30)]
    path = write(tmp_path / "flood.xlsx", {"NhanSu": rows})
    skipped: list[Any] = []
    for limit in ("1", "100000"):
        env = {"KPI_MAX_ISSUES_PER_CODE": limit}
        args = ["compute", str(path), "--skip-invalid", "--format", "json"]
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
        skipped.append(json.loads(result.stdout)["skipped_rows"])
        assert runner.invoke(app, ["validate", str(path)], env=env).exit_code == 3
    assert skipped == [270, 270]


def test_rows_past_the_limit_are_never_looked_at_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [HEADER] + [staff(f"A{i}", level="??", qualification="??") for i in range(3000)]
    path = write(tmp_path / "flood.xlsx", {"NhanSu": rows})
    calls = 0
    looked_up = sheet_table.id_at

    def counting(ids: Any, index: Any) -> str:
        nonlocal calls
        calls += 1
        return looked_up(ids, index)

    # Wherever a row's ID is looked up: the cells of a sheet, and its rules across cells.
    monkeypatch.setattr(sheet, "id_at", counting)
    monkeypatch.setattr(sheet_table, "id_at", counting)
    dataset = load_dataset([str(path)])
    # Two columns of one code: 100 issues kept, plus the first one left out, per column.
    assert calls <= 2 * 101
    assert int(dataset.tables["workforce"].frame["_invalid"].sum()) == 3000


def test_a_column_of_excel_errors_is_a_hundred_issues_and_a_count(tmp_path: Path) -> None:
    path = write(tmp_path / "na.xlsx", {"NhanSu": [HEADER] + [staff(f"A{i}") for i in range(300)]})
    book = __import__("openpyxl").load_workbook(path)
    for row in range(2, 302):
        cell = book["NhanSu"].cell(row=row, column=4)
        cell.value, cell.data_type = "#N/A", "e"
    book.save(path)
    issues = issues_of(path)
    assert sum(i["code"] == "cell_error" for i in issues) == 100
    (summary,) = [i for i in issues if i["code"] == MORE_ISSUES]
    assert summary["more"] == {"code": "cell_error", "count": 200}
    dataset = load_dataset([str(path)])
    assert int(dataset.tables["workforce"].frame["_invalid"].sum()) == 300


def test_many_unknown_sheets_are_a_hundred_notices_and_a_count(tmp_path: Path) -> None:
    sheets: dict[str, Sequence[Sequence[Any]]] = {"NhanSu": [HEADER, staff("A1")]}
    sheets.update({f"Trang {i}": [["x"]] for i in range(130)})
    issues = issues_of(write(tmp_path / "s.xlsx", sheets))
    assert sum(i["code"] == "unknown_sheet" for i in issues) == 100
    (summary,) = [i for i in issues if i["code"] == MORE_ISSUES]
    assert summary["more"] == {"code": "unknown_sheet", "count": 30}


def test_a_long_cell_is_quoted_cut_to_80_characters(tmp_path: Path) -> None:
    value = "Trung ương " * 1000
    path = write(tmp_path / "long.xlsx", {"NhanSu": [HEADER, staff("A1", level=value)]})
    (issue,) = [i for i in issues_of(path) if i["code"] == "bad_enum"]
    quoted = issue["message"].split("\u201c")[1].split("\u201d")[0]
    assert len(quoted) == 80 and quoted.endswith("…")


# ---------------------------------------------------------------------------------------
# Names


family = st.sampled_from(["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đặng"])
middle = st.sampled_from(["Văn", "Thị", "Hữu", "Đức"])
given_name = st.text(alphabet="ABCDEGHKLMNPQRSTVXY", min_size=6, max_size=9)
name_strategy = st.tuples(family, middle, given_name).map(" ".join)


def strip_marks(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


VARIANTS = {
    "as is": lambda n: n,
    "with a suffix": lambda n: f"{n} (GV)",
    "a letter more": lambda n: f"{n}x",
    "zero-width space": lambda n: n.replace(" ", "\u200b", 1),
    "no diacritics": strip_marks,
    "upper case": str.upper,
    "decomposed": lambda n: __import__("unicodedata").normalize("NFD", n),
    "spaced out": lambda n: "  ".join(n.split()),
}
variant = st.sampled_from(sorted(VARIANTS))


@settings(max_examples=6, deadline=None)
@given(
    names=st.lists(name_strategy, min_size=4, max_size=4, unique_by=fold),
    in_unit=variant,
    in_units_sheet=variant,
    in_header=variant,
    in_level=variant,
)
def test_no_name_reaches_any_output(
    tmp_path_factory: pytest.TempPathFactory,
    names: list[str],
    in_unit: str,
    in_units_sheet: str,
    in_header: str,
    in_level: str,
) -> None:
    """Names typed where they do not belong, in every hostile form: a unit of NhanSu and of
    DonVi, a column header, a sheet name, a category; none reaches any output."""
    folder = tmp_path_factory.mktemp("names")
    a, b, c, d = names
    header = [*HEADER, VARIANTS[in_header](c)]
    rows = [header] + [staff(f"G{i}", name=n, unit="Sở Y tế") + ["y"] for i, n in enumerate(names)]
    rows.append(staff("G10", name=a, unit=VARIANTS[in_unit](b)) + ["y"])
    rows.append(staff("G11", name=a, level=VARIANTS[in_level](d)) + ["y"])
    units = [UNITS_HEADER, ["Sở Y tế", "Tỉnh", "Y tế"], [VARIANTS[in_units_sheet](a), "Xã", "Y tế"]]
    path = write(folder / "g.xlsx", {"NhanSu": rows, "DonVi": units, d: [["x"]]})
    texts = outputs(path, folder)
    assert len(texts) > 10
    leaks = [(name, text[:2000]) for text in texts for name in names if fold(name) in fold(text)]
    assert leaks == []


def test_a_name_in_another_files_units_is_hidden_too(tmp_path: Path) -> None:
    staff_file = write(tmp_path / "a.xlsx", {"NhanSu": [HEADER, staff("A1", name="Lê Văn Tám")]})
    units = [UNITS_HEADER, ["Sở Y tế", "Tỉnh", "Y tế"], ["Le Van Tam", "Tỉnh", "Y tế"]]
    units_file = write(tmp_path / "b.xlsx", {"NhanSu": [HEADER, staff("B1")], "DonVi": units})
    result = runner.invoke(app, ["validate", str(staff_file), str(units_file), "--format", "json"])
    found = [(i["file"], i["cell"]) for i in json.loads(result.stdout)["issues"]]
    assert (str(units_file), "A3") in found
    assert "tam" not in fold(result.output.replace("Tâm", ""))


def test_a_name_where_no_output_shows_it_is_no_error(tmp_path: Path) -> None:
    info = [["Mục", "Giá trị"], ["Năm báo cáo", "2024"], ["Đơn vị báo cáo", "Lê Văn Tám"]]
    rows = [HEADER, staff("A1", name="Lê Văn Tám")]
    path = write(tmp_path / "i.xlsx", {"ThongTin": info, "NhanSu": rows})
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "tam" not in fold(result.output.replace("Tâm", ""))


def test_swapped_headers_hide_every_id(tmp_path: Path) -> None:
    header = list(HEADER)
    header[0], header[1] = header[1], header[0]
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Nguyễn Văn An", "Lê Văn Cường"]
    rows = [header] + [staff(f"NV{i:03d}", name=n) for i, n in enumerate(names)]
    path = write(tmp_path / "swapped.xlsx", {"NhanSu": rows})
    issues = issues_of(path)
    codes = {i["code"]: i for i in issues}
    assert codes["id_column_holds_names"]["severity"] == "warning"
    assert "***" in codes["duplicate_id"]["message"]
    for text in outputs(path, tmp_path):
        for name in names:
            assert fold(name) not in fold(text), text[:2000]


# ---------------------------------------------------------------------------------------
# Control characters


def with_raw_text(path: Path, mark: str, raw: str) -> Path:
    """Replace `mark` in the workbook's XML by `raw` as is (a literal ESC, `&#27;`)."""
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data.replace(mark.encode(), raw.encode()))
    return path


@pytest.mark.parametrize(
    ("unit", "raw"),
    [("Sở_x001B_[2JY tế", None), ("SởESC[2JY tế", "\x1b"), ("SởESC[2JY tế", "&#27;")],
    ids=["excel escape", "literal", "character reference"],
)
def test_no_control_character_reaches_the_terminal(
    tmp_path: Path, unit: str, raw: str | None
) -> None:
    folder = tmp_path / "a\x1b[31mb"
    folder.mkdir()
    rows = [HEADER, staff("A1", unit=unit), staff("A2", unit="Sở\u009b2J", level="\x7f?")]
    path = write(folder / "c\x1b]0;x\x07.xlsx", {"NhanSu": rows})
    if raw is not None:
        with_raw_text(path, "ESC", raw)
    file = str(path)
    for args in (
        ["compute", file, "--by", "unit", "--skip-invalid"],
        ["compute", file, "--by", "unit", "--skip-invalid", "--format", "markdown"],
        ["compute", file, "--by", "unit", "--skip-invalid", "--format", "csv"],
        ["compute", file, "--by", "unit", "--skip-invalid", "--format", "json"],
        ["validate", file],
        ["validate", file, "--format", "json"],
        ["explain", "job_position_fit", file, "--skip-invalid"],
        ["explain", "job_position_fit", file, "--skip-invalid", "--format", "csv"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code in (0, 3), result.output
        controls = [
            c for c in result.output if c != "\n" and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)
        ]
        assert not controls, (args, result.output)
    table = runner.invoke(app, ["compute", str(path), "--by", "unit", "--skip-invalid"]).output
    assert "Sở\ufffd[2JY tế" in table


# ---------------------------------------------------------------------------------------
# Formulas


def test_csv_and_markdown_never_start_a_cell_with_a_formula(tmp_path: Path) -> None:
    hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1"]
    rows = [HEADER] + [staff(f"A{i}", unit=unit) for i, unit in enumerate(hostile)]
    path = write(tmp_path / "f.xlsx", {"NhanSu": rows})
    args = ["compute", str(path), "--by", "unit", "--skip-invalid", "--format"]
    written = runner.invoke(app, [*args, "csv"]).stdout
    table = list(csv.DictReader(io.StringIO(written)))
    groups = {row["group"] for row in table}
    # A tab before is trimmed as the cell is read: `=1` is left, and quoted.
    assert {"'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", "'@SUM(A1)", "'=1"} <= groups
    assert "'= 100 % (2030)" in {row["target"] for row in table}
    for row in table:
        for cell in row.values():
            if not cell.startswith(FORMULA_START):
                continue
            # Only a number may start with a sign; kpi's own `= 100 % (2030)` target is
            # quoted like input text, since a spreadsheet reads either as a formula.
            float(cell)
    markdown = runner.invoke(app, [*args, "markdown"]).stdout
    assert "↳ '=cmd\\|' /C calc'!A0" in markdown and "↳ =cmd" not in markdown


def test_the_report_keeps_excel_escapes_as_text() -> None:
    from openpyxl import Workbook as Book

    from kpi_tritue.render.xlsx_cells import put_text

    sheet = Book().active
    assert put_text(sheet["A1"], "x_x0041_y").value == "x_x005F_x0041_y"
    assert put_text(sheet["A2"], "a_x001B_b\x9b").value == "a\ufffdb\ufffd"
    assert put_text(sheet["A3"], "=1+1").quotePrefix


def test_json_escapes_del_and_c1_controls() -> None:
    from kpi_tritue.render.terminal import dumps

    text = dumps({"unit": "a\x1b\x7f\x9bb"})
    assert text == '{\n  "unit": "a\\u001b\\u007f\\u009bb"\n}\n'
    assert json.loads(text)["unit"] == "a\x1b\x7f\x9bb"
