"""The caller's time limit shared out among the phases of one solve.

The clock starts with ``solve()``, so the model build is paid from the same limit. Each phase gets
a share of what is left when it starts: time a phase does not use goes to the phases after it,
and no phase is given more than is left, so together they end by the caller's limit. Each phase
is recorded (``SolvePhase``: start, time given, time used) in the solve's figures.

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


@dataclass
class Budget:
    """``limit`` seconds counted from ``started`` (``time.perf_counter``)."""

    limit: float
    started: float = field(default_factory=time.perf_counter)
    phases: list[SolvePhase] = field(default_factory=list)

    @property
    def deadline(self) -> float:
        return self.started + self.limit

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def left(self) -> float:
        return max(0.0, self.limit - self.elapsed())

    def share(self, fraction: float, keep: float = 0.0) -> float:
        """``fraction`` of what is left once ``keep`` seconds are set aside for later phases."""
        return max(0.0, fraction * (self.left() - keep))

    @contextmanager
    def phase(self, name: str, seconds: float) -> Iterator[float]:
        """Records a phase given ``seconds`` (never more than is left) and yields that figure."""
        start = self.elapsed()
        given = max(0.0, min(seconds, self.limit - start))
        record = SolvePhase(name=name, start=start, budget=given)
        self.phases.append(record)
        try:
            yield given
        finally:
            record.used = self.elapsed() - record.start


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
