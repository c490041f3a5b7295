"""Doctors' personal links: an unguessable token per doctor, rotated by a manager when leaked."""

from __future__ import annotations

import json
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.orm import DoctorLinkRow, ScenarioRow, utcnow
from api.services.audit import record


def ensure(session: Session, doctor_ids: list[str]) -> dict[str, str]:
    """doctor id → token, creating tokens for doctors who have none yet."""
    query = select(DoctorLinkRow).where(DoctorLinkRow.doctor_id.in_(doctor_ids))
    rows = {r.doctor_id: r for r in session.scalars(query)}
    for d in doctor_ids:
        if d not in rows:
            rows[d] = DoctorLinkRow(doctor_id=d, token=secrets.token_urlsafe(24))
            session.add(rows[d])
    session.flush()
    return {d: rows[d].token for d in doctor_ids}


class UnknownDoctor(LookupError):
    """A link was asked for a doctor no stored scenario has."""


def _in_a_scenario(session: Session, doctor_id: str) -> bool:
    for body in session.scalars(select(ScenarioRow.body).order_by(ScenarioRow.id.desc())):
        if any(isinstance(d, dict) and d.get("id") == doctor_id for d in json.loads(body).get("doctors", [])):
            return True
    return False


def rotate(session: Session, doctor_id: str, actor: str) -> str:
    """A new token; the old link stops working at once. Only for a doctor of a stored scenario
    (UnknownDoctor otherwise): a link is a door, and a door to nobody is only a door."""
    row = session.get(DoctorLinkRow, doctor_id)
    if row is None and not _in_a_scenario(session, doctor_id):
        raise UnknownDoctor(f"lege «{doctor_id[:80]}» finnes ikke i noe scenario")
    token = secrets.token_urlsafe(24)
    if row is None:
        session.add(DoctorLinkRow(doctor_id=doctor_id, token=token))
    else:
        row.token, row.rotated_at = token, utcnow()
    record(session, actor, "ny-legelenke", f"lege {doctor_id}")
    session.flush()
    return token


def doctor_for(session: Session, token: str) -> str | None:
    row = session.scalar(select(DoctorLinkRow).where(DoctorLinkRow.token == token))
    return row.doctor_id if row else None
