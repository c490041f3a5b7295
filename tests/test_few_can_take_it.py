"""Issue 19's proof: when few doctors can take a shift, the pre-solve check, the explanation and
the unfilled place name them, and those who could if one thing changed, with the same reason:
in Python, on the command line, in roster.json and in the workbook's Mangler sheet (the web
roster page: tests/api/test_explanation.py)."""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path

import openpyxl
import pytest
from factories import one_may_work_alone
from typer.testing import CliRunner

from roster.scenario_io import dump_scenario
from solver import solve
from solver.explain import explain
from solver.precheck import precheck

NAMED = ("Bare Kari Nordmann kan ta den; Ola Hansen og Per Olsen (kan ikke gå alene) kunne tatt den om én ting "
         "var annerledes.")
PRECHECK = ("Natt 05.12 Fana legevakt krever 2 leger som kan gå alene; bare 1 av de 7 legene kan ta denne vakten "
            f"(4 går ikke på denne stasjonen og 2 kan ikke gå alene). {NAMED}")
CLASH = f"Natt Fana legevakt 05.12 23:00–08:00 krever 2 leger som kan gå alene. {NAMED}"
FIX = "Godta 1 i stedet for 2 som kan gå alene på Natt Fana legevakt 05.12 23:00–08:00"
OPEN_PLACE = "3 mulige leger: 1 er satt på vakten (Kari Nordmann) og 2 kan ikke gå alene (Ola Hansen og Per Olsen)"
NO_ROSTER, CLASHES = 3, 1  # exit codes (README: Exit codes)


def test_the_precheck_names_who_can_and_who_could() -> None:
    [finding] = precheck(one_may_work_alone())
    assert (finding.kind, finding.shift, finding.message) == ("kompetanse", "FAN-helgnatt/2026-12-05", PRECHECK)


def test_the_explanation_names_them_for_the_one_clash() -> None:
    ex = explain(one_may_work_alone(), time_limit=30)
    assert [c.summary for c in ex.conflicts] == [CLASH]
    assert ex.conflicts[0].fixes[0].text == FIX and ex.verified is True


def test_the_unfilled_place_gives_the_same_reason() -> None:
    roster = solve(one_may_work_alone(), time_limit=10, workers=1)
    assert [(o.template, o.missing, o.reason) for o in roster.open_slots] == [("FAN-helgnatt", 1, OPEN_PLACE)]


# --------------------------------------------------------------------------- the command line


@pytest.fixture
def command():
    """The installed ``roster`` command, wherever the command line lives."""
    (entry,) = entry_points(group="console_scripts", name="roster")
    app = entry.load()
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(app, list(args), env={"COLUMNS": "400"})
        return result.exit_code, " ".join(result.output.split())

    return run


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "fana.yaml"
    dump_scenario(one_may_work_alone(), path)
    return path


def test_precheck_and_explain_on_the_command_line(command, scenario_file: Path) -> None:
    code, out = command("precheck", str(scenario_file))
    assert code == CLASHES and PRECHECK in out
    code, out = command("explain", str(scenario_file), "--time-limit", "30")
    assert code == CLASHES and f"1. {CLASH}" in out and FIX in out


def test_a_strict_solve_without_roster_explains_with_the_names(command, scenario_file: Path, tmp_path: Path) -> None:
    code, out = command("solve", str(scenario_file), "-o", str(tmp_path / "ut"), "--strict", "--time-limit", "10",
                        "--workers", "1")
    assert code == NO_ROSTER and "Fant ingen vaktplan" in out and f"1. {CLASH}" in out
    assert not (tmp_path / "ut").exists()


def test_the_soft_solve_prints_and_stores_the_same_reason(command, scenario_file: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "ut" / "vaktplan.xlsx"
    code, out = command("solve", str(scenario_file), "-o", str(workbook), "--time-limit", "10", "--workers", "1")
    assert code == 0 and OPEN_PLACE in out and f"1. {CLASH}" in out
    stored = json.loads((workbook.parent / "roster.json").read_text(encoding="utf-8"))
    assert [o["reason"] for o in stored["open_slots"]] == [OPEN_PLACE]
    assert [c["summary"] for c in stored["explanation"]["clashes"]] == [CLASH]
    sheet = openpyxl.load_workbook(workbook)["Mangler"]
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert OPEN_PLACE in cells and f"1. {CLASH}" in cells
