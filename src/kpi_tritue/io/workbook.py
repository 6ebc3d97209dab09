"""Read one workbook into validated frames, turning every problem into an `Issue`.

For each sheet of the contract: find the header row under any title rows, map the headers
people wrote onto column keys, drop column-code, empty, group-heading and totals rows,
then parse each column at once (see `values.py`). Rows keep their Excel row number in
`_row`, so any later result can point back at its cell.
"""

from __future__ import annotations

import functools
import os
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# ROW and INVALID are named here too, for the modules that took them from here.
from kpi_tritue.contract.bookkeeping import INVALID as INVALID
from kpi_tritue.contract.bookkeeping import ROW as ROW
from kpi_tritue.contract.limits import MAX_NUMBER_CEILING, Limits
from kpi_tritue.contract.normalize import clean_text, fold, is_column_code, is_totals_label
from kpi_tritue.contract.privacy import REDACTED, KnownNames, quoted_params
from kpi_tritue.contract.schema import (
    CONTRACT,
    INFO,
    MILESTONES,
    STATUS,
    WORKFORCE,
    ColumnSpec,
    Contract,
    SheetSpec,
    ValueType,
)
from kpi_tritue.contract.values import (
    ABOVE_MAXIMUM,
    BAD_ENUM,
    BELOW_MINIMUM,
    FUTURE_DATE,
    NUMBER_TOO_LARGE,
    YEAR_OUT_OF_RANGE,
    Bounds,
    ParsedColumn,
    number_shown,
    parse_column,
    parse_date,
    parse_year,
)
from kpi_tritue.io.extent import column_letters
from kpi_tritue.io.frames import at, item
from kpi_tritue.io.legacy_text import decode, decode_column, first_legacy, legacy_encoding
from kpi_tritue.io.reader import RawSheet, UnreadableWorkbook, Workbook, sha256_of
from kpi_tritue.model.issues import Issue, IssueLog, ParamValue, Severity, column_letter

HEADER_SEARCH_ROWS = 20
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
    header_row: int | None = None  # the Excel row of the (lower) header row
    # The sheet's personal names (an Arrow array of its `Họ và tên` cells, and its `Mã`
    # cells if they read as names): kept apart, for `known_names`, never in `frame`.
    names: Any = None

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
    """Collects the issues of one sheet, with the location filled in.

    At most `KPI_MAX_ISSUES_PER_CODE` issues of one code are kept (`IssueLog`); quoted
    text is cut and made printable as it is recorded. Names are hidden once the whole run
    is read, when every name is known (`privacy.redact_issues`).
    """

    def __init__(self, file: str, sheet: str | None) -> None:
        self.file = file
        self.sheet = sheet
        self.log = IssueLog(Limits.from_environment().max_issues_per_code)

    @property
    def issues(self) -> list[Issue]:
        return self.log.issues

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
        sheet = sheet or self.sheet
        if not self.log.room(self.file, sheet, code):
            self.log.omit(severity, code, self.file, sheet, 1, row)
            return
        self.log.append(
            Issue(
                severity=severity,
                code=code,
                file=self.file,
                sheet=sheet,
                row=row,
                column=column,
                cell=cell,
                params=quoted_params({**(params or {}), **more}),
            )
        )

    def add_each(
        self, severity: Severity, code: str, count: int, build: Callable[[int], dict[str, Any]]
    ) -> None:
        """One issue for each of `count` places, `build(i)` giving the place and the
        params of the i-th; only those the limit keeps are built (and the first one
        left out, for its row), so a million bad rows cost a hundred issues."""
        room = min(count, self.log.room(self.file, self.sheet, code))
        for position in range(room):
            self.add(severity, code, **build(position))
        if count > room:
            row = build(room).get("row")
            self.log.omit(severity, code, self.file, self.sheet, count - room, row)


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

    report_sheet = _own_report_sheet(workbook, names, contract)
    if report_sheet is not None:
        reporter.add(
            Severity.INFO, "own_report_skipped", sheet=report_sheet, sheets=", ".join(names)
        )
        return reporter.issues

    matched: dict[str, str] = {}
    unknown = 0
    for name in names:
        spec = contract.match_sheet(name)
        if spec is None:
            # Each is in a sheet of its own: the limit of issues is counted over the file.
            unknown += 1
            if unknown <= reporter.log.limit:
                reporter.add(Severity.INFO, "unknown_sheet", sheet=name, name=name)
            else:
                reporter.log.omit(Severity.INFO, "unknown_sheet", display, None, 1, None)
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
    if "value" not in table.headers:
        _report_missing_value_column(table, reporter)
        opened.issues.extend(reporter.issues)
        return
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
                value=str(text)[:80],
            )
    opened.issues.extend(reporter.issues)
    opened.info = ReportInfo(
        report_year=found.get("report_year"),
        as_of=found.get("as_of"),
        reporting_unit=found.get("reporting_unit"),
    )


def _report_missing_value_column(table: SheetTable, reporter: _Reporter) -> None:
    """`ThongTin` has its `Mục` header but no `Giá trị` beside it: nothing it says is read."""
    row = table.header_row
    letter = table.letters.get("item")
    cell = f"{column_letter(_column_index(letter) + 1)}{row}" if letter and row else None
    reporter.add(
        Severity.ERROR,
        "info_value_column_missing",
        row=row,
        cell=cell,
        expected=table.spec.column("value").header,
        item=table.spec.column("item").header,
    )


def _column_index(letters: str) -> int:
    """The 0-based index of a column's letters: A → 0, AB → 27."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


# What `kpi export` writes as its information sheet (xlsx_report: `sheet.info`, then an
# `info.tool` row holding `kpi-tritue <version>`), folded, in every language it speaks.
_REPORT_INFO_SHEETS = frozenset({"thong tin", "information"})
_REPORT_TOOL_LABELS = frozenset({"cong cu", "tool"})
_REPORT_TOOL = "kpi-tritue "
_REPORT_INFO_ROWS = 20


def _own_report_sheet(workbook: Workbook, names: list[str], contract: Contract) -> str | None:
    """The information sheet that shows a workbook to be a report `kpi export` wrote, if so.

    Such a report has no data sheet of the contract (its `Thông tin` sheet looks like
    `ThongTin`, without `Giá trị`); a workbook that has one is input, whatever else it holds.
    """
    for name in names:
        spec = contract.match_sheet(name)
        if spec is not None and spec.key != INFO.key:
            return None
    for name in names:
        if fold(name) not in _REPORT_INFO_SHEETS:
            continue
        try:
            cells = workbook.read_sheet(name).cells
        except UnreadableWorkbook:
            continue
        labels, values = cells.get(0), cells.get(1)
        if labels is None or values is None:
            continue
        for label, value in zip(
            labels.iloc[:_REPORT_INFO_ROWS], values.iloc[:_REPORT_INFO_ROWS], strict=True
        ):
            if (
                isinstance(label, str)
                and isinstance(value, str)
                and fold(label) in _REPORT_TOOL_LABELS
                and value.startswith(_REPORT_TOOL)
            ):
                return name
    return None


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
    data = _data_rows(cells, header, spec, reporter)
    table = _parse_table(data, header, spec, bounds, reporter, raw)
    if spec.key == WORKFORCE.key:
        table.names = _personal_names(data, header, table, reporter)
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
    reporter.add(
        Severity.WARNING,
        "legacy_encoding_converted",
        row=conversion.row,
        column=column.header,
        cell=f"{letter}{conversion.row}",
        field=column.header,
        encoding=conversion.encoding,
        value=conversion.example,
        converted=conversion.converted,
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
            value=value,
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
    flags = region.notna().to_numpy(dtype=bool, copy=True)
    # Also clears the cells that clean to nothing where one comes first in its row.
    totals = _totals_rows(region, flags)
    nonempty = pd.DataFrame(flags, index=region.index, columns=region.columns)
    filled = nonempty.sum(axis=1)
    keep = filled > 0
    for index in totals:
        reporter.add(Severity.INFO, "totals_row_skipped", row=int(index) + 1)
        keep.at[index] = False

    if spec.key == WORKFORCE.key:
        keep &= ~_section_rows(region, keep & (filled == 1), header, reporter)

    mapped_cols = sorted(set(header.columns.values()))
    outside = keep & ~nonempty[mapped_cols].any(axis=1)
    outside_rows = region.index[outside]
    reporter.add_each(
        Severity.INFO,
        "row_outside_table",
        len(outside_rows),
        lambda i: {"row": int(outside_rows[i]) + 1},
    )
    kept = keep & ~outside
    # Most sheets keep every row: taking them all would copy every column for nothing.
    return region if kept.all() else region[kept]


# The spec's rule for a totals row (`input-format.md`, "Matching names"): its first
# non-empty cell, in whatever column (`STT` included), is a totals label. A cell that
# cleans to nothing (white space only) is empty. `_totals_rows_plain` says it row by row;
# `_totals_rows` is the same rule for 200,000 rows, and a property test holds them equal.


def _totals_rows_plain(region: pd.DataFrame) -> list[Any]:
    """The index of every row whose first non-empty cell is a totals label (`is_totals_label`)."""
    found: list[Any] = []
    for index, values in zip(region.index, region.itertuples(index=False), strict=True):
        for value in values:
            text = "" if pd.isna(value) else clean_text(str(value))
            if text:
                if is_totals_label(text):
                    found.append(index)
                break
    return found


# First UTF-8 bytes that settle it: a cell starting with an ASCII letter or digit other than
# `t` or `c` holds something (so it is the row's first) and is no totals label.
_NEVER_TOTALS = np.zeros(256, dtype=bool)
_NEVER_TOTALS[[ord(c) for c in string.ascii_letters + string.digits if c not in "TtCc"]] = True
# A superset of the other first cells the rule can match, for Arrow to find: nothing but
# white space (the cell is empty, the row is looked at again), or, after what is neither a
# letter nor a digit, a letter that case folds to `t` or `c` with `ng` (tổng, cộng) or `tal`
# (total) further on: neither NFC nor case folding makes those letters out of others.
_MAYBE_TOTALS = r"(?s)^[^\pL\pN]*(?:$|[TtCc\x{1E97}].*(?i:ng|tal))"


def _totals_rows(region: pd.DataFrame, nonempty: np.ndarray[Any, Any]) -> list[Any]:
    """`_totals_rows_plain`, vectorised: the first filled cell of each row, by column, is
    looked at by its first byte, then in Arrow against `_MAYBE_TOTALS`; only the cells that
    match are tested one by one. A sheet of IDs starting with `C` or `T` and no `STT`
    column makes every row's first cell start like a total: the second half of the pattern
    keeps that cheap.

    `nonempty` (rows × columns of `region`) is updated where a row's first filled cell
    cleans to nothing (`\\x1c`, which the reader does not take for white space): such a
    cell is cleared, and the row looked at again.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    rows = np.flatnonzero(nonempty.any(axis=1))
    found: list[int] = []
    while len(rows):
        first_column = np.zeros(len(rows), dtype=np.intp)
        later = ~nonempty[rows, 0]
        if later.any():
            first_column[later] = nonempty[rows[later]].argmax(axis=1)
        again: list[int] = []
        for column in np.flatnonzero(np.bincount(first_column)).tolist():
            these = rows[first_column == column]
            texts = pa.array(region.iloc[these, column], type=pa.large_string(), from_pandas=True)
            if isinstance(texts, pa.ChunkedArray):
                texts = texts.combine_chunks()
            maybe = ~_NEVER_TOTALS[_first_bytes(texts)]
            if not maybe.any():
                continue
            these, texts = these[maybe], texts.filter(pa.array(maybe))
            hit = pc.fill_null(pc.match_substring_regex(texts, pattern=_MAYBE_TOTALS), False)
            positions = these[hit.to_numpy(zero_copy_only=False)]
            for position, raw in zip(
                positions.tolist(), texts.filter(hit).to_pylist(), strict=True
            ):
                text = str(raw)
                if not text.strip():  # what `clean_text` leaves empty: Python's white space
                    nonempty[position, column] = False
                    again.append(position)
                elif is_totals_label(text):
                    found.append(position)
        rows = np.array([row for row in again if nonempty[row].any()], dtype=np.intp)
    return [region.index[position] for position in sorted(found)]


def _first_bytes(texts: Any) -> np.ndarray[Any, Any]:
    """The first UTF-8 byte of each string of an Arrow large-string array (0: empty, null)."""
    _, offset_buffer, data_buffer = texts.buffers()
    offsets = np.frombuffer(offset_buffer, dtype=np.int64)[
        texts.offset : texts.offset + len(texts) + 1
    ]
    starts = offsets[:-1]
    filled = offsets[1:] > starts
    first = np.zeros(len(texts), dtype=np.uint8)
    if data_buffer is not None and filled.any():
        first[filled] = np.frombuffer(data_buffer, dtype=np.uint8)[starts[filled]]
    return first


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

    def build(i: int) -> dict[str, Any]:
        return {
            "row": int(str(first_text.index[i])) + 1,
            "value": clean_text(str(first_text.iloc[i])),
        }

    reporter.add_each(Severity.INFO, "section_row_skipped", len(first_text), build)
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
        spec=spec,
        sheet_name=reporter.sheet or "",
        frame=frame,
        headers=headers,
        letters=letters,
        header_row=header.rows[-1] + 1,
    )
    ids = frame.get("id")
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


# ---------------------------------------------------------------------------------------
# Personal names (the rule is in privacy.py)

# An ID column reads as names when most of its first values are two words or more of
# letters only: `Nguyễn Văn An`, never `HT00123` (the `Mã` and `Họ và tên` headers swapped).
_NAME_LIKE = r"^[\pL\pM]+(?:\s+[\pL\pM]+)+$"
_NAME_SAMPLE = 1000


def _personal_names(
    data: pd.DataFrame, header: _Header, table: SheetTable, reporter: _Reporter
) -> Any:
    """The sheet's names as an Arrow array: its `Họ và tên` cells, and its `Mã` cells when
    they read as names (a warning then says the IDs are hidden)."""
    import pyarrow as pa

    parts: list[Any] = []
    col = header.columns.get("full_name")
    if col is not None:
        parts.append(pa.array(data[col], type=pa.large_string(), from_pandas=True))
    ids = table.frame.get("id")
    if ids is not None and _reads_as_names(ids):
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
    and is hidden later (`hide_ids`)."""
    if not names:
        return []
    reporter = _Reporter(display, table.sheet_name)
    frame = table.frame
    for column in table.spec.columns:
        key = column.key
        if column.type is not ValueType.TEXT or key not in table.headers or key not in frame:
            continue
        if (table.spec.key, key) in _NOT_SHOWN:
            continue
        is_name = _holding(frame[key], names)
        if not is_name.any():
            continue
        _report_rows(
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
    import pyarrow as pa

    try:
        # An Arrow-backed column is handed over as it is, without a copy.
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        array = pa.array(values.astype("object").astype(str).where(values.notna()))
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return names.holding_array(array.cast(pa.large_string()))


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
    # The problem of each bad cell, from the few distinct values: then one code at a time,
    # so that past the limit of issues no cell is looked at one by one.
    lookup = np.array([*result.distinct_problems, None], dtype=object)
    problems = lookup[result.codes[positions]]
    for problem in dict.fromkeys(problems.tolist()):
        these = positions[problems == problem]

        def build(i: int, these: Any = these, problem: Any = problem) -> dict[str, Any]:
            position = int(these[i])
            row = int(rows[position])
            params: dict[str, ParamValue] = {
                "value": result.text_at(position) or "",
                "field": column.header,
                "id": _id_at(ids, table.frame.index[position]),
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
            elif problem == NUMBER_TOO_LARGE:
                params.update(
                    value=number_shown(result.text_at(position) or ""),
                    setting="KPI_MAX_NUMBER",
                    limit=_grouped(bounds.max_number),
                    ceiling=_grouped(MAX_NUMBER_CEILING),
                )
            return {
                "row": row,
                "column": table.headers[column.key],
                "cell": table.cell(column.key, row),
                "params": params,
            }

        reporter.add_each(Severity.ERROR, str(problem), len(these), build)


def _grouped(number: int) -> str:
    """Digits in threes, apart by a no-break space: read alike in Vietnamese and English."""
    return f"{number:,}".replace(",", "\u00a0")


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

    def build(i: int) -> dict[str, Any]:
        position = int(positions[i])
        row = int(rows[position])
        return {
            "row": row,
            "column": table.headers[column.key],
            "cell": table.cell(column.key, row),
            "id": _id_at(ids, table.frame.index[position]),
            "field": column.header,
        }

    reporter.add_each(Severity.ERROR, "required_blank", len(positions), build)


def _report_unreadable_cells(
    table: SheetTable, header: _Header, raw: RawSheet, reporter: _Reporter
) -> dict[str, np.ndarray[Any, Any]]:
    """Excel error values and formulas without a saved value, per column key: a mask of
    the frame's rows that have one (their content is unknown, so they are invalid).

    A cell that is both is reported once, as an error value. All in numpy: a sheet of a million
    `#N/A` is not looked at cell by cell, past the issues that are listed.
    """
    found: dict[str, np.ndarray[Any, Any]] = {}
    cells = [*raw.error_cells, *raw.unsaved_formulas]
    if not cells:
        return found
    kinds = np.array([*raw.error_cells.values(), *[""] * len(raw.unsaved_formulas)], dtype=object)
    codes = np.repeat([0, 1], [len(raw.error_cells), len(raw.unsaved_formulas)])
    grid = np.array(cells, dtype=np.int64).reshape(-1, 2)
    by_col = {col: key for key, col in header.columns.items() if key in table.headers}
    positions = pd.Index(table.frame.index).get_indexer(grid[:, 0])
    wanted = (positions >= 0) & np.isin(grid[:, 1], list(by_col))
    order = np.flatnonzero(wanted)
    # In reading order, and one issue a cell: an error value before an unsaved formula.
    order = order[np.lexsort((codes[order], grid[order, 1], grid[order, 0]))]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (np.diff(grid[order, 0]) != 0) | (np.diff(grid[order, 1]) != 0)
    order = order[first]
    for col, key in by_col.items():
        these = order[grid[order, 1] == col]
        if len(these):
            mask = found.setdefault(key, np.zeros(len(table.frame), dtype=bool))
            mask[positions[these]] = True
    for code_index, code in enumerate(("cell_error", "formula_without_value")):
        these = order[codes[order] == code_index]

        def build(i: int, these: Any = these) -> dict[str, Any]:
            row = int(grid[these[i], 0]) + 1
            key = by_col[int(grid[these[i], 1])]
            return {
                "row": row,
                "column": table.headers[key],
                "cell": table.cell(key, row),
                "value": str(kinds[these[i]]),
            }

        reporter.add_each(Severity.ERROR, code, len(these), build)
    return found
    by_col = {col: key for key, col in header.columns.items() if key in table.headers}
    cells.sort()
    index = pd.Index(table.frame.index)
    # Every cell's row at once: a sheet of a million `#N/A` is not looked up one by one.
    where = index.get_indexer([grid_row for (grid_row, _), _, _ in cells]).tolist()
    positions = index
    for ((grid_row, col), code, kind), position in zip(cells, where, strict=True):
        key = by_col.get(col)
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
            _report_rows(
                table, reporter, Severity.ERROR, "teacher_without_school_level", bad, "school_level"
            )
            frame[INVALID] |= bad
    if "talent" in frame:
        years = frame.get("attracted_year")
        no_year = frame["talent"].fillna(False).astype(bool)
        if years is not None:
            no_year &= years.isna()
        _report_rows(table, reporter, Severity.INFO, "talent_without_year", no_year, "talent")


def _report_rows(
    table: SheetTable,
    reporter: _Reporter,
    severity: Severity,
    code: str,
    where: pd.Series,
    key: str,
    params: Callable[[Any], dict[str, ParamValue]] | None = None,
) -> None:
    """One issue at the `key` cell of each row where `where` holds, with the row's ID."""
    frame = table.frame
    ids = frame.get("id")
    indexes = frame.index[where.to_numpy(dtype=bool)]

    def build(i: int) -> dict[str, Any]:
        index = indexes[i]
        row = int(at(frame, index, ROW))
        found: dict[str, ParamValue] = {"id": _id_at(ids, index)}
        if params is not None:
            found.update(params(index))
        return {
            "row": row,
            "column": table.headers[key],
            "cell": table.cell(key, row),
            "params": found,
        }

    reporter.add_each(severity, code, len(indexes), build)


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

        def mismatch(index: Any) -> dict[str, ParamValue]:
            return {
                "value": int(item(stated_year, index)),
                "other": at(frame, index, "birth_date").strftime("%d/%m/%Y"),
            }

        _report_rows(
            table, reporter, Severity.WARNING, "birth_mismatch", disagree, "birth_year", mismatch
        )
    effective = date_year.fillna(stated_year)
    key = "birth_date" if has_date else "birth_year"
    # A cell that failed to parse is already reported; a row with nothing at all is not.
    nothing = effective.isna() & ~frame[INVALID]
    _report_rows(table, reporter, Severity.ERROR, "birth_blank", nothing, key)
    frame[INVALID] |= nothing
    frame["birth_year"] = effective
    if not has_date:
        frame["birth_date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
