"""Metrics on hand-computed tiny rosters (every figure below is worked out by hand in the comment)."""

import datetime as dt

import pytest

from factories import doctor, scenario, station, template
from roster.metrics import doctor_metrics, gini, group_metrics, groups, history_out, jain, longest_run
from roster.models import Assignment, History, Roster, Scenario

MON = dt.date(2026, 11, 2)  # Monday; Mon–Fri 2–6 November 2026 has no holidays


def _day(i: int) -> dt.date:
    return MON + dt.timedelta(days=i)


def _roster(sc, pairs):
    return Roster(
        scenario=sc.name,
        period=sc.period,
        assignments=[Assignment(doctor=d, template=t, date=day) for d, t, day in pairs],
    )


def _week(**kw):
    """Weekday evenings 16–23 (7 h × 1.0 = 7 points each); two GPs; target 35 / 2 = 17.5 each."""
    return scenario(MON, _day(4), [template("kveld", "16:00", "23:00")], kw.pop("doctors", [doctor("a"), doctor("b")]), **kw)


def _by_id(metrics):
    return {m.doctor: m for m in metrics}


# a: Mon, Tue, Thu (21 points); b: Wed, Fri (14 points)
UNEVEN = [("a", "kveld", _day(0)), ("a", "kveld", _day(1)), ("a", "kveld", _day(3)),
          ("b", "kveld", _day(2)), ("b", "kveld", _day(4))]


def test_counts_hours_points_and_deviation():
    sc = _week()
    m = _by_id(doctor_metrics(sc, _roster(sc, UNEVEN)))
    a, b = m["a"], m["b"]
    assert (a.shifts, a.hours, a.evenings, a.nights, a.weekends, a.holidays) == (3, 21.0, 3, 0, 0, 0)
    assert a.points == pytest.approx(21.0)
    assert a.target == pytest.approx(17.5)
    assert a.relative_deviation == pytest.approx(0.2)
    assert b.relative_deviation == pytest.approx(-0.2)
    assert a.normalised_burden == pytest.approx(1.2)


def test_shift_frequency_and_longest_run():
    sc = _week()
    m = _by_id(doctor_metrics(sc, _roster(sc, UNEVEN)))
    a, b = m["a"], m["b"]
    # a: gaps 1 (Mon→Tue) and 2 (Tue→Thu); pairs Mon-Tue 1, Mon-Thu 3, Tue-Thu 2 days apart
    assert (a.mean_gap_days, a.min_gap_days, a.pairs_within_3, a.pairs_within_7, a.longest_run) == (1.5, 1, 3, 3, 2)
    assert (b.mean_gap_days, b.min_gap_days, b.pairs_within_3, b.longest_run) == (2.0, 2, 1, 1)


def test_pairs_within_counts_all_pairs_not_only_neighbours():
    sc = scenario("2026-11-02", "2026-11-12", [template("kveld", "16:00", "23:00")], [doctor("a")])
    days = [dt.date(2026, 11, 2), dt.date(2026, 11, 6), dt.date(2026, 11, 12)]  # gaps 4 and 6
    (a,) = doctor_metrics(sc, _roster(sc, [("a", "kveld", d) for d in days]))
    assert (a.pairs_within_3, a.pairs_within_7, a.min_gap_days, a.mean_gap_days) == (0, 2, 4, 5.0)


def test_doctor_without_shifts_has_no_gaps_and_full_negative_deviation():
    sc = _week()
    m = _by_id(doctor_metrics(sc, _roster(sc, UNEVEN[:3])))
    b = m["b"]
    assert (b.shifts, b.mean_gap_days, b.min_gap_days, b.longest_run) == (0, None, None, 0)
    assert b.relative_deviation == pytest.approx(-1.0)


def test_history_enters_target_and_deviation():
    """History moves the target through the ledger: a carried 10 points in one earlier period, b
    none, so the pool's rate was 5 per share and period: a is 5 ahead, b 5 behind (one period,
    weight 1). One period repays at most half a normal share (0.5 × 17.5), so all of it: a's
    target is 17.5 − 5 = 12.5, b's 22.5."""
    sc = _week(history=[{"doctor": "a", "points": 10, "periods": 1}, {"doctor": "b", "points": 0, "periods": 1}])
    m = _by_id(doctor_metrics(sc, _roster(sc, UNEVEN)))
    a, b = m["a"], m["b"]
    assert a.history_points == 10
    assert (a.capacity_target, a.repay, a.target) == (pytest.approx(17.5), pytest.approx(5), pytest.approx(12.5))
    assert b.target == pytest.approx(22.5)
    assert a.relative_deviation == pytest.approx(8.5 / 12.5)
    # the ledger after: 5 one period older (× 0.5^(1/6)) plus this month's 21 − 17.5
    assert (a.balance_before, a.balance_after) == (pytest.approx(5), pytest.approx(5 * 0.5 ** (1 / 6) + 3.5))


def test_share_scales_target():
    sc = _week(doctors=[doctor("a"), doctor("b", share=0.5)])
    m = _by_id(doctor_metrics(sc, _roster(sc, UNEVEN)))
    assert m["a"].target == pytest.approx(35 * 2 / 3)
    assert m["b"].target == pytest.approx(35 / 3)
    assert m["b"].relative_deviation == pytest.approx(14 / (35 / 3) - 1)


def test_night_weekend_and_holiday_categories():
    sc = scenario(
        "2026-12-25", "2026-12-26",
        [template("natt", "23:00", "08:00"), template("dag", "08:00", "16:00")],
        [doctor("a")],
    )
    # 25 Dec (Friday, første juledag) day and night; 26 Dec is a Saturday and a holiday
    (a,) = doctor_metrics(sc, _roster(sc, [("a", "dag", dt.date(2026, 12, 25)), ("a", "natt", dt.date(2026, 12, 26))]))
    assert (a.nights, a.weekends, a.holidays, a.evenings) == (1, 1, 2, 0)
    assert a.hours == 17.0
    assert a.points == pytest.approx(8 * 1.33 + 9 * 1.8)


def test_bakvakt_hours_separate_from_on_site_hours():
    sc = scenario(
        MON, MON,
        [template("kveld", "16:00", "23:00"), template("bv", "16:00", "23:00", duty="bakvakt")],
        [doctor("a"), doctor("s", role="spesialist", can_bakvakt=True, shift_labels=["bv"])],
    )
    m = _by_id(doctor_metrics(sc, _roster(sc, [("a", "kveld", MON), ("s", "bv", MON)])))
    assert (m["s"].hours, m["s"].bakvakt_hours) == (0.0, 7.0)
    assert m["s"].points == pytest.approx(1.0)  # 7 h × 1.0 × on-call factor 1/7
    assert m["s"].relative_deviation == pytest.approx(0.0)  # s alone in the on-call pool
    assert (m["a"].hours, m["a"].bakvakt_hours) == (7.0, 0.0)


def test_wishes_granted_and_denied():
    sc = _week(wishes=[
        {"doctor": "a", "date": str(_day(2)), "wants": True},  # a has no Wednesday: denied
        {"doctor": "a", "date": str(_day(0)), "template": "kveld", "wants": True},  # granted
        {"doctor": "b", "date": str(_day(4)), "wants": False},  # b works Friday: denied
        {"doctor": "b", "date": str(_day(0)), "wants": False},  # b is free Monday: granted
    ])
    m = _by_id(doctor_metrics(sc, _roster(sc, UNEVEN)))
    assert (m["a"].wishes_granted, m["a"].wishes_denied) == (1, 1)
    assert (m["b"].wishes_granted, m["b"].wishes_denied) == (1, 1)


def test_unknown_assignments_are_ignored():
    sc = _week()
    m = _by_id(doctor_metrics(sc, _roster(sc, UNEVEN + [("a", "natt", _day(0)), ("x", "kveld", _day(0))])))
    assert m["a"].shifts == 3


def test_group_statistics_by_hand():
    sc = _week()
    g = group_metrics("alle", doctor_metrics(sc, _roster(sc, UNEVEN)))
    # normalised burden 1.2 and 0.8
    assert (g.doctors, g.min, g.median, g.max) == (2, pytest.approx(0.8), pytest.approx(1.0), pytest.approx(1.2))
    assert g.spread == pytest.approx(0.4)
    assert g.std == pytest.approx(0.2)  # population standard deviation
    assert g.cv == pytest.approx(0.2)
    assert g.gini == pytest.approx(0.1)  # mean |xi − xj| over 4 ordered pairs = 0.2; / (2 · 1.0)
    assert g.jain == pytest.approx(4 / (2 * (1.44 + 0.64)))
    assert g.over_target == 1


def test_gini_and_jain_extremes():
    assert gini([1, 1, 1]) == 0.0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)  # (n − 1) / n when one has all
    assert jain([2, 2, 2]) == pytest.approx(1.0)
    assert jain([0, 0, 0, 4]) == pytest.approx(0.25)  # 1 / n


def test_gini_and_jain_of_nothing_carried_are_undefined_not_perfectly_even():
    assert gini([0, 0, 0]) is None and jain([0, 0, 0]) is None
    assert gini([]) is None and jain([]) is None


def test_over_target_needs_more_than_ten_percent():
    sc = _week()
    # a Mon, Wed = 14 of 17.5 (−20 %: under, not counted); b Tue, Thu, Fri = 21 (+20 %: counted)
    g = group_metrics("alle", doctor_metrics(sc, _roster(sc, [(d, "kveld", _day(i)) for i, d in enumerate("ababb")])))
    assert g.over_target == 1


def test_groups_per_role_and_station():
    sc = scenario(
        MON, _day(1),
        [template("kveld", "16:00", "23:00"), template("fana", "16:00", "23:00", station="FANA")],
        [doctor("a"), doctor("b", role="ALIS")],
        stations=[station("BLV"), station("FANA", kind="bydelslegevakt", name="Fana")],
    )
    r = _roster(sc, [("a", "kveld", MON), ("a", "fana", _day(1)), ("b", "kveld", _day(1)), ("b", "fana", MON)])
    by_name = {g.group: g for g in groups(sc, doctor_metrics(sc, r))}
    assert set(by_name) == {"alle", "rolle: fastlege", "rolle: ALIS", "gruppe: fastleger", "gruppe: ALIS",
                            "stasjon: BLV", "stasjon: Fana"}
    assert by_name["rolle: ALIS"].doctors == 1
    assert by_name["stasjon: Fana"].doctors == 2


def test_empty_group_has_no_statistics():
    g = group_metrics("tom", [])
    assert g.doctors == 0 and g.gini is None and g.over_target == 0


def test_longest_run_ignores_duplicates_and_order():
    days = [_day(3), _day(0), _day(1), _day(1), _day(2), _day(6)]
    assert longest_run(days) == 4


def test_history_out_adds_period_to_history():
    sc = _week(history=[{"doctor": "a", "shifts": 2, "hours": 14, "points": 10, "periods": 1}])
    out = {h.doctor: h for h in history_out(sc, _roster(sc, UNEVEN))}
    # a's ledger: the only one with history, so even before; after, 21 against a capacity-aware 17.5
    assert out["a"] == History(doctor="a", shifts=5, hours=35, nights=0, weekends=0, holidays=0, points=31, periods=2,
                               burden_balance=3.5, legevakt_shifts_done=3)
    assert out["b"].points == pytest.approx(14) and out["b"].periods == 1


def _coarse_roster(holders: dict[str, str]) -> tuple[Scenario, Roster]:
    s = scenario("2026-12-07", "2026-12-08",
                 [template("kveld", "16:00", "23:00"), template("lang", "09:00", "08:00", active_to="2026-12-07")],
                 [doctor("a"), doctor("b"), doctor("c"), doctor("d", share=3.0)])
    r = Roster(scenario=s.name, period=s.period, assignments=[
        Assignment(doctor=d, template=key.split("/")[0], date=key.split("/")[1]) for key, d in holders.items()])
    return s, r


def _coarse(holders: dict[str, str]) -> list[tuple[str, dict[str, int]]]:
    from roster.calendar import ShiftIndex
    from roster.metrics import coarse_shifts
    s, r = _coarse_roster(holders)
    index = ShiftIndex(s)
    return [(c.pool, c.by_template) for c in coarse_shifts(r, doctor_metrics(s, r, index), index)]


def test_a_shift_too_big_for_its_doctors_share_is_named() -> None:
    """The 23-h shift (27.5 points) in a period of about 7 points per share: on a share-1 doctor
    (target 7) it alone is 20.5 points over; on the share-3 doctor (target 20.5) 7, under 3 points
    per share."""
    assert _coarse({"lang/2026-12-07": "a", "kveld/2026-12-07": "b", "kveld/2026-12-08": "c"}) == [
        ("fastleger", {"lang": 1})]
    assert _coarse({"lang/2026-12-07": "d", "kveld/2026-12-07": "a", "kveld/2026-12-08": "b"}) == []



def test_the_summary_and_the_report_name_shifts_too_big_for_the_share() -> None:
    from roster.output import render_text, summary_renderables
    from roster.report.build import check_view
    from roster.report.html import render_html
    s, r = _coarse_roster({"lang/2026-12-07": "a", "kveld/2026-12-07": "b", "kveld/2026-12-08": "c"})
    note = ("fastleger: 1 vakt gir alene legen mer enn 3 poeng per andel over legens mål (lang 1). Det jevnes ikke "
            "ut innen perioden (hovedboken jevner det ut over tid); del vakttypen i kortere vakter, eller la leger "
            "med større vaktandel ta den.")
    text = " ".join(render_text(summary_renderables(s, r, doctor_metrics(s, r))).split())
    assert "Vakter for store for legens andel: - " + note in text
    assert note in " ".join(render_html([check_view("A", s, r)]).split())
    fine = _coarse_roster({"lang/2026-12-07": "d", "kveld/2026-12-07": "a", "kveld/2026-12-08": "b"})
    assert "for store" not in render_text(summary_renderables(*fine, doctor_metrics(*fine)))
