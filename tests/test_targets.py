"""Capacity-aware targets (roster.targets), hand-computed on tiny pools: water filling around an
absent, an exempt and a capped doctor; the history ledger (older periods weigh less, a month
repays at most its cap, a doctor far ahead still takes part). Each with a roster that meets the
targets and one that does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import doctor, scenario, template
from roster.metrics import pool_metrics
from roster.targets import decay, fairness_plan, targets, why_capped, zero_sum_fill

EVERY_HOUR_ONE_POINT = {"burden": {k: 1.0 for k in ("weekday_day", "weekday_evening", "weekday_night",
                                                   "weekend_day", "weekend_night", "heavy_eve")}}
DAY = template("dag", "08:00", "16:00")  # 8 points a shift


def _targets(sc, burden: dict[str, float]) -> dict[str, float]:
    return {d: t.target for d, t in targets(fairness_plan(sc), burden).items()}


def _deviations(sc, burden: dict[str, float]) -> dict[str, float]:
    return {d: t.per_share(burden.get(d, 0.0)) for d, t in targets(fairness_plan(sc), burden).items()}


def _five_days(doctors: list[dict], **kw):
    return scenario("2026-12-01", "2026-12-05", [DAY], doctors, rules=EVERY_HOUR_ONE_POINT, **kw)


# --------------------------------------------------------------------------- water filling


def test_an_absent_doctor_has_no_target_and_the_others_share_the_pool():
    """Four days × 8 points; c is away all period: a and b 16 each, not 32 / 3."""
    sc = scenario("2026-12-01", "2026-12-04", [DAY], [doctor("a"), doctor("b"), doctor("c")],
                  rules=EVERY_HOUR_ONE_POINT, absences=[{"doctor": "c", "start": "2026-12-01", "end": "2026-12-04"}])
    even = {"a": 16.0, "b": 16.0}
    assert _targets(sc, even) == {"a": 16.0, "b": 16.0, "c": 0.0}
    assert targets(fairness_plan(sc), even)["a"].nominal == pytest.approx(32 / 3)
    assert _deviations(sc, even) == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert _deviations(sc, {"a": 24.0, "b": 8.0}) == {"a": 8.0, "b": -8.0, "c": 0.0}


def test_a_capped_doctor_carries_their_capacity_and_the_rest_is_shared_by_share():
    """Five days × 8 = 40 points; c may take one shift (8): a and b at level λ with 2λ + 8 = 40."""
    sc = _five_days([doctor("a"), doctor("b"), doctor("c", max_shifts=1)])
    plan = fairness_plan(sc)
    fair = {"a": 16.0, "b": 16.0, "c": 8.0}
    t = targets(plan, fair)
    assert {d: x.target for d, x in t.items()} == fair
    assert t["c"].capped and not t["a"].capped and t["c"].capacity == 8.0
    assert t["a"].nominal == pytest.approx(40 / 3)  # the nominal share would push a and b under target
    assert why_capped(sc, _index(sc), sc.doctors[2], _eligible(sc)["c"]) == "maks 1 vakt"
    assert _deviations(sc, fair) == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert _deviations(sc, {"a": 24.0, "b": 8.0, "c": 8.0}) == {"a": 8.0, "b": -8.0, "c": 0.0}


def test_a_share_of_two_takes_twice_once_the_capped_doctor_is_served():
    """As above with a at share 2: 2λ + λ + 8 = 40, λ = 32/3."""
    sc = _five_days([doctor("a", share=2), doctor("b"), doctor("c", max_shifts=1)])
    t = targets(fairness_plan(sc), {"a": 24.0, "b": 8.0, "c": 8.0})
    assert (t["a"].target, t["b"].target, t["c"].target) == pytest.approx((64 / 3, 32 / 3, 8.0))


def test_an_exempt_doctor_is_capped_by_the_shifts_outside_16_to_08():
    """Four evenings (16–24) and one Saturday day (08–16), 8 points each; c is exempt from
    16–08 and can take only the Saturday day: c 8, a and b (2λ + 8 = 40) 16 each."""
    evening = template("kveld", "16:00", "23:59")
    saturday = template("dag", "08:00", "16:00", day_types=["lørdag"])
    sc = scenario("2026-12-04", "2026-12-07", [evening, saturday],
                  [doctor("a"), doctor("b"), doctor("c", exemptions=[{"reason": "over 60"}])],
                  rules=EVERY_HOUR_ONE_POINT)
    points = {s.key: s.points for s in _index(sc).shifts}
    per_evening = points["kveld/2026-12-04"]
    total = sum(points.values())
    fair_level = (total - 8.0) / 2
    t = targets(fairness_plan(sc), {"a": fair_level, "b": fair_level, "c": 8.0})
    assert t["c"].capacity == 8.0 and t["c"].capped and t["c"].target == 8.0
    assert t["a"].target == pytest.approx(fair_level) and t["b"].target == pytest.approx(fair_level)
    assert "fritatt 16–08 (4 vakter)" in why_capped(sc, _index(sc), sc.doctors[2], _eligible(sc)["c"])
    off = targets(fairness_plan(sc), {"a": fair_level + per_evening, "b": fair_level - per_evening, "c": 8.0})
    assert off["a"].per_share(fair_level + per_evening) == pytest.approx(per_evening)


def test_a_doctor_who_may_not_work_alone_has_no_share_of_a_one_doctor_station():
    """Five days × 8 points at a station for one doctor: the ALIS who may not work alone can never
    take a place (rule `alene`), so a and b carry 20 each; the ALIS was given 40 / 3 and left
    «without a shift». Where a second doctor may join (demand_max 2), the ALIS can take part."""
    doctors = [doctor("a"), doctor("b"), doctor("c", qualified=False, role="ALIS")]
    sc = _five_days(doctors)
    even = {"a": 20.0, "b": 20.0}
    assert _targets(sc, even) == {"a": 20.0, "b": 20.0, "c": 0.0}
    assert _deviations(sc, even) == {"a": 0.0, "b": 0.0, "c": 0.0}
    two = scenario("2026-12-01", "2026-12-05", [template("dag", "08:00", "16:00", demand_max=2)], doctors,
                   rules=EVERY_HOUR_ONE_POINT)
    assert fairness_plan(two).members()["c"].capacity > 0
    rural = sc.model_copy(update={"rules": sc.rules.model_copy(update={"alone_with_bakvakt": True})})
    assert fairness_plan(rural).members()["c"].capacity > 0  # alone with the bakvakt §7 asks for


def test_pools_on_the_same_duty_share_one_level_unless_a_pool_has_its_own():
    """A fastlege, an ALIS and an ALIS capped at one shift (8 points), 40 points in all. Sharing a
    level, the fastlege and the free ALIS should carry 16 each: 24 and 8 is 8 off either way.
    With the ALIS pool on a level of its own, each pool is only compared within itself."""
    doctors = [doctor("a"), doctor("b", role="ALIS"), doctor("c", role="ALIS", max_shifts=1)]
    lopsided = {"a": 24.0, "b": 8.0, "c": 8.0}
    shared = _five_days(doctors)
    assert fairness_plan(shared).groups == {"tilstedevakt": ["fastleger", "ALIS"]}
    assert _deviations(shared, lopsided) == {"a": 8.0, "b": -8.0, "c": 0.0}
    assert _deviations(shared, {"a": 16.0, "b": 16.0, "c": 8.0}) == {"a": 0.0, "b": 0.0, "c": 0.0}
    apart = scenario("2026-12-01", "2026-12-05", [DAY], doctors,
                     rules={**EVERY_HOUR_ONE_POINT, "fairness": {"own_level": ["ALIS"]}})
    assert _deviations(apart, lopsided) == {"a": 0.0, "b": 0.0, "c": 0.0}


def test_the_reason_names_who_carries_what_a_capped_doctor_of_another_pool_cannot():
    from roster.metrics import doctor_metrics

    sc = _five_days([doctor("a"), doctor("b", role="ALIS"), doctor("c", role="ALIS", max_shifts=1)])
    why = {m.doctor: m.why for m in doctor_metrics(sc, _capped_roster(sc, ["a", "b", "a", "b", "c"]))}
    assert why["a"] == "bærer sin del av det andre i gruppen ikke kan ta"
    assert why["c"].startswith("kan ta høyst 8 poeng")


def test_the_reason_names_the_floor_that_sets_a_target_and_lowers_the_others_level():
    """Five 8-point days, shares 1, 1 and 0.1: Cato's nominal share is 1.9 points, but taking part
    costs one shift (8), so Anne and Bjørn carry 16 each instead of 19.0. Without the floor in the
    reason, «etter kapasitet − historikk» (0.8 and 16) would not read as the targets (8 and 16)."""
    from roster.metrics import doctor_metrics

    sc = _five_days([doctor("a"), doctor("b"), doctor("c", share=0.1)])
    metrics = {m.doctor: m for m in doctor_metrics(sc, _capped_roster(sc, ["a", "b", "a", "b", "c"]))}
    assert metrics["c"].target == pytest.approx(8.0) and metrics["a"].target == pytest.approx(16.0)
    assert metrics["c"].nominal_target == pytest.approx(40 / 2.1 * 0.1)
    assert "minst 8 poeng: de letteste vaktene legen skal ta uansett" in metrics["c"].why
    assert metrics["a"].why == "bærer mindre fordi andre i gruppen må ta sitt minste antall vakter"


# --------------------------------------------------------------------------- the ledger


def _ledger_pair(**fairness) -> object:
    """a was 60 points ahead of b last period; four days of 8 points this one (level 16)."""
    history = [{"doctor": "a", "points": 60, "periods": 1}, {"doctor": "b", "points": 0, "periods": 1}]
    return scenario("2026-12-01", "2026-12-04", [DAY], [doctor("a"), doctor("b")],
                    rules={**EVERY_HOUR_ONE_POINT, "fairness": fairness}, history=history)


_finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_finite, st.floats(0.1, 3), st.floats(-40, 0), st.floats(0, 40)), min_size=1, max_size=30))
def test_repayments_add_up_to_zero_with_one_price_per_share_for_every_doctor(rows):
    """The water filling the ledger's repayments use (checked against its definition, not its
    search): each r_i lies in its bounds, Σ r_i = 0 (0 lies between Σ low and Σ high), and one μ
    explains every doctor: r_i = wanted_i − μ · share_i wherever r_i is strictly inside its bounds,
    and a doctor held at a bound is past μ on that side."""
    names = [f"d{i}" for i in range(len(rows))]
    wanted, shares, low, high = ({n: row[k] for n, row in zip(names, rows)} for k in range(4))
    r = zero_sum_fill(wanted, shares, low, high)
    assert all(low[n] - 1e-9 <= r[n] <= high[n] + 1e-9 for n in names)
    assert sum(r.values()) == pytest.approx(0.0, abs=1e-6)
    inside = [(wanted[n] - r[n]) / shares[n] for n in names if low[n] + 1e-7 < r[n] < high[n] - 1e-7]
    if inside:
        mu = inside[0]
        assert all(m == pytest.approx(mu, abs=1e-6) for m in inside)
        for n in names:
            if r[n] <= low[n] + 1e-7 and r[n] < high[n] - 1e-7:
                assert wanted[n] - mu * shares[n] <= low[n] + 1e-6
            if r[n] >= high[n] - 1e-7 and r[n] > low[n] + 1e-7:
                assert wanted[n] - mu * shares[n] >= high[n] - 1e-6


def test_older_periods_weigh_less_in_the_ledger():
    """The same 60-point lead: relative to the pool a is 30 ahead when it came last period; spread
    over 12 periods each older one weighs 2^(−1/6) less (half-life 6), so 30 · Σ w^k / 12."""
    recent = fairness_plan(_ledger_pair()).members()
    assert recent["a"].balance == pytest.approx(30.0) and recent["b"].balance == pytest.approx(-30.0)
    history = [{"doctor": "a", "points": 60, "periods": 12}, {"doctor": "b", "points": 0, "periods": 12}]
    spread = scenario("2026-12-01", "2026-12-04", [DAY], [doctor("a"), doctor("b")], rules=EVERY_HOUR_ONE_POINT,
                      history=history)
    w = 0.5 ** (1 / 6)
    assert decay(spread) == pytest.approx(w)
    assert fairness_plan(spread).members()["a"].balance == pytest.approx(30 / 12 * sum(w**k for k in range(12)))
    assert fairness_plan(spread).members()["a"].balance < 30 * 0.6  # weighed down, not the full lead


def test_one_month_repays_at_most_its_cap():
    """history_repay 0.5 of a normal share (16): a's target drops by 8, not by the 30 owed."""
    sc = _ledger_pair(history_repay=0.5)
    repaid = {"a": 8.0, "b": 24.0}
    assert _targets(sc, repaid) == repaid
    assert _deviations(sc, repaid) == {"a": 0.0, "b": 0.0}
    assert _deviations(sc, {"a": 16.0, "b": 16.0}) == {"a": 8.0, "b": -8.0}  # even this month is not fair
    after = targets(fairness_plan(sc), repaid)["a"].balance_after(8.0, decay(sc))
    assert after == pytest.approx(0.5 ** (1 / 6) * 30 + 8 - 16)  # the ledger after the month: closer to even
    assert abs(after) < 30


def test_a_doctor_far_ahead_still_takes_a_shift_unless_the_pool_allows_none():
    """history_repay 5 would take a's whole share; the floor (one shift, Fairness.min_shifts)
    keeps a in: a 8, b 24. With the pool's least at 0, a may get nothing: a 0, b 32."""
    sc = _ledger_pair(history_repay=5)
    assert _targets(sc, {"a": 8.0, "b": 24.0}) == {"a": 8.0, "b": 24.0}
    assert _deviations(sc, {"a": 0.0, "b": 32.0}) == {"a": -8.0, "b": 8.0}
    allowed = _ledger_pair(history_repay=5, min_shifts={"fastleger": 0})
    assert _targets(allowed, {"a": 0.0, "b": 32.0}) == {"a": 0.0, "b": 32.0}


def _half_share_ahead(**fairness):
    """Three days × 8 points; a (share 0.5) carried 16 last period, b (share 1.5) 32: at 24 per
    share a is 4 ahead and b 4 behind. a's share this period (about 4.3) is worth less than the
    one shift (8) the floor asks of every fastlege."""
    history = [{"doctor": "a", "points": 16, "periods": 1}, {"doctor": "b", "points": 32, "periods": 1}]
    return scenario("2026-12-01", "2026-12-03", [DAY], [doctor("a", share=0.5), doctor("b", share=1.5)],
                    rules={**EVERY_HOUR_ONE_POINT, "fairness": fairness}, history=history)


def test_the_shift_the_floor_forces_on_a_small_share_is_no_credit_in_the_ledger():
    """a takes the one shift the floor asks (8 points, above the capacity-aware 13/3): the ledger
    counts it against the floor, so a's lead only weighs down (w · 4) and the pool's largest
    ledger per share falls from 8; counted against 13/3 it would grow to 14.5 per share, a lead
    no month could repay while the floor holds. A second shift the floor does not ask for still
    counts, and with the pool's least at 0 the one shift is credit again (a may get none)."""
    sc = _half_share_ahead()
    w, plan = decay(sc), fairness_plan(sc)
    assert {d: m.balance for d, m in plan.members().items()} == pytest.approx({"a": 4.0, "b": -4.0})
    t = targets(plan, {"a": 8.0, "b": 16.0})
    assert (t["a"].base, t["a"].floor, t["a"].due, t["a"].target) == pytest.approx((13 / 3, 8.0, 8.0, 8.0))
    assert t["a"].balance_after(8.0, w) == pytest.approx(w * 4)
    from roster.metrics import doctor_metrics
    from roster.models import Assignment, Roster

    def roster(who: list[str]) -> Roster:
        return Roster(scenario=sc.name, period=sc.period, assignments=[
            Assignment(doctor=d, date=day, template="dag") for d, day in zip(who, ("2026-12-01", "2026-12-02", "2026-12-03"))])

    (floor_only,) = pool_metrics(doctor_metrics(sc, roster(["a", "b", "b"])))
    assert floor_only.ledger_before == pytest.approx(8.0)
    assert floor_only.ledger_after == pytest.approx(2 * w * 4) and floor_only.ledger_after < floor_only.ledger_before
    assert floor_only.ledger_after_undecayed == pytest.approx(8.0)
    (beyond,) = pool_metrics(doctor_metrics(sc, roster(["a", "a", "b"])))
    assert beyond.ledger_after == pytest.approx(2 * (w * 4 + 8)) and beyond.ledger_after > beyond.ledger_before
    free = targets(fairness_plan(_half_share_ahead(min_shifts={"fastleger": 0})), {"a": 8.0, "b": 16.0})["a"]
    assert free.floor == 0.0 and free.due == pytest.approx(free.base) and free.base < 8.0
    assert free.balance_after(8.0, w) == pytest.approx(w * 4 + 8.0 - free.base)


def test_a_pool_reports_the_available_doctor_left_without_a_shift():
    from roster.metrics import doctor_metrics
    from roster.models import Assignment, Roster

    sc = _ledger_pair(history_repay=5)
    days = ("2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04")

    def roster(who: list[str]) -> Roster:
        return Roster(scenario=sc.name, period=sc.period, assignments=[
            Assignment(doctor=d, date=day, template="dag") for d, day in zip(who, days)])

    left_out = pool_metrics(doctor_metrics(sc, roster(["b"] * 4)))
    assert [(p.pool, p.without_shift) for p in left_out] == [("fastleger", 1)]
    taking_part = pool_metrics(doctor_metrics(sc, roster(["a", "b", "b", "b"])))
    assert [(p.pool, p.without_shift, p.largest_deviation) for p in taking_part] == [("fastleger", 0, 0.0)]


def _index(sc):
    from roster.calendar import ShiftIndex

    return ShiftIndex(sc)


def _eligible(sc):
    from roster.targets import eligible_shifts

    return eligible_shifts(sc, _index(sc))


# --------------------------------------------------------------------------- shown to the manager


def _capped_roster(sc, who: list[str]):
    from roster.models import Assignment, Roster

    days = ("2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05")
    return Roster(scenario=sc.name, period=sc.period,
                  assignments=[Assignment(doctor=d, date=day, template="dag") for d, day in zip(who, days)])


def test_the_workbook_sets_the_nominal_and_the_capacity_aware_target_side_by_side_as_numbers():
    from roster.excel.writer import build_roster_workbook

    sc = _five_days([doctor("a", name="Anne"), doctor("b", name="Bjørn"), doctor("c", name="Cato", max_shifts=1)])
    ws = build_roster_workbook(sc, _capped_roster(sc, ["a", "b", "a", "b", "c"]))["Fordeling"]
    headers = [c.value for c in ws[4]]
    rows = {r[0]: dict(zip(headers, r)) for r in ws.iter_rows(min_row=5, values_only=True) if r[0]}
    assert (rows["Cato"]["Nominelt mål"], rows["Cato"]["Mål etter kapasitet"], rows["Cato"]["Mål"]) == (13.3, 8.0, 8.0)
    assert (rows["Anne"]["Nominelt mål"], rows["Anne"]["Mål etter kapasitet"]) == (13.3, 16.0)
    assert "maks 1 vakt" in rows["Cato"]["Hvorfor målet er flyttet"]
    assert "bærer sin del" in rows["Anne"]["Hvorfor målet er flyttet"]
    assert rows["Anne"]["Avvik per andel"] == 0.0
    uneven = build_roster_workbook(sc, _capped_roster(sc, ["a", "a", "a", "b", "c"]))["Fordeling"]
    anne = next(dict(zip(headers, r)) for r in uneven.iter_rows(min_row=5, values_only=True) if r[0] == "Anne")
    assert anne["Avvik per andel"] == 8.0


def test_the_summary_shows_each_pool_and_the_moved_targets():
    from roster.metrics import doctor_metrics
    from roster.output import render_text, summary_renderables

    sc = _five_days([doctor("a", name="Anne"), doctor("b", name="Bjørn"), doctor("c", name="Cato", max_shifts=1)])
    roster = _capped_roster(sc, ["a", "b", "a", "b", "c"])
    text = render_text(summary_renderables(sc, roster, doctor_metrics(sc, roster)))
    pool_line = next(line for line in text.splitlines() if "fastleger" in line and "Cato" not in line)
    assert pool_line.split("│")[4].strip() == "16,0" and pool_line.split("│")[5].strip() == "0,0"  # level, largest
    cato = next(line for line in text.splitlines() if "Cato" in line)
    assert "13,3" in cato and "8,0" in cato and "maks 1 vakt" in cato
