"""Shift trades: legal and illegal swaps judged by the independent checker, burden moves with exact
numbers, refusals in Norwegian, and the ``roster swap-check`` command's exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from factories import ALL_DAYS, doctor, scenario, station, template
from typer.testing import CliRunner

from api.cli import app
from api.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS
from roster.models import Assignment, Roster, Scenario
from roster.scenario_io import dump_scenario
from roster.swap import SwapRefused, check_swap, format_swap

DAY, NEXT = "2026-12-01", "2026-12-02"  # Tuesday, Wednesday: weekday day hours weigh 1.0 a point


def make(doctors: list[dict[str, Any]], **kw: Any) -> Scenario:
    """Two weekdays of a day shift (08–16) and an evening (16–23) at one clinic, one doctor each."""
    return scenario(
        DAY, NEXT,
        [template("dag", "08:00", "16:00", label="dag", min_qualified=1),
         template("kveld", "16:00", "23:00", label="kveld", min_qualified=1)],
        doctors, stations=[station("BLV", name="Bergen legevakt")], **kw,
    )


def roster_of(s: Scenario, *pairs: tuple[str, str]) -> Roster:
    """Assignments as (doctor, shift key) pairs."""
    out = []
    for doc, key in pairs:
        tpl, day = key.split("/")
        out.append(Assignment(doctor=doc, template=tpl, date=day))
    return Roster(scenario=s.name, period=s.period, assignments=out)


def rules_of(violations: list) -> set[str]:
    return {v.rule for v in violations}


# --------------------------------------------------------------------------- legal


def test_a_pure_burden_move_with_numbers() -> None:
    s = make([doctor("anna"), doctor("per")])
    r = roster_of(s, ("anna", "dag/2026-12-01"), ("per", "kveld/2026-12-01"),
                  ("anna", "dag/2026-12-02"), ("per", "kveld/2026-12-02"))
    result = check_swap(s, r, "anna", "dag/2026-12-02", "per", "kveld/2026-12-02")
    assert result.legal and result.new_violations == [] and result.resolved == []
    anna, per = result.burden
    # The period's burden: 2 × 8 h day at 1.0 + 2 × 7 h evening at 1.0 = 30 points, half each.
    assert (anna.doctor, anna.target, per.target) == ("anna", pytest.approx(15), pytest.approx(15))
    assert (anna.points_before, anna.points_after) == (pytest.approx(16), pytest.approx(15))
    assert (per.points_before, per.points_after) == (pytest.approx(14), pytest.approx(15))
    assert anna.deviation_before == pytest.approx(1 / 15) and anna.deviation_after == pytest.approx(0)
    assert per.deviation_before == pytest.approx(-1 / 15) and per.deviation_after == pytest.approx(0)
    assert (anna.shifts_before, anna.shifts_after) == (2, 2)
    assert {(a.doctor, a.shift) for a in result.roster.assignments} == {
        ("anna", "dag/2026-12-01"), ("per", "kveld/2026-12-01"), ("per", "dag/2026-12-02"),
        ("anna", "kveld/2026-12-02")}
    text = format_swap(result)
    assert "Byttet er lovlig: det gir ingen nye brudd på harde regler og gjør ingen brudd verre." in text
    assert "Anna: 2 → 2 vakter, 16,0 → 15,0 poeng mot mål 15,0, avvik +7 % → +0 %" in text


def test_a_give_away_moves_the_whole_shift() -> None:
    s = make([doctor("anna"), doctor("per")])
    r = roster_of(s, ("anna", "dag/2026-12-01"), ("anna", "kveld/2026-12-02"),
                  ("per", "kveld/2026-12-01"), ("per", "dag/2026-12-02"))
    result = check_swap(s, r, "Anna", "kveld/02.12.2026", "per")  # a name and a Norwegian date work too
    assert result.legal is False  # Per would have dag and kveld back to back
    assert result.description == "Anna gir Kveld Bergen legevakt 02.12.2026 16:00–23:00 til Per"
    anna, per = result.burden
    assert (anna.points_before - anna.points_after, per.points_after - per.points_before) == (
        pytest.approx(7), pytest.approx(7))


def test_existing_breaches_do_not_make_a_swap_illegal() -> None:
    s = make([doctor("anna"), doctor("per"), doctor("kari")], absences=[{"doctor": "kari", "start": DAY, "end": DAY}])
    r = roster_of(s, ("kari", "dag/2026-12-01"), ("anna", "kveld/2026-12-01"), ("per", "dag/2026-12-02"))
    result = check_swap(s, r, "anna", "kveld/2026-12-01", "per")
    assert result.legal
    # Kari's absence and the empty evening of 02.12 (no bakvakt rota, so no bakvakt rule)
    assert rules_of(result.unchanged) == {"fravær", "bemanning"}
    assert ("Vaktplanen har 2 brudd eller ubesatte plasser fra før som byttet verken retter eller gjør verre."
            in format_swap(result))


def test_a_swap_can_resolve_a_breach() -> None:
    s = make([doctor("anna"), doctor("per")])
    r = roster_of(s, ("anna", "dag/2026-12-01"), ("anna", "kveld/2026-12-01"), ("per", "dag/2026-12-02"))
    result = check_swap(s, r, "anna", "kveld/2026-12-01", "per")
    assert result.legal and rules_of(result.resolved) == {"hvile"}


# --------------------------------------------------------------------------- a breach the roster has already

EVENINGS = [f"kveld/2026-12-{d:02d}" for d in range(7, 14)]  # Monday 07.12 to Sunday 13.12


def evenings(doctors: list[dict[str, Any]], **rules: Any) -> Scenario:
    """An evening (16–23) every day of one week, one doctor each: no rest or run rule in the way."""
    return scenario(EVENINGS[0][-10:], EVENINGS[-1][-10:],
                    [template("kveld", "16:00", "23:00", label="kveld", day_types=ALL_DAYS)],
                    doctors, stations=[station("BLV", name="Bergen legevakt")], rules=rules)


def over_max_shifts() -> tuple[Scenario, Roster]:
    """Per may have 1 shift but holds 2 (a published roster from before the limit was lowered)."""
    s = evenings([doctor("anna"), doctor("per", max_shifts=1), doctor("kari")])
    return s, roster_of(s, ("per", EVENINGS[0]), ("per", EVENINGS[1]), ("anna", EVENINGS[2]), ("anna", EVENINGS[3]),
                        ("kari", EVENINGS[4]), ("kari", EVENINGS[5]), ("kari", EVENINGS[6]))


def test_a_swap_that_worsens_a_breach_is_illegal() -> None:
    s, r = over_max_shifts()
    result = check_swap(s, r, "anna", EVENINGS[3], "per")
    assert not result.legal and result.new_violations == [] and result.unchanged == []
    assert [(v.rule, v.doctor, v.message) for v in result.worsened] == [
        ("antall", "per", "Per har 3 vakter i perioden; maks 1.")]
    text = format_swap(result)
    assert "Byttet er ikke lovlig: det gjør 1 brudd som fantes fra før, verre:\n  - Per har 3 vakter" in text
    assert "lovlig: det gir ingen nye brudd" not in text


def test_a_swap_that_leaves_a_breach_as_it_was_or_eases_it_is_legal() -> None:
    s, r = over_max_shifts()
    even = check_swap(s, r, "anna", EVENINGS[3], "per", EVENINGS[1])  # Per still holds 2
    assert even.legal and even.worsened == [] and rules_of(even.unchanged) == {"antall"}
    text = format_swap(even)
    assert "Byttet er lovlig: det gir ingen nye brudd på harde regler og gjør ingen brudd verre." in text
    assert "Vaktplanen har 1 brudd eller ubesatte plasser fra før som byttet verken retter eller gjør verre." in text
    three = roster_of(s, *((a.doctor, a.shift) for a in r.assignments if a.shift != EVENINGS[2]), ("per", EVENINGS[2]))
    eased = check_swap(s, three, "per", EVENINGS[2], "anna")  # 3 → 2: still over, but less
    assert eased.legal and [v.message for v in eased.unchanged] == ["Per har 2 vakter i perioden; maks 1."]
    assert rules_of(check_swap(s, r, "per", EVENINGS[1], "anna").resolved) == {"antall"}


def test_a_shift_added_inside_a_7_day_window_over_its_limit_worsens_it() -> None:
    """The window's breach keeps its first and last shift, so only its figure says it grew."""
    s = evenings([doctor("anna"), doctor("per")], max_shifts_per_7_days=2)
    r = roster_of(s, ("per", EVENINGS[0]), ("anna", EVENINGS[1]), ("per", EVENINGS[2]), ("per", EVENINGS[3]))
    result = check_swap(s, r, "anna", EVENINGS[1], "per")
    assert not result.legal and result.new_violations == []
    assert [v.message for v in result.worsened] == ["Per: 4 vakter 07.12.2026–13.12.2026; maks 2."]


# --------------------------------------------------------------------------- illegal


def test_rest_broken_by_the_swap() -> None:
    s = make([doctor("anna"), doctor("per")])
    r = roster_of(s, ("anna", "dag/2026-12-01"), ("per", "kveld/2026-12-01"))
    result = check_swap(s, r, "anna", "dag/2026-12-01", "per")
    assert not result.legal
    assert [v.rule for v in result.new_violations] == ["hvile"]
    assert result.new_violations[0].doctor == "per"
    assert "Byttet er ikke lovlig: det gir 1 nytt brudd på harde regler:" in format_swap(result)


def test_taker_absent() -> None:
    s = make([doctor("anna"), doctor("per")], absences=[{"doctor": "per", "start": DAY, "end": DAY, "kind": "sykdom"}])
    r = roster_of(s, ("anna", "dag/2026-12-01"))
    result = check_swap(s, r, "anna", "dag/2026-12-01", "per")
    assert not result.legal and rules_of(result.new_violations) == {"fravær"}


def test_taker_not_qualified() -> None:
    s = make([doctor("anna"), doctor("lis", qualified=False, role="ALIS")])
    r = roster_of(s, ("anna", "dag/2026-12-01"))
    result = check_swap(s, r, "anna", "dag/2026-12-01", "lis")
    assert not result.legal
    assert {"kompetanse", "alene"} <= rules_of(result.new_violations)


def test_the_shift_given_back_breaks_a_rule_for_the_giver() -> None:
    s = make([doctor("anna", exemptions=[{"reason": "over 60"}]), doctor("per")])
    r = roster_of(s, ("anna", "dag/2026-12-01"), ("per", "kveld/2026-12-02"))
    result = check_swap(s, r, "anna", "dag/2026-12-01", "per", "kveld/2026-12-02")
    assert not result.legal
    assert [(v.rule, v.doctor) for v in result.new_violations] == [("fritak", "anna")]


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("args", "problem"), [
    (("per", "dag/2026-12-02", "anna"), "Per har ikke vakten Dag Bergen legevakt 02.12.2026 08:00–16:00"),
    (("anna", "dag/2026-12-01", "per", "dag/2026-12-02"),
     "Per har ikke vakten Dag Bergen legevakt 02.12.2026 08:00–16:00"),
    (("anna", "dag/2026-12-01", "ola"), "ukjent lege «ola»"),
    (("anna", "dag/2026-12-01", "anna"), "Anna kan ikke bytte vakt med seg selv"),
    (("anna", "dag", "per"), "ugyldig vakt «dag»: skriv vakttype/dato, for eksempel BLV-natt/2026-12-24"),
    (("anna", "dag/2026-12-01", "per", "dag/2026-12-01"),
     "vakten tilbake er den samme som vakten som gis bort (dag/2026-12-01)"),
    (("anna", "kveld/2026-12-02", "per"), "Per har allerede vakten Kveld Bergen legevakt 02.12.2026 16:00–23:00"),
])
def test_refusals(args: tuple[str, ...], problem: str) -> None:
    s = make([doctor("anna"), doctor("per")])
    r = roster_of(s, ("anna", "dag/2026-12-01"), ("anna", "kveld/2026-12-02"), ("per", "kveld/2026-12-02"))
    with pytest.raises(SwapRefused) as info:
        check_swap(s, r, *args)
    assert info.value.problems == [problem]


# --------------------------------------------------------------------------- CLI

runner = CliRunner()


def files(tmp_path: Path, s: Scenario, r: Roster) -> list[str]:
    dump_scenario(s, tmp_path / "scenario.yaml")
    (tmp_path / "roster.json").write_text(r.model_dump_json(), encoding="utf-8")
    return [str(tmp_path / "scenario.yaml"), str(tmp_path / "roster.json")]


def test_cli_exit_codes(tmp_path: Path) -> None:
    s = make([doctor("anna"), doctor("per")])
    paths = files(tmp_path, s, roster_of(s, ("anna", "dag/2026-12-01"), ("per", "kveld/2026-12-01")))
    legal = runner.invoke(app, ["swap-check", *paths, "--fra", "anna", "--vakt", "dag/2026-12-01", "--til", "per",
                                "--tilbake", "kveld/2026-12-01"])
    assert legal.exit_code == EXIT_OK, legal.output
    assert "Byttet er lovlig" in legal.output
    illegal = runner.invoke(app, ["swap-check", *paths, "--fra", "anna", "--vakt", "dag/2026-12-01", "--til", "per"])
    assert illegal.exit_code == EXIT_VIOLATIONS
    assert "Byttet er ikke lovlig" in illegal.output
    refused = runner.invoke(app, ["swap-check", *paths, "--fra", "per", "--vakt", "dag/2026-12-01", "--til", "anna"])
    assert refused.exit_code == EXIT_BAD_INPUT
    assert "Per har ikke vakten" in refused.output
    missing = runner.invoke(app, ["swap-check", paths[0], str(tmp_path / "nei.json"), "--fra", "anna", "--vakt",
                                  "dag/2026-12-01", "--til", "per"])
    assert missing.exit_code == EXIT_BAD_INPUT and "finner ikke filen" in missing.output


def test_cli_precheck(tmp_path: Path) -> None:
    """Exit 1 with the finding when a requirement cannot be met, 0 when nothing is found."""
    on_call = template("bak", "08:00", "16:00", station="BAK", duty="bakvakt", label="bakvakt")
    stations = [station("BLV", name="Bergen legevakt"), station("BAK", "fjernvakt", "Bakvakt")]
    doctors = [doctor("anna"), doctor("spes", role="spesialist", can_bakvakt=True, stations=["BAK"])]
    day = template("dag", "08:00", "16:00", label="dag", min_qualified=1)
    dump_scenario(scenario(DAY, DAY, [day, on_call], doctors, stations=stations,
                           absences=[{"doctor": "anna", "start": DAY, "end": DAY}]), tmp_path / "s.yaml")
    dump_scenario(scenario(DAY, DAY, [day, on_call], doctors, stations=stations), tmp_path / "ok.yaml")
    found = runner.invoke(app, ["precheck", str(tmp_path / "s.yaml")])
    assert found.exit_code == EXIT_VIOLATIONS
    assert ("Dag 01.12 Bergen legevakt krever 1 lege som kan gå alene; ingen er tilgjengelig: 1 har fravær (ferie)."
            in " ".join(found.output.split()))
    fine = runner.invoke(app, ["precheck", str(tmp_path / "ok.yaml")])
    assert fine.exit_code == EXIT_OK
    assert "Forhåndskontrollen fant ingen krav som åpenbart ikke kan oppfylles." in " ".join(fine.output.split())
    bad = runner.invoke(app, ["precheck", str(tmp_path / "nei.yaml")])
    assert bad.exit_code == EXIT_BAD_INPUT
