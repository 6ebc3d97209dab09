"""Rules of the workforce sheet beyond one cell: birth date and year, status, teachers, talent."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kpi_tritue.contract.bookkeeping import INVALID
from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import STATUS
from kpi_tritue.io.frames import at, item
from kpi_tritue.io.sheet_table import Reporter, SheetTable, report_rows
from kpi_tritue.model.issues import ParamValue, Severity

_TEACHER_PREFIX = "giao vien"


def check_workforce(table: SheetTable, reporter: Reporter) -> None:
    frame = table.frame
    ids = frame.get("id")
    _check_birth(table, reporter, ids)
    # Derived columns are always there, whether or not the sheet had their source column;
    # `SheetTable.present` still says what was reported.
    if "status" not in frame:
        frame["status"] = pd.Series(
            "active", index=frame.index, dtype=pd.CategoricalDtype(list(STATUS.codes))
        )
    frame["status"] = frame["status"].fillna("active")
    if "recruited_year" in frame:
        if "attracted_year" in frame:
            frame["attracted_year"] = frame["attracted_year"].fillna(frame["recruited_year"])
        else:
            frame["attracted_year"] = frame["recruited_year"]
    if "profession" not in frame:
        frame["profession_key"] = pd.Series(pd.NA, index=frame.index, dtype="object")
    else:
        professions = frame["profession"]
        codes, uniques = pd.factorize(professions, use_na_sentinel=True)
        folded = pd.Series([fold(str(u)) for u in uniques] + [""], dtype="object")
        frame["profession_key"] = folded.to_numpy()[codes]
        teacher = frame["profession_key"].str.startswith(_TEACHER_PREFIX)
        if "school_level" in frame:
            bad = teacher & frame["school_level"].isna() & ~frame[INVALID]
            report_rows(
                table, reporter, Severity.ERROR, "teacher_without_school_level", bad, "school_level"
            )
            frame[INVALID] |= bad
    if "talent" in frame:
        years = frame.get("attracted_year")
        no_year = frame["talent"].fillna(False).astype(bool)
        if years is not None:
            no_year &= years.isna()
        report_rows(table, reporter, Severity.INFO, "talent_without_year", no_year, "talent")


def _check_birth(table: SheetTable, reporter: Reporter, ids: pd.Series | None) -> None:
    frame = table.frame
    has_date, has_year = "birth_date" in frame, "birth_year" in frame
    date_year = (
        frame["birth_date"].dt.year.astype("Int64")
        if has_date
        else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    )
    stated_year = (
        frame["birth_year"] if has_year else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    )
    if has_date and has_year:
        disagree = (date_year != stated_year).fillna(False).astype(bool)

        def mismatch(index: Any) -> dict[str, ParamValue]:
            return {
                "value": int(item(stated_year, index)),
                "other": at(frame, index, "birth_date").strftime("%d/%m/%Y"),
            }

        report_rows(
            table, reporter, Severity.WARNING, "birth_mismatch", disagree, "birth_year", mismatch
        )
    effective = date_year.fillna(stated_year)
    key = "birth_date" if has_date else "birth_year"
    # A cell that failed to parse is already reported; a row with nothing at all is not.
    nothing = effective.isna() & ~frame[INVALID]
    report_rows(table, reporter, Severity.ERROR, "birth_blank", nothing, key)
    frame[INVALID] |= nothing
    frame["birth_year"] = effective
    if not has_date:
        frame["birth_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
