"""The flow relaxation's bound on the pools' largest deviations (solver.fairness_bound): never
above what a roster reaches, and above what the LP and the per-doctor sums see where a heavy
place must go whole to someone."""

from __future__ import annotations

import itertools
import time

from factories import doctor, scenario, station, template
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from solver_util import QUIET, fairness_level

from solver.builder import build_model
from solver.fairness import extras_points, held_targets, hold_levels, place_need
from solver.fairness_bound import FlowRelaxation, Held, least_sum, nearest_miss

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


def _held(sc):
    """A model of ``sc`` with every place filled and the levels of its optimal roster held (the
    places level first), and that roster's largest deviations; None when no such roster is proven."""
    ctx = build_model(sc)
    for v in ctx.short.values():
        ctx.model.add(v == 0)
    first = cp_model.CpSolver()
    first.parameters.num_workers = 1
    first.parameters.max_time_in_seconds = 20
    if first.solve(ctx.model) != cp_model.OPTIMAL:
        return None
    levels = {p: first.value(pm.level) for p, pm in ctx.pools.items()}
    largest = {p: first.value(pm.largest) for p, pm in ctx.pools.items()}
    for p, pm in ctx.pools.items():
        ctx.model.add(pm.level == levels[p])
    return ctx, levels, largest


def _least(ctx, expr, *constraints) -> int | None:
    """CP-SAT's proven least ``expr`` with ``constraints`` added to a copy of the model."""
    model = ctx.model.clone()
    for c in constraints:
        model.add(c)
    model.minimize(expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 20
    return round(solver.objective_value) if solver.solve(model) == cp_model.OPTIMAL else None


def _bound_and_optimum(sc) -> tuple[dict[str, int], int | None]:
    """(the relaxation's bounds with the levels of a first roster held, CP-SAT's proven least sum
    of the pools' largest deviations with the same levels and cuts; None when it proves none),
    having checked that the relaxation admits that first roster."""
    held = _held(sc)
    if held is None:
        return {}, None
    ctx, levels, largest = held
    assert FlowRelaxation(ctx, held_targets(ctx, levels), True, sum(largest.values())).feasible(largest), \
        "the relaxation refuses a roster"
    bounds = hold_levels(ctx, levels, largest, True, time.perf_counter() + FAR).groups
    return bounds, _least(ctx, cp_model.LinearExpr.sum([pm.largest for pm in ctx.pools.values()]))


def test_the_bound_sees_that_a_heavy_place_goes_whole_to_someone():
    """One night of N points and two day places of D points among three fastleger with share 1:
    whoever takes the night is N − (N + 2D)/3 over. The LP spreads the night thinly; the
    relaxation does not, and its bound is the optimum, which CP-SAT proves with the cuts in."""
    sc = scenario("2026-12-01", "2026-12-01",
                  [template("dag", "08:00", "16:00", demand_min=2, demand_max=2), template("natt", "23:00", "08:00")],
                  [doctor("a"), doctor("b"), doctor("c")],
                  rules={"weights": {**QUIET, "max_deviation": 1000}})
    points = {s.template: s.points for s in build_model(sc).shifts}

    bounds, optimum = _bound_and_optimum(sc)

    assert bounds == {"tilstedevakt": optimum}
    over = points["natt"] - (points["natt"] + 2 * points["dag"]) / 3
    assert abs(bounds["tilstedevakt"] - 100 * over) <= 1


def test_a_pinned_place_is_in_the_bound():
    """The same night pinned to a fastlege with share 0.5, who is then far over per share, where
    without the pin a doctor with share 1 may take it. The bound follows the pin up to the
    optimum, far above the optimum without it."""
    def month(pins):
        return scenario("2026-12-01", "2026-12-01",
                        [template("dag", "08:00", "16:00", demand_min=2, demand_max=2), template("natt", "23:00", "08:00")],
                        [doctor("a", share=0.5), doctor("b"), doctor("c")], pins=pins,
                        rules={"weights": {**QUIET, "max_deviation": 1000}})

    free, free_optimum = _bound_and_optimum(month([]))
    pinned, pinned_optimum = _bound_and_optimum(month([{"doctor": "a", "date": "2026-12-01", "template": "natt"}]))

    assert free == {"tilstedevakt": free_optimum} and pinned == {"tilstedevakt": pinned_optimum}
    assert pinned["tilstedevakt"] > free_optimum + 500


def _clinic_day(day_ends: str, qualified: bool, share: float = 1.0):
    """Two day places (08:00 to ``day_ends``) and an evening at the central clinic, a specialist on
    call all day, two fastleger and an ALIS "c" who may or may not work alone."""
    return scenario("2026-12-01", "2026-12-01",
                    [template("dag", "08:00", day_ends, station="BLV", demand_min=2, demand_max=2),
                     template("kveld", "16:00", "23:00", station="BLV"),
                     template("bakvakt", "08:00", "23:00", station="BAK", label="bakvakt", duty="bakvakt")],
                    [doctor("a", stations=["BLV"]), doctor("b", stations=["BLV"]),
                     doctor("c", qualified=qualified, role="ALIS", share=share, stations=["BLV"]),
                     doctor("s", role="spesialist", can_bakvakt=True, stations=["BAK"])],
                    stations=[station("BLV", name="Bergen legevakt"), station("BAK", "fjernvakt", "Bakvakt")],
                    rules={"weights": {**QUIET, "max_deviation": 1000}})


def test_a_doctor_who_may_not_work_alone_is_not_given_a_lone_place():
    """Short day places and a heavier evening: an ALIS with share 2 who may work alone takes the
    evening and everyone is near target; one who may not (`alene`) must take a day place, so
    one fastlege is over and the other under (the ALIS' target counts only the day place: the
    evening is for one doctor, roster.targets.room_beside_qualified). The relaxation routes such
    a doctor's places through a node capped at the shift's most doctors less one, so its bound
    is the optimum in both cases, apart."""
    alone, alone_optimum = _bound_and_optimum(_clinic_day("12:00", True, share=2.0))
    supervised, supervised_optimum = _bound_and_optimum(_clinic_day("12:00", False, share=2.0))

    assert sum(alone.values()) == alone_optimum and sum(supervised.values()) == supervised_optimum
    assert supervised_optimum > alone_optimum + 100


def test_a_doctor_who_may_not_work_alone_still_takes_a_place_beside_a_qualified_one():
    """Of a day's two places, one is the ALIS' beside a qualified colleague (a fastlege takes the
    evening, which no one may take after a day place: no rest between): the relaxation admits
    that roster, as it must every roster (a cut that removed it would be no bound)."""
    ctx = build_model(_clinic_day("16:00", False))
    for v in ctx.short.values():
        ctx.model.add(v == 0)
    roster = cp_model.CpSolver()
    assert roster.solve(ctx.model) == cp_model.OPTIMAL
    assert roster.value(ctx.x["c", "dag/2026-12-01"]) == 1

    relaxation = FlowRelaxation(ctx, held_targets(ctx, {p: roster.value(pm.level) for p, pm in ctx.pools.items()}), True,
                                sum(roster.value(pm.largest) for pm in ctx.pools.values()))

    assert relaxation.feasible({p: roster.value(pm.largest) for p, pm in ctx.pools.items()})


def test_a_doctors_sums_hold_their_pins_and_least_shifts():
    """A fastlege pinned to one night who must take two shifts, of two days' day and night
    places: their burden is the night and at least one more, never a day alone or nothing."""
    sc = scenario("2026-12-01", "2026-12-02",
                  [template("dag", "08:00", "16:00", day_types=["hverdag"]), template("natt", "23:00", "08:00", day_types=["hverdag"])],
                  [doctor("a", min_shifts=2), doctor("b")], pins=[{"doctor": "a", "date": "2026-12-01", "template": "natt"}],
                  rules={"weights": {**QUIET, "max_deviation": 1000}})
    ctx = build_model(sc)
    points = {s.template: round(100 * s.points) for s in ctx.shifts}
    day, night = points["dag"], points["natt"]

    relaxation = FlowRelaxation(ctx, {"a": Held("fastleger", 10 * 10**4, 100)}, True, 5000)

    bits = relaxation.sums["a"]
    assert {k for k in range(bits.bit_length()) if bits >> k & 1} == {
        night + day, 2 * night, night + 2 * day, 2 * night + day, 2 * night + 2 * day}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 2), min_size=2, max_size=2), st.lists(st.sampled_from([0.5, 1.0, 2.0]), min_size=3, max_size=4),
       st.lists(st.integers(0, 2), min_size=4, max_size=4), st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), max_size=2),
       st.lists(st.booleans(), min_size=4, max_size=4))
def test_the_bound_is_never_above_the_optimum(demand, shares, least, pins, alone):
    """Small random months (demands, shares, each doctor's own least shifts, pins, doctors who
    may not work alone, supervised by a specialist on call): the relaxation's bound never passes
    the least sum CP-SAT proves with the same levels held."""
    keys = [("dag", "2026-12-01"), ("natt", "2026-12-01"), ("dag", "2026-12-02"), ("natt", "2026-12-02")]
    doctors = [doctor(f"d{i}", qualified=alone[i], share=s, min_shifts=least[i], stations=["BLV"]) for i, s in enumerate(shares)]
    pinned = {(min(d, len(shares) - 1), k) for d, k in pins}
    sc = scenario("2026-12-01", "2026-12-02",
                  [template("dag", "08:00", "16:00", station="BLV", demand_min=demand[0], demand_max=2),
                   template("natt", "23:00", "08:00", station="BLV", demand_min=demand[1], demand_max=2),
                   template("bakdag", "08:00", "20:00", station="BAK", label="bakvakt", duty="bakvakt"),
                   template("baknatt", "20:00", "08:00", station="BAK", label="bakvakt", duty="bakvakt")],
                  [*doctors, doctor("s", role="spesialist", can_bakvakt=True, stations=["BAK"])],
                  stations=[station("BLV", name="Bergen legevakt"), station("BAK", "fjernvakt", "Bakvakt")],
                  pins=[{"doctor": f"d{d}", "template": keys[k][0], "date": keys[k][1]} for d, k in sorted(pinned)],
                  rules={"weights": {**QUIET, "max_deviation": 1000, "surplus": 1000}})

    bounds, optimum = _bound_and_optimum(sc)

    if optimum is not None:
        assert sum(bounds.values()) <= optimum


def _an_employed_doctor_under_target():
    """Two days of one place each (up to three doctors), three fastleger who must each take one
    (the pool's least), and an employed doctor with share 2: the fastleger need one extra doctor,
    and each extra doctor beyond costs more (6 points) than it would bring the employed doctor
    towards their target, so the best roster has that one and leaves them under target."""
    return scenario("2026-12-01", "2026-12-02", [template("dag", "08:00", "16:00", demand_min=1, demand_max=3)],
                    [doctor("a"), doctor("b"), doctor("c"), doctor("e", share=2.0, role="annen")],
                    rules={"weights": {**QUIET, "max_deviation": 1000, "surplus": 6000, "participation": 10000},
                           "fairness": {"min_shifts": {"fastleger": 1}}})


def test_the_bound_follows_the_extra_doctors_a_smaller_sum_needs():
    """With the extra doctors capped at the fewest the fastleger need, the flow bounds the largest
    deviations summed as CP-SAT proves them, above its bound with extra doctors free; the next
    count of extra doctors is where it reaches that bound."""
    ctx, levels, largest = _held(_an_employed_doctor_under_target())
    relaxation = FlowRelaxation(ctx, held_targets(ctx, levels), True, sum(largest.values()))
    floor, _ = least_sum(relaxation.feasible, list(ctx.pools), largest, time.perf_counter() + FAR)
    need = place_need(ctx)
    total = cp_model.LinearExpr.sum([pm.largest for pm in ctx.pools.values()])
    extras = cp_model.LinearExpr.sum(list(ctx.extra.values()))
    missing = cp_model.LinearExpr.sum(list(ctx.missing.values()))
    assert need is not None and need.fewest_extras == 1

    points = extras_points(relaxation, need, list(ctx.pools), largest, floor, time.perf_counter() + FAR)

    assert points == [(1, _least(ctx, total, extras <= 1, missing == 0)), (2, floor)]
    assert points[0][1] > floor + 300


def test_the_levels_bound_prices_the_extra_doctors_without_cp_sat():
    """The fairness level's bound from the relaxation alone, on the month above: the largest
    deviations at the fewest extra doctors plus that doctor's price, far above the deviations'
    bound alone, and never above the level's optimum."""
    ctx, levels, largest = _held(_an_employed_doctor_under_target())
    level = fairness_level(ctx)
    optimum = _least(ctx, level)

    bounds = hold_levels(ctx, levels, largest, True, time.perf_counter() + FAR)

    deviations = 1000 * sum(bounds.groups.values())
    assert bounds.level == min(1000 * 800 + 6000 * 100 * 1, deviations + 6000 * 100 * 2) <= optimum
    assert bounds.level > deviations + 6000 * 100


@settings(max_examples=20, deadline=None)
@given(st.lists(st.integers(0, 2), min_size=3, max_size=3), st.sampled_from([1.5, 2.0, 3.0]), st.integers(0, 1),
       st.sampled_from([3000, 6000, 9000]), st.sampled_from([2000, 10000]), st.integers(2, 3),
       st.sampled_from(["2026-12-02", "2026-12-03"]))
def test_the_extras_cuts_keep_every_roster(least, share, pool_least, surplus, participation, most, end):
    """Months like the one above with the doctors' own least shifts, the pool's least (a shift
    missing priced, at times below an extra doctor, so the best roster may leave a doctor short),
    the employed doctor's share and the price of an extra doctor drawn: the fairness level's
    optimum with the levels held is the same with the flow's cuts in as without them, and the
    level's bound from the relaxation (the extra doctors priced) is never above it."""
    sc = scenario("2026-12-01", end, [template("dag", "08:00", "16:00", demand_min=1, demand_max=most)],
                  [*(doctor(name, min_shifts=k) for name, k in zip("abc", least)), doctor("e", share=share, role="annen")],
                  rules={"weights": {**QUIET, "max_deviation": 1000, "surplus": surplus, "participation": participation},
                         "fairness": {"min_shifts": {"fastleger": pool_least}}})
    held = _held(sc)
    if held is None:
        return
    ctx, levels, largest = held
    level = fairness_level(ctx)
    without = _least(ctx, level)

    bounds = hold_levels(ctx, levels, largest, True, time.perf_counter() + FAR)

    assert _least(ctx, level) == without
    assert bounds.level <= without
