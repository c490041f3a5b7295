"""Re-planning a sick day on a published Bergen month: how fast is there a repaired roster?

    python -m benchmarks.replan --seeds 0 1 2 --publish-time 60 --time-limit 10

For each seed the Bergen month is solved (``--publish-time`` seconds) and taken as published.
Then each change below is re-planned with ``solver.replan.replan``; the progress events give the
time from the call to the first roster with no more open places than the published one (the
repair), the number of changes in the final roster, and the independent checker's verdict. The
issue's target: a repaired roster the checker accepts within 5 s. Medians over the seeds.

The published month differs run to run (CP-SAT on several workers), and so does who falls ill;
to compare two versions of the re-plan on the same months, give both runs ``--published DIR``:
the first writes each seed's published roster there, the next reads it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ortools

from roster.changes import Changes, changes_from_data


@dataclass
class Case:
    name: str
    pick: str  # which published doctor falls ill: "bakvakt" or "natt" (their shift on the day)
    day: str
    now: str


CASES = (
    Case("bakvakt syk 08.12", "bakvakt", "2026-12-08", "2026-12-08T07:00"),
    Case("natt-lege syk 09.12", "natt", "2026-12-09", "2026-12-09T07:00"),
    Case("natt-lege syk 15.12", "natt", "2026-12-15", "2026-12-14T20:00"),
)


@dataclass
class Result:
    seed: int
    case: str
    doctor: str
    build_and_repair: float | None  # seconds to the first repaired roster
    wall: float
    changes: int
    forced: int
    open_before: int
    open_after: int
    legal: bool


def _changes(case: Case, published, scenario) -> tuple[str, Changes]:
    """The change file: the published doctor of the first matching shift that day falls ill."""
    label = "bakvakt" if case.pick == "bakvakt" else "natt"
    on_day = sorted((a for a in published.assignments
                     if a.date.isoformat() == case.day and scenario.template(a.template).label == label),
                    key=lambda a: (a.template, a.doctor))
    doctor = on_day[0].doctor
    data = {"now": case.now, "absences": [{"doctor": doctor, "start": case.day, "end": case.day, "kind": "sykdom"}]}
    return doctor, changes_from_data(data)


def published_month(scenario, seed: int, publish_time: float, workers: int | None, keep: Path | None):
    """The seed's published roster: solved, or read from ``keep`` where an earlier run wrote it."""
    from roster.scenario_io import load_roster
    from solver import solve

    path = keep / f"published_seed{seed}.json" if keep is not None else None
    if path is not None and path.exists():
        return load_roster(scenario, path)
    published = solve(scenario, time_limit=publish_time, workers=workers, seed=seed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(published.model_dump_json(), encoding="utf-8")
    return published


def run(seed: int, publish_time: float, time_limit: float, workers: int | None, keep: Path | None) -> list[Result]:
    from examples.bergen.generate import build_bergen_scenario
    from roster.check import unexpected_violations
    from solver.replan import replan

    scenario = build_bergen_scenario(seed=seed)
    published = published_month(scenario, seed, publish_time, workers, keep)
    open_before = sum(o.missing for o in published.open_slots)
    out = []
    for case in CASES:
        doctor, changes = _changes(case, published, scenario)
        events = []
        started = time.perf_counter()
        result = replan(scenario, published, changes, time_limit=time_limit, workers=workers, seed=seed,
                        on_progress=lambda e, t0=started: events.append((time.perf_counter() - t0, e)))
        wall = time.perf_counter() - started
        repaired = next((t for t, e in events if e.open_slots <= open_before), None)
        open_after = sum(o.missing for o in result.roster.open_slots)
        legal = unexpected_violations(result.scenario, result.roster) == []
        out.append(Result(seed, case.name, doctor, repaired, wall, result.changes, len(result.forced),
                          open_before, open_after, legal))
    return out


def run_seeds(description: str, run_seed: Callable[[int, float, float, int | None, Path | None], list],
              argv: list[str] | None, seeds: tuple[int, ...] = (0, 1, 2)) -> list:
    """The re-plan benchmarks' arguments, machine line and loop over seeds: every seed's results."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--seeds", type=int, nargs="+", default=list(seeds))
    ap.add_argument("--publish-time", type=float, default=60.0)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=None, help="default: the core count")
    ap.add_argument("--published", type=Path, default=None,
                    help="folder for the published rosters: read when there, else solved and written")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, OR-Tools {ortools.__version__}, Python {sys.version.split()[0]}, "
          f"re-plan limit {args.time_limit:.0f} s, workers {args.workers or os.cpu_count()}", flush=True)
    results = []
    for seed in args.seeds:
        results += run_seed(seed, args.publish_time, args.time_limit, args.workers, args.published)
        print(f"  seed {seed} done", flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    results = run_seeds(__doc__.splitlines()[0], run, argv)
    print("| seed | change | doctor | repaired after s | wall s | changes | forced | open before → after | checker |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r.seed} | {r.case} | {r.doctor} | {r.build_and_repair if r.build_and_repair is None else round(r.build_and_repair, 1)} "
              f"| {r.wall:.1f} | {r.changes} | {r.forced} | {r.open_before} → {r.open_after} | "
              f"{'ok' if r.legal else 'BRUDD'} |")
    for case in CASES:
        rs = [r for r in results if r.case == case.name]
        times = [r.build_and_repair for r in rs if r.build_and_repair is not None]
        print(f"median {case.name}: repaired after {statistics.median(times):.1f} s" if times else
              f"median {case.name}: never repaired", f"({len(times)}/{len(rs)} repaired), "
              f"changes {statistics.median(r.changes for r in rs):.0f}, all legal: {all(r.legal for r in rs)}")


if __name__ == "__main__":
    main()
