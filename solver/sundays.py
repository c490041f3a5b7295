"""Sunday and holiday work of employees: after one worked, the next one free."""

from __future__ import annotations

import datetime as dt

from ortools.sat.python import cp_model

from roster.workload import SundayWork, counts_as_work, sunday_rule_binds
from solver.context import ModelContext

Worked = cp_model.IntVar | int


def _worked(ctx: ModelContext, doctor_id: str, day: dt.date, vs: list[cp_model.IntVar]) -> Worked:
    """A literal that is 1 whenever one of ``vs`` is (their own variable when there is one)."""
    if len(vs) == 1:
        return vs[0]
    f = ctx.model.new_bool_var(f"sunday[{doctor_id},{day}]")
    for v in vs:
        ctx.model.add_implication(v, f)
    return f


def add_sunday_off(ctx: ModelContext) -> None:
    """Hard (`søndagsfri`): an employee who works a Sunday or holiday (its protected hours:
    ``roster.workload.SundayWork``) has the next Sunday or holiday off (arbeidsmiljøloven §10-10,
    domain.md "Working-time law"; `sunday_off_after_sunday_work`, off only where an agreement
    allows). Holidays are the public ones and the local ones marked ``sunday_rest``; a Sunday or
    holiday worked just before the period (a carried shift) frees the period's first one."""
    rules = ctx.scenario.rules
    period = ctx.scenario.period
    # from 8 days back (the Sunday before the period) to the day after it (a night on its last Saturday)
    work = SundayWork(ctx.index.calendar, rules, period.start - dt.timedelta(days=8), period.end + dt.timedelta(days=1))
    if not work.dates:
        return
    for doctor_id, items in ctx.by_doctor.items():
        if not sunday_rule_binds(ctx.doctors[doctor_id], rules):
            continue
        per_day: dict[dt.date, list[cp_model.IntVar]] = {}
        for s, v in items:
            if counts_as_work(rules, s) and (day := work.date_of(s)) is not None:
                per_day.setdefault(day, []).append(v)
        if not per_day:
            continue
        group = ("søndagsfri", doctor_id)
        worked: dict[dt.date, Worked] = {day: _worked(ctx, doctor_id, day, vs) for day, vs in per_day.items()}
        carried = {day for c in ctx.index.carried.get(doctor_id, ())
                   if counts_as_work(rules, c) and (day := work.date_of(c)) is not None}
        worked.update(dict.fromkeys(carried, 1))  # worked before the period, whatever the period does
        for a, b in zip(work.dates, work.dates[1:]):
            if a in worked and b in worked and not {a, b} <= carried:  # two carried: last period's business
                ctx.add(worked[a] + worked[b] <= 1, group)
