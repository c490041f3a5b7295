"""The time budget (solver.budget): phases hand on what they leave, a search without a roster goes
on to the limit, and the phases, model build included, end by the caller's limit. Asserted on the
phases the solve reports, not on the wall clock."""

from __future__ import annotations

import importlib
import random
import time

from factories import doctor, scenario, template
from ortools.sat.python import cp_model

from roster.models import SolveStatus
from solver import Search, solution, solve
from solver.budget import Budget, HandOver
from solver.builder import build_model
from solver.solve import EXPLAIN_MOST, EXPLAIN_SHARE, FREE_SHARE
from solver_util import FEASIBLE, run

SLACK = 0.01  # seconds between a phase's budget being worked out and its start being recorded


def _fortnight():
    return scenario("2026-12-01", "2026-12-14", [template("dag", "08:00", "16:00"), template("natt", "23:00", "08:00")],
                    [doctor(f"d{i}") for i in range(5)], rules={"max_shifts_per_7_days": 4})


def _days():
    """Small enough to be proved optimal in well under a second."""
    return scenario("2026-12-01", "2026-12-03", [template("dag", "08:00", "16:00"), template("natt", "23:00", "08:00")],
                    [doctor(f"d{i}") for i in range(4)])


def _phases(roster):
    return {p.name: p for p in roster.stats.phases}


def _ends_by_the_limit(roster):
    limit = roster.stats.time_limit
    assert roster.stats.phases[0].start >= roster.stats.build_time  # the build is paid from the same limit
    assert all(p.start + p.budget <= limit - roster.stats.kept_back + 1e-9 for p in roster.stats.phases)


def test_a_phase_that_ends_early_hands_its_time_to_the_next():
    r = run(_days(), time_limit=20)
    first = _phases(r)["first roster"]
    after = r.stats.phases[r.stats.phases.index(first) + 1]  # the levels (lexicographic, the default)
    assert first.used < first.budget  # the first roster came well inside its half
    assert after.budget >= 20 - r.stats.kept_back - after.start - SLACK  # … and the next phase got all that was left
    assert after.budget > 20 - first.start - first.budget  # more than its share had the first phase used it all
    _ends_by_the_limit(r)


def test_a_share_is_of_what_is_left_and_never_more():
    budget = Budget(10.0, started=0.0)
    budget.elapsed = lambda: 4.0  # a build that took 4 s
    assert budget.share(0.5) == 3.0 and budget.share(1.0, keep=2.0) == 4.0
    budget.elapsed = lambda: 11.0  # past the limit: nothing is left to give
    assert budget.left() == 0.0 and budget.share(0.5) == 0.0
    with budget.phase("late", 5.0) as given:
        assert given == 0.0


def test_what_is_kept_back_is_taken_from_the_searches_not_from_the_caller():
    budget = Budget(10.0, started=0.0)
    budget.keep_back(1.5)
    budget.keep_back(0.5)
    budget.elapsed = lambda: 4.0
    assert budget.left() == 4.0 and budget.deadline == 8.0 and budget.end == 10.0
    with budget.phase("last", 9.0) as given:
        assert given == 4.0


def test_the_phases_end_the_models_lag_and_the_reasons_time_before_the_limit(monkeypatch):
    """CP-SAT returns late on a big model (1–2 s on Curtois 23's 873 051 constraints): a lag of
    ~2 s per model here stands in for it."""
    plain = run(_fortnight(), time_limit=6, search=Search(lexicographic=False, lns_share=0.7, lns_round=0.5))
    per_constraint = 2.0 / plain.stats.constraints
    monkeypatch.setattr("solver.budget.LAG_PER_CONSTRAINT", per_constraint)
    r = run(_fortnight(), time_limit=6, search=Search(lexicographic=False, lns_share=0.7, lns_round=0.5))
    kept = r.stats.kept_back
    freeing = FREE_SHARE * r.stats.build_time
    assert abs(kept - (per_constraint * r.stats.constraints + min(EXPLAIN_SHARE * 6, EXPLAIN_MOST) + freeing)) < 1e-9
    assert 1.5 < kept < 2.5
    assert all(p.start + p.budget <= 6 - kept + 1e-9 for p in r.stats.phases)
    last = r.stats.phases[-1]
    assert last.start + last.budget >= 6 - kept - SLACK  # the last search still had all the rest
    assert r.stats.status in FEASIBLE


def test_without_a_roster_the_optimisation_searches_until_the_limit():
    """No first pass and 70 % kept for neighbourhood search, as the Curtois setting for a year:
    with no roster to start from, the optimisation is given the whole time, not 30 %."""
    r = run(_days(), time_limit=10, search=Search(first_pass=False, lns_share=0.7, lns_round=0.5))
    optimise = _phases(r)["optimise"]
    assert optimise.budget >= 10 - r.stats.kept_back - optimise.start - SLACK
    assert r.stats.status in FEASIBLE
    _ends_by_the_limit(r)


def test_with_a_roster_the_optimisation_keeps_the_neighbourhood_search_share():
    r = run(_fortnight(), time_limit=4, search=Search(lexicographic=False, lns_share=0.7, lns_round=0.5))
    phases = _phases(r)
    optimise = phases["optimise"]
    assert optimise.budget <= 0.3 * (4 - optimise.start) + SLACK
    if r.stats.status == SolveStatus.FEASIBLE:  # not proved optimal: the rest went to the neighbourhoods
        lns = phases["neighbourhood search"]
        assert lns.budget >= 4 - r.stats.kept_back - lns.start - SLACK
    _ends_by_the_limit(r)


def test_a_build_past_the_limit_ends_the_solve_without_searching():
    r = solve(_days(), time_limit=0.0, workers=1)
    assert r.stats.status == SolveStatus.UNKNOWN and r.assignments == [] and r.stats.phases == []
    assert any("Tidsgrensen" in w and "bygget" in w for w in r.warnings)


def test_a_build_inside_the_limit_searches():
    r = run(_days(), time_limit=5)
    assert r.stats.status in FEASIBLE and r.stats.phases and not r.warnings


def test_the_unfilled_places_are_explained_until_the_limit_in_time_kept_for_them(monkeypatch):
    """The reasons run the checker once per unfilled place, after the phases (half-year rosters
    took up to 37 s): they stop before the caller's limit by the time freeing the model takes (a
    share of its build), and the phases leave them their share."""
    given = []
    explain = solution.open_place_reasons

    def reasons(*args):
        given.append(args[-1])
        return explain(*args)

    monkeypatch.setattr(solution, "open_place_reasons", reasons)
    short = scenario("2026-12-01", "2026-12-02", [template("dag", "08:00", "16:00", demand_min=2, demand_max=2)],
                     [doctor("d0")])
    before = time.perf_counter()
    r = run(short, time_limit=5)
    after = time.perf_counter()
    assert len(r.open_slots) == 2 and all(o.reason for o in r.open_slots)
    freeing = FREE_SHARE * r.stats.build_time
    assert freeing > 0
    assert len(given) == 1 and before + 5 - freeing <= given[0] <= after + 5 - freeing
    assert all(p.start + p.budget <= 5 - EXPLAIN_SHARE * 5 - freeing + 1e-9 for p in r.stats.phases)


def _partition(solver: cp_model.CpSolver):
    """Number partitioning: rosters come at once, optimality is never proved in seconds."""
    rng = random.Random(1)
    model = cp_model.CpModel()
    sizes = [rng.randint(10**8, 10**9) for _ in range(60)]
    xs = [model.new_bool_var(f"x{i}") for i in range(60)]
    diff = model.new_int_var(0, sum(sizes), "diff")
    side = cp_model.LinearExpr.weighted_sum(xs, sizes)
    model.add(2 * side - sum(sizes) <= diff)
    model.add(sum(sizes) - 2 * side <= diff)
    model.minimize(diff)
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    return model


def test_hand_over_stops_a_search_that_holds_a_roster():
    solver = cp_model.CpSolver()
    model = _partition(solver)
    with HandOver(solver, at=0.0, has_roster=lambda: True):
        code = solver.solve(model)
    assert code == cp_model.FEASIBLE and solver.wall_time < 30  # stopped, not run to its 60 s


def test_hand_over_lets_a_search_without_a_roster_run_to_its_limit():
    solver = cp_model.CpSolver()
    model = _partition(solver)
    solver.parameters.max_time_in_seconds = 1.0
    with HandOver(solver, at=0.0, has_roster=lambda: False):
        code = solver.solve(model)
    assert code == cp_model.FEASIBLE and solver.wall_time >= 0.9  # ran on to its own limit


def test_no_pass_over_the_model_starts_that_a_read_of_the_roster_shows_cannot_end_in_time(monkeypatch):
    """CP-SAT does not interrupt its load and presolve for its time limit, so a pass started with
    less time left than a read of a roster took ends late. The first roster's read is measured;
    with a read known to take 5 s, a level with 2 s left reads nothing back and searches nothing,
    and with enough time it does both."""
    solve_module = importlib.import_module("solver.solve")
    ctx = build_model(_fortnight())
    with solve_module._Canceller(None) as canceller:
        code, first = solve_module._first_roster(ctx, 10.0, 0, canceller)
        assert code in solve_module.FOUND and ctx.read_seconds > 0  # measured on the first roster's read
        passes = []
        real = solve_module._fixed_pass
        monkeypatch.setattr(solve_module, "_fixed_pass", lambda *a, **kw: passes.append("read") or real(*a, **kw))
        monkeypatch.setattr(solve_module, "_level_solve", lambda *a, **kw: passes.append("level") or (cp_model.UNKNOWN, first))
        pairs = {pair for pair, v in ctx.x.items() if first.boolean_value(v)}
        progress = solve_module.Progress(ctx, None, None, time.perf_counter())
        ctx.model.minimize(ctx.levels[-1])

        ctx.read_seconds = 5.0
        soon = time.perf_counter() + 2.0
        assert solve_module._reread(ctx, first, pairs, 0, canceller, soon) is first
        kept, bound = solve_module._level(ctx, ctx.levels[-1], False, True, first, soon, 1, 0, Search(), progress,
                                          canceller)
        assert kept is first and bound == 0 and passes == []

        ctx.read_seconds = 0.0
        later = time.perf_counter() + 10.0
        assert solve_module._reread(ctx, first, pairs, 0, canceller, later) is not first
        solve_module._level(ctx, ctx.levels[-1], False, True, first, later, 1, 0, Search(), progress, canceller)
        assert passes[0] == "read" and passes[-1] == "level"


def test_the_first_rosters_read_may_run_past_its_phase_to_the_deadline(monkeypatch):
    """At 2 950 doctors × 3 months the read of the greedy roster takes ~34 s; a phase of 31 s cut it
    short and the solve ended without a roster. The read is given up to ``read_limit``."""
    solve_module = importlib.import_module("solver.solve")
    ctx = build_model(_fortnight())
    limits = []
    real = solve_module._fixed_pass
    monkeypatch.setattr(solve_module, "_fixed_pass", lambda c, limit, *a, **kw: limits.append(limit) or real(c, limit, *a, **kw))
    with solve_module._Canceller(None) as canceller:
        code, _ = solve_module._first_roster(ctx, 1.0, 0, canceller, read_limit=30.0)
    assert code in solve_module.FOUND
    assert len(limits) == 1 and 29.0 < limits[0] <= 30.0


def test_a_read_that_used_up_its_phase_starts_no_search_and_claims_no_infeasibility(monkeypatch):
    """The greedy roster broke a rule, found out only after the phase's time: no search over the
    whole model follows (it would end late), and the solve is not told the model is infeasible."""
    solve_module = importlib.import_module("solver.solve")
    ctx = build_model(_fortnight())
    searches = []

    def slow_read(c, limit, *a, **kw):
        time.sleep(0.2)
        c.read_seconds = 0.2
        return cp_model.INFEASIBLE, cp_model.CpSolver()

    monkeypatch.setattr(solve_module, "_fixed_pass", slow_read)
    monkeypatch.setattr(solve_module, "_feasibility", lambda *a, **kw: searches.append(a) or (cp_model.FEASIBLE, None))
    with solve_module._Canceller(None) as canceller:
        code, _ = solve_module._first_roster(ctx, 0.1, 0, canceller, read_limit=30.0)
    assert code == cp_model.UNKNOWN and searches == []
    with solve_module._Canceller(None) as canceller:  # with time left after the read, the search follows
        code, _ = solve_module._first_roster(build_model(_fortnight()), 10.0, 0, canceller, read_limit=30.0)
    assert code == cp_model.FEASIBLE and len(searches) == 1
