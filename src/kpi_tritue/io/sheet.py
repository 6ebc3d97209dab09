"""One contract sheet read into a typed, validated frame, every problem turned into an `Issue`.

Find the header row under any title rows and map the headers people wrote onto column keys
(`headers`), drop column-code, empty, group-heading and totals rows (`data_rows`), then
parse each column at once (see `values.py`). Rows keep their Excel row number in `_row`,
so any later result can point back at its cell.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.contract.bookkeeping import BIRTH_YEAR_OF_DATE, INVALID, ROW
from kpi_tritue.contract.limits import MAX_NUMBER_CEILING
from kpi_tritue.contract.schema import WORKFORCE, ColumnSpec, SheetSpec, ValueType
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
)
from kpi_tritue.i18n import Amount
from kpi_tritue.io.arrow_frames import TextColumns
from kpi_tritue.io.birth_columns import chosen_raw, read_split_sex, split_letters
from kpi_tritue.io.column_batch import (
    ColumnPart,
    cut_fast,
    cut_plain,
    cuts_apply,
    joined_arrow,
    joined_fast,
    joined_plain,
)
from kpi_tritue.io.data_rows import DataRows, rows_all
from kpi_tritue.io.defaults import fill_defaults
from kpi_tritue.io.extent_rule import column_letters
from kpi_tritue.io.frames import at
from kpi_tritue.io.headers import Header, find_header
from kpi_tritue.io.identity import add_identity
from kpi_tritue.io.legacy_columns import (
    Conversion,
    check_legacy_encoding,
    decode_legacy_text,
    report_conversion,
)
from kpi_tritue.io.personal_names import ids_read_as_names, personal_names
from kpi_tritue.io.raw_sheet import RawSheet
from kpi_tritue.io.reader import Workbook
from kpi_tritue.io.sheet_table import Built, Reporter, SheetTable, id_at, keep_together
from kpi_tritue.io.sheet_xml import MergedRange, UnreadableWorkbook
from kpi_tritue.io.workforce import check_workforce_all
from kpi_tritue.model.issues import Issue, ParamValue, Severity, column_letter

# Required columns whose blank cells are filled later, from the units registry, and
# reported there if nothing fills them (`registry.py`; official-lists.md, settled 7).
FILLED_LATER = frozenset({(WORKFORCE.key, "level"), (WORKFORCE.key, "sector")})


@dataclass
class Taken:
    """What is read of one sheet before any cell is parsed: its raw cells, its header, and
    the rows under it that hold records (`rows`; `data`, their frame of raw text indexed
    by grid row, made when asked)."""

    reporter: Reporter
    raw: RawSheet
    header: Header
    rows: DataRows
    # Rows that are group headings if their text is a unit of the run's `DonVi`
    # (`data_rows.drop_unit_headings`), grid index → text.
    maybe_units: dict[int, str] = field(default_factory=dict)

    @property
    def data(self) -> pd.DataFrame:
        return self.rows.frame

    @data.setter
    def data(self, frame: pd.DataFrame) -> None:
        self.rows = DataRows(frame)


def read_table(
    workbook: Workbook, display: str, sheet_name: str, spec: SheetSpec, bounds: Bounds
) -> tuple[SheetTable | None, list[Issue]]:
    """The sheet `sheet_name` of `workbook` (shown as `display`) read as `spec` says; None
    with the issues when it cannot be (unreadable, too many rows, no header)."""
    taken, reporter = take_table(workbook, display, sheet_name, spec)
    if taken is None:
        return None, reporter.issues
    (table,) = parse_taken([taken], spec, bounds)
    return table, reporter.issues


def take_table(
    workbook: Workbook, display: str, sheet_name: str, spec: SheetSpec
) -> tuple[Taken | None, Reporter]:
    """The first half of `read_table`, file by file: the sheet's cells read, its header
    found and its data rows picked; nothing is parsed. The reporter holds the issues."""
    head, reporter = take_head(workbook, display, sheet_name, spec)
    if head is None:
        return None, reporter
    (taken,) = take_rows([head], spec)
    return taken, reporter


@dataclass
class SheetHead:
    """A sheet read and its header found, its data rows not yet picked (`take_rows`)."""

    reporter: Reporter
    raw: RawSheet
    cells: pd.DataFrame | TextColumns
    header: Header


def take_head(
    workbook: Workbook, display: str, sheet_name: str, spec: SheetSpec
) -> tuple[SheetHead | None, Reporter]:
    """The first half of `take_table`: the sheet's cells read and its header found; None
    (with the issues in the reporter) when it cannot be read, is too long or has no
    header."""
    reporter = Reporter(display, sheet_name)
    try:
        raw = workbook.read_sheet(sheet_name)
    except UnreadableWorkbook as error:
        reporter.add(Severity.ERROR, error.reason, params={"detail": error.detail, **error.params})
        return None, reporter
    limits = workbook.limits
    if raw.far_cells is not None:
        reporter.add(
            Severity.INFO,
            "far_cells_ignored",
            count=Amount(raw.far_cells[0]),
            first=raw.far_cells[1],
            limit=column_letters(limits.max_columns - 1),
        )
    if raw.height > limits.max_rows:
        reporter.add(
            Severity.ERROR,
            "limit_exceeded",
            setting="KPI_MAX_ROWS",
            part=sheet_name,
            value=Amount(raw.height),
            limit=Amount(limits.max_rows),
        )
        return None, reporter
    cells = sheet_cells(raw)
    header = find_header(cells, spec, reporter, raw.merged)
    if header is None:
        return None, reporter
    return SheetHead(reporter=reporter, raw=raw, cells=cells, header=header), reporter


def take_rows(heads: Sequence[SheetHead], spec: SheetSpec) -> list[Taken]:
    """The second half of `take_table`, for sheets of the contract sheet `spec` (of one
    file or of many): each one's data rows picked (`rows_all`: the small sheets of one
    layout together), its issues in its own reporter."""
    found = rows_all([(head.cells, head.header, head.reporter) for head in heads], spec)
    return [
        Taken(
            reporter=head.reporter, raw=head.raw, header=head.header, rows=rows, maybe_units=units
        )
        for head, (rows, units) in zip(heads, found, strict=True)
    ]


def parse_taken(
    taken: Sequence[Taken],
    spec: SheetSpec,
    bounds: Bounds,
    defaults: Mapping[str, str] | None = None,
    by_name: bool | None = None,
) -> list[SheetTable]:
    """The second half of `read_table`, for the same sheet of every file of a run at once:
    each column of the contract is parsed once over the rows of all files (`parse_batch`),
    then each file's table is built and its problems reported in its own reporter; the
    clean tables of one layout are kept as rows of one frame (`keep_together`). The
    columns a file lacks that `defaults` (a `--columns` mapping's) has are filled.
    `by_name`: whether people are compared by name (a `NhanSu` of the run lacks `Mã`),
    when `taken` are only some of the run's sheets (`io/shards.py`); else read from them."""
    parsed = parse_batch([(t.rows, t.header) for t in taken], spec, bounds)
    tables = [
        _parse_table(one.rows, one.header, spec, bounds, one.reporter, one.raw, columns)
        for one, columns in zip(taken, parsed, strict=True)
    ]
    for table in tables if defaults else ():
        fill_defaults(table, defaults or {}, bounds)
    # The clean tables of one layout kept as rows of one frame, not a frame each.
    keep_together(tables)
    if spec.key == WORKFORCE.key:
        named = ids_read_as_names(
            [table.column_array("id") if table.has_column("id") else None for table in tables]
        )
        # People are compared by name only in a pair with a row of a sheet without `Mã`
        # (settled 3): when every sheet of the run has it, no identity is needed.
        if by_name is None:
            by_name = lacks_ids(taken)
        for one, table, ids_are_names in zip(taken, tables, named, strict=True):
            col = one.header.columns.get("full_name")
            full_names = None if col is None else one.rows.column_array(col)
            table.names = personal_names(full_names, one.header, table, one.reporter, ids_are_names)
            if by_name:
                add_identity(table, one.data, one.header)
        reporters = [one.reporter for one in taken]
        check_workforce_all(list(zip(tables, reporters, strict=True)))
    return tables


def lacks_ids(taken: Sequence[Taken]) -> bool:
    """Whether a sheet of these has no `Mã` column (people then compared by name)."""
    return any("id" not in one.header.columns for one in taken)


def sheet_cells(raw: RawSheet) -> pd.DataFrame | TextColumns:
    """The cells the header search and the data rows read: as read (the reader's Arrow
    columns, when it has them: no frame of all cells is made), or, when a block is merged
    down rows, the frame with it filled (`fill_vertical_merges`)."""
    return fill_vertical_merges(raw) if _tall_merges(raw) else raw.content


def fill_vertical_merges(raw: RawSheet) -> pd.DataFrame:
    """Give every row of a vertically merged block the value of its top cell.

    A unit name merged over its ten staff rows belongs to each of them; a header merged
    over two header rows belongs to the lower row too. Horizontal spans are left alone.
    """
    tall = _tall_merges(raw)
    cells = raw.cells
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


def _tall_merges(raw: RawSheet) -> list[MergedRange]:
    """The merged blocks over more than one row whose first column holds cells."""
    columns = set(raw.content.columns)
    return [m for m in raw.merged if m.last_row > m.first_row and m.first_col in columns]


def _parse_table(
    rows: DataRows,
    header: Header,
    spec: SheetSpec,
    bounds: Bounds,
    reporter: Reporter,
    raw: RawSheet,
    columns: Mapping[str, ParsedOne],
) -> SheetTable:
    """One file's table from its columns parsed (`parse_batch`): problems reported. Its
    frame is built only if that asks for it (`SheetTable.built`): `parse_taken` keeps a
    run's clean tables together."""
    index = rows.index
    invalid = np.zeros(len(index), dtype=bool)
    headers: dict[str, str] = {}
    letters: dict[str, str] = {}
    for column in spec.columns:
        col = header.columns.get(column.key)
        if col is None or column.key == "full_name":
            continue
        headers[column.key] = header.texts[col]
        letters[column.key] = column_letter(col)
    parsed: dict[str, ParsedColumn] = {}
    legacy_left: list[str] = []
    built: dict[str, Any] = {ROW: index.to_numpy(dtype=np.int64) + 1}
    for key, (result, conversion, left) in columns.items():
        if conversion is not None:
            report_conversion(conversion, spec.column(key), letters[key], reporter)
        if left:
            legacy_left.append(key)
        parsed[key] = result
        built[key] = result.stored()
        if result.any_invalid:
            invalid |= result.invalid_mask
        if (years := result.stored_years()) is not None:
            built[BIRTH_YEAR_OF_DATE] = years
    # One frame built at once: a column set at a time costs a block insert each. `_invalid`
    # is last; it is built with the cells invalid so far and set again only if the checks
    # below find more (not at all on a clean sheet). A split birth date may add `sex`
    # before it, so there it is set at the end, as a new column.
    if header.split is None:
        built[INVALID] = invalid.copy()
    # Its frame built only if something asks for it here (a problem reported, a split
    # birth date): a clean table is kept with the run's others (`keep_together`).
    table = SheetTable(
        spec,
        reporter.sheet or "",
        None,
        headers,
        letters,
        header_row=header.rows[-1] + 1,
        built=Built(built, index),
    )
    if header.split is not None:
        split_letters(table, rows.frame, header.split)
    # The IDs its messages quote, looked up only for a message: most tables have none,
    # and the column as a Series cost nearly what the table's frame did (py-spy on 2,000
    # files: 0.23 s against 0.29 s).
    ids = functools.cache(lambda: table.frame.get("id"))
    # Cells whose content the reader could not give (an Excel error, a formula never
    # computed) are reported as such, not as blank.
    unreadable = _report_unreadable_cells(table, header, raw, reporter)
    for key, result in parsed.items():
        column = spec.column(key)
        if result.any_invalid:
            _report_problems(table, column, result, bounds, reporter, ids())
        if result.any_noted:
            _report_notes(table, column, result, reporter, ids())
        if not column.required:
            continue
        if result.any_blank:
            blank = result.blank_mask & ~result.invalid_mask
            skip = unreadable.get(key)
            if skip is not None:
                blank &= ~skip
        else:
            blank = np.zeros(len(index), dtype=bool)
        if (spec.key, key) in FILLED_LATER:
            table.blank[key] = blank
        elif result.any_blank:
            invalid |= blank
            _report_blanks(table, column, blank, reporter, ids())
    for mask in unreadable.values():
        invalid |= mask
    if header.split is not None:
        bad_birth = parsed["birth_date"].invalid_mask
        bad = np.asarray(bad_birth, dtype=bool)
        invalid |= read_split_sex(table, rows.frame, header, bad, reporter)
    if header.split is not None:
        table.frame[INVALID] = invalid
    elif not np.array_equal(built[INVALID], invalid):
        if table.built is not None:
            table.built.columns[INVALID] = invalid
        else:
            table.frame[INVALID] = invalid
    check_legacy_encoding(table, {key: parsed[key] for key in legacy_left}, reporter)
    return table


# Columns are parsed on several threads: Arrow's kernels release the GIL, so while one column
# is cleaned in Arrow another runs its Python parts. Below this many rows, threads cost
# more than they save.
_PARALLEL_FROM_ROWS = 20_000

ParsedOne = tuple[ParsedColumn, "Conversion | None", bool]


def parse_batch(
    parts: Sequence[tuple[DataRows, Header]], spec: SheetSpec, bounds: Bounds
) -> list[dict[str, ParsedOne]]:
    """Each file's present columns parsed, in the contract's order: each column once over
    the rows of every file that has it, then cut back into each file's rows.

    A cell's value and problem depend on its text alone (`values.parse_column` parses the
    distinct texts), so a column parsed over many files is, cut back, what each file's
    column parsed alone would be. A legacy encoding is the one thing judged per column
    of a file (which encoding, how many cells): a column in which any file has legacy
    text is decoded and parsed file by file.
    """
    jobs: dict[str, tuple[ColumnSpec, list[int], list[tuple[DataRows, Header]]]] = {}
    for column in spec.columns:
        if column.key == "full_name":
            continue
        files = [i for i, (_, header) in enumerate(parts) if column.key in header.columns]
        if files:
            jobs[column.key] = (column, files, [parts[i] for i in files])
    rows = sum(len(data) for data, _ in parts)
    workers = min(4, os.cpu_count() or 1, len(jobs))
    found: list[dict[str, ParsedOne]] = [{} for _ in parts]
    if rows < _PARALLEL_FROM_ROWS or workers < 2:
        done = {key: _parse_job(*job, bounds) for key, job in jobs.items()}
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {key: pool.submit(_parse_job, *job, bounds) for key, job in jobs.items()}
            done = {key: future.result() for key, future in futures.items()}
    for key, (_, files, _) in jobs.items():
        for i, result in zip(files, done[key], strict=True):
            found[i][key] = result
    return found


def _raw_column(data: DataRows, header: Header, key: str) -> pd.Series:
    """The raw cells of a column of the contract; a birth date split into `Nam` / `Nữ`
    is the sub-column that holds a value (`birth_columns`)."""
    if key == "birth_date" and header.split is not None:
        return chosen_raw(data.frame, header.split)
    return data.frame[header.columns[key]]


def _raw_array(data: DataRows, header: Header, key: str) -> Any:
    """`_raw_column`'s cells as stored, without a Series built for each file (nor, from
    the reader's columns, a frame)."""
    if key == "birth_date" and header.split is not None:
        return chosen_raw(data.frame, header.split).array
    return data.column_array(header.columns[key])


def _arrow_texts(parts: Sequence[tuple[DataRows, Header]], key: str) -> list[Any] | None:
    """Each part's raw column `key` as the reader's Arrow text, when every part has it so
    (`DataRows.arrow_column`; not a birth date split into `Nam` / `Nữ`); else None."""
    texts = []
    for data, header in parts:
        if key == "birth_date" and header.split is not None:
            return None
        text = data.arrow_column(header.columns[key])
        if text is None:
            return None
        texts.append(text)
    return texts


def _parse_job(
    column: ColumnSpec,
    files: list[int],
    parts: list[tuple[DataRows, Header]],
    bounds: Bounds,
) -> list[ParsedOne]:
    """One column of several files parsed at once, then cut back into each file's rows."""
    key = column.key
    if len(parts) == 1:
        return [_parse_one(column, _raw_column(*parts[0], key), bounds)]
    texts = _arrow_texts(parts, key)
    whole = joined_arrow(texts) if texts is not None else None
    if whole is None:
        whole = joined_fast([_raw_array(*part, key) for part in parts])
    if whole is None:
        whole = joined_plain([_raw_column(*part, key) for part in parts])
    if column.type in (ValueType.TEXT, ValueType.ENUM):
        _, conversion, left = decode_legacy_text(whole, column)
        if conversion is not None or left:
            return [_parse_one(column, _raw_column(*part, key), bounds) for part in parts]
    parsed = parse_column(whole, column, bounds)
    # The masks and years of the whole column, once: a part's own would look at every
    # distinct value of the run again, for each file.
    invalid, blank, noted = parsed.invalid_mask, parsed.blank_mask, parsed.note_mask
    years = None if parsed.years is None else parsed.years.array
    # What the whole column has nothing of, no file's part has: its reports are skipped.
    masks = {"any_invalid": invalid, "any_noted": noted, "any_blank": blank}
    nothing = {name: False for name, mask in masks.items() if not mask.any()}
    cut = cut_fast if cuts_apply(parsed.values) else cut_plain
    done: list[ParsedOne] = []
    start = 0
    for data, _ in parts:
        stop = start + len(data)
        part = ColumnPart(parsed, start, stop, data.index, cut, years)
        part.__dict__.update(
            invalid_mask=invalid[start:stop],
            blank_mask=blank[start:stop],
            note_mask=noted[start:stop],
            **nothing,
        )
        done.append((part, None, False))
        start = stop
    return done


def _parse_one(column: ColumnSpec, raw: pd.Series, bounds: Bounds) -> ParsedOne:
    """The column parsed, its legacy conversion if any, and whether legacy text is left."""
    conversion, left = None, False
    if column.type in (ValueType.TEXT, ValueType.ENUM):
        raw, conversion, left = decode_legacy_text(raw, column)
    return parse_column(raw, column, bounds), conversion, left


def _report_problems(
    table: SheetTable,
    column: ColumnSpec,
    result: ParsedColumn,
    bounds: Bounds,
    reporter: Reporter,
    ids: pd.Series | None,
) -> None:
    positions = np.flatnonzero(result.invalid_mask)
    if not len(positions):
        return
    rows = table.frame[ROW].to_numpy()
    # The problem of each bad cell, from the few distinct values: then one code at a time,
    # so that past the limit of issues no cell is looked at one by one.
    problems = _of_codes(result.distinct_problems, result.codes[positions])
    for problem in dict.fromkeys(problems.tolist()):
        these = positions[problems == problem]

        def build(i: int, these: Any = these, problem: Any = problem) -> dict[str, Any]:
            position = int(these[i])
            row = int(rows[position])
            params: dict[str, ParamValue] = {
                "value": result.text_at(position) or "",
                "field": column.header,
                "id": id_at(ids, table.frame.index[position]),
            }
            if problem == BAD_ENUM and column.enum is not None:
                params["expected"] = column.enum.choices("vi")
            elif problem == BELOW_MINIMUM:
                params["minimum"] = _amount(column.minimum)
            elif problem == ABOVE_MAXIMUM:
                params["maximum"] = _amount(column.maximum)
            elif problem == YEAR_OUT_OF_RANGE:
                params["report_year"] = bounds.report_year
            elif problem == FUTURE_DATE:
                params["as_of"] = bounds.as_of.strftime("%d/%m/%Y")
            elif problem == NUMBER_TOO_LARGE:
                params.update(
                    value=number_shown(result.text_at(position) or ""),
                    setting="KPI_MAX_NUMBER",
                    limit=Amount(bounds.max_number),
                    ceiling=Amount(MAX_NUMBER_CEILING),
                )
            return {
                "row": row,
                "column": table.headers[column.key],
                "cell": table.cell(column.key, row),
                "params": params,
            }

        reporter.add_each(Severity.ERROR, str(problem), len(these), build)


def _report_notes(
    table: SheetTable,
    column: ColumnSpec,
    result: ParsedColumn,
    reporter: Reporter,
    ids: pd.Series | None,
) -> None:
    """The warnings of a column's cells (a date cell read as a year): the value is kept."""
    positions = np.flatnonzero(result.note_mask)
    if not len(positions):
        return
    rows = table.frame[ROW].to_numpy()
    notes = _of_codes(result.distinct_notes or [], result.codes[positions])
    for note in dict.fromkeys(notes.tolist()):
        these = positions[notes == note]

        def build(i: int, these: Any = these) -> dict[str, Any]:
            position = int(these[i])
            row = int(rows[position])
            shown = date.fromisoformat((result.text_at(position) or "")[:10])
            return {
                "row": row,
                "column": table.headers[column.key],
                "cell": table.cell(column.key, row),
                "params": {
                    "value": shown.strftime("%d/%m/%Y"),
                    "year": result.year_at(position) or 0,
                    "field": column.header,
                    "id": id_at(ids, table.frame.index[position]),
                },
            }

        reporter.add_each(Severity.WARNING, str(note), len(these), build)


def _of_codes(distinct: list[str | None], codes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The entry of `distinct` each code points to (None for -1), looking only at the codes
    present: a file's part shares the distinct values of the whole run's column."""
    present, inverse = np.unique(codes, return_inverse=True)
    found = [distinct[code] if code >= 0 else None for code in present.tolist()]
    return np.array([*found, None], dtype=object)[:-1][inverse.reshape(-1)]


def _amount(number: float | None) -> ParamValue:
    """A bound of the contract as a message quotes it (`?` for none)."""
    return "?" if number is None else Amount(number)


def _report_blanks(
    table: SheetTable,
    column: ColumnSpec,
    blank: np.ndarray[Any, Any],
    reporter: Reporter,
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
            "id": id_at(ids, table.frame.index[position]),
            "field": column.header,
        }

    reporter.add_each(Severity.ERROR, "required_blank", len(positions), build)


def _report_unreadable_cells(
    table: SheetTable, header: Header, raw: RawSheet, reporter: Reporter
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
    if header.split is not None:
        by_col[header.split.female] = "birth_date"
    positions = pd.Index(table.index).get_indexer(grid[:, 0])
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
            mask = found.setdefault(key, np.zeros(table.height, dtype=bool))
            mask[positions[these]] = True
    for code_index, code in enumerate(("cell_error", "formula_without_value")):
        these = order[codes[order] == code_index]

        def build(i: int, these: Any = these) -> dict[str, Any]:
            row = int(grid[these[i], 0]) + 1
            col = int(grid[these[i], 1])
            key = by_col[col]
            return {
                "row": row,
                "column": table.headers[key],
                "cell": f"{column_letter(col)}{row}",
                "value": str(kinds[these[i]]),
            }

        reporter.add_each(Severity.ERROR, code, len(these), build)
    return found
