"""Write the sample workbooks of ``data/samples/``: a Hà Tĩnh report and a broken one.

``ha_tinh_2024.xlsx`` is a consolidated 2024 report of Hà Tĩnh province (about 7,000
people, every sheet of the input format filled) on which every indicator of the catalog can
be computed; ``loi_mau.xlsx`` is a 30-person workbook with planted mistakes for the docs and
the tests. Everything is drawn from ``random.Random(2024)`` and the files carry fixed
timestamps, so a rerun writes the same bytes. Names are assembled from lists of common
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
from dataclasses import dataclass
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


def save(wb: Workbook, path: Path) -> None:
    """Save with fixed timestamps (document properties and zip entries): same bytes each run."""
    wb.properties.creator = "kpi-tritue make_samples.py"
    wb.properties.lastModifiedBy = None
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    # ExcelWriter, unlike Workbook.save, keeps ``modified`` as set above.
    ExcelWriter(wb, ZipFile(buffer, "w", ZIP_DEFLATED)).save()
    path.parent.mkdir(parents=True, exist_ok=True)
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
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
    )
    for name, build in builders:
        path = args.out / name
        build(path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
