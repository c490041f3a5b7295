"""The per-doctor predicates of ``roster.workload`` (what the first roster and the hand-made one ask
before giving a doctor one more shift), each rule kept and broken."""

from __future__ import annotations

from typing import Any

import pytest
from factories import doctor, scenario, station, template

from roster.calendar import ShiftIndex
from roster.workload import HourUnits, Workload, rest_hours

TEMPLATES = [template("dag", "08:00", "16:00", label="dag"), template("kveld", "16:00", "23:00", label="kveld"),
             template("natt", "23:00", "08:00", label="natt")]


def _workload(doc: dict[str, Any] | None = None, **rules: Any) -> tuple[Workload, ShiftIndex]:
    sc = scenario("2026-12-01", "2026-12-14", TEMPLATES, [doc or doctor("a")], rules=rules)
    index = ShiftIndex(sc)
    return Workload(sc, index.shifts), index


def _fits_after(given: list[str], candidate: str, doc: dict[str, Any] | None = None, **rules: Any) -> bool:
    work, index = _workload(doc, **rules)
    for key in given:
        work.add("a", index.by_key[key])
    return work.fits("a", index.by_key[candidate])


@pytest.mark.parametrize(("employment", "rest"), [("selvstendig", 8.0), ("ansatt", 11.0)])
def test_rest_hours_by_employment(employment: str, rest: float) -> None:
    sc = scenario("2026-12-01", "2026-12-01", TEMPLATES, [doctor("a", employment=employment)])
    assert rest_hours(sc.rules, sc.doctors[0].employment) == rest


def test_rest_kept_and_broken() -> None:
    """23:00 to 08:00 is 9 h: enough for a self-employed GP (8 h), not for an employee (11 h)."""
    assert _fits_after(["kveld/2026-12-01"], "dag/2026-12-02")
    assert not _fits_after(["kveld/2026-12-01"], "dag/2026-12-02", doctor("a", employment="ansatt"))
    assert not _fits_after(["dag/2026-12-01"], "natt/2026-12-01")  # 16:00 to 23:00 is 7 h
    assert not _fits_after(["dag/2026-12-01"], "kveld/2026-12-01")  # back to back


def test_overlap_is_never_allowed_even_without_rest() -> None:
    assert not _fits_after(["natt/2026-12-01"], "natt/2026-12-01", rest_hours_self_employed=0, legal_floor_override="test: overlap alone")
    assert _fits_after(["dag/2026-12-01"], "kveld/2026-12-01", rest_hours_self_employed=0, legal_floor_override="test: overlap alone")


def test_shifts_per_7_days() -> None:
    given = ["dag/2026-12-01", "dag/2026-12-03"]
    assert _fits_after(given, "dag/2026-12-05", max_shifts_per_7_days=3)
    assert not _fits_after(given, "dag/2026-12-05", max_shifts_per_7_days=2)
    assert _fits_after(given, "dag/2026-12-08", max_shifts_per_7_days=2)  # a window apart from the 1st


def test_hours_per_7_days() -> None:
    given = ["dag/2026-12-01", "dag/2026-12-02"]
    assert _fits_after(given, "dag/2026-12-03", max_hours_per_7_days=24)
    assert not _fits_after(given, "dag/2026-12-03", max_hours_per_7_days=23.5)


def test_nights_in_a_row() -> None:
    given = ["natt/2026-12-01", "natt/2026-12-02"]
    assert _fits_after(given, "natt/2026-12-03", max_consecutive_nights=3)
    assert not _fits_after(given, "natt/2026-12-03", max_consecutive_nights=2)


def test_working_dates_in_a_row_doctor_limit_first() -> None:
    given = ["dag/2026-12-01", "dag/2026-12-02"]
    assert _fits_after(given, "dag/2026-12-03", doctor("a", max_consecutive_days=3), max_consecutive_days=2)
    assert not _fits_after(given, "dag/2026-12-03", doctor("a", max_consecutive_days=2))


def test_weekends() -> None:
    given = ["dag/2026-12-05"]  # Saturday
    assert _fits_after(given, "dag/2026-12-06", doctor("a", max_weekends=1))  # the same weekend
    assert not _fits_after(given, "dag/2026-12-12", doctor("a", max_weekends=1))  # the next one
    work, index = _workload(doctor("a", max_weekends=0))
    assert not work.fits("a", index.by_key["dag/2026-12-05"])
    assert work.fits("a", index.by_key["dag/2026-12-04"])  # Friday


def test_forbidden_succession() -> None:
    rule = [{"first": "natt", "then": "kveld"}]
    assert not _fits_after(["natt/2026-12-01"], "kveld/2026-12-02", forbidden_successions=rule)
    assert _fits_after(["natt/2026-12-01"], "kveld/2026-12-03", forbidden_successions=rule)
    assert not _fits_after(["kveld/2026-12-03"], "natt/2026-12-02", forbidden_successions=rule)


def test_label_and_period_limits() -> None:
    assert not _fits_after(["natt/2026-12-01"], "natt/2026-12-04", doctor("a", max_shifts_by_label={"natt": 1}))
    assert _fits_after(["natt/2026-12-01"], "dag/2026-12-04", doctor("a", max_shifts_by_label={"natt": 1}))
    assert not _fits_after(["dag/2026-12-01"], "dag/2026-12-04", doctor("a", max_shifts=1))
    assert not _fits_after(["dag/2026-12-01"], "dag/2026-12-04", doctor("a", max_hours=15))
    assert _fits_after(["dag/2026-12-01"], "dag/2026-12-04", doctor("a", max_hours=16))


def test_weekly_rest_for_employees_only() -> None:
    """A day shift every day leaves 16 h between shifts; a 35 h stretch needs a day off."""
    given = [f"dag/2026-12-0{d}" for d in range(1, 7)]
    assert not _fits_after(given, "dag/2026-12-07", doctor("a", employment="ansatt"), rest_hours_employee=8)
    assert _fits_after(given, "dag/2026-12-07", doctor("a"), max_shifts_per_7_days=None)


def test_below_minimum_by_shifts_and_hours() -> None:
    work, index = _workload(doctor("a", min_shifts=1, min_hours=10))
    assert work.below_minimum("a")
    work.add("a", index.by_key["dag/2026-12-01"])
    assert work.below_minimum("a")  # 8 h
    work.add("a", index.by_key["kveld/2026-12-02"])
    assert not work.below_minimum("a")
    assert work.below_minimum("a", without=index.by_key["kveld/2026-12-02"])


ON_CALL = [template("bak", "16:00", "08:00", station="BAK", duty="bakvakt", label="bakvakt"),
           template("bak-kort", "16:00", "23:30", station="BAK", duty="bakvakt", label="bakvakt")]


def _units(factor: float) -> tuple[HourUnits, ShiftIndex]:
    sc = scenario("2026-12-01", "2026-12-01", [*TEMPLATES, *ON_CALL],
                  [doctor("a", role="spesialist", can_bakvakt=True)],
                  stations=[station("BLV"), station("BAK", "fjernvakt")], rules={"burden": {"on_call_factor": factor}})
    index = ShiftIndex(sc)
    return HourUnits(sc.rules, index.shifts), index


def test_hour_units_count_exactly_with_a_common_denominator() -> None:
    """On-site hours in full, on-call ones at 1/7: 16 h is 16/7 h and 7 h 30 min is 15/14 h, so a
    unit is 1/14 h and a limit is met exactly as the checker counts it."""
    units, _ = _units(1 / 7)
    assert units.per_hour == 14
    assert units.up == units.down == {"dag/2026-12-01": 112, "kveld/2026-12-01": 98, "natt/2026-12-01": 126,
                                      "bak/2026-12-01": 32, "bak-kort/2026-12-01": 15}
    assert (units.at_most(16), units.at_least(16), units.at_most(16 - 1 / 60)) == (224, 224, 223)


def test_hour_units_without_a_small_denominator_round_toward_the_safe_side() -> None:
    """A factor typed as 0.142857 is no fraction with a small denominator: thousandths of an
    hour, each shift rounded up toward a maximum and down toward a minimum."""
    units, _ = _units(0.142857)
    assert units.per_hour == 1000
    assert (units.up["bak/2026-12-01"], units.down["bak/2026-12-01"]) == (2286, 2285)  # 2.285712 h
    assert units.up["dag/2026-12-01"] == units.down["dag/2026-12-01"] == 8000
