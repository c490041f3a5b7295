"""What one period hands the next (``history_out.json``): the burden history, the shifts of the
last days (so the rules that look back see across the first of the month) and the holiday ledger
(who worked Christmas, New Year and Easter).

The file holds these under the names of the scenario's own fields (``history``, ``carry_in_from``,
``carry_in``, ``holiday_ledger``), so ``roster carry`` — or a manager by hand — puts them into
next period's scenario unchanged; the workbook has the same as «… ut» sheets to paste. The file
also names the last day of its period (``period_end``), so it is refused in any period but the next.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from roster.calendar import OSLO, ShiftIndex
from roster.days import rotation_holiday
from roster.metrics import history_out
from roster.models import CarriedShift, HolidayWork, Roster, Scenario
from roster.workload import is_night, lookback_days

LEDGER_YEARS_KEPT = 5  # the rotation reads last year; the report shows a few more
CARRIED_FIELDS = ("history", "carry_in_from", "carry_in", "holiday_ledger")
PERIOD_END = "period_end"  # beside them in history_out.json: the last day of the period it comes from


def carried_out(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> tuple[dt.date, list[CarriedShift]]:
    """The first date the next period's rules look back to (``lookback_days`` before its start),
    and every shift from then on: this roster's, and carried ones when the period is shorter than
    the look-back. The date is where the list is complete."""
    index = index or ShiftIndex(scenario)
    period = scenario.period
    since = max(period.end + dt.timedelta(days=1 - lookback_days(scenario)), scenario.carry_in_from or period.start)
    out = [c for c in scenario.carry_in if _oslo(c.start).date() >= since]
    for a in sorted(roster.assignments, key=lambda a: (a.date, a.template, a.doctor)):
        s = index.by_key.get(a.shift)
        if s is None or s.date < since:
            continue
        out.append(CarriedShift(doctor=a.doctor, start=s.start.astimezone(OSLO), end=s.end.astimezone(OSLO),
                                label=s.label, duty=s.duty, station=s.station, night=is_night(s),
                                template=s.template))
    return since, out


def _oslo(moment: dt.datetime) -> dt.datetime:
    """Naive moments in a scenario are Oslo wall-clock time."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=OSLO)).astimezone(OSLO)


def ledger_out(scenario: Scenario, roster: Roster) -> list[HolidayWork]:
    """The holiday ledger with this roster's Christmas, New Year and Easter shifts added (by the
    date a shift starts), keeping the last ``LEDGER_YEARS_KEPT`` years."""
    oldest = scenario.period.end.year - LEDGER_YEARS_KEPT
    kept = [h for h in scenario.holiday_ledger if h.date.year > oldest]
    added = sorted({(a.doctor, a.date) for a in roster.assignments if rotation_holiday(a.date) is not None},
                   key=lambda x: (x[1], x[0]))
    known = {(h.doctor, h.date) for h in kept}
    return kept + [HolidayWork(doctor=d, date=day) for d, day in added if (d, day) not in known]


def next_period(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> dict[str, Any]:
    """The contents of ``history_out.json``: the carried scenario fields, JSON-ready."""
    index = index or ShiftIndex(scenario)
    since, shifts = carried_out(scenario, roster, index)
    return {
        "history": [h.model_dump(mode="json") for h in history_out(scenario, roster, index)],
        "carry_in_from": since.isoformat(),
        "carry_in": [c.model_dump(mode="json") for c in shifts],
        "holiday_ledger": [h.model_dump(mode="json") for h in ledger_out(scenario, roster)],
    }


def of_doctors(fields: dict[str, Any], scenario: Scenario) -> tuple[dict[str, Any], list[str]]:
    """The carried fields of the scenario's own doctors, and the ids left out: a doctor who left
    between the months (or whose id changed) is no error in the next month's scenario, but is told."""
    known = {d.id for d in scenario.doctors}

    def gone(x: Any) -> bool:
        return isinstance(x, dict) and isinstance(x.get("doctor"), str) and x["doctor"] not in known

    out, left = dict(fields), set()
    for key in ("history", "carry_in", "holiday_ledger"):
        if isinstance(fields.get(key), list):
            left.update(x["doctor"] for x in fields[key] if gone(x))
            out[key] = [x for x in fields[key] if not gone(x)]
    return out, sorted(left)


def carried_fields(data: Any, start: dt.date) -> dict[str, Any]:
    """The carried fields of a ``history_out.json`` for a period that begins ``start``; a bare list
    (written before the shifts and the ledger were carried) is the history alone. A file that says
    which period it comes from (``period_end``) fits only the period right after it: in another, its
    last days' shifts would stand for a month it never saw, or fall inside the period."""
    if isinstance(data, list):
        return {"history": data}
    if not isinstance(data, dict) or not set(data) <= {*CARRIED_FIELDS, PERIOD_END}:
        unknown = sorted(set(data) - {*CARRIED_FIELDS, PERIOD_END}) if isinstance(data, dict) else []
        raise ValueError("(rot): " + ("ukjente felt: " + ", ".join(unknown) if unknown else
                                      "ventet et objekt med history, carry_in_from, carry_in og holiday_ledger"))
    fields = dict(data)
    end = fields.pop(PERIOD_END, None)
    if end is not None:
        try:
            end = dt.date.fromisoformat(end)
        except (TypeError, ValueError):
            raise ValueError(f"{PERIOD_END}: ventet en dato (ÅÅÅÅ-MM-DD), fikk «{end}»") from None
        if end + dt.timedelta(days=1) != start:
            raise ValueError(f"{PERIOD_END}: filen er fra perioden som slutter {end:%d.%m.%Y} og kan bare føres inn "
                             f"i perioden som begynner {end + dt.timedelta(days=1):%d.%m.%Y}; dette scenarioet "
                             f"begynner {start:%d.%m.%Y}")
    return fields
