"""The hand-made greedy roster, the comparison report (HTML, xlsx, text), rule sets and the CLI."""

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from factories import doctor, scenario, template
from api.cli import app
from roster.greedy import NO_ONE_FREE, greedy_roster
from roster.models import Assignment, OpenSlot, Roster, SolveStats, SolveStatus
from roster.report.build import HIGHER, LOWER, Row, check_view, summary_rows, unlike
from roster.report.pages import pages
from roster.report.html import render_html
from roster.report.rulesets import RuleSet, apply_rule_set, load_rule_set
from roster.report.text import text_summary
from roster.report.xlsx import write_xlsx
from roster.scenario_io import InputError, dump_scenario

BERGEN = Path(__file__).resolve().parents[1] / "examples" / "bergen"
START = dt.date(2026, 11, 2)  # a Monday


def _two_weeks(**kw):
    return scenario(
        START, START + dt.timedelta(days=13),
        [template("kveld", "16:00", "23:00"), template("natt", "23:00", "08:00")],
        [doctor(c) for c in "abcdef"],
        rules={"max_shifts_per_7_days": 3, **kw.pop("rules", {})},
        **kw,
    )


def _rotation(sc):
    """Evenly rotated roster: each day's two shifts go to the next two doctors in turn."""
    ids = [d.id for d in sc.doctors]
    return Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=ids[(2 * i + k) % len(ids)], template=t, date=day)
        for i, day in enumerate(sc.period.days()) for k, t in enumerate(("kveld", "natt"))
    ])


@pytest.fixture(scope="module")
def views():
    # a bakvakt rota nobody can take: both rosters leave its hours uncovered, so each has violations
    sc = _two_weeks()
    rota = sc.templates[1].model_copy(update={"id": "bak", "label": "bakvakt", "duty": "bakvakt", "demand_min": 0,
                                               "min_qualified": 0})
    sc = sc.model_copy(update={"templates": [*sc.templates, rota],
                               "rules": sc.rules.model_copy(update={"specialist_bakvakt": True})})
    return [check_view("Håndlaget", sc, greedy_roster(sc)), check_view("Rotasjon", sc, _rotation(sc))]


# ----------------------------------------------------------------------------- greedy roster


def test_greedy_asks_doctors_in_list_order():
    sc = _two_weeks()
    first_day = [a for a in greedy_roster(sc).assignments if a.date == START]
    assert [(a.template, a.doctor) for a in first_day] == [("kveld", "a"), ("natt", "b")]


def test_greedy_respects_absence_weekly_cap_and_rest():
    sc = _two_weeks(absences=[{"doctor": "a", "start": str(START), "end": str(START)}])
    r = greedy_roster(sc)
    mine = [a for a in r.assignments if a.doctor == "a"]
    assert START not in [a.date for a in mine]
    # b takes the first evening (ends 23:00) and so cannot take the night (starts 23:00): c does
    first_day = [(a.template, a.doctor) for a in r.assignments if a.date == START]
    assert first_day == [("kveld", "b"), ("natt", "c")]
    for d in "abcdef":
        days = [a.date for a in r.assignments if a.doctor == d]
        assert all(sum(0 <= (x - day).days < 7 for x in days) <= 3 for day in days)


def test_greedy_respects_the_rest_rule():
    def next_evening(rest_hours):
        sc = scenario(START, START + dt.timedelta(days=1),
                      [template("kveld", "16:00", "23:00"), template("natt", "23:00", "08:00")],
                      [doctor("a"), doctor("b"), doctor("c")],
                      rules={"rest_hours_self_employed": rest_hours},
                      absences=[{"doctor": "a", "start": str(START + dt.timedelta(days=1)), "end": str(START + dt.timedelta(days=1))}])
        r = greedy_roster(sc)
        assert ("b", "natt", START) in [(a.doctor, a.template, a.date) for a in r.assignments]
        return next(a.doctor for a in r.assignments if a.template == "kveld" and a.date > START)

    assert next_evening(8) == "b"  # night ends 08:00, evening starts 16:00: exactly 8 h off
    assert next_evening(9) == "c"


def test_greedy_puts_a_qualified_doctor_first_and_declares_open_slots():
    sc = scenario(START, START, [template("kveld", "16:00", "23:00", demand_min=2, demand_max=2, min_qualified=1)],
                  [doctor("alis", qualified=False), doctor("q")])
    r = greedy_roster(sc)
    assert [a.doctor for a in r.assignments] == ["q", "alis"]
    sc = scenario(START, START, [template("kveld", "16:00", "23:00", demand_min=2, demand_max=2)], [doctor("a")])
    r = greedy_roster(sc)
    assert [(o.template, o.missing, o.reason) for o in r.open_slots] == [("kveld", 1, NO_ONE_FREE)]


def test_greedy_roster_is_less_fair_than_a_rotation(views):
    greedy, rotation = (v.everyone for v in views)
    assert greedy.gini > rotation.gini
    assert greedy.spread > rotation.spread


# ----------------------------------------------------------------------------- summary rows


def test_row_verdict_follows_direction_and_rounding():
    gini = Row("Gini", "", [0.30, 0.20, 0.3001], LOWER, 3)
    assert [gini.verdict(i) for i in range(3)] == ["", "bedre", ""]
    assert gini.delta(1) == "-0,100" and gini.delta(2) == ""
    jain = Row("Jain", "", [0.8, 0.7], HIGHER, 2)
    assert jain.verdict(1) == "dårligere"
    neutral = Row("Median", "", [1.0, 1.2], None, 2)
    assert neutral.verdict(1) == "" and neutral.differs()
    assert Row("x", "", [None, 2.0], LOWER).verdict(1) == ""


def test_summary_rows_side_by_side(views):
    rows = {r.name: r for r in summary_rows(views)}
    assert rows["Tildelte vakter"].values == [28, 28]
    assert rows["Gini"].verdict(1) == "bedre"
    assert rows["Jain"].verdict(1) == "bedre"
    assert rows["Ubesatte plasser"].values == [0, 0]


def test_unfilled_places_and_hours_without_bakvakt_are_the_checker_s_declared_or_not(views):
    """A hand-made roster that leaves a place empty without saying so does not look better than one
    that says so; neither roster of ``views`` declares the bakvakt hours nobody can take."""
    rows = {r.name: r for r in summary_rows(views)}
    assert rows["Timer uten bakvakt"].values == [224.0, 224.0]  # 16:00–08:00 on 14 days, no bakvakt
    sc = scenario(START, START, [template("kveld", "16:00", "23:00")], [doctor("a")])
    silent = Roster(scenario=sc.name, period=sc.period)
    declared = Roster(scenario=sc.name, period=sc.period, open_slots=[OpenSlot(template="kveld", date=START, missing=1)])
    rows = {r.name: r for r in summary_rows([check_view("Stille", sc, silent), check_view("Meldt", sc, declared)])}
    assert rows["Ubesatte plasser"].values == [1, 1] and rows["Ubesatte plasser"].verdict(1) == ""
    assert rows["Regelbrudd"].values == [1, 0]


def test_a_rule_set_without_a_roster_gets_no_figures_but_a_note(views, tmp_path):
    sc = views[1].scenario
    none = Roster(scenario=sc.name, period=sc.period,
                  stats=SolveStats(status=SolveStatus.INFEASIBLE, seed=0, workers=1, time_limit=5))
    compared = [views[1], check_view("Strengere", sc, none)]
    rows = summary_rows(compared)
    assert all(r.values[1] is None and r.verdict(1) == "" for r in rows)
    assert "«Strengere» har ingen vaktplan (løseren fant ingen, status: umulig); tallene står som –." in unlike(compared)
    html = render_html(compared)
    assert "ingen vaktplan" in html.split("<h2>Sammendrag")[0]
    assert "Gini" in text_summary(compared)
    write_xlsx(compared, tmp_path / "r.xlsx")


def test_the_solver_s_status_is_shown_in_norwegian(views):
    sc = views[0].scenario
    solved = _rotation(sc).model_copy(update={"stats": SolveStats(status=SolveStatus.FEASIBLE, seed=0, workers=1,
                                                                      time_limit=5)})
    html = render_html([views[0], check_view("Løst", sc, solved)])
    assert "optimering (gyldig)" in html and "feasible" not in html


def test_an_empty_hand_made_roster_is_not_the_fairest():
    """Nobody carrying anything is no even share: Gini and Jain are undefined, the places unfilled."""
    sc = _two_weeks()
    rows = {r.name: r for r in summary_rows([check_view("Rotasjon", sc, _rotation(sc)),
                                             check_view("Tom", sc, Roster(scenario=sc.name, period=sc.period))])}
    assert rows["Gini"].values[1] is None and rows["Jain"].values[1] is None
    assert rows["Ubesatte plasser"].values == [0, 28] and rows["Ubesatte plasser"].verdict(1) == "dårligere"


def test_different_burden_weights_are_noted():
    sc = _two_weeks()
    heavy = sc.model_copy(update={"rules": sc.rules.model_copy(update={
        "burden": sc.rules.burden.model_copy(update={"weekday_night": 3.0})})})
    notes = unlike([check_view("Nå", sc, _rotation(sc)), check_view("Tunge netter", heavy, _rotation(heavy))])
    assert any(n.startswith("Belastningsvektene er ulike") for n in notes)
    assert not unlike([check_view("Nå", sc, _rotation(sc)), check_view("Igjen", sc, _rotation(sc))])


def test_only_the_cells_that_differ_from_the_first_roster_are_marked():
    row = Row("Tildelte vakter", "", [14, 14, 0], None)
    html = pages.get_template("_rows.html.j2").module.rows_table([row], ["A", "B", "C"])
    cells = re.findall(r'<td class="([^"]*)">(\d+)', str(html))
    assert [(c.strip(), v) for c, v in cells] == [("", "14"), ("", "14"), ("differs", "0")]


# ----------------------------------------------------------------------------- outputs


def test_html_is_self_contained_norwegian_and_lists_violations(views):
    html = render_html(views)
    assert html.count("<svg") == 4  # burden (one figure, a panel per roster), nights, weekends, frequency
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?:""", html)
    for heading in ("Sammendrag", "Rettferdighet per gruppe", "Rettferdighet per fordelingsgruppe",
                    "Mål per lege: nominelt og etter kapasitet", "Belastning mot mål per lege", "Vakthyppighet",
                    "Regelbrudd (uavhengig kontroll)", "Løserens sammendrag"):
        assert heading in html
    message = views[0].unexpected[0].message
    assert message.split("(")[0].strip() in html.replace("&#39;", "'")



def test_the_report_shows_who_repeats_a_holiday_and_counts_the_repeats():
    """Christmas Eve to Anne (who had Christmas last year) in one roster, to Bjørn in the other."""
    sc = scenario("2026-12-24", "2026-12-24", [template("kveld", "16:00", "23:00")], [doctor("anne"), doctor("bjorn")],
                  holiday_ledger=[{"doctor": "anne", "date": "2025-12-25"}])
    views = [check_view(label, sc, Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=who, template="kveld", date=dt.date(2026, 12, 24))]))
        for label, who in (("Anne", "anne"), ("Bjørn", "bjorn"))]
    assert {r.name: r for r in summary_rows(views)}["Samme høytid som i fjor"].values == [1, 0]
    section = render_html(views).split('id="hoytider"')[1].split("</div>\n</div>")[0]
    anne, bjorn = section.split("<h3>")[1:]
    assert re.search(r"jul 2026</td><td class=\"name\">Anne</td><td>1</td>\s*<td class=\"name\"><span class=\"bad\">ja", anne)
    assert re.search(r"jul 2026</td><td class=\"name\">Bjorn</td><td>1</td>\s*<td class=\"name\">nei", bjorn)

def test_xlsx_has_the_tables_and_marks_differences(views, tmp_path):
    path = write_xlsx(views, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Sammendrag", "Grupper", "Fordelingsgrupper", "Leger", "Regelbrudd"]
    ws = wb["Sammendrag"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Måltall", "Håndlaget", "Rotasjon"]
    gini_row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Gini")
    assert gini_row[2].fill.fgColor.rgb.endswith("D4EFDF")  # better: green
    assert wb["Leger"].max_row == 1 + 2 * 6
    leger = wb["Leger"]
    column = [c.value for c in leger[1]].index("Avvik fra mål")
    assert {row[column].number_format for row in leger.iter_rows(min_row=2)} == {"0.0 %"}  # as in the HTML


def test_xlsx_shows_each_figure_with_the_decimals_of_the_html(views, tmp_path):
    """A count reads «7», not «7,000», and the spread «0,35» as in the HTML; the cell keeps every digit."""
    wb = openpyxl.load_workbook(write_xlsx(views, tmp_path / "r.xlsx"))
    shown = {r[0].value: (r[1].number_format, r[1].value) for r in wb["Sammendrag"].iter_rows(min_row=2)}
    assert shown["Tildelte vakter"][0] == "0" and shown["Timer uten bakvakt"][0] == "0.0"
    assert shown["Spenn"][0] == "0.00" and shown["Gini"][0] == "0.000"
    assert shown["Spenn"][1] == pytest.approx(views[0].everyone.spread)
    grupper = wb["Grupper"]
    formats = {c.value: grupper.cell(2, c.column).number_format for c in grupper[1]}
    assert (formats["Leger"], formats["Spenn"], formats["Gini"]) == ("0", "0.00", "0.000")


def test_charts_write_numbers_with_a_decimal_comma_and_count_whole_doctors(views):
    """The axes read as the tables do («1,25», not «1.25»), and a count axis has no «0.25 leger»."""
    from roster.report import charts

    def ticks(svg: str) -> list[str]:
        return re.findall(r"<text[^>]*>([-−\d.,]+)</text>", svg)

    burden = ticks(charts.burden_chart(views))
    assert any("," in t for t in burden) and not any("." in t for t in burden)
    for svg in (charts.nights_chart(views), charts.weekends_chart(views), charts.frequency_chart(views)):
        assert ticks(svg) and all(t.lstrip("−-").isdigit() for t in ticks(svg))


def test_the_frequency_chart_shows_each_rule_set_s_spacing_target(views):
    """roster compare of a rule set that moves spacing_target_days: the chart showed only the
    first roster's target, as if it held for both."""
    from roster.report import charts

    sc = views[1].scenario
    seven = check_view("Sju", sc.model_copy(update={"rules": sc.rules.model_copy(update={"spacing_target_days": 7})}),
                       views[1].roster)
    assert sc.rules.spacing_target_days != 7
    svg = charts.frequency_chart([views[1], seven])
    assert f"mål for Rotasjon: minst {sc.rules.spacing_target_days} dager" in svg and "mål for Sju: minst 7 dager" in svg
    assert "mål: minst" in charts.frequency_chart(views) and "mål for" not in charts.frequency_chart(views)


def test_text_summary_marks_better_and_worse(views):
    text = text_summary(views)
    gini_line = next(line for line in text.splitlines() if line.startswith("Gini"))
    assert gini_line.rstrip().endswith("+")
    assert "Håndlaget" in text.splitlines()[0]


# ----------------------------------------------------------------------------- rule sets


def test_rule_set_merges_rules_and_changes_templates():
    sc = _two_weeks(pins=[{"doctor": "a", "date": str(START), "template": "natt"}])
    rs = RuleSet.model_validate({
        "rules": {"max_consecutive_nights": 2, "burden": {"weekday_night": 1.6}},
        "templates": [{"id": "natt", "enabled": False}, {"station": "BLV", "label": "kveld", "demand_min": 2, "demand_max": 2}],
    })
    out = apply_rule_set(sc, rs)
    assert out.rules.max_consecutive_nights == 2
    assert out.rules.burden.weekday_night == 1.6 and out.rules.burden.weekend_night == 1.8
    assert out.rules.max_shifts_per_7_days == 3  # untouched rules keep the scenario's value
    assert [(t.id, t.demand_min) for t in out.templates] == [("kveld", 2)]
    assert out.pins == []
    assert sc.rules.max_consecutive_nights == 3  # the original is not changed


def test_rule_set_errors_are_norwegian_with_paths(tmp_path):
    sc = _two_weeks()
    with pytest.raises(InputError) as err:
        apply_rule_set(sc, RuleSet.model_validate({"rules": {"max_consecutive_nights": 0, "nattt": 1},
                                                   "templates": [{"id": "finnes-ikke"}]}))
    text = "\n".join(err.value.problems)
    assert "rules.max_consecutive_nights: må være minst 1" in text
    assert "rules.nattt: ukjent felt" in text
    assert "templates[0]: fant ingen vakttype «finnes-ikke»" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text("templates:\n  - station: BLV\n    id: kveld\n", encoding="utf-8")
    with pytest.raises(InputError, match="enten id"):
        load_rule_set(bad)
    bad.write_text("rules: [1\n", encoding="utf-8")
    with pytest.raises(InputError, match="linje"):
        load_rule_set(bad)


def test_rule_set_name_defaults_to_file_name(tmp_path):
    path = tmp_path / "to-netter.yaml"
    path.write_text("rules:\n  max_consecutive_nights: 2\n", encoding="utf-8")
    assert load_rule_set(path).name == "to-netter"


# ----------------------------------------------------------------------------- command line

runner = CliRunner()


def _files(tmp_path, sc, rosters):
    scenario_path = tmp_path / "scenario.yaml"
    dump_scenario(sc, scenario_path)
    paths = []
    for name, r in rosters.items():
        p = tmp_path / f"{name}.json"
        p.write_text(r.model_dump_json(), encoding="utf-8")
        paths.append(str(p))
    return scenario_path, paths


def test_cli_report_writes_html_xlsx_and_prints_summary(tmp_path):
    sc = _two_weeks()
    scenario_path, paths = _files(tmp_path, sc, {"hand": greedy_roster(sc), "rotasjon": _rotation(sc)})
    out = tmp_path / "rapport.html"
    result = runner.invoke(app, ["report", *paths, "--scenario", str(scenario_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and (tmp_path / "rapport.xlsx").exists()
    assert "Gini" in result.output and "rotasjon" in result.output


def test_cli_report_makes_missing_folders_and_refuses_a_folder_it_cannot_make(tmp_path):
    sc = _two_weeks()
    scenario_path, paths = _files(tmp_path, sc, {"hand": greedy_roster(sc)})
    out = tmp_path / "ny" / "r.html"
    result = runner.invoke(app, ["report", *paths, "--scenario", str(scenario_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and (tmp_path / "ny" / "r.xlsx").is_file()
    blocked = runner.invoke(app, ["report", *paths, "--scenario", str(scenario_path), "-o",
                                  str(tmp_path / "hand.json" / "r.html")], env={"COLUMNS": "250"})
    assert blocked.exit_code == 2, blocked.output
    assert f"{tmp_path / 'hand.json'}: 1 problem" in blocked.output and "kan ikke lage mappen" in blocked.output
    assert "Traceback" not in blocked.output


def test_cli_report_reads_roster_workbooks(tmp_path):
    from roster.excel import write_roster_workbook

    sc = _two_weeks()
    scenario_path, _ = _files(tmp_path, sc, {})
    book = tmp_path / "rotasjon.xlsx"
    write_roster_workbook(sc, _rotation(sc), book)
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(book), "--scenario", str(scenario_path), "-o", str(out), "--xlsx", str(tmp_path / "tall.xlsx")])
    assert result.exit_code == 0, result.output
    rows = {r[0].value: r[1].value for r in openpyxl.load_workbook(tmp_path / "tall.xlsx")["Sammendrag"].iter_rows()}
    assert rows["Tildelte vakter"] == 28


def test_cli_report_bad_roster_gives_norwegian_message(tmp_path):
    sc = _two_weeks()
    scenario_path, _ = _files(tmp_path, sc, {})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"scenario": "x", "period": {"start": "2026-11-02"}, "assignments": []}), encoding="utf-8")
    result = runner.invoke(app, ["report", str(broken), "--scenario", str(scenario_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "period.end: mangler" in result.output
    assert "Traceback" not in result.output


def test_cli_compare_solves_each_rule_set(tmp_path):
    sc = scenario(START, START + dt.timedelta(days=6),
                  [template("kveld", "16:00", "23:00"), template("natt", "23:00", "08:00")],
                  [doctor(c) for c in "abcd"])
    scenario_path, _ = _files(tmp_path, sc, {})
    three = tmp_path / "tre.yaml"
    three.write_text("name: Tre netter\nrules:\n  max_consecutive_nights: 3\n", encoding="utf-8")
    no_nights = tmp_path / "uten-natt.yaml"
    no_nights.write_text("templates:\n  - id: natt\n    enabled: false\n", encoding="utf-8")
    out = tmp_path / "sammenligning.html"
    result = runner.invoke(app, ["compare", str(scenario_path), "--rules", str(three), "--rules", str(no_nights),
                                 "-o", str(out), "--time-limit", "5", "--workers", "1"])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Tre netter" in html and "uten-natt" in html
    rows = {r[0].value: [c.value for c in r] for r in openpyxl.load_workbook(tmp_path / "sammenligning.xlsx")["Sammendrag"].iter_rows()}
    assert rows["Tildelte vakter"][1:3] == [14, 7]


def test_cli_compare_with_one_rule_set_compares_against_current_rules(tmp_path):
    sc = scenario(START, START + dt.timedelta(days=2), [template("kveld", "16:00", "23:00")], [doctor("a"), doctor("b")])
    scenario_path, _ = _files(tmp_path, sc, {})
    two = tmp_path / "to.yaml"
    two.write_text("templates:\n  - id: kveld\n    demand_min: 2\n    demand_max: 2\n", encoding="utf-8")
    out = tmp_path / "s.html"
    result = runner.invoke(app, ["compare", str(scenario_path), "-r", str(two), "-o", str(out), "--time-limit", "0.5", "--workers", "1"])
    assert result.exit_code == 0, result.output
    header = [c.value for c in next(openpyxl.load_workbook(tmp_path / "s.xlsx")["Sammendrag"].iter_rows())]
    assert header[1:3] == ["Gjeldende regler", "to"]


def test_cli_report_label_count_must_match(tmp_path):
    sc = _two_weeks()
    scenario_path, paths = _files(tmp_path, sc, {"a": _rotation(sc), "b": _rotation(sc)})
    out = tmp_path / "ny" / "r.html"
    wide = {"COLUMNS": "250"}
    result = runner.invoke(app, ["report", *paths, "--scenario", str(scenario_path), "--label", "bare én", "-o", str(out)],
                           env=wide)
    assert result.exit_code == 2
    assert ("Feil i kommandolinjen: --label er gitt 1 gang, men det er 2 vaktplaner; gi én --label per vaktplan, "
            "eller ingen.") in result.output
    assert "Se «roster report --help» for hjelp." in result.output and "Feil i inndata" not in result.output
    twice = runner.invoke(app, ["report", paths[0], "--scenario", str(scenario_path), "--label", "A", "--label", "B",
                                "-o", str(out)], env=wide)
    assert twice.exit_code == 2 and "--label er gitt 2 ganger, men det er 1 vaktplan;" in twice.output
    assert not out.parent.exists()  # refused before any folder was made


def _header(book, rosters):
    """The names over the rosters' columns of the workbook's Sammendrag."""
    return [c.value for c in next(openpyxl.load_workbook(book)["Sammendrag"].iter_rows())][1:1 + rosters]


def test_cli_report_tells_rosters_of_one_default_name_apart(tmp_path):
    from roster.excel import write_roster_workbook

    sc = _two_weeks()
    scenario_path, _ = _files(tmp_path, sc, {})
    for folder, r in (("d1", greedy_roster(sc)), ("d2", _rotation(sc))):
        (tmp_path / folder / "solved").mkdir(parents=True)
        (tmp_path / folder / "solved" / "roster.json").write_text(r.model_dump_json(), encoding="utf-8")
    (tmp_path / "plan.json").write_text(_rotation(sc).model_dump_json(), encoding="utf-8")
    write_roster_workbook(sc, _rotation(sc), tmp_path / "plan.xlsx")
    cases = {
        ("d1/solved/roster.json", "d2/solved/roster.json"): ["d1/solved", "d2/solved"],  # both were «solved»
        ("plan.json", "plan.xlsx", "d1/solved/roster.json"): ["plan.json", "plan.xlsx", "solved"],
        ("plan.json", "plan.json"): ["plan", "plan (2)"],  # one file twice
    }
    for i, (rosters, names) in enumerate(cases.items()):
        out = tmp_path / f"r{i}.html"
        result = runner.invoke(app, ["report", *(str(tmp_path / r) for r in rosters), "--scenario", str(scenario_path),
                                     "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert _header(out.with_suffix(".xlsx"), len(names)) == names


def test_cli_report_refuses_a_label_given_twice(tmp_path):
    sc = _two_weeks()
    scenario_path, paths = _files(tmp_path, sc, {"a": _rotation(sc), "b": greedy_roster(sc), "c": _rotation(sc)})
    out = tmp_path / "r.html"
    for labels, message in ((["X", "Y", "X"], "--label «X» er gitt mer enn én gang; gi hver vaktplan sitt eget navn."),
                            (["X", "X ", " "], "--label kan ikke være tom.")):
        result = runner.invoke(app, ["report", *paths, "--scenario", str(scenario_path), "-o", str(out),
                                     *(a for label in labels for a in ("--label", label))], env={"COLUMNS": "250"})
        assert result.exit_code == 2, result.output
        assert f"Feil i kommandolinjen: {message}" in result.output
    assert not out.exists()


def test_cli_compare_numbers_rule_sets_of_one_name(tmp_path):
    sc = scenario(START, START + dt.timedelta(days=2), [template("kveld", "16:00", "23:00")], [doctor("a"), doctor("b")])
    scenario_path, _ = _files(tmp_path, sc, {})
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text("name: Gjeldende regler\n", encoding="utf-8")
    out = tmp_path / "s.html"
    result = runner.invoke(app, ["compare", str(scenario_path), "-r", str(tmp_path / "a.yaml"), "-r", str(tmp_path / "b.yaml"),
                                 "-o", str(out), "--time-limit", "0.5", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert _header(tmp_path / "s.xlsx", 2) == ["Gjeldende regler", "Gjeldende regler (2)"]
    alone = runner.invoke(app, ["compare", str(scenario_path), "-r", str(tmp_path / "a.yaml"), "-o", str(out),
                                "--time-limit", "0.5", "--workers", "1"])
    assert alone.exit_code == 0, alone.output  # against the current rules, which have that name too
    assert _header(tmp_path / "s.xlsx", 2) == ["Gjeldende regler", "Gjeldende regler (2)"]


def test_cli_compare_bad_rule_set_exits_2(tmp_path):
    sc = _two_weeks()
    scenario_path, _ = _files(tmp_path, sc, {})
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  max_consecutive_nights: null_er_feil\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", str(scenario_path), "--rules", str(bad), "--time-limit", "1"])
    assert result.exit_code == 2
    assert "rules.max_consecutive_nights" in result.output


# ----------------------------------------------------------------------------- Bergen example and browser


def test_shipped_manual_roster_is_the_greedy_roster_of_the_shipped_scenario():
    from roster.scenario_io import load_roster, load_scenario

    sc = load_scenario(BERGEN / "scenario.yaml")
    shipped = load_roster(sc, BERGEN / "manual_roster.json")
    assert shipped.assignments == greedy_roster(sc).assignments, (
        "scenario.yaml has changed: rebuild with python -m examples.bergen.manual_roster")
    view = check_view("Håndlaget", sc, shipped)
    assert view.everyone.over_target > 10  # deliberately unfair


def test_html_renders_in_headless_chromium(views, tmp_path, chromium):
    page = tmp_path / "rapport.html"
    page.write_text(render_html(views), encoding="utf-8")
    shot = tmp_path / "rapport.png"
    subprocess.run(
        [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--screenshot={shot}", "--window-size=1200,1600",
         page.as_uri()],
        check=True, capture_output=True, timeout=60,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000  # a blank page compresses to a few kB; charts and tables do not


def test_a_report_of_many_rosters_scrolls_its_wide_tables_not_the_page(views, tmp_path, chromium):
    """Four rosters side by side make the per-group table about two windows wide on a laptop: the
    table scrolls inside the page, which keeps its width (the text beside it stays readable)."""
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "rapport.html"
    page_file.write_text(render_html(views * 2), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(page_file.as_uri())
        widest = page.evaluate("Math.max(...[...document.querySelectorAll('table')].map(t => t.scrollWidth))")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    assert widest > 1000  # the comparison really is wider than the window
    assert page_width <= 1000
