"""Build the CP-SAT model in four visible steps: variables, hard families, soft families (their
penalties), objective."""

from __future__ import annotations

import time
from collections.abc import Sequence

from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Scenario
from solver.collector import collector_paused
from solver.context import Baseline, ModelContext
from solver.fairness import add_place_count
from solver.objective import set_objective
from solver.registry import HARD, SOFT, Family


class OutOfTime(Exception):
    """The build passed its deadline (``time.perf_counter``): the caller's limit is spent."""


@collector_paused()
def build_model(scenario: Scenario, strict: bool = False, baseline: Baseline | None = None, explain: bool = False,
                deadline: float | None = None, hard: Sequence[Family] | None = None, hard_only: bool = False,
                index: ShiftIndex | None = None) -> ModelContext:
    """The model for a scenario; `strict` forbids open slots and bakvakt gaps,
    `baseline` (re-planning) freezes started shifts and prices every change to a published roster.
    `explain` (solver.explain) builds the strict hard rules alone, each in its named group.
    Past `deadline` (looked at between families) it raises ``OutOfTime``. `hard` (default: every
    family of the registry, looked up at the call) leaves hard families out for a relaxation: what
    it proves impossible is impossible with every rule (benchmarks/fairness_floor.py).
    `hard_only`: the hard families alone; `index`: the shifts of a scenario with the same
    templates, period and calendar, already expanded (solver.lines: a one-doctor scenario of the
    one being solved)."""

    def on_time() -> None:
        if deadline is not None and time.perf_counter() > deadline:
            raise OutOfTime

    ctx = ModelContext(scenario, index or ShiftIndex(scenario), Eligibility(scenario), strict=strict or explain,
                       explain=explain)
    ctx.warnings += scenario.rules.floor_override_notes()  # an accepted exception is on every roster
    ctx.create_variables()
    for family in HARD if hard is None else hard:
        on_time()
        family.add(ctx)
    if explain or hard_only:
        return ctx
    penalties = []
    for soft in SOFT:
        on_time()
        penalties += soft.penalties(ctx)
    add_place_count(ctx)
    if baseline is not None:
        penalties += ctx.add_baseline(baseline)
    set_objective(ctx, penalties)
    return ctx
