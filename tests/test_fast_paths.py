"""The fast paths taken for large sheets give exactly what the plain ones give."""

from __future__ import annotations

import string
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.compute.masks import flags, isin, keyed_codes, map_distinct, matching_keys
from kpi_tritue.contract.bookkeeping import BIRTH_YEAR_OF_DATE, INVALID, ROW
from kpi_tritue.contract.normalize import clean_text, unit_key
from kpi_tritue.contract.schema import (
    CONTRACT,
    INFO,
    UNITS,
    WORKFORCE,
    ColumnSpec,
    SheetSpec,
    ValueType,
)
from kpi_tritue.contract.values import clean_column
from kpi_tritue.io import arrow_frames
from kpi_tritue.io.arrow_frames import TextColumns, framed
from kpi_tritue.io.data_rows import DataRows
from kpi_tritue.io.dataset import load_dataset
from kpi_tritue.io.tables import FILE, Table
from kpi_tritue.model.issues import Issue, capped, column_letter
from kpi_tritue.model.sources import Source

spaces = [" ", "\t", "\n", "\u00a0", "\u2003", "\u3000", "\x0b", "\x85"]
vietnamese = st.text(
    alphabet=st.sampled_from(
        list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĐƠ ỳýỷỹỵ\u0300\u0301\u0303\u0309\u0323")
        + [*spaces, "1", "."]
    ),
    max_size=12,
)
ascii_ids = st.text(alphabet=string.ascii_letters + string.digits + " \t", max_size=12)


@given(st.lists(st.one_of(vietnamese, ascii_ids), min_size=70, max_size=120, unique=True))
def test_a_column_of_distinct_values_is_cleaned_as_python_cleans(values: list[str]) -> None:
    # Mostly distinct: cleaned as it is, without dictionary encoding.
    cleaned = clean_column(pd.Series(values, dtype="object")).tolist()
    assert [None if pd.isna(c) else c for c in cleaned] == [clean_text(v) or None for v in values]


@given(st.lists(ascii_ids, min_size=70, max_size=120, unique=True))
def test_ascii_text_needs_no_unicode_normalisation(values: list[str]) -> None:
    cleaned = clean_column(pd.Series(values, dtype="object")).tolist()
    assert [None if pd.isna(c) else c for c in cleaned] == [clean_text(v) or None for v in values]


def test_ids_starting_with_c_or_t_are_people_and_totals_rows_still_go(tmp_path: Path) -> None:
    # Every key starts like `Cộng`/`Tổng`: every row is a candidate for a totals row.
    people = [person(f"{prefix}{n:04d}") for n in range(40) for prefix in ("CB", "TH", "Ct")]
    rows = [
        WORKFORCE_HEADER,
        *people,
        ["Tổng cộng", None, None, None, None, None, None, None, None, None, None],
        [" total: 120"],
        ["Cộng"],
        person("Tổng hợp 01"),  # looks like a total to the quick test, not to the exact one
    ]
    dataset = load_dataset([str(write_workbook(tmp_path / "t.xlsx", {"NhanSu": rows}))])
    skipped = [i.row for i in dataset.issues if i.code == "totals_row_skipped"]
    offset = len(people) + 2
    assert skipped == [offset, offset + 1, offset + 2]
    frame = dataset.tables["workforce"].frame
    assert len(frame) == len(people) + 1
    assert frame["id"].iloc[-1] == "Tổng hợp 01"


@given(
    st.lists(st.one_of(st.none(), vietnamese, ascii_ids), max_size=40),
    st.sampled_from(["object", "string[pyarrow]"]),
)
def test_a_columns_non_ascii_texts_are_its_distinct_non_ascii_cells_in_order(
    values: list[str | None], dtype: str
) -> None:
    """`legacy_columns._non_ascii_distinct` (few such cells taken first, many made
    distinct first) gives the distinct cells that are not ASCII, in the order they first
    appear, as Python reads them one by one."""
    from kpi_tritue.io.legacy_columns import _non_ascii_distinct

    expected = list(dict.fromkeys(v for v in values if v is not None and not v.isascii()))
    assert _non_ascii_distinct(pd.Series(values, dtype=dtype)) == expected


def test_no_ascii_character_gives_legacy_text_away() -> None:
    # The check for TCVN3/VNI text skips plain ASCII values: it must stay a safe skip.
    from kpi_tritue.io.legacy_text import legacy_encoding

    assert all(legacy_encoding(chr(code) * 3) is None for code in range(128))


@pytest.fixture
def ahead() -> Iterator[None]:
    """A test that reads ahead finishes the read, as the command line does."""
    from kpi_tritue.io import read_ahead

    yield
    read_ahead.finish_prefetch()


def test_a_prefetched_workbook_is_parsed_once_and_read_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: None
) -> None:
    from kpi_tritue.io import read_ahead, reader
    from kpi_tritue.io.workbook import open_workbook

    rows = [WORKFORCE_HEADER, person("A1"), person("A2", birth_date="#N/A")]
    path = write_workbook(tmp_path / "p.xlsx", {"NhanSu": rows})
    expected = load_dataset([str(path)])
    fetched: list[str] = []
    fetch = reader.Workbook._read_eager

    def counted(self: reader.Workbook, name: str) -> object:
        fetched.append(name)
        return fetch(self, name)

    monkeypatch.setattr(reader.Workbook, "_read_eager", counted)
    read_ahead.prefetch([str(path)])
    # `kpi export` opens the workbook to look at its year, then loads it.
    looked = open_workbook(path.resolve(), str(path))
    dataset = load_dataset([str(path)])
    assert not isinstance(looked, list)
    assert fetched.count("NhanSu") == 1
    assert [i.code for i in dataset.issues] == [i.code for i in expected.issues]
    assert dataset.tables["workforce"].frame.equals(expected.tables["workforce"].frame)


def test_several_workbooks_prefetched_are_each_parsed_once_and_read_as_usual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: None
) -> None:
    """`kpi trend` reads its first workbooks ahead, each in a thread of its own: each is
    taken over by the run, once, and the run reads as it does without them; a folder
    among the paths, or a second name of a file, is not read ahead."""
    from kpi_tritue.io import read_ahead, reader

    paths = [
        write_workbook(tmp_path / f"p{n}.xlsx", {"NhanSu": [WORKFORCE_HEADER, person(f"A{n}")]})
        for n in range(3)
    ]
    given = [str(p) for p in paths]
    expected = load_dataset(given)
    fetched: list[Path] = []
    fetch = reader.Workbook._read_eager

    def counted(self: reader.Workbook, name: str) -> object:
        if name == "NhanSu":
            fetched.append(Path(self.path).resolve())
        return fetch(self, name)

    monkeypatch.setattr(reader.Workbook, "_read_eager", counted)
    # A link to a file already given is not read a second time.
    link = tmp_path / "lien.xlsx"
    link.symlink_to(paths[0])
    read_ahead.prefetch([*given[:2], str(link), str(tmp_path)])
    assert len(read_ahead._ahead) == 2
    dataset = load_dataset(given)
    assert sorted(fetched) == sorted(p.resolve() for p in paths)
    assert [i.code for i in dataset.issues] == [i.code for i in expected.issues]
    assert dataset.tables["workforce"].frame.equals(expected.tables["workforce"].frame)
    read_ahead.finish_prefetch()
    assert read_ahead._ahead == ()


@given(
    st.one_of(
        st.sampled_from(["NhanSu", "NHÂN SỰ", "nhan su", "Staff", "workforce", "DonVi", "SoLieu"]),
        st.text(max_size=10),
    )
)
def test_the_light_sheet_matcher_agrees_with_the_contract(name: str) -> None:
    from kpi_tritue.contract.schema import CONTRACT, WORKFORCE
    from kpi_tritue.contract.sheet_names import is_workforce_sheet

    spec = CONTRACT.match_sheet(name)
    assert is_workforce_sheet(name) == (spec is not None and spec.key == WORKFORCE.key)


def test_prefetch_starts_parsing_before_pydantic_or_pandas_is_imported(tmp_path: Path) -> None:
    """The parse overlaps the imports only if it starts before them; and the thread
    imports neither, so that no module is imported by two threads at once."""
    import subprocess
    import sys

    path = write_workbook(tmp_path / "p.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("A1")]})
    script = (
        "import sys\n"
        "from kpi_tritue.io import read_ahead\n"
        "heavy = ('pydantic', 'pandas', 'rich')\n"
        "read_ahead.prefetch([sys.argv[1]])\n"
        "before = sorted(m for m in heavy if m in sys.modules)\n"
        "workbook = read_ahead._ahead[0].finish()\n"
        "after = sorted(m for m in heavy if m in sys.modules)\n"
        "print(before, after, list(workbook._loaded))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "[] [] ['NhanSu']"


def test_the_read_ahead_is_imported_without_numpy_or_pyarrow() -> None:
    """The gate starts as soon as the command has `read_ahead`: its import loads neither
    numpy, pyarrow nor pandas (each a few dozen milliseconds before the gate could
    start); what needs them imports them when it runs."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import kpi_tritue.io.read_ahead\n"
        "print(sorted(m for m in ('numpy', 'pyarrow', 'pandas') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


def test_a_prefetched_workbook_is_not_used_once_its_file_has_changed(
    tmp_path: Path, ahead: None
) -> None:
    from kpi_tritue.io import read_ahead

    path = write_workbook(tmp_path / "p.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("A1")]})
    read_ahead.prefetch([str(path)])
    write_workbook(path, {"NhanSu": [WORKFORCE_HEADER, person("B1"), person("B2")]})
    frame = load_dataset([str(path)]).tables["workforce"].frame
    assert list(frame["id"]) == ["B1", "B2"]


def test_prefetch_returns_once_each_gate_has_ended_and_before_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ahead: None
) -> None:
    """The command's imports wait for the gates (they contend for the GIL) and overlap
    the parse: `prefetch` returns after each workbook's gate, before its parse ends."""
    import threading
    import time

    from kpi_tritue.io import read_ahead, reader

    paths = [
        str(write_workbook(tmp_path / f"p{n}.xlsx", {"NhanSu": [WORKFORCE_HEADER, person("A")]}))
        for n in range(2)
    ]
    events: list[str] = []
    parse_may_end = threading.Event()
    scan, parse = reader.Workbook._scan_parts, reader.Workbook._read_eager

    def slow_gate(self: reader.Workbook, *args: object, **kwargs: object) -> object:
        time.sleep(0.3)  # a gate slower than `prefetch`'s own work
        events.append(f"gated {self.path.name}")
        return scan(self, *args, **kwargs)

    def held_parse(self: reader.Workbook, name: str) -> object:
        parse_may_end.wait(timeout=30)
        events.append(f"parsed {self.path.name}")
        return parse(self, name)

    monkeypatch.setattr(reader.Workbook, "_scan_parts", slow_gate)
    monkeypatch.setattr(reader.Workbook, "_read_eager", held_parse)
    read_ahead.prefetch(paths)
    events.append("returned")
    parse_may_end.set()
    read_ahead.finish_prefetch()
    assert sorted(events[:2]) == ["gated p0.xlsx", "gated p1.xlsx"]
    assert events[2] == "returned"
    assert sorted(events[3:]) == ["parsed p0.xlsx", "parsed p1.xlsx"]


# What a generated sheet's cells may hold: text, numbers, blanks, Excel's error values,
# formulas without a saved value (openpyxl saves none), and text that looks like either.
_SHEET_NAMES = ["NhanSu", "Nhân sự", "ThongTin", "DonVi", "Khác"]
_CELL = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["#N/A", "#DIV/0!", "#REF!", "=1+1", "=A1", " ", "Tổng cộng", "x"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=8),
)
_MERGES = st.lists(st.sampled_from(["A1:B1", "C2:C4", "B3:D3"]), max_size=2, unique=True)
# A generated workbook's sheets: one to three, each a few rows of `_CELL`.
_SHEETS = st.dictionaries(
    st.sampled_from(_SHEET_NAMES),
    st.lists(st.lists(_CELL, max_size=5), max_size=6),
    min_size=1,
    max_size=3,
)


def _read_every_sheet(path: Path) -> list[tuple[str, object]]:
    """Each sheet of the workbook at `path` as `read_ahead.opened` gives it, read in order: its
    cells and what the reader found beside them, or the error it raised."""
    from kpi_tritue.io import read_ahead

    try:
        workbook = read_ahead.opened(path)
    except Exception as error:
        return [("", _error(error))]
    read: list[tuple[str, object]] = [("", workbook.path.name)]  # named in its messages
    for name in workbook.sheet_names:
        try:
            raw = workbook.read_sheet(name)
        except Exception as error:
            read.append((name, _error(error)))
            continue
        found = (raw.error_cells, raw.merged, raw.unsaved_formulas, raw.far_cells)
        cells = raw.cells.to_json(orient="split", date_format="iso")  # a blank is null
        read.append((name, (cells, [str(t) for t in raw.cells.dtypes], found)))
    return read


def _error(error: Exception) -> object:
    return type(error).__name__, str(error), getattr(error, "params", None)


def _mangled(path: Path, part: str, mangle: Callable[[bytes], bytes]) -> None:
    """The workbook at `path` written again with one part changed by `mangle`."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [(entry, archive.read(entry)) for entry in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, data in parts:
            archive.writestr(entry, mangle(data) if entry.filename == part else data)


# Workbooks the read ahead gates before calamine has opened them (by the sheet's name in
# workbook.xml): one calamine cannot open, its directory sound; one whose workforce sheet
# calamine names otherwise (a tab, which XML turns to a space in workbook.xml's reading).
_MANGLES: dict[str, tuple[str, Callable[[bytes], bytes]]] = {
    "styles": ("xl/styles.xml", lambda data: b"<styleSheet><numFmts><numFmt numFmtId="),
    "tab": (
        "xl/workbook.xml",
        lambda data: data.replace(b'name="NhanSu"', "name='Nhân\tsự'".encode()),
    ),
}


@given(
    sheets=_SHEETS,
    merges=_MERGES,
    broken=st.sampled_from([None, b"", b"PK\x03\x04 not a zip", b"plain text"]),
    mangle=st.sampled_from([None, *_MANGLES]),
    linked=st.booleans(),
    pooled=st.booleans(),
)
def test_reading_ahead_gives_what_the_plain_read_gives(
    sheets: dict[str, list[list[object]]],
    merges: list[str],
    broken: bytes | None,
    mangle: str | None,
    linked: bool,
    pooled: bool,
) -> None:
    """`prefetch` runs the plain read of a workbook earlier, in a thread: it must give the
    same cells, the same findings and the same errors. `pooled`: every part gated as a big
    one is (its batches matched in the pool, its scanner beside the parse)."""
    import tempfile

    from kpi_tritue.io import extent_fast, read_ahead, scan_beside

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        path = Path(folder) / "w.xlsx"
        if broken is None:
            write_workbook(path, sheets, dict.fromkeys(sheets, merges))
            if mangle is not None:
                _mangled(path, *_MANGLES[mangle])
        else:
            path.write_bytes(broken)
        if linked:
            path = Path(folder) / "link.xlsx"
            path.symlink_to("w.xlsx")
        if pooled:
            mp.setattr(extent_fast, "POOL_FROM", 0)
            mp.setattr(extent_fast, "_SMALL", 0)
            mp.setattr(extent_fast, "_BATCH", 64)
            mp.setattr(scan_beside, "BESIDE_FROM", 0)
        plain = _read_every_sheet(path)
        read_ahead.prefetch([str(path)])
        try:
            assert _read_every_sheet(path) == plain
        finally:
            read_ahead.finish_prefetch()
    assert [t for t in threading.enumerate() if t.name.startswith("kpi-")] == []


@given(
    sheets=_SHEETS,
    merges=_MERGES,
    narrow=st.booleans(),
    batch=st.integers(min_value=1, max_value=400),
)
def test_a_gate_matching_in_a_pool_gives_what_the_plain_gate_gives(
    sheets: dict[str, list[list[object]]], merges: list[str], narrow: bool, batch: int
) -> None:
    """Every part's batches matched in the gate's pool (as a big part's are): the same
    cells, findings and errors, far cells (`narrow`) included; no thread left."""
    import tempfile
    import threading

    from kpi_tritue.io import extent_fast

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as mp:
        path = Path(folder) / "w.xlsx"
        write_workbook(path, sheets, dict.fromkeys(sheets, merges))
        if narrow:
            mp.setenv("KPI_MAX_COLUMNS", "2")
        plain = _read_every_sheet(path)
        mp.setattr(extent_fast, "POOL_FROM", 0)
        mp.setattr(extent_fast, "_SMALL", 0)
        mp.setattr(extent_fast, "_BATCH", batch)
        assert _read_every_sheet(path) == plain
    assert [t for t in threading.enumerate() if t.name.startswith("kpi-gate")] == []


# Cells a totals row and its neighbours may hold: labels in every spelling, look-alikes
# that are not labels, white space the reader keeps (`\x1c`), and letters that case fold
# or normalise into others.
_LABELS = ["Tổng cộng", "TỔNG SỐ:", "tổng số cán bộ", "Total", " total: 120", "Cộng", "CỘNG :"]
_NOT_LABELS = ["Công an tỉnh", "Cộng đồng", "Tổng cục Thuế", "Tổng hợp 01", "cong", "330 người"]
_TRICKY = [" ", "\t", "\u00a0", "\u3000", "\x1c", "\x1f \x0b", "\u2000", "\u2028", "\u200b"]
_TRICKY += ["\ufeff", "\u180e", "ŉ", "ẗ", "ﬂ", "ſ", ":"]
totals_text = st.one_of(
    st.sampled_from(_LABELS + _NOT_LABELS),
    st.sampled_from(_LABELS + _NOT_LABELS).map(lambda t: unicodedata.normalize("NFD", t)),
    st.sampled_from(_LABELS).map(str.upper),
    st.tuples(st.sampled_from(_TRICKY), st.sampled_from(_LABELS + _NOT_LABELS)).map("".join),
    st.lists(st.sampled_from(list("TtCcoổộngalsố1\u0302\u0323") + _TRICKY), max_size=12).map(
        "".join
    ),
    st.sampled_from(["1", "12", "(1)", "CB0001", "TH12", "Ct7", "HT001"]),
)
totals_cell = st.one_of(st.none(), st.sampled_from(_TRICKY[:8]), totals_text)


@given(
    st.integers(1, 5).flatmap(
        lambda width: st.lists(st.lists(totals_cell, min_size=width, max_size=width), max_size=8)
    )
)
# Every row's first cell cleans to nothing, the rows' first cells in columns out of their
# order: the rows are looked at again, all of them, in another order than the sheet's.
@example([[None, "\x1c", "Tổng cộng"], ["\x1c", None, "x"]])
def test_the_totals_rows_found_fast_are_those_of_the_rule_as_written(
    rows: list[list[str | None]],
) -> None:
    from kpi_tritue.io.data_rows import _totals_rows, _totals_rows_plain

    region = pd.DataFrame(rows, dtype="object", index=pd.RangeIndex(5, 5 + len(rows)))
    if region.empty:
        return
    region.columns = pd.Index(range(3, 3 + region.shape[1]))
    flags = region.notna().to_numpy(dtype=bool, copy=True)
    assert list(region.index[_totals_rows(region, flags)]) == _totals_rows_plain(region)
    # A cell cleared as empty held nothing but white space.
    cleared = region.notna().to_numpy(dtype=bool) & ~flags
    assert all(not clean_text(str(v)) for v in region.to_numpy()[cleared])
    # The same cells as the reader frames them (Arrow text columns, `arrow_frames`), cut
    # under a header row as `data_rows` cuts them: taken from in Arrow.
    batch = pa.RecordBatch.from_pylist(
        [{str(c): None for c in region.columns}]
        + [{str(c): v for c, v in zip(region.columns, row, strict=True)} for row in rows],
        schema=pa.schema([(str(c), pa.string()) for c in region.columns]),
    )
    cells = framed(batch, list(region.columns))
    framed_region = cells.iloc[1:]
    assert framed_region.shape == region.shape
    flags = framed_region.notna().to_numpy(dtype=bool, copy=True)
    found = _totals_rows(framed_region, flags)
    assert [i + 5 for i in found] == _totals_rows_plain(region)
    # And from the Arrow columns themselves (`TextColumns`, what `data_rows` reads).
    text = arrow_frames.text_columns(batch, list(region.columns))
    assert text is not None
    columns = [column.slice(1) for column in text.arrays.values()]
    flags = framed_region.notna().to_numpy(dtype=bool, copy=True)
    assert [i + 5 for i in _totals_rows(columns, flags)] == _totals_rows_plain(region)


# Repeated rows: small pools of values, so that keys repeat often, across files, with
# blanks, case differences (unit names group case-insensitively) and -0.0 against 0.0.
_DATES = [pd.Timestamp("2024-01-01"), pd.Timestamp("2025-07-01")]


def _pool(column: ColumnSpec) -> list[object]:
    match column.type:
        case ValueType.TEXT:
            return ["Sở Y tế", "SỞ Y TẾ", "sở y tế", "UBND xã A", "Kỳ Anh", None]
        case ValueType.ENUM:
            assert column.enum is not None
            return [*column.enum.codes[:3], None]
        case ValueType.BOOL:
            return [True, False, None]
        case ValueType.YEAR | ValueType.INT:
            return [2023, 2024, None]
        case ValueType.NUMBER:
            return [0.0, -0.0, 1.5, 100.0, None]
        case ValueType.DATE:
            return [*_DATES, None]


def _typed(column: ColumnSpec, values: list[object], text_dtype: str) -> pd.Series:
    match column.type:
        case ValueType.TEXT:
            return pd.Series(values, dtype=text_dtype)
        case ValueType.ENUM:
            assert column.enum is not None
            return pd.Series(pd.Categorical(values, categories=list(column.enum.codes)))
        case ValueType.BOOL:
            return pd.Series(values, dtype="boolean")
        case ValueType.YEAR | ValueType.INT:
            return pd.Series(values, dtype="Int64")
        case ValueType.NUMBER:
            return pd.Series(values, dtype="Float64")
        case ValueType.DATE:
            return pd.Series(values, dtype="datetime64[ns]")


@st.composite
def _repeated_tables(draw: st.DrawFn, *sheets: SheetSpec) -> tuple[Table, list[Source]]:
    spec = draw(st.sampled_from(sheets or [s for s in CONTRACT.sheets if s.key != INFO.key]))
    # A person's many columns play no part: a few are enough.
    columns = spec.columns[:6] if spec.key == WORKFORCE.key else spec.columns
    kept = [c for c in columns if c.key in spec.row_key[:1] or draw(st.booleans())]
    files = draw(st.integers(1, 3))
    length = draw(st.integers(0, 40))
    file_of = sorted(draw(st.lists(st.integers(0, files - 1), min_size=length, max_size=length)))
    rows = [2 + file_of[:n].count(f) for n, f in enumerate(file_of)]
    data: dict[str, object] = {FILE: file_of, ROW: rows}
    text_dtype = draw(st.sampled_from(["str", "object"]))
    for column in kept:
        pool = _pool(column)
        if spec.key == UNITS.key and column.key not in spec.row_key:
            # Few values and many blanks: later rows fill blanks, then conflict with them.
            pool = [*pool[:2], None, None]
        values = draw(st.lists(st.sampled_from(pool), min_size=length, max_size=length))
        data[column.key] = _typed(column, values, text_dtype)
    invalid = draw(st.lists(st.booleans(), min_size=length, max_size=length))
    data[INVALID] = pd.Series(invalid, dtype=bool)
    frame = pd.DataFrame(data, index=pd.RangeIndex(length))
    letters = {
        f: {c.key: column_letter(n) for n, c in enumerate(kept) if f or draw(st.booleans())}
        for f in range(files)
    }
    table = Table(
        spec=spec,
        frame=frame,
        present=frozenset(c.key for c in kept),
        sheet_names={f: f"{spec.name}{f % 2 or ''}" for f in range(files)},
        letters=letters,
    )
    return table, [Source(path=f"{f}.xlsx", sha256="") for f in range(files)]


def _copy(table: Table) -> Table:
    return replace(table, frame=table.frame.copy(deep=True))


@given(st.one_of(_repeated_tables(), _repeated_tables(UNITS)), st.integers(0, 3))
def test_repeated_rows_judged_at_once_are_judged_as_one_by_one(
    drawn: tuple[Table, list[Source]], limit: int
) -> None:
    from kpi_tritue.io.duplicates import check_duplicates, check_duplicates_plain

    table, sources = drawn
    plain, fast, few = _copy(table), _copy(table), _copy(table)
    expected: list[Issue] = []
    check_duplicates_plain(plain, sources, expected)
    found: list[Issue] = []
    check_duplicates(fast, sources, found, limit=len(table.frame) + 1)
    assert found == expected
    pd.testing.assert_frame_equal(fast.frame, plain.frame)
    # Past the limit only the count is kept, as `capped` keeps it of the whole list.
    counted: list[Issue] = []
    check_duplicates(few, sources, counted, limit=limit)
    assert capped(counted, limit) == capped(expected, limit)
    pd.testing.assert_frame_equal(few.frame, plain.frame)


# The engine's column tests: a category column is tested through a lookup table of its
# categories, and a text function runs once per distinct value.
_LEVELS = ["province", "commune", "district", "central"]


@given(
    st.lists(st.sampled_from([*_LEVELS[:3], None]), max_size=30),
    st.lists(st.sampled_from([*_LEVELS, None, "unknown"]), max_size=4),
)
def test_a_category_column_is_tested_by_its_codes_as_isin_tests_it(
    values: list[str | None], needles: list[object]
) -> None:
    column = pd.Series(pd.Categorical(values, categories=_LEVELS[:3]))
    expected = flags(column.isin(needles)).to_numpy(dtype=bool)
    assert isin(column, needles).tolist() == expected.tolist()


@given(st.lists(st.one_of(st.none(), vietnamese), max_size=30))
def test_a_function_of_distinct_values_gives_what_it_gives_row_by_row(
    values: list[str | None],
) -> None:
    column = pd.Series(values, dtype="object")
    expected = [None if value is None else unit_key(value) for value in values]
    assert map_distinct(column, unit_key).tolist() == expected
    assert matching_keys(column).tolist() == expected


@given(
    st.lists(st.one_of(st.none(), vietnamese), max_size=30),
    st.sampled_from(["object", "str", "category"]),
)
def test_distinct_values_keyed_once_give_the_codes_of_the_keys_row_by_row(
    values: list[str | None], dtype: str
) -> None:
    """`keyed_codes` (what `Masks` counts and joins people by unit with) is the factorizing
    of the keys made row by row, codes and keys in their order."""
    column = pd.Series(values, dtype=dtype)
    codes, keys = keyed_codes(column, unit_key)
    expected_codes, expected_keys = pd.factorize(
        pd.Series([None if v is None else unit_key(v) for v in values], dtype="object")
    )
    assert codes.tolist() == expected_codes.tolist()
    assert keys.tolist() == list(expected_keys)
    assert keys.dtype == object


# A run's sheets are parsed once for all its files (`io/sheet.parse_batch`, issue 14),
# with the next file read ahead (`io/load_ahead`): each file must come back exactly as it
# comes when read alone, the plain way (`read_all_tables` of one file parses it alone).
_RUN_CELLS = {
    "id": st.sampled_from(["HT1", "HT2", "HT3", "", None]),
    "name": st.sampled_from(["Nguyễn Văn An", "Lê Thị Bình", None]),
    "unit": st.sampled_from(["Sở Y tế", "Së Y tÕ", "Trường THCS Kỳ Anh", None]),
    "level": st.sampled_from(["Tỉnh", "Huyện", "Trung ương", None]),
    "sector": st.sampled_from(["Y tế", "Y tÕ", "Giáo dục", "Không rõ"]),
    "category": st.sampled_from(["Viên chức", "Công chức", "???"]),
    # A year written alone and 1985 typed into a date cell (a warning) are cut per file
    # from the whole column's years and warnings.
    "birth_date": st.sampled_from(
        ["15/03/1985", "31/02/1990", "01/01/2030", "1985", datetime(1905, 6, 7), None]
    ),
    "birth_year": st.sampled_from([1985, 1990, "năm", None]),
    "qualification": st.sampled_from(["Đại học", "Thạc sĩ", "Tiến sĩ", "x"]),
    "profession": st.sampled_from(["Bác sĩ", "Giáo viên THCS", None]),
    "school_level": st.sampled_from(["THCS", "Mầm non", None]),
}
_run_person = st.fixed_dictionaries(_RUN_CELLS).map(
    lambda c: [c[k] for k in _RUN_CELLS]  # in the order of WORKFORCE_HEADER
)


def _loaded_view(loaded: object) -> object:
    tables = {
        key: (
            table.frame.to_json(orient="split", date_format="iso"),
            _types(table.frame),
            table.headers,
            table.letters,
        )
        for key, table in loaded.tables.items()  # type: ignore[attr-defined]
    }
    return tables, loaded.issues  # type: ignore[attr-defined]


def _types(frame: pd.DataFrame) -> list[object]:
    """Each column's type, a category's categories in their order."""
    return [
        (str(dtype), list(dtype.categories) if isinstance(dtype, pd.CategoricalDtype) else None)
        for dtype in frame.dtypes
    ]


@given(
    st.lists(st.tuples(st.lists(_run_person, max_size=6), st.booleans()), min_size=2, max_size=4)
)
def test_a_run_parsed_together_gives_each_file_as_read_alone(
    files: list[tuple[list[list[object]], bool]],
) -> None:
    import tempfile

    from kpi_tritue.contract.values import Bounds
    from kpi_tritue.io.inputs import open_inputs
    from kpi_tritue.io.workbook import read_all_tables

    bounds = Bounds(report_year=2024, as_of=pd.Timestamp("2024-12-31").date())
    with tempfile.TemporaryDirectory() as folder:
        for i, (people, no_school_level) in enumerate(files):
            header = WORKFORCE_HEADER[:-1] if no_school_level else WORKFORCE_HEADER
            rows = [row[: len(header)] for row in people]
            write_workbook(Path(folder) / f"u{i}.xlsx", {"NhanSu": [header, *rows]})
        together = read_all_tables(open_inputs([folder]).workbooks, bounds)
        alone = [read_all_tables([w], bounds)[0] for w in open_inputs([folder]).workbooks]
    assert [_loaded_view(w) for w in together] == [_loaded_view(w) for w in alone]


# Names are hidden once over a run's columns (`personal_names.hide_names_all`, issue 14):
# each table must come back, frame and issues, as `hide_names` leaves it alone.
_NAME_TEXTS = st.sampled_from(
    [
        "Nguyễn Văn An",
        "NGUYEN  VAN AN (GV)",
        "Lê A",
        "lea",
        "Sở Y tế",
        "Trường THCS Kỳ Anh",
        "HT00123",
        "Bình",
        "x_x0041_n",
    ]
)
_NAME_ROWS = st.lists(st.tuples(st.one_of(st.none(), _NAME_TEXTS), _NAME_TEXTS), max_size=6)


def _names_table(spec: SheetSpec, rows: list[tuple[str | None, str]], arrow: bool) -> object:
    from kpi_tritue.io.sheet_table import SheetTable

    text = [c.key for c in spec.columns if c.type is ValueType.TEXT]
    keys = [key for key in text if key not in ("id", "full_name")][:2]
    dtype = "string[pyarrow]" if arrow else "object"
    built: dict[str, object] = {ROW: pd.Series(range(2, len(rows) + 2), dtype="int64")}
    for position, key in enumerate(keys):
        built[key] = pd.Series([row[position] for row in rows], dtype=dtype)
    built[INVALID] = pd.Series([False] * len(rows), dtype=bool)
    frame = pd.DataFrame(built)
    letters = {key: column_letter(i) for i, key in enumerate(keys)}
    headers = {key: spec.column(key).header for key in keys}
    return SheetTable(spec, spec.key, frame, headers, letters, header_row=1)


@given(
    st.lists(
        st.tuples(st.sampled_from([UNITS, WORKFORCE]), _NAME_ROWS, st.booleans()),
        max_size=5,
    ),
    st.lists(_NAME_TEXTS, max_size=3),
)
def test_names_hidden_once_for_a_run_are_hidden_as_table_by_table(
    tables: list[tuple[SheetSpec, list[tuple[str | None, str]], bool]], known: list[str]
) -> None:
    from kpi_tritue.contract.privacy import KnownNames
    from kpi_tritue.io.personal_names import hide_names, hide_names_all

    names = KnownNames.of(known)
    alone = [_names_table(*t) for t in tables]
    together = [_names_table(*t) for t in tables]
    expected = [hide_names(t, names, f"f{i}.xlsx") for i, t in enumerate(alone)]  # type: ignore[arg-type]
    found = hide_names_all([(t, f"f{i}.xlsx") for i, t in enumerate(together)], names)  # type: ignore[misc]
    assert found == expected
    for a, b in zip(alone, together, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame)  # type: ignore[attr-defined]


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.lists(st.one_of(st.none(), _NAME_TEXTS, vietnamese, ascii_ids), max_size=8),
        ),
        max_size=5,
    ),
    st.booleans(),
    st.sampled_from([1000, 1, 2, 3]),
)
@example([[None, "Nguyễn Văn An", None, "HT1"]], False, 1)
@example([["HT1", None, None, "Lê Thị Bình", "Trần An"]], True, 3)
def test_ids_read_as_names_for_a_run_are_read_as_sheet_by_sheet(
    columns: list[list[str | None] | None], arrow: bool, sample: int
) -> None:
    """Also with samples of a few cells, so that a sheet's column is longer than its
    sample (only the start holding it is looked at, `_sample_start`), blanks among them."""
    from kpi_tritue.io import personal_names
    from kpi_tritue.io.personal_names import _reads_as_names, ids_read_as_names

    dtype = "string[pyarrow]" if arrow else "object"
    all_ids = [None if c is None else pd.Series(c, dtype=dtype) for c in columns]
    kept = personal_names._NAME_SAMPLE
    personal_names._NAME_SAMPLE = sample
    try:
        expected = [ids is not None and _reads_as_names(ids) for ids in all_ids]
        found = ids_read_as_names(all_ids)
    finally:
        personal_names._NAME_SAMPLE = kept
    assert found == expected


def test_only_the_first_ids_of_each_sheet_say_whether_they_are_names() -> None:
    from kpi_tritue.io.personal_names import _NAME_SAMPLE, _reads_as_names, ids_read_as_names

    names = pd.Series(["HT1"] * _NAME_SAMPLE + ["Nguyễn Văn An"] * (_NAME_SAMPLE + 5))
    codes = pd.Series(["Lê Thị Bình"] * _NAME_SAMPLE + ["HT2"] * (_NAME_SAMPLE + 5))
    assert ids_read_as_names([names, codes, None]) == [False, True, False]
    assert [_reads_as_names(names), _reads_as_names(codes)] == [False, True]


# The workforce checks run once over a run's rows (`workforce.check_workforce_all`):
# each table must come back, frame and issues, as `check_workforce` leaves it alone.
_WF_CELLS = {
    # Blanks often: a file then has more issues of a code than the cap keeps.
    "birth_date": st.sampled_from([pd.Timestamp("1985-03-15"), pd.Timestamp("1990-01-01"), None]),
    BIRTH_YEAR_OF_DATE: st.sampled_from([1985, 1972, None, None]),
    "birth_year": st.sampled_from([1985, 1991, None, None]),
    "status": st.sampled_from(["active", "retired", None]),
    "recruited_year": st.sampled_from([2019, None]),
    "attracted_year": st.sampled_from([2020, None]),
    "profession": st.sampled_from(["Giáo viên THCS", "GIÁO VIÊN", "Bác sĩ", None]),
    "school_level": st.sampled_from(["thcs", None]),
    "talent": st.sampled_from([True, False, None]),
}


def _wf_table(
    rows: list[dict[str, object]],
    absent: frozenset[str],
    invalid: list[bool],
    levels_reversed: bool = False,
) -> object:
    from kpi_tritue.contract.schema import STATUS
    from kpi_tritue.io.sheet_table import SheetTable

    keys = ["id", *(key for key in _WF_CELLS if key not in absent)]
    # The same categories in another order are another type: such tables are not put together.
    levels = ["thpt", "thcs"] if levels_reversed else ["thcs", "thpt"]
    dtypes = {
        "birth_date": "datetime64[ns]",
        BIRTH_YEAR_OF_DATE: "Int64",
        "birth_year": "Int64",
        "status": pd.CategoricalDtype(list(STATUS.codes)),
        "recruited_year": "Int64",
        "attracted_year": "Int64",
        "profession": "string[pyarrow]",
        "school_level": pd.CategoricalDtype(levels),
        "talent": "boolean",
    }
    index = pd.RangeIndex(3, 3 + len(rows))
    built: dict[str, object] = {ROW: pd.Series(index + 1, index=index, dtype="int64")}
    built["id"] = pd.Series([f"HT{i}" for i in range(len(rows))], index=index, dtype="object")
    for key in keys[1:]:
        built[key] = pd.Series([row[key] for row in rows], index=index, dtype=dtypes[key])
    built[INVALID] = (
        pd.Series(invalid[: len(rows)] + [False] * len(rows), dtype=bool)
        .iloc[: len(rows)]
        .set_axis(index)
    )
    frame = pd.DataFrame(built)
    letters = {key: column_letter(i) for i, key in enumerate(keys)}
    headers = {key: WORKFORCE.column(key).header for key in keys if not key.startswith("_")}
    return SheetTable(WORKFORCE, "NhanSu", frame, headers, letters, header_row=3)


def _wf_reporter(name: str, cap: int) -> object:
    from kpi_tritue.io.sheet_table import Reporter
    from kpi_tritue.model.issues import IssueLog

    reporter = Reporter(name, "NhanSu")
    reporter.log = IssueLog(cap)  # a small cap: each file's issues past it are counted alike
    return reporter


_WF_SHAPES = st.tuples(
    st.sampled_from(
        [
            frozenset(),
            frozenset({BIRTH_YEAR_OF_DATE}),
            frozenset({"birth_date", BIRTH_YEAR_OF_DATE, "status"}),
            frozenset({"birth_year", "recruited_year"}),
            frozenset({"profession", "talent", "attracted_year"}),
        ]
    ),
    st.booleans(),
)


def _check_workforce_both_ways(
    tables: list[tuple[list[dict[str, object]], frozenset[str], list[bool], bool]],
    cap: int,
    together: int | None = None,
) -> None:
    from kpi_tritue.io.workforce import check_workforce, check_workforce_all

    alone = [(_wf_table(*t), _wf_reporter(f"f{i}", cap)) for i, t in enumerate(tables)]
    both = [(_wf_table(*t), _wf_reporter(f"f{i}", cap)) for i, t in enumerate(tables)]
    for table, reporter in alone:
        check_workforce(table, reporter)  # type: ignore[arg-type]
    check_workforce_all(both, together=together)  # type: ignore[arg-type]
    for (a, _), (b, _) in zip(alone, both, strict=True):
        pd.testing.assert_frame_equal(a.frame, b.frame, check_index_type=True)  # type: ignore[attr-defined]
        assert list(a.frame.columns) == list(b.frame.columns)  # type: ignore[attr-defined]
    assert [r.issues for _, r in both] == [r.issues for _, r in alone]  # type: ignore[attr-defined]


@given(
    # Two shapes (columns, category order) for a run: most tables share one with another.
    st.lists(_WF_SHAPES, min_size=2, max_size=2),
    st.lists(
        st.tuples(
            st.lists(st.fixed_dictionaries(_WF_CELLS), max_size=8),
            st.integers(min_value=0, max_value=1),
            st.lists(st.booleans(), max_size=8),
        ),
        max_size=5,
    ),
    st.integers(min_value=1, max_value=4),
    # At most this many files checked at once (`sheet_table.TOGETHER` on a run: 64).
    st.sampled_from([None, 1, 2, 3]),
)
def test_workforce_checked_once_for_a_run_is_checked_as_table_by_table(
    shapes: list[tuple[frozenset[str], bool]],
    tables: list[tuple[list[dict[str, object]], int, list[bool]]],
    cap: int,
    together: int | None,
) -> None:
    built = [(rows, shapes[shape][0], invalid, shapes[shape][1]) for rows, shape, invalid in tables]
    _check_workforce_both_ways(built, cap, together)


def test_workforce_checked_together_keeps_each_files_cap() -> None:
    blank = dict.fromkeys(_WF_CELLS)
    teacher = {**blank, "birth_year": 1985, "profession": "Giáo viên THCS"}
    rows = [blank] * 5 + [teacher] * 4
    tables = [(rows, frozenset(), [], False), (rows[:2], frozenset(), [], False)]
    tables += [([teacher] * 3, frozenset(), [], False), (rows, frozenset(), [], True)]
    _check_workforce_both_ways(tables, 2)


_CELL_TEXT = st.one_of(st.none(), st.text(max_size=6))


@given(
    st.integers(min_value=0, max_value=6).flatmap(
        lambda rows: st.lists(st.lists(_CELL_TEXT, min_size=rows, max_size=rows), max_size=5)
    ),
    st.lists(st.integers(min_value=0, max_value=40), min_size=5, max_size=5, unique=True),
)
def test_cells_framed_directly_are_the_frame_pandas_makes(
    texts: list[list[str | None]], indexes: list[int]
) -> None:
    """`arrow_frames.framed` wraps each text column of calamine's batch itself: the same frame
    (values, dtypes, index, column labels) as `to_pandas` and the labels set after."""
    import pyarrow as pa

    from kpi_tritue.io import arrow_frames

    columns = sorted(indexes)
    rows = len(texts[0]) if texts else 0
    batch = (
        pa.RecordBatch.from_arrays(
            [pa.array(values, type=pa.string()) for values in texts],
            names=[f"__UNNAMED__{i}" for i in range(len(texts))],
        )
        if texts
        else pa.RecordBatch.from_pydict({})
    )
    plain = arrow_frames.framed_plain(batch, columns)
    framed = arrow_frames.framed(batch, columns)
    pd.testing.assert_frame_equal(framed, plain, check_index_type=True, check_column_type=True)
    assert list(framed.dtypes) == list(plain.dtypes)
    assert len(framed) == (rows if texts else len(plain))
    if texts:
        text = arrow_frames.text_columns(batch, columns)
        assert text is not None
        assert text.height == rows and text.columns == columns[: len(texts)]
        for position, column in enumerate(columns[: len(texts)]):
            assert text.arrays[column].equals(batch.column(position).cast(pa.large_string()))


def test_the_totals_prefilter_lets_through_every_white_space_a_label_may_start_with() -> None:
    # `_MAYBE_TOTALS` spells out the white space `clean_text` strips (RE2 would otherwise
    # build Unicode tables on every call): a character missing from it would hide a label.
    import pyarrow as pa
    import pyarrow.compute as pc

    from kpi_tritue.io.data_rows import _MAYBE_TOTALS, _totals_rows, _totals_rows_plain

    spaces = [c for c in map(chr, range(0x110000)) if c.isspace()]
    texts = [s + "Tổng cộng" for s in spaces] + spaces + [s * 3 for s in spaces]
    found = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), _MAYBE_TOTALS)
    assert all(found.to_pylist())
    region = pd.DataFrame({0: [s + "Cộng:" for s in spaces], 1: ["x"] * len(spaces)})
    flags = region.notna().to_numpy(dtype=bool, copy=True)
    assert _totals_rows(region, flags) == _totals_rows_plain(region) == list(region.index)


# What a sheet's cells may hold for the header search and the data rows: the headers of
# the list, column codes, totals rows, group headings (`I`, `KHỐI TỈNH`, a unit after its
# number), blanks, white space and text of any kind.
_SHEET_CELL = st.one_of(
    st.none(),
    st.sampled_from(WORKFORCE_HEADER + ["STT", "Ghi chú", "Nam", "Nữ"]),
    st.sampled_from(["(1)", "(2)", "1", "2", "I", "II", "a)", "KHỐI TỈNH", "Sở Nội vụ"]),
    totals_cell,
    st.text(max_size=4),
)


_LIST_HEADER = ["STT", "Mã", "Đơn vị", "Năm sinh", "Trình độ chuyên môn", "Họ và tên", "Cấp"]


def _sheet_row(width: int) -> st.SearchStrategy[list[str | None]]:
    """A row of any cells, or one with one or two filled (what may be a group heading, a
    lone name, a unit after its number)."""
    sparse = st.tuples(
        st.lists(st.integers(0, width - 1), min_size=1, max_size=2, unique=True),
        st.lists(_SHEET_CELL, min_size=2, max_size=2),
    ).map(lambda at: [at[1][at[0].index(i)] if i in at[0] else None for i in range(width)])
    return st.one_of(st.lists(_SHEET_CELL, min_size=width, max_size=width), sparse)


@given(
    st.integers(min_value=3, max_value=9).flatmap(
        lambda width: st.lists(_sheet_row(width), min_size=1, max_size=12)
    ),
    st.integers(min_value=0, max_value=3),
    st.booleans(),
    st.booleans(),
)
def test_a_sheet_read_from_its_arrow_columns_is_read_as_from_its_frame(
    rows: list[list[str | None]], header_at: int, full_header: bool, codes: bool
) -> None:
    """`find_header` and `data_rows` given the reader's Arrow columns (`TextColumns`, what
    `RawSheet.content` holds) find the same header, rows, group headings and issues as
    from the pandas frame of all cells, and make the same frame of the rows taken."""
    from kpi_tritue.io.data_rows import data_rows
    from kpi_tritue.io.headers import find_header
    from kpi_tritue.io.sheet_table import Reporter

    width = len(rows[0])
    if full_header and header_at < len(rows):
        # A header the search finds (when the sheet is wide enough for all it needs) so
        # that the data rows under it are looked at too.
        rows[header_at] = (_LIST_HEADER + [None] * width)[:width]
        if codes and header_at + 1 < len(rows):
            # The row of column codes under it, `(1)` `(2)`..., with a blank or two.
            rows[header_at + 1] = [
                None if v is None else f"({i + 1})" for i, v in enumerate(rows[header_at + 1])
            ]
    columns = [2 * i + 1 for i in range(width)]
    batch = pa.RecordBatch.from_arrays(
        [pa.array([row[i] for row in rows], type=pa.string()) for i in range(width)],
        names=[f"__UNNAMED__{i}" for i in range(width)],
    )
    text = arrow_frames.text_columns(batch, columns)
    assert text is not None
    cells = arrow_frames.framed_plain(batch, columns)
    plain, fast = Reporter("f", "NhanSu"), Reporter("f", "NhanSu")
    header = find_header(cells, WORKFORCE, plain)
    assert find_header(text, WORKFORCE, fast) == header
    if header is not None:
        data, units = data_rows(cells, header, WORKFORCE, plain)
        data_fast, units_fast = data_rows(text, header, WORKFORCE, fast)
        _assert_same_frame(data_fast, data)
        assert units_fast == units
    assert fast.issues == plain.issues


def _arrow_sheet(
    rows: list[list[str | None]], header_at: int, codes: bool, spec: SheetSpec, without: int
) -> object:
    """A sheet of `rows` as the reader's Arrow columns (`TextColumns`, columns B, D, F...),
    with a header of `spec` at `header_at` (when it fits; its column `without` left blank,
    when it has one) and, when `codes`, a row of column codes under it."""
    width = len(rows[0])
    rows = [list(row) for row in rows]
    header = _LIST_HEADER if spec is WORKFORCE else ["STT", *(c.header for c in spec.columns)]
    header = [None if i == without else text for i, text in enumerate(header)]
    if header_at < len(rows):
        rows[header_at] = (header + [None] * width)[:width]
        if codes and header_at + 1 < len(rows):
            rows[header_at + 1] = [
                None if v is None else f"({i + 1})" for i, v in enumerate(rows[header_at + 1])
            ]
    batch = pa.RecordBatch.from_arrays(
        [pa.array([row[i] for row in rows], type=pa.string()) for i in range(width)],
        names=[f"__UNNAMED__{i}" for i in range(width)],
    )
    return arrow_frames.text_columns(batch, [2 * i + 1 for i in range(width)])


@given(
    st.integers(min_value=3, max_value=9).flatmap(
        lambda width: st.lists(
            st.tuples(
                st.lists(_sheet_row(width), min_size=1, max_size=10),
                st.integers(min_value=0, max_value=2),
                st.booleans(),
                # A header with all its columns, or without STT, Mã or Đơn vị.
                st.sampled_from([-1, 0, 1, 2]),
            ),
            min_size=1,
            max_size=5,
        )
    ),
    st.sampled_from([WORKFORCE, UNITS]),
    st.sampled_from([0, 3, 100]),
)
# More examples than most: what is found of one sheet must land on that sheet, and it
# takes a few sheets of one layout, with rows skipped after the first, to show it.
@settings(max_examples=400)
def test_the_data_rows_of_many_sheets_found_at_once_are_each_sheets_own(
    sheets: list[tuple[list[list[str | None]], int, bool, int]], spec: SheetSpec, up_to: int
) -> None:
    """`data_rows_all` (a run's small sheets of one layout looked at together) gives each
    sheet the rows, group headings and issues `data_rows` gives it alone, whichever sheets
    are put together (`up_to`: the most rows of a sheet that is)."""
    from kpi_tritue.io import data_rows as module
    from kpi_tritue.io.data_rows import data_rows, data_rows_all, rows_all
    from kpi_tritue.io.headers import find_header
    from kpi_tritue.io.sheet_table import Reporter

    found = []
    for rows, header_at, codes, without in sheets:
        cells = _arrow_sheet(rows, header_at, codes, spec, without)
        header = find_header(cells, spec, Reporter("f", "s"))  # type: ignore[arg-type]
        if header is not None:
            found.append((cells, header))
    alone = [Reporter(f"f{i}", "s") for i in range(len(found))]
    together = [Reporter(f"f{i}", "s") for i in range(len(found))]
    expected = [data_rows(c, h, spec, r) for (c, h), r in zip(found, alone, strict=True)]  # type: ignore[arg-type]
    before = module.TOGETHER_UP_TO_ROWS
    module.TOGETHER_UP_TO_ROWS = up_to
    try:
        got = data_rows_all([(c, h, r) for (c, h), r in zip(found, together, strict=True)], spec)  # type: ignore[misc]
    finally:
        module.TOGETHER_UP_TO_ROWS = before
    assert len(got) == len(expected)
    for (data, units), (data_alone, units_alone) in zip(got, expected, strict=True):
        _assert_same_frame(data, data_alone)
        assert units == units_alone
    assert [r.issues for r in together] == [r.issues for r in alone]
    # What the parse reads of the rows without their frame is the frame's.
    taken = rows_all([(c, h, Reporter("f", "s")) for c, h in found], spec)  # type: ignore[misc]
    _assert_joined_as_wrapped([rows for rows, _ in taken])
    for (rows, _), (data, _) in zip(taken, expected, strict=True):
        index = rows.index
        pd.testing.assert_index_equal(index, data.index, exact=True)
        assert len(rows) == len(data)
        for column in data.columns:
            pd.testing.assert_extension_array_equal(rows.column_array(column), data[column].array)
        assert rows.frame.index is index  # the parse's index, on which its frame is built
        _assert_same_frame(rows.frame, data)
        assert rows.arrow_column(0) is None  # a frame made: its columns are the frame's


def _assert_joined_as_wrapped(taken: list[DataRows]) -> None:
    """Each sheet's raw column as Arrow text (`DataRows.arrow_column`) is the column the
    parse would read (`column_array`); the run's sheets' columns joined from Arrow
    (`joined_arrow`) are those columns joined (`joined_fast`)."""
    from kpi_tritue.io.arrow_frames import wrapped_text
    from kpi_tritue.io.column_batch import joined_arrow, joined_fast

    taken = [rows for rows in taken if rows._cells is not None]
    columns = [set(rows._cells.columns) for rows in taken if rows._cells is not None]
    shared = set.intersection(*columns) if columns else set()
    for rows, mine in zip(taken, columns, strict=True):
        for column in mine:
            pd.testing.assert_extension_array_equal(
                wrapped_text(rows.arrow_column(column)), rows.column_array(column)
            )
    for column in sorted(shared) if len(taken) > 1 else ():
        plain = joined_fast([rows.column_array(column) for rows in taken])
        assert plain is not None
        pd.testing.assert_series_equal(
            joined_arrow([rows.arrow_column(column) for rows in taken]), plain, check_exact=True
        )


def test_what_is_skipped_in_a_later_sheet_of_a_layout_stays_on_that_sheet() -> None:
    """The rows a sheet skips (totals, a group heading, a row outside the table) and the
    row that is a heading only if its text is a unit, in the second of three sheets of one
    layout looked at together: reported on that sheet at its own rows, as alone."""
    from kpi_tritue.io.data_rows import data_rows, data_rows_all
    from kpi_tritue.io.headers import find_header
    from kpi_tritue.io.sheet_table import Reporter

    width = 9
    person = ["1", "HT1", "Sở Y tế", "1985", "Đại học", "An", "Tỉnh", None, None]
    middle = [
        person,
        ["I", "KHỐI TỈNH", *[None] * (width - 2)],
        ["2", None, "Sở Nội vụ", *[None] * (width - 3)],
        [*[None] * (width - 2), "ghi", "chú"],
        ["Tổng cộng", None, None, "3", *[None] * (width - 4)],
        person,
    ]
    sheets = [[person, person], middle, [person]]
    found = []
    for rows in sheets:
        cells = _arrow_sheet([[None] * width, *rows], 0, False, WORKFORCE, -1)
        header = find_header(cells, WORKFORCE, Reporter("f", "s"))  # type: ignore[arg-type]
        assert header is not None
        found.append((cells, header))
    alone = [Reporter(f"f{i}", "s") for i in range(3)]
    together = [Reporter(f"f{i}", "s") for i in range(3)]
    expected = [data_rows(c, h, WORKFORCE, r) for (c, h), r in zip(found, alone, strict=True)]  # type: ignore[arg-type]
    got = data_rows_all([(c, h, r) for (c, h), r in zip(found, together, strict=True)], WORKFORCE)  # type: ignore[misc]
    assert [units for _, units in got] == [units for _, units in expected]
    assert expected[1][1] == {3: "Sở Nội vụ"}  # grid index: the header is row 0
    codes = [issue.code for issue in alone[1].issues]
    assert codes == ["totals_row_skipped", "section_row_skipped", "row_outside_table"]
    assert [r.issues for r in together] == [r.issues for r in alone]
    for (data, _), (data_alone, _) in zip(got, expected, strict=True):
        _assert_same_frame(data, data_alone)


def _assert_same_frame(fast: pd.DataFrame, plain: pd.DataFrame) -> None:
    """The same values, dtypes, column labels and index, of the same classes (a
    `RangeIndex` is not taken for an `Index` of the same integers)."""
    pd.testing.assert_frame_equal(fast, plain, check_index_type=True, check_column_type=True)
    assert type(fast.index) is type(plain.index)
    assert type(fast.columns) is type(plain.columns)
    assert list(fast.dtypes) == list(plain.dtypes)


@given(
    st.integers(min_value=0, max_value=6).flatmap(
        lambda height: st.lists(
            st.lists(_CELL_TEXT, min_size=height, max_size=height), min_size=1, max_size=4
        )
    ),
    st.integers(min_value=0, max_value=8),
    st.data(),
)
def test_text_columns_framed_and_cut_are_the_frame_cut(
    texts: list[list[str | None]], start: int, data: st.DataObject
) -> None:
    """`TextColumns.frame(start, kept)` (what `RawSheet.cells` and the data rows' frame are
    made by) is `framed_plain`'s frame of all cells cut by `iloc[start:]`, then `[kept]`."""
    batch = pa.RecordBatch.from_arrays(
        [pa.array(values, type=pa.string()) for values in texts],
        names=[f"__UNNAMED__{i}" for i in range(len(texts))],
    )
    columns = [3 * i + 2 for i in range(len(texts))]
    text = arrow_frames.text_columns(batch, columns)
    assert text is not None
    whole = arrow_frames.framed_plain(batch, columns)
    _assert_same_frame(text.frame(), whole)
    region = whole.iloc[start:]
    _assert_same_frame(text.frame(start), region)
    kept = np.array(
        data.draw(st.lists(st.booleans(), min_size=len(region), max_size=len(region))), dtype=bool
    )
    _assert_same_frame(text.frame(start, kept), region[kept])


def test_a_sheet_read_for_its_table_is_never_framed_whole(tmp_path: Path) -> None:
    """The header search and the data rows read an .xlsx sheet's Arrow columns: the frame
    of all its cells (`RawSheet.cells`) is made only when asked for, and is then what
    the plain way frames; a sheet with a block merged down rows is read from the frame
    with the block filled."""
    from kpi_tritue.io.read_ahead import opened
    from kpi_tritue.io.sheet import sheet_cells, take_table

    rows = [WORKFORCE_HEADER, person("HT001"), person("HT002"), person("HT003")]
    for merged, expected in (([], TextColumns), (["C2:C4"], pd.DataFrame)):
        path = tmp_path / f"w{len(merged)}.xlsx"
        write_workbook(path, {"NhanSu": rows}, {"NhanSu": merged})
        workbook = opened(path)
        raw = workbook.read_sheet("NhanSu", keep=True)
        assert isinstance(raw.content, TextColumns)
        assert isinstance(sheet_cells(raw), expected)
        taken, _ = take_table(workbook, path.name, "NhanSu", WORKFORCE)
        assert taken is not None and taken.raw is raw and len(taken.data) == 3
        assert (raw._frame is None) == (not merged)
        assert raw.cells is raw.cells  # framed once
        _assert_same_frame(raw.cells, raw.content.frame())


# A file's bad cells are named from the codes they hold alone (`sheet._of_codes`), not
# from a lookup over every distinct value of the run's column (issue 14).
@given(
    st.lists(st.one_of(st.none(), st.sampled_from(["bad_date", "bad_enum", "x"])), max_size=8),
    st.data(),
)
def test_the_codes_present_name_what_the_whole_lookup_names(
    distinct: list[str | None], data: st.DataObject
) -> None:
    import numpy as np

    from kpi_tritue.io.sheet import _of_codes

    codes = np.array(
        data.draw(st.lists(st.integers(-1, len(distinct) - 1), max_size=12)), dtype=np.int64
    )
    whole = np.array([*distinct, None], dtype=object)[codes]
    assert _of_codes(distinct, codes).tolist() == whole.tolist()


def _typed_text(texts: list[str | None], kind: str) -> pa.Array:
    """`texts` as an Arrow array of the text type `kind` (`null`: as many blanks)."""
    return pa.nulls(len(texts)) if kind == "null" else pa.array(texts, type=getattr(pa, kind)())


@given(
    st.lists(_CELL_TEXT, max_size=12),
    st.integers(min_value=0, max_value=12),
    st.integers(min_value=0, max_value=12),
    st.sampled_from(["string", "large_string", "null"]),
)
def test_text_widened_to_large_strings_is_the_cast(
    texts: list[str | None], start: int, length: int, kind: str
) -> None:
    """`arrow_frames.large_text` (offsets widened in numpy) gives what `cast` gives, for
    whole and sliced arrays, with and without blanks, whatever the array's text type (a
    column of blanks alone may come typed `null`)."""
    from kpi_tritue.io.arrow_frames import large_text

    array = _typed_text(texts, kind).slice(start, length)
    wide = large_text(array)
    wide.validate(full=True)
    assert wide.type == pa.large_string()
    assert wide.equals(array.cast(pa.large_string()))
    assert wide.to_pylist() == array.to_pylist()


@given(
    st.lists(_CELL_TEXT, max_size=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
    st.sampled_from(["string", "large_string", "null"]),
)
def test_validity_read_from_the_bitmap_is_is_valid(
    texts: list[str | None], start: int, length: int, kind: str
) -> None:
    """`data_rows.valid_fast` (the validity bitmap unpacked in numpy) says which cells are
    filled as `pc.is_valid` does, on whole and sliced arrays (offsets not on a byte), and
    on an array of the `null` type (no bitmap)."""
    from kpi_tritue.io.data_rows import valid_fast, valid_plain

    array = _typed_text(texts, kind).slice(start, length)
    fast, plain = valid_fast(array), valid_plain(array)
    assert fast.dtype == plain.dtype == bool
    assert fast.tolist() == plain.tolist() == [t is not None for t in array.to_pylist()]


@given(
    st.lists(
        st.tuples(st.lists(_CELL_TEXT, max_size=6), st.sampled_from(["string", "null"])),
        min_size=1,
        max_size=6,
    ),
    st.integers(min_value=0, max_value=3),
)
def test_a_big_sheet_widened_on_threads_is_widened_as_in_one(
    columns: list[tuple[list[str | None], str]], cut: int
) -> None:
    """`arrow_frames.widened` (a big sheet's columns widened on several threads) gives the
    columns `widened_plain` gives, in the same order, whatever their lengths and types;
    the threads are asked for here whatever the size (the bar set to nothing)."""
    height = min(len(texts) for texts, _ in columns)
    arrays = [_typed_text(texts[:height], kind) for texts, kind in columns]
    batch = pa.RecordBatch.from_arrays(arrays, names=[f"c{i}" for i in range(len(arrays))])
    batch = batch.slice(min(cut, height))
    plain = arrow_frames.widened_plain(batch)
    bar = arrow_frames._WIDEN_IN_THREADS_FROM
    arrow_frames._WIDEN_IN_THREADS_FROM = 0
    try:
        threaded = arrow_frames.widened(batch)
    finally:
        arrow_frames._WIDEN_IN_THREADS_FROM = bar
    assert len(threaded) == len(plain) == batch.num_columns
    for fast, slow, column in zip(threaded, plain, batch.columns, strict=True):
        assert fast.type == slow.type
        assert fast.equals(slow)
        assert fast.to_pylist() == column.to_pylist()


def test_long_text_is_widened_by_the_cast() -> None:
    from kpi_tritue.io.arrow_frames import _WIDENED_UP_TO, large_text

    array = pa.array([None if i % 5 == 0 else f"v{i}" for i in range(_WIDENED_UP_TO + 7)])
    for part in (array, array.slice(3)):
        assert large_text(part).equals(part.cast(pa.large_string()))


# Blank-looking cells (`io/blank_cells.py`): calamine's `whitespace_as_null`, applied in
# Arrow after an eager read without it. Sheets are written as raw XML, so that any
# character can be a cell's (control characters as Excel escapes them, `_x000B_`).
_BLANKISH = st.lists(
    st.sampled_from(
        [*"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000"]
        + [*"\x1c\x1f\u200b\u180e\ufeff\u00ad", "a", "Ủ", "\u1e9a", "ấ", "1", "_"]
    ),
    max_size=5,
).map("".join)


def _inline_sheet(rows: list[list[str | None]]) -> str:
    """A sheet's XML of inline-string cells (None: no cell)."""

    def escaped(text: str) -> str:
        out = []
        for char in text:
            if char in "\t\n\r" or ord(char) >= 0x20:
                out.append({"&": "&amp;", "<": "&lt;", ">": "&gt;"}.get(char, char))
            else:
                out.append(f"_x{ord(char):04X}_")
        return "".join(out)

    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t xml:space="preserve">'
            f"{escaped(text)}</t></is></c>"
            for c, text in enumerate(row)
            if text is not None
        )
        body.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.one_of(st.none(), _BLANKISH), min_size=3, max_size=3), min_size=1, max_size=8
    ),
    threads=st.booleans(),
)
@example(
    rows=[["\x85", "\x0b", "\x0c\u3000"], ["\x85a", "", "\x1c"], [" ", "\u200b", None]],
    threads=True,
)
def test_blank_looking_cells_are_null_as_calamine_makes_them(
    rows: list[list[str | None]], threads: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`blank_cells.batch_blanks_as_null` of an eager read without `whitespace_as_null`
    is the eager read with it: the same columns, types and cells (empty texts, texts of
    white space as Rust counts it, and the near misses Python or Arrow count otherwise);
    also on the threads a big sheet's columns are looked at on."""
    import zipfile

    import fastexcel

    from kpi_tritue.io import blank_cells

    rows = [[None, "x", None], *rows]  # a cell in the first row: the grid starts at A1
    template = tmp_path_factory.mktemp("blanks") / "template.xlsx"
    write_workbook(template, {"S": [["x"]]})
    path = template.with_name("blanks.xlsx")
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = _inline_sheet(rows).encode()
            target.writestr(item, data)
    reader = fastexcel.read_excel(path)
    options: dict[str, object] = {"header_row": None, "dtypes": "string", "eager": True}
    expected = reader.load_sheet("S", whitespace_as_null=True, **options)
    raw = reader.load_sheet("S", **options)
    bar = blank_cells._IN_THREADS_FROM
    blank_cells._IN_THREADS_FROM = 0 if threads else bar
    try:
        found = blank_cells.batch_blanks_as_null(raw)
    finally:
        blank_cells._IN_THREADS_FROM = bar
    found.validate(full=True)
    # (calamine's own flags of which columns may be null follow no rule of the cells.)
    assert [(f.name, f.type) for f in found.schema] == [(f.name, f.type) for f in expected.schema]
    assert found.to_pydict() == expected.to_pydict()


@pytest.mark.parametrize("in_arrow", [True, False], ids=["read", "read-ahead"])
def test_a_sheet_with_blanks_made_null_in_arrow_reads_as_calamine_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_arrow: bool, ahead: None
) -> None:
    """`Workbook.read_sheet` of a sheet read without calamine's `whitespace_as_null` (a big
    one: here the bar set to nothing) gives the cells the read with it gives: its blank
    cells made null in Arrow (`blank_cells`), whether read ahead or not."""
    from kpi_tritue.io import blank_cells, read_ahead
    from kpi_tritue.io.reader import Workbook

    rows = [WORKFORCE_HEADER]
    for n, blank in enumerate([" ", "\u3000", "\xa0 \t", "x", "\u200b"]):
        row = person(f"HT{n}")
        row[2], row[4] = blank, f" {blank} "
        rows.append(row)
    path = write_workbook(tmp_path / "blanks.xlsx", {"NhanSu": rows})
    expected = Workbook(path).read_sheet("NhanSu").cells
    monkeypatch.setattr(blank_cells, "IN_ARROW_FROM", 0)
    if in_arrow:
        workbook = Workbook(path)
    else:  # read ahead: calamine's read in the read-ahead thread, the blanks' here
        read_ahead.prefetch([str(path)])
        workbook = read_ahead.opened(path)
    assert workbook._blanks_in_arrow("NhanSu")
    found = workbook.read_sheet("NhanSu").cells
    _assert_same_frame(found, expected)
    # The unit cells of white space alone are blanks; `x` and a zero-width space are not.
    assert found.iloc[1:, 2].isna().tolist() == [True, True, True, False, False]
