"""Fairness metrics: who carries what in a roster, and how evenly.

Per doctor: counts, real hours, burden points against the capacity-aware target of
``roster.targets`` (history through the ledger), shift frequency and wishes. Per group (all, per
role, per pool, per station): spread, dispersion and inequality of the *normalised burden*
``points / target``, where 1.0 is exactly the doctor's target — normalising by target makes doctors
with different vaktandel (share) and different pools comparable. Per pool (``pool_metrics``): the
deviation per share from the target, its range and largest value, and the ledger before and after.
Definitions: ``docs/metrics.md``.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from roster.calendar import ShiftIndex, ShiftInstance
from roster.days import ROTATION_HOLIDAYS, rotation_holiday
from roster.eligibility import (
    CLINICAL_MONTHS_REQUIRED,
    LEGEVAKT_SHIFTS_REQUIRED,
    MUNICIPAL_GP_YEARS_REQUIRED,
    qualification,
)
from roster.models import BurdenCategory, Doctor, History, Role, Roster, Scenario
from roster.targets import FairnessPlan, Target, fairness_plan, targets, why_capped
from roster.terms import count, number

OVER_TARGET_MARGIN = 0.10  # issue 4: "doctors over their target by more than 10 %"
CLOSE_PAIR_DAYS = (3, 7)  # issue 4: pairs of shifts within 3 and within 7 days
EVERYONE = "alle"  # the group of all doctors, always the first of ``groups``


@dataclass
class DoctorMetrics:
    """One doctor's load in one roster. ``hours`` are on-site hours; on-call hours are separate."""

    doctor: str
    name: str
    role: str
    share: float
    pool: str = ""
    shifts: int = 0
    hours: float = 0.0
    nights: int = 0
    evenings: int = 0
    weekends: int = 0
    holidays: int = 0
    bakvakt_hours: float = 0.0
    points: float = 0.0
    history_points: float = 0.0
    nominal_target: float = 0.0  # share of the pool's burden
    capacity_target: float = 0.0  # capped by capacity, what the capped cannot carry shared by share
    repay: float = 0.0  # the ledger's correction: the target is capacity_target − repay
    target: float = 0.0
    capacity: float = 0.0
    why: str = ""  # why the capacity-aware target differs from the nominal one
    relative_deviation: float | None = None
    deviation_per_share: float = 0.0
    balance_before: float = 0.0
    balance_after: float = 0.0
    ledger_due: float = 0.0  # what the ledger counts this period's points against: max(floor, capacity_target)
    wishes_granted: int = 0
    wishes_denied: int = 0
    mean_gap_days: float | None = None
    min_gap_days: int | None = None
    pairs_within_3: int = 0
    pairs_within_7: int = 0
    longest_run: int = 0
    stations: list[str] = field(default_factory=list)

    @property
    def normalised_burden(self) -> float | None:
        """points / target: 1.0 is exactly the target."""
        if self.relative_deviation is None:
            return None
        return 1.0 + self.relative_deviation


@dataclass(frozen=True)
class GroupMetrics:
    """Distribution of normalised burden over a group of doctors (those with a target > 0)."""

    group: str
    doctors: int
    min: float | None
    median: float | None
    max: float | None
    spread: float | None
    std: float | None
    cv: float | None
    gini: float | None
    jain: float | None
    over_target: int


def _gaps(days: list[dt.date]) -> list[int]:
    return [(b - a).days for a, b in zip(days, days[1:])]


def _pairs_within(days: list[dt.date], limit: int) -> int:
    """Pairs of shifts (any two, not only neighbours) whose start dates are at most ``limit`` days apart."""
    return sum(1 for i, a in enumerate(days) for b in days[i + 1:] if (b - a).days <= limit)


def longest_run(days: Iterable[dt.date]) -> int:
    """Longest stretch of consecutive calendar dates on which a shift starts."""
    best = run = 0
    previous: dt.date | None = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        best = max(best, run)
        previous = day
    return best


def _wish_granted(wish_template: str | None, wants: bool, mine: list[ShiftInstance], day: dt.date) -> bool:
    has = any(s.date == day and (wish_template is None or s.template == wish_template) for s in mine)
    return has == wants


def assigned_shifts(scenario: Scenario, roster: Roster, index: ShiftIndex) -> dict[str, list[ShiftInstance]]:
    """Each doctor's shifts in time order; assignments naming an unknown doctor or shift are left
    out (the checker reports them)."""
    mine: dict[str, list[ShiftInstance]] = {d.id: [] for d in scenario.doctors}
    for a in roster.assignments:
        shift = index.by_key.get(a.shift)
        if shift is not None and a.doctor in mine:
            mine[a.doctor].append(shift)
    return {d: sorted(ss, key=lambda s: (s.start, s.template)) for d, ss in mine.items()}


def _why(scenario: Scenario, index: ShiftIndex, t: Target, level_up: bool) -> str:
    """Why the target differs from the nominal one, in Norwegian. The floor is named both where it
    sets the doctor's own target and where the others' floors lower the level: without it, the
    reader's «etter kapasitet − historikk» does not add up to the target shown beside it."""
    parts = []
    if t.capacity == 0:
        parts.append("kan ikke ta vakt i perioden")
    elif t.capped:
        doctor = scenario.doctor(t.doctor)
        parts.append(f"kan ta høyst {number(t.capacity, 1)} poeng: {why_capped(scenario, index, doctor, [])}")
    elif level_up:
        parts.append("bærer sin del av det andre i gruppen ikke kan ta")
    elif t.base < t.nominal - 0.05:
        parts.append("bærer mindre fordi andre i gruppen må ta sitt minste antall vakter")
    if abs(t.repay) >= 0.05:
        parts.append(f"historikk: {number(abs(t.repay), 1)} poeng {'mindre' if t.repay > 0 else 'mer'}")
    if t.capacity > 0 and t.floor > t.base - t.repay + 0.05:
        parts.append(f"minst {number(t.floor, 1)} poeng: de letteste vaktene legen skal ta uansett (minste antall vakter)")
    return "; ".join(parts)


def doctor_metrics(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None,
                   plan: FairnessPlan | None = None) -> list[DoctorMetrics]:
    """Metrics of every doctor of the scenario, in scenario order."""
    index = index or ShiftIndex(scenario)
    plan = plan or fairness_plan(scenario, index)
    mine = assigned_shifts(scenario, roster, index)
    tgts = targets(plan, {d: sum(s.points for s in ss) for d, ss in mine.items()})
    history = {h.doctor: h.points for h in scenario.history}
    group_of = {p: g for g, ps in plan.groups.items() for p in ps}  # capped doctors lift their level group's level
    groups_with_capped = {group_of[t.pool] for t in tgts.values() if t.capped or (t.capacity == 0 and t.share > 0)}
    out = []
    for d in scenario.doctors:
        shifts = mine[d.id]
        t = tgts[d.id]
        m = DoctorMetrics(doctor=d.id, name=d.name, role=d.role.value, share=d.share, pool=t.pool)
        m.shifts = len(shifts)
        m.hours = sum(s.hours for s in shifts if s.on_site)
        m.bakvakt_hours = sum(s.hours for s in shifts if not s.on_site)
        m.nights = sum(BurdenCategory.NIGHT in s.categories for s in shifts)
        m.evenings = sum(BurdenCategory.EVENING in s.categories for s in shifts)
        m.weekends = sum(BurdenCategory.WEEKEND in s.categories for s in shifts)
        m.holidays = sum(BurdenCategory.HOLIDAY in s.categories for s in shifts)
        m.points = sum(s.points for s in shifts)
        m.history_points = history.get(d.id, 0.0)
        m.nominal_target, m.capacity_target, m.repay, m.target = t.nominal, t.base, t.repay, t.target
        m.capacity = t.capacity
        m.why = _why(scenario, index, t, group_of[t.pool] in groups_with_capped and t.base > t.nominal + 0.05)
        if m.target > 0:
            m.relative_deviation = (m.points - m.target) / m.target
        m.deviation_per_share = t.per_share(m.points)
        m.balance_before, m.balance_after = t.balance_before, t.balance_after(m.points, plan.decay)
        m.ledger_due = t.due
        for w in scenario.wishes:
            if w.doctor == d.id:
                if _wish_granted(w.template, w.wants, shifts, w.date):
                    m.wishes_granted += 1
                else:
                    m.wishes_denied += 1
        days = [s.date for s in shifts]
        gaps = _gaps(days)
        if gaps:
            m.mean_gap_days = statistics.fmean(gaps)
            m.min_gap_days = min(gaps)
        m.pairs_within_3 = _pairs_within(days, CLOSE_PAIR_DAYS[0])
        m.pairs_within_7 = _pairs_within(days, CLOSE_PAIR_DAYS[1])
        m.longest_run = longest_run(days)
        m.stations = sorted({s.station for s in shifts})
        out.append(m)
    return out


def gini(values: Iterable[float]) -> float | None:
    """Gini coefficient: mean absolute difference over all ordered pairs / (2 · mean); 0 = equal.
    None when nobody carries anything (0/0): an empty roster is not a perfectly even one."""
    x = np.asarray(list(values), dtype=float)
    if x.size == 0 or x.mean() == 0:
        return None
    return float(np.abs(x[:, None] - x[None, :]).mean() / (2 * x.mean()))


def jain(values: Iterable[float]) -> float | None:
    """Jain's fairness index (Σx)² / (n · Σx²) (Jain, Chiu & Hawe 1984): 1 = equal, 1/n = one has all;
    None when nobody carries anything (0/0)."""
    x = np.asarray(list(values), dtype=float)
    if x.size == 0 or not (x**2).sum():
        return None
    return float(x.sum() ** 2 / (x.size * (x**2).sum()))


def group_metrics(group: str, members: Iterable[DoctorMetrics]) -> GroupMetrics:
    """Statistics of normalised burden over the members that have a target."""
    values = [m.normalised_burden for m in members if m.normalised_burden is not None]
    if not values:
        return GroupMetrics(group, 0, None, None, None, None, None, None, None, None, 0)
    x = np.asarray(values, dtype=float)
    mean = float(x.mean())
    std = float(x.std())  # population standard deviation: the group is the whole pool, not a sample
    return GroupMetrics(
        group=group,
        doctors=len(values),
        min=float(x.min()),
        median=float(np.median(x)),
        max=float(x.max()),
        spread=float(x.max() - x.min()),
        std=std,
        cv=std / mean if mean else None,
        gini=gini(x),
        jain=jain(x),
        over_target=int((x > 1 + OVER_TARGET_MARGIN).sum()),
    )


def groups(scenario: Scenario, metrics: list[DoctorMetrics]) -> list[GroupMetrics]:
    """Group statistics for all doctors, per role (scenario roles), per pool and per station.

    A station's group is the doctors who worked at least one shift there in this roster.
    """
    out = [group_metrics(EVERYONE, metrics)]
    roles = list(dict.fromkeys(d.role.value for d in scenario.doctors))
    for role in roles:
        out.append(group_metrics(f"rolle: {role}", [m for m in metrics if m.role == role]))
    for pool in dict.fromkeys(m.pool for m in metrics):
        out.append(group_metrics(f"gruppe: {pool}", [m for m in metrics if m.pool == pool]))
    for st in scenario.stations:
        out.append(group_metrics(f"stasjon: {st.name}", [m for m in metrics if st.id in m.stations]))
    return out


@dataclass(frozen=True)
class PoolMetrics:
    """How evenly one pool shares its burden (docs/metrics.md "Per pool"). Deviations are per
    share, (points − target) / share, over the members who can take a shift; the ledger figures
    are the largest |balance| / share over all members."""

    pool: str
    doctors: int
    available: int
    burden: float
    level: float  # points per share of a member the capacity does not hold back
    min_deviation: float
    max_deviation: float
    largest_deviation: float  # max |deviation per share|
    gini: float | None  # of points / target over the members with a target; None when they carry nothing
    without_shift: int  # available members with a share above 0 and no shift
    ledger_before: float
    ledger_after: float  # older periods weighed less (what history_out carries)
    ledger_after_undecayed: float  # before + points − what the period asked (ledger_due): this period's own effect

    @property
    def range(self) -> float:
        return self.max_deviation - self.min_deviation


def pool_metrics(metrics: list[DoctorMetrics]) -> list[PoolMetrics]:
    """Per pool, in the order the pools first appear."""
    out = []
    for pool in dict.fromkeys(m.pool for m in metrics):
        ms = [m for m in metrics if m.pool == pool]
        able = [m for m in ms if m.capacity > 0]
        devs = [m.deviation_per_share for m in able] or [0.0]
        norm = {m.doctor: m.share if m.share > 0 else 1.0 for m in ms}
        # base = min(capacity, level · share): the level is the largest base per share
        level = max((m.capacity_target / m.share for m in able if m.share > 0), default=0.0)
        out.append(PoolMetrics(
            pool=pool, doctors=len(ms), available=len(able), burden=sum(m.points for m in ms), level=level,
            min_deviation=min(devs), max_deviation=max(devs), largest_deviation=max(abs(d) for d in devs),
            gini=gini([m.points / m.target for m in ms if m.target > 0]),
            without_shift=sum(1 for m in able if m.share > 0 and m.shifts == 0),
            ledger_before=max((abs(m.balance_before) / norm[m.doctor] for m in ms), default=0.0),
            ledger_after=max((abs(m.balance_after) / norm[m.doctor] for m in ms), default=0.0),
            ledger_after_undecayed=max((abs(m.balance_before + m.points - m.ledger_due) / norm[m.doctor]
                                        for m in ms), default=0.0),
        ))
    return out


COARSE_WITHIN = 3.0  # points per share: issue 13's yardstick for a pool's largest deviation


@dataclass(frozen=True)
class CoarseShifts:
    """A pool's shifts that each put their doctor past ``COARSE_WITHIN`` of their fair share on
    their own."""

    pool: str
    by_template: dict[str, int]  # template → such shifts in the roster, most first

    @property
    def total(self) -> int:
        return sum(self.by_template.values())


def coarse_shifts(roster: Roster, metrics: list[DoctorMetrics], index: ShiftIndex) -> list[CoarseShifts]:
    """Per pool, the roster's shifts whose points alone are more than ``COARSE_WITHIN`` points per
    share above both their doctor's target and what the period asks of them (``ledger_due``: the
    fair share, or the floor's one shift): whoever of that share takes one ends that far over, so
    such a pool's largest deviation is the size of its shifts, not the roster's doing (on the
    Bergen month a 13-hour district weekend day is 17.3 points against a share-1 fastlege's 9.6;
    benchmarks/README.md section 8, "What the fastleger's 7.7 is made of")."""
    by_doctor = {m.doctor: m for m in metrics}
    counts: dict[str, dict[str, int]] = {}
    for a in roster.assignments:
        m, s = by_doctor.get(a.doctor), index.by_key.get(a.shift)
        if m is None or s is None or m.share <= 0:
            continue
        if s.points - max(m.target, m.ledger_due) > COARSE_WITHIN * m.share:
            pool = counts.setdefault(m.pool, {})
            pool[s.template] = pool.get(s.template, 0) + 1
    return [CoarseShifts(p, dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))) for p, c in counts.items()]


def coarse_note(c: CoarseShifts) -> str:
    """Norwegian: what the manager can do about a pool's coarse shifts."""
    kinds = ", ".join(f"{t} {n}" for t, n in c.by_template.items())
    return (f"{c.pool}: {count(c.total, 'vakt', 'vakter')} gir alene legen mer enn {number(COARSE_WITHIN)} poeng per "
            f"andel over legens mål ({kinds}). Det jevnes ikke ut innen perioden (hovedboken "
            "jevner det ut over tid); del vakttypen i kortere vakter, eller la leger med større vaktandel ta den.")


def moved(metrics: list[DoctorMetrics], n: int) -> list[DoctorMetrics]:
    """The ``n`` doctors whose target is furthest from their nominal share of the pool (capacity or
    the ledger moved it), furthest first: reports set the two side by side with the reason."""
    shifted = [m for m in metrics if abs(m.target - m.nominal_target) >= 0.05]
    return sorted(shifted, key=lambda m: (-abs(m.target - m.nominal_target), m.name))[:n]


def history_out(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None,
                metrics: list[DoctorMetrics] | None = None) -> list[History]:
    """History to carry into the next period: this period's figures added to what came in, the
    ledger after the period (``burden_balance``) and the legevakt shifts done moved forward by this
    period's on-site shifts (akuttmedisinforskriften §7). ``metrics``: the roster's
    ``doctor_metrics`` when the caller has them (the workbook): each costs a fairness plan."""
    index = index or ShiftIndex(scenario)
    previous = {h.doctor: h for h in scenario.history}
    done = legevakt_shifts_after(scenario, roster, index)
    out = []
    for m in metrics if metrics is not None else doctor_metrics(scenario, roster, index):
        h = previous.get(m.doctor) or History(doctor=m.doctor)
        out.append(
            History(
                doctor=m.doctor,
                shifts=h.shifts + m.shifts,
                hours=h.hours + m.hours + m.bakvakt_hours,
                nights=h.nights + m.nights,
                weekends=h.weekends + m.weekends,
                holidays=h.holidays + m.holidays,
                points=h.points + m.points,
                periods=h.periods + 1,
                burden_balance=round(m.balance_after, 2),
                legevakt_shifts_done=done[m.doctor],
            )
        )
    return out


@dataclass(frozen=True)
class TowardsAlone:
    """An ALIS's legevakt shifts towards the 40 of akuttmedisinforskriften §7 (domain.md "ALIS":
    track each ALIS's shifts towards 40)."""

    doctor: str
    name: str
    before: int  # done before the period (history moved forward)
    this_period: int  # on-site shifts in this roster
    qualified: bool  # may work alone already (on other grounds, or stated)
    expected: dt.date | None = None  # the first of the month from which they may, going on as so far

    @property
    def after(self) -> int:
        return self.before + self.this_period

    @property
    def to_go(self) -> int:
        return max(0, LEGEVAKT_SHIFTS_REQUIRED - self.after)


def towards_alone(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None) -> dict[str, TowardsAlone]:
    """Every ALIS short of 40 legevakt shifts before the period, with this roster's on-site shifts."""
    index = index or ShiftIndex(scenario)
    after = legevakt_shifts_after(scenario, roster, index)
    out = {}
    for d in scenario.doctors:
        progress = alis_towards_alone(scenario, d.id, after[d.id] - d.competence.legevakt_shifts_done)
        if progress is not None:
            out[d.id] = progress
    return out


def alis_towards_alone(scenario: Scenario, doctor_id: str, on_site_shifts: int) -> TowardsAlone | None:
    """One doctor's way to 40 with ``on_site_shifts`` in the period (counted by the caller: the web
    reads them from its index, not from the roster); None unless an ALIS short of 40 before it."""
    d = next((x for x in scenario.doctors if x.id == doctor_id), None)
    if d is None or d.role != Role.ALIS or d.competence.legevakt_shifts_done >= LEGEVAKT_SHIFTS_REQUIRED:
        return None
    qualified = qualification(d, scenario.rules).qualified
    return TowardsAlone(d.id, d.name, d.competence.legevakt_shifts_done, on_site_shifts, qualified,
                        None if qualified else expected_alone(scenario, d, on_site_shifts))


def expected_alone(scenario: Scenario, doctor: Doctor, on_site_shifts: int) -> dt.date | None:
    """When a doctor may work legevakt alone (akuttmedisinforskriften §7) going on as so far: 30
    months of clinical service, and 40 legevakt shifts at the pace of their history and this period
    or, where they have begun one, a year as a municipal GP, whichever comes first. Clinical months
    and municipal GP time are counted to the period's start and grow a month a month after it (an
    assumption: the doctor stays in that service); earlier periods are taken to be as long as this
    one. The first first-of-a-month on which both hold, counted from the day after the period; None
    where neither route has begun (no legevakt shift so far and no municipal GP time)."""
    c = doctor.competence
    months = _months_long(scenario.period.start, scenario.period.end)
    to_go = max(0, LEGEVAKT_SHIFTS_REQUIRED - c.legevakt_shifts_done - on_site_shifts)
    earlier = next((h for h in scenario.history if h.doctor == doctor.id), None)
    shifts = on_site_shifts + (earlier.shifts if earlier else 0)
    covered = months * (1 + (earlier.periods if earlier else 0))
    routes: list[float] = []  # months after the period each route needs
    if to_go == 0 or shifts > 0:
        routes.append(to_go * covered / shifts if to_go else 0.0)
    if c.municipal_gp_years > 0:
        routes.append(12 * (MUNICIPAL_GP_YEARS_REQUIRED - c.municipal_gp_years) - months)
    if not routes:
        return None
    needed = max(CLINICAL_MONTHS_REQUIRED - c.clinical_months - months, min(routes), 0.0)
    return _first_of_month_from(scenario.period.end + dt.timedelta(days=1), needed)


DAYS_PER_MONTH = 30.44  # a mean month (365.25 / 12), for spans that are not whole calendar months


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _first_of_month(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _first_of_month_from(day: dt.date, months: float) -> dt.date:
    """The first first-of-a-month on or after ``months`` months from ``day`` (whole months by the
    calendar, a fraction by its days)."""
    whole = math.floor(months + 1e-9)
    first = _first_of_month(_month_index(day) + whole)
    moved = first.replace(day=min(day.day, pycalendar.monthrange(first.year, first.month)[1]))
    moved += dt.timedelta(days=math.ceil((months - whole) * DAYS_PER_MONTH - 1e-9))
    return moved if moved.day == 1 else _first_of_month(_month_index(moved) + 1)


def _months_long(start: dt.date, end: dt.date) -> float:
    """A period's length in months: whole calendar months counted as such (December is one), any
    other span by its days."""
    after = end + dt.timedelta(days=1)
    if start.day == 1 and after.day == 1:
        return float(_month_index(after) - _month_index(start))
    return ((end - start).days + 1) / DAYS_PER_MONTH


@dataclass(frozen=True)
class HolidayTurn:
    """A doctor's shifts on one rotated holiday (Christmas, New Year, Easter: ``roster.days``) in
    a roster, and whether the holiday ledger has them on the same holiday the year before."""

    holiday: str
    season: int
    doctor: str
    name: str
    shifts: int
    last_year: bool


def holiday_turns(scenario: Scenario, roster: Roster) -> list[HolidayTurn]:
    """Who works Christmas, New Year and Easter in the roster (by the date a shift starts), in date
    order of the holiday, repeats of last year first within it."""
    ledger = {(h.doctor, *found) for h in scenario.holiday_ledger if (found := rotation_holiday(h.date))}
    names = {d.id: d.name for d in scenario.doctors}
    counts: dict[tuple[str, int, str], int] = {}
    for a in roster.assignments:
        found = rotation_holiday(a.date)
        if found is not None and a.doctor in names:
            counts[(*found, a.doctor)] = counts.get((*found, a.doctor), 0) + 1
    turns = [HolidayTurn(h, season, d, names[d], n, (d, h, season - 1) in ledger)
             for (h, season, d), n in counts.items()]
    return sorted(turns, key=lambda t: (t.season, ROTATION_HOLIDAYS.index(t.holiday), not t.last_year, t.name))


def legevakt_shifts_after(scenario: Scenario, roster: Roster, index: ShiftIndex) -> dict[str, int]:
    """Each doctor's legevakt shifts done once this roster is worked: their count (history's moved
    forward already, ``Scenario``) plus their on-site shifts of the period (a bakvakt is no
    legevakt shift of their own)."""
    out = {d.id: d.competence.legevakt_shifts_done for d in scenario.doctors}
    for a in roster.assignments:
        shift = index.by_key.get(a.shift)
        if shift is not None and shift.on_site and a.doctor in out:
            out[a.doctor] += 1
    return out

