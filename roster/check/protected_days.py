"""Days that need the night before free (mirrors ``solver.protected_days``): veiledningsdag,
praksisdag."""

from __future__ import annotations

from collections import defaultdict

from roster.check.context import Context, Violation
from roster.check.times import DAY, dmy
from roster.models import DayType

WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def check_supervision_eve(ctx: Context) -> list[Violation]:
    """veiledningsdag: no night shift of the period on the date before one of the doctor's
    supervision days."""
    days = defaultdict(set)
    for s in ctx.scenario.supervision_days:
        days[s.doctor].add(s.date)
    return [
        Violation(
            "veiledningsdag",
            f"{d.name} har {s.text}, natten før veiledningsdagen {dmy(s.date + DAY)}.",
            d.id, s.key, s.start, s.end,
        )
        for d, s in ctx.assignments()
        if s.night and s.date + DAY in days.get(d.id, ())
    ]


def check_practice_eve(ctx: Context) -> list[Violation]:
    """praksisdag: while no_night_before_practice_day is on, no on-site night shift on the date
    before one of the GP's practice days (a weekday in practice_days that is no holiday)."""
    if not ctx.rules.no_night_before_practice_day:
        return []
    out = []
    for d, s in ctx.assignments():
        after = s.date + DAY
        practice = {w.value for w in d.practice_days}
        if s.on_site and s.night and WEEKDAYS[after.weekday()] in practice and ctx.day_types(after) != DayType.HOLIDAY:
            out.append(Violation(
                "praksisdag",
                f"{d.name} har {s.text}, natten før praksisdagen {WEEKDAYS[after.weekday()]} {dmy(after)}.",
                d.id, s.key, s.start, s.end,
            ))
    return out
