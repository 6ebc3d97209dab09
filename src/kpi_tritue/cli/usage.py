"""Click's own usage errors ("Missing argument", "No such option", "Invalid value…") said
in the user's language: Vietnamese unless `--lang en` is on the command line.

Typer parses the command line with the click it vendors (`typer._click`, pinned with typer
in pyproject.toml); its errors carry what went wrong (the parameter, the option, the
choices) and an English sentence. `Group.main` runs the command line as Typer does, but
says those errors itself, with the same exit code (2) and the same shape: the usage line,
where to find help, then the error.

No `from __future__ import annotations`: like the rest of `cli/`, read by Typer.
"""

import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
import typer.core
from typer._click import exceptions as click_errors

from kpi_tritue.i18n import Lang, text

# The English detail of a click error, for the few whose parts are only in the sentence.
_NOT_ONE_OF = re.compile(r"^'(?P<value>.*)' is not one of ", re.DOTALL)
_NOT_A_NUMBER = re.compile(r"^'(?P<value>.*)' is not a valid (?:float|integer)", re.DOTALL)
_EXTRA = re.compile(r"^Got unexpected extra arguments?(?:\(s\))? \((?P<value>.*)\)$", re.DOTALL)
_NO_COMMAND = re.compile(
    r"^No such command '(?P<value>.*?)'\.(?: Did you mean '(?P<maybe>.*)'\?)?$", re.DOTALL
)
# What a message quotes from the command line is cut to this many characters.
_QUOTED = 80


def lang_of(arguments: Sequence[str]) -> Lang:
    """The --lang given, for what is said before or outside a command."""
    for index, argument in enumerate(arguments):
        if argument == "--lang" and list(arguments[index + 1 : index + 2]) == ["en"]:
            return "en"
        if argument == "--lang=en":
            return "en"
    return "vi"


class Group(typer.core.TyperGroup):
    """The `kpi` command group: Typer's, with click's usage errors in the user's language."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        given = list(sys.argv[1:] if args is None else args)
        try:
            done = super().main(given, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as error:  # `kpi` alone: the help, as click does
            error.show()
            sys.exit(error.exit_code)
        except click_errors.UsageError as error:
            typer.echo(said(error, lang_of(given)), err=True)
            sys.exit(error.exit_code)
        except click_errors.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except typer.Abort:
            typer.echo(text("usage.aborted", lang_of(given)), err=True)
            sys.exit(1)
        if not standalone_mode:
            return done
        # Typer returns a command's exit code (`typer.Exit`) instead of exiting with it.
        sys.exit(done if isinstance(done, int) else 0)


def said(error: click_errors.UsageError, lang: Lang) -> str:
    """The usage line, where to find help, then what is wrong, as click lays them out."""
    lines = []
    context = error.ctx
    if context is not None:
        usage = context.get_usage()
        lines.append(usage.replace("Usage:", text("usage.usage", lang), 1))
        lines.append(text("usage.hint", lang, command=context.command_path))
        lines.append("")
    lines.append(text("usage.error", lang, problem=problem(error, lang)))
    return "\n".join(lines)


def problem(error: click_errors.UsageError, lang: Lang) -> str:
    """What is wrong with the command line, in `lang`."""
    detail = error.message or ""
    if isinstance(error, click_errors.MissingParameter):
        name = _name(error)
        key = "usage.missing_option" if error.param_type == "option" else "usage.missing_argument"
        if error.param is not None and error.param.param_type_name == "option":
            key = "usage.missing_option"
        return text(key, lang, name=name)
    if isinstance(error, click_errors.NoSuchOption):
        said_ = text("usage.no_such_option", lang, name=_cut(error.option_name))
        if error.possibilities:
            options = ", ".join(sorted(error.possibilities))
            said_ += " " + text("usage.did_you_mean", lang, options=options)
        return said_
    if isinstance(error, click_errors.BadParameter):
        name = _name(error)
        choices = getattr(getattr(error.param, "type", None), "choices", None)
        if choices and (found := _NOT_ONE_OF.match(detail)):
            allowed = ", ".join(str(choice) for choice in choices)
            return text(
                "usage.bad_choice", lang, name=name, value=_cut(found["value"]), allowed=allowed
            )
        if found := _NOT_A_NUMBER.match(detail):
            return text("usage.not_a_number", lang, name=name, value=_cut(found["value"]))
        return text("usage.bad_value", lang, name=name, detail=_cut(detail, 200))
    if isinstance(error, click_errors.BadOptionUsage) and detail.endswith("requires an argument."):
        return text("usage.needs_value", lang, name=_cut(error.option_name))
    if found := _EXTRA.match(detail):
        return text("usage.extra_arguments", lang, value=_cut(found["value"]))
    if found := _NO_COMMAND.match(detail):
        context = error.ctx
        commands = ""
        if context is not None and isinstance(context.command, typer.core.TyperGroup):
            commands = ", ".join(context.command.list_commands(context))
        said_ = text("usage.no_such_command", lang, name=_cut(found["value"]), commands=commands)
        if found["maybe"]:
            said_ += " " + text("usage.did_you_mean", lang, options=_cut(found["maybe"]))
        return said_
    return text("usage.other", lang, detail=_cut(detail, 200))


def _name(error: click_errors.BadParameter | click_errors.MissingParameter) -> str:
    """The option or argument as the user writes it: `--format`, `FILE...`."""
    if error.param_hint is not None:
        hint = error.param_hint
        return " / ".join(hint) if not isinstance(hint, str) else hint
    if error.param is not None:
        hint = error.param.get_error_hint(error.ctx)  # type: ignore[arg-type]
        return hint.replace("'", "")
    return "?"


def _cut(value: str, most: int = _QUOTED) -> str:
    return value if len(value) <= most else value[: most - 1] + "…"
