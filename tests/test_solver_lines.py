"""The first roster line by line (solver.lines): each doctor's line keeps their own hard rules,
minimum hours with minimum runs of work and days off included, which the greedy does not build for."""

from __future__ import annotations

from types import SimpleNamespace

from factories import doctor, scenario, template
from solver_util import QUIET

from roster.check import unexpected_violations
from roster.models import Assignment, Roster, Scenario
from solver import Search, solve
from solver.builder import build_model
from solver.lines import line_by_line, one_doctor
from solver.warmstart import greedy_assignment


def _roster(sc: Scenario, pairs: set[tuple[str, str]]) -> Roster:
    index = build_model(sc).index.by_key
    return Roster(scenario=sc.name, period=sc.period,
                  assignments=[Assignment(doctor=d, template=index[k].template, date=index[k].date) for d, k in pairs])


def _runs(min_hours: float = 48) -> Scenario:
    """Two weeks, one 8-hour day shift needing one doctor, three doctors who each must work at
    least ``min_hours`` in runs of two to four days with two days off between runs."""
    rules = {"weights": QUIET, "rest_hours_self_employed": 0, "legal_floor_override": "test: runs and hours alone"}
    doctors = [doctor(d, min_hours=min_hours, min_consecutive_days=2, max_consecutive_days=4, min_days_off=2) for d in ("a", "b", "c")]
    return scenario("2026-12-01", "2026-12-14", [template("dag", "08:00", "16:00", demand_max=2)], doctors, rules=rules)


def _watch() -> SimpleNamespace:
    return SimpleNamespace(solver=None, cancelled=False)


def test_lines_keep_minimum_runs_and_hours_where_the_greedy_breaks_them():
    sc = _runs()
    greedy = _roster(sc, greedy_assignment(build_model(sc)))
    assert {v.rule for v in unexpected_violations(sc, greedy)} & {"min-dager-på-rad", "fridager", "timer"}
    pairs = line_by_line(build_model(sc), 10.0, 0, _watch())
    assert pairs is not None and unexpected_violations(sc, _roster(sc, pairs)) == []
    days = {k for _, k in pairs}
    assert len(days) == 14  # the lines share the cover out: every day has its doctor


def test_no_lines_when_a_doctors_line_cannot_exist():
    """Two weeks of 8-hour days hold 112 hours at most, with runs of at most four days and two days
    off between them 80 (4 on, 2 off, 4 on, 2 off, 2 on): 88 cannot be met."""
    assert line_by_line(build_model(_runs(min_hours=88)), 10.0, 0, _watch()) is None


def test_one_doctor_keeps_only_that_doctors_entries():
    sc = _runs().model_copy(update={"absences": []})
    sc = sc.model_validate({**sc.model_dump(), "absences": [
        {"doctor": "a", "start": "2026-12-03", "end": "2026-12-03"},
        {"doctor": "b", "start": "2026-12-04", "end": "2026-12-04"}]})
    alone = one_doctor(sc, "b")
    assert [d.id for d in alone.doctors] == ["b"] and [a.doctor for a in alone.absences] == ["b"]


def test_solve_with_lines_first_gives_a_roster_the_checker_accepts():
    sc = _runs()
    roster = solve(sc, time_limit=10, workers=1, search=Search(first_lines=True, complete_first=False))
    assert roster.assignments and unexpected_violations(sc, roster) == []
    assert roster.stats.phases[0].name == "first roster"


def test_the_first_roster_may_take_most_of_the_time_when_built_line_by_line():
    """Lines are what finds a roster where they are asked for: 0.9 of what is left against the
    greedy's half."""
    def share(roster: Roster) -> float:
        first = next(p for p in roster.stats.phases if p.name == "first roster")
        return first.budget / (roster.stats.time_limit - roster.stats.kept_back - first.start)

    sc = _runs()
    lines = solve(sc, time_limit=4, workers=1, search=Search(first_lines=True, complete_first=False))
    greedy = solve(sc, time_limit=4, workers=1, search=Search(complete_first=False))
    assert abs(share(lines) - 0.9) < 0.01 and abs(share(greedy) - 0.5) < 0.01


def test_each_line_is_searched_with_the_solves_workers_and_half_its_share(monkeypatch):
    """Two workers found Curtois 22's hard lines up to 4× as fast as one; and a line optimised for
    its whole even share left the last line of that year too little to find one at all."""
    from solver import lines

    calls = []
    line = lines._line

    def spy(ctx, doctor_id, need, limit, left, seed, watch, workers):
        calls.append((limit, left, workers))
        return line(ctx, doctor_id, need, limit, left, seed, watch, workers)

    monkeypatch.setattr(lines, "_line", spy)
    roster = solve(_runs(), time_limit=10, workers=2, search=Search(first_lines=True, complete_first=False))
    assert roster.assignments and len(calls) == 3
    assert all(workers == 2 for *_, workers in calls)
    limit, left, _ = calls[0]
    assert abs(limit - lines.OPTIMISE_SHARE * left / 3) < 1e-9
