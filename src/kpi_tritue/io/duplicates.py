"""Rows repeated in a sheet over all the files of a run: refused, merged or accepted once.

`check_duplicates` judges every repeated row at once, in numpy; `check_duplicates_plain`
is the rule as written, row by row, and a property test (tests/test_fast_paths.py) holds
the two equal on generated input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import INVALID
from kpi_tritue.contract.normalize import unit_keys
from kpi_tritue.contract.schema import METRIC, UNITS, WORKFORCE, ValueType
from kpi_tritue.io.frames import at
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.model.issues import MAX_ISSUES_PER_CODE, Issue, IssueLog, Location, Severity
from kpi_tritue.model.sources import Source


def _key_frame(table: Table) -> pd.DataFrame:
    frame = table.frame
    keys = pd.DataFrame(index=frame.index)
    for key in table.spec.row_key:
        if key not in frame:
            keys[key] = ""
            continue
        if table.spec.column(key).type is ValueType.TEXT:
            keys[key] = unit_keys(frame[key]).fillna("")
        else:
            keys[key] = frame[key].astype("object").fillna("").astype(str)
    return keys


def _comparable(table: Table) -> pd.Series:
    """The rows whose key is checked for repeats.

    A person's `Mã` is checked whatever else is wrong with the row: the same ID twice is
    an error of its own, to be reported in the same run as the row's other errors. Other
    sheets compare their repeated rows' values to decide (merged, accepted once, or in
    conflict), which a row with an invalid value cannot take part in.
    """
    invalid = table.frame[INVALID]
    if table.spec.key == WORKFORCE.key:
        return pd.Series(True, index=invalid.index)
    return ~invalid


def _key_text(table: Table, index: int) -> str:
    parts: list[str] = []
    for key in table.spec.row_key:
        if key not in table.frame:
            continue
        value = at(table.frame, index, key)
        if pd.isna(value):
            continue
        if key == "metric":
            value = METRIC.label(str(value), "vi")
        parts.append(str(value))
    return " / ".join(parts)


def _where_text(table: Table, sources: list[Source], index: int, seen_from: int) -> str:
    """Where the first of a duplicated pair is: `Sheet!A12`, with the file if another one."""
    file_index, sheet, row = table.where(index)
    key = table.spec.row_key[0]
    place = f"{sheet}!{table.cell(file_index, key, row) or row}"
    return place if file_index == seen_from else f"{sources[file_index].path} › {place}"


def _duplicate_issue(
    table: Table, sources: list[Source], severity: Severity, code: str, index: int, first: int
) -> Issue:
    """The issue of a repeated row (`index`) at its ID cell, naming where its first is."""
    file_index, sheet, row = table.where(index)
    key = table.spec.row_key[0]
    first_file, first_sheet, first_row = table.where(first)
    related = None
    if first_file != file_index:
        # Each file's annotated copy marks its own cell of the pair.
        related = Location(
            file=sources[first_file].path,
            sheet=first_sheet,
            row=first_row,
            column=table.spec.column(key).header,
            cell=table.cell(first_file, key, first_row),
        )
    return Issue(
        severity,
        code,
        file=sources[file_index].path,
        sheet=sheet,
        row=row,
        column=table.spec.column(key).header,
        cell=table.cell(file_index, key, row),
        params={
            "id": str(at(table.frame, index, key)),
            "key": _key_text(table, index),
            "other": _where_text(table, sources, first, file_index),
        },
        related=related,
    )


# The verdicts on a repeated row (`_duplicate_verdict`), by their index in the fast path.
_VERDICTS: tuple[tuple[str, Severity], ...] = (
    ("duplicate_id", Severity.ERROR),
    ("conflicting_row", Severity.ERROR),
    ("duplicate_row", Severity.ERROR),
    ("repeated_row_merged", Severity.INFO),
)
_DUPLICATE_ID, _CONFLICTING, _DUPLICATE_ROW, _MERGED = range(len(_VERDICTS))
_IS_ERROR = np.asarray([severity is Severity.ERROR for _, severity in _VERDICTS])


def check_duplicates(
    table: Table, sources: list[Source], issues: list[Issue], limit: int = MAX_ISSUES_PER_CODE
) -> None:
    """The same person, figure or unit twice: refused, merged or accepted once (see spec).

    The rule is `check_duplicates_plain`'s, row by row; here every repeated row is judged
    at once in numpy, so that a million copies of one unit take a second, not twenty
    minutes. Issues are built only for the first `limit` of each code in each sheet (the
    others are counted in one `more_issues` summary, as `capped` would leave them), but
    every row's verdict is applied: errors marked invalid, repeats dropped, units merged.
    """
    frame = table.frame
    if frame.empty or not table.spec.row_key:
        return
    found = _repeats(table)
    if found is None:
        return
    others, firsts = found
    verdicts, merges = _verdicts(table, others, firsts)

    errors = others[_IS_ERROR[verdicts]]
    if len(errors):
        invalid = frame[INVALID].to_numpy(dtype=bool, copy=True)
        invalid[errors] = True
        frame[INVALID] = invalid
    for key, (targets, origins) in merges.items():
        taken = np.arange(len(frame))
        taken[targets] = origins
        frame[key] = frame[key].take(taken).set_axis(frame.index)
    _report_duplicates(table, sources, issues, limit, others, firsts, verdicts)
    dropped = others[verdicts == _MERGED]
    if len(dropped):
        table.frame = frame.drop(index=frame.index[dropped]).reset_index(drop=True)


def _repeats(table: Table) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None:
    """The positions (not labels) of the rows that repeat an earlier row's key, and of
    that first row, in the order `check_duplicates_plain` meets them (by first row, then
    by position).

    Keys are grouped as in `_key_frame`, without building a column of Python strings per
    key: 200,000 distinct IDs are checked in milliseconds. None when nothing repeats.
    """
    frame = table.frame
    combined: np.ndarray[Any, Any] | None = None
    first_key: pd.Series | None = None
    for key in table.spec.row_key:
        if key not in frame:
            continue  # a constant "" groups nothing apart
        if table.spec.column(key).type is ValueType.TEXT:
            column = frame[key].astype("string[pyarrow]").str.lower().fillna("")
        else:
            column = frame[key].astype("object").fillna("").astype(str)
        if key == table.spec.row_key[0]:
            first_key = column
        codes = np.asarray(pd.factorize(column)[0], dtype="int64")
        if combined is not None:
            codes = np.asarray(pd.factorize(combined * (int(codes.max()) + 1) + codes)[0])
        combined = codes
    if combined is None or first_key is None:
        # No key column at all, or no first key: every row's first key is "".
        return None
    usable = (first_key != "").to_numpy(dtype=bool) & _comparable(table).to_numpy(dtype=bool)
    positions = np.flatnonzero(usable)
    if not (np.bincount(combined[positions]) > 1).any():
        return None  # the common case, decided without sorting
    _, first_of_group, group = np.unique(
        combined[positions], return_index=True, return_inverse=True
    )
    firsts = positions[first_of_group[group.reshape(-1)]]
    later = positions != firsts
    if not later.any():
        return None
    others, firsts = positions[later], firsts[later]
    order = np.argsort(firsts, kind="stable")  # positions are ascending already
    return others[order], firsts[order]


def _value_codes(column: pd.Series) -> np.ndarray[Any, Any]:
    """Each value as an integer, equal where the values are equal; -1 for a blank."""
    codes = np.asarray(pd.factorize(column)[0], dtype="int64")
    codes[column.isna().to_numpy(dtype=bool)] = -1
    return codes


def _verdicts(
    table: Table, others: np.ndarray[Any, Any], firsts: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]]:
    """`_duplicate_verdict` of every repeated row (an index into `_VERDICTS`), and for units
    the attributes merged: per column, the first rows filled and the rows they take from."""
    frame = table.frame
    if table.spec.key == WORKFORCE.key:
        return np.full(len(others), _DUPLICATE_ID), {}
    attributes = [
        c.key for c in table.spec.columns if c.key in frame and c.key not in table.spec.row_key
    ]
    values = np.empty((len(frame), len(attributes)), dtype="int32")  # a million rows: 20 MB
    for j, key in enumerate(attributes):
        values[:, j] = _value_codes(frame[key])
    if table.spec.key == UNITS.key:
        return _unit_verdicts(values, others, firsts, attributes)
    # Elsewhere a blank is a value like another: blank against blank is no difference.
    differs = (values[others] != values[firsts]).any(axis=1)
    files = frame[FILE].to_numpy()
    same_file = files[others] == files[firsts]
    verdicts = np.where(differs, _CONFLICTING, np.where(same_file, _DUPLICATE_ROW, _MERGED))
    return verdicts, {}


def _unit_verdicts(
    values: np.ndarray[Any, Any],
    others: np.ndarray[Any, Any],
    firsts: np.ndarray[Any, Any],
    attributes: list[str],
) -> tuple[np.ndarray[Any, Any], dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]]:
    """Units are merged attribute by attribute, in the order of the rows: a repeated row
    conflicts if it differs where both it and the first row (as merged so far) have a
    value; otherwise it fills the first row's blanks. The first row changes only when an
    accepted row fills a blank, at most once per attribute; so the rows are judged in
    rounds, all groups at once: each round judges every row up to the first that fills a
    blank in its group, then fills it. At most one round per attribute, and one more.
    """
    starts = np.flatnonzero(np.r_[True, firsts[1:] != firsts[:-1]])
    group = np.cumsum(np.r_[True, firsts[1:] != firsts[:-1]]) - 1
    state = values[firsts[starts]].copy()  # each group's first row, as merged so far
    source = np.full(state.shape, -1, dtype="int64")  # the row each blank was filled from
    mine = values[others]
    accepted = np.zeros(len(others), dtype=bool)
    pending = np.arange(len(others))
    while len(pending):
        now = state[group[pending]]
        theirs = mine[pending]
        conflict = ((theirs >= 0) & (now >= 0) & (theirs != now)).any(axis=1)
        fills = ~conflict & ((theirs >= 0) & (now < 0)).any(axis=1)
        filling = pending[fills]  # ascending: the first of each group is its first filler
        filled_groups, first_filler = np.unique(group[filling], return_index=True)
        stop = np.full(len(starts), len(others))
        stop[filled_groups] = filling[first_filler]
        judged = pending <= stop[group[pending]]
        accepted[pending[judged]] = ~conflict[judged]
        fillers = stop[filled_groups]
        blank = state[filled_groups] < 0
        state[filled_groups] = np.where(blank, mine[fillers], state[filled_groups])
        taken = blank & (mine[fillers] >= 0)
        source[filled_groups] = np.where(taken, others[fillers][:, None], source[filled_groups])
        pending = pending[~judged]
    merges = {}
    for j, key in enumerate(attributes):
        filled = source[:, j] >= 0
        if filled.any():
            merges[key] = (firsts[starts][filled], source[filled, j])
    return np.where(accepted, _MERGED, _CONFLICTING), merges


def _report_duplicates(
    table: Table,
    sources: list[Source],
    issues: list[Issue],
    limit: int,
    others: np.ndarray[Any, Any],
    firsts: np.ndarray[Any, Any],
    verdicts: np.ndarray[Any, Any],
) -> None:
    """The issues `check_duplicates_plain` gives, in its order, but only the first `limit`
    of each code in each sheet built; the rest counted in a summary as `capped` would."""
    files = table.frame[FILE].to_numpy(dtype="int64")[others]
    places = {i: (sources[i].path, table.sheet_names[i]) for i in np.unique(files).tolist()}
    ids = {place: n for n, place in enumerate(dict.fromkeys(places.values()))}
    of_file = np.zeros(int(files.max()) + 1, dtype="int64")
    for file_index, where in places.items():
        of_file[file_index] = ids[where]
    place = of_file[files] * len(_VERDICTS) + verdicts
    rank = pd.Series(place).groupby(place).cumcount().to_numpy()
    counts = np.bincount(place)
    labels = table.frame.index
    log = IssueLog(limit)
    for n in np.flatnonzero(rank < limit).tolist():
        code, severity = _VERDICTS[int(verdicts[n])]
        index, first = labels[others[n]], labels[firsts[n]]
        log.append(_duplicate_issue(table, sources, severity, code, index, first))
    for n in np.flatnonzero(rank == limit).tolist():
        code, severity = _VERDICTS[int(verdicts[n])]
        path, sheet = places[int(files[n])]
        row = table.where(labels[others[n]])[2]
        log.omit(severity, code, path, sheet, int(counts[place[n]]) - limit, row)
    issues.extend(log.issues)


def check_duplicates_plain(table: Table, sources: list[Source], issues: list[Issue]) -> None:
    """`check_duplicates` row by row, every issue built: the rule as written, which the
    fast version is tested to follow (tests/test_fast_paths.py)."""
    frame = table.frame
    if frame.empty or not table.spec.row_key:
        return
    keys = _key_frame(table)
    usable = (keys[table.spec.row_key[0]] != "") & _comparable(table)
    repeated = usable & keys.duplicated(keep=False)
    if not repeated.any():
        return
    compared = [c for c in table.spec.columns if c.key in frame and c.key not in table.spec.row_key]
    drop: list[int] = []
    for _, group in keys[repeated].groupby(list(keys.columns), sort=False):
        first, *others = list(group.index)
        for index in others:
            code, severity = _duplicate_verdict(table, first, index, [c.key for c in compared])
            issues.append(_duplicate_issue(table, sources, severity, code, index, first))
            if severity is Severity.ERROR:
                frame.at[index, INVALID] = True
            else:
                if table.spec.key == UNITS.key:
                    _merge_unit_attributes(frame, first, index, [c.key for c in compared])
                drop.append(index)
    if drop:
        table.frame = frame.drop(index=drop).reset_index(drop=True)


def _duplicate_verdict(
    table: Table, first: int, other: int, attributes: list[str]
) -> tuple[str, Severity]:
    frame = table.frame
    if table.spec.key == WORKFORCE.key:
        return "duplicate_id", Severity.ERROR
    same_file = at(frame, first, FILE) == at(frame, other, FILE)
    differs = False
    for key in attributes:
        a, b = at(frame, first, key), at(frame, other, key)
        if pd.isna(a) or pd.isna(b):
            # Units are merged attribute by attribute; elsewhere a blank is a difference.
            differs |= table.spec.key != UNITS.key and not (pd.isna(a) and pd.isna(b))
            continue
        differs |= bool(a != b)
    if differs:
        return "conflicting_row", Severity.ERROR
    if same_file and table.spec.key != UNITS.key:
        return "duplicate_row", Severity.ERROR
    return "repeated_row_merged", Severity.INFO


def _merge_unit_attributes(frame: pd.DataFrame, first: int, other: int, keys: list[str]) -> None:
    for key in keys:
        if pd.isna(at(frame, first, key)) and pd.notna(at(frame, other, key)):
            frame.loc[first, key] = at(frame, other, key)
