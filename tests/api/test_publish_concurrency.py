"""Publishing under real concurrent requests (a live uvicorn server, threads released together), on
SQLite and PostgreSQL: however the requests interleave, one version per period ends up published,
every shift is on the doctor's page and in the feed once, and a loser is refused in Norwegian."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import select
from web_helpers import PASSWORD

from api.main import create_app
from api.orm import PublishedShiftRow, RosterRow
from api.services import links
from api.services.rosters import add_version
from api.services.scenarios import store
from roster.models import Assignment, Roster
from tests import factories as f
from tests.browser.browser_helpers import live

ROUNDS = 4
RACERS = 4


def tiny():
    return f.scenario(
        "2026-10-24", "2026-10-25",
        templates=[f.template("dag", "08:00", "16:00", label="dag"), f.template("natt", "23:00", "08:00", label="natt")],
        doctors=[f.doctor("anne", name="Anne Aas"), f.doctor("bjorn", name="Bjørn Berg"),
                 f.doctor("cecilie", name="Cecilie Dahl")],
        name="liten")


def drafts(app, count: int) -> list[int]:
    """Drafts of the same period, each giving the day shifts to another doctor."""
    scenario = tiny()
    with app.state.sessions() as s:
        scenario_id = store(s, scenario, "test", "leder").id
        ids = []
        for i in range(count):
            doctor = ("anne", "bjorn", "cecilie")[i % 3]
            roster = Roster(scenario=scenario.name, period=scenario.period, assignments=[
                Assignment(doctor=doctor, template="dag", date=dt.date(2026, 10, 24)),
                Assignment(doctor=doctor, template="dag", date=dt.date(2026, 10, 25)),
                Assignment(doctor="anne" if doctor != "anne" else "bjorn", template="natt", date=dt.date(2026, 10, 24))])
            ids.append(add_version(s, scenario_id, None, roster, []).id)
        s.commit()
    return ids


def race(url: str, token: str, roster_ids: list[int]) -> list[httpx.Response]:
    """One thread per request, all released at once."""
    barrier = threading.Barrier(len(roster_ids))
    answers: list[httpx.Response | None] = [None] * len(roster_ids)

    def publish(i: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as c:
            barrier.wait()
            answers[i] = c.post(f"/api/rosters/{roster_ids[i]}/publish", headers={"Authorization": f"Bearer {token}"})

    threads = [threading.Thread(target=publish, args=(i,)) for i in range(len(roster_ids))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [a for a in answers if a is not None]


@pytest.fixture
def served(settings):
    app = create_app(settings)
    with live(app) as url:
        token = httpx.post(f"{url}/api/token", data={"username": "leder", "password": PASSWORD}).json()["access_token"]
        yield app, url, token


def assert_one_published_and_every_shift_once(app, url: str) -> None:
    with app.state.sessions() as s:
        published = s.scalars(select(RosterRow).where(RosterRow.status == "published")).all()
        assert len(published) == 1, [r.id for r in published]
        indexed = s.scalars(select(PublishedShiftRow)).all()
        assert {r.roster_id for r in indexed} == {published[0].id}
        token = links.ensure(s, ["anne", "bjorn", "cecilie"])
        s.commit()
    for doctor in ("anne", "bjorn", "cecilie"):
        shifts = httpx.get(f"{url}/api/lege/{token[doctor]}").json()["shifts"]
        assert len(shifts) == len({x["shift"] for x in shifts}), shifts
        feed = Calendar.from_ical(httpx.get(f"{url}/lege/{token[doctor]}/kalender.ics").content)
        uids = Counter(str(e["uid"]) for e in feed.walk("VEVENT"))
        assert all(n == 1 for n in uids.values()), uids
        assert len(uids) == len(shifts)


def test_racing_publishes_of_different_drafts_leave_one_published_version(served):
    app, url, token = served
    for _ in range(ROUNDS):
        answers = race(url, token, drafts(app, RACERS))
        codes = Counter(a.status_code for a in answers)
        assert codes[200] >= 1 and set(codes) <= {200, 409}, [(a.status_code, a.text) for a in answers]
        for a in answers:
            if a.status_code == 409:
                assert "publisert samtidig" in a.json()["detail"], a.text
        assert_one_published_and_every_shift_once(app, url)


def test_racing_publishes_of_the_same_draft_succeed_once(served):
    app, url, token = served
    for _ in range(ROUNDS):
        (draft,) = drafts(app, 1)
        answers = race(url, token, [draft] * RACERS)
        assert sorted(a.status_code for a in answers) == [200] + [409] * (RACERS - 1), [a.text for a in answers]
        assert all("allerede publisert" in a.json()["detail"] for a in answers if a.status_code == 409)
        assert_one_published_and_every_shift_once(app, url)
