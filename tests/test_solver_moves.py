"""Whole-line moves (solver.moves): from a roster that loads two doctors and leaves two without a
shift, the moves share the burden evenly and keep every hard rule; an even roster stays even."""

from __future__ import annotations

import importlib
import random
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from factories import doctor, scenario, station, template
from solver_util import fairness_level, roster_of
from roster.check import unexpected_violations
from roster.metrics import doctor_metrics, pool_metrics
from roster.models import Roster
from solver.builder import build_model
from solver.context import POINTS_SCALE
from roster.targets import Member
import solver.moves as moves_module
from solver.moves import TRIES_PER_PAIR, Move, _anneal, _descend, _Group, _search_from, improve_lines, pool_levels

DAYS = [f"2026-12-{d:02d}" for d in range(1, 9)]


ONE_POINT_AN_HOUR = {"burden": {k: 1.0 for k in ("weekday_day", "weekday_evening", "weekday_night", "weekend_day",
                                                 "weekend_night", "heavy_eve")}}


def _eight_days():
    """Eight day shifts of 8 points each (weekend hours weigh the same here), four doctors."""
    return scenario(DAYS[0], DAYS[-1], [template("dag", "08:00", "16:00")], [doctor(f"d{i}") for i in range(4)],
                    rules=ONE_POINT_AN_HOUR)


def _largest(sc, roster: Roster) -> float:
    return max(p.largest_deviation for p in pool_metrics(doctor_metrics(sc, roster)))


def _improved(owners: list[str]) -> tuple[Roster, Roster]:
    sc = _eight_days()
    ctx = build_model(sc)
    start = {(d, f"dag/{day}") for d, day in zip(owners, DAYS)}
    pairs, _ = improve_lines(ctx, start, deadline=time.perf_counter() + 1.0, seed=0)
    return roster_of(sc, start), roster_of(sc, pairs)


def test_line_moves_even_out_a_lopsided_roster_within_the_rules():
    sc = _eight_days()
    before, after = _improved(["d0", "d1"] * 4)
    assert _largest(sc, before) > 0 and _largest(sc, after) == 0.0  # two shifts each
    assert len(after.assignments) == len(DAYS) and unexpected_violations(sc, after) == []


def test_line_moves_leave_an_even_roster_even():
    sc = _eight_days()
    before, after = _improved(["d0", "d1", "d2", "d3"] * 2)
    assert _largest(sc, before) == _largest(sc, after) == 0.0
    assert unexpected_violations(sc, after) == []


def test_the_caller_hears_each_better_cost_down_to_the_roster_returned(monkeypatch):
    monkeypatch.setattr(moves_module, "REPORT_EVERY", 0.0)
    sc = _eight_days()
    ctx = build_model(sc)
    start = {(d, f"dag/{day}") for d, day in zip(["d0", "d1"] * 4, DAYS)}
    heard: list[float] = []
    pairs, _ = improve_lines(ctx, start, deadline=time.perf_counter() + 1.0, seed=0, on_improve=heard.append)
    assert heard, "a lopsided roster improves, and the caller is told"
    assert heard == sorted(heard, reverse=True) and len(set(heard)) == len(heard)
    assert heard[0] < _search_from(ctx, start).score.cost()[0]
    assert heard[-1] == _search_from(ctx, pairs).score.cost()[0]


def test_the_annealing_cools_within_its_tries_per_pair_however_far_the_deadline():
    """A tiny roster is annealed in a fraction of a second, not for the whole time it is given
    (which made every small solve take seconds); the guard stops a run that ignores the cap."""
    sc = _eight_days()
    ctx = build_model(sc)
    search = _search_from(ctx, {(d, f"dag/{day}") for d, day in zip(["d0", "d1"] * 4, DAYS)})
    guard = threading.Event()
    timer = threading.Timer(30.0, guard.set)
    timer.start()
    try:
        _, _, tries = _anneal(search, random.Random(0), time.perf_counter() + 3600.0, guard)
    finally:
        timer.cancel()
    assert not guard.is_set()
    assert 0 < tries <= TRIES_PER_PAIR * len(ctx.x) + 256  # the cap is checked every 256 tries
    assert search.score.totals == search.score.counts()  # kept move by move, as a recount finds them


def test_a_spare_doctor_leaves_the_extra_place_to_take_over_from_a_doctor_over_target():
    """Day 5 has two doctors (d1, d2) where one is enough; d0 carries three days. With extra
    doctors dear, the best single move hands one of d0's days to a doctor of day 5, who leaves it:
    one extra fewer and d0 relieved at once (the largest deviation 8 → 5.33 points per share)."""
    days = DAYS[:5]
    sc = scenario(days[0], days[-1], [template("dag", "08:00", "16:00", demand_max=2)],
                  [doctor(f"d{i}") for i in range(3)],
                  rules={**ONE_POINT_AN_HOUR, "weights": {"surplus": 10_000}})
    ctx = build_model(sc)
    on = {"d0": days[:3], "d1": days[3:5], "d2": days[4:5]}
    search = _search_from(ctx, {(d, f"dag/{day}") for d, mine in on.items() for day in mine})
    assert search.score.counts() == (0, 1)
    before = search.score.cost()[0]
    found = search.best(search.around("d0", search.score.signed()))
    assert found is not None
    move, _ = found
    (taker, given), = ((d, s.key) for d, s in move.on)  # one of d0's days, to one of day 5's two doctors
    assert sorted((d, s.key) for d, s in move.off) == [("d0", given), (taker, f"dag/{days[4]}")]
    assert taker in ("d1", "d2") and given in {f"dag/{day}" for day in days[:3]}
    search.score.apply(move)
    assert search.score.counts() == (0, 0)
    assert search.score.cost()[0] < before - 10_000 + 8_000  # the extra's price and more than half the deviation
    assert unexpected_violations(sc, roster_of(sc, search.state.pairs())) == []


_burden = st.floats(0, 60, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.floats(0.25, 3), st.floats(5, 80), st.floats(-8, 8),
                          st.sampled_from([0.0, 7.0]), _burden), min_size=2, max_size=12),
       st.data())
def test_a_move_is_judged_as_a_recount_of_the_whole_group_would(rows, data):
    """The annealing's quick judgement of a move (only the doctors it touches, their pools' sums
    and largest updated) against ``_figures`` recomputed over the group with their burden changed:
    the same figures, also when a move brings a pool's largest deviation down."""
    members: dict[str, list[Member]] = {}
    for i, (pool, share, cap, _, floor, _) in enumerate(rows):
        members.setdefault(pool, []).append(Member(f"d{i}", pool, share, cap, 0.0, 0.0, 0, 5, floor))
    names = [f"d{i}" for i in range(len(rows))]
    burden = {f"d{i}": row[5] for i, row in enumerate(rows)}
    repay = {f"d{i}": row[3] for i, row in enumerate(rows)}
    group = _Group(members, repay, burden)
    touched = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
    points = data.draw(st.lists(st.sampled_from([-16.0, -8.0, -7.5, 7.5, 8.0, 16.0]), min_size=len(touched),
                                max_size=len(touched)))
    change = {d: max(0.0, burden[d] + p) for d, p in zip(touched, points)}
    if len(touched) > 1:  # a transfer or a swap: the group's total (and level) stays, the quick path
        moved = sum(change.values()) - sum(burden[d] for d in touched)
        change[touched[0]] -= moved
        if change[touched[0]] < 0:
            return
    recount = group.burden.copy()
    for d, b in change.items():
        recount[group.index[d]] = b
    expected = group._figures((recount - group._targets(group.curve.level(float(recount[group.sharing].sum()))))
                              / group.norm)
    assert group.judge(change) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_the_descent_reaches_each_pools_furthest_doctor():
    """Thirty fastleger with share 0.25, each pinned to a night, are far over target (and ten
    with share 2 and no shift far under) where no move can help; two ALIS with a level of their
    own hold six and four day shifts. Ranked over all pools, the fastleger filled every rank the
    descent tried, and it rested (no move) before it reached the ALIS; ranked per pool, it hands
    an ALIS day over and evens them out."""
    days = [f"2026-12-{d:02d}" for d in range(1, 11)]
    nights = [(st_, day) for st_ in ("BLV", "ASA", "FAN") for day in days]
    sc = scenario(days[0], days[-1],
                  [*(template(f"natt-{s}", "23:00", "08:00", station=s) for s in ("BLV", "ASA", "FAN")),
                   template("dag", "08:00", "16:00", station="LOD")],
                  [*(doctor(f"f{i}", share=0.25, stations=["BLV", "ASA", "FAN"]) for i in range(30)),
                   *(doctor(f"g{i}", share=2.0, stations=["BLV", "ASA", "FAN"]) for i in range(10)),
                   doctor("a0", role="ALIS", stations=["LOD"]), doctor("a1", role="ALIS", stations=["LOD"])],
                  stations=[station(s) for s in ("BLV", "ASA", "FAN", "LOD")],
                  pins=[{"doctor": f"f{i}", "date": day, "template": f"natt-{s}"} for i, (s, day) in enumerate(nights)],
                  rules={**ONE_POINT_AN_HOUR, "fairness": {"own_level": ["ALIS"]}})
    ctx = build_model(sc)
    dated = sorted(d for d in ctx.index.by_key if d.startswith("dag/"))
    start = {(f"f{i}", f"natt-{s}/{day}") for i, (s, day) in enumerate(nights)}
    start |= {("a0" if k < 6 else "a1", key) for k, key in enumerate(dated)}
    search = _search_from(ctx, start)
    alis = [x.doctor for x in ctx.fairness_plan.pools["ALIS"]]
    assert max(abs(search.score.signed()[d]) for d in alis) > 0

    moves = _descend(search, random.Random(0), time.perf_counter() + 60.0, None)

    assert moves >= 1 and max(abs(search.score.signed()[d]) for d in alis) < 1e-9
    assert unexpected_violations(sc, roster_of(sc, search.state.pairs())) == []


def test_line_moves_that_run_to_their_deadline_are_read_back(monkeypatch):
    """The line moves use their time to the end; the read of their roster then takes the level's
    time after it. Held to the moves' own deadline, the read found no time left and the roster
    they had evened out was thrown away."""
    solve_module = importlib.import_module("solver.solve")
    sc = _eight_days()
    ctx = build_model(sc)
    level = fairness_level(ctx)
    ctx.model.minimize(level)
    lopsided = {(d, f"dag/{day}") for d, day in zip(["d0", "d1"] * 4, DAYS)}
    even = {(d, f"dag/{day}") for d, day in zip(["d0", "d1", "d2", "d3"] * 2, DAYS)}
    canceller = solve_module._Canceller(None)
    code, start = solve_module._fixed_pass(ctx, 10.0, 0, canceller, lopsided)
    assert code == cp_model.OPTIMAL
    ctx.read_seconds = 0.5

    def moves_to_the_end(ctx, pairs, *, deadline, seed, stop, on_improve):
        on_improve(4.0)
        time.sleep(max(0.0, deadline - time.perf_counter()))
        return even, 8

    monkeypatch.setattr(solve_module, "improve_lines", moves_to_the_end)
    now = time.perf_counter()
    events = []
    progress = solve_module.Progress(ctx, events.append, None, now)
    final = solve_module._line_moves(ctx, start, level, now + 0.3, now + 30.0, 0, canceller, progress)

    assert {pair for pair, v in ctx.x.items() if final.boolean_value(v)} == even
    assert final.value(level) < start.value(level)
    assert [(e.level_objective, e.open_slots) for e in events] == [(4.0, 0)]  # the search's progress, as it came


@pytest.mark.parametrize("alis_days", [2, 6])
def test_the_levels_hinted_for_a_moved_roster_are_where_the_model_puts_them(alis_days):
    """The read of the moves' roster is hinted each pool's level (``pool_levels``): with the ALIS on
    a level of their own and 2 or 6 of the 8 day shifts, the hint is the model's level for both
    pools (its unit, ±1 for rounding), the ALIS' being their day shifts' 8 points shared by two."""
    sc = scenario(DAYS[0], DAYS[-1], [template("dag", "08:00", "16:00"), template("kveld", "16:00", "23:00")],
                  [*(doctor(f"f{i}") for i in range(3)), doctor("g", share=0.5),
                   *(doctor(f"a{i}", role="ALIS") for i in range(2))],
                  rules={**ONE_POINT_AN_HOUR, "fairness": {"own_level": ["ALIS"]}})
    ctx = build_model(sc)
    fastleger = ["f0", "f1", "f2", "g"]
    pairs = {(f"a{k % 2}" if k < alis_days else fastleger[k % 4], f"dag/{day}") for k, day in enumerate(DAYS)}
    pairs |= {(fastleger[(k + 1) % 4], f"kveld/{day}") for k, day in enumerate(DAYS)}
    solve_module = importlib.import_module("solver.solve")
    code, read = solve_module._fixed_pass(ctx, 10.0, 0, solve_module._Canceller(None), pairs)
    assert code == cp_model.OPTIMAL

    hinted = pool_levels(ctx, pairs)

    model = {name: read.value(pm.level) for name, pm in ctx.pools.items()}
    assert hinted.keys() == model.keys() == {"fastleger", "ALIS"}
    assert all(abs(hinted[p] - model[p]) <= 1 for p in model), (hinted, model)
    alis_level = 8 * POINTS_SCALE * alis_days / 2  # 8 points a day shift, shared by two ALIS of share 1
    assert abs(hinted["ALIS"] - alis_level) <= 1


def _one_short_at_a():
    """n may only work at station A, whose two days o0 and o1 hold, one shift each (every
    fastlege's least); p holds both days at B."""
    days = DAYS[:2]
    sc = scenario(days[0], days[-1],
                  [template("dagA", "08:00", "16:00", station="A"), template("dagB", "08:00", "16:00", station="B")],
                  [doctor("n", stations=["A"]), doctor("o0", stations=["A", "B"]), doctor("o1", stations=["A", "B"]),
                   doctor("p", stations=["B"])],
                  stations=[station("A"), station("B")], rules=ONE_POINT_AN_HOUR)
    ctx = build_model(sc)
    search = _search_from(ctx, {("o0", f"dagA/{days[0]}"), ("o1", f"dagA/{days[1]}"),
                                ("p", f"dagB/{days[0]}"), ("p", f"dagB/{days[1]}")})
    assert search.score.counts()[0] == 1  # n short of one shift
    return sc, search


def test_a_doctor_without_a_shift_gets_in_through_a_holder_at_their_least():
    """n taking a day from o0 leaves o0 short instead, p handing a day to o0 only moves the
    largest deviation from p to o0: no single move lowers the cost. The chain (n takes o0's day,
    o0 takes one of p's) lets n in with nobody short and everyone at target."""
    sc, search = _one_short_at_a()

    moves = _descend(search, random.Random(0), time.perf_counter() + 60.0, None)

    assert moves == 1 and search.score.counts()[0] == 0
    assert max(abs(v) for v in search.score.signed().values()) < 1e-9
    assert unexpected_violations(sc, roster_of(sc, search.state.pairs())) == []


def test_the_chains_per_look_are_capped(monkeypatch):
    """A long period gives a doctor hundreds of places and the chains grow with the square of
    that: a look stops at CHAIN_MOVES, after the place it has begun (here n's two days at A give
    two chains each, o0's or o1's day at A and one of p's two days at B)."""
    _, search = _one_short_at_a()
    assert len(search.chains("n", random.Random(0))) == 4
    monkeypatch.setattr(moves_module, "CHAIN_MOVES", 1)
    capped = search.chains("n", random.Random(0))
    assert len(capped) == 2 and len({m.on[0][1].key for m in capped}) == 1


def test_moves_keep_the_pilots_specialist_on_call():
    """A move may not hand the bakvakt from the specialist to a fastlege who is none, nor open
    Åsane's optional shift while no specialist is on call then; with one on call it may."""
    gp = doctor("lege", can_bakvakt=True, competence={"clinical_months": 30, "legevakt_shifts_done": 40})
    day = DAYS[0]
    sc = scenario(day, day,
                  [template("kveld", "16:00", "23:00"),
                   template("asa", "10:00", "16:00", station="ASA", demand_min=0, demand_max=1),
                   template("bv", "16:00", "23:00", station="BAK", duty="bakvakt"),
                   template("bv-dag", "10:00", "16:00", station="BAK", duty="bakvakt", demand_min=0)],
                  [doctor("a"), gp, doctor("s", role="spesialist", can_bakvakt=True),
                   doctor("t", role="spesialist", can_bakvakt=True)],
                  stations=[station("BLV"), station("ASA", "bydelslegevakt"), station("BAK", "fjernvakt")])
    ctx = build_model(sc)

    def on(doctor_id: str, template_id: str) -> tuple:
        return ((doctor_id, ctx.index.by_key[f"{template_id}/{day}"]),)

    evening = {("a", f"kveld/{day}"), ("s", f"bv/{day}")}
    search = _search_from(ctx, evening)
    assert not search.feasible(Move(on("s", "bv"), on("lege", "bv")))
    assert search.feasible(Move(on("s", "bv"), on("t", "bv")))
    assert not search.feasible(Move((), on("lege", "asa")))
    assert _search_from(ctx, evening | {("t", f"bv-dag/{day}")}).feasible(Move((), on("lege", "asa")))
