"""Swaps and give-aways: doctors propose and answer from their link, managers approve or reject."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import JSONResponse

from api.deps import ManagerDep, NowDep, RowId, SessionDep, SettingsDep
from api.orm import SwapRow
from api.routers.doctors import doctor_or_404
from api.schemas import ProblemsOut, RejectIn, SwapProposalIn, SwapRequestOut
from api.services import swaps
from api.services.rosters import latest_scenario_for
from roster.swap import SwapRefused

router = APIRouter(tags=["bytter"])
REFUSED = {422: {"model": ProblemsOut, "description": "refused: every reason in Norwegian"}}
MOVED = {**REFUSED, 409: {"model": ProblemsOut, "description": "someone else moved the swap first (the offer is "
                                                                "taken, withdrawn or decided)"}}


def swap_out(v: swaps.SwapView) -> SwapRequestOut:
    r = v.row
    return SwapRequestOut(id=r.id, status=r.status, status_text=v.status, giver=r.giver, taker=r.taker, shift=r.shift,
                          shift_text=v.shift, back_shift=r.back_shift, back_text=v.back, message=r.message,
                          result_roster_id=r.result_roster_id)


def refused(session: SessionDep, exc: SwapRefused) -> JSONResponse:
    session.commit()  # a swap found stale stays stale
    return JSONResponse({"detail": "byttet ble ikke gjort", "problems": exc.problems},
                        status_code=status.HTTP_409_CONFLICT if isinstance(exc, swaps.SwapTaken)
                        else status.HTTP_422_UNPROCESSABLE_CONTENT)


def one(session: SessionDep, swap: SwapRow) -> SwapRequestOut:
    return swap_out(swaps.views(session, [swap])[0])


@router.get("/api/lege/{token}/swaps")
def doctor_swaps(token: str, session: SessionDep, now: NowDep) -> dict[str, list[SwapRequestOut]]:
    """Your proposals, proposals to you, and open offers of shifts you may work."""
    doctor = doctor_or_404(session, token)
    found = swaps.for_doctor(session, doctor, latest_scenario_for(session, doctor), now)
    return {k: [swap_out(v) for v in vs] for k, vs in found.items()}


@router.post("/api/lege/{token}/swaps", response_model=SwapRequestOut, status_code=status.HTTP_201_CREATED,
             responses=REFUSED)
def propose(token: str, body: SwapProposalIn, session: SessionDep, now: NowDep) -> SwapRequestOut | JSONResponse:
    """Offer one of your coming shifts, to a colleague or to anyone, or swap it for the colleague's.
    A proposal to a named colleague is checked at once against the hard rules."""
    doctor = doctor_or_404(session, token)
    try:
        swap = swaps.propose(session, doctor, body.shift, body.taker, body.back_shift, body.note, now)
    except SwapRefused as exc:
        session.rollback()
        return refused(session, exc)
    session.commit()
    return one(session, swap)


@router.post("/api/lege/{token}/swaps/{swap_id}/{action}", response_model=SwapRequestOut, responses=MOVED)
def respond(token: str, swap_id: RowId, action: str, request: Request, session: SessionDep,
            settings: SettingsDep, now: NowDep) -> SwapRequestOut | JSONResponse:
    """``accept`` (checked again; approved at once when the rules allow), ``decline`` or ``withdraw``."""
    doctor = doctor_or_404(session, token)
    if action not in ("accept", "decline", "withdraw"):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "ukjent handling")
    try:
        swap = (swaps.accept(session, swap_id, doctor, settings, now) if action == "accept"
                else swaps.answer(session, swap_id, doctor, action))
    except SwapRefused as exc:
        return refused(session, exc)
    session.commit()
    request.app.state.mailer.kick()
    return one(session, swap)


@router.get("/api/swaps")
def manager_swaps(_: ManagerDep, session: SessionDep) -> dict[str, list[SwapRequestOut]]:
    """Swaps waiting for approval, and the latest decided ones."""
    return {k: [swap_out(v) for v in vs] for k, vs in swaps.for_manager(session).items()}


def _swap(session: SessionDep, swap_id: int) -> SwapRow:
    swap = session.get(SwapRow, swap_id)
    if swap is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"bytte {swap_id} finnes ikke")
    return swap


@router.post("/api/swaps/{swap_id}/approve", response_model=SwapRequestOut, responses=MOVED)
def approve(swap_id: RowId, request: Request, manager: ManagerDep, session: SessionDep, now: NowDep
            ) -> SwapRequestOut | JSONResponse:
    """A new published version with the swap (checked again against the roster published now)."""
    swap = _swap(session, swap_id)
    try:
        swaps.approve(session, swap, manager, now)
    except SwapRefused as exc:
        return refused(session, exc)
    session.commit()
    request.app.state.mailer.kick()
    return one(session, swap)


@router.post("/api/swaps/{swap_id}/reject", response_model=SwapRequestOut, responses=MOVED)
def reject(swap_id: RowId, body: RejectIn, manager: ManagerDep, session: SessionDep) -> SwapRequestOut | JSONResponse:
    swap = _swap(session, swap_id)
    try:
        swaps.reject(session, swap, manager, body.reason)
    except SwapRefused as exc:
        return refused(session, exc)
    session.commit()
    return one(session, swap)
