"""Where a sheet's header row lies, and which column of the contract each header names."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kpi_tritue.contract.normalize import clean_text, fold
from kpi_tritue.contract.schema import SEX, SheetSpec
from kpi_tritue.contract.text_inputs import shorten
from kpi_tritue.io.arrow_frames import TextColumns
from kpi_tritue.io.frames import head_values
from kpi_tritue.io.sheet_table import Reporter
from kpi_tritue.io.sheet_xml import MergedRange
from kpi_tritue.model.issues import Severity, column_letter

HEADER_SEARCH_ROWS = 20
# Headers that forms carry but the contract does not need: ignored without a word.
# The row number's header (`STT`): never an ID; a group heading's number (`data_rows`).
STT_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu"})
_IGNORED_HEADERS = STT_HEADERS | {"ghi chu"}
# The sub-columns of a birth header split by sex (official-lists.md, settled 1), compared
# NFC and case folded with their diacritics kept: `Năm` (year) is not `Nam`.
MALE_LABEL, FEMALE_LABEL = (value.vi.casefold() for value in SEX.values)
_SEX_LABELS = frozenset({MALE_LABEL, FEMALE_LABEL})
_BIRTH_KEYS = ("birth_date", "birth_year")


@dataclass(frozen=True)
class BirthSplit:
    """A birth header over two sub-columns `Nam` and `Nữ`: the birth date is whichever
    holds a value, the sex that sub-column's."""

    male: int
    female: int


@dataclass(frozen=True)
class Header:
    """The header found: its row(s), the column of each key, the text of each column."""

    rows: tuple[int, ...]
    columns: dict[str, int]
    texts: dict[int, str]
    # Where the birth date is split into `Nam` / `Nữ` (then `columns["birth_date"]` is
    # the `Nam` column).
    split: BirthSplit | None = None

    @property
    def mapped(self) -> set[int]:
        """Every column the header reads."""
        found = set(self.columns.values())
        if self.split is not None:
            found |= {self.split.male, self.split.female}
        return found


def sex_label(text: str) -> str | None:
    """`nam` or `nữ` for a cell that says the sub-column's sex, else None."""
    label = clean_text(text).casefold()
    return label if label in _SEX_LABELS else None


# A sheet's cells: a pandas frame (columns: column indexes), or the reader's Arrow text
# columns, read without a pandas Series a column (`RawSheet.content`, issue 14).
Cells = pd.DataFrame | TextColumns


def _header_candidates(cells: Cells) -> Iterator[tuple[tuple[int, ...], dict[int, str]]]:
    """Single rows among the first 20, then pairs of adjacent rows (two-level headers).

    In that order, each built when asked for: the search stops at the first candidate that
    holds the sheet's headers, most often one of the first rows, and the other rows' text
    is then never cleaned (issue 14: cleaning all 20 rows and their 19 pairs cost a sheet
    more than finding its header)."""
    rows = _HeadRows(cells)
    for i in range(len(rows)):
        yield (i,), rows[i]
    # In a pair the lower row's text wins, except `Nam` / `Nữ` under a header (a birth
    # header split by sex keeps its own text).
    for i in range(len(rows) - 1):
        upper, lower = rows[i], rows[i + 1]
        yield (
            (i, i + 1),
            {**upper, **{c: t for c, t in lower.items() if c not in upper or not sex_label(t)}},
        )


class _HeadRows:
    """The cleaned text of the first `height` rows, column index → text, blanks left out;
    a row is cleaned the first time it is asked for."""

    def __init__(self, cells: Cells, height: int = HEADER_SEARCH_ROWS) -> None:
        # Column by column, not `iterrows`: a Series a row cost more than the whole search.
        self._height = min(height, len(cells))
        self._columns = [int(str(c)) for c in cells.columns]
        self._grid: list[list[Any]]
        if isinstance(cells, TextColumns):
            self._grid = [text.slice(0, self._height).to_pylist() for text in cells.arrays.values()]
        else:
            self._grid = [head_values(column, self._height) for _, column in cells.items()]
        self._rows: dict[int, dict[int, str]] = {}

    def __len__(self) -> int:
        return self._height

    def __getitem__(self, i: int) -> dict[int, str]:
        row = self._rows.get(i)
        if row is None:
            row = self._rows[i] = {
                c: clean_text(str(column[i]))
                for c, column in zip(self._columns, self._grid, strict=True)
                if pd.notna(column[i])
            }
        return row


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


@dataclass(frozen=True)
class HeaderFit:
    """How well a sheet's first rows hold a sheet's headers: whether they hold all it
    needs, and how many of its columns the best candidate row names."""

    complete: bool
    count: int


def header_fit(cells: Cells, spec: SheetSpec) -> HeaderFit:
    """`find_header`'s search, without a word said: what finding the list by its content
    (`workbook.open_workbook`) compares sheets by."""
    best = 0
    for _, texts in _header_candidates(cells):
        found = _match_headers(spec, texts)
        if _satisfies(spec, found):
            return HeaderFit(True, len(found))
        best = max(best, len(found))
    return HeaderFit(False, best)


def find_header(
    cells: Cells, spec: SheetSpec, reporter: Reporter, merged: Sequence[MergedRange] = ()
) -> Header | None:
    """The sheet's header, or None with `header_not_found`."""
    best: tuple[int, int] = (-1, 0)
    best_found: dict[str, list[int]] = {}
    for rows, texts in _header_candidates(cells):
        found = _match_headers(spec, texts)
        if _satisfies(spec, found):
            header = _header_from(rows, texts, found, spec, reporter)
            return _with_split(header, cells, merged)
        if len(found) > best[0]:
            best, best_found = (len(found), rows[-1]), found
    reporter.add(
        Severity.ERROR,
        "header_not_found",
        missing=", ".join(_missing_labels(spec, best_found)),
        best_row=best[1] + 1,
    )
    return None


def _with_split(header: Header, cells: Cells, merged: Sequence[MergedRange]) -> Header:
    """The header with the row of `Nam` / `Nữ` under its birth header joined to it
    (settled detail 1): under the header's merged span, or under its column and the next.
    The birth date is then read from the two sub-columns, whatever the header's key."""
    for key in _BIRTH_KEYS:
        col = header.columns.get(key)
        if col is None:
            continue
        for row in header.rows:
            text = header.texts.get(col, "")
            if _cell_text(cells, row, col) != text:
                continue
            span = next(
                (
                    range(m.first_col, m.last_col + 1)
                    for m in merged
                    if m.first_row == row and m.first_col == col and m.last_col > col
                ),
                range(col, col + 2),
            )
            below = {c: sex_label(_cell_text(cells, row + 1, c)) for c in span}
            males = [c for c, label in below.items() if label == MALE_LABEL]
            females = [c for c, label in below.items() if label == FEMALE_LABEL]
            if len(males) != 1 or len(females) != 1:
                continue
            rows = tuple(range(header.rows[0], max(header.rows[-1], row + 1) + 1))
            columns = {k: c for k, c in header.columns.items() if k not in _BIRTH_KEYS}
            for other in _BIRTH_KEYS:
                # A second birth header (`Năm sinh` beside `Ngày sinh` over Nam / Nữ)
                # stays a column of its own.
                if other != key and other in header.columns:
                    columns[other] = header.columns[other]
            columns["birth_date"] = males[0]
            texts = {c: t for c, t in header.texts.items() if c not in (*males, *females)}
            texts[males[0]] = text
            return Header(
                rows=rows,
                columns=columns,
                texts=texts,
                split=BirthSplit(male=males[0], female=females[0]),
            )
    return header


def _cell_text(cells: Cells, row: int, col: int) -> str:
    """The cleaned text of one cell ("" for none); from its Arrow column when the reader
    has it (a pandas Series for one cell cost a sheet more than its header's search)."""
    if row >= len(cells) or col not in cells.columns:
        return ""
    if isinstance(cells, TextColumns):
        text = cells.arrays[col][row].as_py()
        return "" if text is None else clean_text(text)
    value = head_values(cells[col], 1, row)[0]
    return "" if value is None or pd.isna(value) else clean_text(str(value))


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
        if col in mapped or fold(text) in _IGNORED_HEADERS or not fold(text) or sex_label(text):
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
