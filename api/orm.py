"""Database tables (SQLAlchemy 2 declarative). Request/response models live in ``api.schemas``.

Scenario and roster bodies are stored as JSON text of the domain models, so a stored roster is
exactly what the engine produced and can be re-validated on read.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


MAX_ID = 2**63 - 1  # the largest row id SQLite stores; a larger number names no row (and SQLite cannot even compare it)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored time in UTC: SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware
    ones in the session's time zone."""
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment.astimezone(dt.timezone.utc)


class Base(DeclarativeBase):
    pass


class ScenarioRow(Base):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    source: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)  # Scenario JSON
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RunRow(Base):
    __tablename__ = "solve_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4 hex: unguessable job id
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # queued/running/finished/cancelled/failed/interrupted
    time_limit: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    strict: Mapped[bool] = mapped_column(default=False)
    elapsed: Mapped[float | None] = mapped_column(Float, nullable=True)
    objective: Mapped[float | None] = mapped_column(Float, nullable=True)
    bound: Mapped[float | None] = mapped_column(Float, nullable=True)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # objective/bound/gap's level; 0: the whole
    open_slots: Mapped[int | None] = mapped_column(Integer, nullable=True)
    solutions: Mapped[int] = mapped_column(Integer, default=0)
    solver_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    message: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20), default="beregning", server_default="beregning")  # or omplanlegging
    # a re-plan: the published version it repairs (no foreign key: roster_versions already points
    # here through run_id, and a cycle would make the tables impossible to drop in order) …
    base_roster_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    changes: Mapped[str | None] = mapped_column(Text, nullable=True)  # … and its change file (JSON)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # what asked for the run (a form shown once, the restart of an interrupted run): a second press
    # of the same button finds this run instead of starting another (``JobManager._enqueue``)
    submission: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True, unique=True)


class ProgressRow(Base):
    """One improving solution of a run, as the solver reported it."""

    __tablename__ = "run_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("solve_runs.id"), index=True)
    elapsed: Mapped[float] = mapped_column(Float)
    objective: Mapped[float] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float, nullable=True)  # none before the first bound
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open_slots: Mapped[int] = mapped_column(Integer)
    solutions: Mapped[int] = mapped_column(Integer)


PUBLISHED = text("status = 'published'")


class RosterRow(Base):
    """A roster version. Draft until published; a published version is never changed again except
    for being marked superseded when a newer one for an overlapping period is published. The
    database holds at most one published version per period start (a partial unique index), so
    two publishes racing each other cannot both win."""

    __tablename__ = "roster_versions"
    __table_args__ = (
        Index("uq_roster_versions_published_start", "period_start", unique=True,
              sqlite_where=PUBLISHED, postgresql_where=PUBLISHED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"), index=True)
    run_id: Mapped[str | None] = mapped_column(ForeignKey("solve_runs.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # draft/published/superseded
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    body: Mapped[str] = mapped_column(Text)  # Roster JSON
    violations: Mapped[str] = mapped_column(Text, default="[]")  # unexpected hard-rule violations (JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"), nullable=True)
    # the version this one was made from (re-plan, hand edit, swap, edited workbook): its diff is against it
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"), nullable=True)
    origin: Mapped[str] = mapped_column(String(20), default="beregning", server_default="beregning")


class PublishLockRow(Base):
    """One row that every publish updates first: publishes run one at a time (a row lock on
    PostgreSQL, the write lock on SQLite), so each sees the others' results."""

    __tablename__ = "publish_lock"

    id: Mapped[int] = mapped_column(primary_key=True)
    publishes: Mapped[int] = mapped_column(Integer, default=0)


class PublishedDoctorRow(Base):
    """A doctor of a published version's scenario (so a doctor's page has a name without
    reading any roster). Written and removed with the version's publishing."""

    __tablename__ = "published_doctors"

    roster_id: Mapped[int] = mapped_column(ForeignKey("roster_versions.id"), primary_key=True)
    doctor_id: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    name: Mapped[str] = mapped_column(String(200))


class PublishedShiftRow(Base):
    """One shift of one doctor in a published version: the doctor's page and calendar feed read
    these instead of parsing every published roster on every request."""

    __tablename__ = "published_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster_versions.id"), index=True)
    doctor_id: Mapped[str] = mapped_column(String(80), index=True)
    shift_key: Mapped[str] = mapped_column(String(100))
    template: Mapped[str] = mapped_column(String(80))
    label: Mapped[str] = mapped_column(String(80))
    station: Mapped[str] = mapped_column(String(80))
    station_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    date: Mapped[dt.date]
    start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    end: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    hours: Mapped[float] = mapped_column(Float)
    duty: Mapped[str] = mapped_column(String(20))


class LoginFailureRow(Base):
    """A failed login, by the name tried and the client address: what the rate limit counts."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)


class DoctorLinkRow(Base):
    """A doctor's personal, rotatable link token (the doctor id is the scenario's doctor id)."""

    __tablename__ = "doctor_links"

    doctor_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    rotated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RetiredLinkRow(Base):
    """A doctor's link replaced by a new one, by its token's digest (the token itself is not kept):
    for a while its calendar feed answers with a notice instead of the shifts, so a subscribed
    calendar drops them rather than keeping a frozen copy (api.services.links.RETIRED_FEED_DAYS)."""

    __tablename__ = "retired_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    doctor_id: Mapped[str] = mapped_column(String(80))
    retired_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class SessionRow(Base):
    __tablename__ = "manager_sessions"

    token_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    manager: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text, default="")


class SwapRow(Base):
    """A doctor's proposal to give away a shift (to a colleague, or to anyone who takes it) or to
    swap it for the colleague's shift. Its life: proposed → accepted (a colleague said yes) →
    approved (a new published version) | rejected; or declined, withdrawn, or stale (the roster
    changed under it)."""

    __tablename__ = "swap_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("roster_versions.id"), index=True)  # published when proposed
    giver: Mapped[str] = mapped_column(String(80), index=True)
    shift: Mapped[str] = mapped_column(String(120))  # template/date
    taker: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)  # None: offered to anyone
    back_shift: Mapped[str | None] = mapped_column(String(120), nullable=True)  # a swap: the taker's shift back
    status: Mapped[str] = mapped_column(String(20), index=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    message: Mapped[str] = mapped_column(Text, default="")  # Norwegian: why it waits, was refused or went stale
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(100), nullable=True)  # a manager, or the rules
    result_roster_id: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"), nullable=True)


class RequestRoundRow(Base):
    """A manager's call for wishes and absences for a coming period, open until the deadline."""

    __tablename__ = "request_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DoctorRequestRow(Base):
    """A doctor's wish (a day or one shift type that day, wanted or not) or absence for a round."""

    __tablename__ = "doctor_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("request_rounds.id"), index=True)
    doctor_id: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # ønske or fravær
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)  # a wish: the same day
    template: Mapped[str | None] = mapped_column(String(80), nullable=True)  # a wish for one shift type
    wants: Mapped[bool] = mapped_column(Boolean, default=False)
    absence_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)  # ferie, kurs, annet …
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OutboxRow(Base):
    """A change notice to a doctor, queued in the transaction that published the version and sent
    later by SMTP when it is configured (``queued`` → ``sent`` | ``failed``); ``no_address`` when
    the doctor has no e-mail address."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    doctor_id: Mapped[str] = mapped_column(String(80), index=True)
    recipient: Mapped[str | None] = mapped_column(String(200), nullable=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    roster_id: Mapped[int | None] = mapped_column(ForeignKey("roster_versions.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
