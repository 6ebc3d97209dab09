"""Many small frames sent between processes as a few (issue 14, round 11).

A worker's parse gives one frame per sheet of each of its files. Pickled one by one, each
took about 0.6 ms to rebuild in the command's process (pandas makes a block per extension
column: about 13 a frame), which was most of what the processes' transfer cost: about
1.8 s on 2,000 files of 100 rows. `bundle` stacks the frames of one layout (the same
columns and the same dtypes, exactly) into one frame; `unbundle` cuts each stack back into
its frames, in their order, each with its own index. A frame cut back is a view of its
stack: pandas copies on write, so changing one changes neither its stack nor the others.

The plain version is the frames themselves, pickled one by one; a property test holds
`unbundle(bundle(frames))` equal to `frames` (`tests/test_frame_bundle.py`). A frame that
cannot be stacked safely (columns not unique or not flat, `attrs`, flags) is sent alone.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd


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


def bundle(frames: Sequence[pd.DataFrame]) -> FrameBundle:
    """The frames, those of one layout stacked into one (see the module)."""
    by_layout: dict[Hashable, list[int]] = {}
    alone: dict[int, pd.DataFrame] = {}
    for position, frame in enumerate(frames):
        layout = _layout(frame)
        if layout is None:
            alone[position] = frame
        else:
            by_layout.setdefault(layout, []).append(position)
    stacks = []
    for positions in by_layout.values():
        members = [frames[p] for p in positions]
        stacks.append(
            _Stack(
                positions=tuple(positions),
                lengths=tuple(len(frame) for frame in members),
                indexes=tuple(frame.index for frame in members),
                frame=members[0] if len(members) == 1 else pd.concat(members, ignore_index=True),
            )
        )
    return FrameBundle(len(frames), tuple(stacks), alone)


def unbundle(sent: FrameBundle) -> list[pd.DataFrame]:
    """The frames of `sent`, in the order they were given to `bundle`."""
    frames: list[pd.DataFrame | None] = [None] * sent.count
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
            part = stack.frame.iloc[start : start + length]
            part.index = index
            frames[position] = part
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
