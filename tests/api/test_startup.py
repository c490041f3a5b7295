"""What an operator sees when the service cannot start: one Norwegian line naming the setting, no traceback."""

from __future__ import annotations

import datetime as dt
import io
import logging
import logging.config
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, select, text
from typer.testing import CliRunner
from conftest import MANAGER_HASH
from web_helpers import PASSWORD, tiny_scenario_json, wait_for

from api.cli import app as cli
from api.cli.common import EXIT_BAD_INPUT
from api.cli.web import GRACE_SECONDS, log_config
from api.config import Settings, StartupError
from api import db
from api.db import make_engine
from api.main import create_app
from api.orm import RunRow, ScenarioRow
from api.security import read_managers_file

runner = CliRunner()


@pytest.fixture(autouse=True)
def never_serve(monkeypatch):
    """A start these tests expect refused fails the test instead of serving until killed."""
    monkeypatch.setattr("uvicorn.run", lambda *_, **__: pytest.fail("the service started"))


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("ROSTER_MAX_CONCURRENT_SOLVES", "abc", "må være et heltall"),
    ("ROSTER_MAX_CONCURRENT_SOLVES", "-1", "må være minst 1"),
    ("ROSTER_SOLVER_WORKERS", "0", "må være minst 1"),
    ("ROSTER_SECURE_COOKIES", "kanskje", "må være true eller false"),
    ("ROSTER_DEFAULT_TIME_LIMIT", "5000", "kan være høyst ROSTER_MAX_TIME_LIMIT (3600)"),
    ("ROSTER_SESSION_HOURS", "1e9", "kan være høyst 8 784"),  # every login was a 500 (a date past year 9999)
    ("ROSTER_LOGIN_WINDOW_MINUTES", "1e12", "kan være høyst 1 440"),
    ("ROSTER_SSE_POLL_SECONDS", "inf", "må være et endelig tall"),  # every progress page held open for ever
    ("ROSTER_SESSION_HOURS", "nan", "må være et endelig tall"),
    ("ROSTER_MAX_TIME_LIMIT", "inf", "må være et endelig tall"),
    ("ROSTER_MAX_TIME_LIMIT", "1e308", "kan være høyst 604 800"),
    ("ROSTER_REPLAN_TIME_LIMIT", "1e308", "kan være høyst 604 800"),
    ("ROSTER_SWAP_MAX_DEVIATION", "inf", "må være et endelig tall"),
    ("ROSTER_MAX_QUEUED_RUNS", "99999999999999999999", "kan være høyst 10 000"),
])
def test_a_bad_setting_is_named_and_nothing_starts(tmp_path, monkeypatch, variable, value, reason):
    monkeypatch.setenv(variable, value)
    result = runner.invoke(cli, ["serve", "--data", str(tmp_path / "data")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"Tjenesten kan ikke starte: {variable}={value}: {reason}" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "data").exists()


def test_an_unreachable_database_is_named(settings):
    wrong = settings.model_copy(update={"database_url": "postgresql+psycopg://dev:hemmelig@127.0.0.1:1/vakt"})
    with pytest.raises(StartupError, match=r"^databasen kan ikke åpnes \(DATABASE_URL\): .*refused") as refused:
        create_app(wrong)
    assert "hemmelig" not in str(refused.value)


def test_a_data_folder_that_is_a_file_is_named(settings, tmp_path):
    (tmp_path / "fil").touch()
    with pytest.raises(StartupError, match=r"datamappen .*fil, ROSTER_DATA_DIR eller --data\): .*: en del av stien er en fil, ikke en mappe"):
        create_app(settings.model_copy(update={"data_dir": tmp_path / "fil", "database_url": None}))


def test_a_database_a_newer_version_upgraded_is_refused_untouched(settings):
    app = create_app(settings)
    with app.state.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    app.state.engine.dispose()
    with pytest.raises(StartupError, match="oppgradert av en nyere versjon .*skjema 0099_from_the_future"):
        create_app(settings)


OTHER_PROCESS = textwrap.dedent("""
    import datetime as dt, sys, time
    from api.config import Settings
    from api.main import create_app
    from api.orm import RunRow, ScenarioRow
    app = create_app(Settings(data_dir=sys.argv[1], database_url=sys.argv[2] or None, bootstrap_manager=False))
    with app.state.sessions.begin() as s:
        day = dt.date(2026, 12, 1)
        s.add(ScenarioRow(id=1, name="x", period_start=day, period_end=day, body="{}", created_by="leder"))
        s.flush()
        s.add(RunRow(id="a" * 32, scenario_id=1, status="running", time_limit=5, created_by="leder"))
    print("klar", flush=True)
    time.sleep(120)
""")


def status_of_the_run(settings) -> str:
    engine = make_engine(settings.db_url())
    with engine.connect() as conn:
        status = conn.scalar(select(RunRow.status))
    engine.dispose()
    return status


@pytest.fixture
def unclaimed(settings) -> Iterator[Settings]:
    """A database no app of this test process has claimed: the claim is the process's until its
    apps shut down, and other tests leave apps they never started. SQLite: this test's folder;
    PostgreSQL: a schema of its own (the advisory lock is the schema's)."""
    if not settings.database_url:
        yield settings
        return
    schema = f"startup_{uuid.uuid4().hex[:12]}"
    engine = create_engine(settings.database_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(settings.database_url).update_query_dict({"options": f"-csearch_path={schema}"})
    yield settings.model_copy(update={"database_url": url.render_as_string(hide_password=False)})
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_a_second_process_on_the_database_is_refused_and_leaves_the_first_ones_runs_alone(unclaimed):
    """A second start used to mark every queued and running run «interrupted», the other process's
    too: its queued runs then never ran and its running one could no longer be stopped."""
    settings = unclaimed
    other = subprocess.Popen([sys.executable, "-c", OTHER_PROCESS, str(settings.data_dir), settings.database_url or ""],
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert other.stdout.readline().strip() == "klar"
        with pytest.raises(StartupError, match="brukes allerede av en annen prosess"):
            create_app(settings)
        assert status_of_the_run(settings) == "running"
    finally:
        other.kill()
        other.wait()
        other.stdout.close()
    with TestClient(create_app(settings)):  # a killed process frees the database at once
        assert status_of_the_run(settings) == "interrupted"


def terminate(lock: db._AdvisoryLock) -> None:
    """What a restart of the PostgreSQL server does to the claim: its connection ends, and the lock with it."""
    pid = lock.conn.scalar(text("SELECT pg_backend_pid()"))
    lock.conn.commit()
    admin = create_engine(lock.engine.url)
    with admin.begin() as conn:
        assert conn.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    # pg_terminate_backend only signals the backend: until it has exited it still holds the lock
    # (and may answer the claim's check), as a server in the middle of its restart would not
    deadline = time.monotonic() + 20
    while True:
        with admin.connect() as conn:
            if not conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}):
                break
        assert time.monotonic() < deadline, f"backend {pid} did not end"
        time.sleep(0.01)
    admin.dispose()


@pytest.fixture
def postgres_only(unclaimed) -> Settings:
    if not unclaimed.database_url:
        pytest.skip("the advisory lock is PostgreSQL's; SQLite's flock goes only with the process")
    return unclaimed


def test_a_claim_lost_with_its_servers_connection_is_taken_again_and_refuses_a_second_process(postgres_only):
    """After a restart of the PostgreSQL server a second service started unrefused beside the first."""
    engine, other = make_engine(postgres_only.db_url()), make_engine(postgres_only.db_url())
    lock = db._AdvisoryLock(engine)
    terminate(lock)
    assert lock.held()
    with pytest.raises(StartupError, match="brukes allerede av en annen prosess"):
        db._AdvisoryLock(other)
    assert lock.held()  # a live claim stays as it is
    lock.release()
    db._AdvisoryLock(other).release()  # released: free for the next
    engine.dispose()
    other.dispose()


def test_a_claim_another_process_took_meanwhile_is_reported_lost(postgres_only):
    engine, other = make_engine(postgres_only.db_url()), make_engine(postgres_only.db_url())
    lock = db._AdvisoryLock(engine)
    terminate(lock)
    thief = db._AdvisoryLock(other)  # started while this one had no connection
    assert not lock.held()
    thief.release()
    lock.release()
    engine.dispose()
    other.dispose()


def test_a_service_whose_claim_is_lost_is_told_once():
    """The watch of one lock (not the class: other apps' claims in the process have their own,
    whose ``on_lost`` stops the process)."""

    class Lost:
        answers = [True, False]

        def held(self) -> bool:
            return self.answers.pop(0) if self.answers else False

    lock, told = Lost(), []
    stop = db._watched(lock, on_lost=lambda: told.append(time.monotonic()), every=0.05)
    try:
        deadline = time.monotonic() + 5
        while not told and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # six more periods: the watch has stopped after telling
        assert len(told) == 1 and lock.answers == []
    finally:
        stop.set()


@pytest.fixture
def service_logging() -> Iterator[io.StringIO]:
    """``roster serve``'s logging, its lines into a string; the loggers as they were afterwards."""
    names = ("api", "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {name: (lg.handlers[:], lg.level, lg.propagate) for name in names for lg in [logging.getLogger(name)]}
    config, lines = log_config(), io.StringIO()
    config["handlers"]["default"]["stream"] = lines
    logging.config.dictConfig(config)
    yield lines
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate


def test_a_failed_solve_leaves_a_log_line_with_time_level_and_run(client, auth, monkeypatch, service_logging):
    def crash(*_, **__):
        raise RuntimeError("programfeil")

    monkeypatch.setattr("solver.solve", crash)
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("s.json", tiny_scenario_json(), "application/json")}).json()["id"]
    run = wait_for(client, client.post(f"/api/scenarios/{sid}/runs", headers=auth, json={}).json()["id"], auth)
    assert run["status"] == "failed"
    first = service_logging.getvalue().splitlines()[0]
    assert re.fullmatch(rf"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{{4}} ERROR: +solve {run['id']} failed", first), first
    assert "RuntimeError: programfeil" in service_logging.getvalue()


def test_a_stop_does_not_wait_for_the_run_pages_open_progress_streams(tmp_path, monkeypatch):
    """uvicorn waited for every open connection before the app's shutdown told the solves to stop,
    and a run page's progress stream stays open until its run ends: a stop took the run's time limit."""
    import httpx
    import uvicorn

    started: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(app=app, **options))
    monkeypatch.setenv("ROSTER_MANAGERS", f"leder:{MANAGER_HASH}")
    assert runner.invoke(cli, ["serve", "--data", str(tmp_path), "--port", "0"]).exit_code == 0
    app = started.pop("app")
    with app.state.sessions.begin() as s:  # a run that runs for as long as the stream lasts
        day = dt.date(2026, 12, 1)
        s.add(ScenarioRow(id=1, name="x", period_start=day, period_end=day, body="{}", created_by="leder"))
        s.flush()
        s.add(RunRow(id="a" * 32, scenario_id=1, status="running", time_limit=3600, created_by="leder"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        started["port"] = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, **{**started, "log_config": None, "log_level": "warning"}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{started['port']}"
    while not server.started:
        time.sleep(0.05)
    token = httpx.post(f"{base}/api/token", data={"username": "leder", "password": PASSWORD}).json()["access_token"]
    with httpx.stream("GET", f"{base}/api/runs/{'a' * 32}/events", headers={"Authorization": f"Bearer {token}"},
                      timeout=60) as stream:
        lines = stream.iter_lines()  # held: a dropped iterator closes the stream
        assert next(lines) == "event: progress" and '"status":"running"' in next(lines)
        stopped = time.monotonic()
        server.should_exit = True
        thread.join(20)
        server.force_exit = True  # without the limit: end the test's server anyway
    assert not thread.is_alive() and time.monotonic() - stopped < GRACE_SECONDS + 5


def test_an_unreadable_managers_file_is_named_and_add_manager_can_mend_an_account(tmp_path):
    managers = tmp_path / "managers.json"
    managers.write_text('{"leder": "scrypt$1$2"', encoding="utf-8")  # a hand edit lost the brace
    for args in (["serve"], ["add-manager", "kari", "--password", "riktig-hest-1"]):
        result = runner.invoke(cli, [*args, "--data", str(tmp_path)])
        assert result.exit_code == EXIT_BAD_INPUT and "Traceback" not in result.output
        assert f"lederfilen {managers} kan ikke leses" in result.output
    managers.write_text('{"leder": "hemmelig-passord"}', encoding="utf-8")  # a password where the hash goes
    result = runner.invoke(cli, ["serve", "--data", str(tmp_path)])
    assert result.exit_code == EXIT_BAD_INPUT and "hemmelig" not in result.output
    assert "lederen «leder» har ikke en scrypt-hash" in result.output
    assert runner.invoke(cli, ["add-manager", "leder", "--password", "riktig-hest-1", "--data", str(tmp_path)]).exit_code == 0
    assert read_managers_file(managers)["leder"].startswith("scrypt$")


def test_an_account_in_the_environment_without_a_hash_is_named(tmp_path, monkeypatch):
    """«kari» alone, or «kari:passord», was skipped or kept without a word: every login of kari failed."""
    monkeypatch.setenv("ROSTER_MANAGERS", f"leder:{MANAGER_HASH},kari:hemmelig-passord")
    result = runner.invoke(cli, ["serve", "--data", str(tmp_path)])
    assert result.exit_code == EXIT_BAD_INPUT and "hemmelig" not in result.output
    assert "ROSTER_MANAGERS: lederen «kari» har ikke en scrypt-hash" in result.output
