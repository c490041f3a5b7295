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
    # Month 1: a is pinned to twelve of the 28 evenings (an agreement), so b and c share sixteen.
    pins = [{"doctor": "a", "date": f"2026-02-{day:02d}", "template": "kveld"} for day in range(1, 25, 2)]
    m1 = _month("2026-02-01", "2026-02-28", pins=pins)
    r1 = _solve(m1)
    carried = history_out(m1, r1)
    assert {h.doctor: h.periods for h in carried} == {"a": 1, "b": 1, "c": 1}
    ledger = {h.doctor: h.burden_balance for h in carried}
    assert ledger["a"] > 20 and ledger["b"] < 0 and ledger["c"] < 0  # a carried 12 × 7 against 28 × 7 / 3

    without = _month("2026-03-01", "2026-03-31")
    with_history = _month("2026-03-01", "2026-03-31", history=[h.model_dump() for h in carried])
    p1 = _points(m1, r1)
    fair = (sum(s.points for s in ShiftIndex(m1).shifts) + sum(s.points for s in ShiftIndex(without).shifts)) / 3

    def combined_deviation(sc):
        p2 = _points(sc, _solve(sc))
        return sum(abs(p1[d] + p2[d] - fair) for d in p1)

    plain, carried_over = combined_deviation(without), combined_deviation(with_history)
    assert carried_over < plain / 2, (carried_over, plain)


def test_an_absence_leaves_no_debt():
    """The tool carries what an absent doctor cannot (issue 13): c, away all of month 1, is even in
    the ledger afterwards, so month 2 shares the evenings evenly again."""
    m1 = _month("2026-02-01", "2026-02-28", absences=[{"doctor": "c", "start": "2026-02-01", "end": "2026-02-28"}])
    carried = history_out(m1, _solve(m1))
    assert next(h for h in carried if h.doctor == "c").points == 0
    assert abs(next(h for h in carried if h.doctor == "c").burden_balance) < 1e-9
    m2 = _month("2026-03-01", "2026-03-31", history=[h.model_dump() for h in carried])
    points = _points(m2, _solve(m2))
    assert max(points.values()) - min(points.values()) <= 7  # one evening apart at most


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
