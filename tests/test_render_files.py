"""The table of files that starts `kpi validate`, from summaries built here."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from kpi_tritue.cli import app
from kpi_tritue.model.sources import FileSummaries, FileSummary
from kpi_tritue.render.files import MARK, _middle, files_json, files_table

LONG = "bao-cao-2024/cac-xa-phuong/huyen-cam-xuyen/ubnd-xa-cam-thinh-nhan-su-2024.xlsx"


class _Stream(io.StringIO):
    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._encoding = encoding

    @property
    def encoding(self) -> str:  # what rich reads to know what the terminal can show
        return self._encoding


def printed(renderable: Any, width: int, encoding: str = "utf-8") -> str:
    stream = _Stream(encoding)
    console = Console(file=stream, width=width, color_system=None, highlight=False)
    console.print(renderable)
    return stream.getvalue()


def line(path: str, **fields: Any) -> FileSummary:
    values: dict[str, Any] = {
        "rows": 1234,
        "unit_rows": 0,
        "errors": 0,
        "warnings": 0,
        "infos": 0,
        "report_year": 2024,
        "reporting_unit": "UBND xã Cẩm Thịnh",
    }
    return FileSummary(path=path, **{**values, **fields})


SUMMARIES = FileSummaries(
    files=(
        line("a.xlsx", errors=3, warnings=1),
        line(LONG, rows=1048575, reporting_unit="Phòng Giáo dục và Đào tạo huyện Cẩm Xuyên"),
        line("hong.xlsx", rows=0, errors=1, report_year=None, reporting_unit=None),
    ),
    run_errors=1,
)


@pytest.mark.parametrize("width", [80, 140])
def test_the_table_fits_the_width_and_marks_the_files_with_errors(width: int) -> None:
    text = printed(files_table(SUMMARIES, "vi"), width)
    lines = text.splitlines()
    assert max(len(row.rstrip()) for row in lines) <= width
    rows = {row.split()[1]: row for row in lines if row.startswith((MARK, "  "))}
    assert rows["a.xlsx"].startswith(MARK) and rows["hong.xlsx"].startswith(MARK)
    assert "1.048.575" in text  # Vietnamese thousands
    # The long path keeps its start and the end of its file name.
    (long,) = [row for row in lines if "1.048.575" in row]
    shown = long.split()[0]
    assert shown.startswith("bao-ca") and shown.endswith("-2024.xlsx")
    assert "…" in shown
    assert ("/ubnd-xa-cam-thinh-nhan-su-2024.xlsx" in shown) == (width == 140)
    assert "Không thuộc dòng nào: 1 lỗi, 0 cảnh báo, 0 thông tin của cả lượt đọc." in text


def test_english_labels_and_no_run_note_without_run_issues() -> None:
    summaries = FileSummaries(files=SUMMARIES.files[:1])
    text = printed(files_table(summaries, "en"), 100)
    assert "Files read" in text and "Reporting unit" in text and "Warnings" in text
    assert "On no line" not in text


def test_a_terminal_that_takes_ascii_only_gets_a_mark_and_dots_it_can_show() -> None:
    text = printed(files_table(SUMMARIES, "vi"), 80, encoding="ascii")
    assert MARK not in text and "…" not in text
    assert "x a.xlsx" in text
    assert max(len(row.rstrip()) for row in text.splitlines()) <= 80


def test_a_middle_cut_keeps_the_end() -> None:
    assert _middle("abcdefghij", 10) == "abcdefghij"
    assert _middle("abcdefghijkl", 10) == "abc…ghijkl"
    assert _middle("abcdefghijkl", 10, "...") == "ab...hijkl"
    assert len(_middle(LONG, 20)) == 20


def test_the_json_lines_are_sorted_by_path() -> None:
    reversed_order = FileSummaries(files=tuple(reversed(SUMMARIES.files)))
    document = files_json(reversed_order)
    assert [entry["path"] for entry in document] == sorted(f.path for f in SUMMARIES.files)
    assert document[0] == {
        "path": "a.xlsx",
        "rows": 1234,
        "unit_rows": 0,
        "errors": 3,
        "warnings": 1,
        "infos": 0,
        "report_year": 2024,
        "reporting_unit": "UBND xã Cẩm Thịnh",
    }


def test_validate_starts_with_a_line_per_file_at_eighty_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pathlib import Path

    samples = Path(__file__).parent.parent / "data" / "samples"
    monkeypatch.chdir(samples)
    result = CliRunner().invoke(
        app, ["validate", "ha_tinh_2024.xlsx", "loi_mau.xlsx"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Các tệp đã đọc"
    assert lines[3].split()[:7] == ["ha_tinh_2024.xlsx", "7.044", "166", "0", "0", "2024", "Sở"]
    assert lines[4].split()[:4] == [MARK, "loi_mau.xlsx", "30", "0"]
    assert max(len(row.rstrip()) for row in lines[:5]) <= 80


def test_the_folder_of_every_file_is_named_once_in_the_title() -> None:
    summaries = FileSummaries(
        files=(
            line("bao-cao/2024/xa-cam-thinh.xlsx"),
            line("bao-cao/2024/huyen/phong-noi-vu.xlsx", errors=2),
        )
    )
    text = printed(files_table(summaries, "en"), 90)
    assert text.splitlines()[0].strip() == "Files read in bao-cao/2024"
    assert "  xa-cam-thinh.xlsx" in text and f"{MARK} huyen/phong-noi-vu.xlsx" in text
    # Paths with no folder in common, or one without a folder: shown whole.
    mixed = FileSummaries(files=(line("a.xlsx"), line("bao-cao/b.xlsx")))
    assert printed(files_table(mixed, "en"), 80).splitlines()[0].strip() == "Files read"
