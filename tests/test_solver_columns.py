"""A first roster chosen among whole staff lines (solver.columns): column generation over each
doctor's own model, a dive to one line each, and the best choice among the lines found."""

from __future__ import annotations

import datetime as dt
import importlib

from ortools.sat.python import cp_model

from factories import doctor, scenario, template
from solver_util import QUIET, read_objective, roster_of, watch

from benchmarks.curtois import best_known, load, score
from benchmarks.curtois.adapter import assignments, to_scenario
from benchmarks.curtois.bench import SEARCHES, auto_search
from roster.check import unexpected_violations
from roster.models import Scenario, shift_key
from solver import Search, solve
from solver.builder import build_model
from solver.columns import Master, _best_choice, price_and_dive
from solver.lines import LineModels


def _runs(min_hours: float = 48) -> Scenario:
    """Two weeks, one 8-hour day shift needing one doctor (over-staffing priced 1 a doctor), three
    doctors who each must work at least ``min_hours`` in runs of two to four days with two days off
    between runs, and a wish of a's against the 1st."""
    rules = {"weights": {**QUIET, "surplus": 1}, "rest_hours_self_employed": 0,
             "legal_floor_override": "test: runs and hours alone"}
    doctors = [doctor(d, min_hours=min_hours, min_consecutive_days=2, max_consecutive_days=4, min_days_off=2)
               for d in "abc"]
    wishes = [{"doctor": "a", "date": "2026-12-01", "wants": False, "weight": 5}]
    return scenario("2026-12-01", "2026-12-14", [template("dag", "08:00", "16:00", demand_max=3)], doctors,
                    rules=rules, wishes=wishes)


def _optimum(sc: Scenario) -> float:
    """The whole model solved to its proven optimum (the instance is tiny)."""
    ctx = build_model(sc)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    assert solver.solve(ctx.model) == cp_model.OPTIMAL
    return solver.objective_value


def test_the_lines_chosen_keep_every_rule_and_reach_the_optimum_of_a_small_roster():
    sc = _runs()
    models = LineModels(build_model(sc))
    assert models.exact
    outcome = price_and_dive(models, 20.0, 0, watch())
    assert outcome is not None and unexpected_violations(sc, roster_of(sc, outcome.pairs)) == []
    assert {d for d, _ in outcome.pairs} == {"a", "b", "c"}
    assert read_objective(sc, outcome.pairs) == _optimum(sc)
    assert outcome.root <= _optimum(sc) + 1e-6  # the master's LP bounds every roster of its lines from below


def test_no_lines_when_a_doctors_line_cannot_exist():
    """Runs of at most four 8-hour days with two days off between them hold 80 hours in two weeks."""
    assert price_and_dive(LineModels(build_model(_runs(min_hours=88))), 10.0, 0, watch()) is None


def test_a_cancelled_search_chooses_nothing():
    assert price_and_dive(LineModels(build_model(_runs())), 10.0, 0, watch(cancelled=True)) is None


def test_the_best_choice_goes_back_on_a_dive_that_stacked_two_lines():
    """Two days needing one doctor each; the dive left a and b both on the 1st. Among the lines
    the master holds, one doctor a day is better: one open place and one extra doctor fewer."""
    rules = {"weights": {**QUIET, "surplus": 1}, "rest_hours_self_employed": 0,
             "legal_floor_override": "test: cover alone"}
    sc = scenario("2026-12-01", "2026-12-02", [template("dag", "08:00", "16:00", demand_max=2)],
                  [doctor("a", max_hours=8), doctor("b", max_hours=8)], rules=rules)
    models = LineModels(build_model(sc))
    first, second = (shift_key("dag", dt.date(2026, 12, day)) for day in (1, 2))
    master = Master(models, ["a", "b"])
    for doctor_id in "ab":
        for key in (first, second):
            master.add(doctor_id, frozenset({key}), 0)
        master.fix(doctor_id, master.columns[doctor_id][0])
    chosen = _best_choice(models, master, master.fixed, deadline=float("inf"), seed=0, workers=1, watch=watch())
    assert sorted(next(iter(chosen[d].keys)) for d in "ab") == sorted([first, second])


def test_a_line_is_not_added_twice_and_a_fixed_doctor_takes_no_more():
    sc = _runs()
    models = LineModels(build_model(sc))
    master = Master(models, ["a", "b", "c"])
    line = frozenset({shift_key("dag", dt.date(2026, 12, 2))})
    assert master.add("a", line, 0) and not master.add("a", line, 0)
    master.fix("a", master.columns["a"][0])
    assert not master.add("a", frozenset(), 0) and len(master.columns["a"]) == 1


def test_lines_by_columns_are_skipped_where_lines_do_not_see_the_whole_objective():
    """With spacing priced, a line's price would miss terms of the roster's cost: the usual first
    roster is built instead."""
    sc = _runs()
    spaced = sc.model_copy(update={"rules": sc.rules.model_copy(update={
        "weights": sc.rules.weights.model_copy(update={"spacing": 1})})})
    roster = solve(spaced, time_limit=10, workers=1, search=Search(columns=True, complete_first=False))
    assert roster.assignments and unexpected_violations(spaced, roster) == []
    names = [p.name for p in roster.stats.phases]
    assert names[:2] == ["lines by columns", "first roster"]


def test_curtois_instance_5_by_columns_is_legal_and_scored_alike():
    """A benchmark instance through the whole product: the scorer and the checker accept the
    roster and agree with its objective, which is within 1 % of the published optimum."""
    instance = load(5)
    sc = to_scenario(instance)
    roster = solve(sc, time_limit=20, workers=2, search=Search(**SEARCHES["columns+max_lp"]))
    assert roster.stats.phases[0].name == "lines by columns"
    scored = score(instance, assignments(roster.assignments))
    assert scored.violations == [] and unexpected_violations(sc, roster) == []
    assert scored.objective == roster.stats.objective <= 1.01 * best_known()["Instance5"][0]


def test_lines_by_columns_show_each_better_roster_as_they_go():
    """Curtois 12's phase takes most of a minute: each of the LP's roundings that is better than
    the last is an event, and the roster at the end is no worse than the last of them."""
    events = []
    roster = solve(_runs(), time_limit=10, workers=1, on_progress=events.append,
                   search=Search(**SEARCHES["columns+max_lp"]))
    phase = roster.stats.phases[0]
    assert phase.name == "lines by columns"
    during = [e.objective for e in events if e.elapsed <= phase.start + phase.used]
    assert during and all(later < earlier for earlier, later in zip(during, during[1:-1]))
    assert roster.stats.objective <= during[-1] and unexpected_violations(_runs(), roster) == []


def test_the_benchmark_takes_whole_lines_first_only_where_they_were_measured_to_win():
    """Up to four weeks and Curtois 12's size; on 13 (120 staff) and 14 (six weeks) max_lp alone
    did better."""
    assert [auto_search(load(i)) for i in (1, 12, 13, 14)] == ["columns+max_lp", "columns+max_lp", "max_lp", "max_lp"]


def test_lines_the_whole_model_refuses_leave_the_search_to_find_a_roster(monkeypatch):
    """A rule between doctors that no line sees may refuse the lines' roster; that proves nothing
    about the model, so the search goes on (it was taken for "no roster exists")."""
    solve_module = importlib.import_module("solver.solve")
    read = solve_module._fixed_pass
    calls = []

    def refuse_first(ctx, limit, seed, canceller, pairs=None, first=False, start=None):
        calls.append(pairs)
        if len(calls) == 1:
            return cp_model.INFEASIBLE, cp_model.CpSolver()
        return read(ctx, limit, seed, canceller, pairs, first, start)

    monkeypatch.setattr(solve_module, "_fixed_pass", refuse_first)
    sc = _runs()
    roster = solve(sc, time_limit=10, workers=1, search=Search(**SEARCHES["columns+max_lp"]))
    assert calls and calls[0] is not None  # the lines' roster was read, and refused
    assert roster.stats.status.value in ("optimal", "feasible") and unexpected_violations(sc, roster) == []
