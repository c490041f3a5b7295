"""Cell values survive a save and a load exactly (property test), and typed variants parse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roster.excel.cells import CellError, parse_cell, parse_time, write_value
from roster.excel.schema import Kind

times = st.times().map(lambda t: t.replace(microsecond=0))
dates = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2099, 12, 31))
datetimes = st.builds(dt.datetime.combine, dates, times.filter(lambda t: t != dt.time(0)))
floats = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.one_of(
    st.tuples(st.just(Kind.FLOAT), floats),
    st.tuples(st.just(Kind.INT), st.integers(-10**9, 10**9)),
    st.tuples(st.just(Kind.BOOL), st.booleans()),
    st.tuples(st.just(Kind.DATE), dates),
    st.tuples(st.just(Kind.TIME), times),
    st.tuples(st.just(Kind.DATE_OR_DATETIME), st.one_of(dates, datetimes)),
    st.tuples(st.just(Kind.TEXT), st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
                                          min_size=1, max_size=20)),
), min_size=1, max_size=30))
def test_values_round_trip_through_a_saved_workbook(tmp_path_factory: pytest.TempPathFactory,
                                                     values: list[tuple[Kind, object]]) -> None:
    path: Path = tmp_path_factory.mktemp("cells") / "c.xlsx"
    wb = openpyxl.Workbook()
    for r, (_, value) in enumerate(values, start=1):
        write_value(wb.active.cell(r, 1), value)
    wb.save(path)
    ws = openpyxl.load_workbook(path).active
    for r, (kind, value) in enumerate(values, start=1):
        cell = ws.cell(r, 1)
        assert parse_cell(kind, cell.value, number_format=cell.number_format) == value


@pytest.mark.parametrize(("typed", "expected"), [
    ("16:00", dt.time(16)), ("16.00", dt.time(16)), ("1600", dt.time(16)), ("7", dt.time(7)),
    ("07:30:15", dt.time(7, 30, 15)), ("24:00", dt.time(0)), (0.75, dt.time(18)),
    (dt.datetime(1899, 12, 30, 8, 0), dt.time(8)),
])
def test_times_as_typed(typed: object, expected: dt.time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize(("kind", "typed", "expected"), [
    (Kind.DATE, "1.12.26", dt.date(2026, 12, 1)),
    (Kind.DATE, "2026-12-01", dt.date(2026, 12, 1)),
    (Kind.DATE, 46357, dt.date(2026, 12, 1)),  # an Excel serial number in an unformatted cell
    (Kind.FLOAT, "1/7", 1 / 7),
    (Kind.FLOAT, "1 000,5", 1000.5),
    (Kind.INT, "3,0", 3),
    (Kind.ID, 101.0, "101"),
    (Kind.BOOL, "X", True),
    (Kind.DATE_OR_DATETIME, "05.12.2026 12.00", dt.datetime(2026, 12, 5, 12)),
])
def test_variants_people_type(kind: Kind, typed: object, expected: object) -> None:
    assert parse_cell(kind, typed) == expected


@pytest.mark.parametrize(("kind", "typed", "message"), [
    (Kind.TIME, "16:75", "ventet et klokkeslett (tt:mm), fikk «16:75»"),
    (Kind.DATE, "29.02.2027", "«29.02.2027» er ingen gyldig dato"),
    (Kind.INT, True, "ventet et heltall, fikk «True»"),
    (Kind.FLOAT, "0_5", "ventet et tall, fikk «0_5»"),  # Python's float() reads 5.0
])
def test_what_cannot_be_read(kind: Kind, typed: object, message: str) -> None:
    with pytest.raises(CellError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_cell(kind, typed)
