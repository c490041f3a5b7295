"""Reading a roster back from a workbook: the export's Vaktplan sheets, or its Per lege sheet, or
either typed by hand by a manager.

Doctors are matched by id or by name (case and spaces ignored); shifts by the Vaktplan column
header (the template's id, its label, or "label tt:mm–tt:mm") or, in Per lege, by the template id
as shift code. Each assignment remembers the cell it came from, so the independent checker's
findings can be printed next to the cell that caused them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roster.calendar import OSLO, WEEKDAY_NAMES, ShiftIndex
from roster.excel.cells import CellError, is_blank, parse_date, parse_date_or_datetime
from roster.excel.reader import HEADER_SCAN_ROWS, Book, Sheet, find_sheet, open_workbook, ref
from roster.excel.schema import normalise
from roster.excel.writer import (
    DATE_HEADER,
    PER_DOCTOR_TITLE,
    VAKTPLAN_PREFIX,
    WEEKDAY_SHORT,
    plan_columns,
    vaktplan_titles,
)
from roster.input_errors import InputError
from roster.models import MAX_DEMAND, Assignment, Doctor, OpenSlot, Roster, Scenario, Station, shift_key
from roster.terms import OLD_OPEN_MARKS, OPEN_MARK, OPEN_PLACE, OPEN_PLACES

_MARKS = "|".join(re.escape(normalise(m)) for m in (OPEN_MARK, *OLD_OPEN_MARKS))
_OPEN_RE = re.compile(rf"^(?:{_MARKS})(?:\s*[x×*]\s*(\d{{1,9}}))?$")  # more digits: no count
_SKIP_HEADERS = {"dag", "helligdag", "ukedag"}  # weekday and holiday-name columns
_WEEKDAYS = set(WEEKDAY_NAMES) | set(WEEKDAY_SHORT)


@dataclass
class RosterSource:
    """A roster read from a workbook and the cell of each assignment (and of each shift's row)."""

    roster: Roster
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # (doctor, shift key) → cell
    shift_cells: dict[str, str] = field(default_factory=dict)  # shift key → first cell naming it
    doctor_cells: dict[str, str] = field(default_factory=dict)  # doctor → their Per lege row

    def where(self, doctor: str | None, shift: str | None) -> str | None:
        if doctor and shift and (doctor, shift) in self.cells:
            return self.cells[(doctor, shift)]
        if shift and shift in self.shift_cells:
            return self.shift_cells[shift]
        return self.doctor_cells.get(doctor or "")

    def annotate(self, violations: list[Any]) -> list[Any]:
        """The checker's violations with the cell in front of each message, where one is known."""
        out = []
        for v in violations:
            cell = self.where(v.doctor, v.shift)
            out.append(dataclasses.replace(v, message=f"{cell}: {v.message}") if cell else v)
        return out


class _Doctors:
    def __init__(self, doctors: list[Doctor]):
        self.by_id = {d.id: d.id for d in doctors}
        self.by_key: dict[str, str | None] = {}
        for d in doctors:
            for key in {normalise(d.id), normalise(d.name)}:
                self.by_key[key] = d.id if self.by_key.get(key, d.id) == d.id else None

    def resolve(self, text: str) -> str:
        if text in self.by_id:
            return text
        key = normalise(text)
        if key not in self.by_key:
            raise CellError(f"ukjent lege «{text}»; skriv navnet eller ID-en fra arket Leger")
        if self.by_key[key] is None:
            raise CellError(f"navnet «{text}» passer på flere leger; bruk legens ID")
        return self.by_key[key]  # type: ignore[return-value]


@dataclass
class _Builder:
    scenario: Scenario
    source: RosterSource
    doctors: _Doctors
    index: ShiftIndex
    problems: list[str] = field(default_factory=list)

    def add(self, doctor: str, template: str, day: dt.date, where: str) -> None:
        key = shift_key(template, day)
        self.source.roster.assignments.append(Assignment(doctor=doctor, template=template, date=day))
        self.source.cells.setdefault((doctor, key), where)
        self.source.shift_cells.setdefault(key, where)

    def open(self, template: str, day: dt.date, missing: int, where: str) -> None:
        self.source.roster.open_slots.append(OpenSlot(template=template, date=day, missing=missing,
                                                      reason=f"oppgitt som {OPEN_PLACE} i arbeidsboken"))
        self.source.shift_cells.setdefault(shift_key(template, day), where)

    def day(self, value: Any, where: str) -> dt.date | None:
        """The date in a row's first cell; None for rows that are not days (blank, legend)."""
        if is_blank(value):
            return None
        try:
            day = parse_date(value)
        except CellError as err:
            if re.search(r"\d", str(value)):
                self.problems.append(f"{where}: {err}")
            return None
        if day not in self.scenario.period:
            p = self.scenario.period
            self.problems.append(f"{where}: {day:%d.%m.%Y} er utenfor perioden {p.start:%d.%m.%Y}–{p.end:%d.%m.%Y}")
            return None
        return day


def _entries(text: str, doctors: _Doctors) -> list[str]:
    """Names in a Vaktplan cell: one per line (or ';'); commas split too unless the whole part is
    a known name ("Nordmann, Kari")."""
    out: list[str] = []
    for part in re.split(r"[\n;]", text):
        part = part.strip()
        if not part:
            continue
        try:
            doctors.resolve(part)
            out.append(part)
        except CellError:
            out.extend(p.strip() for p in part.split(",") if p.strip())
    return out


def _template_matcher(scenario: Scenario, station: Station | None, index: ShiftIndex) -> dict[str, list[str]]:
    """Header text → the templates the column holds (several when they share label and hours but
    run on different days); a label used by several columns of the station is left out."""
    keys: dict[str, list[str]] = {normalise(t.id): [t.id] for t in scenario.templates}
    if station is None:
        return keys
    labels: dict[str, list[list[str]]] = {}
    for header, templates in plan_columns(scenario, station, index):
        ids = [t.id for t in templates]
        keys[normalise(header)] = ids
        for label in {normalise(t.label) for t in templates}:
            labels.setdefault(label, []).append(ids)
    for label, groups in labels.items():
        if len(groups) == 1:
            keys.setdefault(label, groups[0])
    return keys


def _station_of_sheet(scenario: Scenario, title: str) -> Station | None:
    """The station whose sheet the export names so, else (a sheet named by hand) the station
    named, or whose name begins with what follows «Vaktplan»."""
    exported = {normalise(t): station for station, t in vaktplan_titles(scenario).items()}
    if normalise(title) in exported:
        return scenario.station(exported[normalise(title)])
    rest = normalise(title)[len(normalise(VAKTPLAN_PREFIX)):].strip()
    for s in scenario.stations:
        if rest and (rest in (normalise(s.name), normalise(s.id)) or normalise(s.name).startswith(rest)):
            return s
    return None


def _read_vaktplan(ws: Sheet, b: _Builder) -> None:
    header = next((r for r in range(1, HEADER_SCAN_ROWS + 1)
                   if normalise(ws.cell(r, 1).value or "") == normalise(DATE_HEADER)), None)
    if header is None:
        b.problems.append(f"{ws.title}: fant ingen overskriftsrad med «{DATE_HEADER}» i kolonne A")
        return
    # A sheet renamed by hand still carries the export's title, «Vaktplan <station>», in A1.
    station = _station_of_sheet(b.scenario, ws.title) or _station_of_sheet(b.scenario, str(ws.cell(1, 1).value or ""))
    keys = _template_matcher(b.scenario, station, b.index)
    columns: dict[int, list[str]] = {}
    for c in range(2, ws.max_column + 1):
        text = ws.cell(header, c).value
        if is_blank(text):
            continue
        template = keys.get(normalise(text))
        if template is None and normalise(text) in _SKIP_HEADERS:
            continue
        if template is None:
            b.problems.append(f"{ref(ws, header, c)}: ukjent vakttype «{' '.join(str(text).split())}»; "
                              "skriv vakttypens ID eller betegnelse fra arket Vakttyper")
            continue
        columns[c] = template
    for r in range(header + 1, ws.max_row + 1):
        day = b.day(ws.cell(r, 1).value, ref(ws, r, 1))
        if day is None:
            continue
        for c, templates in columns.items():
            value = ws.cell(r, c).value
            running = [t for t in templates if shift_key(t, day) in b.index.by_key]
            template = (running or templates)[0]
            where = ref(ws, r, c)
            if running:  # an empty cell is where an understaffed shift is reported
                b.source.shift_cells.setdefault(shift_key(template, day), where)
            if is_blank(value) or normalise(value) in _WEEKDAYS:
                continue  # a weekday column whose header happens to be a shift label ("Dag")
            missing = 0
            for entry in _entries(str(value), b.doctors):
                if m := _OPEN_RE.match(normalise(entry)):
                    missing += int(m.group(1) or 1)
                    continue
                try:
                    b.add(b.doctors.resolve(entry), template, day, where)
                except CellError as err:
                    b.problems.append(f"{where}: {err}")
            if missing > MAX_DEMAND:
                b.problems.append(f"{where}: høyst {MAX_DEMAND} {OPEN_PLACES} på én vakt (fikk {missing})")
            elif missing:
                b.open(template, day, missing, where)


def _header_day(value: Any, period_days: list[dt.date]) -> dt.date | None:
    """A Per lege column's day: a date, "dd.mm" text, or a day number typed by hand."""
    if isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return next((d for d in period_days if d.day == int(value)), None)
    if isinstance(value, str):
        text = value.strip().rstrip(".")
        if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})", text):
            return next((d for d in period_days if (d.day, d.month) == (int(m[1]), int(m[2]))), None)
        try:
            return parse_date(text)
        except CellError:
            return None
    return None


def _read_per_doctor(ws: Sheet, b: _Builder) -> None:
    days = b.scenario.period.days()
    best: tuple[int, dict[int, dt.date]] = (0, {})
    for r in range(1, HEADER_SCAN_ROWS + 1):
        found = {c: d for c in range(2, ws.max_column + 1)
                 if (d := _header_day(ws.cell(r, c).value, days)) is not None}
        if len(found) > len(best[1]):
            best = (r, found)
    header, columns = best
    if not columns:
        b.problems.append(f"{ws.title}: fant ingen overskriftsrad med datoer")
        return
    codes = {normalise(t.id): t.id for t in b.scenario.templates}
    for c, day in columns.items():
        if day not in b.scenario.period:
            b.problems.append(f"{ref(ws, header, c)}: {day:%d.%m.%Y} er utenfor perioden")
    columns = {c: d for c, d in columns.items() if d in b.scenario.period}
    for r in range(header + 1, ws.max_row + 1):
        name = ws.cell(r, 1).value
        if is_blank(name) or normalise(name).startswith("vaktkoder"):
            if not is_blank(name):
                break  # the legend below the table
            continue
        cells = {c: ws.cell(r, c).value for c in columns}
        try:
            doctor = b.doctors.resolve(" ".join(str(name).split()))
        except CellError as err:
            if any(not is_blank(v) for v in cells.values()):  # a name without shifts does no harm
                b.problems.append(f"{ref(ws, r, 1)}: {err}")
            continue
        b.source.doctor_cells.setdefault(doctor, ref(ws, r, 1))
        for c, value in cells.items():
            if is_blank(value):
                continue
            where = ref(ws, r, c)
            for code in re.split(r"[,;\s]+", str(value).strip()):
                template = codes.get(normalise(code))
                if template is None:
                    b.problems.append(f"{where}: ukjent vaktkode «{code}»; bruk ID-en fra arket Vakttyper")
                else:
                    b.add(doctor, template, columns[c], where)


def _read_bakvakt_gaps(wb: Book, roster: Roster) -> None:
    """The export lists hours without a named bakvakt in Mangler; keep them declared on read-back."""
    ws = find_sheet(wb, "Mangler")
    if ws is None:
        return
    for r in range(1, ws.max_row + 1):
        if normalise(ws.cell(r, 1).value or "") == "fra" and normalise(ws.cell(r, 2).value or "") == "til":
            for rr in range(r + 1, ws.max_row + 1):
                a, z = ws.cell(rr, 1).value, ws.cell(rr, 2).value
                if not isinstance(a, dt.datetime) or not isinstance(z, dt.datetime):
                    break
                start = parse_date_or_datetime(a, "hh:mm")
                end = parse_date_or_datetime(z, "hh:mm")
                assert isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
                roster.uncovered_bakvakt.append((start.replace(tzinfo=OSLO), end.replace(tzinfo=OSLO)))
            return


MAX_LISTED_DIFFERENCES = 20


def _differences(plan: _Builder, per_doctor: _Builder) -> list[str]:
    """Where an exported workbook's Vaktplan and Per lege sheets disagree (one was edited, the
    other not): the check must not silently read only one of them."""
    names = {d.id: d.name for d in plan.scenario.doctors}
    a = {(x.doctor, x.shift) for x in plan.source.roster.assignments}
    b = {(x.doctor, x.shift) for x in per_doctor.source.roster.assignments}
    out = []
    for (doctor, shift), mine, other, sheet in (
        *((k, per_doctor.source, plan, "Vaktplan-arkene") for k in sorted(b - a)),
        *((k, plan.source, per_doctor, f"arket «{PER_DOCTOR_TITLE}»") for k in sorted(a - b)),
    ):
        template, day = shift.split("/")
        out.append(f"{mine.cells[(doctor, shift)]}: {names.get(doctor, doctor)} på {template} "
                   f"{dt.date.fromisoformat(day):%d.%m.%Y} står ikke i {sheet}")
    if len(out) > MAX_LISTED_DIFFERENCES:
        out = out[:MAX_LISTED_DIFFERENCES] + [f"… og {len(out) - MAX_LISTED_DIFFERENCES} forskjeller til"]
    if out:
        out.append(f"Vaktplan-arkene og arket «{PER_DOCTOR_TITLE}» viser ulike vakter: rett opp, "
                   "eller slett det arket som ikke gjelder")
    return out


def read_roster_source(scenario: Scenario, path: str | Path) -> RosterSource:
    """The roster in a workbook with the cell of every assignment; InputError lists every cell that
    cannot be read (unknown doctors, shifts, dates) and, when both the Vaktplan sheets and Per lege
    are there, every assignment on which they disagree."""
    index = ShiftIndex(scenario)
    doctors = _Doctors(scenario.doctors)

    def builder() -> _Builder:
        return _Builder(scenario, RosterSource(Roster(scenario=scenario.name, period=scenario.period)), doctors,
                        index)

    wb = open_workbook(path)
    try:
        plans = [ws for ws in wb.worksheets if normalise(ws.title).startswith(normalise(VAKTPLAN_PREFIX))]
        per_doctor_ws = find_sheet(wb, PER_DOCTOR_TITLE)
        plan = per_doctor = None
        if plans:
            plan = builder()
            for ws in plans:
                _read_vaktplan(ws, plan)
        if per_doctor_ws is not None:
            per_doctor = builder()
            _read_per_doctor(per_doctor_ws, per_doctor)
        main = plan or per_doctor
        if main is None:
            raise InputError([f"fant verken ark som heter «{VAKTPLAN_PREFIX}…» eller arket «{PER_DOCTOR_TITLE}»"],
                             str(path))
        _read_bakvakt_gaps(wb, main.source.roster)
    finally:
        wb.close()
    problems = wb.uncached + [p for b in (plan, per_doctor) if b for p in b.problems]
    if not problems and plan and per_doctor:
        problems = _differences(plan, per_doctor)
    if problems:
        raise InputError(problems, str(path))
    if per_doctor is not None:  # a finding about a doctor alone (too few shifts) points at their row
        main.source.doctor_cells = per_doctor.source.doctor_cells
    return main.source


def read_roster_workbook(scenario: Scenario, path: str | Path) -> Roster:
    """The roster in a workbook (Vaktplan sheets, else Per lege), e.g. a hand-made one to check."""
    return read_roster_source(scenario, path).roster
