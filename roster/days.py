"""Day types: Norwegian public holidays (``holidays.Norway``), local days treated as holidays, and
the heavy eves.

Below the models on purpose: a scenario validates its demand changes against the days its shift
types run, and the calendar of real shift times builds on the models.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from functools import lru_cache

import holidays


class DayType(str, Enum):
    WEEKDAY = "hverdag"
    SATURDAY = "lørdag"
    SUNDAY = "søndag"
    HOLIDAY = "helligdag"


class HolidayCalendar:
    """Public holidays (``holidays.Norway``), local days treated as holidays, and the heavy eves.

    domain.md: the package gives the 12 public holidays; Christmas Eve, New Year's Eve and the
    Easter and Pentecost eves are not in it and are added here as heavy eves (burden weight 2.0
    from 15:00, arbeidsmiljøloven §10-10).
    """

    def __init__(self, first: dt.date, last: dt.date, extra: dict[dt.date, str] | None = None,
                 extra_rest: set[dt.date] | None = None):
        years = range(first.year - 1, last.year + 2)
        self._public = holidays.Norway(years=years, language="no", include_sundays=False)
        self._extra = dict(extra or {})
        self._extra_rest = set(extra_rest or ())  # local days the manager counts as helgedager in law
        self._eves: dict[dt.date, str] = {}
        for year in years:
            self._eves[dt.date(year, 12, 24)] = "Julaften"
            self._eves[dt.date(year, 12, 31)] = "Nyttårsaften"
        for day, name in self._public.items():
            if name == "Første påskedag":
                self._eves[day - dt.timedelta(days=1)] = "Påskeaften"
            elif name == "Første pinsedag":
                self._eves[day - dt.timedelta(days=1)] = "Pinseaften"

    def holiday_name(self, day: dt.date) -> str | None:
        """Name of a public or locally added holiday, else None."""
        return self._extra.get(day) or self._public.get(day)

    def heavy_eve_name(self, day: dt.date) -> str | None:
        return self._eves.get(day)

    def day_name(self, day: dt.date) -> str | None:
        """What to print beside a date: holiday or eve name."""
        return self.holiday_name(day) or self.heavy_eve_name(day)

    def is_holiday(self, day: dt.date) -> bool:
        return self.holiday_name(day) is not None

    def day_type(self, day: dt.date) -> DayType:
        if self.is_holiday(day):
            return DayType.HOLIDAY
        if day.weekday() == 5:
            return DayType.SATURDAY
        if day.weekday() == 6:
            return DayType.SUNDAY
        return DayType.WEEKDAY

    def is_sunday_type(self, day: dt.date) -> bool:
        """Priced as a Sunday (burden): Sundays and every holiday, local ones included."""
        return day.weekday() == 6 or self.is_holiday(day)

    def is_sunday_rest(self, day: dt.date) -> bool:
        """A Sunday or helgedag in arbeidsmiljøloven §10-10 (`søndagsfri`): Sundays, the public
        holidays and the local days marked ``sunday_rest``; julaften is a weekday in law."""
        return day.weekday() == 6 or day in self._public or day in self._extra_rest

    def early_eve(self, day: dt.date) -> bool:
        """Christmas, Easter or Pentecost eve: §10-10's protected hours begin at 15:00 (not New Year's Eve)."""
        return self._eves.get(day) in ("Julaften", "Påskeaften", "Pinseaften")


# --------------------------------------------------------------------------- the holiday rotation

ROTATION_HOLIDAYS = ("jul", "nyttår", "påske")
ROTATION_NAMES = {"jul": "jul (24.–26.12)", "nyttår": "nyttår (31.12–1.1)", "påske": "påske (skjærtorsdag–2. påskedag)"}


@lru_cache(maxsize=64)
def _easter_sunday(year: int) -> dt.date:
    """Easter Sunday of a year, from ``holidays.Norway``."""
    public = holidays.Norway(years=year, language="no")
    return next(day for day, name in public.items() if name == "Første påskedag")


def rotation_holiday(day: dt.date) -> tuple[str, int] | None:
    """(holiday, season) when a date belongs to Christmas (24–26 Dec), New Year (31 Dec and 1 Jan,
    the season of the December) or Easter (Maundy Thursday to Easter Monday), the holidays domain.md
    says are rotated between years; else None."""
    if day.month == 12 and 24 <= day.day <= 26:
        return "jul", day.year
    if (day.month, day.day) == (12, 31):
        return "nyttår", day.year
    if (day.month, day.day) == (1, 1):
        return "nyttår", day.year - 1
    if 3 <= day.month <= 4 and -3 <= (day - _easter_sunday(day.year)).days <= 1:
        return "påske", day.year
    return None
