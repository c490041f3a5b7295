"""Last period carried into a scenario on the web: the published roster that ends the day before
the scenario's period hands on the burden history, the shifts of its last days and the holiday
ledger (``roster.carry.next_period``), as ``roster carry`` does with a ``history_out.json``, so the
rules that look back (rest, nights in a row, the 7-day limits, søndagsfri) see across the first of
the month. The published roster is the final one: re-plans and swaps after publishing are in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.orm import RosterRow, ScenarioRow
from api.services.audit import record
from api.services.scenarios import load, store
from api.services.stored import load_roster, scenario_of
from roster.candidates import join
from roster.carry import CARRIED_FIELDS, carried_out, next_period, of_doctors
from roster.check import Violation, unexpected_violations
from roster.models import Roster, Scenario
from roster.scenario_io import InputError, with_carried
from roster.swap import violation_difference
from roster.terms import count


def day_before(scenario: Scenario) -> dt.date:
    return scenario.period.start - dt.timedelta(days=1)


def previous(session: Session, scenario: Scenario) -> RosterRow | None:
    """The published version whose period holds the day before the scenario's."""
    day = day_before(scenario)
    return session.scalars(select(RosterRow).where(RosterRow.status == "published", RosterRow.period_start <= day,
                                                   RosterRow.period_end >= day).order_by(RosterRow.id.desc())).first()


def following(session: Session, scenario: Scenario) -> RosterRow | None:
    """The published version whose period starts the day after the scenario's."""
    day = scenario.period.end + dt.timedelta(days=1)
    return session.scalars(select(RosterRow).where(RosterRow.status == "published", RosterRow.period_start == day)
                           .order_by(RosterRow.id.desc())).first()


def carried_into(scenario: Scenario, before: Scenario, roster: Roster, source: str, rules_only: bool = False
                 ) -> Scenario:
    """``scenario`` with ``roster`` (of ``before``'s period) carried in, its doctors only.
    ``rules_only``: the last days' shifts alone, all the hard rules look back at; the history and
    the holiday ledger are fairness, and cost a fairness plan of the month before (0.5 s on Bergen,
    for every swap checked)."""
    return _carried(scenario, before, roster, source, rules_only)[0]


def _carried(scenario: Scenario, before: Scenario, roster: Roster, source: str, rules_only: bool
             ) -> tuple[Scenario, list[str]]:
    """``carried_into``'s scenario, and the ids of the doctors whose carried data it leaves out."""
    if rules_only:
        since, shifts = carried_out(before, roster)
        fields = {"carry_in_from": since.isoformat(), "carry_in": [c.model_dump(mode="json") for c in shifts]}
    else:
        fields = next_period(before, roster)
    kept, left = of_doctors(fields, scenario)
    return with_carried(scenario, kept, source), left


def _new_breaches(roster: Roster, before: Scenario, after: Scenario) -> list[Violation]:
    """The hard-rule breaches of ``roster`` under ``after`` that it does not have under ``before``."""
    difference = violation_difference(unexpected_violations(before, roster), unexpected_violations(after, roster))
    return difference.new + difference.worsened


def breaks_following(session: Session, scenario: Scenario, roster: Roster, replaced: Roster | None
                     ) -> tuple[RosterRow | None, list[Violation]]:
    """What ``roster`` breaks in the published roster of the period right after it, beyond what
    ``replaced`` (the version it replaces; None: that period's scenario as stored) broke there. The
    next month was planned on this one's last days, so a swap, edit or re-plan there after it was
    published must not break its rest, nights in a row or 7-day limits across the first."""
    nxt = following(session, scenario)
    if nxt is None:
        return None, []
    later = scenario_of(session, nxt)
    source = f"vaktplan {nxt.id}"
    base = later if replaced is None else carried_into(later, scenario, replaced, source, rules_only=True)
    return nxt, _new_breaches(load_roster(nxt), base, carried_into(later, scenario, roster, source, rules_only=True))


def as_worked(session: Session, scenario: Scenario, rules_only: bool = False) -> Scenario:
    """``scenario`` with the published roster of the month before carried in as it is now (swaps,
    edits and re-plans after the scenario was carried included); as it is when none ends the day
    before. ``rules_only``: as ``carried_into``'s."""
    source = previous(session, scenario)
    if source is None or source.period_end != day_before(scenario):
        return scenario
    return carried_into(scenario, scenario_of(session, source), load_roster(source), f"vaktplan {source.id}",
                        rules_only)


def carries_previous(session: Session, scenario: Scenario) -> bool | None:
    """Whether what the scenario carries is the month before as published now; None when it carries
    nothing or no published roster ends the day before (the page says so otherwise)."""
    if scenario.carry_in_from is None:
        return None
    real = as_worked(session, scenario)
    if real is scenario:
        return None
    return all(getattr(real, key) == getattr(scenario, key) for key in CARRIED_FIELDS)


def breaks_preceding(session: Session, scenario: Scenario, roster: Roster) -> tuple[RosterRow | None, list[Violation]]:
    """What ``roster`` breaks against the published roster of the period right before it, beyond
    what it breaks under its own scenario: one carried before that month's last swaps, edits or
    re-plans (or not at all) lets the rules that look back miss what was really worked."""
    real = as_worked(session, scenario, rules_only=True)
    if real is scenario:
        return None, []
    return previous(session, scenario), _new_breaches(roster, scenario, real)


@dataclass(frozen=True)
class Carried:
    row: ScenarioRow  # the new scenario
    source: RosterRow  # the published version carried from
    history: int  # doctors with a history
    shifts: int  # earlier shifts carried, from ``since``
    since: dt.date
    ledger: int  # holiday shifts in the ledger
    left_out: list[str]  # names of the published roster's doctors whose carried data the scenario leaves out

    def message(self) -> str:
        text = (f"Nytt scenario med vaktplan {self.source.id} ført inn: historikk for "
                f"{count(self.history, 'lege', 'leger')}, {count(self.shifts, 'tidligere vakt', 'tidligere vakter')} "
                f"fra {self.since:%d.%m.%Y} og {count(self.ledger, 'høytidsvakt', 'høytidsvakter')}.")
        if self.left_out:
            text += (f" {count(len(self.left_out), 'lege', 'leger')} i vaktplan {self.source.id} er ikke med i "
                     f"scenarioet og er ikke tatt med: {join(self.left_out)}.")
        return text


def carry(session: Session, row: ScenarioRow, actor: str) -> Carried:
    """A new scenario: ``row``'s with the period before carried in from its published roster; what
    ``row`` carried before is replaced. Doctors who are not in the scenario (they left) are left out."""
    scenario = load(row)
    day = day_before(scenario)
    source = previous(session, scenario)
    if source is None:
        raise InputError([f"ingen publisert vaktplan har {day:%d.%m.%Y}, dagen før perioden; publiser den først, "
                          "eller før inn historikken fra en arbeidsbok eller med «roster carry»"], f"scenario {row.id}")
    if source.period_end != day:
        raise InputError([f"den publiserte vaktplan {source.id} går til {source.period_end:%d.%m.%Y}, inn i denne "
                          f"perioden; bare en vaktplan som slutter {day:%d.%m.%Y} kan føres inn"], f"scenario {row.id}")
    previous_scenario, previous_roster = scenario_of(session, source), load_roster(source)
    merged, left = _carried(scenario, previous_scenario, previous_roster,
                            f"vaktplan {source.id} ført inn i scenario {row.id}", rules_only=False)
    names = {d.id: d.name for d in previous_scenario.doctors}
    new = store(session, merged, f"scenario {row.id} med vaktplan {source.id} ført inn", actor)
    record(session, actor, "før-inn", f"scenario {new.id}: vaktplan {source.id} ført inn i scenario {row.id}")
    return Carried(new, source, len(merged.history), len(merged.carry_in), merged.carry_in_from,
                   len(merged.holiday_ledger), [names.get(d, d) for d in left])
