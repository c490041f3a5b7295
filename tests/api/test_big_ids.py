"""Ids no row can have (2⁶³ and beyond, 0, a negative) name nothing: 404 «… finnes ikke» on every
route with an id in its address, never a 500 from the database (SQLite cannot compare a number
past 2⁶³ − 1 with a column). A workbook naming such a version is refused with its cell."""

from __future__ import annotations

import io
import re
from typing import get_args, get_type_hints

import openpyxl
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from web_helpers import login, publish_week

from api.routers import daily_pages, doctor_pages, doctors, pages, rosters, scenarios, swaps, wishes

BIG = str(2**63)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def id_routes() -> list[tuple[str, str, list[str]]]:
    """(method, path, its integer parameters) of every route with an integer in its address."""
    out = []
    for module in (pages, daily_pages, doctor_pages, scenarios, rosters, doctors, swaps, wishes):
        for route in module.router.routes:
            if not isinstance(route, APIRoute):
                continue
            hints = get_type_hints(route.endpoint, include_extras=True)
            ints = [n for n in re.findall(r"{(\w+)", route.path) if int in (hints[n], *get_args(hints[n])[:1])]
            out += [(method, route.path, ints) for method in sorted(route.methods)] if ints else []
    return out


ROUTES = id_routes()


def test_the_routes_with_ids_are_found():
    assert len(ROUTES) >= 30
    assert ("POST", "/lege/{token}/bytte/{swap_id}/{svar}", ["swap_id"]) in ROUTES


@pytest.mark.parametrize("number", [BIG, str(10**30), "0", "-1"])
def test_an_id_no_row_can_have_is_not_found_on_every_route(client, auth, number):
    _, _, tokens = publish_week(client)
    login(client)
    quiet = TestClient(client.app, raise_server_exceptions=False, cookies=client.cookies)
    for method, path, ints in ROUTES:
        url = re.sub(r"{(\w+)(:\w+)?}", lambda m: number if m.group(1) in ints else
                     tokens["anne"] if m.group(1) == "token" else "x", path)
        form = {} if method != "GET" and not path.startswith("/api/") else None
        r = quiet.request(method, url, headers=auth, data=form)
        assert r.status_code == 404, (method, url, r.status_code, r.text[:200])
        assert f"{number} finnes ikke" in r.text, (method, url, r.text[:200])


def test_a_scenario_filter_past_the_database_is_refused_in_norwegian(client, auth):
    r = client.get("/api/rosters", params={"scenario_id": BIG}, headers=auth)
    assert r.status_code == 422
    assert r.json()["problems"] == ["query.scenario_id: kan være høyst 9 223 372 036 854 775 807 (fikk "
                                     "9223372036854775808)"]


@pytest.mark.parametrize("version", [10**21, 1.5e300, 0, 2.5])
def test_a_workbook_naming_a_version_no_row_can_have_is_refused_with_its_cell(client, auth, version):
    _, roster_id, _ = publish_week(client)
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/rosters/{roster_id}/workbook", headers=auth).content))
    assert wb["Sammendrag"]["A4"].value == "Versjon"
    wb["Sammendrag"]["B4"] = version
    out = io.BytesIO()
    wb.save(out)
    r = client.post("/api/rosters", headers=auth, files={"file": ("endret.xlsx", out.getvalue(), XLSX)})
    assert r.status_code == 422, r.text
    (problem,) = r.json()["problems"]
    assert re.fullmatch(r"Sammendrag!B4: «.+» er ikke et vaktplannummer \(et helt tall fra 1 til "
                        r"9 223 372 036 854 775 807\)", problem), problem
    login(client)
    page = client.post("/scenarier", files={"fil": ("endret.xlsx", out.getvalue(), XLSX)})
    assert page.status_code == 422 and problem in page.text
