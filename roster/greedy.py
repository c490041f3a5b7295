"""A deliberately simple "hand-made" roster: the doctors the manager always asks first.

Evaluators compare the optimised roster with the way rosters are often made by hand (issue 4):
shifts are filled in date order, each by the first doctor in the list who is free. "Free" means
only what a manager checks on the phone: the doctor may work the shift (absence, station,
qualification, courses, exemption — ``roster.eligibility``), is not already on duty at the time,
has had the rest hours since their last work shift, and is under the weekly and the period's
maximum of shifts (the predicates of ``roster.workload``; not the hour limits). Nothing
spreads burden, spaces shifts or arranges bakvakt for doctors who may not work alone, so the
result is unfair by construction and may break hard rules; the report lists what it breaks.
"""

from __future__ import annotations

from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Assignment, Doctor, OpenSlot, Roster, Scenario
from roster.workload import Workload

NO_ONE_FREE = "ingen ledig lege i listen"


def greedy_roster(scenario: Scenario, index: ShiftIndex | None = None) -> Roster:
    """Fill every shift up to ``demand_min`` with the first free doctors in list order.

    The first ``min_qualified`` places of an on-site shift go to doctors who may work alone (a
    manager knows who needs supervision); places nobody can take become declared open slots.
    """
    index = index or ShiftIndex(scenario)
    elig = Eligibility(scenario)
    book = Workload(scenario, index.shifts)
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
                if (elig.may_work(d, shift) and book.rested(d.id, shift)
                        and book.within_weeks(d.id, shift, hours=False) and book.under_max_shifts(d.id)):
                    chosen.append(d)
                    quota -= 1
        for d in chosen:
            book.add(d.id, shift)
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
