"""Reading solve runs for the API and the pages."""

from __future__ import annotations

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.config import Settings
from api.orm import ProgressRow, RosterRow, RunRow, as_utc, utcnow
from api.schemas import RunOut, SolveIn
from roster.terms import number


def solve_params(params: SolveIn, settings: Settings) -> tuple[float, int, bool]:
    limit = params.time_limit or settings.default_time_limit
    if limit > settings.max_time_limit:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            f"tidsgrensen kan være høyst {number(settings.max_time_limit)} sekunder")
    return limit, params.seed, params.strict


def run_out(session: Session, run_id: str) -> RunOut:
    session.expire_all()  # the worker thread writes progress through its own sessions
    run = session.get(RunRow, run_id)
    if run is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"kjøring {run_id} finnes ikke")
    out = RunOut.model_validate(run)
    out.roster_id = session.scalar(select(RosterRow.id).where(RosterRow.run_id == run_id))
    if run.started_at is not None:
        out.clock = round((as_utc(run.finished_at or utcnow()) - as_utc(run.started_at)).total_seconds(), 1)
    return out


def progress(session: Session, run_id: str) -> list[ProgressRow]:
    return list(session.scalars(select(ProgressRow).where(ProgressRow.run_id == run_id).order_by(ProgressRow.id)))


def listing(session: Session, scenario_id: int) -> list[RunRow]:
    return list(session.scalars(select(RunRow).where(RunRow.scenario_id == scenario_id)
                                .order_by(RunRow.created_at.desc())))
