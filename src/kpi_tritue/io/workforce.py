"""Rules of the workforce sheet beyond one cell: birth date and year, status, teachers, talent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import BIRTH_YEAR_OF_DATE, INVALID
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
        codes, folded = _profession_keys(frame["profession"])
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


def _report_mismatch(
    table: SheetTable,
    reporter: Reporter,
    disagree: pd.Series,
    stated_year: pd.Series,
    date_year: pd.Series,
) -> None:
    """A warning at the `Năm sinh` cell of each row whose year is not its date's."""
    frame = table.frame

    def mismatch(index: Any) -> dict[str, ParamValue]:
        return {
            "value": int(item(stated_year, index)),
            "other": _date_shown(frame, date_year, index),
        }

    report_rows(
        table, reporter, Severity.WARNING, "birth_mismatch", disagree, "birth_year", mismatch
    )


def _check_birth(table: SheetTable, reporter: Reporter, ids: pd.Series | None) -> None:
    frame = table.frame
    has_date, has_year = "birth_date" in frame, "birth_year" in frame
    date_year, stated_year = _birth_years(frame)
    if has_date and has_year:
        disagree = (date_year != stated_year).fillna(False).astype(bool)
        _report_mismatch(table, reporter, disagree, stated_year, date_year)
    if BIRTH_YEAR_OF_DATE in frame:
        del frame[BIRTH_YEAR_OF_DATE]
    effective = date_year.fillna(stated_year)
    key = "birth_date" if has_date else "birth_year"
    # A cell that failed to parse is already reported; a row with nothing at all is not.
    nothing = effective.isna() & ~frame[INVALID]
    report_rows(table, reporter, Severity.ERROR, "birth_blank", nothing, key)
    frame[INVALID] |= nothing
    frame["birth_year"] = effective
    if not has_date:
        frame["birth_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")


def _profession_keys(professions: pd.Series) -> tuple[np.ndarray[Any, Any], pd.Series]:
    """Each row's code into the distinct professions folded (a blank is code -1, which
    indexes the last key, ""): each distinct text is folded once."""
    codes, uniques = pd.factorize(professions, use_na_sentinel=True)
    return codes, pd.Series([fold(str(u)) for u in uniques] + [""], dtype="object")


def _birth_years(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The year of each row's `Ngày sinh` and its `Năm sinh`, missing where the column is.

    A year written in the birth-date column (`values.birth_years`) is that column's year.
    """
    missing = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    date_year = frame["birth_date"].dt.year.astype("Int64") if "birth_date" in frame else missing
    if BIRTH_YEAR_OF_DATE in frame:
        date_year = date_year.fillna(frame[BIRTH_YEAR_OF_DATE].astype("Int64"))
    return date_year, frame.get("birth_year", missing)


def _date_shown(frame: pd.DataFrame, date_year: pd.Series, index: Any) -> str:
    """A row's birth date as a message quotes it; its year where only that was written."""
    born = at(frame, index, "birth_date")
    return str(int(item(date_year, index))) if pd.isna(born) else born.strftime("%d/%m/%Y")


# ---------------------------------------------------------------------------------------
# The same checks for every file of a run at once (issue 14): `check_workforce` is the
# rule as written, one table at a time; `check_workforce_all` computes each mask and
# derived column once over the run's rows, then hands each file its rows and its issues,
# in the order `check_workforce` reports them. A property test
# (`test_a_run_parsed_together_gives_each_file_as_read_alone`) holds the two equal.

# The columns the checks read: tables that have the same of them, of the same types, are
# checked together.
_READ = (
    "birth_date",
    BIRTH_YEAR_OF_DATE,
    "birth_year",
    "status",
    "recruited_year",
    "attracted_year",
    "profession",
    "school_level",
    "talent",
)


def check_workforce_all(parts: Sequence[tuple[SheetTable, Reporter]]) -> None:
    """`check_workforce` of each table with its reporter, the tables of the same columns
    checked together."""
    groups: dict[tuple[Any, ...], list[tuple[SheetTable, Reporter]]] = {}
    for table, reporter in parts:
        dtypes = dict(zip(table.frame.columns, table.frame.dtypes, strict=True))
        shape = tuple((key, repr(dtypes[key])) for key in _READ if key in dtypes)
        groups.setdefault(shape, []).append((table, reporter))
    for group in groups.values():
        if len(group) == 1:
            check_workforce(*group[0])
        else:
            _check_together(group)


def _check_together(group: list[tuple[SheetTable, Reporter]]) -> None:
    frames = [table.frame for table, _ in group]
    first = frames[0]
    present = [key for key in _READ if key in first]
    # Column by column: taking a sub-frame of each file would copy it first.
    whole = pd.DataFrame(
        {key: pd.concat([f[key] for f in frames], ignore_index=True) for key in [*present, INVALID]}
    )
    invalid = whole[INVALID].to_numpy(dtype=bool, copy=True)
    has_date, has_year = "birth_date" in whole, "birth_year" in whole
    date_year, stated_year = _birth_years(whole)
    disagree = (
        (date_year != stated_year).fillna(False).to_numpy(dtype=bool)
        if has_date and has_year
        else None
    )
    effective = date_year.fillna(stated_year)
    nothing = effective.isna().to_numpy(dtype=bool) & ~invalid
    invalid |= nothing
    derived: dict[str, Any] = {"birth_year": effective}
    if "status" in whole:
        derived["status"] = whole["status"].fillna("active")
    if "recruited_year" in whole:
        if "attracted_year" in whole:
            derived["attracted_year"] = whole["attracted_year"].fillna(whole["recruited_year"])
        else:
            derived["attracted_year"] = whole["recruited_year"]
    teacher_bad = None
    if "profession" in whole:
        codes, folded = _profession_keys(whole["profession"])
        keys = folded.to_numpy()[codes]
        derived["profession_key"] = keys
        if "school_level" in whole:
            # Each distinct profession looked at once (every key is text: a blank is "").
            starts = np.array([str(f).startswith(_TEACHER_PREFIX) for f in folded], dtype=bool)
            teacher = starts[codes]
            teacher_bad = teacher & whole["school_level"].isna().to_numpy(dtype=bool) & ~invalid
            invalid |= teacher_bad
    no_year = None
    if "talent" in whole:
        no_year = whole["talent"].fillna(False).astype(bool).to_numpy(dtype=bool, copy=True)
        years = derived.get("attracted_year", whole.get("attracted_year"))
        if years is not None:
            no_year &= years.isna().to_numpy(dtype=bool)
    start = 0
    for (table, reporter), frame in zip(group, frames, strict=True):
        stop = start + len(frame)
        mine = slice(start, stop)
        start = stop

        def cut(values: Any, frame: pd.DataFrame = frame, mine: slice = mine) -> Any:
            return None if values is None else pd.Series(values[mine], index=frame.index)

        _hand_out(table, reporter, frame, mine, derived, invalid, cut(disagree), cut(nothing))
        if teacher_bad is not None and teacher_bad[mine].any():
            report_rows(
                table,
                reporter,
                Severity.ERROR,
                "teacher_without_school_level",
                cut(teacher_bad),
                "school_level",
            )
        frame[INVALID] = invalid[mine].copy()
        if no_year is not None and no_year[mine].any():
            talent = cut(no_year)
            report_rows(table, reporter, Severity.INFO, "talent_without_year", talent, "talent")


def _hand_out(
    table: SheetTable,
    reporter: Reporter,
    frame: pd.DataFrame,
    mine: slice,
    derived: dict[str, Any],
    invalid: np.ndarray[Any, Any],
    disagree: pd.Series | None,
    nothing: pd.Series,
) -> None:
    """One file's birth issues and derived columns, as `check_workforce` leaves them."""
    has_date = "birth_date" in frame
    # A report of no row adds nothing (`Reporter.add_each`): it is not made.
    if disagree is not None and disagree.any():
        _report_mismatch(table, reporter, disagree, frame["birth_year"], _birth_years(frame)[0])
    if BIRTH_YEAR_OF_DATE in frame:
        del frame[BIRTH_YEAR_OF_DATE]
    key = "birth_date" if has_date else "birth_year"
    if nothing.any():
        report_rows(table, reporter, Severity.ERROR, "birth_blank", nothing, key)
    frame["birth_year"] = derived["birth_year"].iloc[mine].set_axis(frame.index)
    if not has_date:
        frame["birth_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if "status" not in frame:
        frame["status"] = pd.Series(
            "active", index=frame.index, dtype=pd.CategoricalDtype(list(STATUS.codes))
        )
    else:
        frame["status"] = derived["status"].iloc[mine].set_axis(frame.index)
    if "attracted_year" in derived:
        frame["attracted_year"] = derived["attracted_year"].iloc[mine].set_axis(frame.index)
    if "profession_key" not in derived:
        frame["profession_key"] = pd.Series(pd.NA, index=frame.index, dtype="object")
    else:
        frame["profession_key"] = derived["profession_key"][mine].copy()
