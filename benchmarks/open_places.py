"""The hard Christmas week (examples/bergen/christmas.yaml): how many places a solve leaves open,
with and without the pass that fills an open place a free doctor could take
(``solver.solve._fill_open_places``), in the same run, seed by seed.

    python -m benchmarks.open_places --seeds 0 1 2 --time-limit 60

Per run: open places, the open-places level's value and bound, the fairness level's value, each
pool's largest deviation per share (``roster.metrics.pool_metrics``), and the checker's verdict.
Medians over the seeds at the end. The Bergen month itself has no open place, so the pass never
runs there (its level is at its bound, 0).
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "bergen" / "christmas.yaml"


def one_run(fill: bool, seed: int, time_limit: float, workers: int | None) -> dict:
    import importlib

    from roster.check import unexpected_violations
    from roster.metrics import doctor_metrics, pool_metrics
    from roster.scenario_io import load_scenario

    solve_module = importlib.import_module("solver.solve")  # the module: the package exports its function
    if not fill:
        solve_module.FILL_SHARE = 0.0
    scenario = load_scenario(EXAMPLE)
    roster = solve_module.solve(scenario, time_limit=time_limit, workers=workers, seed=seed)
    levels = roster.stats.levels
    return {
        "fill": fill, "seed": seed, "open": sum(o.missing for o in roster.open_slots),
        "level1": levels[0].objective if levels else None, "bound1": levels[0].bound if levels else None,
        "level2": levels[1].objective if len(levels) > 1 else None,
        "pools": {p.pool: p.largest_deviation for p in pool_metrics(doctor_metrics(scenario, roster))},
        "violations": len(unexpected_violations(scenario, roster)), "wall": roster.stats.wall_time,
    }


def main(argv: list[str] | None = None) -> None:
    from concurrent.futures import ProcessPoolExecutor

    ap = argparse.ArgumentParser(description="Ubesatte plasser i den harde juleuken, med og uten utfylling.")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=None, help="standard: antall kjerner")
    args = ap.parse_args(argv)
    print(f"{os.cpu_count()} kjerner, tidsgrense {args.time_limit:g} s, juleuken ({EXAMPLE.name})")
    runs = []
    for seed in args.seeds:
        for fill in (False, True):
            with ProcessPoolExecutor(max_workers=1) as pool:  # a fresh process: FILL_SHARE set there only
                run = pool.submit(one_run, fill, seed, args.time_limit, args.workers).result()
            runs.append(run)
            pools = ", ".join(f"{k} {v:.2f}" for k, v in run["pools"].items())
            print(f"{'med' if fill else 'uten'} utfylling, frø {seed}: {run['open']} ubesatte, nivå 1 {run['level1']:.0f} "
                  f"(grense {run['bound1']:.0f}), nivå 2 {run['level2']:.0f}; største avvik {pools}; "
                  f"{run['violations']} brudd; {run['wall']:.1f} s", flush=True)
    for fill in (False, True):
        mine = [r for r in runs if r["fill"] == fill]
        pools = {k: statistics.median(r["pools"][k] for r in mine) for k in mine[0]["pools"]}
        print(f"median {'med' if fill else 'uten'} utfylling: {statistics.median(r['open'] for r in mine)} ubesatte, "
              f"nivå 2 {statistics.median(r['level2'] for r in mine):.0f}; største avvik "
              + ", ".join(f"{k} {v:.2f}" for k, v in pools.items()))


if __name__ == "__main__":
    main()
