"""The text inputs named on the command line, read within their bounds: a `--targets`
catalog (TOML), a `--baseline` result (JSON) and a `--columns` mapping (TOML).

Only regular files are read, up to their size limit (see `safe_files`); what they hold is
then the catalog's and the baseline's to parse (`catalog.reading.read_catalog`,
`compute.baseline.baseline_from_json`).
"""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

from kpi_tritue.catalog.model import Catalog, CatalogError
from kpi_tritue.catalog.reading import read_catalog
from kpi_tritue.contract.schema import CONTRACT, Contract
from kpi_tritue.contract.text_inputs import (
    BASELINE_LIMIT,
    COLUMNS_LIMIT,
    TARGETS_LIMIT,
    UnsafeInput,
    finite_float,
    json_constant,
    json_int,
)
from kpi_tritue.io.safe_files import decode_utf8, read_capped


def read_targets_text(path: Path) -> str:
    """The text of a `--targets` file: a regular file of at most `TARGETS_LIMIT`, UTF-8;
    `UnsafeInput` otherwise."""
    return decode_utf8(read_capped(path, TARGETS_LIMIT))


def load_targets(path: Path) -> Catalog:
    """The catalog of a `--targets` file; `CatalogError` (exit code 3) when it cannot be
    read or is not a valid catalog."""
    shown = str(path)
    try:
        source = read_targets_text(path)
    except UnsafeInput as problem:
        raise CatalogError(shown, [], problem=problem) from None
    return read_catalog(source, shown)


def read_baseline_json(path: Path) -> Any:
    """The parsed JSON of a `--baseline` file: a regular file of at most `BASELINE_LIMIT`,
    strict JSON (no NaN, no infinity, no integer of more than a hundred digits).

    Raises `UnsafeInput`, `RecursionError` (nested too deep) or `ValueError` (not JSON,
    or bad UTF-8 in json's own decoding).
    """
    source = decode_utf8(read_capped(path, BASELINE_LIMIT))
    # Millions of small lists or objects (16 MB of `[],`) would set off the cyclic garbage
    # collector again and again: 4.3 s instead of 0.7 s. JSON makes no cycles to collect.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return json.loads(
            source, parse_float=finite_float, parse_int=json_int, parse_constant=json_constant
        )
    finally:
        if collecting:
            gc.enable()


def load_columns(path: Path, contract: Contract = CONTRACT) -> Contract:
    """`contract` with the mapping of a `--columns` file in it (`contract.mapping`): a
    regular file of at most `COLUMNS_LIMIT`, UTF-8 TOML; `MappingError` (exit code 2)
    otherwise, with the place of each fault."""
    from kpi_tritue.contract.mapping import MappingError, read_mapping

    shown = path.as_posix()
    try:
        source = decode_utf8(read_capped(path, COLUMNS_LIMIT))
    except UnsafeInput as problem:
        raise MappingError(shown, problem=problem) from None
    return read_mapping(source, shown, contract)
