"""Rules of the workforce sheet beyond one cell: birth date and year, status, teachers, talent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import BIRTH_YEAR_OF_DATE, INVALID
from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import STATUS
from kpi_tritue.io.column_batch import SharedRows, dtype_key, height, row_pieces, stacked
from kpi_tritue.io.frames import at, item
from kpi_tritue.io.sheet_table import TOGETHER, Reporter, SheetTable, report_rows
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
        frame["profession_key"] = _profession_key_column(codes, folded, frame.index)
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


def _profession_key_column(
    codes: np.ndarray[Any, Any], folded: pd.Series, index: pd.Index
) -> pd.Series:
    """`profession_key` from `_profession_keys`: each row's profession folded, "" where
    blank, as text (`str`). The rows take their key in Arrow, not one Python string each
    (0.1 s at 1,048,575 rows)."""
    import pyarrow as pa

    keys = pa.array(folded.tolist(), type=pa.large_string())
    rows = keys.take(pa.array(np.where(codes < 0, len(keys) - 1, codes)))
    return pd.Series(rows, index=index, dtype="str")


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
# rule as written, one table at a time; `check_workforce_all` puts the frames of the
# files together once, applies each rule once over the run's rows, gives each file back
# its own rows of the result, and reports in each file's reporter, in the order
# `check_workforce` reports them, only for the files that have an issue of that code.
# A property test (`test_workforce_checked_once_for_a_run_is_checked_as_table_by_table`)
# holds the two equal.


def check_workforce_all(
    parts: Sequence[tuple[SheetTable, Reporter]], *, together: int | None = None
) -> None:
    """`check_workforce` of each table with its reporter; the tables of the same columns,
    of the same types, checked together, `together` at most at once (default
    `sheet_table.TOGETHER`, as the parse keeps tables together; each table then keeps
    its rows of their frame, `SheetTable.shared`)."""
    together = together or TOGETHER
    groups: dict[tuple[Any, ...], list[tuple[SheetTable, Reporter]]] = {}
    # A column's type by the id of its dtype (the parse gives a run's files the same
    # one), kept alive while the ids are used.
    seen: dict[int, tuple[Any, Any]] = {}
    # The shared frames by whose ids tables are grouped, kept alive as well.
    wholes: list[pd.DataFrame] = []
    for position, (table, reporter) in enumerate(parts):
        rows = table.shared
        # A sheet without a row is checked alone: its columns are typed from no value.
        shape: tuple[Any, ...] = ("alone", position)
        if rows is not None and table.height:
            # Kept with others as rows of one frame: checked with them (of its columns
            # and types, by its making), without a frame of its own.
            shape = ("shared", id(rows.whole))
            wholes.append(rows.whole)
        elif table.height:
            frame = table.frame
            types = []
            for dtype in frame.dtypes:
                known = seen.get(id(dtype))
                if known is None:
                    known = seen[id(dtype)] = (dtype, dtype_key(dtype))
                types.append(known[1])
            shape = (tuple(frame.columns), tuple(types))
        groups.setdefault(shape, []).append((table, reporter))
    for group in groups.values():
        if len(group) == 1:
            check_workforce(*group[0])
            continue
        for start in range(0, len(group), together):
            _check_together(group[start : start + together])


def _check_together(group: list[tuple[SheetTable, Reporter]]) -> None:
    items = [table.shared or table.frame for table, _ in group]
    indexes = [table.index for table, _ in group]
    # Put together column by column (`column_batch.stacked`), not by `pd.concat`, whose
    # own checks cost more than the join on frames of a hundred rows; rows kept together
    # already taken at once (`row_pieces`).
    pieces = row_pieces(items)
    whole = stacked(pieces, range(len(pieces)), None)
    sizes = np.array([height(item) for item in items], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    # The rules over the run's rows, as `check_workforce` applies them to one frame.
    has_date, has_year = "birth_date" in whole, "birth_year" in whole
    date_year, stated_year = _birth_years(whole)
    disagree = (
        (date_year != stated_year).fillna(False).to_numpy(dtype=bool)
        if has_date and has_year
        else None
    )
    if BIRTH_YEAR_OF_DATE in whole:
        del whole[BIRTH_YEAR_OF_DATE]
    effective = date_year.fillna(stated_year)
    invalid = whole[INVALID].to_numpy(dtype=bool, copy=True)
    nothing = effective.isna().to_numpy(dtype=bool) & ~invalid
    invalid |= nothing
    whole["birth_year"] = effective
    if not has_date:
        whole["birth_date"] = pd.Series(pd.NaT, index=whole.index, dtype="datetime64[ns]")
    if "status" not in whole:
        whole["status"] = pd.Series(
            "active", index=whole.index, dtype=pd.CategoricalDtype(list(STATUS.codes))
        )
    whole["status"] = whole["status"].fillna("active")
    if "recruited_year" in whole:
        if "attracted_year" in whole:
            whole["attracted_year"] = whole["attracted_year"].fillna(whole["recruited_year"])
        else:
            whole["attracted_year"] = whole["recruited_year"]
    teacher_bad = None
    if "profession" not in whole:
        whole["profession_key"] = pd.Series(pd.NA, index=whole.index, dtype="object")
    else:
        codes, folded = _profession_keys(whole["profession"])
        whole["profession_key"] = _profession_key_column(codes, folded, whole.index)
        if "school_level" in whole:
            # Each distinct profession looked at once (every key is text: a blank is "").
            starts_with = [str(f).startswith(_TEACHER_PREFIX) for f in folded]
            teacher = np.array(starts_with, dtype=bool)[codes]
            teacher_bad = teacher & whole["school_level"].isna().to_numpy(dtype=bool) & ~invalid
            invalid |= teacher_bad
    whole[INVALID] = invalid
    no_year = None
    if "talent" in whole:
        no_year = whole["talent"].fillna(False).astype(bool).to_numpy(dtype=bool, copy=True)
        years = whole.get("attracted_year")
        if years is not None:
            no_year &= years.isna().to_numpy(dtype=bool)
    # Each file's rows of the result, and its issues where it has any.
    key = "birth_date" if has_date else "birth_year"
    found = [
        (disagree, None),
        (nothing, (Severity.ERROR, "birth_blank", key)),
        (teacher_bad, (Severity.ERROR, "teacher_without_school_level", "school_level")),
        (no_year, (Severity.INFO, "talent_without_year", "talent")),
    ]
    hits = [None if mask is None else np.add.reduceat(mask, starts) > 0 for mask, _ in found]
    for position, ((table, reporter), index) in enumerate(zip(group, indexes, strict=True)):
        mine = slice(int(starts[position]), int(starts[position] + sizes[position]))
        for (mask, how), some in zip(found, hits, strict=True):
            if mask is None or some is None or not some[position]:
                continue
            where = pd.Series(mask[mine], index=index)
            if how is None:
                stated = stated_year.iloc[mine].set_axis(index)
                dated = date_year.iloc[mine].set_axis(index)
                _report_mismatch(table, reporter, where, stated, dated)
            else:
                report_rows(table, reporter, how[0], how[1], where, how[2])
        table.share(SharedRows(whole, mine.start, mine.stop, index))
