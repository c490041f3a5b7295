"""The Curtois & Qu instances run through the product's own model: the adapter's scenario, solved
by solver.solve, gives rosters the legevakt checker accepts and whose objective the independent
scorer recomputes exactly."""

from __future__ import annotations

from benchmarks.curtois import best_known, load, score
from benchmarks.curtois.adapter import assignments, date_day, day_date, to_scenario
from benchmarks.curtois.bench import SEARCHES, auto_search, one_run
from roster.check import unexpected_violations
from solver import Search, solve


def test_instance1_reaches_the_published_optimum_and_the_scorer_agrees():
    instance = load(1)
    scenario = to_scenario(instance)
    roster = solve(scenario, time_limit=20, workers=1, search=Search(**SEARCHES[auto_search(instance)]))
    assert unexpected_violations(scenario, roster) == []
    scored = score(instance, assignments(roster.assignments))
    assert scored.violations == []
    assert scored.objective == roster.stats.objective == best_known()["Instance1"][0] == 607
    assert roster.stats.status.value == "optimal"


def test_every_rule_of_the_benchmark_lands_on_a_scenario_field():
    instance = load(15)
    sc = to_scenario(instance)
    staff = instance.staff["A"]
    doctor = sc.doctor("A")
    assert doctor.min_hours * 60 == staff.min_minutes and doctor.max_hours * 60 == staff.max_minutes
    assert (doctor.max_consecutive_days, doctor.min_consecutive_days, doctor.min_days_off, doctor.max_weekends) == (
        staff.max_consecutive, staff.min_consecutive, staff.min_days_off, staff.max_weekends)
    assert {t: n for t, n in staff.max_shifts.items() if n < instance.horizon} == doctor.max_shifts_by_label
    blocked = {(t.id, b) for t in instance.shifts.values() for b in t.blocked}
    assert {(p.first, p.then) for p in sc.rules.forbidden_successions} == blocked
    assert len(sc.wishes) == len(instance.on_requests) + len(instance.off_requests)
    assert sum(c.demand_min for c in sc.demand_changes) == sum(c.requirement for c in instance.cover)
    assert day_date(0).weekday() == 0 and date_day(day_date(41)) == 41 == instance.horizon - 1


def test_a_feasible_roster_scores_the_same_in_model_and_scorer_on_a_larger_instance():
    instance = load(4)
    scenario = to_scenario(instance)
    roster = solve(scenario, time_limit=3, workers=1, search=Search(**SEARCHES["max_lp"]))
    scored = score(instance, assignments(roster.assignments))
    assert scored.violations == [] and unexpected_violations(scenario, roster) == []
    assert scored.objective == roster.stats.objective


def test_a_run_without_a_roster_is_reported_as_such_not_as_violations():
    run = one_run("Instance1", seed=0, time_limit=0.0, workers=1, search="auto")
    assert run.status == "unknown" and not run.scored and run.violations is None and run.objective is None


def test_a_run_with_a_roster_is_scored_and_checked():
    run = one_run("Instance1", seed=0, time_limit=5.0, workers=1, search="auto")
    assert run.scored and run.violations == 0 and run.objective is not None


def test_the_largest_instance_becomes_a_scenario_within_the_input_bounds():
    """Instance 24 has 150 staff; a shift's cap is the scenario's most (100), far above any cover line."""
    instance = load(24)
    sc = to_scenario(instance)
    assert len(sc.doctors) == 150 and {t.demand_max for t in sc.templates} == {100}
    assert max(c.requirement for c in instance.cover) < 100


def test_half_a_year_and_more_builds_the_first_roster_line_by_line():
    """Instances 20–24 (182 and 364 days) had no roster in 120 s with either search."""
    assert auto_search(load(20)) == "lines+lns" and SEARCHES["lines+lns"]["first_lines"]
    assert auto_search(load(19)) == "no_lp+lns" and auto_search(load(15)) == "max_lp"
