"""The doctor's pages, reached by the personal link (no login): their shifts and what the last
version changed, who is on call, the whole published roster read-only, swaps and give-aways, and
wishes and absences for the next period. Forms post here and redirect (POST/redirect/GET)."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from api.deps import NowDep, RowId, SessionDep, SettingsDep
from api.orm import RequestRoundRow
from api.routers.pages import invalid_fields, redirect, refusal_section, refused, render
from api.services import links, notices, oncall, swaps, wishes
from api.services import rosters as roster_service
from api.services import published as published_index
from api.services.published import doctor_shifts
from api.services.wishes import ABSENCE_KINDS, RequestIn
from roster.calendar import WEEKDAY_NAMES, month_year
from roster.models import FIRST_DAY, LAST_DAY
from roster.scenario_io import InputError, validation_problems

router = APIRouter(include_in_schema=False)
# RequestIn's fields → the wish form's labels, which a refusal starts with.
REQUEST_LABELS = {"kind": "Hva", "start": "Fra dato", "end": "Til dato", "template": "Vakttype", "wants": "Ønske",
                  "absence_kind": "Type fravær", "note": "Merknad"}
# A refusal's label → the wish form's fields it marks aria-invalid («Dato: må være i perioden …»: both dates).
WISH_FIELDS = {"Hva": "hva", "Fra dato": "fra", "Til dato": "til", "Dato": "fra til", "Vakttype": "vakttype",
               "Ønske": "vil", "Type fravær": "fravaer", "Merknad": "merknad"}
# What a refused form sends back in the redirect's query, so the form shows it again: the section
# it belongs to (``skjema``), and the fields as entered (``runde`` names the wish round's form).
KEPT = {"bytte": ("vakt", "handling", "kollega", "merknad", "bytt", "med", "tilbake"),
        "onsker": ("runde", "hva", "fra", "til", "vil", "vakttype", "fravaer", "merknad")}


def _doctor(session: SessionDep, token: str) -> str | None:
    return links.doctor_for(session, token)


def _unknown(request: Request) -> HTMLResponse:
    return render(request, "unknown_link.html", status.HTTP_404_NOT_FOUND)


def _day(value: str | None, now: dt.datetime) -> dt.date:
    """The day asked for; today for anything else, a day outside the calendar's years included
    (the day before 0001-01-01 does not exist, and the page links to it)."""
    try:
        day = dt.date.fromisoformat(value) if value else now.date()
    except ValueError:
        return now.date()
    return day if FIRST_DAY <= day <= LAST_DAY else now.date()


@router.api_route("/lege/{token}", methods=["GET", "HEAD"], name="doctor_page", response_class=HTMLResponse)
def doctor_page(token: str, request: Request, session: SessionDep, now: NowDep, dato: str | None = None,
                bytt: str | None = None, med: str | None = None, merknad: str = "") -> HTMLResponse:
    """``dato``: the day of the on-call list; ``bytt``, ``med`` and ``merknad``: a swap's second step
    (which of the colleague's shifts to take back, and the message written in the first); ``feil``
    (signed, like ``melding``): why the last form was refused."""
    doctor = _doctor(session, token)
    if doctor is None:
        return _unknown(request)
    name, shifts = doctor_shifts(session, doctor)
    mine_versions = published_index.versions_of(session, doctor)
    scenario = roster_service.latest_scenario_for(session, doctor)
    upcoming = [s for s in shifts if s.shift.end > now]
    past = [s for s in shifts if s.shift.end <= now]
    day = _day(dato, now)
    changes = notices.doctor_changes(session, doctor)
    step2 = None
    if bytt and med and scenario is not None and any(d.id == med for d in scenario.doctors):
        _, theirs = doctor_shifts(session, med)
        step2 = {"shift": bytt, "colleague": scenario.doctor(med), "note": merknad[:300],
                 "shifts": [s for s in theirs if s.shift.start > now]}
    rounds = wishes.current_rounds(session, now)
    mine = wishes.of_doctor(session, doctor)
    feil, section, kept = refusal_section(request, KEPT)
    invalid = {name for names in invalid_fields([feil], WISH_FIELDS) for name in names.split()} \
        if section == "onsker" else set()
    if "til" in invalid and not kept.get("til"):
        invalid.discard("til")
    templates = {t.id: f"{t.label} {t.start:%H:%M}–{t.end:%H:%M}" for t in scenario.templates} if scenario else {}
    return render(request, "doctor.html", name=name or doctor, doctor=doctor, upcoming=upcoming,
                  past=list(reversed(past)), months=month_calendars(shifts), token=token, weekdays=WEEKDAY_NAMES,
                  feed=str(request.url_for("doctor_feed", token=token)), changes=changes,
                  new_keys={k for c in changes for k in c.gained_keys}, day=day, now=now,
                  on_duty=oncall.on_duty(session, day, now) if published_index.covers(mine_versions, day) else [],
                  prev_day=day - dt.timedelta(days=1),
                  next_day=day + dt.timedelta(days=1),
                  swaps=swaps.for_doctor(session, doctor, scenario, now), step2=step2,
                  colleagues=[d for d in roster_service.sorted_doctors(scenario) if d.id != doctor] if scenario else [],
                  rounds=[(r, wishes.is_open(r, now), wishes.deadline_text(r), [q for q in mine if q.round_id == r.id])
                          for r in rounds],
                  describe=lambda q: wishes.describe(q, templates), templates=templates,
                  absence_kinds=list(ABSENCE_KINDS), problems=[feil] if feil else None, error_section=section,
                  kept=kept, invalid=invalid,
                  towards_alone=roster_service.towards_alone(session, doctor, scenario, shifts),
                  own=roster_service.own_record(scenario, doctor))


def month_calendars(shifts: list[roster_service.DoctorShift]) -> list[dict]:
    """Month grids (weeks Monday first) with the doctor's shifts on their start day."""
    by_day: dict[dt.date, list[roster_service.DoctorShift]] = {}
    for s in shifts:
        by_day.setdefault(s.shift.date, []).append(s)
    months = sorted({(d.year, d.month) for d in by_day})
    out = []
    for year, month in months:
        weeks = [[(day if day.month == month else None, by_day.get(day, [])) for day in week]
                 for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month)]
        out.append({"title": month_year(dt.date(year, month, 1)), "weeks": weeks})
    return out


def _back(token: str, message: str | None = None, problems: list[str] | None = None,
          anchor: str = "", kept: dict[str, str] | None = None) -> RedirectResponse:
    """Back to the doctor's page: with ``message`` at the top, or with ``problems`` in the section
    ``anchor`` (the fragment lands on the message there: ``#bytte-feil``, ``#onsker-feil``) and the
    form's values ``kept`` in the query."""
    if problems and anchor and not message:
        return refused(f"/lege/{token}", anchor, " ".join(problems), kept)
    return redirect(f"/lege/{token}", message, " ".join(problems) if problems else None, "" if message else anchor)


@router.post("/lege/{token}/bytte")
def propose_swap(token: str, request: Request, session: SessionDep, now: NowDep,
                 vakt: Annotated[str, Form()], kollega: Annotated[str, Form()] = "",
                 handling: Annotated[str, Form()] = "gi", tilbake: Annotated[str, Form()] = "",
                 merknad: Annotated[str, Form()] = ""):
    """Give a shift away (to a colleague, or to anyone) or swap it: a swap without the shift to take
    back shows the colleague's coming shifts first."""
    doctor = _doctor(session, token)
    if doctor is None:
        return _unknown(request)
    if handling == "bytt" and kollega and not tilbake:
        step2 = {"bytt": vakt, "med": kollega, **({"merknad": merknad} if merknad else {})}
        return redirect(f"/lege/{token}?" + urlencode(step2), anchor="bytte")
    try:
        swap = swaps.propose(session, doctor, vakt, kollega or None, tilbake or None, merknad, now)
    except InputError as exc:
        session.rollback()
        kept = {"bytt": vakt, "med": kollega, "tilbake": tilbake} if handling == "bytt" and kollega and tilbake else \
            {"vakt": vakt, "handling": handling, "kollega": kollega}
        return _back(token, problems=exc.problems, anchor="bytte", kept={**kept, "merknad": merknad})
    session.commit()
    who = "en kollega" if swap.taker is None else "kollegaen"
    return _back(token, f"Tilbudet er sendt. Vakten er din til {who} har takket ja og byttet er godkjent.")


@router.post("/lege/{token}/bytte/{swap_id}/{svar}")
def answer_swap(token: str, swap_id: RowId, svar: str, request: Request, session: SessionDep,
                settings: SettingsDep, now: NowDep):
    doctor = _doctor(session, token)
    if doctor is None:
        return _unknown(request)
    action = {"ja": "accept", "nei": "decline", "trekk": "withdraw"}.get(svar)
    try:
        if action == "accept":
            swap = swaps.accept(session, swap_id, doctor, settings, now)
        elif action:
            swap = swaps.answer(session, swap_id, doctor, action)
        else:
            raise InputError(["ukjent svar"])
    except InputError as exc:
        session.commit()  # a swap found stale stays stale
        return _back(token, problems=exc.problems, anchor="bytte")
    session.commit()
    request.app.state.mailer.kick()
    texts = {"approved": "Byttet er godkjent, og den nye vaktplanen er publisert.",
             "accepted": "Du har takket ja. " + swap.message + " Byttet venter på godkjenning.",
             "declined": "Du har takket nei.", "withdrawn": "Tilbudet er trukket tilbake."}
    return _back(token, texts.get(swap.status, swaps.SWAP_STATUS[swap.status]))


@router.post("/lege/{token}/onsker/{round_id}")
def add_request(token: str, round_id: RowId, request: Request, session: SessionDep, now: NowDep,
                hva: Annotated[str, Form()], fra: Annotated[str, Form()], til: Annotated[str, Form()] = "",
                vakttype: Annotated[str, Form()] = "", vil: Annotated[str, Form()] = "nei",
                fravaer: Annotated[str, Form()] = "ferie", merknad: Annotated[str, Form()] = ""):
    doctor = _doctor(session, token)
    round_ = session.get(RequestRoundRow, round_id)
    if doctor is None or round_ is None:
        return _unknown(request)
    scenario = roster_service.latest_scenario_for(session, doctor)
    templates = {t.id: t.label for t in scenario.templates} if scenario else {}
    try:
        req = RequestIn(kind=hva, start=fra, end=til or None, template=vakttype or None, wants=vil == "ja",
                        absence_kind=fravaer, note=merknad)
        wishes.add(session, round_, doctor, req, templates, now)
    except (ValidationError, InputError) as exc:
        session.rollback()
        problems = [f"{REQUEST_LABELS.get(field, field)}: {what}" for field, _, what in (
            p.partition(": ") for p in validation_problems(exc))] if isinstance(exc, ValidationError) else exc.problems
        kept = {"runde": str(round_id), "hva": hva, "fra": fra, "til": til, "vil": vil, "vakttype": vakttype,
                "fravaer": fravaer, "merknad": merknad}
        return _back(token, problems=problems, anchor="onsker", kept=kept)
    session.commit()
    return _back(token, "Ønsket er lagret. Du kan endre det til fristen går ut.")


@router.post("/lege/{token}/onsker/slett/{request_id}")
def delete_request(token: str, request_id: RowId, request: Request, session: SessionDep, now: NowDep):
    doctor = _doctor(session, token)
    if doctor is None:
        return _unknown(request)
    try:
        wishes.delete(session, request_id, doctor, now)
    except InputError as exc:
        return _back(token, problems=exc.problems, anchor="onsker")
    session.commit()
    return _back(token, "Ønsket er slettet.")


@router.get("/lege/{token}/vaktplan", response_class=HTMLResponse)
def full_roster(token: str, request: Request, session: SessionDep, now: NowDep, stasjon: str = "", uke: str = "",
                periode: int | None = None, mine: str = "") -> HTMLResponse:
    """The whole published roster, read-only: the one for today's period unless ``periode`` names one;
    ``mine`` narrows it to the doctor's own days (on a phone the whole month is five wide tables)."""
    doctor = _doctor(session, token)
    if doctor is None:
        return _unknown(request)
    published = published_index.versions_of(session, doctor)  # the periods the doctor is part of
    row = next((r for r in published if r.id == periode), None) or next(
        (r for r in published if r.period_start <= now.date() <= r.period_end), None) or next(
        (r for r in published if r.period_start > now.date()), published[-1] if published else None)
    if row is None:
        return render(request, "doctor_roster.html", token=token, row=None, published=[])
    scenario, roster = roster_service.scenario_of(session, row), roster_service.load_roster(row)
    only = roster_service.GridFilter(stasjon, doctor if mine else "", uke)
    me = next((d.name for d in scenario.doctors if d.id == doctor), "")
    return render(request, "doctor_roster.html", token=token, row=row, scenario=scenario, published=published,
                  doctor=doctor,
                  grids=roster_service.grids(scenario, roster, None, only), only=only,
                  weeks=roster_service.weeks(scenario), highlight=me)
