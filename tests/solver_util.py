"""Shared helpers of the solver tests: solve a tiny scenario and check it with the oracle."""

from __future__ import annotations

import importlib
from types import SimpleNamespace
from typing import Any

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import LinearExprT

from roster.check import unexpected_violations
from roster.models import Assignment, Roster, Scenario, SolveStatus
from solver import solve
from solver.builder import build_model
from solver.context import ModelContext
from solver.fairness import FAIRNESS_TERM

FEASIBLE = (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
# Only the rule under test and wishes steer the choice; fairness, balance and spacing stay out.
QUIET = {"participation": 0, "max_deviation": 0, "surplus": 0, "sum_deviation": 0, "category_balance": 0,
         "spacing": 0, "preferred_station": 0}


def run(scenario: Scenario, strict: bool = False, **kw: Any) -> Roster:
    """Solve with one worker and a short limit; every roster found must pass the checker."""
    roster = solve(scenario, time_limit=kw.pop("time_limit", 5.0), workers=1, strict=strict, **kw)
    if roster.stats.status in FEASIBLE:
        assert unexpected_violations(scenario, roster) == []
    else:
        assert roster.assignments == []
    return roster


def fairness_level(ctx: ModelContext) -> LinearExprT:
    """The objective level that holds the pools' largest deviations (``solver.objective.LEVELS``)."""
    return next(expr for expr, names in zip(ctx.levels, ctx.level_names) if FAIRNESS_TERM in names)


def on(roster: Roster, shift: str) -> set[str]:
    """Doctors on a shift key."""
    return {a.doctor for a in roster.assignments if a.shift == shift}


def shifts_of(roster: Roster, doctor: str) -> set[str]:
    return {a.shift for a in roster.assignments if a.doctor == doctor}


def open_slots(roster: Roster) -> set[tuple[str, int]]:
    return {(f"{o.template}/{o.date.isoformat()}", o.missing) for o in roster.open_slots}


def assert_infeasible_strict_and_open(scenario: Scenario, slots: set[tuple[str, int]]) -> Roster:
    """The rule makes the strict problem infeasible; by default it yields exactly these slots."""
    strict = run(scenario, strict=True)
    assert strict.stats.status == SolveStatus.INFEASIBLE
    assert strict.warnings
    relaxed = run(scenario)
    assert relaxed.stats.status == SolveStatus.OPTIMAL
    assert open_slots(relaxed) == slots
    return relaxed


def roster_of(scenario: Scenario, pairs: set[tuple[str, str]]) -> Roster:
    """The roster of (doctor, shift key) pairs, as the model's variables name them."""
    assignments = []
    for doctor_id, key in sorted(pairs):
        template, day = key.rsplit("/", 1)
        assignments.append(Assignment(doctor=doctor_id, template=template, date=day))
    return Roster(scenario=scenario.name, period=scenario.period, assignments=assignments)


def watch(cancelled: bool = False) -> SimpleNamespace:
    """What solver.solve's canceller gives the line searches: the solver running, and whether to stop."""
    return SimpleNamespace(solver=None, cancelled=cancelled)


def read_objective(scenario: Scenario, pairs: set[tuple[str, str]]) -> float:
    """The whole model's objective of these assignments: a read with all of them fixed."""
    solve_module = importlib.import_module("solver.solve")
    code, read = solve_module._fixed_pass(build_model(scenario), 10.0, 0, watch(), pairs)
    assert code == cp_model.OPTIMAL
    return read.objective_value
