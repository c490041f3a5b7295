"""Files a manager downloads to mail out or fill in: every doctor's personal links in one CSV or
workbook, and the scenario template workbook (blank, or filled from a scenario)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from openpyxl import Workbook

from roster.excel import write_template
from roster.excel.cells import text_only
from roster.excel.layout import header_row, printable
from roster.models import Scenario
from roster.output import csv_safe

LINK_HEADERS = ["Navn", "ID", "Rolle", "E-post", "Telefon", "Personlig side", "Kalender (iCal)"]


def link_rows(scenario: Scenario, pages: dict[str, str], feeds: dict[str, str]) -> list[list[str]]:
    """One row per doctor in the scenario's order: who, how to reach them, their two links."""
    return [[d.name, d.id, d.role.value, d.email, d.phone, pages[d.id], feeds[d.id]] for d in scenario.doctors]


def links_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with BOM and ';', like roster.csv, so Excel and mail-merge tools open it directly."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(LINK_HEADERS)
    writer.writerows([csv_safe(field) for field in row] for row in rows)  # OWASP: no field runs as a formula
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def links_xlsx(scenario: Scenario, rows: list[list[str]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Lenker"
    ws.cell(1, 1, f"Personlige lenker · {scenario.name}")
    header_row(ws, 3, LINK_HEADERS, [24, 12, 12, 26, 14, 60, 60])
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c)
            cell.value = value
            cell.data_type = "s"  # a name or number starting with = stays text
            if c >= 6:
                cell.hyperlink = value
    ws.freeze_panes = "B4"
    printable(ws, "3:3")
    buffer = io.BytesIO()
    text_only(wb).save(buffer)
    return buffer.getvalue()


def template_bytes(scenario: Scenario | None = None) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mal.xlsx"
        write_template(path, scenario)
        return path.read_bytes()
