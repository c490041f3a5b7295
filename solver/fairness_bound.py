"""How small the pools' largest deviations can be at all, with the levels held: a bound the LP misses.

The LP splits a heavy place into slivers over many doctors, so it sees no cost in a pool's
largest deviation (Bergen: 0.4 of a roster's 12 points per share). A roster cannot split a place:
whoever takes it carries all its points. This relaxation keeps exactly that and drops the rest:

* a doctor may take a place only if its points fit in their window, the burden within ``E`` points
  per share of their held target, narrowed to sums of points of shifts they may work;
* every place's points otherwise flow freely from the shift to the doctors who may take it
  (between its minimum and most doctors; the minimum only where the places are held filled);
* each doctor's burden stays within their window; doctors outside the pools carry anything.

Each roster of the model is such a flow, so where no flow exists no roster does; and a larger
``E`` only widens the windows, so feasibility is monotone in it. A box search over ``E`` (branch and
bound, shaving each side) gives the least Σ ``E`` a level group can have: valid cuts for CP-SAT,
whose bound then means something. Flows are OR-Tools' max flow on numpy arrays, a few
milliseconds each on the Bergen month.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from ortools.graph.python import max_flow

from solver.context import POINTS_SCALE, ModelContext
from solver.coverage import most_doctors

UNBOUNDED = 10**12  # a window or an arc no pool limits (points × 100)
S, T, SS, TT = 0, 1, 2, 3  # source, sink and the super source and sink of the flow with lower bounds


@dataclass(frozen=True)
class _Network:
    """The flow network's fixed parts: nodes S, T, SS, TT, then shifts, then doctors; an arc per
    pair, carrying up to the shift's points."""

    shift_nodes: np.ndarray
    shift_lo: np.ndarray  # points × 100 the shift must hand out (its minimum doctors)
    shift_hi: np.ndarray  # … may hand out (its most doctors)
    arc_tail: np.ndarray
    arc_head: np.ndarray
    arc_points: np.ndarray
    doctor_nodes: np.ndarray
    nodes: int


@dataclass(frozen=True)
class Held:
    """A pool member's held target (points × 10^4) and what their deviation is divided by (share × 100)."""

    pool: str
    target: int
    scale: int


class FlowRelaxation:
    """The relaxation of one model with its levels held: ``feasible(E)`` for per-pool largest
    deviations ``E`` (points per share × 100, the model's unit of ``largest``) up to ``span``."""

    def __init__(self, ctx: ModelContext, held: dict[str, Held], filled: bool, span: int):
        self.ctx, self.held, self.filled = ctx, held, filled
        self.doctors = [d for d, pairs in ctx.by_doctor.items() if pairs]
        # sums are followed past each target as far as the pools' largest deviations summed may go
        self.most = {d: (h.target + h.scale * span) // POINTS_SCALE + 1 for d, h in held.items()}
        self.sums = {d: reachable(ctx, d, self.most[d]) for d in held}

    @cached_property
    def network(self) -> _Network:
        """Built at the first look only: the per-doctor sums are wanted even when no time is left."""
        ctx, shifts = self.ctx, self.ctx.shifts
        node = {d: 4 + len(shifts) + i for i, d in enumerate(self.doctors)}
        points = np.array([round(s.points * POINTS_SCALE) for s in shifts], dtype=np.int64)
        least = np.array([s.demand_min if self.filled or s.key not in ctx.short else 0 for s in shifts], dtype=np.int64)
        most = np.array([most_doctors(ctx, s) for s in shifts], dtype=np.int64)
        tails, heads, weights = [], [], []
        for i, s in enumerate(shifts):
            for d, _ in ctx.by_shift[s.key]:
                tails.append(4 + i)
                heads.append(node[d])
                weights.append(points[i])
        return _Network(
            shift_nodes=np.arange(4, 4 + len(shifts), dtype=np.int32), shift_lo=least * points, shift_hi=most * points,
            arc_tail=np.array(tails, dtype=np.int32), arc_head=np.array(heads, dtype=np.int32),
            arc_points=np.array(weights, dtype=np.int64),
            doctor_nodes=np.array([node[d] for d in self.doctors], dtype=np.int32), nodes=4 + len(shifts) + len(self.doctors))

    def windows(self, largest: dict[str, int]) -> tuple[np.ndarray, np.ndarray] | None:
        """Each doctor's least and most burden (points × 100) with the pools' largest deviations
        ``largest`` (a pool not named is free); None when a member has no reachable burden in it."""
        lo = np.zeros(len(self.doctors), dtype=np.int64)
        hi = np.full(len(self.doctors), UNBOUNDED, dtype=np.int64)
        for i, d in enumerate(self.doctors):
            h = self.held.get(d)
            if h is None or h.pool not in largest:
                continue
            e = h.scale * largest[h.pool]
            low, high = max(0, -(-(h.target - e) // POINTS_SCALE)), (h.target + e) // POINTS_SCALE
            window = _narrow(self.sums[d], self.most[d], low, high)
            if window is None:
                return None
            lo[i], hi[i] = window
        return lo, hi

    def feasible(self, largest: dict[str, int]) -> bool:
        """Is there a flow with every pool member within ``largest`` of their target?"""
        window = self.windows(largest)
        if window is None:
            return False
        lo, hi = window
        net = self.network
        room = np.empty(net.nodes, dtype=np.int64)
        room[net.doctor_nodes] = hi
        arc_cap = np.where(net.arc_points <= room[net.arc_head], net.arc_points, 0)
        excess = np.zeros(net.nodes, dtype=np.int64)  # lower bounds moved onto the super source and sink
        excess[net.shift_nodes] += net.shift_lo
        excess[S] -= net.shift_lo.sum()
        excess[T] += lo.sum()
        excess[net.doctor_nodes] -= lo
        spare_shift, spare_doctor = net.shift_hi - net.shift_lo, hi - lo
        supply, demand = np.flatnonzero(excess > 0), np.flatnonzero(excess < 0)
        n_shift, n_doc = len(net.shift_nodes), len(net.doctor_nodes)
        tails = np.concatenate([np.full(n_shift, S), net.arc_tail, net.doctor_nodes, [T],
                                np.full(len(supply), SS), demand]).astype(np.int32)
        heads = np.concatenate([net.shift_nodes, net.arc_head, np.full(n_doc, T), [S],
                                supply, np.full(len(demand), TT)]).astype(np.int32)
        caps = np.concatenate([spare_shift, arc_cap, spare_doctor, [UNBOUNDED],
                               excess[supply], -excess[demand]]).astype(np.int64)
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(tails, heads, caps)
        if flow.solve(SS, TT) != flow.OPTIMAL:
            return False
        return flow.optimal_flow() == excess[supply].sum()


def reachable(ctx: ModelContext, doctor: str, most: int) -> int:
    """The sums of burden points (× 100) of any set of the shifts the doctor may work, up to
    ``most``, as the bits of an integer (bit k set: k reachable): a superset of what a roster can
    give them, so the nearest of these bounds their deviation from below."""
    bits = 1
    mask = (1 << (most + 1)) - 1
    for s, _ in ctx.by_doctor[doctor]:
        bits |= (bits << round(s.points * POINTS_SCALE)) & mask
    return bits


def nearest_miss(bits: int, most: int, target: int) -> int:
    """The least |100 · sum − target| over the reachable sums (``target`` in points × 10^4;
    ``bits`` known up to ``most``: beyond it a sum may lie anywhere)."""
    t = target // POINTS_SCALE
    below = (bits & ((1 << (t + 1)) - 1)).bit_length() - 1 if t >= 0 else -1
    above_bits = bits >> (t + 1) if t >= 0 else bits
    above = t + 1 + (above_bits & -above_bits).bit_length() - 1 if above_bits else most + 1
    options = [abs(POINTS_SCALE * v - target) for v in (below, above) if v >= 0]
    return min(options) if options else 0


def _narrow(bits: int, most: int, low: int, high: int) -> tuple[int, int] | None:
    """[low, high] shrunk to the reachable sums at its ends (``bits`` known up to ``most``); None
    when none lies within."""
    if high < low:
        return None
    known = min(high, most)
    inside = (bits >> low) & ((1 << (known - low + 1)) - 1) if known >= low else 0
    if high > most:
        return (low + (inside & -inside).bit_length() - 1 if inside else low), high
    if not inside:
        return None
    return low + (inside & -inside).bit_length() - 1, low + inside.bit_length() - 1


def least_sum(feasible, pools: list[str], incumbent: dict[str, int], deadline: float,
              clock=time.perf_counter) -> tuple[int, dict[str, int]]:
    """(a lower bound on Σ largest over ``pools`` for every feasible point, each pool's own bound
    with the other pools free).

    ``feasible`` is monotone (a point above a feasible one is feasible) and ``incumbent`` feasible
    in the model, so the least sum lies in the box from the pools' own bounds to where the
    incumbent's sum would be passed. Boxes are taken least corner first; each is shaved (every
    side raised to the least value feasible with the other sides at their top), dropped when its
    top corner is infeasible and closed when its bottom corner is feasible; the rest are halved.
    When the time runs out, the least corner of the boxes still open is the bound.
    """
    def least(feasible_at, a: int, b: int) -> int:
        """The least value in [a, b] where ``feasible_at`` holds (monotone; b when none below it
        does), by bisection; when the time runs out, the lowest value not yet ruled out."""
        while a < b and clock() <= deadline:
            mid = (a + b) // 2
            if feasible_at(mid):
                b = mid
            else:
                a = mid + 1
        return a

    own = {p: least(lambda v, p=p: feasible({p: v}), 0, incumbent[p]) for p in pools}
    best = sum(incumbent[p] for p in pools)
    lo = tuple(own[p] for p in pools)
    heap = [(sum(lo), lo, _trim(lo, tuple(incumbent[p] + best for p in pools), best))]
    while heap:
        corner, lo, hi = heapq.heappop(heap)
        if corner >= best or clock() > deadline:
            return min(corner, best), own
        if any(a > b for a, b in zip(lo, hi)):
            continue
        top = dict(zip(pools, hi))
        if not feasible(top):
            continue
        lo = tuple(least(lambda v, p=p, top=top: feasible({**top, p: v}), a, b) for p, a, b in zip(pools, lo, hi))
        if feasible(dict(zip(pools, lo))):
            best = min(best, sum(lo))
            continue
        i = max(range(len(pools)), key=lambda j: hi[j] - lo[j])
        if hi[i] == lo[i]:
            continue  # a single point, infeasible
        mid = (lo[i] + hi[i]) // 2
        for a, b in ((lo[i], mid), (mid + 1, hi[i])):
            sub_lo = lo[:i] + (a,) + lo[i + 1:]
            heapq.heappush(heap, (sum(sub_lo), sub_lo, _trim(sub_lo, hi[:i] + (b,) + hi[i + 1:], best)))
    return best, own


def _trim(lo: tuple[int, ...], hi: tuple[int, ...], best: int) -> tuple[int, ...]:
    """Each side's top lowered to where, with the others at their bottom, the sum would pass ``best``."""
    total = sum(lo)
    return tuple(min(h, best - (total - a)) for a, h in zip(lo, hi))
