"""The units registry looked up once over the run's rows (`derive_unit_attributes`) gives
exactly what each file's own lookup gives (`derive_unit_attributes_plain`): the values
filled, the issues of each file in their order, the run's issues and what was derived."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
from hypothesis import example, given, settings
from hypothesis import strategies as st

from builders import WORKFORCE_HEADER, person, write_workbook
from kpi_tritue.contract.schema import CONTRACT, Contract
from kpi_tritue.io import dataset as dataset_module
from kpi_tritue.io import registry
from kpi_tritue.io.dataset import load_dataset

# Unit names as typed: two spellings of one unit, units of no registry, a blank.
UNITS = ["Sở Y tế", "sở  Y TẾ", "UBND xã Kỳ Tân", "Trường THCS Kỳ Tân", "Sở Xây dựng", None]
# Lists with every cell filled (a bad value is not blank), some agreeing with DonVi and
# some not, are the ones the fast path may leave alone: half the lists are such.
LEVELS = ["Tỉnh", "Huyện", "Xã", "Trung ương?"]
SECTORS = ["Y tế", "Giáo dục", "Quản lý nhà nước"]
filled = st.tuples(st.sampled_from(UNITS[:4]), st.sampled_from(LEVELS), st.sampled_from(SECTORS))
any_row = st.tuples(
    st.sampled_from(UNITS), st.sampled_from([*LEVELS, None]), st.sampled_from([*SECTORS, None])
)
registry_rows = st.lists(any_row, max_size=4)
people = st.one_of(st.lists(filled, min_size=1, max_size=5), st.lists(any_row, max_size=5))
files = st.fixed_dictionaries(
    {
        # DonVi rows (None: no DonVi sheet) and the attribute columns it leaves out.
        "registry": st.one_of(st.none(), registry_rows),
        "registry_drops": st.one_of(st.just(set()), st.sets(st.sampled_from(["Cấp", "Lĩnh vực"]))),
        # NhanSu rows (None: no NhanSu sheet) and the columns it leaves out.
        "people": st.one_of(st.none(), people),
        "drops": st.one_of(st.just(set()), st.sets(st.sampled_from(["Cấp", "Lĩnh vực", "Loại"]))),
        "category": st.sampled_from([None, "Công chức", "không rõ"]),
    }
)
contracts = st.sampled_from(
    [
        CONTRACT,
        Contract(defaults={"workforce": {"level": "Xã", "sector": "Giáo dục"}}),
        Contract(defaults={"workforce": {"level": "Huyện", "category": "Viên chức"}}),
    ]
)


def _without(rows: list[list[Any]], drops: set[str]) -> list[list[Any]]:
    keep = [i for i, text in enumerate(rows[0]) if text not in drops]
    return [[row[i] for i in keep] for row in rows]


def _write(path: Path, spec: dict[str, Any]) -> Path:
    sheets: dict[str, Any] = {}
    info: list[list[Any]] = [["Mục", "Giá trị"], ["Năm báo cáo", 2024]]
    if spec["category"] is not None:
        info.append(["Loại", spec["category"]])
    sheets["ThongTin"] = info
    if spec["people"] is not None:
        rows = [
            person(f"{path.stem}-{n}", unit=unit, level=level, sector=sector)  # type: ignore[arg-type]
            for n, (unit, level, sector) in enumerate(spec["people"])
        ]
        sheets["NhanSu"] = _without([WORKFORCE_HEADER, *rows], spec["drops"])
    if spec["registry"] is not None:
        header = ["Đơn vị", "Cấp", "Lĩnh vực"]
        sheets["DonVi"] = _without([header, *map(list, spec["registry"])], spec["registry_drops"])
    return write_workbook(path, sheets)


def _recorded(paths: list[str], contract: Contract, derive: Any) -> list[Any]:
    """What `derive` leaves: each file's issues in order, its NhanSu frame, and what it
    returns."""
    seen: list[Any] = []

    def recording(opened: Any, loaded: Any, contract: Contract, **more: Any) -> Any:
        result = derive(opened, loaded, contract, **more)
        for done in loaded:
            table = done.tables.get("workforce")
            frame = None if table is None else table.frame.copy()
            seen.append(
                (done.display, list(done.issues), frame, dict(getattr(table, "derived", {})))
            )
        seen.append(result)
        return result

    with mock.patch.object(dataset_module, "derive_unit_attributes", recording):
        load_dataset(paths, contract=contract)
    return seen


# A list whose every cell is filled, one of them other than DonVi says.
_DIFFERS = [
    {"registry": [("Sở Y tế", "Tỉnh", "Y tế")], "registry_drops": set(), "people": None},
    {"registry": None, "registry_drops": set(), "people": [("Sở Y tế", "Huyện", "Y tế")]},
]


@example([{**spec, "drops": set(), "category": None} for spec in _DIFFERS], CONTRACT)
@settings(max_examples=60, deadline=None)
@given(st.lists(files, min_size=1, max_size=4), contracts)
def test_the_run_wide_lookup_gives_what_each_file_s_own_gives(
    specs: list[dict[str, Any]], contract: Contract
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = [str(_write(Path(folder) / f"f{n}.xlsx", s)) for n, s in enumerate(specs)]
        fast = _recorded(paths, contract, registry.derive_unit_attributes)
        plain = _recorded(paths, contract, registry.derive_unit_attributes_plain)
    assert len(fast) == len(plain)
    for got, expected in zip(fast, plain, strict=True):
        if isinstance(got, tuple) and len(got) == 4:
            assert got[:2] == expected[:2]
            assert got[3] == expected[3]
            if expected[2] is None:
                assert got[2] is None
            else:
                pd.testing.assert_frame_equal(got[2], expected[2])
        else:
            assert got == expected


def test_only_files_with_something_to_fill_or_report_are_worked_on(tmp_path: Path) -> None:
    # The fast path leaves a file alone only when it has nothing to fill or report: one
    # that says other than DonVi still gets its warning, one with a blank cell its value.
    header = ["Đơn vị", "Cấp", "Lĩnh vực"]
    donvi = write_workbook(
        tmp_path / "donvi.xlsx", {"DonVi": [header, ["Sở Y tế", "Tỉnh", "Y tế"]]}
    )
    lists = {
        "a": person("A1"),
        "b": person("B1", level="Huyện"),
        "c": person("C1", sector=None),  # type: ignore[arg-type]
    }
    paths = [str(donvi)] + [
        str(write_workbook(tmp_path / f"{stem}.xlsx", {"NhanSu": [WORKFORCE_HEADER, row]}))
        for stem, row in lists.items()
    ]
    calls: list[str] = []
    plain_fill = registry._fill_attributes

    def counted(loaded: Any, table: Any, *rest: Any) -> None:
        calls.append(table.frame["id"].iloc[0])
        plain_fill(loaded, table, *rest)

    with mock.patch.object(registry, "_fill_attributes", counted):
        dataset = load_dataset(paths)
    assert calls == ["B1", "C1"]
    ours = [i for i in dataset.issues if i.code != "as_of_today"]  # no ThongTin: a warning
    assert [(i.code, Path(i.file or "").name, i.cell) for i in ours] == [
        ("unit_attribute_differs", "b.xlsx", "D2")
    ]
    frame = dataset.tables["workforce"].frame
    assert frame["level"].astype("object").tolist() == ["province", "district", "province"]
    assert frame["sector"].astype("object").tolist() == ["health", "health", "health"]


@settings(max_examples=150)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.booleans(), st.booleans(), st.integers(0, 99)),
        min_size=1,
        max_size=8,
    ),
    st.integers(1, 3),
)
def test_a_registry_column_read_at_once_is_read_file_by_file(
    files: list[tuple[int, bool, bool, int]], most: int
) -> None:
    """`attribute_rows` (the `DonVi` tables kept together read at once) gives each row's
    value, position, file and place in the run's units as `attribute_rows_plain`, a file
    at a time: files without the column between, tables of two layouts, empty ones."""
    import numpy as np

    from kpi_tritue.contract.schema import UNITS as UNITS_SHEET
    from kpi_tritue.io.sheet_table import Built, SheetTable, keep_together

    tables = []
    for number, (rows, has_column, as_category, seed) in enumerate(files):
        picked = [LEVELS[(seed + i) % 4] if (seed + i) % 3 else None for i in range(rows)]
        level: Any = (
            pd.Categorical(picked, categories=LEVELS)
            if as_category
            else pd.array(picked, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        )
        columns = {"_row": np.arange(rows, dtype="int64") + 3, "level": level}
        headers = {"level": "Cấp"} if has_column or not number else {}
        built = Built(columns, pd.RangeIndex(2, 2 + rows))
        tables.append(SheetTable(UNITS_SHEET, "DonVi", None, headers, {}, built=built))
    keep_together(tables, most)
    starts = np.cumsum([0] + [table.height for table in tables]).tolist()
    having = [
        (index * 2, start, table)
        for index, (table, start) in enumerate(zip(tables, starts, strict=False))
        if "level" in table.headers
    ]
    fast = registry.attribute_rows(having, "level")
    plain = registry.attribute_rows_plain(having, "level")
    assert len(fast[0]) == len(plain[0]) == sum(table.height for _, _, table in having)
    for got, want in zip(fast, plain, strict=True):
        assert got.dtype == want.dtype
        assert got.tolist() == want.tolist()
