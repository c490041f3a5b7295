"""The greedy roster of the first pass keeps the hard rules it builds for, judged by the
independent checker: pins, minimum shifts and every per-doctor and per-shift limit."""

from __future__ import annotations

from factories import doctor, scenario, station, template
from generated import scenarios
from solver_util import roster_of
from hypothesis import HealthCheck, assume, given, settings

from roster.check import Violation, check_roster
from roster.models import Scenario
from solver.builder import build_model
from solver.warmstart import greedy_assignment

# What the greedy leaves to the model: places nobody free can fill (and the bakvakt hours of an
# unfilled on-call shift), minimums it could not reach by a swap, and minimum runs.
NOT_BUILT_FOR = {"bakvakt-dekning", "antall", "timer", "nattblokk", "min-dager-på-rad", "fridager"}


def _broken(sc: Scenario, pairs: set[tuple[str, str]]) -> list[Violation]:
    """Violations of the rules the greedy builds for (an understaffed shift is an open slot)."""
    return [v for v in check_roster(sc, roster_of(sc, pairs))
            if v.rule not in NOT_BUILT_FOR and not (v.rule == "bemanning" and v.missing is not None)]


def test_greedy_keeps_pins_and_brings_every_doctor_to_their_minimum():
    """c has half a share and a minimum of three: by burden alone c would get one or two of the
    six shifts; a's pin on the 3rd would go to whoever is least burdened."""
    sc = scenario("2026-12-01", "2026-12-06", [template("dag", "08:00", "16:00")],
                  [doctor("a"), doctor("b"), doctor("c", share=0.5, min_shifts=3)],
                  pins=[{"doctor": "a", "date": "2026-12-03", "template": "dag"}])
    pairs = greedy_assignment(build_model(sc))
    assert ("a", "dag/2026-12-03") in pairs
    assert sum(d == "c" for d, _ in pairs) >= 3
    assert _broken(sc, pairs) == [] and len(pairs) == 6


def test_greedy_keeps_weekly_rest_and_the_7_day_limits():
    """Two employees and one shift a day for a week, 12 h each: weekly rest and 36 hours per 7
    days leave three shifts each and one open day."""
    sc = scenario("2026-12-01", "2026-12-07", [template("lang", "08:00", "20:00")],
                  [doctor("a", employment="ansatt"), doctor("b", employment="ansatt")],
                  rules={"max_hours_per_7_days": 36, "max_shifts_per_7_days": 4})
    pairs = greedy_assignment(build_model(sc))
    assert _broken(sc, pairs) == []
    assert len(pairs) == 6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sc=scenarios())
def test_greedy_roster_breaks_no_rule_it_builds_for(sc: Scenario):
    ctx = build_model(sc)
    pinned = {(p.doctor, f"{p.template}/{p.date.isoformat()}") for p in sc.pins}
    # a pin that is impossible or clashes with a rule on its own makes the model infeasible anyway
    assume(all(pair in ctx.x for pair in pinned) and _broken(sc, pinned) == [])
    assume(all(ctx.qualified[d] for d, _ in pinned))  # an unqualified pin's bakvakt comes later
    assert _broken(sc, greedy_assignment(ctx)) == []


def test_first_roster_looks_past_a_greedy_open_slot_and_restores_the_model():
    """The greedy gives a the day (a comes first) and then nobody may take the evening; the
    complete search swaps them. Objective and slack domains are as built afterwards."""
    from solver.solve import _Canceller, _first_roster

    sc = scenario("2026-12-01", "2026-12-01", [template("dag", "08:00", "16:00"), template("kveld", "16:00", "23:00")],
                  [doctor("a"), doctor("b", shift_labels=["dag"])])
    ctx = build_model(sc)
    assert ("b", "dag/2026-12-01") not in greedy_assignment(ctx)
    proto = ctx.model.proto
    built = (list(proto.objective.vars), list(proto.objective.coeffs),
             [list(proto.variables[v.index].domain) for v in ctx.short.values()])
    with _Canceller(None) as canceller:
        _, solver = _first_roster(ctx, 5, 0, canceller)
    assert sum(solver.value(v) for v in ctx.short.values()) == 0
    assert solver.boolean_value(ctx.x[("b", "dag/2026-12-01")])
    assert (list(proto.objective.vars), list(proto.objective.coeffs),
            [list(proto.variables[v.index].domain) for v in ctx.short.values()]) == built


def test_greedy_puts_the_pilots_specialist_on_the_bakvakt_before_a_less_burdened_gp():
    """The specialist already has the day (pinned), the fastlege nothing: by burden alone the
    fastlege would take the evening's bakvakt, but the pilot wants a specialist on call."""
    gp = doctor("lege", can_bakvakt=True, competence={"clinical_months": 30, "legevakt_shifts_done": 40})
    sc = scenario("2026-12-01", "2026-12-01",
                  [template("dag", "08:00", "16:00"), template("kveld", "16:00", "23:00"),
                   template("bv", "16:00", "23:00", station="BAK", duty="bakvakt")],
                  [doctor("a"), gp, doctor("s", role="spesialist", can_bakvakt=True)],
                  stations=[station("BLV"), station("BAK", "fjernvakt")],
                  pins=[{"doctor": "s", "date": "2026-12-01", "template": "dag"}])
    assert ("s", "bv/2026-12-01") in greedy_assignment(build_model(sc))
