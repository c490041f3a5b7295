"""What one period hands the next: ``history_out.json`` (history, the last days' shifts, the
holiday ledger, legevakt shifts moved forward), ``roster carry``, the workbook's sheets, and a
hand-made December → January pair where ``roster check`` names every rule broken across the
first of the month."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from factories import doctor, scenario, template
from typer.testing import CliRunner

from api.cli import app
from api.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS
from roster.carry import next_period
from roster.check import RULES, check_roster
from roster.excel import read_scenario_workbook, write_roster_workbook, write_template
from roster.models import Assignment, Roster, Scenario
from roster.output import write_history_out
from roster.scenario_io import dump_scenario, load_scenario

runner = CliRunner()
ANYONE = {"demand_min": 0, "demand_max": 20, "min_qualified": 0}
TEMPLATES = [
    template("dag", "08:00", "16:00", label="dag", **ANYONE),
    template("tidligdag", "07:00", "15:00", label="dag", **ANYONE),
    template("kveld", "16:00", "23:00", label="kveld", **ANYONE),
    template("natt", "23:00", "08:00", label="natt", **ANYONE),
    template("lang", "08:00", "20:00", label="dag", **ANYONE),
    template("lang13", "08:00", "21:00", label="dag", **ANYONE),
    template("tidlig", "06:00", "10:00", label="dag", **ANYONE),
    template("sen", "16:00", "20:00", label="kveld", **ANYONE),
    template("grytidlig", "02:00", "06:00", label="dag", **ANYONE),
    template("midt", "12:00", "16:00", label="dag", **ANYONE),
    template("bak", "16:00", "08:00", station="BAK", label="bakvakt", duty="bakvakt", **ANYONE),
]
RULES_USED = {"max_consecutive_nights": 2, "max_consecutive_days": 3, "max_shifts_per_7_days": 4,
              "max_hours_per_7_days": 48, "forbidden_successions": [{"first": "natt", "then": "kveld"}],
              "specialist_bakvakt": False}
# One doctor per rule: their last December shifts and their first January ones, which together
# break exactly that rule (each shift alone, and each month alone, is legal).
PLAN: dict[str, tuple[dict[str, Any], list[tuple[str, int]], list[tuple[str, int]]]] = {
    "hvile": ({}, [("natt", 31)], [("dag", 1)]),  # 08:00 after a night until 08:00
    "overlapp": ({"can_bakvakt": True}, [("bak", 31)], [("tidligdag", 1)]),  # 07:00 inside the bakvakt to 08:00
    "netter": ({}, [("natt", 30), ("natt", 31)], [("natt", 1)]),  # three in a row, two allowed
    "ukehvile": ({"employment": "ansatt"}, [("tidlig", 29), ("sen", 30)], [("grytidlig", 1), ("midt", 2)]),
    "uke-vakter": ({}, [("dag", 27), ("dag", 28), ("dag", 30), ("dag", 31)], [("dag", 1)]),  # five in 7 dates
    "uke-timer": ({}, [("lang", 28), ("lang", 29), ("lang", 31)], [("lang13", 1)]),  # 36 + 13 h
    "rekkefølge": ({}, [("natt", 31)], [("kveld", 1)]),
    "dager-på-rad": ({}, [("dag", 29), ("dag", 30), ("dag", 31)], [("dag", 1)]),  # four dates, three allowed
    "søndagsfri": ({"employment": "ansatt"}, [("dag", 27)], [("dag", 1)]),  # Sunday 27.12, then New Year's Day
}


def _doctors() -> list[dict[str, Any]]:
    return [doctor(f"lege-{rule}", name=f"Lege {RULES[rule]}", **kw) for rule, (kw, _, _) in PLAN.items()]


def _month(start: str, end: str, **kw: Any) -> Scenario:
    from factories import station

    return scenario(start, end, TEMPLATES, _doctors(), rules=RULES_USED,
                    stations=[station("BLV"), station("BAK", kind="fjernvakt")], **kw)


def _roster(sc: Scenario, which: int, year: int, month: int) -> Roster:
    return Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=f"lege-{rule}", template=tpl, date=dt.date(year, month, day))
        for rule, plan in PLAN.items() for tpl, day in plan[which]])


@pytest.fixture()
def december() -> tuple[Scenario, Roster]:
    sc = _month("2026-12-01", "2026-12-31")
    roster = _roster(sc, 1, 2026, 12)
    assert check_roster(sc, roster) == [], "December alone is legal"
    return sc, roster


def test_each_rule_broken_across_new_year_is_named_by_roster_check(december, tmp_path: Path) -> None:
    """The proof of the issue: December's history_out carried into January (``roster carry``), and
    ``roster check`` of a January roster that is legal on its own names each rule it breaks with
    the rule's Norwegian name, for the doctor whose December shifts it follows."""
    dec, dec_roster = december
    write_history_out(dec, dec_roster, tmp_path / "history_out.json")
    january = _month("2027-01-01", "2027-01-31")
    jan_roster = _roster(january, 2, 2027, 1)
    assert check_roster(january, jan_roster) == [], "January alone is legal"
    dump_scenario(january, tmp_path / "januar.yaml")
    carried = tmp_path / "januar-med-desember.yaml"
    result = runner.invoke(app, ["carry", str(tmp_path / "januar.yaml"), str(tmp_path / "history_out.json"),
                                 "-o", str(carried)])
    assert result.exit_code == EXIT_OK, result.output
    (tmp_path / "januar.json").write_text(jan_roster.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["check", str(carried), str(tmp_path / "januar.json")])
    assert result.exit_code == EXIT_VIOLATIONS
    found = {(v.rule, v.doctor) for v in check_roster(load_scenario(carried), jan_roster)}
    assert found == {(rule, f"lege-{rule}") for rule in PLAN}
    for rule in PLAN:
        assert f"{RULES[rule]} ({rule}): 1" in result.output


def test_the_same_january_four_days_later_breaks_nothing(december, tmp_path: Path) -> None:
    """Kept across the boundary: every doctor's January shifts moved on by four days."""
    dec, dec_roster = december
    january = Scenario.model_validate({**_month("2027-01-01", "2027-01-31").model_dump(mode="json"),
                                       **next_period(dec, dec_roster)})
    later = _roster(january, 2, 2027, 1)
    later = later.model_copy(update={"assignments": [
        a.model_copy(update={"date": a.date + dt.timedelta(days=4)}) for a in later.assignments]})
    assert check_roster(january, later) == []


def test_history_out_carries_the_last_week_the_ledger_and_the_shift_count(december, tmp_path: Path) -> None:
    dec, dec_roster = december
    data = next_period(dec, dec_roster)
    assert set(data) == {"history", "carry_in_from", "carry_in", "holiday_ledger"}
    assert data["carry_in_from"] == "2026-12-25"  # seven days back: the longest look-back of these rules
    starts = sorted(c["start"] for c in data["carry_in"])
    assert starts[0] == "2026-12-27T08:00:00" and len(starts) == sum(len(p[1]) for p in PLAN.values())
    night = next(c for c in data["carry_in"] if c["doctor"] == "lege-hvile")
    assert night == {"doctor": "lege-hvile", "start": "2026-12-31T23:00:00", "end": "2027-01-01T08:00:00",
                     "label": "natt", "duty": "tilstedevakt", "station": "BLV", "night": True, "template": "natt"}
    ledger = {(h["doctor"], h["date"]) for h in data["holiday_ledger"]}
    assert ("lege-søndagsfri", "2026-12-27") not in ledger  # a Sunday is no rotated holiday
    assert ("lege-hvile", "2026-12-31") in ledger and ("lege-netter", "2026-12-31") in ledger
    done = {h["doctor"]: h["legevakt_shifts_done"] for h in data["history"]}
    assert done["lege-uke-vakter"] == 4 and done["lege-overlapp"] == 0  # a bakvakt is no legevakt shift


def test_legevakt_shifts_move_forward_and_make_an_alis_qualified() -> None:
    """An ALIS with 30 months and 39 shifts may not work alone; history saying 40 makes her."""
    from roster.eligibility import qualification

    alis = doctor("alis", role="ALIS", qualified=None)
    alis["competence"] = {"clinical_months": 36, "legevakt_shifts_done": 39}
    before = scenario("2027-01-01", "2027-01-02", [template("dag", "08:00", "16:00")], [alis])
    assert not qualification(before.doctors[0], before.rules).qualified
    after = scenario("2027-01-01", "2027-01-02", [template("dag", "08:00", "16:00")], [alis],
                     history=[{"doctor": "alis", "legevakt_shifts_done": 40}])
    assert after.doctors[0].competence.legevakt_shifts_done == 40
    assert qualification(after.doctors[0], after.rules).qualified
    older = scenario("2027-01-01", "2027-01-02", [template("dag", "08:00", "16:00")], [alis],
                     history=[{"doctor": "alis", "legevakt_shifts_done": 12}])
    assert older.doctors[0].competence.legevakt_shifts_done == 39  # the larger count holds


def test_roster_carry_reads_the_older_list_and_refuses_strange_files(tmp_path: Path) -> None:
    january = _month("2027-01-01", "2027-01-31")
    dump_scenario(january, tmp_path / "januar.yaml")
    (tmp_path / "gammel.json").write_text(json.dumps([{"doctor": "lege-hvile", "shifts": 3, "points": 20}]))
    out = tmp_path / "ut.json"
    result = runner.invoke(app, ["carry", str(tmp_path / "januar.yaml"), str(tmp_path / "gammel.json"), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert load_scenario(out).history[0].shifts == 3
    (tmp_path / "feil.json").write_text(json.dumps({"history": [], "vakter": []}))
    result = runner.invoke(app, ["carry", str(tmp_path / "januar.yaml"), str(tmp_path / "feil.json"), "-o", str(out)])
    assert result.exit_code == EXIT_BAD_INPUT and "ukjente felt: vakter" in result.output
    (tmp_path / "fremtid.json").write_text(json.dumps({"carry_in": [
        {"doctor": "lege-hvile", "start": "2027-01-05T08:00", "end": "2027-01-05T16:00", "label": "dag"}]}))
    result = runner.invoke(app, ["carry", str(tmp_path / "januar.yaml"), str(tmp_path / "fremtid.json"), "-o", str(out)])
    assert result.exit_code == EXIT_BAD_INPUT and "carry_in[0].start" in result.output


def test_roster_carry_puts_history_out_only_into_the_period_right_after(december, tmp_path: Path) -> None:
    """December's file in February would claim a January without shifts; in December itself its
    shifts fall inside the period: both are refused in one sentence naming the period that fits."""
    dec, dec_roster = december
    write_history_out(dec, dec_roster, tmp_path / "history_out.json")
    assert json.loads((tmp_path / "history_out.json").read_text())["period_end"] == "2026-12-31"
    out = tmp_path / "ut.json"
    for start, end in (("2027-02-01", "2027-02-28"), ("2026-12-01", "2026-12-31")):
        dump_scenario(_month(start, end), tmp_path / "neste.yaml")
        result = runner.invoke(app, ["carry", str(tmp_path / "neste.yaml"), str(tmp_path / "history_out.json"),
                                     "-o", str(out)])
        assert result.exit_code == EXIT_BAD_INPUT and "1 problem:" in result.output
        assert ("period_end: filen er fra perioden som slutter 31.12.2026 og kan bare føres inn i perioden som "
                f"begynner 01.01.2027; dette scenarioet begynner {dt.date.fromisoformat(start):%d.%m.%Y}"
                ) in " ".join(result.output.split())
    dump_scenario(_month("2027-01-01", "2027-01-31"), tmp_path / "januar.yaml")
    result = runner.invoke(app, ["carry", str(tmp_path / "januar.yaml"), str(tmp_path / "history_out.json"),
                                 "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert load_scenario(out).carry_in_from == dt.date(2026, 12, 25)


def test_roster_carry_leaves_out_a_doctor_who_left_and_says_so(december, tmp_path: Path) -> None:
    """As the web service's carry does: a departure between the months is no error in the file."""
    dec, dec_roster = december
    write_history_out(dec, dec_roster, tmp_path / "history_out.json")
    january = _month("2027-01-01", "2027-01-31").model_dump(mode="json")
    january["doctors"] = [d for d in january["doctors"] if d["id"] != "lege-hvile"]
    dump_scenario(Scenario.model_validate(january), tmp_path / "januar.yaml")
    out = tmp_path / "ut.json"
    result = runner.invoke(app, ["carry", str(tmp_path / "januar.yaml"), str(tmp_path / "history_out.json"),
                                 "-o", str(out)], env={"COLUMNS": "250"})
    assert result.exit_code == EXIT_OK, result.output
    assert (f"1 lege i {tmp_path / 'history_out.json'} er ikke med i scenarioet og er ikke tatt med: lege-hvile."
            in result.output)
    carried = load_scenario(out)
    assert "lege-hvile" not in {h.doctor for h in carried.history} | {c.doctor for c in carried.carry_in}
    assert {c.doctor for c in carried.carry_in} == {f"lege-{rule}" for rule in PLAN} - {"lege-hvile"}


def test_roster_carry_from_the_final_roster_sees_a_hand_edit_made_after_the_solve(december, tmp_path: Path) -> None:
    """history_out.json is the solve's; after a swap the roster as worked is what January must see."""
    dec, dec_roster = december
    write_history_out(dec, dec_roster, tmp_path / "history_out.json")
    swapped = dec_roster.model_copy(update={"assignments": [
        a.model_copy(update={"doctor": "lege-søndagsfri" if a.doctor == "lege-hvile" else "lege-hvile"})
        if a.doctor in ("lege-hvile", "lege-søndagsfri") else a for a in dec_roster.assignments]})
    (tmp_path / "roster.json").write_text(swapped.model_dump_json(), encoding="utf-8")
    dump_scenario(dec, tmp_path / "desember.yaml")
    dump_scenario(_month("2027-01-01", "2027-01-31"), tmp_path / "januar.yaml")
    out = tmp_path / "ut.json"
    result = runner.invoke(app, ["carry", str(tmp_path / "januar.yaml"), str(tmp_path / "roster.json"),
                                 "--forrige", str(tmp_path / "desember.yaml"), "-o", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    carried = load_scenario(out)
    expected = Scenario.model_validate({**_month("2027-01-01", "2027-01-31").model_dump(mode="json"),
                                        **next_period(dec, swapped)})
    assert carried == expected
    assert {c.doctor for c in carried.carry_in if c.start == dt.datetime(2026, 12, 31, 23, 0)} == {
        "lege-søndagsfri", "lege-netter", "lege-rekkefølge"}  # not lege-hvile, as history_out.json says
    dump_scenario(_month("2027-02-01", "2027-02-28"), tmp_path / "februar.yaml")
    result = runner.invoke(app, ["carry", str(tmp_path / "februar.yaml"), str(tmp_path / "roster.json"),
                                 "--forrige", str(tmp_path / "desember.yaml"), "-o", str(out)])
    assert result.exit_code == EXIT_BAD_INPUT and "kan bare føres inn i perioden som begynner 01.01.2027" in (
        " ".join(result.output.split()))


def test_the_workbook_carries_the_same_and_reads_it_back(december, tmp_path: Path) -> None:
    """The roster workbook's «… ut» sheets have the template's columns; a template filled from the
    carried scenario reads back to the same scenario."""
    dec, dec_roster = december
    write_roster_workbook(dec, dec_roster, tmp_path / "desember.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "desember.xlsx")
    assert {"Historikk ut", "Tidligere vakter ut", "Høytidsvakter ut"} <= set(wb.sheetnames)
    shifts = [row for row in wb["Tidligere vakter ut"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(shifts) == sum(len(p[1]) for p in PLAN.values())
    january = Scenario.model_validate({**_month("2027-01-01", "2027-01-31").model_dump(mode="json"),
                                       **next_period(dec, dec_roster),
                                       "supervision_days": [{"doctor": "lege-hvile", "date": "2027-01-12"}]})
    write_template(tmp_path / "januar.xlsx", january)
    assert read_scenario_workbook(tmp_path / "januar.xlsx") == january


def test_a_carried_shift_typed_without_a_time_is_refused_by_cell(tmp_path: Path) -> None:
    from roster.input_errors import InputError

    january = _month("2027-01-01", "2027-01-31", carry_in=[
        {"doctor": "lege-hvile", "start": "2026-12-31T23:00", "end": "2027-01-01T08:00", "label": "natt"}])
    path = tmp_path / "januar.xlsx"
    write_template(path, january)
    wb = openpyxl.load_workbook(path)
    wb["Tidligere vakter"]["B2"] = "31.12.2026"
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_scenario_workbook(path)
    assert info.value.problems == [
        "Tidligere vakter!B2: ventet dato og klokkeslett (dd.mm.åååå tt:mm), fikk «31.12.2026»"]
