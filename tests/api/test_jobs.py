"""Solve jobs: a bounded pool with a queue, cancellation keeping the best roster, restarts, and the
one-transaction rule for storing a roster."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time

from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from web_helpers import BEFORE_THE_WEEK, PASSWORD, WEEK_START, login, publish_week, tiny_scenario_json, wait_for

from api import jobs
from api.main import create_app
from api.orm import RosterRow, RunRow, ScenarioRow
from api.services import rosters as roster_service
from roster.changes import Changes
from roster.models import ProgressEvent
from tests import factories as f


def medium_scenario_json() -> bytes:
    """Four weeks, 14 doctors: a first roster within about a second, but no proof of optimality for
    much longer, so a run is still busy when the test acts on it."""
    sc = f.scenario(
        "2026-11-01", "2026-11-28",
        templates=[f.template("dag", "08:00", "16:00", label="dag"),
                   f.template("kveld", "16:00", "23:00", label="kveld", demand_min=2, demand_max=2),
                   f.template("natt", "23:00", "08:00", label="natt")],
        doctors=[f.doctor(f"d{i}") for i in range(14)], rules={"max_shifts_per_7_days": 3}, name="middels")
    return sc.model_dump_json().encode()


def upload(client, auth, content: bytes) -> int:
    files = {"file": ("s.json", content, "application/json")}
    return client.post("/api/scenarios", headers=auth, files=files).json()["id"]


def run(client, auth, scenario_id: int, limit: float) -> str:
    r = client.post(f"/api/scenarios/{scenario_id}/runs", headers=auth, json={"time_limit": limit})
    assert r.status_code == 202
    return r.json()["id"]


def start(client, auth, content: bytes, limit: float) -> str:
    return run(client, auth, upload(client, auth, content), limit)


def wait_until(client, run_id, auth, condition, timeout=30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}", headers=auth).json()
        if condition(run):
            return run
        time.sleep(0.05)
    raise AssertionError(f"condition not met: {run}")


def test_start_returns_at_once_and_extra_runs_queue(client, auth):
    scenarios = upload(client, auth, medium_scenario_json()), upload(client, auth, tiny_scenario_json())
    t0 = time.monotonic()  # the starts only: a loaded machine took 6–8 s for the uploads (each parsed in a child)
    busy = run(client, auth, scenarios[0], 30)
    waiting = run(client, auth, scenarios[1], 5)
    assert time.monotonic() - t0 < 5  # the request does not wait for the solver (30 s)
    wait_until(client, busy, auth, lambda r: r["status"] == "running")
    assert client.get(f"/api/runs/{waiting}", headers=auth).json()["status"] == "queued"
    # a queued run is cancelled without ever starting
    assert client.post(f"/api/runs/{waiting}/cancel", headers=auth).status_code == 202
    assert client.get(f"/api/runs/{waiting}", headers=auth).json()["status"] == "cancelled"
    client.post(f"/api/runs/{busy}/cancel", headers=auth)
    final = wait_for(client, busy, auth)
    assert client.get(f"/api/runs/{waiting}", headers=auth).json()["started_at"] is None
    assert final["status"] == "cancelled"


def test_a_run_cancelled_as_a_worker_takes_it_never_starts(client, auth):
    """The cancel lands right after the worker's first read of the queued run. The worker used to
    write «running» over it: the run said «avbrutt før start» and then ran. Now either the cancel
    finds the run queued and it never starts, or it waits for the worker and stops a running run."""
    scenario = upload(client, auth, tiny_scenario_json())
    app, said, landed, fired = client.app, [], threading.Event(), []

    def cancel() -> None:
        with app.state.sessions() as s:
            run_id = s.scalar(select(RunRow.id))
        app.state.jobs.cancel(run_id, "leder")
        with app.state.sessions() as s:
            said.append(s.get_one(RunRow, run_id).message)
        landed.set()

    def after(conn, cursor, statement, *_) -> None:  # noqa: ANN001
        if threading.current_thread().name.startswith("solve") and RunRow.__tablename__ in statement \
                and not fired:
            fired.append(statement)
            threading.Thread(target=cancel).start()
            landed.wait(2)  # the cancel lands now, or waits for the worker's transaction

    event.listen(app.state.engine, "after_cursor_execute", after)
    try:
        final = wait_for(client, run(client, auth, scenario, 5), auth)
    finally:
        event.remove(app.state.engine, "after_cursor_execute", after)
    assert landed.wait(30) and fired
    if said == ["avbrutt før start"]:  # the cancel found it queued: it never starts
        assert (final["status"], final["started_at"], final["roster_id"]) == ("cancelled", None, None), final
    else:  # the worker had taken it: the cancel of a running run (the small solve may end first)
        assert final["started_at"] is not None and final["status"] in ("cancelled", "finished"), final
        assert final["message"] != "avbrutt før start", final


def test_cancel_keeps_the_best_roster_so_far(client, auth):
    run_id = start(client, auth, medium_scenario_json(), 30)
    seen = wait_until(client, run_id, auth, lambda r: r["solutions"] >= 1)
    assert seen["objective"] is not None and seen["status"] == "running"
    assert client.post(f"/api/runs/{run_id}/cancel", headers=auth).status_code == 202
    final = wait_for(client, run_id, auth)
    assert final["status"] == "cancelled"
    assert final["elapsed"] < 25
    roster = client.get(f"/api/rosters/{final['roster_id']}", headers=auth).json()["roster"]
    assert roster["stats"]["status"] == "feasible"
    # every place of the 28 days × (1 + 2 + 1) doctors is either filled or declared open
    assert len(roster["assignments"]) + sum(o["missing"] for o in roster["open_slots"]) == 28 * 4
    assert final["open_slots"] == sum(o["missing"] for o in roster["open_slots"])


def test_restart_marks_running_jobs_interrupted_and_keeps_finished_rosters(settings, auth, client):
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    done = wait_for(client, client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={}).json()["id"], auth)
    with client.app.state.sessions.begin() as s:  # a run the old process was in the middle of
        s.add(RunRow(id="a" * 32, scenario_id=sid, status="running", time_limit=5, created_by="leder"))
        s.add(RunRow(id="b" * 32, scenario_id=sid, status="queued", time_limit=5, created_by="leder"))
    with TestClient(create_app(settings)) as restarted:
        token = restarted.post("/api/token", data={"username": "leder", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        for run_id in ("a" * 32, "b" * 32):
            run = restarted.get(f"/api/runs/{run_id}", headers=headers).json()
            assert run["status"] == "interrupted" and "startet på nytt" in run["message"]
        assert restarted.get(f"/api/runs/{done['id']}", headers=headers).json()["status"] == "finished"
        assert restarted.get(f"/api/rosters/{done['roster_id']}", headers=headers).status_code == 200


def test_an_interrupted_run_starts_again_from_its_page_with_its_own_settings(client, auth):
    """After a restart a manager had to find the scenario again, or retype a re-plan's form."""
    _, base, _ = publish_week(client)
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    sick = Changes(now=dt.datetime(*BEFORE_THE_WEEK), absences=[{"doctor": "anne", "start": WEEK_START, "end": WEEK_START}])
    with client.app.state.sessions.begin() as s:
        s.add(RunRow(id="c" * 32, scenario_id=sid, status="interrupted", time_limit=3, seed=7, created_by="leder"))
        s.add(RunRow(id="d" * 32, scenario_id=s.get_one(RosterRow, base).scenario_id, status="interrupted",
                     time_limit=3, created_by="leder", kind="omplanlegging", base_roster_id=base,
                     changes=sick.model_dump_json(by_alias=True)))
    login(client)
    assert "Start på nytt med de samme innstillingene" in client.get(f"/beregninger/{'c' * 32}").text
    again = {}
    for old in ("c" * 32, "d" * 32):
        r = client.post(f"/beregninger/{old}/start-igjen", follow_redirects=False)
        assert r.status_code == 303
        again[old] = wait_for(client, r.headers["location"].rsplit("/", 1)[1], auth)
    assert (again["c" * 32]["status"], again["c" * 32]["time_limit"], again["c" * 32]["seed"]) == ("finished", 3, 7)
    replanned = again["d" * 32]
    assert replanned["kind"] == "omplanlegging" and replanned["base_roster_id"] == base
    draft = client.get(f"/api/rosters/{replanned['roster_id']}", headers=auth).json()
    assert draft["parent_id"] == base and not any(a["doctor"] == "anne" and a["date"] == WEEK_START
                                                     for a in draft["roster"]["assignments"])
    refused = client.post(f"/beregninger/{replanned['id']}/start-igjen")  # only an interrupted run
    assert "Beregningen ble ikke startet på nytt: bare en beregning som ble avbrutt" in refused.text


def test_a_crash_while_storing_leaves_no_half_written_roster(client, auth, monkeypatch):
    real = roster_service.add_version

    def add_then_crash(*args, **kwargs):
        real(*args, **kwargs)  # the roster row is written (flushed) ...
        raise OSError("disken er full")  # ... and the process fails before the commit

    monkeypatch.setattr(roster_service, "add_version", add_then_crash)
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    run = wait_for(client, client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={}).json()["id"], auth)
    assert run["status"] == "failed"  # in Norwegian, no exception text (the log has the traceback)
    assert run["message"] == "beregningen feilet på grunn av en programfeil; se tjenestens logg"
    assert run["roster_id"] is None
    with client.app.state.sessions() as s:
        assert s.scalars(select(RosterRow)).all() == []
        assert s.get(ScenarioRow, sid) is not None


def test_a_database_refusing_writes_ends_the_run_failed_once_it_takes_them_again(client, auth, monkeypatch):
    """A full disk: the roster cannot be stored, and marking the run failed is refused too. That
    second refusal used to leave the run «running» until the next restart, its stop button
    stopping nothing; now the mark is tried again until the database takes it."""
    full = OperationalError("INSERT", {}, sqlite3.OperationalError("database or disk is full"))
    refusals: list[int] = []
    real_now = jobs.utcnow

    def store_refused(*_, **__):
        refusals.extend([1, 1])  # the next two tries to mark the run failed are refused too
        raise full

    def now():
        if refusals:
            refusals.pop()
            raise full
        return real_now()

    monkeypatch.setattr(roster_service, "add_version", store_refused)
    monkeypatch.setattr(jobs, "utcnow", now)
    monkeypatch.setattr(client.app.state.jobs, "RETRY_SECONDS", 0.05)
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    run = wait_for(client, client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={}).json()["id"], auth, 15)
    assert run["status"] == "failed" and refusals == []
    assert run["message"].startswith("beregningen feilet: databasen tok ikke imot resultatet")


def test_a_roster_breaking_a_hard_rule_cannot_be_published(client, auth):
    """A stored version whose checker findings are not empty is refused (the checker is the judge)."""
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    run = wait_for(client, client.post(f"/api/scenarios/{sid}/runs", headers=auth,
                                       json={"time_limit": 2}).json()["id"], auth)
    with client.app.state.sessions.begin() as s:
        row = s.get_one(RosterRow, run["roster_id"])
        roster = roster_service.load_roster(row)
        doubled = [a.model_copy(update={"doctor": "cecilie" if a.doctor != "cecilie" else "anne"})
                   for a in roster.assignments]  # a second doctor on every one-doctor shift
        both = roster.model_copy(update={"assignments": roster.assignments + doubled})
        scenario = roster_service.scenario_of(s, row)
        bad = roster_service.add_version(s, sid, None, both, roster_service.unexpected(scenario, both))
        bad_id = bad.id
    r = client.post(f"/api/rosters/{bad_id}/publish", headers=auth)
    assert r.status_code == 409 and "bryter harde regler" in r.json()["detail"]
    rules = {v["rule"] for v in client.get(f"/api/rosters/{bad_id}", headers=auth).json()["violations"]}
    assert "bemanning" in rules


def test_the_history_lists_each_better_roster_once_and_a_better_bound_only_on_the_run(client, auth):
    """A better bound moves the run's figures but is no better roster: the page's table and the
    live script list one row per roster (the live script appends a row only when the count moves)."""
    files = {"file": ("s.json", tiny_scenario_json(), "application/json")}
    sid = client.post("/api/scenarios", headers=auth, files=files).json()["id"]
    jobs = client.app.state.jobs
    with jobs.sessions.begin() as s:
        s.add(RunRow(id="r1", scenario_id=sid, status="running", time_limit=10, created_by="test"))
    write = jobs._progress_writer("r1")
    for elapsed, objective, bound, solutions in [(1.0, 500, 0, 1), (1.5, 500, 100, 1), (1.6, 500, 100, 1),
                                                 (2.0, 400, 100, 2), (3.0, 400, 390, 2)]:
        write(ProgressEvent(elapsed=elapsed, objective=objective, bound=bound, gap=None, open_slots=0,
                            solutions=solutions))
    rows = client.get("/api/runs/r1/progress", headers=auth).json()
    assert [(r["elapsed"], r["objective"], r["solutions"]) for r in rows] == [(1.0, 500, 1), (2.0, 400, 2)]
    run = client.get("/api/runs/r1", headers=auth).json()
    assert (run["bound"], run["solutions"]) == (390, 2)
