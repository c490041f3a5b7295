"""Is a fairness target reachable at all? A proof on a relaxation (issue 13).

    python -m benchmarks.fairness_floor --within 3 [--history] [--window 900 1100]

Builds the Bergen month with only the hard rules that decide who can take which place at all
(staffing, competence, no overlap; eligibility, which holds absences, exemptions, courses and
stations, is the variable set itself), every place filled, and asks that every pool of one level
group (default: fastleger, ALIS and the employed doctors, who share the on-site level per share)
stay within ``--within`` points per share of its capacity-aware target (solver.fairness). With the
level free CP-SAT finds no answer in minutes, so the level is fixed: each value of a window in
turn (0.01 points per share apart, as the model counts it), and the ranges below and above the
window as one solve each. INFEASIBLE everywhere proves the target unreachable under every rule as
well: each roster of the full model is a roster of the relaxation. A level that is feasible here
proves nothing for the full model; the script says which.
"""

from __future__ import annotations

import argparse
import os
import time
from collections import Counter
from pathlib import Path

import ortools
from ortools.sat.python import cp_model

from roster.scenario_io import load_scenario
from solver.builder import build_model
from solver.registry import HARD

SCENARIO = Path(__file__).resolve().parents[1] / "examples" / "bergen" / "scenario.yaml"
WHO_CAN_TAKE_A_PLACE = ("Bemanning", "Kompetanse", "Ingen overlapp")  # solver.registry names


def main() -> None:
    ap = argparse.ArgumentParser(description="Kan et rettferdighetsmål nås? Bevis på en avslapping av modellen.")
    ap.add_argument("--scenario", type=Path, default=SCENARIO)
    ap.add_argument("--within", type=float, default=3.0, help="poeng per andel fra målet, for hver gruppe")
    ap.add_argument("--pools", nargs="+", default=["fastleger", "ALIS", "ansatte"])
    ap.add_argument("--history", action="store_true", help="med historikken (standard: uten, som i issue 13)")
    ap.add_argument("--window", nargs=2, type=int, default=(900, 1100), metavar=("FRA", "TIL"),
                    help="nivå per andel × 100 som prøves ett og ett")
    ap.add_argument("--per-level", type=float, default=30.0, help="sekunder per nivå")
    ap.add_argument("--outside", type=float, default=120.0, help="sekunder for hvert område utenfor vinduet")
    args = ap.parse_args()

    scenario = load_scenario(args.scenario)
    if not args.history:
        scenario = scenario.model_copy(update={"history": []})
    started = time.perf_counter()
    ctx = build_model(scenario, hard=[f for f in HARD if f.name in WHO_CAN_TAKE_A_PLACE])
    levels = {ctx.pools[p].level.index for p in args.pools}
    if len(levels) != 1:
        raise SystemExit(f"Gruppene {', '.join(args.pools)} deler ikke ett nivå per andel.")
    model = ctx.model
    for p in args.pools:
        model.add(ctx.pools[p].largest <= round(100 * args.within))
    for v in ctx.short.values():
        model.add(v == 0)
    model.clear_objective()
    domain = model.proto.variables[levels.pop()].domain  # one interval [0, top]; the proto's list takes no index -1
    low, high = domain[0], domain[1]
    print(f"{os.cpu_count()} kjerner, OR-Tools {ortools.__version__}; {args.scenario.name}, "
          f"{'med' if args.history else 'uten'} historikk; {', '.join(args.pools)} innen {args.within:g} poeng per andel; "
          f"bygget på {time.perf_counter() - started:.1f} s")

    def status(lo: int, hi: int, seconds: float) -> str:
        domain[0], domain[1] = lo, hi
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = os.cpu_count() or 1
        solver.parameters.max_time_in_seconds = seconds
        try:
            return solver.status_name(solver.solve(model))
        finally:
            domain[0], domain[1] = low, high

    first, last = args.window
    found = {level: status(level, level, args.per_level) for level in range(max(low, first), min(high, last) + 1)}
    below = status(low, first - 1, args.outside) if first > low else "INFEASIBLE"
    above = status(last + 1, high, args.outside) if last < high else "INFEASIBLE"
    print(f"nivå {first / 100:.2f}–{last / 100:.2f}: {dict(Counter(found.values()))}; under: {below}; over: {above}; "
          f"{time.perf_counter() - started:.0f} s")
    open_levels = [level / 100 for level, s in found.items() if s != "INFEASIBLE"]
    if not open_levels and below == above == "INFEASIBLE":
        print(f"Bevist: ingen vaktplan holder {', '.join(args.pools)} innen {args.within:g} poeng per andel.")
    else:
        print(f"Ikke bevist: nivåer uten bevis {open_levels[:20]}{' …' if len(open_levels) > 20 else ''}"
              f"{'' if below == 'INFEASIBLE' else ', under vinduet'}{'' if above == 'INFEASIBLE' else ', over vinduet'}.")


if __name__ == "__main__":
    main()
