"""How build time, memory and time to a first roster grow with doctors × shifts (issue target:
roughly linear in the eligible (doctor, shift) pairs; 1000 doctors × 3 months feasible in ≤ 60 s).

    python -m benchmarks.growth --scales 1 3 10 --months 1 2 3 --seeds 0 1 2 --time-limit 60
    python -m benchmarks.growth --scales 1 3 --months 1 --seeds 0 --build-only   # no solve, fast

One fresh process per (scale, months, seed), as in benchmarks/bergen.py, so the peak memory
(getrusage) is that run's own. A scale is 295 doctors (scale 3.39 is the 1000-doctor target); the
target is judged on the runs with ≥ 1000 doctors. Memory ratios use the growth over the process's RSS before the scenario is generated
(the interpreter and imports), which would otherwise make any growth look sub-linear. The 1-minute
load average is printed per run ("last"): on a shared 2-core machine it explains slow runs.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ortools

if TYPE_CHECKING:
    from solver.context import ModelContext

TARGET_DOCTORS = 1000
TARGET_MONTHS = 3
TARGET_FIRST_S = 60.0
DOCTORS_PER_SCALE = 295  # generate.py: 200 fastleger, 40 ALIS, 30 legevaktleger, 25 spesialister per scale
LINEAR_SLACK = 1.25  # a ratio up to this much above the pairs ratio still counts as linear
GIB = 1024**3


@dataclass
class Run:
    scale: float
    months: int
    seed: int
    doctors: int
    shifts: int
    pairs: int  # eligible (doctor, shift) pairs = x variables
    variables: int
    constraints: int
    gen_time: float
    build_time: float
    first_feasible: float | None  # from the start of solve(), build included
    gap: float | None
    objective: float | None
    open_slots: int | None
    violations: int | None  # roster.check.unexpected_violations of the roster: must be 0
    status: str
    base_mb: float  # RSS before generation: interpreter and imports
    build_mb: float  # peak RSS once the model is built
    peak_mb: float
    load: float  # 1-minute load average at the end: a busy machine explains slow runs


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _limit_memory(gib: float) -> None:
    """Address-space cap for the worker: a run that outgrows the machine fails on its own
    instead of pushing other processes into the OOM killer."""
    cap = int(gib * GIB)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _capture_build(built: list[tuple[ModelContext, float]]) -> None:
    """Keep the ModelContext solve() builds (for the pair count and the build-time memory)
    without building the model a second time; the patch lives only in this worker process."""
    solve_module = importlib.import_module("solver.solve")  # `solver.solve` the attribute is the function
    original: Callable[..., ModelContext] = solve_module.build_model

    def build(*args: Any, **kwargs: Any) -> ModelContext:
        ctx = original(*args, **kwargs)
        built.append((ctx, _peak_mb()))
        return ctx

    solve_module.build_model = build


def one_run(scale: float, months: int, seed: int, time_limit: float, workers: int | None, build_only: bool) -> Run:
    from examples.bergen.generate import build_bergen_scenario
    from roster.check import unexpected_violations
    from roster.models import SolveStatus
    from solver import solve
    from solver.builder import build_model

    base = _peak_mb()
    started = time.perf_counter()
    scenario = build_bergen_scenario(scale=scale, months=months, seed=seed)
    gen_time = time.perf_counter() - started
    if build_only:
        started = time.perf_counter()
        ctx = build_model(scenario)
        build_time = time.perf_counter() - started
        proto = ctx.model.proto
        peak = _peak_mb()
        return Run(scale, months, seed, len(scenario.doctors), len(ctx.shifts), len(ctx.x), len(proto.variables),
                   len(proto.constraints), gen_time, build_time, None, None, None, None, None, "bygget", base, peak, peak,
                   os.getloadavg()[0])
    built: list[tuple[ModelContext, float]] = []
    _capture_build(built)
    roster = solve(scenario, time_limit=time_limit, workers=workers, seed=seed)
    s = roster.stats
    assert s is not None
    peak = _peak_mb()  # before the checker, which is not part of solving
    if not built:  # the time limit ran out during the build (solver.budget): nothing to count
        return Run(scale, months, seed, len(scenario.doctors), 0, 0, 0, 0, gen_time, s.build_time, None, None, None,
                   None, None, s.status.value, base, peak, peak, os.getloadavg()[0])
    ctx, build_mb = built[0]
    solved = s.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    return Run(scale, months, seed, len(scenario.doctors), len(ctx.shifts), len(ctx.x), s.variables, s.constraints,
               gen_time, s.build_time, s.first_feasible_time, s.gap, s.objective,
               sum(o.missing for o in roster.open_slots) if solved else None,
               len(unexpected_violations(scenario, roster)) if solved else None, s.status.value, base, build_mb,
               peak, os.getloadavg()[0])


def _fmt(x: float | None, spec: str = ".1f") -> str:
    return "–" if x is None else format(x, spec)


def _median(xs: list[float | None]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def _pct(x: float | None) -> float | None:
    return None if x is None else 100 * x


def _table(header: list[str], rows: list[list[str]]) -> None:
    """Markdown table with padded columns, readable both raw and rendered."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("| " + " | ".join(h.rjust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.rjust(w) for c, w in zip(r, widths)) + " |")


@dataclass
class Group:
    """Medians over the seeds of one (scale, months)."""

    scale: float
    months: int
    runs: list[Run]

    def med(self, attr: str) -> float | None:
        return _median([getattr(r, attr) for r in self.runs])

    def over_base(self, attr: str) -> float:
        """Memory over the process baseline, which is the same for every size."""
        return _median([getattr(r, attr) - r.base_mb for r in self.runs]) or 0.0


def _columns(build_only: bool) -> list[tuple[str, Callable[[Group], str]]]:
    """Columns of the run and median tables; a run is a group of one. The solve columns are
    left out with --build-only, where they would all be empty."""
    cols: list[tuple[str, Callable[[Group], str], bool]] = [
        ("leger", lambda g: _fmt(g.med("doctors"), ".0f"), False),
        ("vakter", lambda g: _fmt(g.med("shifts"), ".0f"), False),
        ("par", lambda g: _fmt(g.med("pairs"), ".0f"), False),
        ("variabler", lambda g: _fmt(g.med("variables"), ".0f"), False),
        ("skranker", lambda g: _fmt(g.med("constraints"), ".0f"), False),
        ("gen s", lambda g: _fmt(g.med("gen_time"), ".2f"), False),
        ("bygg s", lambda g: _fmt(g.med("build_time"), ".2f"), False),
        ("første s", lambda g: _fmt(g.med("first_feasible"), ".2f"), True),
        ("gap", lambda g: _fmt(_pct(g.med("gap")), ".1f") + " %", True),
        ("åpne", lambda g: _fmt(g.med("open_slots"), ".0f"), True),
        ("brudd", lambda g: _fmt(g.med("violations"), ".0f"), True),
        ("bygg MB", lambda g: _fmt(g.med("build_mb"), ".0f"), False),
        ("topp MB", lambda g: _fmt(g.med("peak_mb"), ".0f"), True),
        ("last", lambda g: _fmt(g.med("load"), ".1f"), False),
    ]
    return [(h, f) for h, f, solve_only in cols if not (build_only and solve_only)]


def report(runs: list[Run], build_only: bool) -> None:
    cols = _columns(build_only)
    print("Kjøringer:")
    _table(["skala", "mnd", "frø", *(h for h, _ in cols)] + ([] if build_only else ["status"]),
           [[f"{r.scale:g}", str(r.months), str(r.seed), *(f(Group(r.scale, r.months, [r])) for _, f in cols)]
            + ([] if build_only else [r.status]) for r in runs])

    keys = sorted({(r.scale, r.months) for r in runs})
    groups = [Group(s, m, [r for r in runs if (r.scale, r.months) == (s, m)]) for s, m in keys]
    print("\nMedian over frø:")
    _table(["skala", "mnd", "n", *(h for h, _ in cols)],
           [[f"{g.scale:g}", str(g.months), str(len(g.runs)), *(f(g) for _, f in cols)] for g in groups])

    ref = next((g for g in groups if (g.scale, g.months) == (1, 1)), groups[0])
    print(f"\nVekst mot skala {ref.scale:g} × {ref.months} mnd (minne: vekst over prosessens grunnlinje, "
          f"~{ref.med('base_mb'):.0f} MB; «/par» er forholdet delt på parforholdet, ≤ {LINEAR_SLACK} regnes som "
          "lineært):")
    rows = []
    for g in groups:
        pairs = (g.med("pairs") or 0) / (ref.med("pairs") or 1)
        ratios = {"bygg": (g.med("build_time") or 0) / (ref.med("build_time") or 1),
                  "byggminne": g.over_base("build_mb") / (ref.over_base("build_mb") or 1)}
        if not build_only:
            ratios["toppminne"] = g.over_base("peak_mb") / (ref.over_base("peak_mb") or 1)
            first, first_ref = g.med("first_feasible"), ref.med("first_feasible")
            ratios["første"] = first / first_ref if first is not None and first_ref else None
        linear = [ratios[k] for k in ("bygg", "byggminne", "toppminne") if k in ratios]
        flag = "≈ lineært" if max(linear) / pairs <= LINEAR_SLACK else "vokser raskere enn lineært"
        rows.append([f"{g.scale:g}", str(g.months), f"{pairs:.2f}",
                     *(c for r in ratios.values() for c in (_fmt(r, ".2f"), _fmt(None if r is None else r / pairs, ".2f"))),
                     flag])
    measures = ["bygg", "byggminne"] + ([] if build_only else ["toppminne", "første"])
    _table(["skala", "mnd", "par ×", *(c for k in measures for c in (f"{k} ×", f"{k}/par")), "vurdering"], rows)

    print(f"\nMål: {TARGET_DOCTORS} leger × {TARGET_MONTHS} måneder med første vaktplan innen {TARGET_FIRST_S:.0f} s")
    big = [g for g in groups if (g.med("doctors") or 0) >= TARGET_DOCTORS and g.months >= TARGET_MONTHS]
    if not big:
        scale = math.ceil(100 * TARGET_DOCTORS / DOCTORS_PER_SCALE) / 100
        print(f"  ikke målt: ingen kjøring med ≥ {TARGET_DOCTORS} leger og ≥ {TARGET_MONTHS} mnd; "
              f"kjør --scales {scale:g} (~{scale * DOCTORS_PER_SCALE:.0f} leger) --months {TARGET_MONTHS}")
    for g in big:
        first = g.med("first_feasible")
        if build_only:
            verdict = f"ikke løst (--build-only); bygget på {g.med('build_time'):.1f} s"
        elif first is not None and first <= TARGET_FIRST_S and all(r.first_feasible is not None for r in g.runs):
            verdict = f"✔ første vaktplan etter {first:.1f} s (median, byggetid medregnet)"
        else:
            verdict = (f"✘ første vaktplan etter {_fmt(first, '.1f')} s (median), status "
                       + ", ".join(sorted({r.status for r in g.runs})))
        print(f"  skala {g.scale:g} ({g.med('doctors'):.0f} leger) × {g.months} mnd: {verdict}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Vekst i byggetid, minne og tid til første vaktplan med størrelsen.")
    ap.add_argument("--scales", type=float, nargs="+", default=[1, 3, 10])
    ap.add_argument("--months", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=None, help="standard: antall kjerner")
    ap.add_argument("--build-only", action="store_true", help="bare generering og modellbygging, ingen løsning")
    ap.add_argument("--memory-limit", type=float, default=20.0, help="GiB adresserom per kjøring (standard 20)")
    ap.add_argument("--json", type=Path, default=None, help="skriv rådata for kjøringene hit")
    args = ap.parse_args(argv)
    machine = {"cores": os.cpu_count(), "ortools": ortools.__version__, "python": sys.version.split()[0],
               "load": os.getloadavg()[0]}
    print(f"maskin: {machine['cores']} kjerner, OR-Tools {machine['ortools']}, Python {machine['python']}, "
          f"last {machine['load']:.1f} (1 min), "
          + ("bare bygging" if args.build_only else
             f"tidsgrense {args.time_limit:.0f} s, arbeidere {args.workers or os.cpu_count()}"), flush=True)
    runs: list[Run] = []
    failed: list[str] = []
    started = time.perf_counter()
    for scale in args.scales:
        for months in args.months:
            for seed in args.seeds:
                where = f"skala {scale:g}, {months} mnd, frø {seed}"
                # a fresh process: its own peak memory, and a crash or memory cap ends only this run
                with ProcessPoolExecutor(max_workers=1, initializer=_limit_memory,
                                         initargs=(args.memory_limit,)) as pool:
                    try:
                        runs.append(pool.submit(one_run, scale, months, seed, args.time_limit, args.workers,
                                                args.build_only).result())
                    except Exception as exc:  # MemoryError, a killed worker, a model error: report and go on
                        failed.append(f"{where}: {type(exc).__name__}: {exc}")
                        print(f"  feilet: {failed[-1]}", flush=True)
                        continue
                print(f"  ferdig: {where} ({time.perf_counter() - started:.0f} s)", flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps({"machine": machine, "args": vars(args), "runs": [asdict(r) for r in runs],
                                         "failed": failed}, indent=2, ensure_ascii=False, default=str))
    if runs:
        print()
        report(runs, args.build_only)
    for f in failed:
        print(f"feilet: {f}")


if __name__ == "__main__":
    main()
