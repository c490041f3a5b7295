"""Fair-share burden targets, history included.

One definition serves the solver's fairness terms, the fairness metrics and the reports, so the
three can never disagree on what "over target" means.

Burden is balanced within a *pool*: on-site duty (tilstedevakt) and on-call duty (bakvakt) are
separate rotas with separate doctors (fastleger on site, specialists on call), so a specialist's
bakvakt hours are not weighed against a GP's nights. A doctor belongs to a pool when they may work
at least one shift of that kind. Within a pool, a doctor's target for history + this period is

    target_i = share_i / Σ share_j · (Σ history points of the pool + Σ demand_min · points of the
    pool's shifts this period)

and the period target is that minus the history the doctor already carries (history counts in the
doctor's main pool: bakvakt for specialists who may be bakvakt, on-site for everyone else).
"""

from __future__ import annotations

from dataclasses import dataclass

from roster.calendar import ShiftIndex
from roster.models import Doctor, DutyKind, Role, Scenario

POOLS = (DutyKind.ON_SITE, DutyKind.ON_CALL)


def main_pool(doctor: Doctor) -> DutyKind:
    if doctor.can_bakvakt and doctor.role == Role.SPECIALIST:
        return DutyKind.ON_CALL
    return DutyKind.ON_SITE


def in_pool(doctor: Doctor, pool: DutyKind, index: ShiftIndex) -> bool:
    """Static eligibility (station, label, bakvakt ability) for at least one shift of the pool."""
    if pool == DutyKind.ON_CALL and not doctor.can_bakvakt:
        return False
    for s in index.shifts:
        if s.duty != pool:
            continue
        if doctor.stations and s.station not in doctor.stations:
            continue
        if doctor.shift_labels and s.label not in doctor.shift_labels:
            continue
        return True
    return False


@dataclass(frozen=True)
class Target:
    doctor: str
    pool: DutyKind
    share: float
    history_points: float  # already carried, counted in this pool
    total: float  # fair share of history + this period
    period: float  # total − history_points (may be negative: carried too much before)


def burden_targets(scenario: Scenario, index: ShiftIndex | None = None) -> dict[tuple[str, DutyKind], Target]:
    index = index or ShiftIndex(scenario)
    history = {h.doctor: h.points for h in scenario.history}
    out: dict[tuple[str, DutyKind], Target] = {}
    for pool in POOLS:
        members = [d for d in scenario.doctors if in_pool(d, pool, index)]
        if not members:
            continue
        period_points = sum(s.demand_min * s.points for s in index.shifts if s.duty == pool)
        hist = {d.id: history.get(d.id, 0.0) if main_pool(d) == pool else 0.0 for d in members}
        shares = sum(d.share for d in members)
        pool_total = period_points + sum(hist.values())
        for d in members:
            total = d.share / shares * pool_total if shares > 0 else 0.0
            out[(d.id, pool)] = Target(d.id, pool, d.share, hist[d.id], total, total - hist[d.id])
    return out
