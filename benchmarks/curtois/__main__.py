"""Score a stored solution, or check the scorer against the empty-roster baseline.

    python -m benchmarks.curtois Instance1 solution.csv   # objective, parts, violations
    python -m benchmarks.curtois --baseline Instance1     # empty roster = Σ under×requirement + Σ on-weights

The baseline is worked out from the file alone, so a mismatch points at the scorer.
"""

from __future__ import annotations

import argparse
import sys

from .instance import best_known, load
from .score import read_solution, score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.curtois", description=__doc__.splitlines()[0])
    parser.add_argument("instance", help="15, Instance15 or a name in benchmarks/curtois/instances")
    parser.add_argument("solution", nargs="?", help="CSV with staff,day,shift rows")
    parser.add_argument("--baseline", action="store_true", help="score the empty roster and compare")
    args = parser.parse_args(argv)
    instance = load(args.instance)

    if args.baseline:
        expected = (sum(c.weight_under * c.requirement for c in instance.cover)
                    + sum(r.weight for r in instance.on_requests))
        got = score(instance, []).objective
        verdict = "ok" if got == expected else "MISMATCH"
        print(f"{instance.name}: empty roster scores {got}, expected {expected}: {verdict}")
        return 0 if got == expected else 1

    if args.solution is None:
        parser.error("give a solution CSV or --baseline")
    result = score(instance, read_solution(args.solution))
    best, bound = best_known().get(instance.name, (None, None))
    print(f"{instance.name}: objective {result.objective} (requests {result.requests}, "
          f"under {result.cover_under}, over {result.cover_over}); best known {best}, lower bound {bound}")
    print(f"{len(result.violations)} hard-rule violations")
    for violation in result.violations:
        print(f"  {violation}")
    return 0 if result.feasible else 1


if __name__ == "__main__":
    sys.exit(main())
