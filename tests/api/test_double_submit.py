"""One press, one run: a form's button pressed twice (a double click, a resend, «Start på nytt» in
two tabs) starts one solve, on SQLite and PostgreSQL, with the presses sent one after the other
and at once to a live server. A form shown anew is a new request."""

from __future__ import annotations

import re
import threading

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from test_api import _holder
from test_replan_api import SICK_DAY, _published
from web_helpers import PASSWORD, login, tiny_scenario_json, wait_for

from api.orm import AuditRow, RunRow

NOW = "2026-10-24T12:00"


def form_token(page: str, form_id: str) -> str:
    form = page[page.index(f'id="{form_id}"'):]
    return re.search(r'name="innsending" value="([0-9a-f]{32})"', form[:form.index("</form>")]).group(1)


def runs_of(app) -> list[str]:  # noqa: ANN001 - a FastAPI app
    with app.state.sessions() as s:
        return list(s.scalars(select(RunRow.id).order_by(RunRow.created_at)))


def started(app) -> int:  # noqa: ANN001 - a FastAPI app
    with app.state.sessions() as s:
        return s.scalar(select(func.count()).select_from(AuditRow).where(AuditRow.action == "start-beregning"))


def pressed_at_once(url: str, cookies: httpx.Cookies, path: str, data: dict, times: int) -> set[str]:
    """POST the same form from ``times`` threads released together; where each answer leads."""
    barrier = threading.Barrier(times)
    answers: list[httpx.Response | None] = [None] * times

    def press(i: int) -> None:
        with httpx.Client(base_url=url, cookies=cookies, timeout=60) as c:
            barrier.wait()
            answers[i] = c.post(path, data=data)

    threads = [threading.Thread(target=press, args=(i,)) for i in range(times)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(a is not None and a.status_code == 303 for a in answers), answers
    return {a.headers["location"] for a in answers}


def test_start_pressed_twice_starts_one_run_and_a_form_shown_anew_another(served):
    app, url, token = served
    bearer = {"Authorization": f"Bearer {token}"}
    sid = httpx.post(f"{url}/api/scenarios", headers=bearer,
                     files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    with httpx.Client(base_url=url, timeout=60) as page:
        assert page.post("/logg-inn", data={"brukernavn": "leder", "passord": PASSWORD, "neste": "/"}).status_code == 303
        shown = form_token(page.get(f"/scenarier/{sid}").text, "solve-form")
        form = {"tidsgrense": "2", "innsending": shown}
        first, again = (page.post(f"/scenarier/{sid}/beregn", data=form) for _ in range(2))
        assert first.status_code == again.status_code == 303
        assert first.headers["location"] == again.headers["location"]
        assert len(runs_of(app)) == 1 and started(app) == 1

        shown_again = form_token(page.get(f"/scenarier/{sid}").text, "solve-form")
        assert shown_again != shown
        racing = pressed_at_once(url, page.cookies, f"/scenarier/{sid}/beregn",
                                 {"tidsgrense": "2", "innsending": shown_again}, 3)
        assert len(racing) == 1 and racing != {first.headers["location"]}
        assert len(runs_of(app)) == 2 and started(app) == 2

        # a page opened before the upgrade has no token: each press is a run, as before
        for _ in range(2):
            assert page.post(f"/scenarier/{sid}/beregn", data={"tidsgrense": "2"}).status_code == 303
        assert len(runs_of(app)) == 4 and started(app) == 4
        for run_id in runs_of(app):
            assert wait_for(page, run_id, bearer)["status"] == "finished"


def test_a_token_is_tied_to_its_form(client, auth):
    """The same token sent to another scenario's form is that form's own first press."""
    sids = [client.post("/api/scenarios", headers=auth,
                        files={"file": ("s.json", tiny_scenario_json(f"liten {i}"), "application/json")}).json()["id"]
            for i in range(2)]
    login(client)
    shown = form_token(client.get(f"/scenarier/{sids[0]}").text, "solve-form")
    places = {client.post(f"/scenarier/{sid}/beregn", data={"tidsgrense": "2", "innsending": shown},
                          follow_redirects=False).headers["location"] for sid in sids}
    assert len(places) == 2
    for place in places:
        assert wait_for(client, place.rsplit("/", 1)[1], auth)["status"] == "finished"


def test_the_replan_form_sent_twice_starts_one_replan(client, auth):
    rid, raw = _published(client, auth)
    login(client)
    shown = form_token(client.get(f"/vaktplaner/{rid}").text, "replan-form")
    form = {"lege": _holder(raw, f"dag/{SICK_DAY}"), "hva": "sykdom", "fra": SICK_DAY, "naa": NOW, "innsending": shown}
    places = [client.post(f"/vaktplaner/{rid}/omplanlegg", data=form, follow_redirects=False) for _ in range(2)]
    assert [p.status_code for p in places] == [303, 303]
    assert places[0].headers["location"] == places[1].headers["location"]
    run = wait_for(client, places[0].headers["location"].rsplit("/", 1)[1], auth)
    assert run["kind"] == "omplanlegging" and run["status"] == "finished"
    with client.app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(RunRow).where(RunRow.kind == "omplanlegging")) == 1


def test_an_interrupted_run_restarts_once_and_its_page_leads_to_the_restart(client, auth):
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    with client.app.state.sessions.begin() as s:
        s.add(RunRow(id="e" * 32, scenario_id=sid, status="interrupted", time_limit=2, seed=3, created_by="leder"))
    login(client)
    presses = [client.post(f"/beregninger/{'e' * 32}/start-igjen", follow_redirects=False) for _ in range(2)]
    assert presses[0].headers["location"] == presses[1].headers["location"] != f"/beregninger/{'e' * 32}"
    assert len(runs_of(client.app)) == 2
    page = client.get(f"/beregninger/{'e' * 32}").text
    assert f'<a href="{presses[0].headers["location"]}">Startet på nytt: se den nye beregningen</a>' in page
    assert "Start på nytt med de samme innstillingene" not in page
    assert wait_for(client, presses[0].headers["location"].rsplit("/", 1)[1], auth)["seed"] == 3


def test_the_database_refuses_a_second_run_for_one_submission(client, auth):
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    with client.app.state.sessions.begin() as s:
        s.add(RunRow(id="f" * 32, scenario_id=sid, status="finished", time_limit=2, created_by="leder",
                     submission="beregn:1:" + "0" * 32))
    with pytest.raises(IntegrityError), client.app.state.sessions.begin() as s:
        s.add(RunRow(id="a" * 32, scenario_id=sid, status="queued", time_limit=2, created_by="leder",
                     submission="beregn:1:" + "0" * 32))
    assert runs_of(client.app) == ["f" * 32]


def test_an_api_retry_with_its_idempotency_key_finds_the_run_it_started(client, auth):
    sids = [client.post("/api/scenarios", headers=auth,
                        files={"file": ("s.json", tiny_scenario_json(f"liten {i}"), "application/json")}).json()["id"]
            for i in range(2)]
    keyed = {**auth, "Idempotency-Key": "maanedsplan-2026-10:1"}
    first, retry = (client.post(f"/api/scenarios/{sids[0]}/runs", headers=keyed, json={"time_limit": 2})
                    for _ in range(2))
    assert first.status_code == retry.status_code == 202 and first.json()["id"] == retry.json()["id"]
    other = client.post(f"/api/scenarios/{sids[1]}/runs", headers=keyed, json={"time_limit": 2}).json()["id"]
    seeded = client.post(f"/api/scenarios/{sids[0]}/runs", headers=keyed, json={"time_limit": 2, "seed": 1}).json()
    assert seeded["seed"] == 1  # the same key asking for other settings gets what it asks
    unkeyed = {client.post(f"/api/scenarios/{sids[0]}/runs", headers=auth, json={"time_limit": 2}).json()["id"]
               for _ in range(2)}
    assert len({first.json()["id"], other, seeded["id"], *unkeyed}) == 5 and len(runs_of(client.app)) == 5
    for run_id in runs_of(client.app):
        assert wait_for(client, run_id, auth)["status"] == "finished"


@pytest.mark.parametrize(("key", "problem"), [("", "kan ikke være tom"), ("x" * 65, "er for lang (høyst 64 tegn"),
                                              ("nøkkel".encode(), "ugyldig tekst"), ("a b", "ugyldig tekst (fikk «a b»)")])
def test_a_malformed_idempotency_key_is_refused_in_norwegian_and_starts_nothing(client, auth, key, problem):
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    r = client.post(f"/api/scenarios/{sid}/runs", headers={**auth, "Idempotency-Key": key}, json={"time_limit": 2})
    assert r.status_code == 422, r.text
    assert [p for p in r.json()["problems"] if p.startswith(f"header.Idempotency-Key: {problem}")], r.json()
    assert runs_of(client.app) == []


def test_an_api_replan_retried_with_its_key_starts_one_replan(client, auth):
    rid, raw = _published(client, auth)
    change = {"now": NOW, "absences": [{"doctor": _holder(raw, f"dag/{SICK_DAY}"), "start": SICK_DAY, "end": SICK_DAY}]}
    keyed = {**auth, "Idempotency-Key": "sykmelding-anne"}
    ids = {client.post(f"/api/rosters/{rid}/replan/runs", headers=keyed, json=change).json()["run_id"]
           for _ in range(2)}
    assert len(ids) == 1 and wait_for(client, ids.pop(), auth)["kind"] == "omplanlegging"
    with client.app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(RunRow).where(RunRow.kind == "omplanlegging")) == 1
