"""Personal names: found in `NhanSu`, then hidden wherever else a sheet holds one.

The rule is in `contract/privacy.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import INVALID
from kpi_tritue.contract.privacy import REDACTED, KnownNames
from kpi_tritue.contract.schema import INFO, MILESTONES, WORKFORCE, ValueType
from kpi_tritue.io.headers import Header
from kpi_tritue.io.sheet_table import Reporter, SheetTable, report_rows, run_columns
from kpi_tritue.model.issues import Issue, ParamValue, Severity

# An ID column reads as names when most of its first values are two words or more of
# letters only: `Nguyễn Văn An`, never `HT00123` (the `Mã` and `Họ và tên` headers swapped).
_NAME_LIKE = r"^[\pL\pM]+(?:\s+[\pL\pM]+)+$"
_NAME_SAMPLE = 1000


def personal_names(
    full_names: Any,
    header: Header,
    table: SheetTable,
    reporter: Reporter,
    ids_are_names: bool | None = None,
) -> Any:
    """The sheet's names as an Arrow array: its `Họ và tên` cells (`full_names`, the raw
    column as stored; None without one), and its `Mã` cells when they read as names (a
    warning then says the IDs are hidden). `ids_are_names`: what `_reads_as_names` says
    of the IDs, when it was asked of a run's sheets at once (`ids_read_as_names`)."""
    import pyarrow as pa

    parts: list[Any] = []
    if full_names is not None:
        parts.append(pa.array(full_names, type=pa.large_string(), from_pandas=True))
    # The IDs read (through the table's frame) only when they are to be looked at.
    has_ids = table.has_column("id")
    if ids_are_names is None:
        ids_are_names = has_ids and _reads_as_names(table.frame["id"])
    if has_ids and ids_are_names:
        ids = table.frame["id"]
        parts.append(pa.array(ids.astype("object"), type=pa.large_string(), from_pandas=True))
        reporter.add(
            Severity.WARNING,
            "id_column_holds_names",
            row=header.rows[-1] + 1,
            column=table.headers["id"],
            cell=table.cell("id", header.rows[-1] + 1),
            field=table.spec.column("id").header,
        )
    return pa.concat_arrays(parts) if parts else None


def _reads_as_names(ids: pd.Series) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    sample = pa.array(ids.dropna().iloc[:_NAME_SAMPLE].astype(str), type=pa.large_string())
    if not len(sample):
        return False
    named = pc.sum(pc.match_substring_regex(pc.utf8_trim_whitespace(sample), _NAME_LIKE))
    return int(named.as_py() or 0) * 2 > len(sample)


def ids_read_as_names(all_ids: Sequence[Any]) -> list[bool]:
    """`_reads_as_names` of the ID column of each sheet of a run (False without one), the
    samples of all looked at in one Arrow pass: the pattern is compiled once for a run,
    not once for each file."""
    import pyarrow as pa
    import pyarrow.compute as pc

    empty = pa.array([], type=pa.large_string())
    arrays = [empty if ids is None else _sample_start(_text_array(ids)) for ids in all_ids]
    lengths = np.array([len(array) for array in arrays], dtype=np.int64)
    if not lengths.sum():
        return [False] * len(arrays)
    whole = pa.chunked_array(arrays, type=pa.large_string()).combine_chunks()
    # Each sheet's sample: its first `_NAME_SAMPLE` cells that are not blank.
    valid = whole.is_valid().to_numpy(zero_copy_only=False).astype(bool)
    starts = np.cumsum(lengths) - lengths
    before = np.concatenate([[0], np.cumsum(valid)])
    rank = before[1:] - np.repeat(before[starts], lengths)
    sample = valid & (rank <= _NAME_SAMPLE)
    named = np.zeros(len(whole), dtype=np.int64)
    taken = whole.filter(pa.array(sample))
    matched = pc.match_substring_regex(pc.utf8_trim_whitespace(taken), _NAME_LIKE)
    named[sample] = matched.to_numpy(zero_copy_only=False)
    hits = np.concatenate([[0], np.cumsum(named)])
    took = np.concatenate([[0], np.cumsum(sample)])
    ends = starts + lengths
    counts = hits[ends] - hits[starts]
    sizes = took[ends] - took[starts]
    pairs = zip(counts.tolist(), sizes.tolist(), strict=True)
    return [size > 0 and count * 2 > size for count, size in pairs]


def _sample_start(array: Any) -> Any:
    """The start of an ID column that holds its sample (its first `_NAME_SAMPLE` cells
    not blank), or all of it: what `ids_read_as_names` looks at of a sheet, so that a
    sheet of a million rows is not copied and counted whole for its first thousand."""
    cut = _NAME_SAMPLE
    while cut < len(array):
        head = array.slice(0, cut)
        if len(head) - head.null_count >= _NAME_SAMPLE:
            return head
        cut *= 4
    return array


# Text columns whose cells no output shows (a message quoting one is redacted): a name in
# them is no error. `Mã` is shown, but as `***` if it holds a name (`hide_ids`), after the
# duplicate check has used it.
_NOT_SHOWN = frozenset({(WORKFORCE.key, "id"), (INFO.key, "value"), (MILESTONES.key, "note")})


def known_names(tables: Iterable[SheetTable]) -> KnownNames:
    """The known names of a run: those of every sheet read (see privacy.py)."""
    arrays = [table.names for table in tables if table.names is not None]
    return KnownNames.of_arrays(arrays) if arrays else KnownNames()


def hide_names(table: SheetTable, names: KnownNames, display: str) -> list[Issue]:
    """Blank the text cells that hold a known name, with an error at each (their rows
    are invalid); the ID column of `NhanSu` keeps its values for the duplicate check,
    and is hidden later (`hide_ids`). The plain version, one table at a time, of
    `hide_names_all`."""
    if not names:
        return []
    found = {key: _holding(table.frame[key], names) for key in _screened(table)}
    return _hide_found(table, found, display)


def hide_names_all(
    tables: Sequence[tuple[SheetTable, str]], names: KnownNames
) -> list[list[Issue]]:
    """`hide_names` of every table of a run (with the file each is shown as), each column
    of a sheet looked at once over every file that has it: the known names are screened
    once for a run's column, not once for each file. The issues of each table, in order."""
    if not names:
        return [[] for _ in tables]
    columns: dict[tuple[str, str], list[int]] = {}
    # The columns screened, by what decides them: tables kept together share their
    # columns' labels (`SheetTable.shared`), and a run's files mostly their headers.
    screened: dict[tuple[object, ...], list[str]] = {}
    labelled: list[object] = []  # the labels whose ids are keys, kept alive
    for position, (table, _) in enumerate(tables):
        labels = table.columns
        labelled.append(labels)
        decided = (table.spec.key, id(labels), tuple(table.headers))
        keys = screened.get(decided)
        if keys is None:
            keys = screened[decided] = _screened(table)
        for key in keys:
            columns.setdefault((table.spec.key, key), []).append(position)
    found: list[dict[str, np.ndarray[Any, Any]]] = [{} for _ in tables]
    # Every column screened in one pass: whether a text holds a name is the text's alone,
    # so the units a `DonVi` names and the `NhanSu` column naming them again are looked
    # at once (at 1,048,575 rows, 13,820 distinct texts each: 53 ms).
    texts: list[Any] = []
    for (_, key), positions in columns.items():
        # The tables kept together (`SheetTable.shared`) read at once, a run of them a
        # slice of their frame's column.
        parts = run_columns([tables[p][0] for p in positions], key)
        texts.append(_joined_text([_arrow_text(part) for part in parts]))
    whole = names.holding_array(_joined_text(texts)) if texts else np.zeros(0, dtype=bool)
    start = 0
    for (_, key), positions in columns.items():
        for position in positions:
            stop = start + tables[position][0].height
            found[position][key] = whole[start:stop]
            start = stop
    return [
        _hide_found(table, mine, display)
        for (table, display), mine in zip(tables, found, strict=True)
    ]


def _screened(table: SheetTable) -> list[str]:
    """The text columns of a table in which a name is looked for, in the contract's order."""
    # Its labels as a set: looking each up in the columns' Index would build the Index's
    # hash table, once for each file's (~30 µs).
    columns = set(table.columns)
    return [
        column.key
        for column in table.spec.columns
        if column.type is ValueType.TEXT
        and column.key in table.headers
        and column.key in columns
        and (table.spec.key, column.key) not in _NOT_SHOWN
    ]


def _hide_found(
    table: SheetTable, found: dict[str, np.ndarray[Any, Any]], display: str
) -> list[Issue]:
    """Blank the cells `found` holding a name in each column, with an error at each."""
    reporter = Reporter(display, table.sheet_name)
    for column in table.spec.columns:
        is_name = found.get(column.key)
        if is_name is None or not is_name.any():
            continue
        # Its own frame, to change (made here only for a table that holds a name).
        frame = table.frame
        key = column.key
        report_rows(
            table,
            reporter,
            Severity.ERROR,
            "name_in_text_column",
            pd.Series(is_name, index=frame.index),
            key,
            functools.partial(_field_param, column.header),
        )
        frame[key] = frame[key].mask(pd.Series(is_name, index=frame.index))
        frame[INVALID] = frame[INVALID].to_numpy(dtype=bool) | is_name
    return reporter.issues


def _field_param(header: str, _index: Any) -> dict[str, ParamValue]:
    return {"field": header}


def hide_ids(frame: pd.DataFrame, names: KnownNames) -> None:
    """Show as `***` the IDs that hold a known name, once duplicates are found."""
    if not names or "id" not in frame:
        return
    is_name = _holding(frame["id"], names)
    if is_name.any():
        frame["id"] = frame["id"].mask(pd.Series(is_name, index=frame.index), REDACTED)


def _holding(values: pd.Series, names: KnownNames) -> np.ndarray[Any, Any]:
    """Which cells of a text column hold a known name."""
    return names.holding_array(_text_array(values))


def _text_array(values: pd.Series) -> Any:
    """A text column as one Arrow large-string array (a null stays null)."""
    import pyarrow as pa

    return _arrow_text(values).cast(pa.large_string())


def _arrow_text(values: Any) -> Any:
    """A text column (a Series, or its array as stored) as one Arrow array of its own
    string type (a null stays null)."""
    import pyarrow as pa

    try:
        # An Arrow-backed column is handed over as it is, without a copy.
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        column = values if isinstance(values, pd.Series) else pd.Series(values)
        array = pa.array(column.astype("object").astype(str).where(column.notna()))
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


def _joined_text(arrays: Sequence[Any]) -> Any:
    """The arrays of a run's column (`_arrow_text`) as one large-string array: cast once
    for the run when they are all of one type (a file's share of Arrow's cast costs
    ~0.1 ms, 8,000 of them over 2,000 files), each on its own (`_text_array`'s way)
    otherwise. A cast is a value's own: both ways give the same array."""
    import pyarrow as pa

    if len({array.type for array in arrays}) == 1:
        joined = pa.concat_arrays(arrays) if len(arrays) > 1 else arrays[0]
        return joined.cast(pa.large_string())
    return pa.concat_arrays([array.cast(pa.large_string()) for array in arrays])
