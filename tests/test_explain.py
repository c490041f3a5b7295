"""Explanations of infeasible scenarios: each tiny scenario has one known clash, which must be
reported exactly (every member, nothing unrelated), with fixes the solver verified; applying the
chosen fixes gives a scenario the real solver staffs completely (checked by the checker)."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from factories import doctor, scenario, template
from roster.models import SolveStatus
from solver.explain import FIRST_TRY, explain
from solver_util import run

NIGHT = template("natt", "23:00", "08:00")
DAY = template("dag", "08:00", "16:00")
ELSEWHERE = {"id": "ASA", "name": "Åsane", "kind": "bydelslegevakt"}


def _sc(templates, doctors, end="2026-12-02", **kw):
    kw.setdefault("stations", [{"id": "BLV", "name": "Bergen legevakt", "kind": "legevakt"}, ELSEWHERE])
    return scenario("2026-12-01", end, templates, doctors, **kw)


def _groups(ex, i=0) -> set[tuple[str, str]]:
    return {r.group for r in ex.conflicts[i].requirements}


def _fixed(sc, ex):
    """The scenario with the first fix of every clash applied."""
    for fix in ex.chosen:
        assert fix.edit is not None
        sc = fix.edit(sc)
    return sc


def test_feasible_scenario_has_nothing_to_explain():
    ex = explain(_sc([NIGHT], [doctor("a"), doctor("b")]))
    assert ex.status == "mulig" and ex.conflicts == [] and ex.feasible


def test_holiday_and_a_doctors_limit_clash_exactly():
    # c works at another station only and d has no clash with anything: neither may appear
    sc = _sc([NIGHT, template("asa", "16:00", "23:00", station="ASA")],
             [doctor("a", name="Anne", max_shifts=1), doctor("b", name="Bjørn"),
              doctor("c", stations=["ASA"]), doctor("d", stations=["ASA"])],
             absences=[{"doctor": "b", "start": "2026-12-01", "end": "2026-12-05", "kind": "ferie"}])
    ex = explain(sc)
    assert ex.status == "konflikter" and len(ex.conflicts) == 1
    assert _groups(ex) == {("bemanning", "natt/2026-12-01"), ("bemanning", "natt/2026-12-02"),
                           ("antall-maks", "a"), ("fravær", "0@natt/2026-12-01"), ("fravær", "0@natt/2026-12-02")}
    texts = [f.text for f in ex.conflicts[0].fixes]
    assert texts[0] == "Øk maks antall vakter for Anne fra 1 til 2"
    assert "Spør Bjørn om å ta natt Bergen legevakt 01.12 23:00–08:00 tross fraværet (ferie 01.12–05.12.2026)" in texts
    assert "Senk bemanningen på Natt Bergen legevakt 02.12 23:00–08:00 fra 1 til 0" in texts
    assert ex.verified is True
    r = run(_fixed(sc, ex), strict=True)
    assert r.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and not r.open_slots


def test_rest_between_shifts_is_a_reason_but_never_a_fix():
    sc = _sc([DAY, template("kveld", "16:00", "23:00")], [doctor("a", name="Anne"), doctor("b", name="Bjørn")],
             end="2026-12-01", absences=[{"doctor": "b", "start": "2026-12-01", "end": "2026-12-01", "kind": "sykdom"}])
    ex = explain(sc)
    # Bjørn is off both shifts, so both blocks belong to the clash
    assert _groups(ex) == {("bemanning", "dag/2026-12-01"), ("bemanning", "kveld/2026-12-01"), ("hvile", "a"),
                           ("fravær", "0@dag/2026-12-01"), ("fravær", "0@kveld/2026-12-01")}
    assert not any(f.group[0] == "hvile" for f in ex.conflicts[0].fixes)
    assert "Anne må ha 8 t hvile mellom to vakter" in ex.conflicts[0].summary
    assert ex.chosen[0].group[0] == "fravær" and ex.verified is True


@pytest.mark.parametrize("sick, said", [(1, "(1 er syk og 1 har ferie: "), (2, "(2 er syke og 1 har ferie: ")])
def test_the_reasons_doctors_are_away_agree_with_their_count(sick, said):
    ids = "ab"[:sick] + "c"  # the first `sick` are ill, c is on holiday: nobody is left for the night
    away = [{"doctor": d, "start": "2026-12-01", "end": "2026-12-01", "kind": "ferie" if d == "c" else "sykdom"}
            for d in ids]
    summary = explain(_sc([NIGHT], [doctor(d) for d in ids], end="2026-12-01", absences=away)).conflicts[0].summary
    assert f"{sick + 1} leger som ellers kunne tatt vakten er borte {said}" in summary, summary


def test_competence_needs_a_qualified_doctor():
    sc = _sc([template("natt", "23:00", "08:00", min_qualified=1)],
             [doctor("alis", qualified=False, role="ALIS"), doctor("q", name="Kari"),
              doctor("spes", can_bakvakt=True, role="spesialist", stations=["ASA"])],
             end="2026-12-01", absences=[{"doctor": "q", "start": "2026-12-01", "end": "2026-12-03", "kind": "kurs"}])
    ex = explain(sc)
    # the specialist is qualified but works only at Åsane: a static fact, not a group of the clash
    assert _groups(ex) == {("kompetanse", "natt/2026-12-01"), ("fravær", "0@natt/2026-12-01")}
    assert [f.text for f in ex.conflicts[0].fixes] == [
        "Spør Kari om å ta natt Bergen legevakt 01.12 23:00–08:00 tross fraværet (kurs 01.12–03.12.2026)",
        "Godta 0 i stedet for 1 som kan gå alene på Natt Bergen legevakt 01.12 23:00–08:00",
    ]


def test_pin_on_an_absent_doctor():
    sc = _sc([NIGHT], [doctor("a", name="Anne"), doctor("b")], end="2026-12-01",
             absences=[{"doctor": "a", "start": "2026-12-01", "end": "2026-12-01"}],
             pins=[{"doctor": "a", "date": "2026-12-01", "template": "natt"}])
    ex = explain(sc)
    assert _groups(ex) == {("låst", "0"), ("fravær", "0@natt/2026-12-01")}
    texts = [f.text for f in ex.conflicts[0].fixes]
    assert any(t.startswith("Fjern den låste vakten: Anne er låst til Natt Bergen legevakt 01.12") for t in texts)


def test_weekly_limit_gets_an_exception_for_that_doctor():
    sc = _sc([DAY], [doctor("a", name="Anne")], end="2026-12-03", rules={"max_shifts_per_7_days": 2})
    ex = explain(sc)
    assert _groups(ex) == {("uke-vakter", "a"), ("bemanning", "dag/2026-12-01"), ("bemanning", "dag/2026-12-02"),
                           ("bemanning", "dag/2026-12-03")}
    assert ex.chosen[0].group == ("uke-vakter", "a") and ex.chosen[0].edit is None
    assert ex.verified is True


def test_bakvakt_cover_when_the_only_specialist_is_away():
    sc = _sc([template("dag", "08:00", "16:00", min_qualified=1),
              template("bak", "08:00", "16:00", duty="bakvakt", label="bakvakt")],
             [doctor("a"), doctor("s", name="Siri", can_bakvakt=True, role="spesialist", shift_labels=["bakvakt"])],
             end="2026-12-01", absences=[{"doctor": "s", "start": "2026-12-01", "end": "2026-12-01"}])
    ex = explain(sc)
    groups = _groups(ex)
    assert ("fravær", "0@bak/2026-12-01") in groups
    assert groups & {("bakvakt-dekning", "2026-12-01"), ("bemanning", "bak/2026-12-01")}
    assert [f.text.split(" om ")[0] for f in ex.conflicts[0].fixes if f.group[0] == "fravær"] == ["Spør Siri"]


def test_demand_is_lowered_by_exactly_what_the_clash_needs():
    sc = _sc([template("dag", "08:00", "16:00", demand_min=3, demand_max=3)],
             [doctor("a"), doctor("b"), doctor("c")], end="2026-12-01",
             absences=[{"doctor": "c", "start": "2026-12-01", "end": "2026-12-01"}])
    ex = explain(sc)
    lower = next(f for f in ex.conflicts[0].fixes if f.group == ("bemanning", "dag/2026-12-01"))
    assert lower.value == 2 and lower.text == "Senk bemanningen på Dag Bergen legevakt 01.12 08:00–16:00 fra 3 til 2"
    r = run(lower.edit(sc), strict=True)
    assert len(r.assignments) == 2 and not r.open_slots


def test_expired_course_fix_is_a_renewal():
    sc = _sc([NIGHT], [doctor("a", name="Anne", courses={"akuttmedisin": "2026-11-30"})], end="2026-12-01")
    ex = explain(sc)
    assert _groups(ex) == {("bemanning", "natt/2026-12-01"), ("kurs", "a/akuttmedisin")}
    assert ex.chosen[0].text == "Forny kurset «akuttmedisin» for Anne (gikk ut 30.11.2026)"
    r = run(_fixed(sc, ex), strict=True)
    assert r.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def test_a_missing_required_course_is_named_and_its_fix_registers_it():
    sc = _sc([NIGHT], [doctor("a", name="Anne", courses={"vold og overgrep": None})], end="2026-12-01")
    ex = explain(sc)
    assert _groups(ex) == {("bemanning", "natt/2026-12-01"), ("kurs", "a/vold og overgrep")}
    assert "Anne mangler kurset «vold og overgrep»" in [r.text for r in ex.conflicts[0].requirements]
    assert ex.chosen[0].text == "Registrer kurset «vold og overgrep» for Anne (mangler)"
    r = run(_fixed(sc, ex), strict=True)
    assert r.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def test_two_independent_clashes_are_both_found_and_fixed_together():
    sc = _sc([NIGHT, template("asa", "16:00", "23:00", station="ASA")],
             [doctor("a", name="Anne"), doctor("b", name="Bjørn", stations=["ASA"])], end="2026-12-01",
             absences=[{"doctor": "a", "start": "2026-12-01", "end": "2026-12-01"},
                       {"doctor": "b", "start": "2026-12-01", "end": "2026-12-01"}])
    ex = explain(sc)
    # asking Anne for the Åsane evening as well would clash with the night she was asked for
    assert len(ex.conflicts) == 2 and ex.verified is True
    assert [f.text.split(" om ")[0] for f in ex.chosen] == ["Spør Anne", "Spør Bjørn"]
    assert {frozenset(_groups(ex, i)) for i in (0, 1)} == {
        frozenset({("bemanning", "natt/2026-12-01"), ("fravær", "0@natt/2026-12-01")}),
        frozenset({("bemanning", "asa/2026-12-01"), ("fravær", "0@asa/2026-12-01"), ("fravær", "1@asa/2026-12-01")}),
    }
    r = run(_fixed(sc, ex), strict=True)
    assert r.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and not r.open_slots


@pytest.mark.parametrize("limit", [0.5])
def test_the_model_of_an_explanation_leaves_no_hard_rule_ungrouped(limit):
    """Every constraint of the explain model either belongs to a group or only defines a helper
    variable: with every group lifted, the all-zero roster is feasible."""
    from solver.builder import build_model
    from solver.explain import _Tester

    sc = _sc([NIGHT, DAY], [doctor("a", max_shifts=0, min_shifts=0), doctor("b", min_hours=8)], end="2026-12-03",
             rules={"max_shifts_per_7_days": 1, "min_consecutive_days": 2})
    ctx = build_model(sc, explain=True)
    code, _ = _Tester(ctx, 0).solve_all(set(), limit)
    assert code in (2, 4)  # OPTIMAL or FEASIBLE


def test_two_limits_of_one_doctor_are_not_offered_as_a_one_change_fix():
    """Anne may take one night and 10 hours: raising only the night limit would still break the
    hour limit, so the solver does not offer it; lowering the demand is verified."""
    sc = _sc([template("natt", "23:00", "08:00", label="natt")],
             [doctor("a", name="Anne", max_shifts_by_label={"natt": 1}, max_hours=10)])
    ex = explain(sc)
    fixes = [f.group[0] for f in ex.conflicts[0].fixes]
    assert "antall-type" not in fixes and "bemanning" in fixes
    assert "Anne kan ha høyst 1 nattvakt i perioden" in ex.conflicts[0].summary


def test_one_absence_asked_for_two_shifts_is_split_for_both():
    """The only doctor is on holiday for both days: the two fixes split the same absence, and
    together they must free both shifts (an edit must not re-cover what the first one freed)."""
    sc = _sc([DAY], [doctor("a", name="Anne")],
             absences=[{"doctor": "a", "start": "2026-12-01", "end": "2026-12-05", "kind": "ferie"}])
    ex = explain(sc)
    assert [c.group for c in ex.chosen] == [("fravær", "0@dag/2026-12-01"), ("fravær", "0@dag/2026-12-02")]
    assert ex.verified is True
    r = run(_fixed(sc, ex), strict=True)
    assert not r.open_slots and {a.date.day for a in r.assignments} == {1, 2}


def _two_nights_for(anne):
    """Anne (exempt from 16–08) is the only one for the nights on Tuesday 1st and Saturday 5th;
    Bjørn takes those between: the explanation asks for her exemption to be lifted on both."""
    edge = template("kant", "23:00", "08:00", day_types=["hverdag", "lørdag"])
    middle = template("midt", "23:00", "08:00", day_types=["hverdag"])
    sc = _sc([edge, middle], [doctor("a", name="Anne", **anne), doctor("b", name="Bjørn", shift_labels=["midt"])],
             end="2026-12-05", rules={"max_consecutive_nights": 3},
             demand_changes=[{"template": t, "date": f"2026-12-0{d}", "demand_min": 0, "demand_max": 0}
                             for t, days in (("kant", (2, 3, 4)), ("midt", (1,))) for d in days])
    ex = explain(sc)
    assert [c.group for c in ex.chosen] == [("fritak", "a/0@kant/2026-12-01"), ("fritak", "a/0@kant/2026-12-05")]
    return sc, ex


def test_one_exemption_asked_for_two_nights_is_lifted_for_both():
    """Lifting Anne's exemption around the Saturday must not bring it back on the Tuesday."""
    sc, ex = _two_nights_for({"exemptions": [{"reason": "over 60"}]})
    assert ex.verified is True
    r = run(_fixed(sc, ex), strict=True)
    assert not r.open_slots and {a.date.day for a in r.assignments if a.doctor == "a"} == {1, 5}


def test_an_exemption_by_age_is_lifted_for_the_two_nights_asked_and_no_more():
    """The same as above with Anne exempt by her birth date (60 on 20.11.2026) instead of a row:
    the fix writes the exemption out, waived as derived, and lifts it around each night asked."""
    sc, ex = _two_nights_for({"birth_date": "1966-11-20"})
    assert "frivillig (fritatt 16–08: over aldersgrensen)" in ex.chosen[0].text
    assert ex.verified is True
    fixed = _fixed(sc, ex)
    anne = fixed.doctor("a")
    assert anne.waives_age_exemption and all(e.reason.value == "over aldersgrensen" for e in anne.exemptions)
    r = run(fixed, strict=True)
    assert not r.open_slots and {a.date.day for a in r.assignments if a.doctor == "a"} == {1, 5}


def test_on_site_supervision_names_a_bakvakt_who_can_come_in():
    # the specialist on call may not come in, and Anne (ALIS) needs on-site supervision: the clash
    # is about a bakvakt who can attend, not about a bakvakt at all
    sc = _sc([template("dag", "08:00", "16:00", demand_max=2, min_qualified=1),
              template("bak", "08:00", "16:00", duty="bakvakt", label="bakvakt", on_call_can_attend=False)],
             [doctor("a", name="Anne", qualified=False, role="ALIS", supervision="tilstede"), doctor("b"),
              doctor("s", can_bakvakt=True, role="spesialist", shift_labels=["bakvakt"])],
             end="2026-12-01", pins=[{"doctor": "a", "date": "2026-12-01", "template": "dag"}])
    ex = explain(sc)
    assert _groups(ex) == {("låst", "0"), ("veiledning", "a")}
    assert "Anne kan ikke gå alene og må ha en kvalifisert bakvakt som kan møte, på hele vakten" in ex.conflicts[0].summary


FANA = {"id": "FAN", "name": "Fana legevakt", "kind": "bydelslegevakt"}
NIGHTS_AND_FANA = [template("natt", "23:00", "08:00", label="natt", demand_max=2),
                   template("fan", "16:00", "23:00", station="FAN", label="kveld")]


def test_a_minimum_over_a_holiday_is_lowered_to_what_the_doctor_can_take():
    # Anne is away all three days and must take 2 shifts: asking her for one shift is not enough,
    # and her minimum must go to 0 (her other blocked shifts count, not only the clash's)
    sc = _sc(NIGHTS_AND_FANA, [doctor("a", name="Anne", min_shifts=2), doctor("b"), doctor("c"), doctor("d")],
             end="2026-12-03", stations=[{"id": "BLV", "name": "Bergen legevakt", "kind": "legevakt"}, FANA],
             absences=[{"doctor": "a", "start": "2026-12-01", "end": "2026-12-03", "kind": "ferie"}])
    ex = explain(sc)
    assert [f.text for c in ex.conflicts for f in c.fixes] == ["Senk min antall vakter for Anne fra 2 til 0"]
    assert ex.verified is True
    r = run(_fixed(sc, ex), strict=True)
    assert r.stats.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE) and not r.open_slots


def test_a_minimum_for_a_doctor_who_can_take_no_shift_at_all():
    # Anne works only nights at Fana, which has none: no variable, a contradiction of the input
    sc = _sc(NIGHTS_AND_FANA, [doctor("a", name="Anne", min_shifts=2, stations=["FAN"], shift_labels=["natt"]),
                               doctor("b"), doctor("c"), doctor("d")],
             end="2026-12-03", stations=[{"id": "BLV", "name": "Bergen legevakt", "kind": "legevakt"}, FANA])
    ex = explain(sc)
    assert _groups(ex) == {("antall-min", "a")}
    assert ex.conflicts[0].summary == "Anne skal ha minst 2 vakter i perioden, men kan ikke ta noen."
    assert [f.text for f in ex.conflicts[0].fixes] == ["Senk min antall vakter for Anne fra 2 til 0"]
    assert ex.verified is True


def test_a_limit_of_hours_is_raised_enough_for_every_pinned_shift():
    # Anne is pinned to a 9-h night and an 8-h day and may work 8 h: one hour more is not enough
    sc = _sc([NIGHT, DAY], [doctor("a", name="Anne", max_hours=8), doctor("b"), doctor("c")], end="2026-12-03",
             pins=[{"doctor": "a", "date": "2026-12-01", "template": "natt"},
                   {"doctor": "a", "date": "2026-12-03", "template": "dag"}])
    ex = explain(sc)
    assert ex.conflicts[0].fixes[0].text == "Øk maks timer for Anne fra 8 til 17"
    assert len(ex.conflicts) == 1 and ex.verified is True


def test_a_practice_day_fix_says_what_it_changes_every_night_before_one():
    # Anne is the only doctor for two weeknights, each before one of her practice days: the fix
    # lifts the rule for her whole period (its edit clears her practice days), not one night
    sc = _sc([NIGHT], [doctor("a", name="Anne", practice_days=["onsdag", "torsdag"])], end="2026-12-02",
             rules={"no_night_before_practice_day": True})
    ex = explain(sc)
    fix = next(f for c in ex.conflicts for f in c.fixes if f.group == ("praksisdag", "a"))
    assert fix.text == "La Anne ta nattevakter før praksisdagene sine i perioden (fri fra praksis dagen etter)"
    assert fix.edit(sc).doctor("a").practice_days == []


def test_a_name_ending_in_s_takes_an_apostrophe_in_the_genitive():
    # Lars works nights only in blocks of two, and the night of the 3rd stands alone between two
    # closed nights: «Lars' netter», not «Larss netter»
    closed = [{"template": "natt", "date": f"2026-12-0{d}", "demand_min": 0} for d in (2, 4)]
    sc = _sc([NIGHT], [doctor("l", name="Lars")], end="2026-12-04", rules={"min_consecutive_nights": 2},
             demand_changes=closed)
    ex = explain(sc)
    assert "Lars' netter kommer i blokker på minst 2" in ex.conflicts[0].summary


def test_the_time_limit_holds_while_the_model_is_built():
    # a limit spent before the model is built proves nothing: «ukjent», at once
    sc = _sc([NIGHT], [doctor("a")], end="2026-12-01",
             absences=[{"doctor": "a", "start": "2026-12-01", "end": "2026-12-01"}])
    ex = explain(sc, time_limit=0)
    assert (ex.status, ex.complete, ex.conflicts) == ("ukjent", False, [])


@pytest.mark.parametrize(("limit", "answered"), [(100, True), (5, False)])
def test_an_unanswered_try_at_the_whole_model_is_retried_with_the_next_seed_and_twice_the_time(
        monkeypatch, limit, answered):
    # the time to a roster is heavy-tailed in the seed: one unlucky try must not spend the limit,
    # and a retry never runs past it
    tries = []

    class FirstTryUnlucky(cp_model.CpSolver):
        def solve(self, model, *args, **kwargs):
            tries.append((self.parameters.random_seed, self.parameters.max_time_in_seconds))
            return cp_model.UNKNOWN if len(tries) == 1 else super().solve(model, *args, **kwargs)

    monkeypatch.setattr(cp_model, "CpSolver", FirstTryUnlucky)
    ex = explain(_sc([NIGHT], [doctor("a"), doctor("b")]), time_limit=limit)
    if answered:
        assert ex.status == "mulig" and tries == [(0, FIRST_TRY), (1, 2 * FIRST_TRY)]
    else:
        assert ex.status == "ukjent" and len(tries) == 1 and tries[0][1] <= limit
