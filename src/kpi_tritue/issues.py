"""Problems found in the input: every one is kept, with where it is and what to do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kpi_tritue.i18n import Lang, issue_message

ParamValue = str | int | float | None


class Severity(StrEnum):
    """How much an issue matters: an error means the numbers cannot be trusted."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in the input, located down to the cell where that makes sense.

    The message is not stored: it is rendered from `code` and `params` in the reader's
    language, so the same issue reads in Vietnamese or English.
    """

    severity: Severity
    code: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    params: Mapping[str, ParamValue] = field(default_factory=dict)

    def message(self, lang: Lang) -> str:
        return issue_message(self.code, lang, self.params)

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.file or "",
            self.sheet or "",
            self.row if self.row is not None else -1,
            self.cell or "",
            _SEVERITY_ORDER[self.severity],
            self.code,
        )

    def to_dict(self, lang: Lang) -> dict[str, ParamValue]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message(lang),
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
        }


def sorted_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Issues in reading order: by file, sheet, row, cell; the same input gives the same list."""
    return sorted(issues, key=Issue.sort_key)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(issue.severity is Severity.ERROR for issue in issues)


def count_by_severity(issues: Iterable[Issue]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for issue in issues:
        counts[issue.severity] += 1
    return counts
