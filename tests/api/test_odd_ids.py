"""Doctor ids are free text (up to 80 characters): an id with ``/``, ``#``, ``?``, a space, ``..``
or a percent sign reaches the right doctor from the scenario page's «ny lenke» form and from the
API, and never another one («%6bari» is not «kari»)."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import httpx
from web_helpers import PASSWORD, login

from api.main import create_app
from api.services.rosters import add_version
from api.services.scenarios import store
from roster.models import Roster
from tests import factories as f
from tests.browser.browser_helpers import live

ODD = ["ola/x", "per#1", "a?b=c", "rom 1", "..", ".", "%6bari", "%2e"]


def odd_scenario():
    return f.scenario("2026-10-24", "2026-10-25", templates=[f.template("dag", "08:00", "16:00", label="dag")],
                      doctors=[f.doctor(d, name=f"Lege {i}") for i, d in enumerate([*ODD, "kari"])],
                      stations=[f.station("BLV", name="Bergen legevakt")], name="rare id-er")


def stored(app) -> int:  # noqa: ANN001 - a FastAPI app
    with app.state.sessions() as s:
        scenario_id = store(s, odd_scenario(), "rare.json", "leder").id
        s.commit()
    return scenario_id


def pages(client, auth, scenario_id: int) -> dict[str, str]:
    return {d["doctor"]: d["page"] for d in client.get(f"/api/scenarios/{scenario_id}/doctors", headers=auth).json()}


def test_the_new_link_form_rotates_exactly_its_own_doctor(client, auth):
    odd = stored(client.app)
    login(client)
    page = client.get(f"/scenarier/{odd}").text
    forms = re.findall(r'<form method="post" action="([^"]*)" class="inline"><input type="hidden" name="lege" '
                       r'value="([^"]*)">', page)
    assert sorted(html.unescape(d) for _, d in forms) == sorted([*ODD, "kari"])
    for action, doctor in forms:
        doctor = html.unescape(doctor)
        before = pages(client, auth, odd)
        r = client.post(html.unescape(action), data={"lege": doctor, "tilbake": f"/scenarier/{odd}"})
        assert r.status_code == 200 and f"Ny lenke laget for {html.escape(doctor)}" in r.text
        after = pages(client, auth, odd)
        assert [d for d in before if before[d] != after[d]] == [doctor]


def test_the_api_rotates_exactly_the_doctor_its_encoded_address_names(settings):
    """On a real server: the test client decodes an address twice, so «%256bari» would reach it as «kari»."""
    app = create_app(settings)
    scenario_id = stored(app)
    with live(app) as url, httpx.Client(base_url=url) as client:
        token = client.post("/api/token", data={"username": "leder", "password": PASSWORD}).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        for doctor in ODD:
            before = pages(client, auth, scenario_id)
            segment = quote(doctor, safe="").replace(".", "%2E")  # a bare ".." is resolved away by any client
            r = client.post(f"/api/doctors/{segment}/link", headers=auth)
            assert r.status_code == 200 and r.json()["doctor"] == doctor, (doctor, r.text)
            after = pages(client, auth, scenario_id)
            assert [d for d in before if before[d] != after[d]] == [doctor]


def test_a_free_text_id_in_an_address_on_a_page_is_encoded(client, auth):
    sc = f.scenario("2026-10-24", "2026-10-24",
                    templates=[f.template("dag", "08:00", "16:00", label="dag", station="a/b #1")],
                    doctors=[f.doctor("anne", stations=["a/b #1"])], stations=[f.station("a/b #1", name="Rar stasjon")],
                    name="rar stasjon")
    with client.app.state.sessions() as s:
        row = add_version(s, store(s, sc, "t", "leder").id, None, Roster(scenario=sc.name, period=sc.period), [])
        s.commit()
    login(client)
    page = client.get(f"/vaktplaner/{row.id}").text
    assert '<a href="#st-a%2Fb%20%231">' in page and 'id="st-a/b #1"' in page
