"""A first roster built one doctor's line at a time, for rules the greedy (solver.warmstart) does
not build for: a minimum of hours with minimum runs of work and of days off over a long period.

Where the doctors share only soft rules (open places and over-staffing are priced, not forbidden),
the hard rules fall apart into one small problem per doctor. A whole year of such lines is out of
reach for a search without the LP, and even with it for the whole model (Curtois & Qu instance
20: none in 60 s either way), but one line with the LP takes about a second (benchmarks/README.md,
section 7). Each line is the doctor's own hard rules (the same families, on a scenario holding only
that doctor) with a cover objective: a needed place still open gains, a place already full costs.
The lines together are then read through the whole model (solver.solve), which checks the rules
between doctors; when a line is not found in the time given there is no roster from here.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from ortools.sat.python import cp_model

from roster.models import Scenario
from solver.builder import build_model
from solver.context import ModelContext

Pair = tuple[str, str]  # (doctor id, shift key)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
# Of a line's even share of the time left, the part its cover may be optimised for; the rest is
# kept for the lines whose first solution comes late. Curtois 22 (50 staff, a year, 400 s, two
# workers): with the whole share most lines took all of it and the last line had too little.
OPTIMISE_SHARE = 0.5


def one_doctor(scenario: Scenario, doctor_id: str) -> Scenario:
    """The scenario with this doctor alone (and only their absences, wishes, pins, history…)."""
    update: dict[str, Any] = {"doctors": [d for d in scenario.doctors if d.id == doctor_id]}
    for name, value in scenario:
        if isinstance(value, list) and value and hasattr(value[0], "doctor"):
            update[name] = [item for item in value if item.doctor == doctor_id]
    return scenario.model_copy(update=update)


def _line(ctx: ModelContext, doctor_id: str, need: Counter[str], limit: float, left: float, seed: int,
          watch: Any, workers: int) -> set[Pair] | None:
    """The doctor's line that keeps their hard rules and fills the most needed places, searched
    for ``limit`` seconds; when that found none, the first line found in what is ``left``."""
    started = time.perf_counter()
    line = build_model(one_doctor(ctx.scenario, doctor_id), hard_only=True, index=ctx.index)
    gain, cost = ctx.weight("open_slot"), ctx.weight("surplus")
    line.model.minimize(cp_model.LinearExpr.weighted_sum(
        list(line.x.values()), [-gain if need[key] > 0 else cost for _, key in line.x]))
    solver = cp_model.CpSolver()
    p = solver.parameters
    # Two workers found the hard lines of Curtois 22 (a year) 1.1–4× as fast as one: 3.8 against
    # 8.3 s, 0.8 against 3.0 s, 1.4 against 1.6 s (benchmarks/README.md, section 7).
    p.num_workers = workers
    p.random_seed = seed
    p.linearization_level = 2  # the LP is what finds a line under a minimum of hours (module docstring)
    p.relative_gap_limit = 0.02  # near the line's best cover is enough: the whole roster is optimised next
    watch.solver = solver
    for seconds, first in ((limit, False), (left, True)):
        p.max_time_in_seconds = max(0.0, seconds - (time.perf_counter() - started))
        p.stop_after_first_solution = first
        status = solver.solve(line.model)
        if status in FOUND:
            return {pair for pair, v in line.x.items() if solver.value(v)}
        if status == cp_model.INFEASIBLE or watch.cancelled:
            return None
    return None


def line_by_line(ctx: ModelContext, limit: float, seed: int, watch: Any, workers: int = 1) -> set[Pair] | None:
    """(doctor, shift key) pairs of every doctor's line, or None when a line cannot exist, is not
    found within ``limit`` seconds, or ``watch`` (solver.solve's canceller) is cancelled. Each line
    is optimised for half its share of the time left; one that needs longer for a first line may
    take from the lines after it."""
    deadline = time.perf_counter() + limit
    need = Counter({s.key: s.demand_min for s in ctx.shifts})
    chosen: set[Pair] = set()
    doctors = [d for d in ctx.by_doctor if ctx.by_doctor[d]]
    for i, doctor_id in enumerate(doctors):
        left = deadline - time.perf_counter()
        if left <= 0 or watch.cancelled:
            return None
        line = _line(ctx, doctor_id, need, OPTIMISE_SHARE * left / (len(doctors) - i), left, seed, watch, workers)
        if line is None:
            return None
        chosen |= line
        need.subtract(key for _, key in line)
    return chosen
