"""The shared state of one CP-SAT model: scenario facts, decision variables and penalty terms.

Every constraint family reads and extends a ``ModelContext``; none of them builds variables for a
pair the eligibility rules already forbid, so the model only holds what could be in a roster.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ortools.sat.python import cp_model
from ortools.util.python import sorted_interval_list

from roster.calendar import OSLO, UTC, ShiftIndex, ShiftInstance
from roster.eligibility import Eligibility, lapsed, specialist
from roster.models import Doctor, Roster, Scenario, ShiftTemplate
from roster.targets import FairnessPlan, fairness_plan
from roster.workload import HourUnits
from solver.collector import Model
from solver.timeline import Cover

POINTS_SCALE = 100  # burden points × 100 in fairness terms
OBJ_SCALE = 100  # every penalty expression is in units × 100; the objective is divided back


@dataclass(frozen=True)
class Penalty:
    """What a soft rule returns: ``expr`` measures the term in units × OBJ_SCALE; ``weight`` names
    the field of ``ObjectiveWeights`` that prices one unit (solver.objective weighs and sums)."""

    weight: str
    expr: cp_model.LinearExprT


@dataclass(frozen=True)
class Baseline:
    """The published roster a re-plan starts from (solver.replan).

    Shifts that started before ``now`` are history and stay as published. Every other change —
    a published assignment dropped or a new one added — costs the ``change`` weight, times
    ``soon_factor`` when the shift starts within ``soon_hours`` of ``now`` (people have planned
    around it) and times ``uninvolved_factor`` for a doctor the change file does not name.
    """

    assignments: frozenset[tuple[str, str]]  # (doctor, shift key) as published
    now: dt.datetime  # timezone-aware
    involved: frozenset[str] = frozenset()
    free: frozenset[dt.date] | None = None  # dates that may change first (solve: near the change)
    soon_hours: float = 48.0
    soon_factor: int = 3
    uninvolved_factor: int = 2

    def shift_factor(self, shift: ShiftInstance) -> int:
        soon = utc(self.now) <= utc(shift.start) < utc(self.now) + dt.timedelta(hours=self.soon_hours)
        return self.soon_factor if soon else 1

    def doctor_factor(self, doctor_id: str) -> int:
        return 1 if doctor_id in self.involved else self.uninvolved_factor


Group = tuple[str, str]  # (hard-rule code, subject): ("hvile", doctor id), ("bemanning", shift key) …
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Bound:
    """One linear row lo ≤ Σ coef·var + offset ≤ hi of a group, by variable index (a constant
    row, e.g. an empty sum, has no terms)."""

    terms: tuple[tuple[int, int], ...]
    offset: int
    lo: int
    hi: int

    @classmethod
    def of(cls, row: cp_model.BoundedLinearExpression | bool) -> Bound:
        if isinstance(row, bool):
            return cls((), 0, 0, 0 if row else -1)
        bounds = row.bounds.flattened_intervals()
        return cls(tuple(zip((v.index for v in row.vars), row.coeffs, strict=True)), row.offset, bounds[0], bounds[-1])

    @property
    def sense(self) -> str | None:
        """"≥" or "≤" for a one-sided row, else None."""
        if self.hi >= INT_MAX and self.lo > INT_MIN:
            return "≥"
        if self.lo <= INT_MIN and self.hi < INT_MAX:
            return "≤"
        return None


@dataclass
class ModelContext:
    """Facts, variables and penalty terms of one model; `x[(doctor, shift_key)]` exists only for
    eligible pairs, `short[shift_key]` is the open-slot slack (absent in strict mode).

    In `explain` mode (solver.explain) the model is strict and every hard constraint belongs to a
    named group with its own enforcement literal in `groups`, so CP-SAT can name the groups that
    clash; pairs kept out only by a dated reason (course, absence, exemption) then get a variable
    too, held at 0 by that reason's group.
    """

    scenario: Scenario
    index: ShiftIndex
    eligibility: Eligibility
    strict: bool = False
    explain: bool = False
    model: cp_model.CpModel = field(default_factory=Model)
    x: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)  # Booleans on [0, 1] but those `held`
    held: list[cp_model.IntVar] = field(default_factory=list)  # assignments held at a published value (hold_far) until release
    by_doctor: dict[str, list[tuple[ShiftInstance, cp_model.IntVar]]] = field(default_factory=dict)
    by_shift: dict[str, list[tuple[str, cp_model.IntVar]]] = field(default_factory=dict)
    short: dict[str, cp_model.IntVar] = field(default_factory=dict)  # demand shortfall per shift
    uncovered: dict[int, cp_model.IntVar] = field(default_factory=dict)  # bakvakt gap per segment
    penalties: list[Penalty] = field(default_factory=list)  # the soft terms (solver.objective.set_objective)
    pools: dict[str, Any] = field(default_factory=dict)  # fairness pool → its variables (solver.fairness.PoolModel)
    extra: dict[str, cp_model.IntVar] = field(default_factory=dict)  # doctors beyond demand_min per shift (surplus)
    missing: dict[str, cp_model.IntVar] = field(default_factory=dict)  # shifts short of the pool's least (participation)
    objective: cp_model.LinearExprT = 0  # Σ weight · penalty, in units × OBJ_SCALE
    levels: list[cp_model.LinearExprT] = field(default_factory=list)  # the same per level (solver.objective.LEVELS)
    level_names: list[list[str]] = field(default_factory=list)  # the terms of each level
    warnings: list[str] = field(default_factory=list)
    infeasible: bool = False
    groups: dict[Group, cp_model.IntVar] = field(default_factory=dict)
    bounds: dict[Group, list[Bound]] = field(default_factory=dict)  # explain mode: linear rows per group
    rows: dict[Group, list[int]] = field(default_factory=dict)  # explain mode: constraint indices per group
    # wall seconds the slowest read of a roster through this model took (a pass with every assignment
    # fixed, solver.solve): most of it CP-SAT's load and presolve, which it does not interrupt for its
    # time limit, so no read starts with less time than this left (30 s at 2 950 doctors × 3 months)
    read_seconds: float = 0.0
    # a re-plan's least level-0 value (add_baseline): every place the published roster can no longer
    # fill costs an open place or a taker's change, which CP-SAT seldom proves over a month in seconds
    change_floor: int = 0
    unread_terms: list[str] = field(default_factory=list)  # terms whose variables no read set for the roster (solve)
    _day_counts: dict[str, dict[dt.date, cp_model.LinearExprT]] = field(default_factory=dict, repr=False)

    # ----------------------------------------------------------------- lookups

    @cached_property
    def doctors(self) -> dict[str, Doctor]:
        return {d.id: d for d in self.scenario.doctors}

    @cached_property
    def fairness_plan(self) -> FairnessPlan:
        """Pools, capacities and repayments (``roster.targets``), from the pairs the model has
        variables for: one set of eligibility predicates for both."""
        return fairness_plan(self.scenario, self.index, {d: [s for s, _ in items] for d, items in self.by_doctor.items()})

    @cached_property
    def assignment_indices(self) -> frozenset[int]:
        return frozenset(v.index for v in self.x.values())

    @cached_property
    def qualified(self) -> dict[str, bool]:
        return {d.id: self.eligibility.qualified(d.id) for d in self.scenario.doctors}

    @cached_property
    def specialists(self) -> frozenset[str]:
        """The doctors the pilot's bakvakt may be (``roster.eligibility.specialist``)."""
        return frozenset(d.id for d in self.scenario.doctors if specialist(d))

    @property
    def shifts(self) -> list[ShiftInstance]:
        return self.index.shifts

    @cached_property
    def hour_units(self) -> HourUnits:
        """The integer hours of the hour limits, over the period's shifts and those carried in
        (the same as ``roster.workload.Workload``'s)."""
        return HourUnits(self.scenario.rules, [*self.shifts, *(c for cs in self.index.carried.values() for c in cs)])

    @cached_property
    def cover(self) -> Cover:
        """The bakvakt timeline, built once the variables exist."""
        return Cover(self.model, self.shifts, self.by_shift, self.specialists)

    def day_counts(self, doctor_id: str) -> dict[dt.date, cp_model.LinearExprT]:
        """Shifts a doctor starts on each date: the variable itself, or one integer variable per
        busy date, so rolling windows sum 7 terms instead of every shift in them."""
        cached = self._day_counts.get(doctor_id)
        if cached is not None:
            return cached
        per_date: dict[dt.date, list[cp_model.IntVar]] = {}
        for s, v in self.by_doctor[doctor_id]:
            per_date.setdefault(s.date, []).append(v)
        out: dict[dt.date, cp_model.LinearExprT] = {}
        new_count = count_var_maker(self.model)
        for day, vs in per_date.items():
            if len(vs) == 1:
                out[day] = vs[0]
            else:
                n = new_count(len(vs), f"shifts[{doctor_id},{day}]")
                write_linear(self.model, sorted([v.index for v in vs]) + [n.index], [-1] * len(vs) + [1], 0, 0)
                out[day] = n
        self._day_counts[doctor_id] = out
        return out

    def weight(self, term: str) -> int:
        return getattr(self.scenario.rules.weights, term)

    def mark_infeasible(self, message: str, group: Group) -> None:
        """A hard input contradiction: recorded for the manager and made an infeasible model (in
        explain mode: a group that cannot hold)."""
        self.warnings.append(message)
        if self.explain:
            self.guard(self.model.add_bool_or([]), group)
        elif not self.infeasible:
            self.infeasible = True
            self.model.add_bool_or([])

    # ----------------------------------------------------------------- named groups (explain mode)

    def literal(self, group: Group) -> cp_model.IntVar:
        lit = self.groups.get(group)
        if lit is None:
            lit = self.groups[group] = self.model.new_bool_var(f"krav[{group[0]},{group[1]}]")
        return lit

    def guard(self, constraint: cp_model.Constraint, group: Group) -> cp_model.Constraint:
        """Put a hard constraint in a named group (explain mode only; otherwise it is plain)."""
        if self.explain:
            constraint.only_enforce_if(self.literal(group))
            self.rows.setdefault(group, []).append(constraint.index)
        return constraint

    def add(self, expr: cp_model.BoundedLinearExpression | bool, group: Group) -> cp_model.Constraint:
        """A linear hard constraint in a group; in explain mode its row is kept, so a group of one
        row ("at least 2 doctors") can be relaxed by exactly as much as a clash needs."""
        if not self.explain:
            return self.model.add(expr)
        self.bounds.setdefault(group, []).append(Bound.of(expr))
        return self.guard(self.model.add(expr), group)

    def add_row(self, variables: Sequence[cp_model.IntVar], coeffs: Sequence[int], lo: int, hi: int,
                group: Group) -> None:
        """lo ≤ Σ coeffs·variables ≤ hi (INT_MIN / INT_MAX for an open side), written straight into
        the proto outside explain mode: OR-Tools' expression layer costs 0.5–0.7 µs a term (a row of
        7 000 terms 4.3–4.8 ms against 1.1 ms), and rows that long are what a year's model is made of."""
        if self.explain:
            self.add(cp_model.BoundedLinearExpression(cp_model.LinearExpr.weighted_sum(variables, coeffs),
                                                      cp_model.Domain(lo, hi)), group)
            return
        write_linear(self.model, [v.index for v in variables], coeffs, lo, hi)

    def add_at_most_one(self, literals: list[cp_model.IntVar], group: Group) -> None:
        """At-most-one is CP-SAT's fastest form but takes no enforcement literal: linear when
        explaining."""
        if self.explain:
            self.guard(self.model.add(cp_model.LinearExpr.sum(literals) <= 1), group)
        else:
            self.model.add_at_most_one(literals)

    # ----------------------------------------------------------------- variables

    def create_variables(self) -> None:
        """One boolean per eligible (doctor, shift) pair.

        Static filters per template (station, label, bakvakt ability, skill) run first. The dated
        ones (courses, absences, exemptions) are found per doctor by bisecting the shifts with each
        interval the doctor is away, exactly the pairs ``Eligibility.blocks`` would refuse (tested);
        only explain mode asks it for the reasons, one group each.
        """
        elig = self.eligibility
        shifts = self.shifts
        starts = [s.start_utc for s in shifts]  # sorted: shifts are in start order
        longest = max((s.end_utc - s.start_utc for s in shifts), default=dt.timedelta(0))
        first, last = self.scenario.period.start, self.scenario.period.end
        one_day = dt.timedelta(days=1)

        def meeting(a: dt.datetime, b: dt.datetime) -> list[ShiftInstance]:
            """The shifts that overlap [a, b)."""
            lo = bisect.bisect_right(starts, a - longest)
            return [s for s in shifts[lo : bisect.bisect_left(starts, b, lo)] if a < s.end_utc]

        blocked: dict[str, set[str]] = {}  # doctor → keys of the shifts a dated reason blocks
        for d in self.scenario.doctors:
            keys: set[str] = set()
            cut = min(d.courses.values(), default=None)  # the first expiry blocks every shift after it
            if elig.missing[d.id]:  # no record of a required course: every shift
                keys.update(s.key for s in shifts)
            elif cut is not None and cut <= last:
                keys.update(s.key for s in shifts if lapsed(cut, s))
            for a, b in elig.absent(d):
                keys.update(s.key for s in meeting(utc(a), utc(b)))
            for a, b in elig.exempt_windows(d, first, last + one_day):
                keys.update(s.key for s in meeting(utc(a), utc(b)) if (d.id, s.key) not in elig.volunteered)
            if keys:
                blocked[d.id] = keys

        by_template = {tpl.id: [d for d in self.scenario.doctors if elig.static_reason(d, tpl) is None]
                       for tpl in self.scenario.templates}
        new_bool = bool_var_maker(self.model)
        x, by_doctor, no_keys = self.x, self.by_doctor, frozenset()
        for s in shifts:
            key = s.key
            on_shift = self.by_shift[key] = []
            for d in by_template[s.template]:
                doctor_id = d.id
                blocked_here = key in blocked.get(doctor_id, no_keys)
                if blocked_here and not self.explain:
                    continue
                v = new_bool(f"x[{doctor_id},{key}]")
                if blocked_here:
                    for block in elig.blocks(d, s):
                        self.add(v == 0, (block.code, block.subject))
                x[(doctor_id, key)] = v
                items = by_doctor.get(doctor_id)
                if items is None:
                    items = by_doctor[doctor_id] = []
                items.append((s, v))
                on_shift.append((doctor_id, v))
        for d in self.scenario.doctors:
            by_doctor.setdefault(d.id, [])

    def statically_allowed(self, doctor: Doctor, template: ShiftTemplate | str) -> bool:
        """Station, label, bakvakt ability and skill (``Eligibility.static_reason``); takes the
        template or its id."""
        t = self.scenario.template(template) if isinstance(template, str) else template
        return self.eligibility.static_reason(doctor, t) is None

    # ----------------------------------------------------------------- warm start

    def hint_pairs(self, chosen: Collection[tuple[str, str]]) -> list[cp_model.IntVar] | None:
        """Every assignment hinted: 1 for the (doctor, shift key) pairs chosen, 0 for the rest;
        replaces any earlier hint, and is set in bulk (a call per pair is seconds at 1000 doctors).
        Returns the hinted variables in the hint's order while none is held, i.e. while all are
        Booleans on [0, 1] (``held_at_hint``'s ``booleans``), else None."""
        hinted = list(self.x.values())
        self.model.clear_hints()
        self.model.proto.solution_hint.vars.extend([v.index for v in hinted])
        self.model.proto.solution_hint.values.extend([int(pair in chosen) for pair in self.x])
        return None if self.held else hinted

    def lost_shifts(self, baseline: Baseline) -> set[str]:
        """The shifts of a published doctor who may no longer work them (no variable): what a
        re-plan is about."""
        return {k for d, k in baseline.assignments if (d, k) not in self.x}

    def hold_far(self, baseline: Baseline) -> None:
        """Hold every assignment on a date outside ``baseline.free`` at its published value, in
        place (variable domains, kept in ``held`` until ``release``). A shift that lost a
        published doctor is never held: it is what the re-plan is about."""
        assert baseline.free is not None
        published = baseline.assignments
        lost = self.lost_shifts(baseline)
        for s in self.shifts:
            if s.date in baseline.free or s.key in lost:
                continue
            for d, v in self.by_shift[s.key]:
                v.with_domain(_SINGLE[(d, s.key) in published])
                self.held.append(v)

    def release(self) -> None:
        for v in self.held:
            v.with_domain(_BOOLEAN)
        self.held.clear()

    def add_baseline(self, baseline: Baseline) -> list[Penalty]:
        """Freeze started shifts and price every change to the published roster (the penalty of
        the changes is returned, as a soft rule's).

        A published pair that has no variable (the doctor is now absent, has left or is no longer
        eligible) is dropped by force and costs nothing; a held shift that lost a doctor that way
        may take a replacement, any other held shift stays exactly as published.
        """
        priced: list[cp_model.IntVar] = []
        costs: list[int] = []
        dropped = 0  # Σ cost of the published pairs priced: each costs its price once dropped
        frozen: tuple[list[int], list[int]] = ([], [])  # started shifts' pairs held at 0 and at 1
        now = utc(baseline.now)
        doctor_factor = {d.id: baseline.doctor_factor(d.id) for d in self.scenario.doctors}
        by_shift: dict[str, set[str]] = {}
        for d, key in baseline.assignments:
            by_shift.setdefault(key, set()).add(d)
        lost = self.lost_shifts(baseline)
        cheapest: dict[str, int] = {}  # shift key → the least a doctor added to it costs
        for s in self.shifts:
            published = by_shift.get(s.key, set())
            held = utc(s.start) < now
            shift_cost = baseline.shift_factor(s) * OBJ_SCALE
            for d, v in self.by_shift[s.key]:
                if held and (d in published or s.key not in lost):
                    frozen[int(d in published)].append(v.index)
                    continue
                cost = shift_cost * doctor_factor[d]
                priced.append(v)
                if d in published:  # cost · (1 − v)
                    dropped += cost
                    costs.append(-cost)
                else:
                    costs.append(cost)
                    cheapest[s.key] = min(cost, cheapest.get(s.key, cost))
        # Booleans: Σ = 0 holds each at 0, Σ = their count each at 1; two rows, not a row a pair
        # (8 000 rows took 0.13 s of a re-plan's build on the Bergen month)
        for value, indices in enumerate(frozen):
            if indices:
                write_linear(self.model, indices, [1] * len(indices), value * len(indices), value * len(indices))
        self.change_floor = self._refill_floor(by_shift, cheapest)
        if not priced:
            return []
        return [Penalty("change", cp_model.LinearExpr.weighted_sum(priced, costs) + dropped)]

    def _refill_floor(self, by_shift: dict[str, set[str]], cheapest: dict[str, int]) -> int:
        """The least the open places and changes can cost: a shift whose published doctors who may
        still work it fall short of its demand (or of its doctors who may work alone) needs, per
        place short, an open place or a doctor added, who costs at least the cheapest priced
        addition (``cheapest``: none on a started shift that lost no one). Moves elsewhere only add
        to it, so it bounds level 0 from below."""
        open_place = self.weight("open_slot") * OBJ_SCALE
        change = self.weight("change")
        floor = 0
        for s in self.shifts:
            published = by_shift.get(s.key, set())
            kept = [d for d, _ in self.by_shift[s.key] if d in published]
            short = s.demand_min - len(kept)
            if s.on_site and s.min_qualified > 0:
                short = max(short, s.min_qualified - sum(self.qualified[d] for d in kept))
            if short <= 0:
                continue
            units = [open_place] if not self.strict else []
            if s.key in cheapest:
                units.append(change * cheapest[s.key])
            if units:
                floor += short * min(units)
        return floor


def roster_pairs(roster: Roster) -> set[tuple[str, str]]:
    """The (doctor, shift key) pairs a roster assigns: the model's ``x`` keys."""
    return {(a.doctor, a.shift) for a in roster.assignments}


def bool_var_maker(model: cp_model.CpModel) -> Callable[[str], cp_model.IntVar]:
    """``model.new_bool_var`` without a new domain object per call: the same variable, a third
    faster where a model makes one per eligible pair."""
    proto = model.proto

    def new_bool(name: str) -> cp_model.IntVar:
        return cp_model.IntVar(proto).with_name(name).with_domain(_BOOLEAN)

    return new_bool


def count_var_maker(model: cp_model.CpModel) -> Callable[[int, str], cp_model.IntVar]:
    """``model.new_int_var(0, top, name)`` with one domain object per ``top``: counts and
    penalties per doctor and window take few distinct tops among tens of thousands of variables."""
    proto = model.proto
    domains: dict[int, sorted_interval_list.Domain] = {}

    def new_count(top: int, name: str) -> cp_model.IntVar:
        domain = domains.get(top)
        if domain is None:
            domain = domains[top] = sorted_interval_list.Domain(0, top)
        return cp_model.IntVar(proto).with_name(name).with_domain(domain)

    return new_count


def write_linear(model: cp_model.CpModel, indices: Sequence[int], coeffs: Sequence[int], lo: int, hi: int,
                 enforced_by: int | None = None) -> None:
    """lo ≤ Σ coeffs·x[indices] ≤ hi, only where ``enforced_by`` (a literal's index) holds if given,
    appended to the proto as it stands: no expression objects, no sorting. Indices in ascending
    order give the very row OR-Tools' API writes (it sorts them), so a model built either way
    hashes the same."""
    c = model.proto.constraints.add()
    if enforced_by is not None:
        c.enforcement_literal.append(enforced_by)
    row = c.linear
    row.vars.extend(indices)
    row.coeffs.extend(coeffs)
    row.domain.extend([lo, hi])


def set_domain(domain: Any, lo: int, hi: int) -> None:
    """Replace a proto domain (a variable's or a linear row's) by the one interval [lo, hi]:
    how a value is held, released or a bound moved in place, without rebuilding the model."""
    domain.clear()
    domain.extend([lo, hi])


def hint_all(model: cp_model.CpModel, values: Sequence[int]) -> None:
    """A complete hint (every variable), so CP-SAT takes it as its first solution unchanged."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


_SINGLE = (sorted_interval_list.Domain(0, 0), sorted_interval_list.Domain(1, 1))  # a Boolean held at 0 or 1
_BOOLEAN = sorted_interval_list.Domain(0, 1)


@contextmanager
def held_at_hint(model: cp_model.CpModel, booleans: Sequence[cp_model.IntVar] | None = None) -> Iterator[bool]:
    """Every hinted variable's domain narrowed to its hinted value and the hint itself set aside,
    in place, both given back after; yields False (nothing narrowed) when a hinted value lies
    outside its variable's domain, i.e. the model refuses the hint. CP-SAT's
    ``fix_variables_to_their_hinted_value`` does the same in its presolve, but at 2 950 doctors ×
    3 months CP-SAT's part of the read of a roster took 24.9 s and 4.7 GB that way against 9–10 s
    and 3.1–3.3 GB with the domains narrowed here and no hint (benchmarks/README.md, section 7).

    ``booleans``: the hinted variables in the hint's order, when the caller knows each is a
    Boolean on [0, 1] hinted 0 or 1 (``ModelContext.hint_pairs``): their domains are then not
    read, a third of the time to narrow and give back (0.42 against 0.99 s for 301 320
    assignments at 885 doctors × 3 months)."""
    proto, hint = model.proto, model.proto.solution_hint
    hinted, values = list(hint.vars), list(hint.values)
    if booleans is not None and len(booleans) != len(hinted):
        raise ValueError(f"{len(booleans)} Booleans for a hint of {len(hinted)} variables")

    def each() -> Iterable[cp_model.IntVar]:  # made as needed, never all held: a hint may cover every variable
        return booleans if booleans is not None else (cp_model.IntVar(proto, i) for i in hinted)

    before: list[sorted_interval_list.Domain] = []
    try:
        for var, value in zip(each(), values):
            domain = _BOOLEAN if booleans is not None else var.domain
            if not domain.contains(value):
                yield False
                return
            before.append(domain)
            var.with_domain(_SINGLE[value] if 0 <= value <= 1 else sorted_interval_list.Domain(value, value))
        model.clear_hints()
        yield True
    finally:
        for var, domain in zip(each(), before):
            var.with_domain(domain)
        if not hint.vars:
            hint.vars.extend(hinted)
            hint.values.extend(values)


def utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(UTC)


def oslo(t: dt.datetime) -> dt.datetime:
    return t.astimezone(OSLO)
