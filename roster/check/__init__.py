"""The independent hard-rule checker: the oracle every roster must pass before it is published.

It implements ``docs/hard-rules.md`` a second time, straight from the text, one module per rule
family as in ``solver/``, and shares no code with the CP-SAT model (``solver/``), with
``roster.eligibility``, ``roster.days``, ``roster.calendar`` or ``roster.targets``: day types
(``days``, from the ``holidays`` package), who may work alone (``competence``, from the doctor's
fields), shift instances, real times, night hours, overlaps, rest gaps and windows are computed
here, so a mistake in either place shows up as a disagreement (``tests/test_agreement.py``). It
uses only the models.

Each rule is one small function returning violations with a Norwegian message that names the
doctor, the shift and the numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from roster.check import availability, bakvakt, coverage, limits, protected_days, rest, runs, sundays
from roster.check.bakvakt import gap_violation, non_specialists_on_call
from roster.check.context import RULE_ORDER, RULES, Context, Violation
from roster.check.times import UTC, as_utc, intersect, subtract, union
from roster.models import Roster, Scenario

__all__ = ["RULES", "Violation", "check_roster", "format_report", "unexpected_violations"]

_CHECKS = (
    coverage.check_unknown, coverage.check_double, coverage.check_staffing, coverage.check_competence,
    coverage.check_alone, bakvakt.check_supervision, bakvakt.check_bakvakt_coverage, bakvakt.check_bakvakt_ability,
    availability.check_station, availability.check_label, availability.check_skill, availability.check_courses,
    availability.check_absence, availability.check_exemption, rest.check_overlap, rest.check_rest,
    rest.check_weekly_rest, sundays.check_sunday_off, rest.check_successions, protected_days.check_supervision_eve,
    protected_days.check_practice_eve, runs.check_nights, runs.check_night_blocks,
    runs.check_work_runs, limits.check_shifts_per_week, limits.check_hours_per_week, limits.check_count,
    limits.check_label_counts, limits.check_period_hours, limits.check_weekends, availability.check_pins,
)


def _order(v: Violation) -> tuple[dt.datetime, int, str, str, str]:
    far = dt.datetime.max.replace(tzinfo=UTC)
    return (v.start or far, RULE_ORDER.get(v.rule, 99), v.doctor or "", v.shift or "", v.message)


def _check(ctx: Context) -> list[Violation]:
    found = [v for check in _CHECKS for v in check(ctx)]
    return sorted(found, key=_order)


def check_roster(scenario: Scenario, roster: Roster) -> list[Violation]:
    """Every hard-rule violation, open slots and bakvakt gaps included (what ``--strict`` forbids),
    sorted by date."""
    return _check(Context(scenario, roster))


def unexpected_violations(scenario: Scenario, roster: Roster) -> list[Violation]:
    """What makes the roster illegal to publish: all violations except the understaffing the roster
    declares in ``open_slots`` (same shift, same count) and the bakvakt gaps it declares in
    ``uncovered_bakvakt`` where an on-call shift running then is a declared open slot or has a
    doctor who is no specialist, or no on-call shift runs at all."""
    ctx = Context(scenario, roster)
    declared_slots = {(o.template, o.date): o.missing for o in roster.open_slots}
    declared_gaps = union([g for g in ((as_utc(s), as_utc(e)) for s, e in roster.uncovered_bakvakt) if g[0] < g[1]])
    on_call = [s for s in ctx.shifts.values() if not s.on_site]
    open_on_call = union([
        (s.start, s.end) for s in on_call if (s.template.id, s.date) in declared_slots
    ])
    any_on_call = union([(s.start, s.end) for s in on_call])
    others_on_call = non_specialists_on_call(ctx)
    out = []
    for v in _check(ctx):
        if v.rule == "bemanning" and v.missing is not None and v.shift is not None:
            tpl, day = v.shift.rsplit("/", 1)
            if declared_slots.get((tpl, dt.date.fromisoformat(day))) == v.missing:
                continue
        if v.rule == "bakvakt-dekning" and v.start is not None and v.end is not None:
            gap = [(v.start, v.end)]
            explained = intersect(gap, union(open_on_call + others_on_call + subtract(gap, any_on_call)))
            rest = subtract(gap, intersect(explained, declared_gaps))
            undeclared = intersect(rest, explained)
            unexplained = subtract(rest, explained)
            out.extend(gap_violation(ctx, g, " (ikke oppgitt som ubesatt bakvakt i rosteren)") for g in undeclared)
            out.extend(gap_violation(ctx, g, " (ikke forklart av en ubesatt bakvakt)") for g in unexplained)
            continue
        out.append(v)
    return sorted(out, key=_order)


def format_report(violations: list[Violation]) -> str:
    """Plain Norwegian text for the CLI: one line per violation, grouped under the rule's title."""
    if not violations:
        return "Ingen brudd på harde regler."
    lines = [f"{len(violations)} brudd på harde regler:"]
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        by_rule[v.rule].append(v)
    for rule in sorted(by_rule, key=lambda r: RULE_ORDER.get(r, 99)):
        lines.append(f"\n{RULES.get(rule, rule)} ({rule}): {len(by_rule[rule])}")
        lines.extend(f"  - {v.message}" for v in by_rule[rule])
    return "\n".join(lines)
