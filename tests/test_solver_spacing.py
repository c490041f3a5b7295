"""The spacing cost per window: 0, 0, 1, 3, 5 for 0 to 4 shifts in one window of four dates."""

import pytest

from factories import doctor, scenario, template
from solver_util import QUIET, run


@pytest.mark.parametrize(("shifts", "cost"), [(0, 0), (1, 0), (2, 1), (3, 3), (4, 5)])
def test_spacing_cost_grows_with_each_shift_in_the_window(shifts, cost):
    tpl = template("dag", "08:00", "16:00", demand_min=0)
    sc = scenario("2026-12-01", "2026-12-04", [tpl], [doctor("a", min_shifts=shifts, max_shifts=shifts)],
                  rules={"spacing_target_days": 4, "weights": {**QUIET, "spacing": 5}})
    assert run(sc).stats.terms.get("vakter tett i tett", 0) == 5 * cost


def test_spacing_allows_two_shifts_a_date():
    """A day and an evening on each of two dates, one doctor: the window's cost is that of four
    shifts (5), not a bound of one shift per date that makes the roster impossible."""
    tpls = [template("dag", "08:00", "12:00"), template("kveld", "18:00", "22:00")]
    sc = scenario("2026-12-01", "2026-12-02", tpls, [doctor("a")],
                  rules={"spacing_target_days": 2, "rest_hours_self_employed": 0, "legal_floor_override": "test: spacing alone", "weights": {**QUIET, "spacing": 5}})
    r = run(sc)
    assert not r.open_slots and len(r.assignments) == 4
    assert r.stats.terms["vakter tett i tett"] == 5 * 5
