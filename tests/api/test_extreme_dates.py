"""The first and last dates Python knows, on the doctor's page and in the on-call API: the page falls
back to today, the API refuses in Norwegian; neither is a 500 (the day before 0001-01-01 overflowed)."""

from __future__ import annotations

import pytest
from web_helpers import publish_week


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_the_doctor_page_shows_today_for_a_day_outside_the_calendar(client, day):
    _, _, tokens = publish_week(client)  # the clock: Friday 30.10.2026
    r = client.get(f"/lege/{tokens['anne']}", params={"dato": day})
    assert r.status_code == 200
    assert "Hvem er på vakt fredag 30.10.2026" in r.text


def test_the_doctor_page_shows_the_calendars_last_day(client):
    _, _, tokens = publish_week(client)
    r = client.get(f"/lege/{tokens['anne']}", params={"dato": "2199-12-31"})
    assert r.status_code == 200 and "31.12.2199" in r.text and "?dato=2200-01-01" in r.text


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_on_call_api_refuses_a_day_outside_the_calendar(client, day):
    _, _, tokens = publish_week(client)
    r = client.get(f"/api/lege/{tokens['anne']}/on-call", params={"date": day})
    assert r.status_code == 422
    assert r.json()["problems"] == ["query.date: datoen må ligge mellom 01.01.1900 og 31.12.2199"]
    assert client.get(f"/api/lege/{tokens['anne']}/on-call", params={"date": "2026-11-02"}).json()
