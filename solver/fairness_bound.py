"""How small the pools' largest deviations can be at all, with the levels held: a bound the LP misses.

The LP splits a heavy place into slivers over many doctors, so it sees no cost in a pool's
largest deviation (Bergen: 0.4 of a roster's 12 points per share). A roster cannot split a place:
whoever takes it carries all its points. This relaxation keeps that and drops the rest:

* a doctor's window is the burden within ``E`` points per share of their held target, narrowed to
  the sums of points of shifts they may work that hold their pins and count between their own
  least and most shifts;
* they may take a place only if its points, beside some such sum of one shift fewer, fit in the
  window;
* every place's points otherwise flow freely from the shift to the doctors who may take it
  (between its minimum and most doctors; the minimum only where the places are held filled; a
  pinned place's to its doctor), each doctor's burden within their window;
* and whole places flow the same way, each doctor taking as many as some sum in their window
  has shifts (the Bergen month's pins alone lift the employed doctors' least from 0.04 to 2.97
  points per share, what the roster has).
* a doctor who may not work alone (``solver.coverage``: `alene`, `kompetanse`) takes a place on
  an on-site shift only beside a qualified colleague, so such doctors have at most the shift's
  most doctors less one (less its qualified minimum where the places are held filled) of its
  places: their arcs leave the shift through a node with that capacity.

Narrowed to a ``Case`` (``within``), the places flow also holds each needer's least shifts and
caps the extra doctors on the shifts counted, through one node: the bound of the rosters that
pay for no more extra doctors than that (``solver.fairness.add_extras_cuts``).

Each roster of the model is such a pair of flows, so where none exists no roster does; and a larger
``E`` only widens the windows, so feasibility is monotone in it. A box search over ``E`` (branch and
bound, shaving each side) gives the least Σ ``E`` a level group can have: valid cuts for CP-SAT,
whose bound then means something. Flows are OR-Tools' max flow on numpy arrays, a few
milliseconds each on the Bergen month.
"""

from __future__ import annotations

import copy
import heapq
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from ortools.graph.python import max_flow

from roster.candidates import pinned_shifts
from solver.context import POINTS_SCALE, ModelContext
from solver.coverage import most_doctors

UNBOUNDED = 10**12  # a window or an arc no pool limits (points × 100)
S, T, SS, TT = 0, 1, 2, 3  # source, sink and the super source and sink of the flow with lower bounds


@dataclass(frozen=True)
class _Network:
    """The flow network's fixed parts: nodes S, T, SS, TT, then shifts, then doctors; an arc per
    pair."""

    shift_nodes: np.ndarray
    shift_points: np.ndarray  # × 100
    shift_least: np.ndarray  # doctors the shift must have (its minimum, where the places are held filled)
    shift_most: np.ndarray
    arc_tail: np.ndarray
    arc_head: np.ndarray
    arc_points: np.ndarray
    arc_pinned: np.ndarray  # a pinned assignment: the place is the doctor's
    doctor_nodes: np.ndarray
    split_shift: np.ndarray  # an on-site shift with doctors who may not work alone (its index) …
    split_node: np.ndarray  # … the node their arcs leave it from …
    split_places: np.ndarray  # … and the places they may have on it
    nodes: int
    arcs_by_points: list[list[tuple[int, np.ndarray]]]  # per doctor: (points × 100, the arcs of shifts with those points)


@dataclass(frozen=True)
class Held:
    """A pool member's held target (points × 10^4) and what their deviation is divided by (share × 100)."""

    pool: str
    target: int
    scale: int


@dataclass(frozen=True)
class Case:
    """The rosters where every doctor in ``floors`` takes at least that many shifts (no one short of
    their pool's least, ``solver.fairness.participation``) and the shifts in ``counted`` have at
    most ``extras`` doctors beyond their minimums between them."""

    floors: Mapping[str, int]
    counted: frozenset[str]
    extras: int


class FlowRelaxation:
    """The relaxation of one model with its levels held: ``feasible(E)`` for per-pool largest
    deviations ``E`` (points per share × 100, the model's unit of ``largest``) up to ``span``."""

    def __init__(self, ctx: ModelContext, held: dict[str, Held], filled: bool, span: int):
        self.ctx, self.held, self.filled = ctx, held, filled
        self.doctors = [d for d, pairs in ctx.by_doctor.items() if pairs]
        # sums are followed past each target as far as the pools' largest deviations summed may go
        self.most = {d: (h.target + h.scale * span) // POINTS_SCALE + 1 for d, h in held.items()}
        self.pinned = {(d, s.key) for d, shifts in pinned_shifts(ctx.scenario, ctx.index).items() for s in shifts
                       if (d, s.key) in ctx.x}
        self.by_count = {d: sums_by_count(ctx, d, self.most[d], {k for e, k in self.pinned if e == d}) for d in held}
        self.counts = {d: _count_range(ctx, d) for d in held}
        self.sums = {d: _union(self.by_count[d], *self.counts[d]) for d in held}
        self.counted: np.ndarray | None = None  # per shift: its extra doctors count towards ``extras``
        self.extras = 0

    def within(self, case: Case) -> FlowRelaxation:
        """The same relaxation narrowed to ``case``, sharing the network and the per-doctor sums."""
        narrowed = copy.copy(self)
        narrowed.network = self.network
        narrowed.counted = np.array([s.key in case.counted for s in self.ctx.shifts], dtype=bool)
        narrowed.extras = case.extras
        narrowed.counts = {d: (max(first, case.floors.get(d, 0)), last) for d, (first, last) in self.counts.items()}
        narrowed.sums = {d: _union(self.by_count[d], *narrowed.counts[d]) for d in self.held}
        return narrowed

    @cached_property
    def network(self) -> _Network:
        """Built at the first look only: the per-doctor sums are wanted even when no time is left."""
        ctx, shifts = self.ctx, self.ctx.shifts
        node = {d: 4 + len(shifts) + i for i, d in enumerate(self.doctors)}
        nodes = 4 + len(shifts) + len(self.doctors)
        points = np.array([round(s.points * POINTS_SCALE) for s in shifts], dtype=np.int64)
        minimums_hold = [self.filled or s.key not in ctx.short for s in shifts]
        most = [most_doctors(ctx, s) for s in shifts]
        tails, heads, weights, pinned = [], [], [], []
        split: list[tuple[int, int, int]] = []  # (shift index, its node for those who may not work alone, places)
        by_points: dict[str, dict[int, list[int]]] = {d: {} for d in self.doctors}
        beside = 0 if ctx.scenario.rules.alone_with_bakvakt else 1  # a qualified colleague on the shift (`alene`)
        for i, s in enumerate(shifts):
            tail = 4 + i
            if s.on_site and any(not ctx.qualified[d] for d, _ in ctx.by_shift[s.key]):
                places = max(0, most[i] - max(beside, s.min_qualified if minimums_hold[i] else 0))
                split.append((i, nodes, places))
                nodes += 1
            for d, _ in ctx.by_shift[s.key]:
                by_points[d].setdefault(int(points[i]), []).append(len(tails))
                tails.append(tail if ctx.qualified[d] or not s.on_site else split[-1][1])
                heads.append(node[d])
                weights.append(points[i])
                pinned.append((d, s.key) in self.pinned)
        cut = np.array(split, dtype=np.int64).reshape(-1, 3)
        return _Network(
            shift_nodes=np.arange(4, 4 + len(shifts), dtype=np.int32), shift_points=points,
            shift_least=np.array([s.demand_min if h else 0 for s, h in zip(shifts, minimums_hold)], dtype=np.int64),
            shift_most=np.array(most, dtype=np.int64),
            arc_tail=np.array(tails, dtype=np.int32), arc_head=np.array(heads, dtype=np.int32),
            arc_points=np.array(weights, dtype=np.int64), arc_pinned=np.array(pinned, dtype=bool),
            doctor_nodes=np.array([node[d] for d in self.doctors], dtype=np.int32),
            split_shift=cut[:, 0], split_node=cut[:, 1].astype(np.int32), split_places=cut[:, 2], nodes=nodes,
            arcs_by_points=[[(p, np.array(arcs)) for p, arcs in by_points[d].items()] for d in self.doctors])

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
        """Is there a flow of points, and one of whole places, with every pool member within
        ``largest`` of their target? A member may take a place only if its points, with a sum of
        their other shifts (one fewer than some count of shifts their window allows), fit in the
        window; and takes as many places as some sum within the window has shifts."""
        window = self.windows(largest)
        if window is None:
            return False
        lo, hi = window
        net = self.network
        allowed = np.ones(len(net.arc_points), dtype=bool)
        fewest = np.zeros(len(self.doctors), dtype=np.int64)
        most = np.full(len(self.doctors), UNBOUNDED, dtype=np.int64)
        for i, d in enumerate(self.doctors):
            if hi[i] == UNBOUNDED:
                fewest[i] = self.counts[d][0] if d in self.counts else 0  # a free pool's members still take their least
                continue
            low, high, known = int(lo[i]), int(hi[i]), self.most[d]
            first, last = self.counts[d]
            layers = self.by_count[d]
            fits = [j for j in range(first, min(last, len(layers) - 1) + 1) if _any_within(layers[j], known, low, high)]
            fewest[i] = fits[0] if fits else first  # none known: the window runs past the sums followed
            if high <= known:
                most[i] = fits[-1]
            rest = _union(layers, max(fewest[i] - 1, 0), most[i] - 1)
            for p, arcs in net.arcs_by_points[i]:
                if not _any_within(rest, known, low - p, high - p):
                    allowed[arcs] = False
        allowed |= net.arc_pinned  # every sum counted holds the pins
        pinned = net.arc_pinned.astype(np.int64)
        places = _flow_exists(net, net.shift_least, net.shift_most, net.split_places, pinned, allowed.astype(np.int64),
                              fewest, most, self.counted, self.extras)
        return places and _flow_exists(net, net.shift_least * net.shift_points, net.shift_most * net.shift_points,
                                       net.split_places * net.shift_points[net.split_shift], pinned * net.arc_points,
                                       np.where(allowed, net.arc_points, 0), lo, hi)


def _flow_exists(net: _Network, shift_lo: np.ndarray, shift_hi: np.ndarray, split_hi: np.ndarray, arc_lo: np.ndarray,
                 arc_hi: np.ndarray, doctor_lo: np.ndarray, doctor_hi: np.ndarray, counted: np.ndarray | None = None,
                 extras: int = 0) -> bool:
    """A flow from the source through the shifts (and, for the doctors who may not work alone,
    a node per shift capped at ``split_hi``) and the arcs to the doctors, each within its bounds:
    max flow with the lower bounds moved onto a super source and sink. The ``counted`` shifts'
    flow beyond their lower bounds comes through one node capped at ``extras``."""
    budget = net.nodes  # used only with ``counted``
    excess = np.zeros(net.nodes + 1, dtype=np.int64)
    np.add.at(excess, net.arc_head, arc_lo)
    np.subtract.at(excess, net.arc_tail, arc_lo)
    excess[net.shift_nodes] += shift_lo
    excess[S] -= shift_lo.sum()
    excess[T] += doctor_lo.sum()
    excess[net.doctor_nodes] -= doctor_lo
    supply, demand = np.flatnonzero(excess > 0), np.flatnonzero(excess < 0)
    n_shift, n_doc = len(net.shift_nodes), len(net.doctor_nodes)
    sources = np.full(n_shift, S) if counted is None else np.where(counted, budget, S)
    tails = np.concatenate([[S], sources, net.shift_nodes[net.split_shift], net.arc_tail, net.doctor_nodes, [T],
                            np.full(len(supply), SS), demand]).astype(np.int32)
    heads = np.concatenate([[budget], net.shift_nodes, net.split_node, net.arc_head, np.full(n_doc, T), [S],
                            supply, np.full(len(demand), TT)]).astype(np.int32)
    caps = np.concatenate([[extras], shift_hi - shift_lo, split_hi, arc_hi - arc_lo,
                           np.minimum(doctor_hi - doctor_lo, UNBOUNDED), [UNBOUNDED], excess[supply],
                           -excess[demand]]).astype(np.int64)
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(tails, heads, caps)
    if flow.solve(SS, TT) != flow.OPTIMAL:
        return False
    return flow.optimal_flow() == excess[supply].sum()


def sums_by_count(ctx: ModelContext, doctor: str, most: int, pinned: Collection[str] = ()) -> list[int]:
    """The sums of burden points (× 100) of sets of the shifts the doctor may work that hold their
    ``pinned`` shifts, up to ``most``, by the number of shifts: entry j holds the sums of j shifts
    as the bits of an integer (bit k set: k reachable). A superset of what a roster can give them,
    so the nearest of these bounds their deviation from below."""
    mask = (1 << (most + 1)) - 1
    held = [s for s, _ in ctx.by_doctor[doctor] if s.key in pinned]
    layers = [0] * len(held) + [(1 << sum(round(s.points * POINTS_SCALE) for s in held)) & mask]
    for s, _ in ctx.by_doctor[doctor]:
        if s.key in pinned:
            continue
        step = round(s.points * POINTS_SCALE)
        for j in range(len(layers) - 1, -1, -1):
            more = (layers[j] << step) & mask
            if j + 1 < len(layers):
                layers[j + 1] |= more
            elif more:
                layers.append(more)
    return layers


def _count_range(ctx: ModelContext, doctor: str) -> tuple[int, int]:
    """The doctor's own least and most shifts in the period (hard, ``solver.limits``)."""
    d = ctx.doctors[doctor]
    return d.min_shifts, len(ctx.by_doctor[doctor]) if d.max_shifts is None else d.max_shifts


def _union(layers: list[int], first: int, last: int) -> int:
    bits = 0
    for j in range(first, min(last, len(layers) - 1) + 1):
        bits |= layers[j]
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


def _any_within(bits: int, most: int, low: int, high: int) -> bool:
    """Whether a sum in ``bits`` (known up to ``most``) may lie in [low, high], e.g. what the rest
    of a doctor's burden must come to beside a place."""
    low = max(low, 0)
    if high < low:
        return False
    if high > most:
        return True
    return (bits >> low) & ((1 << (high - low + 1)) - 1) != 0


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
