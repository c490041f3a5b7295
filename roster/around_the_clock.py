"""Akuttmedisinforskriften §6c: at least one doctor must be available around the clock (domain.md
"Competence").

The product cannot make a doctor available where the scenario has no shift, and a municipality may
plan only part of its legevakt here (nights covered by a neighbour's), so the hours no shift with a
doctor covers are named as a notice on every roster and in the precheck, not enforced. Hours left
open by unfilled places are already reported as such.
"""

from __future__ import annotations

import datetime as dt

from roster.calendar import OSLO, UTC, ShiftIndex, local
from roster.terms import count

SHOWN = 3  # intervals named in the notice; the rest are counted


def hours_without_a_doctor(index: ShiftIndex) -> list[tuple[dt.datetime, dt.datetime]]:
    """The period's intervals (Oslo time) in which no shift asking for a doctor runs, on site or on
    call, from its first such shift (the small hours of its first day are the last period's night)
    to the end of its last day."""
    period = index.scenario.period
    shifts = sorted((s for s in index.shifts if s.demand_min > 0), key=lambda s: s.start_utc)
    end = local(period.end + dt.timedelta(days=1), dt.time(0)).astimezone(UTC)
    cursor = shifts[0].start_utc if shifts else local(period.start, dt.time(0)).astimezone(UTC)
    gaps = []
    for s in shifts:
        if s.start_utc > cursor and cursor < end:
            gaps.append((cursor, min(s.start_utc, end)))
        cursor = max(cursor, s.end_utc)
    if cursor < end:
        gaps.append((cursor, end))
    return [(a.astimezone(OSLO), b.astimezone(OSLO)) for a, b in gaps]


def around_the_clock_notice(index: ShiftIndex) -> str | None:
    """The Norwegian notice of the hours without a doctor, or None (none, or the rule is off)."""
    if not index.scenario.rules.doctor_around_the_clock:
        return None
    gaps = hours_without_a_doctor(index)
    if not gaps:
        return None
    shown = ", ".join(f"{a:%d.%m %H:%M}–{b:%d.%m %H:%M}" for a, b in gaps[:SHOWN])
    more = f" og {count(len(gaps) - SHOWN, 'tidsrom', 'tidsrom')} til" if len(gaps) > SHOWN else ""
    return (f"Ingen vakt med lege dekker {count(len(gaps), 'tidsrom', 'tidsrom')} ({shown}{more}): "
            "akuttmedisinforskriften §6c krever at minst én lege er tilgjengelig hele døgnet. Sørg for at noen "
            "dekker disse timene (f.eks. en nabolegevakt), eller legg til en vakttype; er det avtalt, slå av "
            "«Lege tilgjengelig hele døgnet» i reglene.")
