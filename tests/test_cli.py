"""The ``roster`` command line end to end on tiny scenarios: exit codes, files, messages."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from factories import doctor, scenario, station, template
from typer.testing import CliRunner

from api.cli import app
from api.cli.common import EXIT_BAD_INPUT, EXIT_NO_ROSTER, EXIT_OK, EXIT_VIOLATIONS
from roster.check import check_roster
from roster.models import Assignment, Roster, Scenario
from roster.output import CSV_HEADER, OPEN_SLOT_NAME
from roster.scenario_io import dump_scenario, load_roster

runner = CliRunner()
FAST = ["--time-limit", "5", "--workers", "1"]


def tiny(demand: int = 1, doctors: int = 3) -> Scenario:
    """Three days of one day shift at a clinic, with a specialist bakvakt while it is open."""
    return scenario(
        "2026-12-01", "2026-12-03",
        [template("dag", "08:00", "16:00", demand_min=demand, demand_max=demand, min_qualified=1),
         template("bak", "08:00", "16:00", station="BAK", duty="bakvakt", label="bakvakt", min_qualified=0)],
        [doctor(f"d{i}", name=f"Lege {i}") for i in range(doctors)]
        + [doctor("s", name="Spesialist", role="spesialist", can_bakvakt=True, stations=["BAK"])],
        stations=[station("BLV", name="Bergen legevakt"), station("BAK", kind="fjernvakt", name="Bakvakt")],
    )


def write(tmp_path: Path, s: Scenario, name: str = "scenario.yaml") -> Path:
    p = tmp_path / name
    dump_scenario(s, p)
    return p


def test_solve_writes_every_file_and_the_roster_passes_the_checker(tmp_path):
    s = tiny()
    out = tmp_path / "ut"
    result = runner.invoke(app, ["solve", str(write(tmp_path, s)), "-o", str(out), *FAST])
    assert result.exit_code == EXIT_OK, result.output
    for name in ("roster.json", "roster.csv", "summary.txt", "history_out.json"):
        assert (out / name).is_file(), name
    roster = load_roster(s, out / "roster.json")
    assert check_roster(s, roster) == []
    assert len(roster.assignments) == 6
    with (out / "roster.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0] == CSV_HEADER
    assert len(rows) == 1 + 6
    assert rows[1][:7] == ["2026-12-01", "tirsdag", "Bakvakt", "bakvakt", "2026-12-01 08:00", "2026-12-01 16:00", "8"]
    history = json.loads((out / "history_out.json").read_text(encoding="utf-8"))["history"]
    assert sum(h["shifts"] for h in history) == 6
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "Ubesatte plasser" in summary and "Per lege" in summary and "Lege 2" in summary
    assert "Status" in result.output and "optimal" in result.output


def test_solve_can_start_from_an_earlier_roster(tmp_path):
    s = tiny()
    first, second = tmp_path / "1", tmp_path / "2"
    scenario_file = str(write(tmp_path, s))
    assert runner.invoke(app, ["solve", scenario_file, "-o", str(first), *FAST]).exit_code == EXIT_OK
    result = runner.invoke(app, ["solve", scenario_file, "-o", str(second), "--hint", str(first / "roster.json"), *FAST])
    assert result.exit_code == EXIT_OK, result.output
    assert check_roster(s, load_roster(s, second / "roster.json")) == []
    bad = runner.invoke(app, ["solve", scenario_file, "-o", str(second), "--hint", str(tmp_path / "nei.json")])
    assert bad.exit_code == EXIT_BAD_INPUT and "finner ikke filen" in bad.output


def test_open_slots_are_listed_prominently_and_exported(tmp_path):
    s = tiny(demand=2, doctors=1)  # one doctor for two places a day
    out = tmp_path / "ut"
    result = runner.invoke(app, ["solve", str(write(tmp_path, s)), "-o", str(out), *FAST])
    assert result.exit_code == EXIT_OK, result.output
    assert "UBESATTE PLASSER" in result.output
    roster = load_roster(s, out / "roster.json")
    assert sum(o.missing for o in roster.open_slots) == 3
    with (out / "roster.csv").open(encoding="utf-8-sig") as f:
        names = [row[-1] for row in csv.reader(f, delimiter=";")]
    assert names.count(OPEN_SLOT_NAME) == 3


def test_a_check_of_declared_open_places_says_publishable_only_without_strict(tmp_path):
    s = tiny(demand=2, doctors=1)
    out = tmp_path / "ut"
    assert runner.invoke(app, ["solve", str(write(tmp_path, s)), "-o", str(out), *FAST]).exit_code == EXIT_OK
    args = ["check", str(tmp_path / "scenario.yaml"), str(out / "roster.json")]
    lenient, strict = runner.invoke(app, args), runner.invoke(app, [*args, "--strict"])
    assert lenient.exit_code == EXIT_OK and "den kan publiseres" in " ".join(lenient.output.split())
    assert strict.exit_code == EXIT_VIOLATIONS and "den kan publiseres" not in " ".join(strict.output.split())
    assert "med --strict er også de brudd" in " ".join(strict.output.split())


def test_strict_infeasible_finds_no_roster_and_writes_nothing(tmp_path):
    s = tiny(demand=2, doctors=1)
    out = tmp_path / "ut"
    result = runner.invoke(app, ["solve", str(write(tmp_path, s)), "-o", str(out), "--strict", *FAST])
    assert result.exit_code == EXIT_NO_ROSTER, result.output
    assert "Fant ingen vaktplan" in result.output
    assert not out.exists()


def test_an_impossible_plan_is_explained_without_strict_too(tmp_path):
    """Open places cannot absorb a doctor's minimum of shifts that their own cap on hours forbids:
    the solve finds no roster, and says why rather than only that."""
    s = tiny(doctors=1)
    s = s.model_copy(update={"doctors": [s.doctors[0].model_copy(update={"min_shifts": 2, "max_hours": 1}), *s.doctors[1:]]})
    result = runner.invoke(app, ["solve", str(write(tmp_path, s)), "-o", str(tmp_path / "ut"), *FAST])
    assert result.exit_code == EXIT_NO_ROSTER, result.output
    assert "Lege 0 skal ha minst 2 vakter i perioden" in " ".join(result.output.split())


def test_bad_input_lists_every_problem_in_norwegian_without_traceback(tmp_path):
    raw = tiny().model_dump(mode="json")
    raw["doctors"][0]["role"] = "kirurg"
    raw["doctors"][1]["share"] = -1
    p = tmp_path / "feil.json"
    p.write_text(json.dumps(raw), encoding="utf-8")
    result = runner.invoke(app, ["solve", str(p), "-o", str(tmp_path / "ut")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Feil i inndata" in result.output
    assert "doctors[0].role: ugyldig verdi «kirurg»" in result.output
    assert "doctors[1].share: må være minst 0 (fikk -1)" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_output_path_that_is_a_file_is_bad_input(tmp_path):
    taken = tmp_path / "ut"
    taken.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["solve", str(write(tmp_path, tiny())), "-o", str(taken), *FAST], env={"COLUMNS": "250"})
    assert result.exit_code == EXIT_BAD_INPUT
    assert "kan ikke lage mappen: finnes fra før og er ikke en mappe" in result.output
    assert "Traceback" not in result.output


def test_a_result_that_cannot_be_written_leaves_the_older_result_as_it_was(tmp_path):
    """roster.xlsx is a folder: nothing of the new result is written, the old files stay byte for
    byte, and the message is Norwegian and names the file."""
    path = write(tmp_path, tiny())
    out = tmp_path / "ut"
    assert runner.invoke(app, ["solve", str(path), "-o", str(out), *FAST]).exit_code == EXIT_OK
    (out / "roster.xlsx").unlink()
    (out / "roster.xlsx").mkdir()
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = runner.invoke(app, ["solve", str(write(tmp_path, tiny(demand=2, doctors=1), "annen.yaml")), "-o", str(out),
                                 "--explain-time", "0", *FAST], env={"COLUMNS": "250"})
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"{out / 'roster.xlsx'}: 1 problem" in result.output
    assert "kan ikke skrive filen: er en mappe; ingen filer er endret" in result.output
    assert "Is a directory" not in result.output and "Traceback" not in result.output
    assert "Løser" not in result.output  # seen before the search, not after it
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_disk_full_while_writing_the_workbook_leaves_the_older_result_as_it_was(tmp_path, monkeypatch):
    import errno

    import roster.output

    path = write(tmp_path, tiny())
    out = tmp_path / "ut"
    assert runner.invoke(app, ["solve", str(path), "-o", str(out), *FAST]).exit_code == EXIT_OK
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def disk_full(scenario: Scenario, roster: Roster, p: Path) -> None:
        p.write_bytes(b"PK halv")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(roster.output, "write_roster_workbook", disk_full)
    result = runner.invoke(app, ["solve", str(write(tmp_path, tiny(demand=2, doctors=1), "annen.yaml")), "-o", str(out),
                                 "--explain-time", "0", *FAST], env={"COLUMNS": "250"})
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"{out / 'roster.xlsx'}: 1 problem" in result.output and "kan ikke skrive filen: disken er full" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # and no temporary file is left


def test_missing_scenario_file_is_bad_input(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nei.yaml"), str(tmp_path / "roster.json")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "finner ikke filen" in result.output


def test_check_of_a_hand_made_bad_roster_exits_1_and_names_the_rules(tmp_path):
    s = tiny()
    day = dt.date(2026, 12, 1)
    bad = Roster(scenario=s.name, period=s.period, assignments=[
        Assignment(doctor="d0", template="dag", date=day),
        Assignment(doctor="d1", template="dag", date=day),  # one too many
        Assignment(doctor="d0", template="bak", date=day),  # not a bakvakt, and overlapping
    ])
    p = tmp_path / "roster.json"
    p.write_text(bad.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["check", str(write(tmp_path, s)), str(p)])
    assert result.exit_code == EXIT_VIOLATIONS, result.output
    for code in ("bemanning", "bakvakt-evne", "overlapp"):
        assert f"({code})" in result.output


def test_check_of_a_good_roster_exits_0(tmp_path):
    s = tiny()
    days = [dt.date(2026, 12, d) for d in (1, 2, 3)]
    good = Roster(scenario=s.name, period=s.period, assignments=[
        a for i, day in enumerate(days)
        for a in (Assignment(doctor=f"d{i}", template="dag", date=day), Assignment(doctor="s", template="bak", date=day))
    ])
    p = tmp_path / "roster.json"
    p.write_text(good.model_dump_json(), encoding="utf-8")
    result = runner.invoke(app, ["check", str(write(tmp_path, s)), str(p)])
    assert result.exit_code == EXIT_OK, result.output
    assert "Ingen brudd på harde regler." in result.output


def test_check_report_and_hint_refuse_a_roster_of_another_period_but_check_lists_unknown_doctors(tmp_path):
    s = tiny()
    plan = str(write(tmp_path, s))
    week_before = s.period.model_copy(update={"start": dt.date(2026, 11, 24), "end": dt.date(2026, 11, 26)})
    other = tmp_path / "november.json"
    other.write_text(Roster(scenario="november", period=week_before, assignments=[
        Assignment(doctor="d0", template="dag", date=dt.date(2026, 11, 24))]).model_dump_json(), encoding="utf-8")
    wide = {"COLUMNS": "250"}
    for args in (["check", plan, str(other)], ["report", str(other), "--scenario", plan, "-o", str(tmp_path / "r.html")],
                 ["solve", plan, "-o", str(tmp_path / "ut"), "--hint", str(other), *FAST]):
        result = runner.invoke(app, args, env=wide)
        assert result.exit_code == EXIT_BAD_INPUT, (args[0], result.output)
        assert f"{other}: 1 problem" in result.output, args[0]
        assert "period: vaktplanen gjelder 24.11.2026–26.11.2026, scenarioet 01.12.2026–03.12.2026" in result.output
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "ut").exists()
    # Of the period, with one doctor the scenario does not have: the checker's finding, exit 1.
    partly = tmp_path / "roster.json"
    partly.write_text(Roster(scenario=s.name, period=s.period, assignments=[
        Assignment(doctor="d0", template="dag", date=dt.date(2026, 12, 1)),
        Assignment(doctor="borte", template="dag", date=dt.date(2026, 12, 2)),
    ]).model_dump_json(), encoding="utf-8")
    checked = runner.invoke(app, ["check", plan, str(partly)], env=wide)
    assert checked.exit_code == EXIT_VIOLATIONS, checked.output
    assert "(ukjent-vakt)" in checked.output and "Ukjent lege «borte»" in checked.output


def test_solve_refuses_to_write_a_roster_the_checker_rejects(tmp_path, monkeypatch):
    """Solver and checker disagreeing is a bug: nothing is published, exit 1."""
    import solver

    s = tiny()

    def broken_solve(scenario: Scenario, **_: object) -> Roster:
        return Roster(scenario=scenario.name, period=scenario.period,
                      assignments=[Assignment(doctor="d0", template="dag", date=dt.date(2026, 12, 1))])

    monkeypatch.setattr(solver, "solve", broken_solve)
    out = tmp_path / "ut"
    result = runner.invoke(app, ["solve", str(write(tmp_path, s)), "-o", str(out)])
    assert result.exit_code == EXIT_VIOLATIONS
    assert "programfeil" in result.output
    assert not out.exists()


@pytest.mark.skipif(importlib.util.find_spec("roster.excel") is None, reason="Excel module not installed")
def test_out_ending_in_xlsx_writes_the_workbook_there_and_check_reads_it_back(tmp_path):
    s = tiny()
    book = tmp_path / "plan" / "desember.xlsx"
    result = runner.invoke(app, ["solve", str(write(tmp_path, s, "s.json")), "-o", str(book), *FAST])
    assert result.exit_code == EXIT_OK, result.output
    assert book.is_file()
    assert (book.parent / "roster.json").is_file() and not (book.parent / "roster.xlsx").exists()
    # the workbook is also a roster the checker reads back
    checked = runner.invoke(app, ["check", str(tmp_path / "s.json"), str(book)])
    assert checked.exit_code == EXIT_OK, checked.output


def test_help_documents_the_exit_codes():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "Avslutningskoder" in result.output and "3 = ingen vaktplan funnet" in result.output


def test_open_slots_come_with_an_explanation_in_every_output(tmp_path):
    s = tiny(demand=2, doctors=1)
    out = tmp_path / "ut"
    result = runner.invoke(app, ["solve", str(write(tmp_path, s)), "-o", str(out), *FAST])
    assert result.exit_code == EXIT_OK, result.output
    assert "Hvorfor ikke alle vakter kan fylles" in result.output
    roster = load_roster(s, out / "roster.json")
    assert roster.explanation is not None and roster.explanation.status == "konflikter"
    first = roster.explanation.clashes[0]
    assert "Dag Bergen legevakt 01.12 08:00–16:00 krever 2 leger" in first.summary
    assert first.fixes == ["Senk bemanningen på Dag Bergen legevakt 01.12 08:00–16:00 fra 2 til 1"]
    assert "Dag Bergen legevakt 01.12 08:00–16:00 krever 2 leger" in (out / "summary.txt").read_text(encoding="utf-8")
    import openpyxl

    missing = openpyxl.load_workbook(out / "roster.xlsx")["Mangler"]
    cells = [c.value for row in missing.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Hvorfor vaktene ikke kan fylles" in cells
    assert any("Senk bemanningen på Dag Bergen legevakt 01.12" in c for c in cells)


def test_strict_infeasible_is_explained_and_explain_exits_by_outcome(tmp_path):
    s = tiny(demand=2, doctors=1)
    path = write(tmp_path, s)
    result = runner.invoke(app, ["solve", str(path), "-o", str(tmp_path / "ut"), "--strict", *FAST])
    assert result.exit_code == EXIT_NO_ROSTER
    assert "Ingen fullstendig vaktplan er mulig. Fant 3 konflikter mellom krav" in result.output
    explained = runner.invoke(app, ["explain", str(path), "--time-limit", "10"])
    assert explained.exit_code == EXIT_VIOLATIONS and "Senk bemanningen" in explained.output
    fine = runner.invoke(app, ["explain", str(write(tmp_path, tiny(), "ok.yaml")), "--time-limit", "10"])
    assert fine.exit_code == EXIT_OK and "En fullstendig vaktplan er mulig" in fine.output


def test_names_with_brackets_are_printed_as_typed_by_solve_and_replan(tmp_path):
    """Names are the manager's text, never rich markup: «[/]» once stopped the solve after the
    search with a MarkupError, and «[vikar]» vanished from the summary."""
    base = tiny(demand=2, doctors=1).model_dump(mode="json")  # open places, so the station is listed
    base["name"] = "Desember [/] plan"
    base["doctors"][0]["name"] = "Ola Hansen [vikar]"
    base["stations"][0]["name"] = "Bergen [b]legevakt[/b] :sun:"
    s = Scenario.model_validate(base)
    path = write(tmp_path, s)
    wide = {"COLUMNS": "250"}
    result = runner.invoke(app, ["solve", str(path), "-o", str(tmp_path / "ut"), "--explain-time", "0", *FAST],
                           env=wide)
    assert result.exit_code == EXIT_OK, result.output
    summary = (tmp_path / "ut" / "summary.txt").read_text(encoding="utf-8")
    for shown in (result.output, summary):
        assert "Vaktplan for Desember [/] plan" in shown
        assert "Bergen [b]legevakt[/b] :sun:" in shown  # the open places' station
    assert "Ola Hansen [vikar]" in summary

    (tmp_path / "syk.yaml").write_text(
        "now: 2026-11-30T12:00\nabsences:\n  - {doctor: d0, start: 2026-12-02, end: 2026-12-02}\n", encoding="utf-8")
    replanned = runner.invoke(app, ["replan", str(path), "--roster", str(tmp_path / "ut" / "roster.json"),
                                    "--change", str(tmp_path / "syk.yaml"), "-o", str(tmp_path / "ny"), *FAST],
                              env=wide)
    assert replanned.exit_code == EXIT_OK, replanned.output
    assert "Vaktplan for Desember [/] plan" in replanned.output
    assert "Ola Hansen [vikar]" in (tmp_path / "ny" / "summary.txt").read_text(encoding="utf-8")


def test_emoji_codes_in_user_text_are_printed_as_typed(tmp_path):
    missing = tmp_path / "plan:sun:.yaml"
    result = runner.invoke(app, ["precheck", str(missing)], env={"COLUMNS": "250"})
    assert result.exit_code == EXIT_BAD_INPUT
    assert "plan:sun:.yaml" in result.output and "☀" not in result.output


def test_template_to_a_folder_is_a_norwegian_error_and_missing_folders_are_made(tmp_path):
    (tmp_path / "mappe.xlsx").mkdir()
    result = runner.invoke(app, ["template", str(tmp_path / "mappe.xlsx")], env={"COLUMNS": "250"})
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"{tmp_path / 'mappe.xlsx'}: 1 problem" in result.output and "kan ikke skrive filen: er en mappe" in result.output
    assert "Traceback" not in result.output
    new = tmp_path / "ny" / "mappe" / "mal.xlsx"
    assert runner.invoke(app, ["template", str(new)]).exit_code == EXIT_OK and new.is_file()


def test_carry_writes_into_a_new_folder_and_names_a_folder_it_cannot_make(tmp_path):
    path = write(tmp_path, tiny())
    out = tmp_path / "ut"
    assert runner.invoke(app, ["solve", str(path), "-o", str(out), *FAST]).exit_code == EXIT_OK
    later = tiny().model_dump(mode="json")
    later["period"] = {"start": "2026-12-04", "end": "2026-12-06"}
    next_path = write(tmp_path, Scenario.model_validate(later), "neste.yaml")
    carried = tmp_path / "neste" / "januar.yaml"
    result = runner.invoke(app, ["carry", str(next_path), str(out / "history_out.json"), "-o", str(carried)])
    assert result.exit_code == EXIT_OK, result.output
    assert carried.is_file()
    blocked = runner.invoke(app, ["carry", str(next_path), str(out / "history_out.json"), "-o",
                                  str(out / "roster.csv" / "januar.yaml")], env={"COLUMNS": "250"})
    assert blocked.exit_code == EXIT_BAD_INPUT, blocked.output
    assert "kan ikke lage mappen" in blocked.output and "Traceback" not in blocked.output


def test_no_command_writes_over_its_own_input(tmp_path):
    """``roster solve plan.xlsx -o plan.xlsx`` replaced the manager's workbook with the roster."""
    wide = {"COLUMNS": "250"}
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["template", str(plan), "--from", str(write(tmp_path, tiny()))]).exit_code == EXIT_OK
    original = plan.read_bytes()
    result = runner.invoke(app, ["solve", str(plan), "-o", str(plan), *FAST], env=wide)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"er inndatafilen {plan} og skrives ikke over" in result.output and "Løser" not in result.output
    assert plan.read_bytes() == original

    out = tmp_path / "ut"
    assert runner.invoke(app, ["solve", str(plan), "-o", str(out), *FAST]).exit_code == EXIT_OK
    hinted = runner.invoke(app, ["solve", str(plan), "-o", str(out), "--hint", str(out / "roster.json"), *FAST], env=wide)
    assert hinted.exit_code == EXIT_BAD_INPUT and f"er inndatafilen {out / 'roster.json'}" in hinted.output
    assert runner.invoke(app, ["solve", str(plan), "-o", str(out), *FAST]).exit_code == EXIT_OK  # its own output: fine

    (tmp_path / "syk.yaml").write_text("absences:\n  - {doctor: d0, start: 2026-12-02, end: 2026-12-02}\n",
                                       encoding="utf-8")
    replanned = runner.invoke(app, ["replan", str(plan), "--roster", str(out / "roster.json"), "--change",
                                    str(tmp_path / "syk.yaml"), "--now", "2026-11-30T12:00", "-o", str(out), *FAST],
                              env=wide)
    assert replanned.exit_code == EXIT_BAD_INPUT and f"er inndatafilen {out / 'roster.json'}" in replanned.output

    carried = runner.invoke(app, ["carry", str(plan), str(out / "history_out.json"), "-o", str(plan)], env=wide)
    assert carried.exit_code == EXIT_BAD_INPUT and f"er inndatafilen {plan}" in carried.output
    report = runner.invoke(app, ["report", str(out / "roster.json"), "-s", str(plan), "-o", str(tmp_path / "plan.html")],
                           env=wide)
    assert report.exit_code == EXIT_BAD_INPUT and f"er inndatafilen {plan}" in report.output  # the default --xlsx
    same = runner.invoke(app, ["report", str(out / "roster.json"), "-s", str(plan), "-o", str(tmp_path / "r.xlsx")],
                         env=wide)
    assert same.exit_code == EXIT_BAD_INPUT and "kan ikke være samme fil" in same.output
    assert plan.read_bytes() == original


def test_template_replaces_an_existing_workbook_only_when_asked(tmp_path):
    wide = {"COLUMNS": "250"}
    plan = tmp_path / "plan.xlsx"
    assert runner.invoke(app, ["template", str(plan), "--from", str(write(tmp_path, tiny()))]).exit_code == EXIT_OK
    filled = plan.read_bytes()
    result = runner.invoke(app, ["template", str(plan)], env=wide)
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"{plan}: 1 problem" in result.output and "finnes fra før; bruk --overskriv" in result.output
    assert plan.read_bytes() == filled
    itself = runner.invoke(app, ["template", str(plan), "--from", str(plan), "--overskriv"], env=wide)
    assert itself.exit_code == EXIT_BAD_INPUT and "er inndatafilen" in itself.output
    assert plan.read_bytes() == filled
    assert runner.invoke(app, ["template", str(plan), "--overskriv"]).exit_code == EXIT_OK
    assert plan.read_bytes() != filled
    assert "--overskriv" in runner.invoke(app, ["template", "--help"], env=wide).output


def test_replan_names_the_change_file_in_its_problems_and_its_file_types(tmp_path):
    wide = {"COLUMNS": "250"}
    path = write(tmp_path, tiny())
    out = tmp_path / "ut"
    assert runner.invoke(app, ["solve", str(path), "-o", str(out), *FAST]).exit_code == EXIT_OK
    base = ["replan", str(path), "--roster", str(out / "roster.json"), "-o", str(tmp_path / "ny"), *FAST]
    unknown = tmp_path / "endring.yaml"
    unknown.write_text("absences:\n  - {doctor: ola, start: 2026-12-02, end: 2026-12-02}\n", encoding="utf-8")
    result = runner.invoke(app, [*base, "--change", str(unknown)], env=wide)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"Feil i inndata {unknown}: 1 problem:" in result.output
    assert "absences[0].doctor: lege «ola» finnes ikke" in result.output
    past = tmp_path / "fest.yaml"
    past.write_text("now: 2026-12-02T12:00\npins:\n  - {doctor: d2, date: 2026-12-01, template: dag}\n", encoding="utf-8")
    result = runner.invoke(app, [*base, "--change", str(past)], env=wide)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"Feil i inndata {past}: 1 problem:" in result.output and "pins[0]: vakten dag 01.12.2026 begynte" in result.output
    stranger = json.loads((out / "roster.json").read_text(encoding="utf-8"))
    stranger["assignments"][0]["doctor"] = "ola"
    (tmp_path / "fremmed.json").write_text(json.dumps(stranger), encoding="utf-8")
    result = runner.invoke(app, ["replan", str(path), "--roster", str(tmp_path / "fremmed.json"), "--change", str(past),
                                 "-o", str(tmp_path / "ny"), *FAST], env=wide)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"Feil i inndata {tmp_path / 'fremmed.json'}: 1 problem:" in result.output
    assert "assignments[0].doctor: lege «ola» finnes ikke i scenarioet" in result.output
    for suffix in (".txt", ".xlsx"):
        other = unknown.with_suffix(suffix)
        other.write_text("absences: []\n", encoding="utf-8")
        result = runner.invoke(app, [*base, "--change", str(other)], env=wide)
        assert result.exit_code == EXIT_BAD_INPUT
        assert f"ukjent filtype «{suffix}»; bruk .json eller .yaml" in result.output
