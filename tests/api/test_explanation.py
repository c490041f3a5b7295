"""Solve jobs explain open slots (solver.explain) and store the explanation with the roster; a
strict run without roster explains in its message; the roster page shows it, escaped."""

from __future__ import annotations

import threading
import time

import solver.explain
from test_jobs import start, wait_until
from web_helpers import login, open_slots_scenario_json, tiny_scenario_json, wait_for

from api.orm import RosterRow
from api.services import rosters as roster_service
from roster.models import Clash, Explanation
from tests import factories as f

NIGHT_FIX = "Senk bemanningen på Natt Bergen legevakt 24.10 23:00–08:00 fra 2 til 1"


def test_open_slots_are_explained_in_the_stored_roster_and_on_its_page(client, auth):
    run = wait_for(client, start(client, auth, open_slots_scenario_json(), 5), auth)
    assert run["status"] == "finished" and run["open_slots"] == 2
    assert "2 konflikter mellom krav forklart på vaktplansiden" in run["message"]
    ex = client.get(f"/api/rosters/{run['roster_id']}", headers=auth).json()["roster"]["explanation"]
    assert ex["status"] == "konflikter" and ex["verified"] is True and ex["complete"] is True
    assert len(ex["clashes"]) == 2
    assert all(NIGHT_FIX in c["fixes"] for c in ex["clashes"])
    # the stored roster file carries it too (what the workbook and roster.json show)
    assert client.get(f"/api/rosters/{run['roster_id']}/roster.json", headers=auth).json()["explanation"] == ex
    login(client)
    page = client.get(f"/vaktplaner/{run['roster_id']}").text
    section = page[page.index('id="forklaring"'):page.index("Ubesatte plasser")]
    assert "Hvorfor ikke alle vakter kan fylles" in section
    assert "Ingen fullstendig vaktplan er mulig: 2 konflikter" in section
    assert section.count("<li><p>") == 2  # one item per clash, with its summary
    assert "Dag Bergen legevakt 25.10 08:00–16:00 krever 1 lege" in section
    assert "Bjørn Berg må ha 8 t hvile mellom to vakter" in section
    assert NIGHT_FIX in section and 'id="verified"' in section


def test_the_page_names_who_can_take_the_shift_and_why_the_place_stays_unfilled(client, auth):
    """Issue 19: the explanation and the unfilled place on the roster page name the one doctor
    who may work alone at Fana and the two who may work there, but not alone."""
    scenario = f.one_may_work_alone().model_dump_json().encode()
    run = wait_for(client, start(client, auth, scenario, 5), auth)
    assert run["status"] == "finished" and run["open_slots"] == 1
    login(client)
    page = " ".join(client.get(f"/vaktplaner/{run['roster_id']}").text.split())
    explanation = page[page.index('id="forklaring"'):page.index('id="ubesatt"')]
    assert ("Natt Fana legevakt 05.12 23:00–08:00 krever 2 leger som kan gå alene. Bare Kari Nordmann kan ta den; "
            "Ola Hansen og Per Olsen (kan ikke gå alene) kunne tatt den om én ting var annerledes.") in explanation
    unfilled = page[page.index('id="ubesatt"'):]
    assert ("1 ubesatt – 3 mulige leger: 1 er satt på vakten (Kari Nordmann) og 2 kan ikke gå alene "
            "(Ola Hansen og Per Olsen)") in unfilled


def test_a_roster_without_open_slots_gets_no_explanation(client, auth):
    """The tiny scenario has no bakvakt shift and the pilot's rule off (``specialist_bakvakt``),
    so no hour is "without bakvakt" either: nothing to explain."""
    run = wait_for(client, start(client, auth, tiny_scenario_json(), 5), auth)
    roster = client.get(f"/api/rosters/{run['roster_id']}", headers=auth).json()["roster"]
    assert roster["open_slots"] == [] and roster["uncovered_bakvakt"] == [] and roster["explanation"] is None
    login(client)
    assert "Hvorfor ikke alle vakter kan fylles" not in client.get(f"/vaktplaner/{run['roster_id']}").text


def test_explaining_is_off_with_a_zero_time_limit(client, auth, monkeypatch):
    monkeypatch.setattr(client.app.state.settings, "explain_time_limit", 0)
    run = wait_for(client, start(client, auth, open_slots_scenario_json(), 5), auth)
    assert run["open_slots"] == 2 and "forklart" not in run["message"]
    assert client.get(f"/api/rosters/{run['roster_id']}", headers=auth).json()["roster"]["explanation"] is None


def test_a_strict_run_without_roster_explains_why_in_its_message(client, auth):
    files = {"file": ("s.json", open_slots_scenario_json(), "application/json")}
    sid = client.post("/api/scenarios", headers=auth, files=files).json()["id"]
    run_id = client.post(f"/api/scenarios/{sid}/runs", headers=auth,
                         json={"time_limit": 5, "strict": True}).json()["id"]
    run = wait_for(client, run_id, auth)
    assert run["status"] == "finished" and run["solver_status"] == "infeasible" and run["roster_id"] is None
    first, _, rest = run["message"].partition("\n")
    assert first.startswith("ingen vaktplan funnet (umulig: ingen vaktplan oppfyller alle harde regler)")
    assert "Ingen fullstendig vaktplan er mulig. Fant 2 konflikter mellom krav" in rest and NIGHT_FIX in rest
    login(client)
    assert NIGHT_FIX in client.get(f"/beregninger/{run_id}").text  # the run page shows it all
    listing = client.get(f"/scenarier/{sid}").text
    assert first in listing and NIGHT_FIX not in listing  # the list of runs only its first line


def test_a_run_without_strict_that_finds_no_roster_explains_why_too(client, auth):
    """Anne pinned to the day and the night of 24.10 has 7 h between them and needs 8: no roster
    in either mode, and the manager who did not ask for strict mode needs the reason as much."""
    sc = f.scenario("2026-10-24", "2026-10-25",
                    templates=[f.template("dag", "08:00", "16:00", label="dag"),
                               f.template("natt", "23:00", "08:00", label="natt")],
                    doctors=[f.doctor("anne", name="Anne Aas"), f.doctor("bjorn", name="Bjørn Berg")],
                    stations=[f.station("BLV", name="Bergen legevakt")],
                    pins=[{"doctor": "anne", "date": "2026-10-24", "template": "dag"},
                          {"doctor": "anne", "date": "2026-10-24", "template": "natt"}])
    run = wait_for(client, start(client, auth, sc.model_dump_json().encode(), 5), auth)
    assert run["status"] == "finished" and run["solver_status"] == "infeasible" and run["roster_id"] is None
    first, _, rest = run["message"].partition("\n")
    assert first.startswith("ingen vaktplan funnet (umulig: ingen vaktplan oppfyller alle harde regler)")
    assert "Anne Aas må ha 8 t hvile mellom to vakter" in rest and "Fjern den låste vakten" in rest


def _slow_explain(release: threading.Event):
    """The real explanation, but waiting (and reporting steps) until the test releases it."""
    real = solver.explain.explain

    def explain(scenario, *, on_step, **kw):
        while not release.wait(0.05):
            on_step("Leter etter krav som ikke kan oppfylles samtidig …")
        return real(scenario, on_step=on_step, **kw)

    return explain


def test_the_run_shows_forklarer_while_it_explains(client, auth, monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(solver.explain, "explain", _slow_explain(release))
    run_id = start(client, auth, open_slots_scenario_json(), 5)
    busy = wait_until(client, run_id, auth, lambda r: r["message"].startswith("Forklarer …"))
    assert busy["status"] == "running" and busy["roster_id"] is None  # not stored before the explanation
    assert "Leter etter krav" in busy["message"] and "høyst 20 s" in busy["message"]
    login(client)
    assert "Forklarer …" in client.get(f"/beregninger/{run_id}").text
    release.set()
    run = wait_for(client, run_id, auth)
    assert run["status"] == "finished" and "forklart" in run["message"]


def test_cancelling_while_explaining_keeps_the_roster_without_explanation(client, auth, monkeypatch):
    monkeypatch.setattr(solver.explain, "explain", _slow_explain(threading.Event()))  # never released
    run_id = start(client, auth, open_slots_scenario_json(), 5)
    wait_until(client, run_id, auth, lambda r: r["message"].startswith("Forklarer …"))
    t0 = time.monotonic()
    assert client.post(f"/api/runs/{run_id}/cancel", headers=auth).status_code == 202
    run = wait_for(client, run_id, auth)
    assert time.monotonic() - t0 < 5
    assert run["status"] == "cancelled" and run["message"].endswith("; forklaringen ble stoppet")
    roster = client.get(f"/api/rosters/{run['roster_id']}", headers=auth).json()["roster"]
    assert len(roster["open_slots"]) == 2 and roster["explanation"] is None


def test_a_failing_explanation_still_stores_the_roster(client, auth, monkeypatch):
    def broken(*_, **__):
        raise RuntimeError("feil i forklaringen")

    monkeypatch.setattr(solver.explain, "explain", broken)
    run = wait_for(client, start(client, auth, open_slots_scenario_json(), 5), auth)
    assert run["status"] == "finished" and run["message"].endswith("; forklaringen feilet")
    assert client.get(f"/api/rosters/{run['roster_id']}", headers=auth).json()["roster"]["explanation"] is None


def test_the_explanation_on_the_page_is_escaped_and_shortened(client, auth):
    run = wait_for(client, start(client, auth, tiny_scenario_json(), 5), auth)
    fixes = [f"Endring {i} <b>fet</b>" for i in range(1, 10)]
    explanation = Explanation(status="konflikter", verified=False, complete=False, clashes=[
        Clash(summary="<script>alert('x')</script> krever 1 lege", fixes=fixes, minimal=False),
        Clash(summary="Lov og forskrift", fixes=[])])
    with client.app.state.sessions.begin() as s:
        row = s.get_one(RosterRow, run["roster_id"])
        roster = roster_service.load_roster(row).model_copy(update={"explanation": explanation})
        rid = roster_service.add_version(s, row.scenario_id, None, roster, []).id
    login(client)
    page = client.get(f"/vaktplaner/{rid}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; krever 1 lege" in page
    assert "<b>fet</b>" not in page and "Endring 6 &lt;b&gt;fet&lt;/b&gt;" in page
    assert "Endring 7" not in page and "… og 3 andre" in page
    assert "konflikten kan ha med et krav for mye" in page
    assert "Ingen av kravene kan lempes her (lov eller forskrift)" in page
    assert "ikke nok sammen" in page and "Søket stoppet før alle konflikter var funnet" in page
