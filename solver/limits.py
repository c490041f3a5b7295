"""Counting limits per doctor: consecutive nights, rolling 7-day shifts and hours, period totals.

Rolling limits are sliding windows over dates (shifts counted by start date), one linear
constraint per window.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from ortools.sat.python import cp_model

from roster.models import BurdenCategory
from solver.context import HOURS_SCALE, ModelContext


def date_windows(ctx: ModelContext, length: int) -> list[list[dt.date]]:
    """Windows of `length` consecutive period dates; a shorter period is one window."""
    days = ctx.scenario.period.days()
    if len(days) <= length:
        return [days]
    return [days[i : i + length] for i in range(len(days) - length + 1)]


def _per_date(items: list) -> dict[dt.date, list]:
    out: dict[dt.date, list] = defaultdict(list)
    for s, v in items:
        out[s.date].append((s, v))
    return out


def add_consecutive_nights(ctx: ModelContext) -> None:
    """Hard (`netter`): no night shifts on more than `max_consecutive_nights` (3) consecutive
    dates (assumed default; configurable, domain.md "Words": natt)."""
    limit = ctx.scenario.rules.max_consecutive_nights
    m = ctx.model
    for doctor_id, items in ctx.by_doctor.items():
        nights = _per_date([(s, v) for s, v in items if BurdenCategory.NIGHT in s.categories])
        if len(nights) <= limit:
            continue
        on: dict[dt.date, cp_model.LinearExprT] = {}
        for day, pairs in nights.items():
            if len(pairs) == 1:
                on[day] = pairs[0][1]
            else:  # two night shifts starting the same date: one flag "worked a night that date"
                f = m.new_bool_var(f"night[{doctor_id},{day}]")
                for _, v in pairs:
                    m.add_implication(v, f)
                on[day] = f
        days = sorted(on)
        for i, first in enumerate(days):
            window = [d for d in days[i : i + limit + 1] if (d - first).days <= limit]
            if len(window) == limit + 1:
                m.add(sum(on[d] for d in window) <= limit)


def add_shifts_per_7_days(ctx: ModelContext) -> None:
    """Hard (`uke-vakter`): at most `max_shifts_per_7_days` (3) shifts in any 7 consecutive dates
    (Legeforeningen asked for one a week: an optional, configurable limit, domain.md)."""
    limit = ctx.scenario.rules.max_shifts_per_7_days
    if limit is None:
        return
    for doctor_id in ctx.by_doctor:
        counts = ctx.day_counts(doctor_id)
        for window in date_windows(ctx, 7):
            days = [counts[d] for d in window if d in counts]
            if len(days) > limit:
                ctx.model.add(cp_model.LinearExpr.sum(days) <= limit)


def add_hours_per_7_days(ctx: ModelContext) -> None:
    """Hard (`uke-timer`): at most `max_hours_per_7_days` (48) real hours in any 7 consecutive
    dates; on-call hours count by `burden.on_call_factor` (at least 1/7, arbeidsmiljøloven
    §10-4(3)). Coefficients are rounded up, so the integer model never exceeds the real limit.
    A window where even the heaviest `max_shifts_per_7_days` shifts fit is implied by
    `uke-vakter` and left out."""
    r = ctx.scenario.rules
    if r.max_hours_per_7_days is None:
        return
    cap = math.floor(r.max_hours_per_7_days * HOURS_SCALE + 1e-6)
    factor = r.burden.on_call_factor
    weight = {s.key: math.ceil((s.hours if s.on_site else s.hours * factor) * HOURS_SCALE - 1e-6) for s in ctx.shifts}
    for items in ctx.by_doctor.values():
        by_date = _per_date(items)
        for window in date_windows(ctx, 7):
            terms = [(weight[s.key], v) for d in window for s, v in by_date.get(d, ())]
            heaviest = sorted((w for w, _ in terms), reverse=True)[: r.max_shifts_per_7_days]
            if sum(heaviest) > cap:
                ctx.model.add(cp_model.LinearExpr.weighted_sum([v for _, v in terms], [w for w, _ in terms]) <= cap)


def add_shift_counts(ctx: ModelContext) -> None:
    """Hard (`antall`): each doctor's shifts in the period within min_shifts .. max_shifts (agreed
    vaktandel, fastlegeforskriften §13: a doctor may agree to take more or fewer)."""
    for doctor_id, items in ctx.by_doctor.items():
        d = ctx.doctors[doctor_id]
        total = sum(v for _, v in items)
        if d.min_shifts > len(items):
            ctx.mark_infeasible(
                f"{d.name} skal ha minst {d.min_shifts} vakter, men kan bare ta {len(items)} i perioden."
            )
        elif d.min_shifts > 0:
            ctx.model.add(total >= d.min_shifts)
        if d.max_shifts is not None and d.max_shifts < len(items):
            ctx.model.add(total <= d.max_shifts)
