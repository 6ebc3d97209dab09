"""Problems found in the input: every one is kept, with where it is and what to do."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kpi_tritue.i18n import Amount, Lang, issue_message

ParamValue = str | int | float | None

# After this many issues of one code in one sheet of one file, the others are only counted:
# one summary issue (`MORE_ISSUES`) says how many (`KPI_MAX_ISSUES_PER_CODE`, limits.py).
MAX_ISSUES_PER_CODE = 100
MORE_ISSUES = "more_issues"


class Severity(StrEnum):
    """How much an issue matters: an error means the numbers cannot be trusted."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


_CELL = re.compile(r"([A-Za-z]{1,3})(\d+)")


def _column_order(cell: str | None) -> tuple[int, str]:
    """A cell's column as a number (A → 1, Z → 26, AA → 27); 0 for none, and the text of
    anything that is not a cell reference, so that it still sorts the same every time."""
    if not cell:
        return (0, "")
    match = _CELL.fullmatch(cell)
    if match is None:
        return (0, cell)
    number = 0
    for char in match[1].upper():
        number = number * 26 + ord(char) - 64
    return (number, "")


@dataclass(frozen=True, slots=True)
class Location:
    """Where a cell is: the other end of an issue that involves two files (a person
    listed in both), so that each file's annotated copy marks its own cell."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None


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
    # The other file's cell of an issue that involves two files; never a name.
    related: Location | None = None

    def message(self, lang: Lang) -> str:
        return issue_message(self.code, lang, self.params)

    def sort_key(self) -> tuple[Any, ...]:
        """Errors, then warnings, then info; within each by file, sheet, then cell: row,
        then column in the order of the sheet (A2 < A10 < B2, AA after Z). What has no
        file, sheet or row (the run's, a file's, a sheet's) comes before what has. The
        code and the parameters break ties: the same issues always come in the same order."""
        return (
            SEVERITY_ORDER[self.severity],
            self.file or "",
            self.sheet or "",
            self.row if self.row is not None else -1,
            _column_order(self.cell),
            self.code,
            self.column or "",
            tuple(sorted((key, str(value)) for key, value in self.params.items())),
        )

    @property
    def weight(self) -> int:
        """How many problems the issue stands for: a summary stands for those it counts."""
        if self.code == MORE_ISSUES:
            count = self.params.get("count")
            return int(count) if isinstance(count, int | float) else 1
        return 1

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        document: dict[str, Any] = {
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message(lang),
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
        }
        if self.code == MORE_ISSUES:
            # The exact number left out, for scripts: {"code": "bad_enum", "count": 999900}.
            document["more"] = {"code": self.params.get("code"), "count": self.weight}
        return document


_Place = tuple[str | None, str | None, str]


@dataclass
class _Omitted:
    severity: Severity
    count: int
    row: int | None


class IssueLog:
    """Issues as they are found, at most `limit` of one code in one sheet of one file.

    Past the limit an issue is only counted, and `issues` ends with one summary issue
    (`more_issues`) per code and sheet saying how many more there are, located at the
    first one left out (at a row, so that `--skip-invalid` still sees a row error).

    The limit bounds what a sheet of a million bad rows costs. It never changes which rows
    are invalid (those masks are computed apart) nor the worst severity found, since the
    first issues of every code are kept.
    """

    def __init__(self, limit: int = MAX_ISSUES_PER_CODE) -> None:
        self.limit = limit
        self._kept: list[Issue] = []
        self._counts: Counter[_Place] = Counter()
        self._omitted: dict[_Place, _Omitted] = {}

    def room(self, file: str | None, sheet: str | None, code: str) -> int:
        """How many more issues of `code` in this sheet are kept."""
        return max(0, self.limit - self._counts[(file, sheet, code)])

    def append(self, issue: Issue) -> None:
        if issue.code == MORE_ISSUES:
            # A summary made elsewhere: its count joins this log's own for that code.
            code = str(issue.params.get("code"))
            self.omit(issue.severity, code, issue.file, issue.sheet, issue.weight, issue.row)
            return
        place = (issue.file, issue.sheet, issue.code)
        if self._counts[place] >= self.limit:
            self.omit(issue.severity, issue.code, issue.file, issue.sheet, 1, issue.row)
            return
        self._counts[place] += 1
        self._kept.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        for issue in issues:
            self.append(issue)

    def omit(
        self,
        severity: Severity,
        code: str,
        file: str | None,
        sheet: str | None,
        count: int,
        row: int | None,
    ) -> None:
        """Count `count` issues of `code` left out, the first of them at `row`."""
        if count <= 0:
            return
        place = (file, sheet, code)
        omitted = self._omitted.get(place)
        if omitted is None:
            self._omitted[place] = _Omitted(severity, count, row)
            return
        omitted.count += count
        if omitted.row is None:
            omitted.row = row
        if SEVERITY_ORDER[severity] < SEVERITY_ORDER[omitted.severity]:
            omitted.severity = severity

    @property
    def issues(self) -> list[Issue]:
        """The issues kept, then one summary per code and sheet that had more."""
        summaries = [
            Issue(
                severity=omitted.severity,
                code=MORE_ISSUES,
                file=file,
                sheet=sheet,
                row=omitted.row,
                params={
                    "code": code,
                    "count": Amount(omitted.count),
                    "limit": Amount(self.limit),
                    "setting": "KPI_MAX_ISSUES_PER_CODE",
                },
            )
            for (file, sheet, code), omitted in self._omitted.items()
        ]
        return [*self._kept, *summaries]


def capped(issues: Iterable[Issue], limit: int = MAX_ISSUES_PER_CODE) -> list[Issue]:
    """`issues` with at most `limit` of one code per sheet and file, and the summaries."""
    log = IssueLog(limit)
    log.extend(issues)
    return log.issues


def sorted_issues(issues: Iterable[Issue]) -> list[Issue]:
    """Errors, then warnings, then info, each in reading order (by file, sheet, row,
    column); the same input gives the same list (`Issue.sort_key`)."""
    return sorted(issues, key=Issue.sort_key)


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(issue.severity is Severity.ERROR for issue in issues)


def count_by_severity(issues: Iterable[Issue]) -> dict[Severity, int]:
    """Problems by severity, a summary issue counted as the issues it stands for."""
    counts = dict.fromkeys(Severity, 0)
    for issue in issues:
        counts[issue.severity] += issue.weight
    return counts
