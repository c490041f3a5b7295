"""The Norwegian pages through the same client a browser would use: cookie login, forms, redirects."""

from __future__ import annotations

import json
import re

from web_helpers import PASSWORD, tiny_scenario_json, wait_for


def login(client) -> None:
    r = client.post("/logg-inn", data={"brukernavn": "leder", "passord": PASSWORD, "neste": "/"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_pages_redirect_to_login_and_wrong_password_is_refused(client):
    r = client.get("/scenarier/1", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/logg-inn?neste=/scenarier/1"
    assert "Logg inn som leder" in client.get("/logg-inn").text
    bad = client.post("/logg-inn", data={"brukernavn": "leder", "passord": "feil"})
    assert bad.status_code == 401 and "Feil brukernavn eller passord" in bad.text
    assert client.post("/scenarier/bergen", follow_redirects=False).status_code == 303
    assert client.post("/vaktplaner/1/publiser", follow_redirects=False).headers["location"].startswith("/logg-inn")


def test_login_does_not_redirect_off_site(client):
    r = client.post("/logg-inn", data={"brukernavn": "leder", "passord": PASSWORD, "neste": "//ondsinnet.example"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"


def test_bad_upload_shows_the_problems_on_the_page(client):
    login(client)
    data = json.loads(tiny_scenario_json())
    data["period"]["end"] = "2026-13-01"
    r = client.post("/scenarier", files={"fil": ("plan.json", json.dumps(data).encode(), "application/json")})
    assert r.status_code == 422
    assert "ble ikke lagret" in r.text and "period.end: ventet en dato" in r.text


def test_manager_flow_from_upload_to_published_and_the_doctor_page(client):
    login(client)
    r = client.post("/scenarier", files={"fil": ("plan.json", tiny_scenario_json(), "application/json")})
    assert r.status_code == 200 and "er lastet opp og godkjent" in r.text
    scenario_url = str(r.url.path)
    assert "Start beregning" in r.text and "Bjørn Berg" in r.text
    r = client.post(f"{scenario_url}/beregn", data={"tidsgrense": "5"}, follow_redirects=False)
    run_url = r.headers["location"]
    assert run_url.startswith("/beregninger/")
    run = wait_for(client, run_url.rsplit("/", 1)[1], {})
    page = client.get(run_url).text
    assert "ferdig" in page and f"/vaktplaner/{run['roster_id']}" in page
    roster_page = client.get(f"/vaktplaner/{run['roster_id']}").text
    assert "Bergen legevakt" in roster_page and "Rettferdighet" in roster_page and "Publiser" in roster_page
    assert roster_page.count("<td") >= 4
    r = client.post(f"/vaktplaner/{run['roster_id']}/publiser")
    assert "er publisert" in r.text and "publisert" in r.text
    assert "Publiser</button>" not in r.text
    home = client.get("/").text
    assert f"Vaktplan {run['roster_id']}" in home and "publiser" in home
    # the doctor's link from the scenario page
    scenario_page = client.get(scenario_url).text
    anne = re.search(r'href="([^"]+)" class="doctor-link" data-doctor="anne"', scenario_page).group(1)
    client.cookies.clear()  # a doctor is not logged in
    mine = client.get(anne)
    assert mine.status_code == 200 and "Mine vakter" in mine.text and "Anne Aas" in mine.text
    assert "Neste vakt" in mine.text or "Tidligere vakter" in mine.text
    assert "webcal://" in mine.text and "oktober 2026" in mine.text.lower()


def test_rotating_a_link_from_the_page(client):
    login(client)
    client.post("/scenarier", files={"fil": ("plan.json", tiny_scenario_json(), "application/json")})
    page = client.get("/scenarier/1").text
    old = re.search(r'href="([^"]+)" class="doctor-link" data-doctor="anne"', page).group(1)
    r = client.post("/leger/ny-lenke", data={"lege": "anne", "tilbake": "/scenarier/1"})
    assert "den gamle virker ikke lenger" in r.text
    new = re.search(r'href="([^"]+)" class="doctor-link" data-doctor="anne"', r.text).group(1)
    assert new != old
    assert client.get(old).status_code == 404 and "Ukjent lenke" in client.get(old).text
