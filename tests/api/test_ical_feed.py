"""The doctors' calendar feed as subscribed calendars read it: a re-timed shift keeps its UID and
raises SEQUENCE, the body changes only when a publication does (ETag, 304), HEAD answers like GET,
the one yearly VTIMEZONE Outlook reads, titles as the labels are written, TEXT escaped."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from icalendar import Calendar
from web_helpers import login

from api.services import links
from api.services import rosters as roster_service
from api.services.scenarios import store
from roster.models import Assignment, Roster
from tests import factories as f


def _publish(client, start: str = "08:00", end: str = "16:00", label: str = "KAD natt", duty: str = "tilstedevakt",
             name: str = "Nordmann, Anne") -> str:
    """Anne's one shift on 02.11.2026, published (superseding what was published before); her feed path."""
    sc = f.scenario("2026-11-02", "2026-11-02",
                    templates=[f.template("vakt", start, end, label=label, duty=duty)],
                    doctors=[f.doctor("anne", name=name)], stations=[f.station("BLV", name="Bergen legevakt")],
                    name=f"{start}–{end}", rules={"specialist_bakvakt": False})
    roster = Roster(scenario=sc.name, period=sc.period,
                    assignments=[Assignment(doctor="anne", template="vakt", date=dt.date(2026, 11, 2))])
    with client.app.state.sessions() as s:
        row = roster_service.add_version(s, store(s, sc, "test", "leder").id, None, roster, [])
        roster_service.publish(s, row, "leder")
        token = links.ensure(s, ["anne"])["anne"]
        s.commit()
    return f"/lege/{token}/kalender.ics"


def _event(body: bytes):
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    return event


def test_a_re_timed_shift_keeps_its_uid_and_raises_its_sequence(client, auth):
    feed = _publish(client)
    first = client.get(feed)
    assert client.get(feed).content == first.content  # nothing published since: the same bytes
    before = _event(first.content)
    feed = _publish(client, "09:00", "17:00")
    after = _event(client.get(feed).content)
    assert str(after["UID"]) == str(before["UID"])
    assert after["DTSTART"].dt == dt.datetime(2026, 11, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Oslo"))
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["DTSTAMP"].dt >= before["DTSTAMP"].dt and after["LAST-MODIFIED"].dt == after["DTSTAMP"].dt  # seconds


def test_a_poll_with_the_copy_it_has_gets_304_and_head_answers_like_get(client, auth):
    feed = _publish(client)
    full = client.get(feed)
    assert full.headers["cache-control"] == "private, no-cache" and full.headers["x-robots-tag"] == "noindex"
    etag, modified = full.headers["etag"], full.headers["last-modified"]
    assert client.get(feed, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(feed, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(feed, headers={"If-None-Match": '"anders"', "If-Modified-Since": modified}).status_code == 200
    head = client.head(feed)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    assert head.headers["content-type"].startswith("text/calendar")
    _publish(client, "09:00", "17:00")
    assert client.get(feed, headers={"If-None-Match": etag}).status_code == 200  # published since


def test_head_on_a_page_without_head_is_refused_not_redirected_in_a_loop(client, auth):
    login(client)
    answer = client.head("/scenarier", follow_redirects=False)
    assert answer.status_code == 405


def test_one_yearly_time_zone_that_agrees_with_the_tz_database(client, auth):
    cal = Calendar.from_ical(client.get(_publish(client)).content)
    (zone,) = cal.walk("VTIMEZONE")
    parts = {c.name: c for c in zone.subcomponents}
    assert sorted(parts) == ["DAYLIGHT", "STANDARD"] and len(zone.subcomponents) == 2
    assert parts["DAYLIGHT"]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert parts["STANDARD"]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    oslo = zoneinfo.ZoneInfo("Europe/Oslo")
    for year in range(1996, 2200):  # the changes fall where the rule says, 01:00 UTC on the last Sundays
        for month, before, after in ((3, 1, 2), (10, 2, 1)):
            last = max(dt.date(year, month, d) for d in range(25, 32) if dt.date(year, month, d).weekday() == 6)
            change = dt.datetime(last.year, last.month, last.day, 1, 0, tzinfo=dt.timezone.utc)
            assert (change - dt.timedelta(minutes=1)).astimezone(oslo).utcoffset() == dt.timedelta(hours=before)
            assert change.astimezone(oslo).utcoffset() == dt.timedelta(hours=after)


def test_titles_keep_the_labels_as_written_and_the_name_is_escaped(client, auth):
    body = client.get(_publish(client)).content
    assert _event(body)["SUMMARY"] == "KAD natt – Bergen legevakt"
    assert "X-WR-CALNAME:Legevakt – Nordmann\\, Anne" in body.decode()
    on_call = _event(client.get(_publish(client, label="barn", duty="bakvakt")).content)
    assert on_call["SUMMARY"] == "Bakvakt barn – Bergen legevakt"
    on_call = _event(client.get(_publish(client, label="bakvakt kirurgi", duty="bakvakt")).content)
    assert on_call["SUMMARY"] == "Bakvakt kirurgi – Bergen legevakt"


def test_a_replaced_links_feed_drops_the_shifts_and_says_so_for_90_days(client, auth):
    old = _publish(client)
    assert _event(client.get(old).content)["SUMMARY"] == "KAD natt – Bergen legevakt"
    assert client.post("/api/doctors/anne/link", headers=auth).status_code == 200
    answer = client.get(old)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/calendar")
    note = _event(answer.content)  # the only event: the shift is gone from a subscribed calendar
    assert note["SUMMARY"] == "Kalenderlenken er byttet – abonner på nytt"
    assert note["DTSTART"].dt == client.app.state.clock().date() and "anne" not in answer.text.lower()
    assert client.get(old.removesuffix("/kalender.ics")).status_code == 404  # the page itself is gone
    later = client.app.state.clock() + dt.timedelta(days=91)
    client.app.state.clock = lambda: later
    assert client.get(old).status_code == 404
    assert client.get("/lege/aldri-gitt/kalender.ics").status_code == 404
