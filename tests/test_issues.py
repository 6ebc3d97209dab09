"""model/issues.py: the order issues are shown in, and the numbers they quote."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.i18n import Amount
from kpi_tritue.model.issues import (
    MORE_ISSUES,
    Issue,
    IssueLog,
    Severity,
    column_letter,
    sorted_issues,
)


def _at(cell: str | None, severity: Severity = Severity.ERROR, **where: object) -> Issue:
    row = None if cell is None else int("".join(c for c in cell if c.isdigit()))
    return Issue(severity, "bad_enum", file="a.xlsx", sheet="NhanSu", row=row, cell=cell, **where)  # type: ignore[arg-type]


def test_errors_come_first_then_warnings_then_info() -> None:
    info = _at("A2", Severity.INFO)
    warning = _at("A3", Severity.WARNING)
    error = _at("Z99", Severity.ERROR)
    assert sorted_issues([info, warning, error]) == [error, warning, info]


def test_cells_come_in_the_order_of_the_sheet_not_of_their_text() -> None:
    cells = ["A2", "A10", "B2", "Z2", "AA2", "B10", "AB3"]
    shown = [i.cell for i in sorted_issues(_at(c) for c in cells)]
    assert shown == ["A2", "B2", "Z2", "AA2", "AB3", "A10", "B10"]


def test_what_has_no_place_comes_before_what_has_one() -> None:
    run = Issue(Severity.ERROR, "report_years_differ")
    sheet = Issue(Severity.ERROR, "header_not_found", file="a.xlsx", sheet="DonVi")
    cell = Issue(Severity.ERROR, "bad_enum", file="a.xlsx", sheet="DonVi", row=2, cell="B2")
    other_file = Issue(Severity.ERROR, "bad_enum", file="b.xlsx", sheet="DonVi", row=1, cell="A1")
    assert sorted_issues([other_file, cell, sheet, run]) == [run, sheet, cell, other_file]


_issues = st.lists(
    st.builds(
        Issue,
        severity=st.sampled_from(list(Severity)),
        code=st.sampled_from(["bad_enum", "required_blank", "duplicate_id"]),
        file=st.sampled_from([None, "a.xlsx", "b.xlsx"]),
        sheet=st.sampled_from([None, "NhanSu", "DonVi"]),
        row=st.one_of(st.none(), st.integers(1, 30)),
        cell=st.one_of(
            st.none(),
            st.builds(
                lambda c, r: f"{column_letter(c)}{r}", st.integers(0, 800), st.integers(1, 30)
            ),
        ),
        params=st.dictionaries(st.sampled_from(["value", "id"]), st.sampled_from(["x", "y"])),
    ),
    max_size=30,
)


@given(_issues, st.randoms())
def test_the_same_issues_in_any_order_are_shown_the_same(
    issues: list[Issue], shuffle: random.Random
) -> None:
    shuffled = list(issues)
    shuffle.shuffle(shuffled)
    assert sorted_issues(shuffled) == sorted_issues(issues)
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    ranks = [order.index(i.severity) for i in sorted_issues(issues)]
    assert ranks == sorted(ranks)  # errors, warnings, info


def test_a_summary_quotes_its_counts_as_numbers_people_read() -> None:
    log = IssueLog(limit=100)
    for _ in range(1_234 + 100):
        log.append(_at("B2"))
    summary = log.issues[-1]
    assert summary.code == MORE_ISSUES and summary.weight == 1_234
    assert "1.234" in summary.message("vi") and "1,234" in summary.message("en")
    assert summary.to_dict("en")["more"] == {"code": "bad_enum", "count": 1_234}


def test_an_amount_keeps_its_decimals_and_a_year_stays_a_year() -> None:
    issue = Issue(
        Severity.WARNING,
        "figure_total_differs",
        params={"metric": "Dân số", "year": 2024, "value": Amount(1_312_600.5), "total": Amount(7)},
    )
    assert issue.message("vi").startswith("Dân số năm 2024 của toàn tỉnh (1.312.600,5)")
    assert issue.message("en").startswith("Dân số 2024 for the whole province (1,312,600.5)")


def test_a_reporter_reads_the_issue_limit_at_its_first_issue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The limit is read when the first issue comes, not when the reporter is made (a
    sheet without issues never reads it); a change to the environment is still seen."""
    from kpi_tritue.contract import limits
    from kpi_tritue.io.sheet_table import Reporter

    reads: list[int] = []
    plain = limits.Limits.from_environment.__func__  # type: ignore[attr-defined]

    def counted(cls: type[limits.Limits]) -> limits.Limits:
        reads.append(1)
        return plain(cls)

    monkeypatch.setattr(limits.Limits, "from_environment", classmethod(counted))
    quiet = Reporter("a.xlsx", "NhanSu")
    quiet.add_each(Severity.INFO, "row_outside_table", 0, lambda i: {"row": i})
    assert quiet.issues == [] and reads == []
    reporter = Reporter("a.xlsx", "NhanSu")
    monkeypatch.setenv("KPI_MAX_ISSUES_PER_CODE", "2")
    for row in (2, 3, 4, 5):
        reporter.add(Severity.ERROR, "bad_enum", row=row)
    assert len(reads) == 1
    kept = reporter.issues
    assert [issue.row for issue in kept] == [2, 3, 4]
    assert kept[-1].code == MORE_ISSUES and kept[-1].params["count"] == 2
    assert kept[-1].params["limit"] == 2
