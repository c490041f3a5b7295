"""Staffing per shift (mirrors ``solver.coverage``): ukjent-vakt, dobbel, bemanning, kompetanse,
alene."""

from __future__ import annotations

from roster.check.context import Context, Shift, Violation
from roster.check.times import leger
from roster.models import Overstaffing


def check_unknown(ctx: Context) -> list[Violation]:
    """ukjent-vakt: the assignment names an existing doctor and a shift that runs on that date."""
    return list(ctx.unknown)


def check_double(ctx: Context) -> list[Violation]:
    """dobbel: a doctor appears at most once on a shift."""
    return list(ctx.doubles)


def most_doctors(ctx: Context, shift: Shift) -> int:
    """The most doctors a shift may have: demand_max where the over-staffing policy
    (``Fairness.overstaffing``) allows more than the minimum — everywhere (`alle`), or where the
    minimum is at most one doctor, relieving a lone one (`alene`) — else demand_min."""
    policy = ctx.rules.fairness.overstaffing
    if policy == Overstaffing.ANY or (policy == Overstaffing.LONE and shift.demand_min <= 1):
        return shift.demand_max
    return min(shift.demand_min, shift.demand_max)


def check_staffing(ctx: Context) -> list[Violation]:
    """bemanning: between demand_min and the most the over-staffing policy allows (at most
    demand_max); a shortfall carries its count."""
    out = []
    for key, shift in ctx.shifts.items():
        n = len(ctx.staff.get(key, ()))
        most = most_doctors(ctx, shift)
        if n < shift.demand_min:
            missing = shift.demand_min - n
            out.append(Violation(
                "bemanning",
                f"{shift.text} har {n} {leger(n)}; krever minst {shift.demand_min} ({missing} mangler).",
                None, key, shift.start, shift.end, missing, excess=-missing,
            ))
        elif n > most:
            why = "" if most == shift.demand_max else " (overbemanning er ikke tillatt på denne vakten, se Overbemanning)"
            out.append(Violation(
                "bemanning", f"{shift.text} har {n} {leger(n)}; maks {most}{why}.",
                None, key, shift.start, shift.end, excess=n - most,
            ))
    return out


def check_competence(ctx: Context) -> list[Violation]:
    """kompetanse: at least min_qualified qualified doctors on an on-site shift; each missing doctor
    (open slot) may stand in for a qualified one."""
    out = []
    for key, shift in ctx.shifts.items():
        if not shift.on_site or shift.min_qualified == 0:
            continue
        staff = ctx.staff.get(key, [])
        qualified = sum(ctx.qualified[d] for d in staff)
        missing = max(0, shift.demand_min - len(staff))
        if qualified + missing < shift.min_qualified:
            out.append(Violation(
                "kompetanse",
                f"{shift.text} har {qualified} {leger(qualified)} som kan gå alene"
                + (f" og {missing} ubesatt" if missing else "")
                + f"; krever {shift.min_qualified}.",
                None, key, shift.start, shift.end, excess=qualified + missing - shift.min_qualified,
            ))
    return out


def check_alone(ctx: Context) -> list[Violation]:
    """alene: a doctor who is not qualified works on site only beside a qualified doctor, unless
    the rules let the qualified bakvakt (rule veiledning) be enough (``alone_with_bakvakt``)."""
    if ctx.rules.alone_with_bakvakt:
        return []
    out = []
    for doctor, shift in ctx.assignments():
        if not shift.on_site or ctx.qualified[doctor.id]:
            continue
        if not any(ctx.qualified[d] for d in ctx.staff[shift.key] if d != doctor.id):
            out.append(Violation(
                "alene",
                f"{doctor.name} kan ikke gå alene, men har ingen kvalifisert lege med seg på {shift.text}.",
                doctor.id, shift.key, shift.start, shift.end,
            ))
    return out
