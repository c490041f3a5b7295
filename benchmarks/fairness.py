"""Fairness benchmark (issue 13): the product against a plain reference, on the Bergen example
with its history and without, judged by the same metric code.

    python -m benchmarks.fairness --seeds 0 1 2 --time-limit 60 [--json benchmarks/results/fairness.json]

Per run and pool: the pool's level (points per share), the range and the largest deviation per
share from the capacity-aware target (``roster.metrics.pool_metrics``), the Gini of points over
target, available doctors with a share and no shift, and the ledger's largest |balance| per share
before and after the month; per run: places left open, checker violations, doctors beyond the
minimum (on shifts whose minimum is one doctor, and elsewhere), the reported gap, the time to
the first roster and what the objective's last level asks for (wishes granted and denied,
doctors on the same rotated holiday as last year, pairs of a doctor's shifts within three days:
the figures of ``roster.metrics``, as the report shows them). The reference (``benchmarks.fairness_reference``) fills every place, then
minimises the largest deviations, nothing else. Each solve runs in its own process; medians over
seeds at the end. Figures are printed with the machine's core count.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import ortools

SCENARIO = Path(__file__).resolve().parents[1] / "examples" / "bergen" / "scenario.yaml"
VARIANTS = ("med historikk", "uten historikk")
MODELS = ("produkt", "referanse")


@dataclass
class PoolFigures:
    pool: str
    level: float
    range: float
    largest: float
    gini: float | None
    without_shift: int
    ledger_before: float
    ledger_after: float
    ledger_after_undecayed: float


@dataclass
class Run:
    variant: str
    model: str
    seed: int
    first_roster: float | None
    open_places: int
    violations: int
    extra_lone: int  # doctors beyond the minimum on shifts whose minimum is one doctor
    extra_other: int
    gap: float | None  # the product's headline gap (its fairness level given the pools' levels); the reference's own
    gaps: list[float | None] = field(default_factory=list)  # the product's per level
    pools: list[PoolFigures] = field(default_factory=list)
    wishes_granted: int = 0
    wishes_denied: int = 0
    holiday_repeats: int = 0  # doctors on a rotated holiday they also worked last year
    pairs_within_3: int = 0  # a doctor's shifts less than three days apart, summed over doctors
    broken: list[str] = field(default_factory=list)  # the violations' rules and messages, to trace a rare one


def _scenario(variant: str):
    from roster.scenario_io import load_scenario

    scenario = load_scenario(SCENARIO)
    return scenario if variant == VARIANTS[0] else scenario.model_copy(update={"history": []})


def one_run(variant: str, model: str, seed: int, time_limit: float, workers: int) -> Run:
    from benchmarks.fairness_reference import solve_reference
    from roster.calendar import ShiftIndex
    from roster.check import unexpected_violations
    from roster.metrics import doctor_metrics, holiday_turns, pool_metrics
    from solver import solve

    scenario = _scenario(variant)
    if model == MODELS[0]:
        roster = solve(scenario, time_limit=time_limit, workers=workers, seed=seed)
        stats = roster.stats
        first, gap, gaps = stats.first_feasible_time, stats.gap, [lv.gap for lv in stats.levels]
    else:
        result = solve_reference(scenario, time_limit, workers, seed)
        roster, first, gaps = result.roster, result.first_roster, []
        gap = None if result.objective is None else (result.objective - result.bound) / max(1e-9, result.objective)
    index = ShiftIndex(scenario)
    on: dict[str, int] = {}
    for a in roster.assignments:
        on[a.shift] = on.get(a.shift, 0) + 1
    extra = [(s.demand_min, max(0, on.get(s.key, 0) - s.demand_min)) for s in index.shifts]
    violations = unexpected_violations(scenario, roster)
    metrics = doctor_metrics(scenario, roster, index)
    pools = [PoolFigures(p.pool, p.level, p.range, p.largest_deviation, p.gini, p.without_shift,
                         p.ledger_before, p.ledger_after, p.ledger_after_undecayed)
             for p in pool_metrics(metrics)]
    return Run(variant, model, seed, first, sum(max(0, s.demand_min - on.get(s.key, 0)) for s in index.shifts),
               len(violations), sum(n for m, n in extra if m <= 1),
               sum(n for m, n in extra if m > 1), gap, gaps, pools,
               sum(m.wishes_granted for m in metrics), sum(m.wishes_denied for m in metrics),
               len({t.doctor for t in holiday_turns(scenario, roster) if t.last_year}),
               sum(m.pairs_within_3 for m in metrics), [f"{v.rule}: {v.message}" for v in violations])


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "–" if x is None else format(x, spec)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f} %"


def _median(xs: list) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _wishes(r: Run) -> str:
    return f"{r.wishes_granted}/{r.wishes_granted + r.wishes_denied}"


def report(runs: list[Run]) -> None:
    print(f"{'variant':<15} {'modell':<9} {'frø':>3} {'første s':>8} {'åpne':>4} {'brudd':>5} {'ekstra 1/2+':>11} "
          f"{'ønsker':>7} {'høytid':>6} {'<3 d':>4} {'gap':>8}  gap per nivå")
    for r in runs:
        print(f"{r.variant:<15} {r.model:<9} {r.seed:>3} {_fmt(r.first_roster, '8.2f')} {r.open_places:>4} "
              f"{r.violations:>5} {r.extra_lone:>5}/{r.extra_other:<5} {_wishes(r):>7} {r.holiday_repeats:>6} "
              f"{r.pairs_within_3:>4} {_pct(r.gap):>8}  " + " ".join(_pct(g) for g in r.gaps))
        for b in r.broken:
            print(f"    brudd: {b}")
        for p in r.pools:
            print(f"    {p.pool:<13} nivå {p.level:6.2f}  spenn {p.range:6.2f}  største {p.largest:6.2f}  "
                  f"Gini {_fmt(p.gini, '.3f')}  uten vakt {p.without_shift:>3}  hovedbok {p.ledger_before:5.1f} → "
                  f"{p.ledger_after:5.1f} (uten avskrivning {p.ledger_after_undecayed:5.1f})")
    print("\nMedianer over frø (poeng per andel):")
    print(f"{'variant':<15} {'modell':<9} {'gruppe':<13} {'nivå':>6} {'spenn':>6} {'største':>7} {'Gini':>6} "
          f"{'uten vakt':>9} {'hovedbok før':>12} {'etter':>6} {'u/avskr.':>8}")
    for variant in VARIANTS:
        for model in MODELS:
            rs = [r for r in runs if r.variant == variant and r.model == model]
            if not rs:
                continue
            for pool in dict.fromkeys(p.pool for r in rs for p in r.pools):
                ps = [p for r in rs for p in r.pools if p.pool == pool]
                print(f"{variant:<15} {model:<9} {pool:<13} {_fmt(_median([p.level for p in ps]), '6.2f')} "
                      f"{_fmt(_median([p.range for p in ps]), '6.2f')} {_fmt(_median([p.largest for p in ps]), '7.2f')} "
                      f"{_fmt(_median([p.gini for p in ps]), '6.3f')} {_fmt(_median([p.without_shift for p in ps]), '9.0f')} "
                      f"{_fmt(_median([p.ledger_before for p in ps]), '12.1f')} {_fmt(_median([p.ledger_after for p in ps]), '6.1f')} "
                      f"{_fmt(_median([p.ledger_after_undecayed for p in ps]), '8.1f')}")
            print(f"{variant:<15} {model:<9} {'(hele planen)':<13} første plan {_fmt(_median([r.first_roster for r in rs]))} s, "
                  f"åpne {_fmt(_median([r.open_places for r in rs]), '.0f')}, brudd {_fmt(_median([r.violations for r in rs]), '.0f')}, "
                  f"ekstra {_fmt(_median([r.extra_lone for r in rs]), '.0f')} der min er 1 / "
                  f"{_fmt(_median([r.extra_other for r in rs]), '.0f')} ellers, gap {_pct(_median([r.gap for r in rs]))}, "
                  f"ønsker innfridd {_fmt(_median([r.wishes_granted for r in rs]), '.0f')}, samme høytid som i fjor "
                  f"{_fmt(_median([r.holiday_repeats for r in rs]), '.0f')}, vaktpar under 3 dager "
                  f"{_fmt(_median([r.pairs_within_3 for r in rs]), '.0f')}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Rettferdighetsmåling: produktet mot en enkel referanse (Bergen-eksempelet).")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=None, help="standard: antall kjerner")
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    ap.add_argument("--json", type=Path, default=None, help="skriv hver kjøring som JSON hit")
    args = ap.parse_args(argv)
    workers = args.workers or os.cpu_count() or 1
    print(f"maskin: {os.cpu_count()} kjerner, OR-Tools {ortools.__version__}, Python {sys.version.split()[0]}, "
          f"tidsgrense {args.time_limit:g} s, arbeidere {workers}", flush=True)
    runs = []
    started = time.perf_counter()
    for variant in args.variants:
        for seed in args.seeds:
            for model in args.models:
                with ProcessPoolExecutor(max_workers=1) as pool:  # a fresh process per solve
                    runs.append(pool.submit(one_run, variant, model, seed, args.time_limit, workers).result())
                print(f"  ferdig: {variant}, {model}, frø {seed} ({time.perf_counter() - started:.0f} s)", flush=True)
    report(runs)
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in runs], ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
