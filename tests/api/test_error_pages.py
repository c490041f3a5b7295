"""Refusals a manager's or a doctor's browser can meet are Norwegian pages in the service's layout;
API clients get JSON with a Norwegian ``detail``. No English phrase of the framework reaches anyone."""

from __future__ import annotations

import re

import pytest
from web_helpers import login, publish_week

PAGE = "text/html"
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def error_page(r) -> tuple[str, str]:
    assert r.headers["content-type"].startswith(PAGE), r.text
    assert '<html lang="nb">' in r.text
    heading = re.search(r"<h1>(.*?)</h1>", r.text).group(1)
    text = re.search(r'<p id="error-text">(.*?)</p>', r.text, re.S).group(1)
    return heading, text


def test_an_unknown_address_is_a_norwegian_page_and_norwegian_json(client):
    login(client)
    r = client.get("/finnes-ikke")
    assert r.status_code == 404 and error_page(r) == ("Finnes ikke", "Siden finnes ikke")
    r = client.get("/api/finnes-ikke")
    assert r.status_code == 404 and r.json() == {"detail": "siden finnes ikke"}


def test_a_missing_item_is_a_page_for_the_browser_and_json_for_the_api(client, auth):
    login(client)
    r = client.get("/vaktplaner/99999")
    assert r.status_code == 404 and error_page(r) == ("Finnes ikke", "Vaktplan 99999 finnes ikke")
    assert "Til oversikten" in r.text
    r = client.get("/api/rosters/99999", headers=auth)
    assert r.status_code == 404 and r.json() == {"detail": "vaktplan 99999 finnes ikke"}
    r = client.get("/api/rosters/99999/workbook", headers={**auth, **BROWSER})  # a download link on a page
    assert r.status_code == 404 and error_page(r)[1] == "Vaktplan 99999 finnes ikke"


def test_an_id_that_is_no_number_names_nothing(client):
    login(client)
    r = client.get("/scenarier/abc")
    assert r.status_code == 404 and error_page(r)[1] == "Scenario abc finnes ikke"


@pytest.mark.parametrize(("address", "lands_on"), [
    ("/scenarier", "/"), ("/vaktplaner/{roster}/endre", "/vaktplaner/{roster}"), ("/onskerunder", "/"),
    ("/vaktplaner/{roster}/last-opp", "/vaktplaner/{roster}"), ("/lege/{token}/bytte", "/lege/{token}"),
])
def test_opening_an_address_only_a_form_posts_to_leads_to_the_page_above(client, address, lands_on):
    _, roster_id, tokens = publish_week(client)
    login(client)
    fill = {"roster": roster_id, "token": tokens["anne"]}
    r = client.get(address.format(**fill), follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].split("?")[0] == lands_on.format(**fill)
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and "Skjemaet ble ikke sendt" in page.text


def test_a_post_to_a_page_is_refused_in_norwegian(client):
    login(client)
    r = client.post("/", data={})
    assert r.status_code == 405 and error_page(r) == ("Ikke tillatt", "Adressen tar ikke imot denne typen forespørsel")
    r = client.delete("/api/scenarios")
    assert r.status_code == 405 and r.json() == {"detail": "adressen tar ikke imot denne typen forespørsel"}


@pytest.mark.parametrize("files", [
    {"content": b"--zz\r\nno header\r\n\r\n{}\r\n--zz--\r\n",
     "headers": {"content-type": "multipart/form-data; boundary=zz"}},
    {"files": {"fil": ("a" * 5000 + ".json", b"{}", "application/json")}},
], ids=["header-without-name", "5000-character-name"])
def test_a_malformed_upload_is_refused_in_norwegian(client, auth, files):
    login(client)
    r = client.post("/scenarier", **files)
    assert r.status_code == 400
    assert error_page(r) == ("Ugyldig forespørsel", "Forespørselen kunne ikke leses (ugyldig skjema eller fil)")
    api = {**files, "headers": {**files.get("headers", {}), **auth}}
    if "files" in api:
        api["files"] = {"file": api["files"]["fil"]}
    r = client.post("/api/scenarios", **api)
    assert r.status_code == 400 and r.json() == {"detail": "forespørselen kunne ikke leses (ugyldig skjema eller fil)"}


def test_a_missing_form_field_is_named_by_its_label_not_its_request_path(client):
    scenario_id, _, _ = publish_week(client)
    login(client)
    r = client.post(f"/scenarier/{scenario_id}/beregn", data={"frø": "1"})
    assert r.status_code == 422
    assert re.findall(r"<li>(.*?)</li>", r.text) == ["Tidsgrense: mangler"]
