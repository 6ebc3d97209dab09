"""Many small frames sent between processes as a few (issue 14, round 11).

A worker's parse gives one frame per sheet of each of its files. Pickled one by one, each
took about 0.6 ms to rebuild in the command's process (pandas makes a block per extension
column: about 13 a frame), which was most of what the processes' transfer cost: about
1.8 s on 2,000 files of 100 rows. `bundle` stacks the frames of one layout (the same
columns and the same dtypes, exactly) into one frame; `unbundle` gives each back as its
rows of the stack (`SharedRows`, each with its own index: a table keeps them so, its
frame made only when asked for, `SheetTable.shared`). A frame made of them is a view of
its stack: pandas copies on write, so changing one changes neither its stack nor the
others. Tables kept as rows of one frame already (round 14) are sent as that frame, not
made into frames to be stacked again.

The plain version is the frames themselves, pickled one by one; a property test holds
`unbundle(bundle(items))` equal to each item's frame (`tests/test_frame_bundle.py`). A
frame that cannot be stacked safely (columns not unique or not flat, `attrs`, flags) is
sent alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from kpi_tritue.io.column_batch import SharedRows, height, own_frame, row_pieces


@dataclass(frozen=True)
class _Stack:
    """Frames of one layout, one under the other: frame `k` is rows
    `sum(lengths[:k])` to `sum(lengths[:k + 1])` of `frame`, with index `indexes[k]`."""

    positions: tuple[int, ...]
    lengths: tuple[int, ...]
    indexes: tuple[pd.Index, ...]
    frame: pd.DataFrame


@dataclass(frozen=True)
class FrameBundle:
    """`count` frames: stacked by layout, and those sent alone by position."""

    count: int
    stacks: tuple[_Stack, ...]
    alone: dict[int, pd.DataFrame]


def bundle(items: Sequence[pd.DataFrame | SharedRows]) -> FrameBundle:
    """The frames (a `SharedRows`' frame is the view it would make), those of one layout
    stacked into one (see the module); rows that follow each other in one shared frame
    are taken from it at once, not made into frames to be stacked again."""
    by_layout: dict[Hashable, list[int]] = {}
    alone: dict[int, pd.DataFrame] = {}
    for position, item in enumerate(items):
        layout = _layout(item.whole if isinstance(item, SharedRows) else item)
        if layout is None:
            alone[position] = own_frame(item)
        else:
            by_layout.setdefault(layout, []).append(position)
    stacks = []
    for positions in by_layout.values():
        members = [items[p] for p in positions]
        # A lone member travels as its own frame, with its own index.
        pieces = row_pieces(members) if len(members) > 1 else [own_frame(members[0])]
        stacks.append(
            _Stack(
                positions=tuple(positions),
                lengths=tuple(height(member) for member in members),
                indexes=tuple(member.index for member in members),
                frame=pieces[0] if len(pieces) == 1 else pd.concat(pieces, ignore_index=True),
            )
        )
    return FrameBundle(len(items), tuple(stacks), alone)


def unbundle(sent: FrameBundle) -> list[pd.DataFrame | SharedRows]:
    """The frames of `sent`, in the order they were given to `bundle`: those of a stack
    as its rows (`SharedRows`, a frame made only when a table asks for it), a frame that
    travelled alone or alone in its stack as itself."""
    frames: list[pd.DataFrame | SharedRows | None] = [None] * sent.count
    for position, frame in sent.alone.items():
        frames[position] = frame
    for stack in sent.stacks:
        if len(stack.positions) == 1:
            frames[stack.positions[0]] = stack.frame
            continue
        start = 0
        for position, length, index in zip(
            stack.positions, stack.lengths, stack.indexes, strict=True
        ):
            frames[position] = SharedRows(stack.frame, start, start + length, index)
            start += length
    assert all(frame is not None for frame in frames)
    return frames  # type: ignore[return-value]  # every position is filled above


def _layout(frame: pd.DataFrame) -> Hashable | None:
    """What frames must share to be stacked: their columns and each column's dtype,
    exactly (a categorical's categories in their order, and whether it is ordered; labels
    with their types, as 1, 1.0 and True are equal keys). None for a frame sent alone."""
    columns = frame.columns
    if (
        frame.attrs
        or not frame.flags.allows_duplicate_labels
        or isinstance(columns, pd.MultiIndex)
        or not columns.is_unique
    ):
        return None
    dtypes: list[Hashable] = []
    for dtype in frame.dtypes:
        if isinstance(dtype, pd.CategoricalDtype):
            categories = dtype.categories
            dtypes.append(("category", _exact(categories), str(categories.dtype), dtype.ordered))
        else:
            dtypes.append(dtype)
    return (_exact(columns), str(columns.dtype), columns.name, tuple(dtypes))


def _exact(labels: pd.Index) -> tuple[tuple[type, Hashable], ...]:
    return tuple((type(label), label) for label in labels)


__all__ = ["FrameBundle", "bundle", "unbundle"]
