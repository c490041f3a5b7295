"""Sunday and holiday work of employees (mirrors ``solver.sundays``): søndagsfri."""

from __future__ import annotations

import datetime as dt

from roster.check.context import Context, Earlier, Shift, Violation
from roster.check.rest import work_shifts
from roster.check.times import DAY, dmy
from roster.models import DayType, Employment


def check_sunday_off(ctx: Context) -> list[Violation]:
    """søndagsfri: an employee who works a Sunday or holiday (a work shift starts that date, a
    carried one too) has the next Sunday or holiday off (aml §10-10), while
    sunday_off_after_sunday_work is on."""
    if not ctx.rules.sunday_off_after_sunday_work:
        return []
    p = ctx.scenario.period
    n = (p.end - p.start).days + 9
    sundays = [day for day in (p.start - 8 * DAY + i * DAY for i in range(n)) if ctx.day_types.sunday_type(day)]
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        if d.employment != Employment.EMPLOYEE:
            continue
        worked: dict[dt.date, Shift | Earlier] = {}
        for s in work_shifts(ctx, doc):
            worked.setdefault(s.date, s)
        for a, b in zip(sundays, sundays[1:]):
            if a in worked and b in worked and not worked[b].carried:
                later = worked[b]
                out.append(Violation(
                    "søndagsfri",
                    f"{d.name} (ansatt) har vakt {_day_word(ctx, a)} {dmy(a)} ({worked[a].text}) og "
                    f"{_day_word(ctx, b)} {dmy(b)} ({later.text}); den neste søn- eller helligdagen skal være fri.",
                    doc, later.key, later.start, later.end,
                ))
    return out


def _day_word(ctx: Context, day: dt.date) -> str:
    return "helligdag" if ctx.day_types(day) == DayType.HOLIDAY else "søndag"
