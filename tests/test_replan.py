"""Minimal-change re-planning (solver.replan, roster.changes): a sick day is absorbed by a few
changes, started shifts stay, changes near ``now`` are avoided, bad change files are explained."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from api.cli import app
from roster.calendar import OSLO, ShiftIndex
from roster.changes import Changes, apply_changes, changes_from_data, load_changes
from roster.check import unexpected_violations
from roster.models import Assignment, Roster, Scenario
from roster.scenario_io import InputError, dump_scenario, load_roster, load_scenario
from solver import solve
from solver.builder import build_model
from solver.context import OBJ_SCALE, Baseline, roster_pairs
from solver.replan import describe_shift, format_diff, replan
from tests import factories as f
from tests.solver_util import QUIET


def _week(weights: dict | None = None, **kw) -> Scenario:
    """One week at one clinic, a day and a night shift per day, five interchangeable doctors."""
    return f.scenario(
        "2026-12-07", "2026-12-13",
        [f.template("dag", "08:00", "16:00"), f.template("natt", "23:00", "08:00")],
        [f.doctor(x) for x in ("anna", "bjorn", "cecilie", "dag", "eva")],
        rules={"weights": weights or {}},
        **kw,
    )


def _changes(roster_a: Roster, roster_b: Roster) -> int:
    a, b = set(roster_a.assignments), set(roster_b.assignments)
    return len(a - b) + len(b - a)


def _sick(doctor: str, day: str, now: str) -> Changes:
    return changes_from_data({"now": now, "absences": [{"doctor": doctor, "start": day, "end": day, "kind": "sykdom"}]})


def _published(scenario: Scenario) -> Roster:
    roster = solve(scenario, time_limit=2, workers=1)
    assert roster.assignments and unexpected_violations(scenario, roster) == []
    return roster


def test_absence_is_absorbed_with_fewer_changes_than_a_fresh_solve() -> None:
    scenario = _week()
    published = _published(scenario)
    victim = next(a for a in published.assignments if a.date == dt.date(2026, 12, 9))
    changes = _sick(victim.doctor, "2026-12-09", "2026-12-08T12:00")

    result = replan(scenario, published, changes, time_limit=5, workers=1)

    assert unexpected_violations(result.scenario, result.roster) == []
    assert not result.roster.open_slots
    assert victim in result.removed and victim in result.forced
    assert result.changes == 2  # the sick doctor's shift, and one taker
    fresh = solve(apply_changes(scenario, changes), time_limit=2, workers=1)
    assert unexpected_violations(result.scenario, fresh) == []
    assert _changes(published, fresh) > result.changes


def test_with_slack_only_the_absent_doctors_shifts_move() -> None:
    scenario = _week()
    published = _published(scenario)
    sick = published.assignments[3].doctor
    changes = changes_from_data({"now": "2026-12-07T00:00", "absences": [
        {"doctor": sick, "start": "2026-12-07", "end": "2026-12-13", "kind": "sykdom"}]})

    result = replan(scenario, published, changes, time_limit=5, workers=1)

    assert unexpected_violations(result.scenario, result.roster) == []
    lost = [a for a in published.assignments if a.doctor == sick]
    assert result.removed == result.forced == sorted(lost, key=lambda a: (a.date, a.template, a.doctor))
    assert sorted(a.shift for a in result.added) == sorted(a.shift for a in lost)  # one taker each
    assert all(a.doctor != sick for a in result.roster.assignments)


def _chain() -> tuple[Scenario, Roster]:
    """Anna is published on the 8th; only Bjørn (at most two shifts, published on the 9th and the
    12th) may replace her, because Cecilie is away on the 8th. Bjørn must give one shift up: the
    9th to Anna (cheaper without the 48-h factor: she is named in the change file) or the 12th to
    Cecilie (Anna is away that day)."""
    scenario = f.scenario(
        "2026-12-07", "2026-12-13", [f.template("dag", "08:00", "16:00")],
        [f.doctor("anna"), f.doctor("bjorn", max_shifts=2), f.doctor("cecilie")],
        rules={"weights": QUIET},
        absences=[{"doctor": "cecilie", "start": "2026-12-08", "end": "2026-12-08"},
                  {"doctor": "anna", "start": "2026-12-12", "end": "2026-12-12"}],
    )
    plan = {7: "cecilie", 8: "anna", 9: "bjorn", 10: "cecilie", 11: "cecilie", 12: "bjorn", 13: "cecilie"}
    pins = [{"doctor": d, "template": "dag", "date": f"2026-12-{day:02d}"} for day, d in plan.items()]
    pinned = Scenario.model_validate({**scenario.model_dump(), "pins": pins})
    published = _published(pinned)  # the solver declares the hours without bakvakt
    assert {(a.date.day, a.doctor) for a in published.assignments} == set(plan.items())
    return scenario, published


def test_changes_within_48_hours_weigh_more_so_later_shifts_move() -> None:
    scenario, published = _chain()
    changes = _sick("anna", "2026-12-08", "2026-12-07T12:00")

    result = replan(scenario, published, changes, time_limit=5, workers=1)

    assert unexpected_violations(result.scenario, result.roster) == []
    assert not result.roster.open_slots
    new = {a.date.day: a.doctor for a in result.roster.assignments}
    assert new[8] == "bjorn"
    assert new[9] == "bjorn"  # 9th: within 48 h of now, kept
    assert new[12] == "cecilie"  # the later shift moved instead (without the 48-h factor: the 9th to Anna)
    assert new[7] == "cecilie"  # started before now: frozen


def test_started_shifts_stay_even_when_moving_them_would_be_cheaper() -> None:
    scenario, published = _chain()
    # Bjørn's shift on the 9th has started: he keeps it even though changes at the 12th cost less.
    changes = _sick("anna", "2026-12-10", "2026-12-09T09:00")
    result = replan(scenario, published, changes, time_limit=5, workers=1)
    new = {a.date.day: a.doctor for a in result.roster.assignments}
    assert new[9] == "bjorn" and new[7] == "cecilie" and new[8] == "anna"
    assert result.changes == 0  # Anna had no shift on the 10th


def test_an_absence_reaching_back_before_now_leaves_the_finished_shifts_as_worked() -> None:
    scenario, published = _chain()
    # at 06:00 on the 9th Anna is sick since the 8th: her day shift of the 8th (08–16) was worked
    changes = changes_from_data({"now": "2026-12-09T06:00", "absences": [
        {"doctor": "anna", "start": "2026-12-08", "end": "2026-12-10", "kind": "sykdom"}]})
    result = replan(scenario, published, changes, time_limit=5, workers=1)
    assert unexpected_violations(result.scenario, result.roster) == []
    new = {a.date.day: a.doctor for a in result.roster.assignments}
    assert new[8] == "anna" and result.changes == 0
    assert result.scenario.absences[-1].start == dt.datetime(2026, 12, 9, 6, 0)


def test_a_shift_under_way_stays_with_its_doctor_who_is_away_from_its_end() -> None:
    scenario = _week()
    published = _published(scenario)
    night = next(a for a in published.assignments if (a.template, a.date) == ("natt", dt.date(2026, 12, 8)))
    # 06:00 on the 9th: the doctor on the night (23:00–08:00) is sick today and tomorrow
    changes = changes_from_data({"now": "2026-12-09T06:00", "absences": [
        {"doctor": night.doctor, "start": "2026-12-09", "end": "2026-12-10", "kind": "sykdom"}]})
    result = replan(scenario, published, changes, time_limit=5, workers=1)
    assert unexpected_violations(result.scenario, result.roster) == []
    assert night in result.roster.assignments and night not in result.removed
    assert not any(a.shift == night.shift for a in result.added)  # no colleague is sent a night begun at 23:00
    assert result.under_way == [night]
    assert result.scenario.absences[-1].start == dt.datetime(2026, 12, 9, 8, 0)
    assert not any(a.doctor == night.doctor and a.date in (dt.date(2026, 12, 9), dt.date(2026, 12, 10))
                   for a in result.roster.assignments)
    name = night.doctor.capitalize()
    assert result.roster.warnings[-1] == (
        f"{name} har natt BLV 08.12 23:00–08:00, som var begynt ved omplanleggingen: vakten står som publisert, "
        "og fraværet regnes fra 09.12 08:00; skaff avløsning for resten av vakten om legen ikke kan fullføre den")
    # sick only from the 10th: the night of the 8th is not touched, and nothing is said of it
    later = replan(scenario, published, _sick(night.doctor, "2026-12-10", "2026-12-09T06:00"), time_limit=5, workers=1)
    assert later.under_way == [] and night in later.roster.assignments
    assert not any("som var begynt" in w for w in later.roster.warnings)


def test_diff_is_norwegian_lines_in_time_order() -> None:
    scenario, published = _chain()
    result = replan(scenario, published, _sick("anna", "2026-12-08", "2026-12-07T12:00"), time_limit=5, workers=1)
    lines = format_diff(result)
    assert lines[0] == "Anna mister dag BLV 08.12 08:00–16:00 (kan ikke gå vakten lenger)"
    assert "Bjorn får dag BLV 08.12 08:00–16:00" in lines
    assert lines[-1].startswith(f"{result.changes} endringer (1 tvunget av fraværet")


def test_leaving_and_pins_are_applied() -> None:
    scenario = _week()
    changes = changes_from_data({"leaving": [{"doctor": "eva", "from": "2026-12-10"}],
                                 "pins": [{"doctor": "anna", "date": "2026-12-11", "template": "natt"}]})
    changed = apply_changes(scenario, changes)
    assert changed.absences[-1].doctor == "eva" and changed.absences[-1].start == dt.date(2026, 12, 10)
    assert changed.pins[-1].template == "natt"
    assert changes.involved() == {"eva", "anna"}
    assert scenario.absences == [] and scenario.pins == []  # the original is untouched


def test_a_pinned_doctor_who_falls_ill_loses_the_pin_and_the_shift_is_filled() -> None:
    pins = [{"doctor": "anna", "template": "natt", "date": "2026-12-09"},
            {"doctor": "bjorn", "template": "natt", "date": "2026-12-10"}]
    scenario = _week(pins=pins)
    published = _published(scenario)
    changes = _sick("anna", "2026-12-09", "2026-12-08T12:00")

    changed = apply_changes(scenario, changes)
    assert [(p.doctor, p.date.day) for p in changed.pins] == [("bjorn", 10)]  # anna's pin went with her night
    result = replan(scenario, published, changes, time_limit=5, workers=1)

    assert result.roster.stats.status.value in ("optimal", "feasible")
    assert unexpected_violations(result.scenario, result.roster) == [] and not result.roster.open_slots
    night = {(a.doctor, a.date.day) for a in result.roster.assignments if a.template == "natt"}
    assert ("anna", 9) not in night and any(day == 9 for _, day in night) and ("bjorn", 10) in night


def test_sick_leave_relieves_the_shifts_it_takes_from_an_agreed_minimum() -> None:
    scenario = _week()
    scenario = scenario.model_copy(update={"doctors": [
        d.model_copy(update={"min_shifts": 3, "min_hours": 24.0}) if d.id == "anna" else d for d in scenario.doctors]})
    published = _published(scenario)
    mine = sorted((a for a in published.assignments if a.doctor == "anna"), key=lambda a: a.date)
    assert len(mine) >= 3
    sick = mine[-1]
    changes = _sick("anna", sick.date.isoformat(), f"{mine[0].date.isoformat()}T00:00")

    result = replan(scenario, published, changes, time_limit=5, workers=1)

    anna = next(d for d in result.scenario.doctors if d.id == "anna")
    assert (anna.min_shifts, anna.min_hours) == (2, 24.0 - _hours(result.scenario, sick))
    assert unexpected_violations(result.scenario, result.roster) == [] and not result.roster.open_slots
    assert sick in result.forced
    assert {a for a in result.roster.assignments if a.doctor == "anna"} == set(mine[:-1])  # nothing to make up


def test_a_doctor_left_where_they_may_not_work_alone_is_repaired_from_the_published_roster() -> None:
    """The sick qualified doctor leaves an unqualified colleague alone on the night: the published
    roster as it stands breaks `alene`, so the hint is read again with that night emptied (the
    from-scratch first pass is not needed) and one qualified doctor joins the one left there."""
    sc = f.scenario(
        "2026-12-08", "2026-12-10",
        [f.template("natt", "23:00", "08:00", demand_min=2, demand_max=2, min_qualified=1),
         f.template("bakvakt", "23:00", "08:00", station="BAK", label="bakvakt", duty="bakvakt")],
        [*(f.doctor(x) for x in ("q1", "q2", "q3")), *(f.doctor(x, qualified=False) for x in ("u1", "u2", "u3")),
         *(f.doctor(x, role="spesialist", can_bakvakt=True, stations=["BAK"]) for x in ("s1", "s2"))],
        stations=[f.station("BLV", name="Bergen legevakt"), f.station("BAK", "fjernvakt", "Bakvakt")],
    )
    nights = {"2026-12-08": ("q2", "u2", "s1"), "2026-12-09": ("q1", "u1", "s2"), "2026-12-10": ("q3", "u3", "s1")}
    published = Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=d, template="bakvakt" if d.startswith("s") else "natt", date=day)
        for day, doctors in nights.items() for d in doctors])
    assert unexpected_violations(sc, published) == []

    result = replan(sc, published, _sick("q1", "2026-12-09", "2026-12-08T12:00"), time_limit=5, workers=1)

    assert unexpected_violations(result.scenario, result.roster) == []
    assert not result.roster.open_slots
    assert [a.doctor for a in result.removed] == ["q1"] and len(result.added) == 1
    assert result.added[0].doctor in ("q2", "q3") and str(result.added[0].date) == "2026-12-09"
    phases = [p.name for p in result.roster.stats.phases]
    assert "hint, lost shifts emptied" in phases and "first roster" not in phases


def _floor(scenario: Scenario, published: Roster, changes: Changes) -> tuple[int, int]:
    """(the re-plan model's change floor, one change's price at the change weight), model units."""
    changed = apply_changes(scenario, changes)
    ctx = build_model(changed, baseline=Baseline(frozenset(roster_pairs(published)), changes.moment(None),
                                                 changes.involved()))
    return ctx.change_floor, changed.rules.weights.change * OBJ_SCALE


def test_the_change_level_is_bounded_by_the_places_the_absence_empties() -> None:
    """Anna's place on the 8th (within 48 h: ×3) can only go to Bjørn, whom the change file does
    not name (×2): at least 6 changes' worth. Her forced loss costs nothing, and Bjørn must then
    give up a shift too, so the repair costs more than the floor, never less."""
    scenario, published = _chain()
    changes = _sick("anna", "2026-12-08", "2026-12-07T12:00")
    floor, one = _floor(scenario, published, changes)
    assert floor == 3 * 2 * one

    result = replan(scenario, published, changes, time_limit=5, workers=1)
    level = result.roster.stats.levels[0]
    assert level.objective * OBJ_SCALE > floor and level.bound * OBJ_SCALE >= floor


def test_a_minimal_repair_is_proven_minimal_by_the_floor() -> None:
    """One taker for the one place left: the floor is the repair's cost, so level 0 reports no gap."""
    scenario = _week()
    published = _published(scenario)
    victim = next(a for a in published.assignments if a.date == dt.date(2026, 12, 10))
    changes = _sick(victim.doctor, "2026-12-10", "2026-12-07T12:00")
    floor, one = _floor(scenario, published, changes)
    assert floor == 2 * one  # any colleague, not named in the change file, after 48 h

    result = replan(scenario, published, changes, time_limit=5, workers=1)
    level = result.roster.stats.levels[0]
    assert result.changes == 2 and level.objective * OBJ_SCALE == floor and level.gap == 0


def test_a_place_left_open_and_a_doctor_left_who_may_not_work_alone_count_at_their_cheapest() -> None:
    """The night of the 9th keeps u1, who may not work alone: one doctor short (q2 or q3, not named
    in the change file: ×2). The 10th was published a doctor short: q1, named, may take it (×1).
    An open place priced below a ×2 change stands in for the 9th's taker."""
    sc = f.scenario(
        "2026-12-08", "2026-12-10",
        [f.template("natt", "23:00", "08:00", demand_min=2, demand_max=2, min_qualified=1)],
        [*(f.doctor(x) for x in ("q1", "q2", "q3")), *(f.doctor(x, qualified=False) for x in ("u1", "u2"))],
    )
    published = Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=d, template="natt", date=day)
        for day, doctors in {"2026-12-08": ("q2", "u2"), "2026-12-09": ("q1", "u1"), "2026-12-10": ("q3",)}.items()
        for d in doctors])
    sick = _sick("q1", "2026-12-09", "2026-12-07T12:00")
    floor, one = _floor(sc, published, sick)
    assert floor == (2 + 1) * one

    weights = sc.rules.weights.model_copy(update={"open_slot": 1500})
    cheap_open = sc.model_copy(update={"rules": sc.rules.model_copy(update={"weights": weights})})
    floor, one = _floor(cheap_open, published, sick)
    assert floor == (1.5 + 1) * one


def _hours(scenario: Scenario, a) -> float:
    return {s.key: s.hours for s in ShiftIndex(scenario).shifts}[a.shift]


def test_a_pin_impossible_before_the_change_is_still_refused() -> None:
    scenario = _week(pins=[{"doctor": "anna", "template": "natt", "date": "2026-12-09"}],
                     absences=[{"doctor": "anna", "start": "2026-12-09", "end": "2026-12-09"}])
    changed = apply_changes(scenario, _sick("anna", "2026-12-09", "2026-12-08T12:00"))
    assert [(p.doctor, p.date.day) for p in changed.pins] == [("anna", 9)]


def test_a_published_roster_naming_what_the_scenario_lacks_is_refused_before_solving() -> None:
    scenario = _week()
    published = _published(scenario)
    first = published.assignments[0]
    odd = [Assignment(doctor="nobody", template=first.template, date=first.date),
           Assignment(doctor=first.doctor, template="kveld", date=first.date), first]
    bad = published.model_copy(update={"assignments": [*published.assignments, *odd]})
    with pytest.raises(InputError) as exc:
        replan(scenario, bad, _sick("anna", "2026-12-10", "2026-12-08T12:00"), time_limit=2, workers=1)
    n = len(published.assignments)
    assert exc.value.problems == [
        f"assignments[{n}].doctor: lege «nobody» finnes ikke i scenarioet",
        f"assignments[{n + 1}].template: ukjent vakttype «kveld»",
        f"assignments[{n + 2}]: {first.doctor} står på {first.template} {first.date:%d.%m.%Y} mer enn én gang",
    ]


def test_a_new_pin_on_a_shift_begun_before_now_is_refused_unless_published_so() -> None:
    scenario = _week()
    published = _published(scenario)
    held = next(a for a in published.assignments if a.date.day == 7)
    other = next(d.id for d in scenario.doctors if d.id != held.doctor)
    pin = {"doctor": other, "template": held.template, "date": held.date.isoformat()}
    changes = changes_from_data({"now": "2026-12-08T12:00", "pins": [pin]})
    with pytest.raises(InputError) as exc:
        replan(scenario, published, changes, time_limit=2, workers=1)
    assert exc.value.problems[0].startswith(f"pins[0]: vakten {held.template} 07.12.2026 begynte 07.12.2026 ")
    same = changes_from_data({"now": "2026-12-08T12:00", "pins": [{**pin, "doctor": held.doctor}]})
    assert replan(scenario, published, same, time_limit=2, workers=1).roster.assignments


def test_a_shift_of_a_type_the_scenario_no_longer_holds_is_described_by_its_id() -> None:
    scenario = _week()
    index = ShiftIndex(scenario)
    gone = Assignment(doctor="anna", template="kveld", date="2026-12-08")
    assert describe_shift(scenario, index, gone) == "kveld 08.12"
    assert describe_shift(scenario, index, Assignment(doctor="anna", template="dag", date="2026-12-08")).startswith("dag ")


def test_now_without_timezone_is_oslo_time() -> None:
    assert _sick("anna", "2026-12-08", "2026-12-07T12:00").moment().tzinfo == OSLO


def test_bad_change_file_gives_norwegian_problems_with_paths(tmp_path) -> None:
    with pytest.raises(InputError) as exc:
        changes_from_data({"absences": [{"doctor": "anna", "start": "i morgen", "end": "2026-12-08"}],
                           "leaving": [{"doctor": "eva"}], "demand": []})
    problems = "\n".join(exc.value.problems)
    assert ("absences[0].start: ventet en dato (ÅÅÅÅ-MM-DD) eller et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm) (fikk «i morgen»)"
            in problems)
    assert "leaving[0].from: mangler" in problems
    assert "demand: ukjent felt" in problems

    with pytest.raises(InputError) as exc:
        apply_changes(_week(), changes_from_data({
            "absences": [{"doctor": "ukjent", "start": "2026-12-08", "end": "2026-12-08"}],
            "pins": [{"doctor": "anna", "date": "2027-01-05", "template": "kveld"}]}))
    assert exc.value.problems == [
        "absences[0].doctor: lege «ukjent» finnes ikke",
        "pins[0].template: ukjent vakttype «kveld»",
        "pins[0].date: 05.01.2027 er utenfor perioden 07.12.2026–13.12.2026",
    ]

    bad = tmp_path / "endringer.yaml"
    bad.write_text("absences: [doctor: anna\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_changes(bad)
    assert "ugyldig YAML" in exc.value.problems[0]


def test_cli_replan_writes_the_repaired_roster_and_prints_the_diff(tmp_path) -> None:
    scenario, published = _chain()
    dump_scenario(scenario, tmp_path / "scenario.json")
    (tmp_path / "publisert.json").write_text(published.model_dump_json(), encoding="utf-8")
    (tmp_path / "syk.yaml").write_text(
        "now: 2026-12-07T12:00\nabsences:\n  - {doctor: anna, start: 2026-12-08, end: 2026-12-08, kind: sykdom}\n",
        encoding="utf-8")
    base = ["replan", str(tmp_path / "scenario.json"), "--roster", str(tmp_path / "publisert.json"),
            "--time-limit", "5", "--workers", "1"]
    result = CliRunner().invoke(app, [*base, "--change", str(tmp_path / "syk.yaml"), "-o", str(tmp_path / "ny")],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Anna mister dag BLV 08.12 08:00–16:00 (kan ikke gå vakten lenger)" in result.output
    assert "Bjorn får dag BLV 08.12 08:00–16:00" in result.output
    changed = load_scenario(tmp_path / "ny" / "scenario.json")  # carries the absence for the next re-plan
    assert changed.absences[-1].doctor == "anna"
    repaired = load_roster(changed, tmp_path / "ny" / "roster.json")
    assert unexpected_violations(changed, repaired) == []
    assert (tmp_path / "ny" / "diff.txt").read_text(encoding="utf-8").startswith("Anna mister dag BLV 08.12")

    (tmp_path / "feil.yaml").write_text("pins:\n  - {doctor: ola, date: 2026-12-08, template: dag}\n", encoding="utf-8")
    bad = CliRunner().invoke(app, [*base, "--change", str(tmp_path / "feil.yaml")], env={"COLUMNS": "200"})
    assert bad.exit_code == 2
    assert "pins[0].doctor: lege «ola» finnes ikke" in bad.output
    bad_now = CliRunner().invoke(app, [*base, "--change", str(tmp_path / "syk.yaml"), "--now", "i går"])
    assert bad_now.exit_code == 2 and "--now: ventet et tidspunkt" in bad_now.output


def test_the_callers_now_overrides_the_change_files() -> None:
    changes = _sick("anna", "2026-12-08", "2026-12-07T12:00")
    assert changes.moment(dt.datetime(2026, 12, 9, 9, 0)) == dt.datetime(2026, 12, 9, 9, 0, tzinfo=OSLO)
    assert changes.moment() == dt.datetime(2026, 12, 7, 12, 0, tzinfo=OSLO)


def test_a_demand_change_adds_one_doctor_to_that_shift_only() -> None:
    scenario = f.scenario(
        "2026-12-07", "2026-12-13",
        [f.template("dag", "08:00", "16:00", demand_min=1, demand_max=1), f.template("natt", "23:00", "08:00")],
        [f.doctor(x) for x in ("anna", "bjorn", "cecilie", "dag", "eva")])
    published = _published(scenario)
    changes = changes_from_data({"now": "2026-12-07T00:00", "demand_changes": [
        {"template": "dag", "date": "2026-12-10", "demand_min": 2}]})
    result = replan(scenario, published, changes, time_limit=5, workers=1)
    assert unexpected_violations(result.scenario, result.roster) == [] and not result.roster.open_slots
    assert result.removed == [] and [a.shift for a in result.added] == ["dag/2026-12-10"]
    assert len([a for a in result.roster.assignments if a.shift == "dag/2026-12-10"]) == 2


def test_a_demand_change_for_a_shift_that_does_not_run_is_refused_with_its_path() -> None:
    scenario = f.scenario("2026-12-07", "2026-12-13", [f.template("kveld", "16:00", "23:00", day_types=["hverdag"])],
                          [f.doctor("anna")])
    changes = changes_from_data({"demand_changes": [{"template": "kveld", "date": "2026-12-12", "demand_min": 2}]})
    with pytest.raises(InputError) as info:
        apply_changes(scenario, changes)
    assert info.value.problems == ["demand_changes[0].date: vakttypen «kveld» går ikke 12.12.2026"]
