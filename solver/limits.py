"""Counting limits per doctor: rolling 7-day shifts and hours, period totals of shifts, shifts per
label and hours, and weekends.

Rolling limits are sliding windows over dates (shifts counted by start date), one linear
constraint per window. Runs of consecutive dates are in ``solver.runs``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import accumulate

from ortools.sat.python import cp_model

from roster.calendar import ShiftInstance
from roster.terms import count_shifts
from roster.workload import max_weekends, saturday, weekly_shift_cap
from solver.context import INT_MAX, INT_MIN, ModelContext
from solver.rest import all_overlap


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


def carried_windows(ctx: ModelContext, doctor_id: str, length: int) -> list[tuple[list[dt.date], list[ShiftInstance]]]:
    """The windows of ``length`` dates that start before the period and end inside it, each with
    the doctor's carried shifts in it (only windows holding one): the rolling limits across the
    first of the month."""
    carried = ctx.index.carried.get(doctor_id)
    if not carried:
        return []
    period = ctx.scenario.period
    out = []
    for back in range(length - 1, 0, -1):
        first = period.start - dt.timedelta(days=back)
        days = [first + dt.timedelta(days=i) for i in range(length)]
        if days[-1] > period.end:
            break
        inside = [c for c in carried if first <= c.date < period.start]
        if inside:
            out.append((days, inside))
    return out


def add_shifts_per_7_days(ctx: ModelContext) -> None:
    """Hard (`uke-vakter`): at most `max_shifts_per_7_days` (3) shifts in any 7 consecutive dates,
    the doctor's own limit first, the shifts carried in from before the period included
    (Legeforeningen asked for one a week: an optional, configurable limit, domain.md)."""
    rules = ctx.scenario.rules
    windows = date_windows(ctx, 7)
    position = {d: i for i, d in enumerate(ctx.scenario.period.days())}  # window i starts at date i
    for doctor_id, items in ctx.by_doctor.items():
        limit = weekly_shift_cap(ctx.doctors[doctor_id], rules)
        if limit is None:
            continue
        counts = ctx.day_counts(doctor_id)
        possible = [0] * len(position)  # a date may hold several shifts (day + night bakvakt)
        for s, _ in items:
            possible[position[s.date]] += 1
        before = list(accumulate(possible, initial=0))
        for i, window in enumerate(windows if before[-1] > limit else ()):
            if before[i + len(window)] - before[i] > limit:
                days = [counts[d] for d in window if d in counts]
                ctx.add(cp_model.LinearExpr.sum(days) <= limit, ("uke-vakter", doctor_id))
        for window, carried in carried_windows(ctx, doctor_id, 7):
            days = [counts[d] for d in window if d in counts]
            if days and len(days) + len(carried) > limit:
                ctx.add(cp_model.LinearExpr.sum(days) <= max(0, limit - len(carried)), ("uke-vakter", doctor_id))


def add_hours_per_7_days(ctx: ModelContext) -> None:
    """Hard (`uke-timer`): at most `max_hours_per_7_days` (48) real hours in any 7 consecutive
    dates, the hours carried in from before the period included; on-call hours count by
    `burden.on_call_factor` (at least 1/7, arbeidsmiljøloven §10-4(3)), in the exact integer
    units of ``roster.workload.HourUnits``. A window where even the heaviest
    `max_shifts_per_7_days` shifts (the doctor's own limit first) fit is implied by `uke-vakter` and
    left out."""
    r = ctx.scenario.rules
    if r.max_hours_per_7_days is None:
        return
    cap = ctx.hour_units.at_most(r.max_hours_per_7_days)
    weight = ctx.hour_units.up
    windows = date_windows(ctx, 7)
    for doctor_id, items in ctx.by_doctor.items():
        by_date = _per_date(items)
        most = weekly_shift_cap(ctx.doctors[doctor_id], r)
        # a window's heaviest shifts weigh no more than the doctor's heaviest over the period
        heaviest_overall = sorted((weight[s.key] for s, _ in items), reverse=True)[:most]
        for window in windows if sum(heaviest_overall) > cap else ():
            terms = [(weight[s.key], v) for d in window for s, v in by_date.get(d, ())]
            heaviest = sorted((w for w, _ in terms), reverse=True)[:most]
            if sum(heaviest) > cap:
                expr = cp_model.LinearExpr.weighted_sum([v for _, v in terms], [w for w, _ in terms])
                ctx.add(expr <= cap, ("uke-timer", doctor_id))
        for window, carried in carried_windows(ctx, doctor_id, 7):
            terms = [(weight[s.key], v) for d in window for s, v in by_date.get(d, ())]
            spent = sum(weight[c.key] for c in carried)
            if terms and spent + sum(w for w, _ in terms) > cap:
                expr = cp_model.LinearExpr.weighted_sum([v for _, v in terms], [w for w, _ in terms])
                ctx.add(expr <= max(0, cap - spent), ("uke-timer", doctor_id))


def add_shift_counts(ctx: ModelContext) -> None:
    """Hard (`antall`): each doctor's shifts in the period within min_shifts .. max_shifts (agreed
    vaktandel, fastlegeforskriften §13: a doctor may agree to take more or fewer)."""
    for doctor_id, items in ctx.by_doctor.items():
        d = ctx.doctors[doctor_id]
        vs, ones = [v for _, v in items], [1] * len(items)
        if d.min_shifts > len(items):
            ctx.mark_infeasible(
                f"{d.name} skal ha minst {count_shifts(d.min_shifts)}, men kan bare ta {len(items)} i perioden.",
                ("antall-min", doctor_id),
            )
        elif d.min_shifts > 0:
            ctx.add_row(vs, ones, d.min_shifts, INT_MAX, ("antall-min", doctor_id))
        if d.max_shifts is not None and d.max_shifts < len(items):
            ctx.add_row(vs, ones, INT_MIN, d.max_shifts, ("antall-maks", doctor_id))


def add_label_counts(ctx: ModelContext) -> None:
    """Hard (`antall-type`): at most `max_shifts_by_label[label]` shifts with that label in the
    period (an agreed limit such as two nights a month; 0 is no variable at all)."""
    for doctor_id, items in ctx.by_doctor.items():
        limits = ctx.doctors[doctor_id].max_shifts_by_label
        if not limits:
            continue
        by_label: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for s, v in items:
            by_label[s.label].append(v)
        for label, limit in limits.items():
            vs = by_label.get(label, [])
            if 0 < limit < len(vs):
                ctx.add_row(vs, [1] * len(vs), INT_MIN, limit, ("antall-type", f"{doctor_id}/{label}"))


def add_period_hours(ctx: ModelContext) -> None:
    """Hard (`timer`): each doctor's hours in the period within min_hours .. max_hours (agreed
    hours; on-call by `on_call_factor`), in the exact integer units of
    ``roster.workload.HourUnits``: a limit the checker accepts is one the model accepts. A
    doctor's row holds every shift they may take (a year: thousands of terms), so the units are
    worked out once per shift."""
    units = ctx.hour_units
    for doctor_id, items in ctx.by_doctor.items():
        d = ctx.doctors[doctor_id]
        if d.min_hours <= 0 and d.max_hours is None:
            continue
        keys = [s.key for s, _ in items]
        vs = [v for _, v in items]
        if d.max_hours is not None:
            up, most = [units.up[k] for k in keys], units.at_most(d.max_hours)
            if sum(up) > most:
                ctx.add_row(vs, up, INT_MIN, most, ("timer-maks", doctor_id))
        if d.min_hours > 0:
            ctx.add_row(vs, [units.down[k] for k in keys], units.at_least(d.min_hours), INT_MAX, ("timer-min", doctor_id))


def add_weekends(ctx: ModelContext) -> None:
    """Hard (`helger`): at most `max_weekends` worked weekends in the period, a weekend being
    worked when a shift starts on its Saturday or Sunday (the doctor's own limit, else the rules').
    A day's shifts that all overlap count as their sum towards the flag (tighter in the LP, as in
    ``solver.runs.on_dates``)."""
    m = ctx.model
    for doctor_id, items in ctx.by_doctor.items():
        limit = max_weekends(ctx.doctors[doctor_id], ctx.scenario.rules)
        if limit is None:
            continue
        weekends: dict[dt.date, list[tuple[ShiftInstance, cp_model.IntVar]]] = defaultdict(list)  # by the Saturday
        for s, v in items:
            if s.date.weekday() >= 5:
                weekends[saturday(s.date)].append((s, v))
        if len(weekends) <= limit:
            continue
        worked = []
        for first, pairs in sorted(weekends.items()):
            w = m.new_bool_var(f"weekend[{doctor_id},{first}]")
            for day in _per_date(pairs).values():
                if len(day) > 1 and not ctx.explain and all_overlap([s for s, _ in day]):
                    m.add(cp_model.LinearExpr.sum([v for _, v in day]) <= w)
                else:
                    for _, v in day:
                        m.add_implication(v, w)
            worked.append(w)
        ctx.add(cp_model.LinearExpr.sum(worked) <= limit, ("helger", doctor_id))
