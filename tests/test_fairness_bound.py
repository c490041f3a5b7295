"""The flow relaxation's bound on the pools' largest deviations (solver.fairness_bound): never
above what a roster reaches, and above what the LP and the per-doctor sums see where a heavy
place must go whole to someone."""

from __future__ import annotations

import itertools
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from factories import doctor, scenario, template
from solver.builder import build_model
from solver.fairness import hold_levels
from solver.fairness_bound import least_sum, nearest_miss
from solver_util import QUIET

FAR = 3600.0


def test_least_sum_of_a_monotone_set():
    """a ≥ 2 and a + 2b ≥ 20: the least a + b is 11 (a 2, b 9); alone, a needs 2 and b nothing."""
    def feasible(e):
        a, b = e.get("a", 10**6), e.get("b", 10**6)
        return a >= 2 and a + 2 * b >= 20
    bound, own = least_sum(feasible, ["a", "b"], {"a": 20, "b": 5}, time.perf_counter() + FAR)
    assert (bound, own) == (11, {"a": 2, "b": 0})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3), st.integers(1, 40)),
                min_size=1, max_size=3))
def test_least_sum_matches_brute_force(rows):
    """Monotone sets cut by rows a·x + b·y + c·z ≥ d with non-negative coefficients: the box
    search finds the least sum a brute force over the grid finds."""
    rows = [r for r in rows if any(r[:3])] or [(1, 0, 0, 1)]
    names = ["x", "y", "z"]

    def feasible(e):
        v = [e.get(n, 10**6) for n in names]
        return all(a * v[0] + b * v[1] + c * v[2] >= d for a, b, c, d in rows)

    incumbent = {n: 40 for n in names}
    best = min(sum(p) for p in itertools.product(range(41), repeat=3) if feasible(dict(zip(names, p))))
    bound, _ = least_sum(feasible, names, incumbent, time.perf_counter() + FAR)
    assert bound == best


def test_a_search_cut_short_still_bounds_from_below():
    """However early the time runs out (a clock ticking once a look), the bound is never above the
    least sum; cut short it is below it, given the time it is the least sum."""
    def feasible(e):
        a, b = e.get("a", 10**6), e.get("b", 10**6)
        return a >= 3 and b >= 1 and a * b >= 60

    least = min(a + b for a in range(61) for b in range(61) if feasible({"a": a, "b": b}))
    bounds = []
    for deadline in range(0, 400, 5):
        ticks = iter(range(10**6))
        bound, own = least_sum(feasible, ["a", "b"], {"a": 60, "b": 60}, deadline, clock=lambda ticks=ticks: next(ticks))
        assert bound <= least and all(v <= w for v, w in zip(own.values(), (3, 1)))
        bounds.append(bound)
    assert bounds[0] < least and bounds[-1] == least
    assert bounds == sorted(bounds)


def test_a_sum_past_what_is_known_is_not_ruled_out():
    """Shifts of 7 points and sums known only up to 13.5: the 14 a roster may give is unknown,
    so the miss from a target of 13 is at most what 13.51 would give, not the 6 to the 7 known."""
    bits = 1 | 1 << 700  # 0 and 7 points (× 100)
    miss = nearest_miss(bits, 1350, 13 * 10**4)
    assert miss <= 1 * 10**4
    assert nearest_miss(bits | 1 << 1400, 2100, 13 * 10**4) == 1 * 10**4


def test_the_bound_sees_that_a_heavy_place_goes_whole_to_someone():
    """One night of N points and two day places of D points among three fastleger with share 1:
    whoever takes the night is N − (N + 2D)/3 over. The LP spreads the night thinly; the
    relaxation does not, and its bound is the optimum, which CP-SAT proves with the cuts in."""
    sc = scenario("2026-12-01", "2026-12-01",
                  [template("dag", "08:00", "16:00", demand_min=2, demand_max=2), template("natt", "23:00", "08:00")],
                  [doctor("a"), doctor("b"), doctor("c")],
                  rules={"weights": {**QUIET, "max_deviation": 1000}})
    ctx = build_model(sc)
    points = {s.template: s.points for s in ctx.shifts}
    for v in ctx.short.values():
        ctx.model.add(v == 0)
    first = cp_model.CpSolver()
    first.parameters.num_workers = 1
    assert first.solve(ctx.model) == cp_model.OPTIMAL
    levels = {p: first.value(pm.level) for p, pm in ctx.pools.items()}
    largest = {p: first.value(pm.largest) for p, pm in ctx.pools.items()}

    bounds = hold_levels(ctx, levels, largest, True, time.perf_counter() + FAR)

    ctx.model.minimize(cp_model.LinearExpr.sum([pm.largest for pm in ctx.pools.values()]))
    held = cp_model.CpSolver()
    held.parameters.num_workers = 1
    assert held.solve(ctx.model) == cp_model.OPTIMAL
    assert bounds == {"tilstedevakt": round(held.objective_value)}
    over = points["natt"] - (points["natt"] + 2 * points["dag"]) / 3
    assert abs(bounds["tilstedevakt"] - 100 * over) <= 1
