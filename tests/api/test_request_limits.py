"""The request-size cap and the login check for uploads act before the body is read
(api.request_limits): the app is called as the server calls it, and the test counts how much of the
body it pulls."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import anyio
import pytest

from api.main import create_app
from api.request_limits import MAX_BODY_BYTES
from tests.browser.browser_helpers import live

MB = b" " * 2**20
MULTIPART = "multipart/form-data; boundary=zz"
PART = b'--zz\r\nContent-Disposition: form-data; name="file"; filename="stor.json"\r\n\r\n'


def call(app, method: str, path: str, headers: dict[str, str], first: bytes = b"") -> tuple[int, dict, bytes, int]:
    """Send a body of 40 MB (``first``, then 1 MB chunks) and collect the answer: (status, headers,
    body, how many chunks the app pulled)."""
    pulled = 0
    answer: dict = {"body": b""}

    async def receive():
        nonlocal pulled
        pulled += 1
        if pulled > 40:
            return {"type": "http.request", "body": b"\r\n--zz--\r\n", "more_body": False}
        return {"type": "http.request", "body": first if pulled == 1 and first else MB, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "server": ("testserver", 80), "client": ("127.0.0.1", 5000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in {"host": "testserver", **headers}.items()]}
    anyio.run(app, scope, receive, send)
    return answer["status"], answer["headers"], answer["body"], pulled


def test_a_body_declared_over_the_cap_is_refused_before_a_byte_is_read(client, auth):
    status, _, body, pulled = call(client.app, "POST", "/api/scenarios",
                                   {**auth, "content-type": MULTIPART, "content-length": str(300 * 2**20)})
    assert (status, pulled) == (413, 0)
    assert json.loads(body) == {"detail": "forespørselen er for stor; en fil kan være høyst 20 MB"}
    status, _, _, pulled = call(client.app, "POST", "/api/rosters/1/edits",
                                {**auth, "content-type": "application/json", "content-length": str(10**9)})
    assert (status, pulled) == (413, 0)


@pytest.mark.parametrize(("path", "kind"), [("/api/scenarios", "application/json"), ("/scenarier", "text/html")])
def test_a_body_without_a_length_is_cut_off_once_it_passes_the_cap(client, token, path, kind):
    credentials = ({"authorization": f"Bearer {token}"} if path.startswith("/api/")
                   else {"cookie": f"roster_session={token}"})
    status, headers, body, pulled = call(client.app, "POST", path, {**credentials, "content-type": MULTIPART}, PART)
    assert status == 413 and headers["content-type"].startswith(kind)
    assert "en fil kan være høyst 20 MB" in body.decode()
    assert pulled == MAX_BODY_BYTES // len(MB) + 1  # read up to the cap, not a chunk more


@pytest.mark.parametrize("credentials", [{}, {"authorization": "Bearer ukjent"}, {"cookie": "roster_session=ukjent"}],
                         ids=["nothing", "unknown-token", "unknown-cookie"])
def test_an_anonymous_upload_is_refused_before_its_body_is_read(client, credentials):
    status, headers, body, pulled = call(client.app, "POST", "/api/scenarios",
                                         {**credentials, "content-type": MULTIPART})
    assert (status, pulled) == (401, 0)
    assert json.loads(body) == {"detail": "innlogging som leder kreves"}
    assert headers["www-authenticate"] == "Bearer"
    status, headers, _, pulled = call(client.app, "POST", "/scenarier", {**credentials, "content-type": MULTIPART})
    assert (status, pulled) == (303, 0)
    assert headers["location"] == "/logg-inn?neste=/scenarier"


def test_a_live_server_answers_an_anonymous_300_mb_upload_at_once(settings):
    """What the audit did: the server answers after the headers, with the body not sent."""
    with live(create_app(settings)) as url, socket.create_connection(("127.0.0.1", urlsplit(url).port)) as s:
        s.settimeout(10)
        s.sendall(f"POST /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {MULTIPART}\r\n"
                  f"Content-Length: {300 * 2**20}\r\n\r\n".encode() + PART)
        answer = b""
        while b"innlogging" not in answer and (chunk := s.recv(4096)):  # headers and body may come apart
            answer += chunk
        answer = answer.decode()
    assert answer.startswith("HTTP/1.1 401"), answer
    assert "innlogging som leder kreves" in answer
