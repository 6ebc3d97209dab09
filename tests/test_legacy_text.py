import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_tritue.legacy_text import LegacyEncoding, legacy_encoding


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
    words = text.split()
    # Real syllables never pair a bare vowel with a toned one; random strings do, so only
    # syllables with at most one vowel group are checked.
    for word in words:
        vowels = [
            c
            for c in word.lower()
            if c in "aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
        ]
        if len(vowels) <= 1:
            assert legacy_encoding(word) is None
