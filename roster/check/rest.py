"""Time between shifts (mirrors ``solver.rest``): overlapp, hvile, ukehvile, rekkefølge. Shifts carried in from before the period count, but only a
shift of the period can be in breach."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from roster.check.context import Context, Earlier, Shift, Violation
from roster.check.times import DAY, EPS, dmy, hours_between, instant, num, union
from roster.models import Employment


def check_overlap(ctx: Context) -> list[Violation]:
    """overlapp: a doctor's shifts never overlap, also not with a shift carried in from before the
    period (sweep in start order, remembering the latest end)."""
    out = []
    for doc in ctx.by_doctor:
        latest: Shift | Earlier | None = None
        for s in ctx.with_before(doc):
            if latest is not None and s.start < latest.end and not s.carried:
                overlap = hours_between(s.start, min(s.end, latest.end))
                out.append(Violation(
                    "overlapp",
                    f"{ctx.name(doc)} har overlappende vakter: {latest.text} og {s.text} ({num(overlap)} t).",
                    doc, s.key, s.start, s.end,
                ))
            if latest is None or s.end > latest.end:
                latest = s
    return out


def work_shifts(ctx: Context, doc: str) -> list[Shift | Earlier]:
    """Shifts that count as work for rest rules, the carried ones first: on-site, and on-call
    unless it counts as rest."""
    return [s for s in ctx.with_before(doc) if s.on_site or not ctx.rules.on_call_counts_as_rest]


def check_rest(ctx: Context) -> list[Violation]:
    """hvile: at least 8 h (self-employed, SFS 2305 pkt 7.4) or 11 h (employee, aml §10-8) from the
    end of one work shift to the start of the next, a carried shift before the period included;
    overlaps are left to ``overlapp``."""
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        need = ctx.rules.rest_hours_employee if d.employment == Employment.EMPLOYEE else ctx.rules.rest_hours_self_employed
        latest: Shift | Earlier | None = None
        for s in work_shifts(ctx, doc):
            if latest is not None and not s.carried:
                gap = hours_between(latest.end, s.start)
                if 0 <= gap < need - EPS:
                    out.append(Violation(
                        "hvile",
                        f"{d.name}: bare {num(gap)} t hvile mellom {latest.text} og {s.text}; "
                        f"krever {num(need)} t.",
                        doc, s.key, s.start, s.end,
                    ))
            if latest is None or s.end > latest.end:
                latest = s
    return out


def check_weekly_rest(ctx: Context) -> list[Violation]:
    """ukehvile: employees have a continuous free stretch of 35 h inside every 7-day window that
    starts at 00:00 of a day of the period, or of one of the six days before it and holds a carried
    work shift, ends inside the period, and holds one of their work shifts of the period (aml
    §10-8)."""
    need = ctx.rules.weekly_rest_hours_employee
    p = ctx.scenario.period
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        if d.employment != Employment.EMPLOYEE:
            continue
        work = work_shifts(ctx, doc)
        busy = union([(s.start, s.end) for s in work])
        mine = [(s.start, s.end) for s in work if not s.carried]
        carried = [(s.start, s.end) for s in work if s.carried]
        ends = [e for _, e in busy]
        day = p.start - 6 * DAY
        while day + 6 * DAY <= p.end:
            w_start, w_end = instant(day, dt.time(0)), instant(day + 7 * DAY, dt.time(0))
            day += DAY
            if not any(a < w_end and w_start < b for a, b in mine):
                continue
            if w_start < instant(p.start, dt.time(0)) and not any(a < w_end and w_start < b for a, b in carried):
                continue
            cursor, longest = w_start, 0.0
            i = bisect.bisect_right(ends, w_start)
            while i < len(busy) and busy[i][0] < w_end:
                longest = max(longest, hours_between(cursor, busy[i][0]))
                cursor = max(cursor, busy[i][1])
                i += 1
            longest = max(longest, hours_between(cursor, w_end) if cursor < w_end else 0.0)
            if longest < need - EPS:
                first = day - DAY
                out.append(Violation(
                    "ukehvile",
                    f"{d.name}: lengste sammenhengende hvile {dmy(first)}–{dmy(first + 6 * DAY)} er "
                    f"{num(longest)} t; krever {num(need)} t.",
                    doc, None, w_start, w_end, excess=longest - need,
                ))
    return out


def check_successions(ctx: Context) -> list[Violation]:
    """rekkefølge: no shift labelled `first` on date D and one labelled `then` on D + 1 (a
    carried shift on the day before the period included)."""
    banned = {(p.first, p.then) for p in ctx.rules.forbidden_successions}
    out = []
    if not banned:
        return out
    for doc, shifts in ctx.by_doctor.items():
        by_date: dict[dt.date, list[Shift]] = defaultdict(list)
        for s in shifts:
            by_date[s.date].append(s)
        for a in ctx.with_before(doc):
            for b in by_date.get(a.date + DAY, ()):
                if (a.label, b.label) in banned:
                    out.append(Violation(
                        "rekkefølge",
                        f"{ctx.name(doc)}: {b.text} dagen etter {a.text}; "
                        f"{b.label} kan ikke følge {a.label}.",
                        doc, b.key, b.start, b.end,
                    ))
    return out
