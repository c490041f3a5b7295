"""The roster workbook: sheets, shading, open-slot marks, text-only names; reading it back (and a
hand-typed roster) with the cell of every assignment; ``roster check`` naming cells."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from api.cli import app
from roster.check import check_roster
from roster.excel import read_roster_source, read_roster_workbook, write_roster_workbook, write_template
from roster.excel.schema import HISTORY
from roster.excel.writer import HOLIDAY_FILL, OPEN_FILL, OPEN_MARK, WEEKEND_FILL
from roster.models import Assignment, OpenSlot, Roster, Scenario, SolveStats, SolveStatus
from roster.scenario_io import InputError
from tests import factories as f

DAY = "dag 08:00–16:00"


def scenario() -> Scenario:
    """24–27 Dec 2026 (Thu–Sun: Christmas Eve, two holidays, a Sunday) at one station plus a bakvakt
    pair that shares one column (same label and hours, different day types)."""
    return f.scenario(
        "2026-12-24", "2026-12-27",
        [f.template("D", "08:00", "16:00", label="dag", demand_min=2, demand_max=2),
         f.template("N", "23:00", "08:00", label="natt"),
         f.template("BH", "08:00", "16:00", station="BAK", label="bakvakt", duty="bakvakt",
                    day_types=["hverdag"]),
         f.template("BW", "08:00", "16:00", station="BAK", label="bakvakt", duty="bakvakt",
                    day_types=["lørdag", "søndag", "helligdag"])],
        [f.doctor("kari", name="Kari Nordmann"), f.doctor("ola", name="Ola Hansen"),
         f.doctor("evil", name="=HYPERLINK(\"http://x\")"), f.doctor("spes", name="Siri Spesialist",
                                                                       role="spesialist", can_bakvakt=True)],
        stations=[f.station("BLV", name="Bergen legevakt"), f.station("BAK", kind="fjernvakt", name="Bakvakt")],
        history=[{"doctor": "kari", "shifts": 2, "points": 10}],
    )


def roster(s: Scenario) -> Roster:
    a = [Assignment(doctor=d, template=t, date=dt.date(2026, 12, day)) for d, t, day in [
        ("kari", "D", 24), ("ola", "D", 24), ("evil", "D", 25), ("kari", "N", 25), ("ola", "D", 26),
        ("kari", "D", 27), ("evil", "D", 27), ("spes", "BH", 24), ("spes", "BW", 26)]]
    return Roster(scenario=s.name, period=s.period, assignments=a,
                  open_slots=[OpenSlot(template="D", date=dt.date(2026, 12, 25), missing=1,
                                       reason="ingen ledig lege"),
                              OpenSlot(template="D", date=dt.date(2026, 12, 26), missing=1)],
                  stats=SolveStats(status=SolveStatus.FEASIBLE, objective=123.0, bound=100.0, gap=0.19,
                                   wall_time=1.5, seed=7, workers=1, time_limit=5))


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Scenario, Roster, Path]:
    s = scenario()
    r = roster(s)
    path = tmp_path / "roster.xlsx"
    write_roster_workbook(s, r, path)
    return s, r, path


def test_export_has_the_sheets(exported) -> None:
    _, _, path = exported
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Vaktplan Bergen legevakt", "Vaktplan Bakvakt", "Per lege", "Fordeling", "Mangler",
                             "Sammendrag", "Historikk ut", "Tidligere vakter ut", "Høytidsvakter ut"]
    for ws in wb.worksheets:
        assert ws.page_setup.orientation in ("landscape", "portrait")
        assert ws.page_setup.fitToWidth == 1
    assert wb["Per lege"].page_setup.orientation == "landscape"
    assert wb["Vaktplan Bergen legevakt"].page_setup.orientation == "portrait"  # two shift columns
    plan = wb["Vaktplan Bergen legevakt"]
    assert plan.freeze_panes == "D5"
    assert plan.page_setup.fitToHeight == 1  # a month on one page for the wall
    assert plan.sheet_properties.tabColor is not None


def test_vaktplan_shows_names_shading_holidays_and_open_slots(exported) -> None:
    _, _, path = exported
    ws = openpyxl.load_workbook(path)["Vaktplan Bergen legevakt"]
    assert [c.value for c in ws[4]][:5] == ["Dato", "Ukedag", "Helligdag", DAY, "natt 23:00–08:00"]
    rows = {ws.cell(r, 1).value.date(): r for r in range(5, 9)}
    r24, r25, r26, r27 = (rows[dt.date(2026, 12, d)] for d in (24, 25, 26, 27))
    assert ws.cell(r24, 4).value == "Kari Nordmann\nOla Hansen"
    assert ws.cell(r24, 3).value == "Julaften"
    assert ws.cell(r25, 3).value == "Første juledag"
    assert ws.cell(r25, 2).value == "Fredag"
    assert ws.cell(r25, 4).value == f"=HYPERLINK(\"http://x\")\n{OPEN_MARK}"
    assert ws.cell(r25, 4).fill.fgColor.rgb.endswith(OPEN_FILL.fgColor.rgb[-6:])
    assert ws.cell(r24, 1).fill.fgColor.rgb.endswith(HOLIDAY_FILL.fgColor.rgb[-6:])
    assert ws.cell(r27, 1).fill.fgColor.rgb.endswith(WEEKEND_FILL.fgColor.rgb[-6:])  # a plain Sunday
    assert ws.cell(r27, 3).value is None
    bak = openpyxl.load_workbook(path)["Vaktplan Bakvakt"]
    assert [c.value for c in bak[4]][3:] == ["bakvakt 08:00–16:00"]  # weekday and weekend share a column


def test_names_that_look_like_formulas_are_text(exported) -> None:
    _, _, path = exported
    wb = openpyxl.load_workbook(path)
    per = wb["Per lege"]
    cell = next(per.cell(r, 1) for r in range(5, 9) if str(per.cell(r, 1).value).startswith("="))
    assert cell.data_type == "s"
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_per_lege_fordeling_summary_and_history(exported) -> None:
    s, r, path = exported
    wb = openpyxl.load_workbook(path)
    per = wb["Per lege"]
    header = [c.value for c in per[4]]
    assert header[:2] == ["Lege", "Rolle"] and header[2].date() == dt.date(2026, 12, 24)
    kari = next(row for row in per.iter_rows(min_row=5, values_only=True) if row[0] == "Kari Nordmann")
    assert kari[2:6] == ("D", "N", None, "D")
    assert kari[6] == 3  # Vakter
    fordeling = wb["Fordeling"]
    headers = [c.value for c in fordeling[4]]
    kari_f = dict(zip(headers, next(row for row in fordeling.iter_rows(min_row=5, values_only=True)
                                    if row[0] == "Kari Nordmann")))
    assert kari_f["Vakter"] == 3 and kari_f["Netter"] == 1 and kari_f["Historikk poeng"] == 10
    assert kari_f["Mål"] > 0 and isinstance(kari_f["Nominelt mål"], float)
    assert isinstance(kari_f["Mål etter kapasitet"], float) and isinstance(kari_f["Avvik per andel"], float)
    summary = {row[0]: row[1] for row in wb["Sammendrag"].iter_rows(values_only=True) if row[0]}
    assert summary["Status"].startswith("gyldig") and summary["Frø (seed)"] == 7 and summary["Gap"] == 0.19
    assert summary["Ubesatte plasser"] == 2 and "Maks netter på rad" in summary
    missing = wb["Mangler"]
    assert [c.value for c in missing[4]][3:7] == ["dag", "08:00–16:00", 1, "ingen ledig lege"]
    hist = wb["Historikk ut"]
    assert [c.value for c in hist[1]] == [c.header for c in HISTORY.columns]
    kari_h = next(row for row in hist.iter_rows(min_row=2, values_only=True) if row[0] == "kari")
    assert kari_h[1] == 5 and kari_h[7] == 1  # 2 earlier + 3 now; one period


def test_the_history_sheet_is_history_out_from_the_workbooks_one_fairness_plan(exported, tmp_path: Path,
                                                                              monkeypatch) -> None:
    """The Historikk ut sheet reuses the Fordeling sheet's metrics: a second fairness plan cost the
    Bergen workbook 0.4 s."""
    import roster.metrics
    from roster.metrics import history_out

    s, r, path = exported
    expected = [[getattr(h, c.field[0]) for c in HISTORY.columns] for h in history_out(s, r)]
    plans = []
    real = roster.metrics.fairness_plan
    monkeypatch.setattr(roster.metrics, "fairness_plan", lambda *a, **k: plans.append(a) or real(*a, **k))
    again = tmp_path / "igjen.xlsx"
    write_roster_workbook(s, r, again)
    assert len(plans) == 1
    rows = [list(row) for row in openpyxl.load_workbook(again)["Historikk ut"].iter_rows(min_row=2, values_only=True)]
    assert rows == [[round(v, 2) if i in (2, 6) else v for i, v in enumerate(row)] for row in expected]
    assert rows == [list(row) for row in openpyxl.load_workbook(path)["Historikk ut"].iter_rows(min_row=2,
                                                                                                  values_only=True)]


def test_history_out_pastes_into_next_template(exported, tmp_path: Path) -> None:
    s, _, path = exported
    hist = openpyxl.load_workbook(path)["Historikk ut"]
    template = tmp_path / "neste.xlsx"
    write_template(template, s)
    wb = openpyxl.load_workbook(template)
    for row in hist.iter_rows():
        for c in row:
            wb["Historikk"].cell(c.row, c.column, c.value)
    wb.save(template)
    from roster.excel import read_scenario_workbook

    assert {h.doctor: h.shifts for h in read_scenario_workbook(template).history} == {
        "kari": 5, "ola": 2, "evil": 2, "spes": 2}


def test_roster_round_trip_gives_the_same_assignments_and_open_slots(exported) -> None:
    s, r, path = exported
    back = read_roster_workbook(s, path)
    assert sorted(back.assignments, key=str) == sorted(r.assignments, key=str)
    assert [(o.template, o.date, o.missing) for o in back.open_slots] == [
        (o.template, o.date, o.missing) for o in r.open_slots]


def test_stations_whose_names_share_the_first_30_characters_get_short_unique_sheets_read_back(tmp_path: Path) -> None:
    s = scenario()
    long_names = {"BLV": "Bergen kommunale legevakt sentrum hovedstasjon",
                  "BAK": "Bergen kommunale legevakt sentrum bakvakt"}
    s = s.model_copy(update={"stations": [st.model_copy(update={"name": long_names[st.id]}) for st in s.stations]})
    r = roster(s)
    path = tmp_path / "roster.xlsx"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_roster_workbook(s, r, path)
    assert [str(w.message) for w in caught] == []
    plans = [t for t in openpyxl.load_workbook(path).sheetnames if t.startswith("Vaktplan")]
    assert plans == ["Vaktplan Bergen kommunale legev", "Vaktplan Bergen kommunale l (2)"]
    back = read_roster_workbook(s, path)
    assert sorted(back.assignments, key=str) == sorted(r.assignments, key=str)


def test_a_vaktplan_sheet_renamed_by_hand_is_matched_by_its_title_in_a1(exported, tmp_path: Path) -> None:
    s, r, path = exported
    wb = openpyxl.load_workbook(path)
    wb["Vaktplan Bergen legevakt"].title = "Vaktplan sentrum"
    del wb["Per lege"]
    renamed = tmp_path / "renamed.xlsx"
    wb.save(renamed)
    back = read_roster_workbook(s, renamed)
    assert sorted(back.assignments, key=str) == sorted(r.assignments, key=str)


def test_per_lege_alone_round_trips(exported) -> None:
    s, r, path = exported
    wb = openpyxl.load_workbook(path)
    for title in ("Vaktplan Bergen legevakt", "Vaktplan Bakvakt"):
        del wb[title]
    wb.save(path)
    assert sorted(read_roster_workbook(s, path).assignments, key=str) == sorted(r.assignments, key=str)


def test_cells_of_checker_violations(exported) -> None:
    s, _, path = exported
    wb = openpyxl.load_workbook(path)
    wb["Vaktplan Bergen legevakt"]["E7"] = "kari nordmann"  # natt 26.12 23–08, then her dag 27.12 at 08
    del wb["Per lege"]  # edited in Vaktplan only
    wb.save(path)
    source = read_roster_source(s, path)
    found = {(v.rule, v.message.split(": ")[0]) for v in source.annotate(check_roster(s, source.roster))}
    assert ("hvile", "Vaktplan Bergen legevakt!D8") in found  # the shift that starts too early
    assert ("bemanning", "Vaktplan Bergen legevakt!E5") in found  # an empty natt cell on 24.12


def hand_made(tmp_path: Path, rows: list[list[object]], title: str = "Vaktplan BLV") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    path = tmp_path / "manuell.xlsx"
    wb.save(path)
    return path


def test_hand_typed_vaktplan_is_read(tmp_path: Path) -> None:
    s = scenario()
    path = hand_made(tmp_path, [
        ["Vaktplan desember"],
        ["Dato", "Dag", "natt", "D"],
        ["24.12.2026", "torsdag", "ola hansen", "Kari Nordmann; OLA"],
        [None],
        [dt.date(2026, 12, 25), "fredag", " Kari  Nordmann ", "ledig x2"],
        ["Merknad: ring vakttelefonen"],
    ])
    back = read_roster_workbook(s, path)
    assert sorted((a.doctor, a.template, a.date.day) for a in back.assignments) == [
        ("kari", "D", 24), ("kari", "N", 25), ("ola", "D", 24), ("ola", "N", 24)]
    assert [(o.template, o.missing) for o in back.open_slots] == [("D", 2)]


def test_more_open_places_on_a_shift_than_any_shift_holds_is_an_error_with_its_cell(tmp_path: Path) -> None:
    path = hand_made(tmp_path, [
        ["Dato", "Dag", "natt", "D"],
        ["24.12.2026", "torsdag", "ola\nubesatt x1000", "ubesatt x60\nledig x41"],
        ["25.12.2026", "fredag", "ubesatt x100", None],
    ])
    with pytest.raises(InputError) as info:
        read_roster_workbook(scenario(), path)
    assert info.value.problems == ["Vaktplan BLV!C2: høyst 100 ubesatte plasser på én vakt (fikk 1000)",
                                   "Vaktplan BLV!D2: høyst 100 ubesatte plasser på én vakt (fikk 101)"]


def test_hand_typed_per_lege_with_day_numbers(tmp_path: Path) -> None:
    s = scenario()
    path = hand_made(tmp_path, [["Navn", 24, 25, 26], ["ola", "D", "", "n"], ["Siri Spesialist", "BH", "", "BW"]],
                     title="Per lege")
    back = read_roster_workbook(s, path)
    assert sorted((a.doctor, a.template, a.date.day) for a in back.assignments) == [
        ("ola", "D", 24), ("ola", "N", 26), ("spes", "BH", 24), ("spes", "BW", 26)]


def test_unknown_names_shifts_and_dates_in_a_hand_made_roster_are_errors_with_cells(tmp_path: Path) -> None:
    s = scenario()
    path = hand_made(tmp_path, [
        ["Dato", "Dag", "natt", "morgen"],
        ["24.12.2026", "torsdag", "Per Olsen", "Kari"],
        ["31.12.2026", "torsdag", "Kari", None],
        ["33.12.2026", "søndag", None, None],
    ])
    with pytest.raises(InputError) as info:
        read_roster_workbook(s, path)
    assert info.value.problems == [
        "Vaktplan BLV!D1: ukjent vakttype «morgen»; skriv vakttypens ID eller betegnelse fra arket Vakttyper",
        "Vaktplan BLV!C2: ukjent lege «Per Olsen»; skriv navnet eller ID-en fra arket Leger",
        "Vaktplan BLV!A3: 31.12.2026 er utenfor perioden 24.12.2026–27.12.2026",
        "Vaktplan BLV!A4: «33.12.2026» er ingen gyldig dato",
    ]


def test_ambiguous_name_asks_for_the_id(tmp_path: Path) -> None:
    s = scenario()
    s.doctors[1].name = "Kari Nordmann"
    path = hand_made(tmp_path, [["Dato", "natt"], ["24.12.2026", "Kari Nordmann"]])
    with pytest.raises(InputError) as info:
        read_roster_workbook(s, path)
    assert info.value.problems == ["Vaktplan BLV!B2: navnet «Kari Nordmann» passer på flere leger; bruk legens ID"]


def test_workbook_without_a_roster_sheet_is_refused(tmp_path: Path) -> None:
    path = hand_made(tmp_path, [["hei"]], title="Ark1")
    with pytest.raises(InputError) as info:
        read_roster_workbook(scenario(), path)
    assert info.value.problems == ["fant verken ark som heter «Vaktplan …» eller arket «Per lege»"]


def test_cli_template_and_check_name_cells(tmp_path: Path) -> None:
    s = scenario()
    runner = CliRunner()
    scenario_json = tmp_path / "s.json"
    scenario_json.write_text(s.model_dump_json(), encoding="utf-8")
    workbook = tmp_path / "s.xlsx"
    result = runner.invoke(app, ["template", str(workbook), "--from", str(scenario_json)])
    assert result.exit_code == 0, result.output
    manual = hand_made(tmp_path, [["Dato", "natt", "dag 08:00–16:00"], ["26.12.2026", "Kari Nordmann", "Ola Hansen"],
                                  ["27.12.2026", None, "Kari Nordmann"]], title="Vaktplan Bergen legevakt")
    result = runner.invoke(app, ["check", str(workbook), str(manual)])
    assert result.exit_code == 1
    assert "Vaktplan Bergen legevakt!C3: " in result.output  # Kari's dag right after her natt


def test_end_to_end_template_solve_export_read_check(tmp_path: Path) -> None:
    """A manager's path: filled template → solve → printed workbook → read back → checker finds
    nothing the roster does not declare."""
    from roster.check import unexpected_violations
    from roster.excel import read_scenario_workbook
    from solver import solve

    s = f.scenario("2026-12-01", "2026-12-04", [f.template("D", "08:00", "16:00", label="dag"),
                                                 f.template("K", "16:00", "23:00", label="kveld")],
                   [f.doctor("a", name="Anne"), f.doctor("b", name="Bjørn"), f.doctor("c", name="Cecilie")])
    workbook = tmp_path / "scenario.xlsx"
    write_template(workbook, s)
    s = read_scenario_workbook(workbook)
    r = solve(s, time_limit=5, workers=1)
    assert r.assignments
    out = tmp_path / "roster.xlsx"
    write_roster_workbook(s, r, out)
    back = read_roster_workbook(s, out)
    assert sorted(back.assignments, key=str) == sorted(r.assignments, key=str)
    assert unexpected_violations(s, back) == []


def test_cli_solve_accepts_a_workbook_and_writes_one(tmp_path: Path) -> None:
    s = f.scenario("2026-12-01", "2026-12-03", [f.template("D", "08:00", "16:00", label="dag")],
                   [f.doctor("a", name="Anne"), f.doctor("b", name="Bjørn")])
    workbook = tmp_path / "plan.xlsx"
    write_template(workbook, s)
    out = tmp_path / "ut" / "desember.xlsx"
    result = CliRunner().invoke(app, ["solve", str(workbook), "-o", str(out), "--time-limit", "3", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames[0] == "Vaktplan BLV"
    solved = Roster.model_validate_json((out.parent / "roster.json").read_text(encoding="utf-8"))
    back = read_roster_workbook(s, out)
    assert solved.assignments and sorted(back.assignments, key=str) == sorted(solved.assignments, key=str)
    assert back.open_slots == [o.model_copy(update={"reason": "oppgitt som ubesatt plass i arbeidsboken"})
                               for o in solved.open_slots]
    # no bakvakt template, so the pilot's rule is off (specialist_bakvakt): no hour is listed without one
    assert back.uncovered_bakvakt == solved.uncovered_bakvakt == []


def test_cli_template_with_a_broken_scenario_names_the_cell(tmp_path: Path) -> None:
    workbook = tmp_path / "plan.xlsx"
    write_template(workbook, scenario())
    wb = openpyxl.load_workbook(workbook)
    wb["Leger"]["C2"] = "lege"
    wb.save(workbook)
    result = CliRunner().invoke(app, ["template", str(tmp_path / "ny.xlsx"), "--from", str(workbook)])
    assert result.exit_code == 2
    assert "Leger!C2: ukjent rolle «lege»" in result.output


def test_vaktplan_and_per_lege_that_disagree_are_reported(exported) -> None:
    s, _, path = exported
    wb = openpyxl.load_workbook(path)
    per = wb["Per lege"]
    ola = next(r for r in range(5, 9) if per.cell(r, 1).value == "Ola Hansen")
    per.cell(ola, 6).value = "N"  # 27.12: edited in Per lege only
    wb.save(path)
    with pytest.raises(InputError) as info:
        read_roster_workbook(s, path)
    assert info.value.problems == [
        f"Per lege!F{ola}: Ola Hansen på N 27.12.2026 står ikke i Vaktplan-arkene",
        "Vaktplan-arkene og arket «Per lege» viser ulike vakter: rett opp, eller slett det arket som ikke gjelder",
    ]


def test_summary_gap_is_a_percent_number_and_rules_without_a_value_are_not_ingen(tmp_path: Path) -> None:
    """A gap of 17 significant digits was stored as text (Excel keeps 15), so its percent format
    did nothing; a setting with no value that «ingen» cannot be typed into (Tidligere vakter
    komplette fra) read «ingen»."""
    s = scenario()
    r = roster(s)
    r = r.model_copy(update={"stats": r.stats.model_copy(update={"gap": 0.0028089887640449437})})
    write_roster_workbook(s, r, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["Sammendrag"]
    cells = {row[0].value: row[1] for row in ws.iter_rows() if row[0].value}
    assert cells["Gap"].value == pytest.approx(0.002809) and cells["Gap"].number_format == "0.00 %"
    assert cells["Tidligere vakter komplette fra"].value == "–"
    assert cells["Maks vakter per 7 dager"].value == "ingen"  # switched off in this scenario: it can be typed
