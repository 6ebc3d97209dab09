"""What `kpi explain` finds: one indicator's result and the rows and figures behind it.

`engine.explain` fills an `Explanation` from the engine's own masks and figure choice, so
its rows always add up to the result's numerator and denominator. These are the frozen
results only; `render/explain.py` shows them. No personal name is ever in a frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal, Protocol, get_args

from kpi_tritue.i18n import Lang
from kpi_tritue.model.results import IndicatorResult, Note

if TYPE_CHECKING:
    import pandas as pd

Side = Literal["numerator", "denominator"]
CountedIn = Literal["numerator+denominator", "denominator", "numerator"]
COUNTED_IN: tuple[CountedIn, ...] = get_args(CountedIn)
Kind = Literal["ratio", "unit_norm", "milestone"]
ROW_COLUMNS = ("file", "sheet", "row", "id", "unit", "counted_in")
# Beside `ROW_COLUMNS` when a row was counted through a leadership flag derived from its
# position: the position's text, and the (flag, phrase) pairs of the rules that matched.
ROLE_COLUMNS = ("position", "role")
UNIT_COLUMNS = ("file", "sheet", "row", "unit", "people", "qualifying", "share", "norm", "meets")


class SourceFile(Protocol):
    """A file the rows were read from (`model.sources.Source` is one)."""

    @property
    def path(self) -> str: ...

    @property
    def sha256(self) -> str: ...


@dataclass(frozen=True)
class Bilingual:
    """A sentence in both languages of the tool."""

    vi: str
    en: str

    def get(self, lang: Lang) -> str:
        return self.vi if lang == "vi" else self.en


@dataclass(frozen=True)
class Conditions:
    """What the numerator and the denominator take, as people read the catalog's filters."""

    numerator: Bilingual | None
    denominator: Bilingual | None


@dataclass(frozen=True)
class FigureUsed:
    """One `SoLieu` row that went into an amount (amount = value × weight).

    A figure made of area rows (no province row) lists each of them. A figure that is
    absent but has a default lists the default, with `default` set and no place.
    """

    counted_in: Side
    metric: str
    value: float
    weight: float
    year: int | None = None
    area: str | None = None
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    cell: str | None = None
    default: bool = False

    @property
    def amount(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True)
class MilestoneRow:
    """The `MocCongViec` row a milestone's state was read from."""

    milestone: str
    state: str
    file: str
    sheet: str
    row: int


@dataclass(frozen=True, eq=False)
class Explanation:
    """One indicator's result and everything it was computed from.

    `rows` has the columns `ROW_COLUMNS`, sorted by file, sheet and row: one line per row
    of a sheet that a count of the numerator or the denominator takes (`counted_in` says
    which), so the lines with "numerator" in `counted_in` are the rows counted in the
    numerator. `id` is the row's key (`Mã` of NhanSu, `Chuyên khoa` of KipChuyenSau);
    `unit` is blank where the sheet has none. For `unit_norm` the rows are DonVi rows and
    `units` the per-unit arithmetic (columns `UNIT_COLUMNS`). When a row of `NhanSu` was
    counted through a leadership flag derived from its position, `rows` also has
    `ROLE_COLUMNS` (`has_roles`), blank on the other rows.
    """

    result: IndicatorResult
    kind: Kind
    catalog: str
    as_of: date
    report_year: int
    sources: tuple[SourceFile, ...]
    conditions: Conditions
    rows: pd.DataFrame
    # Keys of the sheets whose rows are counted (`workforce`, `specialist_teams`, `units`).
    sheets: tuple[str, ...] = ()
    figures: tuple[FigureUsed, ...] = ()
    units: pd.DataFrame | None = None
    milestone: MilestoneRow | None = None
    # The `SoLieu` figures of an override were used instead of counting rows.
    override: bool = False

    @property
    def note(self) -> Note | None:
        """Why the value is what it is: what is missing for no_data, what was used instead."""
        return self.result.measurement.note

    @property
    def has_roles(self) -> bool:
        """Whether some row was counted through a flag derived from its position."""
        return "role" in self.rows and bool(self.rows["role"].notna().any())

    def counted(self, side: Side) -> int:
        """How many rows count in `side`."""
        return int(self.rows["counted_in"].str.contains(side, regex=False).sum())

    def figure_amount(self, side: Side) -> float:
        """The part of `side` that comes from `SoLieu` figures."""
        return math.fsum(f.amount for f in self.figures if f.counted_in == side)


__all__ = [
    "COUNTED_IN",
    "ROLE_COLUMNS",
    "ROW_COLUMNS",
    "UNIT_COLUMNS",
    "Bilingual",
    "Conditions",
    "CountedIn",
    "Explanation",
    "FigureUsed",
    "Kind",
    "MilestoneRow",
    "Side",
    "SourceFile",
]
