"""Reading and writing scenario and roster files (JSON or YAML, or a workbook through
``roster.excel``) with every problem reported at once in Norwegian (``roster.input_errors``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from roster.carry import PERIOD_END, carried_fields, next_period, of_doctors
from roster.excel import read_roster_workbook, read_scenario_workbook
from roster.input_errors import InputError, json_path, shown, validation_problems
from roster.models import Assignment, Period, Roster, Scenario
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
            refused = {p.split(": ", 1)[0] for p in problems}
            problems += [p for p in reference_problems(data) if not _within(p.split(": ", 1)[0], refused)]
        raise InputError([_who(p, data) for p in problems], source) from None


_DOCTOR_PATH = re.compile(r"doctors\[(\d+)\](\.(\w+))?")


def _who(problem: str, data: dict[str, Any]) -> str:
    """A doctor's problem with the doctor's id and name after it: ``doctors[240]`` alone sent a
    manager counting down a file of 295 doctors. Neither is quoted back from the field refused
    (it may hold what the problem is about, such as a control character)."""
    found = _DOCTOR_PATH.match(problem)
    doctors = data.get("doctors")
    if found is None or not isinstance(doctors, list) or int(found[1]) >= len(doctors):
        return problem
    doctor = doctors[int(found[1])]
    if not isinstance(doctor, dict):
        return problem
    usable = {key: shown(doctor[key]) for key in ("name", "id") if key != found[3]
              and isinstance(doctor.get(key), (str, int)) and shown(doctor[key]).isprintable()}
    if "name" in usable:
        return f"{problem} – gjelder «{usable['name']}»" + (f" (id {usable['id']})" if "id" in usable else "")
    return f"{problem} – gjelder id {usable['id']}" if "id" in usable else problem


def _within(path: str, refused: set[str]) -> bool:
    """Whether a path is a field already refused, or inside one: a cross-reference problem there
    would say it again (and quote back what the field's own check refused)."""
    return any(path == r or path.startswith((f"{r}.", f"{r}[")) for r in refused)


# Limits on a scenario file's structure (docs/security.md): a scenario nests five levels deep and a
# large one holds some hundred thousand values; beyond these a file is an accident or an attack.
MAX_DEPTH = 32
MAX_VALUES = 2_000_000
MAX_DIGITS = 30  # of an integer literal (Python refuses 4300 with an English error)


class _TooManyDigits(str):
    """An integer literal too long to be meant; reported with its path by ``structure_problems``."""


class _Duplicated(dict):
    """A JSON object in which a key appeared more than once (the keys named in ``twice``)."""

    twice: list[str]


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = _Duplicated()
    out.twice = []
    for key, value in pairs:
        if key in out:
            out.twice.append(key)
        out[key] = value
    return out


def _json_int(text: str) -> int | str:
    return _TooManyDigits(text) if len(text.lstrip("-")) > MAX_DIGITS else int(text)


class _YamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that refuses a key given twice in one mapping (PyYAML silently keeps the last)
    and marks integers too long to be meant."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"feltet «{shown(key_node.value)}» står to ganger", key_node.start_mark)
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int | str:
        digits = node.value.replace("_", "").lstrip("+-")
        return _TooManyDigits(node.value) if len(digits) > MAX_DIGITS else super().construct_yaml_int(node)


_YamlLoader.add_constructor("tag:yaml.org,2002:int", _YamlLoader.construct_yaml_int)


def _key_problem(key: Any) -> str:
    """A YAML key that is not text (``~:``, ``5:``, ``no:``), said without Python's None or False."""
    if key is None:
        return "et felt mangler navn (nøkkelen er tom, ~ eller null)"
    if isinstance(key, bool):
        return "et feltnavn leses som ja/nei (yes, no, on, off …); skriv det i anførselstegn"
    return f"feltnavnet «{shown(key)}» er ikke tekst; skriv det i anførselstegn"


def structure_problems(data: Any) -> list[str]:
    """What no model should see: nesting deeper than any scenario, more values than any
    legevakt has (YAML aliases can multiply a small file), keys given twice or not text, huge integers."""
    problems: list[str] = []
    budget = [MAX_VALUES]

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        budget[0] -= 1
        if budget[0] < 0 or len(problems) > 50:
            return
        if len(path) > MAX_DEPTH:
            problems.append(f"{json_path(path)}: for dyp nesting (mer enn {MAX_DEPTH} nivåer)")
            return
        if isinstance(value, _TooManyDigits):
            problems.append(f"{json_path(path)}: tallet har {len(value.lstrip('+-'))} sifre; høyst {MAX_DIGITS} er tillatt")
        elif isinstance(value, dict):
            problems.extend(f"{json_path((*path, key))}: feltet står to ganger" for key in getattr(value, "twice", []))
            problems.extend(f"{json_path(path)}: {_key_problem(key)}" for key in value if not isinstance(key, str))
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*path, i))

    walk(data, ())
    if budget[0] < 0:
        problems.append(f"(rot): filen har mer enn {MAX_VALUES:,} verdier".replace(",", " "))
    return problems


def parse_text(text: str, suffix: str, source: str = "") -> Any:
    """JSON (``.json``) or YAML text as plain data, or InputError with the line and column of a
    syntax error, or the path of a structural problem (``structure_problems``)."""
    try:
        if suffix == ".json":
            data = json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
        else:
            data = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except json.JSONDecodeError as exc:
        why = next((no for en, no in _JSON_MESSAGES.items() if exc.msg.startswith(en)), "ugyldig tegn")
        raise InputError([f"linje {exc.lineno}, kolonne {exc.colno}: ugyldig JSON ({why})"], source) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"linje {mark.line + 1}, kolonne {mark.column + 1}: " if mark else ""
        problem = exc.problem if exc.problem and "står to ganger" in exc.problem else "ugyldig YAML"
        raise InputError([f"{where}{problem}"], source) from None
    except yaml.YAMLError:
        raise InputError(["ugyldig YAML"], source) from None
    except RecursionError:
        raise InputError([f"(rot): for dyp nesting (mer enn {MAX_DEPTH} nivåer)"], source) from None
    problems = structure_problems(data)
    if problems:
        raise InputError(problems, source)
    return data


def read_data(p: Path, kinds: str = ".json eller .yaml") -> Any:
    """Parsed JSON/YAML of a file (``parse_text``), refusing what is missing, too big or not text;
    ``kinds`` names the file types the caller reads, for the message on any other."""
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    if p.stat().st_size > MAX_SCENARIO_BYTES:
        raise InputError([f"filen er større enn {MAX_SCENARIO_BYTES // 2**20} MB"], str(p))
    suffix = p.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise InputError([f"ukjent filtype «{suffix}»; bruk {kinds}"], str(p))
    try:
        text = p.read_text(encoding="utf-8-sig")  # Windows editors begin UTF-8 with a byte-order mark
    except UnicodeDecodeError:
        raise InputError(["filen er ikke tekst i UTF-8"], str(p)) from None
    return parse_text(text, suffix, str(p))


WITH_WORKBOOK = ".json, .yaml eller .xlsx"


def load_scenario(path: str | Path) -> Scenario:
    """A scenario from a .json/.yaml/.yml file, or an .xlsx workbook (the manager's template)."""
    p = Path(path)
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    if p.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return read_scenario_workbook(p)
    return scenario_from_data(read_data(p, WITH_WORKBOOK), str(p))


def load_roster(scenario: Scenario, path: str | Path) -> Roster:
    """A roster from roster.json (as written by ``roster solve``) or from a roster workbook.

    A roster.json of another period, or one none of whose assignments is a doctor of the scenario
    on one of its shifts, is refused (``foreign_roster_problems``): measured against this scenario
    it read as an empty, perfectly fair roster. Some unknown doctors or shifts are the checker's
    findings («Ukjent lege eller vakt») and are kept. A workbook is read cell by cell against the
    scenario, and refuses dates outside the period itself."""
    p = Path(path)
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return read_roster_workbook(scenario, p)
    data = read_data(p, WITH_WORKBOOK)
    if not isinstance(data, dict):
        raise InputError(["(rot): ventet et objekt med scenario, periode og tildelinger"], str(p))
    try:
        roster = Roster.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), str(p)) from None
    if problems := foreign_roster_problems(scenario, roster):
        raise InputError(problems, str(p))
    return roster


def _days(period: Period) -> str:
    return f"{period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}"


def foreign_roster_problems(scenario: Scenario, roster: Roster) -> list[str]:
    """Why ``roster`` belongs to another scenario: another period, or not one assignment that is a
    scenario doctor on a shift the scenario runs (a renamed scenario of the same period is kept)."""
    made_for = (f" (den er laget for «{shown(roster.scenario)}», ikke «{shown(scenario.name)}»)"
                if roster.scenario != scenario.name else "")
    if roster.period != scenario.period:
        return [f"period: vaktplanen gjelder {_days(roster.period)}, scenarioet {_days(scenario.period)}; "
                f"vaktplanen hører til en annen periode{made_for}"]
    if not roster.assignments:
        return []
    doctors = {d.id for d in scenario.doctors}
    templates = {t.id: t for t in scenario.templates}
    calendar = scenario.holiday_calendar()

    def unknown(a: Assignment) -> str | None:
        template = templates.get(a.template)
        if a.doctor not in doctors:
            return f"lege «{shown(a.doctor)}» finnes ikke i scenarioet"
        if template is None:
            return f"ukjent vakttype «{shown(a.template)}»"
        if a.date not in scenario.period or not template.runs_on(a.date, calendar.day_type(a.date)):
            return f"vakttypen «{shown(a.template)}» går ikke {a.date:%d.%m.%Y}"
        return None

    first = unknown(roster.assignments[0])
    if first is None or any(unknown(a) is None for a in roster.assignments[1:]):
        return []
    n = len(roster.assignments)
    none = "vaktplanens eneste tildeling passer ikke" if n == 1 else f"ingen av vaktplanens {n} tildelinger passer"
    return [f"assignments: {none} til scenarioet (assignments[0]: {first}); "
            f"vaktplanen hører til et annet scenario{made_for}"]


def carry_into(scenario: Scenario, history_out: str | Path, previous: Scenario | None = None
               ) -> tuple[Scenario, list[str]]:
    """Next period's scenario with what a solve wrote to ``history_out.json`` carried in: its
    history, the shifts of the last days and the holiday ledger replace the scenario's own. Also
    the ids of the doctors the file has and the scenario has not, who are left out. With
    ``previous`` the file is that period's final roster instead (roster.json or a roster workbook):
    swaps and hand edits made after the solve are in it, not in the solve's history_out.json."""
    p = Path(history_out)
    if previous is None:
        data = read_data(p)
    else:
        data = {PERIOD_END: previous.period.end.isoformat(), **next_period(previous, load_roster(previous, p))}
    try:
        fields, left = of_doctors(carried_fields(data, scenario.period.start), scenario)
    except ValueError as exc:
        raise InputError([str(exc)], str(p)) from None
    return with_carried(scenario, fields, str(p)), left


def with_carried(scenario: Scenario, fields: dict[str, Any], source: str) -> Scenario:
    """``scenario`` with the carried fields (``roster.carry.next_period``'s) in place of its own;
    InputError naming ``source`` when they do not fit it."""
    try:
        return Scenario.model_validate({**scenario.model_dump(mode="json"), **fields})
    except ValidationError as exc:
        raise InputError(validation_problems(exc), source) from None


def dump_scenario(scenario: Scenario, path: str | Path) -> None:
    p = Path(path)
    data = scenario.model_dump(mode="json", exclude_defaults=False)
    if p.suffix.lower() in (".yaml", ".yml"):
        p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    else:
        p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
