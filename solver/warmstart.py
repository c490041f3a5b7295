"""A constructive roster that keeps the hard rules it can check cheaply, for the first CP-SAT pass.

The first pass (solver.solve) fixes every assignment to this roster and leaves only the auxiliary
variables (open slots, penalties) to CP-SAT: presolve then removes nearly everything, where a
search merely guided by the same roster found nothing within a minute at 1000 doctors × 3 months.
Failing that it is the search's guide, so the model still decides and nothing slips through.

Pins go first. Each shift in time order then gets the qualified doctors furthest below their fair
share who break none of their own rules (``roster.workload.Workload.fits``: overlap, rest, shifts
and hours per 7 days, period totals, label and weekend limits, nights and working dates in a row,
forbidden successions, weekly rest) until its demand and competence mix are met, an on-call shift
taking the pilot's specialists first. Doctors still under their minimum then take shifts
over from doctors above theirs, or an open or spare place. Left to the model: minimum runs of
nights, work or days off, and supervision for anyone other than a doctor placed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from roster.calendar import ShiftInstance
from roster.models import Supervision, shift_key
from roster.workload import Workload
from solver.bakvakt import pilot
from solver.context import ModelContext
from solver.coverage import most_doctors

Pair = tuple[str, str]  # (doctor id, shift key)


class RosterState:
    """A roster being built or improved: per doctor what they have (``roster.workload.Workload``,
    whose predicates are the per-doctor hard rules), per shift who is on it, and the shift's own
    rules (competence mix, nobody unqualified alone, supervision)."""

    def __init__(self, ctx: ModelContext):
        self.ctx = ctx
        self.work = Workload(ctx.scenario, ctx.shifts)
        self.on: dict[str, list[str]] = {s.key: [] for s in ctx.shifts}
        self.pinned: set[Pair] = set()
        self.load: dict[str, float] = defaultdict(float)
        self.on_call = [s for s in ctx.shifts if not s.on_site]
        self.pilot = pilot(ctx.scenario)

    # ------------------------------------------------------------- state

    def assign(self, d: str, s: ShiftInstance) -> None:
        self.work.add(d, s)
        self.on[s.key].append(d)
        self.load[d] += s.points

    def unassign(self, d: str, s: ShiftInstance) -> None:
        self.work.remove(d, s)
        self.on[s.key].remove(d)
        self.load[d] -= s.points

    def pairs(self) -> set[Pair]:
        return {(d, s.key) for d, mine in self.work.given.items() for s in mine}

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
        if unqualified and n_qualified == 0 and not self.ctx.scenario.rules.alone_with_bakvakt:
            return False
        return all(self._covered(s, self.ctx.doctors[d].supervision == Supervision.ON_SITE) for d in unqualified)

    def keeps_pilot(self, s: ShiftInstance, before: Collection[str], after: Collection[str]) -> bool:
        """The pilot (solver.bakvakt) no worse on the shift going from the doctors ``before`` to
        ``after``, the on-call shifts as they are now: an on-call shift that had a specialist keeps
        one, and one that had other doctors (who excuse a gap) keeps a doctor; an optional on-site
        shift a doctor opens has a specialist on call for its whole time. Stricter than the model,
        never looser: moved rosters are read back with the levels before held, so one new hour
        without a specialist would lose every move."""
        if not self.pilot:
            return True
        if not s.on_site:
            return self._specialist_in(after) or not self._specialist_in(before) and (bool(after) or not before)
        return s.demand_min > 0 or bool(before) or not after or self._covered(s, False, specialists=True)

    def _specialist_in(self, doctors: Collection[str]) -> bool:
        return any(d in self.ctx.specialists for d in doctors)

    def _covered(self, s: ShiftInstance, attend: bool, specialists: bool = False) -> bool:
        """Staffed on-call shifts (that can come in, if asked; with a specialist on, if asked)
        cover the shift's whole time."""
        covered_to = s.start_utc
        for t in self.on_call:  # in start order
            if t.start_utc > covered_to:
                break
            staffed = self._specialist_in(self.on[t.key]) if specialists else self.on[t.key]
            if staffed and (t.on_call_can_attend or not attend):
                covered_to = max(covered_to, t.end_utc)
            if covered_to >= s.end_utc:
                return True
        return covered_to >= s.end_utc


class _Greedy(RosterState):
    """The constructive roster: pins, then each shift to the doctors furthest below target."""

    def __init__(self, ctx: ModelContext):
        super().__init__(ctx)
        plan = ctx.fairness_plan
        expected = {m.doctor: plan.expected_level[m.pool] * m.share - m.repay for ms in plan.pools.values() for m in ms}
        self.share = {d: t for d, t in expected.items() if t > 0}

    def ratio(self, d: str, s: ShiftInstance) -> float:
        """Burden after taking the shift over the doctor's expected target (``roster.targets``:
        the pool's expected level × share, moved by the ledger)."""
        return (self.load[d] + s.points) / self.share.get(d, 1e-3)

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
            if self.pilot and not s.on_site:  # the pilot's bakvakt is a specialist (solver.bakvakt)
                candidates.sort(key=lambda d: d not in ctx.specialists)
            for d in candidates:
                short_of_qualified = s.on_site and sum(ctx.qualified[o] for o in on) < s.min_qualified
                if len(on) >= most_doctors(ctx, s) or (len(on) >= s.demand_min and not short_of_qualified):
                    break
                if self.work.fits(d, s):
                    self.assign(d, s)

    def repair_minimums(self) -> None:
        """Each doctor under min_shifts or min_hours takes a shift: an open place first, else one
        from the most burdened doctor who stays at or above their own minimum, else a spare place."""
        ctx = self.ctx
        for d in ctx.by_doctor:
            while self.work.below_minimum(d):
                best: tuple[tuple[int, float], ShiftInstance, str | None] | None = None
                for s, _ in ctx.by_doctor[d]:
                    on = self.on[s.key]
                    if d in on or not self.work.fits(d, s):
                        continue
                    joined = [*on, d]
                    if (len(on) < most_doctors(ctx, s) and self.shift_allows(s, joined)
                            and self.keeps_pilot(s, on, joined)):
                        rank = (0 if len(on) < s.demand_min else 2, 0.0)
                        if best is None or rank < best[0]:
                            best = (rank, s, None)
                    for o in on:
                        if (o, s.key) in self.pinned or self.work.below_minimum(o, without=s):
                            continue
                        after = [*(x for x in on if x != o), d]
                        if self.shift_allows(s, after) and self.keeps_pilot(s, on, after):
                            rank = (1, -self.ratio(o, s))
                            if best is None or rank < best[0]:
                                best = (rank, s, o)
                if best is None:
                    break  # nothing fits: the model decides (and may find the minimum infeasible)
                _, s, o = best
                if o is not None:
                    self.unassign(o, s)
                self.assign(d, s)



def greedy_assignment(ctx: ModelContext) -> set[Pair]:
    """(doctor, shift key) pairs of the constructive roster."""
    g = _Greedy(ctx)
    g.place_pins()
    g.fill()
    g.repair_minimums()
    return g.pairs()
