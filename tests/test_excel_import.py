"""Template ↔ import: round trips, tolerance of what people type, and a table of malformed
workbooks each with the exact Norwegian message (sheet!cell: what was expected)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from roster.excel import read_scenario_workbook, write_template
from roster.excel.template import build_template
from roster.excel import reader as reader_module
from roster.excel.schema import SETTINGS, TABLES
from roster.models import Rules, Scenario
from roster.scenario_io import InputError, load_scenario
from tests import factories as f

ROOT = Path(__file__).resolve().parents[1]


def small() -> Scenario:
    return f.scenario(
        "2026-12-01", "2026-12-07",
        [f.template("BLV-dag", "08:00", "16:00"), f.template("BLV-natt", "23:00", "08:00", label="natt")],
        [
            f.doctor("kari.n", name="Kari Nordmann", courses={"Akuttmedisinkurs": "2027-06-30"},
                     max_shifts_by_label={"natt": 2}, max_hours=40, max_weekends=1, max_shifts_per_7_days=4),
            f.doctor("ola.h", name="Ola Hansen", role="ALIS", qualified=False, stations=["BLV"],
                     exemptions=[{"reason": "amming", "start": "2026-12-01", "end": "2026-12-31"}]),
        ],
        absences=[{"doctor": "kari.n", "start": "2026-12-03", "end": "2026-12-04"},
                  {"doctor": "ola.h", "start": "2026-12-05T12:00", "end": "2026-12-06T08:30", "kind": "kurs"}],
        wishes=[{"doctor": "ola.h", "date": "2026-12-05", "template": "BLV-natt", "wants": True, "weight": 3}],
        pins=[{"doctor": "kari.n", "date": "2026-12-02", "template": "BLV-dag"},
              {"doctor": "ola.h", "date": "2026-12-06", "template": "BLV-dag", "voluntary": True}],
        history=[{"doctor": "kari.n", "shifts": 4, "hours": 32.5, "points": 40.25, "periods": 2}],
        extra_holidays=[{"date": "2026-12-07", "name": "Bydagen"}],
        demand_changes=[{"template": "BLV-natt", "date": "2026-12-06", "demand_min": 2}],
        rules={"max_shifts_per_7_days": None, "max_hours_per_7_days": None,
               "forbidden_successions": [{"first": "natt", "then": "BLV-dag"}]},
    )


@functools.cache
def _small_template() -> bytes:
    """The template of ``small()``, written once per test process (~0.7 s a write, and most of
    the tables below edit this one workbook)."""
    out = io.BytesIO()
    build_template(small()).save(out)
    return out.getvalue()


def edited(tmp_path: Path, edits: dict[tuple[str, str], object], scenario: Scenario | None = None) -> Path:
    path = tmp_path / "scenario.xlsx"
    if scenario is None:
        path.write_bytes(_small_template())
    else:
        write_template(path, scenario)
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in edits.items():
        wb[sheet][cell].value = value
    wb.save(path)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        read_scenario_workbook(path)
    return info.value.problems


# --------------------------------------------------------------------------- round trips


def test_round_trip_small_scenario_is_identical(tmp_path: Path) -> None:
    scenario = small()
    path = tmp_path / "s.xlsx"
    write_template(path, scenario)
    assert read_scenario_workbook(path) == scenario


def test_round_trip_keeps_rules_including_one_seventh_and_switched_off_limits(tmp_path: Path) -> None:
    scenario = small()
    assert scenario.rules.max_shifts_per_7_days is None  # the factory switches it off
    path = tmp_path / "s.xlsx"
    write_template(path, scenario)
    back = read_scenario_workbook(path)
    assert back.rules == scenario.rules
    assert back.rules.burden.on_call_factor == 1 / 7


def test_round_trip_bergen_example(tmp_path: Path) -> None:
    scenario = load_scenario(ROOT / "examples/bergen/scenario.yaml")
    path = tmp_path / "bergen.xlsx"
    write_template(path, scenario)
    assert load_scenario(path) == scenario  # load_scenario routes .xlsx to the workbook reader


def test_shipped_bergen_workbook_is_the_yaml_scenario() -> None:
    shipped = read_scenario_workbook(ROOT / "examples/bergen/bergen.xlsx")
    assert shipped == load_scenario(ROOT / "examples/bergen/scenario.yaml"), (
        "regenerate: roster template examples/bergen/bergen.xlsx --from examples/bergen/scenario.yaml")


def test_empty_template_has_every_sheet_dropdowns_formats_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "Instruksjoner"
    for table in TABLES:
        ws = wb[table.title]
        assert [c.value for c in ws[1]][: len(table.columns)] == [c.header for c in table.columns]
        assert ws.freeze_panes == "A2"
    assert wb["Lister"].sheet_state == "hidden"
    leger = wb["Leger"]
    ranges = {str(dv.sqref): dv.formula1 for dv in leger.data_validations.dataValidation}
    assert ranges["C2:C300"].startswith("'Lister'!")  # Rolle
    assert ranges["O2:O300"] == "'Stasjoner'!$A$2:$A$1000"  # Stasjoner, a reference
    roles = [wb["Lister"].cell(r, c).value for c in range(1, 20) for r in range(1, 8)]
    assert {"fastlege", "ALIS", "spesialist"} <= set(roles)
    assert wb["Vakttyper"]["D5"].number_format == "hh:mm"
    assert wb["Fravær"]["B5"].number_format == "dd.mm.yyyy"
    settings = {wb["Periode og regler"].cell(r, 1).value: wb["Periode og regler"].cell(r, 2).value
                for r in range(2, len(SETTINGS) + 2)}
    assert settings["Maks netter på rad"] == Rules().max_consecutive_nights
    assert settings["Natt starter"] == dt.time(23, 0)
    text = " ".join(str(c.value) for row in wb["Instruksjoner"].iter_rows() for c in row if c.value)
    assert all(c.header in text for t in TABLES for c in t.columns)


def test_empty_template_asks_for_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "tom.xlsx"
    write_template(path)
    assert problems(path) == [
        "Periode og regler!B2: må fylles ut",
        "Periode og regler!B4: må fylles ut",
        "Stasjoner!A2: arket har ingen rader; minst én trengs",
        "Vakttyper!A2: arket har ingen rader; minst én trengs",
        "Leger!A2: arket har ingen rader; minst én trengs",
    ]


def test_every_rules_field_has_a_row_in_the_settings_sheet() -> None:
    def leaves(model: type, prefix: tuple[str, ...]) -> set[tuple[str, ...]]:
        out = set()
        for name, info in model.model_fields.items():
            sub = info.annotation
            if isinstance(sub, type) and hasattr(sub, "model_fields"):
                out |= leaves(sub, prefix + (name,))
            else:
                out.add(prefix + (name,))
        return out

    assert leaves(Rules, ("rules",)) == {s.path for s in SETTINGS if s.path[0] == "rules"}


# --------------------------------------------------------------------------- tolerance


def test_import_tolerates_what_people_type(tmp_path: Path) -> None:
    path = edited(tmp_path, {
        ("Periode og regler", "B3"): "1.12.2026",  # text date, no leading zero
        ("Periode og regler", "B4"): " 07.12.2026 ",
        ("Periode og regler", "B13"): "23.00",  # Natt starter, with a dot
        ("Vakttyper", "D2"): "8",  # just the hour
        ("Vakttyper", "E2"): "1600",
        ("Vakttyper", "F2"): "HVERDAG,Lørdag ; søndag, helligdag",
        ("Vakttyper", "P1"): "Kommentar",  # an extra column is ignored
        ("Vakttyper", "P2"): "ikke les meg",
        ("Fravær", "F1"): "Merknader",  # like a column the sheet has: the manager's own, ignored too
        ("Fravær", "F2"): "ring først",
        ("Leger", "C2"): "  FASTLEGE ",
        ("Leger", "F3"): "NEI",  # Kan gå alene
        ("Leger", "R2"): "1,0",  # decimal comma
        ("Fravær", "A2"): "KARI.N",  # id in another case
        ("Fravær", "A3"): "ola hansen",  # a doctor by name
        ("Fravær", "B3"): "05.12.2026 12.00",
        ("Ønsker", "D2"): "Ja",
    })
    wb = openpyxl.load_workbook(path)
    ws = wb["Ønsker"]
    ws.move_range("A2:E2", rows=3)  # empty rows above the data are skipped
    wb.save(path)
    assert read_scenario_workbook(path) == small()


def test_numeric_ids_are_read_as_text(tmp_path: Path) -> None:
    scenario = f.scenario("2026-12-01", "2026-12-02", [f.template("D", "08:00", "16:00")], [f.doctor("101")])
    path = edited(tmp_path, {("Leger", "A2"): 101}, scenario)
    assert read_scenario_workbook(path).doctors[0].id == "101"


def test_formula_cells_are_read_as_their_cached_values(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_template(path, small())
    wb = openpyxl.load_workbook(path)
    wb["Periode og regler"]["B9"] = "=2+2"  # Maks netter på rad
    wb.save(path)
    # openpyxl stores no result; Excel would: add the cached value <v>4</v> as Excel does
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in files if n.startswith("xl/worksheets/sheet") and b"<f>2+2</f>" in files[n])
    files[name] = files[name].replace(b"<f>2+2</f><v></v>", b"<f>2+2</f>").replace(b"<f>2+2</f><v />", b"<f>2+2</f>")
    files[name] = files[name].replace(b"<f>2+2</f>", b"<f>2+2</f><v>4</v>")
    with zipfile.ZipFile(path, "w") as z:
        for n, data in files.items():
            z.writestr(n, data)
    assert read_scenario_workbook(path).rules.max_consecutive_nights == 4


# --------------------------------------------------------------------------- malformed workbooks

ROLES = "fastlege, ALIS, spesialist, LIS1, annen"

MALFORMED = [
    ({("Leger", "C3"): "lege"}, [f"Leger!C3: ukjent rolle «lege»; gyldige verdier: {ROLES}"]),
    ({("Fravær", "A2"): "kari.x"}, ["Fravær!A2: lege «kari.x» finnes ikke i arket Leger"]),
    ({("Vakttyper", "E2"): "08:00"}, ["Vakttyper!E2: slutt kan ikke være lik start; et døgn legges inn som to vakttyper, "
      "f.eks. 08:00–20:00 og 20:00–08:00"]),
    ({("Fravær", "C2"): dt.datetime(2026, 12, 1)}, ["Fravær!C2: fraværet slutter før det begynner"]),
    ({("Ønsker", "B2"): "05.01.2027"}, ["Ønsker!B2: 05.01.2027 er utenfor perioden 01.12.2026–07.12.2026"]),
    ({("Låste vakter", "B2"): dt.datetime(2026, 11, 30)},
     ["Låste vakter!B2: 30.11.2026 er utenfor perioden 01.12.2026–07.12.2026"]),
    ({("Vakttyper", "D2"): "25:00"}, ["Vakttyper!D2: ventet et klokkeslett (tt:mm), fikk «25:00»"]),
    ({("Leger", "L2"): "kanskje"}, ["Leger!L2: ventet ja eller nei, fikk «kanskje»"]),
    ({("Periode og regler", "B3"): "32.12.2026"}, ["Periode og regler!B3: «32.12.2026» er ingen gyldig dato"]),
    ({("Periode og regler", "B4"): "30.11.2026"},
     ["Periode og regler!B4: siste dag kan ikke være før første dag"]),
    ({("Periode og regler", "B10"): "mange"}, ["Periode og regler!B10: ventet et heltall, fikk «mange»"]),
    ({("Periode og regler", "A40"): "Maks kvelder", ("Periode og regler", "B40"): 2},
     ["Periode og regler!A40: ukjent innstilling «Maks kvelder»"]),
    ({("Leger", "A4"): "kari.n", ("Leger", "B4"): "Kari Kopi", ("Leger", "C4"): "fastlege"},
     ["Leger!A4: «kari.n» er brukt mer enn én gang (også i Leger!A2)"]),
    ({("Vakttyper", "B2"): "XYZ"}, ["Vakttyper!B2: ukjent stasjon «XYZ»"]),
    ({("Leger", "O3"): "BLV, ÅSANE"}, ["Leger!O3: ukjent stasjon «ÅSANE»"]),
    ({("Ønsker", "C2"): "nope"}, ["Ønsker!C2: ukjent vakttype «nope»"]),
    ({("Leger", "B2"): None}, ["Leger!B2: må fylles ut"]),
    ({("Fritak", "A2"): None}, ["Fritak!A2: må fylles ut"]),  # was dropped silently, the exemption with it
    ({("Leger", "H2"): -3}, ["Leger!H2: må være minst 0 (fikk -3)"]),
    ({("Leger", "R2"): "mye"}, ["Leger!R2: ventet et tall, fikk «mye»"]),
    ({("Leger", "S2"): 1.5}, ["Leger!S2: ventet et heltall, fikk «1.5»"]),
    ({("Leger", "S2"): 5, ("Leger", "T2"): 2},
     ["Leger!T2: maks antall vakter kan ikke være mindre enn min antall vakter"]),
    ({("Vakttyper", "F2"): "hverdag, fredag"},
     ["Vakttyper!F2: ukjent dagtype «fredag»; gyldige verdier: hverdag, lørdag, søndag, helligdag"]),
    ({("Vakttyper", "F2"): " , ;"}, ["Vakttyper!F2: minst én dagtype trengs"]),
    ({("Vakttyper", "J3"): "hjemmevakt"},
     ["Vakttyper!J3: ukjent vaktform «hjemmevakt»; gyldige verdier: tilstedevakt, bakvakt"]),
    ({("Kurs", "A2"): "per"}, ["Kurs!A2: lege «per» finnes ikke i arket Leger"]),
    ({("Kurs", "C2"): None}, ["Kurs!C2: må fylles ut"]),
    ({("Leger", "M2"): "ingen"}, ["Leger!M2: ukjent veiledning «ingen»; gyldige verdier: telefon, tilstede"]),
    ({("Kurs", "B3"): "AKUTTMEDISINkurs"},
     ["Kurs!B4: kurset «Akuttmedisinkurs» står to ganger for samme lege (også som «AKUTTMEDISINkurs»)"]),
    ({("Kurs", "B2"): "akutt, medisin"}, ["Kurs!B2: et kursnavn kan ikke inneholde «,» (skiller kursene i en liste)"]),
    ({("Fritak", "D2"): dt.datetime(2026, 11, 1)}, ["Fritak!D2: fritaket slutter før det begynner"]),
    ({("Fritak", "B2"): "alder"},
     ["Fritak!B2: ukjent fritaksgrunn «alder»; gyldige verdier: over aldersgrensen, graviditet, amming, kommunalt vedtak"]),
    ({("Fravær", "B3"): "05.12.2026"},
     ["Fravær!C3: start og slutt må begge være datoer eller begge tidspunkt"]),
    ({("Ønsker", "E2"): 11}, ["Ønsker!E2: kan være høyst 10 (fikk 11)"]),
    ({("Historikk", "G2"): "mye"}, ["Historikk!G2: ventet et tall, fikk «mye»"]),
    ({("Ekstra helligdager", "B2"): None}, ["Ekstra helligdager!B2: må fylles ut"]),
    ({("Leger", "U2"): "natt2"}, ["Leger!U2: ventet betegnelse=antall, f.eks. natt=2, fikk «natt2»"]),
    ({("Leger", "U2"): "helg=1"}, ["Leger!U2: ingen vakttype har betegnelsen «helg»"]),
    ({("Leger", "P3"): "natt, dagvakt"}, ["Leger!P3: ingen vakttype har betegnelsen «dagvakt»"]),
    ({("Leger", "V2"): 50}, ["Leger!W2: maks timer kan ikke være mindre enn min timer"]),
    ({("Bemanning per dag", "A2"): "nope"}, ["Bemanning per dag!A2: ukjent vakttype «nope»"]),
    ({("Bemanning per dag", "C2"): None}, ["Bemanning per dag!C2: må fylles ut"]),
    ({("Bemanning per dag", "D2"): 1}, ["Bemanning per dag!D2: maks antall leger kan ikke være mindre enn min antall"]),
    ({("Bemanning per dag", "A3"): "BLV-natt", ("Bemanning per dag", "B3"): dt.datetime(2026, 12, 6),
      ("Bemanning per dag", "C3"): 1},
     ["Bemanning per dag!A3: BLV-natt 06.12.2026 er endret to ganger"]),
    ({("Leger", "R1"): "Vakt andel"}, ["Leger!R1: ukjent kolonne «Vakt andel» (mente du «Vaktandel»?)"]),
    ({("Leger", "C1"): "Roll"}, ["Leger!C1: ukjent kolonne «Roll» (mente du «Rolle»?)"]),
    ({("Leger", "AZ1"): "Vaktandel", ("Leger", "AZ2"): 7},
     ["Leger!AZ1: kolonnen «Vaktandel» står to ganger (også i kolonne R); slett den ene"]),
    ({("Fravær", "F1"): "fra"}, ["Fravær!F1: kolonnen «Fra» står to ganger (også i kolonne B); slett den ene"]),
    # every problem at once, reading problems and model problems together, in sheet order
    ({("Leger", "C3"): "lege", ("Fravær", "A2"): "kari.x", ("Vakttyper", "E2"): "08:00",
      ("Ønsker", "B2"): "05.01.2027"},
     [f"Leger!C3: ukjent rolle «lege»; gyldige verdier: {ROLES}",
      "Vakttyper!E2: slutt kan ikke være lik start; et døgn legges inn som to vakttyper, "
      "f.eks. 08:00–20:00 og 20:00–08:00",
      "Fravær!A2: lege «kari.x» finnes ikke i arket Leger",
      "Ønsker!B2: 05.01.2027 er utenfor perioden 01.12.2026–07.12.2026"]),
]


@pytest.mark.parametrize(("edits", "expected"), MALFORMED,
                         ids=[f"{i}-{m[1][0].split(':')[0]}" for i, m in enumerate(MALFORMED)])
def test_malformed_workbook_gets_exact_message(tmp_path: Path, edits: dict, expected: list[str]) -> None:
    assert problems(edited(tmp_path, edits)) == expected


def _setting_row(label: str) -> int:
    return 2 + [s.label for s in SETTINGS].index(label)


def test_forbidden_successions_are_read_and_refused_by_cell(tmp_path: Path) -> None:
    row = _setting_row("Vakttyper som ikke kan følge hverandre")
    path = edited(tmp_path, {("Periode og regler", f"B{row}"): "natt > BLV-dag ; BLV-dag>natt"})
    rules = read_scenario_workbook(path).rules
    assert [(p.first, p.then) for p in rules.forbidden_successions] == [("natt", "BLV-dag"), ("BLV-dag", "natt")]
    bad = edited(tmp_path, {("Periode og regler", f"B{row}"): "natt-kveld"})
    assert problems(bad) == [f"Periode og regler!B{row}: ventet første>neste, f.eks. natt>kveld, fikk «natt-kveld»"]
    unknown = edited(tmp_path, {("Periode og regler", f"B{row}"): "natt>kveld"})
    assert problems(unknown) == [f"Periode og regler!B{row}: ingen vakttype har betegnelsen «kveld»"]


def test_an_unknown_fairness_pool_is_refused_at_the_cell_of_its_setting(tmp_path: Path) -> None:
    minimum, own = _setting_row("Minst vakter for tilgjengelige leger"), _setting_row("Grupper med eget nivå")
    path = edited(tmp_path, {("Periode og regler", f"B{minimum}"): "tull=3",
                             ("Periode og regler", f"B{own}"): "fastleger, tullegruppe"})
    pools = "(gruppene er ALIS, ansatte, fastleger, spesialister)"
    assert problems(path) == [f"Periode og regler!B{minimum}: ukjent gruppe «tull» {pools}",
                              f"Periode og regler!B{own}: ukjent gruppe «tullegruppe» {pools}"]


@pytest.mark.parametrize("required", [["akuttmedisin", "vold og overgrep", "Barneakutt"], []])
def test_required_courses_are_written_and_read_back(tmp_path: Path, required: list[str]) -> None:
    scenario = small()
    scenario.rules.required_courses = required
    path = tmp_path / "kurs.xlsx"
    write_template(path, scenario)
    cell = openpyxl.load_workbook(path)["Periode og regler"][f"B{_setting_row('Påkrevde kurs')}"].value
    assert cell == (", ".join(required) or "ingen")  # empty would mean the default
    assert read_scenario_workbook(path).rules.required_courses == required


def test_required_courses_default_when_empty_and_refused_by_cell(tmp_path: Path) -> None:
    row = _setting_row("Påkrevde kurs")
    blank = edited(tmp_path, {("Periode og regler", f"B{row}"): None})
    assert read_scenario_workbook(blank).rules.required_courses == ["akuttmedisin", "vold og overgrep"]
    twice = edited(tmp_path, {("Periode og regler", f"B{row}"): "akuttmedisin; Vold og overgrep\nAkuttmedisin"})
    assert problems(twice) == [f"Periode og regler!B{row}: kurset «Akuttmedisin» står to ganger (også som «akuttmedisin»)"]


def test_missing_sheet_and_column_are_named(tmp_path: Path) -> None:
    path = edited(tmp_path, {("Leger", "C1"): "Stilling"})
    wb = openpyxl.load_workbook(path)
    del wb["Stasjoner"]
    wb.save(path)
    assert problems(path) == ["mangler arket «Stasjoner»", "Leger!1:1: mangler kolonnen «Rolle»"]


@pytest.mark.parametrize(("content", "expected"), [
    (b"dato;lege\n01.12.2026;kari\n", "filen er ikke en Excel-arbeidsbok (.xlsx); lagre den som .xlsx i Excel"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504),
     "filen er passordbeskyttet (kryptert) eller i det gamle .xls-formatet; fjern passordet og lagre den som "
     "Excel-arbeidsbok (.xlsx)"),
])
def test_file_that_is_not_an_xlsx_is_refused(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "vaktplan.xlsx"
    path.write_bytes(content)
    assert problems(path) == [expected]


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "arkiv.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hei")
    assert problems(path) == ["filen er ikke en Excel-arbeidsbok (.xlsx); lagre den som .xlsx i Excel"]


def test_workbook_too_large_unpacked_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.xlsx"
    write_template(path, small())
    monkeypatch.setattr(reader_module, "MAX_UNPACKED_BYTES", 10_000)  # instead of 200 MB
    [message] = problems(path)
    assert message.startswith("arbeidsboken er ") and "MB utpakket; grensen er" in message


def test_workbook_file_too_large_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.xlsx"
    write_template(path, small())
    monkeypatch.setattr(reader_module, "MAX_FILE_BYTES", 1024)
    [message] = problems(path)
    assert message.startswith("filen er ") and "MB; grensen er" in message


def test_least_shifts_switched_off_by_ingen_and_written_back_so(tmp_path: Path) -> None:
    """The help said an empty cell means no such rule; an empty cell is the default, «ingen» is none."""
    row = _setting_row("Minst vakter for tilgjengelige leger")
    assert read_scenario_workbook(edited(tmp_path, {("Periode og regler", f"B{row}"): None})).rules.fairness.min_shifts \
        == {"fastleger": 1, "ALIS": 1}
    off = read_scenario_workbook(edited(tmp_path, {("Periode og regler", f"B{row}"): "ingen"}))
    assert off.rules.fairness.min_shifts == {}
    path = tmp_path / "av.xlsx"
    write_template(path, off)
    assert openpyxl.load_workbook(path)["Periode og regler"][f"B{row}"].value == "ingen"
    assert read_scenario_workbook(path).rules.fairness.min_shifts == {}


def test_instructions_show_defaults_as_they_are_typed(tmp_path: Path) -> None:
    """Not as Python (``{<Role.FASTLEGE: 'fastlege'>: …}``), and no «ingen» where it is refused."""
    wb = openpyxl.load_workbook(io.BytesIO(_small_template()))
    rows = list(wb["Instruksjoner"].iter_rows(values_only=True))
    first = next(i for i, row in enumerate(rows) if row[0] == "Innstilling") + 1
    shown = {row[0]: row[2] for row in rows[first:first + len(SETTINGS)]}  # the settings, not the sheets' columns
    assert shown["Fordelingsgrupper"].startswith("fastlege=fastleger, ")
    assert shown["Minst vakter for tilgjengelige leger"] == "fastleger=1, ALIS=1"
    assert shown["Tidligere vakter komplette fra"] is None
    assert shown["Maks vakter per 7 dager"] == 3 and shown["Maks helger"] == "ingen"  # off by default


def test_every_setting_and_column_is_explained() -> None:
    """The Instruksjoner sheet promises every sheet and column explained (docs/excel.md)."""
    assert [s.label for s in SETTINGS if not s.help.strip()] == []
    assert [(t.title, c.header) for t in TABLES for c in t.columns if not c.help.strip()] == []
