"""Publishing under real concurrent requests (a live uvicorn server, threads released together), on
SQLite and PostgreSQL: however the requests interleave, one version per period ends up published,
every shift is on the doctor's page and in the feed once, and a loser is refused in Norwegian. The
same for what races a publish: swap approvals (each builds on the other's version), doctors taking
one open offer (one gets it), and an edit of a draft being published (it never changes the
published roster)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter

import httpx
import pytest
from icalendar import Calendar
from sqlalchemy import select
from conftest import serving
from web_helpers import publish_week_in

from api.orm import PublishedShiftRow, RosterRow, SwapRow
from api.services import links
from api.services.rosters import add_version
from api.services.scenarios import store
from roster.models import Assignment, Roster
from tests import factories as f

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


def at_once(url: str, posts: list[tuple[str, dict]]) -> list[httpx.Response]:
    """POST each (path, httpx arguments) from its own thread, all released at once; the answers in order."""
    barrier = threading.Barrier(len(posts))
    answers: list[httpx.Response | None] = [None] * len(posts)

    def post(i: int) -> None:
        path, arguments = posts[i]
        with httpx.Client(base_url=url, timeout=60) as c:
            barrier.wait()
            answers[i] = c.post(path, **arguments)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(posts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert None not in answers, "a request failed without an answer"
    return answers


def bearer(token: str) -> dict:
    return {"headers": {"Authorization": f"Bearer {token}"}}


def race(url: str, token: str, roster_ids: list[int]) -> list[httpx.Response]:
    return at_once(url, [(f"/api/rosters/{i}/publish", bearer(token)) for i in roster_ids])


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


# --------------------------------------------------------------------------- what races a publish


def published_now(app) -> RosterRow:
    with app.state.sessions() as s:
        (row,) = s.scalars(select(RosterRow).where(RosterRow.status == "published")).all()
        return row


def holders(row: RosterRow, shift: str) -> list[str]:
    return sorted(a["doctor"] for a in json.loads(row.body)["assignments"] if f"{a['template']}/{a['date']}" == shift)


GIVEAWAYS = [("anne", "dag/2026-11-02", "eva"), ("bjorn", "natt/2026-11-08", "cecilie"),
             ("dag", "natt/2026-11-03", "aase")]  # legal in any order, each waiting for a manager


def test_racing_swap_approvals_each_build_on_the_version_published_before(settings):
    with serving(settings.model_copy(update={"swap_auto_approve": False})) as (app, url, token):
        for _ in range(ROUNDS):
            _, week, tokens = publish_week_in(app)
            ids = []
            for giver, shift, taker in GIVEAWAYS:
                swap = httpx.post(f"{url}/api/lege/{tokens[giver]}/swaps", json={"shift": shift, "taker": taker}).json()
                r = httpx.post(f"{url}/api/lege/{tokens[taker]}/swaps/{swap['id']}/accept")
                assert r.json()["status"] == "accepted", r.text
                ids.append(swap["id"])
            answers = at_once(url, [(f"/api/swaps/{i}/approve", bearer(token)) for i in ids])
            assert [(a.status_code, a.json()["status"]) for a in answers] == [(200, "approved")] * len(ids), \
                [a.text for a in answers]
            published = published_now(app)
            for giver, shift, taker in GIVEAWAYS:  # every approved swap is in the roster doctors see
                assert holders(published, shift) == [taker], (giver, shift)
            with app.state.sessions() as s:  # one chain from the week: each version made from the one before
                versions = {r.id: r for r in s.scalars(select(RosterRow).where(RosterRow.origin == "bytte",
                                                                               RosterRow.parent_id >= week))}
            assert sorted(r.parent_id for r in versions.values()) == [week, *sorted(versions)[:-1]]
            assert max(versions) == published.id
            assert_one_published_and_every_shift_once(app, url)


@pytest.mark.parametrize("auto", [True, False], ids=["rules-approve", "manager-approves"])
def test_an_open_offer_taken_by_several_at_once_goes_to_one(settings, auto):
    takers = ["bjorn", "cecilie", "dag"]  # each may take Åse's night; Cecilie within her share, the others not
    with serving(settings.model_copy(update={"swap_auto_approve": auto})) as (app, url, _):
        for _ in range(ROUNDS):
            _, week, tokens = publish_week_in(app)
            offer = httpx.post(f"{url}/api/lege/{tokens['aase']}/swaps", json={"shift": "natt/2026-11-04"}).json()
            answers = at_once(url, [(f"/api/lege/{tokens[t]}/swaps/{offer['id']}/accept", {}) for t in takers])
            codes = [a.status_code for a in answers]
            assert sorted(codes) == [200, 409, 409], [a.text for a in answers]
            winner = takers[codes.index(200)]
            for a in answers:
                if a.status_code == 409:
                    assert a.json()["problems"] == ["tilbudet er allerede tatt"], a.text
            with app.state.sessions() as s:
                row = s.get(SwapRow, offer["id"])
                assert row.taker == winner and row.status == answers[codes.index(200)].json()["status"]
            published = published_now(app)
            if row.status == "approved":
                assert published.id == row.result_roster_id and holders(published, "natt/2026-11-04") == [winner]
            else:
                assert row.status == "accepted" and published.id == week
                httpx.post(f"{url}/api/lege/{tokens['aase']}/swaps/{offer['id']}/withdraw")  # so she may offer it again


REMOVALS = [("anne", "dag/2026-11-02"), ("bjorn", "natt/2026-11-02"), ("cecilie", "dag/2026-11-03"),
            ("dag", "natt/2026-11-03"), ("eva", "dag/2026-11-04"), ("aase", "natt/2026-11-04"),
            ("anne", "dag/2026-11-05"), ("bjorn", "natt/2026-11-05")]


def test_an_edit_racing_the_publish_of_its_draft_never_changes_the_published_roster(served):
    app, url, token = served
    publish_week_in(app)
    for first, second in zip(REMOVALS[::2], REMOVALS[1::2]):
        base = published_now(app).id
        r = httpx.post(f"{url}/api/rosters/{base}/edits", json={"action": "remove", "doctor": first[0],
                                                                "shift": first[1]}, **bearer(token))
        draft = r.json()["roster"]
        assert (draft["origin"], draft["status"]) == ("endring", "draft"), r.text
        publish, edit = at_once(url, [
            (f"/api/rosters/{draft['id']}/publish", bearer(token)),
            (f"/api/rosters/{draft['id']}/edits", {"json": {"action": "remove", "doctor": second[0], "shift": second[1]},
                                                   **bearer(token)})])
        assert publish.status_code == 200, publish.text
        assert edit.status_code == 201, edit.text
        published = published_now(app)
        assert published.id == draft["id"]
        landed = edit.json()["roster"]
        if landed["id"] == draft["id"]:  # in the draft before it was published
            assert holders(published, second[1]) == []
        else:  # after: in a new draft made from the published one, which keeps the shift
            assert (landed["parent_id"], landed["status"]) == (draft["id"], "draft"), landed
            assert holders(published, second[1]) == [second[0]]
            with app.state.sessions() as s:
                assert holders(s.get(RosterRow, landed["id"]), second[1]) == []
        with app.state.sessions() as s:  # the stored roster is the one doctors see
            indexed = {(r.doctor_id, r.shift_key) for r in s.scalars(
                select(PublishedShiftRow).where(PublishedShiftRow.roster_id == published.id))}
        stored = {(a["doctor"], f"{a['template']}/{a['date']}") for a in json.loads(published.body)["assignments"]}
        assert stored == indexed
