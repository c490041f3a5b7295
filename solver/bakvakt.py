"""Bakvakt on the real timeline (``solver.timeline``): the pilot rule and the supervision of
doctors who may not work alone."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from roster.models import Scenario, Supervision
from solver.context import OBJ_SCALE, ModelContext, Penalty, oslo


def add_bakvakt_coverage(ctx: ModelContext) -> None:
    """Hard (`bakvakt-dekning`): whenever a station is open a specialist is on call (the pilot:
    the legevakt doctor always has a specialist to consult, domain.md "The pilot"; who is one:
    ``roster.eligibility.specialist``). A station is open while an on-site shift with demand_min
    > 0 runs, or while a doctor works an optional one (demand_min 0): each such assignment then
    needs the specialist, so an optional shift no specialist covers stays empty or costs its hours.

    A gap is allowed only where a place on an on-call shift running then is not held by a
    specialist (an open slot, or a doctor who is none: slack priced per hour by
    `uncovered_bakvakt_hour`, target 0) or no on-call shift runs at all; never in strict mode,
    where an open hour that no on-call shift covers makes the model infeasible (with a message
    naming the hours: the templates leave them out) or keeps the optional shifts then empty — when
    the scenario has a bakvakt rota at all. Off with `specialist_bakvakt` (a municipality outside
    the pilot); on, the scenario must have an on-call shift type (``Scenario`` refuses it otherwise).
    """
    if not pilot(ctx.scenario):
        return
    cover = ctx.cover
    uncoverable = []
    for i, (a, b) in enumerate(cover.segments):
        needs = [1] if cover.open[i] else cover.optional_vars(i)  # a specialist on call whenever one is 1
        if not needs:
            continue
        group = ("bakvakt-dekning", oslo(a).date().isoformat())
        if not cover.on_call[i]:
            if cover.open[i]:
                uncoverable.append((a, b))
            elif ctx.strict:
                ctx.add(sum(needs) <= 0, group)
            else:
                gap = _gap(ctx, i, a)
                for need in needs:
                    ctx.model.add(gap >= need)
            continue
        specialists = sum(cover.on_call_vars(i, specialist=True))
        excuses = [ctx.short[s.key] for s in cover.on_call[i] if s.key in ctx.short]
        excuses += cover.on_call_vars(i, specialist=False)
        if ctx.strict or not excuses:
            for need in needs:
                ctx.add(specialists >= need, group)
            continue
        gap = _gap(ctx, i, a)
        ctx.model.add(gap <= sum(excuses))
        for need in needs:
            ctx.model.add(specialists + gap >= need)
    if ctx.strict:  # open hours no on-call shift covers: no complete roster exists
        for day, spans in _by_date(uncoverable).items():
            times = ", ".join(f"{oslo(a):%H:%M}–{oslo(b):%H:%M}" for a, b in spans)
            ctx.mark_infeasible(f"Ingen bakvaktvakt går {day:%d.%m.%Y} {times} mens en stasjon er åpen.",
                                ("bakvakt-dekning", day.isoformat()))


def _gap(ctx: ModelContext, seg: int, start: dt.datetime) -> cp_model.IntVar:
    """The segment's slack "no specialist on call", priced by `uncovered_hours`."""
    ctx.uncovered[seg] = ctx.model.new_bool_var(f"uncovered[{start:%Y%m%d%H%M}]")
    return ctx.uncovered[seg]


def uncovered_hours(ctx: ModelContext) -> list[Penalty]:
    """Soft (`uncovered_bakvakt_hour`): each hour `add_bakvakt_coverage` leaves without a named
    specialist on call costs, by the real length of its segment."""
    if not ctx.uncovered:
        return []
    segments = ctx.cover.segments
    hours = {i: (segments[i][1] - segments[i][0]).total_seconds() / 3600 for i in ctx.uncovered}
    return [Penalty("uncovered_bakvakt_hour", sum(round(OBJ_SCALE * hours[i]) * gap for i, gap in ctx.uncovered.items()))]


def pilot(scenario: Scenario) -> bool:
    """Whether the pilot's rule holds (`specialist_bakvakt`): a named specialist on call at every
    open hour. The scenario then has an on-call shift type (``Scenario`` refuses one without)."""
    return scenario.rules.specialist_bakvakt


def _by_date(spans: list[tuple[dt.datetime, dt.datetime]]) -> dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]:
    """Adjacent segments merged, grouped by the Oslo date they start on."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for a, b in spans:
        if merged and merged[-1][1] == a:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    out: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
    for a, b in merged:
        out.setdefault(oslo(a).date(), []).append((a, b))
    return out


def add_supervision(ctx: ModelContext) -> None:
    """Hard (`veiledning`): a doctor who may not work alone has a qualified bakvakt at every
    minute of their on-site shifts; with supervision `tilstede` that bakvakt can come in
    (akuttmedisinforskriften §7; since 2020 the municipality decides per doctor, domain.md)."""
    cover = ctx.cover
    for doctor_id, items in ctx.by_doctor.items():
        if ctx.qualified[doctor_id]:
            continue
        attend = ctx.doctors[doctor_id].supervision == Supervision.ON_SITE
        for s, v in items:
            if not s.on_site:
                continue
            for i in cover.range(s):
                f = cover.flag(i, attend)
                ctx.add(v <= f, ("veiledning", doctor_id))
