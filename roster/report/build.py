"""The comparison behind every report format: rosters side by side, metric by metric.

Each roster is checked and measured against its own scenario, because a rule-set comparison
(``roster compare``) solves the same month under different scenarios. The summary rows carry a
direction (is lower better?) and the smallest difference that matters, so every output highlights
the same differences and none that are noise. ``unlike`` says up front when the rosters differ in
staffing or history, so a reader does not take a burden difference for a fairness difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from roster.calendar import ShiftIndex
from roster.check import RULES, Violation, check_roster, unexpected_violations
from roster.metrics import (
    CoarseShifts,
    DoctorMetrics,
    GroupMetrics,
    HolidayTurn,
    PoolMetrics,
    coarse_shifts,
    doctor_metrics,
    groups,
    holiday_turns,
    moved,
    pool_metrics,
)
from roster.models import Roster, Scenario, SolveStatus
from roster.terms import OPEN_PLACES, decimal, open_places, status_word

LOWER, HIGHER = "lavere", "høyere"  # which way a row is better


@dataclass
class RosterView:
    """One roster with everything the report shows about it."""

    label: str
    scenario: Scenario
    roster: Roster
    metrics: list[DoctorMetrics]
    groups: list[GroupMetrics]
    violations: list[Violation]  # every hard-rule break, declared open slots included
    unexpected: list[Violation]  # the breaks the roster does not declare: what makes it illegal to publish
    index: ShiftIndex = field(repr=False)
    pools: list[PoolMetrics] = field(default_factory=list)
    holidays: list[HolidayTurn] = field(default_factory=list)  # Christmas, New Year, Easter in the roster
    coarse: list[CoarseShifts] = field(default_factory=list)  # per pool, shifts too big for their doctor's share

    @property
    def repeated_holidays(self) -> int:
        """Shifts on a holiday the doctor also worked the year before (the rotation)."""
        return sum(t.shifts for t in self.holidays if t.last_year)

    @property
    def found(self) -> bool:
        """Whether there is a roster to measure: a rule set the solver found none for would read as
        the fairest roster of all (nobody carries anything), so it gets no figures."""
        stats = self.roster.stats
        return bool(self.roster.assignments) or stats is None or stats.status in (SolveStatus.OPTIMAL,
                                                                                   SolveStatus.FEASIBLE)

    @property
    def everyone(self) -> GroupMetrics:
        return self.groups[0]

    @property
    def open_slots(self) -> int:
        """Places the scenario asks for that nobody fills, by the checker: a hand-made roster that
        leaves a place empty without saying so must not look better than one that says so."""
        return sum(v.missing or 0 for v in self.violations if v.rule == "bemanning")

    @property
    def uncovered_bakvakt_hours(self) -> float:
        """Hours a station is open without a named bakvakt, by the checker (declared or not)."""
        return sum((v.end - v.start).total_seconds() / 3600 for v in self.violations
                   if v.rule == "bakvakt-dekning" and v.start is not None and v.end is not None)

    def violation_counts(self) -> list[tuple[str, str, int]]:
        """(rule code, Norwegian rule name, count) of the undeclared breaks, most frequent first."""
        counts = Counter(v.rule for v in self.unexpected)
        return [(rule, RULES.get(rule, rule), n) for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def gaps(self) -> list[int]:
        """Days between consecutive shifts of each doctor, all doctors pooled."""
        out: list[int] = []
        for shifts in self.roster.by_doctor().values():
            days = [a.date for a in shifts]
            out += [(b - a).days for a, b in zip(days, days[1:])]
        return out


@dataclass(frozen=True)
class Row:
    """One line of the summary table: a name, its one-line definition and a value per roster."""

    name: str
    definition: str
    values: list[float | None]
    better: str | None  # LOWER, HIGHER or None when neither direction is better
    decimals: int = 0
    material: float = 0.0  # a smaller difference is noise: not coloured, not called better or worse

    def matters(self, a: float, b: float) -> bool:
        diff = abs(round(b, self.decimals) - round(a, self.decimals))
        return diff > 0 and diff >= self.material - 1e-9

    def differs(self) -> bool:
        present = [v for v in self.values if v is not None]
        return any(self.matters(present[0], v) for v in present[1:])

    def differs_at(self, i: int) -> bool:
        """Whether roster ``i``'s value differs from the first roster's by enough to colour."""
        first, value = self.values[0], self.values[i]
        return i > 0 and first is not None and value is not None and self.matters(first, value)

    def verdict(self, i: int) -> str:
        """'bedre', 'dårligere' or '' for roster ``i`` against the first roster."""
        first, value = self.values[0], self.values[i]
        if i == 0 or self.better is None or first is None or value is None:
            return ""
        if not self.matters(first, value):
            return ""
        return "bedre" if (value < first) == (self.better == LOWER) else "dårligere"

    def fmt(self, value: float | None) -> str:
        return decimal(value, self.decimals)

    def delta(self, i: int) -> str:
        first, value = self.values[0], self.values[i]
        if i == 0 or first is None or value is None:
            return ""
        d = round(value - first, self.decimals)
        return ("+" if d > 0 else "") + self.fmt(d) if d else ""


# The smallest difference in normalised burden (1,00 = fair share) that the report colours: 0,05 is
# five percentage points of a doctor's share, about one evening shift in a month for a normal share;
# the dispersion figures move by about a tenth of that for the same change.
MATERIAL = {"min": 0.05, "median": 0.05, "max": 0.05, "spread": 0.05, "std": 0.01, "cv": 0.01, "gini": 0.01,
            "jain": 0.01}
# Group table columns: (GroupMetrics field, Norwegian heading, decimals)
GROUP_STATS = (("doctors", "Leger", 0), ("min", "Min", 2), ("median", "Median", 2), ("max", "Maks", 2),
               ("spread", "Spenn", 2), ("std", "Std.avvik", 3), ("cv", "Var.koeff.", 3), ("gini", "Gini", 3),
               ("jain", "Jain", 3), ("over_target", "Over mål", 0))
MOST_LOADED = 10
TARGET_ROWS = 25  # doctors whose targets the report explains, furthest from the nominal first


def check_view(label: str, scenario: Scenario, roster: Roster) -> RosterView:
    """Measure and check one roster against its scenario (the independent checker is the judge).
    Without a roster (``RosterView.found``) nothing is measured."""
    index = ShiftIndex(scenario)
    view = RosterView(label=label, scenario=scenario, roster=roster, metrics=[], groups=[], violations=[],
                      unexpected=[], index=index)
    if view.found:
        view.metrics = doctor_metrics(scenario, roster, index)
        view.groups = groups(scenario, view.metrics)
        view.pools = pool_metrics(view.metrics)
        view.violations = check_roster(scenario, roster)
        view.unexpected = unexpected_violations(scenario, roster)
        view.holidays = holiday_turns(scenario, roster)
        view.coarse = coarse_shifts(roster, view.metrics, index)
    return view


def _total(view: RosterView, f: Callable[[DoctorMetrics], float]) -> float:
    return float(sum(f(m) for m in view.metrics))


def _max(view: RosterView, f: Callable[[DoctorMetrics], float]) -> float:
    return float(max((f(m) for m in view.metrics), default=0))


def summary_rows(views: list[RosterView]) -> list[Row]:
    """The side-by-side summary: coverage, legality, then fairness of everyone, then frequency."""

    def row(name: str, definition: str, f: Callable[[RosterView], float | None], better: str | None,
            decimals: int = 0, material: float = 0.0) -> Row:
        return Row(name, definition, [f(v) if v.found else None for v in views], better, decimals, material)

    def grp(attr: str) -> Callable[[RosterView], float | None]:
        return lambda v: getattr(v.everyone, attr)

    def mean_gap(v: RosterView) -> float | None:
        gaps = [m.mean_gap_days for m in v.metrics if m.mean_gap_days is not None]
        return sum(gaps) / len(gaps) if gaps else None

    return [
        row("Tildelte vakter", "antall lege-vakter i vaktplanen", lambda v: len(v.roster.assignments), None),
        row(OPEN_PLACES.capitalize(), "plasser scenarioet krever som ingen lege fyller, meldt i vaktplanen eller ikke "
            "(uavhengig kontroll)", lambda v: v.open_slots, LOWER),
        row("Timer uten bakvakt", "timer med åpen stasjon og ingen navngitt spesialist på bakvakt, meldt i vaktplanen "
            "eller ikke (uavhengig kontroll; mål: 0)", lambda v: v.uncovered_bakvakt_hours, LOWER, 1),
        row("Regelbrudd", "brudd på harde regler som vaktplanen ikke selv melder (uavhengig kontroll)", lambda v: len(v.unexpected), LOWER),
        row("Leger med vakt", "leger med minst én vakt", lambda v: sum(1 for m in v.metrics if m.shifts), HIGHER),
        row("Laveste belastning", "minste belastning i forhold til mål (1,00 = rettferdig andel)", grp("min"), HIGHER, 2,
            MATERIAL["min"]),
        row("Median belastning", "median av belastning i forhold til mål", grp("median"), None, 2, MATERIAL["median"]),
        row("Høyeste belastning", "største belastning i forhold til mål", grp("max"), LOWER, 2, MATERIAL["max"]),
        row("Spenn", "høyeste − laveste belastning", grp("spread"), LOWER, 2, MATERIAL["spread"]),
        row("Standardavvik", "standardavvik av belastning (populasjon)", grp("std"), LOWER, 3, MATERIAL["std"]),
        row("Variasjonskoeffisient", "standardavvik / gjennomsnitt", grp("cv"), LOWER, 3, MATERIAL["cv"]),
        row("Gini", "Gini-koeffisient av belastning (0 = helt jevnt)", grp("gini"), LOWER, 3, MATERIAL["gini"]),
        row("Jain", "Jains rettferdighetsindeks (1 = helt jevnt)", grp("jain"), HIGHER, 3, MATERIAL["jain"]),
        row("Over mål (> 10 %)", "leger med belastning mer enn 10 % over målet", grp("over_target"), LOWER),
        row("Flest netter", "høyeste antall nattevakter for én lege", lambda v: _max(v, lambda m: m.nights), LOWER),
        row("Flest helgevakter", "høyeste antall helgevakter for én lege", lambda v: _max(v, lambda m: m.weekends), LOWER),
        row("Flest helligdagsvakter", "høyeste antall helligdagsvakter for én lege", lambda v: _max(v, lambda m: m.holidays), LOWER),
        row("Samme høytid som i fjor", "vakter i jul, nyttår eller påske for en lege som hadde samme høytid året før "
            "(høytidsvaktene i scenarioet)", lambda v: v.repeated_holidays, LOWER),
        row("Snitt dager mellom vakter", "gjennomsnitt over leger med minst to vakter av snittavstanden mellom vaktene",
            mean_gap, HIGHER, 1, 0.5),
        row("Vakter innen 3 dager", "par av vakter for samme lege høyst 3 dager fra hverandre, sum", lambda v: _total(v, lambda m: m.pairs_within_3), LOWER),
        row("Vakter innen 7 dager", "par av vakter for samme lege høyst 7 dager fra hverandre, sum", lambda v: _total(v, lambda m: m.pairs_within_7), LOWER),
        row("Lengste vaktrekke", "flest påfølgende dager med vakt for én lege", lambda v: _max(v, lambda m: m.longest_run), LOWER),
        row("Ønsker innfridd", "ønsker og ikke-ønsker som vaktplanen følger", lambda v: _total(v, lambda m: m.wishes_granted), HIGHER),
        row("Ønsker ikke innfridd", "ønsker og ikke-ønsker som vaktplanen bryter", lambda v: _total(v, lambda m: m.wishes_denied), LOWER),
    ]


def group_rows(views: list[RosterView]) -> list[tuple[str, list[GroupMetrics | None]]]:
    """Every group (all, roles, stations) with its statistics per roster, in first-seen order."""
    names = list(dict.fromkeys(g.group for v in views for g in v.groups))
    by_view = [{g.group: g for g in v.groups} for v in views]
    return [(name, [b.get(name) for b in by_view]) for name in names]



def group_differs(key: str, decimals: int, first: float | None, value: float | None) -> bool:
    """Whether a group figure differs from the first roster's by enough to colour."""
    if first is None or value is None:
        return False
    return Row(key, "", [first, value], None, decimals, MATERIAL.get(key, 0.0)).differs()


def most_loaded(view: RosterView, n: int = MOST_LOADED) -> list[DoctorMetrics]:
    """The doctors carrying most this period (burden points), heaviest first; history is shown
    beside it but does not rank, so two rosters of one month are ranked on the month itself."""
    return sorted(view.metrics, key=lambda m: (-m.points, m.name))[:n]


def moved_targets(view: RosterView, n: int = TARGET_ROWS) -> list[DoctorMetrics]:
    """The doctors whose target is furthest from their nominal share (``roster.metrics.moved``)."""
    return moved(view.metrics, n)


def _history_by_doctor(view: RosterView) -> dict[str, float]:
    return {h.doctor: round(h.points, 1) for h in view.scenario.history if h.points or h.shifts}


def unlike(views: list[RosterView]) -> list[str]:
    """Norwegian notes on the rosters that are missing, and on how the others differ in staffing
    (assignments, unfilled places, the doctors), carried-over history or burden weights; empty when
    they compare like for like."""
    if len(views) < 2:
        return []
    notes = []
    for v in views:
        if not v.found:
            status = status_word(v.roster.stats.status.value) if v.roster.stats else "ukjent"
            notes.append(f"«{v.label}» har ingen vaktplan (løseren fant ingen, status: {status}); tallene står som –.")
    found = [v for v in views if v.found]
    staffing = [(len(v.roster.assignments), v.open_slots) for v in found]
    if len(set(staffing)) > 1:
        parts = [f"«{v.label}» har {a} vakter og {open_places(o)}" for v, (a, o) in zip(found, staffing)]
        notes.append("Vaktplanene er ikke like bemannet: " + ", ".join(parts) + ". Flere vakter gir mer "
                     "belastning å fordele, så sammenlign belastningen med det i mente.")
    doctors = [frozenset(d.id for d in v.scenario.doctors) for v in views]
    if len(set(doctors)) > 1:
        notes.append("Legene er ikke de samme: " + ", ".join(f"«{v.label}» har {len(d)} leger"
                                                             for v, d in zip(views, doctors)) + ".")
    histories = [_history_by_doctor(v) for v in views]
    if any(h != histories[0] for h in histories[1:]):
        parts = [f"«{v.label}» har historikk for {len(h)} leger ({sum(h.values()):.0f} poeng)"
                 for v, h in zip(views, histories)]
        notes.append("Historikken er ulik: " + ", ".join(parts) + ". Målene tar med historikken (hovedboken); "
                     "poeng denne perioden gjør ikke det.")
    if any(v.scenario.rules.burden != views[0].scenario.rules.burden for v in views[1:]):
        notes.append("Belastningsvektene er ulike, og hver vaktplan måles med sine egne: poeng, nivå og hovedbok "
                     "kan ikke sammenlignes direkte mellom dem, belastning i forhold til mål kan.")
    return notes
