"""The name rule of privacy.py, its fast ways against its plain one, and the issue cap."""

from __future__ import annotations

from unittest.mock import patch

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_tritue.contract import privacy
from kpi_tritue.contract.privacy import (
    KnownNames,
    fold,
    fold_array,
    holds_plain,
    quote,
    redact_issues,
)
from kpi_tritue.i18n.numbers import printable, spreadsheet_text
from kpi_tritue.model.issues import (
    MORE_ISSUES,
    Issue,
    IssueLog,
    Severity,
    capped,
    count_by_severity,
)

NAME = "Nguyễn Văn An"


@pytest.mark.parametrize(
    "text",
    [
        "Nguyễn Văn An",
        "NGUYỄN  VĂN AN",
        "Nguyen Van An",
        "nguyễn văn an (GV)",
        "Nguyễn Văn An2",
        "Nguyễn\u200bVăn An",
        "Nguye\u0302\u0303n Va\u0306n An",  # decomposed (NFD)
        "Ng_x0075_yễn Văn An",  # an Excel escape left in the text
        "ＮＧＵＹＥＮ van an",  # full width
        "Phòng của Nguyễn-Văn-An",
        "Nguyễn\tVăn\nAn",
    ],
)
def test_every_variant_of_a_name_holds_it(text: str) -> None:
    assert KnownNames.of([NAME]).holds(text)
    assert holds_plain(text, [NAME])


@pytest.mark.parametrize("text", ["Sở Y tế", "Nguyễn Văn", "Văn An", "Trường THPT Nguyễn Du", "—"])
def test_other_texts_do_not(text: str) -> None:
    assert not KnownNames.of([NAME]).holds(text)


def test_a_short_name_hides_only_a_text_equal_to_it() -> None:
    names = KnownNames.of(["Lê A", "12"])
    assert names.holds("le a") and names.holds("LÊ-A")
    assert not names.holds("Lê Anh")
    # A value without a letter is no name: `12` hides nothing.
    assert not names.holds("12")


# Texts as hostile as a cell can be: letters with and without marks, combining marks,
# zero-width and control characters, escapes, every kind of space.
hostile_text = st.lists(
    st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐEÔ0129 -_.\t\n")
        + ["\u0301", "\u0303", "\u0323", "\u200b", "\u00a0", "\u3000", "\x1b", "ｎ", "ﬁ"]
        + ["_x0041_", "_x200B_", "_x00", "Nguyễn", "Văn"]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(hostile_text, min_size=1, max_size=20))
def test_the_fast_fold_is_the_plain_fold(texts: list[str]) -> None:
    array = pa.array([*texts, None], type=pa.large_string())
    assert fold_array(array).to_pylist() == [*(fold(t) for t in texts), None]


ascii_text = st.lists(
    st.sampled_from(list("aAxXzZ09_-. \t") + ["_x", "_X", "_x0041_"]), max_size=10
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), ascii_text, hostile_text), max_size=20))
def test_plain_ascii_texts_are_found_and_folded_as_their_patterns_say(
    texts: list[str | None],
) -> None:
    """`_plain_ascii` (two plain searches for `_x`) is the case-blind search it replaces,
    and `_fold_ascii` (the pattern only where a text needs it) is `_fold_ascii_plain`
    (the pattern over all), and both are `fold` of each plain text."""
    import pyarrow.compute as pc

    array = pa.array(texts, type=pa.large_string())
    blind = pc.and_(
        pc.string_is_ascii(array), pc.invert(pc.match_substring(array, "_x", ignore_case=True))
    )
    assert privacy._plain_ascii(array).to_pylist() == blind.to_pylist()
    plain = array.filter(pc.fill_null(blind, False))
    fast = privacy._fold_ascii(plain)
    assert fast.equals(privacy._fold_ascii_plain(plain))
    assert fast.to_pylist() == [fold(t).replace(" ", "") for t in plain.to_pylist()]


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(hostile_text, min_size=1, max_size=6),
    texts=st.lists(hostile_text, min_size=1, max_size=12),
)
def test_known_names_give_the_rule_as_written(names: list[str], texts: list[str]) -> None:
    expected = [holds_plain(text, names) for text in texts]
    plain = KnownNames.of(names)
    fast = KnownNames.of_arrays([pa.array(names, type=pa.large_string())])
    assert plain.holding(texts) == expected
    assert fast.holding(texts) == expected
    # The Arrow way of many texts (a column): screened, then tested one by one.
    array = pa.array([*texts, None], type=pa.large_string())
    assert fast.holding_array(array).tolist() == [*expected, False]


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(hostile_text, min_size=1, max_size=6),
    texts=st.lists(st.one_of(st.none(), hostile_text), min_size=1, max_size=8),
    picks=st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=200),
)
def test_a_column_screened_over_its_distinct_texts_is_screened_as_row_by_row(
    names: list[str], texts: list[str | None], picks: list[int]
) -> None:
    # A column that repeats a few texts (units, professions), nulls among them.
    column = pa.array([texts[i % len(texts)] for i in picks], type=pa.large_string())
    known = KnownNames.of_arrays([pa.array(names, type=pa.large_string())])
    plain = known.holding_rows(column).tolist()
    assert plain == [t is not None and holds_plain(t, names) for t in column.to_pylist()]
    with patch.object(privacy, "_DISTINCT_FROM", 0):
        assert known.holding_array(column).tolist() == plain


def test_a_long_repetitive_column_takes_the_distinct_way_and_ids_do_not() -> None:
    names = KnownNames.of([NAME, "Trần Thị Bình"])
    units = pa.array(["Sở Y tế", "Phòng của Nguyễn Văn An", None, "TRAN THI BINH"] * 2000)
    ids = pa.array([f"HT{i:05d}" for i in range(8000)] + ["Nguyễn Văn An"])
    with patch.object(KnownNames, "holding_rows", wraps=names.holding_rows) as rows:
        found = names.holding_array(units)
        assert [len(call.args[0]) for call in rows.call_args_list] == [3]
        assert found.tolist() == names.holding_rows(units).tolist()
        assert found.tolist() == [False, True, False, True] * 2000
    with patch.object(KnownNames, "holding_rows", wraps=names.holding_rows) as rows:
        assert names.holding_array(ids).tolist() == [False] * 8000 + [True]
        assert [len(call.args[0]) for call in rows.call_args_list] == [8001]


def test_many_texts_are_screened_in_arrow_with_the_same_answer() -> None:
    names = KnownNames.of([NAME, "Trần Thị Bình", "Lê A"])
    texts = [f"HT{i:05d}" for i in range(2500)] + ["Trần Thị Bình", "le a", "Lê Anh", "nv_x0041_"]
    found = names.holding(texts)
    assert [texts[i] for i, hit in enumerate(found) if hit] == ["Trần Thị Bình", "le a"]


def test_a_quoted_value_is_cut_to_80_characters_and_printable() -> None:
    assert quote("x" * 500) == "x" * 79 + "…"
    assert len(quote("y" * 80)) == 80
    assert quote("a\x1b[2Jb\x9bc_x001B_d\ne") == "a\ufffd[2Jb\ufffdc\ufffdd e"
    assert quote(quote("z" * 200)) == quote("z" * 200)


def test_printable_and_spreadsheet_text() -> None:
    assert printable("Sở\x1b[31m Y tế\x07") == "Sở\ufffd[31m Y tế\ufffd"
    assert printable("a\nb\tc", lines=True) == "a\nb\tc"
    assert spreadsheet_text("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    for text in ("+1", "-1", "@x", "\tx", "\rx"):
        assert spreadsheet_text(text).startswith("'")
    assert spreadsheet_text("Sở Y tế") == "Sở Y tế"


def test_redaction_covers_parameters_sheet_and_column() -> None:
    issue = Issue(
        Severity.INFO,
        "unknown_column",
        file="a\x1bb.xlsx",
        sheet="Nguyễn Văn An",
        column="nguyen van an",
        params={"value": "NGUYỄN VĂN AN " + "x" * 200},
    )
    (shown,) = redact_issues([issue], KnownNames.of([NAME]))
    assert shown.sheet == shown.column == shown.params["value"] == privacy.REDACTED
    assert shown.file == "a\ufffdb.xlsx"
    (kept,) = redact_issues([issue], KnownNames())
    assert kept.params["value"] == "NGUYỄN VĂN AN " + "x" * 65 + "…"


def _issue(row: int, code: str = "bad_enum", sheet: str = "NhanSu") -> Issue:
    return Issue(Severity.ERROR, code, file="f.xlsx", sheet=sheet, row=row, params={"value": "?"})


def test_the_log_keeps_the_first_issues_of_a_code_and_counts_the_others() -> None:
    log = IssueLog(limit=3)
    log.extend(_issue(row) for row in range(2, 12))
    log.append(_issue(2, sheet="DonVi"))
    log.omit(Severity.ERROR, "bad_date", "f.xlsx", "NhanSu", 1000, 40)
    issues = log.issues
    kept = [i for i in issues if i.code == "bad_enum"]
    assert [(i.sheet, i.row) for i in kept] == [
        ("NhanSu", 2),
        ("NhanSu", 3),
        ("NhanSu", 4),
        ("DonVi", 2),
    ]
    summaries = {i.params["code"]: i for i in issues if i.code == MORE_ISSUES}
    assert summaries["bad_enum"].params["count"] == 7 and summaries["bad_enum"].row == 5
    assert summaries["bad_date"].to_dict("en")["more"] == {"code": "bad_date", "count": 1000}
    # Counted as the problems they stand for; capping again changes nothing.
    assert count_by_severity(issues)[Severity.ERROR] == 11 + 1000
    assert count_by_severity(capped(issues, 3)) == count_by_severity(issues)
    assert "KPI_MAX_ISSUES_PER_CODE" in summaries["bad_enum"].message("vi")


def test_the_names_of_several_runs_are_known_together() -> None:
    union = KnownNames.union([KnownNames.of([NAME]), KnownNames.of(["Lê A"]), KnownNames()])
    assert union.holding(["Nguyen Van An", "le a", "Sở Y tế"]) == [True, True, False]
