"""Speed-up of ``roster sweep`` on Ray against the same runs one after another in one process.

    flock -x /tmp/cpu.lock python -m benchmarks.sweep --months 2026-11 2026-12 --seeds 0 1 --time-limit 20

The grid is Bergen months (``examples.bergen.generate`` with ``start`` = each month) × two rule
sets (the current rules, and at most two nights in a row) × seeds, each run one solve with one
CP-SAT thread, as a sweep runs it. One process solves the runs in turn (``api.sweep.solve_run``,
the very function the Ray tasks call); Ray runs them through ``api.sweep.run_sweep`` on a local
Ray, its start-up counted. Every solve stops at the time limit (a month is not proved optimal in
it), so the ideal speed-up is the number of cores; what is lost to Ray's start-up, to sending
scenarios and rosters, and to two solves sharing memory bandwidth shows as the difference.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import ortools
import ray
import yaml

from api.sweep import run_sweep, solve_run
from examples.bergen.generate import build_bergen_scenario
from roster.metrics import EVERYONE
from roster.scenario_io import dump_scenario
from roster.sweep.results import ResultStore, RunResult
from roster.sweep.spec import Run, Sweep, load_sweep

RULE_SETS = [{"name": "Gjeldende regler"}, {"name": "Maks 2 netter på rad", "rules": {"max_consecutive_nights": 2}}]


def _sweep(folder: Path, months: list[str], seeds: list[int], time_limit: float) -> Sweep:
    names = []
    for month in months:
        start = dt.date.fromisoformat(f"{month}-01")
        dump_scenario(build_bergen_scenario(start=start), folder / f"{month}.yaml")
        names.append(f"{month}.yaml")
    spec = {"name": "Fartsmåling", "scenarios": names, "rule_sets": RULE_SETS, "seeds": seeds,
            "time_limit": time_limit, "threads": 1}
    (folder / "sweep.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return load_sweep(folder / "sweep.yaml")


class _Printed:
    """Ray's progress, a line per finished run, with the clock from before Ray started."""

    def __init__(self, clock_start: float):
        self.clock_start = clock_start

    def started(self, total: int, skipped: int) -> None:
        print(f"  Ray: {total} kjøringer", flush=True)

    def finished(self, run: Run, result: RunResult) -> None:
        print(f"  Ray ferdig: {run.label} ({time.perf_counter() - self.clock_start:.0f} s)", flush=True)

    def failed(self, run: Run, message: str) -> None:
        print(f"  Ray FEILET: {run.label}: {message}", flush=True)


def one_process(sweep: Sweep) -> tuple[float, list[RunResult]]:
    started = time.perf_counter()
    results = []
    for run in sweep.runs:
        results.append(solve_run(sweep.variant(run.scenario, run.rule_set), run, sweep.settings).result)
        print(f"  én prosess ferdig: {run.label} ({time.perf_counter() - started:.0f} s)", flush=True)
    return time.perf_counter() - started, results


def on_ray(sweep: Sweep, out: Path, workers: int | None) -> tuple[float, float, list[RunResult]]:
    started = time.perf_counter()
    ray.init(address="local", include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    start_up = time.perf_counter() - started
    store = ResultStore(out, sweep.runs)
    try:
        failed = run_sweep(sweep, store, _Printed(started), workers=workers)
    finally:
        ray.shutdown()
    if failed:
        raise SystemExit(f"{len(failed)} kjøringer feilet på Ray")
    return time.perf_counter() - started, start_up, [r for _run, r in store.current()]


def _medians(label: str, results: list[RunResult]) -> str:
    def med(xs: list[float | None]) -> str:
        xs = [x for x in xs if x is not None]
        return "–" if not xs else f"{statistics.median(xs):.3g}"

    return (f"{label}: median ubesatte plasser {med([r.open_places for r in results])}, "
            f"spenn {med([r.group(EVERYONE, 'spread') for r in results])}, "
            f"gap {med([None if r.gap is None else 100 * r.gap for r in results])} %, "
            f"tid per løsning {med([r.wall_time for r in results])} s, "
            f"regelbrudd {sum(r.violations or 0 for r in results)}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Fartsøkning med roster sweep på Ray mot én prosess.")
    ap.add_argument("--months", nargs="+", default=["2026-11", "2026-12"], help="ÅÅÅÅ-MM")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=None, help="løsninger samtidig på Ray (standard: kjernene)")
    args = ap.parse_args(argv)
    cores = os.cpu_count()
    print(f"maskin: {cores} kjerner, OR-Tools {ortools.__version__}, Ray {ray.__version__}, "
          f"Python {sys.version.split()[0]}, tidsgrense {args.time_limit:g} s, 1 tråd per løsning")
    with tempfile.TemporaryDirectory() as tmp:
        sweep = _sweep(Path(tmp), args.months, args.seeds, args.time_limit)
        print(f"{len(sweep.runs)} kjøringer: {len(sweep.scenarios)} måneder × {len(sweep.rule_sets)} regelsett × "
              f"{len(sweep.seeds)} frø", flush=True)
        serial, serial_results = one_process(sweep)
        parallel, start_up, ray_results = on_ray(sweep, Path(tmp) / "ut", args.workers)
    print(f"én prosess: {serial:.1f} s; Ray: {parallel:.1f} s (oppstart {start_up:.1f} s); "
          f"fartsøkning {serial / parallel:.2f}× på {cores} kjerner "
          f"(uten oppstarten {serial / (parallel - start_up):.2f}×)")
    print(_medians("én prosess", serial_results))
    print(_medians("Ray", ray_results))


if __name__ == "__main__":
    main()
