"""The official-layout sample (``data/samples/donvi.xlsx`` + ``danh_sach.xlsx``) against
figures worked out by hand from the spec, and a hand-made bad list with planted errors.

The expected figures are computed here from ``scripts/make_samples.py``'s own rows with
plain Python and the spec's rules (official-lists.md section 1's qualification words,
section 2's role table, section 6; indicators.md; ages as input-format.md says), never
with kpi's code, and pinned against the numbers worked out on paper (HAND). Then
``kpi compute`` must give the same numerator, denominator, value and status.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from kpi_tritue.cli import app

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "data" / "samples"
REGISTRY = SAMPLES / "donvi.xlsx"
STAFF_LIST = SAMPLES / "danh_sach.xlsx"
LIST_SHEET = "DS CBCCVC"
runner = CliRunner()


def _make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_samples", ROOT / "scripts" / "make_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


SAMPLE = _make_samples()
PEOPLE: list[Any] = SAMPLE.official_people()
AS_OF: date = SAMPLE.OFFICIAL_AS_OF
YEAR = AS_OF.year

# --- the spec's rules, by hand -----------------------------------------------------------

# official-lists.md section 2: is_manager, any level ("the position starts with").
MANAGER_PHRASES = (
    "giám đốc", "phó giám đốc", "chủ tịch", "phó chủ tịch", "bí thư", "phó bí thư", "chánh",
    "phó chánh", "trưởng", "phó trưởng", "hiệu trưởng", "phó hiệu trưởng", "viện trưởng",
    "phó viện trưởng", "chi cục trưởng", "phó chi cục trưởng", "tổng biên tập",
    "phó tổng biên tập", "chủ nhiệm", "phó chủ nhiệm", "thủ trưởng",
)  # fmt: skip
# official-lists.md section 1's table, with section 6.5's extra spellings.
LEADING_WORDS = {
    "Tiến sĩ": ("tiến sĩ", "tiến sỹ", "ts", "phd"),
    "Chuyên khoa II": ("chuyên khoa ii", "ck ii", "ckii", "ck2", "bác sĩ chuyên khoa ii",
                       "bác sĩ ckii", "bs ckii", "bs ck ii"),
    "Bác sĩ nội trú": ("bác sĩ nội trú", "bsnt"),
    "Chuyên khoa I": ("chuyên khoa i", "ck i", "cki", "ck1", "bác sĩ chuyên khoa i",
                      "bác sĩ cki", "bs cki", "bs ck i"),
    "Thạc sĩ": ("thạc sĩ", "thạc sỹ", "ths", "th s"),
    "Đại học": ("đại học", "đh", "cử nhân", "cn", "kỹ sư", "ks", "kiến trúc sư", "bác sĩ",
                "bs", "dược sĩ", "bác sỹ", "dược sỹ", "kĩ sư"),
    "Cao đẳng": ("cao đẳng", "cđ"),
    "Trung cấp": ("trung cấp", "tc"),
    "Sơ cấp": ("sơ cấp",),
}  # fmt: skip
POSTGRADUATE = {"Thạc sĩ", "Chuyên khoa I", "Bác sĩ nội trú", "Chuyên khoa II", "Tiến sĩ"}
NORM_SECTORS = {"Y tế", "Giáo dục", "Khoa học và công nghệ"}

# Worked out on paper from the list (see data/samples/README.md):
#  provincial leaders: 25 rows of level Tỉnh whose Chức vụ starts a part with a manager
#  phrase (not "Điều dưỡng trưởng khoa…", "Giáo viên - Tổ trưởng…"; yes "Pho Giam doc",
#  "Giảng viên kiêm Trưởng bộ môn…"); under 40 at 31/12/2025: born 03/03/1991, 31/12/1988
#  (37 that day), 01/01/1986 (39), 06/06/1992, 15/03/1993. Not: 31/12/1985 (40 that day),
#  20/01/1985, 1985 as a year, 1984, "1983". The two Xã leaders under 40 are not provincial.
#  postgraduate norms: 7 units (Y tế, Giáo dục, KH&CN, with a norm, with people):
#  BVĐK 4/12 ≥ 30 yes, Phổi 2/7 < 30 no, CDC 2/8 = 25 yes, ĐH 6/9 ≥ 40 yes,
#  THPT chuyên 3/9 < 40 no, Phan Đình Phùng 1/7 < 20 no, TT Ứng dụng 0/5 ≥ 0 yes.
HAND = {
    "provincial_leaders_under_40": (5, 25, 20.0, "met"),  # band 15–20 %, top edge
    "postgrad_norm_units": (4, 7, 400 / 7, "not_met"),  # = 100 %
}


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _plain(text: str) -> str:
    """Without diacritics: for positions written wholly without them."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _starts_with_words(text: str, phrase: str) -> bool:
    return text == phrase or text.startswith(phrase + " ")


def is_manager(position: str | None) -> bool:
    if position is None or not position.strip():
        return False
    text = _folded(position)
    no_diacritics = _plain(text) == text
    phrases = [_plain(p) if no_diacritics else p for p in MANAGER_PHRASES]
    parts = (_folded(part) for part in re.split(r"[,;\-–]|\bkiêm\b", text))
    return any(_starts_with_words(part, phrase) for part in parts for phrase in phrases)


def level_of(qualification: str) -> str:
    text = _folded(re.sub(r"[.,]", " ", qualification))
    matches = [
        (len(words), level)
        for level, spellings in LEADING_WORDS.items()
        for words in spellings
        if _starts_with_words(text, words)
    ]
    assert matches, f"no degree word in {qualification!r}"
    return max(matches)[1]


def age(born: date | int | str) -> int:
    """Full years at as_of; Y − year when only the year is known (input-format.md)."""
    if isinstance(born, str):
        born = int(born) if re.fullmatch(r"\d{4}", born) else datetime.strptime(born, "%d/%m/%Y")
    if isinstance(born, int):  # a year, also one typed into a date cell
        return YEAR - born
    return AS_OF.year - born.year - ((AS_OF.month, AS_OF.day) < (born.month, born.day))


def _status(indicator: str, numerator: int, denominator: int) -> str:
    if indicator == "provincial_leaders_under_40":
        value = numerator * 100 / denominator
        return "met" if 15 <= value <= 20 else ("not_met" if value < 15 else "above_range")
    return "met" if numerator == denominator else "not_met"


def by_hand() -> dict[str, tuple[int, int, float, str]]:
    leaders = [p for p in PEOPLE if p.unit.level == "Tỉnh" and is_manager(p.listed.position)]
    young = [p for p in leaders if age(p.born) < 40]
    units = []
    for unit in SAMPLE.OFFICIAL_UNITS:
        staff = [p for p in PEOPLE if p.unit is unit]
        if unit.sector in NORM_SECTORS and unit.postgrad_norm is not None and staff:
            graduates = sum(level_of(p.listed.qualification) in POSTGRADUATE for p in staff)
            units.append(graduates * 100 / len(staff) >= unit.postgrad_norm - 1e-9)
    counts = {
        "provincial_leaders_under_40": (len(young), len(leaders)),
        "postgrad_norm_units": (sum(units), len(units)),
    }
    return {
        key: (num, den, num * 100 / den, _status(key, num, den))
        for key, (num, den) in counts.items()
    }


def _invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


# --- the sample and the hand-worked figures ------------------------------------------------


def test_the_rules_by_hand_give_the_figures_worked_on_paper() -> None:
    worked = by_hand()
    assert worked.keys() == HAND.keys()
    for key, (num, den, value, status) in HAND.items():
        assert worked[key][:2] == (num, den), key
        assert worked[key][2] == pytest.approx(value)
        assert worked[key][3] == status


def test_the_list_is_in_the_official_layout() -> None:
    book = load_workbook(STAFF_LIST)
    assert book.sheetnames == [LIST_SHEET, "ThongTin"]
    sheet = book[LIST_SHEET]
    header = [c.value for c in sheet[5]]
    assert header[:3] == ["STT", "Họ và tên", "Ngày tháng năm sinh"]
    assert [c.value for c in sheet[6]][2:4] == ["Nam", "Nữ"]
    assert not {"Mã", "Cấp", "Lĩnh vực", "Loại", "Lãnh đạo quản lý"} & set(header)
    info = {row[0]: row[1] for row in book["ThongTin"].iter_rows(min_row=2, values_only=True)}
    assert info["Loại"] == "Viên chức"
    assert info["Ngày số liệu"].date() == AS_OF > date(2025, 7, 1)
    registry = load_workbook(REGISTRY)["DonVi"]
    assert "Huyện" not in {row[1] for row in registry.iter_rows(min_row=2, values_only=True)}
    assert 60 <= len(PEOPLE) <= 120


def test_compute_gives_the_hand_worked_figures() -> None:
    result = _invoke("compute", REGISTRY, STAFF_LIST, "--format", "json")
    assert result.exit_code == 0, result.output
    found = {item["id"]: item for item in json.loads(result.stdout)["indicators"]}
    for key, (num, den, value, status) in HAND.items():
        got = found[key]
        assert (got["numerator"], got["denominator"], got["status"]) == (num, den, status), key
        assert got["value"] == pytest.approx(value), key
    assert found["district_key_leaders_under_40"]["status"] == "not_applicable"


def test_the_sample_reads_without_errors_and_says_what_was_derived() -> None:
    result = _invoke("validate", REGISTRY, STAFF_LIST, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [i for i in report["issues"] if i["severity"] == "error"] == []
    derived = [v for k, v in report["derived"].items() if k.endswith("danh_sach.xlsx")]
    assert len(derived) == 1
    assert {
        "is_manager": "position",
        "is_key_leader": "position",
        "is_standing_committee": "position",
        "level": "DonVi",
        "sector": "DonVi",
        "category": "ThongTin",
    }.items() <= derived[0].items()
    # Sex (and the birth date) come from the Nam / Nữ columns; the spec names no key.
    assert "birth_columns" in {derived[0].get("sex"), derived[0].get("birth_date")}


def write_template_twin(path: Path) -> Path:
    """The list retyped into ``kpi template``'s layout with the flags and levels set by
    hand (the rules above): what the official layout must come to."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "NhanSu"
    sheet.append(["Mã", "Đơn vị", "Cấp", "Lĩnh vực", "Loại", "Ngày sinh", "Năm sinh",
                  "Giới tính", "Trình độ chuyên môn", "Lãnh đạo quản lý"])  # fmt: skip
    for number, person in enumerate(PEOPLE, start=1):
        born = person.born
        if isinstance(born, str):
            born = int(born) if born.isdigit() else datetime.strptime(born, "%d/%m/%Y").date()
        sheet.append([
            f"DS{number:03d}", person.unit.name, person.unit.level, person.unit.sector,
            "Viên chức", born if isinstance(born, date) else None,
            born.year if isinstance(born, date) else int(born),
            "Nữ" if person.listed.female else "Nam", level_of(person.listed.qualification),
            "x" if is_manager(person.listed.position) else None,
        ])  # fmt: skip
    info = book.create_sheet("ThongTin")
    for item in (("Mục", "Giá trị"), ("Năm báo cáo", YEAR), ("Ngày số liệu", AS_OF)):
        info.append(item)
    book.save(path)
    return path


def test_the_hand_figures_are_what_kpi_computes_from_the_retyped_list(tmp_path: Path) -> None:
    # Guards the oracle: the same people in the template layout, flags set by hand, give
    # HAND through kpi's existing engine (ages at as_of, shares against the norms).
    twin = write_template_twin(tmp_path / "retyped.xlsx")
    result = _invoke("compute", REGISTRY, twin, "--format", "json")
    assert result.exit_code == 0, result.output
    found = {item["id"]: item for item in json.loads(result.stdout)["indicators"]}
    for key, (num, den, value, status) in HAND.items():
        got = found[key]
        assert (got["numerator"], got["denominator"], got["status"]) == (num, den, status), key
        assert got["value"] == pytest.approx(value), key


def test_explain_shows_the_position_behind_a_derived_leader() -> None:
    # official-lists.md section 2: the position text of a row counted through a derived flag.
    result = _invoke(
        "explain", "provincial_leaders_under_40", REGISTRY, STAFF_LIST, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    shown = json.dumps(json.loads(result.stdout), ensure_ascii=False)
    for position in ("Pho Giam doc", "Giảng viên kiêm Trưởng bộ môn Toán"):
        assert position in shown


OUTPUTS = (
    ("compute",),
    ("compute", "--format", "json"),
    ("compute", "--lang", "en"),
    ("validate",),
    ("validate", "--format", "json"),
    ("explain", "provincial_leaders_under_40"),
    ("explain", "provincial_leaders_under_40", "--format", "json"),
    ("explain", "postgrad_norm_units", "--format", "csv"),
)


@pytest.mark.parametrize("command", OUTPUTS, ids=" ".join)
def test_no_name_of_the_list_in_any_output(command: tuple[str, ...]) -> None:
    verb, *rest = command
    indicator = [rest.pop(0)] if verb == "explain" else []
    result = _invoke(verb, *indicator, REGISTRY, STAFF_LIST, *rest)
    assert result.exit_code == 0, result.output
    assert len(result.output) > 200
    leaked = sorted({p.name for p in PEOPLE if p.name in result.output})
    assert leaked == []


# --- a bad list with planted errors -------------------------------------------------------

BAD_NAMES = ("Lê Hữu Khánh", "Đinh Văn Toàn", "Hồ Thị Nhàn", "Chu Quang Vinh", "Mai Thị Oanh")
HOSPITAL = "Bệnh viện Đa khoa tỉnh Hà Tĩnh"
# STT, name, Nam, Nữ, Giới tính, Chức vụ, unit, qualification; people from row 6.
BAD_ROWS: tuple[tuple[Any, ...], ...] = (
    (1, BAD_NAMES[0], date(1980, 4, 12), None, "Nam", "Giám đốc", HOSPITAL, "BS CKII Ngoại"),
    (2, BAD_NAMES[1], date(1990, 1, 1), date(1990, 1, 1), None, "Bác sĩ", HOSPITAL,
     "Bác sĩ Đa khoa"),  # row 7: both Nam and Nữ filled -> D7
    (3, BAD_NAMES[2], None, date(1988, 5, 5), None, "Giáo viên", "Trường THPT Hồng Lĩnh",
     "ĐH Sư phạm Toán"),  # row 8: a unit the registry lacks -> G8
    (4, BAD_NAMES[3], 1979, None, None, "Phó Giám đốc", HOSPITAL,
     "Quản lý kinh tế"),  # row 9: no degree word -> H9
    (5, BAD_NAMES[4], None, date(1992, 2, 2), "Nam", "Điều dưỡng", HOSPITAL,
     "Cao đẳng Điều dưỡng"),  # row 10: born in the Nữ column, Giới tính Nam -> E10
    (6, BAD_NAMES[0], date(1980, 4, 12), None, "Nam", "Bác sĩ", HOSPITAL,
     "Bác sĩ Đa khoa"),  # row 11: row 6 again (name, full date, sex) -> B11
    (7, "Trần Thị Hà", None, date(1990, 4, 12), "Nữ", None, HOSPITAL, "Cử nhân Điều dưỡng"),
    (8, "Trần Thị Hà", None, 1990, None, None, HOSPITAL,
     "Cao đẳng Điều dưỡng"),  # row 13: same name, same year only: a warning, no error
)  # fmt: skip
PLANTED = {(LIST_SHEET, cell) for cell in ("D7", "G8", "H9", "E10", "B11")}


def write_bad_list(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = LIST_SHEET
    sheet["A1"] = "DANH SÁCH VIÊN CHỨC (tệp lỗi mẫu)"
    headers = ("STT", "Họ và tên", "Ngày tháng năm sinh", None, "Giới tính", "Chức vụ",
               "Cơ quan, đơn vị công tác", "Trình độ chuyên môn cao nhất")  # fmt: skip
    for col, header in enumerate(headers, start=1):
        sheet.cell(3, col, header)
        sheet.cell(5, col, f"({col})")
    sheet.merge_cells("C3:D3")
    sheet["C4"], sheet["D4"] = "Nam", "Nữ"
    for row, values in enumerate(BAD_ROWS, start=6):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col, value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    info = book.create_sheet("ThongTin")
    for item in (("Mục", "Giá trị"), ("Năm báo cáo", YEAR), ("Ngày số liệu", AS_OF),
                 ("Loại", "Viên chức")):  # fmt: skip
        info.append(item)
    book.save(path)
    return path


def test_the_bad_list_gives_errors_at_exactly_the_planted_cells(tmp_path: Path) -> None:
    bad = write_bad_list(tmp_path / "danh_sach_loi.xlsx")
    result = _invoke("validate", REGISTRY, bad, "--format", "json")
    assert result.exit_code == 3, result.output
    issues = json.loads(result.stdout)["issues"]
    mine = [i for i in issues if (i.get("file") or "").endswith(bad.name)]
    errors = {(i["sheet"], i["cell"]) for i in mine if i["severity"] == "error"}
    assert errors == PLANTED
    assert [i for i in issues if i["severity"] == "error" and i not in mine] == []
    # The same name and the same birth year alone: a warning on the later row.
    assert any(i["severity"] == "warning" and i.get("row") == 13 for i in mine)
    names = {row[1] for row in BAD_ROWS}
    assert sorted(n for n in names if n in result.output) == []


# --- kpi template says the official layout is read too --------------------------------------


@pytest.mark.parametrize(
    ("lang", "sheet", "words"),
    [("vi", "Hướng dẫn", "mẫu của Bộ Nội vụ"), ("en", "Instructions", "Ministry of Home Affairs")],
)
def test_the_template_says_the_official_layout_is_read(
    tmp_path: Path, lang: str, sheet: str, words: str
) -> None:
    path = tmp_path / f"mau_{lang}.xlsx"
    result = _invoke("template", "-o", path, "--lang", lang)
    assert result.exit_code == 0, result.output
    texts = [str(c.value) for row in load_workbook(path)[sheet].iter_rows() for c in row]
    said = [t for t in texts if words in t]
    assert len(said) == 1
    assert "Nam" in said[0] and "Mã" in said[0] and "docs/input-format.md" in said[0]
