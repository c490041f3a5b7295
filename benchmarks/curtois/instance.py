"""Reader for the Curtois & Qu employee-scheduling instances (format in instances/README.md).

Kept free of roster/ and solver/ so that the benchmark stays an outside yardstick for them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

INSTANCES = Path(__file__).parent / "instances"


@dataclass(frozen=True)
class ShiftType:
    id: str
    minutes: int
    blocked: frozenset[str]  # shift types that may not be worked the day after this one


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: dict[str, int]  # per shift type; 0 forbids the type
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int  # shortest allowed run of days off
    max_weekends: int


@dataclass(frozen=True)
class Request:
    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class Instance:
    name: str
    horizon: int  # days; day 0 is a Monday
    shifts: dict[str, ShiftType]
    staff: dict[str, Staff]  # in file order
    days_off: dict[str, frozenset[int]]
    on_requests: list[Request]
    off_requests: list[Request]
    cover: list[Cover]


SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
REQUIRED = {"SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER"}

Record = tuple[int, list[str]]  # (line number, fields)


class _Reader:
    """Turns records into objects; errors carry the file and line so a bad file can be fixed by hand."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.line = 0

    def fail(self, message: str) -> ValueError:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return ValueError(f"{where}: {message}")

    def fields(self, fields: list[str], count: int, what: str) -> list[str]:
        if len(fields) != count:
            raise self.fail(f"{what} needs {count} comma-separated fields, got {len(fields)}")
        return fields

    def int(self, text: str, what: str) -> int:
        try:
            value = int(text)  # int("-0") == 0, as Instance15 needs
        except ValueError:
            raise self.fail(f"{what} must be an integer, got {text!r}") from None
        if value < 0:
            raise self.fail(f"{what} must not be negative, got {value}")
        return value

    def day(self, text: str, horizon: int) -> int:
        day = self.int(text, "day")
        if day >= horizon:
            raise self.fail(f"day {day} is outside the horizon 0..{horizon - 1}")
        return day

    def known(self, key: str, table: dict, what: str) -> str:
        if key not in table:
            raise self.fail(f"unknown {what} {key!r}")
        return key


def _sections(path: Path, reader: _Reader) -> dict[str, list[Record]]:
    sections: dict[str, list[Record]] = {}
    current: list[Record] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        reader.line = number
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                raise reader.fail(f"unknown section {line}")
            if line in sections:
                raise reader.fail(f"{line} appears twice")
            current = sections[line] = []
        elif current is None:
            raise reader.fail("data before the first SECTION_ header")
        else:
            current.append((number, [field.strip() for field in line.split(",")]))
    reader.line = 0
    missing = [name for name in SECTIONS if name in REQUIRED and name not in sections]
    if missing:
        raise reader.fail(f"missing {', '.join(missing)}")
    return sections


def parse(path: str | Path) -> Instance:
    """Read one instance file, checking every cross-reference so the scorer can trust the data."""
    path = Path(path)
    r = _Reader(path)
    sections = _sections(path, r)

    horizon_records = sections["SECTION_HORIZON"]
    if len(horizon_records) != 1:
        raise r.fail(f"SECTION_HORIZON needs exactly one line, got {len(horizon_records)}")
    r.line, fields = horizon_records[0]
    horizon = r.int(r.fields(fields, 1, "horizon")[0], "horizon")
    if horizon == 0 or horizon % 7:
        raise r.fail(f"horizon must be a positive multiple of 7 days, got {horizon}")

    shifts: dict[str, ShiftType] = {}
    for r.line, fields in sections["SECTION_SHIFTS"]:
        sid, minutes, blocked = r.fields(fields, 3, "shift")
        if sid in shifts:
            raise r.fail(f"shift {sid!r} defined twice")
        blocked_ids = frozenset(filter(None, blocked.split("|")))
        shifts[sid] = ShiftType(sid, r.int(minutes, "shift length"), blocked_ids)
    for r.line, fields in sections["SECTION_SHIFTS"]:
        for blocked_id in shifts[fields[0]].blocked:
            r.known(blocked_id, shifts, "blocked shift")

    staff: dict[str, Staff] = {}
    for r.line, fields in sections["SECTION_STAFF"]:
        eid, max_text, *numbers = r.fields(fields, 8, "staff")
        if eid in staff:
            raise r.fail(f"staff {eid!r} defined twice")
        max_shifts: dict[str, int] = {}
        for item in filter(None, max_text.split("|")):
            sid, sep, count = item.partition("=")
            if not sep:
                raise r.fail(f"MaxShifts item {item!r} is not of the form ShiftID=count")
            max_shifts[r.known(sid, shifts, "shift")] = r.int(count, f"MaxShifts for {sid}")
        max_min, min_min, max_con, min_con, min_off, max_wk = (r.int(n, "staff limit") for n in numbers)
        if min_min > max_min:
            raise r.fail(f"MinTotalMinutes {min_min} exceeds MaxTotalMinutes {max_min}")
        staff[eid] = Staff(eid, max_shifts, max_min, min_min, max_con, min_con, min_off, max_wk)

    days_off: dict[str, frozenset[int]] = {eid: frozenset() for eid in staff}
    seen: set[str] = set()
    for r.line, fields in sections.get("SECTION_DAYS_OFF", []):
        eid = r.known(fields[0], staff, "staff")
        if eid in seen:
            raise r.fail(f"days off for {eid!r} given twice")
        seen.add(eid)
        days_off[eid] = frozenset(r.day(day, horizon) for day in fields[1:] if day)

    def requests(section: str) -> list[Request]:
        out = []
        for r.line, fields in sections.get(section, []):
            eid, day, sid, weight = r.fields(fields, 4, "request")
            out.append(Request(r.known(eid, staff, "staff"), r.day(day, horizon),
                               r.known(sid, shifts, "shift"), r.int(weight, "weight")))
        return out

    cover: list[Cover] = []
    covered: set[tuple[int, str]] = set()
    for r.line, fields in sections["SECTION_COVER"]:
        day, sid, requirement, under, over = r.fields(fields, 5, "cover")
        line = Cover(r.day(day, horizon), r.known(sid, shifts, "shift"), r.int(requirement, "requirement"),
                     r.int(under, "WeightUnder"), r.int(over, "WeightOver"))
        if (line.day, line.shift) in covered:
            raise r.fail(f"cover for day {line.day} shift {line.shift!r} given twice")
        covered.add((line.day, line.shift))
        cover.append(line)

    return Instance(path.stem, horizon, shifts, staff, days_off,
                    requests("SECTION_SHIFT_ON_REQUESTS"), requests("SECTION_SHIFT_OFF_REQUESTS"), cover)


def load(name_or_number: str | int, directory: str | Path | None = None) -> Instance:
    """Accept 15, "15", "Instance15" or "Instance15.txt", the ways people name these instances."""
    name = str(name_or_number)
    if name.isdigit():
        name = f"Instance{name}"
    if not name.endswith(".txt"):
        name += ".txt"
    return parse(Path(directory or INSTANCES) / name)


def best_known(directory: str | Path | None = None) -> dict[str, tuple[int, int]]:
    """Published (best-known objective, lower bound) per instance name, for judging a solver's result."""
    with open(Path(directory or INSTANCES) / "best_known.csv", newline="", encoding="utf-8") as f:
        return {row["instance"]: (int(row["best_known"]), int(row["lower_bound"])) for row in csv.DictReader(f)}
