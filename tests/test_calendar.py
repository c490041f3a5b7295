import datetime as dt

import pytest

from factories import doctor, scenario, template
from roster.calendar import ShiftIndex
from roster.days import HolidayCalendar
from roster.models import BurdenCategory, DayType


def _night_index(start: str, end: str) -> ShiftIndex:
    return ShiftIndex(scenario(start, end, [template("natt", "23:00", "08:00")], [doctor("a")]))


def test_night_into_last_sunday_of_october_lasts_ten_real_hours():
    idx = _night_index("2026-10-24", "2026-10-24")
    assert idx.by_key["natt/2026-10-24"].hours == 10.0


def test_night_into_last_sunday_of_march_lasts_eight_real_hours():
    idx = _night_index("2026-03-28", "2026-03-28")
    assert idx.by_key["natt/2026-03-28"].hours == 8.0


def test_ordinary_night_crosses_midnight_and_lasts_nine_hours():
    s = _night_index("2026-11-03", "2026-11-03").by_key["natt/2026-11-03"]
    assert (s.start.date(), s.end.date()) == (dt.date(2026, 11, 3), dt.date(2026, 11, 4))
    assert s.hours == 9.0
    assert s.categories == {BurdenCategory.NIGHT}


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2026-04-05", "Første påskedag"),
        ("2026-04-02", "Skjærtorsdag"),
        ("2026-05-17", "Grunnlovsdag"),
        ("2026-12-25", "Første juledag"),
        ("2026-12-26", "Andre juledag"),
    ],
)
def test_public_holidays_come_from_the_holidays_package(day, expected):
    cal = HolidayCalendar(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    d = dt.date.fromisoformat(day)
    assert cal.holiday_name(d) == expected
    assert cal.day_type(d) == DayType.HOLIDAY


def test_christmas_eve_is_a_heavy_eve_not_a_holiday_unless_the_scenario_says_so():
    d = dt.date(2026, 12, 24)
    plain = HolidayCalendar(d, d)
    assert plain.heavy_eve_name(d) == "Julaften" and not plain.is_holiday(d)
    local_rule = HolidayCalendar(d, d, {d: "Julaften"})
    assert local_rule.day_type(d) == DayType.HOLIDAY


def test_easter_and_pentecost_eves_are_derived_from_the_holiday_dates():
    cal = HolidayCalendar(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert cal.heavy_eve_name(dt.date(2027, 3, 27)) == "Påskeaften"  # Easter Sunday 2027: 28 March
    assert cal.heavy_eve_name(dt.date(2027, 5, 15)) == "Pinseaften"  # Whit Sunday 2027: 16 May


def test_weekday_evening_before_holiday_turns_sunday_type_at_18():
    # 16:00–23:00 on Wednesday 13 May 2026, the eve of Ascension Day: 2 h weekday evening, 5 h Sunday-type.
    sc = scenario("2026-05-13", "2026-05-13", [template("kveld", "16:00", "23:00")], [doctor("a")])
    s = ShiftIndex(sc).by_key["kveld/2026-05-13"]
    assert s.points == pytest.approx(2 * 1.0 + 5 * 1.33)


def test_christmas_eve_hours_after_15_weigh_as_heavy_eve():
    sc = scenario("2026-12-24", "2026-12-24", [template("dag", "08:00", "16:00")], [doctor("a")])
    s = ShiftIndex(sc).by_key["dag/2026-12-24"]
    assert s.points == pytest.approx(7 * 1.0 + 1 * 2.0)
    assert BurdenCategory.HOLIDAY in s.categories


def test_bakvakt_hours_count_one_seventh():
    sc = scenario("2026-11-03", "2026-11-03",
                  [template("bak", "08:00", "16:00", duty="bakvakt")], [doctor("a", can_bakvakt=True)])
    assert ShiftIndex(sc).by_key["bak/2026-11-03"].points == pytest.approx(8 / 7)


def test_night_hours_are_exact_for_templates_off_the_quarter_hour():
    # 07:01–08:01 has 59 night minutes (night ends 08:00): below a 1 h night threshold.
    sc = scenario("2026-11-03", "2026-11-03", [template("tidlig", "07:01", "08:01")], [doctor("a")],
                  rules={"night_category_min_hours": 1})
    s = ShiftIndex(sc).by_key["tidlig/2026-11-03"]
    assert s.night_hours == pytest.approx(59 / 60)
    assert BurdenCategory.NIGHT not in s.categories
