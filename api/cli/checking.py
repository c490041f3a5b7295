"""``roster check`` and ``roster swap-check``: the independent checker on a roster, and on a trade
between two doctors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import EXIT_VIOLATIONS, console, fail_input, load
from roster.scenario_io import InputError, load_roster
from roster.terms import OPEN_PLACES


def check(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
    roster_path: Annotated[Path, typer.Argument(metavar="VAKTPLAN", help="Vaktplan: roster.json eller .xlsx")],
    strict: Annotated[bool, typer.Option("--strict", help=f"Oppgitte {OPEN_PLACES} og timer uten bakvakt er også brudd")] = False,
) -> None:
    """Kontroller en vaktplan mot alle harde regler (avslutningskode 0 = ingen brudd, 1 = brudd)."""
    from roster.check import check_roster, format_report, unexpected_violations

    scenario = load(scenario_path)
    try:
        roster = load_roster(scenario, roster_path)
    except InputError as exc:
        fail_input(exc)
    every = check_roster(scenario, roster)
    unexpected = unexpected_violations(scenario, roster)
    if roster_path.suffix.lower() in (".xlsx", ".xlsm"):  # put the cell in front of each finding
        from roster.excel import read_roster_source

        source = read_roster_source(scenario, roster_path)
        every, unexpected = source.annotate(every), source.annotate(unexpected)
    console.print(format_report(every), markup=False, highlight=False)
    if every and not unexpected:
        verdict = ("med --strict er også de brudd" if strict
                   else "den kan publiseres, men hullene må fylles")
        console.print(f"Alle bruddene er oppgitt i vaktplanen som {OPEN_PLACES} eller timer uten bakvakt: {verdict}.")
    elif unexpected and len(unexpected) != len(every):
        console.print("\nAv disse er ikke oppgitt i vaktplanen:", highlight=False)
        console.print(format_report(unexpected), markup=False, highlight=False)
    if unexpected or (strict and every):
        raise typer.Exit(EXIT_VIOLATIONS)


def swap_check(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
    roster_path: Annotated[Path, typer.Argument(metavar="VAKTPLAN", help="Vaktplan: roster.json eller .xlsx")],
    giver: Annotated[str, typer.Option("--fra", metavar="LEGE", help="Legen som gir bort vakten (id eller navn)")],
    shift: Annotated[str, typer.Option("--vakt", metavar="VAKT", help="Vakten som gis bort: vakttype/dato, f.eks. BLV-natt/2026-12-24")],
    taker: Annotated[str, typer.Option("--til", metavar="LEGE", help="Legen som tar vakten (id eller navn)")],
    back: Annotated[str | None, typer.Option("--tilbake", metavar="VAKT", help="Vakten som gis tilbake (bytte), vakttype/dato")] = None,
) -> None:
    """Kontroller et vaktbytte mellom to leger (0 = lovlig, 1 = bryter en hard regel, 2 = feil i inndata)."""
    from roster.swap import check_swap, format_swap

    scenario = load(scenario_path)
    try:
        roster = load_roster(scenario, roster_path)
        result = check_swap(scenario, roster, giver, shift, taker, back)
    except InputError as exc:
        fail_input(exc)
    console.print(format_swap(result), markup=False, highlight=False)
    if not result.legal:
        raise typer.Exit(EXIT_VIOLATIONS)
