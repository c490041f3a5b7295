"""The first roster line by line (solver.lines): each doctor's line keeps their own hard rules,
minimum hours with minimum runs of work and days off included, which the greedy does not build for."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import time
from collections import Counter

from ortools.sat.python import cp_model

from factories import doctor, scenario, template
from solver_util import QUIET, read_objective, roster_of, watch

from roster.check import unexpected_violations
from roster.models import Roster, Scenario, shift_key
from solver import Search, solve
from solver.builder import build_model
from solver.lines import FADE, LINE_LIMIT, Fading, LineModels, line_by_line, one_doctor, sweep_lines
from solver.warmstart import greedy_assignment


def _runs(min_hours: float = 48) -> Scenario:
    """Two weeks, one 8-hour day shift needing one doctor, three doctors who each must work at
    least ``min_hours`` in runs of two to four days with two days off between runs."""
    rules = {"weights": QUIET, "rest_hours_self_employed": 0, "legal_floor_override": "test: runs and hours alone"}
    doctors = [doctor(d, min_hours=min_hours, min_consecutive_days=2, max_consecutive_days=4, min_days_off=2) for d in ("a", "b", "c")]
    return scenario("2026-12-01", "2026-12-14", [template("dag", "08:00", "16:00", demand_max=2)], doctors, rules=rules)


def test_lines_keep_minimum_runs_and_hours_where_the_greedy_breaks_them():
    sc = _runs()
    greedy = roster_of(sc, greedy_assignment(build_model(sc)))
    assert {v.rule for v in unexpected_violations(sc, greedy)} & {"min-dager-på-rad", "fridager", "timer"}
    pairs = line_by_line(build_model(sc), 10.0, 0, watch())
    assert pairs is not None and unexpected_violations(sc, roster_of(sc, pairs)) == []
    days = {k for _, k in pairs}
    assert len(days) == 14  # the lines share the cover out: every day has its doctor


def test_no_lines_when_a_doctors_line_cannot_exist():
    """Two weeks of 8-hour days hold 112 hours at most, with runs of at most four days and two days
    off between them 80 (4 on, 2 off, 4 on, 2 off, 2 on): 88 cannot be met."""
    assert line_by_line(build_model(_runs(min_hours=88)), 10.0, 0, watch()) is None


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
    assert abs(limit - min(LINE_LIMIT, lines.OPTIMISE_SHARE * left / 3)) < 1e-9


def _stacked() -> tuple[Scenario, set[tuple[str, str]]]:
    """``_runs``' three doctors with over-staffing priced (1 a doctor) and every doctor on the same
    six days (1–3, 6–8 December): each line keeps its own rules, but 6 of 14 days are
    triple-staffed and 8 empty, as lines built in the doctors' order can leave the cover."""
    rules = {"weights": {**QUIET, "surplus": 1}, "rest_hours_self_employed": 0,
             "legal_floor_override": "test: runs and hours alone"}
    doctors = [doctor(d, min_hours=48, min_consecutive_days=2, max_consecutive_days=4, min_days_off=2) for d in "abc"]
    sc = scenario("2026-12-01", "2026-12-14", [template("dag", "08:00", "16:00", demand_max=3)], doctors, rules=rules)
    days = (1, 2, 3, 6, 7, 8)
    return sc, {(d, shift_key("dag", dt.date(2026, 12, day))) for d in "abc" for day in days}


def test_a_sweep_moves_whole_lines_to_the_places_still_open():
    sc, stacked = _stacked()
    pairs, changed = sweep_lines(build_model(sc), stacked, time.perf_counter() + 30, 0, watch())
    assert changed > 0 and unexpected_violations(sc, roster_of(sc, pairs)) == []
    assert len({k for _, k in pairs}) == 14  # 3 lines of at least 6 days cover all 14
    assert read_objective(sc, pairs) < read_objective(sc, stacked)


def test_a_sweep_prices_a_doctors_wishes_with_the_cover():
    """Three days, one doctor a day. b works all three (24 hours at least), a one shift (8 hours):
    wherever a goes is one doctor too many, so only a's wish against the 1st tells the days apart."""
    rules = {"weights": {**QUIET, "surplus": 1}, "rest_hours_self_employed": 0,
             "legal_floor_override": "test: hours alone"}
    doctors = [doctor("a", min_hours=8, max_hours=8), doctor("b", min_hours=24)]
    wishes = [{"doctor": "a", "date": "2026-12-01", "wants": False, "weight": 5}]
    sc = scenario("2026-12-01", "2026-12-03", [template("dag", "08:00", "16:00", demand_max=2)], doctors,
                  rules=rules, wishes=wishes)
    first = shift_key("dag", dt.date(2026, 12, 1))
    start = {("a", first)} | {("b", shift_key("dag", dt.date(2026, 12, day))) for day in (1, 2, 3)}
    pairs, changed = sweep_lines(build_model(sc), start, time.perf_counter() + 30, 0, watch())
    assert changed == 1 and ("a", first) not in pairs and len(pairs) == 4
    assert read_objective(sc, pairs) < read_objective(sc, start)


def test_a_sweep_stops_where_no_line_can_do_better():
    sc, stacked = _stacked()
    once, _ = sweep_lines(build_model(sc), stacked, time.perf_counter() + 30, 0, watch())
    again, changed = sweep_lines(build_model(sc), once, time.perf_counter() + 30, 1, watch())
    assert changed == 0 and again == once


def test_sweeps_fade_once_their_last_lines_gain_under_a_share_of_the_first_sweeps_rate():
    fading = Fading(10)  # a window of 5 lines (at least FADE_LINES)
    for _ in range(10):
        fading.line(1.0, 0)
    assert not fading.faded()  # nothing to compare with before the first sweep ends
    for _ in range(10):
        fading.line(1.0, 100)
    fading.sweep_done()  # 1 000 in 20 s: 50 a second
    slow = 50 * FADE * 0.9
    for _ in range(4):
        fading.line(1.0, slow)
    assert not fading.faded()  # four lines are not yet the window
    fading.line(1.0, slow)
    assert fading.faded()
    kept = Fading(10)
    kept.line(2.0, 100)
    kept.sweep_done()  # 50 a second
    for _ in range(5):
        kept.line(1.0, 50 * FADE * 1.1)
    assert not kept.faded()


def test_sweep_lines_ends_when_its_sweeps_fade(monkeypatch):
    """Three doctors, so a window of FADE_LINES (5) line solves after the first sweep. A line
    gains a million in the first sweep and 1 after it: the sweeps end after 3 + 5 solves; lines
    that keep gaining a million keep the sweeps going to the deadline, as do sweeps told not to
    fade."""
    lines_module = importlib.import_module("solver.lines")
    sc, stacked = _stacked()
    ctx = build_model(sc)

    def sweeps(gains, fade=True):
        calls = []

        def better(models, doctor_id, mine, cover, limit, seed, watch, workers):
            calls.append(doctor_id)
            time.sleep(0.005)
            return mine, gains(len(calls))

        monkeypatch.setattr(lines_module, "_better_line", better)
        sweep_lines(ctx, stacked, time.perf_counter() + 0.5, 0, watch(), fade=fade)
        return len(calls)

    assert sweeps(lambda n: 10**6 if n <= 3 else 1) == 8
    assert sweeps(lambda n: 10**6) > 20
    assert sweeps(lambda n: 10**6 if n <= 3 else 1, fade=False) > 20  # where CP-SAT follows, not a neighbourhood search


def test_lines_first_sweeps_them_and_claims_no_bound_a_read_proves(monkeypatch):
    """A read has every assignment fixed, so its own bound is its objective: when the search after
    it finds nothing better, the roster's bound must not become that (a gap of 0, "optimal")."""
    solve_module = importlib.import_module("solver.solve")
    monkeypatch.setattr(solve_module, "_optimise", lambda ctx, limit, workers, seed, search, progress, canceller,
                        code, final, optimised=False, hand_over_at=None: (code, final, optimised))
    sc, _ = _stacked()
    roster = solve(sc, time_limit=10, workers=1,
                   search=Search(first_lines=True, complete_first=False, lns_share=0.5, lexicographic=False))
    names = [p.name for p in roster.stats.phases]
    assert names[:2] == ["first roster", "lines swept"] and unexpected_violations(sc, roster) == []
    assert roster.stats.objective > 0 and roster.stats.bound == 0


def test_a_sweep_reports_each_better_line_with_its_gain_and_the_places_then_open():
    """What the lines gained is what the roster gained (the objective has only the terms a line
    prices), so a sweep of a year can show its progress line by line."""
    sc, stacked = _stacked()
    assert LineModels(build_model(sc)).exact
    heard = []
    pairs, changed = sweep_lines(build_model(sc), stacked, time.perf_counter() + 30, 0, watch(),
                                 on_better=lambda gain, open_places: heard.append((gain, open_places)))
    assert len(heard) == changed > 0 and all(gain > 0 for gain, _ in heard)
    assert sum(gain for gain, _ in heard) == round(read_objective(sc, stacked) - read_objective(sc, pairs))
    assert heard[-1][1] == 14 - len({k for _, k in pairs}) == 0  # 8 of the 14 days were open before


def test_lines_do_not_see_the_whole_objective_when_it_prices_more_than_cover_and_wishes():
    sc, _ = _stacked()
    spaced = sc.model_copy(update={"rules": sc.rules.model_copy(update={
        "weights": sc.rules.weights.model_copy(update={"spacing": 1})})})
    assert not LineModels(build_model(spaced)).exact


def test_lines_first_shows_the_sweeps_progress_line_by_line(monkeypatch):
    """The sweeps of Curtois 20–24 ran for minutes without a word: each better line is now an
    event, never below the roster the read then gives."""
    solve_module = importlib.import_module("solver.solve")
    sc, stacked = _stacked()
    monkeypatch.setattr(solve_module, "line_by_line", lambda *args, **kwargs: set(stacked))
    events = []
    roster = solve(sc, time_limit=10, workers=1, on_progress=events.append,
                   search=Search(first_lines=True, complete_first=False, lns_share=0.5, lexicographic=False))
    swept = next(p for p in roster.stats.phases if p.name == "lines swept")
    during = [e for e in events if swept.start <= e.elapsed <= swept.start + swept.used]
    first = [e for e in events if e.elapsed < swept.start]
    assert first and first[-1].open_slots == 8  # the stacked lines leave 8 days open
    assert len(during) >= 3  # two better lines at least (the stacked days are triple-staffed), then the read
    objectives = [e.objective for e in during]
    assert objectives == sorted(objectives, reverse=True) and objectives[0] < first[-1].objective
    assert during[-1].open_slots == 0 and unexpected_violations(sc, roster) == []


def test_a_swept_roster_the_read_does_not_keep_takes_the_progress_back_to_the_first(monkeypatch):
    """The sweep's events promise a roster only its read can give: when that read fails, the
    first roster is the one that stands, and the last event says so."""
    solve_module = importlib.import_module("solver.solve")
    sc, stacked = _stacked()
    monkeypatch.setattr(solve_module, "line_by_line", lambda *args, **kwargs: set(stacked))
    reads = solve_module._fixed_pass

    def first_read_only(ctx, limit, seed, canceller, pairs=None, first=False, start=None):
        code, solver = reads(ctx, limit, seed, canceller, pairs, first, start)
        return (code, solver) if first else (cp_model.UNKNOWN, solver)

    monkeypatch.setattr(solve_module, "_fixed_pass", first_read_only)
    monkeypatch.setattr(solve_module, "_optimise", lambda ctx, limit, workers, seed, search, progress, canceller,
                        code, final, optimised=False, hand_over_at=None: (code, final, optimised))
    events = []
    solve(sc, time_limit=10, workers=1, on_progress=events.append,
          search=Search(first_lines=True, complete_first=False, lexicographic=False))
    first = events[0]
    assert first.open_slots == 8 and min(e.objective for e in events) < first.objective  # the sweep reported gains
    assert events[-1].objective == first.objective and events[-1].open_slots == 8


def test_the_sweeps_fade_only_where_a_neighbourhood_search_follows(monkeypatch):
    solve_module = importlib.import_module("solver.solve")
    sc, stacked = _stacked()
    monkeypatch.setattr(solve_module, "line_by_line", lambda *args, **kwargs: set(stacked))
    told = []
    sweep = solve_module.sweep_lines

    def recording(*args, **kwargs):
        told.append(inspect.signature(sweep).bind(*args, **kwargs).arguments.get("fade", False))
        return sweep(*args, **kwargs)

    monkeypatch.setattr(solve_module, "sweep_lines", recording)
    for lns_share in (0.5, 0.0):
        solve(sc, time_limit=5, workers=1,
              search=Search(first_lines=True, complete_first=False, lns_share=lns_share, lexicographic=False))
    assert told == [True, False]


def test_a_line_not_found_within_its_limit_is_the_first_found_after_it_in_the_same_search(monkeypatch):
    """A second search from scratch for the first line cost Curtois 22's hard lines 2 s more each."""
    lines_module = importlib.import_module("solver.lines")
    solves = []
    solve_once = cp_model.CpSolver.solve

    def counting(self, *args, **kwargs):
        solves.append(self.parameters.max_time_in_seconds)
        return solve_once(self, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", counting)
    models = LineModels(build_model(_runs()))
    line = lines_module._line(models, "a", Counter(), 0.0, 10.0, 0, watch(), 1)
    assert line and len(line) * 8 >= 48 and len(solves) == 1  # the doctor's 48 hours in 8-hour shifts


def test_a_line_search_with_a_line_ends_when_its_limit_is_up():
    class Solver:
        stopped = 0

        def stop_search(self):
            self.stopped += 1

    solver = Solver()
    lines_module = importlib.import_module("solver.lines")
    enough = lines_module._FirstAfter(solver, 60.0)
    enough._time_up()
    assert solver.stopped == 0  # no line yet: the search goes on to its first
    enough.found = True
    enough._time_up()
    assert solver.stopped == 1
