"""Hand edits and edited workbooks as roster versions.

An edit to a published version (or to a solver's draft) makes a new draft made from it; further
edits to that hand-edited draft change it in place, so its diff against its parent collects them
all until it is published; such an edit holds the publish lock, so it either lands before the draft
is published or, arriving after, goes into a new draft made from it like any edit of a published
version (whichever request the database serves first, never into the published roster). A workbook
exported here and edited in Excel comes back as a draft made from the version it names
(Sammendrag's «Versjon»); both are checked like any roster and published through
``rosters.publish``.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from api.orm import MAX_ID, RosterRow, ScenarioRow
from api.services.audit import record
from api.services.rosters import (
    STATUS_NAMES,
    PublishRefused,
    add_version,
    load_roster,
    lock_publishing,
    scenario_of,
    unexpected,
)
from api.services.scenarios import load, store
from roster.check import unexpected_violations
from roster.edits import Edit, apply_edit, declare_holes
from roster.excel.reader import check_workbook, find_sheet
from roster.excel.scan import sheet_members
from roster.excel.roster_reader import read_roster_source
from roster.excel.schema import normalise
from roster.excel.writer import PER_DOCTOR_TITLE, VAKTPLAN_PREFIX, VERSION_LABEL
from roster.input_errors import shown
from roster.scenario_io import InputError
from roster.terms import number

WORKBOOK_REASON = "tom i arbeidsboken"


def edit_version(session: Session, row: RosterRow, edit: Edit, actor: str) -> tuple[RosterRow, str]:
    """Apply one checked edit (``roster.edits``); returns the version holding it and its description.
    Raises EditRefused (nothing is stored) or PublishRefused for a superseded version."""
    if row.status == "draft" and row.origin == "endring":  # no publish until this edit is in it
        lock_publishing(session)
        session.refresh(row)  # a publish that came first shows here, and the edit goes to a new draft
    if row.status == "superseded":
        raise PublishRefused(f"vaktplan {row.id} er erstattet av vaktplan {row.superseded_by}; endre den nyeste")
    in_place = row.status == "draft" and row.origin == "endring"
    scenario = scenario_of(session, row)
    result = apply_edit(scenario, load_roster(row), edit)
    scenario_id = row.scenario_id
    if result.scenario.pins != scenario.pins:
        scenario_id = store(session, result.scenario, f"låst vakt i vaktplan {row.id}", actor).id
    violations = unexpected(result.scenario, result.roster)
    if in_place:
        row.body = result.roster.model_dump_json()
        row.scenario_id = scenario_id
        row.violations = json.dumps(violations, ensure_ascii=False)
        target = row
    else:
        target = add_version(session, scenario_id, None, result.roster, violations, parent_id=row.id, origin="endring")
    record(session, actor, "endre-vaktplan", f"vaktplan {target.id}: {result.description}")
    session.flush()
    return target, result.description


# ---------------------------------------------------------------------------- edited workbooks


def is_roster_workbook(filename: str, content: bytes) -> bool:
    """A roster workbook (Vaktplan sheets or Per lege, no Leger sheet) rather than a scenario."""
    if not filename.lower().endswith(".xlsx"):
        return False
    try:  # the sheet names only (workbook.xml), nothing a hostile file could make slow
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            titles = [normalise(t) for t in sheet_members(z).values()]
    except (zipfile.BadZipFile, InputError):  # not a workbook at all: the scenario upload says why
        return False
    plan = any(t.startswith(normalise(VAKTPLAN_PREFIX)) for t in titles) or normalise(PER_DOCTOR_TITLE) in titles
    return plan and "leger" not in titles


def workbook_version(path: Path) -> int | None:
    """The version a workbook exported here names in Sammendrag («Versjon»), if any; InputError
    naming the cell for a number no version can have (10²¹ overflowed the database lookup)."""
    wb = load_workbook(path, read_only=True)
    try:
        ws = find_sheet(wb, "Sammendrag")
        if ws is None:
            return None
        for row, (label, value, *_) in enumerate(ws.iter_rows(min_col=1, max_col=2, values_only=True), start=1):
            if label is not None and normalise(label) == normalise(VERSION_LABEL):
                if not isinstance(value, (int, float)):
                    return None
                if not (float(value).is_integer() and 1 <= value <= MAX_ID):
                    raise InputError([f"{ws.title}!B{row}: «{shown(value)}» er ikke et vaktplannummer "
                                      f"(et helt tall fra 1 til {number(MAX_ID)})"])
                return int(value)
    finally:
        wb.close()
    return None


def upload_roster(session: Session, filename: str, content: bytes, actor: str,
                  base: RosterRow | None = None, scenario_row: ScenarioRow | None = None) -> RosterRow:
    """An edited roster workbook as a new draft: made from ``base`` (else the version the workbook
    names), for ``scenario_row`` (else the base's scenario). A shift left short is an unfilled
    place; what breaks a hard rule is listed with its cell and keeps the draft from being published.
    Raises InputError for a workbook that cannot be read or placed."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vaktplan.xlsx"
        path.write_bytes(content)
        try:
            check_workbook(path, filename)  # the workbook limits before any sheet is read
        except InputError as exc:
            raise InputError(exc.problems, filename) from None
        if base is None and scenario_row is None:
            version = workbook_version(path)
            base = session.get(RosterRow, version) if version is not None else None
            if base is None:
                raise InputError(["arbeidsboken er en vaktplan, men sier ikke hvilken lagret vaktplan den kommer fra "
                                  "(Sammendrag: «Versjon»); last den opp fra vaktplanens side"], filename)
        scenario_row = scenario_row or session.get_one(ScenarioRow, base.scenario_id)
        scenario = load(scenario_row)
        try:
            source = read_roster_source(scenario, path)
        except InputError as exc:
            raise InputError(exc.problems, filename) from None
    roster = declare_holes(scenario, source.roster, WORKBOOK_REASON)
    violations = [{"rule": v.rule, "message": v.message, "doctor": v.doctor, "shift": v.shift}
                  for v in source.annotate(unexpected_violations(scenario, roster))]
    row = add_version(session, scenario_row.id, None, roster, violations,
                      parent_id=base.id if base is not None else None, origin="opplasting")
    record(session, actor, "last-opp-vaktplan", f"vaktplan {row.id} fra {filename}"
           + (f" (endret vaktplan {base.id}, {STATUS_NAMES[base.status]})" if base is not None else ""))
    return row


def uploaded_message(row: RosterRow) -> str:
    """What the manager reads after an upload: a draft to look over, or what keeps it from publishing."""
    problems = json.loads(row.violations)
    if problems:
        return f"Vaktplan {row.id} er lastet opp som utkast, men bryter {len(problems)} harde regler (se under)."
    return f"Vaktplan {row.id} er lastet opp som utkast og følger de harde reglene. Se over endringene og publiser."
