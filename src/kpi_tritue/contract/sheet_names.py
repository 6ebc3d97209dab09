"""The workforce sheet's names, apart from the pydantic contract that uses them.

`read_ahead.prefetch` matches them to start parsing the sheet before pydantic (and pandas) are
imported: importing pydantic first would hold the parse back by a third of a second.
"""

from __future__ import annotations

from kpi_tritue.contract.normalize import fold

WORKFORCE_KEY = "workforce"
WORKFORCE_NAME = "NhanSu"
WORKFORCE_EN = "Workforce"
WORKFORCE_ALIASES = ("Nhân sự", "staff")


def is_workforce_sheet(name: str) -> bool:
    """Whether a sheet is the workforce sheet, by the contract's matching rules."""
    spellings = (WORKFORCE_KEY, WORKFORCE_NAME, WORKFORCE_EN, *WORKFORCE_ALIASES)
    return fold(name) in {fold(spelling) for spelling in spellings}
