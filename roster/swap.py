"""Shift trades between doctors: does a proposed swap break a hard rule, and how does it move each
doctor's burden against target?

Doctors trade shifts all the time (A gives shift X to B, and perhaps B gives Y back). The answer
must be immediate and trustworthy, so it comes from the independent checker
(``roster.check.check_roster``) run before and after the trade: only violations the trade *causes*
or makes *worse* count against it, so an already imperfect roster (open slots, an earlier breach)
does not make every trade look illegal, while a doctor already over a limit cannot be given more.
Burden figures come from ``roster.metrics.doctor_metrics``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from roster.calendar import OSLO, ShiftIndex, ShiftInstance
from roster.check import RULES, Violation, check_roster
from roster.input_errors import InputError
from roster.metrics import DoctorMetrics, doctor_metrics
from roster.models import FIRST_DAY, LAST_DAY, OUTSIDE_CALENDAR, Assignment, Doctor, Roster, Scenario
from roster.models import shift_key as key_of
from roster.targets import FairnessPlan, fairness_plan
from roster.terms import OPEN_PLACES, count


class SwapRefused(InputError):
    """The trade cannot even be tried (unknown doctor, a shift the doctor does not hold …)."""


@dataclass(frozen=True)
class BurdenChange:
    """One doctor's figures before and after the trade; the target does not move."""

    doctor: str
    name: str
    shifts_before: int
    shifts_after: int
    points_before: float
    points_after: float
    target: float  # this period's fair share, moved by the ledger's repayment (roster.targets)
    deviation_before: float | None  # (points − target) / target; None without a target
    deviation_after: float | None


@dataclass(frozen=True)
class SwapResult:
    legal: bool
    description: str  # "Kari Olsen gir Natt Bergen legevakt 24.12.2026 23:00–08:00 til Per Hansen"
    roster: Roster  # the roster after the trade
    new_violations: list[Violation]  # caused by the trade: what makes it illegal
    worsened: list[Violation]  # present before and further past their limit after: illegal too
    resolved: list[Violation]  # present before, gone after
    unchanged: list[Violation]  # present before and after, no worse (the trade neither causes nor fixes them)
    burden: list[BurdenChange]  # giver first, then taker


@dataclass(frozen=True)
class Difference:
    """Two check results of one roster, before and after a change, matched breach by breach
    (``Violation.place``, as multisets)."""

    new: list[Violation]  # in no place the roster had a breach before
    worsened: list[Violation]  # a breach of before, further past its limit (2 shifts over a maximum become 3)
    resolved: list[Violation]  # the breaches of before that are gone
    unchanged: list[Violation]  # a breach of before, no further past its limit


def violation_difference(before: list[Violation], after: list[Violation]) -> Difference:
    """What a change does to a roster's breaches. A breach whose figures merely move is the same
    breach, but one that grows counts against the change like a new one: a doctor with 2 shifts
    against a maximum of 1 cannot be given a third because the roster broke the limit already."""
    earlier: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for i, v in enumerate(before):
        earlier[v.place].append(i)
    pairs: list[tuple[Violation, int | None]] = []
    for v in after:
        pairs.append((v, earlier[v.place].pop(0) if earlier[v.place] else None))
    matched = {i for _, i in pairs if i is not None}
    for k, (v, i) in enumerate(pairs):  # a run that grew or shrank: its place moved with its ends
        if i is None:
            j = next((j for j, b in enumerate(before) if j not in matched and v.same_run(b)), None)
            if j is not None:
                matched.add(j)
                pairs[k] = (v, j)
    new, worsened, unchanged = [], [], []
    for v, i in pairs:
        if i is None:
            new.append(v)
        else:
            (worsened if v.worse_than(before[i]) else unchanged).append(v)
    return Difference(new, worsened, [v for i, v in enumerate(before) if i not in matched], unchanged)


def breach_lines(new: list[Violation], worsened: list[Violation]) -> list[str]:
    """«Regel: melding» for each breach a change causes, and «Regel (verre enn før): melding» for
    each it makes worse: the reasons a trade or an edit is refused."""
    return [*(f"{RULES.get(v.rule, v.rule)}: {v.message}" for v in new),
            *(f"{RULES.get(v.rule, v.rule)} (verre enn før): {v.message}" for v in worsened)]


def find_doctor(scenario: Scenario, ref: str) -> Doctor:
    """A doctor by id, or by full name (case-insensitive), as a manager would type it."""
    ref = ref.strip()
    for d in scenario.doctors:
        if d.id == ref:
            return d
    named = [d for d in scenario.doctors if d.name.casefold() == ref.casefold()]
    if len(named) == 1:
        return named[0]
    if named:
        raise SwapRefused([f"flere leger heter «{ref}»; bruk lege-id ({', '.join(d.id for d in named)})"])
    raise SwapRefused([f"ukjent lege «{ref}»"])


def parse_shift(ref: str) -> str:
    """A shift key ``<vakttype>/<ÅÅÅÅ-MM-DD>``; the date may also be written ``DD.MM.ÅÅÅÅ``."""
    template, sep, day = ref.strip().rpartition("/")
    date: dt.date | None = None
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            date = dt.datetime.strptime(day, fmt).date()
            break
        except ValueError:
            continue
    if not sep or not template or date is None:
        raise SwapRefused([f"ugyldig vakt «{ref}»: skriv vakttype/dato, for eksempel BLV-natt/2026-12-24"])
    if not FIRST_DAY <= date <= LAST_DAY:
        raise SwapRefused([f"ugyldig vakt «{ref}»: {OUTSIDE_CALENDAR}"])
    return key_of(template, date)


def shift_text(scenario: Scenario, index: ShiftIndex, key: str) -> str:
    """«Natt Bergen legevakt 24.12.2026 23:00–08:00» (Oslo time), or the key of an unknown shift."""
    s: ShiftInstance | None = index.by_key.get(key)
    if s is None:
        return key
    label = s.label[:1].upper() + s.label[1:]
    start, end = s.start.astimezone(OSLO), s.end.astimezone(OSLO)
    return f"{label} {scenario.station(s.station).name} {s.date:%d.%m.%Y} {start:%H:%M}–{end:%H:%M}"


def _take(assignments: list[Assignment], doctor: str, key: str) -> Assignment | None:
    """Remove and return the doctor's assignment to the shift."""
    for i, a in enumerate(assignments):
        if a.doctor == doctor and a.shift == key:
            return assignments.pop(i)
    return None


class SwapChecker:
    """Trades on one roster. What every trade is measured against — the roster's own violations,
    the scenario's fairness plan (0.4 s on Bergen) and the burden before — is computed once, so a
    page of waiting swaps on one version pays for it once, not once a swap."""

    def __init__(self, scenario: Scenario, roster: Roster):
        self.scenario, self.roster = scenario, roster
        self.index = ShiftIndex(scenario)

    @cached_property
    def violations(self) -> list[Violation]:
        return check_roster(self.scenario, self.roster)

    @cached_property
    def plan(self) -> FairnessPlan:
        return fairness_plan(self.scenario, self.index)  # the scenario's targets: the same before and after

    @cached_property
    def metrics(self) -> dict[str, DoctorMetrics]:
        return {m.doctor: m for m in doctor_metrics(self.scenario, self.roster, self.index, self.plan)}

    def check(self, giver: str, shift_key: str, taker: str, back_shift_key: str | None = None) -> SwapResult:
        """As ``check_swap``."""
        scenario, roster, index = self.scenario, self.roster, self.index
        a, b = find_doctor(scenario, giver), find_doctor(scenario, taker)
        if a.id == b.id:
            raise SwapRefused([f"{a.name} kan ikke bytte vakt med seg selv"])
        x = parse_shift(shift_key)
        y = parse_shift(back_shift_key) if back_shift_key else None
        if x == y:
            raise SwapRefused([f"vakten tilbake er den samme som vakten som gis bort ({x})"])
        problems = []
        assignments = list(roster.assignments)
        given = _take(assignments, a.id, x)
        if given is None:
            problems.append(f"{a.name} har ikke vakten {shift_text(scenario, index, x)}")
        back = None
        if y is not None:
            back = _take(assignments, b.id, y)
            if back is None:
                problems.append(f"{b.name} har ikke vakten {shift_text(scenario, index, y)}")
        if any(s.doctor == b.id and s.shift == x for s in assignments):
            problems.append(f"{b.name} har allerede vakten {shift_text(scenario, index, x)}")
        if back is not None and any(s.doctor == a.id and s.shift == y for s in assignments):
            problems.append(f"{a.name} har allerede vakten {shift_text(scenario, index, y)}")
        if given is None or problems:
            raise SwapRefused(problems)
        assignments.append(Assignment(doctor=b.id, template=given.template, date=given.date))
        if back is not None:
            assignments.append(Assignment(doctor=a.id, template=back.template, date=back.date))
        after = roster.model_copy(update={"assignments": assignments})

        diff = violation_difference(self.violations, check_roster(scenario, after))
        ids = (a.id, b.id)
        metrics_before = self.metrics
        metrics_after = {m.doctor: m for m in doctor_metrics(scenario, after, index, self.plan) if m.doctor in ids}
        burden = [
            BurdenChange(
                doctor=d, name=metrics_before[d].name,
                shifts_before=metrics_before[d].shifts, shifts_after=metrics_after[d].shifts,
                points_before=metrics_before[d].points, points_after=metrics_after[d].points,
                target=metrics_before[d].target,
                deviation_before=metrics_before[d].relative_deviation,
                deviation_after=metrics_after[d].relative_deviation,
            )
            for d in ids
        ]
        description = f"{a.name} gir {shift_text(scenario, index, x)} til {b.name}"
        if y is not None:
            description += f" og får {shift_text(scenario, index, y)} tilbake"
        return SwapResult(not (diff.new or diff.worsened), description, after, diff.new, diff.worsened,
                          diff.resolved, diff.unchanged, burden)


def check_swap(scenario: Scenario, roster: Roster, giver: str, shift_key: str, taker: str,
               back_shift_key: str | None = None) -> SwapResult:
    """Check that ``giver`` hands ``shift_key`` to ``taker`` (and ``taker`` hands ``back_shift_key``
    to ``giver``). Doctors by id or name; shifts as keys. Raises ``SwapRefused`` (Norwegian) when
    the trade cannot be made at all."""
    return SwapChecker(scenario, roster).check(giver, shift_key, taker, back_shift_key)


def _num(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}".replace(".", ",").replace("-", "−")


def _pct(x: float | None) -> str:
    return "–" if x is None else ("+" if x >= 0 else "") + _num(100 * x, 0) + " %"


def format_swap(result: SwapResult) -> str:
    """Plain Norwegian text for the CLI (and anyone else who shows a swap check)."""
    lines = [f"Bytte: {result.description}."]
    if result.legal:
        lines.append("Byttet er lovlig: det gir ingen nye brudd på harde regler og gjør ingen brudd verre.")
    if result.new_violations:
        n = len(result.new_violations)
        lines.append(f"Byttet er ikke lovlig: det gir {count(n, 'nytt', 'nye')} brudd på harde regler:")
        lines += [f"  - {v.message}" for v in result.new_violations]
    if result.worsened:
        lead = "Det" if result.new_violations else "Byttet er ikke lovlig: det"
        lines.append(f"{lead} gjør {len(result.worsened)} brudd som fantes fra før, verre:")
        lines += [f"  - {v.message}" for v in result.worsened]
    if result.resolved:
        lines.append(f"Byttet retter {len(result.resolved)} brudd som fantes fra før:")
        lines += [f"  - {v.message}" for v in result.resolved]
    if result.unchanged:
        lines.append(f"Vaktplanen har {len(result.unchanged)} brudd eller {OPEN_PLACES} fra før som byttet verken "
                     "retter eller gjør verre.")
    lines.append("Belastning i perioden (poeng; målet er legens rettferdige andel av perioden, flyttet etter "
                 "historikken):")
    for c in result.burden:
        lines.append(
            f"  - {c.name}: {c.shifts_before} → {c.shifts_after} vakter, {_num(c.points_before)} → "
            f"{_num(c.points_after)} poeng mot mål {_num(c.target)}, avvik {_pct(c.deviation_before)} → "
            f"{_pct(c.deviation_after)}"
        )
    return "\n".join(lines)
