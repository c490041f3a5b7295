"""A streaming look at a workbook's sheets before openpyxl loads them.

openpyxl builds every cell of a sheet in memory, and the readers used to walk a sheet up to its
last *formatted* row: a 640 KB workbook that unpacks to 190 MB, or a single value in row 1 048 576,
kept a process busy for minutes. This scan reads each sheet's XML as a stream (constant memory),
counts its cells and finds the range that holds values, and refuses a workbook beyond the limits in
``roster.excel.schema`` before anything heavy happens. It also finds formulas without a value Excel
calculated (openpyxl reads those as empty cells, which would silently mean "use the default").
"""

from __future__ import annotations

import math
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO
from xml.etree import ElementTree

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from roster.excel.schema import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_SHEETS
from roster.input_errors import InputError

_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
DATE_SERIALS = (-693593, 2958466)  # 01.01.0001 up to 01.01.10000: the serials a date can hold
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class SheetScan:
    """What a sheet holds: its cells, the range with values, formulas without a cached value."""

    title: str
    cells: int = 0
    max_row: int = 0
    max_column: int = 0
    uncached: list[str] = field(default_factory=list)  # "A1" refs
    # numbers no date can hold, as typed ("A1" → "1E+308"): openpyxl turns one in a date-formatted
    # cell into the error #VALUE!, and the message should quote what the manager typed
    dateless: dict[str, str] = field(default_factory=dict)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def sheet_members(z: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML member → sheet title, from the workbook part and its relationships."""
    names = set(z.namelist())
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels")) if "xl/_rels/workbook.xml.rels" in names else None
    except (ElementTree.ParseError, KeyError):
        raise InputError(["arbeidsboken er skadet (workbook.xml kan ikke leses); lagre den på nytt som .xlsx"]) from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels} if rels is not None else {}
    out: dict[str, str] = {}
    for sheet in (e for e in book.iter() if _local(e.tag) == "sheet"):
        target = targets.get(sheet.get(_REL_NS), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        if member in names:
            out[member] = sheet.get("name", member)
    if len(out) > MAX_SHEETS:
        raise InputError([f"arbeidsboken har {len(out)} ark; høyst {MAX_SHEETS} kan leses"])
    return out


class _Counter:
    """Cells of the whole workbook, against MAX_CELLS."""

    def __init__(self) -> None:
        self.left = MAX_CELLS

    def take(self, title: str) -> None:
        self.left -= 1
        if self.left < 0:
            raise InputError([f"{title}: arbeidsboken har mer enn {MAX_CELLS:,} celler; ".replace(",", " ")
                              + "slett tomme, formaterte rader og kolonner eller del den opp"])


def _beyond_dates(text: str) -> bool:
    try:
        number = float(text)
    except ValueError:
        return False
    return not (math.isfinite(number) and DATE_SERIALS[0] <= number < DATE_SERIALS[1])


def _scan_cell(elem: ElementTree.Element, scan: SheetScan, row: int, column: int) -> None:
    children = {_local(child.tag): child for child in elem}
    value = children.get("v")
    text = value.text if value is not None else None
    if "f" in children and not text and elem.get("t") != "str":  # a text result may be "" (t="str")
        scan.uncached.append(elem.get("r") or f"{get_column_letter(column)}{row}")
    has_value = bool(text) or "is" in children
    if not has_value:
        return
    if elem.get("t", "n") == "n" and text and _beyond_dates(text):
        scan.dateless[elem.get("r") or f"{get_column_letter(column)}{row}"] = text
    if row > MAX_ROWS:
        raise InputError([f"{scan.title}!{elem.get('r', '')}: arket har en verdi i rad {row:,}; høyst ".replace(",", " ")
                          + f"{MAX_ROWS:,} rader leses (slett innholdet lenger ned)".replace(",", " ")])
    if column > MAX_COLUMNS:
        raise InputError([f"{scan.title}!{elem.get('r', '')}: arket har en verdi i kolonne {column}; høyst "
                          f"{MAX_COLUMNS} kolonner leses (slett innholdet lenger til høyre)"])
    scan.max_row, scan.max_column = max(scan.max_row, row), max(scan.max_column, column)


def scan_sheet(stream: IO[bytes], title: str, counter: _Counter) -> SheetScan:
    """One sheet's XML, streamed: elements are dropped as soon as they are counted."""
    scan = SheetScan(title)
    row = column = 0
    sheet_data = None
    for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            if tag == "sheetData":
                sheet_data = elem
            elif tag == "row":
                row = int(elem.get("r") or row + 1)
                column = 0
            continue
        if tag == "c":
            counter.take(title)
            scan.cells += 1
            m = _REF.match(elem.get("r") or "")
            row, column = (int(m.group(2)), column_index_from_string(m.group(1))) if m else (row, column + 1)
            _scan_cell(elem, scan, row, column)
        elif tag == "row" and sheet_data is not None:
            sheet_data.clear()  # rows already counted: keep memory flat
    return scan


def scan_workbook(z: zipfile.ZipFile) -> dict[str, SheetScan]:
    """Sheet title → its scan; InputError naming the sheet (and cell) past a limit, or the reason
    the XML cannot be read."""
    counter = _Counter()
    out: dict[str, SheetScan] = {}
    for member, title in sheet_members(z).items():
        try:
            with z.open(member) as stream:
                out[title] = scan_sheet(stream, title, counter)
        except ElementTree.ParseError as exc:
            raise InputError([f"{title}: arket er skadet (ugyldig XML, linje {exc.position[0]}); "
                              "lagre arbeidsboken på nytt som .xlsx"]) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            raise InputError([f"{title}: arket er skadet og kan ikke pakkes ut; lagre arbeidsboken på nytt som .xlsx"]) from None
    return out
