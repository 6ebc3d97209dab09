"""Columns typed in TCVN3 or VNI: decoded where that is certain, reported where it is not."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from kpi_tritue.contract.bookkeeping import ROW
from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.schema import ColumnSpec, ValueType
from kpi_tritue.contract.values import ParsedColumn
from kpi_tritue.i18n import Amount
from kpi_tritue.io.legacy_text import decode, decode_column, first_legacy, legacy_encoding
from kpi_tritue.io.sheet_table import Reporter, SheetTable
from kpi_tritue.model.issues import Severity


@dataclass(frozen=True)
class Conversion:
    """Legacy-encoded values of a column turned into Unicode, for the warning that says so."""

    encoding: str
    row: int
    example: str
    converted: str
    count: int


def decode_legacy_text(
    raw: pd.Series, column: ColumnSpec
) -> tuple[pd.Series, Conversion | None, bool]:
    """The column with its TCVN3 or VNI values turned into Unicode, where that is certain.

    Values that cannot be decoded with certainty are left as they are, for
    `check_legacy_encoding` to report; the last item says whether any such is left.
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
    conversion = Conversion(
        encoding=encoding.value,
        row=int(str(first)) + 1,
        example=example,
        converted=decoded[example],
        count=int(hit.sum()),
    )
    return converted, conversion, any(text not in decoded for text in flagged)


def report_conversion(
    conversion: Conversion, column: ColumnSpec, letter: str, reporter: Reporter
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
        count=Amount(conversion.count),
    )


def _non_ascii_distinct(raw: pd.Series) -> list[str]:
    """The distinct cell texts of a raw column that are not plain ASCII, in the order they
    first appear. In Arrow: a column of few such cells (IDs) has them taken, then made
    distinct; one of many (Vietnamese text) is made distinct first, then they are kept,
    so that neither hashes nor copies every row (a property test holds both to the rule).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(raw, type=pa.large_string(), from_pandas=True)
    unusual = pc.fill_null(pc.invert(pc.string_is_ascii(array)), False)
    count = pc.sum(unusual).as_py() or 0
    if not count:
        return []
    if count * 2 < len(array):
        distinct = pc.unique(array.filter(unusual))
    else:
        distinct = pc.unique(array)
        distinct = distinct.filter(pc.fill_null(pc.invert(pc.string_is_ascii(distinct)), False))
    texts: list[str] = distinct.to_pylist()
    return texts


def check_legacy_encoding(
    table: SheetTable, parsed: Mapping[str, ParsedColumn], reporter: Reporter
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
            count=Amount(count),
        )


def _non_ascii_texts(result: ParsedColumn) -> list[str]:
    """The distinct non-blank texts of a parsed column that are not plain ASCII.

    The letters that give TCVN3 and VNI away all lie outside ASCII, so these are the only
    values worth testing; an ID column of 200,000 ASCII values then costs one Arrow pass.
    """
    if result.is_text:
        return _non_ascii_distinct(result.values)
    return [text for text in result.distinct if text and not text.isascii()]
