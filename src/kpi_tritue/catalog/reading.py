"""Reading a catalog: the TOML text bounded, parsed, validated by the models
(`catalog.model`) and checked against the contract (`catalog.checks`); every problem is
listed, with its place in the file, in one `CatalogError`."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from pydantic import ValidationError

from kpi_tritue.catalog.checks import Checker, Loc
from kpi_tritue.catalog.measures import MEASURE_TAGS
from kpi_tritue.catalog.model import DEFAULT_CATALOG, MAX_ERRORS_SHOWN, Catalog, CatalogError, Said
from kpi_tritue.contract.text_inputs import (
    INDICATORS_LIMIT,
    VALUES_LIMIT,
    UnsafeInput,
    check_toml_structure,
    count_values,
    shorten,
)

# ---------------------------------------------------------------------------------------
# Loading


def _format_loc(loc: Loc, data: Any) -> str:
    """`indicators[doctors_per_10k].numerator.where[0].column` from a raw location."""
    shown = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and part < len(node):
                item = node[part]
                if isinstance(item, Mapping) and isinstance(item.get("id"), str):
                    label = shorten(item["id"], 40)
                node = item
            else:
                node = None
            shown += f"[{label}]"
            continue
        if part in MEASURE_TAGS.values():
            continue  # a union tag, not a key of the file
        node = node.get(part) if isinstance(node, Mapping) else None
        key = shorten(part, 40)
        shown += f".{key}" if shown else key
    return shown


def _pydantic_errors(error: ValidationError, data: Any) -> list[tuple[str, Said]]:
    found: list[tuple[str, Said]] = []
    for detail in error.errors(include_url=False):
        if len(found) == MAX_ERRORS_SHOWN:
            break
        loc = tuple(p for p in detail["loc"] if isinstance(p, str | int))
        message: Said = {"type": detail["type"], "msg": detail["msg"], "ctx": detail.get("ctx")}
        if detail["type"] == "measure":
            message = ("catalog.measure_kind", {})
        found.append((_format_loc(loc, data), message))
    return found


def parse_catalog(data: Mapping[str, Any], path: str = "<catalog>") -> Catalog:
    """Validate a catalog already read from TOML; `CatalogError` lists every problem."""
    indicators = data.get("indicators")
    if isinstance(indicators, list) and len(indicators) > INDICATORS_LIMIT.value:
        raise CatalogError(path, [], problem=INDICATORS_LIMIT.problem(len(indicators)))
    values = count_values(data, VALUES_LIMIT.value)
    if values > VALUES_LIMIT.value:
        raise CatalogError(path, [], problem=VALUES_LIMIT.problem(values))
    try:
        catalog = Catalog.model_validate(data)
    except ValidationError as error:
        raise CatalogError(path, _pydantic_errors(error, data), total=error.error_count()) from None
    problems = Checker(catalog).run()
    if problems:
        shown = problems[:MAX_ERRORS_SHOWN]
        raise CatalogError(
            path, [(_format_loc(loc, data), msg) for loc, msg in shown], total=len(problems)
        )
    return catalog


def load_catalog() -> Catalog:
    """The default catalog (Hà Tĩnh's plan), shipped in the package; a `--targets` file is
    read by `io.option_files.load_targets`, which gives its text to `read_catalog`."""
    resource = resources.files("kpi_tritue").joinpath("catalog").joinpath(DEFAULT_CATALOG)
    return parse_catalog(tomllib.loads(resource.read_text("utf-8")), DEFAULT_CATALOG)


def read_catalog(source: str, shown: str) -> Catalog:
    """The catalog in the TOML text `source` (`shown` names its file in messages).

    Its dotted keys, nesting and numbers are bounded before the TOML parser sees it (see
    `contract.text_inputs`).
    """
    try:
        check_toml_structure(source)
    except UnsafeInput as problem:
        raise CatalogError(shown, [], problem=problem) from None
    try:
        data = tomllib.loads(source)
    except (ValueError, RecursionError) as error:
        # TOMLDecodeError is a ValueError; the others are kept out by the structure check.
        raise CatalogError(shown, [("", ("catalog.not_toml", {"error": error}))]) from None
    return parse_catalog(data, shown)
