"""The checker's own day types, straight from the ``holidays`` package (docs/hard-rules.md,
``ukjent-vakt``): the model's calendar (``roster.days``) is not used, so a mistake there shows up as
a disagreement instead of fooling both."""

from __future__ import annotations

import datetime as dt

import holidays

from roster.models import DayType, Scenario


class DayTypes:
    """A date is a holiday when it is a Norwegian public holiday (``holidays.Norway`` without its
    plain Sundays) or one of the scenario's local holidays; otherwise Saturday, Sunday or weekday."""

    def __init__(self, scenario: Scenario):
        # carried days from the year before, and the day after the period (a night on 31 December
        # ends on New Year's Day)
        years = range(scenario.period.start.year - 1, scenario.period.end.year + 2)
        public = holidays.Norway(years=years, include_sundays=False)
        self.holidays = set(public) | {h.date for h in scenario.extra_holidays}
        # helgedager in law (arbeidsmiljøloven §10-10): the public holidays, and a local day only when marked so
        self.helgedager = set(public) | {h.date for h in scenario.extra_holidays if h.sunday_rest}
        # 15:00 on Christmas, Easter and Pentecost eve: 24 December, and the days before Easter
        # Sunday (the one public holiday on a Sunday in March or April) and Whit Sunday (49 days later)
        easter = [day for day in public if day.weekday() == 6 and day.month in (3, 4)]
        self.early_eves = {dt.date(y, 12, 24) for y in years} | {
            day - dt.timedelta(days=d) for day in easter for d in (1, -48)}

    def sunday_rest(self, day: dt.date) -> bool:
        """A Sunday or helgedag: `søndagsfri`."""
        return day.weekday() == 6 or day in self.helgedager

    def __call__(self, day: dt.date) -> DayType:
        if day in self.holidays:
            return DayType.HOLIDAY
        return {5: DayType.SATURDAY, 6: DayType.SUNDAY}.get(day.weekday(), DayType.WEEKDAY)
