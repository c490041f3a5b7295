"""A constructive roster that keeps the hard rules it can check cheaply, for the first CP-SAT pass.

The first pass (solver.solve) fixes every assignment to this roster and leaves only the auxiliary
variables (open slots, penalties) to CP-SAT: presolve then removes nearly everything, where a
search merely guided by the same roster found nothing within a minute at 1000 doctors × 3 months.
Failing that it is the search's guide, so the model still decides and nothing slips through.

Pins go first. Each shift in time order then gets the qualified doctors furthest below their fair
share who break none of their own rules (overlap, rest, shifts and hours per 7 days, period totals,
label and weekend limits, nights and working dates in a row, forbidden successions, weekly rest)
until its demand and competence mix are met. Doctors still under their minimum then take shifts
over from doctors above theirs, or an open or spare place. Left to the model: minimum runs of
nights, work or days off, and supervision for anyone other than a doctor placed here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from roster.calendar import ShiftInstance, local
from roster.models import BurdenCategory, Employment, Supervision, shift_key
from roster.targets import burden_targets
from solver.context import HOURS_SCALE, ModelContext, utc
from solver.limits import work_hours

Pair = tuple[str, str]  # (doctor id, shift key)


class _Greedy:
    """The roster being built and the rule checks on it, per doctor and per shift."""

    def __init__(self, ctx: ModelContext):
        self.ctx = ctx
        r = ctx.scenario.rules
        self.rules = r
        self.given: dict[str, list[ShiftInstance]] = {d: [] for d in ctx.by_doctor}
        self.on: dict[str, list[str]] = {s.key: [] for s in ctx.shifts}
        self.pinned: set[Pair] = set()
        self.load: dict[str, float] = defaultdict(float)
        targets = burden_targets(ctx.scenario, ctx.index)
        self.share = {(d, pool): t.period for (d, pool), t in targets.items() if t.period > 0}
        # the model's integer hour coefficients: limits round up, minimums down (solver.limits)
        self.hours_up = {s.key: math.ceil(work_hours(ctx, s) * HOURS_SCALE - 1e-6) for s in ctx.shifts}
        self.hours_down = {s.key: math.floor(work_hours(ctx, s) * HOURS_SCALE + 1e-6) for s in ctx.shifts}
        self.week_hours = None if r.max_hours_per_7_days is None else math.floor(r.max_hours_per_7_days * HOURS_SCALE + 1e-6)
        self.rest = {d: dt.timedelta(hours=ctx.rest_hours(doc)) for d, doc in ctx.doctors.items()}
        self.successions = {(p.first, p.then) for p in r.forbidden_successions}
        period = ctx.scenario.period
        self.first_day = period.start
        self.weekly_need = dt.timedelta(hours=r.weekly_rest_hours_employee)
        days = [d for d in period.days() if d + dt.timedelta(days=6) <= period.end]
        self.weeks = [(utc(local(d, dt.time(0))), utc(local(d + dt.timedelta(days=7), dt.time(0)))) for d in days]
        self.on_call = [s for s in ctx.shifts if not s.on_site]

    # ------------------------------------------------------------- state

    def assign(self, d: str, s: ShiftInstance) -> None:
        self.given[d].append(s)
        self.on[s.key].append(d)
        self.load[d] += s.points

    def unassign(self, d: str, s: ShiftInstance) -> None:
        self.given[d].remove(s)
        self.on[s.key].remove(d)
        self.load[d] -= s.points

    def ratio(self, d: str, s: ShiftInstance) -> float:
        """Burden after taking the shift over the fair share of the period."""
        return (self.load[d] + s.points) / self.share.get((d, s.duty), 1e-3)

    def below_minimum(self, d: str, without: ShiftInstance | None = None) -> bool:
        doc = self.ctx.doctors[d]
        mine = [t for t in self.given[d] if t is not without]
        if len(mine) < doc.min_shifts:
            return True
        need = math.ceil(doc.min_hours * HOURS_SCALE - 1e-6)
        return doc.min_hours > 0 and sum(self.hours_down[t.key] for t in mine) < need

    # ------------------------------------------------------------- a doctor's rules

    def fits(self, d: str, s: ShiftInstance) -> bool:
        """Whether the doctor may take the shift on top of what they have (the pair exists)."""
        ctx, r = self.ctx, self.rules
        doc = ctx.doctors[d]
        mine = self.given[d]
        if doc.max_shifts is not None and len(mine) >= doc.max_shifts:
            return False
        label_limit = doc.max_shifts_by_label.get(s.label)
        if label_limit is not None and sum(t.label == s.label for t in mine) >= label_limit:
            return False
        rest, work = self.rest[d], ctx.counts_as_work(s)
        zero = dt.timedelta(0)
        for t in mine:
            pad = rest if work and ctx.counts_as_work(t) else zero
            if t.start_utc < s.end_utc + pad and s.start_utc < t.end_utc + pad:
                return False
        if not self._fits_weeks(mine, s):
            return False
        if doc.max_hours is not None:
            cap = math.floor(doc.max_hours * HOURS_SCALE + 1e-6)
            if sum(self.hours_up[t.key] for t in mine) + self.hours_up[s.key] > cap:
                return False
        weekends = doc.max_weekends if doc.max_weekends is not None else r.max_weekends
        if weekends is not None and s.date.weekday() >= 5:
            worked = {_saturday(t.date) for t in mine if t.date.weekday() >= 5}
            if _saturday(s.date) not in worked and len(worked) >= weekends:
                return False
        if _is_night(s) and _run(s.date, {t.date for t in mine if _is_night(t)}) > r.max_consecutive_nights:
            return False
        longest = doc.max_consecutive_days or r.max_consecutive_days
        if longest is not None and _run(s.date, {t.date for t in mine}) > longest:
            return False
        for t in mine:
            gap = (t.date - s.date).days
            if (gap == 1 and (s.label, t.label) in self.successions) or (
                gap == -1 and (t.label, s.label) in self.successions
            ):
                return False
        return doc.employment != Employment.EMPLOYEE or not work or self._weekly_rest(mine, s)

    def _fits_weeks(self, mine: list[ShiftInstance], s: ShiftInstance) -> bool:
        """Shifts and hours in every 7 consecutive dates around the shift (solver.limits)."""
        cap = self.rules.max_shifts_per_7_days
        if cap is None and self.week_hours is None:
            return True
        near = [((t.date - s.date).days, self.hours_up[t.key]) for t in mine if abs((t.date - s.date).days) < 7]
        for first in range(-6, 1):
            inside = [h for gap, h in near if first <= gap <= first + 6]
            if cap is not None and len(inside) >= cap:
                return False
            if self.week_hours is not None and sum(inside) + self.hours_up[s.key] > self.week_hours:
                return False
        return True

    def _weekly_rest(self, mine: list[ShiftInstance], s: ShiftInstance) -> bool:
        """Every 7-day window the shift touches keeps 35 h free of work (solver.rest)."""
        work = sorted([t for t in mine if self.ctx.counts_as_work(t)] + [s], key=lambda t: t.start_utc)
        lo = max(0, (s.date - self.first_day).days - 7)
        for w0, w1 in self.weeks[lo : (s.date - self.first_day).days + 2]:
            if not (w0 < s.end_utc and s.start_utc < w1):
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

    # ------------------------------------------------------------- a shift's rules

    def shift_allows(self, s: ShiftInstance, doctors: list[str]) -> bool:
        """Competence mix, nobody unqualified alone, and a bakvakt for each unqualified doctor
        (solver.coverage, solver.bakvakt), for these doctors on an on-site shift."""
        if not s.on_site:
            return True
        qualified = self.ctx.qualified
        n_qualified = sum(qualified[d] for d in doctors)
        if n_qualified + max(0, s.demand_min - len(doctors)) < s.min_qualified:
            return False
        unqualified = [d for d in doctors if not qualified[d]]
        if unqualified and n_qualified == 0:
            return False
        return all(self._supervised(s, self.ctx.doctors[d].supervision == Supervision.ON_SITE) for d in unqualified)

    def _supervised(self, s: ShiftInstance, attend: bool) -> bool:
        """Staffed on-call shifts (that can come in, if asked) cover the shift's whole time."""
        covered_to = s.start_utc
        for t in self.on_call:  # in start order
            if t.start_utc > covered_to:
                break
            if self.on[t.key] and (t.on_call_can_attend or not attend):
                covered_to = max(covered_to, t.end_utc)
            if covered_to >= s.end_utc:
                return True
        return covered_to >= s.end_utc

    # ------------------------------------------------------------- construction

    def place_pins(self) -> None:
        for pin in self.ctx.scenario.pins:
            key = shift_key(pin.template, pin.date)
            if (pin.doctor, key) in self.ctx.x and (pin.doctor, key) not in self.pinned:
                self.assign(pin.doctor, self.ctx.index.by_key[key])
                self.pinned.add((pin.doctor, key))

    def fill(self) -> None:
        """Qualified doctors, least burdened first, until demand and competence mix are met."""
        ctx = self.ctx
        for s in ctx.shifts:
            on = self.on[s.key]
            candidates = sorted((d for d, _ in ctx.by_shift[s.key] if ctx.qualified[d] and d not in on),
                                key=lambda d: self.ratio(d, s))
            for d in candidates:
                short_of_qualified = s.on_site and sum(ctx.qualified[o] for o in on) < s.min_qualified
                if len(on) >= s.demand_max or (len(on) >= s.demand_min and not short_of_qualified):
                    break
                if self.fits(d, s):
                    self.assign(d, s)

    def repair_minimums(self) -> None:
        """Each doctor under min_shifts or min_hours takes a shift: an open place first, else one
        from the most burdened doctor who stays at or above their own minimum, else a spare place."""
        ctx = self.ctx
        for d in ctx.by_doctor:
            while self.below_minimum(d):
                best: tuple[tuple[int, float], ShiftInstance, str | None] | None = None
                for s, _ in ctx.by_doctor[d]:
                    on = self.on[s.key]
                    if d in on or not self.fits(d, s):
                        continue
                    if len(on) < s.demand_max and self.shift_allows(s, [*on, d]):
                        rank = (0 if len(on) < s.demand_min else 2, 0.0)
                        if best is None or rank < best[0]:
                            best = (rank, s, None)
                    for o in on:
                        if (o, s.key) in self.pinned or self.below_minimum(o, without=s):
                            continue
                        if self.shift_allows(s, [*(x for x in on if x != o), d]):
                            rank = (1, -self.ratio(o, s))
                            if best is None or rank < best[0]:
                                best = (rank, s, o)
                if best is None:
                    break  # nothing fits: the model decides (and may find the minimum infeasible)
                _, s, o = best
                if o is not None:
                    self.unassign(o, s)
                self.assign(d, s)

    def pairs(self) -> set[Pair]:
        return {(d, s.key) for d, mine in self.given.items() for s in mine}


def _saturday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday() - 5)


def _is_night(s: ShiftInstance) -> bool:
    return BurdenCategory.NIGHT in s.categories


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


def greedy_assignment(ctx: ModelContext) -> set[Pair]:
    """(doctor, shift key) pairs of the constructive roster."""
    g = _Greedy(ctx)
    g.place_pins()
    g.fill()
    g.repair_minimums()
    return g.pairs()
