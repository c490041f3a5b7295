"""Runs of consecutive dates: nights in a row and blocks of nights, working dates in a row,
minimum runs and the days off between them.

A doctor's dates are a sequence of on/off flags (on: a shift of the kind starts that date). A
maximum run of k is one linear row per window of k + 1 dates; a minimum run of m is three-literal
clauses "a run starting at d continues to d + j" (and the same for runs of days off), the
encoding of OR-Tools' shift_scheduling_sat example. A run touching the first or last date of the
period is exempt from the minimums: it may continue outside the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ortools.sat.python import cp_model

from roster.calendar import ShiftInstance
from roster.workload import days_off, is_night, longest_run, shortest_run
from solver.context import Group, ModelContext

Flag = cp_model.IntVar | int  # 0: no shift of the kind is possible that date


def on_dates(ctx: ModelContext, doctor_id: str, kind: Callable[[ShiftInstance], bool], name: str) -> list[Flag]:
    """One flag per period date, exactly "the doctor starts a shift of the kind that date"."""
    m = ctx.model
    per_date: dict[dt.date, list[cp_model.IntVar]] = {}
    for s, v in ctx.by_doctor[doctor_id]:
        if kind(s):
            per_date.setdefault(s.date, []).append(v)
    out: list[Flag] = []
    for day in ctx.scenario.period.days():
        vs = per_date.get(day)
        if not vs:
            out.append(0)
        elif len(vs) == 1:
            out.append(vs[0])
        else:
            f = m.new_bool_var(f"{name}[{doctor_id},{day}]")
            for v in vs:
                m.add_implication(v, f)
            m.add(cp_model.LinearExpr.sum(vs) >= f)
            out.append(f)
    return out


def _max_run(ctx: ModelContext, flags: list[Flag], limit: int, group: Group) -> None:
    for i in range(len(flags) - limit):
        window = flags[i : i + limit + 1]
        if all(not isinstance(f, int) for f in window):
            ctx.add(cp_model.LinearExpr.sum(window) <= limit, group)


def _clause(ctx: ModelContext, literals: list[Flag | cp_model.Literal], group: Group) -> None:
    """A clause over flags whose constant parts are already known: a true constant satisfies it,
    false constants drop out."""
    if any(lit is True for lit in literals):
        return
    ctx.guard(ctx.model.add_bool_or([lit for lit in literals if lit is not False]), group)


def _lit(flag: Flag, on: bool) -> cp_model.Literal | bool:
    """The literal "flag is on" (or off); a constant flag gives a constant."""
    if isinstance(flag, int):
        return bool(flag) == on
    return flag if on else ~flag


def _min_run(ctx: ModelContext, flags: list[Flag], length: int, on: bool, group: Group) -> None:
    """Every run of on-dates (on=False: off-dates) starting after the first date is at least
    `length` long or reaches the last date."""
    last = len(flags) - 1
    for i in range(1, last + 1):
        starts = _lit(flags[i], not on)  # false when the run starts at i …
        before = _lit(flags[i - 1], on)  # … and was not running the date before
        if starts is True or before is True:
            continue
        for j in range(1, length):
            if i + j > last:
                break
            _clause(ctx, [starts, before, _lit(flags[i + j], on)], group)


def _any(s: ShiftInstance) -> bool:
    return True


def add_consecutive_nights(ctx: ModelContext) -> None:
    """Hard (`netter`, `nattblokk`): night shifts on at most `max_consecutive_nights` (3)
    consecutive dates (assumed default, domain.md "Words": natt), and, when a rota wants blocks,
    on at least `min_consecutive_nights` (off: 1)."""
    r = ctx.scenario.rules
    for doctor_id, items in ctx.by_doctor.items():
        nights = len({s.date for s, _ in items if is_night(s)})
        if nights <= r.max_consecutive_nights and (r.min_consecutive_nights <= 1 or not nights):
            continue  # neither limit can bind
        flags = on_dates(ctx, doctor_id, is_night, "night")
        if nights > r.max_consecutive_nights:
            _max_run(ctx, flags, r.max_consecutive_nights, ("netter", doctor_id))
        if r.min_consecutive_nights > 1:
            _min_run(ctx, flags, r.min_consecutive_nights, True, ("nattblokk", doctor_id))


def add_work_runs(ctx: ModelContext) -> None:
    """Hard (`dager-på-rad`, `min-dager-på-rad`, `fridager`): working dates in a row at most
    `max_consecutive_days`, runs of work at least `min_consecutive_days` and of days off at least
    `min_days_off` (the doctor's own values, else the rules'; all off by default). Rotas with
    fixed blocks use these; SFS 2305 pkt 7.4 ties rest to how heavy the duty was (domain.md)."""
    r = ctx.scenario.rules
    for doctor_id in ctx.by_doctor:
        d = ctx.doctors[doctor_id]
        longest, shortest, rest = longest_run(d, r), shortest_run(d, r), days_off(d, r)
        if longest is None and shortest <= 1 and rest <= 1:
            continue
        flags = on_dates(ctx, doctor_id, _any, "works")
        if longest is not None:
            _max_run(ctx, flags, longest, ("dager-på-rad", doctor_id))
        if shortest > 1:
            _min_run(ctx, flags, shortest, True, ("min-dager-på-rad", doctor_id))
        if rest > 1:
            _min_run(ctx, flags, rest, False, ("fridager", doctor_id))
