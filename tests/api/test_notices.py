"""Change notices: queued in the outbox when a new version changes a doctor's shifts, sent by SMTP
to a local server the test starts when one is configured, and never sent when none is."""

from __future__ import annotations

import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from web_helpers import publish_week

from api.main import create_app


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd's hook
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as probe:  # a free port on loopback (aiosmtpd checks the port it is given)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def _move_a_shift(client, auth, rid) -> int:
    """Cecilie's day shift to Eva (and Åse, without an e-mail address, loses a night to Dag)."""
    draft = client.post(f"/api/rosters/{rid}/edits", headers=auth, json={
        "action": "assign", "doctor": "eva", "shift": "dag/2026-11-03", "replaces": "cecilie"}).json()["roster"]["id"]
    client.post(f"/api/rosters/{draft}/edits", headers=auth, json={
        "action": "assign", "doctor": "dag", "shift": "natt/2026-11-04", "replaces": "aase"})
    assert client.post(f"/api/rosters/{draft}/publish", headers=auth).status_code == 200
    return draft


def _token(client) -> dict[str, str]:
    from web_helpers import PASSWORD

    token = client.post("/api/token", data={"username": "leder", "password": PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_notices_are_sent_by_smtp_when_configured(settings, smtp):
    controller, inbox = smtp
    configured = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": controller.port,
                                             "smtp_poll_seconds": 0.05, "mail_from": "vakt@legevakt.test"})
    with TestClient(create_app(configured)) as client:
        auth = _token(client)
        _, rid, _ = publish_week(client)
        version = _move_a_shift(client, auth, rid)
        # the mailer marks a notice sent once the server has answered for it: the server has the
        # message a moment before the outbox says so, so wait for the outbox, not the inbox
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(
                o["status"] == "queued" for o in client.get("/api/outbox", headers=auth).json()):
            time.sleep(0.05)
        assert sorted(m.rcpt_tos[0] for m in inbox.messages) == ["cecilie@example.no", "dag@example.no",
                                                                 "eva@example.no"]
        eva = email.message_from_bytes(next(m for m in inbox.messages if m.rcpt_tos == ["eva@example.no"]).content,
                                       policy=email.policy.default)
        assert eva["Subject"] == f"Vaktene dine er endret (vaktplan {version})"
        assert "+ Ny vakt: dag Bergen legevakt 03.11 08:00–16:00" in eva.get_content()
        assert eva["From"] == "vakt@legevakt.test"
        outbox = {o["doctor_id"]: o for o in client.get("/api/outbox", headers=auth).json()}
        assert {d: o["status"] for d, o in outbox.items()} == {"cecilie": "sent", "dag": "sent", "eva": "sent",
                                                               "aase": "no_address"}
        assert outbox["aase"]["recipient"] is None and "− Ikke lenger: natt" in outbox["aase"]["body"]


def test_nothing_is_sent_without_smtp(client, auth, smtp):
    _, inbox = smtp
    _, rid, _ = publish_week(client)
    assert not client.app.state.mailer.configured
    _move_a_shift(client, auth, rid)
    time.sleep(0.3)
    assert inbox.messages == []
    statuses = sorted(o["status"] for o in client.get("/api/outbox", headers=auth).json())
    assert statuses == ["no_address", "queued", "queued", "queued"]


def test_a_first_publication_sends_no_notice(client, auth):
    publish_week(client)
    assert client.get("/api/outbox", headers=auth).json() == []
