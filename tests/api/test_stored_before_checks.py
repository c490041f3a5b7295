"""Data stored by an older version that today's bounds refuse (issue 14: a weight of 10¹⁵ made a
scenario's pages fail forever): its pages, API and solves say so in Norwegian, and the service
still starts."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select
from web_helpers import login, tiny_scenario_json, wait_for

from api.main import create_app
from api.orm import PublishedDoctorRow, RosterRow, ScenarioRow
from roster.models import Roster


def stale_scenario(app) -> int:
    body = json.loads(tiny_scenario_json())
    body["rules"]["weights"]["open_slot"] = 10**15  # accepted before the bounds
    with app.state.sessions() as s:
        start, end = (dt.date.fromisoformat(body["period"][k]) for k in ("start", "end"))
        row = ScenarioRow(name="gammel", period_start=start, period_end=end,
                          source="eldre versjon", body=json.dumps(body), created_by="leder")
        s.add(row)
        s.commit()
        return row.id


def test_a_scenario_stored_before_the_bounds_is_explained_not_a_500(client, auth):
    sid = stale_scenario(client.app)
    api = client.get(f"/api/scenarios/{sid}/body", headers=auth)
    assert api.status_code == 422
    assert api.json()["problems"][0].startswith(f"scenario {sid} ble lagret før dagens kontroller")
    assert any(p.startswith("rules.weights.open_slot: kan være høyst") for p in api.json()["problems"])
    run = wait_for(client, client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={"time_limit": 1}).json()["id"],
                   auth)
    assert run["status"] == "failed" and "ble lagret før dagens kontroller" in run["message"]
    login(client)
    page = client.get(f"/scenarier/{sid}")
    assert page.status_code == 422 and "Dataene kunne ikke leses" in page.text and "rules.weights.open_slot" in page.text


def test_the_service_starts_with_such_a_scenario_published(settings):
    app = create_app(settings)
    sid = stale_scenario(app)
    with app.state.sessions() as s:
        scenario = s.get_one(ScenarioRow, sid)
        roster = Roster(scenario="gammel", period={"start": scenario.period_start, "end": scenario.period_end})
        s.add(RosterRow(scenario_id=sid, status="published", period_start=scenario.period_start,
                        period_end=scenario.period_end, body=roster.model_dump_json()))
        s.commit()
    app.state.engine.dispose()
    again = create_app(settings)  # the start-up indexing skips what it cannot read
    with again.state.sessions() as s:
        assert s.scalars(select(PublishedDoctorRow)).all() == []
