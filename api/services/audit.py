"""The audit log: who did what, when (uploads, solves, publishing, link rotation)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.orm import AuditRow


def record(session: Session, actor: str, action: str, detail: str = "") -> None:
    """Added to the caller's transaction, so the log line commits with the change it describes."""
    session.add(AuditRow(actor=actor, action=action, detail=detail))
