"""Every sentence the tool says, in Vietnamese (default) and English: one lookup.

The tables live beside this file, one per area (`issues`: the message of each issue code;
`messages`: the command line's sentences and labels; …). Their keys are unique across
tables, so `text(key, lang)` finds any of them; `tests/test_i18n.py` checks that every key
has both languages and that no two tables share a key.
"""

from __future__ import annotations

from collections.abc import Mapping

from kpi_tritue.i18n.about import TEXT as _ABOUT
from kpi_tritue.i18n.annotate import TEXT as _ANNOTATE
from kpi_tritue.i18n.annotate import first_sentence_end
from kpi_tritue.i18n.catalog import TEXT as _CATALOG
from kpi_tritue.i18n.cli import TEXT as _CLI
from kpi_tritue.i18n.columns import TEXT as _COLUMNS
from kpi_tritue.i18n.contract import TEXT as _CONTRACT
from kpi_tritue.i18n.errors import TEXT as _ERRORS
from kpi_tritue.i18n.explain import TEXT as _EXPLAIN
from kpi_tritue.i18n.grouping import exact
from kpi_tritue.i18n.issues import ISSUE_MESSAGES as ISSUE_MESSAGES
from kpi_tritue.i18n.lang import LANGS as LANGS
from kpi_tritue.i18n.lang import Lang as Lang
from kpi_tritue.i18n.listing import TEXT as _LISTING
from kpi_tritue.i18n.messages import TEXT as _MESSAGES
from kpi_tritue.i18n.note import TEXT as _NOTE
from kpi_tritue.i18n.report import TEXT as _REPORT
from kpi_tritue.i18n.target import TEXT as _TARGET
from kpi_tritue.i18n.template import TEXT as _TEMPLATE
from kpi_tritue.i18n.trend import TEXT as _TREND
from kpi_tritue.i18n.validation import TEXT as _VALIDATION
from kpi_tritue.i18n.xlsx import TEXT as _XLSX

# Every table of sentences but the issue messages (keyed by issue code, see `issue_message`).
TABLES: tuple[Mapping[str, Mapping[Lang, str]], ...] = (
    _MESSAGES,
    _CLI,
    _CATALOG,
    _CONTRACT,
    _EXPLAIN,
    _LISTING,
    _NOTE,
    _REPORT,
    _TARGET,
    _TEMPLATE,
    _TREND,
    _XLSX,
    _ERRORS,
    _ABOUT,
    _VALIDATION,
    _ANNOTATE,
    _COLUMNS,
)

TEXT: dict[str, Mapping[Lang, str]] = {key: row for table in TABLES for key, row in table.items()}


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
    template = ISSUE_MESSAGES.get(code, {}).get(lang)
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
