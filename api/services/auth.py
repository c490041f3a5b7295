"""Manager logins: verify against the configured accounts, issue opaque tokens stored by digest.

A login is guarded (docs/security.md): failures are counted per name and per client address in
the database (``login_failures``) and, past ``login_max_failures_per_user`` or
``login_max_failures_per_address`` within ``login_window_minutes``, further attempts are refused
without looking at the password — also a correct one. Every failure is in the audit log. Password
hashing (scrypt, deliberately slow) runs on a small dedicated pool, never on the event loop or the
request threads, so a burst of logins cannot starve the other pages; an unknown name is checked
against a dummy hash, so the answer takes as long as for a real account.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets
from concurrent.futures import ThreadPoolExecutor

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from api.orm import LoginFailureRow, SessionRow, as_utc, utcnow
from api.security import hash_password, new_token, token_digest, verify_password
from api.services.audit import record

FAILURES_KEPT = dt.timedelta(days=1)


class LoginRefused(Exception):
    """Norwegian reason and HTTP status of a refused login."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class PasswordChecker:
    """Verifies passwords on a pool of ``login_hash_workers`` threads (one per app)."""

    def __init__(self, accounts: dict[str, str], settings: Settings):
        self.accounts = accounts
        self.pool = ThreadPoolExecutor(max_workers=settings.login_hash_workers, thread_name_prefix="scrypt")
        self.dummy = hash_password(secrets.token_urlsafe(16))  # what an unknown name is checked against

    async def verify(self, name: str, password: str) -> bool:
        known = name in self.accounts
        stored = self.accounts[name] if known else self.dummy
        ok = await asyncio.wrap_future(self.pool.submit(verify_password, password, stored))
        return known and ok

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _wait_minutes(session: Session, name: str, address: str, settings: Settings) -> int | None:
    """Minutes until a login may be tried again, or None when it may be tried now."""
    window = dt.timedelta(minutes=settings.login_window_minutes)
    since = utcnow() - window
    for column, value, limit in ((LoginFailureRow.username, name, settings.login_max_failures_per_user),
                                 (LoginFailureRow.address, address, settings.login_max_failures_per_address)):
        count, oldest = session.execute(select(func.count(), func.min(LoginFailureRow.at))
                                        .where(column == value, LoginFailureRow.at >= since)).one()
        if count >= limit:
            return max(1, int((as_utc(oldest) + window - utcnow()).total_seconds() // 60) + 1)
    return None


def _record_failure(session: Session, name: str, address: str) -> None:
    session.execute(delete(LoginFailureRow).where(LoginFailureRow.at < utcnow() - FAILURES_KEPT))
    session.add(LoginFailureRow(username=name[:100], address=address[:64]))
    record(session, name[:100], "innlogging-feilet", f"fra {address[:64]}")
    session.commit()


def _start_session(session: Session, name: str, hours: float) -> str:
    token = new_token()
    session.execute(delete(SessionRow).where(SessionRow.expires_at < utcnow()))
    session.add(SessionRow(token_digest=token_digest(token), manager=name,
                           expires_at=utcnow() + dt.timedelta(hours=hours)))
    record(session, name, "logg-inn")
    session.commit()
    return token


async def login(sessions: sessionmaker[Session], checker: PasswordChecker, settings: Settings, name: str,
                password: str, address: str) -> str:
    """A new session token for a correct name and password; LoginRefused otherwise (the same
    words for an unknown name as for a wrong password)."""

    def in_session(fn, *args):  # noqa: ANN001, ANN202 - each database step in its own session and thread
        with sessions() as session:
            return fn(session, *args)

    wait = await run_in_threadpool(in_session, _wait_minutes, name, address, settings)
    if wait is not None:
        raise LoginRefused(f"For mange mislykkede innlogginger; prøv igjen om {wait} minutt"
                           f"{'er' if wait != 1 else ''}.", 429)
    if not await checker.verify(name, password):
        await run_in_threadpool(in_session, _record_failure, name, address)
        raise LoginRefused("Feil brukernavn eller passord.", 401)
    return await run_in_threadpool(in_session, _start_session, name, settings.session_hours)


def manager_for_token(session: Session, token: str) -> str | None:
    row = session.get(SessionRow, token_digest(token))
    if row is None:
        return None
    return row.manager if as_utc(row.expires_at) > utcnow() else None


def logout(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_digest == token_digest(token)))
    session.commit()
