"""A Curtois & Qu instance as a legevakt ``Scenario``, so the benchmark runs the product's own model.

Every rule of the benchmark lands on a constraint family the legevakt rosters use too:

| benchmark | scenario |
|---|---|
| day *d* (day 0 a Monday) | date ``START + d`` |
| shift type T, length L | template T at one station, label T, 08:00 + L (no clock times are given; a common start makes two shifts on one day overlap, which is the benchmark's one-shift-a-day rule) |
| cover requirement R on (d, T), under/over weights | a demand change (demand_min R) with the `open_slot` and `surplus` weights |
| T blocks U the next day | `rules.forbidden_successions` (T, U) |
| MaxShifts T=n (0 forbids) | `max_shifts_by_label` |
| Min/MaxTotalMinutes | `min_hours` / `max_hours` |
| Max/MinConsecutiveShifts, MinConsecutiveDaysOff | `max_consecutive_days`, `min_consecutive_days`, `min_days_off` (edge runs exempt, as in the benchmark) |
| MaxWeekends | `max_weekends` (Saturday or Sunday worked) |
| days off | whole-day absences |
| shift on/off requests | wishes for/against that template on that date |

What legevakt adds and the benchmark lacks is switched off: rest hours 0, no weekly windows, no
required courses, no bakvakt (no on-call template), no burden categories (``counts_as`` empty), and
fairness, spacing and station preference weigh 0. With `open_slot` = the under weight, `surplus` =
the over weight and `wish` = 1, the model's objective is the benchmark's objective.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from roster.models import MAX_DEMAND, Scenario

from .instance import Instance

START = dt.date(2024, 1, 1)  # a Monday; 08:00 + at most 12 h never meets a daylight-saving change
SHIFT_START = dt.time(8, 0)
STATION = "C"


def day_date(day: int) -> dt.date:
    return START + dt.timedelta(days=day)


def date_day(date: dt.date) -> int:
    return (date - START).days


def _end(minutes: int) -> str:
    end = dt.datetime.combine(START, SHIFT_START) + dt.timedelta(minutes=minutes)
    if end.date() != START:
        raise ValueError(f"a shift of {minutes} minutes from 08:00 crosses midnight; the adapter assumes it does not")
    return f"{end:%H:%M}"


def _ranges(days: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive days merged into (first, last) ranges."""
    out: list[tuple[int, int]] = []
    for d in sorted(days):
        if out and d == out[-1][1] + 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _weights(instance: Instance) -> tuple[int, int]:
    """The under and over weights; the model prices them per term, so they must be the same on
    every cover line (they are 100 and 1 on all 24 published instances)."""
    weights = {(c.weight_under, c.weight_over) for c in instance.cover}
    if len(weights) != 1:
        raise ValueError(f"{instance.name}: cover weights differ between lines ({sorted(weights)}); not supported")
    return weights.pop()


def to_scenario(instance: Instance) -> Scenario:
    under, over = _weights(instance)
    # The benchmark puts no cap on a shift's staff; the scenario's is at most MAX_DEMAND (100).
    # Only instance 24 (150 staff) has more, and there 100 on one shift type on one day would cost
    # ≥ 90 over-cover units on a line that asks for at most a few: never a roster worth having.
    most = min(len(instance.staff), MAX_DEMAND)
    horizon = instance.horizon
    templates = [
        {"id": t.id, "station": STATION, "label": t.id, "start": f"{SHIFT_START:%H:%M}", "end": _end(t.minutes),
         "day_types": ["hverdag", "lørdag", "søndag", "helligdag"], "demand_min": 0, "demand_max": most,
         "min_qualified": 0, "counts_as": []}
        for t in instance.shifts.values()
    ]
    doctors = [
        {"id": s.id, "name": s.id, "role": "annen", "competence": {"qualified": True},
         "max_shifts_by_label": {t: n for t, n in s.max_shifts.items() if n < horizon},
         "min_hours": s.min_minutes / 60, "max_hours": s.max_minutes / 60,
         "max_consecutive_days": s.max_consecutive, "min_consecutive_days": s.min_consecutive,
         "min_days_off": s.min_days_off, "max_weekends": s.max_weekends}
        for s in instance.staff.values()
    ]
    absences = [
        {"doctor": staff, "start": day_date(a).isoformat(), "end": day_date(b).isoformat(), "kind": "annet",
         "note": "fridag"}
        for staff, days in instance.days_off.items() for a, b in _ranges(days)
    ]
    wishes = [
        {"doctor": r.staff, "date": day_date(r.day).isoformat(), "template": r.shift, "wants": wants, "weight": r.weight}
        for wants, requests in ((True, instance.on_requests), (False, instance.off_requests)) for r in requests
    ]
    demand_changes = [
        {"template": c.shift, "date": day_date(c.day).isoformat(), "demand_min": c.requirement}
        for c in instance.cover if c.requirement > 0
    ]
    quiet = {"uncovered_bakvakt_hour": 0, "participation": 0, "max_deviation": 0, "sum_deviation": 0,
             "category_balance": 0, "spacing": 0, "preferred_station": 0}
    rules = {
        "legal_floor_override": "Curtois & Qu-benchmark, ikke en legevakt: hviletiden ligger i instansens regler",
        "rest_hours_self_employed": 0, "rest_hours_employee": 0, "specialist_bakvakt": False, "required_courses": [],
        "weekly_rest_hours_employee": 0, "max_shifts_per_7_days": None, "doctor_around_the_clock": False,
        "max_hours_per_7_days": None, "max_consecutive_nights": horizon,
        "forbidden_successions": [{"first": t.id, "then": b} for t in instance.shifts.values() for b in sorted(t.blocked)],
        "weights": {**quiet, "open_slot": under, "surplus": over, "wish": 1},
        "fairness": {"overstaffing": "alle", "min_shifts": {}},
    }
    return Scenario.model_validate({
        "name": instance.name,
        "period": {"start": START.isoformat(), "end": day_date(horizon - 1).isoformat()},
        "rules": rules,
        "stations": [{"id": STATION, "name": f"Curtois {instance.name}", "kind": "legevakt"}],
        "templates": templates,
        "doctors": doctors,
        "absences": absences,
        "wishes": wishes,
        "demand_changes": demand_changes,
    })


def assignments(roster_assignments: Iterable) -> list[tuple[str, int, str]]:
    """A roster's assignments as the benchmark's (staff, day, shift) triples."""
    return [(a.doctor, date_day(a.date), a.template) for a in roster_assignments]
