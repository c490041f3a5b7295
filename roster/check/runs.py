"""Runs of dates (mirrors ``solver.runs``): netter, nattblokk, dager-på-rad, min-dager-på-rad,
fridager."""

from __future__ import annotations

import datetime as dt

from roster.check.context import Context, Shift, Violation, own_or_rule
from roster.check.times import DAY, dmy, instant


def check_nights(ctx: Context) -> list[Violation]:
    """netter: night shifts on at most max_consecutive_nights consecutive dates."""
    limit = ctx.rules.max_consecutive_nights
    out = []
    for doc, shifts in ctx.by_doctor.items():
        nights = sorted({s.date: s for s in shifts if s.night}.items())
        run: list[Shift] = []
        for i, (day, s) in enumerate(nights):
            if run and day - run[-1].date != DAY:
                run = []
            run.append(s)
            ends_run = i + 1 == len(nights) or nights[i + 1][0] - day != DAY
            if ends_run and len(run) > limit:
                first, extra = run[0], run[limit]
                out.append(Violation(
                    "netter",
                    f"{ctx.name(doc)}: nattevakt {len(run)} netter på rad {dmy(first.date)}–{dmy(day)}; "
                    f"maks {limit}.",
                    doc, extra.key, first.start, s.end,
                ))
    return out


def _runs(dates: set[dt.date], period_days: list[dt.date], on: bool) -> list[tuple[dt.date, dt.date, bool]]:
    """Maximal runs of period dates in (on=True) or not in ``dates``: (first, last, touches an
    edge of the period)."""
    out = []
    first: dt.date | None = None
    for i, day in enumerate(period_days):
        inside = (day in dates) == on
        if inside and first is None:
            first = day
        if first is not None and (not inside or i == len(period_days) - 1):
            last = day if inside else period_days[i - 1]
            out.append((first, last, first == period_days[0] or last == period_days[-1]))
            first = None
    return out


def _run_length(first: dt.date, last: dt.date) -> int:
    return (last - first).days + 1


def check_night_blocks(ctx: Context) -> list[Violation]:
    """nattblokk: runs of night dates at least min_consecutive_nights long, unless at an edge."""
    need = ctx.rules.min_consecutive_nights
    out = []
    if need <= 1:
        return out
    days = ctx.scenario.period.days()
    for doc, shifts in ctx.by_doctor.items():
        for first, last, edge in _runs({s.date for s in shifts if s.night}, days, True):
            if not edge and _run_length(first, last) < need:
                out.append(Violation(
                    "nattblokk",
                    f"{ctx.name(doc)}: {_run_length(first, last)} natt(er) {dmy(first)}–{dmy(last)}; "
                    f"netter kommer i blokker på minst {need}.",
                    doc, None, instant(first, dt.time(0)), instant(last + DAY, dt.time(0)),
                ))
    return out


def check_work_runs(ctx: Context) -> list[Violation]:
    """dager-på-rad, min-dager-på-rad, fridager: runs of working dates (a shift starts that date)
    at most max_consecutive_days and, away from the period's edges, at least
    min_consecutive_days; runs of free dates, away from the edges, at least min_days_off."""
    r = ctx.rules
    days = ctx.scenario.period.days()
    out = []
    for d in ctx.scenario.doctors:
        longest = own_or_rule(d.max_consecutive_days, r.max_consecutive_days)
        shortest = own_or_rule(d.min_consecutive_days, r.min_consecutive_days) or 1
        rest = own_or_rule(d.min_days_off, r.min_days_off) or 1
        worked = {s.date for s in ctx.by_doctor.get(d.id, ())}
        for first, last, edge in _runs(worked, days, True):
            n = _run_length(first, last)
            where = (d.id, None, instant(first, dt.time(0)), instant(last + DAY, dt.time(0)))
            if longest is not None and n > longest:
                out.append(Violation(
                    "dager-på-rad", f"{d.name}: vakt {n} dager på rad {dmy(first)}–{dmy(last)}; maks {longest}.",
                    *where,
                ))
            if not edge and n < shortest:
                out.append(Violation(
                    "min-dager-på-rad",
                    f"{d.name}: bare {n} dag(er) på rad med vakt {dmy(first)}–{dmy(last)}; minst {shortest}.",
                    *where,
                ))
        if rest > 1:
            for first, last, edge in _runs(worked, days, False):
                n = _run_length(first, last)
                if not edge and n < rest:
                    out.append(Violation(
                        "fridager",
                        f"{d.name}: bare {n} fridag(er) {dmy(first)}–{dmy(last)} mellom vakter; minst {rest}.",
                        d.id, None, instant(first, dt.time(0)), instant(last + DAY, dt.time(0)),
                    ))
    return out
