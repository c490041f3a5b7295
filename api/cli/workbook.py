"""``roster template``: the workbook a manager fills in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import check_outputs, console, fail_input, fail_write, load
from roster.candidates import join
from roster.files import WriteError, write_all
from roster.scenario_io import InputError
from roster.terms import count


def template(
    out: Annotated[Path, typer.Argument(metavar="FIL.xlsx", help="Arbeidsboken som skal skrives (.xlsx)")],
    from_: Annotated[Path | None, typer.Option("--from", metavar="SCENARIO", help="Fyll malen ut fra et scenario (.json, .yaml eller .xlsx)")] = None,
    overwrite: Annotated[bool, typer.Option("--overskriv", help="Erstatt filen om den finnes fra før (aldri scenarioet i --from)")] = False,
) -> None:
    """Skriv Excel-malen lederen fyller ut (med --from: utfylt fra et scenario).

    En arbeidsbok som finnes fra før, erstattes bare med --overskriv: den kan være en utfylt plan."""
    from roster.excel import write_template

    if out.suffix.lower() != ".xlsx":
        fail_input(InputError([f"malen må ha filtypen .xlsx, ikke «{out.suffix}»"], str(out)))
    check_outputs([out], [from_])
    if out.exists() and not overwrite:
        fail_input(InputError(["finnes fra før; bruk --overskriv for å erstatte den"], str(out)))
    scenario = load(from_) if from_ else None
    try:
        write_all({out: lambda p: write_template(p, scenario)})
    except WriteError as exc:
        fail_write(exc)
    console.print(f"Skrev {out}", markup=False, highlight=False)


def carry(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Neste periodes scenario: .json, .yaml eller .xlsx")],
    history: Annotated[Path, typer.Argument(metavar="HISTORIKK", help="history_out.json fra forrige periodes løsning, eller med --forrige den endelige vaktplanen (roster.json eller .xlsx)")],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="FIL", help="Scenarioet med historikken ført inn: .json, .yaml eller .xlsx")],
    previous: Annotated[Path | None, typer.Option("--forrige", metavar="SCENARIO", help="Forrige periodes scenario (etter en omplanlegging: scenario.json derfra); da er HISTORIKK vaktplanen slik den ble gått, med bytter og endringer for hånd")] = None,
) -> None:
    """Før historikk, vaktene fra de siste dagene og høytidsvaktene fra forrige periode inn i neste periodes scenario.

    Er forrige vaktplan endret etter beregningen (bytter, endringer for hånd), gjelder ikke history_out.json lenger:
    før da inn den endelige vaktplanen med --forrige."""
    from roster.excel import write_template
    from roster.scenario_io import carry_into, dump_scenario

    if out.suffix.lower() not in (".json", ".yaml", ".yml", ".xlsx"):
        fail_input(InputError([f"ukjent filtype «{out.suffix}»; bruk .json, .yaml eller .xlsx"], str(out)))
    check_outputs([out], [scenario_path, history, previous])
    try:
        scenario, left = carry_into(load(scenario_path), history, load(previous) if previous else None)
    except InputError as exc:
        fail_input(exc)
    try:
        if out.suffix.lower() == ".xlsx":
            write_all({out: lambda p: write_template(p, scenario)})
        else:
            write_all({out: lambda p: dump_scenario(scenario, p)})
    except WriteError as exc:
        fail_write(exc)
    carried = len(scenario.carry_in)
    console.print(f"Skrev {out}: {len(scenario.history)} leger med historikk, {carried} tidligere vakter "
                  f"(komplette fra {scenario.carry_in_from:%d.%m.%Y}), {len(scenario.holiday_ledger)} høytidsvakter."
                  if scenario.carry_in_from else f"Skrev {out}.", markup=False, highlight=False)
    if left:
        console.print(f"{count(len(left), 'lege', 'leger')} i {history} er ikke med i scenarioet og er ikke tatt med: "
                      f"{join(left)}.", markup=False, highlight=False)
