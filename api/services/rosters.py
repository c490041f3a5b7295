"""Roster versions: storing, checking, publishing, and the views the pages need (grid, fairness,
a doctor's shifts)."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.orm import PublishLockRow, RosterRow, ScenarioRow, utcnow
from api.services import published
from api.services.audit import record
from api.services.published import DoctorShift, doctor_shifts  # noqa: F401 - the doctors' views read these here
from api.services.scenarios import load, store, stored_before_checks
from roster.calendar import WEEKDAY_NAMES, ShiftIndex
from roster.models import Assignment, Explanation, Roster, Scenario

if TYPE_CHECKING:
    from roster.changes import Changes
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
                violations: list[dict[str, str | None]]) -> RosterRow:
    row = RosterRow(scenario_id=scenario_id, run_id=run_id, status="draft",
                    period_start=roster.period.start, period_end=roster.period.end,
                    body=roster.model_dump_json(), violations=json.dumps(violations, ensure_ascii=False))
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
    text = f"vaktplan {version_id}: {len(roster.assignments)} vakter, {open_count} ubesatte plasser"
    if violations:
        text += f", {len(violations)} brudd på harde regler (kan ikke publiseres)"
    if roster.explanation is not None:
        text += explanation_note(roster.explanation)
    return text


def no_roster_message(roster: Roster, explanation: Explanation | None = None) -> str:
    """One line on why no roster was found; with an explanation (a strict run that cannot succeed)
    its Norwegian text follows on the next lines (pages show the first line in lists)."""
    from roster.output import explanation_text

    status = roster.stats.status.value if roster.stats else "ukjent"
    hints = "; ".join(roster.warnings)
    text = f"ingen vaktplan funnet (status {status})" + (f": {hints}" if hints else "")
    if explanation is not None:
        text += "\n\n" + explanation_text(explanation)
    return text


def load_roster(row: RosterRow) -> Roster:
    try:
        return Roster.model_validate_json(row.body)
    except ValidationError as exc:
        raise stored_before_checks(f"vaktplan {row.id}", exc) from None


def violations_of(row: RosterRow) -> list[dict[str, str | None]]:
    return json.loads(row.violations)


def _overlapping_published(row: RosterRow):  # noqa: ANN202 - a select
    return select(RosterRow).where(
        RosterRow.status == "published",
        RosterRow.period_start <= row.period_end,
        RosterRow.period_end >= row.period_start,
    )


def _lock_publishing(session: Session) -> None:
    """Publishes run one at a time: updating the one lock row takes a row lock on PostgreSQL and
    the write lock on SQLite, held until the transaction ends. What is read after it is what the
    previous publish committed."""
    session.execute(update(PublishLockRow).where(PublishLockRow.id == 1)
                    .values(publishes=PublishLockRow.publishes + 1))


def _refuse(session: Session, reason: str) -> NoReturn:
    session.rollback()  # releases the publish lock
    raise PublishRefused(reason)


def publish(session: Session, row: RosterRow, actor: str) -> list[int]:
    """Publish a draft; published versions of overlapping periods become superseded. Returns their ids.

    The one way anything is published: it serialises publishes (``_lock_publishing``), refuses the
    loser of two racing publishes, and keeps the per-doctor index of published shifts
    (``api.services.published``) in the same transaction. The database's partial unique index on
    the published period start is the last line: a publish that bypassed this would fail there."""
    seen = set(session.scalars(_overlapping_published(row).with_only_columns(RosterRow.id)))
    _lock_publishing(session)
    session.refresh(row)
    if row.status != "draft":
        _refuse(session, f"vaktplan {row.id} er allerede {STATUS_NAMES.get(row.status, row.status)}")
    if violations_of(row):
        _refuse(session, f"vaktplan {row.id} bryter harde regler og kan ikke publiseres")
    older = session.scalars(_overlapping_published(row)).all()
    raced = sorted({o.id for o in older} - seen)
    if raced:
        _refuse(session, f"vaktplan {', '.join(map(str, raced))} for samme periode ble publisert samtidig; "
                         f"se over den før du eventuelt publiserer vaktplan {row.id}")
    for old in older:
        old.status, old.superseded_by = "superseded", row.id
    session.flush()  # the superseded ones first: the database allows one published per period
    row.status, row.published_at, row.published_by = "published", utcnow(), actor
    try:
        session.flush()
    except IntegrityError:
        _refuse(session, "en annen vaktplan for perioden ble publisert samtidig; last siden på nytt")
    published.unindex_versions(session, [o.id for o in older])
    published.index_version(session, row.id, scenario_of(session, row), load_roster(row))
    detail = f"vaktplan {row.id} ({row.period_start:%d.%m.%Y}–{row.period_end:%d.%m.%Y})"
    if older:
        detail += " erstatter " + ", ".join(str(o.id) for o in older)
    record(session, actor, "publiser", detail)
    return [o.id for o in older]


STATUS_NAMES = {"draft": "utkast", "published": "publisert", "superseded": "erstattet"}


REPLAN_SOURCE = "omplanlegging av vaktplan {}"  # the source of a re-plan's scenario: names the published version
_REPLAN_SOURCE = re.compile(r"omplanlegging av vaktplan (\d+)")


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
    result = replan(scenario_of(session, row), load_roster(row), changes, time_limit=time_limit, workers=workers)
    if not result.roster.assignments:
        raise PublishRefused(no_roster_message(result.roster))
    scenario_row = store(session, result.scenario, REPLAN_SOURCE.format(row.id), actor)
    new = add_version(session, scenario_row.id, None, result.roster, unexpected(result.scenario, result.roster))
    record(session, actor, "omplanlegg", f"vaktplan {new.id} fra vaktplan {row.id}: {result.changes} endringer")
    return new, result


@dataclass
class ReplanDiff:
    """How a re-planned version differs from the published one it repairs."""

    base_id: int
    changes: int
    lines: list[str]  # solver.replan.format_diff: who gets and who loses which shift


def replan_diff(session: Session, row: RosterRow) -> ReplanDiff | None:
    """The diff of a version made by ``replan_version`` against the version it repaired, or None
    for any other version. Recomputed from the two stored rosters exactly as ``solver.replan``
    does: added and removed assignments, and removed ones the doctor may no longer work (forced)
    judged on the re-planned scenario."""
    from roster.eligibility import Eligibility
    from solver.replan import ReplanResult, format_diff

    if row.run_id is not None:
        return None
    match = _REPLAN_SOURCE.fullmatch(session.get_one(ScenarioRow, row.scenario_id).source)
    base = session.get(RosterRow, int(match.group(1))) if match else None
    if base is None:
        return None
    scenario, roster, published = scenario_of(session, row), load_roster(row), load_roster(base)
    before, after = set(published.assignments), set(roster.assignments)
    shifts = ShiftIndex(scenario).by_key
    doctors = {d.id: d for d in scenario.doctors}
    eligibility = Eligibility(scenario)

    def allowed(a: Assignment) -> bool:
        s, d = shifts.get(a.shift), doctors.get(a.doctor)
        return s is not None and d is not None and eligibility.may_work(d, s)

    removed = sorted(before - after, key=lambda a: (a.date, a.template, a.doctor))
    result = ReplanResult(scenario=scenario, roster=roster,
                          added=sorted(after - before, key=lambda a: (a.date, a.template, a.doctor)),
                          removed=removed, forced=[a for a in removed if not allowed(a)])
    return ReplanDiff(base.id, result.changes, format_diff(result))


def scenario_of(session: Session, row: RosterRow) -> Scenario:
    return load(session.get_one(ScenarioRow, row.scenario_id))


def workbook_bytes(scenario: Scenario, roster: Roster) -> bytes:
    from roster.excel import write_roster_workbook

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vaktplan.xlsx"
        write_roster_workbook(scenario, roster, path)
        return path.read_bytes()


# ---------------------------------------------------------------------------- views


@dataclass
class GridRow:
    date: dt.date
    day_label: str
    holiday: str | None
    weekend: bool
    cells: list[list[str] | None]  # per template: names (None: the template does not run that day)
    open: list[int]  # per template: missing doctors


@dataclass
class StationGrid:
    station_id: str
    name: str
    address: str
    templates: list[tuple[str, str]]  # (id, "label hh:mm–hh:mm")
    rows: list[GridRow]


def grids(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> list[StationGrid]:
    """Per station: a row per day, a column per shift template, the doctors' names in the cells
    (the layout of the Excel export's station sheets)."""
    index = index or ShiftIndex(scenario)
    names = {d.id: d.name for d in scenario.doctors}
    staffed: dict[str, list[str]] = {}
    for a in roster.assignments:
        staffed.setdefault(a.shift, []).append(names.get(a.doctor, a.doctor))
    missing = {f"{o.template}/{o.date.isoformat()}": o.missing for o in roster.open_slots}
    out = []
    for st in scenario.stations:
        tpls = [t for t in scenario.templates if t.station == st.id]
        if not tpls:
            continue
        rows = []
        for day in scenario.period.days():
            cells: list[list[str] | None] = []
            opens = []
            for t in tpls:
                key = f"{t.id}/{day.isoformat()}"
                cells.append(sorted(staffed.get(key, [])) if key in index.by_key else None)
                opens.append(missing.get(key, 0))
            rows.append(GridRow(day, f"{WEEKDAY_NAMES[day.weekday()][:3]} {day:%d.%m}",
                                index.calendar.day_name(day), day.weekday() >= 5 or index.calendar.is_holiday(day),
                                cells, opens))
        out.append(StationGrid(st.id, st.name, st.address,
                               [(t.id, f"{t.label} {t.start:%H:%M}–{t.end:%H:%M}") for t in tpls], rows))
    return out


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
