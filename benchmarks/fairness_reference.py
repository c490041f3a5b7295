"""The plain reference of the fairness benchmark (issue 13): CP-SAT fills every place, then
minimises the largest deviation, nothing else.

It keeps the product's hard rules (the same constraint families, so its rosters are legal and
pass the checker) and the same targets (``roster.targets``: pools, capacities, the ledger's
repayments), but none of the product's search: no constructive first roster, no lexicographic
levels, no local search, no cuts, CP-SAT's default portfolio from the first complete roster it
finds. Over-staffing costs nothing here (where the scenario allows it at all), participation and
every other soft term are left out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Assignment, Roster, Scenario
from solver.context import ModelContext
from solver.fairness import SHARE_SCALE, zero_sum_round
from solver.registry import HARD

SCALE = 100  # points × 100


@dataclass
class ReferenceResult:
    roster: Roster
    first_roster: float | None  # seconds to the first complete roster
    objective: float | None  # Σ over pools of the largest deviation per share, in points
    bound: float | None


def _largest_deviations(ctx: ModelContext) -> cp_model.LinearExprT:
    """Σ over pools of z_P ≥ |burden − (share · level − repay)| / share, the level tied to what
    the pool's members carry."""
    m = ctx.model
    plan = ctx.fairness_plan
    largest = []
    for name, members in plan.pools.items():
        active = [x for x in members if ctx.by_doctor[x.doctor] and x.share > 0]
        if not active:
            continue
        repay = zero_sum_round({x.doctor: x.repay for x in active}, SCALE)
        most = {x.doctor: sum(round(s.points * SCALE) for s, _ in ctx.by_doctor[x.doctor]) for x in active}
        shares = sum(round(x.share * SHARE_SCALE) for x in active)
        level = m.new_int_var(0, SHARE_SCALE * sum(most.values()) // max(1, shares) + 1, f"ref_level[{name}]")
        z = m.new_int_var(0, 10**9, f"ref_largest[{name}]")
        burdens = []
        for x in active:
            s = round(x.share * SHARE_SCALE)
            b = m.new_int_var(0, most[x.doctor], f"ref_burden[{x.doctor}]")
            m.add(b == sum(round(sh.points * SCALE) * v for sh, v in ctx.by_doctor[x.doctor]))
            target = s * level - SCALE * repay[x.doctor]  # points × 10^4
            m.add(s * z >= SCALE * b - target)
            m.add(s * z >= target - SCALE * b)
            burdens.append(b)
        spread = shares * level - SCALE * sum(repay.values())
        carried = SCALE * cp_model.LinearExpr.sum(burdens)
        m.add(spread - carried <= shares)
        m.add(carried - spread <= shares)
        largest.append(z)
    return cp_model.LinearExpr.sum(largest)


def solve_reference(scenario: Scenario, time_limit: float, workers: int, seed: int) -> ReferenceResult:
    """Stage 1: any roster with every place filled (CP-SAT, no objective); stage 2: from it, the
    largest deviations minimised for the rest of the time."""
    started = time.perf_counter()
    ctx = ModelContext(scenario, ShiftIndex(scenario), Eligibility(scenario), strict=True)
    ctx.create_variables()
    for family in HARD:
        family.add(ctx)
    objective = _largest_deviations(ctx)

    def solver(limit: float) -> cp_model.CpSolver:
        s = cp_model.CpSolver()
        s.parameters.max_time_in_seconds = max(0.1, limit)
        s.parameters.num_workers = workers
        s.parameters.random_seed = seed
        return s

    first = solver(time_limit - (time.perf_counter() - started))
    first.parameters.stop_after_first_solution = True
    code = first.solve(ctx.model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ReferenceResult(Roster(scenario=scenario.name, period=scenario.period), None, None, None)
    first_time = time.perf_counter() - started
    ctx.model.clear_hints()
    for v in ctx.x.values():
        ctx.model.add_hint(v, first.boolean_value(v))
    ctx.model.minimize(objective)
    best = solver(time_limit - (time.perf_counter() - started))
    code = best.solve(ctx.model)
    final = best if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else first
    roster = Roster(scenario=scenario.name, period=scenario.period, assignments=[
        Assignment(doctor=d, template=ctx.index.by_key[k].template, date=ctx.index.by_key[k].date)
        for (d, k), v in ctx.x.items() if final.boolean_value(v)])
    found = final is best
    return ReferenceResult(roster, first_time, best.objective_value / SCALE if found else None,
                           best.best_objective_bound / SCALE if found else None)
