"""What every ``roster`` command shares: the consoles, the exit codes, and how bad input is
printed (in Norwegian, never a traceback)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from roster.files import WriteError, check_writable
from roster.models import Scenario
from roster.scenario_io import InputError, load_scenario
from roster.terms import OPEN_PLACES

EXIT_OK = 0
EXIT_VIOLATIONS = 1  # the roster breaks a hard rule, or has unfilled places under --strict
EXIT_BAD_INPUT = 2
EXIT_NO_ROSTER = 3  # the solver found no roster (infeasible, or nothing within the time limit)
EXIT_INTERRUPTED = 130  # Ctrl-C before the search started (the shell's convention for SIGINT)

EXIT_CODES_HELP = (
    "Avslutningskoder: 0 = ok; 1 = vaktplanen bryter en hard regel (eller har "
    f"{OPEN_PLACES} med --strict); 2 = feil i inndata; 3 = ingen vaktplan funnet (umulig eller tidsgrensen nådd); "
    "130 = avbrutt med Ctrl-C før søket startet (under søket stopper Ctrl-C søket og beholder beste plan)."
)

# Without emoji codes: a name such as «Kari :sun: Li» is printed as typed.
console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False)


def fail_input(exc: InputError) -> NoReturn:
    """Print every problem of the input and exit with ``EXIT_BAD_INPUT``."""
    where = escape(f"{exc.source}: ") if exc.source else ""
    count = len(exc.problems)
    err_console.print(f"[bold red]Feil i inndata[/] {where}{count} problem{'er' if count != 1 else ''}:",
                      highlight=False)
    for problem in exc.problems:
        err_console.print(f"  - {problem}", highlight=False, markup=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def fail_write(exc: WriteError) -> NoReturn:
    fail_input(InputError([f"{exc.message}; ingen filer er endret"], str(exc.path)))


def check_outputs(outputs: Iterable[Path], inputs: Iterable[Path | None]) -> None:
    """Exit 2 before any work when an output would replace one of the command's own input files
    (``roster solve plan.xlsx -o plan.xlsx`` replaced the manager's workbook with the roster), or
    could not be written."""
    outputs = list(outputs)
    try:
        check_writable(outputs)
    except WriteError as exc:
        fail_write(exc)
    sources = [p for p in inputs if p is not None and p.exists()]
    for out in outputs:
        source = next((p for p in sources if out.exists() and os.path.samefile(out, p)), None)
        if source is not None:
            fail_input(InputError([f"er inndatafilen {source} og skrives ikke over; velg et annet navn for resultatet"],
                                  str(out)))


def load(path: Path) -> Scenario:
    try:
        return load_scenario(path)
    except InputError as exc:
        fail_input(exc)
