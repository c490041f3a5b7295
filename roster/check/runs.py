"""Runs of dates (mirrors ``solver.runs``): netter, nattblokk, dager-på-rad, min-dager-på-rad,
fridager.

Dates carried in from before the period count: in the maximum runs always, in the minimum runs
from ``carry_in_from`` on (where the carried shifts are complete). A run is judged only when the
period has a say in it: a maximum run when it holds a period date; a minimum run when it holds one
or ends the day before the period (the period decides whether it goes on). A run touching the first
known date or the period's last date is exempt from the minimums: it may continue outside.
"""

from __future__ import annotations

import datetime as dt

from roster.check.context import Context, Earlier, Shift, Violation, own_or_rule
from roster.check.times import DAY, dmy, instant

Run = tuple[dt.date, dt.date, bool]  # first, last, touches an edge of the known dates


def _dates(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + i * DAY for i in range((last - first).days + 1)]


def _runs(dates: set[dt.date], days: list[dt.date], on: bool) -> list[Run]:
    """Maximal runs of ``days`` in (on=True) or not in ``dates``: (first, last, touches an edge of
    ``days``)."""
    out = []
    first: dt.date | None = None
    for i, day in enumerate(days):
        inside = (day in dates) == on
        if inside and first is None:
            first = day
        if first is not None and (not inside or i == len(days) - 1):
            last = day if inside else days[i - 1]
            out.append((first, last, first == days[0] or last == days[-1]))
            first = None
    return out


def _run_length(first: dt.date, last: dt.date) -> int:
    return (last - first).days + 1


def _known(ctx: Context) -> list[dt.date]:
    """The dates the minimum runs see: from ``known_from`` to the period's end."""
    return _dates(ctx.known_from, ctx.scenario.period.end)


def _judged_minimum(ctx: Context, run: Run) -> bool:
    """A run short of a minimum is the period's breach when it is not at an edge and holds a
    period date or ends the day before the period."""
    _, last, edge = run
    return not edge and last >= ctx.scenario.period.start - DAY


def check_nights(ctx: Context) -> list[Violation]:
    """netter: night shifts on at most max_consecutive_nights consecutive dates, carried nights
    before the period included."""
    limit = ctx.rules.max_consecutive_nights
    start = ctx.scenario.period.start
    out = []
    for doc in ctx.by_doctor:
        nights = sorted({s.date: s for s in ctx.with_before(doc) if s.night}.items())
        run: list[Shift | Earlier] = []
        for i, (day, s) in enumerate(nights):
            if run and day - run[-1].date != DAY:
                run = []
            run.append(s)
            ends_run = i + 1 == len(nights) or nights[i + 1][0] - day != DAY
            if ends_run and len(run) > limit and day >= start:
                first = run[0]
                extra = next(x for x in run[limit:] if not x.carried)
                out.append(Violation(
                    "netter",
                    f"{ctx.name(doc)}: nattevakt {len(run)} netter på rad {dmy(first.date)}–{dmy(day)}; "
                    f"maks {limit}.",
                    doc, extra.key, first.start, s.end, excess=len(run) - limit, run=True,
                ))
    return out


def check_night_blocks(ctx: Context) -> list[Violation]:
    """nattblokk: runs of night dates at least min_consecutive_nights long, unless at an edge."""
    need = ctx.rules.min_consecutive_nights
    out = []
    if need <= 1:
        return out
    days = _known(ctx)
    for d in ctx.scenario.doctors:
        nights = {s.date for s in ctx.with_before(d.id) if s.night}
        for first, last, edge in _runs(nights, days, True):
            if _judged_minimum(ctx, (first, last, edge)) and _run_length(first, last) < need:
                out.append(Violation(
                    "nattblokk",
                    f"{d.name}: {_run_length(first, last)} natt(er) {dmy(first)}–{dmy(last)}; "
                    f"netter kommer i blokker på minst {need}.",
                    d.id, None, instant(first, dt.time(0)), instant(last + DAY, dt.time(0)),
                    excess=_run_length(first, last) - need, run=True,
                ))
    return out


def check_work_runs(ctx: Context) -> list[Violation]:
    """dager-på-rad, min-dager-på-rad, fridager: runs of working dates (a shift starts that date,
    a carried one too) at most max_consecutive_days and, away from the edges, at least
    min_consecutive_days; runs of free dates, away from the edges, at least min_days_off."""
    r = ctx.rules
    period = ctx.scenario.period
    known = _known(ctx)
    out = []
    for d in ctx.scenario.doctors:
        longest = own_or_rule(d.max_consecutive_days, r.max_consecutive_days)
        shortest = own_or_rule(d.min_consecutive_days, r.min_consecutive_days) or 1
        rest = own_or_rule(d.min_days_off, r.min_days_off) or 1
        worked = {s.date for s in ctx.with_before(d.id)}
        if longest is not None:
            every = _dates(min([period.start, *worked]), period.end)
            for first, last, _ in _runs(worked, every, True):
                n = _run_length(first, last)
                if last >= period.start and n > longest:
                    out.append(Violation(
                        "dager-på-rad", f"{d.name}: vakt {n} dager på rad {dmy(first)}–{dmy(last)}; maks {longest}.",
                        d.id, None, instant(first, dt.time(0)), instant(last + DAY, dt.time(0)),
                        excess=n - longest, run=True,
                    ))
        for on, code, need in ((True, "min-dager-på-rad", shortest), (False, "fridager", rest)):
            if need <= 1:
                continue
            for run in _runs(worked, known, on):
                first, last, _ = run
                n = _run_length(first, last)
                if _judged_minimum(ctx, run) and n < need:
                    out.append(_minimum_violation(d.name, d.id, code, first, last, need))
    return out


def _minimum_violation(name: str, doctor: str, code: str, first: dt.date, last: dt.date, need: int) -> Violation:
    n = _run_length(first, last)
    if code == "fridager":
        text = f"{name}: bare {n} fridag(er) {dmy(first)}–{dmy(last)} mellom vakter; minst {need}."
    else:
        text = f"{name}: bare {n} dag(er) på rad med vakt {dmy(first)}–{dmy(last)}; minst {need}."
    return Violation(code, text, doctor, None, instant(first, dt.time(0)), instant(last + DAY, dt.time(0)),
                     excess=n - need, run=True)
