"""One name per objective term: the solver's figures, the summary, the workbook's Sammendrag and
the settings list all take it from ``roster.terms.TERM_NAMES``; and one way to count a noun, for
the command line, the explanations and the pages alike."""

from __future__ import annotations

from pathlib import Path

import pytest
import openpyxl
from jinja2 import Environment
from factories import doctor, scenario, template

from api.templating import install_filters
from roster.excel import read_scenario_workbook, write_roster_workbook, write_template
from roster.excel.schema import SETTINGS
from roster.models import ObjectiveWeights
from roster.output import render_text, terms_table
from roster.terms import OPEN_PLACES, TERM_NAMES, count, count_doctors, count_shifts, decimal, number, open_places
from solver import solve

WEIGHTS = [s for s in SETTINGS if s.path[:2] == ("rules", "weights")]


def _solved():
    sc = scenario("2026-12-01", "2026-12-02", [template("dag", "08:00", "16:00", demand_min=2, demand_max=2)],
                  [doctor("a"), doctor("b", max_shifts=1)], wishes=[{"doctor": "a", "date": "2026-12-02", "wants": False}])
    return sc, solve(sc, time_limit=5, workers=1)


def test_every_weight_has_one_name_in_field_order() -> None:
    assert list(TERM_NAMES) == list(ObjectiveWeights.model_fields)


def test_the_settings_list_names_each_weight_by_its_term() -> None:
    assert {s.path[-1]: s.label for s in WEIGHTS} == {k: f"Vekt: {v}" for k, v in TERM_NAMES.items()}


def test_solver_summary_and_workbook_use_the_same_names(tmp_path: Path) -> None:
    sc, roster = _solved()
    assert roster.stats.terms and set(roster.stats.terms) <= set(TERM_NAMES.values())
    assert roster.stats.terms[OPEN_PLACES] == 100_000  # b may take one of the two days
    summary = render_text([terms_table(roster)])
    assert all(name in summary for name in roster.stats.terms)
    path = tmp_path / "vaktplan.xlsx"
    write_roster_workbook(sc, roster, path)
    column = {c.value for c in openpyxl.load_workbook(path)["Sammendrag"]["A"]}
    assert set(roster.stats.terms) <= column


def test_a_workbook_with_the_earlier_weight_labels_still_reads(tmp_path: Path) -> None:
    sc, _ = _solved()
    path = tmp_path / "plan.xlsx"
    write_template(path, sc.model_copy(update={"rules": sc.rules.model_copy(update={
        "weights": ObjectiveWeights(open_slot=7, wish=3)})}))
    wb = openpyxl.load_workbook(path)
    ws = wb["Periode og regler"]
    renamed = 0
    for row in ws.iter_rows(min_col=1, max_col=1):
        setting = next((s for s in WEIGHTS if s.label == row[0].value), None)
        if setting is not None and setting.aliases:  # a term added later has no earlier label
            row[0].value = setting.aliases[-1]
            renamed += 1
    wb.save(path)
    assert renamed == len([s for s in WEIGHTS if s.aliases])
    weights = read_scenario_workbook(path).rules.weights
    assert (weights.open_slot, weights.wish) == (7, 3)


def test_a_count_takes_its_noun_in_the_number_norwegian_wants() -> None:
    assert [count_shifts(n) for n in (0, 1, 2)] == ["0 vakter", "1 vakt", "2 vakter"]
    assert [count_doctors(n) for n in (1, 3)] == ["1 lege", "3 leger"]
    assert count(1, "helg", "helger") == "1 helg" and open_places(1) == "1 ubesatt plass"


def test_the_pages_count_with_the_same_words() -> None:
    env = Environment()
    install_filters(env)
    page = env.from_string("{{ 1|counted('vakt', 'vakter') }}, {{ 1|open_places }}; {{ 2|open_places }}").render()
    assert page == "1 vakt, 1 ubesatt plass; 2 ubesatte plasser"


def test_the_pages_round_a_figure_as_the_terminal_and_the_workbook() -> None:
    env = Environment()
    install_filters(env)
    page = env.from_string("{{ 3.25|num }} {{ -0.04|num }} {{ 1234.5|num(0) }} {{ 0.03125|pct(1) }}").render()
    assert page == f"{decimal(3.25)} 0,0 1 235 3,1 %" == "3,3 0,0 1 235 3,1 %"


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (10_000_000.0, 2, "10 000 000"),
    (12.5, 2, "12,5"),
    (0.1234, 2, "0,12"),
    (-3, 2, "-3"),
    (-0.001, 2, "0"),
    (1234.5678, 1, "1 234,6"),
    (7, 0, "7"),
    (0.125, 2, "0,13"),
    (float("inf"), 1, "inf"),
    (2**63 - 1, 2, "9 223 372 036 854 775 807"),  # exact, not through a float
])
def test_number_as_norwegian_text_writes_it(value, decimals, text):
    assert number(value, decimals) == text


@pytest.mark.parametrize("value, decimals, signed, text", [
    (12.5, 2, False, "12,50"),
    (0.9, 1, False, "0,9"),
    (3, 1, True, "+3,0"),
    (-0.25, 2, True, "-0,25"),
    (None, 1, False, "–"),
    (3.25, 1, False, "3,3"),  # a half rounds away from zero, as Excel's number format shows the cell
    (-3.25, 1, True, "-3,3"),
    (2.675, 2, False, "2,68"),  # the number as written, not its binary 2.67499…
    (-0.04, 1, True, "+0,0"),  # rounds to zero: no minus sign
])
def test_a_figure_in_a_column_keeps_its_decimals_with_a_comma(value, decimals, signed, text):
    assert decimal(value, decimals, signed) == text


def test_the_summary_and_the_csv_write_decimal_commas(tmp_path: Path) -> None:
    from rich.console import Console

    from roster.models import Assignment, Roster, SolveStats, SolveStatus
    from roster.output import status_table, write_roster_csv

    s = scenario("2026-12-01", "2026-12-01", [template("kveld", "16:00", "23:30")], [doctor("a")])
    roster = Roster(scenario=s.name, period=s.period,
                    assignments=[Assignment(doctor="a", template="kveld", date=s.period.start)],
                    stats=SolveStats(status=SolveStatus.FEASIBLE, wall_time=12.25, gap=0.009, objective=10, bound=9))
    console = Console(width=200, record=True)
    console.print(status_table(s, roster))
    text = console.export_text()
    assert "0,90 %" in text and "12,3 s" in text and "0.90" not in text
    path = tmp_path / "roster.csv"
    write_roster_csv(s, roster, path)
    assert '"7,5"' in path.read_text(encoding="utf-8-sig")


def test_a_figure_that_rounds_to_zero_has_no_minus_sign():
    assert decimal(-0.04, 1) == "0,0" and decimal(-0.0, 2) == "0,00" and decimal(-0.06, 1) == "-0,1"
