"""Every objective term and its weight in one place.

Importance (issue 2): open slots and bakvakt gaps ≫ (when re-planning: changes to the published
roster) ≫ fairness > spacing > wishes > preferred
station. Weights come from ``scenario.rules.weights`` (``ObjectiveWeights``); a term enters the
objective only when its weight is above zero, and ``minimize`` is called once.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.terms import OPEN_PLACES
from solver.context import OBJ_SCALE, ModelContext

# ObjectiveWeights field → Norwegian name reported in SolveStats.terms
TERMS: dict[str, str] = {
    "open_slot": OPEN_PLACES,
    "uncovered_bakvakt_hour": "timer uten bakvakt",
    "change": "endringer fra publisert plan",
    "max_relative_deviation": "største overskridelse av andel (prosent)",
    "sum_deviation": "sum avvik fra andel (poeng)",
    "category_balance": "skjevhet netter/helger/helligdager",
    "spacing": "vakter tett i tett",
    "wish": "ønsker ikke innfridd",
    "preferred_station": "vakter utenfor foretrukket stasjon",
    "surplus": "leger utover behovet",
}


def weighted_terms(ctx: ModelContext) -> dict[str, cp_model.LinearExprT]:
    """Weighted expression per term (in objective units × OBJ_SCALE)."""
    out: dict[str, cp_model.LinearExprT] = {}
    for p in ctx.penalties:
        w = ctx.weight(p.weight)
        if w <= 0:
            continue
        out[p.weight] = out.get(p.weight, 0) + w * p.expr
    return out


def set_objective(ctx: ModelContext) -> None:
    terms = weighted_terms(ctx)
    ctx.objective = cp_model.LinearExpr.sum(list(terms.values()))
    if terms:
        ctx.model.minimize(ctx.objective)


def term_values(ctx: ModelContext, solver: cp_model.CpSolver) -> dict[str, float]:
    """Weighted value of each term in the solution, keyed by its Norwegian name."""
    return {TERMS[k]: solver.value(e) / OBJ_SCALE for k, e in weighted_terms(ctx).items()}
