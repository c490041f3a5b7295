"""Sweeps on Ray: every run of the grid (``roster.sweep``) is one Ray task, one CP-SAT solve.

CP-SAT runs its own threads inside one solve; several solves as threads of one Python process
would fight over them, so each solve gets a worker process of its own and declares the cores it
uses (``num_cpus`` = the solve's CP-SAT threads): Ray then starts no more solves on a machine than
it has cores for. The default is a private local Ray for this command (``address="local"``, never a
cluster someone else started on the machine), stopped afterwards; ``address`` joins a running
cluster instead (``"auto"``, ``"HOST:6379"`` or ``"ray://HOST:10001"``), which is left running.

A task whose worker process dies (killed, out of memory, its machine gone) is run again by Ray, up
to ``retries`` times; a run that still fails goes to ``errors.jsonl`` and is solved by the next
sweep. The driver stores each result the moment it arrives (``roster.sweep.results``), so a sweep
stopped at any point keeps every finished run.
"""

from __future__ import annotations

import logging
import socket
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import ray
from ray.exceptions import RayError, RayTaskError, WorkerCrashedError

from roster.models import Scenario
from roster.sweep.results import ResultStore, RunResult, measure
from roster.sweep.spec import Run, Settings, Sweep

RETRIES = 3  # Ray's own default for tasks: enough for a killed worker or a lost node, not for a bug


@dataclass(frozen=True)
class Solved:
    """What a task sends back: the figures, and the roster for the driver to keep."""

    result: RunResult
    roster_json: str


Task = Callable[[Scenario, Run, Settings], Solved]


def solve_run(scenario: Scenario, run: Run, settings: Settings) -> Solved:
    """One run: solve, then measure where it was solved (metrics and the independent checker run
    in parallel too, and only the figures and the roster travel back)."""
    from solver import solve

    roster = solve(scenario, time_limit=settings.time_limit, workers=settings.threads, seed=run.seed,
                   strict=settings.strict)
    return Solved(measure(run, scenario, roster, socket.gethostname()), roster.model_dump_json())


def _execute(task: Task, scenario: Scenario, run: Run, settings: Settings) -> Solved:
    return task(scenario, run, settings)


class Progress(Protocol):
    """What a sweep reports as it goes (the command's progress bar, the benchmark's lines)."""

    def started(self, total: int, skipped: int) -> None: ...
    def finished(self, run: Run, result: RunResult) -> None: ...
    def failed(self, run: Run, message: str) -> None: ...


class SweepSetupError(Exception):
    """Ray could not be reached or cannot run the sweep; the message is Norwegian."""


def _connect(address: str | None) -> bool:
    """Start or join Ray; True when this call started it (and so must stop it). A Ray already
    started in this process (a test, a notebook) is used as it is."""
    if ray.is_initialized():
        return False
    options: dict[str, object] = {"logging_level": logging.ERROR, "log_to_driver": False}
    if address is None:
        options.update(address="local", include_dashboard=False)
    else:
        options["address"] = address
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        if address is None:
            raise SweepSetupError(f"får ikke startet Ray på denne maskinen: {exc}") from None
        raise SweepSetupError(f"får ikke kontakt med Ray-klyngen på «{address}» ({exc}); bruker klyngen "
                              "tokenautentisering, sett RAY_AUTH_MODE=token og RAY_AUTH_TOKEN (docs/sweep.md)") from None
    return True


def _check_cores(threads: int) -> None:
    """A task that needs more cores than any machine has would wait for ever: say so instead."""
    largest = max((n["Resources"].get("CPU", 0) for n in ray.nodes() if n["Alive"]), default=0)
    if threads > largest:
        raise SweepSetupError(f"threads: {threads} tråder per løsning, men den største maskinen i Ray har "
                              f"{largest:g} kjerner; ingen kjøring kan starte")


def _failure(exc: RayError, retries: int) -> str:
    if isinstance(exc, WorkerCrashedError):
        return (f"arbeidsprosessen døde {retries + 1} ganger (stoppet, tom for minne eller maskinen borte); "
                "kjøringen prøves igjen neste gang sveipet kjøres")
    if isinstance(exc, RayTaskError):
        return f"feil under løsningen (programfeil): {exc.cause!r}"
    return f"Ray-feil: {type(exc).__name__}: {exc}"


class _Dispatcher:
    """At most ``limit`` runs in flight; each scenario sent to Ray's object store once."""

    def __init__(self, sweep: Sweep, task: Task, retries: int, limit: int):
        self.sweep = sweep
        self.task = task
        self.remote = ray.remote(_execute).options(num_cpus=sweep.settings.threads, max_retries=retries)
        self.limit = limit
        self.scenarios: dict[tuple[str, str], ray.ObjectRef] = {}
        self.pending: dict[ray.ObjectRef, Run] = {}

    def fill(self, queue: deque[Run]) -> None:
        while queue and len(self.pending) < self.limit:
            run = queue.popleft()
            cell = (run.scenario, run.rule_set)
            if cell not in self.scenarios:
                self.scenarios[cell] = ray.put(self.sweep.variant(*cell))
            self.pending[self.remote.remote(self.task, self.scenarios[cell], run, self.sweep.settings)] = run

    def next_done(self) -> tuple[Run, ray.ObjectRef]:
        ready, _ = ray.wait(list(self.pending), num_returns=1)
        return self.pending.pop(ready[0]), ready[0]

    def cancel(self) -> None:
        for ref in self.pending:
            ray.cancel(ref, force=True)


def run_sweep(sweep: Sweep, store: ResultStore, progress: Progress, *, workers: int | None = None,
              address: str | None = None, retries: int = RETRIES, task: Task = solve_run) -> list[Run]:
    """Solve every run of the grid not yet in ``store``; the runs that failed, in order.

    ``workers`` caps how many solves run at once (default: as many as Ray has cores for); runs
    with the same key (two rule sets that give the same scenario) are solved once."""
    unique = list({run.key: run for run in sweep.runs}.values())
    queue = deque(run for run in unique if not store.done(run))
    progress.started(len(unique), len(unique) - len(queue))
    if not queue:
        return []
    started_here = _connect(address)
    failed: list[Run] = []
    dispatcher: _Dispatcher | None = None
    try:
        _check_cores(sweep.settings.threads)
        dispatcher = _Dispatcher(sweep, task, retries, workers or len(queue))
        while queue or dispatcher.pending:
            dispatcher.fill(queue)
            run, ref = dispatcher.next_done()
            try:
                solved: Solved = ray.get(ref)
            except RayError as exc:
                message = _failure(exc, retries)
                store.add_failure(run, message)
                failed.append(run)
                progress.failed(run, message)
            else:
                variant = sweep.variant(run.scenario, run.rule_set)
                progress.finished(run, store.add(run, solved.result, solved.roster_json, variant))
    except (KeyboardInterrupt, OSError):  # stopped, or a result that could not be stored: no solve goes on
        if dispatcher is not None:
            dispatcher.cancel()
        raise
    finally:
        if started_here:
            ray.shutdown()
    return failed
