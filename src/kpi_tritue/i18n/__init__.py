"""Every sentence the tool says, in Vietnamese (default) and English: one lookup.

The tables live beside this file, one per area (`issues`: the message of each issue code;
`messages`: the command line's sentences and labels; …). Their keys are unique across
tables, so `text(key, lang)` finds any of them; `tests/test_i18n.py` checks that every key
has both languages and that no two tables share a key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import import_module
from typing import Any

from kpi_tritue.i18n.annotate import first_sentence_end
from kpi_tritue.i18n.grouping import exact
from kpi_tritue.i18n.lang import LANGS as LANGS
from kpi_tritue.i18n.lang import Lang as Lang

# Every table of sentences but the issue messages (keyed by issue code, see
# `issue_message`), by module, in the order they are merged.
_TABLE_MODULES = (
    "messages",
    "cli",
    "catalog",
    "contract",
    "explain",
    "listing",
    "note",
    "report",
    "target",
    "template",
    "trend",
    "xlsx",
    "errors",
    "about",
    "validation",
    "annotate",
    "columns",
)
# The table where the keys that start with a word are (`cli.help.version` → `cli`), so that
# a command loads only the tables it speaks from (all of them cost ~30 ms at start-up, a
# tenth of `kpi indicators`). `tests/test_i18n.py` checks that every key is where its first
# word says; a key not found there would still be looked for in every table.
_TABLE_OF = {
    "about": "about",
    "annotate": "annotate",
    "asof": "messages",
    "baseline": "messages",
    "catalog": "catalog",
    "cli": "cli",
    "col": "messages",
    "columns": "columns",
    "contract": "contract",
    "error": "messages",
    "errors": "errors",
    "explain": "explain",
    "files": "messages",
    "gate": "messages",
    "input": "messages",
    "issues": "messages",
    "listing": "listing",
    "note": "note",
    "output": "messages",
    "report": "report",
    "severity": "messages",
    "target": "target",
    "template": "template",
    "trend": "trend",
    "usage": "cli",
    "validation": "validation",
    "xlsx": "xlsx",
}


@cache
def _table(module: str) -> Mapping[str, Mapping[Lang, str]]:
    table: Mapping[str, Mapping[Lang, str]] = import_module(f"kpi_tritue.i18n.{module}").TEXT
    return table


class _Sentences(Mapping[str, Mapping[Lang, str]]):
    """Every sentence by key (`TEXT`): a key is looked up in the table its first word names
    (`_TABLE_OF`), imported then; a key not there, or a walk over them all, imports every
    table. The same mapping as the tables merged at once."""

    def __init__(self) -> None:
        self._all: dict[str, Mapping[Lang, str]] | None = None

    def _everything(self) -> dict[str, Mapping[Lang, str]]:
        if self._all is None:
            self._all = {key: row for table in _tables() for key, row in table.items()}
        return self._all

    def __getitem__(self, key: str) -> Mapping[Lang, str]:
        if self._all is None:
            home = _TABLE_OF.get(key.partition(".")[0])
            row = None if home is None else _table(home).get(key)
            if row is not None:
                return row
        return self._everything()[key]

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        try:
            self[key]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


def _tables() -> tuple[Mapping[str, Mapping[Lang, str]], ...]:
    return tuple(_table(module) for module in _TABLE_MODULES)


TEXT: Mapping[str, Mapping[Lang, str]] = _Sentences()


def __getattr__(name: str) -> Any:
    """`TABLES` (every table of sentences, in order) and `ISSUE_MESSAGES` (each issue
    code's message), imported when first asked for."""
    if name == "TABLES":
        return _tables()
    if name == "ISSUE_MESSAGES":
        return _issue_messages()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _issue_messages() -> Mapping[str, Mapping[Lang, str]]:
    module = import_module("kpi_tritue.i18n.issues")
    messages: Mapping[str, Mapping[Lang, str]] = module.ISSUE_MESSAGES
    return messages


class Amount(float):
    """A number an issue quotes as a quantity (a figure, a count, a limit), shown as people
    read it: `1.312.600` in Vietnamese, `1,312,600` in English, with the decimals it has.
    A parameter that is a year or a row number stays a plain `int`."""

    __slots__ = ()


# A row's ID as a message quotes it when the sheet has none (an official list keeps no
# `Mã`): the words that would show `(ID ?)` are left out; the cell says which row.
NO_ID = "?"
_ID_CLAUSES = (" (mã {id})", " (ID {id})")


def _issue_template(code: str, lang: Lang, params: Mapping[str, object]) -> str | None:
    template = _issue_messages().get(code, {}).get(lang)
    if template is not None and params.get("id") == NO_ID:
        for clause in _ID_CLAUSES:
            template = template.replace(clause, "")
    return template


def issue_message(code: str, lang: Lang, params: Mapping[str, object]) -> str:
    template = _issue_template(code, lang, params)
    if template is None:
        return code
    if any(isinstance(value, Amount) for value in params.values()):
        params = {
            key: exact(value, lang) if isinstance(value, Amount) else value
            for key, value in params.items()
        }
    return template.format_map(_Defaulting(params))


def issue_parts(code: str, lang: Lang, params: Mapping[str, object]) -> tuple[str, str]:
    """An issue's message as (what is wrong, how to fix it): the template's first sentence
    and the rest. The template is split, not the message, so that a value quoted in it
    never moves the cut. The fix is empty when the message is one sentence."""
    template = _issue_template(code, lang, params)
    cut = None if template is None else first_sentence_end(template)
    if template is None or cut is None:
        return issue_message(code, lang, params), ""
    filled = _Defaulting(params)
    return template[:cut].format_map(filled), template[cut:].strip().format_map(filled)


def text(key: str, lang: Lang, **params: object) -> str:
    template = TEXT[key][lang]
    return template.format_map(_Defaulting(params)) if params else template


def validation_message(detail: Mapping[str, object], lang: Lang) -> str:
    """A pydantic error (`ValidationError.errors()` item) as said in `lang`: pydantic's own
    words in English, the Vietnamese of its type where `i18n/validation.py` has one."""
    said = str(detail.get("msg", "")).removeprefix("Value error, ")
    key = f"validation.{detail.get('type')}"
    if lang == "en" or key not in TEXT:
        return said
    context = detail.get("ctx")
    params = {k: str(v) for k, v in context.items()} if isinstance(context, Mapping) else {}
    if "expected" in params:  # pydantic's list of choices: `'a', 'b' or 'c'`
        params["expected"] = params["expected"].replace("' or '", "' hoặc '")
    return text(key, lang, **params)


class _Defaulting(dict[str, object]):
    """Format mapping that shows a missing placeholder as `?` instead of raising."""

    def __init__(self, params: Mapping[str, object]) -> None:
        super().__init__({k: ("?" if v is None else v) for k, v in params.items()})

    def __missing__(self, key: str) -> str:
        return "?"
