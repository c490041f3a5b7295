"""The command line's frame in Norwegian: the usage line, the help pages and the messages for a
bad option or argument.

Typer (0.29, with Click vendored as ``typer._click``) writes its frame in English in three places:
its rich help (``typer.rich_utils``: the panel titles, ``[default: …]``, ``[required]`` and a type
column such as ``<int range>``), Click's usage line and help option (``Usage:``, ``Show this
message and exit.``) and the error display of ``typer.core._main`` (``Try '… --help' for help.``,
the ``Error`` panel, ``Aborted.``, and Click's and pydantic's messages inside it). The two classes
here replace each through Click's extension points — ``format_usage``, ``format_help``,
``get_help_option``, ``parse_args``, ``resolve_command`` and ``main`` — so nothing global is
patched; the app uses them with ``typer.Typer(cls=NorwegianGroup)`` and
``app.command(cls=NorwegianCommand)``.
"""

from __future__ import annotations

import difflib
import inspect
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

import typer
from pydantic import ValidationError
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer._click import Context, HelpFormatter, Parameter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    FileError,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)
from typer.core import TyperCommand, TyperGroup

from api.cli.common import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, console, err_console

USAGE_PREFIX = "Bruk: "
OPTIONS_METAVAR = "[VALG]"  # Typer(options_metavar=…): the usage line's placeholder for options
SUBCOMMAND_METAVAR = "KOMMANDO [ARGUMENTER]..."
HELP_OPTION_HELP = "Vis denne hjelpen og avslutt."
ARGUMENTS, OPTIONS, COMMANDS = "Argumenter", "Valg", "Kommandoer"
DEFAULT, REQUIRED = "standard", "påkrevd"
ABORTED = "Avbrutt."

# What a value must be, by the type of the pydantic error Typer's coercion chains to its BadParameter
# (a range error adds nothing: the option's own min/max say what is allowed).
_WANTED = {"int_parsing": "et heltall", "int_parsing_size": "et heltall", "float_parsing": "et tall"}


class CommandLineError(UsageError):
    """A usage error whose message is already Norwegian (the frame's own checks)."""


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _range(param: Parameter) -> str:
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:
        return f"fra {_number(low)} til {_number(high)}"
    if low is not None:
        return f"minst {_number(low)}"
    return f"høyst {_number(high)}" if high is not None else ""


def _is_flag(param: Parameter) -> bool:
    return bool(getattr(param, "is_flag", False))


def _name(param: Parameter) -> str:
    """An option by its flags (``-o/--out``), an argument by its placeholder (``SCENARIO``)."""
    if param.param_type_name == "option":
        return "/".join(sorted(param.opts, key=len))
    return param.metavar or (param.name or "").upper()


def _or(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} eller {words[-1]}"


# --- help -------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """Help text as paragraphs, a docstring's line breaks inside a paragraph joined."""
    return [" ".join(p.split()) for p in inspect.cleandoc(text).partition("\f")[0].split("\n\n") if p.strip()]


def _default(param: Parameter, ctx: Context) -> str:
    if _is_flag(param) or not getattr(param, "show_default", True):
        return ""
    value = param.get_default(ctx, call=False)
    if isinstance(value, (list, tuple)):
        return ", ".join(_number(v) for v in value)
    return "" if value is None or callable(value) else _number(value)


def _param_cells(param: Parameter, ctx: Context) -> tuple[str, Text]:
    """(``-o, --out MAPPE`` or ``SCENARIO``, the help with its range, default and «påkrevd»)."""
    name = _name(param)
    if param.param_type_name == "option":
        name = ", ".join([*sorted(param.opts, key=len), *param.secondary_opts])
        if not _is_flag(param):
            name += f" {param.metavar or 'VERDI'}"
    about = Text(" ".join((getattr(param, "help", None) or "").split()))
    span, default = _range(param), _default(param, ctx)
    for extra in ([f"[{span}]"] if span else []) + ([f"[{DEFAULT}: {default}]"] if default else []):
        about.append(f" {extra}", style="dim")
    if param.required:
        about.append(f" [{REQUIRED}]", style="dim red")
    return name, about


def _panel(title: str, rows: list[list[RenderableType]]) -> Panel | None:
    if not rows:
        return None
    table = Table.grid(padding=(0, 2), expand=True)
    for _ in rows[0][:-1]:
        table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for row in rows:
        table.add_row(*row)
    return Panel(table, title=title, title_align="left", border_style="dim")


def _params_panel(title: str, params: list[Parameter], ctx: Context) -> Panel | None:
    """A panel of arguments or options; a required one is marked with a red * in front."""
    marked = any(p.required for p in params)
    rows = []
    for param in params:
        name, about = _param_cells(param, ctx)
        marker = [Text("*" if param.required else "", style="red")] if marked else []
        rows.append([*marker, Text(name, style="bold cyan"), about])
    return _panel(title, rows)


def _help_page(command: TyperCommand | TyperGroup, ctx: Context) -> Group:
    """The help page: usage, the command's text, then panels of arguments, options and commands."""
    parts: list[RenderableType | None] = [Padding(Text(command.get_usage(ctx), style="bold"), 1)]
    text = _paragraphs(command.help or "")
    if text:
        body = Text(text[0])
        for paragraph in text[1:]:
            body.append(f"\n\n{paragraph}", style="dim")
        parts.append(Padding(body, (0, 1, 1, 1)))
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    parts.append(_params_panel(ARGUMENTS, [p for p in params if p.param_type_name == "argument"], ctx))
    parts.append(_params_panel(OPTIONS, [p for p in params if p.param_type_name == "option"], ctx))
    if isinstance(command, TyperGroup):
        parts.append(_panel(COMMANDS, [[Text(name, style="bold cyan"), Text((_paragraphs(sub.help or "") or [""])[0])]
                                       for name, sub in command.commands.items() if not sub.hidden]))
    return Group(*(p for p in parts if p is not None))


class _NorwegianFrame:
    """What the group and its commands share: the usage line, the help page and the help option."""

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=USAGE_PREFIX)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        with console.capture() as captured:
            console.print(_help_page(self, ctx))
        formatter.write(captured.get())

    def get_help_option(self, ctx: Context) -> Parameter | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_OPTION_HELP
        return option

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        """Attach the context to the parser's errors (Click leaves it off a missing value), so the
        message can tell a flag from an option that takes a value and show the usage line."""
        try:
            return super().parse_args(ctx, args)
        except UsageError as exc:
            if exc.ctx is None:
                exc.ctx, exc.cmd = ctx, ctx.command
            raise


class NorwegianCommand(_NorwegianFrame, TyperCommand):
    # Extra arguments reach parse_args below, which refuses them in Norwegian instead of Click.
    allow_extra_args = True

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        rest = super().parse_args(ctx, args)
        if rest and not ctx.resilient_parsing:
            many = "uventede argumenter" if len(rest) > 1 else "uventet argument"
            raise CommandLineError(f"{many} {', '.join(f'«{a}»' for a in rest)}", ctx)
        return rest


class NorwegianGroup(_NorwegianFrame, TyperGroup):
    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Any, list[str]]:
        name = args[0]
        if not ctx.resilient_parsing and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = [f"«{c}»" for c in difflib.get_close_matches(name, list(self.commands))]
            raise CommandLineError(f"ukjent kommando «{name}»" + (f"; mente du {_or(close)}?" if close else ""), ctx)
        return super().resolve_command(ctx, args)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """Run without Typer's English error display, print the errors in Norwegian and exit with
        the README's codes (2 for anything wrong on the command line)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:
            typer.echo(exc.format_message())
            sys.exit(EXIT_BAD_INPUT)
        except ClickException as exc:
            show_error(exc)
        except typer.Abort:
            err_console.print(ABORTED, style="red")
            sys.exit(EXIT_INTERRUPTED)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


# --- errors -----------------------------------------------------------------------------------


def _shortened(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else f"{value[:limit - 1]}…"


def _bad_value(exc: BadParameter) -> str:
    if exc.param is None:
        return "ugyldig verdi"
    cause = exc.__cause__
    errors = cause.errors() if isinstance(cause, ValidationError) else []
    first: dict[str, Any] = dict(errors[0]) if errors else {}
    allowed = " ".join(p for p in (_WANTED.get(first.get("type", ""), ""), _range(exc.param)) if p)
    got = f" (fikk «{_shortened(str(first['input']))}»)" if "input" in first else ""
    return f"{_name(exc.param)} må være {allowed or 'en gyldig verdi'}{got}"


def _find_option(ctx: Context | None, flag: str) -> Parameter | None:
    params: Iterable[Parameter] = ctx.command.get_params(ctx) if ctx is not None else ()
    return next((p for p in params if flag in (*p.opts, *p.secondary_opts)), None)


def error_message(exc: ClickException) -> str:
    """The Norwegian message for a command-line error, by the exception's type and attributes."""
    if isinstance(exc, CommandLineError):
        return exc.message
    if isinstance(exc, NoSuchOption):
        close = exc.possibilities or []
        return f"ukjent valg {exc.option_name}" + (f"; mente du {_or(sorted(close))}?" if close else "")
    if isinstance(exc, BadOptionUsage):
        option = _find_option(exc.ctx, exc.option_name)
        return f"{exc.option_name} tar ingen verdi" if option is not None and _is_flag(option) \
            else f"{exc.option_name} mangler en verdi"
    if isinstance(exc, MissingParameter) and exc.param is not None:
        what = "valget" if exc.param.param_type_name == "option" else "argumentet"
        return f"mangler {what} {_name(exc.param)}"
    if isinstance(exc, BadParameter):
        return _bad_value(exc)
    if isinstance(exc, FileError):
        return f"kan ikke åpne filen «{exc.ui_filename}»"
    return "ugyldig kommandolinje"


def show_error(exc: ClickException) -> NoReturn:
    """Usage line, the Norwegian message and where to find help, on stderr; exit 2."""
    ctx: Context | None = getattr(exc, "ctx", None)
    if ctx is not None:
        err_console.print(Text(ctx.get_usage(), style="bold"))
    message = error_message(exc)
    end = "" if message.endswith(("?", ".")) else "."
    err_console.print(f"[bold red]Feil i kommandolinjen:[/] {escape(message)}{end}", highlight=False)
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        err_console.print(Text(f"Se «{ctx.command_path} {ctx.help_option_names[0]}» for hjelp.", style="dim"))
    sys.exit(EXIT_BAD_INPUT)
