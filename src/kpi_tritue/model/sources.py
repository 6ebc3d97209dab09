"""Where the figures came from: the files read and the date the data describe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class AsOfSource(StrEnum):
    """Where the reference date came from, first to last."""

    OPTION = "option"
    SHEET = "sheet"
    YEAR = "year"
    TODAY = "today"


@dataclass(frozen=True)
class ReferenceDate:
    as_of: date
    source: AsOfSource

    @property
    def report_year(self) -> int:
        return self.as_of.year


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str


@dataclass(frozen=True)
class FileSummary:
    """One input at a glance (`kpi validate`): what was read from it and what is wrong in it.

    A path that could not be read at all (or a folder with no workbook) has no rows, no
    report year and no unit, and the errors that say why.
    """

    path: str
    rows: int  # `NhanSu` rows read (bad ones included)
    unit_rows: int  # `DonVi` rows read
    errors: int
    warnings: int
    infos: int
    report_year: int | None  # as `ThongTin` states it, else the run's; None: not read
    reporting_unit: str | None  # `ThongTin`'s `Đơn vị báo cáo`: printable, cut, no name


@dataclass(frozen=True)
class FileSummaries:
    """Every input of a run in the order of their paths, and the issues of no one file."""

    files: tuple[FileSummary, ...] = ()
    # Issues of the whole run (report years that differ, no `NhanSu` in any file…): on
    # no file's line, counted here.
    run_errors: int = 0
    run_warnings: int = 0
    run_infos: int = 0
    # Lines of folders given that hold no workbook: inputs, but no files.
    folders: int = 0

    @property
    def file_count(self) -> int:
        """How many files the run was given (its lines but those of folders)."""
        return len(self.files) - self.folders


__all__ = ["AsOfSource", "FileSummaries", "FileSummary", "ReferenceDate", "Source"]
