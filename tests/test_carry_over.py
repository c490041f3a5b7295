"""Carry-over: month 2 solved with month 1's history evens out the burden of the two months."""

from factories import doctor, scenario, template
from roster.calendar import ShiftIndex
from roster.metrics import doctor_metrics, history_out
from roster.models import History
from solver import solve

DOCTORS = [doctor("a"), doctor("b"), doctor("c")]
KVELD = [template("kveld", "16:00", "23:00")]


def _month(start: str, end: str, **kw):
    return scenario(start, end, KVELD, DOCTORS, **kw)


def _points(sc, roster):
    return {m.doctor: m.points for m in doctor_metrics(sc, roster)}


def _solve(sc):
    roster = solve(sc, time_limit=1.5, workers=2, seed=0)
    assert roster.assignments, roster.stats
    return roster


def test_history_out_feeds_next_month_and_evens_out_two_months():
    # Month 1: c is on holiday the whole month, so a and b carry every evening.
    m1 = _month("2026-02-01", "2026-02-28", absences=[{"doctor": "c", "start": "2026-02-01", "end": "2026-02-28"}])
    r1 = _solve(m1)
    carried = history_out(m1, r1)
    assert {h.doctor: h.periods for h in carried} == {"a": 1, "b": 1, "c": 1}
    assert next(h for h in carried if h.doctor == "c").points == 0

    without = _month("2026-03-01", "2026-03-31")
    with_history = _month("2026-03-01", "2026-03-31", history=[h.model_dump() for h in carried])
    p1 = _points(m1, r1)
    fair = (sum(s.points for s in ShiftIndex(m1).shifts) + sum(s.points for s in ShiftIndex(without).shifts)) / 3

    def combined_deviation(sc):
        p2 = _points(sc, _solve(sc))
        return sum(abs(p1[d] + p2[d] - fair) for d in p1)

    plain, carried_over = combined_deviation(without), combined_deviation(with_history)
    assert carried_over < plain / 2, (carried_over, plain)


def test_history_out_accumulates_over_periods():
    sc = _month("2026-03-01", "2026-03-07", history=[{"doctor": "a", "shifts": 4, "points": 28, "periods": 2}])
    r = _solve(sc)
    out = {h.doctor: h for h in history_out(sc, r)}
    got = {m.doctor: m for m in doctor_metrics(sc, r)}
    assert out["a"].periods == 3 and out["b"].periods == 1
    assert out["a"].shifts == 4 + got["a"].shifts
    assert out["a"].points == 28 + got["a"].points
    assert sum(h.shifts for h in out.values()) == 4 + 7
    assert all(isinstance(h, History) for h in out.values())
