"""The Bergen example: the committed file is the generator's output, and the month solves cleanly."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.cli.common import EXIT_OK
from examples.bergen.generate import SCENARIO_PATH, build_bergen_scenario, main
from roster.calendar import ShiftIndex
from roster.changes import apply_changes, load_changes
from roster.check import check_roster
from roster.eligibility import Eligibility
from roster.models import DutyKind
from roster.scenario_io import dump_scenario, load_roster, load_scenario


def test_committed_scenario_equals_a_fresh_run(tmp_path):
    fresh = build_bergen_scenario()
    assert load_scenario(SCENARIO_PATH) == fresh
    dump_scenario(fresh, tmp_path / "scenario.yaml")
    assert (tmp_path / "scenario.yaml").read_bytes() == SCENARIO_PATH.read_bytes()


def test_same_seed_same_scenario_other_seed_other_doctors():
    assert build_bergen_scenario(seed=3) == build_bergen_scenario(seed=3)
    assert build_bergen_scenario(seed=3).doctors != build_bergen_scenario(seed=4).doctors


def test_december_has_christmas_a_bakvakt_every_minute_and_every_role():
    s = build_bergen_scenario()
    assert {(h.date, h.name) for h in s.extra_holidays} == {
        (dt.date(2026, 12, 24), "Julaften"), (dt.date(2026, 12, 31), "Nyttårsaften")}
    index = ShiftIndex(s)
    on_call = sorted((x.start, x.end) for x in index.shifts if x.duty == DutyKind.ON_CALL)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(on_call)), "bakvakt shifts must join up"
    assert on_call[0][0] == index.shifts[0].start and on_call[-1][1] == max(x.end for x in index.shifts)
    roles = Counter(d.role.value for d in s.doctors)
    assert roles == {"fastlege": 200, "ALIS": 40, "annen": 30, "spesialist": 25}
    elig = Eligibility(s)
    unqualified = [d for d in s.doctors if not elig.qualified(d.id)]
    assert unqualified and all(d.role.value == "ALIS" and d.stations == ["BLV"] for d in unqualified)


def test_scale_and_months_grow_doctors_stations_and_period():
    s = build_bergen_scenario(scale=2, months=2)
    assert len(s.doctors) == 2 * 295
    assert sum(st.kind.value == "bydelslegevakt" for st in s.stations) == 6
    assert (s.period.start, s.period.end) == (dt.date(2026, 12, 1), dt.date(2027, 1, 31))
    assert len({d.name for d in s.doctors}) == len(s.doctors)


def test_another_month_from_the_command_line_has_the_same_doctors(tmp_path):
    """Month variants for a sweep (docs/sweep.md): the month's own calendar, the same doctors."""
    main(["--start", "2026-10-01", "-o", str(tmp_path / "2026-10.yaml")])
    october, december = load_scenario(tmp_path / "2026-10.yaml"), build_bergen_scenario()
    assert (october.period.start, october.period.end) == (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    assert [(d.id, d.name) for d in october.doctors] == [(d.id, d.name) for d in december.doctors]
    assert not october.extra_holidays and december.extra_holidays


@pytest.mark.slow
def test_bergen_month_solves_from_the_cli_with_no_open_slot_and_a_clean_check(tmp_path):
    """--strict: exit 0 proves a complete legal roster exists and is found within the limit."""
    out = tmp_path / "ut"
    result = CliRunner().invoke(app, ["solve", str(SCENARIO_PATH), "-o", str(out), "--strict",
                                      "--time-limit", "15", "--workers", "2"])
    assert result.exit_code == EXIT_OK, result.output
    s = load_scenario(SCENARIO_PATH)
    roster = load_roster(s, out / "roster.json")
    assert roster.open_slots == [] and roster.uncovered_bakvakt == []
    assert check_roster(s, roster) == []


def test_committed_january_is_december_carried_in(tmp_path):
    """january.yaml is january.py's output: December's roster (legal) carried into January."""
    from examples.bergen.january import DECEMBER_ROSTER_PATH, JANUARY_PATH, build_january_scenario

    december = load_scenario(SCENARIO_PATH)
    assert check_roster(december, load_roster(december, DECEMBER_ROSTER_PATH)) == []
    fresh = build_january_scenario(december)
    dump_scenario(fresh, tmp_path / "january.yaml")
    assert (tmp_path / "january.yaml").read_bytes() == JANUARY_PATH.read_bytes()
    assert fresh.carry_in_from == dt.date(2026, 12, 25) and min(c.start for c in fresh.carry_in).date() >= fresh.carry_in_from
    assert {d.id for d in fresh.doctors} == {d.id for d in december.doctors}
    assert any(h.date == dt.date(2026, 12, 25) for h in fresh.holiday_ledger)


@pytest.mark.slow
def test_january_with_december_carried_in_solves_strictly_and_checks_clean(tmp_path):
    """The issue's proof: January solved with December's last week carried in, every rule held
    across New Year's Eve by the independent checker."""
    from examples.bergen.january import JANUARY_PATH

    out = tmp_path / "ut"
    result = CliRunner().invoke(app, ["solve", str(JANUARY_PATH), "-o", str(out), "--strict",
                                      "--time-limit", "15", "--workers", "2"])
    assert result.exit_code == EXIT_OK, result.output
    january = load_scenario(JANUARY_PATH)
    roster = load_roster(january, out / "roster.json")
    assert roster.open_slots == [] and check_roster(january, roster) == []


def test_the_shipped_sick_day_takes_a_pinned_shift_from_every_roster():
    """README's re-plan example promises a change whatever roster the solve found: the sick doctor
    is pinned to a shift that day, and the sick leave takes the pin with it."""
    scenario = load_scenario(SCENARIO_PATH)
    changes = load_changes(SCENARIO_PATH.parent / "sick.yaml")
    sick = {(a.doctor, a.start + dt.timedelta(days=i)) for a in changes.absences for i in range((a.end - a.start).days + 1)}
    pinned = {(p.doctor, p.date) for p in scenario.pins} & sick
    assert pinned
    assert not {(p.doctor, p.date) for p in apply_changes(scenario, changes).pins} & pinned
