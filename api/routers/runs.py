"""Solve runs: state by polling, progress as Server-Sent Events, cancellation."""

from __future__ import annotations

import time
from collections.abc import Iterator

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from api.deps import JobsDep, ManagerDep, SessionDep
from api.jobs import TERMINAL
from api.schemas import RunOut
from api.services.runs import progress, run_out

router = APIRouter(prefix="/api/runs", tags=["beregninger"])


class ProgressOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    elapsed: float
    objective: float
    bound: float | None
    gap: float | None
    open_slots: int
    solutions: int


@router.get("/{run_id}", response_model=RunOut)
def get_run(run_id: str, _: ManagerDep, session: SessionDep) -> RunOut:
    return run_out(session, run_id)


@router.get("/{run_id}/progress", response_model=list[ProgressOut])
def get_progress(run_id: str, _: ManagerDep, session: SessionDep) -> list:
    run_out(session, run_id)
    return progress(session, run_id)


@router.get("/{run_id}/events", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}, "description": "run state on every change"}})
def events(run_id: str, request: Request, _: ManagerDep, session: SessionDep) -> StreamingResponse:
    """``event: progress`` with the run as JSON whenever it changes, ``event: end`` when it is over."""
    run_out(session, run_id)
    sessions, poll = request.app.state.sessions, request.app.state.settings.sse_poll_seconds

    def stream() -> Iterator[str]:
        last, quiet = "", 0.0
        while True:
            with sessions() as s:
                current = run_out(s, run_id)
            data = current.model_dump_json()
            if data != last:
                yield f"event: progress\ndata: {data}\n\n"
                last, quiet = data, 0.0
            if current.status in TERMINAL:
                yield f"event: end\ndata: {data}\n\n"
                return
            time.sleep(poll)
            quiet += poll
            if quiet >= 15:  # a comment line keeps proxies from closing an idle stream
                yield ": ping\n\n"
                quiet = 0.0

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/{run_id}/cancel", response_model=RunOut, status_code=status.HTTP_202_ACCEPTED)
def cancel(run_id: str, manager: ManagerDep, session: SessionDep, jobs: JobsDep) -> RunOut:
    """Stop a run; it keeps the best roster found so far."""
    run_out(session, run_id)
    if not jobs.cancel(run_id, manager):
        raise HTTPException(status.HTTP_409_CONFLICT, "kjøringen er allerede ferdig")
    return run_out(session, run_id)
