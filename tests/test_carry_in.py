"""The month boundary: shifts carried in from the days before the period (``carry_in``).

For every rule that looks back, a pair: the rule broken only across the first of the month (a
carried shift and a shift of the period that break it together) and kept across it (the same
shift of the period after a carried shift far enough back). Each pair is judged twice: by the
independent checker (the roster with Kari on the period's shift), and by the solver (Kari is the
only one who can take that shift: it stays open when the boundary forbids it, she gets it when it
does not, and the checker passes what the solver gives).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from factories import doctor, scenario, template
from solver_util import FEASIBLE, QUIET, on, open_slots, run

from roster.check import check_roster
from roster.models import Assignment, Roster, Scenario

START, END = "2026-12-01", "2026-12-07"  # Tuesday to Monday; Sunday 06.12
EVERY_DAY_DAG = template("dag", "08:00", "16:00", label="dag")


def carried(start: str, end: str, label: str = "dag", doctor: str = "kari", **kw: Any) -> dict[str, Any]:
    return {"doctor": doctor, "start": start, "end": end, "label": label, **kw}


def days(first: int, last: int, label: str = "dag", start: str = "08:00", end: str = "16:00") -> list[dict[str, Any]]:
    """Carried shifts in November on each date from ``first`` to ``last``."""
    out = []
    for d in range(first, last + 1):
        begin = dt.datetime.fromisoformat(f"2026-11-{d:02d}T{start}")
        finish = dt.datetime.fromisoformat(f"2026-11-{d:02d}T{end}")
        if finish <= begin:
            finish += dt.timedelta(days=1)
        out.append(carried(begin.isoformat(), finish.isoformat(), label))
    return out


@dataclass(frozen=True)
class Boundary:
    """One rule across the first of the month: Kari on ``shift``, after ``broken`` (the rule
    breaks) or after ``kept`` (it holds)."""

    rule: str
    templates: list[dict[str, Any]]
    broken: list[dict[str, Any]]
    kept: list[dict[str, Any]]
    shift: tuple[str, str] = ("dag", "2026-12-01")
    rules: dict[str, Any] = field(default_factory=dict)
    kari: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def scenario(self, carry: list[dict[str, Any]], per_away: bool = False) -> Scenario:
        """Kari and Per; with ``per_away`` Per is away the day of ``shift``, so only Kari can take it."""
        absences = [{"doctor": "per", "start": self.shift[1], "end": self.shift[1]}] if per_away else []
        return scenario(START, END, self.templates, [doctor("kari", name="Kari Nordmann", **self.kari), doctor("per")],
                        rules={**self.rules, "weights": QUIET}, carry_in=carry, absences=absences, **self.extra)


CASES = [
    Boundary("hvile", [EVERY_DAY_DAG],
             broken=[carried("2026-11-30T23:00", "2026-12-01T08:00", "natt")],  # 0 h before 08:00
             kept=[carried("2026-11-30T16:00", "2026-12-01T00:00", "kveld")]),  # 8 h
    Boundary("overlapp", [template("dag", "07:00", "15:00", label="dag")],
             broken=[carried("2026-11-30T16:00", "2026-12-01T08:00", "bakvakt", duty="bakvakt")],
             kept=[carried("2026-11-30T16:00", "2026-12-01T07:00", "bakvakt", duty="bakvakt")]),
    Boundary("netter", [template("natt", "23:00", "08:00", label="natt")],
             broken=days(28, 30, "natt", "23:00", "08:00"), kept=days(27, 29, "natt", "23:00", "08:00"),
             shift=("natt", "2026-12-01"), rules={"max_consecutive_nights": 3}),
    Boundary("ukehvile", [EVERY_DAY_DAG], broken=days(25, 30), kept=days(25, 29),
             kari={"employment": "ansatt"}),
    Boundary("uke-vakter", [EVERY_DAY_DAG], broken=days(28, 30), kept=[*days(24, 24), *days(29, 30)],
             rules={"max_shifts_per_7_days": 3}),
    Boundary("uke-timer", [template("dag", "08:00", "20:00", label="dag")],
             broken=days(28, 30, end="21:00"), kept=days(28, 30, end="20:00"),  # 39 + 12 h against 36 + 12 h
             rules={"max_hours_per_7_days": 48}),
    Boundary("rekkefølge", [template("kveld", "16:00", "23:00", label="kveld")],
             broken=days(30, 30, "natt", "23:00", "08:00"), kept=days(29, 29, "natt", "23:00", "08:00"),
             shift=("kveld", "2026-12-01"), rules={"forbidden_successions": [{"first": "natt", "then": "kveld"}]}),
    Boundary("dager-på-rad", [EVERY_DAY_DAG], broken=days(28, 30), kept=days(27, 29),
             rules={"max_consecutive_days": 3}),
    Boundary("fridager", [EVERY_DAY_DAG], broken=days(29, 29), kept=days(28, 28),
             rules={"min_days_off": 2}, extra={"carry_in_from": "2026-11-24"}),
    Boundary("søndagsfri", [EVERY_DAY_DAG], broken=days(29, 29), kept=days(28, 28),  # Sunday 29.11, Saturday 28.11
             shift=("dag", "2026-12-06"), kari={"employment": "ansatt"}),
]


def kari_on_the_shift(sc: Scenario, case: Boundary) -> Roster:
    tpl, day = case.shift
    return Roster(scenario=sc.name, period=sc.period,
                  assignments=[Assignment(doctor="kari", template=tpl, date=dt.date.fromisoformat(day))])


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_checker_sees_the_rule_across_the_first_of_the_month(case: Boundary) -> None:
    broken = case.scenario(case.broken)
    found = {v.rule for v in check_roster(broken, kari_on_the_shift(broken, case)) if v.doctor == "kari"}
    assert found == {case.rule}
    kept = case.scenario(case.kept)
    assert [v for v in check_roster(kept, kari_on_the_shift(kept, case)) if v.doctor == "kari"] == []


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_solver_keeps_the_rule_across_the_first_of_the_month(case: Boundary) -> None:
    """Only Kari can take the shift: the boundary leaves it open, or lets her take it."""
    key = "/".join(case.shift)
    broken = run(case.scenario(case.broken, per_away=True))
    assert (key, 1) in open_slots(broken) and "kari" not in on(broken, key)
    kept = run(case.scenario(case.kept, per_away=True))
    assert on(kept, key) == {"kari"} and key not in {k for k, _ in open_slots(kept)}


def test_a_run_carried_to_the_last_day_must_go_on_into_the_period() -> None:
    """`min-dager-på-rad` with the carried shifts complete: Kari worked 30.11 alone (29.11 free), so
    a run of at least two needs her on 01.12; after 29.–30.11 she may rest."""
    case = Boundary("min-dager-på-rad", [EVERY_DAY_DAG], broken=days(30, 30), kept=days(29, 30),
                    rules={"min_consecutive_days": 2}, extra={"carry_in_from": "2026-11-24"})
    nobody = case.scenario(case.broken)
    found = check_roster(nobody, Roster(scenario="test", period=nobody.period))
    assert [(v.rule, v.doctor) for v in found if v.rule == "min-dager-på-rad"] == [("min-dager-på-rad", "kari")]
    rested = case.scenario(case.kept)
    assert [v for v in check_roster(rested, Roster(scenario="test", period=rested.period)) if v.doctor == "kari"] == []
    assert "kari" in on(run(case.scenario(case.broken)), "dag/2026-12-01")


def test_runs_at_the_first_date_stay_exempt_when_the_carried_shifts_are_not_complete() -> None:
    """Without ``carry_in_from`` a free stretch before the period is unknown, not free."""
    case = Boundary("fridager", [EVERY_DAY_DAG], broken=days(29, 29), kept=[], rules={"min_days_off": 2})
    sc = case.scenario(case.broken)
    assert [v for v in check_roster(sc, kari_on_the_shift(sc, case)) if v.rule == "fridager"] == []


def test_spacing_counts_the_shifts_carried_in() -> None:
    """Soft: with a shift carried on 30.11, Kari on 01.12 is crowded; Per, who rested, gets it."""
    one_day = template("dag", "08:00", "16:00", label="dag", active_to="2026-12-01")
    rules = {"spacing_target_days": 4, "weights": {**QUIET, "spacing": 5}}

    def solved(kari_last: str, per_away: bool = False):
        sc = scenario(START, END, [one_day], [doctor("kari"), doctor("per")], rules=rules,
                      carry_in=[carried(f"{kari_last}T08:00", f"{kari_last}T16:00")],
                      absences=[{"doctor": "per", "start": START, "end": START}] if per_away else [])
        return run(sc)

    assert on(solved("2026-11-30"), "dag/2026-12-01") == {"per"}
    crowded = solved("2026-11-30", per_away=True)
    assert crowded.stats.terms["vakter tett i tett"] == 3 * 5  # two shifts in three 4-day windows
    assert solved("2026-11-26", per_away=True).stats.terms.get("vakter tett i tett", 0) == 0


def test_a_carried_shift_is_judged_only_with_a_shift_of_the_period() -> None:
    """Last period's roster is not this period's business: carried shifts that broke the rest rule
    among themselves are no violation, and the model still has a roster."""
    case = CASES[0]
    sc = case.scenario([carried("2026-11-29T08:00", "2026-11-29T16:00"), carried("2026-11-29T16:00", "2026-11-29T23:00")])
    assert [v for v in check_roster(sc, Roster(scenario="test", period=sc.period)) if v.doctor] == []
    assert run(sc, strict=True).stats.status in FEASIBLE


def test_carried_shifts_are_refused_inside_or_far_before_the_period() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="må begynne før perioden"):
        CASES[0].scenario([carried("2026-12-01T08:00", "2026-12-01T16:00")])
    with pytest.raises(ValidationError, match="høyst 62 dager før perioden"):
        CASES[0].scenario([carried("2026-09-01T08:00", "2026-09-01T16:00")])
    with pytest.raises(ValidationError, match="høyst 24 timer"):
        CASES[0].scenario([carried("2026-11-28T08:00", "2026-11-29T16:00")])
