"""Christmas, New Year and Easter rotated between years (the holiday ledger)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from roster.days import rotation_holiday
from solver.context import OBJ_SCALE, ModelContext, Penalty


def holiday_rotation(ctx: ModelContext) -> list[Penalty]:
    """Soft (`holiday_repeat`): each shift starting on Christmas (24–26 Dec), New Year (31 Dec,
    1 Jan) or Easter (Maundy Thursday to Easter Monday) for a doctor the holiday ledger shows on the
    same holiday the year before (domain.md "Holidays and burden": no national rule; common local
    practice alternates Christmas and New Year between years, so the same doctor two years running
    is penalised)."""
    if ctx.weight("holiday_repeat") <= 0 or not ctx.scenario.holiday_ledger:
        return []
    worked = {(h.doctor, *found) for h in ctx.scenario.holiday_ledger if (found := rotation_holiday(h.date))}
    repeats: list[cp_model.IntVar] = []
    for s in ctx.shifts:
        found = rotation_holiday(s.date)
        if found is None:
            continue
        holiday, season = found
        repeats += [v for d, v in ctx.by_shift[s.key] if (d, holiday, season - 1) in worked]
    return [Penalty("holiday_repeat", OBJ_SCALE * cp_model.LinearExpr.sum(repeats))] if repeats else []
