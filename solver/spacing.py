"""Spacing: shifts spread out over the period instead of clustered."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.context import OBJ_SCALE, ModelContext
from solver.limits import date_windows


def add_spacing(ctx: ModelContext) -> None:
    """Soft (`spacing`): in every window of `spacing_target_days` (4) consecutive dates a doctor's
    shifts beyond the first are penalised, graded so that a third costs more than a second
    (1 for two, 3 for three …). Assumed default: GPs carry a practice beside legevakt, and SFS
    2305 pkt 7.4 prefers more than the minimum rest (domain.md "GPs' duty")."""
    k = ctx.scenario.rules.spacing_target_days
    if ctx.weight("spacing") <= 0 or k < 2:
        return
    m = ctx.model
    terms = []
    windows = date_windows(ctx, k)
    for doctor_id in ctx.by_doctor:
        counts = ctx.day_counts(doctor_id)
        for window in windows:
            days = [counts[d] for d in window if d in counts]
            busy = cp_model.LinearExpr.sum(days)
            for extra in (1, 2):  # shifts beyond the first, then beyond the second
                if len(days) > extra:
                    e = m.new_int_var(0, len(days) - extra, f"crowded[{doctor_id},{window[0]},{extra}]")
                    m.add(e >= busy - extra)
                    terms.append(e)
    if terms:
        ctx.add_penalty("spacing", OBJ_SCALE * sum(terms))
