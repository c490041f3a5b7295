"""Property test: every roster the solver produces passes the independent checker.

Random small scenarios with a complete roster by construction (``tests/generated.py``) are solved
with a short time limit, in default and in strict mode. In default mode the roster may leave slots
open and bakvakt hours uncovered, but only as it declares them (``unexpected_violations`` is
empty); in strict mode a roster the solver calls optimal or feasible breaks no hard rule at all
(``check_roster`` is empty). At least 80 % of the scenarios must reach the checker (a solver that
found nothing would pass a property test vacuously). The number of scenarios is the Hypothesis
profile's (``tests/conftest.py``): ``ci`` by default, ``--hypothesis-profile=nightly`` for more.
"""

from __future__ import annotations

import json

import pytest
from factories import doctor, scenario, template
from generated import STATIONS, scenarios
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from roster.check import Violation, check_roster, format_report, unexpected_violations
from roster.models import Scenario, SolveStatus
from solver import solve

TIME_LIMIT = 1.2  # seconds per solve: a first roster takes 0.1–0.6 s on these scenarios (issue 13's fairness
# model); most solves run to the limit, and at 1.0 s 41 of the 42 examples still reached the checker (as at 2.0)
REACHED = 0.8  # share of the scenarios that must get a roster to the checker

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


def _reaches_checker(sc: Scenario, strict: bool) -> bool:
    """Solve; a roster found must pass the checker (asserted). Whether one was found."""
    roster = solve(sc, time_limit=TIME_LIMIT, workers=1, seed=0, strict=strict)
    assert roster.stats is not None
    event(f"{'strict' if strict else 'default'}: {roster.stats.status.value}")
    if roster.stats.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        assert roster.assignments == []
        return False
    found = check_roster(sc, roster) if strict else unexpected_violations(sc, roster)
    assert found == [], _explain(sc, found)
    return True


@pytest.mark.slow
def test_solver_rosters_pass_the_checker() -> None:
    reached: list[bool] = []

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(sc=scenarios(), strict=st.booleans())
    @example(sc=OCTOBER, strict=False)
    @example(sc=ON_CALL_NIGHTS, strict=True)
    def solved_and_checked(sc: Scenario, strict: bool) -> None:
        reached.append(_reaches_checker(sc, strict))

    solved_and_checked()
    assert sum(reached) >= REACHED * len(reached), f"{sum(reached)} of {len(reached)} reached the checker"
