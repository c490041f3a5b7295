"""Counts and hours per window and per period (mirrors ``solver.limits``): uke-vakter, uke-timer,
antall, antall-type, timer, helger."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Callable

from roster.check.context import Context, Earlier, Shift, Violation, own_or_rule
from roster.check.times import DAY, EPS, dmy, helger, num, vakter


def _window_violations(
    ctx: Context, rule: str, measure: Callable[[list[Shift | Earlier]], float], limit: Callable[[str], float | None],
    unit: str,
) -> list[Violation]:
    """Rolling 7-date windows, from six days before the period (carried shifts count) to the
    period's end, each holding a shift of the period; a window holding the same shifts as an
    already reported one is the same breach and is not repeated."""
    out = []
    for doc in ctx.by_doctor:
        most = limit(doc)
        if most is None:
            continue
        shifts = ctx.with_before(doc)
        dates = [s.date for s in shifts]
        seen: set[tuple[str, ...]] = set()
        for first, last in _windows(ctx, bool(ctx.before.get(doc))):
            inside = shifts[bisect.bisect_left(dates, first):bisect.bisect_right(dates, last)]
            if all(s.carried for s in inside):
                continue
            value = measure(inside)
            keys = tuple(s.key for s in inside)
            if value > most + EPS and keys not in seen:
                seen.add(keys)
                out.append(Violation(
                    rule,
                    f"{ctx.name(doc)}: {num(value)} {unit} {dmy(first)}–{dmy(last)}; maks {num(most)}.",
                    doc, inside[-1].key, inside[0].start, inside[-1].end, excess=value - most,
                ))
    return out


def _windows(ctx: Context, carried: bool) -> list[tuple[dt.date, dt.date]]:
    """The period's windows and, for a doctor with carried shifts, those that start in the six
    days before the period and end inside it."""
    p = ctx.scenario.period
    before = [(p.start - k * DAY, p.start - k * DAY + 6 * DAY) for k in range(6, 0, -1)] if carried else []
    return [w for w in before if w[1] <= p.end] + ctx.windows()


def check_shifts_per_week(ctx: Context) -> list[Violation]:
    """uke-vakter: at most max_shifts_per_7_days shifts (by start date, carried ones included) in
    every 7-date window; a doctor's own limit goes first."""
    def limit(doc: str) -> int | None:
        d = ctx.doctors.get(doc)
        return own_or_rule(d.max_shifts_per_7_days if d else None, ctx.rules.max_shifts_per_7_days)

    return _window_violations(ctx, "uke-vakter", len, limit, "vakter")


def check_hours_per_week(ctx: Context) -> list[Violation]:
    """uke-timer: at most max_hours_per_7_days in every window; on-call hours weighted by
    on_call_factor (aml §10-4(3))."""
    limit = ctx.rules.max_hours_per_7_days
    if limit is None:
        return []
    factor = ctx.rules.burden.on_call_factor
    return _window_violations(
        ctx, "uke-timer", lambda ss: sum(s.hours * (1 if s.on_site else factor) for s in ss), lambda _: limit, "t",
    )


def check_count(ctx: Context) -> list[Violation]:
    """antall: each doctor's shifts in the period within min_shifts .. max_shifts."""
    out = []
    for d in ctx.scenario.doctors:
        n = len(ctx.by_doctor.get(d.id, ()))
        if n < d.min_shifts:
            out.append(Violation("antall", f"{d.name} har {n} {vakter(n)} i perioden; minst {d.min_shifts}.", d.id,
                                 excess=n - d.min_shifts))
        elif d.max_shifts is not None and n > d.max_shifts:
            out.append(Violation("antall", f"{d.name} har {n} {vakter(n)} i perioden; maks {d.max_shifts}.", d.id,
                                 excess=n - d.max_shifts))
    return out


def check_label_counts(ctx: Context) -> list[Violation]:
    """antall-type: at most max_shifts_by_label[label] shifts with that label in the period."""
    out = []
    for d in ctx.scenario.doctors:
        labels = Counter(s.template.label for s in ctx.by_doctor.get(d.id, ()))
        for label, limit in d.max_shifts_by_label.items():
            if labels[label] > limit:
                out.append(Violation(
                    "antall-type", f"{d.name} har {labels[label]} {label}vakter i perioden; maks {limit}.", d.id,
                    excess=labels[label] - limit,
                ))
    return out


def check_period_hours(ctx: Context) -> list[Violation]:
    """timer: hours in the period (on-call hours × on_call_factor) within min_hours .. max_hours."""
    factor = ctx.rules.burden.on_call_factor
    out = []
    for d in ctx.scenario.doctors:
        hours = sum(s.hours * (1 if s.on_site else factor) for s in ctx.by_doctor.get(d.id, ()))
        if hours < d.min_hours - EPS:
            out.append(Violation("timer", f"{d.name} har {num(hours)} t i perioden; minst {num(d.min_hours)}.", d.id,
                                 excess=hours - d.min_hours))
        elif d.max_hours is not None and hours > d.max_hours + EPS:
            out.append(Violation("timer", f"{d.name} har {num(hours)} t i perioden; maks {num(d.max_hours)}.", d.id,
                                 excess=hours - d.max_hours))
    return out


def check_weekends(ctx: Context) -> list[Violation]:
    """helger: weekends with a shift starting on their Saturday or Sunday at most max_weekends."""
    out = []
    for d in ctx.scenario.doctors:
        limit = own_or_rule(d.max_weekends, ctx.rules.max_weekends)
        if limit is None:
            continue
        saturdays = {s.date - (s.date.weekday() - 5) * DAY for s in ctx.by_doctor.get(d.id, ()) if s.date.weekday() >= 5}
        if len(saturdays) > limit:
            out.append(Violation(
                "helger",
                f"{d.name} har vakt {len(saturdays)} {helger(len(saturdays))} ({', '.join(dmy(x) for x in sorted(saturdays))}); "
                f"maks {limit}.",
                d.id, excess=len(saturdays) - limit,
            ))
    return out
