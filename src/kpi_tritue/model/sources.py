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


__all__ = ["AsOfSource", "ReferenceDate", "Source"]
