"""Small workbooks built in code for the tests: rows as lists, as a person would type them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

WORKFORCE_HEADER = [
    "Mã",
    "Họ và tên",
    "Đơn vị",
    "Cấp",
    "Lĩnh vực",
    "Loại",
    "Ngày sinh",
    "Năm sinh",
    "Trình độ chuyên môn",
    "Chức danh nghề nghiệp",
    "Cấp học",
]


def person(
    id_: str,
    *,
    name: str = "Nguyễn Văn An",
    unit: str = "Sở Y tế",
    level: str = "Tỉnh",
    sector: str = "Y tế",
    category: str = "Viên chức",
    birth_date: Any = "15/03/1985",
    birth_year: Any = None,
    qualification: str = "Đại học",
    profession: str | None = "Bác sĩ",
    school_level: str | None = None,
) -> list[Any]:
    return [
        id_,
        name,
        unit,
        level,
        sector,
        category,
        birth_date,
        birth_year,
        qualification,
        profession,
        school_level,
    ]


def write_workbook(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    merges: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write `sheets` (name → rows, row 1 first) to an .xlsx at `path`."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
        for block in (merges or {}).get(name, ()):
            sheet.merge_cells(block)
    workbook.properties.created = datetime(2024, 12, 31)
    workbook.properties.modified = datetime(2024, 12, 31)
    workbook.save(path)
    return path


def csv_rows(document: str) -> list[dict[str, str]]:
    """A CSV that `kpi` wrote, read as a spreadsheet reads it: it must start with the
    byte-order mark that makes Excel take it as UTF-8, which is not part of the header."""
    import csv
    import io

    assert document.startswith("\ufeff"), document[:20]
    return list(csv.DictReader(io.StringIO(document.removeprefix("\ufeff"))))
