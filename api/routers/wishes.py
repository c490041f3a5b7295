"""Requests for a coming period: managers open a round with a deadline, doctors add wishes and
absences from their link, managers take them into the period's scenario."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import JSONResponse

from api.deps import ManagerDep, NowDep, RowId, SessionDep
from api.orm import RequestRoundRow, ScenarioRow
from api.routers.doctors import doctor_or_404
from api.schemas import DoctorRequestOut, MergedOut, ProblemsOut, RequestRoundIn, RequestRoundOut
from api.services import wishes
from api.services.rosters import latest_scenario_for
from api.services.scenarios import load, store
from roster.scenario_io import InputError

router = APIRouter(tags=["ønsker"])
REFUSED = {422: {"model": ProblemsOut, "description": "refused: every reason in Norwegian"}}


def refused(exc: InputError) -> JSONResponse:
    return JSONResponse({"detail": "ikke lagret", "problems": exc.problems},
                        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


def get_round(session: SessionDep, round_id: int) -> RequestRoundRow:
    row = session.get(RequestRoundRow, round_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"ønskerunde {round_id} finnes ikke")
    return row


@router.get("/api/request-rounds", response_model=list[RequestRoundOut])
def list_rounds(_: ManagerDep, session: SessionDep) -> list:
    return wishes.rounds(session)


@router.post("/api/request-rounds", response_model=RequestRoundOut, status_code=status.HTTP_201_CREATED,
             responses=REFUSED)
def open_round(body: RequestRoundIn, manager: ManagerDep, session: SessionDep, now: NowDep):
    """Doctors may enter wishes and absences for the period until the deadline."""
    try:
        row = wishes.open_round(session, body.period_start, body.period_end, body.deadline, manager, now)
    except InputError as exc:
        return refused(exc)
    session.commit()
    return row


@router.get("/api/request-rounds/{round_id}/requests", response_model=list[DoctorRequestOut])
def round_requests(round_id: RowId, _: ManagerDep, session: SessionDep) -> list:
    row = get_round(session, round_id)
    return wishes.for_period(session, row.period_start, row.period_end)


@router.post("/api/scenarios/{scenario_id}/requests", response_model=MergedOut, status_code=status.HTTP_201_CREATED)
def merge(scenario_id: RowId, manager: ManagerDep, session: SessionDep) -> MergedOut:
    """A new scenario: this one with the doctors' wishes and absences for its period."""
    row = session.get(ScenarioRow, scenario_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"scenario {scenario_id} finnes ikke")
    scenario = load(row)
    merged, skipped, added = wishes.merged(scenario, wishes.for_period(session, scenario.period.start,
                                                                       scenario.period.end))
    new = store(session, merged, f"scenario {scenario_id} med legenes ønsker", manager)
    session.commit()
    return MergedOut(scenario_id=new.id, added=added, skipped=skipped)


@router.get("/api/lege/{token}/requests", response_model=list[DoctorRequestOut])
def my_requests(token: str, session: SessionDep) -> list:
    return wishes.of_doctor(session, doctor_or_404(session, token))


@router.post("/api/lege/{token}/request-rounds/{round_id}/requests", response_model=DoctorRequestOut,
             status_code=status.HTTP_201_CREATED, responses=REFUSED)
def add_request(token: str, round_id: RowId, body: wishes.RequestIn, session: SessionDep, now: NowDep):
    """A wish or an absence for the round's period, before its deadline."""
    doctor = doctor_or_404(session, token)
    scenario = latest_scenario_for(session, doctor)
    templates = {t.id: t.label for t in scenario.templates} if scenario else {}
    try:
        row = wishes.add(session, get_round(session, round_id), doctor, body, templates, now)
    except InputError as exc:
        return refused(exc)
    session.commit()
    return row


@router.delete("/api/lege/{token}/requests/{request_id}", status_code=status.HTTP_204_NO_CONTENT, responses=REFUSED)
def delete_request(token: str, request_id: RowId, session: SessionDep, now: NowDep):
    try:
        wishes.delete(session, request_id, doctor_or_404(session, token), now)
    except InputError as exc:
        return refused(exc)
    session.commit()
