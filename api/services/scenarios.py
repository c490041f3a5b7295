"""Uploading and loading scenarios: the same validation and Norwegian messages as the CLI."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from api.orm import ScenarioRow
from api.services.audit import record
from roster.models import Scenario
from pydantic import ValidationError

from roster.scenario_io import MAX_SCENARIO_BYTES, InputError, load_scenario, validation_problems

BERGEN_YAML = Path(__file__).resolve().parents[2] / "examples" / "bergen" / "scenario.yaml"
UPLOAD_SUFFIXES = (".xlsx", ".json", ".yaml", ".yml")


def parse_upload(filename: str, content: bytes) -> Scenario:
    """Validate an uploaded workbook or JSON/YAML file through ``load_scenario`` (the CLI's door)."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError([f"ukjent filtype «{suffix or '(ingen)'}»; last opp .xlsx, .json eller .yaml"], filename)
    if not content:
        raise InputError(["filen er tom"], filename)
    if len(content) > MAX_SCENARIO_BYTES:
        raise InputError([f"filen er større enn {MAX_SCENARIO_BYTES // 2**20} MB"], filename)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"opplastet{suffix}"
        path.write_bytes(content)
        try:
            scenario = load_scenario(path)
        except InputError as exc:
            raise InputError(exc.problems, filename) from None
        except (UnicodeDecodeError, OSError, ValueError):
            raise InputError(["kunne ikke lese filen (innholdet er ugyldig)"], filename) from None
    return scenario


async def read_upload(file: UploadFile) -> bytes:
    """The uploaded bytes, refusing a file over the size limit before reading it."""
    if file.size is not None and file.size > MAX_SCENARIO_BYTES:
        raise InputError([f"filen er større enn {MAX_SCENARIO_BYTES // 2**20} MB"], file.filename or "")
    return await file.read()


def store_committed(session: Session, scenario: Scenario, source: str, actor: str) -> ScenarioRow:
    row = store(session, scenario, source, actor)
    session.commit()
    return row


def bergen_example() -> Scenario:
    """The committed Bergen example (December 2026)."""
    return load_scenario(BERGEN_YAML)


def store(session: Session, scenario: Scenario, source: str, actor: str) -> ScenarioRow:
    row = ScenarioRow(
        name=scenario.name,
        period_start=scenario.period.start,
        period_end=scenario.period.end,
        source=source[:300],
        body=scenario.model_dump_json(),
        created_by=actor,
    )
    session.add(row)
    session.flush()
    record(session, actor, "last-opp", f"scenario {row.id} «{scenario.name}» fra {source}")
    for note in scenario.rules.floor_override_notes():
        record(session, actor, "unntak-hviletid", f"scenario {row.id}: {note}")
    return row


def load(row: ScenarioRow) -> Scenario:
    """The stored scenario; InputError when it was stored before today's checks and breaks them
    (a weight of 10¹⁵ from an older version), so its pages say so instead of failing."""
    try:
        return Scenario.model_validate_json(row.body)
    except ValidationError as exc:
        raise stored_before_checks(f"scenario {row.id}", exc) from None


def stored_before_checks(what: str, exc: ValidationError) -> InputError:
    return InputError([f"{what} ble lagret før dagens kontroller og kan ikke brukes; last opp scenarioet på nytt",
                       *validation_problems(exc)], what)


def listing(session: Session) -> list[ScenarioRow]:
    """Every scenario without its body: the overview and ``GET /api/scenarios`` show names and
    dates, and each re-plan stores a whole scenario (about 300 KB for the Bergen month), so with a
    year's 400 of them every view of the overview read 120 MB."""
    return list(session.scalars(select(ScenarioRow).options(defer(ScenarioRow.body, raiseload=True))
                                .order_by(ScenarioRow.id.desc())))
