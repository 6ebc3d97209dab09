"""Write the sample workbooks of ``data/samples/``: Hà Tĩnh reports, a broken one, a list.

``ha_tinh_2024.xlsx`` is a consolidated 2024 report of Hà Tĩnh province (about 7,000
people, every sheet of the input format filled) on which every indicator of the catalog can
be computed; ``loi_mau.xlsx`` is a 30-person workbook with planted mistakes for the docs and
the tests; ``donvi.xlsx`` (a 2025 units registry with the province's figures) and
``danh_sach.xlsx`` (a 72-person staff list in the Ministry of Home Affairs' layout, no Mã)
show the official layout of official-lists.md. Everything is drawn from seeded
``random.Random`` streams and the files carry fixed timestamps, so a rerun writes the same
bytes. Names are assembled from lists of common
family, middle and given names: no row describes a real person.

Usage, from the repository root: ``python scripts/make_samples.py [--out DIR]``.
"""

from __future__ import annotations

import argparse
import io
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

SEED = 2024
REPORT_YEAR = 2024
AS_OF = date(REPORT_YEAR, 12, 31)
FIXED_TIME = datetime(REPORT_YEAR, 12, 31, 8, 0, 0)
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "samples"
FIRST_RECRUITMENT_YEAR = 1985
NEW_RECRUIT_RATE = 0.047  # share of staff (not leaders) recruited in the report year
TALENT_SHARE_OF_RECRUITS = 0.075

# --- vocabulary: the canonical values of input-format.md -------------------------------

PROVINCE, DISTRICT, COMMUNE = "Tỉnh", "Huyện", "Xã"
HEALTH, EDUCATION, ADMINISTRATION = "Y tế", "Giáo dục", "Quản lý nhà nước"
SCIENCE, CULTURE, OTHER = "Khoa học và công nghệ", "Văn hóa", "Khác"
CADRE, CIVIL_SERVANT, PUBLIC_EMPLOYEE, WORKER = (
    "Cán bộ",
    "Công chức",
    "Viên chức",
    "Người lao động",
)
UNTRAINED, ELEMENTARY, VOCATIONAL, COLLEGE, BACHELOR = (
    "Chưa qua đào tạo",
    "Sơ cấp",
    "Trung cấp",
    "Cao đẳng",
    "Đại học",
)
MASTER, SPECIALIST_1, RESIDENT, SPECIALIST_2, DOCTORATE = (
    "Thạc sĩ",
    "Chuyên khoa I",
    "Bác sĩ nội trú",
    "Chuyên khoa II",
    "Tiến sĩ",
)
QUALIFICATION_RANK = {
    UNTRAINED: 0,
    ELEMENTARY: 1,
    VOCATIONAL: 2,
    COLLEGE: 3,
    BACHELOR: 4,
    MASTER: 5,
    SPECIALIST_1: 5,
    RESIDENT: 5,
    SPECIALIST_2: 6,
    DOCTORATE: 6,
}
QUALIFICATION_SHORT = {SPECIALIST_1: "CKI", SPECIALIST_2: "CKII", RESIDENT: "BSNT"}
PRESCHOOL, PRIMARY, LOWER_SECONDARY, UPPER_SECONDARY = "Mầm non", "Tiểu học", "THCS", "THPT"
ACTIVE, RETIRED, QUIT, TRANSFERRED = "Đang công tác", "Nghỉ hưu", "Đã nghỉ việc", "Chuyển công tác"

# --- roles: what a kind of post looks like ---------------------------------------------


@dataclass(frozen=True)
class Grade:
    """A professional title and the qualifications of its holders (relative weights)."""

    title: str
    weight: float
    qualifications: Mapping[str, float]
    min_age: int = 22
    standard: str | None = None  # the training standard, when it differs from the role's


@dataclass(frozen=True, eq=False)  # identity-hashed: a role keys the quotas
class Role:
    """A kind of post: its titles, category, leadership flags and the odds of the rest."""

    grades: tuple[Grade, ...]
    category: str = PUBLIC_EMPLOYEE
    standard: str = BACHELOR  # the lowest qualification that meets the training standard
    female: float = 0.5
    min_age: int = 23
    manager: bool = False
    key_leader: bool = False
    standing: bool = False
    young: float = 0.0  # leaders: the share under 40
    school_level: str | None = None
    talent_ok: bool = False
    language: float = 0.15
    international: float = 0.02
    standardized: float = 0.9


GRADUATE = {BACHELOR: 85, MASTER: 12, COLLEGE: 3}
SENIOR = {MASTER: 58, BACHELOR: 37, DOCTORATE: 5}
EXECUTIVE = {MASTER: 55, DOCTORATE: 20, BACHELOR: 25}
CLERK = {VOCATIONAL: 60, COLLEGE: 40}
LOW_SKILLED = {VOCATIONAL: 40, ELEMENTARY: 35, UNTRAINED: 25}
SPECIALIST_DOCTOR = {SPECIALIST_1: 35, SPECIALIST_2: 30, MASTER: 25, DOCTORATE: 5, RESIDENT: 5}
EXPERT_DOCTOR = {SPECIALIST_2: 60, DOCTORATE: 40}

CHIEF_GRADES = (
    Grade("Chuyên viên cao cấp", 60, EXECUTIVE, min_age=45),
    Grade("Chuyên viên chính", 40, SENIOR, min_age=33),
)
MIDDLE_GRADES = (
    Grade("Chuyên viên chính", 60, SENIOR, min_age=32),
    Grade("Chuyên viên", 40, GRADUATE),
)
OFFICE_GRADES = (
    Grade("Chuyên viên", 64, GRADUATE),
    Grade("Chuyên viên chính", 24, SENIOR, min_age=35),
    Grade("Kế toán viên", 8, {BACHELOR: 85, COLLEGE: 15}),
    Grade("Cán sự", 4, CLERK),
)
COMMUNE_GRADES = (
    Grade("Chuyên viên", 80, {BACHELOR: 95, MASTER: 5}),
    Grade("Cán sự", 20, {VOCATIONAL: 75, COLLEGE: 25}),
)

PROVINCIAL_EXECUTIVE = Role(  # director or deputy director of a department
    CHIEF_GRADES,
    CIVIL_SERVANT,
    female=0.22,
    manager=True,
    young=0.07,
    language=0.5,
    international=0.3,
)
DIVISION_HEAD = Role(
    MIDDLE_GRADES,
    CIVIL_SERVANT,
    female=0.35,
    manager=True,
    young=0.27,
    language=0.45,
    international=0.27,
)
SPECIALIST = Role(OFFICE_GRADES, CIVIL_SERVANT, talent_ok=True, language=0.3, international=0.05)
OFFICE_STAFF = Role(OFFICE_GRADES, female=0.6)
SUPPORT = Role(
    (
        Grade("Nhân viên hành chính", 40, LOW_SKILLED),
        Grade("Lái xe", 30, {ELEMENTARY: 70, VOCATIONAL: 30}),
        Grade("Bảo vệ", 30, {UNTRAINED: 60, ELEMENTARY: 40}),
    ),
    WORKER,
    standard=UNTRAINED,
    female=0.3,
    language=0.02,
)
UNIT_LEADER = Role(
    MIDDLE_GRADES, female=0.4, manager=True, young=0.15, language=0.45, international=0.2
)

HEALTH_DIRECTOR = Role(
    (
        Grade("Bác sĩ cao cấp", 35, EXPERT_DOCTOR, min_age=45),
        Grade("Bác sĩ chính", 65, SPECIALIST_DOCTOR, min_age=35),
    ),
    female=0.25,
    manager=True,
    young=0.05,
    language=0.6,
    international=0.4,
)
DOCTOR_HEAD = Role(  # head or deputy head of a clinical department
    (
        Grade("Bác sĩ chính", 70, SPECIALIST_DOCTOR, min_age=32),
        Grade("Bác sĩ", 30, {SPECIALIST_1: 45, MASTER: 30, RESIDENT: 20, BACHELOR: 5}),
    ),
    female=0.35,
    manager=True,
    young=0.25,
    language=0.5,
    international=0.33,
)
DOCTOR = Role(
    (
        Grade("Bác sĩ", 60, {BACHELOR: 72, SPECIALIST_1: 12, MASTER: 8, RESIDENT: 8}),
        Grade(
            "Bác sĩ chính",
            32,
            {SPECIALIST_1: 45, MASTER: 20, SPECIALIST_2: 30, DOCTORATE: 5},
            min_age=33,
        ),
        Grade("Bác sĩ cao cấp", 8, {SPECIALIST_2: 70, DOCTORATE: 30}, min_age=45),
    ),
    female=0.45,
    min_age=24,
    talent_ok=True,
    language=0.35,
    international=0.06,
)
DISTRICT_DOCTOR = Role(
    (
        Grade("Bác sĩ", 58, {BACHELOR: 80, SPECIALIST_1: 15, MASTER: 3, RESIDENT: 2}),
        Grade("Bác sĩ chính", 28, {SPECIALIST_1: 65, SPECIALIST_2: 20, MASTER: 15}, min_age=33),
        Grade("Bác sĩ y học dự phòng", 14, {BACHELOR: 75, SPECIALIST_1: 15, MASTER: 10}),
    ),
    female=0.45,
    min_age=24,
    talent_ok=True,
    language=0.25,
    international=0.03,
)
NURSE = Role(  # nurses and midwives
    (
        Grade("Điều dưỡng hạng IV", 40, {VOCATIONAL: 35, COLLEGE: 65}),
        Grade("Điều dưỡng hạng III", 40, {BACHELOR: 95, SPECIALIST_1: 5}),
        Grade("Điều dưỡng hạng II", 10, {BACHELOR: 70, SPECIALIST_1: 20, MASTER: 10}, min_age=35),
        Grade("Hộ sinh hạng IV", 10, {VOCATIONAL: 30, COLLEGE: 70}),
    ),
    standard=COLLEGE,
    female=0.84,
    language=0.08,
)
TECHNICIAN = Role(
    (
        Grade("Kỹ thuật y hạng IV", 55, {VOCATIONAL: 25, COLLEGE: 75}),
        Grade("Kỹ thuật y hạng III", 45, {BACHELOR: 90, MASTER: 10}),
    ),
    standard=COLLEGE,
    female=0.55,
    language=0.1,
)
PHARMACIST = Role(
    (
        Grade("Dược sĩ", 55, {BACHELOR: 80, SPECIALIST_1: 15, MASTER: 5}),
        Grade("Dược hạng IV", 45, CLERK, standard=VOCATIONAL),
    ),
    female=0.7,
    language=0.12,
)

TEACHER_TITLE = {
    PRESCHOOL: "Giáo viên mầm non",
    PRIMARY: "Giáo viên tiểu học",
    LOWER_SECONDARY: "Giáo viên THCS",
    UPPER_SECONDARY: "Giáo viên THPT",
}
TEACHER_QUALIFICATIONS = {
    PRESCHOOL: {VOCATIONAL: 7, COLLEGE: 28, BACHELOR: 63, MASTER: 2},
    PRIMARY: {COLLEGE: 9, BACHELOR: 88, MASTER: 3},
    LOWER_SECONDARY: {COLLEGE: 6, BACHELOR: 88, MASTER: 6},
    UPPER_SECONDARY: {BACHELOR: 80, MASTER: 19, DOCTORATE: 1},
}
GIFTED_QUALIFICATIONS = {BACHELOR: 52, MASTER: 45, DOCTORATE: 3}
TEACHER_FEMALE = {PRESCHOOL: 0.99, PRIMARY: 0.85, LOWER_SECONDARY: 0.72, UPPER_SECONDARY: 0.6}


@cache  # one role per level, so that the quotas count all its schools together
def teacher(level: str, *, gifted: bool = False) -> Role:
    title = TEACHER_TITLE[level]
    qualifications = GIFTED_QUALIFICATIONS if gifted else TEACHER_QUALIFICATIONS[level]
    grades = (
        Grade(f"{title} hạng III", 50, qualifications),
        Grade(f"{title} hạng II", 40, qualifications, min_age=30),
        Grade(f"{title} hạng I", 10, qualifications, min_age=40),
    )
    return Role(
        grades,
        standard=COLLEGE if level == PRESCHOOL else BACHELOR,
        female=TEACHER_FEMALE[level],
        school_level=level,
        talent_ok=gifted,
        language=0.3 if gifted else 0.1,
    )


@cache
def principal(level: str) -> Role:
    """Principals and vice-principals: teachers who lead, counted as teachers too."""
    title = TEACHER_TITLE[level]
    grades = (
        Grade(f"{title} hạng II", 60, {BACHELOR: 75, MASTER: 25}, min_age=30),
        Grade(f"{title} hạng I", 40, {BACHELOR: 55, MASTER: 45}, min_age=40),
    )
    female = TEACHER_FEMALE[level]
    return Role(
        grades, female=female, manager=True, young=0.1, school_level=level, international=0.15
    )


SCHOOL_STAFF = Role(
    (
        Grade("Kế toán viên", 45, {BACHELOR: 70, COLLEGE: 20, VOCATIONAL: 10}),
        Grade("Thư viện viên hạng IV", 30, CLERK, standard=VOCATIONAL),
        Grade("Nhân viên thiết bị, thí nghiệm", 25, CLERK, standard=VOCATIONAL),
    ),
    female=0.8,
    language=0.05,
)
LECTURER = Role(
    (
        Grade("Giảng viên", 60, {MASTER: 72, DOCTORATE: 12, BACHELOR: 16}),
        Grade("Giảng viên chính", 32, {MASTER: 40, DOCTORATE: 60}, min_age=35),
        Grade("Giảng viên cao cấp", 8, {DOCTORATE: 100}, min_age=45),
    ),
    standard=MASTER,
    female=0.55,
    talent_ok=True,
    language=0.6,
    international=0.15,
)
HEALTH_LECTURER = Role(
    (
        Grade("Giảng viên", 70, {MASTER: 45, SPECIALIST_1: 20, BACHELOR: 35}),
        Grade("Giảng viên chính", 30, {MASTER: 55, SPECIALIST_2: 25, DOCTORATE: 20}, min_age=35),
    ),
    female=0.6,
    talent_ok=True,
    language=0.4,
    international=0.08,
)
ACADEMIC_LEADER = Role(
    (
        Grade("Giảng viên chính", 70, {MASTER: 30, DOCTORATE: 70}, min_age=35),
        Grade("Giảng viên cao cấp", 30, {DOCTORATE: 100}, min_age=45),
    ),
    standard=MASTER,
    female=0.35,
    manager=True,
    young=0.12,
    language=0.85,
    international=0.6,
)
RESEARCHER = Role(
    (
        Grade("Nghiên cứu viên", 50, {BACHELOR: 55, MASTER: 40, DOCTORATE: 5}),
        Grade("Nghiên cứu viên chính", 20, {MASTER: 60, DOCTORATE: 40}, min_age=35),
        Grade("Kỹ sư", 30, {BACHELOR: 90, MASTER: 10}),
    ),
    female=0.4,
    talent_ok=True,
    language=0.4,
    international=0.08,
)
CULTURE_STAFF = Role(
    (
        Grade("Di sản viên hạng III", 40, {BACHELOR: 90, MASTER: 10}),
        Grade("Thư viện viên hạng III", 35, {BACHELOR: 90, COLLEGE: 10}),
        Grade("Thư viện viên hạng IV", 25, CLERK, standard=VOCATIONAL),
    ),
    female=0.65,
    language=0.2,
)

DISTRICT_KEY = Role(  # secretary, deputy secretary, chair of the people's committee
    CHIEF_GRADES,
    CADRE,
    female=0.18,
    manager=True,
    key_leader=True,
    standing=True,
    young=0.06,
    language=0.3,
    international=0.1,
)
DISTRICT_STANDING = Role(  # other members of the standing committee
    MIDDLE_GRADES[:1], CADRE, female=0.25, manager=True, standing=True, young=0.12, language=0.25
)
DISTRICT_MANAGER = Role(MIDDLE_GRADES, CIVIL_SERVANT, female=0.35, manager=True, young=0.25)
COMMUNE_KEY = Role(
    COMMUNE_GRADES,
    CADRE,
    standard=VOCATIONAL,
    female=0.15,
    manager=True,
    key_leader=True,
    young=0.15,
)
COMMUNE_CADRE = Role(
    (*COMMUNE_GRADES, Grade("Nhân viên", 6, {ELEMENTARY: 60, VOCATIONAL: 40})),
    CADRE,
    standard=VOCATIONAL,
    female=0.4,
    language=0.05,
    standardized=0.87,
)
COMMUNE_CIVIL_SERVANT = Role(
    COMMUNE_GRADES, CIVIL_SERVANT, female=0.45, language=0.06, standardized=0.87
)
COMMUNE_WORKER = Role(
    (Grade("Người hoạt động không chuyên trách", 100, LOW_SKILLED),),
    WORKER,
    standard=UNTRAINED,
    female=0.4,
    language=0.02,
)

# --- units -----------------------------------------------------------------------------


Staff = tuple[tuple[Role, int], ...]  # the posts of a unit and how many hold each


@dataclass(frozen=True)
class Unit:
    """An agency or public service unit and the posts it reports."""

    name: str
    level: str
    sector: str
    area: str | None
    staff: Staff
    foreign_affairs: bool = False
    postgrad_norm: int | None = None


PARTY_COMMITTEE = {"thành phố": "Thành ủy", "thị xã": "Thị ủy", "huyện": "Huyện ủy"}


@dataclass(frozen=True)
class District:
    """A district-level area before the 2025 reform, with a few of its communes."""

    kind: str  # "thành phố", "thị xã" or "huyện"
    name: str
    population: int
    communes: str  # "thị trấn Thiên Cầm, xã Cẩm Bình, ...": the first ones' UBND report

    @property
    def area(self) -> str:
        return f"{self.kind.capitalize()} {self.name}"

    @property
    def title(self) -> str:
        return f"{self.kind} {self.name}"

    @property
    def party_committee(self) -> str:
        return f"{PARTY_COMMITTEE[self.kind]} {self.name}"

    @property
    def commune_list(self) -> list[str]:
        return self.communes.split(", ")

    @property
    def places(self) -> list[str]:
        """The communes' place names, which schools are named after."""
        return [re.sub(r"^(thị trấn|phường|xã) ", "", c) for c in self.commune_list]


DISTRICTS = (
    District("thành phố", "Hà Tĩnh", 187_452, "phường Bắc Hà, phường Nam Hà, xã Thạch Trung"),
    District("thị xã", "Hồng Lĩnh", 51_518, "phường Bắc Hồng, phường Đức Thuận, xã Thuận Lộc"),
    District("thị xã", "Kỳ Anh", 81_987, "phường Sông Trí, phường Kỳ Trinh, xã Kỳ Ninh"),
    District("huyện", "Cẩm Xuyên", 135_406, "thị trấn Thiên Cầm, xã Cẩm Bình, xã Cẩm Vịnh"),
    District("huyện", "Thạch Hà", 127_493, "thị trấn Thạch Hà, xã Thạch Long, xã Tượng Sơn"),
    District("huyện", "Can Lộc", 118_137, "thị trấn Nghèn, thị trấn Đồng Lộc, xã Thiên Lộc"),
    District("huyện", "Nghi Xuân", 91_428, "thị trấn Tiên Điền, xã Xuân Hội, xã Cương Gián"),
    District("huyện", "Đức Thọ", 96_115, "thị trấn Đức Thọ, xã Tùng Ảnh, xã Trường Sơn"),
    District("huyện", "Hương Sơn", 113_546, "thị trấn Phố Châu, thị trấn Tây Sơn, xã Sơn Kim 1"),
    District("huyện", "Vũ Quang", 29_314, "thị trấn Vũ Quang, xã Ân Phú, xã Đức Giang"),
    District("huyện", "Hương Khê", 97_279, "thị trấn Hương Khê, xã Phúc Trạch, xã Hương Trạch"),
    District("huyện", "Lộc Hà", 75_792, "thị trấn Lộc Hà, xã Thạch Kim, xã Mai Phụ"),
    District("huyện", "Kỳ Anh", 114_533, "xã Kỳ Đồng, xã Kỳ Phong, xã Kỳ Xuân"),
)
PROVINCE_POPULATION = 1_320_000
assert sum(d.population for d in DISTRICTS) == PROVINCE_POPULATION

# name, sector, people, deals with foreign affairs, postgraduate norm (%)
DEPARTMENTS: tuple[tuple[str, str, int, bool, int | None], ...] = (
    ("Văn phòng UBND tỉnh", ADMINISTRATION, 54, False, None),
    ("Sở Nội vụ", ADMINISTRATION, 42, False, None),
    ("Sở Tài chính", ADMINISTRATION, 46, False, None),
    ("Sở Kế hoạch và Đầu tư", ADMINISTRATION, 40, True, None),
    ("Sở Ngoại vụ", ADMINISTRATION, 22, True, None),
    ("Sở Tư pháp", ADMINISTRATION, 28, False, None),
    ("Sở Công Thương", ADMINISTRATION, 36, False, None),
    ("Sở Nông nghiệp và Phát triển nông thôn", ADMINISTRATION, 50, False, None),
    ("Sở Tài nguyên và Môi trường", ADMINISTRATION, 40, False, None),
    ("Sở Xây dựng", ADMINISTRATION, 32, False, None),
    ("Sở Giao thông vận tải", ADMINISTRATION, 36, False, None),
    ("Sở Lao động - Thương binh và Xã hội", ADMINISTRATION, 38, False, None),
    ("Sở Thông tin và Truyền thông", ADMINISTRATION, 28, False, None),
    ("Thanh tra tỉnh", ADMINISTRATION, 30, False, None),
    ("Ban Quản lý Khu kinh tế tỉnh", ADMINISTRATION, 36, True, None),
    ("Sở Y tế", HEALTH, 36, False, 30),
    ("Sở Giáo dục và Đào tạo", EDUCATION, 46, False, 20),
    ("Sở Khoa học và Công nghệ", SCIENCE, 32, False, 40),
    ("Sở Văn hóa, Thể thao và Du lịch", CULTURE, 40, False, None),
)
# name, doctors, nurses, other health staff, postgraduate norm (%)
HOSPITALS = (
    ("Bệnh viện Y dược cổ truyền Hà Tĩnh", 40, 30, 8, 30),
    ("Bệnh viện Phục hồi chức năng Hà Tĩnh", 22, 20, 8, 25),
    ("Bệnh viện Phổi Hà Tĩnh", 22, 22, 8, 30),
    ("Bệnh viện Mắt Hà Tĩnh", 17, 15, 8, 25),
    ("Trung tâm Kiểm soát bệnh tật tỉnh Hà Tĩnh", 26, 8, 20, 25),
)
UPPER_SECONDARY_SCHOOLS = {  # name: area
    "Trường THPT Phan Đình Phùng": "Thành phố Hà Tĩnh",
    "Trường THPT Hồng Lĩnh": "Thị xã Hồng Lĩnh",
    "Trường THPT Kỳ Anh": "Thị xã Kỳ Anh",
    "Trường THPT Cẩm Xuyên": "Huyện Cẩm Xuyên",
    "Trường THPT Lý Tự Trọng": "Huyện Thạch Hà",
    "Trường THPT Can Lộc": "Huyện Can Lộc",
    "Trường THPT Nguyễn Du": "Huyện Nghi Xuân",
    "Trường THPT Hương Khê": "Huyện Hương Khê",
}
DOCTORS_PER_RESIDENT = 0.00062  # in a district health centre
HEALTH_CENTRE_NORM = 25  # postgraduate norm (%) of a district health centre
UPPER_SECONDARY_NORM = 20


def department(name: str, sector: str, size: int, foreign: bool, norm: int | None) -> Unit:
    executives = 4 if size >= 45 else 3
    heads = round(size / 11)
    support = max(2, size // 15)
    staff = (
        (PROVINCIAL_EXECUTIVE, executives),
        (DIVISION_HEAD, heads),
        (SPECIALIST, size - executives - heads - support),
        (SUPPORT, support),
    )
    return Unit(name, PROVINCE, sector, None, staff, foreign, norm)


def health_unit(
    name: str,
    doctors: int,
    nurses: int,
    others: int,
    norm: int,
    *,
    area: str | None = None,
    doctor: Role = DOCTOR,
) -> Unit:
    staff = (
        (HEALTH_DIRECTOR, 3),
        (DOCTOR_HEAD, 3),
        (doctor, doctors),
        (NURSE, nurses),
        (TECHNICIAN, others),
        (PHARMACIST, max(3, others // 2)),
        (OFFICE_STAFF, max(4, others // 2)),
        (SUPPORT, max(3, others // 2)),
    )
    return Unit(name, PROVINCE, HEALTH, area, staff, postgrad_norm=norm)


GENERAL_HOSPITAL = (
    (HEALTH_DIRECTOR, 4), (DOCTOR_HEAD, 32), (DOCTOR, 280), (NURSE, 230), (TECHNICIAN, 40),
    (PHARMACIST, 18), (OFFICE_STAFF, 20), (SUPPORT, 22),
)  # fmt: skip
UNIVERSITY = ((ACADEMIC_LEADER, 15), (LECTURER, 135), (OFFICE_STAFF, 18), (SUPPORT, 7))
MEDICAL_COLLEGE = ((ACADEMIC_LEADER, 5), (HEALTH_LECTURER, 40), (OFFICE_STAFF, 8), (SUPPORT, 4))
GIFTED_SCHOOL = (
    (principal(UPPER_SECONDARY), 3),
    (teacher(UPPER_SECONDARY, gifted=True), 58),
    (SCHOOL_STAFF, 5),
)
SCIENCE_CENTRE = ((UNIT_LEADER, 3), (RESEARCHER, 20), (OFFICE_STAFF, 3), (SUPPORT, 2))
MUSEUM = ((UNIT_LEADER, 2), (CULTURE_STAFF, 16), (SUPPORT, 2))
LIBRARY = ((UNIT_LEADER, 2), (CULTURE_STAFF, 12), (SUPPORT, 2))
# name, sector, staff, deals with foreign affairs, postgraduate norm (%)
PROVINCIAL_SERVICES: tuple[tuple[str, str, Staff, bool, int | None], ...] = (
    ("Bệnh viện Đa khoa tỉnh Hà Tĩnh", HEALTH, GENERAL_HOSPITAL, False, 30),
    ("Trường Đại học Hà Tĩnh", EDUCATION, UNIVERSITY, True, 40),
    ("Trường Cao đẳng Y tế Hà Tĩnh", EDUCATION, MEDICAL_COLLEGE, False, 35),
    ("Trường THPT chuyên Hà Tĩnh", EDUCATION, GIFTED_SCHOOL, False, 40),
    (
        "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Hà Tĩnh",
        SCIENCE,
        SCIENCE_CENTRE,
        False,
        30,
    ),
    ("Bảo tàng tỉnh Hà Tĩnh", CULTURE, MUSEUM, False, None),
    ("Thư viện tỉnh Hà Tĩnh", CULTURE, LIBRARY, False, None),
)


def provincial_units() -> list[Unit]:
    """Departments and the province's own hospitals, schools and centres."""
    services = [
        Unit(name, PROVINCE, sector, None, staff, foreign, norm)
        for name, sector, staff, foreign, norm in PROVINCIAL_SERVICES
    ]
    hospitals = [health_unit(*row) for row in HOSPITALS]
    return [*(department(*row) for row in DEPARTMENTS), *services, *hospitals]


# school level: name prefix, teachers in a school, population over which a district has two
SCHOOLS = {
    PRESCHOOL: ("Trường Mầm non", (17, 23), 95_000),
    PRIMARY: ("Trường Tiểu học", (20, 28), 60_000),
    LOWER_SECONDARY: ("Trường THCS", (26, 34), 150_000),
}


def school(rng: random.Random, name: str, level: str, area: str, teachers: tuple[int, int]) -> Unit:
    leaders = 3 if level == UPPER_SECONDARY else 2
    staff = (
        (principal(level), leaders),
        (teacher(level), rng.randint(*teachers)),
        (SCHOOL_STAFF, leaders + 1),
        (SUPPORT, 1 if level == PRESCHOOL else 0),
    )
    if level == UPPER_SECONDARY:  # upper-secondary schools belong to the province
        return Unit(name, PROVINCE, EDUCATION, area, staff, postgrad_norm=UPPER_SECONDARY_NORM)
    return Unit(name, DISTRICT, EDUCATION, area, staff)


PARTY_OFFICE = ((DISTRICT_KEY, 2), (DISTRICT_STANDING, 5), (SPECIALIST, 8))
PEOPLES_COMMITTEE = (
    (DISTRICT_KEY, 1),
    (DISTRICT_STANDING, 1),
    (DISTRICT_MANAGER, 15),
    (SPECIALIST, 16),
    (SUPPORT, 2),
)
COMMUNE_OFFICE = (
    (COMMUNE_KEY, 3),
    (COMMUNE_CADRE, 7),
    (COMMUNE_CIVIL_SERVANT, 10),
    (COMMUNE_WORKER, 2),
)


def district_units(rng: random.Random, district: District) -> list[Unit]:
    """A district's party committee, people's committee, health centre, schools, communes."""
    area = district.area
    doctors = round(district.population * DOCTORS_PER_RESIDENT)
    units = [
        Unit(district.party_committee, DISTRICT, OTHER, area, PARTY_OFFICE),
        Unit(f"UBND {district.title}", DISTRICT, ADMINISTRATION, area, PEOPLES_COMMITTEE),
        health_unit(
            f"Trung tâm Y tế {district.title}",
            doctors,
            doctors // 2,
            7,
            HEALTH_CENTRE_NORM,
            area=area,
            doctor=DISTRICT_DOCTOR,
        ),
    ]
    for level, (prefix, teachers, two_over) in SCHOOLS.items():
        for place in rng.sample(district.places, 2 if district.population > two_over else 1):
            units.append(school(rng, f"{prefix} {place}", level, area, teachers))
    for name, home in UPPER_SECONDARY_SCHOOLS.items():
        if home == area:
            units.append(school(rng, name, UPPER_SECONDARY, area, (38, 48)))
    offices = 3 if district.population > 120_000 else 2
    communes = district.commune_list[:offices]
    units += [Unit(f"UBND {c}", COMMUNE, ADMINISTRATION, area, COMMUNE_OFFICE) for c in communes]
    return units


def hatinh_units(rng: random.Random) -> list[Unit]:
    units = provincial_units()
    for district in DISTRICTS:
        units += district_units(rng, district)
    return units


# --- people ----------------------------------------------------------------------------

FAMILY_NAMES = {
    "Nguyễn": 30, "Trần": 11, "Lê": 10, "Phan": 7, "Võ": 5, "Hoàng": 4, "Đặng": 4,
    "Bùi": 3, "Đỗ": 3, "Hồ": 3, "Ngô": 3, "Phạm": 3, "Dương": 2, "Đinh": 2, "Đậu": 2,
    "Thái": 2, "Trương": 2, "Đoàn": 1, "Tôn": 1, "Chu": 1, "Cao": 1, "Mai": 1,
}  # fmt: skip
MIDDLE_NAMES = {  # by sex: female is True
    False: ("Văn", "Văn", "Đức", "Hữu", "Minh", "Quang", "Xuân", "Công", "Đình", "Ngọc",
            "Anh", "Thanh", "Trọng", "Tiến", "Hồng", "Viết"),
    True: ("Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Minh", "Phương",
           "Kim", "Hoài", "Mai", "Bích"),
}  # fmt: skip
GIVEN_NAMES = {
    False: ("Anh", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Hưng", "Huy", "Khánh",
            "Long", "Lâm", "Mạnh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Thành", "Toàn",
            "Trung", "Tuấn", "Việt", "Vinh", "Hiếu", "Kiên", "Tâm", "Lộc", "Phúc", "Tùng"),
    True: ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
           "Huyền", "Lan", "Linh", "Loan", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phương",
           "Quỳnh", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Lý", "Tâm", "Hậu", "Nhàn"),
}  # fmt: skip


@dataclass
class Person:
    """One row of ``NhanSu``, in domain values (rendering to cells is separate)."""

    id: str
    name: str
    unit: Unit
    role: Role
    female: bool
    birth_date: date
    birth_form: str  # "date" (a date cell), "text" (dd/mm/yyyy) or "year" (Năm sinh only)
    qualification: str
    title: str
    trained: bool
    fits_position: bool
    standardized: bool
    language: bool
    international: bool
    recruited: int
    status: str = ACTIVE
    talent: bool = False
    attracted: int | None = None

    @property
    def is_teacher(self) -> bool:
        return self.title.startswith("Giáo viên")


def pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def full_name(rng: random.Random, female: bool) -> str:
    family = pick(rng, FAMILY_NAMES)
    middle = rng.choice(MIDDLE_NAMES[female])
    given = rng.choice([name for name in GIVEN_NAMES[female] if name != middle])
    return f"{family} {middle} {given}"


class Quota:
    """Deals a share out evenly over the people of a role (error diffusion).

    A coin flip per person would let a band indicator, such as the share of provincial
    leaders under 40, drift out of its band whenever the random stream changes.
    """

    def __init__(self) -> None:
        self._credit: dict[tuple[Role, str], float] = {}

    def take(self, role: Role, attribute: str, share: float) -> bool:
        credit = self._credit.get((role, attribute), 0.5) + share
        self._credit[role, attribute] = credit - (credit >= 1)
        return credit >= 1


def draw_age(rng: random.Random, role: Role, female: bool, new: bool, young: bool) -> int:
    """Age at the reference date; one year over the retirement age means retired this year."""
    retirement = 56 if female else 60
    if new:
        return rng.randint(role.min_age, role.min_age + 8)
    if role.manager:
        if young:
            return rng.randint(32 if role.category != CADRE else 29, 39)
        return rng.randint(40, retirement + 1)
    return rng.randint(role.min_age, retirement + 1)


def draw_status(rng: random.Random, age: int, female: bool) -> str:
    if age > (56 if female else 60):
        return RETIRED
    if rng.random() < 0.02:
        return rng.choice((QUIT, QUIT, TRANSFERRED))
    return ACTIVE


def draw_birth_date(rng: random.Random, age: int) -> date:
    """Any day of the year ``REPORT_YEAR - age``: the age at 31 December is then ``age``."""
    first = date(REPORT_YEAR - age, 1, 1)
    days = (date(first.year + 1, 1, 1) - first).days
    return first + timedelta(days=rng.randrange(days))


def draw_recruitment(rng: random.Random, role: Role, birth_year: int) -> int:
    last = REPORT_YEAR - (5 if role.manager else 1)
    first = min(max(FIRST_RECRUITMENT_YEAR, birth_year + role.min_age), last)
    return rng.randint(first, last)


def make_person(
    rng: random.Random,
    person_id: str,
    unit: Unit,
    role: Role,
    birth_forms: Mapping[str, float],
    quota: Quota,
) -> Person:
    female = rng.random() < role.female
    new = not role.manager and rng.random() < NEW_RECRUIT_RATE
    age = draw_age(rng, role, female, new, quota.take(role, "young", role.young))
    grades = role.grades[:1] if new else [g for g in role.grades if g.min_age <= age]
    grades = grades or [min(role.grades, key=lambda g: g.min_age)]
    chosen = rng.choices(grades, weights=[g.weight for g in grades])[0]
    qualification = pick(rng, chosen.qualifications)
    standard = chosen.standard or role.standard
    trained = QUALIFICATION_RANK[qualification] >= QUALIFICATION_RANK[standard]
    international = quota.take(role, "international", role.international)
    language_odds = 0.9 if role.manager and unit.foreign_affairs else role.language
    birth = draw_birth_date(rng, age)
    return Person(
        id=person_id,
        name=full_name(rng, female),
        unit=unit,
        role=role,
        female=female,
        birth_date=birth,
        birth_form=pick(rng, birth_forms),
        qualification=qualification,
        title=chosen.title,
        trained=trained,
        fits_position=rng.random() < (0.985 if trained else 0.45),
        standardized=trained and rng.random() < role.standardized,
        language=international or rng.random() < language_odds,
        international=international,
        recruited=REPORT_YEAR if new else draw_recruitment(rng, role, birth.year),
        status=ACTIVE if new else draw_status(rng, age, female),
    )


def generate_people(
    rng: random.Random,
    units: Iterable[Unit],
    id_prefix: str,
    birth_forms: Mapping[str, float],
) -> list[Person]:
    people: list[Person] = []
    quota = Quota()
    for unit in units:
        for role, count in unit.staff:
            for _ in range(count):
                person_id = f"{id_prefix}{len(people) + 1:06d}"
                people.append(make_person(rng, person_id, unit, role, birth_forms, quota))
    return people


def assign_talents(rng: random.Random, people: Sequence[Person]) -> None:
    """Mark the talents of the attraction policy, with a cohort old enough for retention."""

    def candidates(years: range, *, rank: int = QUALIFICATION_RANK[BACHELOR]) -> list[Person]:
        return [
            p
            for p in people
            if p.role.talent_ok
            and p.recruited in years
            and QUALIFICATION_RANK[p.qualification] >= rank
            and not p.talent
        ]

    recruits = sum(p.recruited == REPORT_YEAR for p in people)
    this_year = candidates(range(REPORT_YEAR, REPORT_YEAR + 1))
    for person in rng.sample(this_year, round(recruits * TALENT_SHARE_OF_RECRUITS)):
        person.talent = True
    cohort = rng.sample(candidates(range(2015, 2020)), 40)
    for person in cohort:
        person.talent = True
    for person in cohort[:6]:  # talents who did not stay five years
        person.status = rng.choice((QUIT, TRANSFERRED))
    for person in rng.sample(candidates(range(2020, REPORT_YEAR)), 28):
        person.talent = True
    # Recruited years before being attracted as a talent (after a doctorate, say): the
    # attraction year, not the recruitment year, decides the retention cohort.
    late = rng.sample(candidates(range(2006, 2013), rank=QUALIFICATION_RANK[MASTER]), 4)
    for person, year in zip(late, (2016, 2018, 2021, 2022), strict=True):
        person.talent = True
        person.attracted = year


# --- rendering people as cells ---------------------------------------------------------

NHANSU_COLUMNS = (
    ("Mã", 11),
    ("Họ và tên", 24),
    ("Đơn vị", 50),
    ("Cấp", 7),
    ("Lĩnh vực", 20),
    ("Loại", 15),
    ("Ngày sinh", 12),
    ("Năm sinh", 8),
    ("Giới tính", 8),
    ("Trình độ chuyên môn", 16),
    ("Chức danh nghề nghiệp", 30),
    ("Cấp học", 9),
    ("Lãnh đạo quản lý", 10),
    ("Lãnh đạo chủ chốt", 10),
    ("Ủy viên ban thường vụ", 11),
    ("Đạt chuẩn trình độ đào tạo", 12),
    ("Phù hợp vị trí việc làm", 11),
    ("Chuẩn hóa LLCT, chuyên môn, nghiệp vụ", 14),
    ("Giao tiếp ngoại ngữ", 11),
    ("Làm việc môi trường quốc tế", 12),
    ("Nhân tài", 8),
    ("Năm tuyển dụng", 10),
    ("Năm thu hút", 9),
    ("Trạng thái", 16),
)
TRUE_MARKS = {"x": 975, "X": 10, "Có": 5, "có": 5, "✓": 5}


def mark(rng: random.Random, flag: bool) -> str | None:
    """A yes/no cell as offices fill it: mostly ``x``, sometimes ``X``, ``Có`` or ``✓``."""
    return pick(rng, TRUE_MARKS) if flag else None


def birth_cells(person: Person) -> tuple[date | str | None, int]:
    born = person.birth_date
    if person.birth_form == "text":
        return f"{born.day:02d}/{born.month:02d}/{born.year}", born.year
    if person.birth_form == "year":
        return None, born.year
    return born, born.year


def qualification_cell(rng: random.Random, qualification: str) -> str:
    short = QUALIFICATION_SHORT.get(qualification)
    return short if short and rng.random() < 0.2 else qualification


def status_cell(rng: random.Random, status: str) -> str | None:
    if status != ACTIVE:
        return status
    return ACTIVE if rng.random() < 0.03 else None


def person_row(rng: random.Random, person: Person) -> list[Any]:
    role, unit = person.role, person.unit
    birth_date, birth_year = birth_cells(person)
    flags = (
        role.manager,
        role.key_leader,
        role.standing,
        person.trained,
        person.fits_position,
        person.standardized,
        person.language,
        person.international,
        person.talent,
    )
    return [
        person.id,
        person.name,
        unit.name,
        unit.level,
        unit.sector,
        role.category,
        birth_date,
        birth_year,
        "Nữ" if person.female else "Nam",
        qualification_cell(rng, person.qualification),
        person.title,
        role.school_level if person.is_teacher else None,
        *(mark(rng, flag) for flag in flags),
        person.recruited,
        person.attracted,
        status_cell(rng, person.status),
    ]


# --- writing sheets --------------------------------------------------------------------

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
THIN = Side(style="thin", color="808080")
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"


def write_titles(ws: Worksheet, lines: Sequence[str], width: int) -> None:
    """Report title lines at the top, each merged across the table and centred."""
    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row, 1, text)
        cell.font = Font(bold=True, size=13) if row == 1 else Font(italic=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[1].height = 24


def write_table(
    ws: Worksheet,
    columns: Sequence[tuple[str, int]],
    rows: Iterable[Sequence[Any]],
    *,
    header_row: int = 1,
    codes: bool = False,
) -> int:
    """Write a header (and a column-code row), then the rows; return the next free row."""
    for col, (header, width) in enumerate(columns, start=1):
        cell = ws.cell(header_row, col, header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    row = header_row + 1
    if codes:
        for col in range(1, len(columns) + 1):
            cell = ws.cell(row, col, f"({col})")
            cell.font = Font(italic=True)
            cell.alignment = Alignment(horizontal="center")
        row += 1
    ws.freeze_panes = ws.cell(row, 1)
    for values in rows:
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            if isinstance(value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int) and value >= 10_000:
                cell.number_format = NUMBER_FORMAT
        row += 1
    return row


def write_people(
    ws: Worksheet, rng: random.Random, people: Sequence[Person], titles: Sequence[str]
) -> None:
    """The ``NhanSu`` sheet as a report prints it: titles, a blank row, header, column
    codes, people, then the total."""
    ws.title = "NhanSu"
    write_titles(ws, titles, len(NHANSU_COLUMNS))
    header_row = len(titles) + 2
    ws.row_dimensions[header_row].height = 62
    rows = (person_row(rng, person) for person in people)
    total_row = write_table(ws, NHANSU_COLUMNS, rows, header_row=header_row, codes=True)
    ws.cell(total_row, 1, "Tổng cộng").font = HEADER_FONT
    ws.cell(total_row, 2, len(people)).font = HEADER_FONT


def write_info(wb: Workbook, reporting_unit: str) -> None:
    ws = wb.create_sheet("ThongTin")
    rows = (
        ("Năm báo cáo", REPORT_YEAR),
        ("Ngày số liệu", AS_OF),
        ("Đơn vị báo cáo", reporting_unit),
    )
    write_table(ws, (("Mục", 20), ("Giá trị", 30)), rows)


def write_units(wb: Workbook, units: Sequence[Unit]) -> None:
    ws = wb.create_sheet("DonVi")
    columns = (
        ("Đơn vị", 52),
        ("Cấp", 7),
        ("Lĩnh vực", 20),
        ("Đối ngoại", 10),
        ("Định mức sau đại học (%)", 14),
        ("Địa bàn", 20),
    )
    rows = (
        (u.name, u.level, u.sector, "x" if u.foreign_affairs else None, u.postgrad_norm, u.area)
        for u in units
    )
    write_table(ws, columns, rows)


FIGURE_COLUMNS = (("Chỉ tiêu", 34), ("Giá trị", 14), ("Năm", 8), ("Địa bàn", 20))


def write_figures(wb: Workbook, rows: Iterable[Sequence[Any]]) -> None:
    write_table(wb.create_sheet("SoLieu"), FIGURE_COLUMNS, rows)


SPECIALIST_TEAMS = (
    ("Tim mạch can thiệp", 2),
    ("Ngoại thần kinh", 1),
    ("Ung bướu", 2),
    ("Hồi sức tích cực", 3),
    ("Ghép thận", 0),
    ("Phẫu thuật nội soi", 3),
    ("Chấn thương chỉnh hình", 2),
    ("Hồi sức sơ sinh", 1),
    ("Can thiệp mạch não (đột quỵ)", 1),
    ("Ghép giác mạc", 0),
    ("Lọc máu liên tục", 2),
)
MILESTONES = (
    ("university_merger", "Đang thực hiện", "Đang xây dựng Đề án, lấy ý kiến các bộ, ngành"),
    ("intellectual_database", "Hoàn thành", "Đã đưa vào vận hành, cập nhật hằng năm"),
    ("science_fund", "Chưa thực hiện", "Chưa bố trí được vốn điều lệ"),
)


def write_teams_and_milestones(wb: Workbook) -> None:
    teams = wb.create_sheet("KipChuyenSau")
    write_table(teams, (("Chuyên khoa", 32), ("Số kíp", 10)), SPECIALIST_TEAMS)
    milestones = wb.create_sheet("MocCongViec")
    columns = (("Mã mốc", 24), ("Trạng thái", 18), ("Ghi chú", 52))
    write_table(milestones, columns, MILESTONES)


def save(wb: Workbook, path: Path, when: datetime = FIXED_TIME) -> None:
    """Save with fixed timestamps (document properties and zip entries): same bytes each run."""
    wb.properties.creator = "kpi-tritue make_samples.py"
    wb.properties.lastModifiedBy = None
    wb.properties.created = when
    wb.properties.modified = when
    buffer = io.BytesIO()
    # ExcelWriter, unlike Workbook.save, keeps ``modified`` as set above.
    ExcelWriter(wb, ZipFile(buffer, "w", ZIP_DEFLATED)).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = ZipInfo(item.filename, date_time=when.timetuple()[:6])
            entry.compress_type = ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))


# --- the Hà Tĩnh sample ----------------------------------------------------------------

# Teachers per class of the catalog, and the staffing (%) each school level lands on.
CLASS_NORMS = {PRESCHOOL: 2.2, PRIMARY: 1.5, LOWER_SECONDARY: 1.9, UPPER_SECONDARY: 2.25}
NURSERY_NORM = 2.5
STAFFING_TARGETS = {PRESCHOOL: 0.87, PRIMARY: 0.92, LOWER_SECONDARY: 1.01, UPPER_SECONDARY: 1.04}
NURSERY_SHARE = 0.22  # of the preschool teachers needed, the share for nursery groups


def class_counts(people: Iterable[Person]) -> dict[str, int]:
    """Class counts that put each school level at its intended teacher staffing."""
    teachers = Counter(p.role.school_level for p in people if p.is_teacher and p.status == ACTIVE)
    needed = teachers[PRESCHOOL] / STAFFING_TARGETS[PRESCHOOL]
    nursery = round(needed * NURSERY_SHARE / NURSERY_NORM)
    result = {
        "Số nhóm trẻ mầm non": nursery,
        "Số lớp mẫu giáo": round((needed - nursery * NURSERY_NORM) / CLASS_NORMS[PRESCHOOL]),
    }
    for label, level in (
        ("Số lớp tiểu học", PRIMARY),
        ("Số lớp THCS", LOWER_SECONDARY),
        ("Số lớp THPT", UPPER_SECONDARY),
    ):
        result[label] = round(teachers[level] / (CLASS_NORMS[level] * STAFFING_TARGETS[level]))
    return result


def hatinh_figures(people: Sequence[Person]) -> list[tuple[str, int, int, str | None]]:
    """``SoLieu`` rows: province figures, population by district, a few 2023 figures."""
    year = REPORT_YEAR
    province: dict[str, int] = {
        "Dân số": PROVINCE_POPULATION,
        "Lực lượng lao động": 720_000,
        "Lao động có bằng cấp, chứng chỉ": 230_400,
        "Bác sĩ ngoài công lập": 200,
        **class_counts(people),
        "Bằng sáng chế": 6,
        "Công trình khoa học": 84,
    }
    rows: list[tuple[str, int, int, str | None]] = [
        (label, value, year, None) for label, value in province.items()
    ]
    rows += [("Dân số", d.population, year, d.area) for d in DISTRICTS]
    rows += [
        ("Dân số", 1_312_600, year - 1, None),
        ("Lực lượng lao động", 715_000, year - 1, None),
        ("Lao động có bằng cấp, chứng chỉ", 221_000, year - 1, None),
        ("Tuyển dụng mới", 265, year - 1, None),
        ("Nhân tài được thu hút", 17, year - 1, None),
    ]
    return rows


NHANSU_TITLES = (
    "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM 2024",
    "(Kèm theo Báo cáo số       /BC-SNV ngày     /12/2024 của Sở Nội vụ tỉnh Hà Tĩnh)",
)
BIRTH_FORMS = {"date": 90, "text": 5, "year": 5}


def build_hatinh(path: Path) -> None:
    """The consolidated 2024 report of Hà Tĩnh."""
    rng = random.Random(SEED)
    units = hatinh_units(rng)
    people = generate_people(rng, units, "HT", BIRTH_FORMS)
    assign_talents(rng, people)
    wb = Workbook()
    write_people(wb.active, rng, people, NHANSU_TITLES)
    write_info(wb, "Sở Nội vụ tỉnh Hà Tĩnh")
    wb.move_sheet("ThongTin", offset=-1)
    write_units(wb, units)
    write_figures(wb, hatinh_figures(people))
    write_teams_and_milestones(wb)
    wb.active = 1
    save(wb, path)


# --- the broken sample -----------------------------------------------------------------

CAM_XUYEN = "Huyện Cẩm Xuyên"
BROKEN_UNITS = (
    Unit(
        "Trường Tiểu học Cẩm Bình",
        DISTRICT,
        EDUCATION,
        CAM_XUYEN,
        ((principal(PRIMARY), 1), (teacher(PRIMARY), 8), (SCHOOL_STAFF, 1)),
    ),  # NhanSu rows 6-15
    Unit(
        "UBND xã Cẩm Bình",
        COMMUNE,
        ADMINISTRATION,
        CAM_XUYEN,
        ((COMMUNE_KEY, 2), (COMMUNE_CADRE, 3), (COMMUNE_CIVIL_SERVANT, 5)),
    ),  # rows 16-25
    Unit(
        "Trung tâm Y tế huyện Cẩm Xuyên",
        PROVINCE,
        HEALTH,
        CAM_XUYEN,
        ((HEALTH_DIRECTOR, 1), (DISTRICT_DOCTOR, 4), (NURSE, 4), (PHARMACIST, 1)),
    ),  # rows 26-35
)
BROKEN_FIGURES = (
    ("Dân số", 1_320_000, REPORT_YEAR, None),
    ("Lực lượng lao động", 720_000, REPORT_YEAR, None),
    ("Lao động có bằng cấp, chứng chỉ", 230_400, REPORT_YEAR, None),
    ("Bác sĩ ngoài công lập", 200, REPORT_YEAR, None),
    ("Số lớp tiểu học", 40, REPORT_YEAR, None),
    ("Bằng sáng chế", 6, REPORT_YEAR, None),
    ("Công trình khoa học", 84, REPORT_YEAR, None),
)


PLANTED = (  # sheet, cell, value: written over the clean workbook, see build_broken
    ("NhanSu", "A20", "LM000004"),
    ("NhanSu", "D17", "Trung ương"),
    ("NhanSu", "G27", "31/02/1980"),
    ("NhanSu", "H27", 1980),
    ("NhanSu", "G22", None),
    ("NhanSu", "H22", 2031),
    ("NhanSu", "S24", "có lẽ"),
    ("NhanSu", "C30", None),
    ("NhanSu", "K12", "Giáo viên tiểu học hạng III"),
    ("NhanSu", "L12", None),
    ("SoLieu", "B6", -12),
    ("SoLieu", "A7", "Số giường bệnh"),
    ("SoLieu", "A8", "Dân số"),
    ("SoLieu", "B8", 1_302_000),
    ("SoLieu", "C8", REPORT_YEAR),
    ("SoLieu", "D8", None),
)
BROKEN_TITLES = (
    NHANSU_TITLES[0],
    "(Tệp mẫu có lỗi cố ý, dùng cho tài liệu hướng dẫn và kiểm thử)",
)


def build_broken(path: Path) -> None:
    """A 30-person workbook, clean but for ten planted mistakes, one error each."""
    # NhanSu: titles in rows 1-2, header row 4, column codes row 5, people in rows 6-35
    # (school 6-15, commune 16-25, health centre 26-35), "Tổng cộng" in row 36.
    # SoLieu: header row 1, figures in rows 2-8. The mistakes, as PLANTED writes them:
    #   NhanSu!A20     duplicated Mã: LM000004, the Mã of row 9
    #   NhanSu!D17     unknown Cấp: "Trung ương"
    #   NhanSu!G27     impossible date: "31/02/1980" (Năm sinh H27 = 1980)
    #   NhanSu!H22     birth year in the future: 2031 (Ngày sinh G22 left blank)
    #   NhanSu!S24     not a yes/no value in Giao tiếp ngoại ngữ: "có lẽ"
    #   NhanSu!C30     required cell left blank: Đơn vị
    #   NhanSu!L12     a teacher (K12: Giáo viên tiểu học hạng III) without Cấp học
    #   SoLieu!B6      negative Giá trị: -12 (Số lớp tiểu học)
    #   SoLieu!A7      unknown Chỉ tiêu: "Số giường bệnh"
    #   SoLieu!A8:D8   Dân số, 2024, whole province again: 1,302,000 against 1,320,000 in row 2
    rng = random.Random(SEED)
    people = generate_people(rng, BROKEN_UNITS, "LM", {"date": 1})
    wb = Workbook()
    write_people(wb.active, rng, people, BROKEN_TITLES)
    write_info(wb, "Phòng Nội vụ huyện Cẩm Xuyên")
    wb.move_sheet("ThongTin", offset=-1)
    write_figures(wb, BROKEN_FIGURES)
    for sheet, address, value in PLANTED:
        wb[sheet][address] = value
    wb.active = 1
    save(wb, path)


# --- the official layout: a registry workbook and a Ministry-style staff list ------------
#
# ``donvi.xlsx`` is the analyst's units registry for 2025 (DonVi, SoLieu, ThongTin);
# ``danh_sach.xlsx`` is a list of public employees as units keep it for the Ministry of
# Home Affairs (official-lists.md): one sheet ``DS CBCCVC`` with title rows, a two-row
# header whose birth date is split into ``Nam`` / ``Nữ``, a column-code row, group heading
# rows, no Mã, no Cấp / Lĩnh vực / Loại, no leadership flags (they come from ``Chức vụ``),
# qualifications written with their specialty, some birth dates as bare years; and a
# ``ThongTin`` sheet whose ``Loại`` gives the category of every row. The data are as of
# 31/12/2025, after the two-level reform: no unit of level ``Huyện``.
# tests/test_official_sample.py works the indicators out by hand from OFFICIAL_GROUPS.

OFFICIAL_YEAR = 2025
OFFICIAL_AS_OF = date(OFFICIAL_YEAR, 12, 31)
OFFICIAL_TIME = datetime(OFFICIAL_YEAR, 12, 31, 8, 0, 0)
OFFICIAL_SEED = 2025
OFFICIAL_CATEGORY = PUBLIC_EMPLOYEE
OFFICIAL_REPORTER = "Sở Nội vụ tỉnh Hà Tĩnh"
OFFICIAL_SHEET = "DS CBCCVC"
THANH_SEN = "Phường Thành Sen"


@dataclass(frozen=True)
class RegistryUnit:
    """One row of the registry's ``DonVi``."""

    name: str
    level: str
    sector: str
    postgrad_norm: int | None = None
    foreign_affairs: bool = False
    area: str | None = None


OFFICIAL_UNITS = (
    RegistryUnit("Sở Nội vụ", PROVINCE, ADMINISTRATION),
    RegistryUnit("Sở Y tế", PROVINCE, HEALTH, 30),  # no one of it in the list
    RegistryUnit("Sở Giáo dục và Đào tạo", PROVINCE, EDUCATION, 20),  # nor of these two
    RegistryUnit("Sở Khoa học và Công nghệ", PROVINCE, SCIENCE, 40),
    RegistryUnit("Bệnh viện Đa khoa tỉnh Hà Tĩnh", PROVINCE, HEALTH, 30),
    RegistryUnit("Bệnh viện Phổi Hà Tĩnh", PROVINCE, HEALTH, 30),
    RegistryUnit("Bệnh viện Mắt Hà Tĩnh", PROVINCE, HEALTH, 25),  # no one in the list
    RegistryUnit("Trung tâm Kiểm soát bệnh tật tỉnh Hà Tĩnh", PROVINCE, HEALTH, 25),
    RegistryUnit("Trường Đại học Hà Tĩnh", PROVINCE, EDUCATION, 40, foreign_affairs=True),
    RegistryUnit("Trường THPT chuyên Hà Tĩnh", PROVINCE, EDUCATION, 40),
    RegistryUnit("Trường THPT Phan Đình Phùng", PROVINCE, EDUCATION, 20),
    RegistryUnit("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Hà Tĩnh", PROVINCE, SCIENCE, 0),
    RegistryUnit("Thư viện tỉnh Hà Tĩnh", PROVINCE, CULTURE, 10),  # a norm, but not a sector
    RegistryUnit("Bảo tàng tỉnh Hà Tĩnh", PROVINCE, CULTURE),
    RegistryUnit("UBND phường Thành Sen", COMMUNE, ADMINISTRATION, area=THANH_SEN),
    RegistryUnit("Trạm Y tế phường Thành Sen", COMMUNE, HEALTH, area=THANH_SEN),
    RegistryUnit("Trường Tiểu học Thành Sen", COMMUNE, EDUCATION, area=THANH_SEN),
)
OFFICIAL_FIGURES = (
    ("Dân số", 1_331_200, OFFICIAL_YEAR, None),
    ("Lực lượng lao động", 726_500, OFFICIAL_YEAR, None),
    ("Lao động có bằng cấp, chứng chỉ", 246_800, OFFICIAL_YEAR, None),
    ("Bác sĩ ngoài công lập", 215, OFFICIAL_YEAR, None),
    ("Bằng sáng chế", 7, OFFICIAL_YEAR, None),
    ("Công trình khoa học", 91, OFFICIAL_YEAR, None),
    ("Dân số", 1_320_000, OFFICIAL_YEAR - 1, None),
)


class SerialYear(int):
    """A birth year typed into a date-formatted cell (1985 shows as 07/06/1905)."""


Born = date | int | str | SerialYear | None  # None: a date drawn from the seed


@dataclass(frozen=True)
class Listed:
    """One person of the list as written: the cells, less the name and the unit."""

    female: bool
    born: Born
    position: str | None
    profession: str
    qualification: str
    political_theory: str | None = None
    unit_as_written: str | None = None  # the unit cell, when spelt unlike the registry
    namesake: bool = False  # takes the name of the previous namesake-marked person


@dataclass(frozen=True)
class OfficialPerson:
    """A row of the list with everything filled in: what the test and the sheet use."""

    name: str
    unit: RegistryUnit
    listed: Listed

    @property
    def born(self) -> date | int | str:
        assert self.listed.born is not None  # filled in by official_people
        return self.listed.born


M, F = False, True
L = Listed
OfficialUnitGroup = tuple[str, bool, tuple[Listed, ...]]  # unit, has a heading row, people
OFFICIAL_GROUPS: tuple[tuple[str, str, tuple[OfficialUnitGroup, ...]], ...] = (
    ("I", "KHỐI Y TẾ", (
        ("Bệnh viện Đa khoa tỉnh Hà Tĩnh", True, (
            L(M, date(1969, 9, 9), "Giám đốc", "Bác sĩ cao cấp", "BS CKII Ngoại", "Cao cấp"),
            L(F, date(1978, 10, 10), "Phó Bí thư Đảng ủy, Phó Giám đốc", "Bác sĩ chính",
              "TS. Y học", "Cao cấp"),
            L(M, 1983, "Trưởng khoa Nội tổng hợp", "Bác sĩ chính", "Bác sĩ CKI Nội", "Trung cấp"),
            L(M, date(1991, 3, 3), "Bác sĩ - Phó Trưởng khoa Ngoại", "Bác sĩ",
              "Bác sĩ nội trú Ngoại khoa", "Sơ cấp"),
            L(F, date(1980, 5, 5), "Điều dưỡng trưởng khoa Hồi sức tích cực",
              "Điều dưỡng hạng III", "Cử nhân Điều dưỡng", "Trung cấp"),
            L(M, None, "Bác sĩ", "Bác sĩ", "Bác sĩ Đa khoa"),
            L(F, None, None, "Bác sĩ", "Bác sĩ đa khoa",
              unit_as_written="Bệnh viện đa khoa tỉnh  Hà Tĩnh"),
            L(M, 1996, None, "Bác sĩ", "BS Đa khoa"),
            L(F, "14/02/1997", "Điều dưỡng", "Điều dưỡng hạng IV", "Cao đẳng Điều dưỡng"),
            L(F, None, None, "Điều dưỡng hạng IV", "CĐ Điều dưỡng"),
            L(M, None, None, "Kỹ thuật y hạng III", "Cử nhân Kỹ thuật xét nghiệm y học"),
            L(F, None, None, "Dược sĩ hạng III", "Dược sĩ"),
        )),
        ("Bệnh viện Phổi Hà Tĩnh", True, (
            L(M, date(1974, 2, 14), "Giám đốc", "Bác sĩ chính", "BS CKII Lao và bệnh phổi",
              "Cao cấp"),
            L(F, date(1988, 12, 31), "Phó Giám đốc", "Bác sĩ chính", "Bác sĩ CKI Lao",
              "Trung cấp"),
            L(M, None, "Bác sĩ", "Bác sĩ", "Bác sĩ Đa khoa"),
            L(F, 1993, "Bác sĩ", "Bác sĩ", "Bác sĩ Y học cổ truyền"),
            L(F, None, "Điều dưỡng", "Điều dưỡng hạng IV", "Cao đẳng Điều dưỡng"),
            L(F, "03/09/1996", "Điều dưỡng", "Điều dưỡng hạng IV", "Cao đẳng Điều dưỡng"),
            L(M, None, None, "Điều dưỡng hạng IV", "Trung cấp Điều dưỡng"),
        )),
        ("Trung tâm Kiểm soát bệnh tật tỉnh Hà Tĩnh", True, (
            L(M, 1972, "Giám đốc", "Bác sĩ chính", "ThS. Y tế công cộng", "Cao cấp"),
            L(M, date(1986, 1, 1), "Pho Giam doc", "Bác sĩ", "Bác sĩ Y học dự phòng",
              "Trung cấp"),
            L(F, date(1985, 12, 31), "Trưởng khoa Kiểm soát bệnh truyền nhiễm", "Bác sĩ chính",
              "Bác sĩ CKI Y học dự phòng", "Trung cấp"),
            L(F, None, None, "Y tế công cộng hạng III", "Cử nhân Y tế công cộng"),
            L(M, 1997, None, "Kỹ thuật y hạng IV", "Cao đẳng Kỹ thuật xét nghiệm"),
            L(M, None, None, "Kỹ sư", "Kỹ sư Môi trường"),
            L(F, None, None, "Kỹ thuật y hạng III", "Cử nhân Xét nghiệm y học dự phòng"),
            L(F, None, "Kế toán", "Kế toán viên", "Cử nhân Kế toán"),
        )),
    )),
    ("II", "KHỐI GIÁO DỤC VÀ ĐÀO TẠO", (
        ("Trường Đại học Hà Tĩnh", True, (
            L(M, date(1970, 7, 7), "Bí thư Đảng ủy, Hiệu trưởng", "Giảng viên cao cấp",
              "TS. Kinh tế", "Cao cấp"),
            L(F, date(1979, 4, 4), "Phó Hiệu trưởng", "Giảng viên chính", "Tiến sĩ Toán học",
              "Cao cấp"),
            L(M, 1984, "Trưởng khoa Sư phạm", "Giảng viên chính",
              "ThS. Lý luận và phương pháp dạy học", "Trung cấp"),
            L(F, date(1992, 6, 6), "Giảng viên - Phó Trưởng khoa Kinh tế", "Giảng viên",
              "ThS. Quản lý kinh tế", "Sơ cấp"),
            L(M, date(1981, 2, 2), "Giảng viên kiêm Trưởng bộ môn Toán", "Giảng viên chính",
              "Th.S Toán học", "Trung cấp"),
            L(F, None, "Giảng viên", "Giảng viên", "Thạc sỹ Ngôn ngữ Anh"),
            L(M, None, "Giảng viên", "Giảng viên", "Cử nhân Công nghệ thông tin"),
            L(M, "1988", "Giảng viên", "Giảng viên", "Kỹ sư Xây dựng"),
            L(F, None, "Chuyên viên Phòng Đào tạo", "Chuyên viên", "Cử nhân Kinh tế"),
        )),
        ("Trường THPT chuyên Hà Tĩnh", True, (
            L(M, date(1976, 11, 11), "Hiệu trưởng", "Giáo viên THPT hạng I",
              "ThS. Quản lý giáo dục", "Cao cấp"),
            L(F, date(1985, 1, 20), "Phó Hiệu trưởng", "Giáo viên THPT hạng I",
              "Thạc sỹ Toán học", "Trung cấp"),
            L(F, None, "Giáo viên - Tổ trưởng chuyên môn", "Giáo viên THPT hạng II",
              "ĐH Sư phạm Sinh học"),
            L(M, None, "Giáo viên", "Giáo viên THPT hạng II", "ĐH Sư phạm Toán"),
            L(F, 1991, "Giáo viên", "Giáo viên THPT hạng II", "ĐH Sư phạm Vật lý"),
            L(F, date(1989, 3, 8), "Giáo viên", "Giáo viên THPT hạng II", "ThS. Hóa học",
              namesake=True),
            L(F, None, "Giáo viên", "Giáo viên THPT hạng III", "Cử nhân Sư phạm Tiếng Anh"),
            L(M, "22/08/1994", "Giáo viên", "Giáo viên THPT hạng III", "ĐH Sư phạm Ngữ văn"),
            L(F, None, "Kế toán", "Kế toán viên", "Cử nhân Kế toán"),
        )),
        ("Trường THPT Phan Đình Phùng", False, (
            L(M, 1973, "Hiệu trưởng", "Giáo viên THPT hạng I", "ĐH Sư phạm Toán", "Trung cấp"),
            L(F, date(1984, 9, 9), "Phó Hiệu trưởng", "Giáo viên THPT hạng II",
              "ThS. Quản lý giáo dục", "Trung cấp"),
            L(F, None, "Giáo viên", "Giáo viên THPT hạng II", "Đại học"),
            L(M, None, "Giáo viên", "Giáo viên THPT hạng II", "Cử nhân Sư phạm Lịch sử"),
            L(F, 1995, "Giáo viên", "Giáo viên THPT hạng III", "Đại học Sư phạm Địa lý"),
            L(F, None, "Giáo viên", "Giáo viên THPT hạng III", "ĐH Sư phạm Tin học"),
            L(F, None, "Nhân viên thư viện", "Thư viện viên hạng IV", "Trung cấp Thư viện"),
        )),
    )),
    ("III", "KHỐI KHOA HỌC VÀ CÔNG NGHỆ", (
        ("Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Hà Tĩnh", False, (
            L(M, date(1981, 12, 1), "Giám đốc", "Kỹ sư chính", "Kỹ sư Nông nghiệp", "Cao cấp"),
            L(M, date(1993, 3, 15), "Phó Giám đốc", "Kỹ sư", "Cử nhân Sinh học", "Trung cấp"),
            L(F, "1983", "Trưởng phòng Kỹ thuật", "Kỹ sư", "Kỹ sư Công nghệ thực phẩm", "Sơ cấp"),
            L(M, None, None, "Kỹ sư", "Kĩ sư Điện tử"),
            L(M, None, None, "Kỹ sư", "Kỹ sư Cơ khí"),
        )),
    )),
    ("IV", "KHỐI VĂN HÓA", (
        ("Thư viện tỉnh Hà Tĩnh", False, (
            L(F, 1977, "Giám đốc", "Thư viện viên hạng II", "Cử nhân Thư viện", "Cao cấp"),
            L(M, date(1982, 8, 19), "Phó Giám đốc", "Thư viện viên hạng III",
              "ThS. Khoa học thông tin - thư viện", "Trung cấp"),
            L(F, SerialYear(1985), None, "Thư viện viên hạng IV", "Cao đẳng Thư viện"),
            L(F, None, None, "Thư viện viên hạng IV", "Cao đẳng Thư viện"),
        )),
        ("Bảo tàng tỉnh Hà Tĩnh", False, (
            L(M, 1975, "Giám đốc", "Di sản viên hạng II", "Cử nhân Lịch sử", "Cao cấp"),
            L(F, date(1984, 5, 26), "Phó Giám đốc", "Di sản viên hạng III", "ThS. Bảo tàng học",
              "Trung cấp", namesake=True),
            L(M, None, None, "Di sản viên hạng III", "Cử nhân Văn hóa học"),
        )),
    )),
    ("V", "CẤP XÃ", (
        ("Trạm Y tế phường Thành Sen", True, (
            L(M, date(1992, 4, 4), "Trưởng trạm", "Bác sĩ", "Bác sĩ Đa khoa", "Sơ cấp"),
            L(F, None, None, "Y sĩ hạng IV", "Trung cấp Y sĩ"),
            L(F, None, None, "Điều dưỡng hạng IV", "Cao đẳng Điều dưỡng"),
        )),
        ("Trường Tiểu học Thành Sen", True, (
            L(F, date(1990, 10, 10), "Hiệu trưởng", "Giáo viên tiểu học hạng II",
              "ThS. Giáo dục học", "Trung cấp"),
            L(F, 1983, "Phó Hiệu trưởng", "Giáo viên tiểu học hạng II", "ĐH Giáo dục Tiểu học"),
            L(F, None, "Giáo viên", "Giáo viên tiểu học hạng III", "Cao đẳng Sư phạm Tiểu học"),
            L(F, None, "Giáo viên", "Giáo viên tiểu học hạng III", "Cử nhân Giáo dục Tiểu học"),
            L(M, None, "Giáo viên", "Giáo viên tiểu học hạng III", "CN Giáo dục thể chất"),
        )),
    )),
)  # fmt: skip


def official_people() -> list[OfficialPerson]:
    """The people of ``danh_sach.xlsx`` in list order, names and missing dates drawn."""
    rng = random.Random(OFFICIAL_SEED)
    units = {unit.name: unit for unit in OFFICIAL_UNITS}
    people: list[OfficialPerson] = []
    used: set[str] = set()
    namesake: str | None = None
    for _, _, unit_groups in OFFICIAL_GROUPS:
        for unit_name, _, listed in unit_groups:
            for row in listed:
                name = full_name(rng, row.female)
                while name in used:
                    name = full_name(rng, row.female)
                if row.namesake:  # two people of one name, born years apart: not a duplicate
                    namesake = namesake or name
                    name = namesake
                used.add(name)
                born = row.born
                if born is None:
                    first = date(1970, 1, 1)
                    born = first + timedelta(days=rng.randrange((date(2000, 1, 1) - first).days))
                filled = replace(row, born=born)
                people.append(OfficialPerson(name, units[unit_name], filled))
    return people


OFFICIAL_TITLES = (
    "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH",
    "DANH SÁCH VIÊN CHỨC CÁC ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP",
    "(Có đến ngày 31 tháng 12 năm 2025)",
)
OFFICIAL_COLUMNS = (  # header, width; the birth column spans the two sub-columns Nam / Nữ
    ("STT", 6),
    ("Họ và tên", 24),
    ("Ngày tháng năm sinh", 12),
    (None, 12),
    ("Chức vụ", 34),
    ("Cơ quan, đơn vị công tác", 44),
    ("Chức danh nghề nghiệp", 24),
    ("Trình độ chuyên môn cao nhất", 32),
    ("Lý luận chính trị", 12),
)
BIRTH_COLUMN = 3  # Nam; Nữ is the next


def official_birth_cell(ws: Worksheet, row: int, person: OfficialPerson) -> None:
    cell = ws.cell(row, BIRTH_COLUMN + person.listed.female, person.born)
    if isinstance(person.born, date | SerialYear):  # a year in a date cell: see SerialYear
        cell.number_format = DATE_FORMAT


def write_official_header(ws: Worksheet) -> int:
    """Titles, the two-row header, the column codes; return the first row of people."""
    width = len(OFFICIAL_COLUMNS)
    write_titles(ws, OFFICIAL_TITLES, width)
    top = len(OFFICIAL_TITLES) + 2
    for col, (header, size) in enumerate(OFFICIAL_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = size
        for row in (top, top + 1, top + 2):
            cell = ws.cell(row, col)
            cell.border = HEADER_BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head = ws.cell(top, col, header)
        head.font, head.fill = HEADER_FONT, HEADER_FILL
        ws.cell(top + 1, col).fill = HEADER_FILL
        if col not in (BIRTH_COLUMN, BIRTH_COLUMN + 1):
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        code = ws.cell(top + 2, col, f"({col})")
        code.font = Font(italic=True)
    ws.merge_cells(
        start_row=top, start_column=BIRTH_COLUMN, end_row=top, end_column=BIRTH_COLUMN + 1
    )
    for col, sex in ((BIRTH_COLUMN, "Nam"), (BIRTH_COLUMN + 1, "Nữ")):
        ws.cell(top + 1, col, sex).font = HEADER_FONT
    ws.row_dimensions[top].height = 32
    ws.freeze_panes = ws.cell(top + 3, 3)
    return top + 3


def write_official_list(ws: Worksheet, people: Sequence[OfficialPerson]) -> None:
    """The ``DS CBCCVC`` sheet: a heading row per block and per some units, then people."""
    ws.title = OFFICIAL_SHEET
    row = write_official_header(ws)
    remaining = iter(people)
    number = 0
    for roman, block, unit_groups in OFFICIAL_GROUPS:
        for cell in (ws.cell(row, 1, roman), ws.cell(row, 2, block)):
            cell.font = HEADER_FONT
        row += 1
        for index, (unit_name, heading, listed) in enumerate(unit_groups, start=1):
            if heading:
                ws.cell(row, 1, index).font = Font(bold=True, italic=True)
                ws.cell(row, 2, unit_name).font = Font(bold=True, italic=True)
                row += 1
            for _ in listed:
                person = next(remaining)
                number += 1
                entry = person.listed
                ws.cell(row, 1, number)
                ws.cell(row, 2, person.name)
                official_birth_cell(ws, row, person)
                ws.cell(row, 5, entry.position)
                ws.cell(row, 6, entry.unit_as_written or person.unit.name)
                ws.cell(row, 7, entry.profession)
                ws.cell(row, 8, entry.qualification)
                ws.cell(row, 9, entry.political_theory)
                row += 1


def official_info(wb: Workbook, *, category: bool) -> None:
    rows: list[tuple[str, Any]] = [
        ("Năm báo cáo", OFFICIAL_YEAR),
        ("Ngày số liệu", OFFICIAL_AS_OF),
        ("Đơn vị báo cáo", OFFICIAL_REPORTER),
    ]
    if category:
        rows.append(("Loại", OFFICIAL_CATEGORY))
    write_table(wb.create_sheet("ThongTin"), (("Mục", 20), ("Giá trị", 30)), rows)


def build_registry(path: Path) -> None:
    """``donvi.xlsx``: the analyst's registry of units and the province's 2025 figures."""
    wb = Workbook()
    wb.remove(wb.active)
    official_info(wb, category=False)
    units = [
        Unit(u.name, u.level, u.sector, u.area, (), u.foreign_affairs, u.postgrad_norm)
        for u in OFFICIAL_UNITS
    ]
    write_units(wb, units)
    write_figures(wb, OFFICIAL_FIGURES)
    wb.active = 1
    save(wb, path, OFFICIAL_TIME)


def build_official_list(path: Path) -> None:
    """``danh_sach.xlsx``: the list in the Ministry's layout and its ``ThongTin``."""
    wb = Workbook()
    write_official_list(wb.active, official_people())
    official_info(wb, category=True)
    save(wb, path, OFFICIAL_TIME)


# --- command line ----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/samples/)"
    )
    args = parser.parse_args(argv)
    builders: tuple[tuple[str, Callable[[Path], None]], ...] = (
        ("ha_tinh_2024.xlsx", build_hatinh),
        ("loi_mau.xlsx", build_broken),
        ("donvi.xlsx", build_registry),
        ("danh_sach.xlsx", build_official_list),
    )
    for name, build in builders:
        path = args.out / name
        build(path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
