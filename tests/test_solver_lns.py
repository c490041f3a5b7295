"""Neighbourhood search (solver.lns) and the near-the-change phase of re-planning."""

from __future__ import annotations

import datetime as dt
import importlib
import time

from factories import doctor, scenario, template
from ortools.sat.python import cp_model

from roster.changes import changes_from_data
from roster.check import unexpected_violations
from roster.models import Assignment
from solver import Search, solve
from solver.builder import build_model
from solver.context import set_domain
from solver.lns import Pinned, improve, objective_of
from solver.replan import _near

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
solve_module = importlib.import_module("solver.solve")  # the package exports the function solve under that name


def _fortnight():
    """Two weeks of days and nights, five doctors, wishes that a poor first roster ignores."""
    wishes = [{"doctor": f"d{i}", "date": f"2026-12-{d:02d}", "wants": bool(i % 2), "weight": 1 + (i + d) % 3}
              for i in range(5) for d in range(1, 15, 2)]
    return scenario("2026-12-01", "2026-12-14", [template("dag", "08:00", "16:00"), template("natt", "23:00", "08:00")],
                    [doctor(f"d{i}") for i in range(5)], wishes=wishes,
                    rules={"max_shifts_per_7_days": 4})


def test_improve_never_worsens_and_returns_a_solution_of_the_model():
    ctx = build_model(_fortnight())
    first = cp_model.CpSolver()
    first.parameters.stop_after_first_solution = True
    first.parameters.num_workers = 1
    assert first.solve(ctx.model) in FOUND
    start = objective_of(ctx.model, first.response_proto.solution)
    seen = []
    values, objective, rounds = improve(ctx, list(first.response_proto.solution),
                                        deadline=time.perf_counter() + 3, workers=1, seed=0, round_limit=0.5,
                                        on_improve=lambda v, o: seen.append(o))
    assert rounds and objective <= start and seen == sorted(seen, reverse=True)
    assert all(a > b for a, b in zip([start, *seen], seen))  # each report is a strict improvement
    # the values are a solution: fixing every variable to them is feasible, at that objective
    check = ctx.model.clone()
    check.clear_hints()
    for i, v in enumerate(values):
        check.add(check.get_int_var_from_proto_index(i) == v)
    solver = cp_model.CpSolver()
    assert solver.solve(check) in FOUND and round(solver.objective_value) == objective


def test_each_round_holds_everything_outside_its_neighbourhood_at_the_roster_of_that_round():
    """One copy of the model serves every round: what the round before freed is held again, at the
    roster's value now (which that round may have changed), and what a round frees gets the
    model's own domain back, a narrowed one included."""
    ctx = build_model(_fortnight())
    assignments = [v.index for items in ctx.by_doctor.values() for _, v in items]
    narrowed = assignments[-1]
    set_domain(ctx.model.proto.variables[narrowed].domain, 0, 0)  # as a re-plan holds a far assignment
    values = [0] * len(ctx.model.proto.variables)
    original = [list(v.domain) for v in ctx.model.proto.variables]
    pinned = Pinned(ctx.model, assignments, values)

    def expect(free, values):
        domains = pinned.model.proto.variables
        for i in assignments:
            assert list(domains[i].domain) == (original[i] if i in free else [values[i], values[i]])
        assert list(pinned.model.proto.solution_hint.values) == values

    first = set(assignments[:8]) | {narrowed}
    pinned.round(first, values)
    expect(first, values)
    moved = list(values)
    for i in assignments[:4]:  # the first round's roster took these
        moved[i] = 1
    second = set(assignments[6:12])
    pinned.round(second, moved)
    expect(second, moved)
    assert [list(v.domain) for v in ctx.model.proto.variables] == original  # the model itself untouched


def test_the_objective_of_a_solution_is_read_from_the_model_offset_included():
    ctx = build_model(_fortnight())
    assert ctx.model.proto.objective.offset != 0  # the case the sum alone would get wrong
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.solve(ctx.model) in FOUND
    values = list(solver.response_proto.solution)
    # CP-SAT's own value of these values: every variable held (its objective_value for a roster found
    # short of optimal may count slack its postsolve has since lowered)
    held = ctx.model.clone()
    for i, v in enumerate(values):
        held.add(held.get_int_var_from_proto_index(i) == v)
    assert solver.solve(held) == cp_model.OPTIMAL
    assert objective_of(ctx.model, values) == round(solver.objective_value)
    worse = list(values)
    short = next(iter(ctx.short.values())).index  # an open place costs
    worse[short] += 1
    assert objective_of(ctx.model, worse) > round(solver.objective_value)


def test_solve_with_neighbourhood_search_keeps_the_bound_and_the_rules():
    sc = _fortnight()
    roster = solve(sc, time_limit=4, workers=1, search=Search(lns_share=0.5, lns_round=0.5))
    assert roster.stats.status.value in ("optimal", "feasible")
    assert unexpected_violations(sc, roster) == []
    assert roster.stats.bound <= roster.stats.objective + 1e-6


def test_the_roster_of_the_neighbourhood_search_is_read_back_within_the_callers_time(monkeypatch):
    """The search stops short of the deadline, and the solve that reads its roster back gets what
    is left of the caller's time (it had 60 s of its own). The search is stood in for by one that
    claims an improvement, so the read-back always runs."""
    ctx = build_model(_fortnight())
    first = cp_model.CpSolver()
    first.parameters.stop_after_first_solution = True
    first.parameters.num_workers = 1
    assert first.solve(ctx.model) in FOUND
    searched_until, limits = [], []

    def claims_better(ctx, values, *, deadline, **kw):
        searched_until.append(deadline)
        return values, objective_of(ctx.model, values) - 1, 1

    fixed_pass = solve_module._fixed_pass

    def read_back(ctx, limit, *args, **kw):
        limits.append(limit)
        return fixed_pass(ctx, limit, *args, **kw)

    monkeypatch.setattr(solve_module, "improve", claims_better)
    monkeypatch.setattr(solve_module, "_fixed_pass", read_back)
    before = time.perf_counter()
    deadline = before + 2
    with solve_module._Canceller(None) as canceller:
        kept = solve_module._neighbourhood_search(ctx, first, deadline, 1, 0, Search(lns_share=0.5),
                                                  solve_module.Progress(ctx, None, None, time.perf_counter()), canceller)
    [limit] = limits
    assert searched_until[0] < deadline
    assert 0 < limit < deadline - before
    assert kept is not first  # read back: the claimed roster is the model's own


def test_the_neighbourhood_search_keeps_back_a_few_reads_not_a_tenth_of_its_time(monkeypatch):
    """Curtois 20 kept 43 s of 435 back for a read of about a second."""
    ctx = build_model(_fortnight())
    first = cp_model.CpSolver()
    first.parameters.stop_after_first_solution = True
    first.parameters.num_workers = 1
    assert first.solve(ctx.model) in FOUND
    ctx.read_seconds = 0.5
    searched_until = []

    def finds_nothing(ctx, values, *, deadline, **kw):
        searched_until.append(deadline)
        return values, objective_of(ctx.model, values), []

    monkeypatch.setattr(solve_module, "improve", finds_nothing)
    deadline = time.perf_counter() + 100
    with solve_module._Canceller(None) as canceller:
        solve_module._neighbourhood_search(ctx, first, deadline, 1, 0, Search(lns_share=0.5),
                                           solve_module.Progress(ctx, None, None, time.perf_counter()), canceller)
    assert deadline - searched_until[0] == solve_module.RECHECK_READS * 0.5


def test_the_near_dates_of_a_replan_surround_what_the_change_touches():
    sc = _fortnight()
    changes = changes_from_data({"pins": [{"doctor": "d0", "date": "2026-12-13", "template": "dag"}]})
    dropped = [Assignment(doctor="d1", template="natt", date=dt.date(2026, 12, 2))]
    near = _near(sc, changes, dropped)
    days = {d.day for d in near}
    assert days == {1, 2, 3, 4, 5} | {10, 11, 12, 13, 14}  # ±3 days, clipped to the period
