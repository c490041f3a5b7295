"""Doctors' personal links (managers list, export and rotate them) and what a link opens: the
doctor's shifts as JSON and as an iCalendar feed, who is on call, what the last version changed."""

from __future__ import annotations

import datetime as dt
import hashlib
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel
from sqlalchemy import select

from api.deps import ManagerDep, NowDep, RowId, SessionDep
from api.orm import OutboxRow, ScenarioRow
from api.schemas import DoctorLinkOut, DutyOut, OutboxOut
from api.services import exports, ical, links, notices, oncall, rosters
from api.services import published as published_index
from api.services.published import doctor_shifts
from api.services.published import revisions as published_revisions
from api.services.scenarios import load
from roster.models import Day

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter(tags=["leger"])


def link_out(request: Request, doctor: str, name: str, token: str) -> DoctorLinkOut:
    return DoctorLinkOut(doctor=doctor, name=name, page=str(request.url_for("doctor_page", token=token)),
                         feed=str(request.url_for("doctor_feed", token=token)))


@router.get("/api/scenarios/{scenario_id}/doctors", response_model=list[DoctorLinkOut])
def scenario_links(scenario_id: RowId, request: Request, _: ManagerDep, session: SessionDep) -> list[DoctorLinkOut]:
    """Every doctor of the scenario with their personal page and calendar feed."""
    row = session.get(ScenarioRow, scenario_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"scenario {scenario_id} finnes ikke")
    doctors = load(row).doctors
    tokens = links.ensure(session, [d.id for d in doctors])
    session.commit()
    return [link_out(request, d.id, d.name, tokens[d.id]) for d in doctors]


@router.get("/api/scenarios/{scenario_id}/doctors.{fmt}", response_class=Response,
            responses={200: {"content": {"text/csv": {}, XLSX: {}}, "description": "every doctor's links"}})
def export_links(scenario_id: RowId, fmt: str, request: Request, _: ManagerDep, session: SessionDep) -> Response:
    """All doctors' personal page and calendar links in one file (``csv`` or ``xlsx``) to mail out."""
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "last ned som .csv eller .xlsx")
    row = session.get(ScenarioRow, scenario_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"scenario {scenario_id} finnes ikke")
    scenario = load(row)
    tokens = links.ensure(session, [d.id for d in scenario.doctors])
    session.commit()
    rows = exports.link_rows(scenario, {d: str(request.url_for("doctor_page", token=t)) for d, t in tokens.items()},
                             {d: str(request.url_for("doctor_feed", token=t)) for d, t in tokens.items()})
    data, media = ((exports.links_csv(rows), "text/csv; charset=utf-8") if fmt == "csv"
                   else (exports.links_xlsx(scenario, rows), XLSX))
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="lenker-{scenario_id}.{fmt}"'})


@router.get("/api/outbox", response_model=list[OutboxOut])
def outbox(_: ManagerDep, session: SessionDep, status_: str | None = None) -> list:
    """Change notices, newest first (``status_``: queued, sent, failed, no_address)."""
    query = select(OutboxRow).order_by(OutboxRow.id.desc()).limit(500)
    if status_:
        query = query.where(OutboxRow.status == status_)
    return list(session.scalars(query))


@router.post("/api/doctors/{doctor_id:path}/link", response_model=DoctorLinkOut,
             responses={404: {"description": "legen finnes ikke i noe scenario"}})
def rotate(doctor_id: str, request: Request, manager: ManagerDep, session: SessionDep) -> DoctorLinkOut:
    """Give the doctor a new link; the old one stops working at once (404 for a doctor no
    scenario has). The id is percent-encoded in the address, a ``/`` in it as ``%2F``."""
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
            responses={200: {"content": {"text/calendar": {}}}, 304: {"description": "unchanged since the client's copy"}})
def doctor_feed(token: str, request: Request, session: SessionDep, now: NowDep) -> Response:
    """iCalendar feed to subscribe to (Europe/Oslo times). Clients that poll may ask with the ETag
    or the date they have (304 when nothing was published since); HEAD answers like GET (some
    clients probe a subscription with it). Private: no shared cache keeps it, no search engine lists
    it. A link a manager replaced answers for a while with a notice and no shifts."""
    doctor = links.doctor_for(session, token)
    if doctor is None:
        replaced = links.retired(session, token, now.astimezone(dt.timezone.utc))
        if replaced is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "ukjent eller utløpt lenke")
        body, newest = ical.retired_feed(token, replaced, now.date()), None
    else:
        name, shifts = doctor_shifts(session, doctor)
        revisions = published_revisions(session, {s.roster_id for s in shifts})
        body = ical.feed(token, name, shifts, revisions)
        newest = max((r.published_at for r in revisions.values()), default=None)
    headers = {"ETag": f'"{hashlib.sha256(body).hexdigest()[:32]}"', "Cache-Control": "private, no-cache",
               "X-Robots-Tag": "noindex", "Content-Disposition": 'inline; filename="legevakt.ics"'}
    if newest is not None:
        headers["Last-Modified"] = format_datetime(newest.replace(microsecond=0), usegmt=True)
    if _unchanged(request, headers["ETag"], newest):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


router.add_api_route("/lege/{token}/kalender.ics", doctor_feed, methods=["HEAD"], include_in_schema=False)


def _unchanged(request: Request, etag: str, newest: dt.datetime | None) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when given; else If-Modified-Since (to the second)."""
    if (match := request.headers.get("if-none-match")) is not None:
        return match.strip() == "*" or etag in (tag.strip().removeprefix("W/") for tag in match.split(","))
    since = request.headers.get("if-modified-since")
    if since is None or newest is None:
        return False
    try:
        return newest.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


@router.get("/api/lege/{token}/opplysninger", response_model=rosters.OwnRecord | None)
def own_record(token: str, session: SessionDep) -> rosters.OwnRecord | None:
    """What the newest scenario holding the doctor registers about them (GDPR art. 15); null when
    no stored scenario has the doctor."""
    doctor = doctor_or_404(session, token)
    return rosters.own_record(rosters.latest_scenario_for(session, doctor), doctor)


@router.get("/api/lege/{token}/on-call", response_model=list[DutyOut])
def on_call(token: str, session: SessionDep, now: NowDep, date: Day | None = None) -> list[DutyOut]:
    """Every station's shifts of the day (default today, Oslo time) and its night, with names and
    phone numbers where given: who has bakvakt tonight. A date outside 1900–2199 is refused (422)."""
    doctor = doctor_or_404(session, token)
    day = date or now.date()
    if not published_index.covers(published_index.versions_of(session, doctor), day):
        return []  # colleagues' names and phones only for the periods the doctor works in
    return [DutyOut(station=st.station, shift=d.shift.key, label=d.shift.label, start=d.shift.start, end=d.shift.end,
                    bakvakt=d.on_call, doctors=[{"name": n, "phone": p} for n, p in d.doctors], open_places=d.open,
                    running=d.running)
            for st in oncall.on_duty(session, day, now) for d in st.duties]


class ChangeOut(BaseModel):
    roster_id: int
    gained: list[str]
    lost: list[str]


@router.get("/api/lege/{token}/changes", response_model=list[ChangeOut])
def changes(token: str, session: SessionDep) -> list[ChangeOut]:
    """What each current published version changed in your shifts against the one it replaced."""
    doctor = doctor_or_404(session, token)
    return [ChangeOut(roster_id=c.roster_id, gained=c.gained, lost=c.lost)
            for c in notices.doctor_changes(session, doctor)]
