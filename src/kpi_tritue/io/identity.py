"""A person listed twice in `NhanSu` sheets without `Mã`: found by name, birth date and sex.

Official lists carry no ID (`STT` only numbers the rows). Where a sheet has no `Mã`
column, a person's identity is their full name (NFC, case-folded, white space collapsed,
diacritics kept: `Hùng` is not `Hưng`), with the birth date (or year) and sex
(official-lists.md, section 1 and settled details 2 and 3):

- rows with no name or no birth year are not compared;
- full dates are compared where both rows have one, otherwise the years;
- sex is compared only where both rows have it;
- two rows that both come from sheets with `Mã` are compared by `Mã` alone
  (`duplicates.py`), not here;
- a match on the full date is an error (`duplicate_person`, the later row invalid), on
  the year alone a warning (`duplicate_person_year`): common names collide.

Each later row is reported once, at its `Họ và tên` cell, against the earliest row it
matches (an error match before a warning one). Messages cite cells, never the name.

The names never enter a frame: while the sheet is read (`add_identity`), each name is
folded and hashed into `IDENTITY`, a number equal for equal names, which only this check
reads and which `check_identity` drops from the run's table once done. No issue carries
it. `identity_matches` finds the matches in pandas group by group;
`identity_matches_plain` is the rule row by row, and a property test
(tests/test_identity.py) holds the two equal.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import INVALID
from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.io.headers import Header
from kpi_tritue.io.sheet_table import SheetTable
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.model.issues import (
    MAX_ISSUES_PER_CODE,
    Issue,
    IssueLog,
    Location,
    Severity,
    column_letter,
)
from kpi_tritue.model.sources import Source

# The hashed identity of a row's name (never the name): an integer, NA without a name.
IDENTITY = "_identity"
FULL_NAME = "full_name"
ERROR_CODE = "duplicate_person"
WARNING_CODE = "duplicate_person_year"

_SPACES = re.compile(r"\s+")


def name_key(name: object) -> str:
    """A name as identities compare it: NFC, case-folded, white space collapsed; "" for
    none. Diacritics are kept: `Hùng` and `Hưng` are two people."""
    if not isinstance(name, str):
        if name is None or name is pd.NA or (isinstance(name, float) and math.isnan(name)):
            return ""
        name = str(name)
    folded = unicodedata.normalize("NFC", name).casefold()
    return _SPACES.sub(" ", unicodedata.normalize("NFC", folded)).strip()


def identity_codes(names: pd.Series) -> pd.Series:
    """Each name's key hashed to an integer (NA where there is no name): each distinct
    cell is folded once."""
    codes, uniques = pd.factorize(names.astype("object"), use_na_sentinel=True)
    keys = np.asarray([name_key(value) for value in uniques], dtype=object)
    hashed = pd.util.hash_array(keys).view("int64") if len(keys) else np.empty(0, "int64")
    blank = np.asarray([key == "" for key in keys], dtype=bool)
    values = np.zeros(len(codes), dtype="int64")
    mask = codes < 0
    known = ~mask
    values[known] = hashed[codes[known]]
    mask[known] |= blank[codes[known]]
    return pd.Series(pd.arrays.IntegerArray(values, mask), index=names.index)


def add_identity(table: SheetTable, data: pd.DataFrame, header: Header) -> None:
    """Give a `NhanSu` table its rows' identities (`IDENTITY`) and the letter of its name
    column, from the sheet's raw `Họ và tên` cells; nothing without such a column."""
    col = header.columns.get(FULL_NAME)
    if col is None or table.spec.key != WORKFORCE.key:
        return
    table.frame[IDENTITY] = identity_codes(data[col]).set_axis(table.frame.index)
    table.letters[FULL_NAME] = column_letter(col)


# ---------------------------------------------------------------------------------------
# The matches


def _columns(table: Table) -> pd.DataFrame:
    """What a match needs, one row per row of the table, positions 0…n-1: `name` (a code,
    -1 for none), `date` (a code, -1 for none), `year` (-1 for none), `sex` (a code, -1 for
    none), `with_id` (the row's sheet has a `Mã` column)."""
    frame = table.frame
    index = pd.RangeIndex(len(frame))
    name = _codes(frame[IDENTITY]) if IDENTITY in frame else np.full(len(frame), -1)
    if "birth_date" in frame:
        dates = pd.to_datetime(frame["birth_date"], errors="coerce")
        date = _codes(dates.dt.normalize())
        year = dates.dt.year.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
    else:
        date = np.full(len(frame), -1)
        year = np.full(len(frame), np.nan)
    if "birth_year" in frame:
        stated = pd.to_numeric(frame["birth_year"], errors="coerce").astype("Float64")
        year = np.where(np.isnan(year), stated.to_numpy(dtype="float64", na_value=np.nan), year)
    sex = _codes(frame["sex"]) if "sex" in frame else np.full(len(frame), -1)
    files = frame[FILE].to_numpy(dtype="int64")
    having = np.asarray(
        [f in table.letters and "id" in table.letters[f] for f in range(int(files.max()) + 1)]
    )
    return pd.DataFrame(
        {
            "name": name,
            "date": date,
            "year": np.where(np.isnan(year), -1, year).astype("int64"),
            "sex": sex,
            "with_id": having[files],
        },
        index=index,
    )


def _codes(column: pd.Series) -> np.ndarray[Any, Any]:
    """Equal values as equal integers; -1 for a blank."""
    return np.asarray(pd.factorize(column.astype("object"), use_na_sentinel=True)[0], "int64")


def _same_person(rows: pd.DataFrame, i: int, j: int) -> Severity | None:
    """The rule for one pair: an error, a warning, or no match."""
    a, b = rows.iloc[i], rows.iloc[j]
    if a["name"] < 0 or a["year"] < 0 or b["name"] < 0 or b["year"] < 0:
        return None
    if a["name"] != b["name"] or (a["with_id"] and b["with_id"]):
        return None
    if a["sex"] >= 0 and b["sex"] >= 0 and a["sex"] != b["sex"]:
        return None
    if a["date"] >= 0 and b["date"] >= 0:
        return Severity.ERROR if a["date"] == b["date"] else None
    return Severity.WARNING if a["year"] == b["year"] else None


Matches = tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]


def identity_matches_plain(rows: pd.DataFrame) -> Matches:
    """(later rows, the earliest row each matches, whether the match is an error), in the
    order of the later rows: the rule as written, pair by pair."""
    others: list[int] = []
    firsts: list[int] = []
    errors: list[bool] = []
    by_name: dict[int, list[int]] = {}
    for j in range(len(rows)):
        earlier = by_name.setdefault(int(rows["name"].iloc[j]), [])
        found: dict[Severity, int] = {}
        for i in earlier:
            severity = _same_person(rows, i, j)
            if severity is not None:
                found.setdefault(severity, i)
        earlier.append(j)
        for severity in (Severity.ERROR, Severity.WARNING):
            if severity in found:
                others.append(j)
                firsts.append(found[severity])
                errors.append(severity is Severity.ERROR)
                break
    return (
        np.asarray(others, dtype="int64"),
        np.asarray(firsts, dtype="int64"),
        np.asarray(errors, dtype=bool),
    )


# The kinds of row within a group of one name and date (or year): sex (blank, or the code
# of a sex: the rows' codes are 0, 1, … so one kind per code), and whether the sheet has
# `Mã`, and (for years) whether the row has a full date.


def _earliest(rows: pd.DataFrame, group: list[str], dated_apart: bool) -> np.ndarray[Any, Any]:
    """For each row, the earliest earlier row of its group (`group` columns equal) that it
    may match: sex the same or either blank, not both with `Mã`, and when `dated_apart`,
    not both with a full date. -1 where none."""
    n = len(rows)
    position = np.arange(n, dtype="float64")
    sexes = sorted(set(rows["sex"].tolist()) - {-1})
    dated = [False, True] if dated_apart else [None]
    best = np.full(n, np.inf)
    keys = [rows[c] for c in group]
    for sex in [-1, *sexes]:
        for with_id in (False, True):
            for has_date in dated:
                kind = (rows["sex"] == sex) & (rows["with_id"] == with_id)
                if has_date is not None:
                    kind &= (rows["date"] >= 0) == has_date
                if not kind.any():
                    continue
                first = (
                    pd.Series(np.where(kind, position, np.nan))
                    .groupby(keys, sort=False)
                    .transform("min")
                    .to_numpy(dtype="float64", na_value=np.nan)
                )
                may = (first < position) & ~(rows["with_id"].to_numpy() & with_id)
                if sex >= 0:
                    may &= (rows["sex"].to_numpy() == sex) | (rows["sex"].to_numpy() < 0)
                if has_date:
                    may &= rows["date"].to_numpy() < 0
                best = np.where(may & (first < best), first, best)
    return np.where(np.isinf(best), -1, best).astype("int64")


def identity_matches(rows: pd.DataFrame) -> Matches:
    """`identity_matches_plain`, group by group in pandas: a kind's earliest row in each
    group is one `groupby().transform("min")`, a dozen of them for a sheet."""
    usable = (rows["name"] >= 0) & (rows["year"] >= 0)
    # Only names seen twice can match: the common case is decided here.
    usable &= rows["name"].where(usable).duplicated(keep=False) & usable
    if not usable.any():
        empty = np.empty(0, dtype="int64")
        return empty, empty, np.empty(0, dtype=bool)
    taken = np.flatnonzero(usable.to_numpy())
    part = rows.iloc[taken].reset_index(drop=True)
    on_date = part["date"] >= 0
    error_first = np.full(len(part), -1, dtype="int64")
    if on_date.sum() > 1:
        dated = np.flatnonzero(on_date.to_numpy())
        found = _earliest(part.iloc[dated].reset_index(drop=True), ["name", "date"], False)
        error_first[dated] = np.where(found >= 0, dated[found], -1)
    warning_first = _earliest(part, ["name", "year"], True)
    later = (error_first >= 0) | (warning_first >= 0)
    errors = error_first >= 0
    firsts = np.where(errors, error_first, warning_first)
    return taken[later], taken[firsts[later]], errors[later]


# ---------------------------------------------------------------------------------------
# The check


def check_identity(
    table: Table, sources: list[Source], issues: list[Issue], limit: int = MAX_ISSUES_PER_CODE
) -> None:
    """Report the people listed twice by name, birth date and sex (see the module), mark
    the rows of an error invalid, and drop the identities from the table."""
    frame = table.frame
    if IDENTITY not in frame:
        return
    # Two rows that both come from sheets with `Mã` are compared by `Mã` alone (settled
    # 3): when every sheet of the run has it, no pair is compared by name at all.
    if not frame.empty and not _every_sheet_has_id(table):
        rows = _columns(table)
        others, firsts, errors = identity_matches(rows)
        if len(others):
            invalid = frame[INVALID].to_numpy(dtype=bool, copy=True)
            invalid[others[errors]] = True
            frame[INVALID] = invalid
            _report(table, sources, issues, limit, others, firsts, errors)
    table.frame = frame.drop(columns=IDENTITY)


def _every_sheet_has_id(table: Table) -> bool:
    files = np.unique(table.frame[FILE].to_numpy(dtype="int64")).tolist()
    return all("id" in table.letters.get(file, {}) for file in files)


def _report(
    table: Table,
    sources: list[Source],
    issues: list[Issue],
    limit: int,
    others: np.ndarray[Any, Any],
    firsts: np.ndarray[Any, Any],
    errors: np.ndarray[Any, Any],
) -> None:
    """One issue per later row, the first `limit` of each code in each file built."""
    files = table.frame[FILE].to_numpy(dtype="int64")
    place = files[others] * 2 + errors
    rank = pd.Series(place).groupby(place).cumcount().to_numpy()
    counts = pd.Series(place).value_counts()
    log = IssueLog(limit)
    for n in np.flatnonzero(rank <= limit).tolist():
        severity = Severity.ERROR if errors[n] else Severity.WARNING
        code = ERROR_CODE if errors[n] else WARNING_CODE
        if rank[n] < limit:
            log.append(_issue(table, sources, severity, code, int(others[n]), int(firsts[n])))
        elif rank[n] == limit:
            file_index, sheet, row = table.where(int(table.frame.index[others[n]]))
            path = sources[file_index].path
            log.omit(severity, code, path, sheet, int(counts[place[n]]) - limit, row)
    issues.extend(log.issues)


def _location(table: Table, sources: list[Source], position: int) -> Location:
    file_index, sheet, row = table.where(int(table.frame.index[position]))
    return Location(
        file=sources[file_index].path,
        sheet=sheet,
        row=row,
        column=table.spec.column(FULL_NAME).header,
        cell=table.cell(file_index, FULL_NAME, row),
    )


def _cited(place: Location, seen_from: str | None) -> str:
    """`Sheet!C12`, with the file's shown name before it when it is another file."""
    where = f"{place.sheet}!{place.cell or place.row}"
    return where if place.file == seen_from else f"{place.file} › {where}"


def _issue(
    table: Table, sources: list[Source], severity: Severity, code: str, other: int, first: int
) -> Issue:
    """The issue of a later row, at its name cell, citing the first row's name cell (with
    the file's shown name when it is another file's)."""
    here, there = _location(table, sources, other), _location(table, sources, first)
    issue = Issue(
        severity,
        code,
        file=here.file,
        sheet=here.sheet,
        row=here.row,
        column=here.column,
        cell=here.cell,
        params={"other": _cited(there, here.file)},
    )
    return replace(issue, related=there) if there.file != here.file else issue


__all__ = [
    "IDENTITY",
    "add_identity",
    "check_identity",
    "identity_codes",
    "identity_matches",
    "identity_matches_plain",
    "name_key",
]
