"""Legacy `.xls` and `.ods` workbooks read exactly like the `.xlsx` they were saved from."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.io.dataset import load_dataset

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (libreoffice-calc-nogui) is installed by .ci/run"
)


def convert(source: Path, suffix: str, out_dir: Path) -> Path:
    assert SOFFICE is not None
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            suffix,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    converted = out_dir / f"{source.stem}.{suffix}"
    assert converted.exists()
    return converted


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    rows = [
        ["BÁO CÁO ĐỘI NGŨ NĂM 2024"],
        WORKFORCE_HEADER,
        person("A1", birth_date=datetime(1980, 5, 3)),
        # Its unit is A1's, through a vertical merge: every format must say so.
        person("A5", unit=None, birth_date="01/01/1985"),
        person("A2", birth_date="05/03/1991", level="Xã", unit="UBND xã Kỳ Tân"),
        person("A3", birth_date=None, birth_year=1990, profession="Giáo viên", school_level="THCS"),
        person("A4", level="Trung ương"),
        ["Tổng cộng", None, 4],
    ]
    source = write_workbook(
        folder / "bao_cao.xlsx",
        {
            "ThongTin": [["Mục", "Giá trị"], ["Ngày số liệu", datetime(2024, 12, 31)]],
            "NhanSu": rows,
            "SoLieu": [["Chỉ tiêu", "Giá trị"], ["Dân số", 1320000]],
        },
        merges={"NhanSu": ["A1:K1", "C3:C4"]},
    )
    return {
        "xlsx": source,
        "xls": convert(source, "xls", folder / "xls"),
        "ods": convert(source, "ods", folder / "ods"),
    }


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_legacy_formats_give_the_same_frames_and_issues(
    workbooks: dict[str, Path], suffix: str
) -> None:
    expected = load_dataset([str(workbooks["xlsx"])])
    actual = load_dataset([str(workbooks[suffix])])
    assert actual.as_of == expected.as_of
    for key in ("workforce", "figures"):
        left = expected.tables[key].frame.drop(columns=["_file"])
        right = actual.tables[key].frame.drop(columns=["_file"])
        assert left.astype(str).equals(right.astype(str)), key
    assert [(i.code, i.sheet, i.cell) for i in actual.issues] == [
        (i.code, i.sheet, i.cell) for i in expected.issues
    ]
