"""Bakvakt on the real timeline (mirrors ``solver.bakvakt``): veiledning, bakvakt-dekning,
bakvakt-evne."""

from __future__ import annotations

import bisect
import datetime as dt

from roster.check.competence import is_specialist
from roster.check.context import Context, Shift, Violation
from roster.check.times import Interval, hours_between, num, span, subtract, union
from roster.models import Supervision


def _on_call_staff(ctx: Context) -> list[tuple[Shift, str]]:
    """(on-call shift, doctor) of every valid on-call assignment, sorted by start."""
    out = [(s, d.id) for d, s in ctx.assignments() if not s.on_site]
    out.sort(key=lambda x: (x[0].start, x[0].end))
    return out


def check_supervision(ctx: Context) -> list[Violation]:
    """veiledning: every minute of a non-qualified doctor's on-site shift is covered by another,
    qualified doctor on call; for supervision ``tilstede`` an on-call shift that can attend."""
    on_call = _on_call_staff(ctx)
    starts = [s.start for s, _ in on_call]
    longest = max((s.end - s.start for s, _ in on_call), default=dt.timedelta(0))
    out = []
    for doctor, shift in ctx.assignments():
        if not shift.on_site or ctx.qualified[doctor.id]:
            continue
        attend = doctor.supervision == Supervision.ON_SITE
        lo = bisect.bisect_left(starts, shift.start - longest)
        hi = bisect.bisect_left(starts, shift.end)
        cover = union([
            (s.start, s.end) for s, d in on_call[lo:hi]
            if d != doctor.id and ctx.qualified[d] and (s.template.on_call_can_attend or not attend)
        ])
        gaps = subtract([(shift.start, shift.end)], cover)
        if gaps:
            kind = "kvalifisert bakvakt som kan møte" if attend else "kvalifisert bakvakt"
            hours = sum(hours_between(s, e) for s, e in gaps)
            out.append(Violation(
                "veiledning",
                f"{doctor.name} kan ikke gå alene, men mangler {kind} i {num(hours)} t "
                f"({', '.join(span(s, e) for s, e in gaps)}) på {shift.text}.",
                doctor.id, shift.key, shift.start, shift.end, excess=hours,
            ))
    return out


def _open(ctx: Context) -> list[Shift]:
    """On-site shifts that open their station: demand_min > 0, or a doctor on them."""
    return [s for s in ctx.shifts.values() if s.on_site and (s.demand_min > 0 or ctx.staff.get(s.key))]


def non_specialists_on_call(ctx: Context) -> list[Interval]:
    """Times a doctor who is no specialist is on an on-call shift: a place of the bakvakt rota not
    held by a specialist, which can explain a declared gap as an open slot does."""
    return union([(s.start, s.end) for s, d in _on_call_staff(ctx) if not is_specialist(ctx.doctors[d])])


def _bakvakt_gaps(ctx: Context) -> list[Interval]:
    """Times a station is open and no specialist is on an on-call shift."""
    open_ = union([(s.start, s.end) for s in _open(ctx)])
    covered = union([(s.start, s.end) for s, d in _on_call_staff(ctx) if is_specialist(ctx.doctors[d])])
    return subtract(open_, covered)


def gap_violation(ctx: Context, gap: Interval, note: str = "") -> Violation:
    s, e = gap
    stations = sorted({sh.template.station for sh in _open(ctx) if sh.start < e and s < sh.end})
    names = ", ".join(next((st.name for st in ctx.scenario.stations if st.id == sid), sid) for sid in stations)
    return Violation(
        "bakvakt-dekning",
        f"Ingen spesialist på bakvakt {span(s, e)} ({num(hours_between(s, e))} t) mens {names} er åpen{note}.",
        None, None, s, e,
    )


def check_bakvakt_coverage(ctx: Context) -> list[Violation]:
    """bakvakt-dekning: a specialist on call at every minute any station is open (the pilot rule),
    while specialist_bakvakt is on (the scenario then has an on-call template)."""
    if not ctx.rules.specialist_bakvakt:
        return []
    return [gap_violation(ctx, g) for g in _bakvakt_gaps(ctx)]


def check_bakvakt_ability(ctx: Context) -> list[Violation]:
    """bakvakt-evne: only qualified doctors with can_bakvakt take on-call shifts."""
    out = []
    for doctor, shift in ctx.assignments():
        if shift.on_site:
            continue
        why = []
        if not doctor.can_bakvakt:
            why.append("er ikke satt opp som bakvakt")
        if not ctx.qualified[doctor.id]:
            why.append("kan ikke gå alene")
        if why:
            out.append(Violation(
                "bakvakt-evne", f"{doctor.name} {' og '.join(why)}, men har {shift.text}.",
                doctor.id, shift.key, shift.start, shift.end,
            ))
    return out
