"""Fair shares of the burden within each pool, capacity-aware and with the history ledger.

The targets are those of ``roster.targets`` (the same plan: pools, capacities, repayments), so
the solver, the metrics and the reports agree on what "over target" means. A pool's burden is
what its members carry, so its level per share is a variable: the targets follow the roster.
Burden points are scaled ×100 to integers (``POINTS_SCALE``), shares ×100 (``SHARE_SCALE``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property

from ortools.sat.python import cp_model

from roster.calendar import ShiftInstance
from roster.models import BurdenCategory
from roster.targets import Member
from solver.context import OBJ_SCALE, POINTS_SCALE, ModelContext, Penalty
from solver.coverage import most_doctors
from solver.fairness_bound import Case, FlowRelaxation, Held, least_sum, nearest_miss

SHARE_SCALE = 100  # shares × 100 in the model (0.01 of a share)
FAIRNESS_TERM = "max_deviation"  # the term of the pools' largest deviations
CAPPED_LEVELS = 2.0  # a capacity below this many expected levels may hold the target back: modelled as a min
BALANCED_CATEGORIES = (BurdenCategory.NIGHT, BurdenCategory.WEEKEND, BurdenCategory.HOLIDAY)
assert POINTS_SCALE == OBJ_SCALE, "deviations are priced per point"


@dataclass
class PoolModel:
    """The variables of one pool: its level per share (points × 100), its largest deviation per
    share (points × 100) and, per member with variables, burden, deviation per share and
    deviation (points × 100), with the member's target at a given level (points × 10^4)."""

    name: str
    level: cp_model.IntVar
    largest: cp_model.IntVar
    burden: dict[str, cp_model.IntVar] = field(default_factory=dict)
    per_share: dict[str, cp_model.IntVar] = field(default_factory=dict)
    deviation: dict[str, cp_model.IntVar] = field(default_factory=dict)
    scale: dict[str, int] = field(default_factory=dict)  # what a member's deviation is divided by (share × 100)
    target_at: dict[str, tuple[int, int, int | None, int]] = field(default_factory=dict)  # share × 100; repay, cap, floor × 10^4


def zero_sum_round(values: dict[str, float], scale: int) -> dict[str, int]:
    """Values × scale as integers that add up to the rounded total (largest remainders)."""
    scaled = {k: v * scale for k, v in values.items()}
    out = {k: int(v // 1) for k, v in scaled.items()}
    left = round(sum(scaled.values())) - sum(out.values())
    for k in sorted(scaled, key=lambda k: out[k] - scaled[k])[:max(0, left)]:
        out[k] += 1
    return out


def _burden(ctx: ModelContext, doctor_id: str) -> cp_model.IntVar:
    pts = [(round(s.points * POINTS_SCALE), v) for s, v in ctx.by_doctor[doctor_id]]
    total = ctx.model.new_int_var(0, sum(c for c, _ in pts), f"burden[{doctor_id}]")
    ctx.model.add(total == cp_model.LinearExpr.weighted_sum([v for _, v in pts], [c for c, _ in pts]))
    return total


class _Group:
    """Builds the variables of one level group (pools sharing a level per share) and returns the
    deviations of its members."""

    def __init__(self, ctx: ModelContext, name: str, pools: dict[str, list[Member]], expected: float):
        self.ctx, self.name, self.expected = ctx, name, expected
        self.pools = {p: [x for x in members if ctx.by_doctor[x.doctor]] for p, members in pools.items()}
        members = [x for xs in self.pools.values() for x in xs]
        self.sharing = [x for x in members if x.share > 0]
        self.repay: dict[str, int] = {}
        for xs in self.pools.values():  # the ledger's repayments add up to 0 per pool
            self.repay.update(zero_sum_round({x.doctor: x.repay for x in xs if x.share > 0}, POINTS_SCALE))

    @cached_property
    def most(self) -> dict[str, int]:
        return {x.doctor: sum(round(s.points * POINTS_SCALE) for s, _ in self.ctx.by_doctor[x.doctor])
                for xs in self.pools.values() for x in xs}

    def build(self) -> tuple[dict[str, PoolModel], list[cp_model.IntVar]]:
        """(pool → its variables, deviations in points × 100 for `sum_deviation`)."""
        m = self.ctx.model
        shares = sum(round(x.share * SHARE_SCALE) for x in self.sharing)
        # above the level at which the heaviest possible load of every member is below their target, nothing changes
        top = max((-(-SHARE_SCALE * self.most[x.doctor] // round(x.share * SHARE_SCALE)) for x in self.sharing), default=0)
        level = m.new_int_var(0, max(0, top), f"level[{self.name}]")
        targets: dict[str, cp_model.LinearExprT] = {}
        out, devs = {}, []
        for p, xs in self.pools.items():
            if not xs:
                continue
            rows = []  # (member, its scale, target in points × 10^4, most |100 · burden − target|)
            for x in xs:
                target, high = self._target(x, level, top)
                s = round(x.share * SHARE_SCALE) if x.share > 0 else SHARE_SCALE
                rows.append((x, s, target, POINTS_SCALE * self.most[x.doctor] + high))
                targets[x.doctor] = target
            pm = out[p] = PoolModel(p, level, m.new_int_var(0, max(-(-gap // s) for _, s, _, gap in rows), f"largest[{p}]"))
            devs += self._deviations(pm, rows)
        if self.sharing:  # the level: the targets of the sharing members add up to what they carry,
            # unless their floors alone are more (then the level is 0), or they carry more than every
            # capacity (then the level is at its top: roster.targets.LevelCurve). A capacity is a greedy
            # estimate, so more than it must stay possible: a deviation, never an open place.
            burden = {d: pm.burden[d] for pm in out.values() for d in pm.burden}
            carried = POINTS_SCALE * cp_model.LinearExpr.sum([burden[x.doctor] for x in self.sharing])
            spread = cp_model.LinearExpr.sum([targets[x.doctor] for x in self.sharing])
            floored = m.new_bool_var(f"floored[{self.name}]")
            saturated = m.new_bool_var(f"saturated[{self.name}]")
            m.add(carried - spread <= shares).only_enforce_if(~saturated)
            m.add(level == max(0, top)).only_enforce_if(saturated)
            m.add(spread - carried <= shares).only_enforce_if(~floored)
            m.add(level == 0).only_enforce_if(floored)
        return out, devs

    def _deviations(self, pm: PoolModel, rows: list[tuple[Member, int, cp_model.LinearExprT, int]]) -> list[cp_model.IntVar]:
        m = self.ctx.model
        devs = []
        for x, s, target, gap in rows:
            b = pm.burden[x.doctor] = _burden(self.ctx, x.doctor)
            e = pm.per_share[x.doctor] = m.new_int_var(0, -(-gap // s), f"dev_per_share[{x.doctor}]")
            d = pm.deviation[x.doctor] = m.new_int_var(0, -(-gap // POINTS_SCALE), f"dev[{x.doctor}]")
            pm.scale[x.doctor] = s
            pm.target_at[x.doctor] = self._target_parts(x)
            for scale, var in ((s, e), (POINTS_SCALE, d)):
                m.add(scale * var >= POINTS_SCALE * b - target)
                m.add(scale * var >= target - POINTS_SCALE * b)
            m.add(pm.largest >= e)
            devs.append(d)
        return devs

    def _target_parts(self, x: Member) -> tuple[int, int, int | None, int]:
        """(share × 100, repay, capacity or None, floor) in the units of ``_target``: the target at
        level λ is max(floor, min(capacity, share × λ) − repay); a share of 0 has the floor."""
        floor = POINTS_SCALE * round(x.floor * POINTS_SCALE)
        if x.share <= 0:
            return 0, 0, None, floor
        capped = x.capacity < CAPPED_LEVELS * self.expected * x.share
        cap = POINTS_SCALE * round(x.capacity * POINTS_SCALE) if capped else None
        return round(x.share * SHARE_SCALE), POINTS_SCALE * self.repay[x.doctor], cap, floor

    def _target(self, x: Member, level: cp_model.IntVar, top: int) -> tuple[cp_model.LinearExprT, int]:
        """(the member's target in points × 10^4, its upper bound), as ``roster.targets.target_of``."""
        m = self.ctx.model
        s, repay, cap, floor = self._target_parts(x)
        if s == 0:
            return floor, floor
        base: cp_model.LinearExprT = s * level
        high = s * top
        if cap is not None:
            base = m.new_int_var(0, cap, f"base[{x.doctor}]")
            m.add_min_equality(base, [cap, s * level])
            high = cap
        if floor <= 0:
            return base - repay, high + abs(repay)
        target = m.new_int_var(floor, max(floor, high + abs(repay)), f"target[{x.doctor}]")
        m.add_max_equality(target, [floor, base - repay])
        return target, max(floor, high + abs(repay))


def fair_shares(ctx: ModelContext) -> list[Penalty]:
    """Soft: burden shared evenly within each pool, by share (fastlegeforskriften §13: the starting
    point is an even spread, adjusted by vaktandel; domain.md "GPs' duty"), each doctor's target
    capped by what they can take and moved by the history ledger (``roster.targets``).

    `max_deviation`: each pool's largest deviation per share, in points (the first level of the
    lexicographic solve, ``solver.objective.LEVELS``: the worst-treated doctor of every pool
    first). `sum_deviation`: the deviations summed, in points. A doctor with a share of 0 has the
    target 0, so any burden they get is deviation.
    """
    if ctx.weight("max_deviation") <= 0 and ctx.weight("sum_deviation") <= 0:
        return []
    fp = ctx.fairness_plan
    largest, devs = [], []
    for name, pools in fp.groups.items():
        built, d = _Group(ctx, name, {p: fp.pools[p] for p in pools}, fp.expected_level[pools[0]]).build()
        ctx.pools.update(built)
        largest += [pm.largest for pm in built.values()]
        devs += d
    if not largest:
        return []
    out = [Penalty("max_deviation", cp_model.LinearExpr.sum(largest))]
    if devs:
        out.append(Penalty("sum_deviation", cp_model.LinearExpr.sum(devs)))
    return out


def participation(ctx: ModelContext) -> list[Penalty]:
    """Soft (`participation`): every available doctor with a share above 0 takes at least their
    pool's least number of shifts (``Fairness.min_shifts``; fastleger: their duty, domain.md "GPs'
    duty"; ALIS: shifts towards the 40 of akuttmedisinforskriften §7), also one far ahead in the
    ledger; each shift missing costs. A manager lets a doctor off with a share of 0."""
    if ctx.weight("participation") <= 0:
        return []
    missing = []
    for members in ctx.fairness_plan.pools.values():
        for x in members:
            pairs = ctx.by_doctor[x.doctor]
            if x.min_shifts <= 0 or x.share <= 0 or not pairs:
                continue
            short = ctx.missing[x.doctor] = ctx.model.new_int_var(0, x.min_shifts, f"participation[{x.doctor}]")
            ctx.model.add(short >= x.min_shifts - cp_model.LinearExpr.sum([v for _, v in pairs]))
            missing.append(short)
    return [Penalty("participation", OBJ_SCALE * cp_model.LinearExpr.sum(missing))] if missing else []


def add_place_count(ctx: ModelContext) -> None:
    """A valid cut the LP misses: the doctors who must take shifts (their pool's least, their own
    minimum) take at least that many places among the shifts they may work, so those shifts'
    extra doctors and the shifts missing add up to at least what they need beyond the shifts'
    minimums."""
    need = place_need(ctx)
    if need is None:
        return
    ctx.model.add(need.spare(ctx) >= need.fewest_extras)


@dataclass(frozen=True)
class PlaceNeed:
    """The doctors who must take shifts (how many each) and the shifts they may work."""

    doctors: dict[str, int]
    shifts: dict[str, ShiftInstance]

    @property
    def fewest_extras(self) -> int:
        """Extra doctors on those shifts in a roster where no doctor is short of their least."""
        return max(0, sum(self.doctors.values()) - sum(s.demand_min for s in self.shifts.values()))

    def extras(self, ctx: ModelContext) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.sum([ctx.extra[k] for k in self.shifts if k in ctx.extra])

    def missing(self, ctx: ModelContext) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.sum([ctx.missing[d] for d in self.doctors if d in ctx.missing])

    def spare(self, ctx: ModelContext) -> cp_model.LinearExprT:
        return self.extras(ctx) + self.missing(ctx)


def place_need(ctx: ModelContext) -> PlaceNeed | None:
    """What ``add_place_count`` counts; None where the count would not hold: a shift with room whose
    over-staffing is not counted (``surplus``). The fairness plan only where the pools' least
    counts: its capacities were 5 of the 8 s Curtois 20 took to build, where fairness weighs
    nothing."""
    plan = ctx.fairness_plan.members() if ctx.missing else {}
    need = {}
    for d in ctx.scenario.doctors:
        x = plan.get(d.id)
        least = x.min_shifts if x is not None and x.share > 0 and d.id in ctx.missing else 0
        if ctx.by_doctor[d.id] and max(least, d.min_shifts):
            need[d.id] = max(least, d.min_shifts)
    shifts = {s.key: s for d in need for s, _ in ctx.by_doctor[d]}
    if not need or any(s.key not in ctx.extra and most_doctors(ctx, s) > s.demand_min for s in shifts.values()):
        return None
    return PlaceNeed(need, shifts)


def held_targets(ctx: ModelContext, levels: dict[str, int]) -> dict[str, Held]:
    """Each pool member's target with their pool's level at ``levels`` (as ``_Group._target``)."""
    held = {}
    for name, pm in ctx.pools.items():
        level = levels[name]
        for doctor, (s, repay, cap, floor) in pm.target_at.items():
            target = max(floor, (s * level if cap is None else min(cap, s * level)) - repay) if s else floor
            held[doctor] = Held(name, target, pm.scale[doctor])
    return held


@dataclass(frozen=True)
class LevelBounds:
    """What ``hold_levels`` proved: each level group's least Σ largest (points per share × 100)
    and the fairness level's least value (model units) with the extra doctors priced."""

    groups: dict[str, int]
    level: int


def hold_levels(ctx: ModelContext, levels: dict[str, int], largest: dict[str, int], filled: bool,
                deadline: float) -> LevelBounds:
    """Hold each pool's level where a roster put it, and with it the targets, so that bounds on
    the deviations mean something: every member's deviation is at least the distance from their
    target to the nearest burden they can reach at all (a sum of points of shifts they may work),
    and each level group's largest deviations, summed, at least what the flow relaxation
    (``solver.fairness_bound``) proves by ``deadline`` from the roster's ``largest``. The LP sees
    neither. The split of the burden between the pools stays as the search left it. ``filled``:
    every place is held filled. Returns what it proved (``LevelBounds``)."""
    for name, pm in ctx.pools.items():
        ctx.model.add(pm.level == levels[name])
    held = held_targets(ctx, levels)
    relaxation = FlowRelaxation(ctx, held, filled, sum(largest.values()))
    for pm in ctx.pools.values():
        worst = 0
        for doctor in pm.target_at:
            miss = nearest_miss(relaxation.sums[doctor], relaxation.most[doctor], held[doctor].target)
            e = -(-miss // pm.scale[doctor])
            ctx.model.add(pm.per_share[doctor] >= e)
            ctx.model.add(pm.deviation[doctor] >= -(-miss // POINTS_SCALE))
            worst = max(worst, e)
        ctx.model.add(pm.largest >= worst)
    bounds = {}
    for group, names in ctx.fairness_plan.groups.items():
        names = [p for p in names if p in ctx.pools]
        if not names:
            continue
        bounds[group], own = least_sum(relaxation.feasible, names, {p: largest[p] for p in names}, deadline)
        for p in names:
            ctx.model.add(ctx.pools[p].largest >= own[p])
        ctx.model.add(cp_model.LinearExpr.sum([ctx.pools[p].largest for p in names]) >= bounds[group])
    need = place_need(ctx) if filled else None
    points = add_extras_cuts(ctx, relaxation, need, largest, bounds, deadline) if need is not None else {}
    return LevelBounds(bounds, level_bound(ctx, bounds, need, points))


def level_bound(ctx: ModelContext, bounds: dict[str, int], need: PlaceNeed | None,
                points: dict[str, list[tuple[int, int]]]) -> int:
    """The fairness level's least value (model units): the groups' least sums priced, with at
    least K0 extra doctors and the extras cuts' hulls where no needer is short, or one needer short
    (a shift missing costs more than the extra doctor it saves); the sums alone where the places
    are not counted (``need`` None). CP-SAT's LP combines the same cuts, but on a loaded machine
    it had not within the level's time and the reported bound fell to the deviations' alone (10
    of 31 points)."""
    deviations = ctx.weight(FAIRNESS_TERM) * sum(bounds.values())
    extra, short = OBJ_SCALE * ctx.weight("surplus"), OBJ_SCALE * ctx.weight("participation") if ctx.missing else None
    if need is None or extra <= 0 or (short is not None and short < extra):
        return deviations
    fewest = need.fewest_extras
    last = max((p[-1][0] for p in points.values()), default=fewest)
    none_short = min(
        ctx.weight(FAIRNESS_TERM) * sum(max(bounds[g], _hull_at(points.get(g, []), k)) for g in bounds) + extra * k
        for k in range(fewest, last + 1))
    return none_short if short is None else min(none_short, deviations + extra * max(0, fewest - 1) + short)


def _hull_at(points: list[tuple[int, int]], k: int) -> int:
    """The least integer at K = ``k`` above every segment of the points' lower convex hull."""
    return max((-(-((kb - ka) * da - (da - db) * (k - ka)) // (kb - ka)) for (ka, da), (kb, db) in _lower_hull(points)),
               default=0)


EXTRA_STEPS = 8  # the most counts of extra doctors the flow is asked about, from the fewest


def add_extras_cuts(ctx: ModelContext, relaxation: FlowRelaxation, need: PlaceNeed, largest: dict[str, int],
                    bounds: dict[str, int], deadline: float) -> dict[str, list[tuple[int, int]]]:
    """Valid cuts where the pools' least sum falls as extra doctors are added: in the Bergen month
    the employed doctors find places up to their shares only as extra doctors on lone shifts,
    which the bound took free while the roster pays for each (``surplus``).

    The lower convex hull of ``extras_points`` bounds a level group's sum at K extra doctors and
    M shifts missing through K + (K1 − K0 + 1)·M: a shift missing lets a roster go one extra
    doctor below K0, and from K1 on the hull is at most the uncapped bound, which holds for
    every roster. Returns each group's points where they gave cuts.
    """
    out = {}
    for group, names in ctx.fairness_plan.groups.items():
        if group not in bounds:
            continue
        names = [p for p in names if p in ctx.pools]
        points = extras_points(relaxation, need, names, largest, bounds[group], deadline)
        if len(points) < 2:
            continue
        out[group] = points
        total = cp_model.LinearExpr.sum([ctx.pools[p].largest for p in names])
        shifted = need.extras(ctx) + (points[-1][0] - points[0][0] + 1) * need.missing(ctx)
        for (ka, da), (kb, db) in _lower_hull(points):
            # total ≥ da − (da − db)/(kb − ka) · (shifted − ka), in integers
            ctx.model.add((kb - ka) * total + (da - db) * shifted >= (kb - ka) * da + (da - db) * ka)
    return out


def extras_points(relaxation: FlowRelaxation, need: PlaceNeed, names: list[str], largest: dict[str, int], floor: int,
                  deadline: float) -> list[tuple[int, int]]:
    """(K, a bound on the least Σ largest over ``names`` of the rosters with at most K extra doctors
    on the needers' shifts and no needer short of their least), for K from the fewest such a roster
    has (K0) while the bound stays above ``floor`` (the bound with no cap), then (K1, ``floor``):
    the first K where it reaches it, or one past the last K asked (the bound falls with K, so that
    is below it)."""
    points = []
    for k in range(need.fewest_extras, need.fewest_extras + EXTRA_STEPS):
        if time.perf_counter() > deadline:
            break
        within = relaxation.within(Case(need.doctors, frozenset(need.shifts), k))
        least, _ = least_sum(within.feasible, names, {p: largest[p] for p in names}, deadline)
        if least <= floor:
            return [*points, (k, floor)]
        points.append((k, least))
    return [*points, (need.fewest_extras + len(points), floor)]


def _lower_hull(points: list[tuple[int, int]]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The segments of the lower convex hull of points sorted by their first coordinate."""
    hull: list[tuple[int, int]] = []
    for p in points:
        while len(hull) >= 2 and _cross(hull[-2], hull[-1], p) <= 0:
            hull.pop()
        hull.append(p)
    return list(zip(hull, hull[1:]))


def _cross(o: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> int:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def category_balance(ctx: ModelContext) -> list[Penalty]:
    """Soft (`category_balance`): nights, weekends and holidays balanced on their own within each
    pool (domain.md "Holidays and burden": heavy days are what doctors compare): per category,
    among the members who may work such a shift, each count against share × a rate the model
    chooses (the L1 distance to the nearest proportional split), in counts."""
    if ctx.weight("category_balance") <= 0:
        return []
    m = ctx.model
    devs = []
    for name, members in ctx.fairness_plan.pools.items():
        for cat in BALANCED_CATEGORIES:
            able = [(x, [v for s, v in ctx.by_doctor[x.doctor] if cat in s.categories]) for x in members if x.share > 0]
            able = [(x, vs) for x, vs in able if vs]
            if len(able) < 2:
                continue
            most = max(len(vs) for _, vs in able)
            rate = m.new_int_var(0, POINTS_SCALE * most * SHARE_SCALE, f"rate[{name},{cat.value}]")  # counts × 100 per share
            for x, vs in able:
                s = round(x.share * SHARE_SCALE)
                count = POINTS_SCALE * SHARE_SCALE * cp_model.LinearExpr.sum(vs)  # counts × 10^4
                dev = m.new_int_var(0, POINTS_SCALE * len(vs) + s * most, f"catdev[{x.doctor},{cat.value}]")
                m.add(SHARE_SCALE * dev >= count - s * rate)
                m.add(SHARE_SCALE * dev >= s * rate - count)
                devs.append(dev)
    return [Penalty("category_balance", cp_model.LinearExpr.sum(devs))] if devs else []
