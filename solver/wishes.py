"""Doctors' wishes for and against shifts, and preferred stations."""

from __future__ import annotations

import datetime as dt

from roster.models import shift_key
from solver.context import OBJ_SCALE, ModelContext, Penalty


def wishes(ctx: ModelContext) -> list[Penalty]:
    """Soft (`wish`): a "wants" wish not granted, or a "does not want" wish violated, costs the
    wish's own weight (1–10). A wish names a day (any shift starting that day) or one template
    on it (domain.md "What users of rostering tools ask for")."""
    if ctx.weight("wish") <= 0:
        return []
    m = ctx.model
    terms = []
    on_date: dict[tuple[str, dt.date], list] = {}  # (doctor, date) → their pairs, in by_doctor order
    wished = {w.doctor for w in ctx.scenario.wishes}
    for doctor_id in wished:
        for s, v in ctx.by_doctor[doctor_id]:
            on_date.setdefault((doctor_id, s.date), []).append((s, v))
    for i, w in enumerate(ctx.scenario.wishes):
        pairs = on_date.get((w.doctor, w.date), [])
        if w.template is not None:
            key = shift_key(w.template, w.date)
            matching = [v for s, v in pairs if s.key == key]
        else:
            matching = [v for _, v in pairs]
        if w.wants:
            granted = m.new_bool_var(f"wish_granted[{i}]")
            m.add(granted <= sum(matching))
            terms.append(w.weight * (1 - granted))
        elif matching:
            violated = m.new_bool_var(f"wish_violated[{i}]")
            for v in matching:
                m.add_implication(v, violated)
            terms.append(w.weight * violated)
    return [Penalty("wish", OBJ_SCALE * sum(terms))] if terms else []


def preferred_station(ctx: ModelContext) -> list[Penalty]:
    """Soft (`preferred_station`): each shift outside a doctor's preferred stations (when they
    have any) costs 1; the weakest term, so it only breaks ties."""
    if ctx.weight("preferred_station") <= 0:
        return []
    terms = [
        v
        for d in ctx.scenario.doctors
        if d.preferred_stations
        for s, v in ctx.by_doctor[d.id]
        if s.station not in d.preferred_stations
    ]
    return [Penalty("preferred_station", OBJ_SCALE * sum(terms))] if terms else []
