"""Norwegian HTML pages (Jinja2, no JavaScript framework): the manager's flow from upload to
published roster, and the doctor's personal page. Forms post here and redirect (POST/redirect/GET)."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import hashlib
import hmac
import secrets
from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from api.deps import COOKIE, JobsDep, PageManagerDep, SessionDep, SettingsDep, client_address
from api.jobs import QueueFull
from api.orm import AuditRow, RosterRow, RunRow, ScenarioRow
from api.schemas import SolveIn
from api.services import auth, links, replan_form
from api.services import rosters as roster_service
from api.services import runs as run_service
from api.services import scenarios as scenario_service
from api.services.replan_form import ReplanForm
from api.services.rosters import STATUS_NAMES
from roster.calendar import OSLO, WEEKDAY_NAMES, ShiftIndex
from roster.eligibility import qualification
from roster.output import FIXES_SHOWN
from roster.scenario_io import InputError, validation_problems

router = APIRouter(include_in_schema=False)
T = TypeVar("T")

RUN_STATUS = {"queued": "i kø", "running": "beregner", "finished": "ferdig", "cancelled": "avbrutt",
              "failed": "feilet", "interrupted": "avbrutt av omstart"}
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")


# Messages travel in the redirect's URL (POST/redirect/GET) with an HMAC, so a page shows only
# messages this service wrote: a link with ?melding=«Ring 815 00 000 om passordet» shows nothing.
# The key lives as long as the process; a message in a link older than a restart is not shown.
_MESSAGE_KEY = secrets.token_bytes(32)


def _signature(message: str) -> str:
    return hmac.new(_MESSAGE_KEY, message.encode(), hashlib.sha256).hexdigest()[:32]


def flash_message(request: Request) -> str | None:
    """The ``melding`` of a redirect from this service (its signature checks), else None."""
    message, signature = request.query_params.get("melding"), request.query_params.get("sig", "")
    if message is None or not hmac.compare_digest(signature, _signature(message)):
        return None
    return message


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("message", flash_message(request))
    return request.app.state.templates.TemplateResponse(
        request, template, {"run_status": RUN_STATUS, "roster_status": STATUS_NAMES, **context},
        status_code=status_code)


def redirect(url: str, message: str | None = None) -> RedirectResponse:
    if message:
        url += ("&" if "?" in url else "?") + "melding=" + quote(message) + "&sig=" + _signature(message)
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def get_or_404(session: SessionDep, table: type[T], key: object, what: str) -> T:
    row = session.get(table, key)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{what} finnes ikke")
    return row


# --------------------------------------------------------------------------- login


@router.get("/logg-inn", response_class=HTMLResponse)
def login_page(request: Request, neste: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=neste, error=None)


@router.post("/logg-inn", response_class=HTMLResponse)
async def login(request: Request, brukernavn: Annotated[str, Form()], passord: Annotated[str, Form()],
                neste: Annotated[str, Form()] = "/"):
    state = request.app.state
    settings = state.settings
    try:
        token = await auth.login(state.sessions, state.passwords, settings, brukernavn, passord,
                                 client_address(request))
    except auth.LoginRefused as exc:
        return render(request, "login.html", exc.status, next=neste, error=str(exc))
    target = neste if neste.startswith("/") and not neste.startswith("//") else "/"
    response = redirect(target)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax",
                        secure=settings.secure_cookies or request.url.scheme == "https",
                        max_age=int(settings.session_hours * 3600))
    return response


@router.post("/logg-ut")
def logout(request: Request, session: SessionDep) -> RedirectResponse:
    token = request.cookies.get(COOKIE)
    if token:
        auth.logout(session, token)
    response = redirect("/logg-inn")
    response.delete_cookie(COOKIE)
    return response


# --------------------------------------------------------------------------- manager pages


def dashboard(request: Request, session: SessionDep, manager: str, problems: list[str] | None = None,
              source: str = "", status_code: int = 200) -> HTMLResponse:
    published = session.scalars(select(RosterRow).where(RosterRow.status == "published")
                                .order_by(RosterRow.period_start)).all()
    audit = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(12)).all()
    return render(request, "index.html", status_code, manager=manager, scenarios=scenario_service.listing(session),
                  published=published, audit=audit, problems=problems, source=source)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, manager: PageManagerDep, session: SessionDep) -> HTMLResponse:
    return dashboard(request, session, manager)


@router.post("/scenarier", response_class=HTMLResponse)
async def upload(request: Request, manager: PageManagerDep, session: SessionDep, fil: UploadFile):
    """Parsed in a separate process (``api.services.parsing``): doctors' pages answer meanwhile."""
    try:
        content = await scenario_service.read_upload(fil)
        scenario = await request.app.state.parser.parse(fil.filename or "", content)
    except InputError as exc:
        return await run_in_threadpool(dashboard, request, session, manager, exc.problems, fil.filename or "",
                                       status.HTTP_422_UNPROCESSABLE_CONTENT)
    row = await run_in_threadpool(scenario_service.store_committed, session, scenario, fil.filename or "", manager)
    return redirect(f"/scenarier/{row.id}", f"«{scenario.name}» er lastet opp og godkjent.")


@router.post("/scenarier/bergen")
def load_bergen(manager: PageManagerDep, session: SessionDep) -> RedirectResponse:
    row = scenario_service.store(session, scenario_service.bergen_example(), "Bergen-eksempelet", manager)
    session.commit()
    return redirect(f"/scenarier/{row.id}", "Bergen-eksempelet er lastet inn.")


@router.get("/scenarier/{scenario_id}", response_class=HTMLResponse)
def scenario_page(scenario_id: int, request: Request, manager: PageManagerDep, session: SessionDep,
                  settings: SettingsDep) -> HTMLResponse:
    row = get_or_404(session, ScenarioRow, scenario_id, f"scenario {scenario_id}")
    scenario = scenario_service.load(row)
    tokens = links.ensure(session, [d.id for d in scenario.doctors])
    session.commit()
    rosters = session.scalars(select(RosterRow).where(RosterRow.scenario_id == scenario_id)
                              .order_by(RosterRow.id.desc())).all()
    quals = {d.id: qualification(d, scenario.rules) for d in scenario.doctors}
    return render(request, "scenario.html", manager=manager, row=row, scenario=scenario, tokens=tokens,
                  runs=run_service.listing(session, scenario_id), rosters=rosters, quals=quals,
                  default_limit=settings.default_time_limit, max_limit=settings.max_time_limit)


@router.post("/scenarier/{scenario_id}/beregn")
def start_run(scenario_id: int, manager: PageManagerDep, session: SessionDep, settings: SettingsDep,
              jobs: JobsDep, tidsgrense: Annotated[str, Form()], streng: Annotated[bool, Form()] = False,
              frø: Annotated[str, Form()] = "0") -> RedirectResponse:
    get_or_404(session, ScenarioRow, scenario_id, f"scenario {scenario_id}")
    try:
        params = run_service.solve_params(SolveIn(time_limit=tidsgrense, seed=frø, strict=streng), settings)
        run_id = jobs.submit(scenario_id, *params, actor=manager)
    except ValidationError as exc:
        labels = {"time_limit": "Tidsgrense", "seed": "Frø"}
        return redirect(f"/scenarier/{scenario_id}", "Beregningen ble ikke startet: " + "; ".join(
            f"{labels.get(p.split(': ', 1)[0], p.split(': ', 1)[0])}: {p.split(': ', 1)[1]}"
            for p in validation_problems(exc)))
    except (QueueFull, HTTPException) as exc:
        return redirect(f"/scenarier/{scenario_id}", f"Beregningen ble ikke startet: {getattr(exc, 'detail', exc)}")
    return redirect(f"/beregninger/{run_id}")


@router.get("/beregninger/{run_id}", response_class=HTMLResponse)
def run_page(run_id: str, request: Request, manager: PageManagerDep, session: SessionDep) -> HTMLResponse:
    run = run_service.run_out(session, run_id)
    scenario = session.get_one(ScenarioRow, run.scenario_id)
    return render(request, "run.html", manager=manager, run=run, scenario=scenario,
                  progress=run_service.progress(session, run_id))


@router.post("/beregninger/{run_id}/avbryt")
def cancel_run(run_id: str, manager: PageManagerDep, session: SessionDep, jobs: JobsDep) -> RedirectResponse:
    run_service.run_out(session, run_id)
    ok = jobs.cancel(run_id, manager)
    return redirect(f"/beregninger/{run_id}", "Beregningen stoppes; beste vaktplan så langt beholdes."
                    if ok else "Beregningen var allerede ferdig.")


def roster_view(request: Request, session: SessionDep, settings: SettingsDep, manager: str, row: RosterRow,
                status_code: int = 200, form: ReplanForm | None = None,
                replan_problems: list[str] | None = None) -> HTMLResponse:
    scenario = roster_service.scenario_of(session, row)
    roster = roster_service.load_roster(row)
    index = ShiftIndex(scenario)
    run = session.get(RunRow, row.run_id) if row.run_id else None
    extra = {"message": "Omplanleggingen ble ikke gjort; se skjemaet under."} if replan_problems else {}
    return render(request, "roster.html", status_code, **extra, manager=manager, row=row, scenario=scenario,
                  roster=roster, run=run, grids=roster_service.grids(scenario, roster, index),
                  fairness=roster_service.fairness(scenario, roster, index),
                  violations=roster_service.violations_of(row), diff=roster_service.replan_diff(session, row),
                  fixes_shown=FIXES_SHOWN, form=form or ReplanForm(), replan_problems=replan_problems,
                  kinds=replan_form.KINDS, labels=replan_form.LABELS, replan_limit=settings.default_time_limit,
                  shifts_by_key=index.by_key, stations={s.id: s.name for s in scenario.stations},
                  templates={t.id: t for t in scenario.templates})


@router.get("/vaktplaner/{roster_id}", response_class=HTMLResponse)
def roster_page(roster_id: int, request: Request, manager: PageManagerDep, session: SessionDep,
                settings: SettingsDep) -> HTMLResponse:
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    return roster_view(request, session, settings, manager, row)


@router.post("/vaktplaner/{roster_id}/omplanlegg", response_class=HTMLResponse)
def replan(roster_id: int, request: Request, manager: PageManagerDep, session: SessionDep, settings: SettingsDep,
           form: Annotated[ReplanForm, Form()]):
    """The re-plan form: a new draft version repairing the published one (the diff is on its page);
    a bad field shows the form again with a message naming it, and nothing is stored."""
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    try:
        changes = replan_form.changes_from_form(roster_service.scenario_of(session, row), form)
        new, result = roster_service.replan_version(session, row, changes, manager, settings.default_time_limit,
                                                    settings.solver_workers)
    except (InputError, roster_service.PublishRefused) as exc:
        session.rollback()
        problems = exc.problems if isinstance(exc, InputError) else [str(exc)]
        return roster_view(request, session, settings, manager, row, status.HTTP_422_UNPROCESSABLE_CONTENT, form,
                           problems)
    session.commit()
    return redirect(f"/vaktplaner/{new.id}", f"Vaktplan {new.id} er laget som utkast med {result.changes} "
                    f"endring{'er' if result.changes != 1 else ''} mot vaktplan {roster_id}. "
                    "Se over endringene og publiser den når den er riktig.")


@router.post("/vaktplaner/{roster_id}/publiser")
def publish(roster_id: int, manager: PageManagerDep, session: SessionDep) -> RedirectResponse:
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    try:
        replaced = roster_service.publish(session, row, manager)
    except roster_service.PublishRefused as exc:
        return redirect(f"/vaktplaner/{roster_id}", str(exc))
    session.commit()
    text = f"Vaktplan {roster_id} er publisert."
    if replaced:
        text += " Den erstatter " + ", ".join(map(str, replaced)) + "."
    return redirect(f"/vaktplaner/{roster_id}", text)


@router.post("/leger/{doctor_id}/ny-lenke")
def rotate_link(doctor_id: str, manager: PageManagerDep, session: SessionDep,
                tilbake: Annotated[str, Form()] = "/") -> RedirectResponse:
    target = tilbake if tilbake.startswith("/") and not tilbake.startswith("//") else "/"
    try:
        links.rotate(session, doctor_id, manager)
    except links.UnknownDoctor as exc:
        return redirect(target, f"Ingen ny lenke: {exc}.")
    session.commit()
    return redirect(target, f"Ny lenke laget for {doctor_id}; den gamle virker ikke lenger.")


# --------------------------------------------------------------------------- doctor page


@router.get("/lege/{token}", name="doctor_page", response_class=HTMLResponse)
def doctor_page(token: str, request: Request, session: SessionDep) -> HTMLResponse:
    doctor = links.doctor_for(session, token)
    if doctor is None:
        return render(request, "unknown_link.html", status.HTTP_404_NOT_FOUND)
    name, shifts = roster_service.doctor_shifts(session, doctor)
    now = dt.datetime.now(OSLO)
    upcoming = [s for s in shifts if s.shift.end > now]
    past = [s for s in shifts if s.shift.end <= now]
    return render(request, "doctor.html", name=name or doctor, upcoming=upcoming, past=list(reversed(past)),
                  months=month_calendars(shifts), token=token, weekdays=WEEKDAY_NAMES,
                  feed=str(request.url_for("doctor_feed", token=token)))


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
        out.append({"title": f"{MONTHS[month - 1]} {year}", "weeks": weeks})
    return out
