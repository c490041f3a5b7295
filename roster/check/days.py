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

    def sunday_type(self, day: dt.date) -> bool:
        """A Sunday or a holiday (public or local): `søndagsfri`."""
        return day.weekday() == 6 or day in self.holidays

    def __call__(self, day: dt.date) -> DayType:
        if day in self.holidays:
            return DayType.HOLIDAY
        return {5: DayType.SATURDAY, 6: DayType.SUNDAY}.get(day.weekday(), DayType.WEEKDAY)
