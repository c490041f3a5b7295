"""``roster template``: the workbook a manager fills in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import console, fail_input, load
from roster.scenario_io import InputError


def template(
    out: Annotated[Path, typer.Argument(metavar="FIL.xlsx", help="Arbeidsboken som skal skrives (.xlsx)")],
    from_: Annotated[Path | None, typer.Option("--from", metavar="SCENARIO", help="Fyll malen ut fra et scenario (.json, .yaml eller .xlsx)")] = None,
) -> None:
    """Skriv Excel-malen lederen fyller ut (med --from: utfylt fra et scenario)."""
    from roster.excel import write_template

    if out.suffix.lower() != ".xlsx":
        fail_input(InputError([f"malen må ha filtypen .xlsx, ikke «{out.suffix}»"], str(out)))
    scenario = load(from_) if from_ else None
    out.parent.mkdir(parents=True, exist_ok=True)
    write_template(out, scenario)
    console.print(f"Skrev {out}", highlight=False)
