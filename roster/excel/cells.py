"""Cell values to model values and back, tolerant of what people really type.

Reading accepts Excel dates and ``dd.mm.yyyy`` text, ``16:00``/``16.00``/``1600``, ``ja/nei``,
decimal commas, ids typed as numbers and stray spaces; anything else is a ``CellError`` with a
Norwegian explanation that the reader puts behind the cell reference.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from fractions import Fraction
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.utils.datetime import from_excel, to_excel

from roster.excel.schema import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    NO,
    NONE_WORDS,
    TIME_FORMAT,
    YES,
    Kind,
    normalise,
)


class CellError(ValueError):
    """A cell that cannot mean what its column needs; the message is Norwegian."""


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return " ".join(str(value).split())


_DATE_RE = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?:[:.](\d{2}))?$")
_COMPACT_TIME_RE = re.compile(r"^(\d{1,2})(\d{2})$")  # 1600, 800


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return from_excel(value).date()
    text = _text(value)
    try:
        if m := _DATE_RE.match(text):
            day, month, year = (int(g) for g in m.groups())
            return dt.date(year + 2000 if len(m.group(3)) == 2 else year, month, day)  # 0001 is not 2001
        if m := _ISO_RE.match(text):
            return dt.date(*(int(g) for g in m.groups()))
    except ValueError:
        raise CellError(f"«{text}» er ingen gyldig dato") from None
    raise CellError(f"ventet en dato (dd.mm.åååå), fikk «{text}»")


def _round_time(t: dt.time) -> dt.time:
    """Excel stores times as fractions of a day; round away the float noise to whole seconds."""
    seconds = round(t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6)
    if seconds >= 86400:
        return dt.time(0, 0)
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)


# openpyxl turns any number in a cell formatted as a time into a datetime counted from Excel's
# epoch (1899-12-30): 1600 typed in a time cell arrives as 1904-05-18 00:00, −5 as 1899-12-25.
# No real moment that old is ever typed into a time cell, so such a datetime is read back as the
# number that was typed.
TYPED_NUMBER_BEFORE = dt.datetime(1950, 1, 1)


def _time_of_number(number: float) -> dt.time:
    """A clock time typed as a number: a fraction of a day (0.75), or hours (16, 1600, 800)."""
    if number < 0:
        raise CellError(f"ventet et klokkeslett (tt:mm), fikk et negativt tall ({_text(number)})")
    if number < 1:
        moment = from_excel(number)
        return _round_time(moment.time() if isinstance(moment, dt.datetime) else moment)
    if float(number).is_integer():
        return parse_time(str(int(number)))
    raise CellError(f"ventet et klokkeslett (tt:mm), fikk tallet {_text(number)}")


def parse_time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        if value < TYPED_NUMBER_BEFORE:
            return _time_of_number(to_excel(value))
        return _round_time(value.time())
    if isinstance(value, dt.time):
        return _round_time(value)
    if isinstance(value, dt.timedelta):  # a [h]:mm format
        return _time_of_number(value.total_seconds() / 86400)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 1:
        return _time_of_number(value)
    text = _text(value)
    m = _TIME_RE.match(text) or _COMPACT_TIME_RE.match(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        second = int(m.groups()[2] or 0) if len(m.groups()) > 2 else 0
        if hour == 24 and minute == 0 and second == 0:
            return dt.time(0, 0)
        if hour < 24 and minute < 60 and second < 60:
            return dt.time(hour, minute, second)
    raise CellError(f"ventet et klokkeslett (tt:mm), fikk «{text}»")


def parse_date_or_datetime(value: Any, number_format: str = "") -> dt.date | dt.datetime:
    """A whole day, or an exact moment when the cell shows a time or holds one."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0) or "h" in number_format.lower():
            return value.replace(microsecond=0) if value.microsecond < 500_000 else value
        return value.date()
    if isinstance(value, str):
        text = _text(value)
        date_part, _, time_part = text.partition(" ")
        if time_part:
            return dt.datetime.combine(parse_date(date_part), parse_time(time_part))
    return parse_date(value)


def parse_datetime(value: Any, number_format: str = "") -> dt.datetime:
    """An exact moment: a date alone is refused (midnight is written 00:00)."""
    moment = parse_date_or_datetime(value, number_format)
    if not isinstance(moment, dt.datetime):
        if isinstance(value, dt.datetime):  # an Excel moment at midnight
            return value.replace(microsecond=0)
        raise CellError(f"ventet dato og klokkeslett (dd.mm.åååå tt:mm), fikk «{_text(value)}»")
    return moment


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = normalise(_text(value))
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(f"ventet ja eller nei, fikk «{_text(value)}»")


def parse_int(value: Any) -> int:
    if isinstance(value, bool):
        raise CellError(f"ventet et heltall, fikk «{value}»")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value).replace(" ", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+[.,]0+", text):
        return int(text.replace(",", ".").split(".")[0])
    raise CellError(f"ventet et heltall, fikk «{_text(value)}»")


def parse_float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if m := re.fullmatch(r"(\d+)/(\d+)", text):  # "1/7", as the law states the on-call factor
        if int(m.group(2)):
            return int(m.group(1)) / int(m.group(2))
    if "_" not in text:  # Python's float() reads "0_5" as 5.0
        try:
            return float(text.replace(",", "."))
        except ValueError:
            pass
    raise CellError(f"ventet et tall, fikk «{_text(value)}»")


def parse_enum(value: Any, enum: type[Enum], noun: str) -> str:
    text = _text(value)
    for member in enum:
        if normalise(member.value) == normalise(text):
            return str(member.value)
    try:
        return str(enum(text).value)  # an older spelling the enum still reads («over 60»)
    except ValueError:
        pass
    valid = ", ".join(str(m.value) for m in enum)
    raise CellError(f"ukjent {noun} «{text}»; gyldige verdier: {valid}")


def split_list(value: Any) -> list[str]:
    return [p.strip() for p in re.split(r"[,;\n]", _text(value) if not isinstance(value, str) else value)
            if p.strip()]


def parse_id(value: Any) -> str:
    return _text(value)


def parse_cell(kind: Kind, value: Any, *, enum: type[Enum] | None = None, noun: str = "verdi",
               number_format: str = "") -> Any:
    """The model value of a non-blank cell (references still as typed; the reader resolves them)."""
    if kind in (Kind.TEXT, Kind.ID, Kind.DOCTOR, Kind.STATION, Kind.TEMPLATE):
        return parse_id(value)
    if kind == Kind.INT:
        return parse_int(value)
    if kind == Kind.FLOAT:
        return parse_float(value)
    if kind == Kind.BOOL:
        return parse_bool(value)
    if kind == Kind.DATE:
        return parse_date(value)
    if kind == Kind.TIME:
        return parse_time(value)
    if kind == Kind.DATE_OR_DATETIME:
        return parse_date_or_datetime(value, number_format)
    if kind == Kind.DATETIME:
        return parse_datetime(value, number_format)
    if kind == Kind.ENUM:
        assert enum is not None
        return parse_enum(value, enum, noun)
    if kind == Kind.ENUM_LIST:
        assert enum is not None
        return [parse_enum(v, enum, noun) for v in split_list(value)]
    if kind in (Kind.TEXT_LIST, Kind.STATION_LIST):
        return split_list(value)
    if kind == Kind.LABEL_LIMITS:
        return dict(_pair(part, "=", "betegnelse=antall, f.eks. natt=2", int) for part in split_list(value))
    if kind == Kind.SUCCESSIONS:
        return [dict(zip(("first", "then"), _pair(part, ">", "første>neste, f.eks. natt>kveld", str)))
                for part in split_list(value)]
    if kind == Kind.ROLE_POOLS:
        return dict(_pair(part, "=", "rolle=gruppe, f.eks. annen=ansatte", str) for part in split_list(value))
    if kind == Kind.POOL_COUNTS:
        return dict(_pair(part, "=", "gruppe=antall, f.eks. fastleger=1", int) for part in split_list(value))
    raise AssertionError(kind)


def _pair(part: str, sep: str, form: str, second: type) -> tuple[str, Any]:
    left, found, right = part.partition(sep)
    if not found or not left.strip() or not right.strip():
        raise CellError(f"ventet {form}, fikk «{part}»")
    return left.strip(), parse_int(right) if second is int else right.strip()


def cell_text(kind: Kind, value: Any) -> Any:
    """The cell form of the model values that have no cell type of their own (pairs as text)."""
    if kind in (Kind.LABEL_LIMITS, Kind.ROLE_POOLS, Kind.POOL_COUNTS) and isinstance(value, dict):
        return ", ".join(f"{getattr(k, 'value', k)}={v}" for k, v in value.items()) or None
    if kind == Kind.SUCCESSIONS and isinstance(value, list):
        return ", ".join(f"{p['first']}>{p['then']}" for p in value) or None
    return value


def none_word(value: Any) -> bool:
    return isinstance(value, str) and normalise(value) in NONE_WORDS


# --------------------------------------------------------------------------- writing


def write_value(cell: Cell, value: Any) -> None:
    """Put a model value into a cell as a manager expects to see it (dates as dates, ja/nei, lists
    as comma text). Text is always stored as text, so a name beginning with ``=`` never becomes a
    formula."""
    if isinstance(value, Enum):
        value = value.value
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        set_text(cell, "ja" if value else "nei")
    elif isinstance(value, dt.datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, dt.time):
        cell.value = value
        cell.number_format = TIME_FORMAT
    elif isinstance(value, (list, tuple)):
        set_text(cell, ", ".join(str(getattr(v, "value", v)) for v in value))
    elif isinstance(value, float) and float(f"{value:.15g}") != value:
        # Excel keeps 15 digits; "1/7" (or all 17 digits as text) keeps the exact value
        set_text(cell, _short_fraction(value) or repr(value))
    elif isinstance(value, (int, float)):
        cell.value = value
    else:
        set_text(cell, str(value))


def _short_fraction(value: float) -> str | None:
    """"1/7" for a float that a fraction with a small denominator holds exactly."""
    fraction = Fraction(value).limit_denominator(100)
    if fraction.numerator / fraction.denominator == value:
        return f"{fraction.numerator}/{fraction.denominator}"
    return None


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for formula injection


def set_text(cell: Cell, text: str) -> None:
    """Store a string as text even when it looks like a formula (``=``, ``+``, ``-``, ``@``)."""
    cell.value = text
    cell.data_type = "s"
    if text[:1] in FORMULA_STARTS:
        cell.quotePrefix = True


def text_only(wb: Workbook) -> Workbook:
    """Every string cell as text, the last step before a workbook is saved: nothing the program
    writes is meant as a formula, so a station or doctor named ``=HYPERLINK(…)`` (which openpyxl
    would store as a formula) stays a name, however the cell was filled."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in FORMULA_STARTS:
                    set_text(cell, cell.value)
    return wb
