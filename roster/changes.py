"""The change file of a re-plan: what happened since the roster was published.

A small YAML/JSON file the manager writes when a doctor calls in sick:

    now: 2026-12-04T14:00          # the moment of re-planning (Oslo time); earlier shifts are history
    absences:                      # same shape as the scenario's absences
      - {doctor: kari, start: 2026-12-05, end: 2026-12-06, kind: sykdom}
    leaving:                       # a doctor who stops taking shifts from a date
      - {doctor: per, from: 2026-12-20}
    pins:                          # manual edits: this doctor takes this shift
      - {doctor: ola, date: 2026-12-07, template: BLV-natt}
    demand_changes:                # other staffing on one date (same shape as the scenario's)
      - {template: BLV-kveld, date: 2026-12-31, demand_min: 3, demand_max: 3}

A demand change replaces the scenario's own change for that shift, if it has one; the shift keeps
its key, so the published roster still refers to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, ValidationError

from roster.calendar import OSLO, ShiftIndex
from roster.eligibility import Eligibility, absence_interval
from roster.input_errors import InputError, validation_problems
from roster.models import Absence, AbsenceKind, DemandChange, Id, Model, Moment, Pin, Roster, Scenario, shift_key
from roster.references import absence_period_problems
from roster.scenario_io import read_data


class Leaving(Model):
    """A doctor who takes no shifts from ``from`` (inclusive) to the end of the period."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    doctor: Id
    from_: dt.date = Field(alias="from")


class Changes(Model):
    now: Moment | None = Field(None, description="the moment of re-planning; naive means Oslo time")
    absences: list[Absence] = Field(default_factory=list)
    leaving: list[Leaving] = Field(default_factory=list)
    pins: list[Pin] = Field(default_factory=list)
    demand_changes: list[DemandChange] = Field(default_factory=list)

    def moment(self, override: dt.datetime | None = None) -> dt.datetime:
        """The timezone-aware moment of re-planning: ``override`` (the caller's), else ``now`` in
        the file, else the clock."""
        t = override or self.now or dt.datetime.now(OSLO)
        return t if t.tzinfo else t.replace(tzinfo=OSLO)

    def involved(self) -> frozenset[str]:
        """Doctors the change file names: moving their shifts is expected, not a side effect."""
        return frozenset(x.doctor for x in [*self.absences, *self.leaving, *self.pins])


def changes_from_data(data: Any, source: str = "") -> Changes:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(["(rot): ventet et objekt med now, absences, leaving, pins og demand_changes"], source)
    try:
        return Changes.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), source) from None


def load_changes(path: str | Path) -> Changes:
    """A change file (.json, .yaml or .yml)."""
    p = Path(path)
    return changes_from_data(read_data(p), str(p))


def change_problems(scenario: Scenario, changes: Changes) -> list[str]:
    """References the scenario cannot resolve, with the path in the change file."""
    doctors = {d.id for d in scenario.doctors}
    templates = {t.id for t in scenario.templates}
    period = scenario.period
    problems: list[str] = []
    for field, items in (("absences", changes.absences), ("leaving", changes.leaving), ("pins", changes.pins)):
        for i, item in enumerate(items):
            if item.doctor not in doctors:
                problems.append(f"{field}[{i}].doctor: lege «{item.doctor}» finnes ikke")
    for field, items in (("pins", changes.pins), ("demand_changes", changes.demand_changes)):
        for i, item in enumerate(items):
            if item.template not in templates:
                problems.append(f"{field}[{i}].template: ukjent vakttype «{item.template}»")
            if item.date not in period:
                problems.append(f"{field}[{i}].date: {item.date:%d.%m.%Y} er utenfor perioden "
                                f"{period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}")
    problems += absence_period_problems([a.model_dump() for a in changes.absences], period.start, period.end)
    templates_by_id = {t.id: t for t in scenario.templates}
    calendar = scenario.holiday_calendar()
    seen: set[tuple[str, dt.date]] = set()
    for i, c in enumerate(changes.demand_changes):
        template = templates_by_id.get(c.template)
        if template is not None and c.date in period and not template.runs_on(c.date, calendar.day_type(c.date)):
            problems.append(f"demand_changes[{i}].date: vakttypen «{c.template}» går ikke {c.date:%d.%m.%Y}")
        if (c.template, c.date) in seen:
            problems.append(f"demand_changes[{i}].template: {c.template} {c.date:%d.%m.%Y} er endret to ganger")
        seen.add((c.template, c.date))
    for i, leave in enumerate(changes.leaving):
        if leave.from_ > period.end:
            problems.append(f"leaving[{i}].from: {leave.from_:%d.%m.%Y} er etter slutten av perioden "
                            f"{period.end:%d.%m.%Y}")
    return problems


def published_problems(scenario: Scenario, index: ShiftIndex, published: Roster) -> list[str]:
    """What a published roster names that the scenario (``index`` its shifts) does not hold, or
    holds twice: a re-plan compares against it assignment by assignment, so each must be a shift
    of the scenario."""
    doctors = {d.id for d in scenario.doctors}
    shifts = index.by_key
    templates = {t.id for t in scenario.templates}
    problems, seen = [], set()
    for i, a in enumerate(published.assignments):
        if a.doctor not in doctors:
            problems.append(f"assignments[{i}].doctor: lege «{a.doctor}» finnes ikke i scenarioet")
        if a.template not in templates:
            problems.append(f"assignments[{i}].template: ukjent vakttype «{a.template}»")
        elif a.shift not in shifts:
            problems.append(f"assignments[{i}].date: vakttypen «{a.template}» går ikke {a.date:%d.%m.%Y} i perioden")
        if (a.doctor, a.shift) in seen:
            problems.append(f"assignments[{i}]: {a.doctor} står på {a.template} {a.date:%d.%m.%Y} mer enn én gang")
        seen.add((a.doctor, a.shift))
    return problems


def past_pin_problems(index: ShiftIndex, published: Roster, changes: Changes, now: dt.datetime) -> list[str]:
    """A new pin on a shift (of ``index``) that began before the re-plan's moment: what has begun
    stays as published, so such a pin could only make the re-plan impossible."""
    shifts = index.by_key
    held = {(a.doctor, a.shift) for a in published.assignments}
    problems = []
    for i, p in enumerate(changes.pins):
        key = shift_key(p.template, p.date)
        s = shifts.get(key)
        if s is not None and s.start < now and (p.doctor, key) not in held:
            problems.append(f"pins[{i}]: vakten {p.template} {p.date:%d.%m.%Y} begynte "
                            f"{s.start.astimezone(OSLO):%d.%m.%Y %H:%M}, før omplanleggingen "
                            f"({now.astimezone(OSLO):%d.%m.%Y %H:%M}); det som er begynt, står som publisert")
    return problems


def apply_changes(scenario: Scenario, changes: Changes, source: str = "", now: dt.datetime | None = None,
                  on_duty_until: Mapping[str, dt.datetime] | None = None) -> Scenario:
    """The scenario with the change file's absences, departures, pins and demand changes added (a
    departure is an absence to the end of the period), each absence cut to begin at ``now`` when
    given, or at the end of the shift its doctor is on at ``now`` (``on_duty_until``: a shift
    under way stays as published). Raises InputError for references the scenario lacks, or a
    demand change for a shift that does not run that date."""
    problems = change_problems(scenario, changes)
    if problems:
        raise InputError(problems, source)
    added = reported_absences(scenario, changes)
    if now is not None:
        since = on_duty_until or {}
        added = [a for a in (_from(a, max(now, since.get(a.doctor, now))) for a in added) if a is not None]
    replaced = {(c.template, c.date) for c in changes.demand_changes}
    changed = scenario.model_copy(update={
        "absences": [*scenario.absences, *added],
        "demand_changes": [
            *(c for c in scenario.demand_changes if (c.template, c.date) not in replaced),
            *changes.demand_changes,
        ],
    })
    return changed.model_copy(update={"pins": [*_pins_kept(scenario, changed, changes), *changes.pins]})


def reported_absences(scenario: Scenario, changes: Changes) -> list[Absence]:
    """The change file's absences and its departures as absences to the end of the period, uncut."""
    leaving = [
        Absence(doctor=x.doctor, start=max(x.from_, scenario.period.start), end=scenario.period.end,
                kind=AbsenceKind.OTHER, note="slutter")
        for x in changes.leaving
    ]
    return [*changes.absences, *leaving]


def _from(absence: Absence, now: dt.datetime) -> Absence | None:
    """The part of ``absence`` from ``now`` on (None if it has ended). What began before the
    re-plan is worked as published: an absence reaching back (sick since yesterday, typed at
    06:00) took yesterday's finished shifts from their doctor and gave them to a colleague, and a
    night under way at 06:00 went whole, 23:00–08:00, to a colleague who was not there."""
    start, end = absence_interval(absence)
    if end <= now:
        return None
    if start >= now:
        return absence
    return absence.model_copy(update={"start": now.astimezone(OSLO).replace(tzinfo=None),
                                      "end": end.astimezone(OSLO).replace(tzinfo=None)})


def _pins_kept(scenario: Scenario, changed: Scenario, changes: Changes) -> list[Pin]:
    """The scenario's pins, less those of a doctor the change keeps off the pinned shift (ill, or
    gone): the illness overrides the pin, and the re-plan fills the shift as it does any other
    shift the doctor can no longer take. Kept as before otherwise, so a pin that was impossible
    already is still refused by name. (A pinned doctor falling ill made the whole re-plan
    infeasible: 2 of 3 Bergen months in benchmarks/replan.py.)"""
    away = {x.doctor for x in [*changes.absences, *changes.leaving]}
    if not any(p.doctor in away for p in scenario.pins):
        return list(scenario.pins)
    shifts = ShiftIndex(changed).by_key
    before, after = Eligibility(scenario), Eligibility(changed)
    doctors = {d.id: d for d in scenario.doctors}

    def still_possible(p: Pin) -> bool:
        s = shifts.get(shift_key(p.template, p.date))
        if p.doctor not in away or s is None:
            return True
        d = doctors[p.doctor]
        return after.may_work(d, s) or not before.may_work(d, s)

    return [p for p in scenario.pins if still_possible(p)]
