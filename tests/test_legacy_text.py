from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kpi_tritue.io.legacy_text import (
    TCVN3_TO_UNICODE,
    LegacyEncoding,
    decode_column,
    decode_tcvn3,
    decode_vni,
    legacy_encoding,
)


@pytest.mark.parametrize(
    "text", ["Viªn chøc", "C«ng chøc", "UBND x· Kú T©n", "Tr­êng §¹i häc Hµ TÜnh"]
)
def test_tcvn3(text: str) -> None:
    assert legacy_encoding(text) is LegacyEncoding.TCVN3


@pytest.mark.parametrize("text", ["Sôû Y teá", "Vieân chöùc", "Tröôøng Ñaïi hoïc"])
def test_vni(text: str) -> None:
    assert legacy_encoding(text) is LegacyEncoding.VNI


@pytest.mark.parametrize(
    "text",
    [
        "Sở Y tế",
        "Viên chức",
        "Trường Đại học Hà Tĩnh",
        "UBND xã Kỳ Tân",
        "Bệnh viện Đa khoa tỉnh",
        "Chuyên khoa II",
        "Nghi Xuân",
        "Hương Khê",
        "NGÕ 5 PHỐ TRẦN PHÚ",
    ],
)
def test_unicode_vietnamese_is_not_legacy(text: str) -> None:
    assert legacy_encoding(text) is None


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ "
)


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper(), max_size=40))
def test_no_unicode_vietnamese_word_looks_legacy(text: str) -> None:
    vowels = "aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    # Real syllables never pair a bare vowel with a toned one; random strings do, so only
    # syllables with at most one vowel group are checked.
    words = [word for word in text.split() if sum(c in vowels for c in word.lower()) <= 1]
    assert [word for word in words if legacy_encoding(word) is not None] == []


# ---------------------------------------------------------------------------------------
# Decoding where the mapping is certain


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        # Examples published with converters written independently of this one.
        ("Ninh B×nh", "Ninh Bình"),
        ("B¶o Th¾ng", "Bảo Thắng"),
        ("M\xadêng Kh\xad¬ng", "Mường Khương"),
        ("Tr\xadêng §¹i häc Hµ TÜnh", "Trường Đại học Hà Tĩnh"),
        ("Së Y tÕ", "Sở Y tế"),
        ("UBND x· Kú T©n", "UBND xã Kỳ Tân"),
    ],
)
def test_tcvn3_decodes(legacy: str, unicode: str) -> None:
    assert decode_tcvn3(legacy) == unicode
    assert decode_column([legacy]) == (LegacyEncoding.TCVN3, {legacy: unicode})


@pytest.mark.parametrize(
    ("legacy", "unicode"),
    [
        ("Xin chaøo caùc baïn", "Xin chào các bạn"),
        ("Sôû Y teá", "Sở Y tế"),
        ("Tröôøng Ñaïi hoïc", "Trường Đại học"),
        ("THAØNH PHOÁ HAØ TÓNH", "THÀNH PHỐ HÀ TĨNH"),
        ("Ñaëng Thò Thuûy", "Đặng Thị Thủy"),
    ],
)
def test_vni_decodes(legacy: str, unicode: str) -> None:
    assert decode_vni(legacy) == unicode
    assert decode_column([legacy]) == (LegacyEncoding.VNI, {legacy: unicode})


@pytest.mark.parametrize(
    "values",
    [
        ["Viªn chøc Ω"],  # a character neither encoding has
        ["Viªn chøc", "Sôû Y teá"],  # one column, two encodings
        ["chaứo"],  # Unicode already
        ["5×3"],  # a letter inside a number is no letter
    ],
)
def test_nothing_is_decoded_without_certainty(values: list[str]) -> None:
    assert decode_column(values) is None


ONSETS = ["", "b", "c", "ch", "d", "đ", "g", "gh", "h", "kh", "l", "m", "n", "ng", "nh", "ph"]
ONSETS += ["qu", "r", "s", "t", "th", "tr", "v", "x"]
NUCLEI = list("aăâeêioôơuưy") + ["ươ", "uô", "iê", "ia", "ưa", "oa", "uy"]
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


@st.composite
def syllables(draw: st.DrawFn) -> str:
    import unicodedata

    onset = draw(st.sampled_from(ONSETS))
    nucleus = draw(st.sampled_from(NUCLEI))
    assume(not (onset == "qu" and nucleus[0] in "uư"))
    toned = draw(st.integers(0, len(nucleus) - 1))
    tone = draw(st.sampled_from(TONES))
    vowels = "".join(c + (tone if i == toned else "") for i, c in enumerate(nucleus))
    word = onset + vowels + draw(st.sampled_from(CODAS))
    return unicodedata.normalize("NFC", word)


def _encode_tcvn3(text: str) -> str:
    codes = {letter: code for code, letter in TCVN3_TO_UNICODE.items()}
    return "".join(codes.get(char, char) for char in text)


def _encode_vni(text: str) -> str:
    from kpi_tritue.io.legacy_text import _VNI_PAIRS, _VNI_SINGLES

    codes = {letter: code for code, letter in {**_VNI_SINGLES, **_VNI_PAIRS}.items()}
    return "".join(codes.get(char, char) for char in text)


@given(st.lists(syllables(), min_size=1, max_size=6).map(" ".join))
def test_lower_case_vietnamese_survives_tcvn3(text: str) -> None:
    legacy = _encode_tcvn3(text)
    assert decode_tcvn3(legacy) == text


@given(st.lists(syllables(), min_size=1, max_size=6).map(" ".join), st.booleans())
def test_vietnamese_in_either_case_survives_vni(text: str, upper: bool) -> None:
    text = text.upper() if upper else text
    legacy = _encode_vni(text)
    assert decode_vni(legacy) == text
    if legacy_encoding(legacy) is LegacyEncoding.VNI:
        found = decode_column([legacy])
        assert found is None or found == (LegacyEncoding.VNI, {legacy: text})


def test_a_workbook_typed_in_tcvn3_gives_the_figures_of_its_unicode_twin(tmp_path: Path) -> None:
    from builders import WORKFORCE_HEADER, person, write_workbook
    from kpi_tritue.io.dataset import load_dataset

    people = [
        person("A1", unit="Sở Y tế", category="Viên chức"),
        person("A2", unit="UBND xã Kỳ Tân", level="Xã", category="Công chức", profession=None),
        person("A3", unit="Trường THPT Phan Đình Phùng", sector="Giáo dục", category="Viên chức"),
    ]
    legacy = [[_encode_tcvn3(v) if isinstance(v, str) else v for v in row] for row in people]
    twin = write_workbook(tmp_path / "unicode.xlsx", {"NhanSu": [WORKFORCE_HEADER, *people]})
    typed = write_workbook(tmp_path / "tcvn3.xlsx", {"NhanSu": [WORKFORCE_HEADER, *legacy]})
    expected = load_dataset([str(twin)], as_of=date(2024, 12, 31))
    found = load_dataset([str(typed)], as_of=date(2024, 12, 31))
    columns = ["id", "unit", "level", "sector", "category", "qualification"]
    assert (
        found.tables["workforce"].frame[columns].equals(expected.tables["workforce"].frame[columns])
    )
    assert {i.code for i in found.issues if i.severity.value != "info"} == {
        "legacy_encoding_converted"
    }
