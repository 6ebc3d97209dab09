"""The rows of a sheet that pass a catalog filter, as boolean masks computed once.

A filter (`Where`) is a list of conditions on a sheet's columns, derived columns (age,
leader, postgraduate) and `DonVi` columns joined to each person by unit name. Every mask,
condition and column is cached, so a filter that many indicators share (active, leader, a
level) is evaluated once. A sheet or column that is not in the input raises `Missing`.
Everything stays vectorised: a text test runs once per distinct value, not once per row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from functools import reduce
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.catalog.measures import (
    UNIT_PREFIX,
    Condition,
    CountMeasure,
    Measure,
    SubsetMeasure,
    Where,
    enum_code,
    resolve_operand,
    vocabulary,
)
from kpi_tritue.compute.assess import Missing
from kpi_tritue.contract.normalize import fold, unit_key
from kpi_tritue.contract.schema import POSTGRADUATE, UNITS, WORKFORCE, ValueType
from kpi_tritue.io.dataset import Dataset
from kpi_tritue.io.tables import Table
from kpi_tritue.model.results import Note


class Masks:
    """The filters of one dataset: masks, conditions and columns, each computed once."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.year: int = dataset.report_year
        self.as_of: date = dataset.as_of
        self._columns: dict[tuple[str, str], pd.Series] = {}
        self._distinct: dict[tuple[str, str], tuple[np.ndarray[Any, Any], list[str]]] = {}
        self._masks: dict[tuple[str, Where], pd.Series] = {}
        self._conditions: dict[tuple[str, Condition], pd.Series] = {}
        self._units_lookup: pd.DataFrame | None = None
        self._unit_positions: np.ndarray[Any, Any] | None = None
        self._person_units: tuple[np.ndarray[Any, Any], pd.Index] | None = None

    def table(self, sheet: str) -> Table:
        table = self.dataset.table(sheet)
        if table is None:
            raise Missing(Note("missing_sheet", {"sheet": sheet}))
        return table

    def mask(self, sheet: str, where: Where) -> pd.Series:
        """Rows of `sheet` passing every condition (plain bool; NA never passes)."""
        key = (sheet, where)
        if key not in self._masks:
            table = self.table(sheet)
            parts = [self._condition_once(sheet, condition) for condition in where]
            everyone = pd.Series(True, index=table.frame.index)
            self._masks[key] = reduce(operator.and_, parts, everyone)
        return self._masks[key]

    def _condition_once(self, sheet: str, condition: Condition) -> pd.Series:
        """`_condition`, computed once: many indicators share "active", "leader", a level."""
        key = (sheet, condition)
        found = self._conditions.get(key)
        if found is None:
            found = self._conditions[key] = self._condition(sheet, condition)
        return found

    def _condition(self, sheet: str, condition: Condition) -> pd.Series:
        if condition.any_ is not None:
            # Every branch must be evaluable: an absent column is not reported, not "no".
            parts = [self._condition(sheet, part) for part in condition.any_]
            return reduce(operator.or_, parts)
        assert condition.column is not None
        info = vocabulary(sheet)[condition.column]
        values = self.column(sheet, condition.column)
        op = condition.operator
        operand = condition.operand(op)
        if op == "is":
            return flags(values.astype("boolean") == bool(operand))
        if op == "prefix":
            prefixes = tuple(fold(str(p)) for p in operand)
            return self._text_test(sheet, condition.column, lambda text: text.startswith(prefixes))
        if op in ("in", "not_in") and info.type is ValueType.TEXT:
            texts = {fold(str(v)) for v in operand}
            hit = self._text_test(sheet, condition.column, lambda text: text in texts)
            if op == "in":
                return hit
            codes, _ = self._distinct_text(sheet, condition.column)
            return pd.Series((codes >= 0) & ~hit.to_numpy(dtype=bool), index=values.index)
        if op in ("in", "not_in"):
            hay = values
            needles: list[object]
            if info.type is ValueType.ENUM:
                assert info.enum is not None
                needles = [enum_code(info.enum, str(v)) for v in operand]
            else:
                needles = [resolve_operand(v, self.year) for v in operand]
            known = hay.notna().to_numpy(dtype=bool)
            found = isin(hay, needles) & known
            return pd.Series(found if op == "in" else known & ~found, index=values.index)
        bound = resolve_operand(operand, self.year)
        numbers = values.astype("Float64")
        compare: Callable[[Any, Any], Any] = getattr(operator, op)
        return flags(compare(numbers, bound))

    def column(self, sheet: str, name: str) -> pd.Series:
        """A column of `sheet` by its catalog name, derived or joined as needed."""
        key = (sheet, name)
        if key in self._columns:
            return self._columns[key]
        table = self.table(sheet)
        if name.startswith(UNIT_PREFIX):
            series = self.unit_attribute(name.removeprefix(UNIT_PREFIX))
        else:
            info = vocabulary(sheet)[name]
            if info.needs and not any(need in table.present for need in info.needs):
                raise Missing(
                    Note("missing_column", {"sheet": sheet, "column": "|".join(info.needs)})
                )
            series = self._derive(table, name)
        self._columns[key] = series
        return series

    def _derive(self, table: Table, name: str) -> pd.Series:
        frame = table.frame
        if name == "age":
            return self._age(frame)
        if name == "postgraduate":
            return pd.Series(frame["qualification"].isin(POSTGRADUATE), index=frame.index)
        if name == "leader":
            leader = flags(frame["is_manager"])
            if "is_key_leader" in table.present:
                leader |= flags(frame["is_key_leader"])
            return leader
        if name not in frame:
            # Present in `present` but not in this frame cannot happen; absent means blank.
            return pd.Series(pd.NA, index=frame.index, dtype="object")
        return frame[name]

    def _age(self, frame: pd.DataFrame) -> pd.Series:
        """Full years at `as_of` from the birth date; `Y − birth year` when only that is known."""
        born = pd.to_datetime(frame["birth_date"])
        month, day = born.dt.month, born.dt.day
        before_birthday = (month > self.as_of.month) | (
            (month == self.as_of.month) & (day > self.as_of.day)
        )
        years = self.year - frame["birth_year"].astype("Int64")
        return years - before_birthday.fillna(False).astype("int64")

    def _text_test(self, sheet: str, name: str, test: Callable[[str], bool]) -> pd.Series:
        """`test` on the folded text of a column, evaluated once per distinct value."""
        codes, folded = self._distinct_text(sheet, name)
        passed = np.array([test(text) for text in folded] + [False], dtype=bool)
        return pd.Series(passed[codes], index=self.table(sheet).frame.index)

    def _distinct_text(self, sheet: str, name: str) -> tuple[np.ndarray[Any, Any], list[str]]:
        """A text column as codes (-1 for blank) into its distinct values, folded."""
        key = (sheet, name)
        if key not in self._distinct:
            codes, uniques = pd.factorize(self.column(sheet, name), use_na_sentinel=True)
            self._distinct[key] = (np.asarray(codes), [fold(str(u)) for u in uniques])
        return self._distinct[key]

    # -- people joined to their unit ------------------------------------------------------

    def unit_attribute(self, column: str) -> pd.Series:
        """A `DonVi` column for each person, matched on the unit name."""
        units = self.table(UNITS.key)
        if column not in units.present:
            raise Missing(Note("missing_column", {"sheet": UNITS.key, "column": column}))
        lookup = self._units_by_key()[column]
        if self._unit_positions is None:
            # What `unit_keys(NhanSu).map(lookup)` does, with the matching done once for
            # every column, and once per distinct key rather than per person.
            codes, keys = self._person_unit_codes()
            found = self._units_by_key().index.get_indexer(keys)
            self._unit_positions = np.append(np.asarray(found), -1)[codes]
        people = self.table(WORKFORCE.key).frame.index
        joined = pd.Series(lookup.array.take(self._unit_positions, allow_fill=True), index=people)
        if UNITS.column(column).type is ValueType.BOOL:
            return joined.astype("boolean")
        return joined

    def _units_by_key(self) -> pd.DataFrame:
        """DonVi rows indexed by unit key (the first row of a key wins)."""
        if self._units_lookup is None:
            frame = self.table(UNITS.key).frame.copy()
            frame.index = pd.Index(self.unit_keys(UNITS.key))
            self._units_lookup = frame[frame.index.notna()].loc[
                lambda f: ~f.index.duplicated(keep="first")
            ]
        return self._units_lookup

    def unit_keys(self, sheet: str) -> pd.Series:
        """The unit of each row of `sheet` as a matching key (NA for none)."""
        key = (sheet, "unit#key")
        if key not in self._columns:
            units = self.table(sheet).frame["unit"]
            self._columns[key] = matching_keys(units)
        return self._columns[key]

    def count_by_unit(self, mask: pd.Series) -> pd.Series:
        """`mask.groupby(unit keys).sum()`: rows passing `mask` per unit key of NhanSu."""
        codes, uniques = self._person_unit_codes()
        counted = codes[mask.to_numpy(dtype=bool) & (codes >= 0)]
        return pd.Series(np.bincount(counted, minlength=len(uniques)), index=uniques)

    def _person_unit_codes(self) -> tuple[np.ndarray[Any, Any], pd.Index]:
        """Each NhanSu row's unit key as a code into the distinct keys (-1 for none):
        `pd.factorize(unit_keys(NhanSu))`, without a key made or hashed per person."""
        if self._person_units is None:
            units = self.table(WORKFORCE.key).frame["unit"]
            self._person_units = keyed_codes(units, unit_key)
        return self._person_units


# ---------------------------------------------------------------------------------------
# Counts and columns


def is_count(measure: Measure) -> bool:
    return isinstance(measure, CountMeasure | SubsetMeasure)


def count_of(measure: Measure, denominator: Measure | None) -> tuple[str, Where]:
    """The sheet and conditions of a count: a subset adds its conditions to the denominator's."""
    if isinstance(measure, CountMeasure):
        return measure.sheet, measure.where
    assert isinstance(measure, SubsetMeasure)
    assert isinstance(denominator, CountMeasure)
    return denominator.sheet, denominator.where + measure.subset


def flags(values: pd.Series) -> pd.Series:
    """A boolean-like Series as plain bool, NA as False."""
    return pd.Series(values.to_numpy(dtype=bool, na_value=False), index=values.index)


def isin(values: pd.Series, needles: list[object]) -> np.ndarray[Any, Any]:
    """`values.isin(needles)` as plain bool (NA as False); a category column by its codes."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        # What `Categorical.isin` does, with a lookup table in place of a hash table.
        categories = values.cat.categories
        wanted = np.asarray(categories.get_indexer_for(pd.Index(needles, dtype=object)))
        missing = np.asarray(pd.isna(np.asarray(needles, dtype=object)), dtype=bool)
        table = np.zeros(len(categories) + 1, dtype=bool)
        table[wanted[missing | (wanted >= 0)]] = True  # -1 (NA) is the last entry
        found: np.ndarray[Any, Any] = table[values.cat.codes.to_numpy()]
        return found
    return flags(values.isin(needles)).to_numpy(dtype=bool)


def map_distinct(values: pd.Series, function: Callable[[str], str]) -> pd.Series:
    """`function` applied once per distinct text of a column; NA stays NA."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    # `tolist` hands over Python strings at once; iterating an Arrow-backed index does not.
    mapped = np.array([function(str(u)) for u in uniques.tolist()] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="object")


def keyed_codes(
    values: pd.Series, function: Callable[[str], str]
) -> tuple[np.ndarray[Any, Any], pd.Index]:
    """`pd.factorize(map_distinct(values, function))`: each row's mapped value as a code
    into the distinct mapped values in their order of first appearance (-1 for NA). Only
    the distinct texts are mapped and hashed again; a test holds the two equal."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = pd.Index([function(str(u)) for u in uniques.tolist()], dtype=object)
    mapped_codes, mapped_uniques = pd.factorize(mapped, use_na_sentinel=True)
    # A distinct text's first row comes before any other row of its mapped value, and the
    # distinct texts are in the order of their first rows: so are the mapped values.
    table = np.append(np.asarray(mapped_codes, dtype=np.intp), -1)
    return table[codes], pd.Index(mapped_uniques, dtype=object)


def matching_keys(values: pd.Series) -> pd.Series:
    """Unit or area names as matching keys (cleaned, case folded, diacritics kept)."""
    return map_distinct(values, unit_key)


__all__ = [
    "Masks",
    "count_of",
    "flags",
    "is_count",
    "isin",
    "keyed_codes",
    "map_distinct",
    "matching_keys",
]
