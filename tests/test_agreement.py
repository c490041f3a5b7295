"""The checker and the model agree on what is legal: two implementations of docs/hard-rules.md
(``roster.check`` and ``solver/``), compared on generated scenarios.

For each scenario a roster of the model (the first CP-SAT finds, in default or strict mode) and some one-step changes of
it (an assignment removed, or a doctor added to a shift or put in someone's place) are judged twice: by the checker (no violation at all) and by the strict model with every assignment
held as in the roster (feasible). The verdicts must be the same either way: a roster the checker
passes that the model forbids points at a model that is too strict, the reverse at a checker
that misses a rule, and both at a derivation (day types, competence, eligibility) that one side
gets wrong.
"""

from __future__ import annotations

from collections import Counter

import pytest
from generated import scenarios
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from roster.calendar import ShiftIndex
from roster.check import check_roster, format_report
from roster.models import Assignment, Roster, Scenario
from solver.builder import build_model
from solver.context import set_domain

CHANGES = 40  # one-step changes of the model's roster judged per scenario
FIRST_ROSTER_SECONDS = 300  # wall-clock limit of the first roster's search (the model's own); one
# example needs 76 s on an idle core and went past 120 s beside a second test process
# Half the profile's examples (ci: 20, nightly: 200): since the fairness level groups (061063d) the
# first rosters take about twice as long, and 40 took 4–15 minutes of the suite
EXAMPLES = max(1, settings.default.max_examples // 2)


class Model:
    """The model of a scenario, built once; ``accepts`` holds every (doctor, shift) variable at the
    roster's value (in place, as a re-plan holds a published roster) and solves."""

    def __init__(self, sc: Scenario, strict: bool = True):
        self.sc = sc
        self.ctx = build_model(sc, strict=strict)

    def first_roster(self) -> Roster:
        """The first roster CP-SAT finds (one worker: the same every time, so a failing example
        replays exactly)."""
        solver = _solver()
        solver.parameters.stop_after_first_solution = True
        solver.parameters.max_time_in_seconds = FIRST_ROSTER_SECONDS
        assert solver.solve(self.ctx.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)  # complete by construction
        chosen = [(d, self.ctx.index.by_key[key]) for (d, key), v in self.ctx.x.items() if solver.boolean_value(v)]
        return Roster(scenario=self.sc.name, period=self.sc.period,
                      assignments=[Assignment(doctor=d, template=s.template, date=s.date) for d, s in chosen])

    def accepts(self, roster: Roster) -> bool:
        """An assignment the model has no variable for (ineligible, unknown, twice) it cannot hold."""
        ctx = self.ctx
        chosen = Counter((a.doctor, a.shift) for a in roster.assignments)
        if ctx.infeasible or any(n > 1 or pair not in ctx.x for pair, n in chosen.items()):
            return False
        for pair, v in ctx.x.items():
            value = int(pair in chosen)
            set_domain(ctx.model.proto.variables[v.index].domain, value, value)
        status = _solver().solve(ctx.model)
        assert status != cp_model.UNKNOWN, "every assignment is fixed: the model must decide"
        return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _solver() -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    return solver


def one_step_changes(sc: Scenario, roster: Roster) -> list[Roster]:
    """Every roster one step away that involves a random doctor (``d…``, who carry the
    restrictions): the doctor added to a shift, or put in the place of someone on it; and the
    roster with one assignment removed."""
    index = ShiftIndex(sc)
    base = list(roster.assignments)
    on_shift: dict[str, list[int]] = {}
    for i, a in enumerate(base):
        on_shift.setdefault(a.shift, []).append(i)
    out = [roster.model_copy(update={"assignments": base[:i] + base[i + 1:]}) for i in range(len(base))]
    for d in (d.id for d in sc.doctors if d.id.startswith("d")):
        for s in index.shifts:
            new = Assignment(doctor=d, template=s.template, date=s.date)
            out.append(roster.model_copy(update={"assignments": [*base, new]}))
            for i in on_shift.get(s.key, [])[:1]:
                out.append(roster.model_copy(update={"assignments": [*base[:i], new, *base[i + 1:]]}))
    return out


def _disagreement(sc: Scenario, roster: Roster, found: list) -> str:
    return format_report(found) + "\n" + sc.model_dump_json() + "\n" + roster.model_dump_json()


@pytest.mark.slow
@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sc=scenarios(), strict=st.booleans(), data=st.data())
def test_checker_and_model_agree(sc: Scenario, strict: bool, data: st.DataObject) -> None:
    solved = Model(sc, strict).first_roster()
    model = Model(sc)
    changes = one_step_changes(sc, solved)
    rng = data.draw(st.randoms(use_true_random=False))
    for roster in [solved, *rng.sample(changes, min(CHANGES, len(changes)))]:
        found = check_roster(sc, roster)
        legal = model.accepts(roster)
        event(f"legal: {legal}")
        assert (found == []) == legal, _disagreement(sc, roster, found)
