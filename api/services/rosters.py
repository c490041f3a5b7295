"""Roster versions: storing, checking, publishing, and the views the pages need (grid, fairness,
a doctor's shifts)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.orm import PublishLockRow, RosterRow, ScenarioRow, utcnow
from api.services import published
from api.services.audit import record
from api.services.carry import as_worked, breaks_following, breaks_preceding
from api.services.notices import queue_changes
from api.services.published import DoctorShift, versions_of
from api.services.scenarios import load, store
from api.services.stored import load_roster, scenario_of
from roster.calendar import WEEKDAY_NAMES, ShiftIndex
from roster.models import Absence, Assignment, Doctor, DutyKind, Explanation, History, Roster, Scenario, Wish
from roster.terms import count, count_shifts, open_places

if TYPE_CHECKING:
    from roster.changes import Changes
    from roster.metrics import TowardsAlone
    from solver.replan import ReplanResult


class PublishRefused(Exception):
    """Norwegian reason a roster version cannot be published."""


def unexpected(scenario: Scenario, roster: Roster) -> list[dict[str, str | None]]:
    """The independent checker's violations that make a roster illegal to publish."""
    from roster.check import unexpected_violations

    return [
        {"rule": v.rule, "message": v.message, "doctor": v.doctor, "shift": v.shift}
        for v in unexpected_violations(scenario, roster)
    ]


def add_version(session: Session, scenario_id: int, run_id: str | None, roster: Roster,
                violations: list[dict[str, str | None]], parent_id: int | None = None,
                origin: str = "beregning") -> RosterRow:
    row = RosterRow(scenario_id=scenario_id, run_id=run_id, status="draft",
                    period_start=roster.period.start, period_end=roster.period.end,
                    body=roster.model_dump_json(), violations=json.dumps(violations, ensure_ascii=False),
                    parent_id=parent_id, origin=origin)
    session.add(row)
    session.flush()
    return row


def explanation_note(ex: Explanation) -> str:
    """The explanation in a few words, for the run's message."""
    if ex.status == "mulig":
        return ", alle plasser kan fylles (beregn på nytt med lengre tidsgrense)"
    if ex.status == "ukjent":
        return ", ingen forklaring innen tidsgrensen"
    n = len(ex.clashes)
    return f", {n} konflikt{'er' if n != 1 else ''} mellom krav forklart på vaktplansiden"


def summary(roster: Roster, violations: list, version_id: int) -> str:
    open_count = sum(o.missing for o in roster.open_slots)
    text = f"vaktplan {version_id}: {count_shifts(len(roster.assignments))}, {open_places(open_count)}"
    if violations:
        text += f", {len(violations)} brudd på harde regler (kan ikke publiseres)"
    if roster.explanation is not None:
        text += explanation_note(roster.explanation)
    return text


def no_roster_message(roster: Roster, explanation: Explanation | None = None) -> str:
    """One line on why no roster was found; with an explanation (a strict run that cannot succeed)
    its Norwegian text follows on the next lines (pages show the first line in lists)."""
    from roster.explanation import explanation_text
    from roster.models import SolveStatus
    from roster.output import STATUS_TEXT

    status = STATUS_TEXT[roster.stats.status if roster.stats else SolveStatus.UNKNOWN]
    hints = "; ".join(roster.warnings)
    text = f"ingen vaktplan funnet ({status})" + (f": {hints}" if hints else "")
    if explanation is not None:
        text += "\n\n" + explanation_text(explanation)
    return text


def violations_of(row: RosterRow) -> list[dict[str, str | None]]:
    return json.loads(row.violations)


def _overlapping_published(row: RosterRow):  # noqa: ANN202 - a select
    return select(RosterRow).where(
        RosterRow.status == "published",
        RosterRow.period_start <= row.period_end,
        RosterRow.period_end >= row.period_start,
    )


def lock_publishing(session: Session) -> None:
    """Publishes run one at a time: updating the one lock row takes a row lock on PostgreSQL and
    the write lock on SQLite, held until the transaction ends. What is read after it is what the
    previous publish committed, so whatever builds on the published roster (a doctor's acceptance
    and a swap's approval) takes it before reading, and an edit of a hand-edited draft takes it so
    the draft is not published halfway through the edit."""
    session.execute(update(PublishLockRow).where(PublishLockRow.id == 1)
                    .values(publishes=PublishLockRow.publishes + 1))


def _refuse(session: Session, reason: str) -> NoReturn:
    session.rollback()  # releases the publish lock
    raise PublishRefused(reason)


def stale_base(session: Session, row: RosterRow) -> RosterRow | None:
    """The published version ``row`` was made from, when another has replaced it since: publishing
    ``row`` would undo what was published after its base. None for a draft made from nothing, from
    the version published now, or from a draft (which was never published)."""
    base = session.get(RosterRow, row.parent_id) if row.parent_id is not None else None
    return base if base is not None and base.status == "superseded" else None


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids))


def publish(session: Session, row: RosterRow, actor: str, shown: set[int] | None = None) -> list[int]:
    """Publish a draft; published versions of overlapping periods become superseded, and each doctor
    whose shifts this changes gets a notice queued in the outbox. Returns the superseded ids.

    Every way to a published version (the publish button, an approved swap) goes through here: it
    serialises publishes (``lock_publishing``), refuses the loser of two racing publishes, and
    keeps the per-doctor index of published shifts (``api.services.published``) in the same
    transaction. ``shown`` holds the published versions the confirmation page said this replaces
    (it also warned when the draft's base is outdated): anything else published now refuses.
    Without it, a draft whose base was superseded since is refused, so nothing publishes over a
    version it did not build on. The database's partial unique index on the published period start
    is the last line: a publish that bypassed this would fail there."""
    seen = set(session.scalars(_overlapping_published(row).with_only_columns(RosterRow.id)))
    lock_publishing(session)
    session.refresh(row)
    if row.status != "draft":
        _refuse(session, f"vaktplan {row.id} er allerede {STATUS_NAMES.get(row.status, row.status)}")
    if violations_of(row):
        _refuse(session, f"vaktplan {row.id} bryter harde regler og kan ikke publiseres")
    older = session.scalars(_overlapping_published(row)).all()
    now = {o.id for o in older}
    raced = sorted(now - (seen if shown is None else shown))
    if raced:
        _refuse(session, f"vaktplan {_ids(raced)} for samme periode ble publisert samtidig; "
                         f"se over den før du eventuelt publiserer vaktplan {row.id}")
    if shown is not None and now != shown:
        _refuse(session, f"vaktplan {_ids(sorted(shown - now))} er ikke lenger publisert; "
                         f"se over vaktplan {row.id} på nytt før du publiserer den")
    base = stale_base(session, row) if shown is None else None
    if base is not None:
        _refuse(session, f"vaktplan {row.id} er laget fra vaktplan {base.id}, som er erstattet av vaktplan "
                         f"{base.superseded_by} siden; publisering ville angre det som er publisert etter den. "
                         f"Lag et nytt utkast fra den publiserte vaktplanen, eller publiser fra bekreftelsessiden")
    scenario, roster = scenario_of(session, row), load_roster(row)
    before, breaches = breaks_preceding(session, scenario, roster)
    if breaches:
        _refuse(session, f"vaktplan {row.id} bryter harde regler mot vaktplan {before.id} "
                         f"({before.period_start:%d.%m.%Y}–{before.period_end:%d.%m.%Y}), som er publisert for "
                         f"perioden før: " + " ".join(v.message for v in breaches) + " Før vaktplan "
                         f"{before.id} inn i scenarioet på nytt og beregn vaktplanen på nytt.")
    last = next((o for o in older if o.period_start <= row.period_end <= o.period_end), None)
    after, breaches = breaks_following(session, scenario, roster, load_roster(last) if last is not None else None)
    if breaches:
        _refuse(session, f"vaktplan {row.id} bryter harde regler i vaktplan {after.id} "
                         f"({after.period_start:%d.%m.%Y}–{after.period_end:%d.%m.%Y}), som er publisert for "
                         f"perioden etter: " + " ".join(v.message for v in breaches))
    for old in older:
        old.status, old.superseded_by = "superseded", row.id
    session.flush()  # the superseded ones first: the database allows one published per period
    row.status, row.published_at, row.published_by = "published", utcnow(), actor
    try:
        session.flush()
    except IntegrityError:
        _refuse(session, "en annen vaktplan for perioden ble publisert samtidig; last siden på nytt")
    published.unindex_versions(session, [o.id for o in older])
    published.index_version(session, row.id, scenario, roster)
    detail = f"vaktplan {row.id} ({row.period_start:%d.%m.%Y}–{row.period_end:%d.%m.%Y})"
    if older:
        detail += " erstatter " + ", ".join(str(o.id) for o in older)
    record(session, actor, "publiser", detail)
    queue_changes(session, row, older)
    return [o.id for o in older]


@dataclass
class PublishPreview:
    """What the confirmation page says before publishing a draft."""

    replaced: list[RosterRow]  # the published versions it supersedes
    uncovered: list[tuple[dt.date, dt.date]]  # their days outside the draft's period: no published roster after
    stale_base: RosterRow | None  # the superseded version it was made from


def publish_preview(session: Session, row: RosterRow) -> PublishPreview:
    """A published version is superseded whole, so the days of it outside the draft's period are
    left without a published roster; the manager should see which before saying yes."""
    replaced = list(session.scalars(_overlapping_published(row).order_by(RosterRow.period_start)))
    one_day = dt.timedelta(days=1)
    uncovered = [span for old in replaced for span in ((old.period_start, row.period_start - one_day),
                                                        (row.period_end + one_day, old.period_end))
                 if span[0] <= span[1]]
    return PublishPreview(replaced, sorted(uncovered), stale_base(session, row))


STATUS_NAMES = {"draft": "utkast", "published": "publisert", "superseded": "erstattet"}
ORIGIN_NAMES = {"beregning": "beregnet", "omplanlegging": "planlagt om", "endring": "endret for hånd",
                "opplasting": "lastet opp fra arbeidsbok", "bytte": "bytte mellom leger"}


REPLAN_SOURCE = "omplanlegging av vaktplan {}"  # the source of a re-plan's scenario: names the published version


def replan_version(session: Session, row: RosterRow, changes: Changes, actor: str, time_limit: float,
                   workers: int | None) -> tuple[RosterRow, ReplanResult]:
    """Repair a published version for a change file (solver.replan): the scenario with the changes
    and the repaired roster are stored as a new scenario and a new draft version, not published.
    Raises InputError for a change file the scenario cannot resolve, PublishRefused when the
    version is not the published one or no roster is found."""
    from solver.replan import replan

    if row.status != "published":
        raise PublishRefused(f"vaktplan {row.id} er {STATUS_NAMES.get(row.status, row.status)}; "
                             "bare den publiserte vaktplanen kan planlegges om")
    result = replan(as_worked(session, scenario_of(session, row)), load_roster(row), changes, time_limit=time_limit,
                    workers=workers)
    if not result.roster.assignments:
        raise PublishRefused(no_roster_message(result.roster))
    return store_replan(session, row, result, actor, None), result


def store_replan(session: Session, base: RosterRow, result: ReplanResult, actor: str, run_id: str | None) -> RosterRow:
    """The changed scenario and the repaired roster as a new scenario and a draft made from ``base``.
    The re-plan sees only its own month: what it breaks in the next month's published roster (the
    last night given to a doctor on the 1st at 08:00) is among the draft's violations, so its page
    says so at once instead of offering a publish that is refused."""
    scenario_row = store(session, result.scenario, REPLAN_SOURCE.format(base.id), actor)
    violations = unexpected(result.scenario, result.roster)
    after, breaches = breaks_following(session, result.scenario, result.roster, load_roster(base))
    violations += [{"rule": v.rule, "message": f"I vaktplan {after.id}, publisert for perioden etter: {v.message}",
                    "doctor": v.doctor, "shift": v.shift} for v in breaches]
    new = add_version(session, scenario_row.id, run_id, result.roster, violations,
                      parent_id=base.id, origin="omplanlegging")
    record(session, actor, "omplanlegg", f"vaktplan {new.id} fra vaktplan {base.id}: {count(result.changes, 'endring', 'endringer')}")
    return new


@dataclass
class VersionDiff:
    """How a version differs from the version it was made from (its parent)."""

    base_id: int
    changes: int
    lines: list[str]  # who gets and who loses which shift, in time order (solver.replan.format_diff)
    summary: str


def assignment_diff(scenario: Scenario, before: Roster, after: Roster, index: ShiftIndex | None = None
                    ) -> ReplanResult:
    """Assignments added and removed between two rosters of one period, in the re-plan's terms;
    a removed one is *forced* when the doctor may no longer work the shift in ``scenario``."""
    from roster.eligibility import Eligibility
    from solver.replan import ReplanResult

    old, new = set(before.assignments), set(after.assignments)
    shifts = (index or ShiftIndex(scenario)).by_key
    doctors = {d.id: d for d in scenario.doctors}
    eligibility = Eligibility(scenario)

    def allowed(a: Assignment) -> bool:
        s, d = shifts.get(a.shift), doctors.get(a.doctor)
        return s is not None and d is not None and eligibility.may_work(d, s)

    def order(a: Assignment) -> tuple:
        return a.date, a.template, a.doctor

    removed = sorted(old - new, key=order)
    return ReplanResult(scenario=scenario, roster=after, added=sorted(new - old, key=order), removed=removed,
                        forced=[a for a in removed if not allowed(a)])


def version_diff(session: Session, row: RosterRow, scenario: Scenario, roster: Roster,
                 index: ShiftIndex) -> VersionDiff | None:
    """The diff of a version (``roster``, of ``scenario``, its scenario) against its parent (None
    without one), recomputed from the two stored rosters: a re-plan's as ``solver.replan`` words it
    (forced losses say why), other edits plainly. The roster page has the version read already."""
    from solver.replan import format_diff

    base = session.get(RosterRow, row.parent_id) if row.parent_id is not None else None
    if base is None:
        return None
    result = assignment_diff(scenario, load_roster(base), roster, index)
    lines = format_diff(result)
    n = result.changes
    summary = lines[-1] if row.origin == "omplanlegging" else f"{n} endring{'er' if n != 1 else ''}."
    return VersionDiff(base.id, n, lines[:-1], summary)


def workbook_bytes(scenario: Scenario, roster: Roster, row: RosterRow | None = None) -> bytes:
    """The roster workbook; a stored version prints its number and status in every page header."""
    from roster.excel import write_roster_workbook
    from roster.excel.writer import Edition

    edition = Edition(row.id, STATUS_NAMES.get(row.status, row.status)) if row is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vaktplan.xlsx"
        write_roster_workbook(scenario, roster, path, edition)
        return path.read_bytes()


# ---------------------------------------------------------------------------- views


@dataclass
class GridRow:
    date: dt.date
    day_label: str
    holiday: str | None
    weekend: bool
    cells: list[list[str] | None]  # per column: names (None: no shift of the column runs that day)
    open: list[int]  # per column: unfilled places


@dataclass
class StationGrid:
    station_id: str
    name: str
    address: str
    templates: list[tuple[str, str]]  # per column: (first template id, "label hh:mm–hh:mm")
    rows: list[GridRow]


@dataclass(frozen=True)
class GridFilter:
    """What the roster grid shows: one station, the days of one doctor, one ISO week ("2026-W49");
    empty fields show everything."""

    station: str = ""
    doctor: str = ""
    week: str = ""

    def shows_day(self, day: dt.date) -> bool:
        return not self.week or week_of(day) == self.week


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def weeks(scenario: Scenario) -> list[tuple[str, str]]:
    """The ISO weeks of the period: (value, "uke 49 (30.11–06.12)")."""
    out: dict[str, list[dt.date]] = {}
    for day in scenario.period.days():
        out.setdefault(week_of(day), []).append(day)
    return [(w, f"uke {int(w[-2:])} ({days[0]:%d.%m}–{days[-1]:%d.%m})") for w, days in out.items()]


def grids(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None,
          only: GridFilter = GridFilter()) -> list[StationGrid]:
    """Per station: a row per day, a column per shift (templates with the same label and hours that
    never run the same day share a column, as in the workbook), the doctors' names in the cells."""
    from roster.excel.writer import plan_columns

    index = index or ShiftIndex(scenario)
    names = {d.id: d.name for d in scenario.doctors}
    staffed: dict[str, list[str]] = {}
    for a in roster.assignments:
        staffed.setdefault(a.shift, []).append(names.get(a.doctor, a.doctor))
    mine = {a.shift for a in roster.assignments if a.doctor == only.doctor}
    missing = {f"{o.template}/{o.date.isoformat()}": o.missing for o in roster.open_slots}
    out = []
    for st in scenario.stations:
        columns = plan_columns(scenario, st, index)
        if not columns or (only.station and st.id != only.station):
            continue
        rows = []
        for day in scenario.period.days():
            keys = [next((k for t in ts if (k := f"{t.id}/{day.isoformat()}") in index.by_key), None)
                    for _, ts in columns]
            if not only.shows_day(day) or (only.doctor and not mine.intersection(keys)):
                continue
            rows.append(GridRow(day, f"{WEEKDAY_NAMES[day.weekday()][:3]} {day:%d.%m}",
                                index.calendar.day_name(day), day.weekday() >= 5 or index.calendar.is_holiday(day),
                                [sorted(staffed.get(k, [])) if k else None for k in keys],
                                [missing.get(k, 0) if k else 0 for k in keys]))
        if rows:
            out.append(StationGrid(st.id, st.name, st.address, [(ts[0].id, head) for head, ts in columns], rows))
    return out


def latest_scenario_for(session: Session, doctor_id: str) -> Scenario | None:
    """The scenario of the newest published roster the doctor belongs to (their shift types, their
    colleagues), else of the newest scenario they are in. The published one is found in the
    per-doctor index, so only that scenario is read."""
    newest = _newest_published_for(session, doctor_id)
    if newest is not None:
        return scenario_of(session, newest)
    for row in session.scalars(select(ScenarioRow).order_by(ScenarioRow.id.desc()).limit(20)):
        scenario = load(row)
        if any(d.id == doctor_id for d in scenario.doctors):
            return scenario
    return None


@dataclass(frozen=True)
class OwnRecord:
    """What the newest scenario holding the doctor registers about them (GDPR art. 15: a doctor
    may see it from their own link): their row, and the absences, wishes and history that are theirs."""

    scenario: str
    doctor: Doctor
    absences: list[Absence]
    wishes: list[Wish]
    history: History | None


def own_record(scenario: Scenario | None, doctor_id: str) -> OwnRecord | None:
    if scenario is None or (me := next((d for d in scenario.doctors if d.id == doctor_id), None)) is None:
        return None
    return OwnRecord(scenario.name, me, [a for a in scenario.absences if a.doctor == doctor_id],
                     [w for w in scenario.wishes if w.doctor == doctor_id],
                     next((h for h in scenario.history if h.doctor == doctor_id), None))


def _newest_published_for(session: Session, doctor_id: str) -> RosterRow | None:
    """The newest published roster the doctor belongs to (by period), from the per-doctor index."""
    versions = versions_of(session, doctor_id)
    return versions[-1] if versions else None


def towards_alone(session: Session, doctor_id: str, scenario: Scenario | None,
                  shifts: list[DoctorShift]) -> TowardsAlone | None:
    """An ALIS's legevakt shifts towards 40 after the newest published roster they are in: their
    count before it (``scenario``, that roster's, with history moved forward) and its on-site
    shifts (from the index, so no roster is read); None for everyone else."""
    from roster.metrics import alis_towards_alone

    newest = _newest_published_for(session, doctor_id)
    if newest is None or scenario is None:
        return None
    on_site = sum(1 for s in shifts if s.roster_id == newest.id and s.shift.duty == DutyKind.ON_SITE)
    return alis_towards_alone(scenario, doctor_id, on_site)


def sorted_doctors(scenario: Scenario) -> list:
    """Doctors in Norwegian alphabetical order (æ, ø, å after z), for pickers."""
    order = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})
    return sorted(scenario.doctors, key=lambda d: (d.name.casefold().translate(order), d.id))


def fairness(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> list[dict]:
    """Per-doctor fairness figures as plain dicts (``roster.metrics.doctor_metrics``), heaviest first."""
    from roster.metrics import doctor_metrics

    rows = [asdict(m) for m in doctor_metrics(scenario, roster, index)]
    rows.sort(key=lambda m: -(m["relative_deviation"] if m["relative_deviation"] is not None else -9))
    return rows


def report_html(scenario: Scenario, roster: Roster, label: str) -> str:
    """The evaluators' report (``roster.report``) for one roster version."""
    from roster.report.build import check_view
    from roster.report.html import render_html

    return render_html([check_view(label, scenario, roster)], title=f"Rapport: {label}")
