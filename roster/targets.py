"""Capacity-aware fair-share targets, per pool, with the history ledger (issue 13).

One definition serves the solver's fairness terms, the metrics, the summary, the workbook and the
reports, so none of them can disagree on what "over target" means (docs/metrics.md "Targets").

*Pools.* Doctors are balanced within a pool, by default one per role (``Fairness.pools``). A
pool's burden is what its members carry in the roster; shares (vaktandel) compare doctors within
a pool.

*Capacity.* What a doctor can take this period: the most burden points a roster built one shift
at a time can give them alone, over the shifts they may work (``roster.eligibility``: absences,
exemptions, courses, competence, stations) under their own limits (``roster.workload``: rest,
shifts and hours per 7 days, period totals, runs). The solver passes the same eligible pairs its
variables stand for, so both use one set of predicates.

*Targets.* The nominal target is the doctor's share of the pool's burden. The capacity-aware
target caps it by the capacity and shares what capped doctors cannot carry among the others by
share (water filling, the max-min fair allocation): ``base = min(capacity, level · share)`` with
the pool's level such that the bases add up to the pool's burden. History then moves the target
by the doctor's repayment (below): ``target = base − repay``.

*Ledger.* Where each doctor stands against their fair share over earlier periods: points ahead
(+) or behind (−), older periods weighing less (half after ``history_half_life`` periods),
relative to the pool (the balances of a pool add up to 0). From ``History.burden_balance`` when
the history came from this program, else from ``points`` over ``periods``. One period repays at
most ``history_repay`` of a normal share; the repayments of a pool add up to 0 (water filling
again), so the pool's burden is still shared in full. After the period the ledger is
``decay · balance + burden − base``: a doctor who carried their capacity-aware share owes nothing,
so an absence or an exemption leaves no debt (the issue's decision: the tool carries it).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from roster.calendar import ShiftIndex, ShiftInstance
from roster.eligibility import Eligibility
from roster.models import Doctor, History, Scenario
from roster.workload import Workload

LEVEL_TOLERANCE = 1e-9
ENOUGH_SHARES = 4.0  # capacity is only followed this far above the pool's expected level: beyond it, it never caps
BLOCK_WORDS = {"fravær": "fravær", "fritak": "fritatt 16–08", "kurs": "kurs utløpt"}


def pool_of(doctor: Doctor, scenario: Scenario) -> str:
    return scenario.rules.fairness.pool(doctor.role)


def decay(scenario: Scenario) -> float:
    """Weight of a period one period older than the next: half after ``history_half_life``."""
    return 0.5 ** (1 / scenario.rules.fairness.history_half_life)


# --------------------------------------------------------------------------- water filling


def water_level(total: float, shares: dict[str, float], caps: dict[str, float]) -> float:
    """The level λ with Σ min(cap_i, λ · share_i) = total (max-min fair allocation by share);
    ``math.inf`` when the caps add up to less than the total. Exact: the sum is piecewise linear in
    λ with a break at each cap / share, so the level is found between two breaks."""
    if total <= 0:
        return 0.0
    active = {d: s for d, s in shares.items() if s > 0}
    breaks = sorted((caps[d] / s, d) for d, s in active.items())
    filled, rate = 0.0, sum(active.values())
    for point, d in breaks:  # rate: the shares still below their cap
        if rate <= 0:
            break
        level = (total - filled) / rate
        if level <= point:
            return level
        filled += caps[d]
        rate -= active[d]
    return math.inf


def water_fill(total: float, shares: dict[str, float], caps: dict[str, float]) -> dict[str, float]:
    """Each doctor's part of ``total``: share-proportional, capped, what the capped cannot carry
    shared among the others by share. Capacity left over when the caps cannot carry it all."""
    level = water_level(total, shares, caps)
    return {d: min(caps[d], level * s) if s > 0 else 0.0 for d, s in shares.items()}


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

    breaks = sorted({(wanted[d] - b) / shares[d] for d in wanted for b in (low[d], high[d])})
    total = [sum(r(mu).values()) for mu in breaks]
    if total[0] <= 0:
        return r(breaks[0])
    for i in range(1, len(breaks)):
        if total[i] <= 0:  # linear between breaks i − 1 and i
            a, b = breaks[i - 1], breaks[i]
            mu = a + (b - a) * total[i - 1] / (total[i - 1] - total[i])
            return {d: 0.0 if abs(v) < 1e-12 else v for d, v in r(mu).items()}
    return r(breaks[-1])


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


def capacity(scenario: Scenario, shifts: list[ShiftInstance], eligible: list[ShiftInstance], doctor_id: str,
             enough: float = math.inf) -> float:
    """The most burden points one roster built a shift at a time gives the doctor alone: the
    heaviest shifts first, each taken when ``Workload.fits`` (the doctor's own hard rules) allows.
    A greedy lower bound of the true most; it stops once past ``enough``."""
    work = Workload(scenario, shifts)
    taken = 0.0
    for s in sorted(eligible, key=lambda s: (-s.points, s.start_utc)):
        if taken >= enough:
            break
        if work.fits(doctor_id, s):
            work.add(doctor_id, s)
            taken += s.points
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

    @property
    def available(self) -> bool:
        return self.capacity > 0

    @property
    def normaliser(self) -> float:
        """What a deviation is divided by to compare doctors: the share (1 for a share of 0)."""
        return self.share if self.share > 0 else 1.0


@dataclass(frozen=True)
class FairnessPlan:
    """Pools, capacities and repayments of one scenario: computed once per solve; a roster's
    targets follow from it and the pools' burden (``targets``)."""

    pools: dict[str, list[Member]]
    expected_level: dict[str, float]  # points per share if each shift were shared by all who may work it
    decay: float

    def members(self) -> dict[str, Member]:
        return {m.doctor: m for ms in self.pools.values() for m in ms}


def _expected_levels(scenario: Scenario, index: ShiftIndex, pools: dict[str, list[Doctor]],
                     eligible: dict[str, list[ShiftInstance]]) -> dict[str, float]:
    """Per pool, the points per share its members would carry if every shift's burden were split
    among all who may work it by share: the scale of a "normal share" before any roster exists."""
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
    out = {}
    for p, ds in pools.items():
        shares = sum(d.share for d in ds if eligible[d.id])
        out[p] = carried[p] / shares if shares > 0 else 0.0
    return out


def _balances(scenario: Scenario, members: list[Doctor], weight: float) -> dict[str, float]:
    """The ledger before the period, relative to the pool (the balances add up to 0 by share)."""
    history: dict[str, History] = {h.doctor: h for h in scenario.history}
    share = {d.id: d.share for d in members}
    derived = [history[d] for d in share if d in history and history[d].burden_balance is None
               and (history[d].periods > 0 or history[d].points > 0)]
    exposure = sum(_periods(h) * share[h.doctor] for h in derived)
    rate = sum(h.points for h in derived) / exposure if exposure > 0 else 0.0  # points per share and period
    out = {}
    for d in share:
        h = history.get(d)
        if h is not None and h.burden_balance is not None:
            out[d] = h.burden_balance
        elif h is not None and h in derived:
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
    rules = scenario.rules.fairness
    grouped: dict[str, list[Doctor]] = {}
    for d in scenario.doctors:
        grouped.setdefault(pool_of(d, scenario), []).append(d)
    levels = _expected_levels(scenario, index, grouped, eligible)
    weight = decay(scenario)
    pools: dict[str, list[Member]] = {}
    for p, ds in grouped.items():
        caps = {d.id: capacity(scenario, index.shifts, eligible[d.id], d.id,
                               enough=ENOUGH_SHARES * levels[p] * max(d.share, 1.0) + 1.0) for d in ds}
        balances = _balances(scenario, ds, weight)
        repay = _repayments(ds, caps, balances, levels[p], rules.history_repay)
        pools[p] = [Member(d.id, p, d.share, caps[d.id], balances[d.id], repay.get(d.id, 0.0),
                           rules.min_shifts.get(p, 0), len(eligible[d.id])) for d in ds]
    return FairnessPlan(pools, levels, weight)


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

    def deviation(self, burden: float) -> float:
        return burden - self.target

    def per_share(self, burden: float) -> float:
        """The deviation per share (points per share; a share of 0 counts as 1)."""
        return (burden - self.target) / (self.share if self.share > 0 else 1.0)

    def balance_after(self, burden: float, weight: float) -> float:
        """The ledger after the period: older periods weigh less, this one's burden against the
        capacity-aware share is added."""
        return weight * self.balance_before + burden - self.base


def pool_level(members: list[Member], burden: float) -> float:
    """The pool's level per share for a pool burden (``water_level`` over the available)."""
    active = [m for m in members if m.available and m.share > 0]
    level = water_level(burden, {m.doctor: m.share for m in active}, {m.doctor: m.capacity for m in active})
    if math.isinf(level):  # more than the members can take: beyond their capacity, by share
        shares = sum(m.share for m in active)
        return burden / shares if shares > 0 else 0.0
    return level


def targets(plan: FairnessPlan, burden: dict[str, float]) -> dict[str, Target]:
    """Every doctor's targets, given what each carries (the pool's burden is their sum)."""
    out = {}
    for p, members in plan.pools.items():
        total = sum(burden.get(m.doctor, 0.0) for m in members)
        level = pool_level(members, total)
        shares = sum(m.share for m in members)
        for m in members:
            uncapped = level * m.share
            base = min(m.capacity, uncapped) if m.available else 0.0
            nominal = total * m.share / shares if shares > 0 else 0.0
            out[m.doctor] = Target(m.doctor, p, m.share, nominal, base, m.repay, max(0.0, base - m.repay),
                                   m.capacity, m.available and m.capacity < uncapped - LEVEL_TOLERANCE, m.balance)
    return out


def roster_burden(shifts: Iterable[tuple[str, ShiftInstance]]) -> dict[str, float]:
    """Points per doctor of (doctor, shift) pairs."""
    out: Counter[str] = Counter()
    for d, s in shifts:
        out[d] += s.points
    return dict(out)


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
    parts = [f"{BLOCK_WORDS.get(code, code)} ({n} vakter)" for code, n in counts.most_common(2)]
    own = _own_limits(doctor)
    if own:
        parts.append(own)
    if not parts:
        parts.append(f"kan ta {len(eligible)} vakter")
    return "; ".join(parts)


def _own_limits(doctor: Doctor) -> str | None:
    limits = []
    if doctor.max_shifts is not None:
        limits.append(f"maks {doctor.max_shifts} vakter")
    if doctor.max_hours is not None:
        limits.append(f"maks {doctor.max_hours:g} timer")
    limits += [f"maks {n} {label}" for label, n in doctor.max_shifts_by_label.items() if n]
    return ", ".join(limits) or None
