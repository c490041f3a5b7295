"""Time between shifts: no overlap, rest between work periods, weekly rest for employees, and
label successions a manager forbids.

Conflicts are encoded as at-most-one cliques over an interval graph (one clique per shift start),
which is linear in the number of shifts instead of a pairwise loop.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable

from ortools.sat.python import cp_model

from roster.calendar import UTC, ShiftInstance, local
from roster.models import Employment
from roster.workload import counts_as_work, rest_hours
from solver.context import ModelContext

Item = tuple[ShiftInstance, cp_model.IntVar]


def _cliques(items: Iterable[Item], extend: dt.timedelta) -> list[list[cp_model.IntVar]]:
    """Maximal cliques of the conflict graph where a shift blocks [start, end + extend).

    Sweep over the starts: the shifts whose extended interval contains a start p pairwise
    conflict (each later one starts before an earlier one's extended end), and every conflicting
    pair meets at the later start. A clique is emitted only when the next start drops a member,
    so no emitted clique is contained in another.
    """
    ordered = sorted(items, key=lambda it: it[0].start_utc)
    out: list[list[cp_model.IntVar]] = []
    active: list[tuple[dt.datetime, cp_model.IntVar]] = []
    for s, v in ordered:
        p = s.start_utc
        alive = [(end, var) for end, var in active if end > p]
        if len(alive) < len(active) and len(active) > 1:
            out.append([var for _, var in active])
        active = alive
        active.append((s.end_utc + extend, v))
    if len(active) > 1:
        out.append([var for _, var in active])
    return out


def add_no_overlap(ctx: ModelContext) -> None:
    """Hard (`overlapp`, `dobbel`): a doctor's shifts, on-site or on-call, never overlap in time.
    `dobbel` holds by construction (one boolean per doctor and shift). When on-call counts as work
    the rest cliques below already contain every overlap."""
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


def add_weekly_rest(ctx: ModelContext) -> None:
    """Hard (`ukehvile`): employees have 35 h of continuous rest inside every 7-day window that
    starts at 00:00 of a period day and ends inside the period (arbeidsmiljøloven §10-8).

    A maximal free stretch starts at the window start or at the end of some shift, so one
    boolean per candidate start ("free for 35 h from t") suffices; each window needs one of its
    candidates whose stretch fits inside it. Candidates and the shifts a stretch meets are found
    by bisection in the doctor's sorted shifts, so a doctor costs n log n, not n² per period.
    """
    r = ctx.scenario.rules
    period = ctx.scenario.period
    need = round(r.weekly_rest_hours_employee * 3600)  # times in whole UTC seconds: cheap to hash and compare
    starts = [d for d in period.days() if d + dt.timedelta(days=6) <= period.end]
    windows = [(_seconds(local(d, dt.time(0))), _seconds(local(d + dt.timedelta(days=7), dt.time(0)))) for d in starts]
    times = {s.key: (_seconds(s.start_utc), _seconds(s.end_utc)) for s in ctx.shifts}
    for doctor_id, items in ctx.by_doctor.items():
        if ctx.doctors[doctor_id].employment != Employment.EMPLOYEE:
            continue
        work = sorted(((*times[s.key], v) for s, v in items if counts_as_work(r, s)), key=lambda w: w[0])
        if not work:
            continue
        work_starts = [a for a, _, _ in work]
        ends = sorted({b for _, b, _ in work})
        longest = max(b - a for a, b, _ in work)  # a shift meeting [t, t + need) starts after t − longest
        free: dict[int, cp_model.IntVar | int] = {}

        def free_from(t: int) -> cp_model.IntVar | int:
            if t not in free:
                lo = bisect.bisect_right(work_starts, t - longest)
                hi = bisect.bisect_left(work_starts, t + need, lo)
                busy = [v for _, b, v in work[lo:hi] if t < b]
                if not busy:
                    free[t] = 1
                else:
                    f = ctx.model.new_bool_var(f"free35[{doctor_id},{dt.datetime.fromtimestamp(t, UTC):%Y%m%d%H%M}]")
                    ctx.model.add(cp_model.LinearExpr.sum(busy) == 0).only_enforce_if(f)
                    free[t] = f
            return free[t]

        for w0, w1 in windows:
            later = ends[bisect.bisect_right(ends, w0) : bisect.bisect_right(ends, w1 - need)]
            candidates = [w0, *later] if w0 + need <= w1 else later
            options = [free_from(t) for t in candidates]
            if any(isinstance(o, int) for o in options):
                continue
            ctx.guard(ctx.model.add_bool_or(options), ("ukehvile", doctor_id))


def _seconds(t: dt.datetime) -> int:
    return int(t.timestamp())


def add_successions(ctx: ModelContext) -> None:
    """Hard (`rekkefølge`): no shift labelled `first` on one date followed by one labelled `then`
    on the next (`forbidden_successions`, none by default): a manager's rule beyond the rest
    hours, e.g. no evening shift the day after a night."""
    pairs = {(p.first, p.then) for p in ctx.scenario.rules.forbidden_successions}
    if not pairs:
        return
    firsts = {a for a, _ in pairs}
    add_bool_or = ctx.model.add_bool_or
    for doctor_id, items in ctx.by_doctor.items():
        by_date: dict[dt.date, list[Item]] = {}
        for s, v in items:
            by_date.setdefault(s.date, []).append((s, v))
        # each negation made once, not twice per clause (9.8 million clauses on Curtois 24)
        negated = {v.index: ~v for _, v in items}
        group = ("rekkefølge", doctor_id)
        for day, today in by_date.items():
            tomorrow = by_date.get(day + dt.timedelta(days=1), ())
            for s, v in today:
                if s.label not in firsts:
                    continue
                for t, w in tomorrow:
                    if (s.label, t.label) in pairs:
                        ctx.guard(add_bool_or([negated[v.index], negated[w.index]]), group)
