"""Days that need the night before free: an ALIS's supervision days and a GP's practice days."""

from __future__ import annotations

from roster.models import DutyKind
from roster.workload import is_night, practice_eves, supervision_eves
from solver.context import ModelContext


def add_no_night_before_supervision(ctx: ModelContext) -> None:
    """Hard (`veiledningsdag`): no night shift the night before one of an ALIS's supervision days
    (`supervision_days`; spesialistforskriften's supervision, domain.md "ALIS" calls it soft —
    "avoid" — and it is hard here because a manager lists only the days to protect)."""
    eves = supervision_eves(ctx.scenario)
    for doctor_id, days in eves.items():
        for s, v in ctx.by_doctor.get(doctor_id, ()):
            if s.date in days and is_night(s):
                ctx.add(v == 0, ("veiledningsdag", doctor_id))


def add_no_night_before_practice(ctx: ModelContext) -> None:
    """Hard (`praksisdag`): no on-site night shift the night before one of a GP's practice days
    (`practice_days`, weekdays that are no holiday), while `no_night_before_practice_day` is on
    (domain.md "GPs' duty": an assumption after SFS 2305 pkt 7.4 that a manager can override)."""
    for doctor_id, eves in practice_eves(ctx.scenario, ctx.index.calendar).items():
        for s, v in ctx.by_doctor.get(doctor_id, ()):
            if s.date in eves and s.duty == DutyKind.ON_SITE and is_night(s):
                ctx.add(v == 0, ("praksisdag", doctor_id))
