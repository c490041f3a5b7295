"""Uploading and loading scenarios: the same validation and Norwegian messages as the CLI."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.orm import ScenarioRow
from api.services.audit import record
from roster.models import Scenario
from roster.scenario_io import MAX_SCENARIO_BYTES, InputError, load_scenario

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
        except (UnicodeDecodeError, OSError, ValueError) as exc:
            raise InputError([f"kunne ikke lese filen ({type(exc).__name__})"], filename) from None
    return scenario


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
    return Scenario.model_validate_json(row.body)


def listing(session: Session) -> list[ScenarioRow]:
    return list(session.scalars(select(ScenarioRow).order_by(ScenarioRow.id.desc())))
