"""The options of `kpi`, declared once: their help (both languages, from i18n), their
placeholders, the choices they take, and the command class that prints usage lines people
read. Typer only, like the commands in `cli/__init__.py` that use them.

No `from __future__ import annotations`: Typer reads these annotations at definition.
"""

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

from kpi_tritue.i18n import text


def help_of(key: str) -> str:
    """The help of an option as Typer shows it, both languages at once: `vi (en)`."""
    return f"{text(key, 'vi')} ({text(key, 'en')})"


def command_help(name: str) -> str:
    """A command's help as Typer shows it: the Vietnamese sentence, the English one in
    brackets, then an example."""
    key, example = f"cli.command.{name}", text(f"cli.example.{name}", "en")
    return f"{text(key, 'vi')}\n\n({text(key, 'en')})\n\nExample: {example}"


def lang_help() -> str:
    """`Ngôn ngữ / language: vi | en.`"""
    return f"{text('cli.help.lang', 'vi')} / {text('cli.help.lang', 'en')}: vi | en."


class Command(typer.core.TyperCommand):
    """Usage lines as people read them, `kpi check [OPTIONS] FILE...`: Typer wraps a required
    argument in braces (`{FILE...}`), which reads as a set to fill in, not a file."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:  # typer's vendored click Context
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]


class LangChoice(StrEnum):
    VI = "vi"
    EN = "en"


class TableOrJson(StrEnum):
    TABLE = "table"
    JSON = "json"


class ComputeFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class GroupByChoice(StrEnum):
    UNIT = "unit"
    LEVEL = "level"
    SECTOR = "sector"
    AREA = "area"


FilesArg = Annotated[
    list[str],
    typer.Argument(
        help=help_of("cli.help.files"),
        metavar="FILE...",
        show_default=False,
    ),
]
LangOpt = Annotated[LangChoice, typer.Option("--lang", help=lang_help())]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help=help_of("cli.help.as_of"),
        show_default=False,
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help=help_of("cli.help.debug"))]
AnnotateOpt = Annotated[
    Path | None,
    typer.Option(
        "--annotate",
        metavar="DIR",
        help=help_of("cli.help.annotate"),
        show_default=False,
    ),
]


TargetsOpt = Annotated[
    Path | None,
    typer.Option(
        "--targets",
        metavar="FILE.toml",
        help=help_of("cli.help.targets"),
        show_default=False,
    ),
]
ColumnsOpt = Annotated[
    Path | None,
    typer.Option(
        "--columns",
        metavar="FILE.toml",
        help=help_of("cli.help.columns"),
        show_default=False,
    ),
]
ByOpt = Annotated[
    GroupByChoice | None,
    typer.Option(
        "--by",
        help=help_of("cli.help.by"),
        show_default=False,
    ),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        metavar="FILE.json",
        help=help_of("cli.help.baseline"),
        show_default=False,
    ),
]
SkipInvalidOpt = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help=help_of("cli.help.skip_invalid"),
    ),
]


OutputOpt = Annotated[
    Path,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE.xlsx",
        help=help_of("cli.help.export_output"),
        show_default=False,
    ),
]


class ExplainFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


class TrendFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
