"""Solver families for runs, per-label counts, period hours, weekends, successions, per-date demand
and over-staffing: each rule binds a tiny scenario (a pair with and without a way out)."""

from __future__ import annotations

import datetime as dt

from factories import doctor, scenario, template
from roster.models import Scenario, SolveStatus
from solver.builder import build_model
from solver.limits import add_weekends
from solver.rest import add_successions
from solver.runs import on_dates
from solver_util import QUIET, on, run, shifts_of


def _wants(doc: str, tpl: str, *days: int, weight: int = 10) -> list[dict]:
    return [{"doctor": doc, "date": f"2026-12-{d:02d}", "template": tpl, "wants": True, "weight": weight}
            for d in days]


def _sc(templates, doctors, end="2026-12-07", **kw):
    rules = {"weights": QUIET, **kw.pop("rules", {})}
    return scenario("2026-12-01", end, templates, doctors, rules=rules, **kw)


DAY = template("dag", "08:00", "16:00")


def test_succession_is_kept_when_someone_else_can_take_it():
    nights = template("natt", "23:00", "08:00", demand_min=0, demand_max=1)
    evenings = template("kveld", "16:00", "23:00", demand_min=0, demand_max=1)
    sc = _sc([nights, evenings], [doctor("a"), doctor("b", share=0)], end="2026-12-02",
             rules={"forbidden_successions": [{"first": "natt", "then": "kveld"}]},
             wishes=_wants("a", "natt", 1) + _wants("a", "kveld", 2, weight=5))
    r = run(sc)
    assert shifts_of(r, "a") == {"natt/2026-12-01"}  # the stronger wish wins, the succession holds
    free = run(sc.model_copy(update={"rules": sc.rules.model_copy(update={"forbidden_successions": []})}))
    assert shifts_of(free, "a") == {"natt/2026-12-01", "kveld/2026-12-02"}


def test_succession_with_one_doctor_leaves_an_open_slot():
    sc = _sc([template("natt", "23:00", "08:00", day_types=["hverdag"]),
              template("kveld", "16:00", "23:00", active_from="2026-12-02")], [doctor("a")], end="2026-12-02",
             rules={"forbidden_successions": [{"first": "natt", "then": "kveld"}], "rest_hours_self_employed": 0,
                    "legal_floor_override": "test: the succession alone"})
    assert run(sc, strict=True).stats.status == SolveStatus.INFEASIBLE
    r = run(sc)
    assert sum(o.missing for o in r.open_slots) == 1 and {o.date for o in r.open_slots} <= {dt.date(2026, 12, 1),
                                                                                           dt.date(2026, 12, 2)}


def _blocking(*labels: str) -> dict:
    return {"forbidden_successions": [{"first": "natt", "then": label} for label in labels],
            "rest_hours_self_employed": 0, "legal_floor_override": "test: the succession alone"}


def _after_night(followers: list[dict], night_weight: int, rules: dict) -> Scenario:
    """Doctor a (b takes nothing) wishes a night on the 1st (``night_weight``) and each follower on the 2nd (2)."""
    nights = template("natt", "23:00", "08:00", demand_min=0, demand_max=1)
    return _sc([nights, *followers], [doctor("a"), doctor("b", share=0)], end="2026-12-02", rules=rules,
               wishes=_wants("a", "natt", 1, weight=night_weight)
               + [w for f in followers for w in _wants("a", f["id"], 2, weight=2)])


def test_a_night_blocks_every_follower_it_names():
    """Two blocked followers that do not overlap (dag, then kveld): both are free after a free night,
    neither is after a night. One constraint per night, not per blocked pair, must not forbid the
    two followers together."""
    followers = [template("dag", "08:00", "16:00", demand_min=0, demand_max=1),
                 template("kveld", "16:00", "23:00", demand_min=0, demand_max=1)]
    rules = _blocking("dag", "kveld")
    assert shifts_of(run(_after_night(followers, 3, rules)), "a") == {"dag/2026-12-02", "kveld/2026-12-02"}
    assert shifts_of(run(_after_night(followers, 10, rules)), "a") == {"natt/2026-12-01"}


OVERLAPPING = [template("dag", "08:00", "16:00", demand_min=0, demand_max=1),
               template("lang", "08:00", "20:00", demand_min=0, demand_max=1)]


def test_a_night_blocks_overlapping_followers():
    """Two blocked followers that overlap (dag, lang: a doctor takes at most one anyway): after a
    night neither; without the rule the night and one of them."""
    assert shifts_of(run(_after_night(OVERLAPPING, 10, _blocking("dag", "lang"))), "a") == {"natt/2026-12-01"}
    free = shifts_of(run(_after_night(OVERLAPPING, 10, _blocking())), "a")
    assert "natt/2026-12-01" in free and len(free & {"dag/2026-12-02", "lang/2026-12-02"}) == 1


def test_successions_are_one_constraint_per_shift_not_per_blocked_pair():
    """Curtois 24 had 9.8 million two-literal clauses here: one per (shift, blocked follower)."""
    ctx = build_model(_after_night(OVERLAPPING, 10, _blocking("dag", "lang")))
    before = len(ctx.model.proto.constraints)
    add_successions(ctx)  # once more: what it adds is its own
    first_nights = [s for items in ctx.by_doctor.values() for s, _ in items if s.key == "natt/2026-12-01"]
    assert len(first_nights) == 2 and len(ctx.model.proto.constraints) - before == 2


def test_firsts_that_overlap_share_one_constraint():
    """Two nights on the 1st that overlap (a doctor takes one at most) and block the same
    follower: one at-most-one over both and the follower, and still either night blocks it."""
    nights = [template("natt", "23:00", "08:00", demand_min=0, demand_max=1),
              template("sen", "22:00", "07:00", label="natt", demand_min=0, demand_max=1)]
    evening = template("kveld", "16:00", "23:00", demand_min=0, demand_max=1)

    def wanting(night: str) -> Scenario:
        return _sc([*nights, evening], [doctor("a"), doctor("b", share=0)], end="2026-12-02",
                   rules=_blocking("kveld"), wishes=_wants("a", night, 1) + _wants("a", "kveld", 2, weight=2))

    ctx = build_model(wanting("natt"))
    before = len(ctx.model.proto.constraints)
    add_successions(ctx)
    assert len(ctx.model.proto.constraints) - before == 2  # one per doctor, not one per night
    for night in ("natt", "sen"):
        assert shifts_of(run(wanting(night)), "a") == {f"{night}/2026-12-01"}


def test_firsts_that_do_not_overlap_are_not_merged():
    """A day and a night on the 1st, both blocking the evening of the 2nd: a doctor may take the
    day and the night together (merging them into one at-most-one would forbid that)."""
    shifts = [template(t, a, b, demand_min=0, demand_max=1)
              for t, a, b in (("dag", "08:00", "16:00"), ("natt", "23:00", "08:00"), ("kveld", "16:00", "23:00"))]
    rules = {"forbidden_successions": [{"first": "natt", "then": "kveld"}, {"first": "dag", "then": "kveld"}],
             "rest_hours_self_employed": 0, "legal_floor_override": "test: the succession alone"}
    sc = _sc(shifts, [doctor("a"), doctor("b", share=0)], end="2026-12-02", rules=rules,
             wishes=_wants("a", "dag", 1) + _wants("a", "natt", 1) + _wants("a", "kveld", 2, weight=2))
    assert shifts_of(run(sc), "a") == {"dag/2026-12-01", "natt/2026-12-01"}


def test_night_blocks_of_two():
    nights = template("natt", "23:00", "08:00", demand_min=0, demand_max=1)
    sc = _sc([nights], [doctor("a")], rules={"min_consecutive_nights": 2}, wishes=_wants("a", "natt", 4))
    r = run(sc)
    assert len(shifts_of(r, "a")) == 2 and "natt/2026-12-04" in shifts_of(r, "a")


def test_max_working_days_in_a_row():
    sc = _sc([DAY], [doctor("a", max_consecutive_days=3), doctor("b", share=0)],
             wishes=_wants("a", "dag", 1, 2, 3, 4, 5, 6, 7))
    r = run(sc)
    assert len(shifts_of(r, "a")) == 6 and "dag/2026-12-04" not in shifts_of(r, "a")


def test_max_working_days_alone_leaves_open_slots():
    sc = _sc([DAY], [doctor("a")], end="2026-12-05", rules={"max_consecutive_days": 4})
    assert run(sc, strict=True).stats.status == SolveStatus.INFEASIBLE
    assert sum(o.missing for o in run(sc).open_slots) == 1


def _avoid(doc: str, *days: int) -> list[dict]:
    """A weak wish against each day, so that no shift is taken for free."""
    return [{"doctor": doc, "date": f"2026-12-{d:02d}", "wants": False, "weight": 1} for d in days]


NO_REST = {"rest_hours_self_employed": 0, "legal_floor_override": "test: the run rules alone"}
APART = [template("dag", "08:00", "16:00", demand_min=0, demand_max=1),
         template("kveld", "17:00", "23:00", demand_min=0, demand_max=1)]


def test_a_date_of_overlapping_shifts_is_worked_by_one_equality():
    """Shifts that share a moment (dag, lang): the date's flag is their sum, one linear row
    (tight in the LP: two halves of shifts are one whole date worked, not half of one), not an
    implication per shift and a sum."""
    sc = _sc(OVERLAPPING + [template("tidlig", "07:00", "15:00", demand_min=0, demand_max=1)],
             [doctor("a", max_consecutive_days=2)], end="2026-12-03")
    ctx = build_model(sc)
    before = len(ctx.model.proto.constraints)
    flags = on_dates(ctx, "a", lambda s: True, "works")
    assert len(flags) == 3 and len(ctx.model.proto.constraints) - before == 3  # one per date, three shifts each


def test_a_date_of_shifts_apart_is_worked_once_whatever_is_taken():
    """Two shifts on a date that do not overlap (dag, kveld): a doctor may take both, and the date
    counts once towards the run limit (a flag equal to their sum would forbid both)."""
    sc = _sc(APART, [doctor("a", max_consecutive_days=2), doctor("b", share=0)], end="2026-12-03", rules=NO_REST,
             wishes=_wants("a", "dag", 1, 2, weight=3) + _wants("a", "kveld", 1, 2, weight=3) + _wants("a", "dag", 3, weight=1))
    assert shifts_of(run(sc), "a") == {"dag/2026-12-01", "kveld/2026-12-01", "dag/2026-12-02", "kveld/2026-12-02"}


def test_a_weekend_with_two_shifts_apart_on_its_saturday_counts_once():
    sc = _sc(APART, [doctor("a", max_weekends=1), doctor("b", share=0)], end="2026-12-13", rules=NO_REST,
             wishes=_wants("a", "dag", 5, weight=3) + _wants("a", "kveld", 5, weight=3) + _wants("a", "dag", 12, 13, weight=1))
    assert shifts_of(run(sc), "a") == {"dag/2026-12-05", "kveld/2026-12-05"}


def test_a_weekend_with_overlapping_shifts_counts_as_worked():
    """Its flag is at least each day's sum of shifts (one row per day: tighter in the LP than an
    implication per shift), and still any one shift makes the weekend worked."""
    sc = _sc(OVERLAPPING, [doctor("a", max_weekends=1), doctor("b", share=0)], end="2026-12-13",
             wishes=_wants("a", "lang", 5, weight=3) + _wants("a", "dag", 6, weight=3) + _wants("a", "dag", 12, 13, weight=1))
    assert shifts_of(run(sc), "a") == {"lang/2026-12-05", "dag/2026-12-06"}
    ctx = build_model(sc)
    before = len(ctx.model.proto.constraints)
    add_weekends(ctx)
    assert len(ctx.model.proto.constraints) - before == 2 * 2 + 1  # a (b has no limit): two weekends of two days, the limit


def test_min_working_run():
    day = template("dag", "08:00", "16:00", demand_min=0, demand_max=1)
    sc = _sc([day], [doctor("a", min_consecutive_days=3)], wishes=_wants("a", "dag", 4) + _avoid("a", *range(1, 8)))
    got = shifts_of(run(sc), "a")
    assert len(got) == 3 and "dag/2026-12-04" in got  # one wished day becomes a run of three


def test_min_days_off_fills_a_short_gap():
    day = template("dag", "08:00", "16:00", demand_min=0, demand_max=1)
    sc = _sc([day], [doctor("a", min_days_off=3)], wishes=_wants("a", "dag", 2, 4, weight=5) + _avoid("a", *range(1, 8)))
    assert shifts_of(run(sc), "a") == {"dag/2026-12-02", "dag/2026-12-03", "dag/2026-12-04"}


def test_min_days_off_forces_an_open_slot():
    sc = _sc([DAY], [doctor("a", min_days_off=2)], end="2026-12-03",
             demand_changes=[{"template": "dag", "date": "2026-12-02", "demand_min": 0, "demand_max": 0}])
    relaxed = run(sc)
    assert run(sc, strict=True).stats.status == SolveStatus.INFEASIBLE
    assert sum(o.missing for o in relaxed.open_slots) == 1


def test_shifts_per_label():
    nights = template("natt", "23:00", "08:00", demand_min=0, demand_max=1)
    sc = _sc([nights], [doctor("a", max_shifts_by_label={"natt": 2})], wishes=_wants("a", "natt", 1, 3, 5))
    assert len(shifts_of(run(sc), "a")) == 2
    none = _sc([DAY], [doctor("a", max_shifts_by_label={"dag": 0}), doctor("b", share=0)], end="2026-12-01",
               wishes=_wants("a", "dag", 1))
    assert shifts_of(run(none), "a") == set()


def test_period_hours_min_and_max():
    day = template("dag", "08:00", "16:00", demand_min=0, demand_max=1)
    low = _sc([day], [doctor("a", min_hours=24)])
    assert len(shifts_of(run(low), "a")) == 3
    high = _sc([day], [doctor("a", max_hours=16)], wishes=_wants("a", "dag", 1, 2, 3, 4))
    assert len(shifts_of(run(high), "a")) == 2
    impossible = _sc([DAY], [doctor("a", max_hours=16)], end="2026-12-03")
    assert run(impossible, strict=True).stats.status == SolveStatus.INFEASIBLE


def test_weekends():
    day = template("dag", "08:00", "16:00", demand_min=0, demand_max=1)
    sc = _sc([day], [doctor("a", max_weekends=1)], end="2026-12-13",
             wishes=_wants("a", "dag", 5, 6, 12, weight=3) + _wants("a", "dag", 13, weight=1))
    got = shifts_of(run(sc), "a")
    assert got in ({"dag/2026-12-05", "dag/2026-12-06"}, {"dag/2026-12-12", "dag/2026-12-13"})
    assert got == {"dag/2026-12-05", "dag/2026-12-06"}  # 3 + 3 beats 3 + 1


def test_demand_change_raises_and_closes():
    day = template("dag", "08:00", "16:00", demand_min=1, demand_max=1)
    sc = _sc([day], [doctor("a"), doctor("b")], end="2026-12-02",
             demand_changes=[{"template": "dag", "date": "2026-12-01", "demand_min": 2},
                             {"template": "dag", "date": "2026-12-02", "demand_min": 0, "demand_max": 0}])
    r = run(sc)
    assert on(r, "dag/2026-12-01") == {"a", "b"} and on(r, "dag/2026-12-02") == set()


def test_surplus_weight_keeps_extra_doctors_off():
    day = template("dag", "08:00", "16:00", demand_min=1, demand_max=3)
    wishes = _wants("a", "dag", 1, weight=1) + _wants("b", "dag", 1, weight=1) + _wants("c", "dag", 1, weight=1)
    base = _sc([day], [doctor("a"), doctor("b"), doctor("c")], end="2026-12-01", wishes=wishes)
    assert len(on(run(base), "dag/2026-12-01")) == 3
    priced = base.model_copy(update={"rules": base.rules.model_copy(update={
        "weights": base.rules.weights.model_copy(update={"surplus": 5})})})
    r = run(priced)
    assert len(on(r, "dag/2026-12-01")) == 1 and r.stats.terms["leger utover behovet"] == 0


def _overstaffed(policy: str, demand_min: int, surplus: int, pins: int = 0):
    """Three doctors who all wish for one shift (demand_max 3); the wishes pull extra doctors on."""
    day = template("dag", "08:00", "16:00", demand_min=demand_min, demand_max=3)
    wishes = [w for d in "abc" for w in _wants(d, "dag", 1, weight=1)]
    return _sc([day], [doctor("a"), doctor("b"), doctor("c")], end="2026-12-01", wishes=wishes,
               pins=[{"doctor": d, "date": "2026-12-01", "template": "dag"} for d in "ab"[:pins]],
               rules={"fairness": {"overstaffing": policy}, "weights": {**QUIET, "wish": 2, "surplus": surplus}})


def test_overstaffing_is_priced_by_its_own_term():
    """Pinned to two on a one-doctor shift, the extra doctor costs the surplus weight; one doctor
    costs nothing. Unpriced (weight 0), the wishes fill the shift to its maximum."""
    forced = run(_overstaffed("alle", 1, surplus=7, pins=2))
    assert len(on(forced, "dag/2026-12-01")) == 2 and forced.stats.terms["leger utover behovet"] == 7
    priced = run(_overstaffed("alle", 1, surplus=7))
    assert len(on(priced, "dag/2026-12-01")) == 1 and priced.stats.terms["leger utover behovet"] == 0
    assert len(on(run(_overstaffed("alle", 1, surplus=0)), "dag/2026-12-01")) == 3


def test_overstaffing_only_where_the_policy_allows_it():
    """`alene`: an extra doctor only where the minimum is one (relieving a lone doctor); `aldri`:
    never, whatever the wishes."""
    assert len(on(run(_overstaffed("alene", 1, surplus=0)), "dag/2026-12-01")) == 3
    assert len(on(run(_overstaffed("alene", 2, surplus=0)), "dag/2026-12-01")) == 2
    assert len(on(run(_overstaffed("aldri", 1, surplus=0)), "dag/2026-12-01")) == 1
