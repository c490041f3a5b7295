"""The JSON API end to end on a tiny scenario: upload, solve, progress, publish, doctor links, iCal,
and every refusal (no token, wrong doctor link, bad upload, publishing twice)."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from icalendar import Calendar
from web_helpers import PASSWORD, tiny_scenario_json, wait_for

from roster.calendar import OSLO
from roster.models import Scenario


def upload(client, auth, content: bytes | None = None, name: str = "liten.json"):
    return client.post("/api/scenarios", headers=auth,
                       files={"file": (name, tiny_scenario_json() if content is None else content, "application/json")})


def solved(client, auth, **params) -> tuple[int, dict]:
    sid = upload(client, auth).json()["id"]
    r = client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={"time_limit": 10, **params})
    assert r.status_code == 202
    return sid, wait_for(client, r.json()["id"], auth)


# ---------------------------------------------------------------------------- access


def test_login_refuses_wrong_password(client):
    r = client.post("/api/token", data={"username": "leder", "password": "feil"})
    assert r.status_code == 401
    assert client.post("/api/token", data={"username": "ukjent", "password": PASSWORD}).status_code == 401


def test_every_manager_endpoint_refuses_without_token(client):
    calls = [("get", "/api/scenarios"), ("post", "/api/scenarios"), ("post", "/api/scenarios/bergen"),
             ("get", "/api/scenarios/1"), ("get", "/api/scenarios/1/body"), ("post", "/api/scenarios/1/runs"),
             ("get", "/api/scenarios/1/doctors"), ("get", "/api/runs/x"), ("get", "/api/runs/x/progress"),
             ("get", "/api/runs/x/events"), ("post", "/api/runs/x/cancel"), ("get", "/api/rosters"),
             ("get", "/api/rosters/1"), ("get", "/api/rosters/1/metrics"), ("get", "/api/rosters/1/workbook"),
             ("get", "/api/rosters/1/roster.json"), ("get", "/api/rosters/1/report"),
             ("post", "/api/rosters/1/publish"), ("post", "/api/rosters/1/swap-check"), ("post", "/api/rosters/1/replan"),
             ("post", "/api/doctors/anne/link"), ("get", "/api/audit"),
             ("post", "/api/logout")]
    for method, path in calls:
        r = getattr(client, method)(path, headers={"Authorization": "Bearer ikke-et-token"})
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.json()["detail"] == "innlogging som leder kreves"


def test_logout_ends_the_token(client, auth):
    assert client.get("/api/scenarios", headers=auth).status_code == 200
    assert client.post("/api/logout", headers=auth).status_code == 204
    assert client.get("/api/scenarios", headers=auth).status_code == 401


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/scenarios/{scenario_id}/runs" in paths and "/lege/{token}/kalender.ics" in paths


# ---------------------------------------------------------------------------- scenarios


def test_upload_stores_a_valid_scenario(client, auth):
    r = upload(client, auth)
    assert r.status_code == 201
    sid = r.json()["id"]
    assert r.json()["period_start"] == "2026-10-24"
    assert [s["id"] for s in client.get("/api/scenarios", headers=auth).json()] == [sid]
    body = client.get(f"/api/scenarios/{sid}/body", headers=auth).json()
    assert [d["id"] for d in body["doctors"]] == ["anne", "bjorn", "cecilie"]


def test_bad_upload_lists_every_problem_in_norwegian_and_stores_nothing(client, auth):
    data = json.loads(tiny_scenario_json())
    data["doctors"][0]["role"] = "kirurg"
    data["templates"][0]["station"] = "MARS"
    r = upload(client, auth, json.dumps(data).encode())
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert any(p.startswith("doctors[0].role: ugyldig verdi «kirurg»") for p in problems)
    assert any("templates[0].station: ukjent stasjon «MARS»" in p for p in problems)
    assert client.get("/api/scenarios", headers=auth).json() == []


def test_bad_workbook_upload_names_the_sheet_and_cell(client, auth, tmp_path):
    from roster.excel import write_template

    path = tmp_path / "plan.xlsx"
    write_template(path, Scenario.model_validate_json(tiny_scenario_json()))
    wb = openpyxl.load_workbook(path)
    wb["Leger"]["C3"] = "kirurg"
    wb.save(path)
    r = upload(client, auth, path.read_bytes(), "plan.xlsx")
    assert r.status_code == 422
    (problem,) = r.json()["problems"]
    assert problem.startswith("Leger!C3: ukjent rolle «kirurg»")
    wb["Leger"]["C3"] = "fastlege"
    wb.save(path)
    assert upload(client, auth, path.read_bytes(), "plan.xlsx").status_code == 201


def test_upload_refuses_wrong_type_empty_and_broken_files(client, auth):
    assert "ukjent filtype" in upload(client, auth, b"x", "plan.docx").json()["problems"][0]
    assert upload(client, auth, b"", "plan.json").json()["problems"] == ["filen er tom"]
    broken = upload(client, auth, b"{ikke json", "plan.json")
    assert broken.status_code == 422 and "ugyldig JSON" in broken.json()["problems"][0]


def test_bergen_example_loads(client, auth):
    r = client.post("/api/scenarios/bergen", headers=auth)
    assert r.status_code == 201
    assert r.json()["period_start"] == "2026-12-01"
    assert client.get("/api/scenarios/999", headers=auth).status_code == 404


# ---------------------------------------------------------------------------- solving


def test_solve_runs_in_background_and_stores_a_draft(client, auth):
    sid, run = solved(client, auth)
    assert run["status"] == "finished" and run["solver_status"] in ("optimal", "feasible")
    assert run["roster_id"] is not None and run["objective"] is not None
    progress = client.get(f"/api/runs/{run['id']}/progress", headers=auth).json()
    assert progress and progress[-1]["solutions"] >= 1
    roster = client.get(f"/api/rosters/{run['roster_id']}", headers=auth).json()
    assert roster["status"] == "draft" and roster["violations"] == []
    assert len(roster["roster"]["assignments"]) == 4  # 2 days × (dag + natt)
    listed = client.get(f"/api/rosters?scenario_id={sid}", headers=auth).json()
    assert [r["id"] for r in listed] == [run["roster_id"]]
    # the listing tells versions apart without their shifts, with the same figures as the version's own
    assert listed[0] == {k: v for k, v in roster.items() if k != "roster"}


def test_solve_parameters_are_validated(client, auth):
    sid = upload(client, auth).json()["id"]
    assert client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={"time_limit": -1}).status_code == 422
    too_long = client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={"time_limit": 10**6})
    assert too_long.status_code == 422 and "høyst" in too_long.json()["detail"]
    assert client.post("/api/scenarios/999/runs", headers=auth, json={}).status_code == 404
    assert client.get("/api/runs/finnes-ikke", headers=auth).status_code == 404


def test_events_stream_progress_and_end(client, auth):
    sid = upload(client, auth).json()["id"]
    run_id = client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={"time_limit": 10}).json()["id"]
    with client.stream("GET", f"/api/runs/{run_id}/events", headers=auth) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        text = "".join(r.iter_text())
    events = [block for block in text.split("\n\n") if block.startswith("event:")]
    assert events[0].startswith("event: progress")
    assert events[-1].startswith("event: end")
    final = json.loads(events[-1].split("data: ", 1)[1])
    assert final["status"] == "finished" and final["roster_id"]


def test_cancelling_a_finished_run_is_refused(client, auth):
    _, run = solved(client, auth)
    assert client.post(f"/api/runs/{run['id']}/cancel", headers=auth).status_code == 409


def test_metrics_and_downloads(client, auth):
    _, run = solved(client, auth)
    rid = run["roster_id"]
    metrics = client.get(f"/api/rosters/{rid}/metrics", headers=auth).json()
    assert sorted(m["doctor"] for m in metrics) == ["anne", "bjorn", "cecilie"]
    assert sum(m["shifts"] for m in metrics) == 4
    xlsx = client.get(f"/api/rosters/{rid}/workbook", headers=auth)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    report = client.get(f"/api/rosters/{rid}/report", headers=auth)
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "Anne Aas" in report.text and "<svg" in report.text
    raw = client.get(f"/api/rosters/{rid}/roster.json", headers=auth).json()
    assert raw["scenario"] == "liten" and len(raw["assignments"]) == 4


def _holder(raw: dict, shift: str) -> str:
    return next(a["doctor"] for a in raw["assignments"] if f"{a['template']}/{a['date']}" == shift)


def test_swap_check_refuses_a_trade_that_breaks_the_rest_rule(client, auth):
    _, run = solved(client, auth)
    rid = run["roster_id"]
    raw = client.get(f"/api/rosters/{rid}/roster.json", headers=auth).json()
    giver, taker = _holder(raw, "dag/2026-10-25"), _holder(raw, "natt/2026-10-24")
    # The night ends 08:00 on the 25th, when the day shift starts: no rest at all.
    r = client.post(f"/api/rosters/{rid}/swap-check", headers=auth,
                    json={"giver": giver, "shift": "dag/2026-10-25", "taker": taker})
    assert r.status_code == 200
    body = r.json()
    assert body["legal"] is False
    assert [v["rule"] for v in body["new_violations"]] == ["hvile"]
    assert [b["doctor"] for b in body["burden"]] == [giver, taker]
    before, after = body["burden"][1]["points_before"], body["burden"][1]["points_after"]
    assert after > before


def test_swap_check_refuses_a_shift_the_giver_does_not_hold(client, auth):
    _, run = solved(client, auth)
    rid = run["roster_id"]
    raw = client.get(f"/api/rosters/{rid}/roster.json", headers=auth).json()
    holder = _holder(raw, "natt/2026-10-24")
    other = next(d for d in ("anne", "bjorn", "cecilie") if d != holder)
    r = client.post(f"/api/rosters/{rid}/swap-check", headers=auth,
                    json={"giver": other, "shift": "natt/2026-10-24", "taker": holder})
    assert r.status_code == 422
    assert "har ikke vakten" in " ".join(r.json()["detail"])


# ---------------------------------------------------------------------------- publishing


def test_publish_once_then_supersede(client, auth):
    sid, first = solved(client, auth)
    r = client.post(f"/api/rosters/{first['roster_id']}/publish", headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "published" and r.json()["published_by"] == "leder"
    again = client.post(f"/api/rosters/{first['roster_id']}/publish", headers=auth)
    assert again.status_code == 409 and "allerede publisert" in again.json()["detail"]
    _, second = solved(client, auth, seed=1)
    client.post(f"/api/rosters/{second['roster_id']}/publish", headers=auth)
    old = client.get(f"/api/rosters/{first['roster_id']}", headers=auth).json()
    assert old["status"] == "superseded" and old["superseded_by"] == second["roster_id"]
    actions = [a["action"] for a in client.get("/api/audit", headers=auth).json()]
    assert actions.count("publiser") == 2 and "last-opp" in actions and "start-beregning" in actions


# ---------------------------------------------------------------------------- doctors and iCal


def published_links(client, auth) -> dict[str, dict]:
    sid, run = solved(client, auth)
    client.post(f"/api/rosters/{run['roster_id']}/publish", headers=auth)
    return {d["doctor"]: d for d in client.get(f"/api/scenarios/{sid}/doctors", headers=auth).json()}


def test_doctor_link_shows_only_that_doctors_shifts(client, auth):
    links = published_links(client, auth)
    seen = {}
    for doctor, link in links.items():
        token = link["page"].rsplit("/", 1)[1]
        body = client.get(f"/api/lege/{token}").json()
        assert body["doctor"] == doctor
        seen[doctor] = {s["shift"] for s in body["shifts"]}
        page = client.get(f"/lege/{token}")
        assert page.status_code == 200
        others = [links[o]["name"] for o in links if o != doctor]
        assert link["name"] in page.text and not any(n in page.text for n in others)
    assert sum(len(v) for v in seen.values()) == 4
    assert len(set().union(*seen.values())) == 4  # no shift shown to two doctors


def test_wrong_or_rotated_doctor_link_is_refused(client, auth):
    links = published_links(client, auth)
    assert client.get("/lege/gjettet-lenke").status_code == 404
    assert client.get("/api/lege/gjettet-lenke").status_code == 404
    assert client.get("/lege/gjettet-lenke/kalender.ics").status_code == 404
    old = links["anne"]["page"].rsplit("/", 1)[1]
    r = client.post("/api/doctors/anne/link", headers=auth)
    assert r.status_code == 200
    new = r.json()["page"].rsplit("/", 1)[1]
    assert new != old
    assert client.get(f"/lege/{old}").status_code == 404
    assert client.get(f"/api/lege/{new}").json()["doctor"] == "anne"


def test_ical_feed_has_oslo_times_across_the_dst_night(client, auth):
    links = published_links(client, auth)
    events = []  # (feed path, event)
    for link in links.values():
        path = "/lege/" + link["feed"].rsplit("/", 2)[1] + "/kalender.ics"
        r = client.get(path)
        assert r.headers["content-type"].startswith("text/calendar")
        cal = Calendar.from_ical(r.content)
        assert any(tz["TZID"] == "Europe/Oslo" for tz in cal.walk("VTIMEZONE"))
        assert b"DTSTART;TZID=Europe/Oslo:" in r.content
        events += [(path, e) for e in cal.walk("VEVENT")]
    assert len(events) == 4
    ((path, night),) = [(p, e) for p, e in events if e["DTSTART"].dt.date() == dt.date(2026, 10, 24)
                        and e["DTSTART"].dt.hour == 23]
    start, end = night["DTSTART"].dt, night["DTEND"].dt
    assert start == dt.datetime(2026, 10, 24, 23, 0, tzinfo=OSLO)
    assert end == dt.datetime(2026, 10, 25, 8, 0, tzinfo=OSLO)
    assert (end - start.astimezone(dt.timezone.utc)).total_seconds() == 10 * 3600  # summer time ends
    # the UID is stable: the same shift keeps its UID when fetched again, and names nobody
    again = Calendar.from_ical(client.get(path).content)
    assert str(night["UID"]) in {str(e["UID"]) for e in again.walk("VEVENT")}
    assert all(doctor not in str(e["UID"]) and "natt" not in str(e["UID"]) for doctor in links for _, e in events)


def test_doctors_see_only_the_published_version(client, auth):
    sid, first = solved(client, auth)
    links = {d["doctor"]: d["page"].rsplit("/", 1)[1]
             for d in client.get(f"/api/scenarios/{sid}/doctors", headers=auth).json()}

    def shifts() -> set[int]:
        """The roster versions the doctors' links show shifts from."""
        return {s["roster_id"] for t in links.values() for s in client.get(f"/api/lege/{t}").json()["shifts"]}

    assert shifts() == set()  # a draft is not shown
    client.post(f"/api/rosters/{first['roster_id']}/publish", headers=auth)
    assert shifts() == {first["roster_id"]}
    _, second = solved(client, auth, seed=3)
    client.post(f"/api/rosters/{second['roster_id']}/publish", headers=auth)
    assert shifts() == {second["roster_id"]}  # the superseded version is gone from the doctors' pages


# ---------------------------------------------------------------------------- issue 15


def test_rest_below_the_legal_floor_is_refused_or_audited_with_its_reason(client, auth):
    data = json.loads(tiny_scenario_json())
    data["rules"]["rest_hours_self_employed"] = 6
    r = upload(client, auth, json.dumps(data).encode())
    assert r.status_code == 422 and any("SFS 2305 pkt 7.4" in p for p in r.json()["problems"])
    data["rules"]["legal_floor_override"] = "Forsøksordning godkjent av kommuneoverlegen 01.10.2026"
    assert upload(client, auth, json.dumps(data).encode()).status_code == 201
    audit = [a for a in client.get("/api/audit", headers=auth).json() if a["action"] == "unntak-hviletid"]
    assert len(audit) == 1 and "kommuneoverlegen" in audit[0]["detail"] and "6 timer" in audit[0]["detail"]


def test_an_alis_page_counts_the_shifts_towards_forty(client, auth):
    data = json.loads(tiny_scenario_json())
    data["doctors"][0]["role"] = "ALIS"
    data["doctors"][0]["competence"] = {"qualified": True, "legevakt_shifts_done": 37}
    sid = upload(client, auth, json.dumps(data).encode()).json()["id"]
    run = client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={"time_limit": 10})
    roster_id = wait_for(client, run.json()["id"], auth)["roster_id"]
    client.post(f"/api/rosters/{roster_id}/publish", headers=auth)
    links = {d["doctor"]: d for d in client.get(f"/api/scenarios/{sid}/doctors", headers=auth).json()}
    mine = len([a for a in client.get(f"/api/rosters/{roster_id}/roster.json", headers=auth).json()["assignments"]
                if a["doctor"] == "anne"])
    page = client.get(links["anne"]["page"].replace("http://testserver", "")).text
    assert "Mot 40 legevakter" in page and f"{37 + mine} i alt" in page
    assert f"{40 - 37 - mine} igjen" in page if 37 + mine < 40 else "Du har nådd 40" in page
    other = client.get(links["bjorn"]["page"].replace("http://testserver", "")).text
    assert "Mot 40 legevakter" not in other


def test_a_runs_objective_bound_and_gap_are_of_one_level(client, auth):
    """A lexicographic solve proves bounds per level: the run shows the level's value beside the
    level's bound, so the gap is the distance between the two numbers it shows."""
    _, run = solved(client, auth)
    assert run["level"] >= 1
    assert run["bound"] <= run["objective"] + 1e-9
    assert run["gap"] == pytest.approx((run["objective"] - run["bound"]) / max(1.0, abs(run["objective"])))


def test_an_alis_page_says_from_when_they_may_work_alone(client, auth):
    """Anne, ALIS with 37 shifts, 40 months of clinical service and half a year as a municipal GP
    when the period (24–25 October 2026) starts: that year is complete about 24 April 2027, so she
    may work alone from May 2027 whatever this roster gives her (a qualified doctor's page says
    nothing of it)."""
    data = json.loads(tiny_scenario_json())
    data["doctors"][0]["role"] = "ALIS"
    data["doctors"][0]["competence"] = {"qualified": None, "clinical_months": 40, "legevakt_shifts_done": 37,
                                        "municipal_gp_years": 0.5}
    sid = upload(client, auth, json.dumps(data).encode()).json()["id"]
    run = client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={"time_limit": 10})
    roster_id = wait_for(client, run.json()["id"], auth)["roster_id"]
    client.post(f"/api/rosters/{roster_id}/publish", headers=auth)
    links = {d["doctor"]: d for d in client.get(f"/api/scenarios/{sid}/doctors", headers=auth).json()}
    page = client.get(links["anne"]["page"].replace("http://testserver", "")).text
    assert "kan du gå vakt alene fra\n    <strong>mai 2027</strong>" in page
    other = client.get(links["bjorn"]["page"].replace("http://testserver", "")).text
    assert "gå vakt alene fra" not in other
