"""POST /api/rosters/{id}/replan: a published roster repaired after sick leave becomes a new draft."""

from __future__ import annotations

from test_api import _holder, solved

SICK_DAY = "2026-10-25"


def _published(client, auth) -> tuple[int, dict]:
    _, run = solved(client, auth)
    rid = run["roster_id"]
    assert client.post(f"/api/rosters/{rid}/publish", headers=auth).status_code == 200
    return rid, client.get(f"/api/rosters/{rid}/roster.json", headers=auth).json()


def test_replan_creates_a_draft_with_the_diff(client, auth):
    rid, raw = _published(client, auth)
    sick = _holder(raw, f"dag/{SICK_DAY}")
    r = client.post(f"/api/rosters/{rid}/replan", headers=auth, json={
        "now": "2026-10-24T12:00",
        "absences": [{"doctor": sick, "start": SICK_DAY, "end": SICK_DAY, "kind": "sykdom"}]})
    assert r.status_code == 201, r.text
    body = r.json()
    new = body["roster"]
    assert new["id"] != rid and new["status"] == "draft" and new["violations"] == []
    assert {"doctor": sick, "template": "dag", "date": SICK_DAY} in body["removed"]
    assert all(a["doctor"] != sick or a["date"] != SICK_DAY for a in new["roster"]["assignments"])
    assert body["changes"] == len(body["added"]) + len(body["removed"]) >= 2
    assert any(" mister dag " in line for line in body["diff"]) and any(" får " in line for line in body["diff"])
    # The new version belongs to a stored scenario that carries the absence.
    scenario = client.get(f"/api/scenarios/{new['scenario_id']}/body", headers=auth).json()
    assert scenario["absences"][-1]["doctor"] == sick
    assert client.get(f"/api/rosters/{rid}", headers=auth).json()["status"] == "published"
    assert "omplanlegg" in [a["action"] for a in client.get("/api/audit", headers=auth).json()]


def test_replan_refuses_bad_changes_with_norwegian_problems(client, auth):
    rid, _ = _published(client, auth)
    r = client.post(f"/api/rosters/{rid}/replan", headers=auth, json={
        "absences": [{"doctor": "ukjent", "start": SICK_DAY, "end": SICK_DAY}], "leaving": [{"doctor": "anne"}]})
    assert r.status_code == 422
    assert r.json() == {"detail": "ugyldig endringsfil", "problems": ["leaving[0].from: mangler"]}
    r = client.post(f"/api/rosters/{rid}/replan", headers=auth, json={
        "absences": [{"doctor": "ukjent", "start": SICK_DAY, "end": SICK_DAY}]})
    assert r.status_code == 422
    assert r.json()["problems"] == ["absences[0].doctor: lege «ukjent» finnes ikke"]
    assert len(client.get("/api/rosters", headers=auth).json()) == 1  # nothing stored


def test_replan_needs_a_manager_and_a_published_roster(client, auth):
    _, run = solved(client, auth)
    draft = run["roster_id"]
    r = client.post(f"/api/rosters/{draft}/replan", json={"absences": []},
                    headers={"Authorization": "Bearer ikke-et-token"})
    assert r.status_code == 401
    r = client.post(f"/api/rosters/{draft}/replan", headers=auth, json={"absences": []})
    assert r.status_code == 409 and "bare den publiserte" in r.json()["detail"]
    assert client.post("/api/rosters/999/replan", headers=auth, json={}).status_code == 404
