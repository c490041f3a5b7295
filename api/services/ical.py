"""A doctor's iCalendar feed: Europe/Oslo times with a VTIMEZONE, a stable UID per shift so a
calendar app updates rather than duplicates events when the roster is republished."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, Timezone

from api.services.published import DoctorShift
from roster.calendar import OSLO
from roster.models import DutyKind
from roster.terms import number

PRODID = "-//legevakt-roster//vaktplan//NO"


def oslo_zone(shifts: list[DoctorShift]) -> Timezone:
    """Europe/Oslo's VTIMEZONE over the days of the shifts: icalendar's default covers 1970–2038 (and
    says so in the feed), while a period may lie anywhere in 1900–2199."""
    days = [moment.astimezone(OSLO).date() for item in shifts for moment in (item.shift.start, item.shift.end)]
    if not days:
        return Timezone.from_tzid("Europe/Oslo")
    return Timezone.from_tzid("Europe/Oslo", first_date=min(days) - dt.timedelta(days=1),
                              last_date=max(days) + dt.timedelta(days=1))


def feed(doctor_id: str, doctor_name: str, shifts: list[DoctorShift], now: dt.datetime | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Legevakt – {doctor_name}")
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add_component(oslo_zone(shifts))
    stamp = now or dt.datetime.now(dt.timezone.utc)
    for item in shifts:
        s = item.shift
        ev = Event()
        ev.add("uid", f"{doctor_id}/{s.key}@legevakt-roster")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", s.start.astimezone(OSLO))
        ev.add("dtend", s.end.astimezone(OSLO))
        kind = "bakvakt" if s.duty == DutyKind.ON_CALL else s.label
        ev.add("summary", f"{kind.capitalize()} – {item.station_name}")
        if item.address:
            ev.add("location", item.address)
        ev.add("description", f"{s.label}, {number(s.hours)} timer (vaktplan {item.roster_id})")
        cal.add_component(ev)
    return cal.to_ical()
