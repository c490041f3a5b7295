"""``roster solve``, ``explain``, ``precheck`` and ``replan``: the commands that run the solver,
each with a live progress line.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.live import Live
from rich.text import Text

from api.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_NO_ROSTER,
    EXIT_VIOLATIONS,
    check_outputs,
    console,
    err_console,
    fail_input,
    fail_write,
    load,
)
from roster.files import WriteError
from roster.models import MAX_SEED, MAX_TIME_LIMIT, MAX_WORKERS, Explanation, ProgressEvent, Roster, Scenario
from roster.scenario_io import InputError, load_roster
from roster.terms import OPEN_PLACES, decimal, number


class ProgressLine:
    """The live line: the latest solver event, with the clock ticking between events (rich
    re-renders it a few times a second)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.latest: ProgressEvent | None = None

    def update(self, event: ProgressEvent) -> None:
        self.latest = event

    def __rich__(self) -> Text:
        elapsed = _seconds(time.monotonic() - self.started)
        event = self.latest
        if event is None:
            return Text(f"Løser … {elapsed}  (venter på første vaktplan)", style="cyan")
        gap = "–" if event.gap is None else f"{decimal(100 * event.gap, 2)} %"
        if event.level_objective is None:
            judged = f"mål {number(event.objective, 0)}  grense {number(event.bound, 0)}  gap {gap}"
        else:  # a lexicographic solve: bound and gap are the level's, so is the value beside them
            judged = (f"nivå {event.level}: {number(event.level_objective, 0)}  grense {number(event.bound, 0)}  "
                      f"gap {gap}  (hele målet {number(event.objective, 0)})")
        return Text(
            f"Løser … {elapsed}  {judged}  {OPEN_PLACES} {number(event.open_slots)}  "
            f"løsninger {number(event.solutions)}",
            style="bold red" if event.open_slots else "cyan",
        )


def _seconds(elapsed: float) -> str:
    """«  0,3 s», « 12,5 s»: the clock of a live line, with a decimal comma like the summary beside
    it, and padded so the line does not jump as it ticks."""
    return f"{decimal(elapsed):>5} s"


def solve_live(scenario: Scenario, **options: object) -> Roster:
    """Solve with a live progress line.

    The solver runs in the main thread on purpose: CP-SAT catches Ctrl-C there and stops the
    search, keeping the best roster so far (from another thread its handler aborts the process).
    """
    from solver import solve

    line = ProgressLine()
    try:
        with Live(line, console=console, refresh_per_second=4, transient=True):
            roster = solve(scenario, on_progress=line.update, **options)
    except KeyboardInterrupt:  # before the search started (while the model was built)
        err_console.print("Avbrutt før søket startet; ingen filer er skrevet.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    console.print(line.__rich__().append("  ferdig"))
    return roster


def _explain_live(scenario: Scenario, time_limit: float) -> Explanation:
    """Why no complete roster exists, with the current step on a live line."""
    from solver.explain import explain

    started = time.monotonic()
    step = Text("Forklarer …", style="cyan")

    def show(message: str) -> None:
        step.plain = f"Forklarer … {_seconds(time.monotonic() - started)}  {message}"

    with Live(step, console=console, refresh_per_second=4, transient=True):
        return explain(scenario, time_limit=time_limit, on_step=show).to_model()


def solve(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="MAPPE", help="Mappe for resultatet, eller en .xlsx-fil (de andre filene legges ved siden av)")] = Path("out"),
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SEKUNDER", min=0.1, max=MAX_TIME_LIMIT, help="Tidsgrense i sekunder")] = 60.0,
    workers: Annotated[int | None, typer.Option("--workers", metavar="ANTALL", min=1, max=MAX_WORKERS, help="Antall tråder (standard: alle kjerner)")] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="TALL", min=0, max=MAX_SEED, help="Frø for søket (samme frø, samme vaktplan med 1 tråd)")] = 0,
    strict: Annotated[bool, typer.Option("--strict", help=f"Ingen {OPEN_PLACES} eller timer uten bakvakt tillatt")] = False,
    hint: Annotated[Path | None, typer.Option("--hint", metavar="VAKTPLAN", help="Start søket fra en tidligere vaktplan for samme periode (roster.json eller .xlsx), f.eks. ved ny planlegging etter sykefravær")] = None,
    explain_time: Annotated[float, typer.Option("--explain-time", metavar="SEKUNDER", min=0, max=MAX_TIME_LIMIT, help=f"Sekunder til å forklare {OPEN_PLACES} eller en umulig plan (0: ikke forklar)")] = 60.0,
) -> None:
    """Lag en vaktplan og skriv roster.json, roster.csv, summary.txt, history_out.json og roster.xlsx.

    Blir noen plasser ubesatte (eller er planen umulig), forklarer programmet hvilke
    krav som står mot hverandre og hva som ville løst det."""
    from roster.check import format_report, unexpected_violations
    from roster.explanation import explanation_text
    from roster.metrics import doctor_metrics
    from roster.output import has_roster, needs_explanation, result_paths, summary_renderables, write_outputs

    workbook = out if out.suffix.lower() == ".xlsx" else None
    folder = out.parent if workbook else out
    check_outputs(result_paths(folder, workbook), [scenario_path, hint])
    scenario = load(scenario_path)
    try:
        start_from = load_roster(scenario, hint) if hint else None
    except InputError as exc:
        fail_input(exc)
    roster = solve_live(scenario, time_limit=time_limit, workers=workers, seed=seed, strict=strict, hint=start_from)
    if not has_roster(roster):
        console.print(Group(*summary_renderables(scenario, roster, [])))
        console.print("[bold red]Fant ingen vaktplan.[/] Ingen filer er skrevet.")
        if roster.stats is not None and roster.stats.status.value == "infeasible" and explain_time > 0:
            console.print(explanation_text(_explain_live(scenario, explain_time)), markup=False, highlight=False)
        raise typer.Exit(EXIT_NO_ROSTER)
    if needs_explanation(roster) and explain_time > 0:
        roster = roster.model_copy(update={"explanation": _explain_live(scenario, explain_time)})

    violations = unexpected_violations(scenario, roster)
    if violations:
        # The solver and the independent checker disagree: a bug, so nothing is published.
        err_console.print(format_report(violations), markup=False, highlight=False)
        err_console.print("[bold red]Vaktplanen bryter harde regler (programfeil); ingen filer er skrevet.[/]")
        raise typer.Exit(EXIT_VIOLATIONS)

    console.print(Group(*summary_renderables(scenario, roster, doctor_metrics(scenario, roster))))
    try:
        written = write_outputs(scenario, roster, folder, workbook)
    except WriteError as exc:
        fail_write(exc)
    console.print("Skrev " + ", ".join(str(p) for p in written), markup=False, highlight=False)
    if strict and (roster.open_slots or roster.uncovered_bakvakt):
        raise typer.Exit(EXIT_VIOLATIONS)


def explain(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SEKUNDER", min=1, max=MAX_TIME_LIMIT, help="Tidsgrense i sekunder")] = 120.0,
) -> None:
    """Forklar hvorfor ingen fullstendig vaktplan finnes: krav som står mot hverandre, og kontrollerte
    endringer som løser dem (0 = en fullstendig plan er mulig, 1 = konflikter, 3 = ukjent innen tidsgrensen)."""
    from roster.explanation import explanation_text

    ex = _explain_live(load(scenario_path), time_limit)
    console.print(explanation_text(ex), markup=False, highlight=False)
    if ex.status == "konflikter":
        raise typer.Exit(EXIT_VIOLATIONS)
    if ex.status == "ukjent":
        raise typer.Exit(EXIT_NO_ROSTER)


def precheck(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
) -> None:
    """Forhåndskontroll uten løser: krav som åpenbart ikke kan oppfylles (0 = ingen funnet, 1 = funn)."""
    from solver.precheck import format_findings
    from solver.precheck import precheck as run_precheck

    from roster.around_the_clock import around_the_clock_notice
    from roster.calendar import ShiftIndex

    scenario = load(scenario_path)
    index = ShiftIndex(scenario)
    findings = run_precheck(scenario, index)
    console.print(format_findings(findings), markup=False, highlight=False)
    if notice := around_the_clock_notice(index):
        console.print(f"Merk: {notice}", markup=False, highlight=False)
    if findings:
        raise typer.Exit(EXIT_VIOLATIONS)


def replan(
    scenario_path: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario: .json, .yaml eller .xlsx")],
    roster_path: Annotated[Path, typer.Option("--roster", metavar="VAKTPLAN", help="Den publiserte vaktplanen: roster.json eller .xlsx")],
    change_path: Annotated[Path, typer.Option("--change", metavar="ENDRINGER", help="Endringsfil (.yaml eller .json): fravær, leger som slutter, låste vakter")],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="MAPPE", help="Mappe for den nye vaktplanen")] = Path("out"),
    time_limit: Annotated[float, typer.Option("--time-limit", metavar="SEKUNDER", min=0.1, max=MAX_TIME_LIMIT, help="Tidsgrense i sekunder")] = 30.0,
    workers: Annotated[int | None, typer.Option("--workers", metavar="ANTALL", min=1, max=MAX_WORKERS, help="Antall tråder (standard: alle kjerner)")] = None,
    seed: Annotated[int, typer.Option("--seed", metavar="TALL", min=0, max=MAX_SEED, help="Frø for søket")] = 0,
    now: Annotated[str | None, typer.Option("--now", metavar="ÅÅÅÅ-MM-DDTtt:mm", help="Tidspunktet for omplanleggingen (norsk tid); går foran endringsfilens «now», ellers brukes klokken nå")] = None,
) -> None:
    """Reparer en publisert vaktplan etter sykdom o.l. med færrest mulig endringer, og vis hvem som får og mister vakter."""
    from roster.changes import Changes, load_changes
    from roster.check import format_report, unexpected_violations
    from roster.metrics import doctor_metrics
    from roster.output import has_roster, result_paths, summary_renderables, write_outputs
    from roster.scenario_io import dump_scenario
    from solver.replan import format_diff
    from solver.replan import replan as run_replan

    check_outputs(result_paths(out, extra=("scenario.json", "diff.txt")), [scenario_path, roster_path, change_path])
    scenario = load(scenario_path)
    try:
        moment = Changes(now=now).now if now else None  # the change file's rules: a date 1900–2199, Oslo time
    except ValueError:
        fail_input(InputError([f"--now: ventet et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm) (fikk «{now}»)"]))
    try:
        published = load_roster(scenario, roster_path)
        changes = load_changes(change_path)
        line = ProgressLine()
        with Live(line, console=console, refresh_per_second=4, transient=True):
            result = run_replan(scenario, published, changes, time_limit=time_limit, workers=workers, seed=seed,
                                now=moment, on_progress=line.update, roster_source=str(roster_path),
                                changes_source=str(change_path))
    except InputError as exc:
        fail_input(exc)
    except KeyboardInterrupt:
        err_console.print("Avbrutt før søket startet; ingen filer er skrevet.")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    roster = result.roster
    if not has_roster(roster):
        console.print(Group(*summary_renderables(result.scenario, roster, [])))
        console.print("[bold red]Fant ingen vaktplan.[/] Ingen filer er skrevet.")
        raise typer.Exit(EXIT_NO_ROSTER)
    violations = unexpected_violations(result.scenario, roster)
    if violations:
        err_console.print(format_report(violations), markup=False, highlight=False)
        err_console.print("[bold red]Vaktplanen bryter harde regler (programfeil); ingen filer er skrevet.[/]")
        raise typer.Exit(EXIT_VIOLATIONS)
    console.print(Group(*summary_renderables(result.scenario, roster, doctor_metrics(result.scenario, roster))))
    console.print("[bold]Endringer fra publisert plan:[/]")
    for text in format_diff(result):
        console.print(f"  {text}", markup=False, highlight=False)
    # The scenario with the changes in it is the one the new roster belongs to (next re-plan).
    extra = {"scenario.json": lambda p: dump_scenario(result.scenario, p),
             "diff.txt": lambda p: p.write_text("\n".join(format_diff(result)) + "\n", encoding="utf-8")}
    try:
        written = write_outputs(result.scenario, roster, out, extra=extra)
    except WriteError as exc:
        fail_write(exc)
    console.print("Skrev " + ", ".join(str(p) for p in written), markup=False, highlight=False)
