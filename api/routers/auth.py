"""Manager login for API clients (bearer token) and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import COOKIE, ManagerDep, SessionDep, SettingsDep, bearer
from api.schemas import TokenOut
from api.services import auth

router = APIRouter(prefix="/api", tags=["innlogging"])


@router.post("/token", response_model=TokenOut)
def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep,
          settings: SettingsDep) -> TokenOut:
    """Log in as a manager; use the token as ``Authorization: Bearer …``."""
    value = auth.login(session, request.app.state.accounts, form.username, form.password, settings.session_hours)
    if value is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "feil brukernavn eller passord")
    return TokenOut(access_token=value)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, _: ManagerDep, session: SessionDep,
           token: Annotated[str | None, Depends(bearer)]) -> None:
    value = token or request.cookies.get(COOKIE)
    if value:
        auth.logout(session, value)
