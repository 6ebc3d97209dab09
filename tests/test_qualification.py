"""A qualification written with its specialty (official-lists.md, section 1; settled 5)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.qualification import (
    AFTER_DOCTOR,
    AMBIGUOUS_AFTER,
    DOCTOR_WORDS,
    LEADING_WORDS,
    QUALIFICATION_AMBIGUOUS,
    read_qualification,
)
from kpi_tritue.contract.schema import QUALIFICATION, WORKFORCE
from kpi_tritue.contract.values import BAD_ENUM, Bounds, parse_column

ENTRIES = [(code, phrase) for code, phrases in LEADING_WORDS for phrase in phrases]
# The spec's table as it writes it, and the extra spellings of settled detail 5.
SPEC_TABLE = {
    "doctorate": ("tiến sĩ", "tiến sỹ", "ts", "phd"),
    "specialist_2": (
        "chuyên khoa ii",
        "ck ii",
        "ckii",
        "ck2",
        "bác sĩ chuyên khoa ii",
        "bác sĩ ckii",
        "bs ckii",
        "bs ck ii",
    ),
    "resident": ("bác sĩ nội trú", "bsnt"),
    "specialist_1": (
        "chuyên khoa i",
        "ck i",
        "cki",
        "ck1",
        "bác sĩ chuyên khoa i",
        "bác sĩ cki",
        "bs cki",
        "bs ck i",
    ),
    "master": ("thạc sĩ", "thạc sỹ", "ths", "th s"),
    "bachelor": (
        "đại học",
        "đh",
        "cử nhân",
        "cn",
        "kỹ sư",
        "ks",
        "kiến trúc sư",
        "bác sĩ",
        "bs",
        "dược sĩ",
        "bác sỹ",
        "dược sỹ",
        "kĩ sư",
    ),
    "college": ("cao đẳng", "cđ"),
    "intermediate": ("trung cấp", "tc"),
    "elementary": ("sơ cấp",),
}

# A specialty: words that start with none of the table's words nor an ambiguous level.
_FIRST_WORDS = {fold(p).split()[0] for _, p in ENTRIES} | {"trung", "cao", "noi", "i", "ii"}
specialty_word = (
    st.text(alphabet=st.sampled_from(list("aăâbdđeêghklmnoôơpqrsuưvxyỳạộ")), min_size=1, max_size=8)
    .filter(lambda w: fold(w) not in _FIRST_WORDS and not fold(w).startswith(("ck", "th")))
    .map(str.capitalize)
)
specialty = st.lists(specialty_word, max_size=4).map(" ".join)


def spelled(phrase: str, style: int) -> str:
    """A table phrase as people write it: capitals, dots, no diacritics."""
    if style == 1:
        return phrase.upper()
    if style == 2:
        return phrase.title().replace(" ", ". ") + "."
    if style == 3:
        return fold(phrase)
    return phrase.capitalize()


def test_the_table_holds_every_phrase_of_the_spec() -> None:
    table = {code: set(phrases) for code, phrases in LEADING_WORDS}
    for code, phrases in SPEC_TABLE.items():
        assert set(phrases) <= table[code], code
    assert set(table) == set(SPEC_TABLE) and set(table) <= set(QUALIFICATION.codes)


@given(entry=st.sampled_from(ENTRIES), rest=specialty, style=st.integers(0, 3))
def test_any_leading_phrase_and_any_specialty_give_the_phrases_level(
    entry: tuple[str, str], rest: str, style: int
) -> None:
    code, phrase = entry
    assert read_qualification(f"{spelled(phrase, style)} {rest}".strip()) == (code, None)


@given(
    code_phrases=st.sampled_from(sorted(AFTER_DOCTOR.items())),
    doctor=st.sampled_from(DOCTOR_WORDS),
    rest=specialty,
    data=st.data(),
)
def test_a_doctors_title_before_a_specialist_phrase_gives_the_specialist_level(
    code_phrases: tuple[str, tuple[str, ...]], doctor: str, rest: str, data: st.DataObject
) -> None:
    code, phrases = code_phrases
    phrase = data.draw(st.sampled_from(phrases))
    assert read_qualification(f"{doctor} {phrase} {rest}".strip()) == (code, None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Bác sĩ CKII Nội", "specialist_2"),  # the longest match, not Đại học
        ("Bác sĩ CKI Nội", "specialist_1"),
        ("Bác sĩ CK II Ngoại", "specialist_2"),
        ("BS CK I Ngoại", "specialist_1"),
        ("Bác sỹ chuyên khoa II Nhi", "specialist_2"),
        ("Bác sĩ nội trú Nội", "resident"),
        ("Bác sĩ đa khoa", "bachelor"),
        ("ThS. Quản lý kinh tế", "master"),
        ("Th.S Luật", "master"),
        ("Thạc sĩ Luật", "master"),
        ("Cử nhân Kinh tế", "bachelor"),
        ("ĐH Sư phạm Toán", "bachelor"),
        ("Kỹ sư Xây dựng", "bachelor"),
        ("Kĩ sư Cầu đường", "bachelor"),
        ("TS. Y học", "doctorate"),
        ("Tiến sỹ Kinh tế", "doctorate"),
        ("Dược sĩ đại học", "bachelor"),
        ("Cao đẳng Điều dưỡng", "college"),
        ("CĐ Sư phạm", "college"),
        ("Trung cấp Y", "intermediate"),
        ("Sơ cấp Lý luận", "elementary"),
        # Exact category values and synonyms first.
        ("Đại học", "bachelor"),
        ("Chưa qua đào tạo", "untrained"),
        ("CHUA QUA DAO TAO", "untrained"),
        ("Trung cấp", "intermediate"),
        ("Bác sỹ nội trú", "resident"),
    ],
)
def test_examples(text: str, code: str) -> None:
    assert read_qualification(text) == (code, None)


@pytest.mark.parametrize(
    "text",
    ["Tsinghua", "Thsi Luật", "Csc", "Y sĩ", "Giáo viên", "Công nhân", "Bsckii", "Đạihọc", ""],
)
def test_a_phrase_counts_only_as_whole_words(text: str) -> None:
    assert read_qualification(text) == (None, BAD_ENUM)


@given(entry=st.sampled_from(ENTRIES), after=st.sampled_from(AMBIGUOUS_AFTER), rest=specialty)
def test_a_degree_word_followed_by_a_lower_level_is_ambiguous(
    entry: tuple[str, str], after: str, rest: str
) -> None:
    text = f"{entry[1]} {after} {rest}".strip()
    assert read_qualification(text) == (None, QUALIFICATION_AMBIGUOUS)


def test_dược_sĩ_trung_học_is_ambiguous() -> None:
    assert read_qualification("Dược sĩ trung học") == (None, QUALIFICATION_AMBIGUOUS)
    assert read_qualification("Kỹ sư, cao đẳng") == (None, QUALIFICATION_AMBIGUOUS)
    # Only right after the degree word: a specialty may hold the words later on.
    assert read_qualification("Cử nhân Sư phạm trung học") == ("bachelor", None)


BOUNDS = Bounds(report_year=2025, as_of=pd.Timestamp("2025-12-31").date())


def test_the_column_parser_reads_the_leading_words_once_per_distinct_text() -> None:
    texts = ["ThS. Luật", "Dược sĩ trung học", None, "ThS. Luật", "Tsinghua", "Đại học"]
    parsed = parse_column(
        pd.Series(texts, dtype="object"), WORKFORCE.column("qualification"), BOUNDS
    )
    assert [None if pd.isna(v) else v for v in parsed.values] == [
        "master",
        None,
        None,
        "master",
        None,
        "bachelor",
    ]
    assert [parsed.problem_at(i) for i in range(len(texts))] == [
        None,
        QUALIFICATION_AMBIGUOUS,
        None,
        None,
        BAD_ENUM,
        None,
    ]


def test_a_list_with_qualifications_and_specialties_counts_its_postgraduates(
    tmp_path: Path,
) -> None:
    from engine_fixtures import Book, load, person

    quals = ["ThS. Quản lý kinh tế", "Bác sĩ CKI Nội", "Cử nhân Kinh tế", "Dược sĩ trung học"]
    book = Book([person(qualification=q) for q in quals])
    dataset = load(book.write(tmp_path / "data.xlsx"))
    frame = dataset.tables["workforce"].frame
    assert [None if pd.isna(v) else v for v in frame["qualification"]] == [
        "master",
        "specialist_1",
        "bachelor",
        None,
    ]
    (issue,) = [i for i in dataset.issues if i.severity == "error"]
    assert issue.code == QUALIFICATION_AMBIGUOUS and issue.row == 5
    for lang in ("vi", "en"):
        message = issue.message(lang)
        assert "Dược sĩ trung học" in message and "Đại học Dược" in message
