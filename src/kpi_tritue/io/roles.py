"""Leadership flags derived from the position text, file by file (official-lists.md, 2).

In a file whose `NhanSu` has `Chức vụ` but not a flag's column, the flag is derived from
the catalog's `[[roles]]` (`catalog/roles.py`): yes where a rule applying to the row's
level matches the position, no where the position matches none, blank where it is blank.
A file that has the flag's column uses it alone (settled detail 6: blank there is no).
The rules are matched once per distinct (position, level), not once per row.

Each row keeps the rules that made its derived flags yes (`ROLES`, a bookkeeping column:
a tuple of (flag, phrase)), so that `kpi explain` shows them. Issues, all `info`:
the distinct positions that matched no rule (per file where a flag is derived), a flag
column present but blank where positions would match a rule, and a catalog without
`[[roles]]`.

Runs in `load_dataset` once every file is read and names are hidden (a position that
holds a known name is blank by then) and once a row's level is known.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from kpi_tritue.catalog.roles import ROLE_FLAGS, RoleRule, position_parts
from kpi_tritue.contract.normalize import fold
from kpi_tritue.contract.privacy import REDACTED, KnownNames, quote
from kpi_tritue.contract.schema import WORKFORCE
from kpi_tritue.io.sheet_table import Reporter, SheetTable
from kpi_tritue.model.issues import Issue, Severity

# The bookkeeping column of a NhanSu frame: per row, the (flag, phrase) pairs of the
# rules that made its derived flags yes; None where none did.
ROLES = "_roles"
POSITION = "position"
DERIVED_FROM = "position"
# The unmatched positions an `info` lists, the most frequent first.
MAX_UNMATCHED_SHOWN = 20

Match = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Distinct:
    """What the rules say of one distinct position."""

    # Per rule (in catalog order), the phrase matched; None where the rule matches not.
    phrases: tuple[str | None, ...]

    @property
    def matched(self) -> bool:
        return any(phrase is not None for phrase in self.phrases)


def derive_roles(
    workbooks: Sequence[tuple[str, SheetTable]],
    rules: Sequence[RoleRule] | None = None,
    names: KnownNames | None = None,
) -> tuple[dict[str, dict[str, str]], list[Issue]]:
    """Derive the missing flags of each file's `NhanSu` table (changed in place).

    `workbooks`: (file as shown, its `NhanSu` table); `rules`: the catalog's `[[roles]]`
    (None: the packaged catalog's, read only when a file has a position column). Returns
    which flags were derived in which files (`Dataset.derived`: file → flag → "position")
    and the issues."""
    derived: dict[str, dict[str, str]] = {}
    issues: list[Issue] = []
    for display, table in workbooks:
        if table.spec.key != WORKFORCE.key or POSITION not in table.present:
            continue
        # (Read without a frame made for the table: `SheetTable.shared`.)
        if not bool(pd.notna(table.column_array(POSITION)).any()):
            # No position written: nothing to derive from, and the flags stay absent (their
            # indicators have no data, as without the column).
            continue
        if rules is None:
            rules = packaged_roles()
        reporter = Reporter(display, table.sheet_name)
        missing: list[str] = [flag for flag in ROLE_FLAGS if flag not in table.present]
        if missing and not rules:
            reporter.add(
                Severity.INFO,
                "roles_not_in_catalog",
                column=table.headers[POSITION],
                fields=", ".join(WORKFORCE.column(flag).header for flag in missing),
            )
        elif rules:
            done = _derive_file(table, rules, missing, reporter, names)
            if done:
                derived[display] = dict.fromkeys(done, DERIVED_FROM)
        issues += reporter.issues
    return derived, issues


def _derive_file(
    table: SheetTable,
    rules: Sequence[RoleRule],
    missing: list[str],
    reporter: Reporter,
    names: KnownNames | None,
) -> list[str]:
    """Derive `missing` flags in one table; the flags derived."""
    # A flag column with no row marked yes: the reader reads a blank cell as no.
    blank = [
        flag
        for flag in ROLE_FLAGS
        if flag in table.present
        and table.has_column(flag)
        and not bool(pd.Series(table.column_array(flag), copy=False).fillna(False).any())
    ]
    if not missing and not blank:
        return []
    frame = table.frame
    codes, uniques = pd.factorize(frame[POSITION], use_na_sentinel=True)
    distinct = [_match(str(value), rules) for value in uniques]
    levels = _levels(frame)
    # One evaluation per distinct (position, level): few texts, three levels.
    level_codes, level_values = pd.factorize(levels, use_na_sentinel=True)
    width = len(level_values) + 1
    pairs = np.asarray(codes, dtype=np.int64) * width + (np.asarray(level_codes) + 1)
    keys, inverse = np.unique(pairs, return_inverse=True)
    inverse = inverse.reshape(-1)
    rows_per_key = np.bincount(inverse, minlength=len(keys))
    matches: list[Match] = []
    for key in keys.tolist():
        position, level = divmod(int(key), width)
        level_code = None if level == 0 else str(level_values[level - 1])
        found = distinct[position].phrases if position >= 0 else ()
        matches.append(
            _first_per_flag(
                tuple(
                    (rule.flag, phrase)
                    for rule, phrase in zip(rules, found, strict=False)
                    if phrase is not None and rule.applies_to(level_code)
                )
            )
        )
    for name in blank:
        would = np.array([any(f == name for f, _ in m) for m in matches], dtype=bool)
        count = int(rows_per_key[would].sum())
        if count:
            reporter.add(
                Severity.INFO,
                "flag_column_blank",
                column=table.headers[name],
                field=WORKFORCE.column(name).header,
                count=count,
            )
    if not missing:
        return []
    kept = np.empty(len(matches), dtype=object)
    kept[:] = [tuple(pair for pair in m if pair[0] in missing) or None for m in matches]
    has_position = np.asarray(codes) >= 0
    for flag in missing:
        per_key = np.array([any(f == flag for f, _ in m) for m in matches], dtype=bool)
        values = pd.array(per_key[inverse], dtype="boolean")
        values[~has_position] = pd.NA
        frame[flag] = pd.Series(values, index=frame.index)
        table.derived[flag] = DERIVED_FROM
        table.headers[flag] = table.headers[POSITION]
        if POSITION in table.letters:
            table.letters[flag] = table.letters[POSITION]
    frame[ROLES] = pd.Series(kept[inverse], index=frame.index, dtype=object)
    _report_unmatched(table, codes, list(uniques), distinct, reporter, names)
    return missing


def packaged_roles() -> tuple[RoleRule, ...]:
    """The `[[roles]]` of the packaged catalog."""
    from kpi_tritue.catalog.reading import load_catalog

    return load_catalog().roles


def _first_per_flag(match: Match) -> Match:
    """The first rule's phrase of each flag (rules in catalog order)."""
    seen: dict[str, str] = {}
    for flag, phrase in match:
        seen.setdefault(flag, phrase)
    return tuple(seen.items())


def _match(position: str, rules: Sequence[RoleRule]) -> _Distinct:
    parts, plain = position_parts(position)
    return _Distinct(tuple(rule.match(parts, plain) for rule in rules))


def _levels(frame: pd.DataFrame) -> pd.Series:
    """Each row's level code (NA where unknown); all unknown without the column."""
    if "level" in frame:
        return frame["level"].astype("object")
    return pd.Series(None, index=frame.index, dtype=object)


def unmatched_positions(
    codes: np.ndarray[Any, Any], uniques: Sequence[object], matched: Sequence[bool]
) -> tuple[list[tuple[str, int]], int]:
    """The distinct positions that matched no rule, with their number of rows: grouped by
    folded form (the first spelling seen shown), the most frequent first, then by text,
    blanks left out; at most `MAX_UNMATCHED_SHOWN`, and how many there are in all."""
    counts = np.bincount(np.asarray(codes)[np.asarray(codes) >= 0], minlength=len(uniques))
    groups: dict[str, tuple[str, int]] = {}
    for index, value in enumerate(uniques):
        if matched[index]:
            continue
        folded = fold(str(value))
        if not folded:
            continue
        shown, count = groups.get(folded, (str(value), 0))
        groups[folded] = (shown, count + int(counts[index]))
    listed = sorted(groups.values(), key=_by_count)
    return listed[:MAX_UNMATCHED_SHOWN], len(listed)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def _report_unmatched(
    table: SheetTable,
    codes: np.ndarray[Any, Any],
    uniques: Sequence[object],
    distinct: Sequence[_Distinct],
    reporter: Reporter,
    names: KnownNames | None,
) -> None:
    listed, total = unmatched_positions(codes, uniques, [d.matched for d in distinct])
    if not listed:
        return
    texts = [quote(text) for text, _ in listed]
    hidden = names.holding(texts) if names else [False] * len(texts)
    shown = "; ".join(
        f"\u201c{REDACTED if secret else text}\u201d ({count})"
        for text, secret, (_, count) in zip(texts, hidden, listed, strict=True)
    )
    reporter.add(
        Severity.INFO,
        "positions_unmatched",
        column=table.headers[POSITION],
        field=WORKFORCE.column(POSITION).header,
        count=total,
        shown=len(listed),
        positions=shown,
    )


__all__ = ["MAX_UNMATCHED_SHOWN", "ROLES", "derive_roles", "unmatched_positions"]
