"""Annotated dependencies: handlers read ``session: SessionDep`` and ``manager: ManagerDep``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Path, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from api.config import Settings
from api.jobs import JobManager
from api.orm import MAX_ID
from api.services import auth

COOKIE = "roster_session"
LOGIN_NEEDED = "innlogging som leder kreves"
bearer = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False)


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_jobs(request: Request) -> JobManager:
    return request.app.state.jobs


def get_now(request: Request) -> dt.datetime:
    """The service's clock (Oslo time): deadlines, "today" and which shifts are past."""
    return request.app.state.clock()


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
JobsDep = Annotated[JobManager, Depends(get_jobs)]
NowDep = Annotated[dt.datetime, Depends(get_now)]
# A row id in an address: a number the database can hold, else the address names nothing (404).
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
# a client's name for one request to start a run, so a retry after a lost answer finds that run
# (the Idempotency-Key header of the IETF httpapi draft; ``api.jobs.api_submission``)
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=64,
                                              pattern=r"^[A-Za-z0-9._:-]+$")]


def client_address(request: Request) -> str:
    """The client's address (behind a proxy: what uvicorn's --proxy-headers made of X-Forwarded-For)."""
    return request.client.host if request.client else "ukjent"


class LoginRequired(Exception):
    """Raised by page handlers; the app turns it into a redirect to the login page."""


def _manager_name(request: Request, session: Session, token: str | None) -> str | None:
    token = token or request.cookies.get(COOKIE)
    return auth.manager_for_token(session, token) if token else None


def current_manager(request: Request, session: SessionDep, token: Annotated[str | None, Depends(bearer)]) -> str:
    name = _manager_name(request, session, token)
    if name is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, LOGIN_NEEDED,
                            headers={"WWW-Authenticate": "Bearer"})
    return name


def page_manager(request: Request, session: SessionDep) -> str:
    name = _manager_name(request, session, None)
    if name is None:
        raise LoginRequired()
    return name


ManagerDep = Annotated[str, Depends(current_manager)]
PageManagerDep = Annotated[str, Depends(page_manager)]
