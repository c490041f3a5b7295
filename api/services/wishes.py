"""Requests for a coming period: a manager opens a round (period and deadline), doctors enter wishes
and absences on their own page until the deadline, and the manager takes them into that period's
scenario — as a new scenario version and in its workbook — where the solver weighs the wishes and
keeps the absences like any other."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.orm import DoctorRequestRow, RequestRoundRow, as_utc
from api.services.audit import record
from roster.calendar import OSLO
from roster.models import FIRST_DAY, LAST_DAY, OUTSIDE_CALENDAR, Absence, AbsenceKind, Scenario, Wish
from roster.scenario_io import InputError

ABSENCE_KINDS = {"ferie": AbsenceKind.HOLIDAY, "kurs": AbsenceKind.COURSE, "permisjon": AbsenceKind.PARENTAL,
                 "annet": AbsenceKind.OTHER}
MAX_PER_DOCTOR = 60  # requests per doctor and round: more is a typing accident, not a wish list


class RequestRefused(InputError):
    """Norwegian reasons a round or a request cannot be stored."""


class RequestIn(BaseModel):
    """A wish (one day, or one shift type that day; wanted or not) or an absence (days)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    kind: Literal["ønske", "fravær"]
    start: dt.date
    end: dt.date | None = None  # an absence's last day; empty: the one day
    template: str | None = None  # a wish for one shift type
    wants: bool = False
    absence_kind: str = "ferie"
    note: str = ""


def _oslo(moment: dt.datetime) -> dt.datetime:
    return as_utc(moment).astimezone(OSLO)


def deadline_text(round_: RequestRoundRow) -> str:
    return f"{_oslo(round_.deadline):%d.%m.%Y kl. %H:%M}"


def is_open(round_: RequestRoundRow, now: dt.datetime) -> bool:
    return now < _oslo(round_.deadline)


def open_round(session: Session, start: dt.date, end: dt.date, deadline: dt.datetime, actor: str,
               now: dt.datetime) -> RequestRoundRow:
    """A deadline with an offset (``…T12:00+05:00``) is that moment in Oslo time; one without is
    Oslo time already."""
    problems = [f"{label}: {OUTSIDE_CALENDAR}"
                for label, day in (("Første dag", start), ("Siste dag", end), ("Frist", deadline.date()))
                if not FIRST_DAY <= day <= LAST_DAY]
    if problems:  # before any arithmetic: the day after 9999-12-31 does not exist
        raise RequestRefused(problems)
    if end < start:
        problems.append("Siste dag: kan ikke være før første dag")
    if (end - start).days > 366:
        problems.append("Siste dag: perioden kan være høyst ett år")
    deadline = deadline.astimezone(OSLO) if deadline.tzinfo else deadline.replace(tzinfo=OSLO)
    if deadline <= now:
        problems.append("Frist: må være fram i tid")
    elif deadline.date() > start:
        problems.append("Frist: må være før periodens første dag")
    if problems:
        raise RequestRefused(problems)
    row = RequestRoundRow(period_start=start, period_end=end, deadline=deadline.astimezone(dt.timezone.utc),
                          created_by=actor)  # UTC: SQLite hands datetimes back without their zone
    session.add(row)
    session.flush()
    record(session, actor, "åpne-ønskerunde", f"ønskerunde {row.id}: {start:%d.%m.%Y}–{end:%d.%m.%Y}, "
                                              f"frist {deadline_text(row)}")
    return row


def rounds(session: Session) -> list[RequestRoundRow]:
    return list(session.scalars(select(RequestRoundRow).order_by(RequestRoundRow.period_start.desc())))


def current_rounds(session: Session, now: dt.datetime) -> list[RequestRoundRow]:
    """Rounds whose period has not ended: open ones take requests, closed ones show them."""
    return [r for r in rounds(session) if r.period_end >= now.date()][::-1]


def add(session: Session, round_: RequestRoundRow, doctor: str, req: RequestIn, templates: dict[str, str],
        now: dt.datetime) -> DoctorRequestRow:
    """Store a doctor's request. ``templates``: the shift types a wish may name (id → label)."""
    problems = []
    if not is_open(round_, now):
        raise RequestRefused([f"fristen for ønsker til perioden gikk ut {deadline_text(round_)}"])
    end = req.start if req.kind == "ønske" or req.end is None else req.end
    if end < req.start:
        problems.append("Til dato: kan ikke være før fra dato")
    if req.start < round_.period_start or end > round_.period_end:
        problems.append(f"Dato: må være i perioden {round_.period_start:%d.%m.%Y}–{round_.period_end:%d.%m.%Y}")
    if req.kind == "ønske" and req.template and req.template not in templates:
        problems.append(f"Vakttype: «{req.template}» finnes ikke")
    if req.kind == "fravær" and req.absence_kind not in ABSENCE_KINDS:
        problems.append(f"Type fravær: ukjent valg «{req.absence_kind}»")
    if problems:
        raise RequestRefused(problems)
    row = DoctorRequestRow(round_id=round_.id, doctor_id=doctor, kind=req.kind, start=req.start, end=end,
                           template=(req.template or None) if req.kind == "ønske" else None,
                           wants=req.wants if req.kind == "ønske" else False,
                           absence_kind=req.absence_kind if req.kind == "fravær" else None, note=req.note[:300])
    stored = of_doctor(session, doctor, round_.id)
    same = next((r for r in stored if _fields(r) == _fields(row)), None)
    if same is not None:
        return same  # the form sent twice (a double tap): listed once, not twice
    if len(stored) >= MAX_PER_DOCTOR:
        raise RequestRefused([f"du har allerede {MAX_PER_DOCTOR} ønsker i denne runden"])
    session.add(row)
    session.flush()
    return row


def _fields(row: DoctorRequestRow) -> tuple:
    return row.kind, row.start, row.end, row.template, row.wants, row.absence_kind, row.note


def delete(session: Session, request_id: int, doctor: str, now: dt.datetime) -> None:
    row = session.get(DoctorRequestRow, request_id)
    if row is None or row.doctor_id != doctor:
        raise RequestRefused(["ønsket finnes ikke"])
    round_ = session.get_one(RequestRoundRow, row.round_id)
    if not is_open(round_, now):
        raise RequestRefused([f"fristen gikk ut {deadline_text(round_)}; ønsket kan ikke endres"])
    session.delete(row)


def of_doctor(session: Session, doctor: str, round_id: int | None = None) -> list[DoctorRequestRow]:
    query = select(DoctorRequestRow).where(DoctorRequestRow.doctor_id == doctor)
    if round_id is not None:
        query = query.where(DoctorRequestRow.round_id == round_id)
    return list(session.scalars(query.order_by(DoctorRequestRow.start, DoctorRequestRow.id)))


def for_period(session: Session, start: dt.date, end: dt.date) -> list[DoctorRequestRow]:
    """Every request of the rounds overlapping the period."""
    ids = [r.id for r in rounds(session) if r.period_start <= end and r.period_end >= start]
    return list(session.scalars(select(DoctorRequestRow).where(DoctorRequestRow.round_id.in_(ids))
                                .order_by(DoctorRequestRow.doctor_id, DoctorRequestRow.start)))


def describe(row: DoctorRequestRow, templates: dict[str, str]) -> str:
    """«ønsker ikke vakt 24.12.2026 (natt)», «ferie 20.12.2026–27.12.2026»."""
    if row.kind == "fravær":
        days = f"{row.start:%d.%m.%Y}" + (f"–{row.end:%d.%m.%Y}" if row.end != row.start else "")
        return f"{row.absence_kind} {days}" + (f" ({row.note})" if row.note else "")
    what = f" ({templates.get(row.template, row.template)})" if row.template else ""
    return f"{'ønsker' if row.wants else 'ønsker ikke'} vakt {row.start:%d.%m.%Y}{what}" + (
        f" – {row.note}" if row.note else "")


def merged(scenario: Scenario, rows: list[DoctorRequestRow]) -> tuple[Scenario, list[str], int]:
    """The scenario with the requests as wishes and absences (absences cut to the period), the
    requests left out and why, and how many were added (one already there is not added twice)."""
    doctors = {d.id: d.name for d in scenario.doctors}
    templates = {t.id for t in scenario.templates}
    period = scenario.period
    wishes, absences, skipped = list(scenario.wishes), list(scenario.absences), []
    added = 0
    for r in rows:
        who = doctors.get(r.doctor_id)
        if who is None:
            skipped.append(f"{r.doctor_id}: ikke med i scenarioet")
            continue
        if r.end < period.start or r.start > period.end:
            skipped.append(f"{who}: {r.start:%d.%m.%Y} er utenfor perioden")
            continue
        if r.kind == "ønske":
            if r.template and r.template not in templates:
                skipped.append(f"{who}: vakttypen «{r.template}» finnes ikke i scenarioet")
                continue
            item = Wish(doctor=r.doctor_id, date=r.start, template=r.template, wants=r.wants)
            target = wishes
        else:
            item = Absence(doctor=r.doctor_id, start=max(r.start, period.start), end=min(r.end, period.end),
                           kind=ABSENCE_KINDS[r.absence_kind or "annet"], note=r.note or "ønske fra legen")
            target = absences
        if item not in target:
            target.append(item)
            added += 1
    return scenario.model_copy(update={"wishes": wishes, "absences": absences}), skipped, added
