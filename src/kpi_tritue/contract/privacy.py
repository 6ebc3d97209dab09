"""Personal names: the one rule that keeps them out of every message and output.

**The rule.** A text that came from a workbook (a value quoted in a message, a sheet or
column name, an ID, a unit, an area…) is shown only if it holds no *known name* of the run;
otherwise a message shows `***` in its place, and a text cell is blanked with an error at
it (`name_in_text_column`), so that it reaches no result.

- *Known names* are the values of every `Họ và tên` column of the run's workbooks, and the
  values of a `Mã` column that reads as names (the two headers swapped). Without any
  `Họ và tên` column, nothing is known to be a name. A value without a letter (`12`) is
  no name.
- *Holds* is compared on folded text: compatibility-decomposed (NFKD: `ｆｕｌｌ` width,
  ligatures), Excel's `_xHHHH_` escapes decoded, diacritics and `đ` taken to their letter,
  case folded, and everything but letters and digits dropped (spaces, punctuation,
  zero-width and control characters). A text holds a name when its folded form contains
  the name's: `NGUYEN  VAN AN (GV)`, `Nguyễn\u200bVăn An`, `nguyễn văn an2` all hold
  `Nguyễn Văn An`. A name that folds to fewer than `MIN_CONTAINED` characters (`Lê A`)
  is held only by a text that folds to exactly it.

The fold of one text is plain Python (`fold`). Many texts at once (a column of 200,000 IDs,
the 200,000 names of a large file) take a faster way beside it, with a property test
that the two agree: names are folded word by word over the few distinct words they are
made of, and a column is screened in Arrow for the four-character starts of the names
before any value is folded one by one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kpi_tritue.model.issues import Issue, ParamValue

if TYPE_CHECKING:
    import numpy as np

REDACTED = "***"
# A name that folds to fewer characters than this hides only a text equal to it: `An`
# (`an`) or `Lê A` (`lea`) inside other words would hide half of all units.
MIN_CONTAINED = 4

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_NOT_WORD = re.compile(r"[\W_]+")
_BASE_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def _decode_escape(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def fold(text: str) -> str:
    """Letters and digits only: no diacritics, case folded, escapes decoded (see above)."""
    if "_x" in text or "_X" in text:
        text = _ESCAPE.sub(_decode_escape, text)
    text = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS)).casefold()
    return _NOT_WORD.sub("", text.translate(_BASE_LETTERS))


def holds_plain(text: str, names: Iterable[str]) -> bool:
    """The rule as written, one name at a time: what `KnownNames.holding` computes faster."""
    key = fold(text)
    for name in names:
        folded = fold(name)
        if not _is_name_key(folded):
            continue
        if folded == key or (len(folded) >= MIN_CONTAINED and folded in key):
            return True
    return False


def _is_name_key(key: str) -> bool:
    """Whether a folded value can be a name: it has a letter (`12` is a row number)."""
    return any(char.isalpha() for char in key)


class KnownNames:
    """The folded names of a run, and which texts hold one.

    The folded names stay in an Arrow array (a large file has 200,000 of them); the parts
    of a text that could be a name are looked up among them in one pass.
    """

    def __init__(self, keys: Any = None) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc

        if keys is None:
            keys = pa.array([], type=pa.large_string())
        elif not isinstance(keys, pa.Array):
            keys = pa.array(sorted(set(keys)), type=pa.large_string())
        keys = keys.drop_null()
        # A name has a letter; only letters and digits are left, so "not all numeric".
        keys = keys.filter(pc.invert(pc.or_(pc.utf8_is_numeric(keys), pc.equal(keys, ""))))
        long = pc.greater_equal(pc.utf8_length(keys), MIN_CONTAINED)
        self._long = pc.unique(keys.filter(long))
        self._short = frozenset(pc.unique(keys.filter(pc.invert(long))).to_pylist())
        self._starts = frozenset(
            pc.unique(pc.utf8_slice_codeunits(self._long, 0, MIN_CONTAINED)).to_pylist()
        )
        self._lengths = tuple(sorted(pc.unique(pc.utf8_length(self._long)).to_pylist()))

    @classmethod
    def of(cls, names: Iterable[str]) -> KnownNames:
        """From raw names, folded one by one."""
        return cls({fold(name) for name in names})

    @classmethod
    def of_arrays(cls, arrays: Sequence[Any]) -> KnownNames:
        """From Arrow arrays of raw names, folded the fast way (`fold_array`)."""
        import pyarrow as pa

        chunks: list[Any] = []
        for array in arrays:
            chunks += array.chunks if isinstance(array, pa.ChunkedArray) else [array]
        if not chunks:
            return cls()
        names = pa.concat_arrays([c.cast(pa.large_string()) for c in chunks])
        return cls(fold_array(names.unique()))

    @classmethod
    def union(cls, all_names: Iterable[KnownNames]) -> KnownNames:
        """The names known to any of several runs (the years of a trend)."""
        import pyarrow as pa

        arrays: list[Any] = []
        for names in all_names:
            short = pa.array(sorted(names._short), type=pa.large_string())
            arrays += [names._long.cast(pa.large_string()), short]
        return cls(pa.concat_arrays(arrays)) if arrays else cls()

    def __bool__(self) -> bool:
        return bool(self._short or len(self._long))

    def holds(self, text: str) -> bool:
        """Whether `text` holds a known name."""
        return self.holding([text])[0]

    def shown(self, text: str) -> str:
        """`text`, or `***` when it holds a known name."""
        return REDACTED if self.holds(text) else text

    def holding(self, texts: Sequence[str]) -> list[bool]:
        """Whether each text holds a known name (`holds_plain`, for many texts at once)."""
        if not self or not texts:
            return [False] * len(texts)
        if len(texts) >= _ARROW_FROM:
            import pyarrow as pa

            array = pa.array(texts, type=pa.large_string())
            found: list[bool] = self.holding_array(array).tolist()
            return found
        return self._holding_keys([fold(text) for text in texts])

    def holding_array(self, values: Any) -> np.ndarray[Any, Any]:
        """`holding` of an Arrow string array (a null holds nothing), over its distinct
        values: whether a text holds a name depends on the text alone, so a column that
        repeats a few texts (units, professions, areas: 200 texts in 200,000 rows) is
        hashed once and screened over its distinct texts (`holding_rows`, the plain way),
        not row by row. A column whose first values are mostly distinct (IDs) is screened
        as it is, since hashing it would cost more than it saves."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if not self or not len(values):
            return np.zeros(len(values), dtype=bool)
        values = values.cast(pa.large_string())
        if len(values) < _DISTINCT_FROM or _mostly_distinct(values):
            return self.holding_rows(values)
        encoded = values.dictionary_encode()
        held = np.append(self.holding_rows(encoded.dictionary), False)  # a null: the last
        indices = pc.fill_null(encoded.indices, len(encoded.dictionary))
        found: np.ndarray[Any, Any] = held[indices.to_numpy(zero_copy_only=False)]
        return found

    def holding_rows(self, values: Any) -> np.ndarray[Any, Any]:
        """`holding_array` row by row: the plain version of its distinct-values way.

        Plain ASCII values (a column of IDs) are folded at once in Arrow and most are
        screened out there; the others' distinct values are folded (`fold_array`), and
        only those that contain the start of a name, or are a short one, are looked at
        one by one.
        """
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        found = np.zeros(len(values), dtype=bool)
        if not self or not len(values):
            return found
        values = values.cast(pa.large_string())
        plain = pc.fill_null(_plain_ascii(values), False)
        other = pc.indices_nonzero(pc.and_(pc.is_valid(values), pc.invert(plain)))
        plain_rows = pc.indices_nonzero(plain)
        if len(plain_rows):
            # Every row plain (an ID column): the column itself, not a copy of it.
            plain_values = values if len(plain_rows) == len(values) else values.take(plain_rows)
            screened = self._may_hold(_fold_ascii(plain_values))
            plain_rows = plain_rows.filter(pc.fill_null(screened, False))
        rows = pa.concat_arrays([other, plain_rows]) if len(plain_rows) else other
        if not len(rows):
            return found
        encoded = values.take(rows).dictionary_encode()
        keys = fold_array(encoded.dictionary)
        positions = pc.indices_nonzero(pc.fill_null(self._may_hold(keys), False))
        held = np.zeros(len(keys) + 1, dtype=bool)
        held[positions.to_numpy()] = self._holding_keys(pc.take(keys, positions).to_pylist())
        indices = pc.fill_null(encoded.indices, len(keys)).to_numpy(zero_copy_only=False)
        found[rows.to_numpy()] = held[indices]
        return found

    def _may_hold(self, keys: Any) -> Any:
        """Folded texts that are a short name or contain the start of a long one."""
        import pyarrow as pa
        import pyarrow.compute as pc

        short = pa.array(sorted(self._short), type=pa.large_string())
        maybe = pc.is_in(keys, value_set=short)
        pattern = _alternation(self._starts)
        if pattern is not None:
            maybe = pc.or_(maybe, pc.match_substring_regex(keys, pattern))
        elif self._starts:
            maybe = pc.or_(maybe, pc.greater_equal(pc.utf8_length(keys), MIN_CONTAINED))
        return maybe

    def _holding_keys(self, keys: Sequence[str]) -> list[bool]:
        """Whether each folded text holds a known name: a short name it equals, or a long
        one among its parts that begin as a name does, looked up in one Arrow pass."""
        import pyarrow as pa
        import pyarrow.compute as pc

        found = [key in self._short for key in keys]
        candidates = {i: self._candidates(key) for i, key in enumerate(keys) if not found[i]}
        wanted = sorted({c for cs in candidates.values() for c in cs})
        if not wanted:
            return found
        value_set = pa.array(wanted, type=pa.large_string())
        held = set(self._long.filter(pc.is_in(self._long, value_set)).to_pylist())
        for position, cs in candidates.items():
            found[position] = any(c in held for c in cs)
        return found

    def _candidates(self, key: str) -> list[str]:
        """The parts of a folded text that could be a long name: those that begin as one
        does, of the length of one."""
        found: list[str] = []
        for start in range(len(key) - MIN_CONTAINED + 1):
            if key[start : start + MIN_CONTAINED] not in self._starts:
                continue
            for length in self._lengths:
                if start + length > len(key):
                    break
                found.append(key[start : start + length])
        return found


# From this many texts, `holding` folds and screens them in Arrow.
_ARROW_FROM = 2000
# From this many texts, `holding_array` screens a repetitive column over its distinct ones.
_DISTINCT_FROM = 4096


def _mostly_distinct(array: Any, sample: int = 2048) -> bool:
    """Whether more than half of the first values (nulls left out) are distinct."""
    import pyarrow.compute as pc

    head = array.slice(0, sample).drop_null()
    return len(head) >= 64 and len(pc.unique(head)) * 2 > len(head)


# Past this many distinct starts of names, one regular expression of them all would cost
# more than it saves: every text of four characters or more is then looked at.
_MAX_ALTERNATION = 20_000


def _alternation(starts: frozenset[str]) -> str | None:
    if not starts or len(starts) > _MAX_ALTERNATION:
        return None
    return "|".join(re.escape(start) for start in sorted(starts))


def _plain_ascii(texts: Any) -> Any:
    """ASCII texts without an `_x` escape: their fold is `_fold_ascii`."""
    import pyarrow.compute as pc

    # `_x` in either case, as two plain searches: Arrow's `ignore_case` runs a regular
    # expression (31 ms over 1,048,575 IDs, the two searches a few).
    escaped = pc.or_(pc.match_substring(texts, "_x"), pc.match_substring(texts, "_X"))
    return pc.and_(pc.string_is_ascii(texts), pc.invert(escaped))


def _fold_ascii(texts: Any) -> Any:
    """The fold of plain ASCII texts: lower-cased, letters and digits only.

    Only the texts with something else than letters and digits go through the pattern
    (an ID column has none: 1,048,575 IDs took 54 ms through it); `_fold_ascii_plain` is
    the pattern over all, and a property test holds both equal.
    """
    import pyarrow.compute as pc

    lowered = pc.ascii_lower(texts)
    other = pc.invert(pc.fill_null(pc.ascii_is_alnum(lowered), True))
    if not pc.any(other).as_py():
        return lowered
    cut = pc.replace_substring_regex(lowered.filter(other), "[^a-z0-9]+", "")
    return pc.replace_with_mask(lowered, other, cut)


def _fold_ascii_plain(texts: Any) -> Any:
    """`_fold_ascii`, the pattern over every text."""
    import pyarrow.compute as pc

    return pc.replace_substring_regex(pc.utf8_lower(texts), "[^a-z0-9]+", "")


def fold_array(texts: Any) -> Any:
    """`fold` of each text of an Arrow string array (a null stays null), the fast way.

    A text is folded word by word, each distinct word once: the same as folding it whole,
    since the fold drops white space and folds nothing across it (a property test checks
    it). Plain ASCII words (without an `_x` escape) are folded in Arrow, lower-cased with
    letters and digits kept; the others, a language's vocabulary, in Python.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    texts = texts.cast(pa.large_string())
    words = pc.utf8_split_whitespace(texts)
    encoded = pc.list_flatten(words).dictionary_encode()
    vocabulary = encoded.dictionary
    folded = _fold_ascii(vocabulary)
    other = pc.invert(_plain_ascii(vocabulary))
    unusual = vocabulary.filter(other).to_pylist()
    if unusual:
        replacements = pa.array([fold(word) for word in unusual], type=pa.large_string())
        folded = pc.replace_with_mask(folded, other, replacements)
    offsets = words.offsets.cast(pa.int64())
    rebuilt = pa.LargeListArray.from_arrays(
        pc.subtract(offsets, offsets[0]), folded.take(encoded.indices), mask=texts.is_null()
    )
    return pc.binary_join(rebuilt, pa.scalar("", pa.large_string()))


# ---------------------------------------------------------------------------------------
# Messages

# Parameters of an issue that quote a cell (or a sheet or column name) of the input.
QUOTED = frozenset({"value", "id", "name", "unit", "key", "converted"})
QUOTE_LENGTH = 80


def quote(text: str) -> str:
    """Input text as a message quotes it: printable, and cut to 80 characters with `…`."""
    from kpi_tritue.i18n.numbers import printable

    if len(text) > QUOTE_LENGTH:
        text = text[: QUOTE_LENGTH - 1] + "…"
    return printable(text)


def quoted_params(params: Mapping[str, ParamValue]) -> dict[str, ParamValue]:
    """`params` with the quoted ones cut and made printable (done as an issue is made,
    so that a 100 MB cell is not kept a hundred times)."""
    return {
        key: quote(value) if key in QUOTED and isinstance(value, str) else value
        for key, value in params.items()
    }


def redact_issues(issues: Sequence[Issue], names: KnownNames) -> list[Issue]:
    """Every issue as it may be shown: quoted text cut (`quote`), every text printable,
    and any text that holds a known name (a parameter, the sheet, the column) as `***`.

    The file is a path the user gave: only made printable.
    """
    from kpi_tritue.i18n.numbers import printable

    texts: dict[str, bool] = {}
    prepared: list[tuple[Issue, dict[str, ParamValue], str | None, str | None]] = []
    for issue in issues:
        params = {
            key: (quote(value) if key in QUOTED else printable(value))
            if isinstance(value, str)
            else value
            for key, value in issue.params.items()
        }
        sheet = None if issue.sheet is None else quote(issue.sheet)
        column = None if issue.column is None else quote(issue.column)
        for value in (*params.values(), sheet, column):
            if isinstance(value, str):
                texts[value] = False
        prepared.append((issue, params, sheet, column))
    if names:
        keys = list(texts)
        texts = dict(zip(keys, names.holding(keys), strict=True))

    def shown(value: Any) -> Any:
        return REDACTED if isinstance(value, str) and texts[value] else value

    return [
        replace(
            issue,
            file=None if issue.file is None else printable(issue.file),
            sheet=shown(sheet),
            column=shown(column),
            params={key: shown(value) for key, value in params.items()},
        )
        for issue, params, sheet, column in prepared
    ]
