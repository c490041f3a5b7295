"""Turn a solved model into a ``roster.models.Roster``: assignments, open slots with the reason
they could not be filled, uncovered bakvakt intervals, and the solve figures."""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

import roster
from roster.calendar import ShiftInstance
from roster.models import Assignment, OpenSlot, Roster, SolveStats, SolveStatus
from solver.context import OBJ_SCALE, ModelContext, oslo
from solver.objective import term_values

STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}

# Eligibility reasons grouped into the few causes a manager acts on.
_CAUSES = (("fravær", "har fravær"), ("fritatt", "er fritatt 16–08"), ("kurs", "mangler gyldig kurs"))


def gap(objective: float, bound: float) -> float:
    return (objective - bound) / max(1.0, abs(objective))


def open_slot_reason(ctx: ModelContext, shift: ShiftInstance, taken: set[str]) -> str:
    """Why nobody more could take the shift, e.g. "2 av 14 mulige leger har fravær, 3 er fritatt
    16–08, 9 har andre vakter eller trenger hvile"."""
    candidates = [d for d in ctx.scenario.doctors if ctx.statically_allowed(d, shift.template)]
    if not candidates:
        return "ingen leger kan ta denne vakttypen (stasjon, vakttype, ferdighet eller bakvakt)"
    causes: Counter[str] = Counter()
    for d in candidates:
        if d.id in taken:
            continue
        why = ctx.eligibility.reason(d, shift)
        if why is None:
            causes["har andre vakter, trenger hvile eller har nådd en grense"] += 1
        else:
            causes[next((text for word, text in _CAUSES if word in why), "kan ikke av andre grunner")] += 1
    parts = [f"{n} {text}" for text, n in causes.most_common()]
    if not parts:
        return f"alle {len(candidates)} mulige leger er satt på vakten"
    parts[0] = f"{parts[0].split(' ', 1)[0]} av {len(candidates)} mulige leger {parts[0].split(' ', 1)[1]}"
    return ", ".join(parts)


def extract_roster(ctx: ModelContext, solver: cp_model.CpSolver | None, stats: SolveStats) -> Roster:
    """The roster of the best solution found; with no solution only the stats and warnings."""
    sc = ctx.scenario
    out = Roster(scenario=sc.name, period=sc.period, stats=stats, warnings=list(ctx.warnings))
    if solver is None or stats.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return out
    on_shift: dict[str, set[str]] = {s.key: set() for s in ctx.shifts}
    for (doctor_id, key), v in ctx.x.items():
        if solver.boolean_value(v):
            on_shift[key].add(doctor_id)
    for s in ctx.shifts:
        out.assignments.extend(Assignment(doctor=d, template=s.template, date=s.date) for d in sorted(on_shift[s.key]))
        missing = s.demand_min - len(on_shift[s.key])
        if missing > 0:
            reason = open_slot_reason(ctx, s, on_shift[s.key])
            out.open_slots.append(OpenSlot(template=s.template, date=s.date, missing=missing, reason=reason))
    cover = ctx.cover
    gaps: list[tuple] = []
    for i, (a, b) in enumerate(cover.segments):
        if not cover.open[i] or any(on_shift[s.key] for s in cover.on_call[i]):
            continue
        if gaps and gaps[-1][1] == a:
            gaps[-1] = (gaps[-1][0], b)
        else:
            gaps.append((a, b))
    out.uncovered_bakvakt = [(oslo(a), oslo(b)) for a, b in gaps]
    return out


def solve_stats(ctx: ModelContext, solver: cp_model.CpSolver | None, status: SolveStatus, *,
                optimised: bool = True, bound: float | None = None, **figures) -> SolveStats:
    """Figures of a solve; `optimised` is False when the roster comes from the feasibility pass
    alone: the only bound known then is 0 (every objective term is non-negative). `bound` (model
    units) is the optimisation's when the roster came from a later neighbourhood search."""
    proto = ctx.model.proto
    stats = SolveStats(
        status=status,
        program_version=roster.__version__,
        variables=len(proto.variables),
        constraints=len(proto.constraints),
        **figures,
    )
    if solver is not None and status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        stats.objective = solver.value(ctx.objective) / OBJ_SCALE
        if bound is None:
            bound = solver.best_objective_bound if optimised else 0.0
        stats.bound = bound / OBJ_SCALE
        stats.gap = gap(stats.objective, stats.bound)
        stats.terms = term_values(ctx, solver)
    return stats
