"""A cap on every request body, and uploads from signed-in managers only, both checked before the
body is read.

FastAPI reads a route's body before it runs the route's dependencies, the login check included, and
the form parser spools a file part to a temporary file as it arrives: an anonymous client streaming
300 MB to ``/api/scenarios`` had 295 MB written to disk before it got its 401, and the upload's
20 MB limit was checked only after the whole body was stored. Here a request that says it is larger
than the largest upload (plus the form's other fields) is refused before a byte is read, a body
without a length (chunked) is cut off once it passes the cap, and a multipart body — only the
manager's uploads are sent that way — is not read at all unless a manager's session or bearer token
comes with it.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security.utils import get_authorization_scheme_param
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import COOKIE, LOGIN_NEEDED
from api.errors import to_login, wants_html
from roster.scenario_io import MAX_SCENARIO_BYTES

MAX_BODY_BYTES = MAX_SCENARIO_BYTES + 2**20  # the largest upload, with room for the form's framing and fields
TOO_LARGE = f"forespørselen er for stor; en fil kan være høyst {MAX_SCENARIO_BYTES // 2**20} MB"


class TooLarge(HTTPException):
    """Raised where the route reads the body, so the app answers it like any refusal (page or JSON)."""

    def __init__(self) -> None:
        super().__init__(status.HTTP_413_CONTENT_TOO_LARGE, TOO_LARGE)


class RequestLimits:
    """ASGI middleware; ``is_manager(token)`` looks a session or bearer token up (blocking)."""

    def __init__(self, app: ASGIApp, is_manager: Callable[[str], bool]):
        self.app = app
        self.is_manager = is_manager

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        multipart = request.headers.get("content-type", "").lower().startswith("multipart/")
        if multipart and not await self._manager(request):
            if wants_html(request):
                response = to_login(request)
            else:
                response = JSONResponse({"detail": LOGIN_NEEDED}, status.HTTP_401_UNAUTHORIZED,
                                        headers={"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        try:
            declared = int(request.headers.get("content-length", "0"))
        except ValueError:
            declared = 0
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared > MAX_BODY_BYTES:
                raise TooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise TooLarge()
            return message

        await self.app(scope, limited, send)

    async def _manager(self, request: Request) -> bool:
        scheme, token = get_authorization_scheme_param(request.headers.get("authorization"))
        token = token if scheme.lower() == "bearer" and token else request.cookies.get(COOKIE)
        return bool(token) and await run_in_threadpool(self.is_manager, token)
