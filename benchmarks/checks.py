"""How long the cheap checks take: the precheck of the Bergen month, and the independent checker on
a month of 300 doctors with 1000 random assignments (most of them breaking some rule).

    python -m benchmarks.checks --repeats 5

Medians over the repeats, CPU time of this process (other work on a shared machine does not
count) and wall time. Both run before or after every solve, so they should stay around a second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from examples.bergen.generate import build_bergen_scenario
from roster.calendar import ShiftIndex
from roster.check import check_roster, unexpected_violations
from roster.models import REQUIRED_COURSES, Assignment, Roster, Scenario
from solver.precheck import precheck

STATIONS = ("BLV", "ASA", "FAN", "LOD")
ALL_DAYS = ["hverdag", "lørdag", "søndag", "helligdag"]


def busy_month(seed: int = 1) -> tuple[Scenario, Roster]:
    """Four stations with day, evening and night shifts and a bakvakt, 300 doctors (80 % may work
    alone, each with the required courses, every tenth exempt from nights, every seventh away five
    days), 1000 random assignments."""
    rng = random.Random(seed)

    def template(tid: str, start: str, end: str, station: str, duty: str = "tilstedevakt") -> dict[str, Any]:
        return {"id": tid, "station": station, "label": tid.split("-")[-1], "start": start, "end": end,
                "day_types": ALL_DAYS, "demand_min": 1, "demand_max": 6, "min_qualified": 0, "duty": duty}

    templates = [template(f"{s}-{k}", a, b, s) for s in STATIONS
                 for k, a, b in (("dag", "08:00", "16:00"), ("kveld", "16:00", "23:00"), ("natt", "23:00", "08:00"))]
    templates.append(template("bak", "08:00", "07:30", "BLV", duty="bakvakt"))
    doctors = [{"id": f"d{i}", "name": f"Lege {i}", "role": "fastlege",
                "competence": {"qualified": rng.random() < 0.8},
                "courses": dict.fromkeys(REQUIRED_COURSES, "2028-01-01"),
                "employment": rng.choice(["ansatt", "selvstendig"]), "can_bakvakt": i < 30,
                "exemptions": [{"reason": "over 60"}] if i % 10 == 0 else []} for i in range(300)]
    sc = Scenario.model_validate({
        "name": "travel måned", "period": {"start": "2026-12-01", "end": "2026-12-31"},
        "rules": {"max_shifts_per_7_days": 3, "max_hours_per_7_days": 48},
        "stations": [{"id": s, "name": s, "kind": "legevakt"} for s in STATIONS],
        "templates": templates, "doctors": doctors,
        "absences": [{"doctor": f"d{i}", "start": "2026-12-10", "end": "2026-12-14"} for i in range(0, 300, 7)],
    })
    keys = [(t["id"], d) for t in templates for d in sc.period.days()]
    assignments = []
    for _ in range(1000):
        tid, day = rng.choice(keys)
        assignments.append(Assignment(doctor=f"d{rng.randrange(300)}", template=tid, date=day))
    return sc, Roster(scenario=sc.name, period=sc.period, assignments=assignments)


def _measure(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {args.repeats} repeats, "
          f"{dt.date.today()}", flush=True)
    bergen = build_bergen_scenario()
    index = ShiftIndex(bergen)
    sc, roster = busy_month()
    cases = (
        ("precheck, Bergen month", lambda: precheck(bergen, index)),
        ("checker, 300 doctors × 1000 assignments", lambda: (check_roster(sc, roster), unexpected_violations(sc, roster))),
    )
    print("| what | CPU s (median) | wall s (median) |")
    print("|---|---|---|")
    for name, work in cases:
        cpu, wall = _measure(work, args.repeats)
        print(f"| {name} | {cpu:.2f} | {wall:.2f} |", flush=True)


if __name__ == "__main__":
    main()
