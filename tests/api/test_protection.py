"""Cross-site requests, security headers, messages in links, doctor links and file permissions
(issue 14, the low items)."""

from __future__ import annotations

import stat
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from web_helpers import login, publish_week, tiny_scenario_json

from api.main import create_app

CROSS_SITE = [{"Origin": "https://angriper.example"}, {"Sec-Fetch-Site": "cross-site"},
              {"Sec-Fetch-Site": "same-site"}, {"Origin": "null"},
              {"Origin": "http://testserver.angriper.example"}]
SAME_SITE = [{}, {"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"},
             {"Sec-Fetch-Site": "none"}]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_form_post_with_the_session_cookie_is_refused(client, headers):
    login(client)
    r = client.post("/scenarier/bergen", headers=headers, follow_redirects=False)
    assert r.status_code == 403 and "annet nettsted" in r.text
    api = client.post("/api/scenarios/bergen", headers=headers)
    assert api.status_code == 403 and "CSRF" in api.json()["detail"]
    assert client.get("/api/scenarios").json() == []  # nothing was stored


@pytest.mark.parametrize("headers", SAME_SITE)
def test_a_same_site_post_and_an_api_client_without_browser_headers_work(client, headers):
    login(client)
    r = client.post("/scenarier/bergen", headers=headers, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/scenarier/")


def test_a_trusted_origin_may_post(settings):
    with TestClient(create_app(settings.model_copy(update={"trusted_origins": "https://vakt.example.no"}))) as c:
        login(c)
        r = c.post("/scenarier/bergen", headers={"Origin": "https://vakt.example.no"}, follow_redirects=False)
        assert r.status_code == 303


def test_pages_carry_the_security_headers(client):
    r = client.get("/logg-inn")
    assert r.headers["content-security-policy"].startswith("default-src 'self'; script-src 'self'")
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"
    assert client.get("/lege/ukjent").headers["referrer-policy"] == "no-referrer"
    assert "cdn.jsdelivr.net" in client.get("/docs").headers["content-security-policy"]
    assert "strict-transport-security" not in r.headers
    # personal data is not kept in a browser's or a proxy's cache; the style sheet may be
    assert r.headers["cache-control"] == "no-store" and client.get("/lege/ukjent").headers["cache-control"] == "no-store"
    assert "cache-control" not in client.get("/static/style.css").headers


def test_hsts_over_https(settings):
    with TestClient(create_app(settings), base_url="https://testserver") as c:
        assert c.get("/logg-inn").headers["strict-transport-security"] == "max-age=31536000"


def test_a_message_in_a_link_is_shown_only_when_the_service_wrote_it(client):
    forged = client.get("/logg-inn", params={"melding": "Ring 815 00 000 og oppgi passordet ditt"})
    assert "Ring 815" not in forged.text
    assert "Ring 815" not in client.get("/lege/ukjent", params={"melding": "Ring 815 00 000"}).text
    login(client)
    r = client.post("/scenarier/bergen", follow_redirects=False)
    assert "melding=" in r.headers["location"] and "sig=" in r.headers["location"]
    assert "Bergen-eksempelet er lastet inn." in client.get(r.headers["location"]).text
    tampered = r.headers["location"].replace("lastet%20inn", "slettet")
    assert "slettet" not in client.get(tampered).text


def test_a_link_is_made_only_for_a_doctor_of_a_stored_scenario(client, auth):
    r = client.post("/api/doctors/finnes-ikke/link", headers=auth)
    assert r.status_code == 404 and r.json()["detail"] == "lege «finnes-ikke» finnes ikke i noe scenario"
    client.post("/api/scenarios", headers=auth, files={"file": ("s.json", tiny_scenario_json(), "application/json")})
    assert client.post("/api/doctors/anne/link", headers=auth).status_code == 200
    login(client)
    page = client.post("/leger/ny-lenke", data={"lege": "finnes-ikke", "tilbake": "/"})
    assert "Ingen ny lenke: lege «finnes-ikke» finnes ikke i noe scenario." in page.text
    assert "ny-legelenke" not in [a["detail"] for a in client.get("/api/audit", headers=auth).json()
                                  if "finnes-ikke" in a["detail"]]


def test_the_sqlite_file_and_a_new_data_folder_are_private(settings, tmp_path):
    data = tmp_path / "ny" / "data"
    app = create_app(settings.model_copy(update={"data_dir": data, "database_url": None}))
    with TestClient(app) as c:
        c.post("/api/token", data={"username": "leder", "password": "feil"})  # writes (WAL)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for f in data.glob("roster.sqlite*"):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f


def test_an_existing_sqlite_file_is_tightened(settings, tmp_path):
    db = tmp_path / "roster.sqlite"
    db.touch(mode=0o644)
    db.chmod(0o644)
    with TestClient(create_app(settings.model_copy(update={"data_dir": tmp_path, "database_url": None}))):
        pass
    assert stat.S_IMODE(db.stat().st_mode) == 0o600



def test_an_error_in_a_doctors_link_is_shown_only_when_the_service_wrote_it(client):
    _, _, tokens = publish_week(client)
    page = f"/lege/{tokens['anne']}"
    spoof = "Lenken din er utløpt. Ring 815 00 000 og oppgi BankID-koden."
    assert "815 00 000" not in client.get(page, params={"feil": spoof}).text
    assert "815 00 000" not in client.get(page, params={"feil": spoof, "sig": "0" * 32}).text
    refused = client.post(f"{page}/bytte", data={"vakt": "x", "kollega": "bjorn"}, follow_redirects=False)
    query = parse_qs(urlsplit(refused.headers["location"]).query)
    # signed: the error; carried back unsigned to fill the form in again: its section and fields
    assert set(query) == {"feil", "sig", "skjema", "vakt", "handling", "kollega"}
    shown = client.get(refused.headers["location"]).text
    assert 'id="bytte-feil"' in shown and "ugyldig vakt «x»" in shown
    # what the service signed as an error is not shown as news
    moved = client.get(page, params={"melding": query["feil"][0], "sig": query["sig"][0]}).text
    assert "ugyldig vakt «x»" not in moved
