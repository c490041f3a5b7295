"""Property test: every roster the solver produces passes the independent checker.

Random small scenarios (1–2 stations, 2–5 templates including a night and a bakvakt, 3–8 doctors
with random competence, employment, absences, exemptions, courses, limits (shifts, hours, labels,
runs, days off, weekends) and pins, night blocks, a forbidden succession, a per-date demand change,
3–8 days, often over a daylight-saving change or a holiday) are solved with a short time limit. In default mode the
roster may leave slots open and bakvakt hours uncovered, but only as it declares them
(``unexpected_violations`` is empty); in strict mode a roster the solver calls optimal or feasible
breaks no hard rule at all (``check_roster`` is empty).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from factories import doctor, scenario, station, template
from roster.check import Violation, check_roster, format_report, unexpected_violations
from roster.models import Scenario, SolveStatus

solver = pytest.importorskip("solver")
if not hasattr(solver, "solve"):
    pytest.skip("solver.solve is not available yet", allow_module_level=True)

# First days chosen to put DST changes, Easter, 17 May and Christmas inside short periods.
FIRST_DAYS = [
    dt.date(2026, 12, 1),
    dt.date(2026, 10, 22),  # clocks go back 25.10
    dt.date(2026, 3, 26),  # clocks go forward 29.03
    dt.date(2026, 3, 31),  # Maundy Thursday 02.04 – Easter Monday 06.04
    dt.date(2026, 5, 14),  # Ascension 14.05, 17 May (a Sunday)
    dt.date(2026, 12, 22),  # Christmas Eve, 25 and 26 December
]

STATIONS = [station("BLV", name="Bergen legevakt"), station("BAK", kind="fjernvakt", name="Bakvakt")]
WEEKEND = ("lørdag", "søndag", "helligdag")
EXTRA_TEMPLATES = [
    ("dag", "08:00", "16:00", "BLV", "tilstedevakt", None),
    ("kveld", "16:00", "23:00", "BLV", "tilstedevakt", None),
    ("asa-kveld", "16:00", "23:00", "ASA", "tilstedevakt", None),
    ("helg", "10:00", "16:00", "ASA", "tilstedevakt", WEEKEND),
    ("bak-dag", "08:00", "16:00", "BAK", "bakvakt", None),
]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    first = draw(st.sampled_from(FIRST_DAYS))
    days = draw(st.integers(3, 8))
    last = first + dt.timedelta(days=days - 1)
    period_days = [first + dt.timedelta(days=i) for i in range(days)]
    two_stations = draw(st.booleans())
    stations = list(STATIONS)
    if two_stations:
        stations.append(station("ASA", kind="bydelslegevakt", name="Åsane legevakt"))

    def demand(on_site: bool) -> dict[str, Any]:
        # On-call shifts mostly demand a doctor, so that an unfilled one is an open slot that may
        # explain a bakvakt gap in default mode (an optional one never does).
        lo = draw(st.integers(0, 2)) if on_site else draw(st.sampled_from([1, 1, 1, 0]))
        hi = lo + draw(st.integers(0, 1))
        out: dict[str, Any] = {"demand_min": lo, "demand_max": max(hi, 1)}
        if on_site:
            out["min_qualified"] = draw(st.integers(0, lo))
            if draw(st.integers(0, 5)) == 0:
                out["required_skill"] = "barn"
        else:
            out["on_call_can_attend"] = draw(st.booleans())
        return out

    templates = [
        template("natt", "23:00", "08:00", station="BLV", **demand(True)),
        template("bak", "16:00", "08:00", station="BAK", duty="bakvakt", label="bakvakt", **demand(False)),
    ]
    pool = [t for t in EXTRA_TEMPLATES if two_stations or t[3] != "ASA"]
    extra = draw(st.lists(st.sampled_from(pool), max_size=3, unique=True))
    for tid, start, end, st_id, duty, day_types in extra:
        kw = demand(duty == "tilstedevakt")
        if day_types:
            kw["day_types"] = list(day_types)
        templates.append(template(tid, start, end, station=st_id, duty=duty, label=tid, **kw))

    doctors, absences = [], []
    for i in range(draw(st.integers(3, 8))):
        did = f"d{i}"
        kw: dict[str, Any] = {
            "employment": draw(st.sampled_from(["selvstendig", "ansatt"])),
            "can_bakvakt": draw(st.sampled_from([True, True, False])),
            "supervision": draw(st.sampled_from(["telefon", "tilstede"])),
        }
        if draw(st.integers(0, 3)) == 0:
            kw["max_shifts"] = draw(st.integers(0, 3))
        if draw(st.integers(0, 9)) == 0 and kw.get("max_shifts", 1) >= 1:
            kw["min_shifts"] = 1
        if draw(st.integers(0, 3)) == 0:
            kw["skills"] = ["barn"]
        # The newer limits fire on a middle draw: hypothesis favours 0, and hard minimums on every
        # doctor would make most scenarios infeasible.
        if draw(st.integers(0, 5)) == 3:
            kw["max_shifts_by_label"] = {"natt": draw(st.integers(0, 2))}
        if draw(st.integers(0, 5)) == 3:
            kw["max_hours"] = draw(st.sampled_from([8, 20, 30]))
        if draw(st.integers(0, 9)) == 7:
            kw["min_hours"] = 8
            kw["max_hours"] = max(kw.get("max_hours", 8), 8)
        if draw(st.integers(0, 5)) == 3:
            kw["max_consecutive_days"] = draw(st.integers(1, 3))
        if draw(st.integers(0, 7)) == 3:
            kw["min_consecutive_days"] = 2
        if draw(st.integers(0, 7)) == 5:
            kw["min_days_off"] = 2
        if draw(st.integers(0, 5)) == 3:
            kw["max_weekends"] = draw(st.integers(0, 1))
        if two_stations and draw(st.integers(0, 4)) == 0:
            kw["stations"] = [draw(st.sampled_from(["BLV", "ASA"]))]
        if draw(st.integers(0, 5)) == 0:
            kw["shift_labels"] = draw(st.lists(st.sampled_from(["natt", "dag", "kveld", "bakvakt"]), min_size=1,
                                               max_size=2, unique=True))
        if draw(st.integers(0, 4)) == 0:
            kw["courses"] = {"akuttmedisin": draw(st.sampled_from(period_days)).isoformat()}
        if draw(st.integers(0, 4)) == 0:
            dated = draw(st.booleans())
            ex: dict[str, Any] = {"reason": draw(st.sampled_from(["over 60", "graviditet", "amming"]))}
            if dated:
                ex["start"] = draw(st.sampled_from(period_days)).isoformat()
            kw["exemptions"] = [ex]
        qualified = draw(st.sampled_from([True, True, False]))
        doctors.append(doctor(did, qualified=qualified, name=f"Lege {i}", **kw))
        if draw(st.integers(0, 3)) == 0:
            a = draw(st.sampled_from(period_days))
            if draw(st.booleans()):
                absences.append({"doctor": did, "start": a.isoformat(), "end": a.isoformat()})
            else:
                hour = draw(st.integers(0, 20))
                absences.append({"doctor": did, "start": f"{a}T{hour:02d}:00", "end": f"{a}T{hour + 3:02d}:30"})

    rules = {
        "max_consecutive_nights": draw(st.integers(1, 3)),
        "max_shifts_per_7_days": draw(st.sampled_from([None, 2, 3, 4])),
        "max_hours_per_7_days": draw(st.sampled_from([None, 30, 48])),
        "on_call_counts_as_rest": draw(st.booleans()),
        "min_consecutive_nights": draw(st.sampled_from([1, 1, 1, 2])),
        "forbidden_successions": draw(st.sampled_from([[], [], [{"first": "natt", "then": "natt"}]])),
    }
    demand_changes = []
    if draw(st.integers(0, 3)) == 0:
        lo = draw(st.integers(0, 2))
        demand_changes.append({"template": "natt", "date": draw(st.sampled_from(period_days)).isoformat(),
                               "demand_min": lo, "demand_max": lo + draw(st.integers(0, 1))})
    pins = []
    if draw(st.integers(0, 3)) == 0:  # a pin may well clash with a rule: then no roster is fine
        pins.append({"doctor": draw(st.sampled_from(doctors))["id"], "date": draw(st.sampled_from(period_days)).isoformat(),
                     "template": draw(st.sampled_from(templates))["id"]})
    extra_holidays = []
    if draw(st.integers(0, 4)) == 0:
        extra_holidays.append({"date": draw(st.sampled_from(period_days)).isoformat(), "name": "Lokal fridag"})
    return scenario(first, last, templates, doctors, stations=stations, rules=rules, absences=absences,
                    pins=pins, extra_holidays=extra_holidays, demand_changes=demand_changes)


# Always tried: employees and on-call work across the October change (a 10-hour night), and
# overnight bakvakter that count as nights for the consecutive-night limit.
OCTOBER = scenario(
    "2026-10-22", "2026-10-27",
    [template("natt", "23:00", "08:00"), template("dag", "08:00", "16:00"),
     template("bak", "08:00", "07:00", station="BAK", duty="bakvakt", label="bakvakt")],
    [doctor("a", employment="ansatt"), doctor("b", employment="ansatt"), doctor("c"),
     doctor("s", can_bakvakt=True, role="spesialist")],
    stations=STATIONS,
    rules={"max_hours_per_7_days": 30, "max_consecutive_nights": 2, "on_call_counts_as_rest": False},
)
ON_CALL_NIGHTS = scenario(
    "2026-12-01", "2026-12-06",
    [template("natt", "23:00", "08:00"), template("bak", "16:00", "08:00", station="BAK", duty="bakvakt")],
    [doctor("a"), doctor("b"), doctor("s", can_bakvakt=True, role="spesialist"),
     doctor("t", can_bakvakt=True, role="spesialist")],
    stations=STATIONS,
    rules={"max_consecutive_nights": 2},
)


def _explain(sc: Scenario, found: list[Violation]) -> str:
    """The violations and the (shrunk) scenario as JSON, to reproduce a disagreement."""
    return format_report(found) + "\n" + json.dumps(sc.model_dump(mode="json"), ensure_ascii=False)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sc=scenarios(), strict=st.booleans())
@example(sc=OCTOBER, strict=False)
@example(sc=ON_CALL_NIGHTS, strict=True)
def test_solver_rosters_pass_the_checker(sc: Scenario, strict: bool):
    roster = solver.solve(sc, time_limit=2, workers=1, seed=0, strict=strict)
    assert roster.stats is not None
    event(f"{'strict' if strict else 'default'}: {roster.stats.status.value}")
    if roster.stats.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        assert roster.assignments == []
        return
    found = check_roster(sc, roster) if strict else unexpected_violations(sc, roster)
    assert found == [], _explain(sc, found)
