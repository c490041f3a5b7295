"""Reading and writing scenario files (JSON or YAML) with every problem reported at once in Norwegian.

Pydantic's own messages are English and name internal types; managers get a line per problem with
the JSON path (``doctors[3].role``) and what was expected instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from roster.models import Roster, Scenario
from roster.references import reference_problems

MAX_SCENARIO_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """Bad input: a list of Norwegian messages, each naming where (path or cell) and what is wrong."""

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = problems
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + f"{len(problems)} feil i inndata:\n" + "\n".join(f"  - {p}" for p in problems))


_TYPE_MESSAGES = {
    "missing": "mangler",
    "extra_forbidden": "ukjent felt (skrivefeil?)",
    "bool_parsing": "ventet ja/nei (true/false)",
    "bool_type": "ventet ja/nei (true/false)",
    "int_parsing": "ventet et heltall",
    "int_type": "ventet et heltall",
    "int_from_float": "ventet et heltall",
    "float_parsing": "ventet et tall",
    "float_type": "ventet et tall",
    "date_parsing": "ventet en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "ventet en dato (ÅÅÅÅ-MM-DD)",
    "date_type": "ventet en dato (ÅÅÅÅ-MM-DD)",
    "datetime_parsing": "ventet et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "datetime_from_date_parsing": "ventet et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "time_parsing": "ventet et klokkeslett (tt:mm)",
    "time_type": "ventet et klokkeslett (tt:mm)",
    "string_type": "ventet tekst",
    "string_too_short": "kan ikke være tom",
    "string_too_long": "er for lang",
    "list_type": "ventet en liste",
    "dict_type": "ventet et objekt (nøkkel: verdi)",
    "model_type": "ventet et objekt (nøkkel: verdi)",
    "too_short": "for få elementer (minst ett)",
}


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


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif str(part).startswith(("function-after", "function-before", "union[")):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "(rot)"


def _message(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "enum":
        return f"ugyldig verdi «{err.get('input')}»; gyldige verdier: " + str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
    if kind in ("greater_than_equal", "greater_than"):
        return f"må være minst {ctx.get('ge', ctx.get('gt'))} (fikk {err.get('input')})"
    if kind in ("less_than_equal", "less_than"):
        return f"kan være høyst {ctx.get('le', ctx.get('lt'))} (fikk {err.get('input')})"
    base = _TYPE_MESSAGES.get(kind, err["msg"])
    if kind not in ("missing", "extra_forbidden") and "input" in err and not isinstance(err["input"], (dict, list)):
        return f"{base} (fikk «{err['input']}»)"
    return base


def validation_problems(exc: ValidationError) -> list[str]:
    """Norwegian one-liners for a pydantic ValidationError, path first, duplicates merged."""
    out: list[str] = []
    for err in exc.errors():
        loc = _path(err["loc"])
        msg = _message(err)
        if err["type"] == "value_error" and ": " in msg and "[" in msg.split(": ", 1)[0]:
            # cross-reference problems already carry their own paths, joined by "; "
            for part in msg.split("; "):
                out.append(part if loc == "(rot)" else f"{loc}.{part}")
        else:
            out.append(f"{loc}: {msg}")
    # A union (date | datetime) reports the same place twice; keep the first.
    seen: set[str] = set()
    unique = []
    for p in out:
        key = p.split(": ", 1)[0]
        if key in seen and ("dato" in p or "tidspunkt" in p):
            continue
        seen.add(key)
        unique.append(p)
    return unique


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


def _read_data(p: Path) -> Any:
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
        from roster.excel import (
            read_scenario_workbook,  # the workbook door (Excel issue)
        )

        return read_scenario_workbook(p)
    return scenario_from_data(_read_data(p), str(p))


def load_roster(scenario: Scenario, path: str | Path) -> Roster:
    """A roster from roster.json (as written by ``roster solve``) or from a roster workbook."""
    p = Path(path)
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        from roster.excel import read_roster_workbook

        return read_roster_workbook(scenario, p)
    data = _read_data(p)
    if not isinstance(data, dict):
        raise InputError(["(rot): ventet et objekt med scenario, periode og tildelinger"], str(p))
    try:
        return Roster.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), str(p)) from None


def dump_scenario(scenario: Scenario, path: str | Path) -> None:
    p = Path(path)
    data = scenario.model_dump(mode="json", exclude_defaults=False)
    if p.suffix.lower() in (".yaml", ".yml"):
        p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    else:
        p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
