"""Helpers shared by the API tests (a uniquely named module, so no clash with other conftest files)."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient

from tests import factories as f

PASSWORD = "riktig-hest-batteri"


def tiny_scenario_json(name: str = "liten") -> bytes:
    """Two days over the October DST change, a day and a night shift, three doctors: solves in a second."""
    sc = f.scenario(
        "2026-10-24", "2026-10-25",
        templates=[f.template("dag", "08:00", "16:00", label="dag"),
                   f.template("natt", "23:00", "08:00", label="natt")],
        doctors=[f.doctor("anne", name="Anne Aas"), f.doctor("bjorn", name="Bjørn Berg"),
                 f.doctor("cecilie", name="Cecilie Dahl")],
        stations=[f.station("BLV", name="Bergen legevakt")],
        name=name,
    )
    return sc.model_dump_json().encode()


def open_slots_scenario_json(name: str = "for få leger") -> bytes:
    """The tiny scenario with two doctors and two on every night: after the night of the 24th
    neither may take a day shift (8 h rest), so both day shifts stay open; the explanation finds
    two clashes, each fixed by one place less on that day or on the night."""
    sc = f.scenario(
        "2026-10-24", "2026-10-25",
        templates=[f.template("dag", "08:00", "16:00", label="dag"),
                   f.template("natt", "23:00", "08:00", label="natt", demand_min=2, demand_max=2)],
        doctors=[f.doctor("anne", name="Anne Aas"), f.doctor("bjorn", name="Bjørn Berg")],
        stations=[f.station("BLV", name="Bergen legevakt")],
        name=name,
    )
    return sc.model_dump_json().encode()


def login(client: TestClient) -> None:
    """Log in on the page (session cookie), as a browser would."""
    r = client.post("/logg-inn", data={"brukernavn": "leder", "passord": PASSWORD, "neste": "/"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


def wait_for(client: TestClient, run_id: str, headers: dict[str, str], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/api/runs/{run_id}", headers=headers).json()
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish in {timeout} s")


WEEK_START = "2026-11-02"  # a Monday
WEEK_NAMES = {"anne": "Anne Aas", "bjorn": "Bjørn Berg", "cecilie": "Cecilie Dahl", "dag": "Dag Eide",
              "eva": "Eva Fos", "aase": "Åse Ødegård", "sp1": "Siri Spes", "sp2": "Tor Bak", "sp3": "Una Vik"}
BEFORE_THE_WEEK = (2026, 10, 30, 12, 0)  # the clock the tests set: the Friday before


def week_scenario():
    """A week at Bergen legevakt (day 08–16, night 23–08) with a specialist bakvakt from home:
    weekday and weekend day bakvakt share label and hours (one roster column), night bakvakt 16–08."""
    bak = dict(station="BAK", label="bakvakt", duty="bakvakt", min_qualified=0)
    onsite = [f.doctor(d, name=WEEK_NAMES[d], stations=["BLV"], email=f"{d}@example.no" if d != "aase" else "")
              for d in ("anne", "bjorn", "cecilie", "dag", "eva", "aase")]
    specialists = [f.doctor(d, name=WEEK_NAMES[d], role="spesialist", stations=["BAK"], can_bakvakt=True,
                            phone={"sp1": "55 11 22 33", "sp2": "", "sp3": "900 00 003"}[d])
                   for d in ("sp1", "sp2", "sp3")]
    return f.scenario(
        WEEK_START, "2026-11-08",
        templates=[f.template("dag", "08:00", "16:00", label="dag"), f.template("natt", "23:00", "08:00", label="natt"),
                   f.template("bak-hverdag", "08:00", "16:00", day_types=["hverdag"], **bak),
                   f.template("bak-helg", "08:00", "16:00", day_types=["lørdag", "søndag", "helligdag"], **bak),
                   f.template("bak-natt", "16:00", "08:00", **bak)],
        doctors=onsite + specialists,
        stations=[f.station("BLV", name="Bergen legevakt"), f.station("BAK", kind="fjernvakt", name="Bakvakt spesialist")],
        name="uke 45",
    )


def week_roster(sc):
    """Every shift filled in turn: on-site doctors two a day, each specialist a day bakvakt and,
    two days later, a night bakvakt."""
    from roster.models import Assignment, Roster

    onsite = ["anne", "bjorn", "cecilie", "dag", "eva", "aase"]
    out = []
    for i, day in enumerate(sc.period.days()):
        out.append(Assignment(doctor=onsite[(2 * i) % 6], template="dag", date=day))
        out.append(Assignment(doctor=onsite[(2 * i + 1) % 6], template="natt", date=day))
        out.append(Assignment(doctor=f"sp{i % 3 + 1}", template="bak-hverdag" if day.weekday() < 5 else "bak-helg",
                              date=day))
        out.append(Assignment(doctor=f"sp{(i + 2) % 3 + 1}", template="bak-natt", date=day))
    return Roster(scenario=sc.name, period=sc.period, assignments=out)


def publish_week(client: TestClient) -> tuple[int, int, dict[str, str]]:
    """The week stored and published, the clock set before it: (scenario id, roster id, doctor → token)."""
    return publish_week_in(client.app)


def publish_week_in(app) -> tuple[int, int, dict[str, str]]:  # noqa: ANN001 - a FastAPI app
    import datetime as dt

    from api.services import links
    from api.services import rosters as roster_service
    from api.services import scenarios as scenario_service
    from roster.calendar import OSLO
    from roster.check import unexpected_violations

    app.state.clock = lambda: dt.datetime(*BEFORE_THE_WEEK, tzinfo=OSLO)
    sc = week_scenario()
    roster = week_roster(sc)
    assert unexpected_violations(sc, roster) == []
    with app.state.sessions() as s:
        srow = scenario_service.store(s, sc, "uke45.json", "leder")
        row = roster_service.add_version(s, srow.id, None, roster, [])
        roster_service.publish(s, row, "leder")
        tokens = links.ensure(s, [d.id for d in sc.doctors])
        s.commit()
        return srow.id, row.id, tokens


def holder(client: TestClient, auth: dict[str, str], roster_id: int, shift: str) -> list[str]:
    raw = client.get(f"/api/rosters/{roster_id}/roster.json", headers=auth).json()
    return sorted(a["doctor"] for a in raw["assignments"] if f"{a['template']}/{a['date']}" == shift)


def heavy_workbook(path: Path, cells: int) -> bytes:
    """A valid scenario workbook (the tiny scenario) whose instructions sheet holds ``cells`` empty
    formatted cells: within the limits, but seconds of work for openpyxl."""
    from roster.excel import write_template
    from roster.models import Scenario

    write_template(path, Scenario.model_validate_json(tiny_scenario_json()))
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in "ABCDEFGHIJ") + "</row>"
                   for r in range(1, cells // 10 + 1))
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           f"{rows}</sheetData></worksheet>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():  # sheet1 is the instructions sheet
            dst.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename))
    return out.getvalue()
