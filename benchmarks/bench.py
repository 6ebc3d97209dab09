"""How close `kpi` stays to the floor of reading a workbook: a benchmark anyone can rerun.

For each size it writes a tidy, seeded workforce workbook (every column of
docs/input-format.md filled, plus ThongTin, DonVi, SoLieu, KipChuyenSau and MocCongViec so
every indicator computes), cached under benchmarks/out/. Then it runs, each in a fresh
process and interleaved run by run:

  floor     a bare read of the NhanSu sheet into pandas with fastexcel (the floor)
  compute   kpi compute FILE --format json
  validate  kpi validate FILE --format json
  export    kpi export FILE -o OUT.xlsx
  naive     pandas.read_excel(engine="openpyxl") then one pydantic model per row

and reports the median wall time and peak RSS of each, with the ratios issue 7 asks for.
It also times `kpi --help` and `kpi indicators` against `python -c "import typer"`.

Wall time and peak memory are measured by a small wrapper process (WRAPPER below) around
each child: `time.perf_counter` from `posix_spawn` to `os.wait4`, and the child's
`ru_maxrss` as `wait4` reports it. A fresh child's peak includes the wrapper's own resident
set at `exec` (about 10 MB), which is less than any Python process needs anyway.

Usage, from the repository root:

    python benchmarks/bench.py [--sizes 10000,50000,200000,1048575] [--runs 5]
                               [--out benchmarks/out] [--write-doc docs/benchmarks.md]
    python benchmarks/bench.py --ci          # 10k rows, one run: proves that it works
    python benchmarks/bench.py --profile     # pyinstrument of compute/validate on 200k rows
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "out"
DEFAULT_SIZES = (10_000, 50_000, 200_000, 1_048_575)
EXCEL_MAX_ROWS = 1_048_575  # data rows under one header row
SEED = 2024
REPORT_YEAR = 2024
AS_OF = date(REPORT_YEAR, 12, 31)
FORMAT_VERSION = 1  # bump when the generated workbook changes, to invalidate the cache
SHEET = "NhanSu"

# Targets of issue 7.
COMPUTE_OVER_FLOOR = 1.2
NAIVE_OVER_COMPUTE = 10.0
MEMORY_OVER_FLOOR = 1.5
MEMORY_LIMIT_MIB = 4 * 1024
STARTUP_OVER_TYPER = 1.5
TARGET_ROWS = 200_000

# ---------------------------------------------------------------------------------------
# The workbook: vocabulary


AREAS = (
    "Thành phố Hà Tĩnh",
    "Thị xã Hồng Lĩnh",
    "Thị xã Kỳ Anh",
    "Huyện Cẩm Xuyên",
    "Huyện Thạch Hà",
    "Huyện Can Lộc",
    "Huyện Nghi Xuân",
    "Huyện Đức Thọ",
    "Huyện Hương Sơn",
    "Huyện Vũ Quang",
    "Huyện Hương Khê",
    "Huyện Lộc Hà",
    "Huyện Kỳ Anh",
)
FAMILY = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 10), ("Phan", 7), ("Võ", 6), ("Hoàng", 4),
    ("Đặng", 3), ("Bùi", 3), ("Đỗ", 3), ("Hồ", 3), ("Ngô", 2), ("Dương", 2), ("Lý", 1),
    ("Đinh", 2), ("Thái", 2), ("Hà", 1), ("Trương", 1), ("Chu", 1),
)  # fmt: skip
MIDDLE_MALE = ("Văn", "Đình", "Xuân", "Hữu", "Minh", "Quang", "Đức", "Công", "Thanh", "Anh")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Phương", "Mai", "Kim")
GIVEN_MALE = (
    "Tùng", "Toàn", "Phúc", "Hùng", "Dũng", "Nam", "Sơn", "Tuấn", "Hải", "Long", "Quân",
    "Thắng", "Hiếu", "Trung", "Đức", "Kiên", "Việt", "Bình", "Cường", "Thành",
)  # fmt: skip
GIVEN_FEMALE = (
    "Oanh", "Hương", "Lan", "Hà", "Trang", "Linh", "Nga", "Thủy", "Hằng", "Hoa", "Dung",
    "Yến", "Nhung", "Huyền", "Thảo", "Vân", "Loan", "Mai", "Ngân", "Hạnh",
)  # fmt: skip

# Unit kinds: sector, level, weight, name pattern, staff weight, school level of teachers.
UNIT_KINDS = (
    ("Giáo dục", "Huyện", 14, "Trường Mầm non", 0.8, "Mầm non"),
    ("Giáo dục", "Huyện", 16, "Trường Tiểu học", 1.0, "Tiểu học"),
    ("Giáo dục", "Huyện", 12, "Trường THCS", 1.0, "THCS"),
    ("Giáo dục", "Tỉnh", 4, "Trường THPT", 2.0, "THPT"),
    ("Y tế", "Xã", 10, "Trạm Y tế", 0.3, None),
    ("Y tế", "Tỉnh", 3, "Trung tâm Y tế", 4.0, None),
    ("Y tế", "Tỉnh", 1, "Bệnh viện Đa khoa", 8.0, None),
    ("Quản lý nhà nước", "Xã", 20, "UBND xã", 0.5, None),
    ("Quản lý nhà nước", "Huyện", 4, "Phòng chuyên môn", 0.4, None),
    ("Quản lý nhà nước", "Tỉnh", 2, "Sở", 1.5, None),
    ("Khoa học và công nghệ", "Tỉnh", 1, "Trung tâm Ứng dụng KH&CN", 1.0, None),
    ("Văn hóa", "Huyện", 3, "Trung tâm Văn hóa - Thể thao", 0.4, None),
    ("Khác", "Huyện", 2, "Ban Quản lý dự án", 0.4, None),
)
# Qualification mixes by sector (relative weights).
QUALIFICATIONS = {
    "Giáo dục": {"Đại học": 78, "Thạc sĩ": 9, "Cao đẳng": 8, "Trung cấp": 4, "Tiến sĩ": 1},
    "Y tế": {
        "Đại học": 34,
        "Cao đẳng": 18,
        "Trung cấp": 20,
        "Thạc sĩ": 7,
        "Chuyên khoa I": 10,
        "Chuyên khoa II": 3,
        "Bác sĩ nội trú": 2,
        "Tiến sĩ": 1,
        "Sơ cấp": 5,
    },
    "Quản lý nhà nước": {
        "Đại học": 70,
        "Thạc sĩ": 14,
        "Cao đẳng": 4,
        "Trung cấp": 7,
        "Sơ cấp": 2,
        "Chưa qua đào tạo": 2,
        "Tiến sĩ": 1,
    },
    "Khoa học và công nghệ": {"Đại học": 50, "Thạc sĩ": 35, "Tiến sĩ": 15},
    "Văn hóa": {"Đại học": 55, "Cao đẳng": 20, "Trung cấp": 20, "Thạc sĩ": 5},
    "Khác": {"Đại học": 50, "Cao đẳng": 15, "Trung cấp": 20, "Sơ cấp": 10, "Thạc sĩ": 5},
}
PROFESSIONS = {
    "Giáo dục": {"Giáo viên": 86, "Nhân viên thiết bị, thí nghiệm": 4, "Kế toán viên": 4,
                 "Nhân viên": 6},
    "Y tế": {"Bác sĩ": 22, "Bác sĩ chính": 5, "Điều dưỡng hạng III": 30, "Dược sĩ": 8,
             "Y sĩ": 12, "Kỹ thuật viên": 10, "Hộ sinh": 8, "Nhân viên": 5},
    "Quản lý nhà nước": {"Chuyên viên": 60, "Chuyên viên chính": 24, "Cán sự": 10,
                         "Chuyên viên cao cấp": 2, "Nhân viên": 4},
    "Khoa học và công nghệ": {"Nghiên cứu viên": 60, "Kỹ sư": 30, "Nghiên cứu viên chính": 10},
    "Văn hóa": {"Diễn viên": 30, "Thư viện viên": 30, "Chuyên viên": 40},
    "Khác": {"Chuyên viên": 70, "Kỹ sư": 30},
}  # fmt: skip
STATUSES = {None: 960, "Nghỉ hưu": 20, "Đã nghỉ việc": 10, "Chuyển công tác": 10}
SPECIALTIES = (
    ("Tim mạch can thiệp", 2), ("Ngoại thần kinh", 1), ("Ung bướu", 2),
    ("Hồi sức tích cực", 3), ("Ghép thận", 0), ("Phẫu thuật nội soi", 3),
    ("Chấn thương chỉnh hình", 2), ("Hồi sức sơ sinh", 1), ("Can thiệp mạch não (đột quỵ)", 1),
    ("Ghép giác mạc", 0), ("Lọc máu liên tục", 2),
)  # fmt: skip
MILESTONES = (
    ("university_merger", "Đang thực hiện", "Đang xây dựng Đề án"),
    ("intellectual_database", "Hoàn thành", "Đã đưa vào vận hành"),
    ("science_fund", "Chưa thực hiện", "Chưa bố trí được vốn điều lệ"),
)
# Province figures for about 7,000 staff; scaled with the size of the workbook.
FIGURES = (
    ("Dân số", 1_320_000),
    ("Lực lượng lao động", 720_000),
    ("Lao động có bằng cấp, chứng chỉ", 230_400),
    ("Bác sĩ ngoài công lập", 200),
    ("Số nhóm trẻ mầm non", 45),
    ("Số lớp mẫu giáo", 182),
    ("Số lớp tiểu học", 425),
    ("Số lớp THCS", 225),
    ("Số lớp THPT", 173),
    ("Tuyển dụng mới", 265),
    ("Nhân tài được thu hút", 17),
    ("Bằng sáng chế", 6),
    ("Công trình khoa học", 84),
)
FIGURES_BASE_STAFF = 7_000

WORKFORCE_HEADERS = (
    "Mã", "Họ và tên", "Đơn vị", "Cấp", "Lĩnh vực", "Loại", "Ngày sinh", "Năm sinh",
    "Giới tính", "Trình độ chuyên môn", "Chức danh nghề nghiệp", "Cấp học",
    "Lãnh đạo quản lý", "Lãnh đạo chủ chốt", "Ủy viên ban thường vụ",
    "Đạt chuẩn trình độ đào tạo", "Phù hợp vị trí việc làm",
    "Chuẩn hóa LLCT, chuyên môn, nghiệp vụ", "Giao tiếp ngoại ngữ",
    "Làm việc môi trường quốc tế", "Nhân tài", "Năm tuyển dụng", "Năm thu hút", "Trạng thái",
)  # fmt: skip

# ---------------------------------------------------------------------------------------
# The workbook: columns drawn at once with numpy

# A column is (header, values): an object array whose items are str (a shared string),
# int (a number), date (a date cell) or None (no cell); or `Dates` for a column of dates.


@dataclass(frozen=True)
class Dates:
    """Excel date cells: serial day numbers (days since 1899-12-30), -1 for blank."""

    serials: Any


Column = tuple[str, Any]


def _pick(rng: Any, weights: dict[Any, float] | Sequence[tuple[Any, float]], n: int) -> Any:
    import numpy as np

    pairs = list(weights.items()) if isinstance(weights, dict) else list(weights)
    values = np.empty(len(pairs), dtype=object)
    values[:] = [value for value, _ in pairs]
    p = np.array([weight for _, weight in pairs], dtype=float)
    return values[rng.choice(len(pairs), size=n, p=p / p.sum())]


def _flag(rng: Any, share: float, n: int) -> Any:
    import numpy as np

    return np.where(rng.random(n) < share, "x", None).astype(object)


def workforce_workbook(
    rows: int, seed: int = SEED, units: int | None = None
) -> dict[str, list[Column]]:
    """Every sheet of a tidy workbook of `rows` people, as columns, drawn from `seed`.

    `units`: that many units of `rows // units` people each, listed unit by unit (the shape
    `scripts/make_split.py` cuts into one workbook per unit); by default, units of drawn sizes.
    """
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = rows
    unit_count = max(1, min(n, max(60, n // 45))) if units is None else units
    if units is not None and (units < 1 or rows % units):
        raise ValueError("rows must be a multiple of units")

    # Units: a kind, an area and a number make a unique, plausible name.
    kinds = rng.choice(len(UNIT_KINDS), size=unit_count, p=_norm([k[2] for k in UNIT_KINDS]))
    kinds[: len(UNIT_KINDS)] = np.arange(min(unit_count, len(UNIT_KINDS)))
    unit_area = rng.integers(0, len(AREAS), size=unit_count)
    unit_names = np.array(
        [
            f"{UNIT_KINDS[k][3]} {AREAS[a].split(' ', 1)[1]} {i + 1}"
            for i, (k, a) in enumerate(zip(kinds, unit_area, strict=True))
        ],
        dtype=object,
    )
    unit_sector = np.array([UNIT_KINDS[k][0] for k in kinds], dtype=object)
    unit_level = np.array([UNIT_KINDS[k][1] for k in kinds], dtype=object)
    unit_school = np.array([UNIT_KINDS[k][5] for k in kinds], dtype=object)
    size_weight = np.array([UNIT_KINDS[k][4] for k in kinds]) * rng.lognormal(0, 0.4, unit_count)

    # People, listed unit by unit as a form would list them; every unit has someone.
    unit = np.concatenate(
        [np.arange(unit_count), rng.choice(unit_count, size=n - unit_count, p=_norm(size_weight))]
    )
    unit.sort()
    if units is not None:
        unit = np.repeat(np.arange(unit_count), n // unit_count)
    sector = unit_sector[unit]

    female = rng.random(n) < np.where(sector == "Giáo dục", 0.72, 0.5)
    family = _pick(rng, FAMILY, n)
    middle = np.where(
        female,
        np.array(MIDDLE_FEMALE, dtype=object)[rng.integers(0, len(MIDDLE_FEMALE), n)],
        np.array(MIDDLE_MALE, dtype=object)[rng.integers(0, len(MIDDLE_MALE), n)],
    )
    given = np.where(
        female,
        np.array(GIVEN_FEMALE, dtype=object)[rng.integers(0, len(GIVEN_FEMALE), n)],
        np.array(GIVEN_MALE, dtype=object)[rng.integers(0, len(GIVEN_MALE), n)],
    )
    full_name = family + " " + middle + " " + given

    age_days = rng.integers(22 * 365 + 6, 60 * 365 + 14, size=n)
    birth = pd.to_datetime(AS_OF) - pd.to_timedelta(age_days, unit="D")
    birth_serial = (birth - pd.Timestamp("1899-12-30")).days.to_numpy()
    birth_year = birth.year.to_numpy()

    qualification = np.empty(n, dtype=object)
    profession = np.empty(n, dtype=object)
    for name in QUALIFICATIONS:
        members = np.flatnonzero(sector == name)
        qualification[members] = _pick(rng, QUALIFICATIONS[name], len(members))
        profession[members] = _pick(rng, PROFESSIONS[name], len(members))
    school = unit_school[unit]
    teacher = profession == "Giáo viên"
    grade = np.where(rng.random(n) < 0.6, " hạng III", " hạng II")
    title = "Giáo viên " + np.where(pd.isna(school), "", school).astype(object) + grade
    profession = np.where(teacher, title, profession)
    profession = np.where(
        (profession == "Bác sĩ") & np.isin(qualification, ["Cao đẳng", "Trung cấp", "Sơ cấp"]),
        "Y sĩ",
        profession,
    )
    school_level = np.where(teacher, school, None)

    category = np.where(
        sector == "Quản lý nhà nước",
        _pick(rng, {"Công chức": 72, "Cán bộ": 18, "Người lao động": 10}, n),
        _pick(rng, {"Viên chức": 92, "Người lao động": 8}, n),
    )
    manager = rng.random(n) < 0.08
    key_leader = manager & (rng.random(n) < 0.12)
    standing = key_leader & (rng.random(n) < 0.25)
    talent = (rng.random(n) < 0.006) & np.isin(qualification, ["Thạc sĩ", "Tiến sĩ"])
    recruited = np.minimum(REPORT_YEAR, birth_year + 22 + rng.integers(0, 9, size=n))
    recruited = np.where(rng.random(n) < 0.045, REPORT_YEAR, recruited)
    attracted = np.where(talent, recruited, -1)

    workforce: list[Column] = [
        ("Mã", pd.Series(np.arange(1, n + 1)).map("HT{:07d}".format).to_numpy(dtype=object)),
        ("Họ và tên", full_name),
        ("Đơn vị", unit_names[unit]),
        ("Cấp", unit_level[unit]),
        ("Lĩnh vực", sector),
        ("Loại", category),
        ("Ngày sinh", Dates(birth_serial)),
        ("Năm sinh", birth_year),
        ("Giới tính", np.where(female, "Nữ", "Nam").astype(object)),
        ("Trình độ chuyên môn", qualification),
        ("Chức danh nghề nghiệp", profession),
        ("Cấp học", school_level),
        ("Lãnh đạo quản lý", np.where(manager, "x", None)),
        ("Lãnh đạo chủ chốt", np.where(key_leader, "x", None)),
        ("Ủy viên ban thường vụ", np.where(standing, "x", None)),
        ("Đạt chuẩn trình độ đào tạo", _flag(rng, 0.93, n)),
        ("Phù hợp vị trí việc làm", _flag(rng, 0.95, n)),
        ("Chuẩn hóa LLCT, chuyên môn, nghiệp vụ", _flag(rng, 0.86, n)),
        ("Giao tiếp ngoại ngữ", _flag(rng, 0.22, n)),
        ("Làm việc môi trường quốc tế", _flag(rng, 0.04, n)),
        ("Nhân tài", np.where(talent, "x", None)),
        ("Năm tuyển dụng", recruited),
        ("Năm thu hút", _blank_negative(attracted)),
        ("Trạng thái", _pick(rng, STATUSES, n)),
    ]
    assert tuple(h for h, _ in workforce) == WORKFORCE_HEADERS

    norms = {"Giáo dục": 15, "Y tế": 25, "Khoa học và công nghệ": 40}
    units: list[Column] = [
        ("Đơn vị", unit_names),
        ("Cấp", unit_level),
        ("Lĩnh vực", unit_sector),
        ("Đối ngoại", _flag(rng, 0.03, unit_count)),
        (
            "Định mức sau đại học (%)",
            np.array([norms.get(s, -1) for s in unit_sector], dtype=object),
        ),
        ("Địa bàn", np.array(AREAS, dtype=object)[unit_area]),
    ]
    units[4] = (units[4][0], _blank_negative(units[4][1]))

    scale = max(1.0, n / FIGURES_BASE_STAFF)
    figure_rows: list[tuple[str, int, int, str | None]] = []
    for metric, value in FIGURES:
        year = REPORT_YEAR - 1 if metric in ("Tuyển dụng mới", "Nhân tài được thu hút") else None
        figure_rows.append((metric, round(value * scale), year or REPORT_YEAR, None))
    shares = rng.dirichlet(np.full(len(AREAS), 8.0))
    for area, share in zip(AREAS, shares, strict=True):
        figure_rows.append(("Dân số", round(1_320_000 * scale * share), REPORT_YEAR, area))
    # The area rows must add up to the province row, or a warning says they differ.
    total = sum(v for m, v, _, a in figure_rows if m == "Dân số" and a)
    figure_rows[0] = ("Dân số", total, REPORT_YEAR, None)
    figures: list[Column] = [
        ("Chỉ tiêu", np.array([r[0] for r in figure_rows], dtype=object)),
        ("Giá trị", np.array([r[1] for r in figure_rows], dtype=object)),
        ("Năm", np.array([r[2] for r in figure_rows], dtype=object)),
        ("Địa bàn", np.array([r[3] for r in figure_rows], dtype=object)),
    ]
    teams_scale = max(1, round(scale**0.5))
    return {
        "ThongTin": [
            ("Mục", np.array(["Năm báo cáo", "Ngày số liệu", "Đơn vị báo cáo"], dtype=object)),
            (
                "Giá trị",
                np.array([REPORT_YEAR, AS_OF, "Sở Nội vụ"], dtype=object),
            ),
        ],
        SHEET: workforce,
        "DonVi": units,
        "SoLieu": figures,
        "KipChuyenSau": [
            ("Chuyên khoa", np.array([s for s, _ in SPECIALTIES], dtype=object)),
            ("Số kíp", np.array([t * teams_scale for _, t in SPECIALTIES], dtype=object)),
        ],
        "MocCongViec": [
            ("Mã mốc", np.array([m[0] for m in MILESTONES], dtype=object)),
            ("Trạng thái", np.array([m[1] for m in MILESTONES], dtype=object)),
            ("Ghi chú", np.array([m[2] for m in MILESTONES], dtype=object)),
        ],
    }


def _norm(weights: Iterable[float]) -> Any:
    import numpy as np

    array = np.asarray(list(weights), dtype=float)
    return array / array.sum()


def _blank_negative(values: Any) -> Any:
    import numpy as np

    out = np.asarray(values, dtype=object).copy()
    out[np.asarray(values, dtype=float) < 0] = None
    return out


# ---------------------------------------------------------------------------------------
# The workbook: SpreadsheetML written directly
#
# openpyxl's write-only mode needs about 4.5 minutes for 1,048,575 rows here; the XML
# below is what Excel itself writes (shared strings, `r` on every row and cell, dates as
# serial numbers with a date format, a <dimension>), built a column at a time with numpy.

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CHUNK_ROWS = 50_000
_EXCEL_EPOCH = date(1899, 12, 30)


class _SharedStrings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, text: str) -> int:
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> bytes:
        items = "".join(f"<si><t>{escape(text)}</t></si>" for text in self.index)
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_NS}" '
            f'count="{self.count}" uniqueCount="{len(self.index)}">{items}</sst>'
        ).encode()


def _cell_tail(value: Any, strings: _SharedStrings) -> str:
    """What follows `<c r="A1` for one value."""
    if isinstance(value, str):
        return f'" t="s"><v>{strings.add(value)}</v></c>'
    if isinstance(value, date):
        return f'" s="1"><v>{(value - _EXCEL_EPOCH).days}</v></c>'
    return f'"><v>{int(value)}</v></c>'


def _encoded(values: Any, strings: _SharedStrings) -> tuple[Any, Any]:
    """Codes (-1: no cell) into the cell tails of the distinct values, blank last."""
    import numpy as np
    import pandas as pd

    if isinstance(values, Dates):
        codes, uniques = pd.factorize(values.serials)
        codes[values.serials < 0] = -1
        tails = [f'" s="1"><v>{int(u)}</v></c>' for u in uniques]
    else:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
        tails = [_cell_tail(u, strings) for u in uniques]
        # Excel's count is of every use of a shared string.
        is_text = np.array([isinstance(u, str) for u in uniques] + [False])
        strings.count += int(is_text[codes].sum())
    return codes, np.array([*tails, ""], dtype=object)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _write_sheet(
    archive: zipfile.ZipFile, part: str, columns: list[Column], strings: _SharedStrings
) -> None:
    import numpy as np

    rows = max(len(v.serials) if isinstance(v, Dates) else len(v) for _, v in columns)
    encoded = [_encoded(values, strings) for _, values in columns]
    strings.count += len(columns)
    header = "".join(
        f'<c r="{_letter(j)}1" t="s"><v>{strings.add(name)}</v></c>'
        for j, (name, _) in enumerate(columns)
    )
    last = f"{_letter(len(columns) - 1)}{rows + 1}"
    head = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}" '
        f'xmlns:r="{_REL}"><dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0">'
        f'<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData>'
        f'<row r="1">{header}</row>'
    )
    with archive.open(_entry(part), "w", force_zip64=True) as stream:
        stream.write(head.encode())
        for start in range(0, rows, _CHUNK_ROWS):
            stop = min(rows, start + _CHUNK_ROWS)
            numbers = np.arange(start + 2, stop + 2).astype(str).astype(object)
            line = '<row r="' + numbers + '">'
            for j, (codes, tails) in enumerate(encoded):
                chunk = codes[start:stop]
                cells = f'<c r="{_letter(j)}' + numbers + tails[chunk]
                line = line + np.where(chunk >= 0, cells, "")
            stream.write(("".join((line + "</row>").tolist())).encode())
        stream.write(b"</sheetData></worksheet>")


def _entry(name: str) -> zipfile.ZipInfo:
    """A part with a fixed time stamp: the same seed writes the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(REPORT_YEAR, 12, 31, 8, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_workbook(path: Path, sheets: dict[str, list[Column]]) -> None:
    """Write `sheets` as an .xlsx file, atomically."""
    strings = _SharedStrings()
    names = list(sheets)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for i, name in enumerate(names, start=1):
            _write_sheet(archive, f"xl/worksheets/sheet{i}.xml", sheets[name], strings)
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(names) + 1)
        )
        main = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        archive.writestr(
            _entry("[Content_Types].xml"),
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{main}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{main}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{main}.sharedStrings+xml"/>'
            f"{overrides}</Types>",
        )
        archive.writestr(
            _entry("_rels/.rels"),
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
            f'Target="xl/workbook.xml"/></Relationships>',
        )
        sheet_tags = "".join(
            f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(names, start=1)
        )
        archive.writestr(
            _entry("xl/workbook.xml"),
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}" '
            f'xmlns:r="{_REL}"><sheets>{sheet_tags}</sheets></workbook>',
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        n = len(names)
        rels += (
            f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{_REL}/sharedStrings" '
            f'Target="sharedStrings.xml"/>'
        )
        archive.writestr(
            _entry("xl/_rels/workbook.xml.rels"),
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            f'xmlns="{_PKG_REL}">{rels}</Relationships>',
        )
        archive.writestr(
            _entry("xl/styles.xml"),
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_NS}">'
            '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" '
            'fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" '
            'borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1">'
            '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        )
        archive.writestr(_entry("xl/sharedStrings.xml"), strings.xml())
    tmp.replace(path)


# ---------------------------------------------------------------------------------------
# The children, each run in a fresh process

FLOOR = """\
import sys
import fastexcel
frame = fastexcel.read_excel(sys.argv[1]).load_sheet(sys.argv[2]).to_pandas()
print(frame.shape)
"""

# The floor of many files (issue 14): one process reading every sheet of every workbook
# given (files, or folders of them) with fastexcel into pandas.
FLOOR_ALL = """\
import sys
from pathlib import Path
import fastexcel
paths = []
for given in sys.argv[1:]:
    path = Path(given)
    paths += sorted(path.rglob("*.xlsx")) if path.is_dir() else [path]
rows = 0
for path in paths:
    reader = fastexcel.read_excel(path)
    for name in reader.sheet_names:
        rows += len(reader.load_sheet(name).to_pandas())
print(len(paths), rows)
"""

# Peers a user could pick for the reading part alone, over the same files: each reads
# every workforce sheet into one frame. Run only where the package is installed.
PEERS = {
    "polars": (
        "polars",
        """\
import sys
from pathlib import Path
import polars as pl
paths = []
for given in sys.argv[1:]:
    path = Path(given)
    paths += sorted(path.rglob("*.xlsx")) if path.is_dir() else [path]
frames = [pl.read_excel(p, sheet_name="NhanSu", engine="calamine") for p in paths]
print(pl.concat(frames, how="diagonal_relaxed").shape)
""",
    ),
    "duckdb": (
        "duckdb",
        """\
import sys
from pathlib import Path
import duckdb, fastexcel, pyarrow as pa
paths = []
for given in sys.argv[1:]:
    path = Path(given)
    paths += sorted(path.rglob("*.xlsx")) if path.is_dir() else [path]
# to_arrow() gives a RecordBatch; read as text, since one file's column may be typed
# otherwise than another's (a year column of numbers in one, of text in the next).
sheets = [fastexcel.read_excel(p).load_sheet("NhanSu", dtypes="string") for p in paths]
tables = [pa.Table.from_batches([sheet.to_arrow()]) for sheet in sheets]
people = pa.concat_tables(tables, promote_options="permissive")
print(duckdb.sql("select count(*) from people").fetchall())
""",
    ),
}


def peer_installed(module: str) -> bool:
    """Whether a peer's package is there (it is never installed by the benchmark)."""
    import importlib.util

    return importlib.util.find_spec(module) is not None


# What a data analyst would write: pandas with openpyxl, then one pydantic model per row.
NAIVE = """\
import sys
from datetime import date, datetime
from typing import Literal, Optional

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

FLAGS = (
    "is_manager", "is_key_leader", "is_standing_committee", "meets_training_standard",
    "fits_job_position", "standardized", "foreign_language", "international", "talent",
)


class Person(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(alias="Mã")
    full_name: Optional[str] = Field(None, alias="Họ và tên")
    unit: str = Field(alias="Đơn vị")
    level: Literal["Tỉnh", "Huyện", "Xã"] = Field(alias="Cấp")
    sector: str = Field(alias="Lĩnh vực")
    category: str = Field(alias="Loại")
    birth_date: Optional[date] = Field(None, alias="Ngày sinh")
    birth_year: Optional[int] = Field(None, alias="Năm sinh")
    sex: Optional[Literal["Nam", "Nữ"]] = Field(None, alias="Giới tính")
    qualification: str = Field(alias="Trình độ chuyên môn")
    profession: Optional[str] = Field(None, alias="Chức danh nghề nghiệp")
    school_level: Optional[str] = Field(None, alias="Cấp học")
    is_manager: bool = Field(False, alias="Lãnh đạo quản lý")
    is_key_leader: bool = Field(False, alias="Lãnh đạo chủ chốt")
    is_standing_committee: bool = Field(False, alias="Ủy viên ban thường vụ")
    meets_training_standard: bool = Field(False, alias="Đạt chuẩn trình độ đào tạo")
    fits_job_position: bool = Field(False, alias="Phù hợp vị trí việc làm")
    standardized: bool = Field(False, alias="Chuẩn hóa LLCT, chuyên môn, nghiệp vụ")
    foreign_language: bool = Field(False, alias="Giao tiếp ngoại ngữ")
    international: bool = Field(False, alias="Làm việc môi trường quốc tế")
    talent: bool = Field(False, alias="Nhân tài")
    recruited_year: Optional[int] = Field(None, alias="Năm tuyển dụng")
    attracted_year: Optional[int] = Field(None, alias="Năm thu hút")
    status: Optional[str] = Field(None, alias="Trạng thái")

    @field_validator(*FLAGS, mode="before")
    @classmethod
    def _flag(cls, value: object) -> bool:
        return isinstance(value, str) and value.strip().lower() in {"x", "có", "1", "yes", "true"}

    @field_validator("birth_date", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        return value.date() if isinstance(value, datetime) else value


frame = pd.read_excel(sys.argv[1], sheet_name=sys.argv[2], engine="openpyxl")
frame = frame.astype(object).where(frame.notna(), None)
people, errors = [], []
for number, record in enumerate(frame.to_dict("records"), start=2):
    try:
        people.append(Person.model_validate(record))
    except ValidationError as error:
        errors.append((number, error))
print(len(people), len(errors))
"""

WRAPPER = """\
import json, os, sys, time
out, err, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
actions = [(os.POSIX_SPAWN_OPEN, 1, out, flags, 0o644), (os.POSIX_SPAWN_OPEN, 2, err, flags, 0o644)]
start = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
print(json.dumps({
    "wall": wall, "rss": usage.ru_maxrss * scale, "user": usage.ru_utime,
    "sys": usage.ru_stime, "rc": os.waitstatus_to_exitcode(status),
}))
"""


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    rss: int  # bytes
    user: float
    sys: float
    rc: int


@dataclass
class Case:
    """One command measured at one size."""

    name: str
    argv: list[str]
    runs: int
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.rc == 0 for s in self.samples)

    @property
    def wall(self) -> float | None:
        return statistics.median(s.wall for s in self.samples) if self.ok else None

    @property
    def rss(self) -> float | None:
        return statistics.median(s.rss for s in self.samples) if self.ok else None


def measure(argv: Sequence[str], out: Path) -> Sample:
    """Run `argv` in a fresh process through WRAPPER: wall time and peak RSS of that child."""
    err = out.with_suffix(out.suffix + ".err")
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, str(out), str(err), *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    return Sample(**json.loads(done.stdout))


def kpi_executable() -> str:
    """The `kpi` script of this interpreter: beside it, not through a shim on PATH."""
    beside = Path(sys.executable).with_name("kpi")
    if beside.exists():
        return str(beside)
    found = shutil.which("kpi")
    if found is None:
        sys.exit("kpi is not installed: pip install -e '.[test]'")
    return found


def compile_package(log: Callable[[str], None], package: Path | None = None) -> None:
    """Write the bytecode of every module of the installed package (or of the package
    folder `package`), as `pip install .` does: `kpi` is then timed as a user runs it. An
    editable install has none until a module is first imported, and with
    PYTHONDONTWRITEBYTECODE set (CI machines, some containers) never: each run compiled
    every module it imports from source again (`kpi compute` on the sample: 1.85 s against
    1.57 s with the bytecode written, medians of 6 interleaved runs)."""
    import compileall

    if package is None:
        import kpi_tritue

        package = Path(kpi_tritue.__file__).parent
    # `py_compile` writes the files whatever that setting says.
    if not compileall.compile_dir(package, quiet=1, workers=1):
        log(f"could not compile every module of {package}: some runs may compile them")


def has_command(kpi: str, command: str) -> bool:
    done = subprocess.run([kpi, command, "--help"], capture_output=True, check=False)
    return done.returncode == 0


def workbook_for(rows: int, out: Path, log: Callable[[str], None]) -> Path:
    """The cached workbook of `rows` people, written first if it is not there yet."""
    path = out / f"workforce_{rows}_s{SEED}_v{FORMAT_VERSION}.xlsx"
    if not path.exists():
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        write_workbook(path, workforce_workbook(rows))
        size = path.stat().st_size / 2**20
        log(f"  wrote {path.name} ({size:.1f} MiB) in {time.perf_counter() - started:.1f} s")
    return path


# ---------------------------------------------------------------------------------------
# Measuring


@dataclass
class SizeResult:
    rows: int
    path: Path
    cases: dict[str, Case]

    def wall(self, name: str) -> float | None:
        case = self.cases.get(name)
        return case.wall if case else None

    def rss(self, name: str) -> float | None:
        case = self.cases.get(name)
        return case.rss if case else None

    def ratio(self, top: str, bottom: str) -> float | None:
        a, b = self.wall(top), self.wall(bottom)
        return a / b if a is not None and b else None

    def paired_ratio(self, top: str, bottom: str) -> float | None:
        """The median of run-by-run ratios: runs are interleaved, so a slow spell of a
        shared machine weighs on both sides of each ratio."""
        a, b = self.cases.get(top), self.cases.get(bottom)
        if a is None or b is None or not a.ok or not b.ok:
            return None
        pairs = zip(a.samples, b.samples, strict=False)
        return statistics.median(x.wall / y.wall for x, y in pairs)

    def memory_ratio(self, top: str, bottom: str) -> float | None:
        a, b = self.rss(top), self.rss(bottom)
        return a / b if a is not None and b else None


def bench_size(
    rows: int, path: Path, kpi: str, options: argparse.Namespace, log: Callable[[str], None]
) -> SizeResult:
    work = options.out / f"run_{rows}"
    work.mkdir(parents=True, exist_ok=True)
    runs = options.runs
    big = rows >= 1_000_000
    kpi_runs = min(runs, 3) if big else runs
    naive_runs = 0 if options.no_naive else 1 if rows > 50_000 else min(runs, 3)
    python = sys.executable
    cases = {
        "floor": Case("floor", [python, "-c", FLOOR, str(path), SHEET], kpi_runs),
        "compute": Case("compute", [kpi, "compute", str(path), "--format", "json"], kpi_runs),
        "validate": Case("validate", [kpi, "validate", str(path), "--format", "json"], kpi_runs),
        "export": Case(
            "export", [kpi, "export", str(path), "-o", str(work / "gap.xlsx")], kpi_runs
        ),
        "naive": Case("naive", [python, "-c", NAIVE, str(path), SHEET], naive_runs),
    }
    if not has_command(kpi, "export"):
        cases["export"].runs = 0
        cases["export"].note = "`kpi export` is not there yet: skipped"
    if naive_runs == 0:
        cases["naive"].note = "skipped (--no-naive)"
    _warm(path)
    for run in range(max(case.runs for case in cases.values())):
        for case in cases.values():
            if run >= case.runs or (case.samples and not case.ok):
                continue
            out = work / f"{case.name}.out"
            sample = measure(case.argv, out)
            case.samples.append(sample)
            log(
                f"  {rows:>9,} rows  {case.name:<8} run {run + 1}/{case.runs}  "
                f"{sample.wall:7.2f} s  {sample.rss / 2**20:7.0f} MiB"
                + ("" if sample.rc == 0 else f"  FAILED (exit {sample.rc})")
            )
            if sample.rc != 0:
                tail = out.with_suffix(out.suffix + ".err").read_text(errors="replace")
                case.note = f"exit {sample.rc}: " + " ".join(tail.strip().splitlines()[-3:])
    return SizeResult(rows=rows, path=path, cases=cases)


def _warm(path: Path) -> None:
    """Read the file (every file of a folder) once so that the first run does not pay for
    the disk."""
    for each in sorted(path.rglob("*.xlsx")) if path.is_dir() else [path]:
        with each.open("rb") as handle:
            while handle.read(1 << 24):
                pass


# ---------------------------------------------------------------------------------------
# Many files (issue 14): one workbook per unit, as the December cycle brings them

DEFAULT_SPLITS = ((200, 1000), (2000, 100))


def split_for(units: int, rows: int, out: Path, log: Callable[[str], None]) -> Path:
    """The folder of `units` workbooks of `rows` people each (scripts/make_split.py)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_split

    folder, _ = make_split.write_split(units, rows, out, log=log)
    return folder


@dataclass
class SplitResult:
    units: int
    rows: int
    cases: dict[str, Case]

    def wall(self, name: str) -> float | None:
        case = self.cases.get(name)
        return case.wall if case else None

    def ratio(self, top: str) -> float | None:
        a, b = self.wall(top), self.wall("floor")
        return a / b if a is not None and b else None


def bench_split(
    units: int, rows: int, kpi: str, options: argparse.Namespace, log: Callable[[str], None]
) -> SplitResult:
    folder = split_for(units, rows, options.out, log)
    work = options.out / f"run_split_{units}x{rows}"
    work.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    cases = {
        "floor": Case("floor", [python, "-c", FLOOR_ALL, str(folder)], options.runs),
        "compute": Case("compute", [kpi, "compute", str(folder), "--format", "json"], options.runs),
    }
    for name, (module, script) in PEERS.items():
        cases[name] = Case(name, [python, "-c", script, str(folder)], options.runs)
        if not peer_installed(module):
            cases[name].runs = 0
            cases[name].note = f"{module} is not installed: not measured"
    _warm(folder)
    for run in range(options.runs):
        for case in cases.values():
            if run >= case.runs or (case.samples and not case.ok):
                continue
            sample = measure(case.argv, work / f"{case.name}.out")
            case.samples.append(sample)
            log(
                f"  {units} × {rows:,}  {case.name:<8} run {run + 1}/{case.runs}  "
                f"{sample.wall:7.2f} s"
            )
    return SplitResult(units, rows, cases)


def split_tables(results: Sequence[SplitResult]) -> list[str]:
    lines = [
        "| input | floor (a) | compute (b) | polars | duckdb | b/a | polars/a | duckdb/a |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        walls = " | ".join(
            f"{_seconds(r.wall(n))} s" for n in ("floor", "compute", "polars", "duckdb")
        )
        ratios = " | ".join(_times(r.ratio(n)) for n in ("compute", "polars", "duckdb"))
        lines.append(f"| {r.units:,} files × {r.rows:,} rows | {walls} | {ratios} |")
    notes = sorted({c.note for r in results for c in r.cases.values() if c.note})
    return [*lines, "", *(f"- {note}" for note in notes)]


def bench_startup(kpi: str, runs: int, log: Callable[[str], None]) -> dict[str, Case]:
    cases = {
        "import typer": Case("import typer", [sys.executable, "-c", "import typer"], runs),
        "kpi --help": Case("kpi --help", [kpi, "--help"], runs),
        "kpi indicators": Case("kpi indicators", [kpi, "indicators"], runs),
    }
    if not has_command(kpi, "indicators"):
        cases["kpi indicators"].runs = 0
        cases["kpi indicators"].note = "`kpi indicators` is not there yet: skipped"
    with tempfile.TemporaryDirectory() as folder:
        for run in range(runs):
            for case in cases.values():
                if run < case.runs and (not case.samples or case.ok):
                    case.samples.append(measure(case.argv, Path(folder) / "startup.out"))
    for case in cases.values():
        if case.samples:
            log(f"  {case.name:<15} median {case.wall or float('nan'):.3f} s over {case.runs}")
    return cases


def profile(rows: int, path: Path, out: Path, log: Callable[[str], None]) -> list[Path]:
    """pyinstrument of `kpi compute` and `kpi validate`, each in a fresh process."""
    written = []
    folder = out / "profile"
    folder.mkdir(parents=True, exist_ok=True)
    for command in ("compute", "validate"):
        target = folder / f"{command}_{rows}.txt"
        subprocess.run(
            [
                *(sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(target)),
                *("-m", "kpi_tritue", command, str(path), "--format", "json"),
            ],
            stdout=subprocess.DEVNULL,
            check=False,
        )
        log(f"  profile of kpi {command} on {rows:,} rows: {target}")
        written.append(target)
    return written


# ---------------------------------------------------------------------------------------
# Reporting


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        ram = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        ram = "?"
    versions = []
    for name in ("kpi-tritue", "fastexcel", "pandas", "pyarrow", "numpy", "pydantic", "typer"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} —")
    return {
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "Packages": ", ".join(versions),
    }


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _mib(value: float | None) -> str:
    return "—" if value is None else f"{value / 2**20:,.0f}"


def _times(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


COMMANDS = ("floor", "compute", "validate", "export", "naive")


def tables(results: Sequence[SizeResult]) -> list[str]:
    """Markdown tables of the medians and ratios (printed and written to the doc)."""
    lines = [
        "| rows | floor (a) | compute (b) | validate (c) | export (d) | naive (e) "
        "| b/a | c/a | d/a | e/b |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        walls = " | ".join(f"{_seconds(result.wall(name))} s" for name in COMMANDS)
        ratios = " | ".join(
            _times(result.ratio(top, bottom))
            for top, bottom in (
                ("compute", "floor"),
                ("validate", "floor"),
                ("export", "floor"),
                ("naive", "compute"),
            )
        )
        lines.append(f"| {result.rows:,} | {walls} | {ratios} |")
    lines += [
        "",
        "| rows | floor MiB | compute MiB | validate MiB | export MiB | naive MiB "
        "| compute/floor | validate/floor |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        memory = " | ".join(_mib(result.rss(name)) for name in COMMANDS)
        ratios = " | ".join(
            _times(result.memory_ratio(top, "floor")) for top in ("compute", "validate")
        )
        lines.append(f"| {result.rows:,} | {memory} | {ratios} |")
    runs = []
    for result in results:
        counts = ", ".join(
            f"{name} {len(case.samples)}" for name, case in result.cases.items() if case.samples
        )
        notes = "; ".join(
            f"{name}: {case.note}" for name, case in result.cases.items() if case.note
        )
        runs.append(f"- {result.rows:,} rows: runs {counts}" + (f"; {notes}" if notes else ""))
    return [*lines, "", *runs]


@dataclass(frozen=True)
class Target:
    text: str
    measured: str
    passed: bool | None  # None: not measured


def targets(results: Sequence[SizeResult], startup: dict[str, Case]) -> list[Target]:
    found: list[Target] = []
    at_target = next((r for r in results if r.rows == TARGET_ROWS), None)
    rows = f"{TARGET_ROWS:,} rows"
    if at_target is None:
        for text in (
            f"`kpi compute` ≤ {COMPUTE_OVER_FLOOR} × the bare read ({rows})",
            f"`kpi compute` ≥ {NAIVE_OVER_COMPUTE:g} × faster than the naive way ({rows})",
            f"peak memory of `kpi compute` ≤ {MEMORY_OVER_FLOOR} × the bare read's ({rows})",
        ):
            found.append(Target(text, f"not measured ({rows} not in --sizes)", None))
    else:
        ratio = at_target.ratio("compute", "floor")
        paired = at_target.paired_ratio("compute", "floor")
        found.append(
            Target(
                f"`kpi compute` ≤ {COMPUTE_OVER_FLOOR} × the bare read ({rows})",
                f"{_times(ratio)} (run by run: {_times(paired)})",
                None if ratio is None else ratio <= COMPUTE_OVER_FLOOR,
            )
        )
        ratio = at_target.ratio("naive", "compute")
        found.append(
            Target(
                f"`kpi compute` ≥ {NAIVE_OVER_COMPUTE:g} × faster than the naive way ({rows})",
                _times(ratio),
                None if ratio is None else ratio >= NAIVE_OVER_COMPUTE,
            )
        )
        ratio = at_target.memory_ratio("compute", "floor")
        found.append(
            Target(
                f"peak memory of `kpi compute` ≤ {MEMORY_OVER_FLOOR} × the bare read's ({rows})",
                _times(ratio),
                None if ratio is None else ratio <= MEMORY_OVER_FLOOR,
            )
        )
    largest = max(results, key=lambda r: r.rows, default=None)
    limit = f"{MEMORY_LIMIT_MIB // 1024} GiB"
    if largest is None or largest.rows < 1_000_000:
        found.append(Target(f"{EXCEL_MAX_ROWS:,} rows within {limit}", "not measured", None))
    else:
        for name in ("compute", "validate", "export"):
            case = largest.cases[name]
            if not case.samples:
                found.append(
                    Target(f"`kpi {name}` on {largest.rows:,} rows within {limit}", "—", None)
                )
                continue
            peak = max(s.rss for s in case.samples)
            found.append(
                Target(
                    f"`kpi {name}` on {largest.rows:,} rows completes within {limit}",
                    f"{peak / 2**20:,.0f} MiB" + ("" if case.ok else f" ({case.note})"),
                    case.ok and peak <= MEMORY_LIMIT_MIB * 2**20,
                )
            )
    typer_time = startup["import typer"].wall if startup else None
    for name in ("kpi --help", "kpi indicators"):
        case = startup.get(name) if startup else None
        text = f'`{name}` ≤ {STARTUP_OVER_TYPER} × `python -c "import typer"`'
        if case is None or case.wall is None or not typer_time:
            found.append(Target(text, case.note if case else "not measured", None))
            continue
        ratio = case.wall / typer_time
        found.append(
            Target(
                text,
                f"{_times(ratio)} ({case.wall * 1000:.0f} ms against {typer_time * 1000:.0f} ms)",
                ratio <= STARTUP_OVER_TYPER,
            )
        )
    return found


def startup_table(startup: dict[str, Case]) -> list[str]:
    lines = ["| command | median | runs | peak MiB |", "| --- | ---: | ---: | ---: |"]
    for case in startup.values():
        median = "—" if case.wall is None else f"{case.wall * 1000:.0f} ms"
        lines.append(f"| `{case.name}` | {median} | {len(case.samples)} | {_mib(case.rss)} |")
    return lines


def verdict(target: Target) -> str:
    return {True: "pass", False: "**fail**", None: "not measured"}[target.passed]


BEGIN = "<!-- bench.py: generated from here -->"
END = "<!-- bench.py: generated up to here -->"
SKELETON = f"""# Benchmarks

How close `kpi` stays to the floor of reading a workbook (issue 7). Everything between the
two markers below is written by `benchmarks/bench.py --write-doc`; the rest is by hand.

{BEGIN}
{END}
"""


def generated(
    results: Sequence[SizeResult],
    startup: dict[str, Case],
    found: Sequence[Target],
    command: str,
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> str:
    info = machine()
    lines = [
        f"Run on {datetime.now():%Y-%m-%d %H:%M} with:",
        "",
        "```",
        command,
        "```",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in info.items()),
        "- Load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in load[0])
        + "; at the end: "
        + ", ".join(f"{x:.2f}" for x in load[1]),
        "",
        "## Targets of issue 7",
        "",
        "| target | measured | result |",
        "| --- | --- | --- |",
        *(f"| {t.text} | {t.measured} | {verdict(t)} |" for t in found),
        "",
        "## Medians",
        "",
        "Wall time (median, seconds), then peak resident memory (median, MiB):",
        "",
        *tables(results),
        "",
        "## Start-up",
        "",
        *startup_table(startup),
    ]
    return "\n".join(lines) + "\n"


def write_doc(path: Path, block: str) -> None:
    text = path.read_text() if path.exists() else SKELETON
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + "\n\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n\n{block}\n{END}{tail}")


# ---------------------------------------------------------------------------------------
# Command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--runs", type=int, default=5, help="runs per command (median)")
    parser.add_argument("--startup-runs", type=int, default=15)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="cache and outputs")
    parser.add_argument("--write-doc", type=Path, default=None, metavar="PATH")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive way")
    parser.add_argument(
        "--split",
        default=None,
        metavar="UxR,...",
        help="many files: UNITS x ROWS each, e.g. 200x1000,2000x100 (issue 14)",
    )
    parser.add_argument("--profile", action="store_true", help="pyinstrument, then stop")
    parser.add_argument("--profile-rows", type=int, default=TARGET_ROWS)
    parser.add_argument(
        "--ci", action="store_true", help="10,000 rows, one run, no doc: proves that it works"
    )
    options = parser.parse_args(argv)
    if options.ci:
        options.sizes, options.runs, options.startup_runs = "10000", 1, 3
        options.write_doc = None
    sizes = [int(size.replace("_", "")) for size in options.sizes.split(",") if size.strip()]
    if any(not 1 <= size <= EXCEL_MAX_ROWS for size in sizes):
        parser.error(f"sizes must be between 1 and {EXCEL_MAX_ROWS:,} (one sheet)")
    options.out.mkdir(parents=True, exist_ok=True)

    def log(line: str) -> None:
        print(line, flush=True)

    kpi = kpi_executable()
    load_start = os.getloadavg()
    if options.profile:
        path = workbook_for(options.profile_rows, options.out, log)
        for written in profile(options.profile_rows, path, options.out, log):
            print(written.read_text())
        return 0

    compile_package(log)
    if options.split:
        shapes = [tuple(int(n) for n in shape.split("x")) for shape in options.split.split(",")]
        split_results = [bench_split(u, r, kpi, options, log) for u, r in shapes]
        print("\n".join(split_tables(split_results)))
        return 0
    results = []
    for rows in sizes:
        log(f"{rows:,} rows")
        path = workbook_for(rows, options.out, log)
        results.append(bench_size(rows, path, kpi, options, log))
    log("start-up")
    startup = bench_startup(kpi, options.startup_runs, log)
    found = targets(results, startup)

    print()
    print("\n".join(tables(results)))
    print()
    print("\n".join(startup_table(startup)))
    print()
    for target in found:
        print(f"{verdict(target):>14}  {target.text}: {target.measured}")

    if options.write_doc is not None:
        command = "python benchmarks/bench.py " + " ".join(
            shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])
        )
        block = generated(results, startup, found, command, (load_start, os.getloadavg()))
        write_doc(options.write_doc, block)
        log(f"wrote {options.write_doc}")
    # Timings never fail the run; a command that does not work does.
    failed = [
        f"{r.rows:,} rows: {c.name}"
        for r in results
        for c in r.cases.values()
        if c.samples and not c.ok
    ] + [c.name for c in startup.values() if c.samples and not c.ok]
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
