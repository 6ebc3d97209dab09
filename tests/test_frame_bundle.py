"""Frames sent between processes as a few stacks (`io/frame_bundle.py`): the fast path
of the transfer, held equal to the plain one (each frame pickled as it is)."""

from __future__ import annotations

import pickle
from datetime import datetime

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from kpi_tritue.io.column_batch import SharedRows, own_frame
from kpi_tritue.io.frame_bundle import bundle, unbundle

# Each kind of column the parse makes (and a few it does not), built from small ints, so
# that blanks, repeats and frames of 0 rows come up.
_KINDS = (
    "int64",
    "bool",
    "Int64",
    "Float64",
    "boolean",
    "str",
    "string",
    "object",
    "datetime",
    "category_ab",
    "category_ba",
    "category_ordered",
    "category_numbers",
)


def _column(kind: str, values: list[int | None]) -> pd.api.extensions.ExtensionArray | np.ndarray:
    filled = [0 if v is None else v for v in values]
    match kind:
        case "int64":
            return np.array(filled, dtype="int64")
        case "bool":
            return np.array([v % 2 == 1 for v in filled], dtype=bool)
        case "Int64":
            return pd.array(values, dtype="Int64")
        case "Float64":
            return pd.array([None if v is None else v / 4 for v in values], dtype="Float64")
        case "boolean":
            return pd.array([None if v is None else v % 2 == 1 for v in values], dtype="boolean")
        case "str":
            return pd.array([None if v is None else f"giá trị {v}" for v in values], dtype="str")
        case "string":
            return pd.array(
                [None if v is None else f"t{v}" for v in values], dtype=pd.StringDtype("python")
            )
        case "object":
            return np.array([v if v is None or v % 3 else f"x{v}" for v in values], dtype=object)
        case "datetime":
            return pd.array(
                [pd.NaT if v is None else datetime(2024, 1, 1 + v % 28) for v in values],
                dtype="datetime64[ns]",
            )
        case "category_numbers":
            dtype = pd.CategoricalDtype([1, 2, 3])
            return pd.Categorical([None if v is None else 1 + v % 3 for v in values], dtype=dtype)
    order = {"category_ab": ["a", "b"], "category_ba": ["b", "a"], "category_ordered": ["a", "b"]}
    dtype = pd.CategoricalDtype(order[kind], ordered=kind == "category_ordered")
    return pd.Categorical([None if v is None else "ab"[v % 2] for v in values], dtype=dtype)


@st.composite
def _layouts(draw: st.DrawFn) -> list[list[tuple[str, str]]]:
    """A layout and others that differ from it in one column's kind: the same names in
    the same order, which only the dtypes tell apart (a categorical's categories and
    their order among them)."""
    names = ["ho_ten", "cap", "nam", "_row"][: draw(st.integers(0, 4))]
    first = [(name, draw(st.sampled_from(_KINDS))) for name in names]
    layouts = [first]
    for _ in range(draw(st.integers(0, 2)) if names else 0):
        changed = list(first)
        at = draw(st.integers(0, len(names) - 1))
        changed[at] = (names[at], draw(st.sampled_from(_KINDS)))
        layouts.append(changed)
    return layouts


@st.composite
def _frames(draw: st.DrawFn) -> list[pd.DataFrame]:
    # A few layouts, many frames of each: what a worker's files give.
    layouts = draw(_layouts())
    frames = []
    for _ in range(draw(st.integers(0, 12))):
        layout = draw(st.sampled_from(layouts))
        rows = draw(st.integers(0, 4))
        values = st.lists(st.one_of(st.none(), st.integers(0, 9)), min_size=rows, max_size=rows)
        frame = pd.DataFrame(
            {name: _column(kind, draw(values)) for name, kind in layout},
            index=draw(
                st.sampled_from(
                    [
                        pd.RangeIndex(rows),
                        pd.RangeIndex(5, 5 + rows),
                        pd.Index(np.arange(rows, dtype="int64") * 2 + 4),
                    ]
                )
            ),
        )
        trait = draw(st.sampled_from(["plain", "plain", "attrs", "duplicates", "columns_int"]))
        if trait == "attrs":
            frame.attrs["source"] = "x"
        elif trait == "duplicates" and len(frame.columns) > 1:
            frame.columns = [frame.columns[0]] * len(frame.columns)
        elif trait == "columns_int":
            frame.columns = pd.Index(range(len(frame.columns)), dtype="int64")
        frames.append(frame)
    return frames


def _assert_same(got: list[pd.DataFrame | SharedRows], want: list[pd.DataFrame]) -> None:
    assert len(got) == len(want)
    for item, theirs in zip(got, want, strict=True):
        mine = own_frame(item)
        assert_frame_equal(
            mine,
            theirs,
            check_exact=True,
            check_index_type=True,
            check_column_type=True,
            check_categorical=True,
            check_flags=True,
        )
        assert list(mine.dtypes) == list(theirs.dtypes)
        for column in range(mine.shape[1]):
            dtype = theirs.dtypes.iloc[column]
            if isinstance(dtype, pd.CategoricalDtype):
                # Equal dtypes for pandas when unordered, whatever the categories' order:
                # but that order is how a column sorts.
                assert list(mine.dtypes.iloc[column].categories) == list(dtype.categories)
        assert mine.attrs == theirs.attrs


@st.composite
def _items(draw: st.DrawFn) -> list[pd.DataFrame | SharedRows]:
    """Frames, some of them given as rows of a frame they share (as the tables a parse
    keeps together, `SheetTable.shared`): in the order they lie there, or not, with
    gaps or not, beside frames of their own."""
    frames = draw(_frames())
    items: list[pd.DataFrame | SharedRows] = list(frames)
    chosen = [i for i in range(len(frames)) if draw(st.booleans())]
    layouts: dict[tuple[object, ...], list[int]] = {}
    for i in chosen:
        frame = frames[i]
        if frame.attrs or not frame.columns.is_unique:
            continue
        layouts.setdefault((tuple(frame.columns), tuple(map(str, frame.dtypes))), []).append(i)
    for members in layouts.values():
        pieces = [frames[i] for i in members]
        if draw(st.booleans()):
            pieces.insert(draw(st.integers(0, len(pieces))), pieces[0])  # rows of no one
        whole = pd.concat(pieces, ignore_index=True) if len(pieces) > 1 else pieces[0].copy()
        starts: dict[int, int] = {}
        at = 0
        for frame in pieces:
            starts.setdefault(id(frame), at)
            at += len(frame)
        for i in members:
            start = starts[id(frames[i])]
            items[i] = SharedRows(whole, start, start + len(frames[i]), frames[i].index)
    return items


@given(_items())
def test_bundled_frames_come_back_as_the_frames_pickled_one_by_one(
    items: list[pd.DataFrame | SharedRows],
) -> None:
    frames = [own_frame(item) for item in items]
    plain = pickle.loads(pickle.dumps(frames, protocol=pickle.HIGHEST_PROTOCOL))
    sent = pickle.loads(pickle.dumps(bundle(items), protocol=pickle.HIGHEST_PROTOCOL))
    _assert_same(unbundle(sent), plain)


def test_rows_kept_together_travel_as_their_frame() -> None:
    """Tables whose rows follow each other in the frame they share are sent as that
    frame, not stacked again, and come back as rows of the frame received."""
    whole = pd.DataFrame({"n": _column("Int64", list(range(6))), "t": ["a"] * 6})
    items = [SharedRows(whole, 2 * i, 2 * i + 2, pd.RangeIndex(3, 5)) for i in range(3)]
    sent = bundle(items)
    (stack,) = sent.stacks
    # Its rows taken from the frame they share (a view of it), not stacked into a copy.
    assert np.shares_memory(stack.frame["n"].array._data, whole["n"].array._data)
    assert stack.frame["n"].tolist() == list(range(6)) and stack.lengths == (2, 2, 2)
    back = unbundle(sent)
    assert all(isinstance(item, SharedRows) for item in back)
    _assert_same(back, [item.frame() for item in items])


def test_frames_of_one_layout_travel_as_one_stack() -> None:
    frames = [
        pd.DataFrame({"cap": _column("category_ab", [i, None]), "n": _column("Int64", [i, 1])})
        for i in range(50)
    ] + [pd.DataFrame({"cap": _column("category_ba", [1])})]
    sent = bundle(frames)
    assert sorted(len(stack.positions) for stack in sent.stacks) == [1, 50]
    assert sent.alone == {}
    _assert_same(unbundle(sent), frames)


def test_a_frame_that_cannot_be_stacked_is_sent_alone() -> None:
    with_attrs = pd.DataFrame({"a": [1]})
    with_attrs.attrs["note"] = "kept"
    doubled = pd.DataFrame([[1, 2]], columns=["a", "a"])
    frames = [with_attrs, doubled, pd.DataFrame({"a": [2]})]
    sent = bundle(frames)
    assert set(sent.alone) == {0, 1}
    _assert_same(unbundle(sent), frames)


def test_a_frame_cut_back_changes_alone() -> None:
    """Frames cut from one stack share its memory until written: a write to one (as the
    names hidden, a column derived) changes neither the others nor the stack."""
    frames = [pd.DataFrame({"n": _column("Int64", [i, i + 1]), "t": ["a", "b"]}) for i in range(3)]
    first, second, third = map(own_frame, unbundle(bundle(frames)))
    first.loc[0, "n"] = 99
    second["t"] = "changed"
    assert third["n"].tolist() == [2, 3] and third["t"].tolist() == ["a", "b"]
    assert second["n"].tolist() == [1, 2]
    assert first["t"].tolist() == ["a", "b"]
    assert frames[0]["n"].tolist() == [0, 1]
