"""A unit's `Cấp` and `Lĩnh vực` from the units registry, a file's `Loại` for all its rows.

Official lists carry the unit, not its level or sector, and are kept per category
(official-lists.md, section 1; settled details 7 and 8). Once every file of a run is read,
and before the files' rows are put together:

- `Cấp` / `Lĩnh vực`: the row's own cell, else its unit's row in `DonVi` (of any file of
  the run; unit names matched as everywhere, `normalize.unit_key`), else `--columns`'
  `[NhanSu.defaults]`. None is an error at the unit cell; a `DonVi` that disagrees with the
  row's own cell is a warning naming both cells; a unit whose `DonVi` rows disagree
  supplies nothing, with one error per (unit, attribute). The root cause first: a list
  without the column in a run that has no `DonVi` with it is one error for the file.
- `Loại`, where `NhanSu` has no such column: the file's own `ThongTin` `Loại`, else
  `[NhanSu.defaults]`; with neither, one error refuses the file (no row: `compute` stops
  even with `--skip-invalid`).

What was derived, and from where, is recorded per file (`SheetTable.derived`, then
`Dataset.derived`): such a column counts as present.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from kpi_tritue.contract.bookkeeping import INVALID, ROW
from kpi_tritue.contract.normalize import fold, unit_key
from kpi_tritue.contract.schema import UNITS, WORKFORCE, Contract
from kpi_tritue.i18n import Amount
from kpi_tritue.io.frames import at, item
from kpi_tritue.io.sheet_table import Reporter, SheetTable, id_at, run_columns
from kpi_tritue.io.workbook import LoadedWorkbook, OpenedWorkbook
from kpi_tritue.model.issues import Issue, Location, ParamValue, Severity

# The attributes of a unit that its `DonVi` row may give its people.
ATTRIBUTES = ("level", "sector")
# Where a derived column's values came from, as `Dataset.derived` says it.
FROM_UNITS, FROM_INFO, FROM_DEFAULTS = "DonVi", "ThongTin", "defaults"


@dataclass(frozen=True)
class _Cell:
    """A `DonVi` cell: the file (its index in the run), the row's position in the frame."""

    file: int
    position: int


@dataclass
class _Registry:
    """What the run's `DonVi` sheets say of each unit, attribute by attribute."""

    # The attributes some `DonVi` of the run has a column for.
    columns: set[str] = field(default_factory=set)
    # attribute → unit key → (code, its first cell), for units whose rows agree.
    agreed: dict[str, dict[str, tuple[str, _Cell]]] = field(default_factory=dict)
    # attribute → unit key → (first cell, first cell that disagrees with it).
    disputed: dict[str, dict[str, tuple[_Cell, _Cell]]] = field(default_factory=dict)


def derive_unit_attributes(
    opened: Sequence[OpenedWorkbook],
    loaded: Sequence[LoadedWorkbook],
    contract: Contract,
    *,
    units_unread: bool = False,
) -> tuple[dict[str, dict[str, str]], list[Issue]]:
    """Fill `Cấp`, `Lĩnh vực` and `Loại` of every file's `NhanSu` where it lacks them.

    Each file's issues go to its own `issues`; returned are what was derived (file as
    shown → column key → where from) and the issues of the run (a unit whose `DonVi` rows
    disagree, with how many rows it leaves without the attribute). `units_unread`: some
    `DonVi` of the run could not be read (already an error): that no registry gives an
    attribute is then its consequence, not reported again.

    The registry is looked up once over the run's rows (`_run_lookup`); a file whose rows
    all have their own `Cấp` and `Lĩnh vực`, none disagreeing with `DonVi`, costs nothing
    more (`derive_unit_attributes_plain` does every file's work: the same result).
    """
    registry = _read_registry(loaded)
    needed = _run_lookup(loaded, registry)
    return _derive(opened, loaded, contract, registry, units_unread, lambda i, _: needed.get(i))


def derive_unit_attributes_plain(
    opened: Sequence[OpenedWorkbook],
    loaded: Sequence[LoadedWorkbook],
    contract: Contract,
    *,
    units_unread: bool = False,
) -> tuple[dict[str, dict[str, str]], list[Issue]]:
    """`derive_unit_attributes` with each file's rows looked up on their own, every file
    through the whole of its work (tests/test_registry_fast.py: both give the same)."""
    registry = _read_registry(loaded)
    lookup = _file_lookup
    return _derive(
        opened, loaded, contract, registry, units_unread, lambda _, t: lookup(t, registry)
    )


def _derive(
    opened: Sequence[OpenedWorkbook],
    loaded: Sequence[LoadedWorkbook],
    contract: Contract,
    registry: _Registry,
    units_unread: bool,
    lookups: Callable[[int, SheetTable], _Lookup | None],
) -> tuple[dict[str, dict[str, str]], list[Issue]]:
    """Each file's work, in the files' order. `lookups(file index, its NhanSu)`: its
    rows' units and what the registry gives them, None when it has nothing to fill or
    report of `Cấp` and `Lĩnh vực`."""
    defaults = contract.defaults.get(WORKFORCE.key, {})
    derived: dict[str, dict[str, str]] = {}
    affected: dict[tuple[str, str], int] = {}
    for file_index, (workbook, done) in enumerate(zip(opened, loaded, strict=True)):
        table = done.tables.get(WORKFORCE.key)
        if table is None:
            continue
        reporter = Reporter(done.display, table.sheet_name)
        units = lookups(file_index, table)
        if units is not None:
            _fill_attributes(
                loaded, table, registry, defaults, reporter, affected, units_unread, units
            )
        _fill_category(table, workbook, defaults, reporter)
        done.issues.extend(reporter.issues)
        if table.derived:
            derived[done.display] = dict(table.derived)
    return derived, _disputes(loaded, registry, affected)


def _fill_attributes(
    loaded: Sequence[LoadedWorkbook],
    table: SheetTable,
    registry: _Registry,
    defaults: dict[str, str],
    reporter: Reporter,
    affected: dict[tuple[str, str], int],
    units_unread: bool,
    units: _Lookup,
) -> None:
    """`Cấp` and `Lĩnh vực` of one file's rows, and the errors of the rows and the file."""
    absent: list[str] = []
    unknown: dict[str, Any] = {}
    for attribute in ATTRIBUTES:
        if _fill_attribute(
            loaded,
            table,
            attribute,
            registry,
            defaults,
            reporter,
            affected,
            units_unread,
            unknown,
            units,
        ):
            absent.append(attribute)
    _report_unknown(table, reporter, unknown)
    if absent:
        # The root cause, once for the file: no row could have it.
        reporter.add(
            Severity.ERROR,
            "unit_attributes_unavailable",
            fields=", ".join(WORKFORCE.column(key).header for key in absent),
        )


# ---------------------------------------------------------------------------------------
# The registry


def _read_registry(loaded: Sequence[LoadedWorkbook]) -> _Registry:
    """Every `DonVi` of the run, in the files' order: each unit's value of each attribute.

    Read once over the run's rows: the `DonVi` columns of every file put together, each
    unit name keyed once for the run."""
    registry = _Registry()
    sources = [(i, d.tables[UNITS.key]) for i, d in enumerate(loaded) if UNITS.key in d.tables]
    codes, keys = _keyed(run_columns([table for _, table in sources], "unit"))
    keyed = np.array([*keys, None], dtype=object)[codes]
    starts = np.cumsum([0] + [table.height for _, table in sources])
    for attribute in ATTRIBUTES:
        # The files that have the column: (file, its start in `keyed`, its table).
        having = [
            (file_index, start, table)
            for (file_index, table), start in zip(sources, starts.tolist(), strict=False)
            if attribute in table.headers
        ]
        agreed: dict[str, tuple[str, _Cell]] = {}
        disputed: dict[str, tuple[_Cell, _Cell]] = {}
        if having:
            registry.columns.add(attribute)
            values, rows, files, at_keys = attribute_rows(having, attribute)
            names = keyed[at_keys] if len(at_keys) else np.array([], dtype=object)
            usable = pd.notna(names) & pd.notna(values)
            whole = pd.DataFrame(
                {
                    "key": names[usable],
                    "value": values[usable],
                    "file": files[usable],
                    "position": rows[usable],
                }
            )
            firsts = _listed(whole.drop_duplicates("key"))
            first_value = dict(zip(firsts["key"], firsts["value"], strict=True))
            differs = whole[whole["value"].to_numpy() != whole["key"].map(first_value).to_numpy()]
            other = _listed(differs.drop_duplicates("key"))
            other_of = {
                key: _Cell(int(f), int(p))
                for key, f, p in zip(other["key"], other["file"], other["position"], strict=True)
            }
            for key, value, f, p in zip(
                firsts["key"], firsts["value"], firsts["file"], firsts["position"], strict=True
            ):
                cell = _Cell(int(f), int(p))
                if key in other_of:
                    disputed[key] = (cell, other_of[key])
                else:
                    agreed[key] = (str(value), cell)
        registry.agreed[attribute] = agreed
        registry.disputed[attribute] = disputed
    return registry


def attribute_rows(
    having: Sequence[tuple[int, int, SheetTable]], attribute: str
) -> tuple[Any, Any, Any, Any]:
    """The `DonVi` rows of the files `having` the column `attribute` (file, its first row
    in the run's units, its table): their values (Python objects, None for a blank), each
    row's position in its file, its file, and its place in the run's units. The tables
    kept together are read at once (`run_columns`); `attribute_rows_plain` reads them one
    by one (tests/test_registry_fast.py: the same)."""
    tables = [table for _, _, table in having]
    parts = [_objects(part) for part in run_columns(tables, attribute)]
    values = np.concatenate(parts) if parts else np.array([], dtype=object)
    heights = np.array([table.height for table in tables], dtype=np.intp)
    rows = np.arange(len(values)) - np.repeat(np.cumsum(heights) - heights, heights)
    files = np.repeat([file_index for file_index, _, _ in having], heights)
    at_keys = np.repeat([start for _, start, _ in having], heights) + rows
    return values, rows, files, at_keys


def attribute_rows_plain(
    having: Sequence[tuple[int, int, SheetTable]], attribute: str
) -> tuple[Any, Any, Any, Any]:
    """`attribute_rows`, a file at a time."""
    parts = [(f, s, _objects(table.column_array(attribute))) for f, s, table in having]
    values = np.concatenate([part[2] for part in parts])
    rows = np.concatenate([np.arange(len(part[2])) for part in parts])
    files = np.repeat([part[0] for part in parts], [len(part[2]) for part in parts])
    at_keys = np.concatenate([np.arange(p[1], p[1] + len(p[2])) for p in parts])
    return values, rows, files, at_keys


def _listed(frame: pd.DataFrame) -> dict[str, list[Any]]:
    """A frame's columns as Python lists, each made at once (a unit at a time, the
    frame's rows cost a pandas step each: 0.06 s over a `DonVi` of 8,888 units)."""
    return {str(key): frame[key].tolist() for key in frame.columns}


def _objects(values: Any) -> Any:
    """A column's values (its array as stored) as Python objects (None for a blank),
    through the categories of an enum column rather than row by row."""
    if isinstance(values, pd.Categorical):
        return np.array([*values.categories.tolist(), None], dtype=object)[values.codes]
    out = pd.Series(values, copy=False).astype("object").to_numpy(copy=True)
    out[pd.isna(out)] = None
    return out


def _unit_keys(units: pd.Series) -> pd.Series:
    """Each row's unit as the key units are matched by (NA for none), each name keyed once."""
    codes, uniques = pd.factorize(units, use_na_sentinel=True)
    keyed = np.array([unit_key(str(u)) for u in uniques.tolist()] + [None], dtype=object)
    return pd.Series(keyed[codes], index=units.index, dtype="object")


def _keyed(columns: Sequence[Any]) -> tuple[Any, list[str]]:
    """The unit columns put together, each row's unit as the index of its key in the
    list returned (-1 for none): each distinct name keyed once for the whole run."""
    chunks = [chunk for column in columns for chunk in _text_chunks(column)]
    if not chunks:
        return np.zeros(0, dtype=np.intp), []
    encoded = pa.chunked_array(chunks, type=pa.large_string()).combine_chunks()
    encoded = encoded.dictionary_encode()
    ids: dict[str, int] = {}
    of_name = [ids.setdefault(unit_key(name), len(ids)) for name in encoded.dictionary.to_pylist()]
    indexes = encoded.indices.fill_null(-1).to_numpy().astype(np.intp)
    return np.array([*of_name, -1], dtype=np.intp)[indexes], list(ids)


def _text_chunks(column: Any) -> list[Any]:
    """A unit column (its array as stored) as Arrow text (None for a blank cell): the
    reader's own Arrow text as it is, anything else (a `str` of each value) converted."""
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        data = pa.array(column)
        chunks = data.chunks if isinstance(data, pa.ChunkedArray) else [data]
        return [chunk.cast(pa.large_string()) for chunk in chunks]
    values = [None if v is None or v != v else str(v) for v in column.astype("object").tolist()]
    return [pa.array(values, type=pa.large_string())]


def _place(loaded: Sequence[LoadedWorkbook], cell: _Cell, attribute: str) -> tuple[str, int, str]:
    """(sheet, Excel row, cell such as `B7` or the row) of a `DonVi` cell."""
    table = loaded[cell.file].tables[UNITS.key]
    row = int(table.frame[ROW].iloc[cell.position])
    return table.sheet_name, row, table.cell(attribute, row) or str(row)


def _related(
    loaded: Sequence[LoadedWorkbook], cell: _Cell, attribute: str, seen_from: str
) -> Location | None:
    """The `DonVi` cell as the other end of an issue, when it lies in another file: each
    file's annotated copy then marks its own cell (settled 14)."""
    display = loaded[cell.file].display
    if display == seen_from:
        return None
    sheet, row, place = _place(loaded, cell, attribute)
    column = loaded[cell.file].tables[UNITS.key].headers.get(attribute)
    return Location(file=display, sheet=sheet, row=row, column=column, cell=place)


def _where(loaded: Sequence[LoadedWorkbook], cell: _Cell, attribute: str, seen_from: str) -> str:
    """`DonVi!B7`, with the file when it is not `seen_from`."""
    sheet, _, place = _place(loaded, cell, attribute)
    shown = f"{sheet}!{place}"
    display = loaded[cell.file].display
    return shown if display == seen_from else f"{display} › {shown}"


# ---------------------------------------------------------------------------------------
# Each NhanSu row's unit, looked up


@dataclass
class _Lookup:
    """Rows' units as matched (`codes`: the index of each row's key in `keys`, -1 for
    none) and, attribute by attribute, what the registry gives each row: (its value or
    None, whether the unit's `DonVi` rows disagree)."""

    codes: Any
    keys: list[str]
    given: dict[str, tuple[Any, Any]]

    def part(self, start: int, stop: int) -> _Lookup:
        given = {a: (v[start:stop], d[start:stop]) for a, (v, d) in self.given.items()}
        return _Lookup(self.codes[start:stop], self.keys, given)


def _lookup(codes: Any, keys: list[str], registry: _Registry) -> _Lookup:
    given: dict[str, tuple[Any, Any]] = {}
    for attribute in ATTRIBUTES:
        agreed = registry.agreed.get(attribute, {})
        disputes = registry.disputed.get(attribute, {})
        values = np.array([agreed[k][0] if k in agreed else None for k in keys] + [None])
        disputed = np.array([k in disputes for k in keys] + [False], dtype=bool)
        given[attribute] = (values[codes], disputed[codes])
    return _Lookup(codes, keys, given)


def _file_lookup(table: SheetTable, registry: _Registry) -> _Lookup:
    """The plain way: one file's rows, its unit names keyed on their own."""
    codes, distinct = pd.factorize(_unit_keys(table.frame["unit"]), use_na_sentinel=True)
    return _lookup(codes, [str(k) for k in distinct.tolist()], registry)


# The speed step of issue 14 (`derive_unit_attributes`), beside the plain way it replaces
# (`_file_lookup` for every file): the registry is looked up once over the run's rows,
# each unit name keyed once; a file needs its own work only where a row lacks its own
# `Cấp` or `Lĩnh vực`, or says other than `DonVi` (on 200 files of 1,000 rows: 1.9 s of
# CPU for work that finds nothing). Any file it cannot judge that way is given its share
# of the lookup, as if it needed work. tests/test_registry_fast.py: both give the same.
def _run_lookup(loaded: Sequence[LoadedWorkbook], registry: _Registry) -> dict[int, _Lookup]:
    """File index → its rows' share of the run's lookup, for the files with something to
    fill or report of `Cấp` and `Lĩnh vực`; the other files are left out."""
    people = [
        (i, d.tables[WORKFORCE.key]) for i, d in enumerate(loaded) if WORKFORCE.key in d.tables
    ]
    if not people:
        return {}
    # Read without a frame made for each table, those kept together at once
    # (`SheetTable.shared`).
    codes, keys = _keyed(run_columns([table for _, table in people], "unit"))
    run = _lookup(codes, keys, registry)
    # Each attribute's registry values as small numbers, for comparing with the rows' own.
    numbered = {a: _numbered(run, registry, a) for a in ATTRIBUTES}
    needed: dict[int, _Lookup] = {}
    start = 0
    # Each categories' numbers, by attribute and dtype: the tables kept together share
    # their columns' dtypes (`SheetTable.shared`), so most files look them up once.
    seen: dict[tuple[str, int], tuple[Any, Any]] = {}
    for file_index, table in people:
        stop = start + table.height
        if not _quiet(table, numbered, start, stop, seen):
            needed[file_index] = run.part(start, stop)
        start = stop
    return needed


def _numbered(run: _Lookup, registry: _Registry, attribute: str) -> tuple[dict[str, int], Any]:
    """The registry's values of an attribute numbered (value → number), and each row's
    number (-1 where the registry gives none)."""
    agreed = registry.agreed.get(attribute, {})
    number: dict[str, int] = {}
    for value, _ in agreed.values():
        number.setdefault(value, len(number))
    by_key = [number[agreed[k][0]] if k in agreed else -1 for k in run.keys]
    return number, np.array([*by_key, -1], dtype=np.intp)[run.codes]


def _quiet(
    table: SheetTable,
    numbered: dict[str, tuple[dict[str, int], Any]],
    start: int,
    stop: int,
    seen: dict[tuple[str, int], tuple[Any, Any]],
) -> bool:
    """Whether a file's rows all have their own `Cấp` and `Lĩnh vực`, none other than
    what `DonVi` gives its unit: `_fill_attributes` would change and report nothing.
    `seen`: each categories' numbers found so far (attribute, id of the dtype → the
    dtype, kept alive while its id is used, and the numbers)."""
    for attribute in ATTRIBUTES:
        if attribute not in table.headers:
            return False
        values = table.column_array(attribute)
        blank = table.blank.get(attribute)
        if not isinstance(values, pd.Categorical) or blank is None:
            return False
        if np.asarray(blank, dtype=bool).any():
            return False
        number, given = numbered[attribute]
        # Each row's own value by the registry's numbers: -1 blank (a bad value), -2
        # a value the registry never gives.
        known = seen.get((attribute, id(values.dtype)))
        if known is None:
            by_category = [number.get(str(c), -2) for c in values.categories.tolist()]
            known = (values.dtype, np.array([*by_category, -1], dtype=np.intp))
            seen[(attribute, id(values.dtype))] = known
        own = known[1][values.codes]
        rows = given[start:stop]
        if ((own != -1) & (rows >= 0) & (own != rows)).any():
            return False
    return True


# ---------------------------------------------------------------------------------------
# One file's NhanSu


def _fill_attribute(
    loaded: Sequence[LoadedWorkbook],
    table: SheetTable,
    attribute: str,
    registry: _Registry,
    defaults: dict[str, str],
    reporter: Reporter,
    affected: dict[tuple[str, str], int],
    units_unread: bool,
    unknown: dict[str, Any],
    units: _Lookup,
) -> bool:
    """Fill one attribute of a file's rows; True when the file lacks the column and the
    run has no way to give it at all (the caller's one error for the file). The rows
    whose unit the registry does not give it go in `unknown` (one error a row, for every
    attribute it lacks: `_report_unknown`)."""
    frame = table.frame
    column = WORKFORCE.column(attribute)
    assert column.enum is not None
    present = attribute in table.headers
    count = len(frame)
    own = (
        frame[attribute].astype("object").to_numpy()
        if present
        else np.full(count, None, dtype=object)
    )
    # A cell that holds something has its own value, even one that is no level (already
    # an error at the cell): only blank cells are filled.
    blank = table.blank.get(attribute)
    if not present:
        has_own = np.zeros(count, dtype=bool)
    elif blank is not None:
        has_own = ~np.asarray(blank, dtype=bool)
    else:
        has_own = pd.notna(own)
    codes, listed = units.codes, units.keys
    agreed = registry.agreed.get(attribute, {})
    from_units, disputed = units.given[attribute]
    default = _default(defaults, attribute)
    by_units = ~has_own & pd.notna(from_units)
    by_default = ~has_own & ~by_units & (default is not None)
    missing = ~has_own & ~by_units & ~by_default & (codes >= 0)
    fallback = np.full(count, default, dtype=object)
    if not has_own.all():  # else every row keeps its own cell: nothing to write
        values = np.where(has_own, own, np.where(by_units, from_units, fallback))
        frame[attribute] = pd.Categorical(values, categories=list(column.enum.codes))

    lacking = missing & disputed
    for code in np.unique(codes[lacking]).tolist():
        key = (attribute, str(listed[code]))
        affected[key] = affected.get(key, 0) + int((codes[lacking] == code).sum())
    rest = missing & ~disputed
    root = False
    if rest.any():
        if attribute in registry.columns:
            unknown[attribute] = rest
        elif present:
            if not units_unread:
                _report_rows(table, reporter, "required_blank", rest, attribute, column.header)
        else:
            root = not units_unread
    if lacking.any() or rest.any():
        frame[INVALID] = frame[INVALID].to_numpy(dtype=bool) | lacking | rest
    if present:
        differs = has_own & pd.notna(own) & pd.notna(from_units) & (own != from_units)
        if differs.any():
            _report_differences(loaded, table, reporter, attribute, differs, codes, listed, agreed)
    elif by_units.any():
        table.derived[attribute] = FROM_UNITS
    elif by_default.any():
        table.derived[attribute] = FROM_DEFAULTS
    return root


def _default(defaults: dict[str, str], key: str) -> str | None:
    """`[NhanSu.defaults]`' value for a column, as its code; None without a usable one."""
    raw = defaults.get(key)
    enum = WORKFORCE.column(key).enum
    if raw is None or enum is None:
        return None
    return enum.lookup.get(fold(raw))


def _report_unknown(table: SheetTable, reporter: Reporter, unknown: dict[str, Any]) -> None:
    """One `unit_attribute_missing` at the unit cell of each row whose unit the registry
    lacks, naming every attribute it could not give (a unit missing from DonVi is one
    error, not one for Cấp and one for Lĩnh vực)."""
    if not unknown:
        return
    masks = [(WORKFORCE.column(k).header, np.asarray(unknown[k], dtype=bool)) for k in unknown]
    where = np.logical_or.reduce([mask for _, mask in masks])
    fields = [
        ", ".join(header for header, mask in masks if mask[position])
        for position in np.flatnonzero(where)
    ]
    _report_rows(table, reporter, "unit_attribute_missing", where, "unit", fields)


def _report_rows(
    table: SheetTable,
    reporter: Reporter,
    code: str,
    where: Any,
    key: str,
    field_: str | list[str],
) -> None:
    """One error at the `key` cell of each row of `where`, naming its unit and `field_`
    (one for all, or one a row)."""
    frame = table.frame
    ids = frame.get("id")
    units = frame["unit"]  # a column every NhanSu that was read has
    indexes = frame.index[np.asarray(where, dtype=bool)]

    def build(i: int) -> dict[str, Any]:
        index = indexes[i]
        row = int(at(frame, index, ROW))
        shown = field_ if isinstance(field_, str) else field_[i]
        params: dict[str, ParamValue] = {"id": id_at(ids, index), "field": shown}
        params["unit"] = str(item(units, index))
        return {
            "row": row,
            "column": table.headers.get(key),
            "cell": table.cell(key, row),
            "params": params,
        }

    reporter.add_each(Severity.ERROR, code, len(indexes), build)


def _report_differences(
    loaded: Sequence[LoadedWorkbook],
    table: SheetTable,
    reporter: Reporter,
    attribute: str,
    differs: Any,
    codes: Any,
    listed: list[Any],
    agreed: dict[str, tuple[str, Any]],
) -> None:
    """A warning at each own cell that says other than the unit's `DonVi` row."""
    frame = table.frame
    column = WORKFORCE.column(attribute)
    assert column.enum is not None
    enum = column.enum
    ids = frame.get("id")
    positions = np.flatnonzero(np.asarray(differs, dtype=bool))

    def build(i: int) -> dict[str, Any]:
        position = int(positions[i])
        index = frame.index[position]
        row = int(at(frame, index, ROW))
        value, cell = agreed[str(listed[int(codes[position])])]
        return {
            "row": row,
            "column": table.headers[attribute],
            "cell": table.cell(attribute, row),
            "params": {
                "id": id_at(ids, index),
                "field": column.header,
                "unit": str(at(frame, index, "unit")),
                "value": enum.label(str(at(frame, index, attribute)), "vi"),
                "other_value": enum.label(value, "vi"),
                "other": _where(loaded, cell, attribute, reporter.file),
            },
            "related": _related(loaded, cell, attribute, reporter.file or ""),
        }

    reporter.add_each(Severity.WARNING, "unit_attribute_differs", len(positions), build)


def _fill_category(
    table: SheetTable, workbook: OpenedWorkbook, defaults: dict[str, str], reporter: Reporter
) -> None:
    """`Loại` of every row of a file whose `NhanSu` lacks the column (settled 8)."""
    if "category" in table.headers:
        return  # the column wins, and a blank cell in it is an error of its own
    frame = table.frame
    column = WORKFORCE.column("category")
    assert column.enum is not None
    code, source = workbook.info.category, FROM_INFO
    if code is None:
        code, source = _default(defaults, "category"), FROM_DEFAULTS
    frame["category"] = pd.Categorical([code] * len(frame), categories=list(column.enum.codes))
    if code is not None:
        table.derived["category"] = source
        return
    frame[INVALID] = True
    reporter.add(
        Severity.ERROR,
        "category_unavailable",
        field=column.header,
        item=column.header,
        examples=", ".join(column.enum.label(c, "vi") for c in column.enum.codes[:2]),
    )


# ---------------------------------------------------------------------------------------
# Units whose registry rows disagree


def _disputes(
    loaded: Sequence[LoadedWorkbook], registry: _Registry, affected: dict[tuple[str, str], int]
) -> list[Issue]:
    """One error per (unit, attribute) whose `DonVi` rows disagree and that leaves rows
    without the attribute: at the first cell, naming the first that disagrees."""
    issues: list[Issue] = []
    for attribute in ATTRIBUTES:
        enum = UNITS.column(attribute).enum
        assert enum is not None
        for key, (first, other) in registry.disputed.get(attribute, {}).items():
            count = affected.get((attribute, key), 0)
            if not count:
                continue  # nobody needs it: the repeated DonVi row is reported as such
            table = loaded[first.file].tables[UNITS.key]
            sheet, row, _ = _place(loaded, first, attribute)
            frame = table.frame
            display = loaded[first.file].display
            other_table = loaded[other.file].tables[UNITS.key]
            issues.append(
                Issue(
                    Severity.ERROR,
                    "unit_attribute_disputed",
                    file=display,
                    sheet=sheet,
                    row=row,
                    column=table.headers.get(attribute),
                    cell=table.cell(attribute, row),
                    params={
                        "unit": str(frame["unit"].iloc[first.position]),
                        "field": UNITS.column(attribute).header,
                        "value": enum.label(str(frame[attribute].iloc[first.position]), "vi"),
                        "other_value": enum.label(
                            str(other_table.frame[attribute].iloc[other.position]), "vi"
                        ),
                        "other": _where(loaded, other, attribute, display),
                        "count": Amount(count),
                    },
                    related=_related(loaded, other, attribute, display),
                )
            )
    return issues


__all__ = ["ATTRIBUTES", "FROM_DEFAULTS", "FROM_INFO", "FROM_UNITS", "derive_unit_attributes"]
