"""The solve() contract: stats, progress events, cancellation, warm start, build_model; and a
property test against the independent checker on random small scenarios."""

import threading
import time
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import roster
from factories import doctor, scenario, station, template
from roster.check import unexpected_violations
from roster.models import Assignment, Roster, SolveStatus
from solver import solve
from solver.builder import build_model
from solver.context import OBJ_SCALE
from solver.solve import Progress
from solver_util import FEASIBLE, run

STATIONS = [station("BLV"), station("ASA", "bydelslegevakt"), station("BAK", "fjernvakt")]
TEMPLATES = [
    template("dag", "08:00", "16:00", demand_min=1, demand_max=2, min_qualified=1),
    template("kveld", "16:00", "23:00", demand_min=1, demand_max=2, min_qualified=1),
    template("natt", "23:00", "08:00", min_qualified=1),
    template("asa", "16:00", "23:00", station="ASA", day_types=["hverdag"]),
    template("bv", "08:00", "07:59", station="BAK", duty="bakvakt"),
]


def _week(n: int = 4, **kw):
    doctors = [doctor(f"d{i}") for i in range(n)] + [doctor("s1", role="spesialist", can_bakvakt=True),
                                                     doctor("s2", role="spesialist", can_bakvakt=True)]
    return scenario("2026-12-01", "2026-12-02", TEMPLATES, doctors, stations=STATIONS, **kw)


def test_stats_are_filled_in():
    r = run(_week(), time_limit=10)
    s = r.stats
    assert s.status == SolveStatus.OPTIMAL and s.gap is not None and abs(s.gap) < 1e-9
    assert s.objective is not None and s.bound is not None
    assert s.workers == 1 and s.seed == 0 and s.time_limit == 10 and not s.strict
    assert s.program_version == roster.__version__
    assert s.variables > 0 and s.constraints > 0
    assert 0 < s.build_time <= s.first_feasible_time <= s.wall_time
    assert r.open_slots == [] and r.uncovered_bakvakt != []  # one minute a day without bakvakt template


def test_progress_events_improve_and_end_at_the_result():
    events = []
    r = solve(_week(), time_limit=10, workers=1, on_progress=events.append)
    assert events and events[0].solutions == 1
    levels = [e.level for e in events]
    assert levels == sorted(levels)  # the lexicographic levels one by one
    for level in set(levels) - {0}:  # each level's value only improves
        values = [e.level_objective for e in events if e.level == level]
        assert values == sorted(values, reverse=True)
    assert events[-1].objective == r.stats.objective
    assert all(e.open_slots == 0 for e in events[1:]) or events[-1].open_slots == 0


def test_a_level_reports_no_roster_worse_there_than_the_one_it_started_from():
    """A level's search may first find rosters worse at that level than the roster it started
    from (a hint CP-SAT does not take up at once): those are not progress and are not shown."""
    events = []

    class Callback(Progress):
        found = 0.0
        objective_value = property(lambda self: self.found * OBJ_SCALE)
        best_objective_bound = property(lambda self: 0.0)

        def value(self, expr):
            return 0

    progress = Callback(SimpleNamespace(short={}, objective=0), events.append, None, time.perf_counter())
    progress.start_level(2, 358.2)
    for found in (505.3, 358.2, 350.0, 360.0, 349.5):
        progress.found = found
        progress.on_solution_callback()
    assert [e.level_objective for e in events] == [358.2, 350.0, 349.5]
    assert all(e.level == 2 for e in events)


def test_stop_keeps_the_best_roster_so_far():
    """Stopped at the first roster: that roster comes back, checked, and nothing runs after it."""
    stop, events = threading.Event(), []

    def seen(event):
        events.append(event)
        stop.set()

    sc = _week(12)
    r = solve(sc, time_limit=60, workers=1, stop=stop, on_progress=seen)
    assert len(events) == 1
    assert r.stats.status == SolveStatus.FEASIBLE and r.assignments
    assert r.stats.objective == events[0].objective
    assert unexpected_violations(sc, r) == []


def test_stop_during_the_optimisation_ends_it():
    """Stopped at the optimisation's first solution, which run to the end proves itself optimal
    (below): the result is that roster, not proven."""
    stop, events = threading.Event(), []

    def seen(event):
        events.append(event)
        if event.solutions == 2:
            stop.set()

    r = solve(_week(8), time_limit=60, workers=1, stop=stop, on_progress=seen)
    assert r.stats.status == SolveStatus.FEASIBLE
    assert max(e.solutions for e in events) == 2 and r.stats.objective == events[-1].objective
    assert solve(_week(8), time_limit=60, workers=1).stats.status == SolveStatus.OPTIMAL


def test_hint_warm_start_reproduces_the_optimum():
    first = run(_week())
    second = solve(_week(), time_limit=10, workers=1, hint=first)
    assert second.stats.objective == first.stats.objective


def test_hint_may_be_illegal_without_harm():
    bad = Roster(scenario="test", period=_week().period,
                 assignments=[Assignment(doctor="d0", template=t, date="2026-12-01") for t in ("dag", "kveld")])
    r = run(_week(), hint=bad)
    assert r.stats.status == SolveStatus.OPTIMAL


def test_build_model_exposes_variables_only_for_eligible_pairs():
    sc = _week(absences=[{"doctor": "d0", "start": "2026-12-01", "end": "2026-12-02"}])
    ctx = build_model(sc)
    assert not any(d == "d0" for d, _ in ctx.x)
    assert not any(d.startswith("d") and k.startswith("bv/") for d, k in ctx.x)


def test_strict_mode_reports_infeasible_without_raising():
    r = solve(_week(n=1), time_limit=5, workers=1, strict=True)
    assert r.stats.status == SolveStatus.INFEASIBLE and r.assignments == [] and r.warnings


# ---------------------------------------------------------------- property test against the checker

doctor_st = st.fixed_dictionaries({
    "qualified": st.booleans(),
    "employment": st.sampled_from(["selvstendig", "ansatt"]),
    "stations": st.sampled_from([[], ["BLV"], ["ASA"]]),
    "exempt": st.booleans(),
    "absent": st.sampled_from([None, "2026-12-02"]),
    "bakvakt": st.booleans(),
    "supervision": st.sampled_from(["telefon", "tilstede"]),
})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(doctor_st, min_size=2, max_size=5), st.integers(1, 3), st.booleans())
def test_every_roster_passes_the_checker(specs, max_nights, employee_rest):
    doctors, absences = [], []
    for i, spec in enumerate(specs):
        doctors.append(doctor(
            f"d{i}", qualified=spec["qualified"] or spec["bakvakt"], employment=spec["employment"],
            stations=spec["stations"], supervision=spec["supervision"], can_bakvakt=spec["bakvakt"],
            role="spesialist" if spec["bakvakt"] else "fastlege",
            exemptions=[{"reason": "over 60"}] if spec["exempt"] else []))
        if spec["absent"]:
            absences.append({"doctor": f"d{i}", "start": spec["absent"], "end": spec["absent"]})
    tpls = TEMPLATES[:4] + [template("bv", "08:00", "07:59", station="BAK",
                                     duty="bakvakt", on_call_can_attend=True)]
    sc = scenario("2026-12-01", "2026-12-03", tpls, doctors, stations=STATIONS, absences=absences,
                  rules={"max_consecutive_nights": max_nights, "max_shifts_per_7_days": 2,
                         "rest_hours_self_employed": 11 if employee_rest else 8})
    r = run(sc, time_limit=3)  # run() asserts unexpected_violations(...) == [] on every roster
    assert r.stats.status in (*FEASIBLE, SolveStatus.INFEASIBLE)


def test_greedy_warm_start_fills_shifts_without_overlap_or_rest_conflicts():
    from solver.warmstart import greedy_assignment

    ctx = build_model(_week(n=4))
    chosen = greedy_assignment(ctx)
    by_doctor: dict[str, list] = {}
    for d, key in chosen:
        by_doctor.setdefault(d, []).append(ctx.index.by_key[key])
    assert len(chosen) >= 8
    for d, shifts in by_doctor.items():
        assert ctx.qualified[d]
        shifts.sort(key=lambda s: s.start)
        for a, b in zip(shifts, shifts[1:]):
            if a.on_site and b.on_site:
                assert (b.start - a.end).total_seconds() >= 8 * 3600
            assert b.start >= a.end
