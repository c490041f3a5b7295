"""Roster versions: read, fairness, workbook download and upload, hand edits, publish, re-plan."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import defer

from api.deps import IdempotencyKey, JobsDep, ManagerDep, RowId, SessionDep, SettingsDep
from api.jobs import QueueFull, api_submission
from api.orm import MAX_ID, RosterRow
from api.schemas import (
    BurdenChangeOut,
    EditIn,
    EditOut,
    ProblemsOut,
    ReplanOut,
    RosterOut,
    RosterSummaryOut,
    RunStartedOut,
    SwapIn,
    SwapOut,
    ViolationOut,
)
from api.services import edits
from api.services import rosters as service
from api.services.scenarios import read_upload
from api.services.swaps import check_across
from roster.changes import apply_changes, changes_from_data
from roster.check import Violation
from roster.edits import Edit
from roster.models import Roster
from roster.scenario_io import InputError
from roster.swap import SwapRefused

router = APIRouter(prefix="/api/rosters", tags=["vaktplaner"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"  # self-contained


def get_row(session: SessionDep, roster_id: int) -> RosterRow:
    session.expire_all()
    row = session.get(RosterRow, roster_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"vaktplan {roster_id} finnes ikke")
    return row


def roster_summary(row: RosterRow) -> RosterSummaryOut:
    return RosterSummaryOut(
        id=row.id, scenario_id=row.scenario_id, run_id=row.run_id, status=row.status,
        period_start=row.period_start, period_end=row.period_end, created_at=row.created_at,
        published_at=row.published_at, published_by=row.published_by, superseded_by=row.superseded_by,
        parent_id=row.parent_id, origin=row.origin,
        violations=[ViolationOut(**v) for v in service.violations_of(row)],
    )


def roster_out(row: RosterRow) -> RosterOut:
    return RosterOut(**roster_summary(row).model_dump(), roster=service.load_roster(row))


def problems(exc: InputError, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail, "problems": exc.problems}, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


@router.get("", response_model=list[RosterSummaryOut])
def list_rosters(_: ManagerDep, session: SessionDep,
                 scenario_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> list[RosterSummaryOut]:
    """Every version, newest first, without its shifts (``GET /api/rosters/{id}`` has them)."""
    query = select(RosterRow).options(defer(RosterRow.body)).order_by(RosterRow.id.desc())
    if scenario_id is not None:
        query = query.where(RosterRow.scenario_id == scenario_id)
    return [roster_summary(r) for r in session.scalars(query)]


@router.post("", response_model=RosterOut, status_code=status.HTTP_201_CREATED,
             responses={422: {"model": ProblemsOut, "description": "the workbook cannot be read or placed"}})
async def upload_roster(file: UploadFile, manager: ManagerDep, session: SessionDep) -> RosterOut | JSONResponse:
    """A roster workbook exported here and edited: a new draft made from the version its Sammendrag
    sheet names («Versjon»)."""
    try:
        content = await read_upload(file)
        new = await run_in_threadpool(edits.upload_roster, session, file.filename or "vaktplan.xlsx", content, manager)
    except InputError as exc:
        session.rollback()
        return problems(exc, "arbeidsboken ble ikke lest")
    session.commit()
    return roster_out(new)


@router.get("/{roster_id}", response_model=RosterOut)
def get_roster(roster_id: RowId, _: ManagerDep, session: SessionDep) -> RosterOut:
    return roster_out(get_row(session, roster_id))


@router.get("/{roster_id}/roster.json", response_model=Roster)
def roster_file(roster_id: RowId, _: ManagerDep, session: SessionDep) -> Response:
    """The bare roster file, as the CLI writes it."""
    row = get_row(session, roster_id)
    return Response(row.body, media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="vaktplan-{roster_id}.json"'})


@router.get("/{roster_id}/metrics")
def metrics(roster_id: RowId, _: ManagerDep, session: SessionDep) -> list[dict]:
    """Per-doctor fairness figures (``roster.metrics.doctor_metrics``)."""
    row = get_row(session, roster_id)
    return service.fairness(service.scenario_of(session, row), service.load_roster(row))


@router.get("/{roster_id}/workbook", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "the Excel export"}})
def workbook(roster_id: RowId, _: ManagerDep, session: SessionDep) -> Response:
    row = get_row(session, roster_id)
    data = service.workbook_bytes(service.scenario_of(session, row), service.load_roster(row), row)
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="vaktplan-{roster_id}.xlsx"'})


@router.get("/{roster_id}/report", response_class=Response,
            responses={200: {"content": {"text/html": {}}, "description": "the fairness and rule report"}})
def report(roster_id: RowId, _: ManagerDep, session: SessionDep) -> Response:
    """Self-contained HTML report: fairness metrics, charts and the checker's findings."""
    row = get_row(session, roster_id)
    scenario = service.scenario_of(session, row)
    html = service.report_html(scenario, service.load_roster(row), f"{scenario.name}, vaktplan {roster_id}")
    return Response(html, media_type="text/html; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="rapport-{roster_id}.html"',
                             "Content-Security-Policy": REPORT_CSP})


def _violation_out(v: Violation) -> ViolationOut:
    return ViolationOut(rule=v.rule, message=v.message, doctor=v.doctor, shift=v.shift)


@router.post("/{roster_id}/swap-check", response_model=SwapOut)
def swap_check(roster_id: RowId, body: SwapIn, _: ManagerDep, session: SessionDep) -> SwapOut:
    """Whether a trade between two doctors breaks a hard rule (independent checker), and how it
    moves each one's burden against target. Changes nothing: a legal trade still needs a new version."""
    row = get_row(session, roster_id)
    try:
        result = check_across(session, row, service.scenario_of(session, row), body.giver, body.shift, body.taker,
                              body.back_shift)
    except SwapRefused as exc:
        raise HTTPException(422, exc.problems) from None
    return SwapOut(
        legal=result.legal,
        description=result.description,
        new_violations=[_violation_out(v) for v in result.new_violations],
        worsened=[_violation_out(v) for v in result.worsened],
        resolved=[_violation_out(v) for v in result.resolved],
        burden=[BurdenChangeOut(doctor=b.doctor, name=b.name, points_before=b.points_before,
                                points_after=b.points_after, target=b.target,
                                deviation_before=b.deviation_before, deviation_after=b.deviation_after)
                for b in result.burden],
    )


@router.post("/{roster_id}/publish", response_model=RosterOut)
def publish(roster_id: RowId, request: Request, manager: ManagerDep, session: SessionDep) -> RosterOut:
    """Publish a draft (doctors see it, and doctors whose shifts it changes get a notice);
    refused when it breaks a hard rule or is not a draft."""
    row = get_row(session, roster_id)
    try:
        service.publish(session, row, manager)
    except service.PublishRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    session.commit()
    request.app.state.mailer.kick()
    return roster_out(row)


@router.post("/{roster_id}/edits", response_model=EditOut, status_code=status.HTTP_201_CREATED,
             responses={422: {"model": ProblemsOut, "description": "the edit breaks a hard rule, or names nothing known"},
                        409: {"description": "a superseded version, or a hand-edited draft published "
                                              "before the edit was stored in it"}})
def edit(roster_id: RowId, body: EditIn, manager: ManagerDep, session: SessionDep) -> EditOut | JSONResponse:
    """One hand edit, checked at once by the independent checker. Editing a published version (or a
    solver's draft) makes a new draft made from it; a hand-edited draft takes further edits in place."""
    row = get_row(session, roster_id)
    try:
        target, description = edits.edit_version(session, row, Edit(body.action, body.doctor, body.shift,
                                                                    body.replaces), manager)
    except InputError as exc:
        session.rollback()
        return problems(exc, "endringen ble ikke gjort")
    except service.PublishRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    session.commit()
    return EditOut(roster=roster_out(target), description=description)


@router.post("/{roster_id}/workbook", response_model=RosterOut, status_code=status.HTTP_201_CREATED,
             responses={422: {"model": ProblemsOut, "description": "the workbook cannot be read"}})
async def upload_workbook(roster_id: RowId, file: UploadFile, manager: ManagerDep, session: SessionDep
                          ) -> RosterOut | JSONResponse:
    """An edited copy of this version's workbook as a new draft made from it (hard-rule breaches are
    listed with their cell and keep it from being published)."""
    row = get_row(session, roster_id)
    try:
        content = await read_upload(file)
        new = await run_in_threadpool(edits.upload_roster, session, file.filename or "vaktplan.xlsx", content, manager,
                                      base=row)
    except InputError as exc:
        session.rollback()
        return problems(exc, "arbeidsboken ble ikke lest")
    session.commit()
    return roster_out(new)


@router.post("/{roster_id}/replan", response_model=ReplanOut, status_code=status.HTTP_201_CREATED,
             responses={422: {"model": ProblemsOut, "description": "ugyldig endringsfil: alle feil med sti"},
                        409: {"description": "ikke den publiserte vaktplanen, eller ingen vaktplan funnet"}})
def replan(roster_id: RowId, manager: ManagerDep, session: SessionDep, settings: SettingsDep,
           changes: Annotated[dict[str, Any], Body(examples=[{
               "now": "2026-12-04T14:00",
               "absences": [{"doctor": "kari", "start": "2026-12-05", "end": "2026-12-05", "kind": "sykdom"}]}])],
           ) -> ReplanOut | JSONResponse:
    """Repair the published version after sick leave or a departure with as few changed
    assignments as possible (the change file of ``roster replan``), within ``ROSTER_REPLAN_TIME_LIMIT``
    seconds, in the request. Creates a new draft version; publishing it is a separate step.
    ``…/replan/runs`` does the same as a background job with live progress."""
    row = get_row(session, roster_id)
    try:
        new, result = service.replan_version(session, row, changes_from_data(changes), manager,
                                             settings.replan_time_limit, settings.solver_workers)
    except InputError as exc:
        return problems(exc, "ugyldig endringsfil")
    except service.PublishRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    session.commit()
    from solver.replan import format_diff

    return ReplanOut(roster=roster_out(new), changes=result.changes, diff=format_diff(result),
                     added=result.added, removed=result.removed)


@router.post("/{roster_id}/replan/runs", response_model=RunStartedOut, status_code=status.HTTP_202_ACCEPTED,
             responses={422: {"model": ProblemsOut, "description": "ugyldig endringsfil: alle feil med sti"},
                        409: {"description": "ikke den publiserte vaktplanen"}})
def replan_job(roster_id: RowId, manager: ManagerDep, session: SessionDep, settings: SettingsDep, jobs: JobsDep,
               changes: Annotated[dict[str, Any], Body()], key: IdempotencyKey = None) -> RunStartedOut | JSONResponse:
    """The re-plan as a background job (``GET /api/runs/{id}`` and its event stream show the
    progress, ``POST /api/runs/{id}/cancel`` keeps the best repair so far); its roster becomes a
    draft made from this version. Sent again with the same Idempotency-Key, the run the first
    request started."""
    row = get_row(session, roster_id)
    if row.status != "published":
        raise HTTPException(status.HTTP_409_CONFLICT, f"vaktplan {row.id} er {service.STATUS_NAMES[row.status]}; "
                                                      "bare den publiserte vaktplanen kan planlegges om")
    try:
        parsed = changes_from_data(changes)
        apply_changes(service.scenario_of(session, row), parsed)  # every reference checked before the job
    except InputError as exc:
        return problems(exc, "ugyldig endringsfil")
    try:
        return RunStartedOut(run_id=jobs.submit_replan(row, parsed, settings.replan_time_limit, manager,
                                                       api_submission(manager, f"vaktplan {row.id} {parsed.model_dump_json()}", key)))
    except QueueFull as exc:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(exc)) from None
