"""Scenarios: upload (validated), the Bergen example, listing, and starting a solve."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from api.deps import IdempotencyKey, JobsDep, ManagerDep, RowId, SessionDep, SettingsDep
from api.jobs import QueueFull, api_submission
from api.orm import ScenarioRow
from api.schemas import ProblemsOut, RunOut, ScenarioOut, SolveIn
from api.services import carry, exports, wishes
from api.services import scenarios as service
from api.services.runs import run_out, solve_params
from roster.models import Scenario

router = APIRouter(prefix="/api/scenarios", tags=["scenarier"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE = {200: {"content": {XLSX: {}}, "description": "the scenario workbook to fill in"}}


def get_row(session: SessionDep, scenario_id: int) -> ScenarioRow:
    row = session.get(ScenarioRow, scenario_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"scenario {scenario_id} finnes ikke")
    return row


@router.get("", response_model=list[ScenarioOut])
def list_scenarios(_: ManagerDep, session: SessionDep) -> list[ScenarioRow]:
    return service.listing(session)


@router.post("", response_model=ScenarioOut, status_code=status.HTTP_201_CREATED,
             responses={422: {"model": ProblemsOut, "description": "ugyldig fil: alle feil med celle/sti"}})
async def upload(request: Request, file: UploadFile, manager: ManagerDep, session: SessionDep) -> ScenarioRow:
    """Upload a scenario workbook (.xlsx) or a JSON/YAML file; refused with every problem listed.
    Parsed in a separate process (``api.services.parsing``), never on the event loop."""
    scenario = await request.app.state.parser.parse(file.filename or "", await service.read_upload(file))
    return await run_in_threadpool(service.store_committed, session, scenario, file.filename or "", manager)


@router.post("/bergen", response_model=ScenarioOut, status_code=status.HTTP_201_CREATED)
def load_bergen(manager: ManagerDep, session: SessionDep) -> ScenarioRow:
    """Load the Bergen example (December 2026) shipped with the program."""
    row = service.store(session, service.bergen_example(), "Bergen-eksempelet", manager)
    session.commit()
    return row


@router.get("/template", response_class=Response, responses=TEMPLATE)
def blank_template(_: ManagerDep) -> Response:
    """The empty workbook to fill in and upload (``roster template``)."""
    return Response(exports.template_bytes(), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="vaktplan-mal.xlsx"'})


@router.get("/{scenario_id}", response_model=ScenarioOut)
def get_scenario(scenario_id: RowId, _: ManagerDep, session: SessionDep) -> ScenarioRow:
    return get_row(session, scenario_id)


@router.get("/{scenario_id}/template", response_class=Response, responses=TEMPLATE)
def scenario_template(scenario_id: RowId, _: ManagerDep, session: SessionDep, with_requests: bool = False) -> Response:
    """The scenario as a workbook to edit (``roster template --from``); ``with_requests`` adds the
    doctors' wishes and absences for its period to the Ønsker and Fravær sheets."""
    scenario = service.load(get_row(session, scenario_id))
    if with_requests:
        scenario, _, _ = wishes.merged(scenario, wishes.for_period(session, scenario.period.start, scenario.period.end))
    return Response(exports.template_bytes(scenario), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="scenario-{scenario_id}.xlsx"'})


@router.get("/{scenario_id}/body", response_model=Scenario)
def get_body(scenario_id: RowId, _: ManagerDep, session: SessionDep) -> Scenario:
    """The validated scenario itself (the JSON the solver sees)."""
    return service.load(get_row(session, scenario_id))


@router.post("/{scenario_id}/carry", response_model=ScenarioOut, status_code=status.HTTP_201_CREATED,
             responses={422: {"model": ProblemsOut, "description": "ingen publisert vaktplan slutter dagen før perioden"}})
def carry_previous(scenario_id: RowId, manager: ManagerDep, session: SessionDep) -> ScenarioRow:
    """A new scenario version with the period before carried in from the published roster that ends
    the day before its period (history, the last days' shifts, the holiday ledger): ``roster carry``
    on the web (``api.services.carry``)."""
    carried = carry.carry(session, get_row(session, scenario_id), manager)
    session.commit()
    return carried.row


@router.post("/{scenario_id}/runs", response_model=RunOut, status_code=status.HTTP_202_ACCEPTED,
             responses={429: {"description": "for mange beregninger venter i køen"}})
def start_run(scenario_id: RowId, params: SolveIn, manager: ManagerDep, session: SessionDep,
              settings: SettingsDep, jobs: JobsDep, key: IdempotencyKey = None) -> RunOut:
    """Start a solve; returns at once with the run id (queued when all solve slots are busy). Sent
    again with the same Idempotency-Key, it returns the run the first request started."""
    get_row(session, scenario_id)
    try:
        solve = solve_params(params, settings)
        run_id = jobs.submit(scenario_id, *solve, actor=manager,
                             submission=api_submission(manager, f"scenario {scenario_id} {solve}", key))
    except QueueFull as exc:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, str(exc)) from None
    return run_out(session, run_id)
