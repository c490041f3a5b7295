"""Logins (issue 14): failures are limited per name and per address (then even the right password
waits), audited, hashed on their own pool, and an unknown name costs a hash like a real one."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from web_helpers import PASSWORD

from api.main import create_app
from api.services import auth as auth_service


def token_status(client: TestClient, name: str, password: str) -> int:
    return client.post("/api/token", data={"username": name, "password": password}).status_code


def test_failed_logins_of_one_name_lock_it_even_for_the_right_password(settings):
    app = create_app(settings.model_copy(update={"login_max_failures_per_user": 3}))
    with TestClient(app) as client:
        assert [token_status(client, "leder", "feil") for _ in range(3)] == [401, 401, 401]
        r = client.post("/api/token", data={"username": "leder", "password": PASSWORD})
        assert r.status_code == 429
        assert r.json()["detail"] == "for mange mislykkede innlogginger; prøv igjen om 15 minutter"
        page = client.post("/logg-inn", data={"brukernavn": "leder", "passord": PASSWORD})
        assert page.status_code == 429 and "For mange mislykkede innlogginger" in page.text
        assert token_status(client, "annen", "feil") == 401  # another name is not locked


def test_failed_logins_from_one_address_lock_every_name_from_it(settings):
    app = create_app(settings.model_copy(update={"login_max_failures_per_address": 4}))
    with TestClient(app) as client:
        assert [token_status(client, f"gjett{i}", "feil") for i in range(4)] == [401] * 4
        assert token_status(client, "leder", PASSWORD) == 429


def test_the_right_password_works_below_the_limit(client):
    assert [token_status(client, "leder", "feil") for _ in range(3)] == [401] * 3
    assert token_status(client, "leder", PASSWORD) == 200


def test_failed_logins_are_audited_with_the_address(client, auth):
    token_status(client, "ukjent-navn", "feil")
    token_status(client, "leder", "feil")
    failed = [(a["actor"], a["detail"]) for a in client.get("/api/audit", headers=auth).json()
              if a["action"] == "innlogging-feilet"]
    assert failed == [("leder", "fra testclient"), ("ukjent-navn", "fra testclient")]


def test_an_unknown_name_is_hashed_like_a_known_one_on_the_hashing_pool(client, monkeypatch):
    calls: list[tuple[str, str]] = []
    real = auth_service.verify_password

    def spy(password: str, stored: str) -> bool:
        calls.append((threading.current_thread().name, stored.split("$")[0]))
        return real(password, stored)

    monkeypatch.setattr(auth_service, "verify_password", spy)
    assert token_status(client, "finnes-ikke", PASSWORD) == 401
    assert token_status(client, "leder", "feil") == 401
    assert len(calls) == 2 and all(kind == "scrypt" for _, kind in calls)
    assert all(thread.startswith("scrypt") for thread, _ in calls), calls  # never the request threads


def test_the_session_cookie_is_secure_over_https(settings):
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        r = client.post("/logg-inn", data={"brukernavn": "leder", "passord": PASSWORD, "neste": "/"},
                        follow_redirects=False)
        assert r.status_code == 303 and "secure" in r.headers["set-cookie"].lower()
    with TestClient(create_app(settings)) as client:
        r = client.post("/logg-inn", data={"brukernavn": "leder", "passord": PASSWORD, "neste": "/"},
                        follow_redirects=False)
        assert "secure" not in r.headers["set-cookie"].lower()
