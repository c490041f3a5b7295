"""Who is available: eligibility (stations, labels, skills, courses, absences, exemptions) is
already the variable set (see ``ModelContext.create_variables``); pins are added here."""

from __future__ import annotations

from roster.models import shift_key
from solver.context import ModelContext


def add_pins(ctx: ModelContext) -> None:
    """Hard (`låst`): every pinned assignment is kept (published shifts, minimal-change re-planning,
    domain.md "What users ask for"). A pin the rules forbid makes the model infeasible with a
    Norwegian warning naming why, instead of a crash."""
    for i, pin in enumerate(ctx.scenario.pins):
        group = ("låst", str(i))
        key = shift_key(pin.template, pin.date)
        doctor = ctx.doctors[pin.doctor]
        shift = ctx.index.by_key.get(key)
        when = f"{pin.template} {pin.date:%d.%m.%Y}"
        if shift is None:
            ctx.mark_infeasible(f"Låst vakt {when} for {doctor.name} finnes ikke (vakttypen går ikke den dagen).", group)
            continue
        var = ctx.x.get((pin.doctor, key))
        if var is None:
            why = ctx.eligibility.reason(doctor, shift) or "kan ikke ta denne vakten"
            ctx.mark_infeasible(f"Låst vakt {when} kan ikke gis til {doctor.name}: {why}.", group)
            continue
        ctx.add(var == 1, group)
