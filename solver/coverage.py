"""Staffing of every shift: demand, competence mix, no unqualified doctor alone, over-staffing."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.calendar import ShiftInstance
from roster.models import Overstaffing
from solver.context import OBJ_SCALE, ModelContext, Penalty


def add_demand(ctx: ModelContext) -> None:
    """Hard (`bemanning`): between demand_min and demand_max doctors on every shift.

    A shortfall is an integer slack (an open slot, priced by the dominant `open_slot` weight) so a
    roster always exists and the manager sees exactly which places could not be filled; `strict`
    forbids it. The slack equals the real shortfall max(0, demand_min − assigned), so an open
    slot standing in for a qualified doctor (`kompetanse`) is never a phantom.
    """
    m = ctx.model
    for s in ctx.shifts:
        assigned = cp_model.LinearExpr.sum([v for _, v in ctx.by_shift[s.key]])
        ctx.add(assigned <= most_doctors(ctx, s), ("bemanning-maks", s.key))
        if ctx.strict or s.demand_min == 0:
            ctx.add(assigned >= s.demand_min, ("bemanning", s.key))
            continue
        short = m.new_int_var(0, s.demand_min, f"short[{s.key}]")
        ctx.short[s.key] = short
        m.add_max_equality(short, [0, s.demand_min - assigned])


def open_slots(ctx: ModelContext) -> list[Penalty]:
    """Soft (`open_slot`): each place `add_demand` leaves open costs the dominant weight."""
    return [Penalty("open_slot", OBJ_SCALE * sum(ctx.short.values()))] if ctx.short else []


def add_min_qualified(ctx: ModelContext) -> None:
    """Hard (`kompetanse`): at least min_qualified of an on-site shift's doctors may work alone
    (akuttmedisinforskriften §7, domain.md "Competence"); an open slot stands in for one."""
    for s in ctx.shifts:
        if not s.on_site or s.min_qualified == 0:
            continue
        qualified = sum(v for d, v in ctx.by_shift[s.key] if ctx.qualified[d])
        short = ctx.short.get(s.key, 0)
        ctx.add(qualified + short >= s.min_qualified, ("kompetanse", s.key))


def add_not_alone(ctx: ModelContext) -> None:
    """Hard (`alene`): a doctor who may not work alone is on site only with a qualified colleague
    on the same shift, so never alone at a district station (domain.md, assumption under §7);
    not where the rules let the bakvakt §7 asks for be enough (``alone_with_bakvakt``)."""
    if ctx.scenario.rules.alone_with_bakvakt:
        return
    m = ctx.model
    for s in ctx.shifts:
        if not s.on_site:
            continue
        pairs = ctx.by_shift[s.key]
        alone = [v for d, v in pairs if not ctx.qualified[d]]
        if not alone:
            continue
        group = ("alene", s.key)
        qualified = [v for d, v in pairs if ctx.qualified[d]]
        if not qualified:
            for v in alone:
                ctx.add(v == 0, group)
            continue
        # one flag per shift keeps this linear in the pairs: flag ⇒ a qualified doctor is there
        present = m.new_bool_var(f"qualified_present[{s.key}]")
        m.add(cp_model.LinearExpr.sum(qualified) >= present)
        for v in alone:
            ctx.guard(m.add_implication(v, present), group)


def most_doctors(ctx: ModelContext, s: ShiftInstance) -> int:
    """The most doctors a shift may have: its maximum where ``Fairness.overstaffing`` allows more
    than the minimum (`alle`; `alene`: only where the minimum is at most one doctor, so an extra
    doctor relieves a lone one), else its minimum."""
    policy = ctx.scenario.rules.fairness.overstaffing
    if policy == Overstaffing.ANY or (policy == Overstaffing.LONE and s.demand_min <= 1):
        return s.demand_max
    return min(s.demand_min, s.demand_max)


def surplus(ctx: ModelContext) -> list[Penalty]:
    """Soft (`surplus`): each doctor beyond a shift's demand_min costs, where the over-staffing
    policy allows one at all (``most_doctors``): an extra doctor is not free, so the solver adds
    one only where it buys more fairness than it costs (issue 13)."""
    if ctx.weight("surplus") <= 0:
        return []
    m = ctx.model
    terms = []
    for s in ctx.shifts:
        pairs = ctx.by_shift[s.key]
        room = min(len(pairs), most_doctors(ctx, s)) - s.demand_min
        if room <= 0:
            continue
        extra = ctx.extra[s.key] = m.new_int_var(0, room, f"surplus[{s.key}]")
        m.add(extra >= cp_model.LinearExpr.sum([v for _, v in pairs]) - s.demand_min)
        terms.append(extra)
    return [Penalty("surplus", OBJ_SCALE * cp_model.LinearExpr.sum(terms))] if terms else []
