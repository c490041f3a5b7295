"""What a doctor may take on top of the shifts they already have: the per-doctor hard rules, their
parameters and their predicates, in one place.

The CP-SAT model (``solver/``) encodes these rules with the parameters defined here (rest hours,
what counts as work, the doctor's own limit or the rules', the integer hours of hour limits); the
rosters built one shift at a time — the solver's first roster (``solver.warmstart``) and the
hand-made comparison (``roster.greedy``) — ask the predicates of ``Workload``. The independent
checker (``roster.check``) reads the rules on its own, so a mistake here shows up there.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable
from fractions import Fraction

from roster.calendar import ShiftInstance, carried_shifts, local
from roster.days import HolidayCalendar
from roster.models import Doctor, DutyKind, Employment, Rules, Scenario

#: Most integer units per hour of the hour limits (``HourUnits``): whole minutes with an on-call
#: factor of 1/7 need 420; more would only make CP-SAT's coefficients large.
MOST_UNITS_PER_HOUR = 100_000
#: Units per hour when the counted hours have no common denominator up to that (fractions of a
#: second in a clock time, an on-call factor typed as 0.142857): each shift's hours are then rounded.
ROUNDED_UNITS_PER_HOUR = 1000
#: The checker's tolerance on hour limits (``roster.check.times.EPS``), so both accept the same sums.
HOURS_TOLERANCE = 1e-9


# --------------------------------------------------------------------------- parameters


def rest_hours(rules: Rules, employment: Employment) -> float:
    """Rest between two work shifts: 11 h for employees (arbeidsmiljøloven §10-8), else 8 h (SFS
    2305 pkt 7.4); both are ``Rules`` fields."""
    return rules.rest_hours_employee if employment == Employment.EMPLOYEE else rules.rest_hours_self_employed


def counts_as_work(rules: Rules, shift: ShiftInstance) -> bool:
    """Whether the shift is work for the rest rules (on-call may count as rest, §10-4(3))."""
    return shift.on_site or not rules.on_call_counts_as_rest


def work_hours(rules: Rules, shift: ShiftInstance) -> float:
    """Hours a shift counts as work: on-call by `on_call_factor` (arbeidsmiljøloven §10-4(3))."""
    return shift.hours if shift.on_site else shift.hours * rules.burden.on_call_factor


def _fraction(factor: float) -> Fraction | None:
    """The on-call factor as the fraction it stands for (1/7, not the float 0.142857142857…), or
    None when no fraction with a denominator up to ``MOST_UNITS_PER_HOUR`` is that float."""
    q = Fraction(factor).limit_denominator(MOST_UNITS_PER_HOUR)
    return q if float(q) == factor else None


def _duration(shift: ShiftInstance) -> Fraction:
    """A shift's real hours, exactly."""
    return Fraction((shift.end_utc - shift.start_utc) // dt.timedelta(microseconds=1), 3_600_000_000)


class HourUnits:
    """The hours of the hour limits (`uke-timer`, `timer`: real hours, on-call ones by
    `on_call_factor`) as the integers the CP-SAT model and ``Workload`` add up.

    A unit is 1/``per_hour`` hour, ``per_hour`` being the least common denominator of the shifts'
    counted hours (7 for whole-hour shifts and a factor of 1/7, 420 for whole minutes), so every
    shift is a whole number of units, a sum is exact, and a limit holds here exactly when it holds
    in the checker: 7 on-call shifts of 16 h at 1/7 are 16 h, not 7 × 2.286 h (each rounded up to a
    thousandth, which left a needless open place under a maximum of 16 h). Hours without such a
    denominator up to ``MOST_UNITS_PER_HOUR`` are counted in thousandths, each shift rounded up
    toward a maximum and down toward a minimum: never looser than the checker."""

    def __init__(self, rules: Rules, shifts: Iterable[ShiftInstance]):
        shifts = list(shifts)
        factor = _fraction(rules.burden.on_call_factor)
        exact = {} if factor is None else {s.key: _duration(s) * (1 if s.on_site else factor) for s in shifts}
        per_hour = math.lcm(*{h.denominator for h in exact.values()})
        if factor is not None and per_hour <= MOST_UNITS_PER_HOUR:
            self.per_hour = per_hour
            self.up = self.down = {key: int(h * per_hour) for key, h in exact.items()}
        else:
            self.per_hour = ROUNDED_UNITS_PER_HOUR
            scaled = {s.key: work_hours(rules, s) * self.per_hour for s in shifts}
            self.up = {key: math.ceil(x - 1e-6) for key, x in scaled.items()}  # units toward a maximum
            self.down = {key: math.floor(x + 1e-6) for key, x in scaled.items()}  # units toward a minimum

    def at_most(self, hours: float) -> int:
        """A maximum in units: the largest sum whose hours the checker accepts."""
        return math.floor((hours + HOURS_TOLERANCE) * self.per_hour)

    def at_least(self, hours: float) -> int:
        """A minimum in units: the smallest sum whose hours the checker accepts."""
        return math.ceil((hours - HOURS_TOLERANCE) * self.per_hour)


def weekly_shift_cap(doctor: Doctor, rules: Rules) -> int | None:
    """Shifts in any 7 consecutive dates at most (`uke-vakter`): the doctor's own value, else the rules'."""
    return doctor.max_shifts_per_7_days or rules.max_shifts_per_7_days


def longest_run(doctor: Doctor, rules: Rules) -> int | None:
    """Working dates in a row at most (`dager-på-rad`): the doctor's own value, else the rules'."""
    return doctor.max_consecutive_days or rules.max_consecutive_days


def shortest_run(doctor: Doctor, rules: Rules) -> int:
    """Working dates in a row at least (`min-dager-på-rad`; 1 = no rule)."""
    return doctor.min_consecutive_days or rules.min_consecutive_days


def days_off(doctor: Doctor, rules: Rules) -> int:
    """Dates off between runs of work at least (`fridager`; 1 = no rule)."""
    return doctor.min_days_off or rules.min_days_off


def max_weekends(doctor: Doctor, rules: Rules) -> int | None:
    """Worked weekends at most (`helger`): the doctor's own limit, else the rules'."""
    return rules.max_weekends if doctor.max_weekends is None else doctor.max_weekends


def lookback_days(scenario: Scenario) -> int:
    """How many dates before the period a rule looks back (at least 7: shifts, hours and weekly
    rest per 7 days, the Sunday before): what history_out carries into the next period."""
    r = scenario.rules
    own = [v for d in scenario.doctors for v in (longest_run(d, r), shortest_run(d, r), days_off(d, r)) if v]
    return max(7, r.max_consecutive_nights, r.min_consecutive_nights, r.spacing_target_days, *own)


def sunday_rule_binds(doctor: Doctor, rules: Rules) -> bool:
    """`søndagsfri` binds employees (arbeidsmiljøloven §10-10) while the rule is on."""
    return rules.sunday_off_after_sunday_work and doctor.employment == Employment.EMPLOYEE


class SundayWork:
    """Which Sunday or helgedag a work shift works (`søndagsfri`, arbeidsmiljøloven §10-10): the
    first whose protected hours it overlaps, from ``sunday_type_start`` the day before (15:00 on
    Christmas, Easter and Pentecost eve) to ``sunday_type_end`` on the day. So a Saturday night
    23–08 works the Sunday and a Sunday night from 23:00 none; one shift works at most one date."""

    def __init__(self, calendar: HolidayCalendar, rules: Rules, first: dt.date, last: dt.date):
        n = (last - first).days + 1
        self.dates = [d for d in (first + dt.timedelta(days=i) for i in range(n)) if calendar.is_sunday_rest(d)]
        eve = dt.timedelta(days=1)
        self._starts = [local(d - eve, rules.heavy_eve_start if calendar.early_eve(d - eve) else rules.sunday_type_start)
                        .astimezone(dt.timezone.utc) for d in self.dates]
        self._ends = [local(d, rules.sunday_type_end).astimezone(dt.timezone.utc) for d in self.dates]

    def date_of(self, shift: ShiftInstance) -> dt.date | None:
        i = bisect.bisect_right(self._ends, shift.start_utc)  # the first window still open when the shift starts
        if i < len(self.dates) and self._starts[i] < shift.end_utc:
            return self.dates[i]
        return None


def supervision_eves(scenario: Scenario) -> dict[str, set[dt.date]]:
    """`veiledningsdag`: per doctor, the dates no night shift may start (the day before each
    supervision day)."""
    out: dict[str, set[dt.date]] = {}
    for s in scenario.supervision_days:
        out.setdefault(s.doctor, set()).add(s.date - dt.timedelta(days=1))
    return out


def practice_eves(scenario: Scenario, calendar: HolidayCalendar) -> dict[str, set[dt.date]]:
    """`praksisdag`: per doctor with practice days, the period dates no on-site night may start on
    because the next date is one of their practice days (a weekday in ``practice_days`` that is no
    holiday), while the rule is on."""
    if not scenario.rules.no_night_before_practice_day:
        return {}
    one = dt.timedelta(days=1)
    workdays = [(day, (day + one).weekday()) for day in scenario.period.days() if not calendar.is_holiday(day + one)]
    out = {}
    for d in scenario.doctors:
        if d.practice_days:
            weekdays = {w.index for w in d.practice_days}
            out[d.id] = {day for day, after in workdays if after in weekdays}
    return out


def is_night(shift: ShiftInstance) -> bool:
    """A night shift for the night rules (`netter`, `nattblokk`, the practice and supervision eves):
    by its hours, or natt in ``counts_as``. Burden categories given by hand price a shift; they
    must not make a real night pass for a day shift before a GP's practice day."""
    return shift.night


def saturday(day: dt.date) -> dt.date:
    """The Saturday of the weekend a Saturday or Sunday belongs to (`helger`)."""
    return day - dt.timedelta(days=day.weekday() - 5)


def _run(day: dt.date, dates: set[dt.date]) -> int:
    """Length of the run of consecutive dates through ``day`` once it is added to ``dates``."""
    one = dt.timedelta(days=1)
    before = 0
    while day - (before + 1) * one in dates:
        before += 1
    after = 0
    while day + (after + 1) * one in dates:
        after += 1
    return before + 1 + after


# --------------------------------------------------------------------------- predicates


class Workload:
    """The shifts each doctor has so far in a roster being built, and the per-doctor hard rules on
    one more: overlap and rest, shifts and hours per 7 days, period totals, labels, weekends,
    nights and working dates in a row, forbidden successions and weekly rest. Hours are the
    model's integers (``HourUnits``), so what fits here fits the model. Minimum runs of nights,
    work or days off are left out: they bind a whole run, not one more shift."""

    def __init__(self, scenario: Scenario, shifts: list[ShiftInstance]):
        r = scenario.rules
        self.rules = r
        self.doctors = {d.id: d for d in scenario.doctors}
        self.given: dict[str, list[ShiftInstance]] = {d.id: [] for d in scenario.doctors}
        self.calendar = scenario.holiday_calendar()
        self.before = carried_shifts(scenario, self.calendar)  # shifts carried in from before the period
        carried = [c for cs in self.before.values() for c in cs]
        self.units = HourUnits(r, [*shifts, *carried])
        self.week_hours = None if r.max_hours_per_7_days is None else self.units.at_most(r.max_hours_per_7_days)
        self.rest = {d.id: dt.timedelta(hours=rest_hours(r, d.employment)) for d in scenario.doctors}
        self.successions = {(p.first, p.then) for p in r.forbidden_successions}
        period = scenario.period
        self.first_week = period.start - dt.timedelta(days=6)  # weekly-rest windows reach back into carried days
        self.weekly_need = dt.timedelta(hours=r.weekly_rest_hours_employee)
        days = [self.first_week + dt.timedelta(days=i) for i in range((period.end - self.first_week).days - 5)]
        self.weeks = [(local(d, dt.time(0)).astimezone(dt.timezone.utc),
                       local(d + dt.timedelta(days=7), dt.time(0)).astimezone(dt.timezone.utc)) for d in days]
        self.sundays = SundayWork(self.calendar, r, period.start - dt.timedelta(days=8), period.end + dt.timedelta(days=8))
        self.supervision_eves = supervision_eves(scenario)
        self.practice_eves = practice_eves(scenario, self.calendar)

    def add(self, doctor_id: str, shift: ShiftInstance) -> None:
        self.given[doctor_id].append(shift)

    def remove(self, doctor_id: str, shift: ShiftInstance) -> None:
        self.given[doctor_id].remove(shift)

    def below_minimum(self, doctor_id: str, without: ShiftInstance | None = None) -> bool:
        """Under `min_shifts` or `min_hours` (hours as the model counts them)."""
        doc = self.doctors[doctor_id]
        mine = [t for t in self.given[doctor_id] if t is not without]
        if len(mine) < doc.min_shifts:
            return True
        return doc.min_hours > 0 and sum(self.units.down[t.key] for t in mine) < self.units.at_least(doc.min_hours)

    def fits(self, doctor_id: str, shift: ShiftInstance) -> bool:
        """Whether the doctor may take the shift on top of what they have (eligibility aside)."""
        doc, mine = self.doctors[doctor_id], self.given[doctor_id]
        near = self.near(doctor_id)
        return (self.under_max_shifts(doctor_id) and self._under_label_limit(doc, mine, shift)
                and self.rested(doctor_id, shift) and self.within_weeks(doctor_id, shift)
                and self._under_max_hours(doc, mine, shift) and self._within_weekends(doc, mine, shift)
                and self._within_runs(doc, near, shift) and self._no_forbidden_succession(near, shift)
                and self._weekly_rest(doc, near, shift) and self._sunday_off(doc, near, shift)
                and self._no_night_before(doc, shift))

    def near(self, doctor_id: str) -> list[ShiftInstance]:
        """The doctor's shifts so far with those carried in from before the period: what the rules
        that look back see."""
        return self.before.get(doctor_id, []) + self.given[doctor_id]

    def under_max_shifts(self, doctor_id: str) -> bool:
        """`antall`: room for one more under `max_shifts`."""
        limit = self.doctors[doctor_id].max_shifts
        return limit is None or len(self.given[doctor_id]) < limit

    def rested(self, doctor_id: str, shift: ShiftInstance) -> bool:
        """`overlapp`, `hvile`: no overlap with any of the doctor's shifts, and the rest hours
        between work shifts (solver.rest)."""
        rest, work = self.rest[doctor_id], counts_as_work(self.rules, shift)
        zero = dt.timedelta(0)
        for t in self.near(doctor_id):
            pad = rest if work and counts_as_work(self.rules, t) else zero
            if t.start_utc < shift.end_utc + pad and shift.start_utc < t.end_utc + pad:
                return False
        return True

    def within_weeks(self, doctor_id: str, shift: ShiftInstance, hours: bool = True) -> bool:
        """`uke-vakter` and (unless ``hours`` is off) `uke-timer` in every 7 consecutive dates
        around the shift (solver.limits)."""
        cap = weekly_shift_cap(self.doctors[doctor_id], self.rules)
        week_hours = self.week_hours if hours else None
        if cap is None and week_hours is None:
            return True
        near = [((t.date - shift.date).days, self.units.up[t.key]) for t in self.near(doctor_id)
                if abs((t.date - shift.date).days) < 7]
        for first in range(-6, 1):
            inside = [h for gap, h in near if first <= gap <= first + 6]
            if cap is not None and len(inside) >= cap:
                return False
            if week_hours is not None and sum(inside) + self.units.up[shift.key] > week_hours:
                return False
        return True

    def _under_label_limit(self, doc: Doctor, mine: list[ShiftInstance], shift: ShiftInstance) -> bool:
        limit = doc.max_shifts_by_label.get(shift.label)
        return limit is None or sum(t.label == shift.label for t in mine) < limit

    def _under_max_hours(self, doc: Doctor, mine: list[ShiftInstance], shift: ShiftInstance) -> bool:
        if doc.max_hours is None:
            return True
        up = self.units.up
        return sum(up[t.key] for t in mine) + up[shift.key] <= self.units.at_most(doc.max_hours)

    def _within_weekends(self, doc: Doctor, mine: list[ShiftInstance], shift: ShiftInstance) -> bool:
        limit = max_weekends(doc, self.rules)
        if limit is None or shift.date.weekday() < 5:
            return True
        worked = {saturday(t.date) for t in mine if t.date.weekday() >= 5}
        return saturday(shift.date) in worked or len(worked) < limit

    def _within_runs(self, doc: Doctor, mine: list[ShiftInstance], shift: ShiftInstance) -> bool:
        """`netter` and `dager-på-rad`: the run through the shift's date stays within its limit."""
        if is_night(shift) and _run(shift.date, {t.date for t in mine if is_night(t)}) > self.rules.max_consecutive_nights:
            return False
        longest = longest_run(doc, self.rules)
        return longest is None or _run(shift.date, {t.date for t in mine}) <= longest

    def _no_forbidden_succession(self, mine: list[ShiftInstance], shift: ShiftInstance) -> bool:
        for t in mine:
            gap = (t.date - shift.date).days
            if (gap == 1 and (shift.label, t.label) in self.successions) or (
                gap == -1 and (t.label, shift.label) in self.successions
            ):
                return False
        return True

    def _weekly_rest(self, doc: Doctor, mine: list[ShiftInstance], shift: ShiftInstance) -> bool:
        """`ukehvile`: for an employee, every 7-day window the shift touches keeps 35 h free of
        work (solver.rest)."""
        if doc.employment != Employment.EMPLOYEE or not counts_as_work(self.rules, shift):
            return True
        work = sorted([t for t in mine if counts_as_work(self.rules, t)] + [shift], key=lambda t: t.start_utc)
        offset = (shift.date - self.first_week).days
        for w0, w1 in self.weeks[max(0, offset - 7) : offset + 2]:
            if not (w0 < shift.end_utc and shift.start_utc < w1):
                continue
            free_from = w0
            found = False
            for t in work:
                if t.end_utc <= w0 or t.start_utc >= w1:
                    continue
                if t.start_utc - free_from >= self.weekly_need:
                    found = True
                    break
                free_from = max(free_from, t.end_utc)
            if not found and w1 - free_from < self.weekly_need:
                return False
        return True

    def _sunday_off(self, doc: Doctor, mine: list[ShiftInstance], shift: ShiftInstance) -> bool:
        """`søndagsfri`: an employee who works a Sunday or holiday (``SundayWork``) has the next
        one off (solver.sundays)."""
        if not sunday_rule_binds(doc, self.rules) or not counts_as_work(self.rules, shift):
            return True
        day = self.sundays.date_of(shift)
        if day is None:
            return True
        dates = self.sundays.dates
        i = dates.index(day)
        neighbours = {dates[j] for j in (i - 1, i + 1) if 0 <= j < len(dates)}
        return not any(counts_as_work(self.rules, t) and self.sundays.date_of(t) in neighbours for t in mine)

    def _no_night_before(self, doc: Doctor, shift: ShiftInstance) -> bool:
        """`veiledningsdag` and `praksisdag`: no night before a supervision day, no on-site night
        before a practice day (solver.protected_days)."""
        if not is_night(shift):
            return True
        if shift.date in self.supervision_eves.get(doc.id, ()):
            return False
        return not (shift.duty == DutyKind.ON_SITE and shift.date in self.practice_eves.get(doc.id, ()))
