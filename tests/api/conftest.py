"""Fixtures: an app per test on SQLite and, when ``TEST_POSTGRES_URL`` is set, on PostgreSQL too;
the same served by uvicorn for requests that must really run at once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text
from web_helpers import PASSWORD

from api.config import Settings
from api.main import create_app
from api.orm import Base
from api.security import hash_password
from tests.browser.browser_helpers import live

MANAGER_HASH = hash_password(PASSWORD)


def _worker_postgres_url(url: str) -> str:
    """The test database with this pytest-xdist worker's own schema first on the search path, so
    parallel workers never drop each other's tables (the role needs no right to create databases)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{worker}"'))
    engine.dispose()
    own = make_url(url).update_query_dict({"options": f"-csearch_path={worker}"})
    return own.render_as_string(hide_password=False)


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()


DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_POSTGRES_URL") else [])


@pytest.fixture(scope="session")
def postgres_url() -> str:
    return _worker_postgres_url(os.environ["TEST_POSTGRES_URL"])


@pytest.fixture(params=DATABASES)
def settings(request, tmp_path) -> Settings:
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
        _reset_postgres(url)
    return Settings(data_dir=tmp_path, database_url=url, managers=f"leder:{MANAGER_HASH}",
                    bootstrap_manager=False, solver_workers=1, default_time_limit=5, replan_time_limit=5, explain_time_limit=20,
                    sse_poll_seconds=0.05)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    assert app.state.engine.dialect.name == ("postgresql" if settings.database_url else "sqlite")
    with TestClient(app) as c:
        yield c


@pytest.fixture
def token(client: TestClient) -> str:
    r = client.post("/api/token", data={"username": "leder", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def serving(settings: Settings) -> Iterator[tuple]:
    """The app on a live server: (app, address, the manager's bearer token)."""
    app = create_app(settings)
    with live(app) as url:
        token = httpx.post(f"{url}/api/token", data={"username": "leder", "password": PASSWORD}).json()["access_token"]
        yield app, url, token


@pytest.fixture
def served(settings: Settings) -> Iterator[tuple]:
    with serving(settings) as running:
        yield running
