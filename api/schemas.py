"""Request and response models of the JSON API (kept apart from the ORM tables)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from roster.models import MAX_SEED, Assignment, Roster


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"


class ProblemsOut(BaseModel):
    """A refused upload: every problem, each naming the sheet/cell or JSON path."""

    detail: str
    problems: list[str]


class ScenarioOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    period_start: dt.date
    period_end: dt.date
    source: str
    created_by: str
    created_at: dt.datetime


class SolveIn(BaseModel):
    model_config = ConfigDict(allow_inf_nan=False)

    time_limit: float | None = Field(None, gt=0, description="seconds; default from the settings")
    seed: int = Field(0, ge=0, le=MAX_SEED)
    strict: bool = Field(False, description="no open slots or bakvakt gaps allowed")


class RunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    scenario_id: int
    status: str
    time_limit: float
    seed: int
    strict: bool
    elapsed: float | None
    objective: float | None
    bound: float | None
    gap: float | None
    level: int = Field(0, description="the level of a lexicographic solve that objective, bound and gap belong to; 0: "
                       "the whole objective")
    open_slots: int | None
    solutions: int
    solver_status: str | None
    message: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    roster_id: int | None = None
    clock: float | None = Field(None, description="seconds since the solve started (until it ended)")
    kind: str = Field("beregning", description="beregning (a solve) or omplanlegging (a re-plan of base_roster_id)")
    base_roster_id: int | None = None


class ViolationOut(BaseModel):
    rule: str
    message: str
    doctor: str | None
    shift: str | None


class SwapIn(BaseModel):
    """A proposed trade: ``giver`` hands ``shift`` (``<template>/<YYYY-MM-DD>``) to ``taker``,
    optionally getting ``back_shift`` in return. Doctors by id or full name."""

    giver: str
    shift: str
    taker: str
    back_shift: str | None = None


class BurdenChangeOut(BaseModel):
    doctor: str
    name: str
    points_before: float
    points_after: float
    target: float
    deviation_before: float | None
    deviation_after: float | None


class SwapOut(BaseModel):
    legal: bool
    description: str
    new_violations: list[ViolationOut]
    worsened: list[ViolationOut] = Field(description="breaches the roster had, further past their limit after")
    resolved: list[ViolationOut]
    burden: list[BurdenChangeOut]


class RosterSummaryOut(BaseModel):
    """A version as listed: what tells versions apart, without the shifts (a listing of sixty
    versions with their shifts was 1.3 MB; ``GET /api/rosters/{id}`` has them)."""

    id: int
    scenario_id: int
    run_id: str | None
    status: str
    period_start: dt.date
    period_end: dt.date
    created_at: dt.datetime
    published_at: dt.datetime | None
    published_by: str | None
    superseded_by: int | None
    parent_id: int | None = Field(None, description="the version this one was made from")
    origin: str = Field("beregning", description="beregning, omplanlegging, endring, opplasting or bytte")
    violations: list[ViolationOut]


class RosterOut(RosterSummaryOut):
    roster: Roster


class DoctorLinkOut(BaseModel):
    doctor: str
    name: str
    page: str
    feed: str


class AuditOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: dt.datetime
    actor: str
    action: str
    detail: str


class ReplanOut(BaseModel):
    """A re-planned draft version and its diff against the published roster."""

    roster: RosterOut
    changes: int
    diff: list[str] = Field(description="Norwegian lines: who gets and who loses which shift")
    added: list[Assignment]
    removed: list[Assignment]


class EditIn(BaseModel):
    """A hand edit: ``assign`` puts ``doctor`` on ``shift`` (in place of ``replaces``, if given),
    ``remove`` takes them off, ``pin`` puts them on and keeps them there in later re-plans,
    ``volunteer`` pins a doctor who said yes to a shift their exemption from 16–08 lets them refuse."""

    action: Literal["assign", "remove", "pin", "volunteer"]
    doctor: str = Field(description="id or full name")
    shift: str = Field(description="<template>/<YYYY-MM-DD>")
    replaces: str | None = None


class EditOut(BaseModel):
    roster: RosterOut
    description: str


class RunStartedOut(BaseModel):
    run_id: str


class SwapProposalIn(BaseModel):
    """Give ``shift`` away (to ``taker``, or to anyone when empty) or swap it for ``back_shift``."""

    shift: str = Field(description="<template>/<YYYY-MM-DD>, one of your shifts")
    taker: str | None = Field(None, description="a colleague's id or full name; empty: anyone may take it")
    back_shift: str | None = Field(None, description="the colleague's shift you take in return")
    note: str = ""


class SwapRequestOut(BaseModel):
    id: int
    status: str
    status_text: str
    giver: str
    taker: str | None
    shift: str
    shift_text: str
    back_shift: str | None
    back_text: str | None
    message: str
    result_roster_id: int | None


class RejectIn(BaseModel):
    reason: str = ""


class RequestRoundIn(BaseModel):
    period_start: dt.date
    period_end: dt.date
    deadline: dt.datetime = Field(description="naive: Oslo time; with an offset: that moment")


class RequestRoundOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    period_start: dt.date
    period_end: dt.date
    deadline: dt.datetime
    created_by: str


class DoctorRequestOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    round_id: int
    doctor_id: str
    kind: str
    start: dt.date
    end: dt.date
    template: str | None
    wants: bool
    absence_kind: str | None
    note: str


class MergedOut(BaseModel):
    scenario_id: int
    added: int
    skipped: list[str]


class OutboxOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    doctor_id: str
    recipient: str | None
    subject: str
    body: str
    roster_id: int | None
    status: str
    attempts: int
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class DutyOut(BaseModel):
    station: str
    shift: str
    label: str
    start: dt.datetime
    end: dt.datetime
    bakvakt: bool
    doctors: list[dict[str, str]] = Field(description="name and phone (empty when not given)")
    open_places: int
    running: bool
