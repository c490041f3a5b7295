"""Pins (låst) and the eligibility rules that shape the variable set: stasjon, vakttype,
ferdighet, kurs, fravær, fritak, bakvakt-evne."""

import pytest

from factories import doctor, scenario, station, template
from roster.models import SolveStatus
from solver.precheck import precheck
from solver_util import QUIET, assert_infeasible_strict_and_open, on, run

DAY = "2026-12-01"
RULES = {"weights": QUIET}
STATIONS = [station("BLV"), station("ASA", "bydelslegevakt"), station("BAK", "fjernvakt")]


def wish(doc: str, tpl: str, wants: bool = True) -> dict:
    return {"doctor": doc, "date": DAY, "template": tpl, "wants": wants, "weight": 10}


def test_pin_beats_a_wish():
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("a"), doctor("b")], rules=RULES,
                  wishes=[wish("a", "dag")], pins=[{"doctor": "b", "date": DAY, "template": "dag"}])
    assert on(run(sc), f"dag/{DAY}") == {"b"}


@pytest.mark.parametrize("strict", [False, True])
def test_pin_on_an_absent_doctor_is_infeasible_with_a_norwegian_warning(strict):
    sc = scenario(DAY, DAY, [template("dag", "08:00", "16:00")], [doctor("a"), doctor("b")],
                  absences=[{"doctor": "a", "start": DAY, "end": DAY, "kind": "sykdom"}],
                  pins=[{"doctor": "a", "date": DAY, "template": "dag"}])
    r = run(sc, strict=strict)
    assert r.stats.status == SolveStatus.INFEASIBLE
    assert r.warnings == ["Låst vakt dag 01.12.2026 kan ikke gis til A: fravær (sykdom)."]


@pytest.mark.parametrize("voluntary", [True, False])
def test_an_exempt_doctor_takes_the_one_night_she_volunteered_for(voluntary):
    nights = scenario("2026-12-01", "2026-12-03", [template("natt", "23:00", "08:00")],
                      [doctor("a", exemptions=[{"reason": "graviditet"}]), doctor("b"), doctor("c")], rules=RULES,
                      pins=[{"doctor": "a", "date": "2026-12-02", "template": "natt", "voluntary": voluntary}])
    r = run(nights)
    if voluntary:  # the checker (in run) accepts her on the 2nd; the exemption still holds on the others
        assert r.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
        assert on(r, "natt/2026-12-02") == {"a"} and "a" not in on(r, "natt/2026-12-01") | on(r, "natt/2026-12-03")
    else:
        assert r.stats.status == SolveStatus.INFEASIBLE
        assert r.warnings == ["Låst vakt natt 02.12.2026 kan ikke gis til A: fritatt for vakt 16–08 (graviditet)."]


def test_pin_on_a_day_the_template_does_not_run_is_infeasible():
    sc = scenario("2026-12-05", "2026-12-05", [template("dag", "08:00", "16:00", day_types=["hverdag"])],
                  [doctor("a")], pins=[{"doctor": "a", "date": "2026-12-05", "template": "dag"}])
    r = run(sc)
    assert r.stats.status == SolveStatus.INFEASIBLE
    assert "finnes ikke" in r.warnings[0]


# Each case: the preferred doctor "a" (who wishes for the shift) is barred by one rule.
TPL = {"station": "ASA", "label": "kveld", "required_skill": None}
HOLIDAY_DAY = template("dag", "08:00", "16:00", station="ASA", day_types=["helligdag"])  # not on DAY: a label, no shift
CASES = {
    "stasjon": ({"stations": ["BLV"]}, {}, {}),
    "vakttype": ({"shift_labels": ["dag"]}, {}, {}),
    "ferdighet": ({}, {"required_skill": "barn"}, {}),
    "kurs": ({"courses": {"akuttmedisin": "2026-11-30"}}, {}, {}),
    "kurs mangler": ({"courses": {"vold og overgrep": None}}, {}, {}),
    "fravær": ({}, {}, {"absences": [{"doctor": "a", "start": f"{DAY}T15:00:00", "end": f"{DAY}T17:00:00"}]}),
    "fritak": ({"exemptions": [{"reason": "over 60"}]}, {}, {}),
}


def _case(rule: str, with_b: bool):
    a_extra, tpl_extra, sc_extra = CASES[rule]
    tpl = template("kveld", "16:00", "23:00", **{**TPL, **tpl_extra})
    doctors = [doctor("a", **a_extra)]
    if with_b:
        doctors.append(doctor("b", skills=["barn"]))
    return scenario(DAY, DAY, [tpl, HOLIDAY_DAY], doctors, stations=STATIONS, rules=RULES, wishes=[wish("a", "kveld")],
                    **sc_extra)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_ineligible_doctor_does_not_get_the_shift_even_when_wishing(rule):
    assert on(run(_case(rule, with_b=True)), f"kveld/{DAY}") == {"b"}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_only_an_ineligible_doctor_leaves_an_open_slot(rule):
    assert_infeasible_strict_and_open(_case(rule, with_b=False), {(f"kveld/{DAY}", 1)})


def test_without_required_courses_a_doctor_without_courses_works():
    """A manager who lists no required course gets the rule as it was: only listed courses count."""
    tpl = template("kveld", "16:00", "23:00")
    doctors = [doctor("a", courses={"akuttmedisin": None, "vold og overgrep": None})]
    sc = scenario(DAY, DAY, [tpl], doctors, rules={**RULES, "required_courses": []})
    assert on(run(sc), f"kveld/{DAY}") == {"a"}
    assert precheck(sc) == []


def test_open_slot_reason_counts_absent_and_exempt_doctors():
    tpl = template("kveld", "16:00", "23:00")
    doctors = [doctor("a"), doctor("b", exemptions=[{"reason": "amming"}]), doctor("c"), doctor("d")]
    absences = [{"doctor": d, "start": DAY, "end": DAY} for d in ("c", "d")]
    r = run(scenario(DAY, DAY, [tpl], doctors, absences=absences,
                     pins=[{"doctor": "a", "date": DAY, "template": "kveld"}]))
    assert r.open_slots == []
    tpl2 = template("kveld", "16:00", "23:00", demand_min=2, demand_max=2)
    r = run(scenario(DAY, DAY, [tpl2], doctors, absences=absences))
    assert r.open_slots[0].reason == ("4 mulige leger: 1 er satt på vakten (A), 2 har fravær (C og D: ferie) "
                                      "og 1 har nattfritak (B)")


def test_bakvakt_needs_ability_and_qualification():
    tpls = [template("dag", "08:00", "16:00", demand_min=0),
            template("bv", "08:00", "16:00", station="BAK", duty="bakvakt")]
    doctors = [doctor("a", can_bakvakt=False), doctor("u", qualified=False, can_bakvakt=True),
               doctor("s", can_bakvakt=True, role="spesialist")]
    wishes = [wish("a", "bv"), wish("u", "bv"), wish("s", "bv", wants=False)]
    sc = scenario(DAY, DAY, tpls, doctors, stations=STATIONS, rules=RULES, wishes=wishes)
    assert on(run(sc), f"bv/{DAY}") == {"s"}
    sc = scenario(DAY, DAY, tpls, doctors[:2], stations=STATIONS, rules=RULES, wishes=wishes[:2])
    assert_infeasible_strict_and_open(sc, {(f"bv/{DAY}", 1)})
