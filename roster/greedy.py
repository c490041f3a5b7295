"""A deliberately simple "hand-made" roster: the doctors the manager always asks first.

Evaluators compare the optimised roster with the way rosters are often made by hand (issue 4):
shifts are filled in date order, each by the first doctor in the list who is free. "Free" means
only what a manager checks on the phone: the doctor may work the shift (absence, station,
qualification, courses, exemption — ``roster.eligibility``), is not already on duty at the time,
has had the rest hours since their last on-site shift, and is under the weekly maximum. Nothing
spreads burden, spaces shifts or arranges bakvakt for doctors who may not work alone, so the
result is unfair by construction and may break hard rules; the report lists what it breaks.
"""

from __future__ import annotations

import datetime as dt

from roster.calendar import ShiftIndex, ShiftInstance
from roster.eligibility import Eligibility
from roster.models import Assignment, Doctor, Employment, OpenSlot, Roster, Scenario

NO_ONE_FREE = "ingen ledig lege i listen"


class _Book:
    """Shifts given so far, per doctor."""

    def __init__(self, scenario: Scenario):
        self.rules = scenario.rules
        self.shifts: dict[str, list[ShiftInstance]] = {d.id: [] for d in scenario.doctors}

    def free(self, doctor: Doctor, shift: ShiftInstance) -> bool:
        rest = dt.timedelta(
            hours=self.rules.rest_hours_employee
            if doctor.employment == Employment.EMPLOYEE
            else self.rules.rest_hours_self_employed
        )
        mine = self.shifts[doctor.id]
        for s in mine:
            if s.overlaps(shift.start, shift.end):
                return False
            if s.on_site and shift.on_site and s.overlaps(shift.start - rest, shift.end + rest):
                return False
        cap = self.rules.max_shifts_per_7_days
        if cap is not None:
            for first in (shift.date - dt.timedelta(days=k) for k in range(7)):
                last = first + dt.timedelta(days=6)
                if sum(first <= s.date <= last for s in mine) >= cap:
                    return False
        return doctor.max_shifts is None or len(mine) < doctor.max_shifts


def greedy_roster(scenario: Scenario, index: ShiftIndex | None = None) -> Roster:
    """Fill every shift up to ``demand_min`` with the first free doctors in list order.

    The first ``min_qualified`` places of an on-site shift go to doctors who may work alone (a
    manager knows who needs supervision); places nobody can take become declared open slots.
    """
    index = index or ShiftIndex(scenario)
    elig = Eligibility(scenario)
    book = _Book(scenario)
    assignments: list[Assignment] = []
    open_slots: list[OpenSlot] = []
    for shift in index.shifts:
        chosen: list[Doctor] = []
        needs_qualified = shift.min_qualified if shift.on_site else 0
        for want_qualified in (True, False):
            quota = needs_qualified if want_qualified else shift.demand_min - len(chosen)
            for d in scenario.doctors:
                if quota <= 0:
                    break
                if d in chosen or (want_qualified and not elig.qualified(d.id)):
                    continue
                if elig.may_work(d, shift) and book.free(d, shift):
                    chosen.append(d)
                    quota -= 1
        for d in chosen:
            book.shifts[d.id].append(shift)
            assignments.append(Assignment(doctor=d.id, template=shift.template, date=shift.date))
        if len(chosen) < shift.demand_min:
            open_slots.append(
                OpenSlot(template=shift.template, date=shift.date, missing=shift.demand_min - len(chosen), reason=NO_ONE_FREE)
            )
    return Roster(
        scenario=scenario.name,
        period=scenario.period,
        assignments=assignments,
        open_slots=open_slots,
        warnings=["Håndlaget etter enkel regel: første ledige lege i listen tar vakten (til sammenligning)."],
    )
