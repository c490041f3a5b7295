"""Manager login for API clients (bearer token) and logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import COOKIE, ManagerDep, SessionDep, bearer, client_address
from api.schemas import TokenOut
from api.services import auth

router = APIRouter(prefix="/api", tags=["innlogging"])


@router.post("/token", response_model=TokenOut,
             responses={401: {"description": "feil brukernavn eller passord"},
                        429: {"description": "for mange mislykkede innlogginger"}})
async def token(request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> TokenOut:
    """Log in as a manager; use the token as ``Authorization: Bearer …``. Failed logins are
    counted per name and address; past the limit, logins are refused for a while (429)."""
    state = request.app.state
    try:
        value = await auth.login(state.sessions, state.passwords, state.settings, form.username, form.password,
                                 client_address(request))
    except auth.LoginRefused as exc:
        raise HTTPException(exc.status, str(exc).rstrip(".").lower()) from None
    return TokenOut(access_token=value)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, _: ManagerDep, session: SessionDep,
           token: Annotated[str | None, Depends(bearer)]) -> None:
    value = token or request.cookies.get(COOKIE)
    if value:
        auth.logout(session, value)
