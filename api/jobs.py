"""Solve and re-plan jobs: a bounded thread pool (CP-SAT releases the GIL), progress rows, cancellation.

A run's life: queued → running → finished | cancelled | failed; a server restart turns queued and
running runs into ``interrupted``. The roster of a run is stored in ONE transaction together with
the run's final status, so a crash never leaves a half-written roster. A re-plan (``kind``
``omplanlegging``) repairs a published version (``solver.replan``) the same way: progress rows, a
stop that keeps the best roster so far, and the changed scenario and the draft stored with the end.

When the roster has open slots, or a run finds that no roster exists, the run goes on to
explain why (``solver.explain``, at most ``explain_time_limit`` seconds) while still ``running``,
with its current step as the run's message ("Forklarer … "). The explanation is stored inside the
roster (``Roster.explanation``); without a roster it follows the run's message.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from api.orm import ProgressRow, RosterRow, RunRow, ScenarioRow, utcnow
from api.services import rosters as roster_service
from api.services.audit import record
from api.services.carry import as_worked
from api.services.scenarios import load
from api.templating import FORM_TOKEN
from roster.changes import Changes
from roster.models import Explanation, ProgressEvent, Roster, Scenario, SolveStatus
from roster.output import needs_explanation
from roster.scenario_io import InputError
from roster.terms import number

log = logging.getLogger(__name__)

ACTIVE = ("queued", "running")
TERMINAL = ("finished", "cancelled", "failed", "interrupted")


class _Stopped(Exception):
    """Raised from the explanation's step callback when the run is cancelled."""


class QueueFull(Exception):
    """Norwegian reason a solve is not queued: enough are waiting already."""


class NotRestartable(Exception):
    """Norwegian reason a run is not started again."""


def form_submission(form: str, token: str) -> str | None:
    """A page form's submission: the form and the one-time token its page was shown with. None (a
    run like any other) for a form without a token, e.g. one from a page opened before an upgrade."""
    return f"{form}:{token}" if FORM_TOKEN.fullmatch(token) else None


def api_submission(manager: str, target: str, key: str | None) -> str | None:
    """An API request's submission: its Idempotency-Key, the manager's own (another manager's
    same key is another request), with what the request asks (``target``: the scenario or roster
    and the settings or changes), so a key sent again with other settings starts what they ask
    rather than handing back a run of the first. Hashed, so it fits the column and a key is not
    stored as sent."""
    if key is None:
        return None
    return "api:" + hashlib.sha256(f"{manager}\0{target}\0{key}".encode()).hexdigest()


def restart_of(run_id: str) -> str:
    """The submission of an interrupted run's restart: one restart per run, whoever presses."""
    return f"start-igjen:{run_id}"


class JobManager:
    """Owns the worker pool and the stop events of live runs; one per app (no module state)."""

    RETRY_SECONDS = 10.0

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]):
        self.settings = settings
        self.sessions = sessions
        self.pool = ThreadPoolExecutor(max_workers=settings.max_concurrent_solves, thread_name_prefix="solve")
        self._stops: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()

    def mark_interrupted(self) -> int:
        """At start-up: runs that were queued or running when the server stopped can never finish."""
        with self.sessions.begin() as s:
            result = s.execute(
                update(RunRow)
                .where(RunRow.status.in_(ACTIVE))
                .values(status="interrupted", finished_at=utcnow(), message="avbrutt: tjeneren ble startet på nytt")
            )
            return result.rowcount or 0

    def submit(self, scenario_id: int, time_limit: float, seed: int, strict: bool, actor: str,
               submission: str | None = None) -> str:
        run = RunRow(id=uuid.uuid4().hex, scenario_id=scenario_id, status="queued", time_limit=time_limit,
                     seed=seed, strict=strict, created_by=actor, submission=submission)
        return self._enqueue(run, "start-beregning", f"for scenario {scenario_id}, {number(time_limit)} s")

    def submit_replan(self, base: RosterRow, changes: Changes, time_limit: float, actor: str,
                      submission: str | None = None) -> str:
        """Re-plan the published version ``base`` for ``changes`` (already checked against its scenario)."""
        run = RunRow(id=uuid.uuid4().hex, scenario_id=base.scenario_id, status="queued", time_limit=time_limit,
                     seed=0, strict=False, created_by=actor, kind="omplanlegging", base_roster_id=base.id,
                     changes=changes.model_dump_json(by_alias=True), submission=submission)
        return self._enqueue(run, "start-omplanlegging", f"av vaktplan {base.id}, {number(time_limit)} s")

    def restart(self, run_id: str, actor: str) -> str:
        """A run a restart of the service interrupted, queued again as a new run with its own
        settings, so a manager need not retype a re-plan's form after a night's reboot: a solve of
        its scenario, or a re-plan with its change file while its base is still the published
        version; at most once (a second press, or one in another tab, finds the first restart).
        NotRestartable otherwise; QueueFull like any new run."""
        submission = restart_of(run_id)
        with self.sessions() as s:
            run = s.get(RunRow, run_id)
            if run is None or run.status != "interrupted":
                raise NotRestartable("bare en beregning som ble avbrutt av en omstart, kan startes på nytt")
            if run.kind != "omplanlegging":
                return self.submit(run.scenario_id, run.time_limit, run.seed, run.strict, actor, submission)
            base = s.get_one(RosterRow, run.base_roster_id)
            if base.status != "published":
                raise NotRestartable(f"vaktplan {base.id} er ikke lenger den publiserte; planlegg om fra "
                                     "vaktplanen som er publisert nå")
            return self.submit_replan(base, Changes.model_validate_json(run.changes or "{}"), run.time_limit, actor,
                                      submission)

    def _enqueue(self, run: RunRow, action: str, detail: str) -> str:
        """QueueFull when every worker is busy and ``max_queued_runs`` are waiting already (each
        would hold its memory later, and a hundred queued runs only delay the one that matters).
        A run a free worker takes at once never waits: with the queue set to 0 every solve was
        refused, on an idle service too. A run whose submission is stored already is that run: the
        same button pressed again (found before the queue is counted, so a double click on a full
        queue still leads to the run it started)."""
        with self._lock, self.sessions.begin() as s:
            if run.submission is not None:
                started = s.scalar(select(RunRow.id).where(RunRow.submission == run.submission))
                if started is not None:
                    return started
            active = dict(s.execute(select(RunRow.status, func.count()).where(RunRow.status.in_(ACTIVE))
                                    .group_by(RunRow.status)).all())
            waiting, limit = active.get("queued", 0), self.settings.max_queued_runs
            if waiting >= limit and sum(active.values()) >= self.settings.max_concurrent_solves:
                full = (f"{waiting} beregninger venter allerede i køen (høyst {limit})" if limit
                        else "alle beregningsplassene er i bruk, og ingen beregning kan vente i kø")
                raise QueueFull(f"{full}; vent til noen er ferdige, eller avbryt en")
            s.add(run)
            record(s, run.created_by, action, f"kjøring {run.id} {detail}")
            self._stops[run.id] = threading.Event()
        self.pool.submit(self._run, run.id)
        return run.id

    def cancel(self, run_id: str, actor: str) -> bool:
        """Stop a run; a running solve returns its best roster so far, a queued one never starts."""
        with self._lock:
            stop = self._stops.get(run_id)
        with self.sessions.begin() as s:
            run = s.get(RunRow, run_id, with_for_update=True)
            if run is None or run.status not in ACTIVE:
                return False
            if run.status == "queued":  # only if no worker has taken it since (SQLite has no row lock)
                s.execute(update(RunRow).where(RunRow.id == run_id, RunRow.status == "queued")
                          .values(status="cancelled", finished_at=utcnow(), message="avbrutt før start"))
            record(s, actor, "avbryt-beregning", f"kjøring {run_id}")
        if stop is not None:
            stop.set()
        return True

    def shutdown(self) -> None:
        self._closing.set()
        with self._lock:
            for stop in self._stops.values():
                stop.set()
        self.pool.shutdown(wait=True, cancel_futures=True)

    # ------------------------------------------------------------------ worker side

    def _run(self, run_id: str) -> None:
        try:
            self._execute(run_id)
        except InputError as exc:  # a scenario stored before today's checks, changes that do not apply
            self._fail(run_id, "; ".join(exc.problems)[:2000])
        except SQLAlchemyError:  # a full disk, a lost database: not a bug in the solve
            log.exception("solve %s failed: the database refused a write", run_id)
            self._fail(run_id, "beregningen feilet: databasen tok ikke imot resultatet (full disk eller tapt "
                               "forbindelse?); se tjenestens logg")
        except Exception:  # a crashed solve must end as "failed", never stay "running"
            log.exception("solve %s failed", run_id)  # the traceback is for the operator, not the page
            self._fail(run_id, "beregningen feilet på grunn av en programfeil; se tjenestens logg")
        finally:
            with self._lock:
                self._stops.pop(run_id, None)

    def _fail(self, run_id: str, message: str) -> None:
        """Mark the run failed, again every ``RETRY_SECONDS`` while the database refuses (a full
        disk) until it takes it or the service stops: a run left «running» showed a solve that no
        longer ran, with a stop button that stopped nothing, until the next restart."""
        retrying = False
        while True:
            try:
                with self.sessions.begin() as s:
                    run = s.get(RunRow, run_id)
                    if run is not None:
                        run.status, run.finished_at, run.message = "failed", utcnow(), message
                return
            except SQLAlchemyError:
                if not retrying:  # once: the log may be on the full disk too
                    log.exception("solve %s not marked failed; trying again every %s s", run_id, self.RETRY_SECONDS)
                retrying = True
            if self._closing.wait(self.RETRY_SECONDS):
                return

    def _execute(self, run_id: str) -> None:
        with self._lock:
            stop = self._stops.get(run_id) or threading.Event()
        with self.sessions.begin() as s:
            # taken only while still queued, in one statement: a cancel read between a read and a write
            # of the worker was overwritten, and a run said «avbrutt før start» ran after all
            taken = s.execute(update(RunRow).where(RunRow.id == run_id, RunRow.status == "queued")
                              .values(status="running", started_at=utcnow())).rowcount
            if taken != 1:
                return
            run = s.get_one(RunRow, run_id)
            scenario = load(s.get_one(ScenarioRow, run.scenario_id))
            if run.kind == "omplanlegging":  # a published month: the one before as worked now, not as carried
                scenario = as_worked(s, scenario)
            s.expunge(run)  # read after the transaction: plain values from here on
        if run.kind == "omplanlegging":
            self._replan(run, scenario, stop)
        else:
            self._solve(run, scenario, stop)

    def _progress_writer(self, run_id: str):  # noqa: ANN202 - a ProgressEvent callback
        listed = 0  # solutions with a history row: the page lists better rosters, not each better bound

        def on_progress(event: ProgressEvent) -> None:
            """Best effort: a failed progress write must not end the solve (the final roster matters)."""
            nonlocal listed
            objective = event.objective if event.level_objective is None else event.level_objective
            figures = dict(elapsed=event.elapsed, objective=objective, bound=_finite(event.bound), gap=_finite(event.gap),
                           level=event.level, open_slots=event.open_slots, solutions=event.solutions)
            try:
                with self.sessions.begin() as ps:
                    if event.solutions != listed:
                        ps.add(ProgressRow(run_id=run_id, **figures))
                    ps.execute(update(RunRow).where(RunRow.id == run_id).values(**figures))
                listed = event.solutions
            except SQLAlchemyError:
                log.exception("progress of solve %s not stored", run_id)

        return on_progress

    def _replan(self, job: RunRow, scenario: Scenario, stop: threading.Event) -> None:
        from solver.replan import replan

        with self.sessions() as s:
            published = roster_service.load_roster(s.get_one(RosterRow, job.base_roster_id))
        result = replan(scenario, published, Changes.model_validate_json(job.changes or "{}"),
                        time_limit=job.time_limit, workers=self.settings.solver_workers, seed=job.seed,
                        on_progress=self._progress_writer(job.id), stop=stop)
        with self.sessions.begin() as s:  # the scenario, the draft and the run's end: one transaction
            run = s.get_one(RunRow, job.id)
            _finish(run, result.roster, stop)
            if result.roster.assignments:
                base = s.get_one(RosterRow, job.base_roster_id)
                new = roster_service.store_replan(s, base, result, job.created_by, job.id)
                n = result.changes
                run.message = (roster_service.summary(result.roster, roster_service.violations_of(new), new.id)
                               + f", {n} endring{'er' if n != 1 else ''} mot vaktplan {base.id}")
            else:
                run.message = roster_service.no_roster_message(result.roster)

    def _solve(self, job: RunRow, scenario: Scenario, stop: threading.Event) -> None:
        from solver import solve  # the engine; imported late so the service starts without OR-Tools warm-up

        run_id, time_limit, seed, strict = job.id, job.time_limit, job.seed, job.strict
        roster = solve(scenario, time_limit=time_limit, workers=self.settings.solver_workers, seed=seed,
                       strict=strict, on_progress=self._progress_writer(run_id), stop=stop)
        found = roster.stats is not None and roster.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
        infeasible = roster.stats is not None and roster.stats.status == SolveStatus.INFEASIBLE
        explanation, note = None, ""
        if (found and needs_explanation(roster)) or infeasible:  # no roster, strict or not: say why
            explanation, note = self._explain(run_id, scenario, seed, stop)
        if found and explanation is not None:
            roster = roster.model_copy(update={"explanation": explanation})
        violations = roster_service.unexpected(scenario, roster) if found else []
        with self.sessions.begin() as s:  # the roster and the run's end: one transaction
            run = s.get_one(RunRow, run_id)
            _finish(run, roster, stop)
            if found:  # even an all-open roster is one: the manager sees what could not be filled
                version = roster_service.add_version(s, run.scenario_id, run_id, roster, violations)
                run.message = roster_service.summary(roster, violations, version.id) + note
            else:
                run.message = roster_service.no_roster_message(roster, explanation) + note

    def _explain(self, run_id: str, scenario: Scenario, seed: int,
                 stop: threading.Event) -> tuple[Explanation | None, str]:
        """Why no complete roster exists (solver.explain), within ``explain_time_limit``; each step
        becomes the run's message. A cancel stops it at the next step, and a failure only costs
        the explanation (the roster matters more). Returns the explanation, or None and a note."""
        limit = self.settings.explain_time_limit
        if limit <= 0 or stop.is_set():
            return None, ""
        from solver.explain import explain

        started = time.monotonic()

        def on_step(step: str) -> None:
            if stop.is_set():
                raise _Stopped
            text = f"Forklarer … {step} ({time.monotonic() - started:.0f} s av høyst {number(limit)} s)"
            try:
                with self.sessions.begin() as ps:
                    ps.execute(update(RunRow).where(RunRow.id == run_id).values(message=text))
            except SQLAlchemyError:
                log.exception("explanation step of solve %s not stored", run_id)

        try:
            return explain(scenario, time_limit=limit, seed=seed, on_step=on_step).to_model(), ""
        except _Stopped:
            return None, "; forklaringen ble stoppet"
        except Exception:  # noqa: BLE001 - the roster is stored even when the explanation fails
            log.exception("explanation of solve %s failed", run_id)
            return None, "; forklaringen feilet"


def _finish(run: RunRow, roster: Roster, stop: threading.Event) -> None:
    """The run's final figures and status from its roster."""
    stats = roster.stats
    run.solver_status = stats.status.value if stats else None
    if stats:
        judged = stats.judged_level
        run.elapsed, run.level = stats.wall_time, stats.gap_level or 0
        run.objective = _finite(stats.objective if judged is None else judged.objective)
        run.bound, run.gap = _finite(stats.bound), _finite(stats.gap)
    run.open_slots = sum(o.missing for o in roster.open_slots)
    run.finished_at = utcnow()
    run.status = "cancelled" if stop.is_set() else "finished"


def _finite(x: float | None) -> float | None:
    """The solver reports ±inf before it has a bound; databases and JSON want a plain null."""
    return x if x is not None and math.isfinite(x) else None
