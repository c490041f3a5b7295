"""The checker's rules for runs, totals, weekends, successions and per-date demand: for each code a
roster that breaks it and a near-identical one that does not (templates default to demand 0, so
only the rule under test fires)."""

from __future__ import annotations

import datetime as dt

from roster.calendar import OSLO
from roster.check import check_roster
from test_check import DAY, EVENING, NIGHT, doctor, make, one, only, roster, tpl


def _days(doc: str, template: str, *days: int) -> list[tuple[str, str, str]]:
    return [(doc, template, f"2026-12-{d:02d}") for d in days]


def test_succession_night_then_evening():
    sc = make([NIGHT, EVENING], [doctor("kari", name="Kari")],
              rules={"forbidden_successions": [{"first": "natt", "then": "kveld"}]})
    v = one(sc, roster(sc, ("kari", "natt", "2026-12-02"), ("kari", "kveld", "2026-12-03")), "rekkefølge")
    assert v.shift == "kveld/2026-12-03" and "kveld kan ikke følge natt" in v.message
    assert only(sc, roster(sc, ("kari", "natt", "2026-12-02"), ("kari", "kveld", "2026-12-04"))) == []
    # the other order is allowed
    assert only(sc, roster(sc, ("kari", "kveld", "2026-12-02"), ("kari", "natt", "2026-12-03"))) == []


def test_night_blocks_at_least_two_except_at_the_edges():
    sc = make([NIGHT], [doctor("kari")], rules={"min_consecutive_nights": 2, "max_consecutive_nights": 4})
    v = one(sc, roster(sc, *_days("kari", "natt", 3)), "nattblokk")
    assert "1 natt(er) 03.12.2026–03.12.2026" in v.message
    assert only(sc, roster(sc, *_days("kari", "natt", 3, 4))) == []
    assert only(sc, roster(sc, *_days("kari", "natt", 1), *_days("kari", "natt", 7))) == []  # both at an edge


def test_max_working_days_in_a_row_doctor_overrides_rule():
    sc = make([DAY], [doctor("kari", max_consecutive_days=3), doctor("per")], rules={"max_consecutive_days": 5})
    v = one(sc, roster(sc, *_days("kari", "dag", 2, 3, 4, 5)), "dager-på-rad")
    assert v.doctor == "kari" and "4 dager på rad" in v.message and "maks 3" in v.message
    assert only(sc, roster(sc, *_days("kari", "dag", 2, 3, 4), *_days("per", "dag", 1, 2, 3, 4, 5))) == []


def test_rule_limit_applies_without_own_value():
    sc = make([DAY], [doctor("per")], rules={"max_consecutive_days": 5})
    assert one(sc, roster(sc, *_days("per", "dag", 1, 2, 3, 4, 5, 6)), "dager-på-rad").doctor == "per"


def test_min_working_run_except_at_the_edges():
    sc = make([DAY], [doctor("kari", min_consecutive_days=2)])
    assert one(sc, roster(sc, *_days("kari", "dag", 3)), "min-dager-på-rad").doctor == "kari"
    assert only(sc, roster(sc, *_days("kari", "dag", 3, 4))) == []
    assert only(sc, roster(sc, *_days("kari", "dag", 1, 7))) == []


def test_days_off_between_runs():
    sc = make([DAY], [doctor("kari", min_days_off=2)])
    v = one(sc, roster(sc, *_days("kari", "dag", 2, 4)), "fridager")
    assert "bare 1 fridag(er) 03.12.2026–03.12.2026" in v.message
    assert only(sc, roster(sc, *_days("kari", "dag", 2, 5))) == []
    assert only(sc, roster(sc, *_days("kari", "dag", 2))) == []  # the free runs touch the edges


def test_shifts_per_label():
    sc = make([DAY, NIGHT], [doctor("kari", max_shifts_by_label={"natt": 1})])
    v = one(sc, roster(sc, *_days("kari", "natt", 2, 5)), "antall-type")
    assert "2 nattvakter" in v.message and "maks 1" in v.message
    assert only(sc, roster(sc, *_days("kari", "natt", 2), *_days("kari", "dag", 4, 6))) == []


def test_hours_in_the_period():
    sc = make([DAY], [doctor("kari", min_hours=16, max_hours=16)])
    assert "8 t i perioden; minst 16" in one(sc, roster(sc, *_days("kari", "dag", 2)), "timer").message
    assert "24 t i perioden; maks 16" in one(sc, roster(sc, *_days("kari", "dag", 2, 4, 6)), "timer").message
    assert only(sc, roster(sc, *_days("kari", "dag", 2, 4))) == []


def test_weekends_saturday_or_sunday():
    sc = make([DAY], [doctor("kari", max_weekends=1)], end="2026-12-14")  # weekends 5–6 and 12–13 Dec
    v = one(sc, roster(sc, *_days("kari", "dag", 6, 12)), "helger")
    assert "2 helger (05.12.2026, 12.12.2026)" in v.message
    assert only(sc, roster(sc, *_days("kari", "dag", 5, 6, 9))) == []  # one weekend, both days


def _staffing(sc, r):
    """The bemanning violations (an open station also wants a bakvakt, which is not under test)."""
    return [v for v in check_roster(sc, r) if v.rule == "bemanning"]


def test_demand_change_sets_the_dates_staffing():
    sc = make([tpl("dag", "08:00", "16:00", demand_min=1, demand_max=1)], [doctor("kari"), doctor("per")],
              end="2026-12-02", demand_changes=[{"template": "dag", "date": "2026-12-02", "demand_min": 2}])
    [v] = _staffing(sc, roster(sc, ("kari", "dag", "2026-12-01"), ("kari", "dag", "2026-12-02")))
    assert v.shift == "dag/2026-12-02" and v.missing == 1
    both = roster(sc, ("kari", "dag", "2026-12-01"), ("kari", "dag", "2026-12-02"), ("per", "dag", "2026-12-02"))
    assert _staffing(sc, both) == []  # the change raised the maximum with the minimum
    closed = make([tpl("dag", "08:00", "16:00", demand_min=1, demand_max=1)], [doctor("kari")], end="2026-12-02",
                  demand_changes=[{"template": "dag", "date": "2026-12-02", "demand_min": 0, "demand_max": 0}])
    [v] = _staffing(closed, roster(closed, *_days("kari", "dag", 1, 2)))
    assert v.shift == "dag/2026-12-02" and "maks 0" in v.message
    shut = closed.model_copy(update={"demand_changes": [closed.demand_changes[0].model_copy(update={"demand_max": None})]})
    [v] = _staffing(shut, roster(shut, *_days("kari", "dag", 1, 2)))  # 0 with no maximum closes it too
    assert v.shift == "dag/2026-12-02" and "maks 0" in v.message
    # a closed day is not an open station: no bakvakt wanted then (with a rota that misses the days)
    rota = closed.model_copy(update={"templates": [*closed.templates, closed.templates[0].model_copy(
        update={"id": "bak", "label": "bakvakt", "duty": "bakvakt", "start": dt.time(16), "end": dt.time(8),
                "demand_min": 0, "min_qualified": 0})],
        "rules": closed.rules.model_copy(update={"specialist_bakvakt": True})})
    gaps = [v for v in check_roster(rota, roster(rota, *_days("kari", "dag", 1))) if v.rule == "bakvakt-dekning"]
    assert [g.start.astimezone(OSLO).date() for g in gaps] == [dt.date(2026, 12, 1)]


def test_bakvakt_cover_applies_only_in_the_pilot():
    """The pilot's rule follows ``specialist_bakvakt``, not whether a bakvakt shift type exists:
    outside the pilot a bakvakt rota (for supervision) leaves open hours alone."""
    day = tpl("dag", "08:00", "16:00", demand_min=1, demand_max=1)
    without = make([day], [doctor("kari")], end="2026-12-01")
    assert check_roster(without, roster(without, ("kari", "dag", "2026-12-01"))) == []
    bak = tpl("bak", "16:00", "08:00", station="BLV", duty="bakvakt", label="bakvakt")
    evening_rota = make([day, bak], [doctor("kari")], end="2026-12-01")
    gaps = check_roster(evening_rota, roster(evening_rota, ("kari", "dag", "2026-12-01")))
    assert [v.rule for v in gaps] == ["bakvakt-dekning"] and "08:00–16:00" in gaps[0].message
    outside = make([day, bak], [doctor("kari")], end="2026-12-01", rules={"specialist_bakvakt": False})
    assert check_roster(outside, roster(outside, ("kari", "dag", "2026-12-01"))) == []
