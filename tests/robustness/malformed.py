"""Generators of malformed inputs built from the product's own files (issue 14): the template
filled from a small scenario, and that scenario as JSON and YAML, each broken in one place.

Every case knows where the problem is (``where``: the ``Ark!Celle`` or JSON path a message must
start with, or a fragment a file-level message must contain). The choice of cells and mutations is
systematic, thinned with a fixed seed so the suite stays small enough for every CI run.
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.sax.saxutils import escape

import openpyxl
import yaml
from openpyxl.utils import get_column_letter

from roster.excel import write_template
from roster.excel.scan import sheet_members
from roster.excel.schema import MAX_CELLS, MAX_COLUMNS, MAX_UNPACKED_BYTES, SETTINGS, SETTINGS_TITLE, TABLES, Kind
from roster.models import CarriedShift, HolidayWork, Scenario, SupervisionDay
from tests.test_excel_import import small  # the scenario the template tests fill in

SEED = 14


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]  # the file's bytes
    where: str  # the location a message starts with or, for a file-level case, a fragment of it
    file_level: bool = False
    suffix: str = ".xlsx"


# --------------------------------------------------------------------------- workbooks


@cache
def filled() -> Scenario:
    """The template tests' scenario with a row on every sheet, so a case can break any table's row 2."""
    return small().model_copy(update={
        "carry_in": [CarriedShift(doctor="kari.n", start="2026-11-30T23:00", end="2026-12-01T08:00", label="natt")],
        "holiday_ledger": [HolidayWork(doctor="kari.n", date="2025-12-24")],
        "supervision_days": [SupervisionDay(doctor="ola.h", date="2026-12-03")],
    })


@cache
def template_bytes() -> bytes:
    """Written once: every case edits a copy of these bytes (writing the template took 0.6 s a case)."""
    out = io.BytesIO()
    write_template(out, filled())
    return out.getvalue()


@cache
def layout() -> tuple[dict[str, str], dict[str, dict[str, str]], dict[tuple[str, ...], int]]:
    """Sheet title → zip member; per table sheet, model field path → column letter; setting → row."""
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as z:
        members = {title: member for member, title in sheet_members(z).items()}
    columns = {}
    for table in TABLES:
        headers = {c.value: get_column_letter(c.column) for c in wb[table.title][1] if c.value}
        columns[table.title] = {".".join(col.field): headers[col.header] for col in table.columns}
    ws = wb[SETTINGS_TITLE]
    labels = {s.label: s.path for s in SETTINGS}
    rows = {labels[ws.cell(r, 1).value]: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value in labels}
    return members, columns, rows


def _cell_xml(ref: str, value: Any, style: str) -> str:
    if value is None:
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, Formula):
        return f'<c r="{ref}"{style}><f>{escape(value)}</f></c>'
    if isinstance(value, ErrorValue):
        return f'<c r="{ref}"{style} t="e"><v>{escape(value)}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    return f'<c r="{ref}"{style} t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def put(xml: str, ref: str, value: Any) -> str:
    """A sheet's XML with one cell replaced (keeping its style, so a time cell stays one) or added."""
    pattern = re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>.*?</c>)', re.S)
    m = pattern.search(xml)
    if m:
        style = re.search(r' s="\d+"', m.group("attrs"))
        return xml[:m.start()] + _cell_xml(ref, value, style.group(0) if style else "") + xml[m.end():]
    row = int(re.search(r"\d+$", ref).group(0))
    row_match = re.search(rf'<row r="{row}"[^>]*?(?:/>|>)', xml)
    if row_match and not row_match.group(0).endswith("/>"):
        return xml[:row_match.end()] + _cell_xml(ref, value, "") + xml[row_match.end():]
    return xml.replace("</sheetData>", f'<row r="{row}">{_cell_xml(ref, value, "")}</row></sheetData>')


class Formula(str):
    """A formula saved without a calculated value (as programs other than Excel save them)."""


class ErrorValue(str):
    """An Excel error value (#DIV/0!)."""


def rezip(edits: dict[str, bytes | None], extra: dict[str, bytes] | None = None, base: bytes | None = None) -> bytes:
    """The template with zip members replaced (None: removed) and others added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base or template_bytes())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in edits:
                if edits[info.filename] is not None:
                    dst.writestr(info.filename, edits[info.filename])
            else:
                dst.writestr(info, src.read(info.filename))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def edited(sheet: str, ref: str, value: Any) -> Callable[[], bytes]:
    def make() -> bytes:
        member = layout()[0][sheet]
        with zipfile.ZipFile(io.BytesIO(template_bytes())) as z:
            xml = z.read(member).decode()
        return rezip({member: put(xml, ref, value).encode()})
    return make


# Values no column of the kind may hold, by kind (each one must be refused at its cell).
BAD_VALUES: dict[Kind, list[Any]] = {
    Kind.INT: ["tre", "1,5", -1, 10**15, "9" * 40, ErrorValue("#DIV/0!"), True],
    Kind.FLOAT: ["mye", "nan", "inf", -5, 1e300, ErrorValue("#VALUE!")],
    Kind.BOOL: ["kanskje", 2, "jaa"],
    Kind.DATE: ["31.02.2026", "i morgen", "01.01.0001", -5, "99.99.9999"],
    Kind.TIME: ["25:00", "kl. 8", -5, 1.5, "12:61"],
    Kind.DATE_OR_DATETIME: ["31.02.2026", "01.12.2026 25:00", "i går", -5],
    Kind.ENUM: ["ukjent", 42],
    Kind.ENUM_LIST: ["hverdag, blåmandag"],
    Kind.ID: ["x" * 100],
    Kind.DOCTOR: ["finnes.ikke"],
    Kind.STATION: ["FINNES-IKKE"],
    Kind.TEMPLATE: ["finnes-ikke"],
    Kind.STATION_LIST: ["BLV, FINNES-IKKE"],
    Kind.LABEL_LIMITS: ["natt", "natt=x", "ukjent=2", "natt=-1"],
    Kind.SUCCESSIONS: ["natt", "natt>ukjent"],
}


def cell_cases() -> list[Case]:
    """A bad value in a cell of every column of every table, and of every setting, plus a formula
    without a value in each; later thinned (see ``workbook_cases``)."""
    _, columns, rows = layout()
    cases = []
    for table in TABLES:
        for column in table.columns:
            path = ".".join(column.field)
            ref = f"{columns[table.title][path]}2"
            values = BAD_VALUES.get(column.kind, [])
            if column.required:
                values = [*values, None]
            for value in [*values, Formula("1+1")]:
                cases.append(Case(f"{table.title}!{ref}={value!r:.30}", edited(table.title, ref, value),
                                  f"{table.title}!{ref}"))
    for setting in SETTINGS:
        ref = f"B{rows[setting.path]}"
        values = BAD_VALUES.get(setting.kind, [])
        if setting.required:
            values = [*values, None]
        for value in [*values, Formula("1+1")]:
            cases.append(Case(f"{SETTINGS_TITLE}!{ref}={value!r:.30}", edited(SETTINGS_TITLE, ref, value),
                              f"{SETTINGS_TITLE}!{ref}"))
    return cases


def _sheet_xml(title: str) -> str:
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as z:
        return z.read(layout()[0][title]).decode()


def _without_sheet(title: str) -> bytes:
    """The workbook without one sheet (its entry in workbook.xml and its part)."""
    member = layout()[0][title]
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as z:
        book = z.read("xl/workbook.xml").decode()
    book = re.sub(rf'<sheet [^>]*name="{re.escape(title)}"[^>]*/>', "", book)
    return rezip({member: None, "xl/workbook.xml": book.encode()})


def _many_cells(count: int) -> bytes:
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="1"/>' for c in "ABCDEFGHIJ") + "</row>"
                   for r in range(1, count // 10 + 2))
    xml = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    return rezip({layout()[0]["Instruksjoner"]: xml.encode()})


def structure_cases() -> list[Case]:
    """Broken files and sheets: what a careless export or an attacker hands over."""
    members = layout()[0]
    leger = members["Leger"]
    entity_bomb = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi"))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>')
    big_name = _sheet_xml("Leger").replace("<t>Kari Nordmann</t>", "<t>" + "K" * 1_000_000 + "</t>")
    renamed_header = _sheet_xml("Leger").replace("<t>Rolle</t>", "<t>Stilling</t>")
    out_of_range_string = _sheet_xml("Leger").replace(
        '<c r="B2" t="inlineStr"><is><t>Kari Nordmann</t></is></c>', '<c r="B2" t="s"><v>99999</v></c>')
    settings = _sheet_xml(SETTINGS_TITLE)
    rows = layout()[2]
    dup_row = max(rows.values()) + 5
    duplicate_setting = put(put(settings, f"A{dup_row}", "Første dag"), f"B{dup_row}", "02.12.2026")
    return [
        Case("uten arket Leger", lambda: _without_sheet("Leger"), "mangler arket «Leger»", True),
        Case("uten arket Periode og regler", lambda: _without_sheet(SETTINGS_TITLE), f"mangler arket «{SETTINGS_TITLE}»", True),
        Case("uten arket Vakttyper", lambda: _without_sheet("Vakttyper"), "mangler arket «Vakttyper»", True),
        Case("kolonnen Rolle omdøpt", lambda: rezip({leger: renamed_header.encode()}), "Leger!1:1"),
        Case("ødelagt XML i Leger", lambda: rezip({leger: b"<worksheet><sheetData><row>"}), "Leger: arket er skadet"),
        Case("tomt ark Leger", lambda: rezip({leger: b""}), "Leger: arket er skadet"),
        Case("entitetsbombe i Leger", lambda: rezip({leger: entity_bomb.encode()}), "Leger: arket er skadet"),
        Case("avkuttet zip", lambda: template_bytes()[: len(template_bytes()) // 2], "filen er", True),
        Case("tilfeldige bytes", lambda: random.Random(SEED).randbytes(5000), "ikke en Excel-arbeidsbok", True),
        Case("kryptert (OLE2)", lambda: bytes.fromhex("D0CF11E0A1B11AE1") + bytes(2000), "passordbeskyttet", True),
        Case("CSV med .xlsx-navn", lambda: b"navn;rolle\nKari;fastlege\n", "ikke en Excel-arbeidsbok", True),
        Case("zip-bombe", lambda: rezip({}, {"xl/media/fyll.bin": bytes(MAX_UNPACKED_BYTES + 1)}), "utpakket", True),
        Case("for mange celler", lambda: _many_cells(MAX_CELLS + 10), "Instruksjoner: arbeidsboken har mer enn"),
        Case("verdi i siste rad", edited("Leger", "A1048576", "x"), "Leger!A1048576"),
        Case("verdi i kolonne XFD", edited("Fravær", "XFD2", "x"), "Fravær!XFD2"),
        Case(f"verdi i kolonne {MAX_COLUMNS + 1}", edited("Ønsker", f"{get_column_letter(MAX_COLUMNS + 1)}5", 1),
             f"Ønsker!{get_column_letter(MAX_COLUMNS + 1)}5"),
        Case("uten workbook.xml", lambda: rezip({"xl/workbook.xml": None}), "ikke en Excel-arbeidsbok", True),
        Case("uten relasjoner", lambda: rezip({"xl/_rels/workbook.xml.rels": None}), "arbeidsboken", True),
        Case("ødelagt styles.xml", lambda: rezip({"xl/styles.xml": b"<styleSheet"}), "arbeidsboken kan ikke leses", True),
        Case("delt tekst utenfor tabellen", lambda: rezip({leger: out_of_range_string.encode()}),
             "arbeidsboken kan ikke leses", True),
        Case("navn på en million tegn", lambda: rezip({leger: big_name.encode()}), "Leger!B2"),
        Case("innstilling to ganger", lambda: rezip({members[SETTINGS_TITLE]: duplicate_setting.encode()}),
             f"{SETTINGS_TITLE}!A{dup_row}"),
        Case("lege-ID to ganger", edited("Leger", "A3", "kari.n"), "Leger!A3"),
        Case("historikk to ganger", edited("Historikk", "A3", "kari.n"), "Historikk!A3"),
        Case("fødselsdato i fremtiden", edited("Leger", "E2", "01.01.2030"), "Leger!E2"),
    ]


def workbook_cases(count: int = 230) -> list[Case]:
    """Every structural case and a seeded sample of the cell cases, ``count`` in all."""
    structure = structure_cases()
    cells = cell_cases()
    return structure + random.Random(SEED).sample(cells, min(len(cells), count - len(structure)))


# --------------------------------------------------------------------------- scenario files


@cache
def scenario_data() -> dict[str, Any]:
    return small().model_dump(mode="json")


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list) and value and all(isinstance(v, (dict, list)) for v in value):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    return [(path, value)]


def json_path(path: tuple[Any, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    data = json.loads(json.dumps(data))
    target = data
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    return data


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^\d{2}:\d{2}(:\d{2})?$")
FREE_TEXT = {"name", "address", "note", "label", "required_skill", "first", "then"}


def _bad_values(path: tuple[Any, ...], value: Any) -> list[Any]:
    """Values the leaf at ``path`` cannot hold, judged by what it holds now."""
    if isinstance(value, bool):
        return ["kanskje", {"ja": 1}]
    if isinstance(value, (int, float)):
        return ["mange", -1, 1e300, float("nan"), Huge()]
    if isinstance(value, str) and DATE.match(value):
        return ["2026-02-30", "0001-01-01", 86400]
    if isinstance(value, str) and TIME.match(value):
        return ["25:00", 960, "08:00+01:00"]
    if isinstance(value, str):
        return [{"tekst": value}, ["liste"]] if path[-1] in FREE_TEXT else [{"tekst": value}, 12345]
    if value is None:
        return [{"tom": None}]
    if isinstance(value, list):
        return ["ikke en liste"]
    return []


class Huge(int):
    """Written as an integer literal of 5000 digits."""


def _dump(data: Any, fmt: str) -> bytes:
    if fmt == "json":
        text = json.dumps(data, ensure_ascii=False, default=str)
        return re.sub(r'"HUGE"', "9" * 5000, text).encode()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return text.replace("HUGE", "9" * 5000).encode()


def _mutated(path: tuple[Any, ...], value: Any, fmt: str) -> Callable[[], bytes]:
    def make() -> bytes:
        shown = "HUGE" if isinstance(value, Huge) else value
        return _dump(_set(scenario_data(), path, shown), fmt)
    return make


def _text_cases() -> list[Case]:
    base_json = json.dumps(scenario_data(), ensure_ascii=False, indent=1)
    base_yaml = yaml.safe_dump(scenario_data(), allow_unicode=True, sort_keys=False)
    bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n" for p, n in zip("abcdefg", "bcdefgh"))
    cut = [Case(f"json avkuttet ved {n}", (lambda n=n: base_json[:n].encode()), "linje ", suffix=".json")
           for n in random.Random(SEED).sample(range(10, len(base_json) - 10), 8)]
    return cut + [
        Case("json med kommafeil", lambda: base_json.replace('",\n', '"\n', 1).encode(), "linje ", suffix=".json"),
        Case("json to ganger samme felt", suffix=".json", where="name: feltet står to ganger",
             make=lambda: base_json.replace('"name": "test"', '"name": "a", "name": "b"', 1).encode()),
        Case("yaml to ganger samme felt", lambda: (base_yaml + "name: igjen\n").encode(), "linje ", suffix=".yaml"),
        Case("json dyp nesting", lambda: ('{"name": ' + "[" * 5000 + "]" * 5000 + "}").encode(), "(rot)",
             suffix=".json"),
        Case("yaml dyp nesting", lambda: ("name: " + "[" * 5000 + "]" * 5000 + "\n").encode(), "linje ",
             suffix=".yaml"),
        Case("yaml aliasbombe", lambda: bomb.encode(), "(rot)", suffix=".yaml"),
        Case("yaml python-objekt", lambda: b"name: !!python/object/apply:os.system ['true']\n", "linje ",
             suffix=".yaml"),
        Case("yaml tabulator", lambda: base_yaml.replace("\n  ", "\n\t", 1).encode(), "linje ", suffix=".yaml"),
        Case("ikke UTF-8", lambda: base_json.encode("utf-16"), "UTF-8", True, ".json"),
        Case("liste i roten", lambda: b"[1, 2, 3]", "(rot)", suffix=".json"),
        Case("tom fil", lambda: b"", "(rot)", suffix=".yaml"),
        Case("tom json-fil", lambda: b"", "linje 1, kolonne 1", suffix=".json"),
        Case("json NaN i vekt", lambda: base_json.replace('"open_slot": 100000', '"open_slot": NaN').encode(),
             "rules.weights.open_slot", suffix=".json"),
        Case("yaml uten anførselstegn rundt klokkeslett", suffix=".yaml", where="rules.night_start",
             make=lambda: re.sub(r"night_start: '(\d\d:\d\d):00'", r"night_start: \1", base_yaml).encode()),
        Case("json over 20 MB", lambda: b" " * (20 * 2**20 + 1), "større enn 20 MB", True, ".json"),
    ]


def scenario_cases(count: int = 130) -> list[Case]:
    """Text-level breakage and a seeded sample of one bad leaf each, in JSON or YAML."""
    rng = random.Random(SEED)
    leaves = [(path, value) for path, value in _leaves(scenario_data()) if _bad_values(path, value)]
    mutations = [(path, bad, fmt) for path, value in leaves for bad in _bad_values(path, value)
                 for fmt in ("json", "yaml")]
    text = _text_cases()
    chosen = rng.sample(mutations, min(len(mutations), count - len(text)))
    return text + [Case(f"{fmt} {json_path(path)}={bad!r:.30}", _mutated(path, bad, fmt), json_path(path),
                        suffix=f".{fmt}") for path, bad, fmt in chosen]
