"""Reading one workbook: header search, skipped rows, cell-exact problems."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.model.issues import Issue, Severity

INFO_2024 = [["Mục", "Giá trị"], ["Năm báo cáo", 2024], ["Ngày số liệu", datetime(2024, 12, 31)]]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity is Severity.ERROR]


def by_code(issues: list[Issue], code: str) -> list[Issue]:
    return [i for i in issues if i.code == code]


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    """As messy as a real provincial report, yet with no error in it."""
    header = [
        "STT",
        *[nfd(h).upper() if i % 2 else h for i, h in enumerate(WORKFORCE_HEADER)],
        "Ghi chú riêng",
    ]
    header[1] = "Mã số"  # an alias
    rows = [
        ["BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM 2024"],
        ["(Kèm theo Báo cáo số 123/BC-SNV)"],
        [],
        header,
        [f"({i})" for i in range(1, len(header) + 1)],
        ["I. KHỐI TỈNH"],
        [1, *person("HT001", unit="Sở Y tế", level="Cấp tỉnh", birth_date=datetime(1980, 5, 3))],
        [2, *person("HT002", unit=None, level="tinh", sector="y te", birth_date="5/3/1991")],
        [
            3,
            *person(
                "HT003", unit=None, category="hợp đồng lao động", birth_date=None, birth_year=1990
            ),
        ],
        [],
        ["II. KHỐI XÃ"],
        [
            4,
            *person(
                "HT004",
                unit=nfd("UBND xã Cẩm Xuyên"),
                level="Thị trấn",
                sector="QLNN",
                category="Công chức",
                profession="Chuyên viên",
                qualification="trung cap",
            ),
        ],
        [
            5,
            *person(
                "HT005",
                unit="Trường Tiểu học Cẩm Bình",
                level="Xã",
                sector="GD&ĐT",
                profession="Giáo viên tiểu học hạng III",
                school_level="tiểu học",
            ),
        ],
        [None, "Tổng cộng:", None, 5],
    ]
    return write_workbook(
        tmp_path / "messy.xlsx",
        {"ThongTin": INFO_2024, "Nhân sự": rows, "Ghi chú": [["Không liên quan"]]},
        merges={"Nhân sự": ["A1:N1", "A2:N2", "D7:D9", "A6:N6"]},
    )


def test_messy_report_validates_without_error(messy: Path) -> None:
    dataset = load_dataset([str(messy)])
    assert errors(dataset.issues) == []
    frame = dataset.tables["workforce"].frame
    assert list(frame["id"]) == ["HT001", "HT002", "HT003", "HT004", "HT005"]
    assert list(frame["_row"]) == [7, 8, 9, 12, 13]
    # The unit merged over three rows belongs to each of them.
    assert list(frame["unit"][:3]) == ["Sở Y tế"] * 3
    assert frame["unit"][3] == "UBND xã Cẩm Xuyên"  # NFC again
    assert list(frame["level"]) == ["province", "province", "province", "commune", "commune"]
    assert frame["category"][2] == "worker"
    assert frame["birth_date"][1].date() == date(1991, 3, 5)
    assert frame["birth_year"][2] == 1990
    assert frame["school_level"][4] == "primary"
    assert dataset.report_year == 2024


def test_messy_report_reports_what_it_skipped(messy: Path) -> None:
    issues = load_dataset([str(messy)]).issues
    assert [i.row for i in by_code(issues, "totals_row_skipped")] == [14]
    assert [i.row for i in by_code(issues, "section_row_skipped")] == [6, 11]
    assert [i.cell for i in by_code(issues, "unknown_column")] == ["M4"]
    assert [i.sheet for i in by_code(issues, "unknown_sheet")] == ["Ghi chú"]


def test_a_totals_row_is_found_by_its_first_non_empty_cell_in_any_column(tmp_path: Path) -> None:
    # The label may sit in STT, left of the data, with a count where the ID goes; it may
    # follow white space, be decomposed or merged across cells. `Công an tỉnh` is a unit.
    rows = [
        ["STT", *WORKFORCE_HEADER],
        [1, *person("HT001")],
        [2, *person("HT002")],
        ["Tổng cộng", "330 người"],
        ["  ", nfd("TỔNG SỐ:"), None, 330],
        ["Công an tỉnh", *person("HT003")],
        ["Cộng", None, None, 3],
    ]
    path = write_workbook(tmp_path / "t.xlsx", {"NhanSu": rows}, merges={"NhanSu": ["A7:C7"]})
    dataset = load_dataset([str(path)])
    assert errors(dataset.issues) == []
    assert [i.row for i in by_code(dataset.issues, "totals_row_skipped")] == [4, 5, 7]
    assert list(dataset.tables["workforce"].frame["id"]) == ["HT001", "HT002", "HT003"]


def test_header_not_found_names_the_missing_columns(tmp_path: Path) -> None:
    # (Cấp may be absent since official lists carry none: test_registry.py.)
    dropped = ("Trình độ chuyên môn", "Ngày sinh", "Năm sinh")
    header = [h for h in WORKFORCE_HEADER if h not in dropped]
    path = write_workbook(tmp_path / "a.xlsx", {"NhanSu": [header, ["X1"]]})
    issues = by_code(load_dataset([str(path)]).issues, "header_not_found")
    assert len(issues) == 1
    message = issues[0].message("en")
    assert "Trình độ chuyên môn" in message and "Ngày sinh / Năm sinh" in message
    assert issues[0].sheet == "NhanSu"


def test_a_workbook_with_no_sheet_of_the_form_says_which_it_has(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "a.xlsx", {"Sheet1": [["a"]], "Trang 2": [["b"]]})
    dataset = load_dataset([str(path)])
    # Its own error, not a knock-on `missing_workforce_sheet` nor an `unknown_sheet` each
    # (and the run's warning that, without ThongTin, the reference date is today).
    assert [i.code for i in dataset.issues] == ["no_contract_sheet", "as_of_today"]
    message = dataset.issues[0].message("en")
    assert "Sheet1, Trang 2" in message and "NhanSu, DonVi" in message


def test_each_planted_mistake_at_its_cell(tmp_path: Path) -> None:
    rows = [
        WORKFORCE_HEADER + ["Lãnh đạo quản lý", "Nhân tài", "Năm tuyển dụng"],
        person("A1") + ["x", None, 2010],
        person("A2", level="Trung ương") + [None, None, 2010],
        person("A3", birth_date="31/02/1980") + [None, None, 2010],
        person("A4", birth_date=None, birth_year=2031) + [None, None, 2010],
        person("A5") + ["có lẽ", None, 2010],
        person("A6", unit=None) + [None, None, 2010],
        person("A7", profession="Giáo viên THCS", sector="Giáo dục") + [None, None, 2010],
        person("A1", name="Trần Thị Bình") + [None, None, 2010],
        person("A8") + [None, "x", None],
    ]
    path = write_workbook(tmp_path / "bad.xlsx", {"ThongTin": INFO_2024, "NhanSu": rows})
    dataset = load_dataset([str(path)])
    found = {(i.code, i.cell) for i in errors(dataset.issues)}
    assert found == {
        ("bad_enum", "D3"),
        ("bad_date", "G4"),
        ("year_out_of_range", "H5"),
        ("bad_bool", "L6"),
        ("required_blank", "C7"),
        ("teacher_without_school_level", "K8"),
        ("duplicate_id", "A9"),
    }
    assert {(i.code, i.cell) for i in by_code(dataset.issues, "talent_without_year")} == {
        ("talent_without_year", "M10")
    }
    duplicate = by_code(dataset.issues, "duplicate_id")[0]
    assert "NhanSu!A2" in duplicate.message("vi")


def test_no_message_quotes_a_name(tmp_path: Path) -> None:
    # The name typed into the level column by mistake is an error, but is never quoted.
    rows = [WORKFORCE_HEADER, person("A1", name="Lê Văn Tám", level="Lê Văn Tám")]
    path = write_workbook(tmp_path / "n.xlsx", {"NhanSu": rows})
    dataset = load_dataset([str(path)])
    messages = [i.message(lang) for i in dataset.issues for lang in ("vi", "en")]
    assert any("***" in m for m in messages)
    assert not any("Tám" in m for m in messages)
    assert "full_name" not in dataset.tables["workforce"].frame


def test_duplicate_header_is_an_error_at_the_second_cell(tmp_path: Path) -> None:
    rows = [WORKFORCE_HEADER + ["Cấp"], person("A1") + ["Xã"]]
    path = write_workbook(tmp_path / "d.xlsx", {"NhanSu": rows})
    issues = by_code(load_dataset([str(path)]).issues, "duplicate_column")
    assert [(i.cell, i.severity) for i in issues] == [("L1", Severity.ERROR)]


def test_two_level_header_through_vertical_merges(tmp_path: Path) -> None:
    top = [*WORKFORCE_HEADER[:8], "Trình độ", None, None]
    sub = [None] * 8 + ["Trình độ chuyên môn", "Chức danh nghề nghiệp", "Cấp học"]
    merges = [f"{c}1:{c}2" for c in "ABCDEFGH"] + ["I1:K1"]
    path = write_workbook(
        tmp_path / "h.xlsx", {"NhanSu": [top, sub, person("A1")]}, merges={"NhanSu": merges}
    )
    dataset = load_dataset([str(path)])
    assert errors(dataset.issues) == []
    assert list(dataset.tables["workforce"].frame["_row"]) == [3]


def test_birth_year_disagreeing_with_birth_date_is_a_warning(tmp_path: Path) -> None:
    rows = [WORKFORCE_HEADER, person("A1", birth_date="01/01/1970", birth_year=1971)]
    dataset = load_dataset([str(write_workbook(tmp_path / "b.xlsx", {"NhanSu": rows}))])
    (issue,) = by_code(dataset.issues, "birth_mismatch")
    assert issue.severity is Severity.WARNING and issue.cell == "H2"
    assert dataset.tables["workforce"].frame["birth_year"][0] == 1970


def test_absent_optional_column_is_not_reported(tmp_path: Path) -> None:
    rows = [WORKFORCE_HEADER, person("A1")]
    dataset = load_dataset([str(write_workbook(tmp_path / "o.xlsx", {"NhanSu": rows}))])
    table = dataset.tables["workforce"]
    assert "talent" not in table.present
    assert "meets_training_standard" not in table.frame
    assert (table.frame["status"] == "active").all()


def test_excel_error_cells_are_reported(tmp_path: Path) -> None:
    rows = [WORKFORCE_HEADER, person("A1", birth_date="#N/A")]
    dataset = load_dataset([str(write_workbook(tmp_path / "e.xlsx", {"NhanSu": rows}))])
    (issue,) = by_code(dataset.issues, "cell_error")
    assert issue.cell == "G2" and "N/A" in issue.message("vi")


def test_figures_sheet_rules(tmp_path: Path) -> None:
    figures = [
        ["Chỉ tiêu", "Giá trị", "Năm", "Địa bàn"],
        ["Dân số", 1320000, None, None],
        ["dan so", 1320000, 2024, None],
        ["Dân số", 500000, 2024, "Cẩm Xuyên"],
        ["Bác sĩ ngoài công lập", -4, 2024, None],
        ["Số giường bệnh", 10, 2024, None],
    ]
    path = write_workbook(
        tmp_path / "f.xlsx",
        {"ThongTin": INFO_2024, "NhanSu": [WORKFORCE_HEADER, person("A1")], "Số liệu": figures},
    )
    dataset = load_dataset([str(path)])
    found = {(i.code, i.cell) for i in errors(dataset.issues)}
    assert found == {("duplicate_row", "A3"), ("below_minimum", "B5"), ("bad_enum", "A6")}


def test_numbers_too_large_are_errors_at_their_cells_and_json_stays_valid(
    tmp_path: Path,
) -> None:
    # 1E+308 sums to infinity, 1E+19 does not fit in 64 bits, 5,000 digits is past what
    # Python turns into an int: each is an error at its cell, never a crash or a NaN.
    import json

    from typer.testing import CliRunner

    from kpi_tritue.cli import app

    figures = [
        ["Chỉ tiêu", "Giá trị", "Năm"],
        ["Dân số", 1e308, 2024],
        ["Lực lượng lao động", 1e308, 2024],
        ["Bằng sáng chế", "9" * 5000, 2024],
        ["Công trình khoa học", 12, "9" * 5000],
    ]
    teams = [["Chuyên khoa", "Số kíp"], ["Tim mạch", 1e19], ["Ung bướu", 2]]
    path = write_workbook(
        tmp_path / "n.xlsx",
        {
            "ThongTin": INFO_2024,
            "NhanSu": [WORKFORCE_HEADER, person("A1")],
            "SoLieu": figures,
            "KipChuyenSau": teams,
        },
    )
    dataset = load_dataset([str(path)])
    found = {(i.sheet, i.cell, i.code) for i in errors(dataset.issues)}
    assert found == {
        ("SoLieu", "B2", "number_too_large"),
        ("SoLieu", "B3", "number_too_large"),
        ("SoLieu", "B4", "number_too_large"),
        ("SoLieu", "C5", "year_out_of_range"),
        ("KipChuyenSau", "B2", "number_too_large"),
    }
    (first,) = [
        i
        for i in by_code(dataset.issues, "number_too_large")
        if i.cell == "B2" and i.sheet == "SoLieu"
    ]
    message = first.message("en")
    assert "KPI_MAX_NUMBER" in message and "1e+308" in message
    runner = CliRunner()
    refused = runner.invoke(app, ["compute", str(path), "--format", "json"])
    assert refused.exit_code == 3 and "Traceback" not in refused.output
    for command in (["compute", "--skip-invalid"], ["validate"]):
        result = runner.invoke(app, [*command, str(path), "--format", "json"])
        assert result.exception is None or isinstance(result.exception, SystemExit)

        def refuse(constant: str) -> None:
            raise AssertionError(f"{constant} in JSON")

        json.loads(result.stdout, parse_constant=refuse)


# Anything a person may type in a cell.
any_cell = st.one_of(
    st.none(),
    st.text(max_size=25),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.sampled_from(["x", "Tỉnh", "CKII", "31/02/1980", "Tổng cộng", "(1)", "=1+1", "#N/A"]),
)


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.lists(any_cell, min_size=11, max_size=11), max_size=6))
def test_random_cells_only_ever_give_issues(tmp_path_factory: pytest.TempPathFactory, rows) -> None:  # type: ignore[no-untyped-def]
    cleaned = [[v.replace("\x00", "") if isinstance(v, str) else v for v in row] for row in rows]
    path = tmp_path_factory.mktemp("random") / "r.xlsx"
    try:
        write_workbook(path, {"NhanSu": [WORKFORCE_HEADER, *cleaned]})
    except Exception:  # openpyxl refuses some control characters: not our input to test
        return
    dataset = load_dataset([str(path)])
    frame = dataset.tables["workforce"].frame
    assert len(frame) <= len(rows)
    for issue in dataset.issues:
        assert issue.message("vi") and issue.message("en")
        assert issue.cell is None or issue.cell[0].isalpha()


def test_reading_collects_garbage_less_often_and_puts_the_thresholds_back() -> None:
    import gc

    from kpi_tritue.io.workbook import fewer_collections

    before = gc.get_threshold()
    try:
        for start in [(700, 10, 10), (50_000, 5, 100), (0, 10, 10)]:
            gc.set_threshold(*start)
            with fewer_collections():
                during = gc.get_threshold()
            assert gc.get_threshold() == start
            if start[0] == 0:
                assert during == start  # a collector turned off stays off
            else:
                assert all(d >= s for d, s in zip(during, start, strict=True))
                assert during[0] >= 10_000
    finally:
        gc.set_threshold(*before)
