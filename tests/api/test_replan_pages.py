"""The re-plan form on a published roster's page: a background job whose page shows the progress,
then a new draft with the diff on its page; Norwegian field errors that store nothing; no form on a
draft."""

from __future__ import annotations

import re

import pytest
from test_api import _holder
from test_replan_api import SICK_DAY, _published
from web_helpers import login, tiny_scenario_json, wait_for

from api.services.replan_form import ReplanForm, changes_from_form
from roster.models import AbsenceKind, Scenario
from roster.scenario_io import InputError

NAMES = {"anne": "Anne Aas", "bjorn": "Bjørn Berg", "cecilie": "Cecilie Dahl"}
NOW = "2026-10-24T12:00"


def counts(client, auth) -> tuple[int, int, int]:
    """Rosters, scenarios and re-plans in the audit log."""
    audit = client.get("/api/audit", headers=auth).json()
    rosters = client.get("/api/rosters", headers=auth).json()
    scenarios = client.get("/api/scenarios", headers=auth).json()
    return len(rosters), len(scenarios), sum(a["action"] == "omplanlegg" for a in audit)


def diff_lines(page: str) -> list[str]:
    section = page[page.index('id="endringer"'):]
    section = section[:section.index("</section>")]
    return re.findall(r"<li>([^<]*)</li>", section)


def replanned(client, auth, rid: int, data: dict) -> tuple[int, str]:
    """Submit the form, follow the job to its end; the new version's id and its page."""
    r = client.post(f"/vaktplaner/{rid}/omplanlegg", follow_redirects=False, data=data)
    assert r.status_code == 303, r.text
    run_id = re.fullmatch(r"/beregninger/(\w+)", r.headers["location"]).group(1)
    page = client.get(r.headers["location"]).text
    assert f"Omplanlegging av <a href=\"/vaktplaner/{rid}\">vaktplan {rid}</a>" in page
    run = wait_for(client, run_id, auth)
    assert run["status"] == "finished" and run["kind"] == "omplanlegging" and run["base_roster_id"] == rid
    assert f"mot vaktplan {rid}" in run["message"]
    assert "Se endringene" in client.get(f"/beregninger/{run_id}").text
    return run["roster_id"], client.get(f"/vaktplaner/{run['roster_id']}").text


def test_replan_form_makes_a_draft_with_the_diff_on_its_page(client, auth):
    rid, raw = _published(client, auth)
    sick = _holder(raw, f"dag/{SICK_DAY}")
    login(client)
    page = client.get(f"/vaktplaner/{rid}").text
    assert 'id="replan-form"' in page and f'<option value="{sick}">{NAMES[sick]}</option>' in page
    new_id, page = replanned(client, auth, rid, {"lege": sick, "hva": "sykdom", "fra": SICK_DAY, "til": "", "naa": NOW})
    assert new_id != rid
    assert 'id="roster-status">utkast' in page and "planlagt om fra" in page
    new = client.get(f"/api/rosters/{new_id}", headers=auth).json()
    taker = next(a["doctor"] for a in new["roster"]["assignments"]
                 if f"{a['template']}/{a['date']}" == f"dag/{SICK_DAY}")
    lines = diff_lines(page)
    assert f"{NAMES[sick]} mister dag Bergen legevakt 25.10 08:00–16:00 (kan ikke gå vakten lenger)" in lines
    assert f"{NAMES[taker]} får dag Bergen legevakt 25.10 08:00–16:00" in lines
    assert f"Endringer mot vaktplan {rid}" in page and "tvunget av fraværet" in page
    # the same diff as the JSON API gives for the same change (recomputed from the stored rosters)
    api = client.post(f"/api/rosters/{rid}/replan", headers=auth, json={
        "now": NOW, "absences": [{"doctor": sick, "start": SICK_DAY, "end": SICK_DAY, "kind": "sykdom"}]}).json()
    assert lines == api["diff"][:-1] and api["diff"][-1] in page
    # the stored scenario carries the absence; the published roster is untouched
    scenario = client.get(f"/api/scenarios/{new['scenario_id']}/body", headers=auth).json()
    assert scenario["absences"][-1] == {"doctor": sick, "start": SICK_DAY, "end": SICK_DAY, "kind": "sykdom",
                                        "note": "omplanlegging"}
    assert client.get(f"/api/rosters/{rid}", headers=auth).json()["status"] == "published"
    assert 'id="replan-form"' not in page  # a draft is not re-planned
    # publishing from the diff section replaces the old version
    assert f'href="/vaktplaner/{new_id}/publiser" id="publish-replan"' in page
    done = client.post(f"/vaktplaner/{new_id}/publiser").text
    assert "er publisert" in done and f"Den erstatter {rid}" in done
    assert client.get(f"/api/rosters/{rid}", headers=auth).json()["status"] == "superseded"


def test_replan_form_with_a_demand_change(client, auth):
    rid, raw = _published(client, auth)
    login(client)
    new_id, page = replanned(client, auth, rid, {
        "lege": "", "vakttype": "natt", "dato": SICK_DAY, "min_leger": "2", "maks_leger": "2", "naa": NOW})
    new = client.get(f"/api/rosters/{new_id}", headers=auth).json()
    night = [a["doctor"] for a in new["roster"]["assignments"] if f"{a['template']}/{a['date']}" == f"natt/{SICK_DAY}"]
    assert len(night) == 2 and new["roster"]["open_slots"] == []
    added = [d for d in night if d != _holder(raw, f"natt/{SICK_DAY}")]
    assert f"{NAMES[added[0]]} får natt Bergen legevakt 25.10 23:00–08:00" in diff_lines(page)
    scenario = client.get(f"/api/scenarios/{new['scenario_id']}/body", headers=auth).json()
    assert {"template": "natt", "date": SICK_DAY, "demand_min": 2, "demand_max": 2,
            "min_qualified": None} in scenario["demand_changes"]


@pytest.mark.parametrize(("form", "expected"), [
    ({"lege": "anne", "hva": "sykdom", "fra": "2026-10-25", "til": "2026-10-24"},
     ["Til dato: kan ikke være før fra dato"]),
    ({"lege": "ukjent", "fra": "2026-10-25"}, ["Lege: «ukjent» finnes ikke i scenarioet"]),
    ({"lege": "anne", "fra": "25.10.2026"}, ["Fra dato: «25.10.2026» er ikke en dato (f.eks. 2026-12-08)"]),
    ({}, ["Lege: velg en lege som er borte, eller en vakttype med endret bemanning (eller begge)"]),
    ({"vakttype": "natt", "dato": "2026-11-30", "min_leger": "", "naa": "i morgen"},
     ["Min leger: mangler",
      "Tidspunkt for omplanleggingen: «i morgen» er ikke et tidspunkt "
      "(dato og klokkeslett, f.eks. 2026-12-08T07:00)"]),
])
def test_bad_replan_form_names_the_field_and_stores_nothing(client, auth, form, expected):
    rid, _ = _published(client, auth)
    before = counts(client, auth)
    login(client)
    r = client.post(f"/vaktplaner/{rid}/omplanlegg", data={"naa": NOW, **form})
    assert r.status_code == 422 and "Traceback" not in r.text
    errors = r.text[r.text.index('id="replan-errors"'):]
    errors = errors[:errors.index("</div>")]
    assert re.findall(r"<li>([^<]*)</li>", errors) == [e.replace("'", "&#39;") for e in expected]
    assert "Omplanleggingen ble ikke gjort" in r.text
    if form.get("lege") == "anne":  # the form comes back as it was typed
        assert '<option value="anne" selected>' in r.text
    assert counts(client, auth) == before


def test_a_draft_has_no_replan_form_and_refuses_one(client, auth):
    from test_api import solved

    _, run = solved(client, auth)
    draft = run["roster_id"]
    login(client)
    page = client.get(f"/vaktplaner/{draft}").text
    assert 'id="replan-form"' not in page and "Planlegg om" not in page
    before = counts(client, auth)
    r = client.post(f"/vaktplaner/{draft}/omplanlegg", data={"lege": "anne", "fra": SICK_DAY, "naa": NOW})
    assert r.status_code == 422 and "bare den publiserte vaktplanen kan planlegges om" in r.text
    assert counts(client, auth) == before
    client.cookies.clear()
    r = client.post(f"/vaktplaner/{draft}/omplanlegg", data={"lege": "anne"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/logg-inn")


# --------------------------------------------------------------------------- the form alone


def _scenario() -> Scenario:
    return Scenario.model_validate_json(tiny_scenario_json())


def test_form_reads_kinds_departures_and_demand():
    sc = _scenario()
    ch = changes_from_form(sc, ReplanForm(lege="anne", hva="ferie", fra="2026-10-24", til="2026-10-25",
                                          naa="2026-10-24T07:00"))
    assert [(a.doctor, a.kind, str(a.start), str(a.end)) for a in ch.absences] == [
        ("anne", AbsenceKind.HOLIDAY, "2026-10-24", "2026-10-25")]
    assert ch.now is not None and ch.now.hour == 7 and not ch.leaving and not ch.demand_changes
    ch = changes_from_form(sc, ReplanForm(lege="bjorn", hva="slutter", fra="2026-10-25", til="2026-10-01",
                                          vakttype="dag", dato="2026-10-24", min_leger=" 0 "))
    assert [(x.doctor, str(x.from_)) for x in ch.leaving] == [("bjorn", "2026-10-25")] and not ch.absences
    assert [(d.template, d.demand_min, d.demand_max) for d in ch.demand_changes] == [("dag", 0, None)]
    assert ch.now is None


@pytest.mark.parametrize(("form", "expected"), [
    (dict(lege="anne", fra="2026-11-02"), ["Fra dato: fraværet 02.11.2026–02.11.2026 er utenfor perioden "
                                           "24.10.2026–25.10.2026"]),
    (dict(lege="anne", hva="slutter", fra="2026-11-02"), ["Fra dato: 02.11.2026 er etter slutten av perioden "
                                                         "25.10.2026"]),
    (dict(lege="anne", hva="permisjon", fra="2026-10-24"), ["Type fravær: ukjent valg «permisjon»"]),
    (dict(fra="2026-10-24"), ["Lege: mangler (fra dato er fylt ut)"]),
    (dict(lege="anne"), ["Fra dato: mangler"]),
    (dict(vakttype="kveld", dato="2026-10-24", min_leger="1"), ["Vakttype: «kveld» finnes ikke i scenarioet"]),
    (dict(vakttype="natt", dato="2026-11-30", min_leger="1"),
     ["Dato for bemanningen: 30.11.2026 er utenfor perioden 24.10.2026–25.10.2026"]),
    (dict(vakttype="natt", dato="2026-10-24", min_leger="3", maks_leger="2"),
     ["Maks leger: kan ikke være mindre enn min leger"]),
    (dict(vakttype="natt", dato="2026-10-24", min_leger="-1"), ["Min leger: «-1» er ikke et helt tall fra 0 og opp"]),
    (dict(min_leger="2"), ["Vakttype: mangler (dato eller antall leger er fylt ut)"]),
    (dict(lege=" ", hva="sykdom", naa=" 2026-10-24T07:00 "),
     ["Lege: velg en lege som er borte, eller en vakttype med endret bemanning (eller begge)"]),
])
def test_form_problems_name_the_field(form, expected):
    with pytest.raises(InputError) as exc:
        changes_from_form(_scenario(), ReplanForm(**form))
    assert exc.value.problems == expected


def test_a_draft_whose_base_was_replaced_says_so_before_it_is_published(client, auth):
    """Two managers re-plan one sick call: the second draft's page looked as ready to publish as the
    first's, though publishing it would undo the first."""
    rid, raw = _published(client, auth)
    sick = _holder(raw, f"dag/{SICK_DAY}")
    change = {"now": NOW, "absences": [{"doctor": sick, "start": SICK_DAY, "end": SICK_DAY, "kind": "sykdom"}]}
    first, second = (client.post(f"/api/rosters/{rid}/replan", headers=auth, json=change).json()["roster"]["id"]
                     for _ in range(2))
    login(client)
    assert 'id="base-replaced"' not in client.get(f"/vaktplaner/{second}").text  # the base is still published
    assert client.post(f"/api/rosters/{first}/publish", headers=auth).status_code == 200
    page = " ".join(client.get(f"/vaktplaner/{second}").text.split())
    warning = page[page.index('id="base-replaced"'):]
    assert (f'Utkastet er laget fra vaktplan {rid}, som er erstattet av <a href="/vaktplaner/{first}">vaktplan '
            f"{first}</a> siden.") in warning
    assert f"Planlegg om fra vaktplan {first} i stedet." in warning
    assert 'id="base-replaced"' not in client.get(f"/vaktplaner/{first}").text


def test_a_night_under_way_stays_with_its_sick_doctor_and_the_draft_says_so(client, auth):
    rid, raw = _published(client, auth)
    sick = _holder(raw, "natt/2026-10-24")  # 23:00–08:00 over the DST change; sick at 06:00
    login(client)
    new_id, page = replanned(client, auth, rid, {"lege": sick, "hva": "sykdom", "fra": SICK_DAY, "til": "",
                                                 "naa": "2026-10-25T06:00"})
    assert (f"{NAMES[sick]} har natt Bergen legevakt 24.10 23:00–08:00, som var begynt ved omplanleggingen: "
            "vakten står som publisert, og fraværet regnes fra 25.10 08:00") in page
    new = client.get(f"/api/rosters/{new_id}", headers=auth).json()
    assert _holder(new["roster"], "natt/2026-10-24") == sick  # no colleague is sent a night begun at 23:00
    assert not any("natt Bergen legevakt 24.10" in line for line in diff_lines(page))
