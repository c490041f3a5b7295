"""One word for an unfilled place in every output; the Fordeling sheet's deviations as numbers; the
printed workbook's header and footer; doctors' phone and e-mail; the comparison report's notes on
unlike rosters, its ranking of the most loaded and its colouring of only what matters."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import openpyxl
import pytest

from factories import doctor, scenario, template
from roster.excel import read_roster_workbook, read_scenario_workbook, write_roster_workbook, write_template
from roster.excel.writer import Edition, build_roster_workbook
from roster.metrics import doctor_metrics, moved
from roster.models import Assignment, History, OpenSlot, Roster
from roster.output import csv_rows
from roster.report import html as report_html
from roster.report.build import LOWER, Row, check_view, most_loaded, summary_rows, unlike
from roster.scenario_io import InputError, scenario_from_data
from roster.terms import OPEN_MARK, OPEN_PLACES, open_places, weight_label

START = dt.date(2026, 11, 2)  # a Monday


def _week(**kw):
    return scenario(START, START + dt.timedelta(days=6),
                    [template("kveld", "16:00", "23:00"), template("natt", "23:00", "08:00")],
                    [doctor(c, name=f"Lege {c.upper()}") for c in "abcdefg"], **kw)


def _uneven(sc, skip: str | None = None):
    """Each day's two shifts to doctors in turn, heaviest first; ``skip`` leaves one shift open."""
    ids = [d.id for d in sc.doctors]
    out = []
    for i, day in enumerate(sc.period.days()):
        for k, t in enumerate(("kveld", "natt")):
            if skip == f"{t}/{day}":
                continue
            out.append(Assignment(doctor=ids[(i + k) % 3], template=t, date=day))
    open_slots = [OpenSlot(template=skip.split("/")[0], date=dt.date.fromisoformat(skip.split("/")[1]), missing=1)] \
        if skip else []
    return Roster(scenario=sc.name, period=sc.period, assignments=out, open_slots=open_slots)


# ----------------------------------------------------------------------------- one word


def test_open_places_wording():
    assert open_places(1) == "1 ubesatt plass" and open_places(3) == "3 ubesatte plasser"


def test_csv_and_workbook_mark_unfilled_places_with_the_same_word(tmp_path):
    sc = _week()
    roster = _uneven(sc, skip=f"natt/{START}")
    names = [row[-1] for row in csv_rows(sc, roster)]
    assert names.count(OPEN_MARK) == 1 and OPEN_MARK == "UBESATT"
    path = tmp_path / "v.xlsx"
    write_roster_workbook(sc, roster, path)
    wb = openpyxl.load_workbook(path)
    cells = [c.value for row in wb["Vaktplan BLV"].iter_rows() for c in row if isinstance(c.value, str)]
    assert OPEN_MARK in cells and not any("LEDIG" in c for c in cells)
    assert wb["Mangler"]["A1"].value == "Ubesatte plasser"
    summary = {r[0].value: r[1].value for r in wb["Sammendrag"].iter_rows() if r[0].value}
    assert summary["Ubesatte plasser"] == 1
    # read back: the new mark, like the old one, is an unfilled place
    back = read_roster_workbook(sc, path)
    assert [(o.template, o.date, o.missing) for o in back.open_slots] == [("natt", START, 1)]


def test_no_user_facing_text_calls_an_unfilled_place_an_open_shift():
    """The program's text (code, pages, report templates) says «ubesatt plass»; the old marks are
    only named where readers accept them for compatibility (``OLD_OPEN_MARKS``)."""
    root = Path(__file__).resolve().parents[1]
    old = re.compile(r"åpne vakt|åpen vakt|åpne plass", re.IGNORECASE)
    found = [f"{path.relative_to(root)}:{n}" for folder in ("api", "roster", "solver", "examples")
             for path in (root / folder).rglob("*") if path.suffix in (".py", ".html", ".j2")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if old.search(line) and "OLD_OPEN_MARKS" not in line]
    assert found == []


def test_older_workbook_setting_label_still_reads(tmp_path):
    sc = _week()
    path = tmp_path / "plan.xlsx"
    write_template(path, sc)
    wb = openpyxl.load_workbook(path)
    ws = wb["Periode og regler"]
    row = next(r for r in ws.iter_rows() if r[0].value == weight_label("open_slot"))
    row[0].value, row[1].value = "Vekt: ledig plass", 777
    wb.save(path)
    assert read_scenario_workbook(path).rules.weights.open_slot == 777


# ----------------------------------------------------------------------------- Fordeling and print


def test_fordeling_deviation_is_a_number_for_every_doctor():
    sc = _week(history=[{"doctor": "a", "points": 10.0 / 3, "shifts": 1}])
    wb = build_roster_workbook(sc, _uneven(sc))
    ws = wb["Fordeling"]
    headers = [c.value for c in ws[4]]
    col = headers.index("Avvik") + 1
    values = [ws.cell(r, col) for r in range(5, 5 + len(sc.doctors))]
    assert all(isinstance(c.value, float) for c in values), [c.value for c in values]
    assert all(c.number_format == "0.0 %" for c in values)
    # the unrounded figures have more than 15 digits: written as they are, they would be exact text
    raw = [m.relative_deviation for m in doctor_metrics(sc, _uneven(sc))]
    assert any(float(f"{x:.15g}") != x for x in raw)


def test_printed_workbook_names_period_version_and_status():
    sc = _week(name="Vakter & uke 45")
    wb = build_roster_workbook(sc, _uneven(sc), Edition(version=7, status="publisert"))
    for ws in wb.worksheets:
        assert ws.oddHeader.left.text == "Vakter && uke 45"  # a lone & would start an Excel header code
        assert ws.oddHeader.center.text == "Periode 02.11.2026–08.11.2026"
        assert ws.oddHeader.right.text == "Vaktplan 7 · publisert"
        assert ws.oddFooter.right.text == "Side &P av &N"
    summary = {r[0].value: r[1].value for r in wb["Sammendrag"].iter_rows() if r[0].value}
    assert summary["Versjon"] == 7 and summary["Vaktplanens status"] == "publisert"
    draft = build_roster_workbook(sc, _uneven(sc))  # the command line: no stored version
    assert draft["Fordeling"].oddHeader.right.text == "Utkast"


# ----------------------------------------------------------------------------- phone and e-mail


def test_doctor_phone_and_email_come_from_the_leger_sheet(tmp_path):
    data = _week().model_dump(mode="json")
    data["doctors"][0].update(phone="55 12 34 56", email="lege.a@example.no")
    sc = scenario_from_data(data)
    path = tmp_path / "plan.xlsx"
    write_template(path, sc)
    back = read_scenario_workbook(path)
    assert (back.doctors[0].phone, back.doctors[0].email) == ("55 12 34 56", "lege.a@example.no")


def test_a_bad_email_is_refused_in_norwegian():
    data = _week().model_dump(mode="json")
    data["doctors"][1]["email"] = "ikke en adresse"
    with pytest.raises(InputError) as exc:
        scenario_from_data(data)
    assert any(p.startswith("doctors[1].email") and "«ikke en adresse» er ingen e-postadresse" in p
               for p in exc.value.problems)


# ----------------------------------------------------------------------------- comparison report


def test_unlike_rosters_are_named_at_the_top():
    sc = _week()
    same = [check_view("A", sc, _uneven(sc)), check_view("B", sc, _uneven(sc))]
    assert unlike(same) == []
    fewer = [check_view("A", sc, _uneven(sc)), check_view("B", sc, _uneven(sc, skip=f"natt/{START}"))]
    [note] = unlike(fewer)
    assert note.startswith("Vaktplanene er ikke like bemannet: «A» har 14 vakter og 0 ubesatte plasser, "
                           "«B» har 13 vakter og 1 ubesatt plass.")
    with_history = sc.model_copy(update={"history": [History(doctor="g", points=40, shifts=5)]})
    notes = unlike([check_view("A", sc, _uneven(sc)), check_view("B", with_history, _uneven(with_history))])
    assert notes == ["Historikken er ulik: «A» har historikk for 0 leger (0 poeng), «B» har historikk for 1 leger "
                     "(40 poeng). Målene tar med historikken (hovedboken); poeng denne perioden gjør ikke det."]
    html = report_html.render_html(fewer)
    assert 'id="ulikt"' in html and html.index('id="ulikt"') < html.index("<h2>Vaktplaner</h2>")


def test_most_loaded_ranks_by_this_period_with_history_beside():
    # g has carried most before (the others nothing in the same period), but not now
    sc = _week(history=[{"doctor": c, "points": 200 if c == "g" else 0, "shifts": 20 if c == "g" else 0, "periods": 1}
                        for c in "abcdefg"])
    view = check_view("A", sc, _uneven(sc))
    top = most_loaded(view)
    assert [m.doctor for m in top[:3]] == sorted(["a", "b", "c"], key=lambda d: -next(
        m.points for m in view.metrics if m.doctor == d))[:3]
    assert "g" not in [m.doctor for m in top[:3]]
    # ranking by where each doctor stands (the ledger, history included) would have put g first
    assert max(view.metrics, key=lambda m: m.balance_after).doctor == "g"
    html = report_html.render_html([view])
    section = html[html.index("Mest belastede leger"):]
    assert "Poeng denne perioden" in section and "Historikk" in section


def test_only_differences_that_matter_are_coloured():
    small = Row("Høyeste belastning", "", [1.20, 1.18], LOWER, 2, 0.05)
    assert small.verdict(1) == "" and not small.differs()
    large = Row("Høyeste belastning", "", [1.20, 1.10], LOWER, 2, 0.05)
    assert large.verdict(1) == "bedre" and large.differs()
    sc = _week()
    rows = {r.name: r for r in summary_rows([check_view("A", sc, _uneven(sc)), check_view("B", sc, _uneven(sc))])}
    assert rows[OPEN_PLACES.capitalize()].values == [0, 0]
    assert all(r.verdict(1) == "" for r in rows.values())


def test_report_time_is_oslo_time(monkeypatch):
    class Fixed(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            moment = dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.timezone.utc)
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(report_html.dt, "datetime", Fixed)
    sc = _week()
    html = report_html.render_html([check_view("A", sc, _uneven(sc))])
    assert re.search(r"Laget 01\.07\.2026 12:00 \(norsk tid\)", html)  # CEST is UTC+2


def test_the_terminal_summary_reads_at_80_columns():
    """A default terminal (or output redirected to a file) is 80 columns: no name, header or figure
    cut to «…», and each moved target's reason whole (a table's last column had a word a line)."""
    from rich.console import Console, Group

    from roster.output import summary_renderables
    from roster.scenario_io import load_roster, load_scenario

    root = Path(__file__).resolve().parents[1] / "examples" / "bergen"
    s = load_scenario(root / "scenario.yaml")
    r = load_roster(s, root / "december_roster.json")
    r = r.model_copy(update={"warnings": ["Anne Aas har natt Bergen legevakt 05.12 23:00–08:00, som var begynt"]})
    metrics = doctor_metrics(s, r)
    console = Console(width=80, record=True, file=open(os.devnull, "w"))
    console.print(Group(*summary_renderables(s, r, metrics)))
    text = console.export_text()
    assert "…" not in text
    assert max(map(len, text.splitlines())) <= 80
    for pool in ("fastleger", "spesialister", "Største", "Hovedbok per gruppe (største avvik, poeng per andel)"):
        assert pool in text
    flat = " ".join(text.split())
    shown = moved(metrics, 3)
    assert shown and all(m.why[1:] in flat for m in shown)
    assert "- Anne Aas har natt Bergen legevakt 05.12 23:00–08:00, som var begynt" in flat
