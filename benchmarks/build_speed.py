"""Model build speed in µs per eligible (doctor, shift) pair, family by family (issue 18 target:
≤ 5 µs a pair), and a fingerprint of the model that proves a faster build builds the same model.

    python -m benchmarks.build_speed --scales 3 --months 1 --seeds 0 1 2
    python -m benchmarks.build_speed --curtois 24 --seeds 0
    python -m benchmarks.build_speed --scales 1 --months 1 --seeds 0 --fingerprint

One fresh process per run (its own memory). Each family of ``solver.registry`` is timed where the
builder calls it; "variables" is ``ModelContext.create_variables``, "rest" the builder's own
(shift index, eligibility, objective, hint). ``--fingerprint`` prints a SHA-256 of the model's
text form (variables, constraints, objective, in order): equal before and after a change means the
same model, not merely the same counts.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import ortools


@dataclass
class Run:
    name: str
    seed: int
    pairs: int
    variables: int
    constraints: int
    build: float
    families: dict[str, float] = field(default_factory=dict)
    peak_mb: float = 0.0
    fingerprint: str = ""

    @property
    def us_per_pair(self) -> float:
        return 1e6 * self.build / max(1, self.pairs)


def _scenario(kind: str, size: tuple[float, int] | int, seed: int):
    if kind == "curtois":
        from benchmarks.curtois.adapter import to_scenario
        from benchmarks.curtois.instance import load
        return f"Curtois {size}", to_scenario(load(size))
    from examples.bergen.generate import build_bergen_scenario
    scale, months = size
    return f"skala {scale:g} × {months} mnd", build_bergen_scenario(scale=scale, months=months, seed=seed)


def _timed(timings: dict[str, float], name: str, fn):
    def wrapped(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - started
    return wrapped


def one_run(kind: str, size, seed: int, fingerprint: bool) -> Run:
    """Build once with every family timed (the patches live only in this worker process)."""
    from solver import builder, registry
    from solver.context import ModelContext

    name, scenario = _scenario(kind, size, seed)
    timings: dict[str, float] = {}
    builder.HARD = tuple(f.__class__(f.name, _timed(timings, f.name, f.add), f.codes) for f in registry.HARD)
    builder.SOFT = tuple(f.__class__(f.name, _timed(timings, f.name, f.penalties), f.terms) for f in registry.SOFT)
    ModelContext.create_variables = _timed(timings, "variabler", ModelContext.create_variables)
    started = time.perf_counter()
    ctx = builder.build_model(scenario)
    build = time.perf_counter() - started
    timings["resten"] = build - sum(timings.values())
    proto = ctx.model.proto
    digest = hashlib.sha256(str(proto).encode()).hexdigest()[:16] if fingerprint else ""
    return Run(name, seed, len(ctx.x), len(proto.variables), len(proto.constraints), build, timings,
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, digest)


def report(runs: list[Run]) -> None:
    print("| run | seed | pairs | variables | constraints | build s | µs/pair | peak MB | fingerprint |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r.name} | {r.seed} | {r.pairs} | {r.variables} | {r.constraints} | {r.build:.2f} | "
              f"{r.us_per_pair:.1f} | {r.peak_mb:.0f} | {r.fingerprint or '–'} |")
    for name in dict.fromkeys(r.name for r in runs):
        rs = [r for r in runs if r.name == name]
        print(f"\n{name}: median {statistics.median(r.us_per_pair for r in rs):.1f} µs/pair over {len(rs)} seed(s); "
              "per family (median µs/pair, largest first):")
        families = {f for r in rs for f in r.families}
        per = {f: statistics.median(1e6 * r.families.get(f, 0.0) / max(1, r.pairs) for r in rs) for f in families}
        for f, us in sorted(per.items(), key=lambda kv: -kv[1]):
            if us >= 0.05:
                print(f"  {us:6.2f}  {f}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", type=float, nargs="*", default=[])
    ap.add_argument("--months", type=int, nargs="+", default=[1])
    ap.add_argument("--curtois", type=int, nargs="*", default=[], help="Curtois & Qu instance numbers")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--fingerprint", action="store_true", help="hash the model's text form (slow on big models)")
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, OR-Tools {ortools.__version__}, Python {sys.version.split()[0]}, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    jobs = [("bergen", (s, m)) for s in args.scales for m in args.months] + [("curtois", n) for n in args.curtois]
    runs = []
    for kind, size in jobs:
        for seed in args.seeds if kind == "bergen" else args.seeds[:1]:  # a Curtois instance has no seed
            with ProcessPoolExecutor(max_workers=1) as pool:  # a fresh process: its own peak memory
                runs.append(pool.submit(one_run, kind, size, seed, args.fingerprint).result())
            print(f"  {runs[-1].name} seed {seed}: {runs[-1].build:.2f} s, {runs[-1].us_per_pair:.1f} µs/pair",
                  flush=True)
    report(runs)


if __name__ == "__main__":
    main()
