"""Scorer for Curtois & Qu solutions, written from the benchmark's own rules (instances/README.md).

It deliberately shares no code with roster/ or solver/: a number it prints can be compared with
the published best-known values without trusting our model's reading of the rules.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from numbers import Integral
from pathlib import Path

from .instance import Instance

Triple = tuple[str, int, str]  # (staff id, day, shift id)
Assignment = Mapping[tuple[str, int], str] | Iterable[Triple]


@dataclass(frozen=True)
class Score:
    requests: int  # unmet on-request weights + met off-request weights
    cover_under: int
    cover_over: int
    violations: list[str] = field(default_factory=list)  # hard-rule breaks; empty means feasible

    @property
    def objective(self) -> int:
        return self.requests + self.cover_under + self.cover_over

    @property
    def feasible(self) -> bool:
        return not self.violations


def _triples(assignment: Assignment) -> list[Triple]:
    if isinstance(assignment, Mapping):
        return [(staff, day, shift) for (staff, day), shift in assignment.items()]
    return list(assignment)


def _runs(worked: list[bool], value: bool) -> list[tuple[int, int]]:
    """(first, last) day of every maximal run of days whose worked flag equals value."""
    runs, start = [], None
    for day, flag in enumerate([*worked, not value]):  # sentinel closes a run at the end
        if flag == value and start is None:
            start = day
        elif flag != value and start is not None:
            runs.append((start, day - 1))
            start = None
    return runs


def _days(first: int, last: int) -> str:
    return f"day {first}" if first == last else f"days {first}-{last}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def score(instance: Instance, assignment: Assignment) -> Score:
    """Objective and hard-rule violations of a (possibly infeasible) solution.

    `assignment` is either a mapping (staff, day) -> shift or an iterable of (staff, day, shift)
    triples; triples may repeat a staff-day, which is reported rather than silently merged.
    Entries naming an unknown staff member or shift, or a day outside the horizon, are reported
    and then ignored, since no rule can be evaluated for them.
    """
    horizon = instance.horizon
    violations: list[str] = []
    shifts_of: dict[str, dict[int, list[str]]] = {eid: defaultdict(list) for eid in instance.staff}
    for staff, day, shift in _triples(assignment):
        if staff not in instance.staff:
            violations.append(f"unknown staff {staff!r} (day {day}, shift {shift!r})")
        elif shift not in instance.shifts:
            violations.append(f"{staff}: unknown shift {shift!r} on day {day}")
        elif not (isinstance(day, Integral) and 0 <= day < horizon):
            violations.append(f"{staff}: day {day!r} is outside the horizon 0..{horizon - 1} (shift {shift})")
        else:
            shifts_of[staff][int(day)].append(shift)

    for eid, member in instance.staff.items():
        days = shifts_of[eid]
        for day in sorted(days):
            if len(days[day]) > 1:
                listed = ", ".join(days[day])
                violations.append(f"{eid}: {len(days[day])} shifts on day {day} ({listed}), max 1")
        for day in sorted(days):
            for shift in days[day]:
                for following in days.get(day + 1, ()):
                    if following in instance.shifts[shift].blocked:
                        violations.append(
                            f"{eid}: shift {shift} on day {day} followed by {following} on day {day + 1}, "
                            f"which may not follow {shift}")

        counts = Counter(shift for worked in days.values() for shift in worked)
        for shift, n in counts.items():
            limit = member.max_shifts.get(shift)  # a type the file leaves out is not limited
            if limit is not None and n > limit:
                violations.append(f"{eid}: {_plural(n, shift + ' shift')}, max {limit}")

        minutes = sum(instance.shifts[shift].minutes * n for shift, n in counts.items())
        if minutes > member.max_minutes:
            violations.append(f"{eid}: {minutes} minutes worked, max {member.max_minutes}")
        if minutes < member.min_minutes:
            violations.append(f"{eid}: {minutes} minutes worked, min {member.min_minutes}")

        worked = [bool(days.get(day)) for day in range(horizon)]
        for first, last in _runs(worked, True):
            length = last - first + 1
            if length > member.max_consecutive:
                violations.append(f"{eid}: works {length} days in a row ({_days(first, last)}), "
                                  f"max {member.max_consecutive}")
            if length < member.min_consecutive and first > 0 and last < horizon - 1:
                violations.append(f"{eid}: works {_plural(length, 'day')} in a row ({_days(first, last)}), "
                                  f"min {member.min_consecutive}")
        for first, last in _runs(worked, False):
            length = last - first + 1
            if length < member.min_days_off and first > 0 and last < horizon - 1:
                violations.append(f"{eid}: {_plural(length, 'day')} off in a row ({_days(first, last)}), "
                                  f"min {member.min_days_off}")

        weekends = [k for k in range((horizon + 1) // 7) if any(worked[7 * k + 5:7 * k + 7])]
        if len(weekends) > member.max_weekends:
            violations.append(f"{eid}: works {len(weekends)} weekends ({', '.join(map(str, weekends))}), "
                              f"max {member.max_weekends}")

        for day in sorted(instance.days_off.get(eid, frozenset()) & days.keys()):
            violations.append(f"{eid}: works {', '.join(days[day])} on day {day}, a day off")

    def assigned(staff: str, day: int, shift: str) -> bool:
        return shift in shifts_of[staff].get(day, ())

    requests = (sum(r.weight for r in instance.on_requests if not assigned(r.staff, r.day, r.shift))
                + sum(r.weight for r in instance.off_requests if assigned(r.staff, r.day, r.shift)))
    staffed = Counter((day, shift) for days in shifts_of.values()
                      for day, worked in days.items() for shift in worked)
    under = over = 0
    for line in instance.cover:
        have = staffed[line.day, line.shift]
        under += line.weight_under * max(0, line.requirement - have)
        over += line.weight_over * max(0, have - line.requirement)
    return Score(requests, under, over, violations)


def write_solution(path: str | Path, assignment: Assignment) -> None:
    """Store a solution as staff,day,shift rows so it can be re-scored later without the solver."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["staff", "day", "shift"])
        writer.writerows(_triples(assignment))


def read_solution(path: str | Path) -> list[Triple]:
    """Read what write_solution wrote; rows are kept as given so that duplicates still show up in score()."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if not rows or [cell.strip() for cell in rows[0]] != ["staff", "day", "shift"]:
        raise ValueError(f"{path}:1: expected the header staff,day,shift")
    triples: list[Triple] = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            raise ValueError(f"{path}:{number}: expected staff,day,shift, got {len(row)} fields")
        staff, day, shift = (cell.strip() for cell in row)
        try:
            triples.append((staff, int(day), shift))
        except ValueError:
            raise ValueError(f"{path}:{number}: day must be an integer, got {day!r}") from None
    return triples
