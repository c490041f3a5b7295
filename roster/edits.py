"""Hand edits to a roster: a manager puts a doctor on a shift (perhaps in place of another), takes
one off, or pins one so later re-plans keep it. Each edit is judged by the independent checker at
once: an edit that adds a hard-rule violation, or makes one the roster had worse (a doctor already
over a limit given one more shift), is refused with the rule and the doctor.

A shift left short by an edit is an unfilled place, declared like the solver declares one (and
shown as prominently); ``declare_holes`` derives those declarations from the checker, which is also
how a roster typed into a workbook by hand gets them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roster.calendar import ShiftIndex
from roster.check import Violation, check_roster, unexpected_violations
from roster.models import Assignment, OpenSlot, Pin, Roster, Scenario
from roster.scenario_io import InputError
from roster.swap import breach_lines, find_doctor, parse_shift, shift_text, violation_difference

ACTIONS = {"assign": "Sett inn lege på vakten", "remove": "Fjern lege fra vakten",
           "pin": "Lås lege på vakten (beholdes når vaktplanen planlegges om)",
           "volunteer": "Lås lege på vakten frivillig (legen har sagt ja selv om fritaket gir rett til å nekte)"}
PINNING = ("pin", "volunteer")
REMOVED_REASON = "fjernet for hånd"


class EditRefused(InputError):
    """Norwegian reasons an edit cannot be made: a bad reference, or the hard rules it would break."""


@dataclass(frozen=True)
class Edit:
    action: str  # assign, remove, pin, or volunteer (a pin that lifts the doctor's exemption for this shift)
    doctor: str  # id or full name
    shift: str  # template/date (the date may also be dd.mm.yyyy)
    replaces: str | None = None  # assign: the doctor taken off the shift in the same edit


@dataclass(frozen=True)
class EditResult:
    scenario: Scenario  # with the new pin, for a pin; else the same scenario
    roster: Roster
    description: str  # «Kari Nordmann satt inn på Natt Bergen legevakt 24.12.2026 23:00–08:00»
    resolved: list[Violation]  # breaches of the old roster the edit mends


def declare_holes(scenario: Scenario, roster: Roster, reason: str = REMOVED_REASON) -> Roster:
    """The roster with its unfilled places and hours without bakvakt as the checker finds them; a
    place declared before keeps its reason."""
    reasons = {(o.template, o.date): o.reason for o in roster.open_slots}
    found = check_roster(scenario, roster.model_copy(update={"open_slots": [], "uncovered_bakvakt": []}))
    slots = []
    for v in found:
        if v.rule == "bemanning" and v.missing and v.shift:
            template, _, day = v.shift.rpartition("/")
            date = dt.date.fromisoformat(day)
            slots.append(OpenSlot(template=template, date=date, missing=v.missing,
                                  reason=reasons.get((template, date)) or reason))
    gaps = [(v.start, v.end) for v in found if v.rule == "bakvakt-dekning" and v.start and v.end]
    return roster.model_copy(update={"open_slots": sorted(slots, key=lambda o: (o.date, o.template)),
                                     "uncovered_bakvakt": gaps})


def apply_edit(scenario: Scenario, roster: Roster, edit: Edit) -> EditResult:
    """The roster after the edit, checked. Raises EditRefused naming every problem."""
    if edit.action not in ACTIONS:
        raise EditRefused([f"ukjent endring «{edit.action}»; bruk {', '.join(ACTIONS)}"])
    doctor = find_doctor(scenario, edit.doctor)
    key = parse_shift(edit.shift)
    index = ShiftIndex(scenario)
    if key not in index.by_key:
        raise EditRefused([f"vakten {shift_text(scenario, index, key)} går ikke i perioden"])
    what = shift_text(scenario, index, key)
    template, _, _ = key.rpartition("/")
    date = index.by_key[key].date
    assignments = list(roster.assignments)
    on_shift = {a.doctor for a in assignments if a.shift == key}
    pins = list(scenario.pins)
    if edit.action == "remove":
        if doctor.id not in on_shift:
            raise EditRefused([f"{doctor.name} har ikke vakten {what}"])
        assignments = [a for a in assignments if not (a.doctor == doctor.id and a.shift == key)]
        description = f"{doctor.name} fjernet fra {what}"
    else:
        description = f"{doctor.name} {'låst på' if edit.action in PINNING else 'satt inn på'} {what}"
        if edit.action == "volunteer":
            description += " (frivillig, tross fritak)"
        if edit.action == "assign" and doctor.id in on_shift:
            raise EditRefused([f"{doctor.name} har allerede vakten {what}"])
        if edit.replaces:
            other = find_doctor(scenario, edit.replaces)
            if other.id not in on_shift:
                raise EditRefused([f"{other.name} har ikke vakten {what}"])
            assignments = [a for a in assignments if not (a.doctor == other.id and a.shift == key)]
            description += f" i stedet for {other.name}"
        if doctor.id not in on_shift or edit.replaces:
            assignments.append(Assignment(doctor=doctor.id, template=template, date=date))
        if edit.action in PINNING:
            pin = Pin(doctor=doctor.id, template=template, date=date, voluntary=edit.action == "volunteer")
            same = [p for p in pins if (p.doctor, p.template, p.date) == (doctor.id, template, date)]
            if not same or (pin.voluntary and not same[0].voluntary):  # a yes is kept once given
                pins = [p for p in pins if p not in same] + [pin]
    after_scenario = scenario if pins == scenario.pins else scenario.model_copy(update={"pins": pins})
    after = declare_holes(after_scenario, roster.model_copy(update={"assignments": assignments}))
    diff = violation_difference(unexpected_violations(scenario, roster), unexpected_violations(after_scenario, after))
    if diff.new or diff.worsened:
        raise EditRefused([f"{description} bryter harde regler:", *breach_lines(diff.new, diff.worsened)])
    return EditResult(after_scenario, after, description, diff.resolved)
