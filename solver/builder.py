"""Build the CP-SAT model in four visible steps: variables, hard families, soft families (their
penalties), objective."""

from __future__ import annotations

from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Roster, Scenario
from solver.context import Baseline, ModelContext
from solver.fairness import add_place_count
from solver.objective import set_objective
from solver.registry import HARD, SOFT


def build_model(scenario: Scenario, strict: bool = False, hint: Roster | None = None,
                baseline: Baseline | None = None, explain: bool = False) -> ModelContext:
    """The model for a scenario; `strict` forbids open slots and bakvakt gaps, `hint` warm-starts,
    `baseline` (re-planning) freezes started shifts and prices every change to a published roster.
    `explain` (solver.explain) builds the strict hard rules alone, each in its named group."""
    ctx = ModelContext(scenario, ShiftIndex(scenario), Eligibility(scenario), strict=strict or explain,
                       explain=explain)
    ctx.warnings += scenario.rules.floor_override_notes()  # an accepted exception is on every roster
    ctx.create_variables()
    for family in HARD:
        family.add(ctx)
    if explain:
        return ctx
    penalties = [p for family in SOFT for p in family.penalties(ctx)]
    add_place_count(ctx)
    if baseline is not None:
        penalties += ctx.add_baseline(baseline)
    set_objective(ctx, penalties)
    if hint is not None:
        ctx.add_hint(hint)
    return ctx
