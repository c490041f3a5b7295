"""The caller's time limit shared out among the phases of one solve.

The clock starts with ``solve()``, so the model build is paid from the same limit. Each phase gets
a share of what is left when it starts: time a phase does not use goes to the phases after it,
and no phase is given more than is left, so together they end by the caller's limit. Each phase
is recorded (``SolvePhase``: start, time given, time used) in the solve's figures.

CP-SAT returns late on a big model: it loads and presolves the model before it looks at its clock
again. The searches are told to end that much early (``cp_sat_lag``, from the model's size once it
is built), and early enough for the work after them (solver.solve: the unfilled places' reasons
and freeing the model), so the solve as a whole ends by the caller's limit (``Budget.keep_back``).

A search that must hand over to a later phase (the optimisation before neighbourhood search)
while it has no roster yet does not: with no roster the later phase has nothing to start from,
so the search goes on looking until the limit (``HandOver``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster.models import SolvePhase

POLL = 0.05  # seconds between looks at a running search
# Seconds per constraint CP-SAT runs past its time limit. Measured on Curtois 23 (873 051
# constraints, 2 cores, 4 December 2026): 0.5–2.0 s past limits of 0.5, 2 and 5 s at every
# linearization level, 2.5 s in the solve's optimisation with the objective; the Bergen month's
# 70 000 constraints are thus kept 0.2 s.
LAG_PER_CONSTRAINT = 3e-6


@dataclass
class Budget:
    """``limit`` seconds counted from ``started`` (``time.perf_counter``); the searches are given
    time up to ``kept`` seconds before its end."""

    limit: float
    started: float = field(default_factory=time.perf_counter)
    phases: list[SolvePhase] = field(default_factory=list)
    kept: float = 0.0

    @property
    def end(self) -> float:
        """The caller's limit, as a ``time.perf_counter`` instant."""
        return self.started + self.limit

    @property
    def deadline(self) -> float:
        """When the searches are told to stop."""
        return self.end - self.kept

    def keep_back(self, seconds: float) -> None:
        """The searches end ``seconds`` earlier."""
        self.kept += seconds

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> float:
        return max(0.0, self.limit - self.kept - self.elapsed())

    def share(self, fraction: float, keep: float = 0.0) -> float:
        """``fraction`` of what is left once ``keep`` seconds are set aside for later phases."""
        return max(0.0, fraction * (self.left() - keep))

    @contextmanager
    def phase(self, name: str, seconds: float) -> Iterator[float]:
        """Records a phase given ``seconds`` (never more than is left) and yields that figure."""
        start = self.elapsed()
        given = max(0.0, min(seconds, self.limit - self.kept - start))
        record = SolvePhase(name=name, start=start, budget=given)
        self.phases.append(record)
        try:
            yield given
        finally:
            record.used = self.elapsed() - record.start


def cp_sat_lag(constraints: int) -> float:
    """Seconds CP-SAT may run past its limit on a model of this many constraints."""
    return LAG_PER_CONSTRAINT * constraints


class HandOver:
    """Stops ``solver`` at ``at`` (``time.perf_counter``) once ``has_roster()`` is true, or at its
    first roster after that; without one it searches on to its own time limit."""

    def __init__(self, solver: cp_model.CpSolver, at: float, has_roster: Callable[[], bool]):
        self.solver = solver
        self.at = at
        self.has_roster = has_roster
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        if self.done.wait(max(0.0, self.at - time.perf_counter())):
            return
        while not self.done.wait(POLL):  # again and again: a stop before the search has begun is lost
            if self.has_roster():
                self.solver.stop_search()

    def __enter__(self) -> HandOver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()
