"""The audit log, newest first."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from api.deps import ManagerDep, SessionDep
from api.orm import AuditRow
from api.schemas import AuditOut

router = APIRouter(prefix="/api/audit", tags=["revisjonslogg"])


@router.get("", response_model=list[AuditOut])
def audit(_: ManagerDep, session: SessionDep, limit: int = 100) -> list[AuditRow]:
    return list(session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(min(max(limit, 1), 1000))))
