"""A quick constructive roster that guides the first CP-SAT pass.

The feasibility pass branches on hinted values first; without a hint it leaves nearly every place
open (all zeros are cheapest to propagate), and the optimisation then spends its time filling
them. This greedy fills each shift in time order with the doctors furthest below their fair share
who have no overlap, rest or 7-day conflict with what they already got. It is only a guide: the
model decides, so rules the greedy ignores (weekly rest, nights in a row, supervision) cannot
slip through.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from roster.calendar import ShiftInstance
from roster.targets import burden_targets
from solver.context import ModelContext, utc


def greedy_assignment(ctx: ModelContext) -> set[tuple[str, str]]:
    """(doctor, shift key) pairs of a greedy roster of qualified doctors."""
    targets = burden_targets(ctx.scenario, ctx.index)
    cap = ctx.scenario.rules.max_shifts_per_7_days
    load: dict[str, float] = defaultdict(float)
    given: dict[str, list[ShiftInstance]] = defaultdict(list)
    chosen: set[tuple[str, str]] = set()

    def free(doctor_id: str, s: ShiftInstance) -> bool:
        rest = dt.timedelta(hours=ctx.rest_hours(ctx.doctors[doctor_id]))
        for t in given[doctor_id]:
            pad = rest if ctx.counts_as_work(s) and ctx.counts_as_work(t) else dt.timedelta(0)
            if utc(t.start) < utc(s.end) + pad and utc(s.start) < utc(t.end) + pad:
                return False
        if cap is not None and sum(abs((t.date - s.date).days) < 7 for t in given[doctor_id]) >= cap:
            return False
        mx = ctx.doctors[doctor_id].max_shifts
        return mx is None or len(given[doctor_id]) < mx

    def ratio(doctor_id: str, s: ShiftInstance) -> float:
        t = targets.get((doctor_id, s.duty))
        share = t.period if t is not None and t.period > 0 else 1e-3
        return (load[doctor_id] + s.points) / share

    for s in ctx.shifts:
        candidates = sorted((d for d, _ in ctx.by_shift[s.key] if ctx.qualified[d]), key=lambda d: ratio(d, s))
        taken = 0
        for d in candidates:
            if taken == s.demand_min:
                break
            if free(d, s):
                given[d].append(s)
                load[d] += s.points
                chosen.add((d, s.key))
                taken += 1
    return chosen
