"""Local search on whole doctor lines, once a roster exists (issue 13): move a shift from a doctor
over target to one under it, swap two doctors' shifts, take an extra doctor off a shift or put one
on where over-staffing is allowed, or have an extra doctor leave that place to take over another
doctor's (one extra fewer, and a doctor over target relieved, in one move); a doctor short of
their least gets in through a chain (``Search.chains``).

CP-SAT's own search improves a roster's largest deviation slowly: it is one doctor's figure, flat
under almost every change. Here a move is kept when it lowers the fairness level's cost
(``solver.objective.LEVELS``: doctors short of their pool's least shifts, each pool's largest
deviation per share, over-staffing, with the model's weights) or, at equal cost, the sum of
squared deviations per share, which leads the search towards the largest deviation. Targets are
those of ``roster.targets`` (each pool's level follows what its members carry).

Every move keeps the hard rules ``solver.warmstart.RosterState`` checks (each doctor's own rules
through ``roster.workload``, the competence mix, nobody unqualified alone, supervision, the
pilot's specialist on call, pins, minimum shifts and hours); doctors under a minimum-run rule,
which one move can break, are left alone. The roster is read back through the model
(solver.solve), so a move the model refuses costs the search, never the roster.
"""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from roster.calendar import ShiftInstance
from roster.models import shift_key
from roster.targets import LevelCurve, Member
from roster.workload import days_off, shortest_run
from solver.context import POINTS_SCALE, ModelContext
from solver.coverage import most_doctors
from solver.fairness import zero_sum_round
from solver.warmstart import RosterState

TOP = 8  # partners tried per move: those furthest the other way
TABU = 25  # a doctor with no improving move rests this many rounds
IDLE = 200  # rounds in a row without a move: a local optimum
ANNEAL_SHARE = 0.8  # of the search's time; the rest is descent from the best roster annealing found
COOLING = 1000.0  # the temperature falls by this factor over the annealing
FOCUS, FOCUS_SHARE = 12, 0.5  # half the moves start at one of the 12 doctors furthest from target
POWER = 8  # the annealing's smooth stand-in for a pool's largest deviation: Σ |e|^8, to the 1/8
TRIES_PER_PAIR = 20  # the annealing cools over this many tries per (doctor, shift) pair at most
CHAIN_MOVES = 5000  # chains tried per look at a doctor short of their least (~4 000 for a Bergen fastlege)
REPORT_EVERY = 1.0  # seconds between reports of a better cost to the caller at most


@dataclass(frozen=True)
class Move:
    """Doctors leave (``off``) and join (``on``) shifts: a transfer is one of each, a swap two."""

    off: tuple[tuple[str, ShiftInstance], ...]
    on: tuple[tuple[str, ShiftInstance], ...]


class _Group:
    """Targets of one level group (roster.targets): max(floor, min(capacity, level · share) −
    repay), the level following what the sharing members carry; each pool's largest deviation per
    share counts on its own. The deviations of the current burden are kept, so a move that leaves
    the group's total (and so its level) alone is judged by the doctors it touches."""

    def __init__(self, pools: dict[str, list[Member]], repay: dict[str, float], burden: dict[str, float]):
        members = [x for xs in pools.values() for x in xs]
        self.index = {x.doctor: i for i, x in enumerate(members)}
        self.share = np.array([x.share for x in members])
        self.cap = np.array([x.capacity for x in members])
        self.repay = np.array([repay.get(x.doctor, 0.0) for x in members])
        self.floor = np.array([x.floor for x in members])
        self.sharing = self.share > 0
        self.norm = np.where(self.sharing, self.share, 1.0)
        self.parts = [np.array([self.index[x.doctor] for x in xs]) for xs in pools.values() if xs]
        self.part_of, self.slot = [0] * len(members), [0] * len(members)  # a member's pool and place in it
        for k, part in enumerate(self.parts):
            for j, i in enumerate(part):
                self.part_of[i], self.slot[i] = k, j
        self.curve = LevelCurve([(x.share, x.capacity, repay.get(x.doctor, 0.0), x.floor) for x in members if x.share > 0])
        # plain floats for judge: a move touches two to four doctors, too few for numpy's overhead
        self.sharing_list, self.norm_list = self.sharing.tolist(), self.norm.tolist()
        self._commit(np.array([burden[d] for d in self.index]))

    def _targets(self, level: float) -> np.ndarray:
        base = np.minimum(self.cap, level * self.share) - self.repay
        return np.maximum(self.floor, np.where(self.sharing, base, 0.0))

    def _measure(self, signed: np.ndarray) -> tuple[list[float], list[float], float]:
        """(per pool the largest |deviation|, per pool Σ |deviation|^POWER, Σ squared)."""
        e = np.abs(signed)
        return [float(e[i].max()) for i in self.parts], [float((e[i] ** POWER).sum()) for i in self.parts], \
            float((e * e).sum())

    @staticmethod
    def _sums(largest: list[float], power: list[float], squares: float) -> tuple[float, float, float]:
        """(Σ over pools of the largest |deviation|, Σ squared, Σ over pools of the POWER-norm)."""
        return sum(largest), squares, sum(p ** (1 / POWER) for p in power)

    def _figures(self, signed: np.ndarray) -> tuple[float, float, float]:
        return self._sums(*self._measure(signed))

    def _commit(self, burden: np.ndarray) -> None:
        self.burden = burden
        self.total = float(burden[self.sharing].sum())
        self.lvl = self.curve.level(self.total)
        target = self._targets(self.lvl)
        self.signed = (burden - target) / self.norm
        self.part_max, self.part_power, squares = self._measure(self.signed)
        self.worst, self.squares, self.smooth = self._sums(self.part_max, self.part_power, squares)
        self.burden_list, self.target_list, self.deviation = burden.tolist(), target.tolist(), np.abs(self.signed).tolist()

    def judge(self, change: dict[str, float]) -> tuple[float, float, float]:
        """``_figures`` with some doctors' burden changed. A move that leaves the group's total
        (and so its level) alone changes only its doctors' deviations: their pools' sums and
        largest are updated from theirs, not recomputed over the group (most of the annealing's
        time went there)."""
        idx = [self.index[d] for d in change]
        new = list(change.values())
        total = self.total + sum(b - self.burden_list[i] for i, b in zip(idx, new) if self.sharing_list[i])
        if abs(total - self.total) > 1e-9:
            burden = self.burden.copy()
            burden[idx] = new
            return self._figures((burden - self._targets(self.curve.level(total))) / self.norm)
        after = [abs(b - self.target_list[i]) / self.norm_list[i] for i, b in zip(idx, new)]
        before = [self.deviation[i] for i in idx]
        squares = self.squares + sum(a * a for a in after) - sum(b * b for b in before)
        touched: dict[int, list[int]] = {}
        for k, i in enumerate(idx):
            touched.setdefault(self.part_of[i], []).append(k)
        worst, smooth = self.worst, self.smooth
        for part, ks in touched.items():
            power = max(0.0, self.part_power[part] + sum(after[k] ** POWER - before[k] ** POWER for k in ks))
            largest, top = self.part_max[part], max(after[k] for k in ks)
            fell = top < largest and any(before[k] == largest for k in ks)  # the pool's largest may have come down
            if fell or power < 1e-6 * self.part_power[part]:  # or its sum to where subtraction loses it
                e = np.abs(self.signed[self.parts[part]])
                e[[self.slot[idx[k]] for k in ks]] = [after[k] for k in ks]
                top, power = float(e.max()), float((e**POWER).sum())
            top = max(top, largest) if not fell else top
            worst += top - largest
            smooth += power ** (1 / POWER) - self.part_power[part] ** (1 / POWER)
        return worst, squares, smooth

    def apply(self, change: dict[str, float]) -> None:
        burden = self.burden.copy()
        for d, b in change.items():
            burden[self.index[d]] = b
        self._commit(burden)


class Score:
    """The fairness level's cost of a roster state, and of a move on it."""

    def __init__(self, ctx: ModelContext, state: RosterState):
        self.ctx, self.state = ctx, state
        self.w_part, self.w_max, self.w_extra = (ctx.weight(t) for t in ("participation", "max_deviation", "surplus"))
        self.pool_of: dict[str, _Group] = {}
        self.pools: list[_Group] = []
        self.least: dict[str, int] = {}
        self.burden = {d: state.load[d] for d in ctx.by_doctor}
        plan = ctx.fairness_plan
        for names in plan.groups.values():
            pools = {p: [x for x in plan.pools[p] if ctx.by_doctor[x.doctor]] for p in names}
            if not any(pools.values()):
                continue
            repay: dict[str, float] = {}
            for xs in pools.values():  # as the model rounds them (solver.fairness)
                repay.update({d: r / 100 for d, r in zero_sum_round({x.doctor: x.repay for x in xs if x.share > 0}, 100).items()})
            group = _Group(pools, repay, self.burden)
            self.pools.append(group)
            for x in (x for xs in pools.values() for x in xs):
                self.pool_of[x.doctor] = group
                if x.min_shifts > 0 and x.share > 0:
                    self.least[x.doctor] = x.min_shifts
        self.totals = self.counts()

    def extras(self, s: ShiftInstance, n: int) -> int:
        return max(0, n - s.demand_min)

    def short(self, d: str, n: int) -> int:
        return max(0, self.least.get(d, 0) - n)

    def counts(self) -> tuple[int, int]:
        """(shifts short of the pools' least, doctors beyond the shifts' minimum), counted over the
        roster; ``apply`` keeps ``totals`` equal to this move by move."""
        return (sum(self.short(d, len(self.state.work.given[d])) for d in self.least),
                sum(self.extras(s, len(self.state.on[s.key])) for s in self.ctx.shifts))

    def cost(self) -> tuple[float, float]:
        """(the fairness level's cost, Σ squared deviations per share)."""
        short, extra = self.totals
        return (self.w_part * short + self.w_max * sum(p.worst for p in self.pools) + self.w_extra * extra,
                sum(p.squares for p in self.pools))

    def _count_changes(self, count: dict[str, int], per_shift: dict[str, int]) -> tuple[int, int]:
        """(Δ shifts short, Δ doctors beyond the minimum) of a move's new counts."""
        short = sum(self.short(d, n) - self.short(d, len(self.state.work.given[d])) for d, n in count.items())
        extra = sum(self.extras(s, n) - self.extras(s, len(self.state.on[key]))
                    for key, n in per_shift.items() for s in [self.ctx.index.by_key[key]])
        return short, extra

    def _changes(self, move: Move) -> tuple[dict[str, float], dict[str, int], dict[str, int]]:
        """(burden, shifts per doctor, doctors per shift) after the move, of those it touches."""
        burden: dict[str, float] = {}
        count: dict[str, int] = {}
        per_shift: dict[str, int] = {}
        for sign, pairs in ((-1, move.off), (1, move.on)):
            for d, s in pairs:
                burden[d] = burden.get(d, self.burden[d]) + sign * s.points
                count[d] = count.get(d, len(self.state.work.given[d])) + sign
                per_shift[s.key] = per_shift.get(s.key, len(self.state.on[s.key])) + sign
        return burden, count, per_shift

    def _by_pool(self, burden: dict[str, float]) -> dict[int, tuple[_Group, dict[str, float]]]:
        out: dict[int, tuple[_Group, dict[str, float]]] = {}
        for d, b in burden.items():
            pool = self.pool_of.get(d)
            if pool is not None:
                out.setdefault(id(pool), (pool, {}))[1][d] = b
        return out

    def delta(self, move: Move) -> tuple[float, float, float]:
        """(Δ cost, Δ Σ squared deviations, Δ energy) of a move, without making it. The energy is
        the cost with each pool's largest deviation smoothed into a POWER-norm, which every
        doctor's deviation moves (what the annealing minimises)."""
        burden, count, per_shift = self._changes(move)
        cost = squares = smooth = 0.0
        for pool, change in self._by_pool(burden).values():
            worst, sq, sm = pool.judge(change)
            cost += self.w_max * (worst - pool.worst)
            squares += sq - pool.squares
            smooth += self.w_max * (sm - pool.smooth)
        short, extra = self._count_changes(count, per_shift)
        rest = self.w_part * short + self.w_extra * extra
        return cost + rest, squares, smooth + rest

    def apply(self, move: Move) -> None:
        burden, count, per_shift = self._changes(move)
        short, extra = self._count_changes(count, per_shift)
        self.totals = (self.totals[0] + short, self.totals[1] + extra)
        for d, s in move.off:
            self.state.unassign(d, s)
        for d, s in move.on:
            self.state.assign(d, s)
        self.burden.update(burden)
        for pool, change in self._by_pool(burden).values():
            pool.apply(change)

    def signed(self) -> dict[str, float]:
        return {d: float(p.signed[p.index[d]]) for d, p in self.pool_of.items()}


class Search:
    """The moves around one doctor, checked against the hard rules, best first."""

    def __init__(self, ctx: ModelContext, state: RosterState, score: Score):
        self.ctx, self.state, self.score = ctx, state, score
        rules = ctx.scenario.rules
        nights = rules.min_consecutive_nights > 1
        self.frozen = {d.id for d in ctx.scenario.doctors
                       if shortest_run(d, rules) > 1 or days_off(d, rules) > 1
                       or (nights and any("natt" in {c.value for c in s.categories} for s, _ in ctx.by_doctor[d.id]))}
        self.movable = [d for d, items in ctx.by_doctor.items() if items and d not in self.frozen]
        movable = set(self.movable)
        members = ([x.doctor for x in xs if x.doctor in score.pool_of and x.doctor in movable]
                   for xs in ctx.fairness_plan.pools.values())
        self.pools = [m for m in members if m]

    def furthest(self, signed: dict[str, float], k: int, allowed: Callable[[str], bool]) -> list[str]:
        """The ``k`` movable doctors furthest from target in each pool, of those ``allowed``: each
        pool's largest deviation counts on its own, and ranked over all pools the fastleger a heavy
        month holds far over target (where no move helps) took every rank."""
        return [d for members in self.pools for d in sorted(filter(allowed, members), key=lambda d: -abs(signed[d]))[:k]]

    def feasible(self, move: Move) -> bool:
        """Every hard rule the state checks holds after the move (the state is left as it was)."""
        st, x = self.state, self.ctx.x
        if any(d in self.frozen or (d, s.key) in st.pinned for d, s in move.off):
            return False
        if any(d in self.frozen or (d, s.key) not in x or d in st.on[s.key] for d, s in move.on):
            return False
        touched = {s.key: s for _, s in move.off + move.on}
        before = {key: list(st.on[key]) for key in touched}
        done: list[tuple[bool, str, ShiftInstance]] = []
        try:
            for d, s in move.off:
                st.unassign(d, s)
                done.append((False, d, s))
            for d, s in move.on:
                if not st.work.fits(d, s):
                    return False
                st.assign(d, s)
                done.append((True, d, s))
            if any(st.work.below_minimum(d) for d, _ in move.off):
                return False
            return all(self._staffed(s) and st.keeps_pilot(s, before[s.key], st.on[s.key])
                       for s in touched.values())
        finally:
            for added, d, s in reversed(done):
                (st.unassign if added else st.assign)(d, s)

    def _staffed(self, s: ShiftInstance) -> bool:
        on = self.state.on[s.key]
        return s.demand_min <= len(on) <= most_doctors(self.ctx, s) and self.state.shift_allows(s, on)

    def _above_minimum(self, s: ShiftInstance) -> bool:
        """The shift keeps its minimum with one of its doctors gone."""
        return len(self.state.on[s.key]) > s.demand_min

    def _spare(self, d: str) -> list[ShiftInstance]:
        """The doctor's shifts that keep their minimum without them."""
        return [s for s in self.state.work.given[d] if self._above_minimum(s)]

    def around(self, d: str, signed: dict[str, float]) -> list[Move]:
        """Moves that bring the doctor towards target: give a shift (or swap it for a lighter
        one, or leave a shift that has a doctor to spare) when over, take one (or swap for a
        heavier one, or join a shift that may have one more) when under or short of shifts."""
        mine = self.state.work.given[d]
        want = self.score.least.get(d, 0) > len(mine)
        if signed.get(d, 0.0) > 0 and not want:
            return self._give(d, mine, signed)
        return self._take(d, mine, signed)

    def _give(self, d: str, mine: list[ShiftInstance], signed: dict[str, float]) -> list[Move]:
        out = []
        for s in mine:
            takers = [b for b, _ in self.ctx.by_shift[s.key] if b not in self.state.on[s.key]]
            out += [Move(((d, s),), ((b, s),)) for b in sorted(takers, key=lambda b: signed.get(b, 0.0))[:TOP]]
            for b in takers:
                out += [Move(((d, s), (b, t)), ((b, s), (d, t))) for t in self.state.work.given[b]
                        if t.points < s.points and (d, t.key) in self.ctx.x and d not in self.state.on[t.key]]
            # a taker who is a spare doctor elsewhere leaves that place for this one
            out += [Move(((d, s), (b, t)), ((b, s),)) for b in takers for t in self._spare(b)]
            if self._above_minimum(s):
                out.append(Move(((d, s),), ()))
        return out

    def _take(self, d: str, mine: list[ShiftInstance], signed: dict[str, float]) -> list[Move]:
        out = []
        spare = self._spare(d)  # a place the doctor holds beyond its minimum, traded for one they take over
        for s, _ in self.ctx.by_doctor[d]:
            on = self.state.on[s.key]
            if d in on:
                continue
            for o in on:
                out.append(Move(((o, s),), ((d, s),)))
                out += [Move(((o, s), (d, t)), ((d, s), (o, t))) for t in mine
                        if t.points < s.points and (o, t.key) in self.ctx.x and o not in self.state.on[t.key]]
            if len(on) < most_doctors(self.ctx, s):
                out.append(Move((), ((d, s),)))
            out += [Move(((d, t), (o, s)), ((d, s),)) for t in spare for o in on]
        return out

    def _at_least(self, d: str) -> bool:
        return len(self.state.work.given[d]) <= self.score.least.get(d, 0)

    def chains(self, d: str, rng: random.Random) -> list[Move]:
        """A doctor short of their least takes a place from a holder at their own least, who takes
        one over from a doctor above theirs (or joins a shift with room). Where every place the
        doctor may take is held by doctors with one shift each (most of the Bergen month's), no
        single move lets them in: each one leaves its holder short instead. The doctor's places in
        random order, up to ``CHAIN_MOVES`` (a long period has hundreds of places per doctor)."""
        st = self.state
        places = [s for s, _ in self.ctx.by_doctor[d] if d not in st.on[s.key]]
        rng.shuffle(places)
        out: list[Move] = []
        for s in places:
            for o in filter(self._at_least, st.on[s.key]):
                for t, _ in self.ctx.by_doctor[o]:
                    on = st.on[t.key]
                    if o in on or t.key == s.key:
                        continue
                    out += [Move(((o, s), (p, t)), ((d, s), (o, t))) for p in on if p != d and not self._at_least(p)]
                    if len(on) < most_doctors(self.ctx, t):
                        out.append(Move(((o, s),), ((d, s), (o, t))))
            if len(out) >= CHAIN_MOVES:
                break
        return out

    def random_move(self, rng: random.Random, focus: list[str]) -> Move | None:
        """A random transfer, swap, extra doctor on or off, around a doctor from ``focus`` (often)
        or any doctor; None when the draw gives no move (checked against the rules later)."""
        ctx, state = self.ctx, self.state
        d = rng.choice(focus) if focus and rng.random() < FOCUS_SHARE else rng.choice(self.movable)
        mine = state.work.given[d]
        kind = rng.random()
        if kind < 0.45 and mine:  # d gives a shift away, or swaps it
            s = rng.choice(mine)
            b = rng.choice(ctx.by_shift[s.key])[0]
            if b in state.on[s.key]:
                return None
            theirs = [t for t in state.work.given[b] if (d, t.key) in ctx.x and d not in state.on[t.key]]
            if theirs and rng.random() < 0.5:
                t = rng.choice(theirs)
                return Move(((d, s), (b, t)), ((b, s), (d, t)))
            return Move(((d, s),), ((b, s),))
        if kind < 0.9:  # d takes a shift over, or swaps one of theirs for it
            s = rng.choice(ctx.by_doctor[d])[0]
            on = state.on[s.key]
            if d in on or not on:
                return None
            o = rng.choice(on)
            theirs = [t for t in mine if (o, t.key) in ctx.x and o not in state.on[t.key]]
            if theirs and rng.random() < 0.5:
                t = rng.choice(theirs)
                return Move(((o, s), (d, t)), ((d, s), (o, t)))
            return Move(((o, s),), ((d, s),))
        which = rng.random()
        if mine and which < 1 / 3:  # an extra doctor off a shift
            s = rng.choice(mine)
            return Move(((d, s),), ()) if self._above_minimum(s) else None
        if mine and which < 2 / 3:  # a spare doctor leaves that place to take over another doctor's
            spare = self._spare(d)
            if spare:  # d is the spare one
                s = rng.choice(ctx.by_doctor[d])[0]
                on = state.on[s.key]
                return Move(((d, rng.choice(spare)), (rng.choice(on), s)), ((d, s),)) if on and d not in on else None
            s = rng.choice(mine)  # d's shift, to a taker who is spare elsewhere
            b = rng.choice(ctx.by_shift[s.key])[0]
            theirs = self._spare(b)
            return Move(((d, s), (b, rng.choice(theirs))), ((b, s),)) if theirs and b not in state.on[s.key] else None
        s = rng.choice(ctx.by_doctor[d])[0]  # an extra doctor on a shift that may have one
        on = state.on[s.key]
        return Move((), ((d, s),)) if d not in on and len(on) < most_doctors(ctx, s) else None

    def best(self, moves: list[Move]) -> tuple[Move, tuple[float, float]] | None:
        """The feasible move that improves most (cost first, then squares), or None."""
        scored = sorted(((self.score.delta(m)[:2], i) for i, m in enumerate(moves)))
        for delta, i in scored:
            if delta[0] > 1e-9 or (delta[0] > -1e-9 and delta[1] >= -1e-9):
                return None
            if self.feasible(moves[i]):
                return moves[i], delta
        return None


def improve_lines(ctx: ModelContext, pairs: set[tuple[str, str]], *, deadline: float, seed: int,
                  stop: threading.Event | None = None, on_improve: Callable[[float], None] | None = None,
                  ) -> tuple[set[tuple[str, str]], int]:
    """(the best assignment pairs found, moves made) from a roster's pairs: simulated annealing on
    random moves around the doctors furthest from target (the energy of ``Score.delta``), then descent with
    each doctor's best move (``Search.around``) until none improves or the deadline passes.
    ``on_improve`` hears the fairness level's better costs as they come (``_Reporter``)."""
    search = _search_from(ctx, pairs)
    if not search.movable:  # every doctor under a rule one move can break, or no doctor with a shift to take
        return pairs, 0
    rng = random.Random(seed)
    reporter = _Reporter(on_improve, search.score.cost()[0])
    anneal_until = time.perf_counter() + ANNEAL_SHARE * max(0.0, deadline - time.perf_counter())
    best, moves, _ = _anneal(search, rng, anneal_until, stop, reporter)
    if best is not None:
        search = _search_from(ctx, best)
    return search.state.pairs() if _descend(search, rng, deadline, stop, reporter) or best is None else best, moves


class _Reporter:
    """Tells the caller of a better cost at most every ``REPORT_EVERY`` seconds: the search may run
    for minutes of a long solve, and a manager watching the progress page should see it move, not
    a page frozen until the roster is read back (the cost is the search's own, which the model's
    read of the roster rounds by a few units)."""

    def __init__(self, on_improve: Callable[[float], None] | None, cost: float):
        self.on_improve = on_improve
        self.reported = cost
        self.last = time.perf_counter()

    def due(self) -> bool:
        return self.on_improve is not None and time.perf_counter() - self.last >= REPORT_EVERY

    def offer(self, cost: float) -> None:
        if self.on_improve is not None and cost < self.reported:
            self.reported, self.last = cost, time.perf_counter()
            self.on_improve(cost)


def pool_levels(ctx: ModelContext, pairs: set[tuple[str, str]]) -> dict[str, int]:
    """Each pool's level (the model's unit: points per share × 100) where the roster of these pairs
    puts it, as the moves judge it: the hint for the read of their roster. The model's level follows
    the roster only through its constraints, which CP-SAT meets by search: with each on-site pool
    on a level of its own, the Bergen month's read of the moves' roster from the values of the
    roster before them took 5–10 s or found none (2 runs of 7), and the moves' work was lost; from
    these levels it took 1.5–1.9 s, with the shared level 0.21 s against 0.29–0.37
    (benchmarks/README.md, section 8)."""
    score = _search_from(ctx, pairs).score
    out = {}
    for name, pm in ctx.pools.items():
        member = next((d for d in pm.target_at if d in score.pool_of), None)
        if member is not None:
            out[name] = round(score.pool_of[member].lvl * POINTS_SCALE)
    return out


def _search_from(ctx: ModelContext, pairs: set[tuple[str, str]]) -> Search:
    """A line search over the roster of these pairs, in time order, its pins held."""
    state = RosterState(ctx)
    pins = {(p.doctor, shift_key(p.template, p.date)) for p in ctx.scenario.pins}
    for d, key in sorted(pairs, key=lambda p: ctx.index.by_key[p[1]].start_utc):
        state.assign(d, ctx.index.by_key[key])
        if (d, key) in pins:
            state.pinned.add((d, key))
    return Search(ctx, state, Score(ctx, state))


def _stopped(deadline: float, stop: threading.Event | None) -> bool:
    return time.perf_counter() >= deadline or (stop is not None and stop.is_set())


def _descend(search: Search, rng: random.Random, deadline: float, stop: threading.Event | None,
             reporter: _Reporter | None = None) -> int:
    """Each round the best move of one of the doctors furthest from target in their pool
    (``Search.furthest``: ranked over all pools, the descent rested before it reached an ALIS
    under target); moves made."""
    score, state = search.score, search.state
    resting: dict[str, int] = {}
    moves = rounds = idle = 0
    while not _stopped(deadline, stop) and idle <= IDLE:
        rounds += 1
        signed = score.signed()
        short = [d for d in score.least if score.short(d, len(state.work.given[d])) > 0 and resting.get(d, 0) < rounds]
        ranked = short or search.furthest(signed, 3, lambda d: resting.get(d, 0) < rounds)
        if not ranked:
            break
        d = rng.choice(ranked)
        found = search.best(search.around(d, signed))
        if found is None and d in short:
            found = search.best(search.chains(d, rng))
        if found is None:
            resting[d] = rounds + TABU
            idle += 1
            continue
        score.apply(found[0])
        moves, idle = moves + 1, 0
        if reporter is not None and reporter.due():
            reporter.offer(score.cost()[0])
    return moves


def _anneal(search: Search, rng: random.Random, until: float, stop: threading.Event | None,
            reporter: _Reporter | None = None) -> tuple[set[tuple[str, str]] | None, int, int]:
    """Simulated annealing on the energy of ``Score.delta``, the temperature falling geometrically from one
    that accepts a typical worsening move half the time, with the time or (whichever is further
    along) the tries, at most ``TRIES_PER_PAIR`` per pair: a tiny scenario has cooled in a
    fraction of a second, where the time alone kept it annealing for seconds (the Bergen month
    makes 8 tries per pair in its 18 s on 2 cores, so the time ends it there); (the pairs of the
    best roster seen by its true cost, or None when none beat the start; moves made; tries)."""
    score = search.score
    started = time.perf_counter()
    if until - started < 0.5:
        return None, 0, 0
    most = TRIES_PER_PAIR * len(search.ctx.x)
    rises = sorted(d for d in (score.delta(m)[2] for m in _sample(search, rng, 300)) if d > 0)
    hot = rises[len(rises) // 2] / math.log(2) if rises else 1.0
    cold = hot / COOLING
    best_cost, best = score.cost(), None
    moves = tries = 0
    focus: list[str] = []
    temperature = hot
    while True:
        if tries % 256 == 0:
            if _stopped(until, stop) or tries >= most:
                break
            done = min(1.0, max((time.perf_counter() - started) / (until - started), tries / most))
            temperature = hot * (cold / hot) ** done
            signed = score.signed()
            focus = search.furthest(signed, -(-FOCUS // max(1, len(search.pools))), lambda d: True)
        tries += 1
        move = search.random_move(rng, focus)
        if move is None:
            continue
        delta = score.delta(move)[2]
        if delta > 0 and rng.random() >= math.exp(-delta / temperature):
            continue
        if not search.feasible(move):
            continue
        score.apply(move)
        moves += 1
        if delta < 0:
            cost = score.cost()
            if cost < best_cost:
                best_cost, best = cost, search.state.pairs()
                if reporter is not None and reporter.due():
                    reporter.offer(cost[0])
    return best, moves, tries


def _sample(search: Search, rng: random.Random, n: int) -> list[Move]:
    out: list[Move] = []
    for _ in range(20 * n):
        move = search.random_move(rng, [])
        if move is not None:
            out.append(move)
        if len(out) >= n:
            break
    return out
