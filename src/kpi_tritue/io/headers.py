"""Where a sheet's header row lies, and which column of the contract each header names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kpi_tritue.contract.normalize import clean_text, fold
from kpi_tritue.contract.schema import SheetSpec
from kpi_tritue.contract.text_inputs import shorten
from kpi_tritue.io.frames import head_values
from kpi_tritue.io.sheet_table import Reporter
from kpi_tritue.model.issues import Severity, column_letter

HEADER_SEARCH_ROWS = 20
# Headers that forms carry but the contract does not need: ignored without a word.
_IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "ghi chu"})


@dataclass(frozen=True)
class Header:
    """The header found: its row(s), the column of each key, the text of each column."""

    rows: tuple[int, ...]
    columns: dict[str, int]
    texts: dict[int, str]


def _header_candidates(cells: pd.DataFrame) -> list[tuple[tuple[int, ...], dict[int, str]]]:
    """Single rows among the first 20, then pairs of adjacent rows (two-level headers)."""
    # Column by column, not `iterrows`: a Series a row cost more than the whole search.
    height = min(HEADER_SEARCH_ROWS, len(cells))
    columns = [int(str(c)) for c in cells.columns]
    grid = [head_values(column, height) for _, column in cells.items()]
    rows: list[dict[int, str]] = [
        {
            c: clean_text(str(column[i]))
            for c, column in zip(columns, grid, strict=True)
            if pd.notna(column[i])
        }
        for i in range(height)
    ]
    candidates: list[tuple[tuple[int, ...], dict[int, str]]] = [
        ((i,), row) for i, row in enumerate(rows)
    ]
    candidates += [((i, i + 1), {**rows[i], **rows[i + 1]}) for i in range(len(rows) - 1)]
    return candidates


def _match_headers(spec: SheetSpec, texts: Mapping[int, str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for col, text in sorted(texts.items()):
        column = spec.header_lookup.get(fold(text))
        if column is not None:
            found.setdefault(column.key, []).append(col)
    return found


def _satisfies(spec: SheetSpec, found: Mapping[str, list[int]]) -> bool:
    if any(column.key not in found for column in spec.header_required_columns):
        return False
    return all(any(key in found for key in group) for group in spec.one_of)


def _missing_labels(spec: SheetSpec, found: Mapping[str, list[int]]) -> list[str]:
    missing = [column.header for column in spec.header_required_columns if column.key not in found]
    for group in spec.one_of:
        if not any(key in found for key in group):
            missing.append(" / ".join(spec.column(key).header for key in group))
    return missing


def find_header(cells: pd.DataFrame, spec: SheetSpec, reporter: Reporter) -> Header | None:
    best: tuple[int, int] = (-1, 0)
    best_found: dict[str, list[int]] = {}
    for rows, texts in _header_candidates(cells):
        found = _match_headers(spec, texts)
        if _satisfies(spec, found):
            return _header_from(rows, texts, found, spec, reporter)
        if len(found) > best[0]:
            best, best_found = (len(found), rows[-1]), found
    reporter.add(
        Severity.ERROR,
        "header_not_found",
        missing=", ".join(_missing_labels(spec, best_found)),
        best_row=best[1] + 1,
    )
    return None


def _header_from(
    rows: tuple[int, ...],
    texts: dict[int, str],
    found: dict[str, list[int]],
    spec: SheetSpec,
    reporter: Reporter,
) -> Header:
    header_row = rows[-1] + 1
    columns: dict[str, int] = {}
    for key, cols in found.items():
        columns[key] = cols[0]
        for extra in cols[1:]:
            reporter.add(
                Severity.ERROR,
                "duplicate_column",
                row=header_row,
                column=texts[extra],
                cell=f"{column_letter(extra)}{header_row}",
                here=f"{column_letter(extra)}{header_row}",
                other=f"{column_letter(cols[0])}{header_row}",
                expected=spec.column(key).header,
            )
    mapped = {col for cols in found.values() for col in cols}
    for col, text in sorted(texts.items()):
        if col in mapped or fold(text) in _IGNORED_HEADERS or not fold(text):
            continue
        reporter.add(
            Severity.INFO,
            "unknown_column",
            row=header_row,
            column=text,
            cell=f"{column_letter(col)}{header_row}",
            value=text,
        )
    _report_absent_mapped(spec, texts, found, header_row, reporter)
    return Header(rows=rows, columns=columns, texts=texts)


def _report_absent_mapped(
    spec: SheetSpec,
    texts: Mapping[int, str],
    found: Mapping[str, list[int]],
    header_row: int,
    reporter: Reporter,
) -> None:
    """One `info` for the headers a `--columns` mapping names that this sheet lacks: but
    not for one of several headers mapped to one key when another of them is here (a
    mapping written for several layouts)."""
    here = {fold(text) for text in texts.values()}
    present_keys = {
        key for header, key in spec.mapped_headers if fold(header) in here and key in found
    }
    absent = [
        header
        for header, key in spec.mapped_headers
        if fold(header) not in here and key not in present_keys
    ]
    if absent:
        reporter.add(
            Severity.INFO,
            "mapped_header_absent",
            row=header_row,
            headers=_quoted(absent),
        )


_LISTED = 10


def _quoted(headers: list[str]) -> str:
    """The first `_LISTED` headers, each quoted and cut, then how many more."""
    shown = ", ".join(f"\u201c{shorten(header, 40)}\u201d" for header in headers[:_LISTED])
    more = len(headers) - _LISTED
    return shown + (f", … (+{more})" if more > 0 else "")
