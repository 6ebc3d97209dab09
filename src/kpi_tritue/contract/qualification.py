"""A qualification written with its specialty, read by its leading degree words.

Official lists write the level and the specialty in one cell: `ThS. Quản lý kinh tế`,
`Bác sĩ CKI Nội`, `Cử nhân Kinh tế` (official-lists.md, section 1; settled detail 5). An
exact category value or synonym (`Đại học`, `Chưa qua đào tạo`) is tried first; then the
level is read from the longest table phrase that is a whole-word prefix of the text, both
folded (`normalize.fold`: case, diacritics and punctuation such as `.` and `,` do not
count). The rest is the specialty, which is not used. A degree word followed by
`trung cấp`, `trung học` or `cao đẳng` (`Dược sĩ trung học`) names no one level.
"""

from __future__ import annotations

from functools import cached_property

from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import QUALIFICATION, EnumSpec

# The table of leading words, as the spec writes it, with the settled extra spellings
# (`bs ck i`, `bs ck ii`, `th s`, `bác sỹ`, `dược sỹ`, `kĩ sư`). Level code → phrases.
# fmt: off
LEADING_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("doctorate", ("tiến sĩ", "tiến sỹ", "ts", "phd", "ph d")),
    (
        "specialist_2",
        ("chuyên khoa ii", "ck ii", "ckii", "ck2", "bác sĩ chuyên khoa ii", "bác sĩ ckii",
         "bs ckii", "bs ck ii"),
    ),
    ("resident", ("bác sĩ nội trú", "bsnt")),
    (
        "specialist_1",
        ("chuyên khoa i", "ck i", "cki", "ck1", "bác sĩ chuyên khoa i", "bác sĩ cki", "bs cki",
         "bs ck i"),
    ),
    ("master", ("thạc sĩ", "thạc sỹ", "ths", "th s")),
    (
        "bachelor",
        ("đại học", "đh", "cử nhân", "cn", "kỹ sư", "kĩ sư", "ks", "kiến trúc sư", "bác sĩ",
         "bác sỹ", "bs", "dược sĩ", "dược sỹ"),
    ),
    ("college", ("cao đẳng", "cđ")),
    ("intermediate", ("trung cấp", "tc")),
    ("elementary", ("sơ cấp",)),
)
# fmt: on

# A doctor's title before a specialist or resident phrase (`Bác sỹ CK2 Nội`, `BS nội
# trú`): every spelling of the title goes with every phrase of those rows, so that the
# title alone (Đại học) never wins over the longer phrase that names the higher level.
DOCTOR_WORDS: tuple[str, ...] = ("bác sĩ", "bác sỹ", "bs")
AFTER_DOCTOR: dict[str, tuple[str, ...]] = {
    "specialist_2": ("chuyên khoa ii", "ck ii", "ckii", "ck2"),
    "specialist_1": ("chuyên khoa i", "ck i", "cki", "ck1"),
    "resident": ("nội trú",),
}

# Words after a degree word that leave the level open: `Dược sĩ trung học` (a pharmacist
# trained at secondary level), `Kỹ sư cao đẳng`.
AMBIGUOUS_AFTER: tuple[str, ...] = ("trung cấp", "trung học", "cao đẳng")

QUALIFICATION_AMBIGUOUS = "qualification_ambiguous"


class LeadingWords:
    """The table folded: each phrase as a tuple of words, its level, and the longest."""

    def __init__(self, enum: EnumSpec = QUALIFICATION) -> None:
        self.enum = enum

    @cached_property
    def phrases(self) -> dict[tuple[str, ...], str]:
        table: dict[tuple[str, ...], str] = {}
        rows = [*LEADING_WORDS]
        rows += [
            (code, tuple(f"{doctor} {phrase}" for doctor in DOCTOR_WORDS for phrase in phrases))
            for code, phrases in AFTER_DOCTOR.items()
        ]
        for code, spellings in rows:
            for spelling in spellings:
                words = tuple(fold(spelling).split())
                if table.setdefault(words, code) != code:
                    raise ValueError(f"{spelling!r} names two levels")
        return table

    @cached_property
    def longest(self) -> int:
        return max(len(words) for words in self.phrases)

    @cached_property
    def ambiguous(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(fold(words).split()) for words in AMBIGUOUS_AFTER)

    def read(self, text: str) -> tuple[str | None, str | None]:
        """The level's code and None, or None and the problem (`bad_enum` when no
        phrase leads the text, `QUALIFICATION_AMBIGUOUS` when the level is open)."""
        folded = fold(text)
        exact = self.enum.lookup.get(folded)
        if exact is not None:
            return exact, None
        words = tuple(folded.split())
        for size in range(min(self.longest, len(words)), 0, -1):
            code = self.phrases.get(words[:size])
            if code is None:
                continue
            rest = words[size:]
            if any(rest[: len(after)] == after for after in self.ambiguous):
                return None, QUALIFICATION_AMBIGUOUS
            return code, None
        return None, "bad_enum"


READER = LeadingWords()


def read_qualification(text: str) -> tuple[str | None, str | None]:
    """`LeadingWords.read` with the shipped category values and table."""
    return READER.read(text)
