"""Doctors' personal links (managers list and rotate them) and what a link opens: the doctor's
shifts as JSON and as an iCalendar feed."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel

from api.deps import ManagerDep, SessionDep
from api.orm import ScenarioRow
from api.schemas import DoctorLinkOut
from api.services import ical, links
from api.services.rosters import doctor_shifts
from api.services.scenarios import load

router = APIRouter(tags=["leger"])


def link_out(request: Request, doctor: str, name: str, token: str) -> DoctorLinkOut:
    return DoctorLinkOut(doctor=doctor, name=name, page=str(request.url_for("doctor_page", token=token)),
                         feed=str(request.url_for("doctor_feed", token=token)))


@router.get("/api/scenarios/{scenario_id}/doctors", response_model=list[DoctorLinkOut])
def scenario_links(scenario_id: int, request: Request, _: ManagerDep, session: SessionDep) -> list[DoctorLinkOut]:
    """Every doctor of the scenario with their personal page and calendar feed."""
    row = session.get(ScenarioRow, scenario_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"scenario {scenario_id} finnes ikke")
    doctors = load(row).doctors
    tokens = links.ensure(session, [d.id for d in doctors])
    session.commit()
    return [link_out(request, d.id, d.name, tokens[d.id]) for d in doctors]


@router.post("/api/doctors/{doctor_id}/link", response_model=DoctorLinkOut,
             responses={404: {"description": "legen finnes ikke i noe scenario"}})
def rotate(doctor_id: str, request: Request, manager: ManagerDep, session: SessionDep) -> DoctorLinkOut:
    """Give the doctor a new link; the old one stops working at once (404 for a doctor no
    scenario has)."""
    try:
        token = links.rotate(session, doctor_id, manager)
    except links.UnknownDoctor as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    session.commit()
    name, _ = doctor_shifts(session, doctor_id)
    return link_out(request, doctor_id, name or doctor_id, token)


class ShiftOut(BaseModel):
    shift: str
    label: str
    station: str
    address: str
    start: dt.datetime
    end: dt.datetime
    hours: float
    duty: str
    roster_id: int


class DoctorShiftsOut(BaseModel):
    doctor: str
    name: str | None
    shifts: list[ShiftOut]


def doctor_or_404(session: SessionDep, token: str) -> str:
    doctor = links.doctor_for(session, token)
    if doctor is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "ukjent eller utløpt lenke")
    return doctor


@router.get("/api/lege/{token}", response_model=DoctorShiftsOut)
def doctor_json(token: str, session: SessionDep) -> DoctorShiftsOut:
    """The doctor's shifts in every published roster (reached by the personal link, no login)."""
    doctor = doctor_or_404(session, token)
    name, shifts = doctor_shifts(session, doctor)
    return DoctorShiftsOut(doctor=doctor, name=name, shifts=[
        ShiftOut(shift=s.shift.key, label=s.shift.label, station=s.station_name, address=s.address,
                 start=s.shift.start, end=s.shift.end, hours=s.shift.hours, duty=s.shift.duty.value,
                 roster_id=s.roster_id) for s in shifts])


@router.get("/lege/{token}/kalender.ics", name="doctor_feed", response_class=Response,
            responses={200: {"content": {"text/calendar": {}}}})
def doctor_feed(token: str, session: SessionDep) -> Response:
    """iCalendar feed to subscribe to (Europe/Oslo times)."""
    doctor = doctor_or_404(session, token)
    name, shifts = doctor_shifts(session, doctor)
    return Response(ical.feed(doctor, name or doctor, shifts), media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="legevakt.ics"'})
