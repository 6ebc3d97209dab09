"""Read one workbook into validated frames, turning every problem into an `Issue`.

For each sheet of the contract: find the header row under any title rows, map the headers
people wrote onto column keys, drop column-code, empty, group-heading and totals rows,
then parse each column at once (see `values.py`). Rows keep their Excel row number in
`_row`, so any later result can point back at its cell.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.extent import column_letters
from kpi_tritue.frames import at, item
from kpi_tritue.issues import Issue, ParamValue, Severity, column_letter
from kpi_tritue.legacy_text import decode, decode_column, first_legacy, legacy_encoding
from kpi_tritue.limits import Limits
from kpi_tritue.normalize import clean_text, fold, is_column_code, is_totals_label
from kpi_tritue.reader import RawSheet, UnreadableWorkbook, Workbook, sha256_of
from kpi_tritue.schema import (
    CONTRACT,
    INFO,
    STATUS,
    WORKFORCE,
    ColumnSpec,
    Contract,
    SheetSpec,
    ValueType,
)
from kpi_tritue.values import (
    ABOVE_MAXIMUM,
    BAD_ENUM,
    BELOW_MINIMUM,
    FUTURE_DATE,
    YEAR_OUT_OF_RANGE,
    Bounds,
    ParsedColumn,
    clean_column,
    clean_strings,
    parse_column,
    parse_date,
    parse_year,
)

HEADER_SEARCH_ROWS = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ROW = "_row"
INVALID = "_invalid"
REDACTED = "***"
# Headers that forms carry but the contract does not need: ignored without a word.
_IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "ghi chu"})
_TEACHER_PREFIX = "giao vien"


@dataclass(frozen=True)
class ReportInfo:
    """What a workbook's `ThongTin` sheet says about itself."""

    report_year: int | None = None
    as_of: date | None = None
    reporting_unit: str | None = None


@dataclass
class SheetTable:
    """One sheet of one workbook, parsed: typed columns by key, `_row`, `_invalid`."""

    spec: SheetSpec
    sheet_name: str
    frame: pd.DataFrame
    headers: dict[str, str]
    letters: dict[str, str]

    @property
    def present(self) -> frozenset[str]:
        return frozenset(self.headers)

    def cell(self, key: str, row: int) -> str | None:
        letter = self.letters.get(key)
        return f"{letter}{row}" if letter else None


@dataclass
class OpenedWorkbook:
    """A workbook whose sheets are matched to the contract and whose `ThongTin` is read."""

    path: Path
    display: str
    sha256: str
    workbook: Workbook
    sheet_names: dict[str, str]
    info: ReportInfo
    issues: list[Issue] = field(default_factory=list)
    info_table: SheetTable | None = None


@dataclass
class LoadedWorkbook:
    display: str
    sha256: str
    tables: dict[str, SheetTable]
    issues: list[Issue]


class _Reporter:
    """Collects the issues of one sheet, with the location filled in."""

    def __init__(self, file: str, sheet: str | None) -> None:
        self.file = file
        self.sheet = sheet
        self.issues: list[Issue] = []
        self._names: frozenset[str] | None = frozenset()
        self._find_names: Callable[[], frozenset[str]] | None = None

    def redact_names_from(self, find_names: Callable[[], frozenset[str]]) -> None:
        """Where to find the sheet's personal names; looked up only if a message quotes a value."""
        self._names, self._find_names = None, find_names

    @property
    def names(self) -> frozenset[str]:
        if self._names is None:
            self._names = self._find_names() if self._find_names else frozenset()
        return self._names

    def add(
        self,
        severity: Severity,
        code: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
        params: Mapping[str, ParamValue] | None = None,
        **more: ParamValue,
    ) -> None:
        params = {**(params or {}), **more}
        value = params.get("value")
        if isinstance(value, str):
            # A quoted cell must not drive the terminal: control characters are shown as �.
            value = _CONTROL.sub("\ufffd", value)
            params["value"] = value
        if isinstance(value, str) and clean_text(value).casefold() in self.names:
            params["value"] = REDACTED
        self.issues.append(
            Issue(
                severity=severity,
                code=code,
                file=self.file,
                sheet=sheet or self.sheet,
                row=row,
                column=column,
                cell=cell,
                params=params,
            )
        )


def open_workbook(
    path: Path, display: str, contract: Contract = CONTRACT
) -> OpenedWorkbook | list[Issue]:
    """Open a workbook, match its sheets to the contract and read its `ThongTin`.

    Returns the issues instead when the file cannot be used at all.
    """
    reporter = _Reporter(display, None)
    try:
        digest = sha256_of(path)
        workbook = Workbook.open(path)
        names = workbook.sheet_names
    except UnreadableWorkbook as error:
        reporter.add(Severity.ERROR, error.reason, params={"detail": error.detail, **error.params})
        return reporter.issues
    except OSError as error:
        reporter.add(Severity.ERROR, "unreadable_file", detail=error.strerror or str(error))
        return reporter.issues

    matched: dict[str, str] = {}
    for name in names:
        spec = contract.match_sheet(name)
        if spec is None:
            reporter.add(Severity.INFO, "unknown_sheet", sheet=name, name=name)
        elif spec.key in matched:
            reporter.add(
                Severity.WARNING,
                "duplicate_sheet",
                sheet=name,
                name=name,
                other=matched[spec.key],
                expected=spec.name,
            )
        else:
            matched[spec.key] = name
    if WORKFORCE.key not in matched:
        reporter.add(Severity.ERROR, "missing_workforce_sheet", sheets=", ".join(names) or "—")

    opened = OpenedWorkbook(
        path=path,
        display=display,
        sha256=digest,
        workbook=workbook,
        sheet_names=matched,
        info=ReportInfo(),
        issues=reporter.issues,
    )
    if INFO.key in matched:
        _read_info(opened)
    return opened


def _read_info(opened: OpenedWorkbook) -> None:
    # Years in ThongTin are bounded only loosely: the report year is what is being read.
    loose = Bounds(report_year=9999, as_of=date(9999, 12, 31))
    table, issues = _read_table(opened, INFO, loose)
    opened.issues.extend(issues)
    if table is None:
        return
    opened.info_table = table
    reporter = _Reporter(opened.display, table.sheet_name)
    found: dict[str, Any] = {}
    frame = table.frame
    for entry, text, row in zip(frame["item"], frame["value"], frame[ROW], strict=True):
        if pd.isna(entry) or pd.isna(text):
            continue
        if entry == "reporting_unit":
            found[entry] = text
            continue
        parser = parse_year if entry == "report_year" else parse_date
        value, problem = parser(str(text), loose)
        if problem is None:
            found[entry] = value
        else:
            reporter.add(
                Severity.ERROR,
                f"bad_{entry}",
                row=int(row),
                column=table.headers.get("value"),
                cell=table.cell("value", int(row)),
                value=str(text),
            )
    opened.issues.extend(reporter.issues)
    opened.info = ReportInfo(
        report_year=found.get("report_year"),
        as_of=found.get("as_of"),
        reporting_unit=found.get("reporting_unit"),
    )


def read_tables(
    opened: OpenedWorkbook,
    bounds: Bounds,
    contract: Contract = CONTRACT,
) -> LoadedWorkbook:
    """Read every contract sheet of an opened workbook with the dataset's reference date."""
    tables: dict[str, SheetTable] = {}
    issues = list(opened.issues)
    if opened.info_table is not None:
        tables[INFO.key] = opened.info_table
    for spec in contract.sheets:
        if spec.key == INFO.key or spec.key not in opened.sheet_names:
            continue
        table, sheet_issues = _read_table(opened, spec, bounds)
        issues.extend(sheet_issues)
        if table is not None:
            tables[spec.key] = table
    return LoadedWorkbook(
        display=opened.display, sha256=opened.sha256, tables=tables, issues=issues
    )


# ---------------------------------------------------------------------------------------
# One sheet


@dataclass(frozen=True)
class _Header:
    rows: tuple[int, ...]
    columns: dict[str, int]
    texts: dict[int, str]


def _read_table(
    opened: OpenedWorkbook, spec: SheetSpec, bounds: Bounds
) -> tuple[SheetTable | None, list[Issue]]:
    sheet_name = opened.sheet_names[spec.key]
    reporter = _Reporter(opened.display, sheet_name)
    try:
        raw = opened.workbook.read_sheet(sheet_name)
    except UnreadableWorkbook as error:
        reporter.add(Severity.ERROR, error.reason, params={"detail": error.detail, **error.params})
        return None, reporter.issues
    limits = Limits.from_environment()
    if raw.far_cells is not None:
        reporter.add(
            Severity.INFO,
            "far_cells_ignored",
            count=f"{raw.far_cells[0]:,}",
            first=raw.far_cells[1],
            limit=column_letters(limits.max_columns - 1),
        )
    if len(raw.cells) > limits.max_rows:
        reporter.add(
            Severity.ERROR,
            "limit_exceeded",
            setting="KPI_MAX_ROWS",
            part=sheet_name,
            value=f"{len(raw.cells):,}",
            limit=f"{limits.max_rows:,}",
        )
        return None, reporter.issues
    cells = _fill_vertical_merges(raw)
    header = _find_header(cells, spec, reporter)
    if header is None:
        return None, reporter.issues
    reporter.redact_names_from(lambda: _personal_names(cells, header))
    data = _data_rows(cells, header, spec, reporter)
    table = _parse_table(data, header, spec, bounds, reporter, raw)
    if spec.key == WORKFORCE.key:
        _check_workforce(table, reporter)
    return table, reporter.issues


@dataclass(frozen=True)
class _Conversion:
    """Legacy-encoded values of a column turned into Unicode, for the warning that says so."""

    encoding: str
    row: int
    example: str
    converted: str
    count: int


def _decode_legacy_text(
    raw: pd.Series, column: ColumnSpec
) -> tuple[pd.Series, _Conversion | None, bool]:
    """The column with its TCVN3 or VNI values turned into Unicode, where that is certain.

    Values that cannot be decoded with certainty are left as they are, for
    `_check_legacy_encoding` to report; the last item says whether any such is left.
    """
    texts = _non_ascii_distinct(raw)
    flagged = [text for text in texts if legacy_encoding(text) is not None]
    if not flagged:
        return raw, None, False
    found = decode_column(texts)
    if found is None:
        return raw, None, True
    encoding, decoded = found
    if column.enum is not None:
        # `Y tÕ` has no letter only TCVN3 uses, but in a TCVN3 column it reads `Y tế`, a
        # category; a value that reads as a category in the column's encoding is decoded.
        lookup = column.enum.lookup
        for text in texts:
            reading = None if text in decoded or fold(text) in lookup else decode(text, encoding)
            if reading is not None and fold(reading) in lookup:
                decoded[text] = reading
    hit = raw.isin(list(decoded))
    converted = raw.where(~hit, raw[hit].map(decoded))
    first = raw.index[hit.to_numpy(dtype=bool)][0]
    example = str(raw.loc[first])
    conversion = _Conversion(
        encoding=encoding.value,
        row=int(str(first)) + 1,
        example=example,
        converted=decoded[example],
        count=int(hit.sum()),
    )
    return converted, conversion, any(text not in decoded for text in flagged)


def _report_conversion(
    conversion: _Conversion, column: ColumnSpec, letter: str, reporter: _Reporter
) -> None:
    """One warning: the workbook still needs converting, since other tools will not read it."""
    shown = conversion.converted
    if clean_text(shown).casefold() in reporter.names:
        shown = REDACTED
    reporter.add(
        Severity.WARNING,
        "legacy_encoding_converted",
        row=conversion.row,
        column=column.header,
        cell=f"{letter}{conversion.row}",
        field=column.header,
        encoding=conversion.encoding,
        value=conversion.example[:80],
        converted=shown[:80],
        count=conversion.count,
    )


def _non_ascii_distinct(raw: pd.Series) -> list[str]:
    """The distinct cell texts of a raw column that are not plain ASCII (one Arrow pass)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(raw, type=pa.large_string(), from_pandas=True)
    unusual = pc.fill_null(pc.invert(pc.string_is_ascii(array)), False)
    texts: list[str] = pc.unique(array.filter(unusual)).to_pylist()
    return texts


def _check_legacy_encoding(
    table: SheetTable, parsed: Mapping[str, ParsedColumn], reporter: _Reporter
) -> None:
    """One warning per text or category column typed in TCVN3 or VNI (see legacy_text)."""
    for key, result in parsed.items():
        column = table.spec.column(key)
        if column.type not in (ValueType.TEXT, ValueType.ENUM):
            continue
        if not any(legacy_encoding(value) is not None for value in _non_ascii_texts(result)):
            continue
        text = result.text.dropna().astype(str)
        found = first_legacy(str(v) for v in pd.unique(text))
        if found is None:
            continue
        value, encoding = found
        row = int(table.frame[ROW].loc[text.index[text == value][0]])
        count = int(sum(legacy_encoding(v) is not None for v in text))
        reporter.add(
            Severity.WARNING,
            "legacy_encoding",
            row=row,
            column=table.headers[key],
            cell=table.cell(key, row),
            field=column.header,
            encoding=encoding.value,
            value=value[:80],
            count=count,
        )


def _non_ascii_texts(result: ParsedColumn) -> list[str]:
    """The distinct non-blank texts of a parsed column that are not plain ASCII.

    The letters that give TCVN3 and VNI away all lie outside ASCII, so these are the only
    values worth testing; an ID column of 200,000 ASCII values then costs one Arrow pass.
    """
    if result.is_text:
        return _non_ascii_distinct(result.values)
    return [text for text in result.distinct if text and not text.isascii()]


def _fill_vertical_merges(raw: RawSheet) -> pd.DataFrame:
    """Give every row of a vertically merged block the value of its top cell.

    A unit name merged over its ten staff rows belongs to each of them; a header merged
    over two header rows belongs to the lower row too. Horizontal spans are left alone.
    """
    cells = raw.cells
    tall = [m for m in raw.merged if m.last_row > m.first_row and m.first_col in cells.columns]
    if not tall:
        return cells
    cells = cells.copy()
    height = len(cells)
    for block in tall:
        if block.first_row >= height:
            continue
        value = at(cells, block.first_row, block.first_col)
        last = min(block.last_row, height - 1)
        cells.loc[block.first_row + 1 : last, block.first_col] = value
    return cells


def _header_candidates(cells: pd.DataFrame) -> list[tuple[tuple[int, ...], dict[int, str]]]:
    """Single rows among the first 20, then pairs of adjacent rows (two-level headers)."""
    top = cells.iloc[:HEADER_SEARCH_ROWS]
    rows: list[dict[int, str]] = []
    for _, series in top.iterrows():
        rows.append({int(str(c)): clean_text(str(v)) for c, v in series.items() if pd.notna(v)})
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
    if any(column.key not in found for column in spec.required_columns):
        return False
    return all(any(key in found for key in group) for group in spec.one_of)


def _missing_labels(spec: SheetSpec, found: Mapping[str, list[int]]) -> list[str]:
    missing = [column.header for column in spec.required_columns if column.key not in found]
    for group in spec.one_of:
        if not any(key in found for key in group):
            missing.append(" / ".join(spec.column(key).header for key in group))
    return missing


def _find_header(cells: pd.DataFrame, spec: SheetSpec, reporter: _Reporter) -> _Header | None:
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
    reporter: _Reporter,
) -> _Header:
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
    return _Header(rows=rows, columns=columns, texts=texts)


def _personal_names(cells: pd.DataFrame, header: _Header) -> frozenset[str]:
    """The names in a full-name column, so that no message ever quotes one."""
    col = header.columns.get("full_name")
    if col is None:
        return frozenset()
    names = clean_column(cells[col].iloc[header.rows[-1] + 1 :]).dropna().unique()
    return frozenset(str(name).casefold() for name in names)


def _data_rows(
    cells: pd.DataFrame, header: _Header, spec: SheetSpec, reporter: _Reporter
) -> pd.DataFrame:
    """The rows under the header that hold records: the grid index stays the Excel row - 1."""
    start = header.rows[-1] + 1
    region = cells.iloc[start:]
    if region.empty:
        return region
    first = region.iloc[0]
    if first.notna().any() and all(is_column_code(str(v)) for v in first.dropna()):
        region = region.iloc[1:]
    nonempty = region.notna()
    filled = nonempty.sum(axis=1)
    keep = filled > 0

    # A totals row has no record key, or has its label where the key goes: only such rows
    # need their first filled cell looked at.
    key_cells = region[header.columns[spec.required_columns[0].key]]
    candidates = keep & (key_cells.isna() | _starts_like_totals(key_cells))
    for index in _totals_rows(region, nonempty, candidates):
        reporter.add(Severity.INFO, "totals_row_skipped", row=int(index) + 1)
        keep.at[index] = False

    if spec.key == WORKFORCE.key:
        keep &= ~_section_rows(region, keep & (filled == 1), header, reporter)

    mapped_cols = sorted(set(header.columns.values()))
    outside = keep & ~nonempty[mapped_cols].any(axis=1)
    for index in region.index[outside]:
        reporter.add(Severity.INFO, "row_outside_table", row=int(index) + 1)
    kept = keep & ~outside
    # Most sheets keep every row: taking them all would copy every column for nothing.
    return region if kept.all() else region[kept]


def _starts_like_totals(key_cells: pd.Series) -> pd.Series:
    """Key cells whose first character, after white space, is `t` or `c` in any case.

    A regular expression in Arrow finds the few cells that might; the exact test (strip,
    first character, lower case) then runs on those only.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(key_cells, type=pa.large_string(), from_pandas=True)
    # Anything that is not a letter or a digit before the T or C: a superset of white space.
    matched = pc.match_substring_regex(array, pattern=r"^[^\pL\pN]*[TtCc]")
    maybe = pc.fill_null(matched, False).to_numpy(zero_copy_only=False)
    subset = key_cells[maybe]
    initial = subset.astype("string").str.strip().str[:1].str.lower()
    found = pd.Series(False, index=key_cells.index)
    found[maybe] = initial.isin(["t", "c"]).fillna(False).to_numpy(dtype=bool)
    return found


def _totals_rows(region: pd.DataFrame, nonempty: pd.DataFrame, candidates: pd.Series) -> list[Any]:
    """The candidate rows whose first filled cell, left to right, is a totals label.

    Cleaned and case folded, a totals label holds `ng` (cộng, tổng) or `tal` (total), and
    neither cleaning nor case folding makes those letters out of others: only the cells
    that hold them in some case are tested one by one. A sheet of IDs starting with `C`
    or `T` makes every row a candidate, so this stays vectorised.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = np.flatnonzero(candidates.to_numpy(dtype=bool))
    if not len(rows):
        return []
    first_column = nonempty.to_numpy(dtype=bool)[rows].argmax(axis=1)
    found: list[int] = []
    for column in np.unique(first_column):
        these = rows[first_column == column]
        texts = pa.array(region.iloc[these, column], type=pa.large_string(), from_pandas=True)
        hit = pc.fill_null(pc.match_substring_regex(texts, pattern="(?i)ng|tal"), False)
        positions = these[hit.to_numpy(zero_copy_only=False)]
        tested = zip(positions, texts.filter(hit).to_pylist(), strict=True)
        found += [int(position) for position, text in tested if is_totals_label(str(text))]
    return [region.index[position] for position in sorted(found)]


def _first_filled(region: pd.DataFrame) -> pd.Series:
    """Each row's first non-empty cell, left to right (one vectorised pass per column)."""
    columns = iter(region.columns)
    first = region[next(columns)].astype("object")
    for column in columns:
        first = first.fillna(region[column].astype("object"))
    return first


def _section_rows(
    region: pd.DataFrame, keep: pd.Series, header: _Header, reporter: _Reporter
) -> pd.Series:
    """Group headings inside the data (`I. KHỐI TỈNH`): a single filled cell, not an ID.

    `keep` holds the rows still kept that have exactly one filled cell.

    A lone cell in the ID column is a heading only when it reads like one (it has a space);
    a lone `HT00123` is a person whose other cells are missing, and is reported as such.
    """
    id_col = header.columns["id"]
    name_col = header.columns.get("full_name")
    lonely = keep.copy()
    if name_col is not None:
        lonely &= region[name_col].isna()
    if not lonely.any():
        return lonely
    first_text = _first_filled(region[lonely]).astype(str).str.strip()
    looks_like_heading = first_text.str.contains(r"[^\W\d_]", regex=True)
    in_id_column = region.loc[lonely, id_col].notna()
    looks_like_heading &= ~in_id_column | first_text.str.contains(" ")
    lonely &= region.index.isin(first_text.index[looks_like_heading])
    first_text = first_text[looks_like_heading]
    for index, text in first_text.items():
        reporter.add(
            Severity.INFO,
            "section_row_skipped",
            row=int(str(index)) + 1,
            value=clean_text(str(text))[:80],
        )
    return lonely


def _parse_table(
    data: pd.DataFrame,
    header: _Header,
    spec: SheetSpec,
    bounds: Bounds,
    reporter: _Reporter,
    raw: RawSheet,
) -> SheetTable:
    frame = pd.DataFrame(index=data.index)
    frame[ROW] = (data.index + 1).astype("int64")
    invalid = np.zeros(len(data), dtype=bool)
    headers: dict[str, str] = {}
    letters: dict[str, str] = {}
    present: dict[str, tuple[ColumnSpec, pd.Series]] = {}
    for column in spec.columns:
        col = header.columns.get(column.key)
        if col is None or column.key == "full_name":
            continue
        headers[column.key] = header.texts[col]
        letters[column.key] = column_letter(col)
        present[column.key] = (column, data[col])
    parsed: dict[str, ParsedColumn] = {}
    legacy_left: list[str] = []
    for key, (result, conversion, left) in _parse_columns(present, bounds).items():
        if conversion is not None:
            _report_conversion(conversion, spec.column(key), letters[key], reporter)
        if left:
            legacy_left.append(key)
        parsed[key] = result
        frame[key] = result.values
        invalid |= result.invalid_mask
    table = SheetTable(
        spec=spec, sheet_name=reporter.sheet or "", frame=frame, headers=headers, letters=letters
    )
    ids = frame.get("id")
    for key, is_name in _names_in_text(data, header, parsed).items():
        invalid |= _hide_names(table, key, is_name, reporter, ids)
    # Cells whose content the reader could not give (an Excel error, a formula never
    # computed) are reported as such, not as blank.
    unreadable = _report_unreadable_cells(table, header, raw, reporter)
    for key, result in parsed.items():
        _report_problems(table, spec.column(key), result, bounds, reporter, ids)
        if spec.column(key).required:
            blank = result.blank_mask & ~result.invalid_mask
            skip = unreadable.get(key)
            if skip is not None:
                blank &= ~skip
            invalid |= blank
            _report_blanks(table, spec.column(key), blank, reporter, ids)
    for mask in unreadable.values():
        invalid |= mask
    frame[INVALID] = invalid
    _check_legacy_encoding(table, {key: parsed[key] for key in legacy_left}, reporter)
    return table


# Columns are parsed on several threads: Arrow's kernels release the GIL, so while one column
# is cleaned in Arrow another runs its Python parts. Below this many rows, threads cost
# more than they save.
_PARALLEL_FROM_ROWS = 20_000


def _parse_columns(
    present: Mapping[str, tuple[ColumnSpec, pd.Series]], bounds: Bounds
) -> dict[str, _ParsedOne]:
    """Each present column decoded from a legacy encoding if need be, then parsed
    (`values.parse_column`); in the contract's order, whatever thread finished first."""
    rows = max((len(raw) for _, raw in present.values()), default=0)
    workers = min(4, os.cpu_count() or 1, len(present))
    if rows < _PARALLEL_FROM_ROWS or workers < 2:
        return {key: _parse_one(column, raw, bounds) for key, (column, raw) in present.items()}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            key: pool.submit(_parse_one, column, raw, bounds)
            for key, (column, raw) in present.items()
        }
        return {key: future.result() for key, future in futures.items()}


_ParsedOne = tuple[ParsedColumn, "_Conversion | None", bool]


def _parse_one(column: ColumnSpec, raw: pd.Series, bounds: Bounds) -> _ParsedOne:
    """The column parsed, its legacy conversion if any, and whether legacy text is left."""
    conversion, left = None, False
    if column.type in (ValueType.TEXT, ValueType.ENUM):
        raw, conversion, left = _decode_legacy_text(raw, column)
    return parse_column(raw, column, bounds), conversion, left


# Free-text columns of `NhanSu` that a person's name could be typed into by mistake.
_NAME_PRONE = ("unit", "profession")


def _names_in_text(
    data: pd.DataFrame, header: _Header, parsed: Mapping[str, ParsedColumn]
) -> dict[str, np.ndarray[Any, Any]]:
    """Rows whose unit or profession is the same text as a name of the `Họ và tên` column.

    Such a cell (columns swapped, a name typed in the wrong place) would put a person's
    name into a breakdown, `explain` or the Excel report. The few distinct values of the
    two columns are looked for among the names, in Arrow.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    col = header.columns.get("full_name")
    candidates = [key for key in _NAME_PRONE if key in parsed]
    if col is None or not candidates:
        return {}
    names = _name_keys(pa.array(data[col], type=pa.large_string(), from_pandas=True))
    found: dict[str, np.ndarray[Any, Any]] = {}
    for key in candidates:
        values = pa.array(parsed[key].values, type=pa.large_string(), from_pandas=True)
        distinct = pc.unique(values.drop_null())
        lowered = pc.utf8_lower(distinct)
        # Which of these few values some name equals: a small set looked up 200,000 times.
        matched = pc.unique(names.filter(pc.is_in(names, value_set=lowered)))
        named = distinct.filter(pc.is_in(lowered, value_set=matched))
        if len(named):
            hit = pc.fill_null(pc.is_in(values, value_set=named), False)
            found[key] = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
    return found


# Characters that `clean_text` would change and that lower-casing and trimming do not:
# combining marks (decomposed letters) and spaces other than the plain one, or two in a row.
_UNCLEAN_NAME = "[\u0300-\u036f\t\n\r\x0b\x0c\x1c-\x1f\x85]|[^\\PZ ]|  "


def _name_keys(names: Any) -> Any:
    """Names as the cleaned, lower-cased text they would be in a unit cell.

    Cleaning all of them as `clean_text` does (NFC, every kind of space) costs 0.3 s for
    200,000 distinct names; names are only compared here, so the costly steps are taken
    only by the few names that need them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    keys = pc.utf8_lower(pc.utf8_trim_whitespace(names.drop_null()))
    unclean = pc.fill_null(pc.match_substring_regex(keys, _UNCLEAN_NAME), False)
    if not pc.any(unclean).as_py():
        return keys
    cleaned = pc.utf8_lower(clean_strings(keys.filter(unclean)))
    return pa.concat_arrays([keys.filter(pc.invert(unclean)), cleaned.cast(pa.large_string())])


def _hide_names(
    table: SheetTable,
    key: str,
    is_name: np.ndarray[Any, Any],
    reporter: _Reporter,
    ids: pd.Series | None,
) -> np.ndarray[Any, Any]:
    """Blank the cells that hold a name, with an error at each; the rows are invalid."""
    frame = table.frame
    column = table.spec.column(key)
    rows = frame[ROW].to_numpy()
    for position in np.flatnonzero(is_name).tolist():
        row = int(rows[position])
        reporter.add(
            Severity.ERROR,
            "name_in_text_column",
            row=row,
            column=table.headers[key],
            cell=table.cell(key, row),
            field=column.header,
            id=_id_at(ids, frame.index[position]),
        )
    frame[key] = frame[key].mask(pd.Series(is_name, index=frame.index))
    return is_name


def _id_at(ids: pd.Series | None, index: Any) -> str:
    if ids is None:
        return "?"
    value = item(ids, index)
    return "?" if pd.isna(value) else str(value)


def _report_problems(
    table: SheetTable,
    column: ColumnSpec,
    result: ParsedColumn,
    bounds: Bounds,
    reporter: _Reporter,
    ids: pd.Series | None,
) -> None:
    positions = np.flatnonzero(result.invalid_mask)
    if not len(positions):
        return
    rows = table.frame[ROW].to_numpy()
    for position in positions.tolist():
        index = table.frame.index[position]
        problem = result.problem_at(position)
        row = int(rows[position])
        params: dict[str, ParamValue] = {
            "value": (result.text_at(position) or "")[:80],
            "field": column.header,
            "id": _id_at(ids, index),
        }
        if problem == BAD_ENUM and column.enum is not None:
            params["expected"] = column.enum.choices("vi")
        elif problem == BELOW_MINIMUM:
            params["minimum"] = _number_text(column.minimum)
        elif problem == ABOVE_MAXIMUM:
            params["maximum"] = _number_text(column.maximum)
        elif problem == YEAR_OUT_OF_RANGE:
            params["report_year"] = bounds.report_year
        elif problem == FUTURE_DATE:
            params["as_of"] = bounds.as_of.strftime("%d/%m/%Y")
        reporter.add(
            Severity.ERROR,
            str(problem),
            row=row,
            column=table.headers[column.key],
            cell=table.cell(column.key, row),
            params=params,
        )


def _number_text(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def _report_blanks(
    table: SheetTable,
    column: ColumnSpec,
    blank: np.ndarray[Any, Any],
    reporter: _Reporter,
    ids: pd.Series | None,
) -> None:
    positions = np.flatnonzero(blank)
    if not len(positions):
        return
    rows = table.frame[ROW].to_numpy()
    for position in positions.tolist():
        row = int(rows[position])
        reporter.add(
            Severity.ERROR,
            "required_blank",
            row=row,
            column=table.headers[column.key],
            cell=table.cell(column.key, row),
            id=_id_at(ids, table.frame.index[position]),
            field=column.header,
        )


def _report_unreadable_cells(
    table: SheetTable, header: _Header, raw: RawSheet, reporter: _Reporter
) -> dict[str, np.ndarray[Any, Any]]:
    """Excel error values and formulas without a saved value, per column key: a mask of
    the frame's rows that have one (their content is unknown, so they are invalid)."""
    found: dict[str, np.ndarray[Any, Any]] = {}
    cells = [(cell, "cell_error", kind) for cell, kind in raw.error_cells.items()]
    cells += [(cell, "formula_without_value", "") for cell in raw.unsaved_formulas]
    if not cells:
        return found
    by_col = {col: key for key, col in header.columns.items() if key in table.headers}
    positions = pd.Index(table.frame.index)
    for (grid_row, col), code, kind in sorted(cells):
        key = by_col.get(col)
        position = positions.get_indexer([grid_row])[0]
        if key is None or position < 0:
            continue
        mask = found.setdefault(key, np.zeros(len(positions), dtype=bool))
        if mask[position]:
            continue
        mask[position] = True
        row = grid_row + 1
        reporter.add(
            Severity.ERROR,
            code,
            row=row,
            column=table.headers[key],
            cell=table.cell(key, row),
            value=kind,
        )
    return found


# ---------------------------------------------------------------------------------------
# Rules of the workforce sheet beyond one cell


def _check_workforce(table: SheetTable, reporter: _Reporter) -> None:
    frame = table.frame
    ids = frame.get("id")
    _check_birth(table, reporter, ids)
    # Derived columns are always there, whether or not the sheet had their source column;
    # `SheetTable.present` still says what was reported.
    if "status" not in frame:
        frame["status"] = pd.Series(
            "active", index=frame.index, dtype=pd.CategoricalDtype(list(STATUS.codes))
        )
    frame["status"] = frame["status"].fillna("active")
    if "recruited_year" in frame:
        if "attracted_year" in frame:
            frame["attracted_year"] = frame["attracted_year"].fillna(frame["recruited_year"])
        else:
            frame["attracted_year"] = frame["recruited_year"]
    if "profession" not in frame:
        frame["profession_key"] = pd.Series(pd.NA, index=frame.index, dtype="object")
    else:
        professions = frame["profession"]
        codes, uniques = pd.factorize(professions, use_na_sentinel=True)
        folded = pd.Series([fold(str(u)) for u in uniques] + [""], dtype="object")
        frame["profession_key"] = folded.to_numpy()[codes]
        teacher = frame["profession_key"].str.startswith(_TEACHER_PREFIX)
        if "school_level" in frame:
            bad = teacher & frame["school_level"].isna() & ~frame[INVALID]
            for index in frame.index[bad]:
                row = int(at(frame, index, ROW))
                reporter.add(
                    Severity.ERROR,
                    "teacher_without_school_level",
                    row=row,
                    column=table.headers["school_level"],
                    cell=table.cell("school_level", row),
                    id=_id_at(ids, index),
                )
            frame[INVALID] |= bad
    if "talent" in frame:
        years = frame.get("attracted_year")
        no_year = frame["talent"].fillna(False).astype(bool)
        if years is not None:
            no_year &= years.isna()
        for index in frame.index[no_year]:
            row = int(at(frame, index, ROW))
            reporter.add(
                Severity.INFO,
                "talent_without_year",
                row=row,
                column=table.headers["talent"],
                cell=table.cell("talent", row),
                id=_id_at(ids, index),
            )


def _check_birth(table: SheetTable, reporter: _Reporter, ids: pd.Series | None) -> None:
    frame = table.frame
    has_date, has_year = "birth_date" in frame, "birth_year" in frame
    date_year = (
        frame["birth_date"].dt.year.astype("Int64")
        if has_date
        else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    )
    stated_year = (
        frame["birth_year"] if has_year else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    )
    if has_date and has_year:
        disagree = (date_year != stated_year).fillna(False).astype(bool)
        for index in frame.index[disagree]:
            row = int(at(frame, index, ROW))
            reporter.add(
                Severity.WARNING,
                "birth_mismatch",
                row=row,
                column=table.headers["birth_year"],
                cell=table.cell("birth_year", row),
                value=int(item(stated_year, index)),
                other=at(frame, index, "birth_date").strftime("%d/%m/%Y"),
                id=_id_at(ids, index),
            )
    effective = date_year.fillna(stated_year)
    key = "birth_date" if has_date else "birth_year"
    # A cell that failed to parse is already reported; a row with nothing at all is not.
    nothing = effective.isna() & ~frame[INVALID]
    for index in frame.index[nothing]:
        row = int(at(frame, index, ROW))
        reporter.add(
            Severity.ERROR,
            "birth_blank",
            row=row,
            column=table.headers[key],
            cell=table.cell(key, row),
            id=_id_at(ids, index),
        )
    frame[INVALID] |= nothing
    frame["birth_year"] = effective
    if not has_date:
        frame["birth_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
