"""Time between shifts: overlapp, hvile (8 h / 11 h), ukehvile (35 h for employees)."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from factories import doctor, scenario, station, template
from solver_util import QUIET, assert_infeasible_strict_and_open, on, run, shifts_of

DAY = "2026-12-01"
RULES = {"weights": QUIET}
STATIONS = [station("BLV"), station("BAK", "fjernvakt")]


def wish(doc: str, tpl: str, day: str = DAY, wants: bool = True) -> dict:
    return {"doctor": doc, "date": day, "template": tpl, "wants": wants, "weight": 10}


def _overlap(with_a: bool):
    tpls = [template("dag", "08:00", "16:00"), template("bv", "12:00", "20:00", station="BAK", duty="bakvakt",
                                                        demand_min=0)]
    doctors = [doctor("s", role="spesialist", can_bakvakt=True)] + ([doctor("a")] if with_a else [])
    return scenario(DAY, DAY, tpls, doctors, stations=STATIONS, rules=RULES,
                    wishes=[wish("s", "dag"), wish("a", "dag", wants=False)] if with_a else [wish("s", "dag")])


def test_on_call_and_on_site_shifts_of_one_doctor_never_overlap():
    r = run(_overlap(with_a=True))
    assert (on(r, f"dag/{DAY}"), on(r, f"bv/{DAY}")) == ({"a"}, {"s"})


def test_overlap_leaves_the_cheaper_place_open():
    """The specialist cannot be on site and on call at once: the on-site place stays open
    (an open bakvakt would cost its hours on top of the slot)."""
    r = assert_infeasible_strict_and_open(_overlap(with_a=False), {(f"dag/{DAY}", 1)})
    assert on(r, f"bv/{DAY}") == {"s"}


def _back_to_back(employment: str, tpls: list, days: tuple[str, str], with_b: bool):
    doctors = [doctor("a", employment=employment)] + ([doctor("b")] if with_b else [])
    wishes = [wish("a", t["id"], d) for t in tpls for d in days]
    return scenario(days[0], days[1], tpls, doctors, rules=RULES, wishes=wishes)


DAG_KVELD = [template("dag", "08:00", "16:00", day_types=["hverdag"]),
             template("kveld", "16:00", "23:00", day_types=["hverdag"])]


def test_back_to_back_shifts_are_two_work_periods_without_rest():
    r = run(_back_to_back("selvstendig", DAG_KVELD, (DAY, DAY), with_b=True))
    assert len(shifts_of(r, "a")) == 1 and len(shifts_of(r, "b")) == 1


def test_back_to_back_alone_leaves_one_open_slot():
    r = run(_back_to_back("selvstendig", DAG_KVELD, (DAY, DAY), with_b=False), strict=True)
    assert r.stats.status.value == "infeasible"
    r = run(_back_to_back("selvstendig", DAG_KVELD, (DAY, DAY), with_b=False))
    assert sum(o.missing for o in r.open_slots) == 1 and len(r.assignments) == 1


# kveld 16–23 then dag 08–16 the next day: 9 h rest, enough for a GP (8 h), not for an employee (11 h)
EVENING_THEN_DAY = [template("kveld", "16:00", "23:00", day_types=["hverdag"], active_to="2026-12-01"),
                    template("dag", "08:00", "16:00", day_types=["hverdag"], active_from="2026-12-02")]


def test_nine_hours_rest_is_enough_for_a_self_employed_gp():
    r = run(_back_to_back("selvstendig", EVENING_THEN_DAY, (DAY, "2026-12-02"), with_b=True))
    assert shifts_of(r, "a") == {f"kveld/{DAY}", "dag/2026-12-02"}


def test_employee_needs_eleven_hours_so_the_colleague_takes_one():
    r = run(_back_to_back("ansatt", EVENING_THEN_DAY, (DAY, "2026-12-02"), with_b=True))
    assert len(shifts_of(r, "a")) == 1 and len(shifts_of(r, "b")) == 1


def test_employee_alone_without_eleven_hours_rest_is_infeasible_strict():
    sc = _back_to_back("ansatt", EVENING_THEN_DAY, (DAY, "2026-12-02"), with_b=False)
    r = run(sc, strict=True)
    assert r.stats.status.value == "infeasible"
    r = run(sc)
    assert sum(o.missing for o in r.open_slots) == 1


# Weekly rest: 12-hour days, 12 h apart; seven in a row leave no 35 h stretch in the week.
WEEK = ("2026-12-07", "2026-12-13")
LONG_DAY = [template("lang", "08:00", "20:00")]


def _week(with_f: bool):
    doctors = [doctor("e", employment="ansatt")] + ([doctor("f", share=0)] if with_f else [])
    days = [dt.date(2026, 12, 7) + dt.timedelta(days=i) for i in range(7)]
    wishes = [wish("e", "lang", d.isoformat()) for d in days]
    return scenario(WEEK[0], WEEK[1], LONG_DAY, doctors, rules=RULES, wishes=wishes)


def test_employee_gets_35_hours_weekly_rest_so_the_colleague_takes_a_day():
    r = run(_week(with_f=True))
    assert len(shifts_of(r, "e")) == 6 and len(shifts_of(r, "f")) == 1


def test_weekly_rest_alone_leaves_exactly_one_open_slot():
    r = run(_week(with_f=False), strict=True)
    assert r.stats.status.value == "infeasible"
    r = run(_week(with_f=False))
    assert sum(o.missing for o in r.open_slots) == 1 and len(r.assignments) == 6


def _on_call_then_day(counts_as_rest: bool):
    tpls = [template("bv", "00:00", "08:00", station="BAK", duty="bakvakt", demand_min=0),
            template("dag", "08:00", "16:00")]
    doctors = [doctor("s", role="spesialist", can_bakvakt=True)]
    return scenario(DAY, DAY, tpls, doctors, stations=STATIONS,
                    rules={"on_call_counts_as_rest": counts_as_rest, "weights": QUIET},
                    wishes=[wish("s", "bv")])


def test_on_call_counts_as_rest_by_default():
    assert shifts_of(run(_on_call_then_day(True)), "s") == {f"bv/{DAY}", f"dag/{DAY}"}


def test_on_call_counts_as_work_when_configured():
    r = run(_on_call_then_day(False))
    assert shifts_of(r, "s") == {f"dag/{DAY}"} and r.open_slots == []


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 12)), max_size=14), st.integers(0, 6))
def test_the_cliques_forbid_exactly_the_pairs_that_conflict(spans: list[tuple[int, int]], pad: int):
    """Shifts at hour offsets (start, length), a shift blocking [start, end + pad): every pair that
    conflicts shares a clique, every clique's members pairwise conflict, none holds another."""
    from types import SimpleNamespace

    from solver.rest import _cliques

    t0 = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    hour = dt.timedelta(hours=1)
    shifts = [SimpleNamespace(start_utc=t0 + a * hour, end_utc=t0 + (a + n) * hour) for a, n in spans]

    def conflict(i: int, j: int) -> bool:
        (a, n), (b, m) = spans[i], spans[j]
        return a < b + m + pad and b < a + n + pad

    cliques = [set(c) for c in _cliques([(s, i) for i, s in enumerate(shifts)], pad * hour)]
    pairs = {(i, j) for i in range(len(spans)) for j in range(i + 1, len(spans)) if conflict(i, j)}
    assert pairs == {(i, j) for c in cliques for i in c for j in c if i < j}
    assert all(not a < b for a in cliques for b in cliques)
