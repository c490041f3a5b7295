"""The Curtois & Qu instances solved by the product's own model, scored independently.

    python -m benchmarks.curtois.bench 1-19 --time-limit 60 --seeds 0 1 2
    python -m benchmarks.curtois.bench 20-24 --time-limit 600 --seeds 0

Each instance becomes a legevakt scenario (``adapter.to_scenario``) and goes through
``solver.solve``, the same code a Bergen month goes through, with a search setting (``--search``).
The roster is checked by the legevakt hard-rule checker and re-scored by ``score.score``, which
shares no code with the model: the objective printed is the scorer's. Per instance and seed:
objective, the solver's bound, gap to the published optimum, time to the first roster and to
the best one, status and peak memory of that run's own process; then medians over the seeds and
how many instances reach the published value or beat the published 10-minute MIP figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

import ortools

from .instance import Instance, best_known, load

# The benchmark README's comparison figures for 10 minutes of a plain MIP and of the hybrid method
# (instances 13, 15 and 19; published with the instances).
MIP_10_MIN = {"Instance13": 500410, "Instance15": 78144, "Instance19": 29968}
HYBRID = {"Instance13": 3109, "Instance15": 4144, "Instance19": 3974}

SEARCHES = {
    "max_lp": dict(subsolvers=("max_lp",), first_pass=False, light_presolve=False, lexicographic=False),
    # both workers on the full problem, none left for CP-SAT's neighbourhoods: 5 at the optimum on
    # 3 of 3 seeds (max_lp 0 of 3), 7 and 9 worse (benchmarks/README.md, section 1)
    "max_lp+pseudo_costs": dict(subsolvers=("max_lp", "pseudo_costs"), full_workers=2, first_pass=False,
                                light_presolve=False, lexicographic=False),
    # max_lp for the first half, then neighbourhood search (solver.lns) from its roster: worse than
    # max_lp alone on 10 and 11, no better on 12 (benchmarks/README.md, section 1, "1–12 again")
    "max_lp+lns": dict(subsolvers=("max_lp",), first_pass=False, light_presolve=False, lns_share=0.5, lns_round=2.0,
                       lexicographic=False),
    # the first roster chosen among whole staff lines by column generation and a dive
    # (solver.columns), then max_lp from it
    "columns+max_lp": dict(subsolvers=("max_lp",), first_pass=False, light_presolve=False, lexicographic=False,
                           columns=True),
    "no_lp+lns": dict(subsolvers=("no_lp",), first_pass=False, light_presolve=False, lns_share=0.7, lns_round=2.0,
                      lexicographic=False),
    # the first roster one staff line at a time and its lines swept (solver.lines), then
    # neighbourhood search: CP-SAT on the whole year found nothing better in its share on 21
    "lines+lns": dict(subsolvers=("no_lp",), first_pass=True, first_lines=True, complete_first=False,
                      light_presolve=False, lns_share=0.95, lns_round=2.0, lexicographic=False),
    "default": dict(),
}
# Measured on instances 1–19 (2 cores, 60 s, seeds 0 1 2; benchmarks/README.md): CP-SAT's max_lp
# worker (every constraint in the LP) gives the better roster on every instance of up to six weeks
# (8–15 were run both ways); on the 8- and 12-week ones (17–19) a search without LP followed by
# neighbourhood search does, its LP being too slow over the longer horizon.
LP_HORIZON = 42  # days up to which "auto" takes max_lp
# From half a year on (instances 20–24) neither search found a roster in 120 s; lines first did on
# instances 20 and 21 (benchmarks/README.md, section 7).
LINES_HORIZON = 182  # days from which "auto" builds the first roster line by line


# Whole lines by column generation first (solver.columns) on instances of up to four weeks and
# this many staff × days × shift types: on 12 (16 800) its pricing converges in half of its share;
# on 13 (60 480, seed 0: 7 641 against max_lp's 6 624) and 14 (six weeks: 1 586 against 1 490) it
# lost to max_lp alone (benchmarks/README.md, section 1).
COLUMNS_HORIZON, COLUMNS_SIZE = 28, 20_000


def auto_search(instance: Instance) -> str:
    if instance.horizon >= LINES_HORIZON:
        return "lines+lns"
    size = len(instance.staff) * instance.horizon * len(instance.shifts)
    if instance.horizon <= COLUMNS_HORIZON and size <= COLUMNS_SIZE:
        return "columns+max_lp"
    return "max_lp" if instance.horizon <= LP_HORIZON else "no_lp+lns"


@dataclass
class Run:
    instance: str
    seed: int
    search: str
    staff: int
    days: int
    variables: int
    status: str
    objective: int | None  # the independent scorer's
    solver_objective: float | None
    bound: float | None
    best_known: int
    first: float | None
    best_at: float | None
    build: float
    wall: float
    violations: int | None  # scorer + checker; must be 0; None: no roster to check
    peak_mb: float
    phases: list[dict] = field(default_factory=list)  # solver.budget's record: name, start, budget, used (s)

    @property
    def scored(self) -> bool:
        """A roster came back (and was scored and checked)."""
        return self.violations is not None

    @property
    def gap(self) -> float | None:
        """Relative distance of the roster to the published optimum."""
        return None if self.objective is None else (self.objective - self.best_known) / self.best_known


def one_run(name: str, seed: int, time_limit: float, workers: int | None, search: str) -> Run:
    from roster.check import unexpected_violations
    from solver import Search, solve

    from .adapter import assignments, to_scenario
    from .score import score

    instance = load(name)
    scenario = to_scenario(instance)
    search = auto_search(instance) if search == "auto" else search
    events = []
    started = time.perf_counter()
    roster = solve(scenario, time_limit=time_limit, workers=workers, seed=seed, on_progress=events.append,
                   search=Search(**SEARCHES[search]))
    wall = time.perf_counter() - started
    s = roster.stats
    found = s.status.value in ("optimal", "feasible")  # otherwise an empty roster, not one breaking every cover line
    scored = score(instance, assignments(roster.assignments)) if found else None
    violations = len(scored.violations) + len(unexpected_violations(scenario, roster)) if scored else None
    best_at = None
    if events:
        final = events[-1].objective
        best_at = next(e.elapsed for e in events if e.objective <= final + 1e-9)
    return Run(instance.name, seed, search, len(instance.staff), instance.horizon, s.variables, s.status.value,
               scored.objective if scored else None, s.objective, s.bound, best_known()[instance.name][0],
               s.first_feasible_time, best_at, s.build_time, wall, violations,
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, [p.model_dump() for p in s.phases])


def _instances(spec: list[str]) -> list[str]:
    out = []
    for part in spec:
        lo, _, hi = part.partition("-")
        out += [f"Instance{i}" for i in range(int(lo), int(hi or lo) + 1)]
    return out


def _fmt(x: float | None, spec: str) -> str:
    return "–" if x is None else format(x, spec)


def _median(xs: list[float | None]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def report(runs: list[Run]) -> None:
    print("| instance | seed | search | staff | days | variables | objective | bound | published | gap | first s | "
          "best s | build s | status | violations | peak MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        gap = None if r.gap is None else 100 * r.gap
        print(f"| {r.instance} | {r.seed} | {r.search} | {r.staff} | {r.days} | {r.variables} | {_fmt(r.objective, 'd')} | "
              f"{_fmt(r.bound, '.0f')} | {r.best_known} | {_fmt(gap, '.1f')} % | {_fmt(r.first, '.1f')} | "
              f"{_fmt(r.best_at, '.1f')} | {r.build:.1f} | {r.status} | {_fmt(r.violations, 'd') if r.scored else 'no roster'} | "
              f"{r.peak_mb:.0f} |")
    print("\nMedians over the seeds:\n")
    print("| instance | objective | published | gap | reaches published | beats 10-min MIP | hybrid | first s | best s |")
    print("|---|---|---|---|---|---|---|---|---|")
    names = list(dict.fromkeys(r.instance for r in runs))
    reached = 0
    for name in names:
        rs = [r for r in runs if r.instance == name]
        obj = _median([r.objective for r in rs])
        gap = _median([None if r.gap is None else 100 * r.gap for r in rs])
        hit = sum(r.objective == r.best_known for r in rs)
        reached += obj is not None and obj <= rs[0].best_known
        mip = MIP_10_MIN.get(name)
        beats = "–" if mip is None or obj is None else ("yes" if obj < mip else "no")
        print(f"| {name} | {_fmt(obj, '.0f')} | {rs[0].best_known} | {_fmt(gap, '.1f')} % | {hit}/{len(rs)} | {beats} | "
              f"{HYBRID.get(name, '–')} | {_fmt(_median([r.first for r in rs]), '.1f')} | "
              f"{_fmt(_median([r.best_at for r in rs]), '.1f')} |")
    print(f"\n{reached} of {len(names)} instances reach the published optimum (median over seeds); "
          f"rosters with violations: {sum(bool(r.violations) for r in runs if r.scored)}; "
          f"runs with no roster: {sum(not r.scored for r in runs)}.")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("instances", nargs="+", help="numbers or ranges: 1-12 15 19")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--workers", type=int, default=None, help="default: the core count")
    ap.add_argument("--search", choices=["auto", *sorted(SEARCHES)], default="auto")
    ap.add_argument("--json", help="also write the runs to this file")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, OR-Tools {ortools.__version__}, Python {sys.version.split()[0]}, "
          f"time limit {args.time_limit:.0f} s, workers {args.workers or os.cpu_count()}, search {args.search}",
          flush=True)
    runs = []
    started = time.perf_counter()
    for name in _instances(args.instances):
        for seed in args.seeds:
            with ProcessPoolExecutor(max_workers=1) as pool:  # a fresh process: its own peak memory
                run = pool.submit(one_run, name, seed, args.time_limit, args.workers, args.search).result()
            runs.append(run)
            found = run.objective if run.scored else "no roster"
            print(f"  {name} seed {seed}: {found} (published {run.best_known}), {run.status}, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    report(runs)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([asdict(r) for r in runs], f, indent=1)


if __name__ == "__main__":
    main()
