"""Doctors' personal links: an unguessable token per doctor, rotated by a manager when leaked."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from api.orm import DoctorLinkRow, RetiredLinkRow, ScenarioRow, as_utc, utcnow
from api.services.audit import record

RETIRED_FEED_DAYS = 90  # a rotated link's feed says so this long; subscribed calendars poll within a day


def ensure(session: Session, doctor_ids: list[str]) -> dict[str, str]:
    """doctor id → token, creating tokens for doctors who have none yet. Two first views of a new
    scenario's page at once both find no links: the second one's insert skips the rows the first
    one made (ON CONFLICT DO NOTHING, on SQLite and PostgreSQL) and both answer with those links,
    where a plain insert failed on the unique doctor id."""
    query = select(DoctorLinkRow.doctor_id, DoctorLinkRow.token).where(DoctorLinkRow.doctor_id.in_(doctor_ids))
    tokens: dict[str, str] = dict(session.execute(query).all())
    missing = [d for d in dict.fromkeys(doctor_ids) if d not in tokens]
    if missing:
        insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
        session.execute(insert(DoctorLinkRow).on_conflict_do_nothing(index_elements=["doctor_id"]),
                        [{"doctor_id": d, "token": secrets.token_urlsafe(24)} for d in missing])
        tokens.update(session.execute(query).all())
    return {d: tokens[d] for d in doctor_ids}


class UnknownDoctor(LookupError):
    """A link was asked for a doctor no stored scenario has."""


def _in_a_scenario(session: Session, doctor_id: str) -> bool:
    for body in session.scalars(select(ScenarioRow.body).order_by(ScenarioRow.id.desc())):
        if any(isinstance(d, dict) and d.get("id") == doctor_id for d in json.loads(body).get("doctors", [])):
            return True
    return False


def rotate(session: Session, doctor_id: str, actor: str) -> str:
    """A new token; the old link stops working at once (its calendar feed says so for
    ``RETIRED_FEED_DAYS``, then is gone). Only for a doctor of a stored scenario (UnknownDoctor
    otherwise): a link is a door, and a door to nobody is only a door."""
    row = session.get(DoctorLinkRow, doctor_id)
    if row is None and not _in_a_scenario(session, doctor_id):
        raise UnknownDoctor(f"lege «{doctor_id[:80]}» finnes ikke i noe scenario")
    token = secrets.token_urlsafe(24)
    now = utcnow()
    session.execute(delete(RetiredLinkRow).where(RetiredLinkRow.retired_at < now - dt.timedelta(days=RETIRED_FEED_DAYS)))
    if row is None:
        session.add(DoctorLinkRow(doctor_id=doctor_id, token=token))
    else:
        session.add(RetiredLinkRow(token_hash=_digest(row.token), doctor_id=doctor_id, retired_at=now))
        row.token, row.rotated_at = token, now
    record(session, actor, "ny-legelenke", f"lege {doctor_id}")
    session.flush()
    return token


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def retired(session: Session, token: str, now: dt.datetime) -> dt.datetime | None:
    """When the link with ``token`` was replaced, if that was within ``RETIRED_FEED_DAYS``."""
    at = session.scalar(select(RetiredLinkRow.retired_at).where(RetiredLinkRow.token_hash == _digest(token)))
    if at is None:
        return None
    at = as_utc(at)
    return at if now - at <= dt.timedelta(days=RETIRED_FEED_DAYS) else None


def doctor_for(session: Session, token: str) -> str | None:
    row = session.scalar(select(DoctorLinkRow).where(DoctorLinkRow.token == token))
    return row.doctor_id if row else None
