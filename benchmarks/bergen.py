"""Benchmark of the CP-SAT solver on the Bergen example month (and a 3× instance to show growth).

    python -m benchmarks.bergen --seeds 0 1 2 --time-limit 60

Each solve runs in its own process, so the peak memory (resource.getrusage) is that solve's own.
Objective, bound and gap at 10, 30 and 60 s come from the progress events (the last event at or
before that moment); in the lexicographic solve an event's gap is that of the level being solved,
so each checkpoint names its level, and the final figures are given per level beside the gap the
roster reports (``SolveStats.gap``: its fairness level's). Targets from the issue: model built
≤ 2 s, first feasible ≤ 5 s, gap ≤ 1 % after 60 s, peak memory ≤ 1.5 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import ortools

CHECKPOINTS = (10.0, 30.0, 60.0)


@dataclass
class Run:
    scale: int
    seed: int
    doctors: int
    shifts: int
    variables: int
    constraints: int
    build_time: float
    first_feasible: float | None
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    open_slots: int
    peak_mb: float
    at: dict[float, tuple[float, float, float | None, int]] = field(default_factory=dict)  # t → (obj, bound, gap, level)
    level_gaps: list[float] = field(default_factory=list)  # each level's final gap, in order
    gap_level: int | None = None


def one_run(scale: int, seed: int, time_limit: float, workers: int | None) -> Run:
    from examples.bergen.generate import build_bergen_scenario
    from roster.calendar import ShiftIndex
    from solver import solve

    scenario = build_bergen_scenario(scale=scale, seed=seed)
    events = []
    roster = solve(scenario, time_limit=time_limit, workers=workers, seed=seed, on_progress=events.append)
    s = roster.stats
    at = {}
    for t in CHECKPOINTS:
        seen = [e for e in events if e.elapsed <= t]
        if seen and t <= time_limit + 1e-9:
            at[t] = (seen[-1].objective, seen[-1].bound, seen[-1].gap, seen[-1].level)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return Run(scale, seed, len(scenario.doctors), len(ShiftIndex(scenario).shifts), s.variables, s.constraints,
               s.build_time, s.first_feasible_time, s.status.value, s.objective, s.bound, s.gap,
               sum(o.missing for o in roster.open_slots), peak, at, [lv.gap for lv in s.levels], s.gap_level)


def _fmt(x: float | None, spec: str = ".1f") -> str:
    return "–" if x is None else format(x, spec)


def _median(xs: list[float | None]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _gaps(runs: list[Run], t: float) -> list[float | None]:
    """Gaps in percent at checkpoint t."""
    return [r.at[t][2] * 100 if t in r.at and r.at[t][2] is not None else None for r in runs]


def _checkpoint(r: Run, t: float) -> str:
    """The gap at t and the level it belongs to (``n2``: level 2; no level outside a lexicographic solve)."""
    if t not in r.at:
        return "–"
    level = r.at[t][3]
    return f"{_fmt(_gaps([r], t)[0], '.2f')}%" + (f" n{level}" if level else "")


def _reported_gap(r: Run) -> float | None:
    """The gap the roster reports, in percent."""
    return None if r.gap is None else 100 * r.gap


def _level_gaps(r: Run) -> str:
    return " / ".join(f"{100 * g:.1f}" for g in r.level_gaps) or "–"


def report(runs: list[Run]) -> None:
    print(f"{'skala':>5} {'frø':>3} {'leger':>5} {'vakter':>6} {'variabler':>9} {'skranker':>8} {'bygg s':>6} "
          f"{'første s':>8} " + " ".join(f"{'gap@' + str(int(t)):>11}" for t in CHECKPOINTS)
          + f" {'mål':>11} {'grense':>11} {'gap %':>6} {'per nivå %':>18} {'åpne':>4} {'minne MB':>8} status")
    for r in runs:
        gaps = " ".join(f"{_checkpoint(r, t):>11}" for t in CHECKPOINTS)
        reported = _fmt(_reported_gap(r), '.1f') + (f" n{r.gap_level}" if r.gap_level else "")
        print(f"{r.scale:>5} {r.seed:>3} {r.doctors:>5} {r.shifts:>6} {r.variables:>9} {r.constraints:>8} "
              f"{r.build_time:>6.2f} {_fmt(r.first_feasible, '8.2f')} {gaps} {_fmt(r.objective, '11.1f')} "
              f"{_fmt(r.bound, '11.1f')} {reported:>6} {_level_gaps(r):>18} {r.open_slots:>4} {r.peak_mb:>8.0f} {r.status}")
    for scale in sorted({r.scale for r in runs}):
        rs = [r for r in runs if r.scale == scale]
        print(f"median skala {scale}: bygg {_fmt(_median([r.build_time for r in rs]), '.2f')} s, "
              f"første løsning {_fmt(_median([r.first_feasible for r in rs]), '.2f')} s, "
              + ", ".join(f"gap@{int(t)} {_fmt(_median(_gaps(rs, t)), '.2f')} %" for t in CHECKPOINTS)
              + f", mål {_fmt(_median([r.objective for r in rs]))}, grense {_fmt(_median([r.bound for r in rs]))}, "
              f"rapportert gap {_fmt(_median([_reported_gap(r) for r in rs]), '.2f')} %, "
              f"åpne vakter {_fmt(_median([r.open_slots for r in rs]), '.0f')}, "
              f"minne {_fmt(_median([r.peak_mb for r in rs]), '.0f')} MB")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Ytelsesmåling av vaktplanløseren på Bergen-eksempelet.")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=None, help="standard: antall kjerner")
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 3])
    args = ap.parse_args(argv)
    print(f"maskin: {os.cpu_count()} kjerner, OR-Tools {ortools.__version__}, Python {sys.version.split()[0]}, "
          f"tidsgrense {args.time_limit:.0f} s, arbeidere {args.workers or os.cpu_count()}")
    runs = []
    started = time.perf_counter()
    for scale in args.scales:
        for seed in args.seeds:
            with ProcessPoolExecutor(max_workers=1) as pool:  # a fresh process: its own peak memory
                runs.append(pool.submit(one_run, scale, seed, args.time_limit, args.workers).result())
            print(f"  ferdig: skala {scale}, frø {seed} ({time.perf_counter() - started:.0f} s)", flush=True)
    report(runs)


if __name__ == "__main__":
    main()
