"""Small edges of the forms and the feed: wish rounds keep to the calendar's years and honour an
offset in the deadline, a refused wish names its own field, a shift's date is within the calendar,
the swap's second step carries its values encoded, and the feed's time zone covers its shifts."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar
from web_helpers import login, publish_week, week_roster

from api.services import links
from api.services import rosters as roster_service
from api.services import scenarios as scenario_service
from roster.calendar import OSLO
from tests import factories as f

OUT_OF_RANGE = "datoen må ligge mellom 01.01.1900 og 31.12.2199"


def refusal(r) -> str:  # noqa: ANN001 - an httpx response
    """The signed ``feil`` of a doctor's refused form."""
    assert r.status_code == 303, r.text
    return parse_qs(urlsplit(r.headers["location"]).query)["feil"][0]


def test_a_wish_round_outside_the_calendars_years_is_refused_on_the_page_and_in_the_api(client, auth):
    login(client)
    r = client.post("/onskerunder", data={"fra": "9999-12-30", "til": "9999-12-31", "frist": "9999-12-29T00:00"})
    assert r.status_code == 422
    for field in ("Første dag", "Siste dag", "Frist"):
        assert f"{field}: {OUT_OF_RANGE}" in r.text
    r = client.post("/api/request-rounds", headers=auth,
                    json={"period_start": "2199-12-30", "period_end": "2200-01-02", "deadline": "2199-12-01T00:00"})
    assert r.status_code == 422 and r.json()["problems"] == [f"Siste dag: {OUT_OF_RANGE}"]
    assert client.get("/api/request-rounds", headers=auth).json() == []


def test_an_offset_in_a_rounds_deadline_is_that_moment_in_oslo(client, auth):
    client.app.state.clock = lambda: dt.datetime(2026, 12, 7, 12, 0, tzinfo=OSLO)
    login(client)
    r = client.post("/onskerunder", data={"fra": "2027-05-01", "til": "2027-05-31", "frist": "2027-04-01T12:00+05:00"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "Legene kan nå legge inn ønsker til 01.04.2027 kl. 09:00." in client.get(r.headers["location"]).text
    (stored,) = client.get("/api/request-rounds", headers=auth).json()
    assert dt.datetime.fromisoformat(stored["deadline"]).replace(tzinfo=dt.timezone.utc) == dt.datetime(
        2027, 4, 1, 7, 0, tzinfo=dt.timezone.utc)


def test_a_refused_wish_names_the_field_that_was_wrong(client, auth):
    _, _, tokens = publish_week(client)
    round_id = client.post("/api/request-rounds", headers=auth, json={
        "period_start": "2026-12-01", "period_end": "2026-12-31", "deadline": "2026-11-15T12:00"}).json()["id"]
    page = f"/lege/{tokens['anne']}"
    r = client.post(f"{page}/onsker/{round_id}", data={"hva": "tull", "fra": "2026-12-03"}, follow_redirects=False)
    assert refusal(r) == "Hva: ugyldig verdi (fikk «tull»)"
    r = client.post(f"{page}/onsker/{round_id}", data={"hva": "fravær", "fra": "3. desember"}, follow_redirects=False)
    assert refusal(r) == "Fra dato: ventet en dato (ÅÅÅÅ-MM-DD) (fikk «3. desember»)"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_swap_of_a_shift_outside_the_calendar_is_refused_with_a_four_digit_year(client, day):
    _, _, tokens = publish_week(client)
    r = client.post(f"/lege/{tokens['anne']}/bytte", data={"vakt": f"dag/{day}", "kollega": "bjorn"},
                    follow_redirects=False)
    assert refusal(r) == f"ugyldig vakt «dag/{day}»: {OUT_OF_RANGE}"


def test_the_swaps_second_step_carries_the_shift_and_colleague_encoded(client):
    _, _, tokens = publish_week(client)
    page = f"/lege/{tokens['anne']}"
    r = client.post(f"{page}/bytte", data={"vakt": "a&x=1#y", "kollega": "bjørn b", "handling": "bytt"},
                    follow_redirects=False)
    assert r.headers["location"] == f"{page}?bytt=a%26x%3D1%23y&med=bj%C3%B8rn+b#bytte"
    assert parse_qs(urlsplit(r.headers["location"]).query) == {"bytt": ["a&x=1#y"], "med": ["bjørn b"]}


@pytest.mark.parametrize("start", ["2026-11-02", "2199-12-25", "1950-03-20"])
def test_the_feeds_time_zone_covers_its_shifts(client, start):
    """From 1996 the yearly rule covers every year; a period before it gets the dated transitions
    over its own days (icalendar's default covered only 1970–2038)."""
    sc = f.scenario(start, (dt.date.fromisoformat(start) + dt.timedelta(days=6)).isoformat(),
                    templates=[f.template("dag", "08:00", "16:00", label="dag"),
                               f.template("natt", "23:00", "08:00", label="natt")],
                    doctors=[f.doctor(d) for d in ("anne", "bjorn", "cecilie", "dag", "eva", "aase")], name="uke")
    roster = week_roster(sc).model_copy(update={"assignments": [
        a for a in week_roster(sc).assignments if a.template in ("dag", "natt")]})
    with client.app.state.sessions() as s:
        row = roster_service.add_version(s, scenario_service.store(s, sc, "uke.json", "leder").id, None, roster, [])
        roster_service.publish(s, row, "leder")
        token = links.ensure(s, ["anne"])["anne"]
        s.commit()
    feed = Calendar.from_ical(client.get(f"/lege/{token}/kalender.ics").content)
    (zone,) = feed.walk("VTIMEZONE")
    events = feed.walk("VEVENT")
    assert events
    if start >= "1996":
        assert "COMMENT" not in zone and all("RRULE" in part for part in zone.subcomponents)
        return
    first, last = map(dt.date.fromisoformat, re.fullmatch(r"This timezone only works from (\S+) to (\S+)\.",
                                                          str(zone["COMMENT"])).groups())
    assert all(first < e.decoded("dtstart").date() and e.decoded("dtend").date() < last for e in events)
    assert (last - first).days <= 9
