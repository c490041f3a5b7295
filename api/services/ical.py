"""A doctor's iCalendar feed, as subscribed calendars read it (RFC 5545, RFC 7986).

- Europe/Oslo times with the yearly VTIMEZONE (one STANDARD, one DAYLIGHT, each an RRULE): the
  only shape Outlook reads whole; a zone built from dated transitions shifted summer events by an
  hour there (iCalcreator issue 86). The EU rule holds in Norway from 1996; a feed reaching before
  that gets the dated transitions instead.
- A UID per shift that stays while the link does, so a client updates rather than duplicates an
  event when the roster is republished, yet names nobody (RFC 7986 §5.3): a digest of the link's
  secret token and the shift.
- SEQUENCE, DTSTAMP and LAST-MODIFIED from the publication the shift belongs to: a client keeps an
  event whose UID it has unless SEQUENCE rises (Google is reported to ignore a re-timed event
  otherwise), and a body that changes only when a publication does can carry an ETag.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vText

from api.services.published import DoctorShift, Revision
from roster.calendar import OSLO
from roster.models import DutyKind
from roster.terms import number

PRODID = "-//legevakt-roster//vaktplan//NO"
REFRESH = dt.timedelta(hours=1)  # a hint: Outlook and Apple honour it, Google polls on its own schedule
EU_RULE_FROM = dt.date(1996, 1, 1)  # Norway's summer time ends on the last Sunday of October from 1996


def uid(token: str, shift_key: str) -> str:
    return hashlib.sha256(f"{token}/{shift_key}".encode()).hexdigest()[:32] + "@legevakt-roster"


def _yearly_oslo() -> Timezone:
    tz = Timezone()
    tz.add("tzid", "Europe/Oslo")
    for part, name, start, month, before, after in (
            (TimezoneDaylight(), "CEST", dt.datetime(1970, 3, 29, 2, 0), 3, 1, 2),
            (TimezoneStandard(), "CET", dt.datetime(1970, 10, 25, 3, 0), 10, 2, 1)):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", dt.timedelta(hours=before))
        part.add("tzoffsetto", dt.timedelta(hours=after))
        tz.add_component(part)
    return tz


def oslo_zone(shifts: list[DoctorShift]) -> Timezone:
    """Europe/Oslo's VTIMEZONE: the yearly rule, or for a feed reaching before 1996 (a period may lie
    anywhere in 1900–2199) the dated transitions over its days."""
    days = [moment.astimezone(OSLO).date() for item in shifts for moment in (item.shift.start, item.shift.end)]
    if not days or min(days) >= EU_RULE_FROM:
        return _yearly_oslo()
    return Timezone.from_tzid("Europe/Oslo", first_date=min(days) - dt.timedelta(days=1),
                              last_date=max(days) + dt.timedelta(days=1))


def summary(item: DoctorShift) -> str:
    """«Natt – Bergen legevakt», «KAD natt – …» (only the first letter raised), «Bakvakt barn –
    Bakvakt spesialist»: an on-call shift by its own label, marked as bakvakt."""
    label = item.shift.label
    if item.shift.duty == DutyKind.ON_CALL and not label.casefold().startswith("bakvakt"):
        label = f"bakvakt {label}"
    return f"{label[:1].upper()}{label[1:]} – {item.station_name}"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", name)
    cal.add("x-wr-calname", vText(name))  # an X-property is TEXT: its commas and semicolons escaped too
    cal.add("x-wr-timezone", "Europe/Oslo")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    return cal


def feed(token: str, doctor_name: str | None, shifts: list[DoctorShift], revisions: dict[int, Revision]) -> bytes:
    """The feed of the doctor whose link holds ``token``; ``revisions`` by roster id."""
    cal = _calendar(f"Legevakt – {doctor_name}" if doctor_name else "Legevakt – mine vakter")
    cal.add_component(oslo_zone(shifts))
    for item in shifts:
        s, revision = item.shift, revisions[item.roster_id]
        ev = Event()
        ev.add("uid", uid(token, s.key))
        ev.add("dtstamp", revision.published_at)
        ev.add("last-modified", revision.published_at)
        ev.add("sequence", revision.sequence)
        ev.add("dtstart", s.start.astimezone(OSLO))
        ev.add("dtend", s.end.astimezone(OSLO))
        ev.add("summary", summary(item))
        if item.address:
            ev.add("location", item.address)
        ev.add("description", f"{s.label}, {number(s.hours)} timer (vaktplan {item.roster_id})")
        cal.add_component(ev)
    return cal.to_ical()


def retired_feed(token: str, retired_at: dt.datetime, today: dt.date) -> bytes:
    """The feed of a link a manager has replaced: no shifts (a subscribed calendar drops those it
    had) and one all-day note today saying where to find the new link; it names nobody."""
    cal = _calendar("Legevakt – lenken er byttet")
    ev = Event()
    ev.add("uid", uid(token, "lenken-er-byttet"))
    ev.add("dtstamp", retired_at)
    ev.add("dtstart", today)
    ev.add("dtend", today + dt.timedelta(days=1))
    ev.add("summary", "Kalenderlenken er byttet – abonner på nytt")
    ev.add("description", "Legevakten har laget en ny personlig lenke til deg; denne kalenderen får ingen vakter "
                          "lenger. Abonner på kalenderen fra den nye lenken, og slett denne.")
    ev.add("transp", "TRANSPARENT")
    cal.add_component(ev)
    return cal.to_ical()
