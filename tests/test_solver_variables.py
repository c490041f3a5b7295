"""The variable set: a pair has a variable exactly when no dated reason (course, absence,
exemption) blocks it, as ``Eligibility.blocks`` says; explain mode keeps the pair, one group per
reason."""

import datetime as dt

import pytest

from examples.bergen.generate import build_bergen_scenario
from factories import doctor, scenario, template
from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Scenario
from solver.context import ModelContext


def _context(sc: Scenario, explain: bool = False) -> ModelContext:
    ctx = ModelContext(sc, ShiftIndex(sc), Eligibility(sc), strict=explain, explain=explain)
    ctx.create_variables()
    return ctx


def _assert_variables_match_blocks(sc: Scenario) -> None:
    ctx, explained = _context(sc), _context(sc, explain=True)
    seen = 0
    for s in ctx.shifts:
        for d in sc.doctors:
            if not ctx.statically_allowed(d, s.template):
                assert (d.id, s.key) not in explained.x
                continue
            blocks = ctx.eligibility.blocks(d, s)
            assert ((d.id, s.key) in ctx.x) == (not blocks), (d.id, s.key, blocks)
            assert (d.id, s.key) in explained.x
            assert all((b.code, b.subject) in explained.groups for b in blocks)
            seen += bool(blocks)
    assert seen > 0  # the scenario exercises the dated reasons


def _dst_scenario() -> Scenario:
    """Nights and evenings across the March change, with every kind of dated reason."""
    doctors = [
        doctor("a", courses={"akuttmedisin": "2027-03-28"}),  # expires mid-period
        doctor("b", exemptions=[{"reason": "graviditet", "start": "2027-03-29", "end": "2027-03-30"}]),
        doctor("c", exemptions=[{"reason": "over 60"}]),
        doctor("d"),
        doctor("e", courses={"akuttmedisin": "2027-03-30"}),  # the night of the last day ends after it
        doctor("f", courses={"vold og overgrep": None}),  # no record of a required course: every shift
    ]
    absences = [
        {"doctor": "d", "start": "2027-03-28", "end": "2027-03-28"},
        {"doctor": "a", "start": "2027-03-30T12:00:00", "end": "2027-03-30T17:00:00", "kind": "annet"},
    ]
    tpls = [template("dag", "08:00", "16:00"), template("kveld", "16:00", "23:00"),
            template("natt", "23:00", "08:00")]
    return scenario(dt.date(2027, 3, 27), dt.date(2027, 3, 30), tpls, doctors, absences=absences)


def test_variables_match_eligibility_blocks_across_the_spring_change():
    _assert_variables_match_blocks(_dst_scenario())


@pytest.mark.slow
def test_variables_match_eligibility_blocks_on_the_bergen_month():
    _assert_variables_match_blocks(build_bergen_scenario(scale=1, months=1, seed=0))
