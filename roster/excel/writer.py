"""The roster as a workbook to print, hang on the wall and mail: one Vaktplan sheet per station,
Per lege, Fordeling, Mangler, Sammendrag and Historikk ut.

The Vaktplan and Per lege layouts are also what ``roster_reader`` reads back, including rosters a
manager typed by hand, so both modules take their markers and headers from here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from roster import __version__
from roster.calendar import OSLO, WEEKDAY_NAMES, ShiftIndex, real_hours
from roster.days import HolidayCalendar
from roster.excel.cells import cell_text, set_text, text_only, write_value
from roster.excel.layout import (
    BOLD,
    CENTER,
    GRID,
    SHEET_TITLE_MAX,
    TITLE_FONT,
    WRAP,
    header_row,
    printable,
    safe_title,
)
from roster.carry import carried_out, ledger_out
from roster.excel.schema import CARRY_IN, HISTORY, HOLIDAY_LEDGER, SETTINGS
from roster.excel.schema import Table as SheetTable
from roster.explanation import explanation_text
from roster.metrics import doctor_metrics, history_out
from roster.models import Roster, Scenario, ShiftTemplate, Station
from roster.terms import OPEN_MARK, OPEN_PLACE, OPEN_PLACES

VAKTPLAN_PREFIX = "Vaktplan "
PER_DOCTOR_TITLE = "Per lege"
VERSION_LABEL = "Versjon"  # the Sammendrag row naming the stored roster version (read back on upload)
DATE_HEADER = "Dato"
DOCTOR_HEADER = "Lege"

# One colour per station (dark for headers and tabs, light for cells), in station order.
STATION_COLOURS = [("1F4E79", "DDEBF7"), ("375623", "E2EFDA"), ("7F3F00", "FCE4D6"), ("3F3151", "E4DFEC"),
                   ("0E5E5E", "DAEEF3"), ("7F6000", "FFF2CC"), ("5B5B5B", "EDEDED")]
WEEKEND_FILL = PatternFill("solid", fgColor="F2F2F2")
HOLIDAY_FILL = PatternFill("solid", fgColor="FFE699")
OPEN_FILL = PatternFill("solid", fgColor="FF7C80")
OPEN_FONT = Font(bold=True, color="9C0006")
NOT_RUNNING_FILL = PatternFill("solid", fgColor="D9D9D9")
WEEKDAY_SHORT = ("ma", "ti", "on", "to", "fr", "lø", "sø")

STATUS_TEXT = {
    "optimal": "optimal (bevist beste)",
    "feasible": "gyldig (ikke bevist beste innen tidsgrensen)",
    "infeasible": "umulig: ingen vaktplan oppfyller alle harde regler",
    "unknown": "ukjent: fant ingen vaktplan innen tidsgrensen",
    "model_invalid": "modellfeil (programfeil)",
}


@dataclass(frozen=True)
class Edition:
    """Which stored version a workbook shows: printed in every sheet's header, and written in
    Sammendrag so an edited copy uploaded again is known to come from that version."""

    version: int | None = None  # the web service's roster version; None from the command line
    status: str = "utkast"  # utkast, publisert or erstattet


def station_colours(scenario: Scenario) -> dict[str, tuple[str, str]]:
    return {s.id: STATION_COLOURS[i % len(STATION_COLOURS)] for i, s in enumerate(scenario.stations)}


def vaktplan_titles(scenario: Scenario) -> dict[str, str]:
    """Station id → the name of its Vaktplan sheet. Excel allows 31 characters and compares names
    ignoring case, so two long station names can cut to one sheet name: the later gets a number.
    The reader computes the same names to find each sheet's station."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for station in scenario.stations:
        full = title = safe_title(VAKTPLAN_PREFIX + station.name)
        n = 1
        while title.casefold() in taken:
            n += 1
            title = full[:SHEET_TITLE_MAX - len(f" ({n})")].rstrip() + f" ({n})"
        taken.add(title.casefold())
        out[station.id] = title
    return out


def column_header(template: ShiftTemplate) -> str:
    """What heads a template's column in Vaktplan: its label and hours ("kveld 16:00–23:00")."""
    return f"{template.label} {template.start:%H:%M}–{template.end:%H:%M}"


def station_templates(scenario: Scenario, station: Station) -> list[ShiftTemplate]:
    templates = [t for t in scenario.templates if t.station == station.id]
    return sorted(templates, key=lambda t: (t.duty.value != "tilstedevakt", t.start, t.id))


def plan_columns(scenario: Scenario, station: Station, index: ShiftIndex) -> list[tuple[str, list[ShiftTemplate]]]:
    """The Vaktplan columns of a station: templates with the same label and hours share a column
    when they never run on the same day (weekday and weekend bakvakt 08–16); otherwise the header
    adds the template id to tell them apart."""
    groups: dict[str, list[ShiftTemplate]] = {}
    for t in station_templates(scenario, station):
        groups.setdefault(column_header(t), []).append(t)
    days = {t.id: {s.date for s in index.shifts if s.template == t.id} for t in scenario.templates}
    out: list[tuple[str, list[ShiftTemplate]]] = []
    for header, templates in groups.items():
        disjoint = all(not (days[a.id] & days[b.id]) for i, a in enumerate(templates) for b in templates[i + 1:])
        if disjoint:
            out.append((header, templates))
        else:
            out.extend((f"{header} ({t.id})", [t]) for t in templates)
    return out


def _day_fill(calendar: HolidayCalendar, day: dt.date) -> PatternFill | None:
    if calendar.day_name(day):
        return HOLIDAY_FILL
    if day.weekday() >= 5:
        return WEEKEND_FILL
    return None


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


# --------------------------------------------------------------------------- Vaktplan


def _vaktplan(wb: Workbook, scenario: Scenario, roster: Roster, index: ShiftIndex, station: Station, title: str,
              colours: tuple[str, str]) -> None:
    ws = wb.create_sheet(title)
    ws.sheet_properties.tabColor = colours[0]
    columns = plan_columns(scenario, station, index)
    names = {d.id: d.name for d in scenario.doctors}
    on_shift: dict[str, list[str]] = defaultdict(list)
    for a in sorted(roster.assignments, key=lambda a: names.get(a.doctor, a.doctor)):
        on_shift[a.shift].append(names.get(a.doctor, a.doctor))
    missing = {f"{o.template}/{o.date.isoformat()}": o.missing for o in roster.open_slots}

    ws.cell(1, 1, f"Vaktplan {station.name}").font = TITLE_FONT
    ws.cell(2, 1, f"{scenario.name} · {scenario.period.start:%d.%m.%Y}–{scenario.period.end:%d.%m.%Y}")
    headers = [DATE_HEADER, "Ukedag", "Helligdag"] + [header for header, _ in columns]
    widths = [12, 10, 16] + [22] * len(columns)
    header_row(ws, 4, headers, widths)
    for i in range(len(columns)):
        ws.cell(4, 4 + i).fill = _fill(colours[0])
    ws.row_dimensions[4].height = 32
    calendar = index.calendar
    for r, day in enumerate(scenario.period.days(), start=5):
        fill = _day_fill(calendar, day)
        write_value(ws.cell(r, 1), day)
        ws.cell(r, 2, WEEKDAY_NAMES[day.weekday()].capitalize())
        if calendar.day_name(day):
            set_text(ws.cell(r, 3), calendar.day_name(day) or "")
        lines = 1
        for i, (_, templates) in enumerate(columns):
            running = [t for t in templates if f"{t.id}/{day.isoformat()}" in index.by_key]
            key = f"{(running or templates)[0].id}/{day.isoformat()}"
            cell = ws.cell(r, 4 + i)
            entries = on_shift.get(key, []) + [OPEN_MARK] * missing.get(key, 0)
            if entries:
                set_text(cell, "\n".join(entries))
                lines = max(lines, len(entries))
            if missing.get(key):
                cell.fill, cell.font = OPEN_FILL, OPEN_FONT
            elif key not in index.by_key:
                cell.fill = NOT_RUNNING_FILL
            elif fill:
                cell.fill = fill
            cell.alignment = CENTER
            cell.border = GRID
        for c in range(1, 4):
            ws.cell(r, c).border = GRID
            ws.cell(r, c).alignment = Alignment(vertical="center")
            if fill:
                ws.cell(r, c).fill = fill
        if fill:
            ws.cell(r, 2).font = BOLD
        ws.row_dimensions[r].height = 15 * lines + 3
    ws.freeze_panes = "D5"
    # a month on one sheet of paper for the wall; portrait while the columns fit
    printable(ws, "4:4", landscape=len(columns) > 5, one_page=True)
    _legend(ws, len(scenario.period.days()) + 6)


def _legend(ws: Worksheet, row: int) -> None:
    ws.cell(row, 1, "Forklaring:").font = BOLD
    for fill, text in ((WEEKEND_FILL, "helg"), (HOLIDAY_FILL, "helligdag eller høytidsaften"),
                       (OPEN_FILL, f"{OPEN_MARK}: {OPEN_PLACE}, se arket Mangler"),
                       (NOT_RUNNING_FILL, "vakten går ikke denne dagen")):
        ws.cell(row, 2).fill = fill
        ws.cell(row, 3, text)
        row += 1


# --------------------------------------------------------------------------- Per lege


def _per_doctor(wb: Workbook, scenario: Scenario, roster: Roster, index: ShiftIndex, metrics: dict) -> None:
    ws = wb.create_sheet(PER_DOCTOR_TITLE)
    colours = station_colours(scenario)
    days = scenario.period.days()
    codes: dict[tuple[str, dt.date], list[str]] = defaultdict(list)
    for a in sorted(roster.assignments, key=lambda a: (a.date, a.template)):
        codes[(a.doctor, a.date)].append(a.template)
    station_of = {t.id: t.station for t in scenario.templates}
    ws.cell(1, 1, f"Vakter per lege · {scenario.name} · "
                  f"{scenario.period.start:%d.%m.%Y}–{scenario.period.end:%d.%m.%Y}").font = TITLE_FONT
    totals = ["Vakter", "Timer", "Netter", "Helg", "Helligdag", "Bakvakt timer", "Poeng"]
    header_row(ws, 4, [DOCTOR_HEADER, "Rolle"] + [""] * len(days) + totals,
               [24, 10] + [10] * len(days) + [8] * len(totals))
    first_total = 3 + len(days)
    for j, day in enumerate(days):
        top = ws.cell(3, 3 + j, WEEKDAY_SHORT[day.weekday()])
        top.alignment = CENTER
        cell = ws.cell(4, 3 + j)
        write_value(cell, day)
        cell.number_format = "dd.mm"
        fill = _day_fill(index.calendar, day)
        if fill:
            top.fill = fill
            cell.font = Font(bold=True, color="000000")
            cell.fill = fill
    for r, doctor in enumerate(scenario.doctors, start=5):
        set_text(ws.cell(r, 1), doctor.name)
        ws.cell(r, 2, doctor.role.value)
        for j, day in enumerate(days):
            cell = ws.cell(r, 3 + j)
            mine = codes.get((doctor.id, day), [])
            if mine:
                set_text(cell, ", ".join(mine))
                cell.fill = _fill(colours.get(station_of.get(mine[0], ""), ("", "FFFFFF"))[1])
            else:
                fill = _day_fill(index.calendar, day)
                if fill:
                    cell.fill = fill
            cell.alignment = CENTER
            cell.border = GRID
        m = metrics[doctor.id]
        for k, value in enumerate([m.shifts, round(m.hours, 1), m.nights, m.weekends, m.holidays,
                                   round(m.bakvakt_hours, 1), round(m.points, 1)]):
            ws.cell(r, first_total + k, value).border = GRID
    ws.freeze_panes = "C5"
    printable(ws, "3:4")
    row = len(scenario.doctors) + 7
    ws.cell(row, 1, "Vaktkoder:").font = BOLD
    stations = {s.id: s.name for s in scenario.stations}
    for t in scenario.templates:
        row += 1
        set_text(ws.cell(row, 1), t.id)
        ws.cell(row, 1).fill = _fill(colours[t.station][1])
        ws.cell(row, 2, f"{stations[t.station]}, {t.label} {t.start:%H:%M}–{t.end:%H:%M} ({t.duty.value})")


# --------------------------------------------------------------------------- Fordeling, Mangler, Sammendrag, Historikk


def _fraction(value: float | None) -> float | None:
    """A share shown as a percentage: rounded so the cell stays a number (write_value turns floats
    with more than 15 significant digits into exact text, which breaks sorting and shading)."""
    return None if value is None else round(value, 4)


def _table(ws: Worksheet, row: int, headers: list[str], widths: list[int], rows: list[list[object]]) -> int:
    header_row(ws, row, headers, widths)
    ws.row_dimensions[row].height = 32
    for r, values in enumerate(rows, start=row + 1):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c)
            write_value(cell, value)
            cell.border = GRID
    return row + len(rows)


FAIRNESS_HEADERS = ["Lege", "Rolle", "Gruppe", "Vaktandel", "Vakter", "Timer", "Netter", "Kvelder", "Helg", "Helligdag",
                    "Bakvakt timer", "Poeng", "Historikk poeng", "Nominelt mål", "Mål etter kapasitet",
                    "Historikk (trekkes fra)", "Mål", "Avvik", "Avvik per andel", "Hovedbok før", "Hovedbok etter",
                    "Hvorfor målet er flyttet", "Ønsker innfridd", "Ønsker ikke innfridd"]
DEVIATION_COLUMN = FAIRNESS_HEADERS.index("Avvik") + 1


def _fairness(wb: Workbook, scenario: Scenario, metrics: dict) -> None:
    """Per doctor the nominal target (share of the group's burden) beside the capacity-aware one
    and the ledger's correction, as numbers, with the reason they differ (roster.targets)."""
    ws = wb.create_sheet("Fordeling")
    ws.cell(1, 1, "Fordeling av vaktbelastning").font = TITLE_FONT
    ws.cell(2, 1, "Nominelt mål = vaktandelens del av gruppens belastning. Mål etter kapasitet: den som ikke kan ta "
                  "sin del (fravær, fritak, grenser), får det den kan; resten deles på de andre etter andel. "
                  "Mål = mål etter kapasitet − historikk, aldri under de letteste vaktene legen skal ta uansett "
                  "(minste antall vakter; det andre må ta slik, senker nivået for resten av gruppen). "
                  "Avvik = (poeng − mål) / mål; avvik per andel i poeng. "
                  "Hovedbok: poeng foran (+) eller bak (−) rettferdig andel over tid.")
    rows = []
    for d in scenario.doctors:
        m = metrics[d.id]
        rows.append([m.name, m.role, m.pool, m.share, m.shifts, round(m.hours, 1), m.nights, m.evenings, m.weekends,
                     m.holidays, round(m.bakvakt_hours, 1), round(m.points, 1), round(m.history_points, 1),
                     round(m.nominal_target, 1), round(m.capacity_target, 1), round(m.repay, 1), round(m.target, 1),
                     _fraction(m.relative_deviation), round(m.deviation_per_share, 1), round(m.balance_before, 1),
                     round(m.balance_after, 1), m.why, m.wishes_granted, m.wishes_denied])
    _table(ws, 4, FAIRNESS_HEADERS, [24, 10, 12] + [10] * 18 + [40, 10, 10], rows)
    for r in range(5, 5 + len(rows)):
        cell = ws.cell(r, DEVIATION_COLUMN)
        cell.number_format = "0.0 %"
        if isinstance(cell.value, float) and abs(cell.value) > 0.15:
            cell.fill = _fill("FCE4D6" if cell.value > 0 else "DDEBF7")
    ws.freeze_panes = "B5"
    printable(ws, "4:4")


def _missing(wb: Workbook, scenario: Scenario, roster: Roster, index: ShiftIndex) -> None:
    ws = wb.create_sheet("Mangler")
    ws.cell(1, 1, OPEN_PLACES.capitalize()).font = TITLE_FONT
    stations = {s.id: s.name for s in scenario.stations}
    rows = []
    for o in sorted(roster.open_slots, key=lambda o: (o.date, o.template)):
        s = index.by_key.get(f"{o.template}/{o.date.isoformat()}")
        where = stations.get(s.station, s.station) if s else ""
        label = s.label if s else o.template
        hours = f"{s.start.astimezone(OSLO):%H:%M}–{s.end.astimezone(OSLO):%H:%M}" if s else ""
        rows.append([o.date, WEEKDAY_NAMES[o.date.weekday()], where, label, hours, o.missing,
                     o.reason or "ukjent"])
    if not rows:
        ws.cell(3, 1, f"Ingen {OPEN_PLACES}: alle vakter er besatt.")
        row = 3
    else:
        row = _table(ws, 3, ["Dato", "Dag", "Stasjon", "Vakt", "Tid", OPEN_PLACES.capitalize(), "Hvorfor"],
                     [12, 10, 22, 12, 13, 10, 80], rows)
        for r in range(4, row + 1):
            ws.cell(r, 7).alignment = WRAP
            for c in range(1, 8):
                ws.cell(r, c).fill = _fill("FFC7CE")
    row += 2
    ws.cell(row, 1, "Timer uten navngitt spesialist på bakvakt").font = TITLE_FONT
    gaps = [[a.astimezone(OSLO).replace(tzinfo=None), b.astimezone(OSLO).replace(tzinfo=None),
             round(real_hours(a, b), 2)] for a, b in roster.uncovered_bakvakt]
    if gaps:
        _table(ws, row + 1, ["Fra", "Til", "Timer"], [17, 17, 9], gaps)
    else:
        ws.cell(row + 1, 1, "Ingen: en navngitt spesialist er på bakvakt hele tiden.")
    explanation = roster.explanation
    if explanation is not None:
        row += 2 + max(1, len(gaps))
        ws.cell(row, 1, "Hvorfor vaktene ikke kan fylles").font = TITLE_FONT
        for line in explanation_text(explanation).splitlines():
            row += 1
            set_text(ws.cell(row, 1), line)
    ws.freeze_panes = "A4"
    printable(ws)


def _summary(wb: Workbook, scenario: Scenario, roster: Roster, edition: Edition) -> None:
    ws = wb.create_sheet("Sammendrag")
    ws.column_dimensions["A"].width = 42
    ws.column_dimensions["B"].width = 40
    ws.cell(1, 1, f"Sammendrag · {scenario.name}").font = TITLE_FONT
    stats = roster.stats
    uncovered = sum(real_hours(a, b) for a, b in roster.uncovered_bakvakt)
    lines: list[tuple[str, object]] = [
        ("Periode", f"{scenario.period.start:%d.%m.%Y}–{scenario.period.end:%d.%m.%Y}"),
        (VERSION_LABEL, edition.version if edition.version is not None else "–"),
        ("Vaktplanens status", edition.status),
        ("Tildelte vakter", len(roster.assignments)),
        (OPEN_PLACES.capitalize(), sum(o.missing for o in roster.open_slots)),
        ("Timer uten navngitt spesialist på bakvakt", round(uncovered, 2)),
        ("Neste periode: «Tidligere vakter komplette fra»", carried_out(scenario, roster)[0]),
    ]
    if stats is not None:
        lines += [
            ("Status", STATUS_TEXT.get(stats.status.value, stats.status.value)),
            ("Målfunksjon", stats.objective),
            ("Nedre grense", stats.bound),
            ("Gap", round(stats.gap, 6) if stats.gap is not None else "–"),  # a number Excel holds, not 17 digits of text
            ("Løsetid (s)", round(stats.wall_time, 2)),
            ("Første gyldige plan etter (s)", round(stats.first_feasible_time, 2)
             if stats.first_feasible_time is not None else "–"),
            ("Frø (seed)", stats.seed),
            ("Tråder", stats.workers),
            ("Tidsgrense (s)", stats.time_limit),
            (f"Streng (ingen {OPEN_PLACES})", stats.strict),
            ("Programversjon", stats.program_version or __version__),
        ]
    else:
        lines += [("Status", "laget utenfor programmet (ikke løst her)"), ("Programversjon", __version__)]
    row = 3
    for label, value in lines:
        ws.cell(row, 1, label).font = BOLD
        write_value(ws.cell(row, 2), value)
        ws.cell(row, 2).alignment = Alignment(horizontal="left")
        if label == "Gap" and isinstance(value, float):
            ws.cell(row, 2).number_format = "0.00 %"
        row += 1
    if stats is not None and stats.terms:
        row += 1
        ws.cell(row, 1, "Målfunksjonens ledd (vektet)").font = TITLE_FONT
        for term, value in stats.terms.items():  # named from roster.terms.TERM_NAMES by the solver
            row += 1
            ws.cell(row, 1, term)
            ws.cell(row, 2, value).alignment = Alignment(horizontal="left")
    if roster.warnings:
        row += 2
        ws.cell(row, 1, "Merknader").font = TITLE_FONT
        for w in roster.warnings:
            row += 1
            set_text(ws.cell(row, 1), w)
    row += 2
    ws.cell(row, 1, "Regler brukt").font = TITLE_FONT
    data = scenario.model_dump()
    for setting in SETTINGS[3:]:  # name and period are above
        row += 1
        ws.cell(row, 1, setting.label)
        value = data
        for part in setting.path:
            value = value[part]
        if setting.nullable and value == setting.off:
            set_text(ws.cell(row, 2), "ingen")
        elif value is None:
            set_text(ws.cell(row, 2), "–")
        else:
            write_value(ws.cell(row, 2), cell_text(setting.kind, value))
        ws.cell(row, 2).alignment = Alignment(horizontal="left")
    printable(ws, landscape=False)


def _history(wb: Workbook, scenario: Scenario, roster: Roster, index: ShiftIndex, metrics: dict) -> None:
    """The «… ut» sheets: the same columns as the template's Historikk, Tidligere vakter and
    Høytidsvakter sheets, so each can be pasted into next month's (``roster.carry``)."""
    history = history_out(scenario, roster, index, list(metrics.values()))
    rows = [[getattr(h, c.field[0]) for c in HISTORY.columns] for h in history]
    for row in rows:
        row[2] = round(row[2], 2)
        row[6] = round(row[6], 2)
    _out_sheet(wb, HISTORY, rows)
    _, shifts = carried_out(scenario, roster, index)
    _out_sheet(wb, CARRY_IN, [[getattr(c, col.field[0]) for col in CARRY_IN.columns] for c in shifts])
    ledger = ledger_out(scenario, roster)
    _out_sheet(wb, HOLIDAY_LEDGER, [[getattr(h, col.field[0]) for col in HOLIDAY_LEDGER.columns] for h in ledger])


def _out_sheet(wb: Workbook, table: SheetTable, rows: list[list[object]]) -> None:
    ws = wb.create_sheet(f"{table.title} ut")
    _table(ws, 1, [c.header for c in table.columns], [c.width for c in table.columns], rows)
    ws.freeze_panes = "A2"
    printable(ws, "1:1", landscape=False)


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # a lone & starts a header code in Excel


def _print_headers(wb: Workbook, scenario: Scenario, edition: Edition) -> None:
    """Every printed page says which plan, which period, which version and whether it is published."""
    period = f"{scenario.period.start:%d.%m.%Y}–{scenario.period.end:%d.%m.%Y}"
    version = f"Vaktplan {edition.version} · {edition.status}" if edition.version is not None else edition.status
    written = dt.datetime.now(OSLO).strftime("%d.%m.%Y %H:%M")
    for ws in wb.worksheets:
        ws.oddHeader.left.text = _header_text(scenario.name)
        ws.oddHeader.center.text = f"Periode {period}"
        ws.oddHeader.right.text = _header_text(version.capitalize())
        ws.oddFooter.left.text = f"Skrevet {written}"
        ws.oddFooter.center.text = _header_text(version)
        ws.oddFooter.right.text = "Side &P av &N"


# --------------------------------------------------------------------------- entry points


def build_roster_workbook(scenario: Scenario, roster: Roster, edition: Edition | None = None) -> Workbook:
    edition = edition or Edition()
    index = ShiftIndex(scenario)
    metrics = {m.doctor: m for m in doctor_metrics(scenario, roster, index)}
    wb = Workbook()
    wb.remove(wb.active)
    colours = station_colours(scenario)
    titles = vaktplan_titles(scenario)
    for station in scenario.stations:
        if station_templates(scenario, station):
            _vaktplan(wb, scenario, roster, index, station, titles[station.id], colours[station.id])
    _per_doctor(wb, scenario, roster, index, metrics)
    _fairness(wb, scenario, metrics)
    _missing(wb, scenario, roster, index)
    _summary(wb, scenario, roster, edition)
    _history(wb, scenario, roster, index, metrics)
    _print_headers(wb, scenario, edition)
    return text_only(wb)


def write_roster_workbook(scenario: Scenario, roster: Roster, path: str | Path, edition: Edition | None = None) -> None:
    """The roster as a printable workbook (the Vaktplan and Per lege sheets can be read back)."""
    build_roster_workbook(scenario, roster, edition).save(path)
