"""``roster sweep``: scenarios × rule sets × seeds solved as Ray tasks, then the comparison across
rule sets (docs/sweep.md).

Ray is an optional extra (``pip install 'legevakt-roster[sweep]'``) and is imported only here,
inside the command, so the other commands neither need it nor wait for it to load.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from api.cli.common import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_VIOLATIONS, console, err_console, fail_input
from roster.files import reason
from roster.metrics import EVERYONE
from roster.scenario_io import InputError
from roster.sweep.results import ERRORS, RESULTS, TABLE, ResultStore, RunResult
from roster.sweep.spec import Run, load_sweep
from roster.terms import decimal, open_places, status_word


def _result_line(run: Run, r: RunResult) -> str:
    if not r.has_roster:
        return f"[red]✗[/] {escape(run.label)}: ingen vaktplan ({status_word(r.status)}), {decimal(r.wall_time, 1)} s"
    gap = "–" if r.gap is None else f"{decimal(100 * r.gap, 1)} %"
    broken = f", [bold red]{r.violations} regelbrudd[/]" if r.violations else ""
    return (f"[green]✓[/] {escape(run.label)}: {open_places(r.open_places or 0)}, spenn {decimal(r.group(EVERYONE, 'spread'), 2)}, "
            f"gap {gap}, {decimal(r.wall_time, 1)} s{broken}")


class _Shown:
    """The sweep's progress: a bar over all runs, and a line per finished run above it."""

    def __init__(self, bar: Progress):
        self.bar = bar
        self.task = bar.add_task("Sveip", total=None)

    def started(self, total: int, skipped: int) -> None:
        self.bar.update(self.task, total=total, completed=skipped)
        if skipped:
            self.bar.console.print(f"{skipped} av {total} kjøringer er allerede ferdige og hoppes over.")

    def finished(self, run: Run, result: RunResult) -> None:
        self.bar.console.print(_result_line(run, result), highlight=False)
        self.bar.advance(self.task)

    def failed(self, run: Run, message: str) -> None:
        self.bar.console.print(f"[bold red]✗ {escape(run.label)}: {escape(message)}[/]", highlight=False)
        self.bar.advance(self.task)


def _unwritable(exc: OSError, out: Path, saved: int, total: int) -> NoReturn:
    """A result that could not be written (the disk full, a file in the way) stops the sweep with
    the file and the reason in Norwegian; the runs already in results.jsonl stay done."""
    fail_input(InputError([f"kan ikke skrive resultatene: {reason(exc)}; {saved} av {total} kjøringer er lagret "
                           f"i {out}, kjør samme kommando igjen for å fortsette"], str(exc.filename or out)))


def sweep(
    sweep_path: Annotated[Path, typer.Argument(metavar="SWEEP", help="Sveipefil (.yaml eller .json): scenarioer, regelsett, frø")],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="MAPPE", help="Mappe for resultatene; kjøres kommandoen igjen med samme mappe, hoppes ferdige kjøringer over")],
    workers: Annotated[int | None, typer.Option("--workers", metavar="ANTALL", min=1, help="Høyst så mange løsninger samtidig (standard: så mange som Ray har kjerner til)")] = None,
    address: Annotated[str | None, typer.Option("--address", metavar="ADRESSE", help="Kjør på en Ray-klynge som alt kjører: auto, VERT:6379 eller ray://VERT:10001 (standard: en lokal Ray bare for denne kommandoen)")] = None,
) -> None:
    """Løs hvert scenario (f.eks. hver måned) med hvert regelsett og hvert frø som egne Ray-oppgaver,
    og sammenlign regelsettene med medianer (1 = noen kjøringer feilet eller brøt regler)."""
    from roster.report.sweep import sweep_report, text_summary, write_html

    try:
        grid = load_sweep(sweep_path)
        store = ResultStore(out, grid.runs)
    except InputError as exc:
        fail_input(exc)
    except OSError as exc:
        fail_input(InputError([f"kan ikke bruke mappen: {reason(exc)}"], str(out)))
    try:
        from api.sweep import SweepSetupError, run_sweep
    except ModuleNotFoundError as exc:
        if exc.name != "ray":
            raise
        err_console.print("roster sweep trenger Ray: pip install 'legevakt-roster[sweep]'", markup=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if store.unreadable:
        err_console.print(f"{store.unreadable} ufullstendige linjer i {RESULTS} (avbrutt skriving) løses på nytt.",
                          markup=False)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("igjen"), TimeRemainingColumn())
    try:
        with Progress(*columns, console=console) as bar:
            failed = run_sweep(grid, store, _Shown(bar), workers=workers, address=address)
    except KeyboardInterrupt:
        err_console.print(f"Avbrutt. {len(store.current())} av {len(grid.runs)} kjøringer er lagret i {out}; "
                          "kjør samme kommando igjen for å fortsette.", markup=False)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except SweepSetupError as exc:
        err_console.print(f"[bold red]Kan ikke kjøre sveipet:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except OSError as exc:
        _unwritable(exc, out, len(store.current()), len(grid.runs))

    report = sweep_report(grid, store.current())
    try:
        html = write_html(report, out / "report.html")
    except OSError as exc:
        _unwritable(exc, out, len(store.current()), len(grid.runs))
    console.print(text_summary(report), markup=False, highlight=False)
    console.print(f"Skrev {out / RESULTS}, {out / TABLE} og {html}", highlight=False, markup=False)
    broken = sum(bool(r.violations) for _run, r in report.done)
    if failed:
        err_console.print(f"[bold red]{len(failed)} kjøringer feilet[/] (se {escape(str(out / ERRORS))}); kjør samme kommando "
                          "igjen for å prøve dem på nytt.", highlight=False)
    if broken:
        err_console.print(f"[bold red]{broken} vaktplaner brøt harde regler (programfeil)[/]; se {escape(str(out / TABLE))}.")
    if failed or broken:
        raise typer.Exit(EXIT_VIOLATIONS)
