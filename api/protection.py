"""Cross-site request protection and security headers, for every route at once (no form needs a
change: new forms and endpoints are covered as they are added).

Cross-site requests: a browser marks every request with ``Sec-Fetch-Site`` (and a POST with
``Origin``); a state-changing request (not GET/HEAD/OPTIONS) that a browser says came from another
site is refused with 403, whatever cookie it carries. A request with neither header is not from a
(modern) browser, so no cookie was sent on someone else's behalf: API clients with a bearer token
work unchanged. This is the check Go's ``http.CrossOriginProtection`` makes; it complements the
``SameSite=Lax`` session cookie. Origins behind a proxy that rewrites the host are listed in
``ROSTER_TRUSTED_ORIGINS``.

Headers: a Content-Security-Policy that allows only the service's own scripts and styles and no
framing, ``X-Frame-Options``, ``X-Content-Type-Options: nosniff``, a referrer policy that never
sends a doctor's link to another site, and HSTS over HTTPS. A response that sets its own policy
(the API docs page, the downloadable report) keeps it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# FastAPI's interactive docs load Swagger UI from its CDN with an inline start-up script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "frame-ancestors 'none'")
DOCS_PATHS = ("/docs", "/redoc")
REFUSAL = "forespørselen kom fra et annet nettsted og er avvist (beskyttelse mot CSRF)"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class Protection:
    """ASGI middleware: cross-site refusal first, then the headers on whatever the app answers."""

    def __init__(self, app: ASGIApp, trusted_origins: str = ""):
        self.app = app
        self.trusted = {o.strip().rstrip("/").lower() for o in trusted_origins.split(",") if o.strip()}

    def cross_site(self, scope: Scope) -> bool:
        if scope["method"] in SAFE_METHODS:
            return False
        origin = (_header(scope, b"origin") or "").rstrip("/").lower()
        if origin and origin in self.trusted:
            return False
        fetch_site = _header(scope, b"sec-fetch-site")
        if fetch_site is not None:
            return fetch_site not in ("same-origin", "none")
        if not origin:
            return False  # not a browser: no cookie was sent on anybody's behalf
        host = (_header(scope, b"host") or "").lower()
        return origin == "null" or urlsplit(origin).netloc != host

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.cross_site(scope):
            await _refuse(scope, send)
            return
        path: str = scope.get("path", "")
        policy = DOCS_CSP if path.startswith(DOCS_PATHS) else CSP
        referrer = b"no-referrer" if path.startswith("/lege/") else b"same-origin"
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                extra = [(b"content-security-policy", policy.encode()), (b"x-frame-options", b"DENY"),
                         (b"x-content-type-options", b"nosniff"), (b"referrer-policy", referrer),
                         (b"cross-origin-opener-policy", b"same-origin")]
                if https:
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                if not path.startswith("/static/"):  # pages, exports and API answers hold personal data:
                    extra.append((b"cache-control", b"no-store"))  # no copy on a shared PC's disk or a proxy
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _refuse(scope: Scope, send: Callable[[Message], Awaitable[None]]) -> None:
    if scope.get("path", "").startswith("/api/"):
        body, kind = json.dumps({"detail": REFUSAL}, ensure_ascii=False).encode(), b"application/json"
    else:
        body = (f'<!doctype html><html lang="nb"><meta charset="utf-8"><title>Avvist</title>'
                f"<p>{REFUSAL[0].upper() + REFUSAL[1:]}. Gå til tjenesten og prøv derfra.</p></html>").encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
