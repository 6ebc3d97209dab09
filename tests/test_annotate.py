"""`kpi validate --annotate DIR`: the copy a unit gets back, marked at exactly its bad cells.

Every test reads the input and the copy back with openpyxl: the copy holds every value,
formula and merged block of the input, a fill and a comment at exactly the cells the
issues name, and a first sheet listing the issues with a link to each cell.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from typer.testing import CliRunner

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.app import validate_annotated
from kpi_tritue.cli import app
from kpi_tritue.model.issues import Severity
from kpi_tritue.render.annotate import FILLS, SUFFIX

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "data" / "samples" / "loi_mau.xlsx"
LEGACY = Path(__file__).parent / "data" / "annotate"
RESULTS_VI = "Kết quả kiểm tra"
RESULTS_EN = "Validation results"
HEADER_ROW = 4
# The mistakes planted in the sample (data/samples/README.md), all errors.
SAMPLE_CELLS = {
    ("NhanSu", "L12"),
    ("NhanSu", "D17"),
    ("NhanSu", "A20"),
    ("NhanSu", "H22"),
    ("NhanSu", "S24"),
    ("NhanSu", "G27"),
    ("NhanSu", "C30"),
    ("SoLieu", "B6"),
    ("SoLieu", "A7"),
    ("SoLieu", "A8"),
}

runner = CliRunner()


def _values(book: Workbook, skip: str | None = None) -> dict[str, dict[str, Any]]:
    """Every non-empty value (formulas as their text) of every sheet but `skip`."""
    return {
        sheet.title: {
            cell.coordinate: cell.value
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
        for sheet in book.worksheets
        if sheet.title != skip
    }


def _fills(book: Workbook) -> dict[tuple[str, str], str]:
    """(sheet, cell) → fill colour of every solid-filled cell."""
    return {
        (sheet.title, cell.coordinate): str(cell.fill.fgColor.rgb)[-6:]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.fill.fill_type == "solid"
    }


def _commented(book: Workbook, skip: str) -> dict[tuple[str, str], str]:
    return {
        (sheet.title, cell.coordinate): cell.comment.text
        for sheet in book.worksheets
        if sheet.title != skip
        for row in sheet.iter_rows()
        for cell in row
        if cell.comment is not None
    }


def _listed(book: Workbook, title: str = RESULTS_VI) -> list[list[Any]]:
    sheet = book[title]
    return [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, max_col=6)
        if row[1].value is not None
    ]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    return Path(shutil.copy(SAMPLE, folder / "loi_mau.xlsx"))


def test_the_sample_is_marked_at_exactly_its_bad_cells(sample: Path, tmp_path: Path) -> None:
    before, stat = sample.read_bytes(), sample.stat()
    out = tmp_path / "out" / "nested"
    dataset, done = validate_annotated([str(sample)], out, "vi")
    assert done.written == [(sample.as_posix(), out / f"loi_mau{SUFFIX}")]
    copy = load_workbook(out / f"loi_mau{SUFFIX}")
    source = load_workbook(sample)
    # The list comes first, and the sheets of the input follow in their order.
    assert copy.sheetnames == [RESULTS_VI, *source.sheetnames]
    assert copy.active.title == RESULTS_VI
    # Every value and formula of every sheet, and the merged blocks, are the input's.
    assert _values(copy, skip=RESULTS_VI) == _values(source)
    for sheet in source.worksheets:
        assert set(map(str, copy[sheet.title].merged_cells.ranges)) == set(
            map(str, sheet.merged_cells.ranges)
        )
    # Marked at exactly the planted cells, red (every one is an error), each commented.
    planted = dict.fromkeys(SAMPLE_CELLS, FILLS[Severity.ERROR])
    assert {k: v for k, v in _fills(copy).items() if k[0] != RESULTS_VI} == {
        **_fills(source),
        **planted,
    }
    comments = _commented(copy, RESULTS_VI)
    assert set(comments) == SAMPLE_CELLS
    assert "Trung ương" in comments["NhanSu", "D17"]
    assert comments["NhanSu", "D17"].startswith("Lỗi: ")
    # The input is never written.
    assert sample.read_bytes() == before
    assert sample.stat().st_mtime_ns == stat.st_mtime_ns
    assert dataset.has_errors


def test_the_first_sheet_lists_every_issue_with_a_link_to_its_cell(
    sample: Path, tmp_path: Path
) -> None:
    dataset, _ = validate_annotated([str(sample)], tmp_path / "out", "vi")
    copy = load_workbook(tmp_path / "out" / f"loi_mau{SUFFIX}")
    first = copy[RESULTS_VI]
    assert first["A1"].value == "Kết quả kiểm tra tệp loi_mau.xlsx"
    assert [c.value for c in first[HEADER_ROW]] == [
        "Mức",
        "Mã",
        "Trang",
        "Ô",
        "Vấn đề",
        "Cách sửa",
    ]
    links: set[tuple[str, str]] = set()
    for row in range(HEADER_ROW + 1, first.max_row + 1):
        cell = first.cell(row=row, column=4)
        if cell.hyperlink is None:
            continue
        sheet, address = str(cell.hyperlink.location).split("!")
        assert sheet.startswith("'") and sheet.endswith("'")
        links.add((sheet[1:-1], address))
        if cell.value and not str(cell.value).startswith("dòng"):
            assert address == cell.value
    # Every cell of an issue has its link; the totals row (a row, no cell) links to its row.
    assert links == SAMPLE_CELLS | {("NhanSu", "A36")}
    listed = _listed(copy)
    assert len(listed) == len(dataset.issues)
    # Errors first, then the note; each with a line on how to fix it.
    assert [row[0] for row in listed] == ["lỗi"] * 10 + ["thông tin"]
    assert all(row[5] for row in listed)
    duplicate = next(row for row in listed if row[1] == "duplicate_id")
    assert duplicate[4] == "Mã LM000004 trùng với dòng NhanSu!A9."
    assert duplicate[5] == "Mỗi người chỉ có một dòng: xóa dòng trùng hoặc sửa mã."
    # The totals row is listed, neither filled nor commented.
    assert first.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert first.page_setup.orientation == "landscape"
    assert int(first.page_setup.paperSize) == 9


def test_a_workbook_with_planted_cells_formulas_and_validations(tmp_path: Path) -> None:
    header = [*WORKFORCE_HEADER, "Ghi chú"]
    rows = [header, *(person(f"HT{i:03}") + [None] for i in range(1, 6))]
    rows[3][3] = "Trung ương"  # D4: not a level
    rows[5][6] = "31/02/1990"  # G6: not a date
    path = write_workbook(
        tmp_path / "don_vi.xlsx",
        {
            "ThongTin": [["Mục", "Giá trị"], ["Năm báo cáo", 2024]],
            "NhanSu": rows,
            "Phụ lục": [["Tổng", "=SUM(B2:B3)"], ["a", 1], ["b", 2], ["gộp", None]],
        },
        merges={"Phụ lục": ["A4:B4"]},
    )
    book = load_workbook(path)
    validation = DataValidation(type="list", formula1='"Tỉnh,Huyện,Xã"', sqref="D2:D6")
    book["NhanSu"].add_data_validation(validation)
    book.save(path)

    _, done = validate_annotated([str(path)], tmp_path / "out", "vi")
    copy = load_workbook(done.written[0][1])
    source = load_workbook(path)
    assert _values(copy, skip=RESULTS_VI) == _values(source)
    assert copy["Phụ lục"]["B1"].value == "=SUM(B2:B3)"
    assert set(map(str, copy["Phụ lục"].merged_cells.ranges)) == {"A4:B4"}
    assert [str(v.sqref) for v in copy["NhanSu"].data_validations.dataValidation] == ["D2:D6"]
    marked = {k for k in _fills(copy) if k[0] != RESULTS_VI}
    assert marked == {("NhanSu", "D4"), ("NhanSu", "G6")}


def test_an_issue_without_a_cell_is_on_the_first_sheet_only(tmp_path: Path) -> None:
    # NhanSu without the form's header: one error, of the sheet, at no cell.
    path = write_workbook(tmp_path / "thieu_cot.xlsx", {"NhanSu": [["x"], ["y"]]})
    _, done = validate_annotated([str(path)], tmp_path / "out", "vi")
    copy = load_workbook(done.written[0][1])
    assert [k for k in _fills(copy) if k[0] != RESULTS_VI] == []
    assert _commented(copy, RESULTS_VI) == {}
    assert _values(copy, skip=RESULTS_VI) == _values(load_workbook(path))
    listed = _listed(copy)
    # (With the run's warning that, without ThongTin, the reference date is today.)
    assert [row[1] for row in listed] == ["header_not_found", "as_of_today"]
    assert listed[0][3] is None  # no cell, no link
    assert copy[RESULTS_VI].cell(row=HEADER_ROW + 1, column=4).hyperlink is None


def test_a_clean_file_gets_no_copy(tmp_path: Path) -> None:
    clean = ROOT / "data" / "samples" / "ha_tinh_2024.xlsx"  # one note only: the totals row
    out = tmp_path / "out"
    _, done = validate_annotated([str(clean)], out, "vi")
    assert done.written == []
    assert list(out.iterdir()) == []


def test_files_of_one_stem_from_two_folders_get_two_copies(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "khac"
    other.mkdir()
    twin = Path(shutil.copy(sample, other / "loi_mau.xlsx"))
    out = tmp_path / "out"
    _, done = validate_annotated([str(sample), str(twin)], out, "vi")
    # Inputs in the order of their paths: `in/` before `khac/`.
    assert done.written == [
        (sample.as_posix(), out / f"loi_mau{SUFFIX}"),
        (twin.as_posix(), out / "loi_mau-2.kiem-tra.xlsx"),
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        "loi_mau-2.kiem-tra.xlsx",
        "loi_mau.kiem-tra.xlsx",
    ]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_a_legacy_workbook_gets_an_xlsx_copy(tmp_path: Path, suffix: str) -> None:
    legacy = Path(shutil.copy(LEGACY / f"loi_mau{suffix}", tmp_path / f"loi_mau{suffix}"))
    before = legacy.read_bytes()
    _, done = validate_annotated([str(legacy)], tmp_path / "out", "vi")
    path = done.written[0][1]
    assert path.name == f"loi_mau{SUFFIX}"
    copy = load_workbook(path)
    source = load_workbook(SAMPLE)  # the workbook the legacy files were converted from
    assert copy.sheetnames == [RESULTS_VI, *source.sheetnames]
    assert _values(copy, skip=RESULTS_VI) == _values(source)
    assert {k for k in _fills(copy) if k[0] != RESULTS_VI} == SAMPLE_CELLS
    assert set(map(str, copy["NhanSu"].merged_cells.ranges)) == {"A1:X1", "A2:X2"}
    assert legacy.read_bytes() == before


def test_an_xlsm_is_copied_as_xlsx_without_macros(sample: Path, tmp_path: Path) -> None:
    xlsm = sample.with_suffix(".xlsm")
    sample.rename(xlsm)
    _, done = validate_annotated([str(xlsm)], tmp_path / "out", "vi")
    path = done.written[0][1]
    assert path.name == f"loi_mau{SUFFIX}"
    assert _values(load_workbook(path), skip=RESULTS_VI) == _values(load_workbook(xlsm))


def test_the_copy_is_in_english_with_lang_en(sample: Path, tmp_path: Path) -> None:
    _, done = validate_annotated([str(sample)], tmp_path / "out", "en")
    copy = load_workbook(done.written[0][1])
    assert copy.sheetnames[0] == RESULTS_EN
    first = copy[RESULTS_EN]
    assert [c.value for c in first[HEADER_ROW]][-2:] == ["Problem", "How to fix"]
    assert _commented(copy, RESULTS_EN)["NhanSu", "D17"].startswith("Error: ")
    assert _listed(copy, RESULTS_EN)[-1][0] == "info"


def test_the_command_line_writes_the_copies_and_says_where(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "tra_lai"
    result = runner.invoke(app, ["validate", str(sample), "--annotate", str(out)])
    assert result.exit_code == 3, result.output
    assert (out / f"loi_mau{SUFFIX}").is_file()
    assert "Đã ghi 1 bản sao có đánh dấu vào thư mục" in result.stderr
    assert f"loi_mau{SUFFIX}" in result.stderr
    # JSON is unchanged by the option: the copies are told on stderr.
    plain = runner.invoke(app, ["validate", str(sample), "--format", "json"])
    annotated = runner.invoke(
        app, ["validate", str(sample), "--format", "json", "--annotate", str(out)]
    )
    assert annotated.stdout == plain.stdout


def test_the_command_line_in_english_and_with_nothing_to_send_back(tmp_path: Path) -> None:
    clean = ROOT / "data" / "samples" / "ha_tinh_2024.xlsx"
    result = runner.invoke(
        app, ["validate", str(clean), "--annotate", str(tmp_path / "o"), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "No file has an error or a warning: no copy written" in result.stderr


def test_a_folder_that_cannot_be_made_is_refused_before_reading(
    sample: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    result = runner.invoke(app, ["validate", str(sample), "--annotate", str(blocker / "sub")])
    assert result.exit_code == 2, result.output  # as any output that cannot be written
    assert not (blocker / "sub").exists()


def test_an_input_changed_after_it_was_read_gets_no_copy(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpi_tritue.io import copies

    original = copies._read_same

    def changed(path: Path, sha256: str) -> bytes:
        with path.open("ab") as handle:
            handle.write(b"\0")
        return original(path, sha256)

    monkeypatch.setattr(copies, "_read_same", changed)
    _, done = validate_annotated([str(sample)], tmp_path / "out", "vi")
    assert done.written == []
    assert done.changed == [sample.as_posix()]
    assert not any((tmp_path / "out").iterdir())


def test_input_files_are_never_written_when_the_folder_holds_them(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "loi_mau.xlsx")
    # A file already named as the first one's copy is an input too: it is not replaced.
    shutil.copy(SAMPLE, folder / f"loi_mau{SUFFIX}")
    stamps = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    _, done = validate_annotated([str(folder)], folder, "vi")
    for name, (data, mtime) in stamps.items():
        assert (folder / name).read_bytes() == data
        assert (folder / name).stat().st_mtime_ns == mtime
    # In the order of their paths; `loi_mau.kiem-tra.xlsx` is taken, by an input.
    assert [path.name for _, path in done.written] == [
        "loi_mau.kiem-tra.kiem-tra.xlsx",
        "loi_mau-2.kiem-tra.xlsx",
    ]
    assert os.path.isfile(folder / "loi_mau-2.kiem-tra.xlsx")


def test_a_file_that_cannot_be_opened_is_said_to_have_no_copy(tmp_path: Path) -> None:
    """Its error is listed, and the end says there is no copy of it and to ask for it
    again, never that no file has an error."""
    broken = tmp_path / "in" / "hong.xlsx"
    broken.parent.mkdir()
    broken.write_bytes((ROOT / "tests" / "data" / "bad" / "truncated.xlsx").read_bytes())
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["validate", str(broken.parent), "--annotate", str(out), "--lang", "en"]
    )
    assert result.exit_code == 3, result.output
    said = " ".join(result.stderr.split())  # as wrapped at the terminal's width
    assert said.endswith(
        f"No copy of {broken.as_posix()}: the file could not be opened (its error is "
        "above), so there is no cell to mark. Ask the unit to send the file again. "
        f"No copy written to {out}."
    )
    assert "No file has an error" not in said
    _, done = validate_annotated([str(broken.parent)], tmp_path / "o2", "vi")
    assert done.unopened == [broken.as_posix()]
    assert done.written == []


@pytest.mark.parametrize("name", ["far_cell_past_xfd.xlsx", "lying_sizes.xlsx"])
def test_a_file_read_but_not_loadable_to_copy_is_said_to_have_no_copy(
    name: str, tmp_path: Path
) -> None:
    """kpi reads these (a cell past column XFD is left out; a part whose checksum is wrong
    is read as calamine reads it) but openpyxl will not load them: the end says there is
    no copy of it, what was refused and what to ask of the unit; the run does not stop
    as a bug (exit 4), and the other inputs get their copies."""
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = folder / name
    hostile.write_bytes((ROOT / "tests" / "data" / "bad" / name).read_bytes())
    bad_level = person("X1", level="Trung ương")  # an error: `b.xlsx` gets a copy
    write_workbook(folder / "b.xlsx", {"NhanSu": [WORKFORCE_HEADER, bad_level]})
    out = tmp_path / "o"
    result = runner.invoke(app, ["validate", str(folder), "--annotate", str(out), "--lang", "en"])
    assert result.exit_code == 3, result.output
    said = " ".join(result.stderr.split())  # as wrapped at the terminal's width
    assert f"No copy of {hostile.as_posix()}: kpi read the file but cannot copy it" in said
    assert "Ask the unit to open it in Excel, save it again and resend it." in said
    assert sorted(p.name for p in out.iterdir()) == ["b.kiem-tra.xlsx"]
    _, done = validate_annotated([str(folder)], tmp_path / "o2", "vi")
    assert [shown for shown, _ in done.uncopied] == [hostile.as_posix()]
    (detail,) = [detail for _, detail in done.uncopied]
    assert 0 < len(detail) <= 80
    assert [Path(shown).name for shown, _ in done.written] == ["b.xlsx"]
