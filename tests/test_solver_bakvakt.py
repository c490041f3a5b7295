"""Bakvakt on the real timeline: bakvakt-dekning (the pilot rule) and veiledning."""

import datetime as dt

import pytest
from factories import doctor, scenario, station, template
from roster.calendar import OSLO
from roster.models import SolveStatus
from solver_util import QUIET, assert_infeasible_strict_and_open, on, run

DAY = "2026-12-01"
RULES = {"weights": QUIET}
STATIONS = [station("BLV"), station("BAK", "fjernvakt")]
SPECIALIST = doctor("s", role="spesialist", can_bakvakt=True)


def wish(doc: str, tpl: str, wants: bool = True, weight: int = 10) -> dict:
    return {"doctor": doc, "date": DAY, "template": tpl, "wants": wants, "weight": weight}


def oslo(h: int, day: int = 1) -> dt.datetime:
    return dt.datetime(2026, 12, day, h, tzinfo=OSLO)


def test_open_station_gets_a_bakvakt_even_when_the_on_call_shift_has_no_demand():
    tpls = [template("dag", "08:00", "16:00"),
            template("bv", "12:00", "20:00", station="BAK", duty="bakvakt", demand_min=0)]
    sc = scenario(DAY, DAY, tpls, [doctor("a"), SPECIALIST], stations=STATIONS, rules=RULES,
                  wishes=[wish("s", "bv", wants=False)])
    r = run(sc)
    assert on(r, f"bv/{DAY}") == {"s"}


def test_uncovered_bakvakt_is_reported_on_the_real_timeline():
    """Only 12–20 has an on-call shift; nobody can take it: strict is infeasible, by default the
    open on-call slot and the station's whole opening 08–16 are listed (08–12 has no on-call
    shift at all, 12–16 has an open one)."""
    tpls = [template("dag", "08:00", "16:00"),
            template("bv", "12:00", "20:00", station="BAK", duty="bakvakt")]
    sc = scenario(DAY, DAY, tpls, [doctor("a")], stations=STATIONS)
    r = assert_infeasible_strict_and_open(sc, {(f"bv/{DAY}", 1)})
    assert r.uncovered_bakvakt == [(oslo(8), oslo(16))]
    assert r.stats.terms["timer uten bakvakt"] == 4 * 100_000


def test_on_call_shift_without_demand_cannot_excuse_a_gap():
    tpls = [template("dag", "08:00", "16:00"),
            template("bv", "08:00", "16:00", station="BAK", duty="bakvakt", demand_min=0)]
    sc = scenario(DAY, DAY, tpls, [doctor("a")], stations=STATIONS)
    r = run(sc)
    assert r.stats.status == SolveStatus.INFEASIBLE


def _supervised(supervision: str, with_specialist: bool = True):
    tpls = [template("dag", "08:00", "16:00", demand_min=0, demand_max=2),
            template("tlf", "08:00", "16:00", station="BAK", duty="bakvakt", demand_min=0),
            template("inn", "08:00", "16:00", station="BAK", duty="bakvakt", demand_min=0, on_call_can_attend=True)]
    doctors = [doctor("u", qualified=False, supervision=supervision), doctor("q")]
    if with_specialist:
        doctors.append(SPECIALIST)
    wishes = [wish("u", "dag")] + (
        [wish("s", "tlf", weight=1), wish("s", "inn", wants=False, weight=1)] if with_specialist else [])
    return scenario(DAY, DAY, tpls, doctors, stations=STATIONS, rules=RULES, wishes=wishes)


def test_unqualified_doctor_is_supervised_by_phone():
    r = run(_supervised("telefon"))
    assert (on(r, f"dag/{DAY}"), on(r, f"tlf/{DAY}"), on(r, f"inn/{DAY}")) == ({"u", "q"}, {"s"}, set())


def test_supervision_tilstede_needs_a_bakvakt_who_can_come_in():
    r = run(_supervised("tilstede"))
    assert (on(r, f"dag/{DAY}"), on(r, f"tlf/{DAY}"), on(r, f"inn/{DAY}")) == ({"u", "q"}, set(), {"s"})


def test_no_bakvakt_for_the_unqualified_doctor_keeps_them_off():
    r = run(_supervised("telefon", with_specialist=False))
    assert "u" not in on(r, f"dag/{DAY}")


def test_pinned_unqualified_doctor_without_any_bakvakt_is_infeasible_in_both_modes():
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00", demand_max=2)],
                  [doctor("u", qualified=False), doctor("q")],
                  pins=[{"doctor": "u", "date": DAY, "template": "dag"}])
    for strict in (False, True):
        assert run(sc, strict=strict).stats.status == SolveStatus.INFEASIBLE


def test_strict_mode_refuses_open_hours_no_on_call_shift_covers():
    """Åsane open 10–16 while the only bakvakt runs 16–08: by default a declared gap, in strict
    mode no roster, with the hours named (the checker would reject any roster)."""
    tpls = [template("helg", "10:00", "16:00"),
            template("bv", "16:00", "08:00", station="BAK", duty="bakvakt", demand_min=0)]
    sc = scenario(DAY, DAY, tpls, [doctor("a"), SPECIALIST], stations=STATIONS, rules=RULES)
    strict = run(sc, strict=True)
    assert strict.stats.status == SolveStatus.INFEASIBLE
    assert strict.warnings == ["Ingen bakvaktvakt går 01.12.2026 10:00–16:00 mens en stasjon er åpen."]
    relaxed = run(sc)
    assert relaxed.uncovered_bakvakt == [(oslo(10), oslo(16))]


# A fastlege qualified by months and shifts (akuttmedisinforskriften §7) who may be bakvakt, but is
# no specialist: the pilot's bakvakt must be one (domain.md "The pilot").
GP_ON_CALL = doctor("lege", can_bakvakt=True, competence={"clinical_months": 30, "legevakt_shifts_done": 40})
EVENING_WITH_BAKVAKT = [template("kveld", "16:00", "23:00"),
                        template("bv", "16:00", "23:00", station="BAK", duty="bakvakt")]


def test_a_bakvakt_who_is_no_specialist_leaves_the_pilot_hours_uncovered():
    """Only the fastlege can take the bakvakt: they take it (a qualified bakvakt still serves
    supervision), and the evening is reported without a specialist; strict mode has no roster."""
    sc = scenario(DAY, DAY, EVENING_WITH_BAKVAKT, [doctor("a"), GP_ON_CALL], stations=STATIONS, rules=RULES)
    assert run(sc, strict=True).stats.status == SolveStatus.INFEASIBLE
    r = run(sc)
    assert (on(r, f"kveld/{DAY}"), on(r, f"bv/{DAY}"), r.open_slots) == ({"a"}, {"lege"}, [])
    assert r.uncovered_bakvakt == [(oslo(16), oslo(23))]
    assert r.stats.terms["timer uten bakvakt"] == 7 * 100_000


@pytest.mark.parametrize("specialist", [
    doctor("s", role="spesialist", can_bakvakt=True),
    doctor("s", can_bakvakt=True, competence={"specialist_general_practice": True}),
], ids=["spesialist", "allmennspesialist"])
def test_the_pilot_takes_a_specialist_over_a_doctor_who_wants_the_bakvakt(specialist):
    """The fastlege wishes for the bakvakt and the specialist (by role, or a fastlege who is a
    specialist in general practice) wishes against it: the specialist takes it all the same."""
    sc = scenario(DAY, DAY, EVENING_WITH_BAKVAKT, [doctor("a"), GP_ON_CALL, specialist], stations=STATIONS,
                  rules=RULES, wishes=[wish("lege", "bv"), wish("s", "bv", wants=False)])
    r = run(sc, strict=True)
    assert (on(r, f"bv/{DAY}"), r.uncovered_bakvakt) == ({"s"}, [])


OPTIONAL_ASANE = template("asa", "10:00", "16:00", station="ASA", demand_min=0, demand_max=1)
ASANE_STATIONS = [*STATIONS, station("ASA", "bydelslegevakt")]


def test_a_staffed_optional_shift_needs_a_specialist_on_call_an_empty_one_none():
    """Åsane's extra shift (demand_min 0) opens the station only when a doctor works it: with the
    doctor's wish it is staffed and the specialist takes the optional bakvakt against their own
    wish; without the wish it stays empty and so does the bakvakt."""
    tpls = [OPTIONAL_ASANE, template("bv", "10:00", "16:00", station="BAK", duty="bakvakt", demand_min=0)]
    doctors = [doctor("a"), SPECIALIST]
    staffed = scenario(DAY, DAY, tpls, doctors, stations=ASANE_STATIONS, rules=RULES,
                       wishes=[wish("a", "asa"), wish("s", "bv", wants=False, weight=1)])
    r = run(staffed, strict=True)
    assert (on(r, f"asa/{DAY}"), on(r, f"bv/{DAY}")) == ({"a"}, {"s"})
    empty = scenario(DAY, DAY, tpls, doctors, stations=ASANE_STATIONS, rules=RULES,
                     wishes=[wish("s", "bv", wants=False, weight=1)])
    r = run(empty, strict=True)
    assert (on(r, f"asa/{DAY}"), on(r, f"bv/{DAY}"), r.uncovered_bakvakt) == (set(), set(), [])


def test_a_doctor_pinned_to_an_optional_shift_no_bakvakt_covers_is_reported():
    """No on-call shift runs while Åsane's extra shift does: strict mode keeps the shift empty (here
    pinned: no roster); by default the pinned doctor works it and the hours are reported."""
    tpls = [OPTIONAL_ASANE, template("bv", "16:00", "23:00", station="BAK", duty="bakvakt", demand_min=0)]
    sc = scenario(DAY, DAY, tpls, [doctor("a"), SPECIALIST], stations=ASANE_STATIONS, rules=RULES,
                  pins=[{"doctor": "a", "date": DAY, "template": "asa"}])
    assert run(sc, strict=True).stats.status == SolveStatus.INFEASIBLE
    r = run(sc)
    assert on(r, f"asa/{DAY}") == {"a"}
    assert r.uncovered_bakvakt == [(oslo(10), oslo(16))]
    assert r.stats.terms["timer uten bakvakt"] == 6 * 100_000


def test_the_wish_for_an_optional_shift_no_bakvakt_covers_does_not_outweigh_its_hours():
    """By default too, an optional shift is left empty rather than staffed without a specialist on
    call: its hours would count as hours without bakvakt."""
    tpls = [OPTIONAL_ASANE, template("bv", "16:00", "23:00", station="BAK", duty="bakvakt", demand_min=0)]
    sc = scenario(DAY, DAY, tpls, [doctor("a"), SPECIALIST], stations=ASANE_STATIONS, rules=RULES,
                  wishes=[wish("a", "asa")])
    r = run(sc)
    assert (on(r, f"asa/{DAY}"), r.uncovered_bakvakt) == (set(), [])
