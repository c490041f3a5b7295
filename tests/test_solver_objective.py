"""Soft terms each change the outcome: wishes, spacing, fairness (history), category balance,
preferred station; and every term is reported by name."""

from factories import doctor, scenario, station, template
from solver_util import QUIET, on, run, shifts_of

DAY = "2026-12-01"


def only(**weights) -> dict:
    return {"weights": {**QUIET, **weights}}


def test_a_wanted_shift_is_granted_when_all_else_is_equal():
    for who in ("a", "b"):
        sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("a"), doctor("b")], rules=only(),
                      wishes=[{"doctor": who, "date": DAY, "wants": True}])
        assert on(run(sc), f"dag/{DAY}") == {who}


def test_a_does_not_want_wish_is_respected():
    for who in ("a", "b"):
        sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("a"), doctor("b")], rules=only(),
                      wishes=[{"doctor": who, "date": DAY, "template": "dag"}])
        assert on(run(sc), f"dag/{DAY}") == {"a", "b"} - {who}


def test_spacing_spreads_two_shifts_apart():
    """One doctor, two shifts to take in six days: with spacing they are at least 4 days apart."""
    tpl = template("dag", "08:00", "16:00", demand_min=0)
    sc = scenario("2026-12-01", "2026-12-06", [tpl], [doctor("a", min_shifts=2, max_shifts=2)],
                  rules={"spacing_target_days": 4, **only(spacing=5)},
                  wishes=[{"doctor": "a", "date": "2026-12-02", "wants": True}])
    days = sorted(a.date for a in run(sc).assignments)
    assert days[0].isoformat() == "2026-12-02" and (days[1] - days[0]).days >= 4


def test_spacing_grades_three_close_shifts_above_two():
    tpl = template("dag", "08:00", "16:00", demand_min=0)
    sc = scenario("2026-12-01", "2026-12-04", [tpl], [doctor("a", min_shifts=3, max_shifts=3)],
                  rules={"spacing_target_days": 4, **only(spacing=5)})
    r = run(sc)
    assert r.stats.terms["vakter tett i tett"] == 5 * 3  # one window of four days holds all three


def test_fairness_gives_the_shift_to_the_doctor_with_less_history():
    for light, heavy in (("a", "b"), ("b", "a")):
        history = [{"doctor": heavy, "points": 40, "shifts": 5}, {"doctor": light, "points": 10, "shifts": 1}]
        sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("a"), doctor("b")],
                      rules=only(max_deviation=200, sum_deviation=10), history=history)
        assert on(run(sc), f"dag/{DAY}") == {light}


def test_fairness_follows_the_share():
    """Four days; a has share 3, b share 1: a takes three shifts."""
    sc = scenario("2026-12-01", "2026-12-04", [template("dag", "08:00", "16:00")],
                  [doctor("a", share=3), doctor("b", share=1)], rules=only(sum_deviation=10))
    r = run(sc)
    assert (len(shifts_of(r, "a")), len(shifts_of(r, "b"))) == (3, 1)


def test_nights_are_balanced_on_their_own():
    """Two nights; a wishes for both, but category balance splits them."""
    tpls = [template("natt", "23:00", "08:00")]
    sc = scenario("2026-12-01", "2026-12-02", tpls, [doctor("a"), doctor("b")],
                  rules=only(category_balance=20),
                  wishes=[{"doctor": "a", "date": d, "template": "natt", "wants": True, "weight": 1}
                          for d in ("2026-12-01", "2026-12-02")])
    r = run(sc)
    nights = [a.doctor for a in r.assignments if a.template == "natt"]
    assert sorted(nights) == ["a", "b"]


def test_preferred_station_breaks_the_tie():
    stations = [station("BLV"), station("ASA", "bydelslegevakt")]
    tpls = [template("blv", "16:00", "23:00"), template("asa", "16:00", "23:00", station="ASA")]
    for pref_a in ("BLV", "ASA"):
        sc = scenario(DAY, DAY, tpls, [doctor("a", preferred_stations=[pref_a]), doctor("b")], stations=stations,
                      rules=only(preferred_station=1))
        r = run(sc)
        assert on(r, f"{pref_a.lower()}/{DAY}") == {"a"}


def test_every_weighted_term_is_reported_and_sums_to_the_objective():
    tpls = [template("natt", "23:00", "08:00", demand_min=2, demand_max=2)]
    stations = [station("BLV"), station("ASA", "bydelslegevakt")]
    sc = scenario("2026-12-01", "2026-12-03", tpls, [doctor("a", preferred_stations=["ASA"]), doctor("b", max_shifts=1)],
                  stations=stations, wishes=[{"doctor": "a", "date": DAY, "template": "natt"}])
    r = run(sc)
    assert set(r.stats.terms) == {
        "ubesatte plasser", "vakter som mangler for at alle skal ta del", "største avvik fra mål per gruppe (poeng per andel)",
        "sum avvik fra mål (poeng)", "skjevhet netter/helger/helligdager", "vakter tett i tett", "ønsker ikke innfridd",
        "vakter utenfor foretrukket stasjon"}
    assert abs(sum(r.stats.terms.values()) - r.stats.objective) < 1e-6
    assert r.stats.terms["ubesatte plasser"] == 2 * 100_000  # b takes one of the three nights


def test_a_zero_weight_term_is_left_out():
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("a")], rules=only())
    assert set(run(sc).stats.terms) == {"ubesatte plasser"}
