"""Helpers shared by the API tests (a uniquely named module, so no clash with other conftest files)."""

from __future__ import annotations

import io
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import FastAPI
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


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """The app behind a real uvicorn server on a free port (for tests of concurrent requests,
    which TestClient serialises), stopped afterwards."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


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
