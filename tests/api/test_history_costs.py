"""Views that read a year of history: each reads only what it shows. The tests count the reads of
whole scenarios (0.1 s each on the Bergen month), so an expensive path that comes back fails here
on a week's data; the timings themselves are in the audit's report, not in tests."""

from __future__ import annotations

from web_helpers import publish_week

from api.services import notices, swaps


def _counting(monkeypatch, module, name: str) -> list:
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *a, **k: calls.append(a) or real(*a, **k))
    return calls


def _edit_and_publish(client, auth, rid: int, **edit) -> int:
    r = client.post(f"/api/rosters/{rid}/edits", headers=auth, json=edit)
    assert r.status_code == 201, r.text
    new = r.json()["roster"]["id"]
    assert client.post(f"/api/rosters/{new}/publish", headers=auth).status_code == 200
    return new


def test_a_doctors_changes_read_only_the_versions_that_changed_their_shifts(client, auth, monkeypatch):
    _, rid, tokens = publish_week(client)
    new = _edit_and_publish(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-03",
                            replaces="cecilie")
    reads = _counting(monkeypatch, notices, "scenario_of")
    assert client.get(f"/api/lege/{tokens['anne']}/changes").json() == []
    assert reads == []  # the new version left Anne's shifts alone: neither roster nor scenario read whole
    assert client.get(f"/api/lege/{tokens['eva']}/changes").json() == [
        {"roster_id": new, "gained": ["dag Bergen legevakt 03.11 08:00–16:00"], "lost": []}]
    assert client.get(f"/api/lege/{tokens['cecilie']}/changes").json() == [
        {"roster_id": new, "gained": [], "lost": ["dag Bergen legevakt 03.11 08:00–16:00"]}]
    assert len(reads) == 2


def test_swaps_on_several_versions_of_one_scenario_read_it_once(client, auth, monkeypatch):
    _, rid, tokens = publish_week(client)
    first = client.post(f"/api/lege/{tokens['anne']}/swaps", json={"shift": "dag/2026-11-02"})
    assert first.status_code == 201, first.text
    _edit_and_publish(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-03", replaces="cecilie")
    second = client.post(f"/api/lege/{tokens['eva']}/swaps", json={"shift": "dag/2026-11-03"})
    assert second.status_code == 201, second.text
    assert first.json()["id"] != second.json()["id"]
    reads = _counting(monkeypatch, swaps, "ShiftIndex")  # built once per scenario read
    recent = client.get("/api/swaps", headers=auth).json()["recent"]
    assert [(s["giver"], s["shift_text"]) for s in recent] == [
        ("eva", "Dag Bergen legevakt 03.11.2026 08:00–16:00"), ("anne", "Dag Bergen legevakt 02.11.2026 08:00–16:00")]
    assert len(reads) == 1


def test_the_swaps_page_prepares_each_published_version_once(client, auth, monkeypatch):
    import roster.swap
    from web_helpers import login

    from api.orm import SwapRow

    client.app.state.settings.swap_auto_approve = False  # every accepted swap waits for a manager
    _, rid, tokens = publish_week(client)
    waiting = []
    for giver, shift, taker in (("cecilie", "dag/2026-11-03", "anne"), ("eva", "dag/2026-11-04", "bjorn")):
        swap = client.post(f"/api/lege/{tokens[giver]}/swaps", json={"shift": shift, "taker": taker}).json()
        assert "id" in swap, swap
        r = client.post(f"/api/lege/{tokens[taker]}/swaps/{swap['id']}/accept")
        assert r.json()["status"] == "accepted", r.text
        waiting.append(swap["id"])
    now = client.app.state.clock()
    with client.app.state.sessions() as s:  # each checked alone, as before
        alone = [swaps.manager_check(s, s.get(SwapRow, i), client.app.state.settings, now) for i in waiting]
    plans = _counting(monkeypatch, roster.swap, "fairness_plan")
    shared: swaps.Checkers = {}
    with client.app.state.sessions() as s:
        together = [swaps.manager_check(s, s.get(SwapRow, i), client.app.state.settings, now, shared)
                    for i in waiting]
    assert together == alone and all(c.legal and c.burden for c in together)
    assert len(plans) == 1 and list(shared) == [rid]
    login(client)
    page = client.get("/bytter")
    assert page.status_code == 200 and all(line in page.text for c in alone for line in c.burden)
    assert len(plans) == 2  # the page: one plan for both swaps


def test_the_overview_and_scenario_page_list_versions_without_reading_them(client, auth):
    """Each swap and edit is a version of the month: a year of them is megabytes of bodies."""
    from sqlalchemy import event
    from web_helpers import login

    sid, rid, _ = publish_week(client)
    new = _edit_and_publish(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-03",
                            replaces="cecilie")
    login(client)
    statements = []
    engine = client.app.state.engine
    listen = lambda *a: statements.append(a[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(engine, "before_cursor_execute", listen)
    try:
        overview, scenario = client.get("/"), client.get(f"/scenarier/{sid}")
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert f'href="/vaktplaner/{new}"' in overview.text and f'href="/vaktplaner/{rid}"' not in overview.text
    assert f'href="/vaktplaner/{new}"' in scenario.text and f'href="/vaktplaner/{rid}"' in scenario.text
    lists = [s for s in statements if "roster_versions.scenario_id = " in s or "BY roster_versions.period_start" in s]
    assert len(lists) == 2 and not [s for s in lists if "roster_versions.body" in s]


def test_the_roster_page_reads_its_scenario_once_for_the_grid_and_the_diff(client, auth, monkeypatch):
    from web_helpers import login

    from api.services import rosters

    _, rid, _ = publish_week(client)
    new = _edit_and_publish(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-03",
                            replaces="cecilie")
    login(client)
    reads = _counting(monkeypatch, rosters, "scenario_of")
    page = client.get(f"/vaktplaner/{new}")
    assert page.status_code == 200 and f"Endringer mot vaktplan {rid}" in page.text
    assert "Eva Fos får dag Bergen legevakt 03.11 08:00–16:00" in page.text
    assert "Cecilie Dahl mister dag Bergen legevakt 03.11 08:00–16:00" in page.text
    assert len(reads) == 1
