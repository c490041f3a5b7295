"""Time between shifts (mirrors ``solver.rest``): overlapp, hvile, ukehvile, rekkefølge."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict

from roster.check.context import Context, Shift, Violation
from roster.check.times import DAY, EPS, dmy, hours_between, instant, num, union
from roster.models import Employment


def check_overlap(ctx: Context) -> list[Violation]:
    """overlapp: a doctor's shifts never overlap (sweep in start order, remembering the latest end)."""
    out = []
    for doc, shifts in ctx.by_doctor.items():
        latest: Shift | None = None
        for s in shifts:
            if latest is not None and s.start < latest.end:
                overlap = hours_between(s.start, min(s.end, latest.end))
                out.append(Violation(
                    "overlapp",
                    f"{ctx.name(doc)} har overlappende vakter: {latest.text} og {s.text} ({num(overlap)} t).",
                    doc, s.key, s.start, s.end,
                ))
            if latest is None or s.end > latest.end:
                latest = s
    return out


def _work(ctx: Context, doc: str) -> list[Shift]:
    """Shifts that count as work for rest rules: on-site, and on-call unless it counts as rest."""
    return [s for s in ctx.by_doctor[doc] if s.on_site or not ctx.rules.on_call_counts_as_rest]


def check_rest(ctx: Context) -> list[Violation]:
    """hvile: at least 8 h (self-employed, SFS 2305 pkt 7.4) or 11 h (employee, aml §10-8) from the
    end of one work shift to the start of the next; overlaps are left to ``overlapp``."""
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        need = ctx.rules.rest_hours_employee if d.employment == Employment.EMPLOYEE else ctx.rules.rest_hours_self_employed
        latest: Shift | None = None
        for s in _work(ctx, doc):
            if latest is not None:
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
    starts at 00:00 of a day of the period and ends inside it (aml §10-8)."""
    need = ctx.rules.weekly_rest_hours_employee
    p = ctx.scenario.period
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        if d.employment != Employment.EMPLOYEE:
            continue
        busy = union([(s.start, s.end) for s in _work(ctx, doc)])
        ends = [e for _, e in busy]
        for day in p.days():
            if day + 6 * DAY > p.end:
                break
            w_start, w_end = instant(day, dt.time(0)), instant(day + 7 * DAY, dt.time(0))
            cursor, longest = w_start, 0.0
            i = bisect.bisect_right(ends, w_start)
            while i < len(busy) and busy[i][0] < w_end:
                longest = max(longest, hours_between(cursor, busy[i][0]))
                cursor = max(cursor, busy[i][1])
                i += 1
            longest = max(longest, hours_between(cursor, w_end) if cursor < w_end else 0.0)
            if longest < need - EPS:
                out.append(Violation(
                    "ukehvile",
                    f"{d.name}: lengste sammenhengende hvile {dmy(day)}–{dmy(day + 6 * DAY)} er "
                    f"{num(longest)} t; krever {num(need)} t.",
                    doc, None, w_start, w_end,
                ))
    return out


def check_successions(ctx: Context) -> list[Violation]:
    """rekkefølge: no shift labelled `first` on date D and one labelled `then` on D + 1."""
    banned = {(p.first, p.then) for p in ctx.rules.forbidden_successions}
    out = []
    if not banned:
        return out
    for doc, shifts in ctx.by_doctor.items():
        by_date: dict[dt.date, list[Shift]] = defaultdict(list)
        for s in shifts:
            by_date[s.date].append(s)
        for a in shifts:
            for b in by_date.get(a.date + DAY, ()):
                if (a.template.label, b.template.label) in banned:
                    out.append(Violation(
                        "rekkefølge",
                        f"{ctx.name(doc)}: {b.text} dagen etter {a.text}; "
                        f"{b.template.label} kan ikke følge {a.template.label}.",
                        doc, b.key, b.start, b.end,
                    ))
    return out
