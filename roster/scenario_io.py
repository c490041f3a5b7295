"""Reading and writing scenario and roster files (JSON or YAML, or a workbook through
``roster.excel``) with every problem reported at once in Norwegian (``roster.input_errors``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from roster.carry import carried_fields
from roster.excel import read_roster_workbook, read_scenario_workbook
from roster.input_errors import InputError, validation_problems
from roster.models import Roster, Scenario
from roster.references import reference_problems

MAX_SCENARIO_BYTES = 20 * 1024 * 1024


_JSON_MESSAGES = {
    "Expecting property name enclosed in double quotes": "ventet et feltnavn i doble anførselstegn",
    "Expecting value": "ventet en verdi",
    "Expecting ',' delimiter": "ventet komma",
    "Expecting ':' delimiter": "ventet kolon",
    "Extra data": "mer tekst etter slutten av objektet",
    "Unterminated string": "tekst uten avsluttende anførselstegn",
    "Invalid control character": "ugyldig kontrolltegn i tekst",
    "Invalid \\escape": "ugyldig \\-sekvens i tekst",
}


def scenario_from_data(data: Any, source: str = "") -> Scenario:
    if not isinstance(data, dict):
        raise InputError(["(rot): ventet et objekt med periode, stasjoner, vakttyper og leger"], source)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc)
        if not any(err["loc"] == () for err in exc.errors()):  # the scenario's own check did not run
            problems += [p for p in reference_problems(data) if p not in problems]
        raise InputError(problems, source) from None


def read_data(p: Path) -> Any:
    """Parsed JSON/YAML of a file, or InputError with the line and column of a syntax error."""
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    if p.stat().st_size > MAX_SCENARIO_BYTES:
        raise InputError([f"filen er større enn {MAX_SCENARIO_BYTES // 2**20} MB"], str(p))
    suffix = p.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise InputError([f"ukjent filtype «{suffix}»; bruk .json, .yaml eller .xlsx"], str(p))
    try:
        text = p.read_text(encoding="utf-8")
        return json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except UnicodeDecodeError:
        raise InputError(["filen er ikke tekst i UTF-8"], str(p)) from None
    except json.JSONDecodeError as exc:
        why = next((no for en, no in _JSON_MESSAGES.items() if exc.msg.startswith(en)), exc.msg)
        raise InputError([f"linje {exc.lineno}, kolonne {exc.colno}: ugyldig JSON ({why})"], str(p)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}, kolonne {mark.column + 1}: " if mark else ""
        raise InputError([f"{where}ugyldig YAML"], str(p)) from None


def load_scenario(path: str | Path) -> Scenario:
    """A scenario from a .json/.yaml/.yml file, or an .xlsx workbook (the manager's template)."""
    p = Path(path)
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return read_scenario_workbook(p)
    return scenario_from_data(read_data(p), str(p))


def load_roster(scenario: Scenario, path: str | Path) -> Roster:
    """A roster from roster.json (as written by ``roster solve``) or from a roster workbook."""
    p = Path(path)
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return read_roster_workbook(scenario, p)
    data = read_data(p)
    if not isinstance(data, dict):
        raise InputError(["(rot): ventet et objekt med scenario, periode og tildelinger"], str(p))
    try:
        return Roster.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), str(p)) from None


def carry_into(scenario: Scenario, history_out: str | Path) -> Scenario:
    """Next period's scenario with what a solve wrote to ``history_out.json`` carried in: its
    history, the shifts of the last days and the holiday ledger replace the scenario's own."""
    p = Path(history_out)
    data = read_data(p)
    try:
        fields = carried_fields(data)
    except ValueError as exc:
        raise InputError([f"(rot): {exc}"], str(p)) from None
    merged = {**scenario.model_dump(mode="json"), **fields}
    try:
        return Scenario.model_validate(merged)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), str(p)) from None


def dump_scenario(scenario: Scenario, path: str | Path) -> None:
    p = Path(path)
    data = scenario.model_dump(mode="json", exclude_defaults=False)
    if p.suffix.lower() in (".yaml", ".yml"):
        p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    else:
        p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
