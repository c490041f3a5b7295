"""Runs of consecutive dates: nights in a row and blocks of nights, working dates in a row,
minimum runs and the days off between them.

A doctor's dates are a sequence of on/off flags (on: a shift of the kind starts that date). A
maximum run of k is one linear row per window of k + 1 dates; a minimum run of m is three-literal
clauses "a run starting at d continues to d + j" (and the same for runs of days off), the
encoding of OR-Tools' shift_scheduling_sat example. Dates carried in from before the period are
constant flags in front (``carried_flags``): they count in the maximum runs, and, from
``carry_in_from`` on, in the minimum runs. A run touching the first known date (``carry_in_from``,
else the period's first) or the period's last date is exempt from the minimums: it may continue
outside what is known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ortools.sat.python import cp_model

from roster.calendar import ShiftInstance
from roster.workload import days_off, is_night, longest_run, shortest_run
from solver.context import Group, ModelContext
from solver.rest import all_overlap

Flag = cp_model.IntVar | int  # 0: no shift of the kind is possible that date; 1 (carried only): certain


def on_dates(ctx: ModelContext, doctor_id: str, kind: Callable[[ShiftInstance], bool], name: str) -> list[Flag]:
    """One flag per period date, exactly "the doctor starts a shift of the kind that date". Where
    the date's shifts all overlap (a doctor takes one at most) the flag is their sum: in the LP
    the implications let two halves of shifts make half a date worked, and the run limits were
    loose (Curtois 5, 7, 9–11 end nearer their optima with the sum: benchmarks/README.md,
    section 1). Explain mode keeps the implications, so the group holds the run rule alone."""
    m = ctx.model
    per_date: dict[dt.date, list[tuple[ShiftInstance, cp_model.IntVar]]] = {}
    for s, v in ctx.by_doctor[doctor_id]:
        if kind(s):
            per_date.setdefault(s.date, []).append((s, v))
    out: list[Flag] = []
    for day in ctx.scenario.period.days():
        items = per_date.get(day, [])
        vs = [v for _, v in items]
        if not vs:
            out.append(0)
        elif len(vs) == 1:
            out.append(vs[0])
        else:
            f = m.new_bool_var(f"{name}[{doctor_id},{day}]")
            if not ctx.explain and all_overlap([s for s, _ in items]):
                m.add(cp_model.LinearExpr.sum(vs) == f)
            else:
                for v in vs:
                    m.add_implication(v, f)
                m.add(cp_model.LinearExpr.sum(vs) >= f)
            out.append(f)
    return out


def carried_flags(ctx: ModelContext, doctor_id: str, kind: Callable[[ShiftInstance], bool],
                  since: dt.date) -> list[Flag]:
    """Constant flags for the dates from ``since`` to the day before the period: 1 where a carried
    shift of the kind starts (the run continues across the first of the month), else 0."""
    dates = {c.date for c in ctx.index.carried.get(doctor_id, ()) if kind(c)}
    n = (ctx.scenario.period.start - since).days
    return [int(since + dt.timedelta(days=i) in dates) for i in range(n)]


def _max_run(ctx: ModelContext, flags: list[Flag], limit: int, group: Group) -> None:
    """At most ``limit`` flags on in every ``limit + 1`` in a row; certain (carried) days count
    against the limit, and a window of carried days alone is last period's."""
    for i in range(len(flags) - limit):
        window = flags[i : i + limit + 1]
        if any(isinstance(f, int) and f == 0 for f in window):
            continue
        chosen = [f for f in window if not isinstance(f, int)]
        if chosen:
            ctx.add(cp_model.LinearExpr.sum(chosen) <= limit - (len(window) - len(chosen)), group)


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


def _min_run(ctx: ModelContext, flags: list[Flag], length: int, on: bool, group: Group, first: int = 0) -> None:
    """Every run of on-dates (on=False: off-dates) starting after the first date is at least
    `length` long or reaches the last date. ``flags[:first]`` are carried (constant) dates: a run
    among them that reaches the period must go on into it (``_carried_run``)."""
    last = len(flags) - 1
    for i in range(1, last + 1):
        starts = _lit(flags[i], not on)  # false when the run starts at i …
        before = _lit(flags[i - 1], on)  # … and was not running the date before
        if starts is True or before is True:
            continue
        if i < first:
            _carried_run(ctx, flags, i, length, on, group, first)
            continue
        for j in range(1, length):
            if i + j > last:
                break
            _clause(ctx, [starts, before, _lit(flags[i + j], on)], group)


def _carried_run(ctx: ModelContext, flags: list[Flag], i: int, length: int, on: bool, group: Group,
                 first: int) -> None:
    """A run that starts at carried date ``i``: when it lasts to the day before the period it goes
    on into the period until it is ``length`` long (or reaches the last date); one that ended
    earlier is last period's. A required date the doctor cannot take makes the model infeasible."""
    end = i
    while end + 1 < first and _lit(flags[end + 1], on) is True:
        end += 1
    if end < first - 1:
        return
    for k in range(first, min(i + length, len(flags))):
        lit = _lit(flags[k], on)
        if lit is False:
            ctx.mark_infeasible(f"En arbeids- eller friperiode fra forrige periode må fortsette i perioden, men kan "
                                f"ikke ({group[0]}).", group)
            return
        if lit is not True:
            ctx.guard(ctx.model.add_bool_or([lit]), group)


def _any(s: ShiftInstance) -> bool:
    return True


def _min_since(ctx: ModelContext) -> dt.date:
    """Where the minimum runs start counting: ``carry_in_from`` when the carried shifts are
    complete from there, else the period's first date (exempt: a run may continue before it)."""
    return ctx.scenario.carry_in_from or ctx.scenario.period.start


def add_consecutive_nights(ctx: ModelContext) -> None:
    """Hard (`netter`, `nattblokk`): night shifts on at most `max_consecutive_nights` (3)
    consecutive dates (a local choice, domain.md "Words": natt), and, when a rota wants blocks,
    on at least `min_consecutive_nights` (off: 1); nights carried in from before the period count."""
    r = ctx.scenario.rules
    start = ctx.scenario.period.start
    for doctor_id, items in ctx.by_doctor.items():
        nights = len({s.date for s, _ in items if is_night(s)})
        before = carried_flags(ctx, doctor_id, is_night, start - dt.timedelta(days=r.max_consecutive_nights))
        binds = nights and nights + sum(before) > r.max_consecutive_nights
        if not binds and r.min_consecutive_nights <= 1:
            continue  # neither limit can bind
        flags = on_dates(ctx, doctor_id, is_night, "night")
        if binds:
            _max_run(ctx, before + flags, r.max_consecutive_nights, ("netter", doctor_id))
        if r.min_consecutive_nights > 1:
            since = carried_flags(ctx, doctor_id, is_night, _min_since(ctx))
            _min_run(ctx, since + flags, r.min_consecutive_nights, True, ("nattblokk", doctor_id), len(since))


def add_work_runs(ctx: ModelContext) -> None:
    """Hard (`dager-på-rad`, `min-dager-på-rad`, `fridager`): working dates in a row at most
    `max_consecutive_days`, runs of work at least `min_consecutive_days` and of days off at least
    `min_days_off` (the doctor's own values, else the rules'; all off by default, local choices),
    counting the dates worked just before the period. Rotas with fixed blocks use these; SFS 2305
    pkt 7.4 ties rest to how heavy the duty was (domain.md)."""
    r = ctx.scenario.rules
    start = ctx.scenario.period.start
    for doctor_id in ctx.by_doctor:
        d = ctx.doctors[doctor_id]
        longest, shortest, rest = longest_run(d, r), shortest_run(d, r), days_off(d, r)
        if longest is None and shortest <= 1 and rest <= 1:
            continue
        flags = on_dates(ctx, doctor_id, _any, "works")
        if longest is not None:
            before = carried_flags(ctx, doctor_id, _any, start - dt.timedelta(days=longest))
            _max_run(ctx, before + flags, longest, ("dager-på-rad", doctor_id))
        since = carried_flags(ctx, doctor_id, _any, _min_since(ctx))
        if shortest > 1:
            _min_run(ctx, since + flags, shortest, True, ("min-dager-på-rad", doctor_id), len(since))
        if rest > 1:
            _min_run(ctx, since + flags, rest, False, ("fridager", doctor_id), len(since))
