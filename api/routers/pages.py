"""Norwegian HTML pages (Jinja2, no JavaScript framework): the manager's flow from upload to
published roster, and the doctor's personal page. Forms post here and redirect (POST/redirect/GET)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated, TypeVar
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from api.deps import COOKIE, JobsDep, PageManagerDep, RowId, SessionDep, SettingsDep, client_address
from api.jobs import NotRestartable, QueueFull, form_submission, restart_of
from api.orm import AuditRow, RosterRow, RunRow, ScenarioRow, SwapRow
from api.schemas import SolveIn
from api.services import auth, carry, edits, links, notices, replan_form, wishes
from api.services import published as published_index
from api.services import rosters as roster_service
from api.services import runs as run_service
from api.services import scenarios as scenario_service
from api.services.replan_form import ReplanForm
from api.services.rosters import ORIGIN_NAMES, STATUS_NAMES
from api.templating import pct
from roster.calendar import ShiftIndex
from roster.check import RULES
from roster.edits import ACTIONS as EDIT_ACTIONS
from roster.eligibility import qualification
from roster.explanation import FIXES_SHOWN
from roster.scenario_io import InputError, validation_problems

router = APIRouter(include_in_schema=False)
T = TypeVar("T")

RUN_STATUS = {"queued": "i kø", "running": "beregner", "finished": "ferdig", "cancelled": "avbrutt",
              "failed": "feilet", "interrupted": "avbrutt av omstart"}


# Messages travel in the redirect's URL (POST/redirect/GET) with an HMAC, so a page shows only
# messages this service wrote: a link with ?melding=«Ring 815 00 000 om passordet» or
# ?feil=«Lenken din er utløpt …» shows nothing. One signature covers both (a message cannot be
# moved from one to the other). The key lives as long as the process; a message in a link older
# than a restart is not shown.
_MESSAGE_KEY = secrets.token_bytes(32)
SIGNED = ("melding", "feil")


def _signature(parts: dict[str, str]) -> str:
    text = "\n".join(f"{name}={parts[name]}" for name in SIGNED if name in parts)
    return hmac.new(_MESSAGE_KEY, text.encode(), hashlib.sha256).hexdigest()[:32]


def signed_text(request: Request, name: str) -> str | None:
    """The ``melding`` or ``feil`` of a redirect from this service (its signature checks), else None."""
    parts = {k: v for k in SIGNED if (v := request.query_params.get(k)) is not None}
    if not parts or not hmac.compare_digest(request.query_params.get("sig", ""), _signature(parts)):
        return None
    return parts.get(name)


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    context.setdefault("message", signed_text(request, "melding"))
    return request.app.state.templates.TemplateResponse(
        request, template, {"run_status": RUN_STATUS, "roster_status": STATUS_NAMES, **context},
        status_code=status_code)


def redirect(url: str, message: str | None = None, problem: str | None = None, anchor: str = "") -> RedirectResponse:
    """To ``url#anchor``, with ``message`` (shown as news) and ``problem`` (as an error) signed."""
    parts = {k: v for k, v in zip(SIGNED, (message, problem), strict=True) if v}
    if parts:
        url += ("&" if "?" in url else "?") + "".join(f"{k}={quote(v)}&" for k, v in parts.items())
        url += "sig=" + _signature(parts)
    return RedirectResponse(url + (f"#{anchor}" if anchor else ""), status_code=status.HTTP_303_SEE_OTHER)


def refused(url: str, section: str, problem: str, kept: dict[str, str] | None = None) -> RedirectResponse:
    """Back to ``url`` with ``problem`` shown in the refused form's own section (``skjema``; the
    fragment lands on its message, ``#<section>-feil``) and the form's values ``kept`` in the query;
    a page shows the values only beside a signed problem, so a crafted link cannot fill in a form."""
    url += ("&" if "?" in url else "?") + urlencode({"skjema": section, **{k: v for k, v in (kept or {}).items() if v}})
    return redirect(url, None, problem, f"{section}-feil")


def refusal_section(request: Request, sections: dict[str, tuple[str, ...]]) -> tuple[str | None, str | None, dict]:
    """The signed problem of a refused form, the section (of ``sections``: section → kept fields)
    it belongs to, and the values entered there."""
    problem = signed_text(request, "feil")
    section = request.query_params.get("skjema") if problem else None
    section = section if section in sections else None
    kept = {k: request.query_params.get(k, "") for k in sections[section]} if section else {}
    return problem, section, kept


def invalid_fields(problems: list[str] | None, labels: dict[str, str]) -> set[str]:
    """The form fields (``labels``: a field's label → its name) that a refusal names: a message
    starts with the field's label and a colon («Til dato: kan ikke være før fra dato»); several
    messages may be joined into one with spaces. The page marks them aria-invalid."""
    found = set()
    for text in problems or []:
        for label, name in labels.items():
            if text.startswith(f"{label}:") or f" {label}:" in text:
                found.add(name)
    return found


def get_or_404(session: SessionDep, table: type[T], key: object, what: str) -> T:
    row = session.get(table, key)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{what} finnes ikke")
    return row


# --------------------------------------------------------------------------- login


@router.get("/logg-inn", response_class=HTMLResponse)
def login_page(request: Request, neste: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=neste, error=None, username="")


@router.post("/logg-inn", response_class=HTMLResponse)
async def login(request: Request, brukernavn: Annotated[str, Form()], passord: Annotated[str, Form()],
                neste: Annotated[str, Form()] = "/"):
    state = request.app.state
    settings = state.settings
    try:
        token = await auth.login(state.sessions, state.passwords, settings, brukernavn, passord,
                                 client_address(request))
    except auth.LoginRefused as exc:
        return render(request, "login.html", exc.status, next=neste, error=str(exc), username=brukernavn)
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

ROUND_LABELS = {"Første dag": "fra", "Siste dag": "til", "Frist": "frist"}
EDIT_LABELS = {"Handling": "handling", "Lege": "lege", "Vakttype": "vakttype", "Dato": "dato",
               "I stedet for": "erstatter"}


def dashboard(request: Request, session: SessionDep, manager: str, problems: list[str] | None = None,
              source: str = "", status_code: int = 200, round_problems: list[str] | None = None,
              round_form: dict[str, str] | None = None) -> HTMLResponse:
    published = session.scalars(select(RosterRow).options(defer(RosterRow.body))  # listed, not read
                                .where(RosterRow.status == "published").order_by(RosterRow.period_start)).all()
    audit = session.scalars(select(AuditRow).order_by(AuditRow.id.desc()).limit(12)).all()
    now = request.app.state.clock()
    return render(request, "index.html", status_code, manager=manager, scenarios=scenario_service.listing(session),
                  published=published, audit=audit, problems=problems, source=source, round_problems=round_problems,
                  round_form=round_form or {}, round_invalid=invalid_fields(round_problems, ROUND_LABELS),
                  rounds=[(r, wishes.is_open(r, now), wishes.deadline_text(r)) for r in wishes.rounds(session)[:6]],
                  waiting=session.scalar(select(func.count()).select_from(SwapRow).where(SwapRow.status == "accepted")),
                  outbox=notices.outbox_counts(session), mail=request.app.state.mailer.configured)


@router.get("/", response_class=HTMLResponse)
def index(request: Request, manager: PageManagerDep, session: SessionDep) -> HTMLResponse:
    return dashboard(request, session, manager)


@router.post("/scenarier", response_class=HTMLResponse)
async def upload(request: Request, manager: PageManagerDep, session: SessionDep, fil: UploadFile):
    """A scenario (parsed in a separate process, ``api.services.parsing``: doctors' pages answer
    meanwhile) or an edited roster workbook (read in a worker thread, never on the event loop)."""
    try:
        content = await scenario_service.read_upload(fil)
    except InputError as exc:
        return await run_in_threadpool(dashboard, request, session, manager, exc.problems, fil.filename or "",
                                       status.HTTP_422_UNPROCESSABLE_CONTENT)
    if edits.is_roster_workbook(fil.filename or "", content):  # an edited roster, not a scenario
        try:
            row = await run_in_threadpool(edits.upload_roster, session, fil.filename or "", content, manager)
        except InputError as exc:
            session.rollback()
            return await run_in_threadpool(dashboard, request, session, manager, exc.problems, fil.filename or "",
                                           status.HTTP_422_UNPROCESSABLE_CONTENT)
        await run_in_threadpool(session.commit)
        return redirect(f"/vaktplaner/{row.id}", edits.uploaded_message(row))
    try:
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


# The scenario page's forms that show their own refusal, and the values each keeps.
SCENARIO_FORMS = {"beregn": ("tidsgrense", "streng"), "forrige": ()}


@router.get("/scenarier/{scenario_id}", response_class=HTMLResponse)
def scenario_page(scenario_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep,
                  settings: SettingsDep) -> HTMLResponse:
    row = get_or_404(session, ScenarioRow, scenario_id, f"scenario {scenario_id}")
    scenario = scenario_service.load(row)
    tokens = links.ensure(session, [d.id for d in scenario.doctors])
    session.commit()
    # every version of the month (each swap and edit is one) is listed, none read
    rosters = session.scalars(select(RosterRow).options(defer(RosterRow.body))
                              .where(RosterRow.scenario_id == scenario_id).order_by(RosterRow.id.desc())).all()
    quals = {d.id: qualification(d, scenario.rules) for d in scenario.doctors}
    templates = {t.id: t.label for t in scenario.templates}
    problem, section, kept = refusal_section(request, SCENARIO_FORMS)
    return render(request, "scenario.html", problems=[problem] if problem else None, error_section=section,
                  kept=kept, limit_invalid=bool(problem and "Tidsgrense:" in problem), manager=manager, row=row,
                  scenario=scenario, tokens=tokens,
                  runs=run_service.listing(session, scenario_id), rosters=rosters, quals=quals,
                  default_limit=settings.default_time_limit, max_limit=settings.max_time_limit,
                  requests=wishes.for_period(session, scenario.period.start, scenario.period.end),
                  names={d.id: d.name for d in scenario.doctors}, describe=lambda q: wishes.describe(q, templates),
                  has_round=bool(wishes.rounds(session)), previous=carry.previous(session, scenario),
                  carried_now=carry.carries_previous(session, scenario),
                  renamed=published_index.other_names(session, {d.id: d.name for d in scenario.doctors}),
                  day_before=carry.day_before(scenario))


@router.post("/scenarier/{scenario_id}/beregn")
def start_run(scenario_id: RowId, manager: PageManagerDep, session: SessionDep, settings: SettingsDep,
              jobs: JobsDep, tidsgrense: Annotated[str, Form()], streng: Annotated[bool, Form()] = False,
              frø: Annotated[str, Form()] = "0", innsending: Annotated[str, Form()] = "") -> RedirectResponse:
    get_or_404(session, ScenarioRow, scenario_id, f"scenario {scenario_id}")
    try:
        params = run_service.solve_params(SolveIn(time_limit=tidsgrense, seed=frø, strict=streng), settings)
        run_id = jobs.submit(scenario_id, *params, actor=manager,
                             submission=form_submission(f"beregn:{scenario_id}", innsending))
    except ValidationError as exc:
        labels = {"time_limit": "Tidsgrense", "seed": "Frø"}
        problem = "Beregningen ble ikke startet: " + "; ".join(
            f"{labels.get(p.split(': ', 1)[0], p.split(': ', 1)[0])}: {p.split(': ', 1)[1]}"
            for p in validation_problems(exc))
    except (QueueFull, HTTPException) as exc:
        problem = f"Beregningen ble ikke startet: {getattr(exc, 'detail', exc)}"
    else:
        return redirect(f"/beregninger/{run_id}")
    return refused(f"/scenarier/{scenario_id}", "beregn", problem,
                   {"tidsgrense": tidsgrense, "streng": "true" if streng else ""})


# The run's headline gap is the level being solved (solver.objective.LEVELS): a minimal re-plan's
# first level (open places and changes) is done in seconds, and «Kan bli bedre med inntil 86 %»
# of its fairness level read as if the changes could be 86 % fewer.
GAP_LABELS = {0: "Kan bli bedre med inntil", 1: "Kan bli bedre med inntil",
              2: "Fordelingen kan bli bedre med inntil", 3: "Ønsker og resten kan bli bedre med inntil"}


@router.get("/beregninger/{run_id}", response_class=HTMLResponse)
def run_page(run_id: str, request: Request, manager: PageManagerDep, session: SessionDep) -> HTMLResponse:
    run = run_service.run_out(session, run_id)
    scenario = session.get_one(ScenarioRow, run.scenario_id)
    return render(request, "run.html", manager=manager, run=run, scenario=scenario, gap_labels=GAP_LABELS,
                  progress=run_service.progress(session, run_id),
                  restarted=session.scalar(select(RunRow.id).where(RunRow.submission == restart_of(run_id))))


@router.post("/beregninger/{run_id}/avbryt")
def cancel_run(run_id: str, manager: PageManagerDep, session: SessionDep, jobs: JobsDep) -> RedirectResponse:
    run_service.run_out(session, run_id)
    ok = jobs.cancel(run_id, manager)
    return redirect(f"/beregninger/{run_id}", "Beregningen stoppes; beste vaktplan så langt beholdes."
                    if ok else "Beregningen var allerede ferdig.")


@router.post("/beregninger/{run_id}/start-igjen")
def restart_run(run_id: str, manager: PageManagerDep, session: SessionDep, jobs: JobsDep) -> RedirectResponse:
    run_service.run_out(session, run_id)
    try:
        return redirect(f"/beregninger/{jobs.restart(run_id, manager)}")
    except (NotRestartable, QueueFull) as exc:
        return redirect(f"/beregninger/{run_id}", f"Beregningen ble ikke startet på nytt: {exc}.")


def quality(stats) -> str:  # noqa: ANN001 - roster.models.SolveStats
    """The solver's status and gap in a manager's words."""
    if stats.status.value == "optimal":
        return "Den beste mulige etter reglene og vektene (bevist av løseren)."
    if stats.status.value == "feasible":
        gap = ""
        if stats.gap is not None and stats.judged_level is not None:
            terms = ", ".join(stats.judged_level.terms)
            gap = (f" På nivå {stats.gap_level} av målet ({terms}) kan den være inntil {pct(stats.gap)} dårligere "
                   "enn den beste mulige; nivåene før er løst så godt det går.")
        elif stats.gap is not None:
            gap = f" Den kan være inntil {pct(stats.gap)} dårligere enn den beste mulige."
        return "Gyldig: følger alle harde regler." + gap + " Beregningen stoppet ved tidsgrensen eller ble stoppet."
    return "Beregningen fant ingen vaktplan."


def roster_view(request: Request, session: SessionDep, settings: SettingsDep, manager: str, row: RosterRow,
                status_code: int = 200, form: ReplanForm | None = None, replan_problems: list[str] | None = None,
                edit_problems: list[str] | None = None, edit_form: dict | None = None,
                message: str | None = None) -> HTMLResponse:
    scenario = roster_service.scenario_of(session, row)
    roster = roster_service.load_roster(row)
    index = ShiftIndex(scenario)
    q = request.query_params
    only = roster_service.GridFilter(q.get("stasjon", ""), q.get("lege", ""), q.get("uke", ""))
    extra = {"message": message} if message else {}
    if replan_problems:
        extra = {"message": "Omplanleggingen ble ikke gjort; se skjemaet under."}
    return render(request, "roster.html", status_code, **extra, manager=manager, row=row, scenario=scenario,
                  roster=roster, grids=roster_service.grids(scenario, roster, index, only),
                  fairness=roster_service.fairness(scenario, roster, index),
                  violations=roster_service.violations_of(row),
                  diff=roster_service.version_diff(session, row, scenario, roster, index),
                  fixes_shown=FIXES_SHOWN, form=form or ReplanForm(), replan_problems=replan_problems,
                  replan_invalid=invalid_fields(replan_problems, {v: k for k, v in replan_form.LABELS.items()}),
                  edit_invalid=invalid_fields(edit_problems, EDIT_LABELS),
                  kinds=replan_form.KINDS, labels=replan_form.LABELS, replan_limit=settings.replan_time_limit,
                  stations={s.id: s.name for s in scenario.stations}, templates={t.id: t for t in scenario.templates},
                  doctors=roster_service.sorted_doctors(scenario), weeks=roster_service.weeks(scenario), only=only,
                  highlight=next((d.name for d in scenario.doctors if d.id == only.doctor), ""),
                  edit_problems=edit_problems, edit_form=edit_form or {"handling": "assign"},
                  edit_actions=EDIT_ACTIONS, origin_names=ORIGIN_NAMES, rule_names=RULES,
                  quality=quality(roster.stats) if roster.stats else "",
                  # two managers re-planning one sick call: the second draft would undo the first
                  replaced_base=roster_service.stale_base(session, row) if row.status == "draft" else None,
                  printed=request.app.state.clock().strftime("%d.%m.%Y %H:%M"))


@router.get("/vaktplaner/{roster_id}", response_class=HTMLResponse)
def roster_page(roster_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep,
                settings: SettingsDep) -> HTMLResponse:
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    return roster_view(request, session, settings, manager, row)


@router.post("/vaktplaner/{roster_id}/omplanlegg", response_class=HTMLResponse)
def replan(roster_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep, settings: SettingsDep,
           jobs: JobsDep, form: Annotated[ReplanForm, Form()]):
    """The re-plan form: checked at once (a bad field shows the form again with a message naming it,
    and nothing is stored), then run as a background job whose page shows the progress; its roster
    becomes a draft made from this version, with the diff on its page."""
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    try:
        if row.status != "published":
            raise roster_service.PublishRefused(f"vaktplan {row.id} er {STATUS_NAMES[row.status]}; "
                                                "bare den publiserte vaktplanen kan planlegges om")
        changes = replan_form.changes_from_form(roster_service.scenario_of(session, row), form)
    except (InputError, roster_service.PublishRefused) as exc:
        problems = exc.problems if isinstance(exc, InputError) else [str(exc)]
        return roster_view(request, session, settings, manager, row, status.HTTP_422_UNPROCESSABLE_CONTENT, form,
                           problems)
    try:
        run_id = jobs.submit_replan(row, changes, settings.replan_time_limit, manager,
                                    form_submission(f"omplanlegg:{row.id}", form.innsending))
    except QueueFull as exc:
        return roster_view(request, session, settings, manager, row, status.HTTP_429_TOO_MANY_REQUESTS, form,
                           [str(exc)])
    return redirect(f"/beregninger/{run_id}")


@router.post("/vaktplaner/{roster_id}/publiser")
def publish(roster_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep,
            erstatter: Annotated[list[int], Form(default_factory=list)],
            bekreftet: Annotated[str, Form()] = "") -> RedirectResponse:
    """The confirmation page's button (``GET`` on the same address asks first). It posts the
    versions the page said this replaces (``erstatter``): if others are published by the click,
    the publish is refused, and the page's warnings stand for the manager's yes."""
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    try:
        replaced = roster_service.publish(session, row, manager, set(erstatter) if bekreftet else None)
    except roster_service.PublishRefused as exc:
        return redirect(f"/vaktplaner/{roster_id}", str(exc))
    session.commit()
    request.app.state.mailer.kick()
    text = f"Vaktplan {roster_id} er publisert."
    if replaced:
        text += " Den erstatter " + ", ".join(map(str, replaced)) + "."
    return redirect(f"/vaktplaner/{roster_id}", text)


@router.post("/leger/ny-lenke")
def rotate_link(manager: PageManagerDep, session: SessionDep, lege: Annotated[str, Form()],
                tilbake: Annotated[str, Form()] = "/") -> RedirectResponse:
    """The doctor's id comes as a form field, not in the address: ids are free text, and no
    encoding of ``..`` or ``ola/x`` as a path segment survives every browser's normalising."""
    target = tilbake if tilbake.startswith("/") and not tilbake.startswith("//") else "/"
    try:
        links.rotate(session, lege, manager)
    except links.UnknownDoctor as exc:
        return redirect(target, f"Ingen ny lenke: {exc}.")
    session.commit()
    return redirect(target, f"Ny lenke laget for {lege}; den gamle virker ikke lenger.")
