"""Calendar: Oslo time, burden points, and the expansion of shift templates into real shifts.

All times are Europe/Oslo wall-clock times held as aware datetimes. Durations are always taken in
UTC, because Python subtracts two aware datetimes of the same zone as naive wall-clock times: a
23:00–08:00 night across the October change is 10 real hours, not 9.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

from roster.days import DayType, HolidayCalendar
from roster.models import (
    BurdenCategory,
    CarriedShift,
    DutyKind,
    Rules,
    Scenario,
    ShiftTemplate,
    shift_key,
)

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.timezone.utc

WEEKDAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTH_NAMES = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
               "november", "desember")


def month_year(day: dt.date) -> str:
    """«juni 2027»."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def local(day: dt.date, time: dt.time) -> dt.datetime:
    """Oslo wall-clock time on a day (a time skipped by the spring change maps an hour later)."""
    naive = dt.datetime.combine(day, time)
    aware = naive.replace(tzinfo=OSLO)
    # Normalise through UTC so a non-existent wall time (02:30 in March) becomes a real instant.
    return aware.astimezone(UTC).astimezone(OSLO)


def real_hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class ShiftInstance:
    """One template on one day, with its real times and burden.

    ``start_utc``/``end_utc`` are the same instants in UTC: the solver compares and sorts shift
    times per (doctor, shift) pair, and converting each time there was a large share of a build.
    """

    key: str
    template: str
    station: str
    label: str
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    start_utc: dt.datetime
    end_utc: dt.datetime
    hours: float
    day_type: DayType
    duty: DutyKind
    on_call_can_attend: bool
    demand_min: int
    demand_max: int
    min_qualified: int
    required_skill: str | None
    points: float
    night_hours: float
    categories: frozenset[BurdenCategory]
    night: bool  # for the night rules: by its hours, or natt in counts_as; never hidden by counts_as

    @property
    def on_site(self) -> bool:
        return self.duty == DutyKind.ON_SITE

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start < end and start < self.end


class BurdenClock:
    """Weights each hour by when it falls (weekday day/evening/night, weekend or holiday
    day/night, heavy eve). Sunday-type hours begin at ``rules.sunday_type_start`` the day before a
    Sunday or holiday; Saturday counts as weekend all day (domain.md, "Holidays and burden")."""

    def __init__(self, rules: Rules, calendar: HolidayCalendar):
        self.rules = rules
        self.calendar = calendar

    def _is_night(self, t: dt.time) -> bool:
        r = self.rules
        if r.night_start > r.night_end:
            return t >= r.night_start or t < r.night_end
        return r.night_start <= t < r.night_end

    def weight(self, moment: dt.datetime) -> tuple[float, bool, bool]:
        """(weight, is_night, is_evening) of the instant ``moment``."""
        w = self.rules.burden
        t = moment.astimezone(OSLO)
        day, clock = t.date(), t.time()
        night = self._is_night(clock)
        evening = not night and clock >= self.rules.evening_start
        if self.calendar.heavy_eve_name(day) and clock >= self.rules.heavy_eve_start:
            return w.heavy_eve, night, evening
        cal = self.calendar
        weekendish = (
            day.weekday() >= 5
            or cal.is_holiday(day)
            or (clock >= self.rules.sunday_type_start and cal.is_sunday_type(day + dt.timedelta(days=1)))
        )
        if weekendish:
            return (w.weekend_night if night else w.weekend_day), night, evening
        if night:
            return w.weekday_night, night, evening
        return (w.weekday_evening if evening else w.weekday_day), night, evening

    def _boundaries(self, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """Instants inside (start, end) where the weight may change; constant in between."""
        r = self.rules
        clocks = {dt.time(0), r.night_start, r.night_end, r.evening_start, r.sunday_type_start, r.heavy_eve_start}
        first = start.astimezone(OSLO).date() - dt.timedelta(days=1)
        last = end.astimezone(OSLO).date() + dt.timedelta(days=1)
        points = {start.astimezone(UTC), end.astimezone(UTC)}
        day = first
        while day <= last:
            for clock in clocks:
                t = local(day, clock).astimezone(UTC)
                if start < t < end:
                    points.add(t)
            day += dt.timedelta(days=1)
        return sorted(points)

    def measure(self, start: dt.datetime, end: dt.datetime, duty: DutyKind) -> tuple[float, float, float]:
        """(points, night hours, evening hours) of a real interval, exact to the minute and DST-safe."""
        points = night_h = evening_h = 0.0
        cuts = self._boundaries(start, end)
        for a, b in zip(cuts, cuts[1:]):
            h = (b - a).total_seconds() / 3600
            wgt, night, evening = self.weight(a)
            points += wgt * h
            night_h += h if night else 0.0
            evening_h += h if evening else 0.0
        if duty == DutyKind.ON_CALL:
            points *= self.rules.burden.on_call_factor
        return points, night_h, evening_h


def _categories(
    template: ShiftTemplate,
    day: dt.date,
    start: dt.datetime,
    end: dt.datetime,
    night_h: float,
    evening_h: float,
    rules: Rules,
    cal: HolidayCalendar,
) -> frozenset[BurdenCategory]:
    if template.counts_as is not None:
        return frozenset(template.counts_as)
    cats: set[BurdenCategory] = set()
    if night_h >= rules.night_category_min_hours:
        cats.add(BurdenCategory.NIGHT)
    elif evening_h > 0:
        cats.add(BurdenCategory.EVENING)
    if day.weekday() >= 5:
        cats.add(BurdenCategory.WEEKEND)
    eve_start = local(day, rules.heavy_eve_start)
    if cal.is_holiday(day) or (cal.heavy_eve_name(day) and end > eve_start):
        cats.add(BurdenCategory.HOLIDAY)
    return frozenset(cats)


def expand(scenario: Scenario, calendar: HolidayCalendar | None = None) -> list[ShiftInstance]:
    """Every shift instance of the period, ordered by start time (then template id)."""
    cal = calendar or scenario.holiday_calendar()
    clock = BurdenClock(scenario.rules, cal)
    staffing = scenario.staffing()
    out: list[ShiftInstance] = []
    for day in scenario.period.days():
        day_type = cal.day_type(day)
        for tpl in scenario.templates:
            if not tpl.runs_on(day, day_type):
                continue
            start = local(day, tpl.start)
            end_day = day + dt.timedelta(days=1) if tpl.crosses_midnight else day
            end = local(end_day, tpl.end)
            points, night_h, evening_h = clock.measure(start, end, tpl.duty)
            change = staffing.get((tpl.id, day))
            demand_min, demand_max, min_qualified = (
                change.staffing(tpl) if change else (tpl.demand_min, tpl.demand_max, tpl.min_qualified)
            )
            start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
            out.append(
                ShiftInstance(
                    key=shift_key(tpl.id, day),
                    template=tpl.id,
                    station=tpl.station,
                    label=tpl.label,
                    date=day,
                    start=start,
                    end=end,
                    start_utc=start_utc,
                    end_utc=end_utc,
                    hours=real_hours(start, end),
                    day_type=day_type,
                    duty=tpl.duty,
                    on_call_can_attend=tpl.on_call_can_attend,
                    demand_min=demand_min,
                    demand_max=demand_max,
                    min_qualified=min_qualified,
                    required_skill=tpl.required_skill,
                    points=points,
                    night_hours=night_h,
                    categories=(categories := _categories(tpl, day, start, end, night_h, evening_h, scenario.rules, cal)),
                    night=BurdenCategory.NIGHT in categories or night_h >= scenario.rules.night_category_min_hours,
                )
            )
    out.sort(key=lambda s: (s.start, s.template))
    return out


def carried_key(i: int) -> str:
    """Key of the scenario's ``carry_in[i]``; never that of a shift of the period (no «/»)."""
    return f"tidligere:{i}"


def _carried_instance(i: int, c: CarriedShift, clock: BurdenClock, rules: Rules) -> ShiftInstance:
    start = c.start if c.start.tzinfo else c.start.replace(tzinfo=OSLO)
    end = c.end if c.end.tzinfo else c.end.replace(tzinfo=OSLO)
    start, end = start.astimezone(OSLO), end.astimezone(OSLO)
    points, night_h, _ = clock.measure(start, end, c.duty)
    night = c.night if c.night is not None else night_h >= rules.night_category_min_hours
    return ShiftInstance(
        key=carried_key(i), template=c.template, station=c.station, label=c.label, date=start.date(),
        start=start, end=end, start_utc=start.astimezone(UTC), end_utc=end.astimezone(UTC),
        hours=real_hours(start, end), day_type=clock.calendar.day_type(start.date()), duty=c.duty,
        on_call_can_attend=False, demand_min=0, demand_max=0, min_qualified=0, required_skill=None,
        points=points, night_hours=night_h, categories=frozenset({BurdenCategory.NIGHT} if night else ()), night=night,
    )


def carried_shifts(scenario: Scenario, calendar: HolidayCalendar | None = None) -> dict[str, list[ShiftInstance]]:
    """The shifts carried in from before the period, per doctor in start order: real times, and
    the night category from ``night`` or, when empty, from the hours under this period's rules."""
    if not scenario.carry_in:
        return {}
    cal = calendar or HolidayCalendar(scenario.period.start - dt.timedelta(days=70), scenario.period.end)
    clock = BurdenClock(scenario.rules, cal)
    out: dict[str, list[ShiftInstance]] = {}
    for i, c in enumerate(scenario.carry_in):
        out.setdefault(c.doctor, []).append(_carried_instance(i, c, clock, scenario.rules))
    for shifts in out.values():
        shifts.sort(key=lambda s: s.start_utc)
    return out


class ShiftIndex:
    """Expanded shifts of a scenario with lookups by key; built once per solve/check/export."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.calendar = scenario.holiday_calendar()
        self.shifts = expand(scenario, self.calendar)
        self.by_key = {s.key: s for s in self.shifts}

    @cached_property
    def carried(self) -> dict[str, list[ShiftInstance]]:
        """Per doctor, the shifts carried in from before the period (``carried_shifts``)."""
        return carried_shifts(self.scenario, self.calendar)
