"""Turn a solved model into a ``roster.models.Roster``: assignments, open slots with the reason
they could not be filled (``roster.candidates``: the same facts as the pre-solve checks and the
explanation), uncovered bakvakt intervals, and the solve figures."""

from __future__ import annotations

from ortools.sat.python import cp_model

import roster
from roster.around_the_clock import around_the_clock_notice
from roster.candidates import open_place_reasons
from roster.models import Assignment, LevelStats, OpenSlot, Roster, SolveStats, SolveStatus, shift_key
from roster.terms import TERM_NAMES
from solver.context import OBJ_SCALE, ModelContext, oslo
from solver.objective import term_values

STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
    cp_model.MODEL_INVALID: SolveStatus.MODEL_INVALID,
    cp_model.UNKNOWN: SolveStatus.UNKNOWN,
}


def gap(objective: float, bound: float) -> float:
    return (objective - bound) / max(1.0, abs(objective))


def extract_roster(ctx: ModelContext, solver: cp_model.CpSolver | None, stats: SolveStats,
                   deadline: float | None = None) -> Roster:
    """The roster of the best solution found; with no solution only the stats and warnings. The
    unfilled places' reasons stop at ``deadline`` (``time.perf_counter``; see
    ``open_place_reasons``)."""
    sc = ctx.scenario
    notice = around_the_clock_notice(ctx.index)
    out = Roster(scenario=sc.name, period=sc.period, stats=stats, warnings=[*ctx.warnings, *([notice] if notice else [])])
    if solver is None or stats.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return out
    on_shift: dict[str, set[str]] = {s.key: set() for s in ctx.shifts}
    for (doctor_id, key), v in ctx.x.items():
        if solver.boolean_value(v):
            on_shift[key].add(doctor_id)
    for s in ctx.shifts:  # ids and dates of the validated scenario: not validated again
        out.assignments.extend(Assignment.model_construct(doctor=d, template=s.template, date=s.date)
                               for d in sorted(on_shift[s.key]))
        missing = s.demand_min - len(on_shift[s.key])
        if missing > 0:
            out.open_slots.append(OpenSlot(template=s.template, date=s.date, missing=missing))
    reasons = open_place_reasons(ctx.scenario, out, ctx.index, ctx.eligibility, deadline)
    out.open_slots = [o.model_copy(update={"reason": reasons[shift_key(o.template, o.date)]}) for o in out.open_slots]
    if not sc.rules.specialist_bakvakt:  # hours without a named specialist on call are the pilot's measure
        return out
    cover = ctx.cover
    gaps: list[tuple] = []
    for i, (a, b) in enumerate(cover.segments):
        is_open = cover.open[i] or any(on_shift[s.key] for s in cover.optional[i])
        if not is_open or any(on_shift[s.key] & cover.specialists for s in cover.on_call[i]):
            continue
        if gaps and gaps[-1][1] == a:
            gaps[-1] = (gaps[-1][0], b)
        else:
            gaps.append((a, b))
    out.uncovered_bakvakt = [(oslo(a), oslo(b)) for a, b in gaps]
    return out


def solve_stats(ctx: ModelContext, solver: cp_model.CpSolver | None, status: SolveStatus, *,
                optimised: bool = True, bound: float | None = None, levels: list[LevelStats] | None = None,
                **figures) -> SolveStats:
    """Figures of a solve; `optimised` is False when the roster comes from the feasibility pass
    alone: the only bound known then is 0 (every objective term is non-negative). `bound` (model
    units) is the optimisation's when the roster came from a later neighbourhood search. With the
    `levels` of a lexicographic solve, bound and gap are those of the first level not proven
    optimal (else the last): the levels before it are as good as they can be. When every level
    listed is proven but the levels after them had no read (2 950 doctors × 3 months at 60 s: only
    the places), there is no gap to give: the first level's 0 % said the roster was as good as it
    could be, when its fairness had never been searched."""
    proto = ctx.model.proto
    stats = SolveStats(
        status=status,
        program_version=roster.__version__,
        variables=len(proto.variables),
        constraints=len(proto.constraints),
        **figures,
    )
    if solver is not None and status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        # terms no read set for this roster hold CP-SAT's first values: left out, and the sum with them
        unread = {TERM_NAMES[t] for t in ctx.unread_terms}
        stats.terms = {name: value for name, value in term_values(ctx, solver).items() if name not in unread}
        if not unread:
            stats.objective = solver.value(ctx.objective) / OBJ_SCALE
            if bound is None:
                bound = solver.best_objective_bound if optimised else 0.0
            stats.bound = bound / OBJ_SCALE
            stats.gap = gap(stats.objective, stats.bound)
        if levels:
            stats.levels = levels
            open_level = next((i for i, lv in enumerate(levels) if lv.objective > lv.bound + 1e-9), None)
            if open_level is None and len(levels) < len(ctx.levels):
                # the levels listed are proven, the next had no read: its gap is unknown, not theirs
                stats.gap_level = stats.bound = stats.gap = None
            else:
                k = len(levels) - 1 if open_level is None else open_level
                stats.gap_level, stats.bound, stats.gap = k + 1, levels[k].bound, levels[k].gap
    return stats
