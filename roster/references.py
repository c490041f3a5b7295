"""Cross-references of a scenario (ids unique, references resolve, dates inside the period),
read leniently from raw data.

One implementation serves two callers: ``Scenario``'s own validator, and the file loaders, which
run it even when field errors stop pydantic before the model validator (so a manager sees every
problem at once, not in rounds).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from roster.terms import name_key


def _items(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    value = data.get(field)
    return [x if isinstance(x, dict) else {} for x in value] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


# No one is a doctor before this age (a medical degree takes six years after school); a younger
# birth date is a mistyped year, and it would switch the age exemption (fastlegeforskriften §13) off.
MIN_DOCTOR_AGE = 20


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):  # a YAML timestamp; never compare it with a date
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def reference_problems(data: dict[str, Any]) -> list[str]:
    """Every cross-reference problem as "path: message"; what cannot be read is skipped (its own
    field error is reported anyway)."""
    problems: list[str] = []
    ids: dict[str, set[str]] = {}
    for field in ("stations", "templates", "doctors"):
        seen: dict[str, int] = {}  # id → the first item that has it
        folded: dict[str, str] = {}
        for i, item in enumerate(_items(data, field)):
            ident = _text(item.get("id"))
            if ident is None:
                continue
            if ident in seen:  # both named: the first may be the row to fix
                problems.append(f"{field}[{i}].id: «{ident}» er brukt mer enn én gang (også i {field}[{seen[ident]}])")
            elif ident.casefold() in folded:
                problems.append(f"{field}[{i}].id: «{ident}» skiller seg fra «{folded[ident.casefold()]}» bare i store og "
                                "små bokstaver, så en henvisning kan ikke skilles fra den andre")
            seen.setdefault(ident, i)
            folded.setdefault(ident.casefold(), ident)
        ids[field] = set(seen)
    problems += _name_problems(data)
    for i, t in enumerate(_items(data, "templates")):
        station = _text(t.get("station"))
        if station is not None and station not in ids["stations"]:
            problems.append(f"templates[{i}].station: ukjent stasjon «{station}»")
    for i, d in enumerate(_items(data, "doctors")):
        for key in ("stations", "preferred_stations"):
            listed = d.get(key)
            for j, value in enumerate(listed if isinstance(listed, list) else []):
                station = _text(value)
                if station is not None and station not in ids["stations"]:
                    problems.append(f"doctors[{i}].{key}[{j}]: ukjent stasjon «{station}»")
    for field in ("absences", "wishes", "pins", "history", "carry_in", "holiday_ledger", "supervision_days"):
        for i, item in enumerate(_items(data, field)):
            doctor = _text(item.get("doctor"))
            if doctor is not None and doctor not in ids["doctors"]:
                problems.append(f"{field}[{i}].doctor: lege «{doctor}» finnes ikke")
    period = data.get("period") if isinstance(data.get("period"), dict) else {}
    first, last = _day(period.get("start")), _day(period.get("end"))
    for field in ("wishes", "pins", "demand_changes"):
        for i, item in enumerate(_items(data, field)):
            template = _text(item.get("template"))
            if template is not None and template not in ids["templates"]:
                problems.append(f"{field}[{i}].template: ukjent vakttype «{template}»")
            day = _day(item.get("date"))
            if day and first and last and not first <= day <= last:
                problems.append(
                    f"{field}[{i}].date: {day:%d.%m.%Y} er utenfor perioden {first:%d.%m.%Y}–{last:%d.%m.%Y}"
                )
    problems += absence_period_problems(_items(data, "absences"), first, last)
    seen_changes: set[tuple[str, dt.date]] = set()
    for i, item in enumerate(_items(data, "demand_changes")):
        template, day = _text(item.get("template")), _day(item.get("date"))
        if template is None or day is None:
            continue
        if (template, day) in seen_changes:
            problems.append(f"demand_changes[{i}].template: {template} {day:%d.%m.%Y} er endret to ganger")
        seen_changes.add((template, day))
    problems += _label_problems(data)
    problems += _history_problems(data)
    problems += _birth_problems(data, first)
    return problems


def absence_period_problems(absences: list[dict[str, Any]], first: dt.date | None, last: dt.date | None) -> list[str]:
    """An absence wholly outside the period changes nothing, and is most often a mistyped year:
    the doctor would silently keep the shifts they are away from."""
    if first is None or last is None:
        return []
    problems = []
    for i, item in enumerate(absences):
        start, end = _day(item.get("start")), _day(item.get("end"))
        if start and end and (end < first or start > last):
            problems.append(f"absences[{i}].start: fraværet {start:%d.%m.%Y}–{end:%d.%m.%Y} ligger helt utenfor perioden "
                            f"{first:%d.%m.%Y}–{last:%d.%m.%Y} (feil år?)")
    return problems


def _name_problems(data: dict[str, Any]) -> list[str]:
    """Doctors and stations are found by name when a roster workbook is read back, and a doctor
    sees colleagues by name: two of one name cannot be told apart. (An id given twice is reported
    as such, not again by its name.)"""
    problems = []
    for field, noun in (("doctors", "lege"), ("stations", "stasjon")):
        first: dict[str, str] = {}
        ids: set[str | None] = set()
        for i, item in enumerate(_items(data, field)):
            name, ident = _text(item.get("name")), _text(item.get("id"))
            if name is None or (ident is not None and ident in ids):
                continue
            ids.add(ident)
            key = name_key(name)
            if key in first:
                problems.append(f"{field}[{i}].name: «{name}» er også navnet til {noun} «{first[key]}»: skill navnene "
                                "(f.eks. med mellomnavn eller forbokstav)")
            else:
                first[key] = ident or name
    return problems


def _history_problems(data: dict[str, Any]) -> list[str]:
    """A doctor's history twice would count their carried burden twice."""
    problems = []
    first_row: dict[str, int] = {}
    for i, item in enumerate(_items(data, "history")):
        doctor = _text(item.get("doctor"))
        if doctor is None:
            continue
        if doctor in first_row:
            problems.append(f"history[{i}].doctor: lege «{doctor}» har historikk mer enn én gang")
        first_row.setdefault(doctor, i)
    return problems


def _birth_problems(data: dict[str, Any], first: dt.date | None) -> list[str]:
    """A birth date after the period starts, or one that makes a doctor a child, is a typo (the
    year, usually)."""
    if first is None:
        return []
    problems = []
    for i, d in enumerate(_items(data, "doctors")):
        born = _day(d.get("birth_date")) if d.get("birth_date") is not None else None
        if born is not None and born > first:
            problems.append(f"doctors[{i}].birth_date: fødselsdatoen {born:%d.%m.%Y} er etter periodens første dag "
                            f"{first:%d.%m.%Y}")
        elif born is not None and _years_between(born, first) < MIN_DOCTOR_AGE:
            problems.append(f"doctors[{i}].birth_date: fødselsdatoen {born:%d.%m.%Y} gir en lege under {MIN_DOCTOR_AGE} år "
                            "når perioden begynner (feil år?)")
    return problems


def _years_between(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _label_problems(data: dict[str, Any]) -> list[str]:
    """Shift labels named by limits, successions and a doctor's shift types that no template (nor a
    shift carried in from before the period) carries: a typo would silently switch the rule off, or
    keep the doctor from the shifts meant."""
    labels = {label for field in ("templates", "carry_in") for t in _items(data, field) if (label := _text(t.get("label")))}
    if not labels:
        return []
    problems = []
    for i, d in enumerate(_items(data, "doctors")):
        listed = d.get("shift_labels")
        for j, value in enumerate(listed if isinstance(listed, list) else []):
            label = _text(value)
            if label is not None and label not in labels:
                problems.append(f"doctors[{i}].shift_labels[{j}]: ingen vakttype har betegnelsen «{label}»")
        by_label = d.get("max_shifts_by_label")
        for label in by_label if isinstance(by_label, dict) else {}:
            if isinstance(label, str) and label.strip() not in labels:
                problems.append(f"doctors[{i}].max_shifts_by_label.{label}: ingen vakttype har betegnelsen «{label}»")
    rules = data.get("rules") if isinstance(data.get("rules"), dict) else {}
    successions = rules.get("forbidden_successions")
    for i, item in enumerate(successions if isinstance(successions, list) else []):
        for key in ("first", "then"):
            label = _text(item.get(key)) if isinstance(item, dict) else None
            if label is not None and label not in labels:
                problems.append(f"rules.forbidden_successions[{i}].{key}: ingen vakttype har betegnelsen «{label}»")
    return problems
