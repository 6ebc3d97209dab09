"""A `--columns` mapping file: a workbook's own headers, values and defaults mapped onto
the contract (official-lists.md, section 3 and settled detail 15).

```toml
[NhanSu.headers]            # the workbook's header → the contract's key
"Trình độ CM" = "qualification"
[NhanSu.values.level]       # the workbook's value → the contract's value
"Sở, ban, ngành" = "Tỉnh"
[NhanSu.defaults]           # a value for a column that a workbook lacks altogether
category = "Công chức"
```

`read_mapping` bounds the text (`text_inputs.check_toml_structure`), parses it, checks its
shape with pydantic and every sheet, key and value against the contract, and returns the
contract with the mapping in it (`apply_mapping`): mapped headers on `SheetSpec.mapped_headers`
(they beat the built-in names), value mappings on `ColumnSpec.value_map` (read in the
cell's place before the cell is parsed), defaults in `Contract.defaults`. Any fault is a
`MappingError`: a usage error (exit code 2) with one `location: message` line per fault.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from kpi_tritue.contract.normalize import clean_text, fold, value_key
from kpi_tritue.contract.schema import CONTRACT, ColumnSpec, Contract, SheetSpec, ValueType
from kpi_tritue.contract.text_inputs import UnsafeInput, check_toml_structure, shorten
from kpi_tritue.errors import UsageError
from kpi_tritue.i18n import Lang, text, validation_message

# A mapping with a hundred faults is not read fault by fault: the first ones, then a count.
MAX_ERRORS_SHOWN = 20
# Headers that number the rows: never a person's ID (a `Mã`), whatever a mapping says.
ROW_NUMBER_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu"})

# A fault as said in the user's language.
Say = Callable[[Lang], str]
Fault = tuple[str, Say]


class MappingError(UsageError):
    """A `--columns` file that cannot be used: one `(location, message)` per fault (the
    first `MAX_ERRORS_SHOWN`; `total` counts them all), or the `problem` that kept it
    unread (too large, not UTF-8, nested too deep). Exit code 2: the fix is to the file
    the command line names, and no workbook was read."""

    def __init__(
        self,
        path: str,
        faults: Sequence[Fault] = (),
        *,
        total: int | None = None,
        problem: UnsafeInput | None = None,
    ) -> None:
        self.path = path
        self.faults = list(faults)[:MAX_ERRORS_SHOWN]
        self.total = len(faults) if total is None else total
        self.problem = problem
        super().__init__("columns.invalid", path=path)

    @property
    def locations(self) -> list[str]:
        return [where for where, _ in self.faults]

    def lines(self, lang: Lang) -> list[str]:
        """`location: message`, one a fault, in the user's language."""
        if self.problem is not None:
            return [self.problem.message(lang)]
        said = [f"{where}: {say(lang)}" if where else say(lang) for where, say in self.faults]
        if self.total > len(self.faults):
            more = self.total - len(self.faults)
            said.append(text("input.more_errors", lang, count=more, shown=len(self.faults)))
        return said

    def message(self, lang: Lang) -> str:
        head = text("columns.invalid", lang, path=self.path)
        return "\n".join([head, *(f"- {line}" for line in self.lines(lang))])


# ---------------------------------------------------------------------------------------
# The shape of the file (pydantic), then its meaning (the contract)


class SheetMapping(BaseModel):
    """One sheet's table of a mapping file, as written."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    headers: dict[str, str] = {}
    values: dict[str, dict[str, Any]] = {}
    defaults: dict[str, Any] = {}


class ResolvedSheet(BaseModel):
    """One sheet's mapping checked against the contract: headers (cleaned) → keys, each
    column's values (folded) → the value read instead, each default as a cell would hold
    it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    headers: tuple[tuple[str, str], ...] = ()
    values: dict[str, tuple[tuple[str, str], ...]] = {}
    defaults: dict[str, str] = {}


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def location(*parts: object) -> str:
    """A place in the file as TOML writes it: `NhanSu.headers."Trình độ CM"`."""
    shown: list[str] = []
    for part in parts:
        name = shorten(part, 40)
        shown.append(name if _BARE_KEY.match(name) else json.dumps(name, ensure_ascii=False))
    return ".".join(shown)


def _said(message: str, /, **params: object) -> Say:
    return lambda lang: text(message, lang, **params)


def _pydantic_said(detail: Mapping[str, object]) -> Say:
    return lambda lang: validation_message(detail, lang)


_LOOSE_YEAR = 9999


def _canonical(column: ColumnSpec, value: object) -> tuple[str | None, Say | None]:
    """A value of a mapping file as a cell of `column` would hold it, checked by the
    column's own parser; or why it is not a value of that column."""
    from kpi_tritue.contract.values import Bounds, _scalar_parser

    if isinstance(value, bool):
        written = "TRUE" if value else "FALSE"
    elif isinstance(value, int | float) and not isinstance(value, bool):
        written = repr(value)
    elif isinstance(value, datetime):
        written = value.date().isoformat()
    elif isinstance(value, date):
        written = value.isoformat()
    elif isinstance(value, str):
        written = clean_text(value)
    else:
        return None, _said("columns.not_scalar")
    shown = shorten(written)
    if column.type is ValueType.TEXT:
        if not written or isinstance(value, bool):
            return None, _said("columns.bad_text", value=shown, column=column.key)
        return written, None
    loose = Bounds(report_year=_LOOSE_YEAR, as_of=date(_LOOSE_YEAR, 12, 31))
    parsed, problem = _scalar_parser(column, loose)(written) if written else (None, "blank")
    if problem is not None or parsed is None:
        return None, _bad_value(column, shown)
    if column.type is ValueType.ENUM:
        return str(parsed), None  # the code
    return written, None


def _bad_value(column: ColumnSpec, shown: str) -> Say:
    def say(lang: Lang) -> str:
        kind = column.type.value
        if column.enum is not None:
            expected = text("columns.expect.enum", lang, choices=column.enum.choices("vi"))
        else:
            expected = text(f"columns.expect.{kind}", lang)
            if column.minimum is not None or column.maximum is not None:
                low = "…" if column.minimum is None else f"{column.minimum:g}"
                high = "…" if column.maximum is None else f"{column.maximum:g}"
                expected += text("columns.expect.range", lang, low=low, high=high)
        return text("columns.bad_value", lang, value=shown, column=column.key, expected=expected)

    return say


class _Checker:
    """Every fault of a mapping, in the order of the file; the resolved sheets."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self.faults: list[Fault] = []

    def fault(self, where: str, say: Say) -> None:
        self.faults.append((where, say))

    def sheets(self, data: Mapping[str, Any]) -> dict[str, ResolvedSheet]:
        resolved: dict[str, ResolvedSheet] = {}
        named: dict[str, str] = {}
        for name, table in data.items():
            spec = self.contract.match_sheet(name)
            if spec is None:
                known = ", ".join(sheet.name for sheet in self.contract.sheets)
                self.fault(
                    location(name),
                    _said("columns.unknown_sheet", name=shorten(name, 40), known=known),
                )
                continue
            if spec.key in named:
                self.fault(
                    location(name), _said("columns.sheet_twice", other=shorten(named[spec.key], 40))
                )
                continue
            named[spec.key] = name
            try:
                shaped = SheetMapping.model_validate(table)
            except ValidationError as error:
                for detail in error.errors(include_url=False):
                    parts = [p for p in detail["loc"] if isinstance(p, str | int)]
                    self.fault(location(name, *parts), _pydantic_said(detail))
                continue
            resolved[spec.key] = self.sheet(name, spec, shaped)
        return resolved

    def _column(self, spec: SheetSpec, key: str, where: str) -> ColumnSpec | None:
        for column in spec.columns:
            if column.key == key:
                return column
        known = ", ".join(column.key for column in spec.columns)
        self.fault(
            where,
            _said("columns.unknown_key", column=shorten(key, 40), sheet=spec.name, known=known),
        )
        return None

    def sheet(self, name: str, spec: SheetSpec, shaped: SheetMapping) -> ResolvedSheet:
        headers: list[tuple[str, str]] = []
        seen: dict[str, tuple[str, str]] = {}
        for header, key in shaped.headers.items():
            where = location(name, "headers", header)
            cleaned = clean_text(header)
            if not fold(cleaned):
                self.fault(where, _said("columns.empty_header"))
                continue
            if self._column(spec, key, where) is None:
                continue
            if key == "id" and fold(cleaned) in ROW_NUMBER_HEADERS:
                self.fault(where, _said("columns.row_number_as_id", header=shorten(cleaned, 40)))
                continue
            earlier = seen.get(fold(cleaned))
            if earlier is not None and earlier[1] != key:
                self.fault(
                    where,
                    _said("columns.header_twice", other=shorten(earlier[0], 40), column=earlier[1]),
                )
                continue
            seen[fold(cleaned)] = (cleaned, key)
            headers.append((cleaned, key))
        values: dict[str, tuple[tuple[str, str], ...]] = {}
        for key, table in shaped.values.items():
            column = self._column(spec, key, location(name, "values", key))
            if column is None:
                continue
            pairs: dict[str, str] = {}
            for given, wanted in table.items():
                where = location(name, "values", key, given)
                if not value_key(given):
                    self.fault(where, _said("columns.empty_value"))
                    continue
                instead, problem = _canonical(column, wanted)
                if problem is not None or instead is None:
                    self.fault(where, problem or _said("columns.not_scalar"))
                    continue
                pairs[value_key(given)] = instead
            values[key] = tuple(pairs.items())
        defaults: dict[str, str] = {}
        for key, value in shaped.defaults.items():
            where = location(name, "defaults", key)
            column = self._column(spec, key, where)
            if column is None:
                continue
            if spec.row_key == (key,) or key == "full_name":
                self.fault(where, _said("columns.default_identifies", column=key))
                continue
            mapped = dict(values.get(key, ()))
            if isinstance(value, str) and value_key(value) in mapped:
                defaults[key] = mapped[value_key(value)]
                continue
            instead, problem = _canonical(column, value)
            if problem is not None or instead is None:
                self.fault(where, problem or _said("columns.not_scalar"))
                continue
            defaults[key] = instead
        return ResolvedSheet(headers=tuple(headers), values=values, defaults=defaults)


def check_mapping(
    data: Mapping[str, Any], contract: Contract = CONTRACT
) -> tuple[dict[str, ResolvedSheet], list[Fault]]:
    """A parsed mapping file checked against `contract`: the sheets resolved (by sheet
    key), and every fault with its place."""
    checker = _Checker(contract)
    return checker.sheets(data), checker.faults


def apply_mapping(contract: Contract, sheets: Mapping[str, ResolvedSheet]) -> Contract:
    """`contract` with a checked mapping in it (see the module's doc)."""
    new_sheets: list[SheetSpec] = []
    for spec in contract.sheets:
        mapping = sheets.get(spec.key)
        if mapping is None:
            new_sheets.append(spec)
            continue
        columns = tuple(
            _rebuilt(column, value_map=column.value_map + mapping.values[column.key])
            if mapping.values.get(column.key)
            else column
            for column in spec.columns
        )
        new_sheets.append(
            _rebuilt(spec, columns=columns, mapped_headers=spec.mapped_headers + mapping.headers)
        )
    defaults = {key: dict(values) for key, values in contract.defaults.items()}
    for key, mapping in sheets.items():
        if mapping.defaults:
            defaults.setdefault(key, {}).update(mapping.defaults)
    return Contract(sheets=tuple(new_sheets), defaults=defaults)


_M = TypeVar("_M", bound=BaseModel)


def _rebuilt(model: _M, **update: object) -> _M:
    """A frozen model built again with some fields changed (not `model_copy`, which would
    carry over the cached lookups of the old one)."""
    fields = {name: getattr(model, name) for name in type(model).model_fields}
    return type(model)(**{**fields, **update})


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def read_mapping(source: str, shown: str, contract: Contract = CONTRACT) -> Contract:
    """The contract with the mapping of TOML text `source` in it (`shown` names the file in
    messages); `MappingError` lists every fault."""
    try:
        check_toml_structure(source)
    except UnsafeInput as problem:
        raise MappingError(shown, problem=problem) from None
    try:
        data = tomllib.loads(source)
    except (ValueError, RecursionError) as error:
        said = str(error)
        found = _AT.search(said)
        if found is None:
            raise MappingError(
                shown, [("", _said("columns.not_toml", error=shorten(said)))]
            ) from None
        where = f"{shown}:{found[1]}:{found[2]}"
        detail = said[: found.start()]

        def say(lang: Lang) -> str:
            return text("columns.not_toml", lang, error=detail)

        faults: list[Fault] = [(where, say)]
        raise MappingError(shown, faults, total=1) from None
    sheets, faults = check_mapping(data, contract)
    if faults:
        raise MappingError(shown, faults)
    return apply_mapping(contract, sheets)
