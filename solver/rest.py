"""Time between shifts: no overlap, rest between work periods, weekly rest for employees, and
label successions a manager forbids.

Conflicts are encoded as at-most-one cliques over an interval graph (one clique per shift start),
which is linear in the number of shifts instead of a pairwise loop.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable

from ortools.sat.python import cp_model

from roster.calendar import UTC, ShiftInstance, local
from roster.models import Employment, Period
from roster.workload import counts_as_work, rest_hours
from solver.context import ModelContext, bool_var_maker, write_linear

Item = tuple[ShiftInstance, cp_model.IntVar]


def _cliques(items: Iterable[Item], extend: dt.timedelta) -> list[list[cp_model.IntVar]]:
    """Maximal cliques of the conflict graph where a shift blocks [start, end + extend).

    Sweep over the starts: the shifts whose extended interval contains a start p pairwise
    conflict (each later one starts before an earlier one's extended end), and every conflicting
    pair meets at the later start. A clique is emitted only when the next start drops a member,
    so no emitted clique is contained in another. The members are looked over only when the
    earliest end has passed (a year's rota: once a day, not once a shift).
    """
    ordered = sorted(items, key=lambda it: it[0].start_utc)
    out: list[list[cp_model.IntVar]] = []
    active: list[tuple[dt.datetime, cp_model.IntVar]] = []
    earliest: dt.datetime | None = None
    for s, v in ordered:
        p = s.start_utc
        if earliest is not None and earliest <= p:
            if len(active) > 1:
                out.append([var for _, var in active])
            active = [(end, var) for end, var in active if end > p]
            earliest = min((end for end, _ in active), default=None)
        end = s.end_utc + extend
        active.append((end, v))
        earliest = end if earliest is None else min(earliest, end)
    if len(active) > 1:
        out.append([var for _, var in active])
    return out


def _after_carried(items: Iterable[Item], pad: dt.timedelta, carried: list[ShiftInstance]) -> list[cp_model.IntVar]:
    """The doctor's shifts among ``items`` that start before a carried shift's end + ``pad`` (the
    carried shifts start before the period, so this is the whole conflict)."""
    if not carried:
        return []
    latest = max(c.end_utc for c in carried) + pad
    return [v for s, v in items if s.start_utc < latest and any(s.start_utc < c.end_utc + pad for c in carried)]


def add_no_overlap(ctx: ModelContext) -> None:
    """Hard (`overlapp`, `dobbel`): a doctor's shifts, on-site or on-call, never overlap in time,
    also not with a shift carried in from before the period. `dobbel` holds by construction (one
    boolean per doctor and shift). When on-call counts as work the rest cliques below already
    contain every overlap within the period."""
    for doctor_id, carried in ctx.index.carried.items():
        for v in _after_carried(ctx.by_doctor.get(doctor_id, ()), dt.timedelta(0), carried):
            ctx.add(v == 0, ("overlapp", doctor_id))
    if not ctx.scenario.rules.on_call_counts_as_rest:
        return
    for doctor_id, items in ctx.by_doctor.items():
        if not any(not s.on_site for s, _ in items):
            continue
        for clique in _cliques(items, dt.timedelta(0)):
            ctx.add_at_most_one(clique, ("overlapp", doctor_id))


def add_rest(ctx: ModelContext) -> None:
    """Hard (`hvile`): between two work periods at least 8 h for self-employed GPs (SFS 2305
    pkt 7.4) or 11 h for employees (arbeidsmiljøloven §10-8); every shift is its own period, so
    dag followed directly by kveld is refused. On-call counts as rest by default (§10-4(3))."""
    rules = ctx.scenario.rules
    for doctor_id, items in ctx.by_doctor.items():
        rest = dt.timedelta(hours=rest_hours(rules, ctx.doctors[doctor_id].employment))
        work = [(s, v) for s, v in items if counts_as_work(rules, s)]
        for clique in _cliques(work, rest):
            ctx.add_at_most_one(clique, ("hvile", doctor_id))
        carried = [c for c in ctx.index.carried.get(doctor_id, ()) if counts_as_work(rules, c)]
        for v in _after_carried(work, rest, carried):  # rest after last period's shifts
            ctx.add(v == 0, ("hvile", doctor_id))


def _week_windows(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """[00:00 of d, 00:00 of d + 7) in UTC seconds for every d from ``first`` to ``last``."""
    n = (last - first).days + 1
    days = [first + dt.timedelta(days=i) for i in range(n)]
    return [(_seconds(local(d, dt.time(0))), _seconds(local(d + dt.timedelta(days=7), dt.time(0)))) for d in days]


def add_weekly_rest(ctx: ModelContext) -> None:
    """Hard (`ukehvile`): employees have 35 h of continuous rest inside every 7-day window that
    starts at 00:00 of a day of the period and ends inside it (arbeidsmiljøloven §10-8), and
    inside the windows that start in the six days before and hold a shift carried in from there
    (``_carried_weeks``); a window is the period's business when one of its work shifts is in it.

    A maximal free stretch starts at the window start or at the end of some shift, so one
    boolean per candidate start ("free for 35 h from t") suffices; each window needs one of its
    candidates whose stretch fits inside it. Candidates and the shifts a stretch meets are found
    by bisection in the doctor's sorted shifts, so a doctor costs n log n, not n² per period.
    """
    r = ctx.scenario.rules
    period = ctx.scenario.period
    need = round(r.weekly_rest_hours_employee * 3600)  # times in whole UTC seconds: cheap to hash and compare
    windows = _week_windows(period.start, period.end - dt.timedelta(days=6))
    times = {s.key: (_seconds(s.start_utc), _seconds(s.end_utc)) for s in ctx.shifts}
    for doctor_id, items in ctx.by_doctor.items():
        if ctx.doctors[doctor_id].employment != Employment.EMPLOYEE:
            continue
        work: list[tuple[int, int, cp_model.IntVar | int]] = [
            (*times[s.key], v) for s, v in items if counts_as_work(r, s)]
        if not work:
            continue
        carried = _carried_work(ctx, doctor_id)
        work = sorted(carried + work, key=lambda w: w[0])
        _weekly_rest_windows(ctx, doctor_id, work, _carried_weeks(period, carried) + windows, need)


def _carried_work(ctx: ModelContext, doctor_id: str) -> list[tuple[int, int, cp_model.IntVar | int]]:
    """The doctor's carried work shifts as busy times that are certain (the constant 1)."""
    rules = ctx.scenario.rules
    return [(_seconds(c.start_utc), _seconds(c.end_utc), 1)
            for c in ctx.index.carried.get(doctor_id, ()) if counts_as_work(rules, c)]


def _carried_weeks(period: Period, carried: list[tuple[int, int, cp_model.IntVar | int]]) -> list[tuple[int, int]]:
    """The weekly-rest windows that start in the six days before the period, end inside it and
    hold one of the doctor's carried work shifts (what was before the period is known there)."""
    if not carried:
        return []
    first = period.start - dt.timedelta(days=6)
    windows = _week_windows(first, min(period.start - dt.timedelta(days=1), period.end - dt.timedelta(days=6)))
    return [(w0, w1) for w0, w1 in windows if any(a < w1 and w0 < b for a, b, _ in carried)]


def _weekly_rest_windows(ctx: ModelContext, doctor_id: str, work: list[tuple[int, int, cp_model.IntVar | int]],
                         windows: list[tuple[int, int]], need: int) -> None:
    """`ukehvile` for one doctor: each window that one of the period's work shifts touches has a
    free stretch of ``need`` seconds; a window the carried shifts alone leave no such stretch in
    takes none of the period's work."""
    work_starts = [a for a, _, _ in work]
    ends = sorted({b for _, b, _ in work})
    longest = max(b - a for a, b, _ in work)  # a shift meeting [t, t + need) starts after t − longest
    free: dict[int, cp_model.IntVar | int] = {}
    new_bool = bool_var_maker(ctx.model)

    def meeting(a: int, b: int) -> list[cp_model.IntVar | int]:
        lo = bisect.bisect_right(work_starts, a - longest)
        return [v for _, e, v in work[lo:bisect.bisect_left(work_starts, b, lo)] if a < e]

    def free_from(t: int) -> cp_model.IntVar | int:
        if t not in free:
            busy = meeting(t, t + need)
            if not busy:
                free[t] = 1
            elif any(isinstance(v, int) for v in busy):
                free[t] = 0  # a carried shift is in the stretch
            else:
                f = new_bool(f"free35[{doctor_id},{_minute(t)}]")
                write_linear(ctx.model, sorted([v.index for v in busy]), [1] * len(busy), 0, 0, enforced_by=f.index)
                free[t] = f
        return free[t]

    for w0, w1 in windows:
        later = ends[bisect.bisect_right(ends, w0) : bisect.bisect_right(ends, w1 - need)]
        candidates = [w0, *later] if w0 + need <= w1 else later
        options = [free_from(t) for t in candidates]
        if 1 in (o for o in options if isinstance(o, int)):
            continue
        options = [o for o in options if not isinstance(o, int)]
        if options:
            ctx.guard(ctx.model.add_bool_or(options), ("ukehvile", doctor_id))
            continue
        period_work = [v for v in meeting(w0, w1) if not isinstance(v, int)]
        if period_work:  # broken by the carried shifts alone: the period adds no work to it
            ctx.add(cp_model.LinearExpr.sum(period_work) == 0, ("ukehvile", doctor_id))


def _seconds(t: dt.datetime) -> int:
    return int(t.timestamp())


@functools.lru_cache(maxsize=4096)
def _minute(t: int) -> str:
    """UTC seconds as the minute a variable's name shows: the same few hundred shift ends recur in
    every employee's weekly rest, and formatting a datetime costs more than the variable."""
    return f"{dt.datetime.fromtimestamp(t, UTC):%Y%m%d%H%M}"


def add_successions(ctx: ModelContext) -> None:
    """Hard (`rekkefølge`): no shift labelled `first` on one date followed by one labelled `then`
    on the next (`forbidden_successions`, none by default), also after a shift carried in from the
    day before the period: a manager's rule beyond the rest hours, e.g. no evening shift the day
    after a night.

    One constraint per (doctor, shift with a blocked follower), not one clause per blocked pair
    (Curtois 24 had 9.8 million of those, 40 % of its build): see ``_forbid_after``; a doctor's
    shifts on one date that block the same followers and overlap each other share it. A doctor's
    shifts on a date mostly have the same labels day after day, so which of them a label blocks
    is looked up once per label and set of labels.
    """
    blocked: dict[str, set[str]] = {}
    for p in ctx.scenario.rules.forbidden_successions:
        blocked.setdefault(p.first, set()).add(p.then)
    if not blocked:
        return
    one_at_a_time = _followers_overlap(ctx.shifts, blocked)
    day = dt.timedelta(days=1)
    for doctor_id, items in ctx.by_doctor.items():
        by_date: dict[dt.date, list[Item]] = {}
        for s, v in items:
            by_date.setdefault(s.date, []).append((s, v))
        group = ("rekkefølge", doctor_id)
        positions: dict[tuple[str, tuple[str, ...]], tuple[int, ...]] = {}
        for date, today in by_date.items():
            tomorrow = by_date.get(date + day)
            if not tomorrow:
                continue
            labels = tuple(t.label for t, _ in tomorrow)
            takers: dict[tuple[int, ...], list[Item]] = {}
            for s, v in today:
                after = blocked.get(s.label)
                if after is None:
                    continue
                pos = positions.get((s.label, labels))
                if pos is None:
                    pos = positions[(s.label, labels)] = tuple(i for i, label in enumerate(labels) if label in after)
                if pos:
                    takers.setdefault(pos, []).append((s, v))
            for pos, firsts in takers.items():
                _forbid_after(ctx, firsts, [tomorrow[i][1] for i in pos], one_at_a_time[date + day], group)
        _after_carried_successions(ctx, doctor_id, by_date.get(ctx.scenario.period.start, ()), blocked, group)


def _after_carried_successions(ctx: ModelContext, doctor_id: str, first_day: Iterable[Item],
                               blocked: dict[str, set[str]], group: tuple[str, str]) -> None:
    """`rekkefølge` after a shift carried in from the day before the period."""
    eve = ctx.scenario.period.start - dt.timedelta(days=1)
    carried = {c.label for c in ctx.index.carried.get(doctor_id, ()) if c.date == eve}
    if not carried:
        return
    after = {then for first in carried for then in blocked.get(first, ())}
    for t, w in first_day:
        if t.label in after:
            ctx.add(w == 0, group)


def _followers_overlap(shifts: list[ShiftInstance], blocked: dict[str, set[str]]) -> dict[dt.date, dict[str, bool]]:
    """Per date and label with blocked followers: whether every shift on that date that the label
    blocks overlaps every other in time, so a doctor can take at most one of them (the overlap and
    rest cliques forbid two: `overlapp`, `hvile`). Any subset of them then overlaps too."""
    on_date: dict[dt.date, list[ShiftInstance]] = {}
    for s in shifts:
        on_date.setdefault(s.date, []).append(s)
    out: dict[dt.date, dict[str, bool]] = {}
    for date, todays in on_date.items():
        out[date] = {}
        for first, after in blocked.items():
            followers = [t for t in todays if t.label in after]
            out[date][first] = bool(followers) and all_overlap(followers)
    return out


def all_overlap(shifts: list[ShiftInstance]) -> bool:
    """Whether the shifts share a moment (each overlaps every other): the overlap and rest rules
    then let a doctor take one of them at most."""
    return max(s.start_utc for s in shifts) < min(s.end_utc for s in shifts)


def _forbid_after(ctx: ModelContext, firsts: list[Item], banned: list[cp_model.IntVar],
                  one_at_a_time: dict[str, bool], group: tuple[str, str]) -> None:
    """Each shift in ``firsts`` (one date, the same blocked followers) forbids every shift in
    ``banned`` the next day. Where at most one of the followers can be on anyway, one at-most-one
    over a first and them (CP-SAT's cheapest constraint, 4 µs to add against 17 for the
    conjunction; the same rosters as one clause per pair), and where the firsts overlap each other
    too (every shift of a year's rota starts at 08:00), one at-most-one over all of them
    (`overlapp` forbids two firsts already). Otherwise a first ⇒ none of them, one enforced
    conjunction. In explain mode always the conjunction, so the group holds the succession rule
    and nothing more."""
    shifts = [s for s, _ in firsts]
    if (len(firsts) > 1 and not ctx.explain and all(one_at_a_time[s.label] for s in shifts)
            and all_overlap(shifts)):
        ctx.model.add_at_most_one([v for _, v in firsts] + banned)
        return
    for s, v in firsts:
        if one_at_a_time[s.label] and not ctx.explain:
            ctx.model.add_at_most_one([v, *banned])
        else:
            ctx.guard(ctx.model.add_bool_and([~w for w in banned]).only_enforce_if(v), group)
