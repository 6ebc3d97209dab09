import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.contract.normalize import (
    clean_text,
    fold,
    is_column_code,
    is_totals_label,
    unit_key,
)


@pytest.mark.parametrize(
    "spelling",
    [
        "Họ và tên",
        "HỌ VÀ TÊN",
        "Ho va ten",
        "  họ   và\ttên ",
        unicodedata.normalize("NFD", "Họ và tên"),
    ],
)
def test_header_spellings_fold_alike(spelling: str) -> None:
    assert fold(spelling) == "ho va ten"


def test_d_with_stroke_and_punctuation() -> None:
    assert fold("GD&ĐT") == "gd dt"
    assert fold("Định mức sau đại học (%)") == "dinh muc sau dai hoc"
    assert fold("Chuẩn hóa LLCT, chuyên môn, nghiệp vụ") == "chuan hoa llct chuyen mon nghiep vu"


def test_symbols_survive_folding() -> None:
    assert fold("✓") == "✓"


# Every character `str.isspace` calls white space (what `\s` matches in a `str` pattern),
# with letters, marks and punctuation around them.
_SPACED = st.text(
    st.one_of(
        st.sampled_from([c for c in map(chr, range(0x3001)) if c.isspace()]),
        st.characters(),
        st.sampled_from(["a", "ơ", "\u0301", "Đ", "-"]),
    )
)


@given(_SPACED)
def test_clean_text_is_the_white_space_pattern_without_it(text: str) -> None:
    """`clean_text` (`split` and `join`) gives what its rule as a pattern gives: NFC, runs
    of white space as one space, none at either end."""
    import re

    expected = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    assert clean_text(text) == expected


def test_clean_text_keeps_diacritics_and_folds_spaces() -> None:
    assert clean_text("  Sở\u00a0 Y   tế ") == "Sở Y tế"
    assert clean_text(unicodedata.normalize("NFD", "Sở Y tế")) == "Sở Y tế"


def test_unit_key_is_case_insensitive_but_keeps_diacritics() -> None:
    assert unit_key("SỞ Y TẾ") == unit_key("Sở Y tế")
    assert unit_key("Sở Y tế") != unit_key("So Y te")


@pytest.mark.parametrize("code", ["A", "B", "AB", "1", "12", "123", "(2)", "(A)"])
def test_column_codes(code: str) -> None:
    assert is_column_code(code)


@pytest.mark.parametrize("text", ["ABC", "1234", "Mã", "(12", "A1"])
def test_not_column_codes(text: str) -> None:
    assert not is_column_code(text)


@pytest.mark.parametrize(
    "label", ["Tổng cộng", "TỔNG CỘNG:", "Tổng số", "Total", "Cộng", "cộng:", "Tổng cộng toàn tỉnh"]
)
def test_totals_labels(label: str) -> None:
    assert is_totals_label(label)
    assert is_totals_label(unicodedata.normalize("NFD", label))


@pytest.mark.parametrize("label", ["Công an tỉnh", "Cộng đồng", "Tong cong", "Công"])
def test_diacritics_matter_for_totals(label: str) -> None:
    assert not is_totals_label(label)


@given(st.text())
def test_fold_is_idempotent_and_form_independent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
