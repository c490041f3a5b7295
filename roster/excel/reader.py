"""Import of the manager's workbook: cells → the same dict a JSON scenario holds → ``Scenario``.

There is no second, looser model: the reader only turns cells into values (tolerantly) and
remembers which cell every value came from; ``Scenario.model_validate`` judges the meaning, and its
error locations (``doctors[3].role``) are translated back to cells (``Leger!C5``). Every problem is
reported at once.
"""

from __future__ import annotations

import difflib
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import TypeAdapter, ValidationError

from roster.excel.cells import CellError, is_blank, none_word, parse_cell
from roster.excel.scan import SheetScan, scan_workbook
from roster.excel.schema import (
    COURSES,
    DOCTORS,
    EXEMPTIONS,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    SETTINGS,
    SETTINGS_TITLE,
    STATIONS,
    TABLES,
    TEMPLATES,
    Column,
    Kind,
    Table,
    normalise,
)
from roster.input_errors import InputError, shown, validation_problems
from roster.models import CourseName, Scenario
from roster.terms import name_key

OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
HEADER_SCAN_ROWS = 10
HEADER_TYPO_CUTOFF = 0.75  # difflib's likeness from which an unknown header is read as a typo

Path_ = tuple[Any, ...]


# --------------------------------------------------------------------------- opening safely


class _Blank:
    """A cell the file does not have (or has without a value): read as empty, never created."""

    value = None
    number_format = "General"


BLANK = _Blank()


class Sheet:
    """A worksheet read by its used range: only the cells holding a value are looked at, so a
    template's 300 formatted rows or a stray format in row 1 048 576 cost nothing."""

    def __init__(self, ws: Worksheet, dateless: dict[str, str]):
        self.ws = ws
        self.title = ws.title
        # openpyxl's own cell store holds exactly the cells in the file; walking it avoids
        # ws.cell(), which creates every cell it is asked for
        self._cells = {key: cell for key, cell in ws._cells.items() if cell.value is not None}
        for cell in self._cells.values():
            if cell.data_type == "e" and cell.coordinate in dateless:  # a date cell no date fits
                cell.value = dateless[cell.coordinate]
        self.max_row = max((r for r, _ in self._cells), default=0)
        self.max_column = max((c for _, c in self._cells), default=0)

    def cell(self, row: int, column: int) -> Cell | _Blank:
        return self._cells.get((row, column), BLANK)


@dataclass
class Book:
    """An opened workbook: its sheets by used range, and the formulas Excel never calculated."""

    wb: Workbook
    worksheets: list[Sheet]
    uncached: list[str]  # "Ark!A1: …" problems

    def close(self) -> None:
        self.wb.close()


def check_workbook(p: Path, source: str) -> dict[str, SheetScan]:
    """The zip-level refusals (not a workbook, too big unpacked) and the sheets' scan (limits)."""
    try:
        with zipfile.ZipFile(p) as z:
            infos = z.infolist()
            unpacked = sum(info.file_size for info in infos)
            if len(infos) > MAX_ZIP_MEMBERS:
                raise InputError([f"arbeidsboken har {len(infos)} deler; grensen er {MAX_ZIP_MEMBERS}"], source)
            if unpacked > MAX_UNPACKED_BYTES:
                raise InputError([f"arbeidsboken er {unpacked / 2**20:.0f} MB utpakket; grensen er "
                                  f"{MAX_UNPACKED_BYTES // 2**20} MB"], source)
            if "xl/workbook.xml" not in z.namelist():
                raise InputError(["filen er ikke en Excel-arbeidsbok (.xlsx); lagre den som .xlsx i Excel"], source)
            return scan_workbook(z)
    except zipfile.BadZipFile:
        raise InputError(["filen er skadet og kan ikke leses som .xlsx"], source) from None
    except InputError as exc:
        raise InputError(exc.problems, source) from None


def open_workbook(path: str | Path) -> Book:
    """Open an .xlsx for reading values, refusing what is not one, is too big, or holds more than
    a legevakt needs (``roster.excel.scan``), with a clear reason."""
    p = Path(path)
    source = str(p)
    if not p.is_file():
        raise InputError([f"finner ikke filen {p}"], source)
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError([f"filen er {size / 2**20:.0f} MB; grensen er {MAX_FILE_BYTES // 2**20} MB"], source)
    with p.open("rb") as f:
        head = f.read(8)
    if head == OLE2_MAGIC:
        raise InputError([
            "filen er passordbeskyttet (kryptert) eller i det gamle .xls-formatet; "
            "fjern passordet og lagre den som Excel-arbeidsbok (.xlsx)"
        ], source)
    if not zipfile.is_zipfile(p):
        raise InputError(["filen er ikke en Excel-arbeidsbok (.xlsx); lagre den som .xlsx i Excel"], source)
    scans = check_workbook(p, source)
    try:
        with warnings.catch_warnings():  # what openpyxl drops or misreads (English) is judged here
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            # data_only: formulas are read as the values Excel last calculated
            wb = openpyxl.load_workbook(p, data_only=True)
    except MemoryError:
        raise  # a budget the caller set (the web's parsing process), not a broken file
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on malformed XML
        raise InputError(["arbeidsboken kan ikke leses (innholdet er ugyldig); lagre den på nytt som .xlsx"],
                         source) from None
    uncached = [f"{title}!{cell}: formelen har ingen utregnet verdi (arbeidsboken er lagret uten å regnes ut); "
                "åpne den i Excel og lagre på nytt, eller skriv inn verdien"
                for title, scan in scans.items() for cell in scan.uncached]
    return Book(wb, [Sheet(ws, scans[ws.title].dateless if ws.title in scans else {}) for ws in wb.worksheets],
                uncached)


def find_sheet(book: Book, title: str) -> Sheet | None:
    key = normalise(title)
    return next((ws for ws in book.worksheets if normalise(ws.title) == key), None)


def ref(ws: Sheet, row: int, col: int) -> str:
    return f"{ws.title}!{get_column_letter(col)}{row}"


# --------------------------------------------------------------------------- where values came from


@dataclass
class Origins:
    """Cell of every model path, so a validation error can name its cell."""

    cells: dict[Path_, str] = field(default_factory=dict)
    rows: dict[Path_, tuple[Table, str, int]] = field(default_factory=dict)

    def locate(self, path: Path_, message: str) -> str | None:
        for n in range(len(path), 0, -1):
            key = path[:n]
            if key in self.cells:
                return self.cells[key]
            if key in self.rows:
                table, sheet, row = self.rows[key]
                column = table.row_errors.get(message)
                return self.cells.get(key + (column,), f"{sheet}!A{row}")
        return None


_PATH_TOKEN = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def parse_path(text: str) -> Path_:
    out: list[Any] = []
    for m in _PATH_TOKEN.finditer(text):
        out.append(int(m.group(1)) if m.group(1) is not None else m.group(2))
    return tuple(out)


def _noun_at(path: Path_) -> str:
    """What one item of the list cell at a model path is called («dagtype»)."""
    table = next((t for t in TABLES if t.key == path[0]), None)
    field = tuple(p for p in path[2:] if isinstance(p, str))
    return next((c.noun for c in table.columns if c.field == field), "verdi") if table else "verdi"


def _in_workbook_words(message: str, path: Path_) -> str:
    """The model's messages as a workbook user reads them (sheets and cells, not JSON)."""
    if message == "for få elementer (minst ett)":  # a whole sheet, or a list cell of separators only
        return "arket har ingen rader; minst én trengs" if len(path) == 1 else f"minst én {_noun_at(path)} trengs"
    message = {"mangler": "må fylles ut"}.get(message, message)
    if re.fullmatch(r"lege «.*» finnes ikke", message):
        message += f" i arket {DOCTORS.title}"
    return message


_ITEM_IN_MESSAGE = re.compile(r"\b(stations|templates|doctors)\[(\d+)\]")  # «… (også i doctors[3])»


def _cells_named(message: str, origins: Origins) -> str:
    """A message naming another row by its JSON path (the first of two equal ids) names its cell."""
    return _ITEM_IN_MESSAGE.sub(lambda m: origins.locate((m.group(1), int(m.group(2)), "id"), "") or m.group(0),
                                message)


def translate(exc: ValidationError, origins: Origins) -> list[str]:
    """Pydantic's problems with their JSON paths replaced by the cells they came from."""
    out = []
    for problem in validation_problems(exc):
        path_text, _, message = problem.partition(": ")
        path = parse_path(path_text)
        message = _cells_named(_in_workbook_words(message, path), origins)
        where = origins.locate(path, message)
        out.append(f"{where}: {message}" if where else problem)
    return out


# --------------------------------------------------------------------------- reading tables


@dataclass
class Problems:
    """Missing sheets/columns (which make the rest meaningless) apart from problems of single cells."""

    structure: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    bad: set[str] = field(default_factory=set)  # cells already reported

    def at(self, where: str, message: str) -> None:
        self.cells.append(f"{where}: {message}")
        self.bad.add(where)


def _set(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        target = target.setdefault(part, {})
    target[path[-1]] = value


@dataclass
class _Row:
    item: dict[str, Any]
    row: int
    cells: dict[tuple[str, ...], str]  # column field → cell ref (blank cells included)
    refs: list[Column]  # columns holding references to resolve


def _header_map(ws: Sheet, table: Table) -> tuple[int, dict[int, Column]]:
    """Row number of the header and column index → Column (by header text or field path)."""
    names: dict[str, Column] = {}
    for c in table.columns:
        names[normalise(c.header)] = c
        names[normalise(c.path)] = c
    best: tuple[int, dict[int, Column]] = (1, {})
    for r in range(1, HEADER_SCAN_ROWS + 1):
        row = {c: ws.cell(r, c).value for c in range(1, ws.max_column + 1)}
        found = {c: names[normalise(v)] for c, v in row.items() if isinstance(v, str) and normalise(v) in names}
        if len(found) > len(best[1]):
            best = (r, found)
    return best


def _check_headers(ws: Sheet, table: Table, header_row: int, columns: dict[int, Column],
                   problems: Problems) -> tuple[dict[int, Column], set[tuple[str, ...]]]:
    """The headers that would otherwise be passed over silently: a column given twice (which one
    counts would be a guess), and an unknown header that resembles a column the sheet lacks (a typo
    drops the whole column; other unknown headers are the manager's own notes, as the instructions
    allow). Returns the columns without their repeats, and the fields whose header was mistyped."""
    first: dict[tuple[str, ...], int] = {}
    for c, column in sorted(columns.items()):
        if column.field in first:
            problems.structure.append(f"{ref(ws, header_row, c)}: kolonnen «{column.header}» står to ganger (også i "
                                      f"kolonne {get_column_letter(first[column.field])}); slett den ene")
        first.setdefault(column.field, c)
    absent = {normalise(c.header): c for c in table.columns if c.field not in first}
    mistyped: set[tuple[str, ...]] = set()
    for c in range(1, ws.max_column + 1):
        text = ws.cell(header_row, c).value
        if c in columns or not isinstance(text, str) or is_blank(text):
            continue
        match = difflib.get_close_matches(normalise(text), list(absent), n=1, cutoff=HEADER_TYPO_CUTOFF)
        if match:
            column = absent[match[0]]
            problems.structure.append(f"{ref(ws, header_row, c)}: ukjent kolonne «{shown(text)}» "
                                      f"(mente du «{column.header}»?)")
            mistyped.add(column.field)
    return {c: column for c, column in columns.items() if first[column.field] == c}, mistyped


def read_table(ws: Sheet, table: Table, problems: Problems) -> list[_Row]:
    header_row, columns = _header_map(ws, table)
    columns, mistyped = _check_headers(ws, table, header_row, columns, problems)
    present = {c.field for c in columns.values()} | mistyped
    for c in table.columns:
        if c.required and c.field not in present:
            problems.structure.append(f"{ws.title}!{header_row}:{header_row}: mangler kolonnen «{c.header}»")
    out: list[_Row] = []
    for r in range(header_row + 1, ws.max_row + 1):
        cells = {i: ws.cell(r, i) for i in columns}
        if all(is_blank(cell.value) for cell in cells.values()):
            continue  # empty rows are allowed anywhere
        row = _Row({}, r, {}, [])
        for i, column in columns.items():
            cell = cells[i]
            where = ref(ws, r, i)
            row.cells[column.field] = where
            if is_blank(cell.value):
                continue
            try:
                value = parse_cell(column.kind, cell.value, enum=column.enum, noun=column.noun,
                                   number_format=cell.number_format or "")
            except CellError as err:
                problems.at(where, str(err))
                continue
            _set(row.item, column.field, value)
            if column.kind in (Kind.DOCTOR, Kind.STATION, Kind.TEMPLATE, Kind.STATION_LIST):
                row.refs.append(column)
        out.append(row)
    return out


class _Resolver:
    """References typed with another case, as a number, or (doctors) by name → the canonical id.

    Unresolvable references are left as typed: the model's cross-reference check reports them, and
    the error is translated to the cell like any other."""

    def __init__(self, ids: list[str], names: list[str] | None = None):
        self.ids = set(ids)
        self.by_key: dict[str, str | None] = {}
        pairs = [(normalise(x), x) for x in ids] + [(normalise(n), x) for n, x in zip(names or [], ids)]
        for key, canonical in pairs:
            ambiguous = key in self.by_key and self.by_key[key] != canonical
            self.by_key[key] = None if ambiguous else canonical

    def __call__(self, value: str) -> str:
        if value in self.ids:
            return value
        return self.by_key.get(normalise(value)) or value


def _settings(wb: Book, data: dict[str, Any], origins: Origins, problems: Problems) -> None:
    ws = find_sheet(wb, SETTINGS_TITLE)
    if ws is None:
        problems.structure.append(f"mangler arket «{SETTINGS_TITLE}»")
        return
    by_label = ({normalise(s.label): s for s in SETTINGS} | {normalise(".".join(s.path)): s for s in SETTINGS}
                | {normalise(alias): s for s in SETTINGS for alias in s.aliases})
    seen: dict[tuple[str, ...], int] = {}
    for r in range(1, ws.max_row + 1):
        label, value = ws.cell(r, 1).value, ws.cell(r, 2)
        if is_blank(label):
            continue
        setting = by_label.get(normalise(label))
        if setting is None:
            if r > 1 and not is_blank(value.value):
                problems.at(ref(ws, r, 1), f"ukjent innstilling «{label}»")
            continue
        if setting.path in seen:  # which one would count is anybody's guess: refuse both
            problems.at(ref(ws, r, 1), f"«{setting.label}» står to ganger (også i rad {seen[setting.path]}); "
                                       "slett den ene raden")
            continue
        seen[setting.path] = r
        where = ref(ws, r, 2)
        origins.cells[setting.path] = where
        if setting.path == ("period", "end"):
            origins.cells[("period",)] = where  # "siste dag kan ikke være før første dag"
        if is_blank(value.value):
            continue
        if setting.nullable and none_word(value.value):
            _set(data, setting.path, setting.off)
            continue
        try:
            _set(data, setting.path, parse_cell(setting.kind, value.value, enum=setting.enum, noun=setting.label.lower(),
                                                number_format=value.number_format or ""))
        except CellError as err:
            problems.at(where, str(err))
    for s in SETTINGS:
        if s.required and s.path not in seen:
            problems.structure.append(f"{ws.title}: mangler raden «{s.label}»")


def workbook_data(wb: Book) -> tuple[dict[str, Any], Origins, Problems]:
    """The scenario dict of a workbook, where each value came from, and the cell problems found."""
    data: dict[str, Any] = {}
    origins = Origins()
    problems = Problems()
    _settings(wb, data, origins, problems)

    rows: dict[str, list[_Row]] = {}
    sheets: dict[str, Sheet] = {}
    for table in TABLES:
        ws = find_sheet(wb, table.title)
        if ws is None:
            if table.required:
                problems.structure.append(f"mangler arket «{table.title}»")
            rows[table.key] = []
            continue
        sheets[table.key] = ws
        rows[table.key] = read_table(ws, table, problems)
        if table.key not in (COURSES.key, EXEMPTIONS.key):
            origins.cells[(table.key,)] = ref(ws, 2, 1)

    doctor_ids = [str(r.item.get("id", "")) for r in rows[DOCTORS.key]]
    resolvers = {
        Kind.DOCTOR: _Resolver(doctor_ids, [str(r.item.get("name", "")) for r in rows[DOCTORS.key]]),
        Kind.STATION: _Resolver([str(r.item.get("id", "")) for r in rows[STATIONS.key]]),
        Kind.STATION_LIST: _Resolver([str(r.item.get("id", "")) for r in rows[STATIONS.key]]),
        Kind.TEMPLATE: _Resolver([str(r.item.get("id", "")) for r in rows[TEMPLATES.key]]),
    }
    for table_rows in rows.values():
        for row in table_rows:
            for column in row.refs:
                value = row.item
                for part in column.field[:-1]:
                    value = value[part]
                resolve = resolvers[column.kind]
                old = value[column.field[-1]]
                value[column.field[-1]] = [resolve(v) for v in old] if isinstance(old, list) else resolve(old)

    for table in TABLES:
        if table.key in (COURSES.key, EXEMPTIONS.key):
            continue
        data[table.key] = []
        for i, row in enumerate(rows[table.key]):
            data[table.key].append(row.item)
            origins.rows[(table.key, i)] = (table, sheets[table.key].title, row.row)
            for column_field, where in row.cells.items():
                origins.cells[(table.key, i, *column_field)] = where

    index = {d: i for i, d in enumerate(doctor_ids)}
    doctors = data.get(DOCTORS.key, [])
    _attach_courses(rows[COURSES.key], doctors, index, origins, problems)
    _attach_exemptions(rows[EXEMPTIONS.key], doctors, index, origins, sheets.get(EXEMPTIONS.key), problems)
    return data, origins, problems


def _doctor_of(row: _Row, index: dict[str, int], problems: Problems) -> int | None:
    doctor = row.item.get("doctor")
    if doctor is None:
        return None
    if doctor not in index:
        problems.at(row.cells[("doctor",)], f"lege «{doctor}» finnes ikke i arket {DOCTORS.title}")
        return None
    return index[doctor]


_COURSE_NAME = TypeAdapter(CourseName)  # a name is a mapping's key in the model: checked here to name its cell


def _attach_courses(rows: list[_Row], doctors: list[dict[str, Any]], index: dict[str, int],
                    origins: Origins, problems: Problems) -> None:
    for row in rows:
        i = _doctor_of(row, index, problems)
        name, expires = row.item.get("name"), row.item.get("expires")
        for col in ("doctor", "name", "expires"):
            if col not in row.item and (col,) in row.cells and row.cells[(col,)] not in problems.bad:
                problems.at(row.cells[(col,)], "må fylles ut")
        if i is None or name is None or expires is None:
            continue
        try:
            name = _COURSE_NAME.validate_python(name)
        except ValidationError as exc:
            problems.at(row.cells[("name",)], validation_problems(exc)[0].partition(": ")[2])
            continue
        courses = doctors[i].setdefault("courses", {})
        same = next((c for c in courses if name_key(c) == name_key(name)), None)
        if same is not None:
            also = f" (også som «{same}»)" if same != name else ""
            problems.at(row.cells[("name",)], f"kurset «{name}» står to ganger for samme lege{also}")
            continue
        courses[name] = expires
        origins.cells[(DOCTORS.key, i, "courses", name)] = row.cells[("expires",)]


def _attach_exemptions(rows: list[_Row], doctors: list[dict[str, Any]], index: dict[str, int],
                       origins: Origins, ws: Sheet | None, problems: Problems) -> None:
    """Each row to its doctor. A row whose doctor cell is empty is refused by name: it was left out
    silently, and the exemption with it (a pregnant doctor could be given nights)."""
    for row in rows:
        i = _doctor_of(row, index, problems)
        if "doctor" not in row.item and ("doctor",) in row.cells and row.cells[("doctor",)] not in problems.bad:
            problems.at(row.cells[("doctor",)], "må fylles ut")
        if i is None:
            continue
        item = {k: v for k, v in row.item.items() if k != "doctor"}
        exemptions = doctors[i].setdefault("exemptions", [])
        key = (DOCTORS.key, i, "exemptions", len(exemptions))
        exemptions.append(item)
        assert ws is not None
        origins.rows[key] = (EXEMPTIONS, ws.title, row.row)
        for column_field, where in row.cells.items():
            origins.cells[key + column_field] = where


def _cross_references(data: dict[str, Any], exc: ValidationError, origins: Origins) -> list[str]:
    """Cross-reference problems hidden behind broken rows.

    Pydantic checks references (unknown doctor, date outside the period) only once every row is
    valid. To report everything at once, validate again without the broken rows and keep the
    reference problems that do not name a dropped row's id."""
    broken: dict[str, set[int]] = {}
    for err in exc.errors():
        loc = err["loc"]
        if len(loc) >= 2 and isinstance(loc[0], str) and isinstance(loc[1], int):
            broken.setdefault(loc[0], set()).add(loc[1])
        elif loc and loc[0] in ("period", "name"):
            return []  # without a period, dates cannot be checked
    if not broken:
        return []
    trimmed = dict(data)
    if any(err["loc"][:1] == ("rules",) for err in exc.errors()):
        trimmed.pop("rules", None)
    kept: dict[str, list[int]] = {}
    dropped_ids: set[str] = set()
    for key, bad in broken.items():
        kept[key] = [i for i in range(len(data[key])) if i not in bad]
        trimmed[key] = [data[key][i] for i in kept[key]]
        dropped_ids |= {str(data[key][i].get("id")) for i in bad if isinstance(data[key][i], dict)}
    try:
        Scenario.model_validate(trimmed)
        return []
    except ValidationError as again:
        out = []
        for problem in validation_problems(again):
            path_text, _, message = problem.partition(": ")
            path = parse_path(path_text)
            if len(path) < 3 or any(f"«{i}»" in message for i in dropped_ids):
                continue
            if path[0] in kept:
                path = (path[0], kept[path[0]][path[1]], *path[2:])
            message = _cells_named(_in_workbook_words(message, path), origins)
            where = origins.locate(path, message)
            out.append(f"{where}: {message}" if where else problem)
        return out


def read_scenario_workbook(path: str | Path) -> Scenario:
    """The scenario in a manager's workbook; every problem at once, each with its cell."""
    source = str(path)
    wb = open_workbook(path)
    try:
        data, origins, problems = workbook_data(wb)
    finally:
        wb.close()
    unread = {p.split(": ", 1)[0] for p in wb.uncached}  # its "must be filled in" would say it twice
    problems.cells[:] = wb.uncached + [p for p in problems.cells if p.split(": ", 1)[0] not in unread]
    problems.bad |= unread
    if problems.structure:
        raise InputError(problems.structure + problems.cells, source)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        found = translate(exc, origins) + _cross_references(data, exc, origins)
        # a cell that could not be read was left out; its "must be filled in" would say it twice
        later = [p for p in found if p.split(": ", 1)[0] not in problems.bad]
        raise InputError(problems.cells + later, source) from None
    if problems.cells:
        raise InputError(problems.cells, source)
    return scenario
