"""Solve runs: state by polling, progress as Server-Sent Events, cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from api.deps import JobsDep, ManagerDep, SessionDep, bearer, current_manager
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
async def events(run_id: str, request: Request, token: Annotated[str | None, Depends(bearer)]) -> StreamingResponse:
    """``event: progress`` with the run as JSON whenever it changes, ``event: end`` when it is over.

    The stream is asynchronous: between polls it holds no thread (a synchronous stream held one of
    the server's worker threads for its whole life, and 60 open run pages starved the doctors'
    pages) and no database connection (each read, the manager check included, opens and closes
    its own session inside one trip to the thread pool)."""
    sessions, poll = request.app.state.sessions, request.app.state.settings.sse_poll_seconds

    def snapshot() -> RunOut:
        with sessions() as s:
            return run_out(s, run_id)

    def first() -> RunOut:
        with sessions() as s:
            current_manager(request, s, token)
            return run_out(s, run_id)

    await run_in_threadpool(first)

    async def stream() -> AsyncIterator[str]:
        last, quiet = "", 0.0
        while True:  # Starlette cancels the stream when the client goes away
            current = await run_in_threadpool(snapshot)
            data = current.model_dump_json()
            if data != last:
                yield f"event: progress\ndata: {data}\n\n"
                last, quiet = data, 0.0
            if current.status in TERMINAL:
                yield f"event: end\ndata: {data}\n\n"
                return
            await asyncio.sleep(poll)
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
