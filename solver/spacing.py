"""Spacing: shifts spread out over the period instead of clustered."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from solver.context import INT_MAX, OBJ_SCALE, ModelContext, Penalty, count_var_maker, write_linear
from solver.limits import carried_windows, date_windows


def spacing(ctx: ModelContext) -> list[Penalty]:
    """Soft (`spacing`): in every window of `spacing_target_days` (4) consecutive dates a doctor's
    shifts beyond the first are penalised, graded so that a third costs more than a second
    (1 for two, 3 for three …). Assumed default: GPs carry a practice beside legevakt, and SFS
    2305 pkt 7.4 prefers more than the minimum rest (domain.md "GPs' duty").

    Windows reaching back before the period count the shifts carried in (``carried_windows``),
    so the first days of the month are spaced from the last of the one before.

    One variable per window, at least busy − 1 and 2·busy − 3: the cost 0, 0, 1, 3, 5 … for 0, 1,
    2, 3, 4 … shifts. Its upper bound is that cost with every shift the doctor may start in the
    window taken; a bound of one shift per date forbade a specialist's day and night bakvakt on
    the same date, which no rule forbids.
    """
    k = ctx.scenario.rules.spacing_target_days
    if ctx.weight("spacing") <= 0 or k < 2:
        return []
    new_count = count_var_maker(ctx.model)
    terms = []
    windows = date_windows(ctx, k)
    for doctor_id, pairs in ctx.by_doctor.items():
        index = {day: v.index for day, v in ctx.day_counts(doctor_id).items()}
        possible = Counter(s.date for s, _ in pairs)
        carried = [(w, len(cs)) for w, cs in carried_windows(ctx, doctor_id, k)]
        for window, already in [(w, 0) for w in windows] + carried:
            days = sorted([index[d] for d in window if d in index])
            most = sum(possible[d] for d in window) + already
            if most < 2 or not days:
                continue
            base = max(0, already - 1, 2 * already - 3)  # last period's crowding is not this roster's
            e = new_count(2 * most - 3 - base, f"crowded[{doctor_id},{window[0]}]")
            n = len(days)
            days.append(e.index)  # e is the newest variable: the rows stay in index order
            write_linear(ctx.model, days, [-1] * n + [1], already - 1 - base, INT_MAX)  # e ≥ busy − 1
            write_linear(ctx.model, days, [-2] * n + [1], 2 * already - 3 - base, INT_MAX)  # e ≥ 2·busy − 3
            terms.append(e)
    return [Penalty("spacing", OBJ_SCALE * cp_model.LinearExpr.sum(terms))] if terms else []
