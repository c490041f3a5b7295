"""Who may take which shift (mirrors ``solver.availability`` and the variable set of
``solver.context``): stasjon, vakttype, ferdighet, kurs, fravær, fritak, låst."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from roster.check.context import Context, Violation
from roster.check.times import DAY, OSLO, Interval, as_utc, dmy, instant, span
from roster.models import Doctor, Role, Rules, shift_key


def check_station(ctx: Context) -> list[Violation]:
    """stasjon: a doctor with a stations list works only there."""
    names = {s.id: s.name for s in ctx.scenario.stations}
    return [
        Violation(
            "stasjon",
            f"{d.name} går bare på {', '.join(names.get(x, x) for x in d.stations)}, men har {s.text}.",
            d.id, s.key, s.start, s.end,
        )
        for d, s in ctx.assignments()
        if d.stations and s.template.station not in d.stations
    ]


def check_label(ctx: Context) -> list[Violation]:
    """vakttype: a doctor with a shift_labels list works only shifts with those labels."""
    return [
        Violation(
            "vakttype", f"{d.name} går bare {', '.join(d.shift_labels)}, men har {s.text}.",
            d.id, s.key, s.start, s.end,
        )
        for d, s in ctx.assignments()
        if d.shift_labels and s.template.label not in d.shift_labels
    ]


def check_skill(ctx: Context) -> list[Violation]:
    """ferdighet: a shift with required_skill goes only to a doctor with that skill."""
    return [
        Violation(
            "ferdighet",
            f"{d.name} mangler ferdigheten «{s.template.required_skill}» som kreves på {s.text}.",
            d.id, s.key, s.start, s.end,
        )
        for d, s in ctx.assignments()
        if s.template.required_skill and s.template.required_skill not in d.skills
    ]


def check_courses(ctx: Context) -> list[Violation]:
    """kurs: the doctor holds every required course (names compared without regard to case and
    spacing), and every course is valid on the date the shift ends (expiry ≥ that date)."""
    def folded(name: str) -> str:
        return " ".join(name.split()).casefold()

    lacking: dict[str, list[str]] = {}  # doctor → the required courses they have no record of
    out = []
    for d, s in ctx.assignments():
        if d.id not in lacking:
            held = {folded(c) for c in d.courses}
            lacking[d.id] = [c for c in ctx.scenario.rules.required_courses if folded(c) not in held]
        for course in lacking[d.id]:
            out.append(Violation(
                "kurs", f"{d.name} mangler kurset «{course}», som kreves på {s.text}.",
                d.id, s.key, s.start, s.end,
            ))
        ends = s.end.astimezone(OSLO).date()
        for course, expiry in d.courses.items():
            if expiry < ends:
                out.append(Violation(
                    "kurs",
                    f"{d.name}: kurset «{course}» gikk ut {dmy(expiry)}, før {s.text} slutter {dmy(ends)}.",
                    d.id, s.key, s.start, s.end,
                ))
    return out


def _absence_interval(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> Interval:
    """Whole days run from 00:00 on the first day to 24:00 on the last."""
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return as_utc(start), as_utc(end)
    return instant(start, dt.time(0)), instant(end + DAY, dt.time(0))  # type: ignore[operator]


def check_absence(ctx: Context) -> list[Violation]:
    """fravær: no shift overlaps an absence."""
    absences: dict[str, list[tuple[Interval, str]]] = defaultdict(list)
    for a in ctx.scenario.absences:
        absences[a.doctor].append((_absence_interval(a.start, a.end), a.kind.value))
    out = []
    for d, s in ctx.assignments():
        for (a_start, a_end), kind in absences.get(d.id, ()):
            if s.start < a_end and a_start < s.end:
                out.append(Violation(
                    "fravær",
                    f"{d.name} har fravær ({kind}) {span(a_start, a_end)}, men har {s.text}.",
                    d.id, s.key, s.start, s.end,
                ))
    return out


def _exempt_by_age(d: Doctor, day: dt.date, rules: Rules) -> bool:
    """A fastlege with a birth date is exempt from the day they turn exemption_age (fastlegeforskriften
    §13, "over 60" from the 60th birthday; a 29 February birthday falls on 1 March in other years),
    unless they waive it."""
    if d.role != Role.FASTLEGE or d.birth_date is None or d.waives_age_exemption:
        return False
    years = day.year - d.birth_date.year
    if (day.month, day.day) < (d.birth_date.month, d.birth_date.day):
        years -= 1
    return years >= rules.exemption_age


def _exemption_reason(d: Doctor, day: dt.date, rules: Rules) -> str | None:
    ex = next((e for e in d.exemptions if e.covers(day)), None)
    if ex is not None:
        return ex.reason.value
    return f"over {rules.exemption_age} år" if _exempt_by_age(d, day, rules) else None


def check_exemption(ctx: Context) -> list[Violation]:
    """fritak: on an exempt day D no shift overlaps exemption_start on D to exemption_end on D+1
    (fastlegeforskriften §13): a day an explicit exemption covers, or, for a fastlege over
    exemption_age who has not waived it, every day from the birthday on. A pin marked voluntary
    is the doctor's yes to that one shift (§13 is a right to refuse)."""
    r = ctx.rules
    said_yes = {(p.doctor, shift_key(p.template, p.date)) for p in ctx.scenario.pins if p.voluntary}
    out = []
    for d, s in ctx.assignments():
        if (not d.exemptions and d.birth_date is None) or (d.id, s.key) in said_yes:
            continue
        day = s.start.astimezone(OSLO).date() - DAY
        last = s.end.astimezone(OSLO).date()
        while day <= last:
            w_start, w_end = instant(day, r.exemption_start), instant(day + DAY, r.exemption_end)
            reason = _exemption_reason(d, day, r)
            if reason is not None and s.start < w_end and w_start < s.end:
                out.append(Violation(
                    "fritak",
                    f"{d.name} er fritatt ({reason}) for vakt {span(w_start, w_end)}, men har {s.text}.",
                    d.id, s.key, s.start, s.end,
                ))
                break
            day += DAY
    return out


def check_pins(ctx: Context) -> list[Violation]:
    """låst: every pin is in the roster."""
    out = []
    for pin in ctx.scenario.pins:
        key = shift_key(pin.template, pin.date)
        if pin.doctor in ctx.staff.get(key, ()):
            continue
        shift = ctx.shifts.get(key)
        what = shift.text if shift else f"{pin.template} {dmy(pin.date)} (vakten går ikke den dagen)"
        out.append(Violation(
            "låst", f"Låst vakt mangler: {ctx.name(pin.doctor)} på {what}.", pin.doctor, key,
            shift.start if shift else instant(pin.date, dt.time(0)), shift.end if shift else None,
        ))
    return out
