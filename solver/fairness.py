"""Fair shares of the burden within each pool (on-site and on-call), history included.

Targets come from ``roster.targets`` so the solver, the metrics and the reports agree on what
"over target" means. Burden points are scaled ×100 to integers.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.models import BurdenCategory, DutyKind
from roster.targets import POOLS, burden_targets, main_pool
from solver.context import OBJ_SCALE, POINTS_SCALE, ModelContext, Penalty

# The largest relative excess is measured in percent, not per mille: at the default weight (200 per
# unit) one open slot (100 000) then equals a 500 % excess, so filling a place always beats keeping
# a doctor at their share. In per mille a single extra shift for a doctor with a 2–3 shift target
# (+35 %) would cost 70 000 and nearly outweigh an open slot, against the order.
PERCENT = 100
assert POINTS_SCALE == OBJ_SCALE, "sum_deviation is priced per point"
BALANCED_CATEGORIES = (BurdenCategory.NIGHT, BurdenCategory.WEEKEND, BurdenCategory.HOLIDAY)
_HISTORY_FIELD = {
    BurdenCategory.NIGHT: "nights",
    BurdenCategory.WEEKEND: "weekends",
    BurdenCategory.HOLIDAY: "holidays",
}


def _total(ctx: ModelContext, name: str, coefs: list[int], vs: list[cp_model.IntVar]) -> cp_model.IntVar:
    """An integer variable equal to Σ coef·var, so the several constraints on a doctor's burden
    each have a handful of terms instead of every shift."""
    total = ctx.model.new_int_var(0, sum(coefs), name)
    ctx.model.add(total == cp_model.LinearExpr.weighted_sum(vs, coefs))
    return total


def _abs_dev(ctx: ModelContext, name: str, expr: cp_model.LinearExprT, target: int, ub: int) -> cp_model.IntVar:
    dev = ctx.model.new_int_var(0, ub, name)
    ctx.model.add(dev >= expr - target)
    ctx.model.add(dev >= target - expr)
    return dev


def fair_shares(ctx: ModelContext) -> list[Penalty]:
    """Soft: even spread of burden points across each pool (fastlegeforskriften §13: the starting
    point is an even spread, adjusted by vaktandel; domain.md "GPs' duty").

    Two terms per pool: the largest relative excess over the total target, history included, in
    percent (`max_relative_deviation`; linear because targets are constants; never below 0, so
    leaving shifts open is never rewarded), and the sum of
    absolute deviations from the period target in points (`sum_deviation`). Doctors with share 0
    have target 0, so any burden they get is deviation.
    """
    want_max = ctx.weight("max_relative_deviation") > 0
    want_sum = ctx.weight("sum_deviation") > 0
    if not (want_max or want_sum):
        return []
    m = ctx.model
    targets = burden_targets(ctx.scenario, ctx.index)
    out: list[Penalty] = []
    for pool in POOLS:
        members = [(d, t) for (d, p), t in targets.items() if p == pool]
        if not members:
            continue
        devs = []
        excess_terms: list[tuple[int, int, cp_model.IntVar]] = []  # (total, history, burden), scaled
        worst = 0
        for doctor_id, t in members:
            pts = [(round(s.points * POINTS_SCALE), v) for s, v in ctx.by_doctor[doctor_id] if s.duty == pool]
            top = sum(c for c, _ in pts)
            burden = _total(ctx, f"burden[{doctor_id},{pool.value}]", [c for c, _ in pts], [v for _, v in pts])
            total = round(t.total * POINTS_SCALE)
            if want_max and total > 0:
                hist = round(t.history_points * POINTS_SCALE)
                excess_terms.append((total, hist, burden))
                worst = max(worst, -(-PERCENT * (hist + top - total) // total))
            if want_sum:
                period = round(t.period * POINTS_SCALE)
                devs.append(_abs_dev(ctx, f"dev[{doctor_id},{pool.value}]", burden, period, top + abs(period)))
        excess = None
        if excess_terms:
            excess = m.new_int_var(0, max(0, worst), f"max_excess[{pool.value}]")
            for total, hist, burden in excess_terms:
                # excess ≥ 100 · (history + burden − total) / total, multiplied out by total
                m.add(total * excess >= PERCENT * (hist + burden - total))
        if excess is not None:
            out.append(Penalty("max_relative_deviation", OBJ_SCALE * excess))
        if devs:
            # deviations are in points × POINTS_SCALE, which is already the objective's unit × OBJ_SCALE
            out.append(Penalty("sum_deviation", sum(devs)))
    return out


def category_balance(ctx: ModelContext) -> list[Penalty]:
    """Soft (`category_balance`): nights, weekends and holidays balanced on their own, as counts
    against share-proportional targets with history counts included (domain.md "Holidays and
    burden": heavy days are what doctors compare)."""
    if ctx.weight("category_balance") <= 0:
        return []
    targets = burden_targets(ctx.scenario, ctx.index)
    history = {h.doctor: h for h in ctx.scenario.history}
    devs = []
    for pool in POOLS:
        members = [ctx.doctors[d] for (d, p) in targets if p == pool]
        shares = sum(d.share for d in members)
        for cat in BALANCED_CATEGORIES:
            demand = sum(s.demand_min for s in ctx.shifts if s.duty == pool and cat in s.categories)
            if demand == 0:
                continue

            def hist(doctor_id: str, pool: DutyKind = pool, cat: BurdenCategory = cat) -> int:
                h = history.get(doctor_id)
                if h is None or main_pool(ctx.doctors[doctor_id]) != pool:
                    return 0
                return getattr(h, _HISTORY_FIELD[cat])

            pool_total = demand + sum(hist(d.id) for d in members)
            for d in members:
                target = (d.share / shares * pool_total if shares > 0 else 0.0) - hist(d.id)
                vs = [v for s, v in ctx.by_doctor[d.id] if s.duty == pool and cat in s.categories]
                name = f"{d.id},{pool.value},{cat.value}"
                count = _total(ctx, f"count[{name}]", [1] * len(vs), vs)
                scaled = round(target * OBJ_SCALE)
                ub = OBJ_SCALE * len(vs) + abs(scaled)
                devs.append(_abs_dev(ctx, f"catdev[{name}]", OBJ_SCALE * count, scaled, ub))
    return [Penalty("category_balance", sum(devs))] if devs else []
