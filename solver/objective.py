"""The objective, assembled in one place from the penalties the soft rules return.

Importance (issues 2 and 13): open slots, bakvakt gaps and (when re-planning) changes to the
published roster ≫ doctors left without a shift, each pool's largest deviation and over-staffing ≫
the rest (the sum of deviations, category balance, holidays repeated from last year, spacing,
wishes, preferred station). The solve
is lexicographic over ``LEVELS``: each level is minimised with the levels before it held at their
best, so the first levels' bounds mean something (a weighted sum of everything has the weak LP
bound of its many small terms). Within a level, the weights of ``scenario.rules.weights``
(``ObjectiveWeights``) price the terms against each other; names come from
``roster.terms.TERM_NAMES``; a term enters only when its weight is above zero.
"""

from __future__ import annotations

from ortools.sat.python import cp_model, cp_model_helper

from roster.terms import TERM_NAMES
from solver.context import OBJ_SCALE, ModelContext, Penalty

LEVELS: tuple[tuple[str, ...], ...] = (
    ("open_slot", "uncovered_bakvakt_hour", "change"),
    ("participation", "max_deviation", "surplus"),
    ("sum_deviation", "category_balance", "holiday_repeat", "spacing", "wish", "preferred_station"),
)
assert sorted(t for level in LEVELS for t in level) == sorted(TERM_NAMES), "every term has one level"


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
    """Σ weight · penalty over every soft term (``ctx.objective``, what is reported) and per level
    (``ctx.levels``, what the solve minimises in turn); the model minimises the whole sum until
    the solve takes the levels one by one."""
    ctx.penalties = penalties
    terms = weighted_terms(ctx)
    ctx.objective = cp_model.LinearExpr.sum(list(terms.values()))
    ctx.level_names = [[t for t in level if t in terms] for level in LEVELS if any(t in terms for t in level)]
    ctx.levels = [cp_model.LinearExpr.sum([terms[t] for t in names]) for names in ctx.level_names]
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
