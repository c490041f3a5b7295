"""Manager logins: verify against the configured accounts, issue opaque tokens stored by digest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.orm import Session

from api.orm import SessionRow, utcnow
from api.security import new_token, token_digest, verify_password
from api.services.audit import record


def login(session: Session, accounts: dict[str, str], name: str, password: str, hours: float) -> str | None:
    """A new token for a correct name and password, else None (same answer for unknown names)."""
    stored = accounts.get(name)
    if stored is None or not verify_password(password, stored):
        return None
    token = new_token()
    session.execute(delete(SessionRow).where(SessionRow.expires_at < utcnow()))
    session.add(SessionRow(token_digest=token_digest(token), manager=name,
                           expires_at=utcnow() + dt.timedelta(hours=hours)))
    record(session, name, "logg-inn")
    session.commit()
    return token


def manager_for_token(session: Session, token: str) -> str | None:
    row = session.get(SessionRow, token_digest(token))
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.timezone.utc)
    return row.manager if expires > utcnow() else None


def logout(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_digest == token_digest(token)))
    session.commit()
