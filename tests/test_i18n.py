"""The i18n layer: one lookup over tables in which every key has both languages."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from kpi_tritue.i18n import ISSUE_MESSAGES, LANGS, TABLES, TEXT, issue_message, text


def test_every_key_of_every_table_has_both_languages() -> None:
    rows = [*ISSUE_MESSAGES.items(), *(item for table in TABLES for item in table.items())]
    assert len(rows) > 100
    missing = [key for key, row in rows if any(not row.get(lang, "").strip() for lang in LANGS)]
    assert missing == []


def test_no_two_tables_share_a_key() -> None:
    counts = Counter(key for table in TABLES for key in table)
    assert len(counts) == len(TEXT)
    assert [key for key, count in counts.items() if count > 1] == []


def test_text_fills_placeholders_and_shows_a_missing_one_as_a_question_mark() -> None:
    key = next(k for k, row in TEXT.items() if "{" in row["en"] and "{{" not in row["en"])
    names = re.findall(r"{(\w+)", TEXT[key]["en"])
    assert "§" in text(key, "en", **dict.fromkeys(names, "§"))
    assert "?" in text(key, "en", **dict.fromkeys(names[1:], "§"), **{names[0]: None})


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_issue_code_reads_as_itself(lang: str) -> None:
    assert issue_message("no_such_code", lang, {}) == "no_such_code"  # type: ignore[arg-type]
