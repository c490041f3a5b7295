"""The workbook a manager fills in, empty or filled from a scenario (``roster template --from``).

Every sheet, header, dropdown and instruction line comes from ``schema``, so the template and the
reader cannot drift apart.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from roster.excel.cells import cell_text, set_text, text_only, write_value
from roster.excel.layout import BOLD, TITLE_FONT, WRAP, header_row, printable
from roster.excel.schema import (
    COURSES,
    DATE_FORMAT,
    DATETIME_FORMAT,
    DAY_TYPE_CHOICES,
    EXEMPTIONS,
    INSTRUCTIONS_TITLE,
    LISTS_TITLE,
    REFERENCE_SHEETS,
    SETTINGS,
    SETTINGS_TITLE,
    TABLES,
    TIME_FORMAT,
    Column,
    Kind,
    Table,
    enum_values,
)
from roster.models import DayType, Rules, Scenario

FORMATTED_ROWS = 300  # empty rows given date/time formats and dropdowns, for the manager to fill
REFERENCE_ROWS = 1000
YES_NO = ("ja", "nei")


def _get(item: dict[str, Any], path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(item, dict) or part not in item:
            return None
        item = item[part]
    return item


def _rows(table: Table, scenario: Scenario | None) -> list[dict[str, Any]]:
    if scenario is None:
        return []
    data = scenario.model_dump()
    if table is COURSES:
        return [{"doctor": d["id"], "name": name, "expires": expires}
                for d in data["doctors"] for name, expires in d["courses"].items()]
    if table is EXEMPTIONS:
        return [{"doctor": d["id"], **e} for d in data["doctors"] for e in d["exemptions"]]
    return data[table.key]


class _Lists:
    """The hidden sheet holding dropdown values (a list with commas cannot be written inline)."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.columns: dict[tuple[str, ...], str] = {}

    def source(self, values: tuple[str, ...]) -> str:
        if values not in self.columns:
            col = len(self.columns) + 1
            for r, v in enumerate(values, start=1):
                self.ws.cell(r, col, v)
            letter = get_column_letter(col)
            self.columns[values] = f"{quote_sheetname(self.ws.title)}!${letter}$1:${letter}${len(values)}"
        return self.columns[values]


def _validation(column: Column, lists: _Lists) -> DataValidation | None:
    """A dropdown for the column, if it has a closed set of values (or refers to another sheet)."""
    kind = column.kind
    strict = True
    if kind == Kind.BOOL:
        formula = lists.source(YES_NO)
    elif kind == Kind.ENUM:
        formula = lists.source(tuple(enum_values(column)))
    elif kind == Kind.ENUM_LIST and column.enum is DayType:
        formula, strict = lists.source(DAY_TYPE_CHOICES), False
    elif kind in REFERENCE_SHEETS or kind == Kind.STATION_LIST:
        sheet = REFERENCE_SHEETS.get(kind) or REFERENCE_SHEETS[Kind.STATION]
        formula = f"{quote_sheetname(sheet.title)}!$A$2:$A${REFERENCE_ROWS}"
        strict = kind != Kind.STATION_LIST  # a comma list of stations is allowed too
    else:
        return None
    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=strict)
    if strict:
        dv.errorTitle = "Ugyldig verdi"
        dv.error = "Velg en verdi fra listen."
    return dv


def _number_format(kind: Kind) -> str | None:
    return {Kind.DATE: DATE_FORMAT, Kind.TIME: TIME_FORMAT, Kind.DATE_OR_DATETIME: DATE_FORMAT,
            Kind.DATETIME: DATETIME_FORMAT}.get(kind)


def _table_sheet(wb: Workbook, table: Table, scenario: Scenario | None, lists: _Lists) -> None:
    ws = wb.create_sheet(table.title)
    header_row(ws, 1, [c.header for c in table.columns], [c.width for c in table.columns])
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32
    printable(ws, "1:1")
    items = _rows(table, scenario)
    for r, item in enumerate(items, start=2):
        for i, column in enumerate(table.columns, start=1):
            write_value(ws.cell(r, i), cell_text(column.kind, _get(item, column.field)))
    last = max(len(items) + 1, FORMATTED_ROWS)
    for i, column in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        fmt = _number_format(column.kind)
        if fmt:
            for r in range(len(items) + 2, last + 1):
                ws.cell(r, i).number_format = fmt
        dv = _validation(column, lists)
        if dv is not None:
            dv.add(f"{letter}2:{letter}{last}")
            ws.add_data_validation(dv)


def _settings_sheet(wb: Workbook, scenario: Scenario | None, lists: _Lists) -> None:
    ws = wb.create_sheet(SETTINGS_TITLE)
    header_row(ws, 1, ["Innstilling", "Verdi", "Forklaring"], [40, 18, 90])
    ws.freeze_panes = "A2"
    printable(ws, "1:1")
    data = scenario.model_dump() if scenario else {"rules": Rules().model_dump()}
    bools = DataValidation(type="list", formula1=lists.source(YES_NO), allow_blank=True)
    ws.add_data_validation(bools)
    for r, setting in enumerate(SETTINGS, start=2):
        set_text(ws.cell(r, 1), setting.label)
        if setting.required:
            ws.cell(r, 1).font = BOLD
        raw = _get(data, setting.path)
        value = cell_text(setting.kind, raw)
        cell = ws.cell(r, 2)
        if raw == setting.off and setting.nullable and scenario is not None:
            set_text(cell, "ingen")
        else:
            write_value(cell, value)
            if value is None and _number_format(setting.kind):
                cell.number_format = _number_format(setting.kind) or "General"
        if setting.kind == Kind.BOOL:
            bools.add(cell.coordinate)
        if setting.help:
            set_text(ws.cell(r, 3), setting.help)


def _instructions_sheet(wb: Workbook) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS_TITLE
    for letter, width in zip("ABCD", (30, 80, 28, 12)):
        ws.column_dimensions[letter].width = width
    ws.cell(1, 1, "Slik fyller du ut arbeidsboken").font = TITLE_FONT
    intro = [
        "Fyll inn arkene fra venstre mot høyre. Første rad i hvert ark er overskrifter: ikke endre dem.",
        "Tomme rader hoppes over; ekstra kolonner til høyre blir ikke lest. Felt merket «ja» under "
        "«Må fylles ut» må ha en verdi; tomme felt ellers får standardverdien.",
        "Datoer skrives dd.mm.åååå (eller som Excel-dato), klokkeslett tt:mm (16:00 eller 16.00), "
        "ja/nei-felt som ja eller nei. Lister skrives med komma: «BLV, FANA».",
        "Leger, stasjoner og vakttyper viser til hverandre med ID. Rullegardinlistene viser gyldige verdier.",
        "Kjør «roster solve ARBEIDSBOK.xlsx» for å lage vaktplanen. Feil meldes med ark og celle, f.eks. "
        "«Leger!C7: ukjent rolle …».",
    ]
    r = 3
    for line in intro:
        ws.cell(r, 1, line).alignment = WRAP
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        ws.row_dimensions[r].height = 30
        r += 1
    r += 1
    ws.cell(r, 1, SETTINGS_TITLE).font = TITLE_FONT
    r += 1
    ws.cell(r, 1, "Én innstilling per rad: navn i kolonne A, verdi i kolonne B. Tom verdi gir standardverdien.")
    r += 1
    header_row(ws, r, ["Innstilling", "Forklaring", "Eksempel (standard)", "Må fylles ut"])
    defaults = {"rules": Rules().model_dump()}
    for setting in SETTINGS:
        r += 1
        set_text(ws.cell(r, 1), setting.label)
        ws.cell(r, 2, setting.help).alignment = WRAP
        if setting.example:
            set_text(ws.cell(r, 3), setting.example)
        else:
            default = _get(defaults, setting.path)
            if setting.nullable and default == setting.off:
                set_text(ws.cell(r, 3), "ingen")
            else:  # a setting without a default is left blank: «ingen» would be refused there
                write_value(ws.cell(r, 3), cell_text(setting.kind, default))
            ws.cell(r, 3).alignment = Alignment(horizontal="left")
        ws.cell(r, 4, "ja" if setting.required else "")
    for table in TABLES:
        r += 2
        ws.cell(r, 1, table.title).font = TITLE_FONT
        r += 1
        ws.cell(r, 1, table.help).alignment = WRAP
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
        r += 1
        header_row(ws, r, ["Kolonne", "Forklaring", "Eksempel", "Må fylles ut"])
        for column in table.columns:
            r += 1
            set_text(ws.cell(r, 1), column.header)
            ws.cell(r, 2, column.help).alignment = WRAP
            if column.example:
                set_text(ws.cell(r, 3), column.example)
            ws.cell(r, 4, "ja" if column.required else "")
    printable(ws, landscape=False)


def build_template(scenario: Scenario | None = None) -> Workbook:
    wb = Workbook()
    _instructions_sheet(wb)
    lists_ws = wb.create_sheet(LISTS_TITLE)
    lists = _Lists(lists_ws)
    _settings_sheet(wb, scenario, lists)
    for table in TABLES:
        _table_sheet(wb, table, scenario, lists)
    wb.move_sheet(lists_ws, offset=len(wb.worksheets))
    lists_ws.sheet_state = "hidden"
    return text_only(wb)


def write_template(path: str | Path, scenario: Scenario | None = None) -> None:
    """Write the template; with a scenario, filled with it (so an example ships as a workbook)."""
    build_template(scenario).save(path)

