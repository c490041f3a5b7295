"""Minimal-change re-planning: repair a published roster after sick leave or a departure.

The published roster is both the warm start (so the first roster is found in a moment) and the
baseline of the objective (solver.context.Baseline): open slots still come first, then the number
of changed assignments — weighted up within 48 hours and for doctors the change file does not
name — and only then fairness. Shifts that started before ``now`` stay as published (one under way
keeps its doctor even when the change reports them away: the absence counts from its end); in the
first, near re-plan so do the shifts far from the change.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from roster.calendar import OSLO, ShiftIndex, ShiftInstance
from roster.changes import Changes, apply_changes, past_pin_problems, published_problems, reported_absences
from roster.eligibility import Eligibility, absence_interval
from roster.input_errors import InputError
from roster.models import Assignment, ProgressEvent, Roster, Scenario
from roster.terms import count
from roster.workload import work_hours
from solver.context import Baseline, roster_pairs
from solver.solve import solve

# A re-plan first lets only the dates near the change move (a sick night is covered by the nights
# and evenings around it), which gives a repaired roster in seconds; then every date may move,
# starting from that repair, for the rest of the time (a cheaper change may lie further away).
NEAR_DAYS = 3


@dataclass(frozen=True)
class ReplanResult:
    scenario: Scenario  # the scenario with the changes applied: the new roster belongs to it
    roster: Roster
    added: list[Assignment]  # in the new roster, not in the published one
    removed: list[Assignment]  # in the published roster, not in the new one
    forced: list[Assignment]  # of ``removed``: the doctor may no longer work the shift
    # published shifts under way at the re-plan whose doctor the change reports away: they stay, and
    # the absence counts from their end (a shift cannot be handed over halfway)
    under_way: list[Assignment] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.removed)


def _near(scenario: Scenario, changes: Changes, dropped: list[Assignment]) -> frozenset[dt.date]:
    """The dates within ``NEAR_DAYS`` of what the change touches: the shifts a doctor lost, the
    pinned shifts and the changed demands. Far from those, the published roster stands."""
    touched = {a.date for a in dropped} | {p.date for p in changes.pins} | {c.date for c in changes.demand_changes}
    period = scenario.period
    return frozenset(
        day for t in touched for k in range(-NEAR_DAYS, NEAR_DAYS + 1)
        if (day := t + dt.timedelta(days=k)) in period
    )


def _relieved(scenario: Scenario, lost: list[Assignment], shifts: dict[str, ShiftInstance]) -> Scenario:
    """The scenario with each doctor's agreed minimums (``min_shifts``, ``min_hours``) lowered by
    the published shifts the change takes from them: sick leave relieves the shifts it takes, it
    does not add others to make up for them. Held at the minimum, a sick employee's re-plan gave
    them the next night instead, or found no roster in 10 s (benchmarks/replan.py, Bergen)."""
    taken: dict[str, list[ShiftInstance]] = {}
    for a in lost:
        if a.shift in shifts:
            taken.setdefault(a.doctor, []).append(shifts[a.shift])
    if not taken:
        return scenario
    rules = scenario.rules
    doctors = [
        d.model_copy(update={
            "min_shifts": max(0, d.min_shifts - len(taken[d.id])),
            "min_hours": max(0.0, d.min_hours - sum(work_hours(rules, s) for s in taken[d.id])),
        }) if d.id in taken else d
        for d in scenario.doctors
    ]
    return scenario.model_copy(update={"doctors": doctors})


def _under_way(scenario: Scenario, index: ShiftIndex, published: Roster, changes: Changes,
               now: dt.datetime) -> dict[Assignment, ShiftInstance]:
    """The published shifts under way at ``now`` whose doctor the change reports away before they
    end: they stay with their doctor, who is away from the shift's end."""
    away: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for absence in reported_absences(scenario, changes):
        away.setdefault(absence.doctor, []).append(absence_interval(absence))
    running = {}
    for a in published.assignments:
        s = index.by_key.get(a.shift)
        if a.doctor in away and s is not None and s.start < now < s.end \
                and any(start < s.end and now < end for start, end in away[a.doctor]):
            running[a] = s
    return running


def _under_way_note(scenario: Scenario, a: Assignment, s: ShiftInstance) -> str:
    name = next((d.name for d in scenario.doctors if d.id == a.doctor), a.doctor)
    return (f"{name} har {shift_text(scenario, s)}, som var begynt ved omplanleggingen: vakten står som publisert, "
            f"og fraværet regnes fra {s.end.astimezone(OSLO):%d.%m %H:%M}; skaff avløsning for resten av vakten "
            "om legen ikke kan fullføre den")


def _order(a: Assignment) -> tuple[dt.date, str, str]:
    return a.date, a.template, a.doctor


def replan(
    scenario: Scenario,
    published: Roster,
    changes: Changes,
    *,
    time_limit: float = 30.0,
    workers: int | None = None,
    seed: int = 0,
    now: dt.datetime | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    stop: threading.Event | None = None,
    roster_source: str = "publisert vaktplan",
    changes_source: str = "",
) -> ReplanResult:
    """Repair ``published`` for ``changes`` with as few changed assignments as the rules allow.

    ``now`` (else the change file's ``now``, else the clock) is the moment of re-planning. Raises
    roster.input_errors.InputError, naming ``roster_source`` or ``changes_source`` (a file, say),
    when the change file names unknown doctors or shifts or pins a shift that has begun, or the
    published roster names what the scenario does not hold.
    """
    published_index = ShiftIndex(scenario)
    if problems := published_problems(scenario, published_index, published):
        raise InputError(problems, roster_source)
    if problems := past_pin_problems(published_index, published, changes, changes.moment(now)):
        raise InputError(problems, changes_source)
    under_way = _under_way(scenario, published_index, published, changes, changes.moment(now))
    on_duty_until: dict[str, dt.datetime] = {}
    for a, s in under_way.items():
        on_duty_until[a.doctor] = max(s.end, on_duty_until.get(a.doctor, s.end))
    changed = apply_changes(scenario, changes, changes_source, changes.moment(now), on_duty_until)
    index = ShiftIndex(changed)
    eligibility = Eligibility(changed)
    shifts = {s.key: s for s in index.shifts}
    doctors = {d.id: d for d in changed.doctors}

    def still_allowed(a: Assignment) -> bool:
        s, d = shifts.get(a.shift), doctors.get(a.doctor)
        return s is not None and d is not None and eligibility.may_work(d, s)

    keep = [a for a in published.assignments if still_allowed(a)]
    kept = set(keep)
    lost = [a for a in published.assignments if a not in kept]
    changed = _relieved(changed, lost, shifts)
    baseline = Baseline(
        assignments=frozenset(roster_pairs(published)),
        now=changes.moment(now),
        involved=changes.involved(),
    )
    hint = published.model_copy(update={"assignments": keep})
    near = _near(changed, changes, lost)
    roster = solve(changed, time_limit=time_limit, workers=workers, seed=seed, on_progress=on_progress, stop=stop,
                   hint=hint, baseline=replace(baseline, free=near))
    if not roster.assignments:  # no roster found: nothing to compare
        return ReplanResult(changed, roster, [], [], [])
    if under_way:  # the manager's to settle by phone: the roster cannot hand a shift over halfway
        notes = [_under_way_note(changed, a, under_way[a]) for a in sorted(under_way, key=_order)]
        roster = roster.model_copy(update={"warnings": [*roster.warnings, *notes]})
    before, after = set(published.assignments), set(roster.assignments)
    removed = sorted(before - after, key=_order)
    return ReplanResult(
        scenario=changed,
        roster=roster,
        added=sorted(after - before, key=_order),
        removed=removed,
        forced=[a for a in removed if a not in kept],
        under_way=sorted(under_way, key=_order),
    )


def describe_shift(scenario: Scenario, index: ShiftIndex, a: Assignment) -> str:
    """«natt Bergen legevakt 05.12 23:00–08:00» (Oslo time). A shift of an earlier version whose
    type this scenario no longer holds (a change notice names it) is told by its type's id."""
    s = index.by_key.get(a.shift)
    if s is not None:
        return shift_text(scenario, s)
    t = next((t for t in scenario.templates if t.id == a.template), None)
    if t is None:
        return f"{a.template} {a.date:%d.%m}"
    return f"{t.label} {scenario.station(t.station).name} {a.date:%d.%m}"


def shift_text(scenario: Scenario, s: ShiftInstance) -> str:
    """«natt Bergen legevakt 05.12 23:00–08:00» (Oslo time)."""
    return (f"{s.label} {scenario.station(s.station).name} "
            f"{s.start.astimezone(OSLO):%d.%m %H:%M}–{s.end.astimezone(OSLO):%H:%M}")


def format_diff(result: ReplanResult) -> list[str]:
    """The diff as Norwegian lines, in time order: «Kari Nordmann får natt Bergen legevakt
    05.12 23:00–08:00», «Per Hansen mister …» (a forced loss says why)."""
    scenario = result.scenario
    index = ShiftIndex(scenario)
    names = {d.id: d.name for d in scenario.doctors}
    forced = set(result.forced)
    rows: list[tuple[tuple[dt.date, str, str], str]] = []
    for a in result.removed:
        why = " (kan ikke gå vakten lenger)" if a in forced else ""
        rows.append((_order(a), f"{names.get(a.doctor, a.doctor)} mister {describe_shift(scenario, index, a)}{why}"))
    for a in result.added:
        rows.append((_order(a), f"{names.get(a.doctor, a.doctor)} får {describe_shift(scenario, index, a)}"))
    lines = [text for _, text in sorted(rows, key=lambda r: r[0])]
    unforced = result.changes - len(result.forced)
    lines.append(f"{count(result.changes, 'endring', 'endringer')} "
                 f"({len(result.forced)} tvunget av fraværet, {unforced} for å dekke opp).")
    return lines
