"""Capacity-aware fair-share targets, per pool, with the history ledger (issue 13).

One definition serves the solver's fairness terms, the metrics, the summary, the workbook and the
reports, so none of them can disagree on what "over target" means (docs/metrics.md "Targets").

*Pools.* Doctors are balanced within a pool, by default one per role (``Fairness.pools``): each
pool's worst-treated doctor counts on its own, and the ledger runs per pool. Pools that work the
same duty (on site, or bakvakt only) form a *level group* sharing one level per share, so a share
of 1 means the same burden in every role that works those shifts and the solver cannot balance a
pool by loading another; ``Fairness.own_level`` gives a pool a level of its own.

*Taking part.* A doctor's target is never below their *floor*, the points of the pool's least
shifts (``Fairness.min_shifts``: one for fastleger by default) at their lightest, so a doctor far
ahead in the ledger still takes part; floors are dropped in a group whose expected burden cannot
cover them all.

*Capacity.* What a doctor can take this period: the most burden points a roster built one shift
at a time can give them alone, over the shifts they may work (``roster.eligibility``: absences,
exemptions, courses, competence, stations) under their own limits (``roster.workload``: rest,
shifts and hours per 7 days, period totals, runs). The solver passes the same eligible pairs its
variables stand for, so both use one set of predicates.

*Targets.* The nominal target is the doctor's share of the pool's burden. The capacity-aware
target caps it by the capacity and shares what capped doctors cannot carry among the others by
share (water filling, the max-min fair allocation): ``base = min(capacity, level · share)`` with
the group's level such that the targets add up to the group's burden (``LevelCurve``). History
then moves the target by the doctor's repayment (below): ``target = max(floor, base − repay)``.

*Ledger.* Where each doctor stands against their fair share over earlier periods: points ahead
(+) or behind (−), older periods weighing less (half after ``history_half_life`` periods),
relative to the pool (the balances of a pool add up to 0). From ``History.burden_balance`` when
the history came from this program, else from ``points`` over ``periods``. One period repays at
most ``history_repay`` of a normal share; the repayments of a pool add up to 0 (water filling
again), so the pool's burden is still shared in full. After the period the ledger is
``decay · balance + burden − max(floor, base)``: a doctor who carried their capacity-aware share owes
nothing, so an absence or an exemption leaves no debt (the issue's decision: the tool carries it),
and the one shift the floor asks of a doctor whose share is smaller is no credit either.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, field, replace

from roster.calendar import ShiftIndex, ShiftInstance
from roster.eligibility import Eligibility, qualification
from roster.models import Doctor, DutyKind, History, Overstaffing, Rules, Scenario
from roster.terms import count_shifts, number
from roster.workload import Workload

LEVEL_TOLERANCE = 1e-9
ENOUGH_SHARES = 4.0  # capacity is only followed this far above the pool's expected level: beyond it, it never caps
BLOCK_WORDS = {"fravær": "fravær", "fritak": "fritatt 16–08", "kurs": "uten gyldig kurs"}  # expired or missing


def pool_of(doctor: Doctor, scenario: Scenario) -> str:
    return scenario.rules.fairness.pool(doctor.role)


def decay(scenario: Scenario) -> float:
    """Weight of a period one period older than the next: half after ``history_half_life``."""
    return 0.5 ** (1 / scenario.rules.fairness.history_half_life)


# --------------------------------------------------------------------------- water filling (the ledger)


def zero_sum_fill(wanted: dict[str, float], shares: dict[str, float], low: dict[str, float],
                  high: dict[str, float]) -> dict[str, float]:
    """r_i = clamp(wanted_i − μ · share_i, low_i, high_i) with μ such that Σ r_i = 0 (water
    filling with bounds: how much each doctor repays, the repayments of a pool adding up to 0).
    Needs low_i ≤ 0 ≤ high_i and shares above 0. Exact: Σ r is piecewise linear and falling in μ,
    with a break where a doctor meets a bound, so μ is found between two breaks."""
    if not wanted:
        return {}

    def r(mu: float) -> dict[str, float]:
        return {d: min(high[d], max(low[d], wanted[d] - mu * shares[d])) for d in wanted}

    def total(mu: float) -> float:
        return sum(r(mu).values())

    breaks = sorted({(wanted[d] - b) / shares[d] for d in wanted for b in (low[d], high[d])})
    if total(breaks[0]) <= 0:
        return r(breaks[0])
    # the first break where Σ r ≤ 0, by bisection: Σ r falls in μ (a scan is quadratic in the pool)
    i = bisect.bisect_left(range(len(breaks)), True, key=lambda k: total(breaks[k]) <= 0)
    if i == len(breaks):
        return r(breaks[-1])
    a, b = breaks[i - 1], breaks[i]  # linear between breaks i − 1 and i
    ta, tb = total(a), total(b)
    mu = a + (b - a) * ta / (ta - tb)
    return {d: 0.0 if abs(v) < 1e-12 else v for d, v in r(mu).items()}


# --------------------------------------------------------------------------- capacity


def eligible_shifts(scenario: Scenario, index: ShiftIndex, eligibility: Eligibility | None = None,
                    ) -> dict[str, list[ShiftInstance]]:
    """The shifts each doctor may work (``Eligibility.may_work``), in time order."""
    elig = eligibility or Eligibility(scenario)
    by_template = {t.id: [d for d in scenario.doctors if elig.static_reason(d, t) is None] for t in scenario.templates}
    out: dict[str, list[ShiftInstance]] = {d.id: [] for d in scenario.doctors}
    for s in index.shifts:
        for d in by_template[s.template]:
            if not elig.blocks(d, s):
                out[d.id].append(s)
    return out


def room_beside_qualified(shift: ShiftInstance, rules: Rules) -> bool:
    """Whether a doctor who may not work alone can ever take a place on the shift: on site, beside
    the qualified doctors it needs (at least one: rule `alene`), within the most doctors the
    over-staffing policy allows (docs/hard-rules.md `bemanning`). The model's variables keep such
    pairs (an explanation may lift a limit), but a single-doctor station's ALIS has no capacity
    there: counted as capacity, it was given a full share they could never take."""
    if not shift.on_site or rules.alone_with_bakvakt:
        return True
    policy = rules.fairness.overstaffing
    most = shift.demand_max if policy == Overstaffing.ANY or (policy == Overstaffing.LONE and shift.demand_min <= 1) \
        else min(shift.demand_min, shift.demand_max)
    return most > max(shift.min_qualified, 1)


def capacity(work: Workload, eligible: list[ShiftInstance], doctor_id: str, enough: float = math.inf) -> float:
    """The most burden points one roster built a shift at a time gives the doctor alone: the
    heaviest shifts first, each taken when ``Workload.fits`` (the doctor's own hard rules) allows.
    A greedy lower bound of the true most; it stops once past ``enough``. ``work`` (without shifts
    for the doctor) is shared by all doctors and left as it was: setting one up per doctor was half
    the Bergen month's model build."""
    taken, added = 0.0, []
    try:
        for s in sorted(eligible, key=lambda s: (-s.points, s.start_utc)):
            if taken >= enough:
                break
            if work.fits(doctor_id, s):
                work.add(doctor_id, s)
                added.append(s)
                taken += s.points
    finally:
        for s in added:
            work.remove(doctor_id, s)
    return taken


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Member:
    """One doctor in a pool, as fixed once per solve."""

    doctor: str
    pool: str
    share: float
    capacity: float  # points the doctor can take this period (0: unavailable)
    balance: float  # the ledger before the period (points ahead + / behind −)
    repay: float  # points the target is lowered by this period (negative: raised)
    min_shifts: int  # the pool's least shifts for an available doctor with a share (0: none)
    places: int  # shifts the doctor may work at all
    floor: float = 0.0  # the least burden taking part means: the lightest shifts the doctor must take

    @property
    def available(self) -> bool:
        return self.capacity > 0


@dataclass(frozen=True)
class FairnessPlan:
    """Pools, capacities and repayments of one scenario: computed once per solve; a roster's
    targets follow from it and the pools' burden (``targets``)."""

    pools: dict[str, list[Member]]
    expected_level: dict[str, float]  # per pool: points per share if each shift were shared by all who may work it
    decay: float
    groups: dict[str, list[str]] = field(default_factory=dict)  # level group → its pools (one level per share)

    def members(self) -> dict[str, Member]:
        return {m.doctor: m for ms in self.pools.values() for m in ms}

    def group_members(self, group: str) -> list[Member]:
        return [m for p in self.groups[group] for m in self.pools[p]]


def _level_groups(scenario: Scenario, pools: dict[str, list[Doctor]], eligible: dict[str, list[ShiftInstance]],
                  ) -> dict[str, str]:
    """Pool → the group whose pools share one level per share: pools on the same duty (on site, or
    only bakvakt) unless the pool has a level of its own (``Fairness.own_level``), so a share means
    the same in every role that shares the shifts."""
    own = set(scenario.rules.fairness.own_level)
    out = {}
    for p, ds in pools.items():
        shifts = [s for d in ds for s in eligible[d.id]]
        if p in own or not shifts:
            out[p] = p
        else:
            out[p] = (DutyKind.ON_CALL if all(not s.on_site for s in shifts) else DutyKind.ON_SITE).value
    return out


def _expected_levels(scenario: Scenario, index: ShiftIndex, pools: dict[str, list[Doctor]],
                     eligible: dict[str, list[ShiftInstance]], group: dict[str, str]) -> dict[str, float]:
    """Per pool, its group's points per share if every shift's burden were split among all who
    may work it by share: the scale of a "normal share" before any roster exists."""
    pool_of_doctor = {d.id: p for p, ds in pools.items() for d in ds}
    share = {d.id: d.share for ds in pools.values() for d in ds}
    takers: dict[str, list[str]] = {}
    for d, mine in eligible.items():
        for s in mine:
            takers.setdefault(s.key, []).append(d)
    carried: Counter[str] = Counter()
    for s in index.shifts:
        who = takers.get(s.key, [])
        total = sum(share[d] for d in who)
        for d in who:
            if total > 0:
                carried[pool_of_doctor[d]] += s.demand_min * s.points * share[d] / total
    by_group: dict[str, list[str]] = {}
    for p, g in group.items():
        by_group.setdefault(g, []).append(p)
    out = {}
    for ps in by_group.values():
        shares = sum(d.share for p in ps for d in pools[p] if eligible[d.id])
        level = sum(carried[p] for p in ps) / shares if shares > 0 else 0.0
        out.update({p: level for p in ps})
    return out


def _balances(scenario: Scenario, members: list[Doctor], weight: float) -> dict[str, float]:
    """The ledger before the period, relative to the pool (the balances add up to 0 by share)."""
    history: dict[str, History] = {h.doctor: h for h in scenario.history}
    share = {d.id: d.share for d in members}
    derived = {d: history[d] for d in share if d in history and history[d].burden_balance is None
               and (history[d].periods > 0 or history[d].points > 0)}
    exposure = sum(_periods(h) * share[d] for d, h in derived.items())
    rate = sum(h.points for h in derived.values()) / exposure if exposure > 0 else 0.0  # points per share and period
    out = {}
    for d in share:
        h = history.get(d)
        if h is not None and h.burden_balance is not None:
            out[d] = h.burden_balance
        elif d in derived:
            # spread evenly over the periods the figures cover, the latest weighing 1, each older `weight` less
            n = _periods(h)
            out[d] = (h.points / n - share[d] * rate) * sum(weight**k for k in range(n))
        else:
            out[d] = 0.0
    shares = sum(share.values())
    mean = sum(out.values()) / shares if shares > 0 else 0.0
    return {d: b - mean * share[d] for d, b in out.items()}


def _periods(h: History) -> int:
    """The periods a history covers: at least one when it carries points at all."""
    return max(h.periods, 1 if h.points > 0 else 0)


def fairness_plan(scenario: Scenario, index: ShiftIndex | None = None,
                  eligible: dict[str, list[ShiftInstance]] | None = None) -> FairnessPlan:
    """The plan of a scenario. ``eligible``: the shifts each doctor may work, when the caller
    (the solver) has them already; otherwise from ``roster.eligibility``."""
    index = index or ShiftIndex(scenario)
    eligible = eligible if eligible is not None else eligible_shifts(scenario, index)
    unqualified = {d.id for d in scenario.doctors if not qualification(d, scenario.rules).qualified}
    eligible = {d: [s for s in mine if room_beside_qualified(s, scenario.rules)] if d in unqualified else mine
                for d, mine in eligible.items()}
    rules = scenario.rules.fairness
    grouped: dict[str, list[Doctor]] = {}
    for d in scenario.doctors:
        grouped.setdefault(pool_of(d, scenario), []).append(d)
    group = _level_groups(scenario, grouped, eligible)
    levels = _expected_levels(scenario, index, grouped, eligible, group)
    weight = decay(scenario)
    pools: dict[str, list[Member]] = {}
    work = Workload(scenario, index.shifts)
    for p, ds in grouped.items():
        caps = {d.id: capacity(work, eligible[d.id], d.id, enough=ENOUGH_SHARES * levels[p] * max(d.share, 1.0) + 1.0)
                for d in ds}
        balances = _balances(scenario, ds, weight)
        repay = _repayments(ds, caps, balances, levels[p], rules.history_repay)
        least = rules.min_shifts.get(p, 0)
        pools[p] = [Member(d.id, p, d.share, caps[d.id], balances[d.id], repay.get(d.id, 0.0), least,
                           len(eligible[d.id]), _floor(eligible[d.id], max(least if d.share > 0 else 0, d.min_shifts)))
                    for d in ds]
    groups: dict[str, list[str]] = {}
    for p, g in group.items():
        groups.setdefault(g, []).append(p)
    for names in groups.values():
        _drop_floors_beyond_the_work(pools, names, levels)
    return FairnessPlan(pools, levels, weight, groups)


def _drop_floors_beyond_the_work(pools: dict[str, list[Member]], names: list[str], levels: dict[str, float]) -> None:
    """A group's floors hold only when its expected burden covers them all: with fewer shifts
    than takers, not everyone can take part, and floors would only make every target alike."""
    members = [m for p in names for m in pools[p] if m.available]
    expected = sum(levels[m.pool] * m.share for m in members if m.share > 0)
    if sum(m.floor for m in members) > expected + LEVEL_TOLERANCE:
        for p in names:
            pools[p] = [replace(m, floor=0.0) for m in pools[p]]


def _floor(eligible: list[ShiftInstance], least: int) -> float:
    """The points of the ``least`` lightest shifts the doctor may work: what taking part costs at
    least, so no target asks for less (a doctor far ahead, or with a small share, still takes part)."""
    return sum(sorted(s.points for s in eligible)[:least]) if least <= len(eligible) else 0.0


def _repayments(doctors: list[Doctor], caps: dict[str, float], balances: dict[str, float], level: float,
                limit: float) -> dict[str, float]:
    """How much each available doctor's target moves this period: towards an even ledger, at most
    ``limit`` of a normal share either way, never more than they can take on, adding up to 0."""
    available = [d for d in doctors if caps[d.id] > 0 and d.share > 0]
    most = {d.id: limit * level * d.share for d in available}
    spare = {d.id: max(0.0, caps[d.id] - level * d.share) for d in available}
    return zero_sum_fill({d.id: balances[d.id] for d in available}, {d.id: d.share for d in available},
                         {d.id: -min(most[d.id], spare[d.id]) for d in available},
                         {d.id: min(most[d.id], level * d.share) for d in available})


# --------------------------------------------------------------------------- targets of a roster


@dataclass(frozen=True)
class Target:
    """A doctor's targets for a roster whose pool carries ``pool_burden`` points."""

    doctor: str
    pool: str
    share: float
    nominal: float  # share of the pool's burden
    base: float  # capacity-aware: min(capacity, level · share)
    repay: float  # lowered by this to even out the ledger
    target: float  # base − repay: what the doctor should carry this period
    capacity: float
    capped: bool  # the capacity holds the base below level · share
    balance_before: float
    floor: float = 0.0  # the least taking part costs: the target is never below it

    def deviation(self, burden: float) -> float:
        return burden - self.target

    def per_share(self, burden: float) -> float:
        """The deviation per share (points per share; a share of 0 counts as 1)."""
        return (burden - self.target) / (self.share if self.share > 0 else 1.0)

    @property
    def due(self) -> float:
        """What the period asks of the doctor, history aside: the capacity-aware share, never less
        than taking part costs (the floor). A doctor whose share is worth less than one shift
        must still take one (``Fairness.min_shifts``); counting that shift as credit would grow a
        lead no month could repay while the floor holds (docs/metrics.md "Targets")."""
        return max(self.floor, self.base) if self.capacity > 0 else 0.0

    def balance_after(self, burden: float, weight: float) -> float:
        """The ledger after the period: older periods weigh less, this one's burden against what
        the period asked of the doctor (``due``) is added."""
        return weight * self.balance_before + burden - self.due


class LevelCurve:
    """The sum of a pool's targets as the level rises: Σ max(floor, min(capacity, level · share) −
    repay) over the members with a share who can take a shift. Each term is flat (floor), rises
    with slope share, then is flat (capacity − repay); the sum is piecewise linear, so the level
    for a burden is found between two breaks."""

    def __init__(self, members: list[tuple[float, float, float, float]]):
        """``members``: (share, capacity, repay, floor) of each sharing member."""
        events: list[tuple[float, float]] = []
        self.flat = 0.0  # Σ of the terms at level 0
        slope = 0.0
        for share, cap, repay, floor in members:
            if cap - repay <= floor:
                self.flat += floor
                continue
            a, b = max(0.0, (floor + repay) / share), cap / share
            self.flat += max(floor, min(cap, 0.0) - repay)
            if a <= 0.0 < b:
                slope += share
            elif a > 0.0:
                events.append((a, share))
            events.append((b, -share))
        events.sort()
        self.points, self.values, self.slopes = [0.0], [self.flat], [slope]
        for x, ds in events:
            self.values.append(self.values[-1] + self.slopes[-1] * (x - self.points[-1]))
            self.points.append(x)
            self.slopes.append(self.slopes[-1] + ds)

    def level(self, total: float) -> float:
        """The level at which the targets add up to ``total`` (0 when the floors alone exceed it;
        past every capacity, the last break)."""
        if total <= self.flat:
            return 0.0
        i = bisect.bisect_right(self.values, total) - 1
        slope = self.slopes[i]
        if slope <= 0:
            return self.points[i]
        return self.points[i] + (total - self.values[i]) / slope


def target_of(m: Member, level: float) -> tuple[float, float]:
    """(base, target) of a member at a level: min(capacity, level · share), and that less the
    repayment but never below the floor (0 for a doctor who can take no shift)."""
    if not m.available:
        return 0.0, 0.0
    base = min(m.capacity, level * m.share) if m.share > 0 else 0.0
    return base, max(m.floor, base - m.repay)


def pool_level(members: list[Member], burden: float) -> float:
    """The level per share of a level group for the burden its sharing members carry."""
    sharing = [m for m in members if m.available and m.share > 0]
    return LevelCurve([(m.share, m.capacity, m.repay, m.floor) for m in sharing]).level(burden)


def targets(plan: FairnessPlan, burden: dict[str, float]) -> dict[str, Target]:
    """Every doctor's targets, given what each carries: a level group's level is where the targets
    of its members with a share add up to what they carry; the nominal target is the share of the
    group's burden, capacity and history aside."""
    out = {}
    for members in (plan.group_members(g) for g in plan.groups):
        total = sum(burden.get(m.doctor, 0.0) for m in members if m.share > 0)
        level = pool_level(members, total)
        shares = sum(m.share for m in members)
        for m in members:
            base, target = target_of(m, level)
            nominal = total * m.share / shares if shares > 0 else 0.0
            out[m.doctor] = Target(m.doctor, m.pool, m.share, nominal, base, m.repay, target, m.capacity,
                                   m.available and m.capacity < level * m.share - LEVEL_TOLERANCE, m.balance, m.floor)
    return out


def why_capped(scenario: Scenario, index: ShiftIndex, doctor: Doctor, eligible: list[ShiftInstance],
               eligibility: Eligibility | None = None) -> str:
    """Norwegian reason a doctor's capacity is below their share: the dated reasons that keep
    them off the most shifts (absence, exemption, course), and their own limits."""
    elig = eligibility or Eligibility(scenario)
    counts: Counter[str] = Counter()
    for s in index.shifts:
        if elig.static_reason(doctor, s) is None:
            for code in {b.code for b in elig.blocks(doctor, s)}:
                counts[code] += 1
    parts = [f"{BLOCK_WORDS.get(code, code)} ({count_shifts(n)})" for code, n in counts.most_common(2)]
    own = _own_limits(doctor)
    if own:
        parts.append(own)
    if not parts:
        parts.append(f"kan ta {count_shifts(len(eligible))}")
    return "; ".join(parts)


def _own_limits(doctor: Doctor) -> str | None:
    limits = []
    if doctor.max_shifts is not None:
        limits.append(f"maks {count_shifts(doctor.max_shifts)}")
    if doctor.max_hours is not None:
        limits.append(f"maks {number(doctor.max_hours)} timer")
    limits += [f"maks {n} {label}" for label, n in doctor.max_shifts_by_label.items() if n]
    return ", ".join(limits) or None
