"""The per-doctor index of published shifts: written once when a version is published (and removed
when it is superseded), read by every doctor's page and calendar feed.

Reading a doctor's shifts used to parse every published roster and its scenario on each request
(110 ms with two published months, 287 ms with ten, p95 5 s at 200 concurrent requests); the index
is a single query by doctor.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from api.orm import PublishedDoctorRow, PublishedShiftRow, RosterRow, as_utc
from api.services.stored import load_roster, scenario_of
from roster.calendar import OSLO, ShiftIndex
from roster.models import DutyKind, Roster, Scenario
from roster.scenario_io import InputError
from roster.terms import name_key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishedShift:
    """A published shift as a doctor sees it (the fields of ``roster.calendar.ShiftInstance`` the
    pages and the feed use)."""

    key: str
    template: str
    station: str
    label: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    hours: float
    duty: DutyKind


@dataclass
class DoctorShift:
    shift: PublishedShift
    station_name: str
    address: str
    roster_id: int


@dataclass(frozen=True)
class Revision:
    """The publication a shift belongs to: how many publications there had been by then (a feed's
    SEQUENCE, rising with every publication), and when (its DTSTAMP and LAST-MODIFIED)."""

    sequence: int
    published_at: dt.datetime  # UTC


def revisions(session: Session, roster_ids: set[int]) -> dict[int, Revision]:
    """Per published version of ``roster_ids``: counted in the order of publication, not of ids (a
    draft made earlier may be published later)."""
    times = sorted(as_utc(t) for t in session.scalars(select(RosterRow.published_at)
                                                      .where(RosterRow.published_at.is_not(None))))
    rows = session.execute(select(RosterRow.id, RosterRow.published_at).where(RosterRow.id.in_(roster_ids),
                                                                              RosterRow.published_at.is_not(None)))
    return {rid: Revision(bisect.bisect_right(times, as_utc(at)), as_utc(at)) for rid, at in rows}


def index_version(session: Session, roster_id: int, scenario: Scenario, roster: Roster) -> None:
    """Add a version's doctors and shifts to the index (part of the publishing transaction)."""
    shifts = ShiftIndex(scenario).by_key
    stations = {s.id: s for s in scenario.stations}
    session.add_all(PublishedDoctorRow(roster_id=roster_id, doctor_id=d.id, name=d.name) for d in scenario.doctors)
    for a in roster.assignments:
        inst = shifts.get(a.shift)
        if inst is None:  # the checker refuses such a roster before it can be published
            continue
        station = stations[inst.station]
        session.add(PublishedShiftRow(
            roster_id=roster_id, doctor_id=a.doctor, shift_key=inst.key, template=inst.template,
            label=inst.label, station=inst.station, station_name=station.name, address=station.address,
            date=inst.date, start=inst.start_utc, end=inst.end_utc, hours=inst.hours, duty=inst.duty.value))


def unindex_versions(session: Session, roster_ids: list[int]) -> None:
    """Remove superseded versions from the index."""
    if roster_ids:
        session.execute(delete(PublishedShiftRow).where(PublishedShiftRow.roster_id.in_(roster_ids)))
        session.execute(delete(PublishedDoctorRow).where(PublishedDoctorRow.roster_id.in_(roster_ids)))


def doctor_shifts(session: Session, doctor_id: str) -> tuple[str | None, list[DoctorShift]]:
    """The doctor's name and shifts in every published version, ordered by start."""
    name = session.scalar(select(PublishedDoctorRow.name).where(PublishedDoctorRow.doctor_id == doctor_id)
                          .order_by(PublishedDoctorRow.roster_id.desc()).limit(1))
    rows = session.scalars(select(PublishedShiftRow).where(PublishedShiftRow.doctor_id == doctor_id)
                           .order_by(PublishedShiftRow.start, PublishedShiftRow.id))
    out = [DoctorShift(PublishedShift(key=r.shift_key, template=r.template, station=r.station, label=r.label,
                                      date=r.date, start=as_utc(r.start).astimezone(OSLO),
                                      end=as_utc(r.end).astimezone(OSLO), hours=r.hours, duty=DutyKind(r.duty)),
                       r.station_name, r.address, r.roster_id)
           for r in rows]
    return name, out


def versions_of(session: Session, doctor_id: str) -> list[RosterRow]:
    """The published versions whose scenario has the doctor, by period: what their link may show
    of colleagues (the whole roster, who is on call and their phone numbers). A link outlives the
    doctor's part in the rota; it must not outlive what it was given for."""
    return list(session.scalars(select(RosterRow).join(PublishedDoctorRow, PublishedDoctorRow.roster_id == RosterRow.id)
                                .where(PublishedDoctorRow.doctor_id == doctor_id, RosterRow.status == "published")
                                .order_by(RosterRow.period_start)))


def covers(versions: list[RosterRow], day: dt.date) -> bool:
    return any(v.period_start <= day <= v.period_end for v in versions)


def other_names(session: Session, doctors: dict[str, str]) -> list[tuple[str, str, str]]:
    """(id, published name, name here) for each doctor whose id a published version gives another
    name: a link and a subscribed calendar follow the id, so a departed doctor's id given to a new
    one sends the new doctor's shifts to the old doctor's calendar."""
    rows = session.execute(select(PublishedDoctorRow.doctor_id, PublishedDoctorRow.name)
                           .where(PublishedDoctorRow.doctor_id.in_(list(doctors)))
                           .order_by(PublishedDoctorRow.roster_id)).all()
    latest = dict(rows)  # the newest published version's name last
    return [(d, latest[d], doctors[d]) for d in doctors if d in latest and name_key(latest[d]) != name_key(doctors[d])]


def backfill(session: Session) -> int:
    """Index published versions the index does not know (published before it existed); the
    number indexed. Run at start-up."""
    missing = session.scalars(select(RosterRow).where(
        RosterRow.status == "published",
        ~exists().where(PublishedDoctorRow.roster_id == RosterRow.id))).all()
    indexed = 0
    for row in missing:
        try:
            index_version(session, row.id, scenario_of(session, row), load_roster(row))
            indexed += 1
        except InputError as exc:  # stored before today's checks: its doctors see nothing of it
            log.warning("published version %s not indexed: %s", row.id, "; ".join(exc.problems))
    session.commit()
    return indexed
