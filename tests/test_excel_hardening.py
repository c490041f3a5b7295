"""Workbooks that kept a process busy for minutes or were silently misread (issue 14): every one is
refused with its sheet and cell, or read as the manager meant it."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from test_excel_import import edited, problems, small

from roster.excel import read_scenario_workbook, write_template
from roster.excel.cells import parse_date
from roster.excel.schema import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, SETTINGS_TITLE, TIME_FORMAT


def settings_row(path: Path, label: str) -> int:
    ws = openpyxl.load_workbook(path)[SETTINGS_TITLE]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label)


def with_setting(tmp_path: Path, label: str, value: object, number_format: str | None = None) -> Path:
    path = edited(tmp_path, {})
    row = settings_row(path, label)
    wb = openpyxl.load_workbook(path)
    cell = wb[SETTINGS_TITLE].cell(row, 2, value)
    if number_format:
        cell.number_format = number_format
    wb.save(path)
    return path


def replace_member(path: Path, member: str | None, content: bytes = b"", extra: dict[str, bytes] | None = None) -> Path:
    """The workbook with one zip member replaced (and others added), as a crafted file would be."""
    out = path.with_name("crafted.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, content if info.filename == member else src.read(info.filename))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out


def sheet_member(path: Path, title: str) -> str:
    wb = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml"


# --------------------------------------------------------------------------- size


def test_a_value_in_the_last_row_of_the_sheet_is_refused_with_its_cell(tmp_path):
    path = edited(tmp_path, {("Leger", "A1048576"): "x"})
    assert problems(path) == [f"Leger!A1048576: arket har en verdi i rad 1 048 576; høyst {MAX_ROWS:,} rader leses "
                              "(slett innholdet lenger ned)".replace(",", " ")]


def test_a_formatted_but_empty_cell_far_down_costs_nothing(tmp_path):
    path = edited(tmp_path, {})
    wb = openpyxl.load_workbook(path)
    wb["Leger"].cell(1048576, 30).number_format = "0.00"  # a format, no value
    wb.save(path)
    assert read_scenario_workbook(path) == small()


def test_a_value_beyond_the_last_column_read_is_refused(tmp_path):
    path = edited(tmp_path, {})
    wb = openpyxl.load_workbook(path)
    wb["Fravær"].cell(2, MAX_COLUMNS + 1, "x")
    wb.save(path)
    (found,) = problems(path)
    assert found.startswith(f"Fravær!{openpyxl.utils.get_column_letter(MAX_COLUMNS + 1)}2: arket har en verdi i kolonne")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    path = replace_member(edited(tmp_path, {}), None,
                          extra={"xl/media/fyll.bin": bytes(MAX_UNPACKED_BYTES + 1)})
    assert path.stat().st_size < 1_000_000
    (found,) = problems(path)
    assert found.startswith("arbeidsboken er 50 MB utpakket; grensen er 50 MB")


def test_a_sheet_of_more_cells_than_a_legevakt_needs_is_refused_while_streaming(tmp_path):
    path = edited(tmp_path, {})
    member = sheet_member(path, "Ønsker")
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in "ABCDE") + "</row>"
                    for r in range(1, MAX_CELLS // 5 + 2))
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           f"{cells}</sheetData></worksheet>").encode()
    (found,) = problems(replace_member(path, member, xml))
    assert found.startswith("Ønsker: arbeidsboken har mer enn 200 000 celler")


def test_a_sheet_with_broken_xml_is_refused_with_its_name(tmp_path):
    path = edited(tmp_path, {})
    (found,) = problems(replace_member(path, sheet_member(path, "Leger"), b"<worksheet><sheetData><row>"))
    assert found.startswith("Leger: arket er skadet (ugyldig XML")


# --------------------------------------------------------------------------- silent misreads


def test_a_formula_without_a_calculated_value_is_refused_not_read_as_the_default(tmp_path):
    path = edited(tmp_path, {("Leger", "H2"): "=100+20"})  # Klinisk tjeneste (mnd), saved by a program
    found = problems(path)
    assert found[0].startswith("Leger!H2: formelen har ingen utregnet verdi")


def test_a_required_cell_holding_a_formula_without_a_value_is_reported_once(tmp_path):
    path = edited(tmp_path, {("Leger", "B2"): '=HYPERLINK("http://x")'})  # Navn, which must be filled in
    found = problems(path)
    assert [p for p in found if p.startswith("Leger!B2:")] == [
        "Leger!B2: formelen har ingen utregnet verdi (arbeidsboken er lagret uten å regnes ut); "
        "åpne den i Excel og lagre på nytt, eller skriv inn verdien"], found


def test_a_formula_with_its_calculated_value_is_read(tmp_path):
    path = edited(tmp_path, {("Leger", "H2"): "=100+20"})
    member = sheet_member(path, "Leger")
    with zipfile.ZipFile(path) as z:
        xml = z.read(member).replace(b"<f>100+20</f><v />", b"<f>100+20</f><v>120</v>")
    assert b"<v>120</v>" in xml
    scenario = read_scenario_workbook(replace_member(path, member, xml))
    assert scenario.doctors[0].competence.clinical_months == 120


@pytest.mark.parametrize(("typed", "read"), [(1600, dt.time(16)), (800, dt.time(8)), (16, dt.time(16)),
                                             (0.75, dt.time(18))])
def test_a_number_in_a_time_cell_is_read_as_the_time_typed(tmp_path, typed, read):
    path = with_setting(tmp_path, "Fritak gjelder til", typed, TIME_FORMAT)
    assert read_scenario_workbook(path).rules.exemption_end == read


@pytest.mark.parametrize("typed", [-5, -0.25, 1.5])
def test_a_negative_or_fractional_number_of_days_in_a_time_cell_is_refused(tmp_path, typed):
    path = with_setting(tmp_path, "Fritak gjelder til", typed, TIME_FORMAT)
    row = settings_row(path, "Fritak gjelder til")
    (found,) = problems(path)
    assert found.startswith(f"{SETTINGS_TITLE}!B{row}: ventet et klokkeslett (tt:mm)"), found


def test_a_setting_given_twice_is_refused(tmp_path):
    path = edited(tmp_path, {})
    wb = openpyxl.load_workbook(path)
    ws = wb[SETTINGS_TITLE]
    row = ws.max_row + 1
    ws.cell(row, 1, "Maks netter på rad")
    ws.cell(row, 2, 5)
    wb.save(path)
    first = settings_row(path, "Maks netter på rad")
    assert problems(path) == [f"{SETTINGS_TITLE}!A{row}: «Maks netter på rad» står to ganger (også i rad {first}); "
                              "slett den ene raden"]


def test_a_birth_date_in_the_future_is_refused_with_its_cell(tmp_path):
    path = edited(tmp_path, {("Leger", "E2"): dt.datetime(2030, 1, 1)})
    assert problems(path) == ["Leger!E2: fødselsdatoen 01.01.2030 er etter periodens første dag 01.12.2026"]


def test_a_doctors_history_twice_is_refused_with_its_cell(tmp_path):
    path = edited(tmp_path, {("Historikk", "A3"): "kari.n", ("Historikk", "B3"): 1})
    assert problems(path) == ["Historikk!A3: lege «kari.n» har historikk mer enn én gang"]


def test_the_template_roundtrip_still_reads_without_a_single_problem(tmp_path):
    path = tmp_path / "s.xlsx"
    write_template(path, small())
    data = io.BytesIO(path.read_bytes())
    assert zipfile.is_zipfile(data)
    assert read_scenario_workbook(path) == small()


def test_a_four_digit_year_is_never_read_as_a_two_digit_one(tmp_path):
    path = edited(tmp_path, {("Leger", "E2"): "15.03.0070"})
    assert problems(path) == ["Leger!E2: datoen må ligge mellom 01.01.1900 og 31.12.2199"]
    assert parse_date("15.03.0070") == dt.date(70, 3, 15) and parse_date("15.03.26") == dt.date(2026, 3, 15)


# --------------------------------------------------------------------------- openpyxl's English


def test_a_number_no_date_can_hold_in_a_time_cell_is_quoted_as_typed_without_a_warning(tmp_path):
    row = settings_row(edited(tmp_path, {}), "Fritak gjelder til")  # before openpyxl warns on the number
    path = with_setting(tmp_path, "Fritak gjelder til", 1e308, TIME_FORMAT)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = problems(path)
    assert found == [f"{SETTINGS_TITLE}!B{row}: ventet et klokkeslett (tt:mm), fikk «1e+308»"]
    assert [str(w.message) for w in caught] == []


def test_a_data_validation_excel_extends_is_read_without_a_warning(tmp_path):
    path = edited(tmp_path, {})
    member = sheet_member(path, "Leger")
    extension = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
                 b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
                 b'<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
                 b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Lister!$E$1:$E$5</xm:f>'
                 b'</x14:formula1><xm:sqref>C2:C300</xm:sqref></x14:dataValidation></x14:dataValidations></ext>'
                 b'</extLst></worksheet>')
    with zipfile.ZipFile(path) as z:
        xml = z.read(member).replace(b"</worksheet>", extension)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert read_scenario_workbook(replace_member(path, member, xml)) == small()
    assert [str(w.message) for w in caught] == []
