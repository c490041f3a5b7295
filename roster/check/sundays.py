"""Sunday and holiday work of employees (mirrors ``solver.sundays``): søndagsfri."""

from __future__ import annotations

import datetime as dt

from roster.check.context import Context, Earlier, Shift, Violation
from roster.check.rest import work_shifts
from roster.check.times import DAY, dmy, instant
from roster.models import DayType, Employment


def _protected(ctx: Context, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A Sunday or helgedag's protected hours (aml §10-10 (1)): from 18:00 the day before (15:00
    on Christmas, Easter and Pentecost eve) to 22:00 on the day, as the rules set them."""
    eve = day - DAY
    start = ctx.rules.heavy_eve_start if eve in ctx.day_types.early_eves else ctx.rules.sunday_type_start
    return instant(eve, start), instant(day, ctx.rules.sunday_type_end)


def check_sunday_off(ctx: Context) -> list[Violation]:
    """søndagsfri: an employee who works a Sunday or helgedag has the next one off (aml §10-10),
    while sunday_off_after_sunday_work is on. A shift works the first of them whose protected hours
    it overlaps (a Saturday night 23–08 works the Sunday); a carried one too."""
    if not ctx.rules.sunday_off_after_sunday_work:
        return []
    p = ctx.scenario.period
    n = (p.end - p.start).days + 10
    sundays = [day for day in (p.start - 8 * DAY + i * DAY for i in range(n)) if ctx.day_types.sunday_rest(day)]
    windows = [(day, *_protected(ctx, day)) for day in sundays]
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        if d.employment != Employment.EMPLOYEE:
            continue
        worked: dict[dt.date, Shift | Earlier] = {}
        for s in work_shifts(ctx, doc):
            day = next((day for day, start, end in windows if s.start < end and start < s.end), None)
            if day is not None and (day not in worked or worked[day].carried):
                worked[day] = s  # a shift of the period rather than a carried one: it is the one judged
        for a, b in zip(sundays, sundays[1:]):
            if a in worked and b in worked and not (worked[a].carried and worked[b].carried):
                later = worked[b] if not worked[b].carried else worked[a]
                out.append(Violation(
                    "søndagsfri",
                    f"{d.name} (ansatt) har vakt {_day_word(ctx, a)} {dmy(a)} ({worked[a].text}) og "
                    f"{_day_word(ctx, b)} {dmy(b)} ({worked[b].text}); den neste søn- eller helligdagen skal være fri.",
                    doc, later.key, later.start, later.end,
                ))
    return out


def _day_word(ctx: Context, day: dt.date) -> str:
    return "helligdag" if ctx.day_types(day) == DayType.HOLIDAY else "søndag"
