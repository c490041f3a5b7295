"""The objective, assembled in one place from the penalties the soft rules return.

Importance (issue 2): open slots and bakvakt gaps ≫ (when re-planning: changes to the published
roster) ≫ fairness > spacing > wishes > preferred station. Weights come from
``scenario.rules.weights`` (``ObjectiveWeights``), names from ``roster.terms.TERM_NAMES``; a term
enters the objective only when its weight is above zero, and ``minimize`` is called once.
"""

from __future__ import annotations

from ortools.sat.python import cp_model, cp_model_helper

from roster.terms import TERM_NAMES
from solver.context import OBJ_SCALE, ModelContext, Penalty


def weighted_terms(ctx: ModelContext) -> dict[str, cp_model.LinearExprT]:
    """Weighted expression per term (in objective units × OBJ_SCALE), in the penalties' order."""
    out: dict[str, cp_model.LinearExprT] = {}
    for p in ctx.penalties:
        w = ctx.weight(p.weight)
        if w <= 0:
            continue
        out[p.weight] = out.get(p.weight, 0) + w * p.expr
    return out


def set_objective(ctx: ModelContext, penalties: list[Penalty]) -> None:
    """Σ weight · penalty over every soft term, minimised."""
    ctx.penalties = penalties
    terms = weighted_terms(ctx)
    ctx.objective = cp_model.LinearExpr.sum(list(terms.values()))
    if terms:
        minimise(ctx.model, ctx.objective)


def minimise(model: cp_model.CpModel, objective: cp_model.LinearExprT) -> None:
    """``model.minimize`` for an integer expression, its variables written in one call: OR-Tools
    (9.15) appends them one at a time, a third of a second at 100 000 pairs. Same proto."""
    flat = cp_model_helper.FlatIntExpr(objective)
    model.clear_objective()
    proto = model.proto.objective
    proto.vars.extend([v.index for v in flat.vars])
    proto.coeffs.extend(flat.coeffs)
    proto.offset = flat.offset
    proto.scaling_factor = 1.0


def term_values(ctx: ModelContext, solver: cp_model.CpSolver) -> dict[str, float]:
    """Weighted value of each term in the solution, keyed by its Norwegian name."""
    return {TERM_NAMES[k]: solver.value(e) / OBJ_SCALE for k, e in weighted_terms(ctx).items()}
