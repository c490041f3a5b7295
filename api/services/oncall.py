"""Who is on call: every station's shifts of one day and its night in the published roster, with
the doctors' phone numbers where the scenario has them ("hvem har bakvakt i natt?")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.orm import RosterRow
from api.services.rosters import load_roster, scenario_of
from roster.calendar import OSLO, ShiftIndex, ShiftInstance
from roster.models import DutyKind


@dataclass
class Duty:
    shift: ShiftInstance
    doctors: list[tuple[str, str]]  # (name, phone or "")
    open: int  # unfilled places
    running: bool  # going on at the moment asked about

    @property
    def on_call(self) -> bool:
        return self.shift.duty == DutyKind.ON_CALL


@dataclass
class StationDuty:
    station: str
    address: str
    duties: list[Duty] = field(default_factory=list)


def on_duty(session: Session, day: dt.date, now: dt.datetime) -> list[StationDuty]:
    """Shifts overlapping ``day`` (Oslo time: last night's end, the day, tonight) per station."""
    start = dt.datetime.combine(day, dt.time(0), OSLO)
    end = start + dt.timedelta(days=1)
    rows = session.scalars(select(RosterRow).where(
        RosterRow.status == "published", RosterRow.period_start <= day,
        RosterRow.period_end >= day - dt.timedelta(days=1))).all()
    out: dict[str, StationDuty] = {}
    for row in rows:
        scenario, roster = scenario_of(session, row), load_roster(row)
        doctors = {d.id: d for d in scenario.doctors}
        staffed: dict[str, list[str]] = {}
        for a in roster.assignments:
            staffed.setdefault(a.shift, []).append(a.doctor)
        missing = {f"{o.template}/{o.date.isoformat()}": o.missing for o in roster.open_slots}
        stations = {s.id: s for s in scenario.stations}
        for s in ShiftIndex(scenario).shifts:
            if not (s.start < end and s.end > start):
                continue
            st = stations[s.station]
            names = sorted((doctors[d].name, doctors[d].phone) if d in doctors else (d, "") for d in staffed.get(s.key, []))
            out.setdefault(st.id, StationDuty(st.name, st.address)).duties.append(
                Duty(s, names, missing.get(s.key, 0), s.start <= now < s.end))
    for station in out.values():
        station.duties.sort(key=lambda d: (d.shift.start, d.shift.template))
    return list(out.values())
