"""The manager's pages for the roster in daily life: hand edits and edited workbooks, the
confirmation before publishing, swaps waiting for approval, and rounds of wishes for the next period."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import defer

from api.deps import NowDep, PageManagerDep, RowId, SessionDep, SettingsDep
from api.orm import RequestRoundRow, RosterRow, ScenarioRow, SwapRow
from api.routers.pages import dashboard, get_or_404, redirect, refused, render, roster_view
from api.services import carry, edits, notices, swaps, wishes
from api.services import rosters as roster_service
from api.services.scenarios import load, read_upload, store
from roster.edits import ACTIONS as EDIT_ACTIONS
from roster.edits import Edit
from roster.input_errors import shown
from roster.models import shift_key
from roster.scenario_io import InputError

router = APIRouter(include_in_schema=False)


# --------------------------------------------------------------------------- edits and publishing


@router.post("/vaktplaner/{roster_id}/endre", response_class=HTMLResponse)
def edit(roster_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep, settings: SettingsDep,
         handling: Annotated[str, Form()], lege: Annotated[str, Form()] = "", vakttype: Annotated[str, Form()] = "",
         dato: Annotated[str, Form()] = "", erstatter: Annotated[str, Form()] = ""):
    """One hand edit, checked at once; refused with the rule and the doctor, and nothing stored."""
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    typed = {"handling": handling, "lege": lege, "vakttype": vakttype, "dato": dato, "erstatter": erstatter}
    try:
        if handling not in EDIT_ACTIONS:  # the API's words (assign, remove, pin) are not the form's
            choices = [f"«{text.split(' (')[0]}»" for text in EDIT_ACTIONS.values()]
            raise InputError([f"Handling: «{shown(handling)}» er ikke et valg; velg {', '.join(choices[:-1])} "
                              f"eller {choices[-1]}"])
        if not lege:
            raise InputError(["Lege: velg en lege"])
        try:
            key = shift_key(vakttype, dt.date.fromisoformat(dato))
        except ValueError:
            raise InputError([f"Dato: «{dato}» er ikke en dato"]) from None
        target, description = edits.edit_version(
            session, row, Edit(handling, lege, key, (erstatter or None) if handling != "remove" else None), manager)
    except (InputError, roster_service.PublishRefused) as exc:
        session.rollback()
        problems = exc.problems if isinstance(exc, InputError) else [str(exc)]
        return roster_view(request, session, settings, manager, row, status.HTTP_422_UNPROCESSABLE_CONTENT,
                           edit_problems=problems, edit_form=typed, message="Endringen ble ikke gjort; se under.")
    session.commit()
    where = "i dette utkastet" if target.id == row.id else f"i utkastet vaktplan {target.id}"
    return redirect(f"/vaktplaner/{target.id}", f"{description} – lagret {where}.")


@router.post("/vaktplaner/{roster_id}/last-opp", response_class=HTMLResponse)
async def upload_edited(roster_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep,
                        settings: SettingsDep, fil: UploadFile):
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    try:
        content = await read_upload(fil)  # read and checked in a worker thread, never on the event loop
        new = await run_in_threadpool(edits.upload_roster, session, fil.filename or "vaktplan.xlsx", content, manager,
                                      base=row)
    except InputError as exc:
        session.rollback()
        return roster_view(request, session, settings, manager, row, status.HTTP_422_UNPROCESSABLE_CONTENT,
                           edit_problems=[f"{fil.filename}: {p}" for p in exc.problems],
                           message="Arbeidsboken ble ikke lest; se under.")
    session.commit()
    return redirect(f"/vaktplaner/{new.id}", edits.uploaded_message(new))


@router.get("/vaktplaner/{roster_id}/publiser", response_class=HTMLResponse)
def confirm_publish(roster_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep,
                    settings: SettingsDep, now: NowDep):
    """Ask before publishing: what doctors will see, which versions it replaces and which of their
    days are left without a published roster, whether its base is outdated, who gets a notice. The
    button posts the replaced versions shown, so a publish in between refuses it."""
    row = get_or_404(session, RosterRow, roster_id, f"vaktplan {roster_id}")
    if row.status != "draft" or roster_service.violations_of(row):
        return redirect(f"/vaktplaner/{roster_id}", f"Vaktplan {roster_id} kan ikke publiseres "
                                                    f"({roster_service.STATUS_NAMES[row.status]}).")
    preview = roster_service.publish_preview(session, row)
    roster = roster_service.load_roster(row)
    notified = notices.affected(session, row, preview.replaced, now)
    return render(request, "publish_confirm.html", manager=manager, row=row, roster=roster, preview=preview,
                  notified=notified, mails=bool(settings.smtp_host), open_places=sum(o.missing for o in roster.open_slots),
                  scenario=roster_service.scenario_of(session, row))


# --------------------------------------------------------------------------- swaps


@router.get("/bytter", response_class=HTMLResponse)
def swaps_page(request: Request, manager: PageManagerDep, session: SessionDep, settings: SettingsDep, now: NowDep):
    found = swaps.for_manager(session)
    checkers: swaps.Checkers = {}
    checks = {v.id: swaps.manager_check(session, v.row, settings, now, checkers) for v in found["waiting"]}
    return render(request, "swaps.html", manager=manager, waiting=found["waiting"], recent=found["recent"],
                  checks=checks, settings=settings)


@router.post("/bytter/{swap_id}/{answer}")
def decide_swap(swap_id: RowId, answer: str, request: Request, manager: PageManagerDep, session: SessionDep,
                now: NowDep, grunn: Annotated[str, Form()] = "") -> RedirectResponse:
    swap = get_or_404(session, SwapRow, swap_id, f"bytte {swap_id}")
    try:
        if answer == "godkjenn":
            new = swaps.approve(session, swap, manager, now)
            text = f"Byttet er godkjent: vaktplan {new.id} er publisert."
        else:
            swaps.reject(session, swap, manager, grunn)
            text = "Byttet er avslått."
    except InputError as exc:
        session.commit()  # a swap found stale stays stale
        return redirect("/bytter", "Byttet ble ikke godkjent: " + " ".join(exc.problems))
    session.commit()
    request.app.state.mailer.kick()
    return redirect("/bytter", text)


# --------------------------------------------------------------------------- wishes for the next period


@router.post("/onskerunder", response_class=HTMLResponse)
def open_round(request: Request, manager: PageManagerDep, session: SessionDep, now: NowDep,
               fra: Annotated[str, Form()], til: Annotated[str, Form()], frist: Annotated[str, Form()]):
    try:
        try:
            start, end = dt.date.fromisoformat(fra), dt.date.fromisoformat(til)
            deadline = dt.datetime.fromisoformat(frist)  # an offset in it is honoured (wishes.open_round)
        except ValueError:
            raise InputError(["Første dag, siste dag og frist må være datoer (frist med klokkeslett)"]) from None
        row = wishes.open_round(session, start, end, deadline, manager, now)
    except InputError as exc:
        session.rollback()
        return dashboard(request, session, manager, round_problems=exc.problems,
                         status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
                         round_form={"fra": fra, "til": til, "frist": frist})
    session.commit()
    return redirect(f"/onskerunder/{row.id}", f"Legene kan nå legge inn ønsker til {wishes.deadline_text(row)}.")


@router.get("/onskerunder/{round_id}", response_class=HTMLResponse)
def round_page(round_id: RowId, request: Request, manager: PageManagerDep, session: SessionDep, now: NowDep):
    row = get_or_404(session, RequestRoundRow, round_id, f"ønskerunde {round_id}")
    requests = wishes.for_period(session, row.period_start, row.period_end)
    scenarios = session.scalars(select(ScenarioRow).options(defer(ScenarioRow.body))  # only the newest one's is read
                                .where(ScenarioRow.period_start <= row.period_end,
                                       ScenarioRow.period_end >= row.period_start)
                                .order_by(ScenarioRow.id.desc())).all()
    names = {d.id: d.name for d in load(scenarios[0]).doctors} if scenarios else {}
    return render(request, "round.html", manager=manager, round=row, open=wishes.is_open(row, now),
                  deadline=wishes.deadline_text(row), requests=requests, names=names, scenarios=scenarios,
                  describe=lambda q: wishes.describe(q, {}))


@router.post("/scenarier/{scenario_id}/for-inn")
def carry_previous(scenario_id: RowId, manager: PageManagerDep, session: SessionDep) -> RedirectResponse:
    """A new scenario: this one with the period before carried in from its published roster."""
    row = get_or_404(session, ScenarioRow, scenario_id, f"scenario {scenario_id}")
    try:
        carried = carry.carry(session, row, manager)
    except InputError as exc:
        session.rollback()
        return refused(f"/scenarier/{scenario_id}", "forrige",
                       "Forrige periode ble ikke ført inn: " + "; ".join(exc.problems))
    session.commit()
    return redirect(f"/scenarier/{carried.row.id}", carried.message(), anchor="forrige")


@router.post("/scenarier/{scenario_id}/ta-med-onsker")
def merge_requests(scenario_id: RowId, manager: PageManagerDep, session: SessionDep) -> RedirectResponse:
    """A new scenario: this one with the doctors' wishes and absences for its period."""
    row = get_or_404(session, ScenarioRow, scenario_id, f"scenario {scenario_id}")
    scenario = load(row)
    merged, skipped, added = wishes.merged(scenario, wishes.for_period(session, scenario.period.start,
                                                                       scenario.period.end))
    new = store(session, merged, f"scenario {scenario_id} med legenes ønsker", manager)
    session.commit()
    text = f"Nytt scenario med legenes ønsker og fravær ({added})."
    if skipped:
        text += f" {len(skipped)} ble ikke tatt med: " + "; ".join(skipped[:5]) + ("…" if len(skipped) > 5 else "")
    return redirect(f"/scenarier/{new.id}", text)
