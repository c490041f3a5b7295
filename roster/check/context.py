"""What every rule of the checker reads: the rule codes, a violation, the period's shifts computed
here from the templates (real times, night hours, staffing with demand changes) and the roster's
valid assignments per shift and per doctor."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from roster.check.competence import may_work_alone
from roster.check.days import DayTypes
from roster.check.times import DAY, EPS, OSLO, as_utc, dmy, hm, hours_between, instant, span
from roster.models import (
    BurdenCategory,
    CarriedShift,
    DemandChange,
    Doctor,
    DutyKind,
    Roster,
    Scenario,
    ShiftTemplate,
    shift_key,
)

#: Rule codes of docs/hard-rules.md (in its order) with a Norwegian title for reports.
RULES: dict[str, str] = {
    "ukjent-vakt": "Ukjent lege eller vakt",
    "dobbel": "Samme lege to ganger på en vakt",
    "bemanning": "Bemanning",
    "kompetanse": "Leger som kan gå alene",
    "alene": "Ikke-kvalifisert lege alene",
    "veiledning": "Bakvakt for lege som ikke kan gå alene",
    "bakvakt-dekning": "Bakvakt mens legevakten er åpen",
    "bakvakt-evne": "Hvem kan være bakvakt",
    "stasjon": "Stasjon",
    "vakttype": "Vakttype",
    "ferdighet": "Ferdighet",
    "kurs": "Kurs",
    "fravær": "Fravær",
    "fritak": "Fritak 16–08",
    "overlapp": "Overlappende vakter",
    "hvile": "Hvile mellom vakter",
    "ukehvile": "Ukehvile",
    "søndagsfri": "Fri søn- eller helligdag etter søndagsarbeid",
    "rekkefølge": "Vakttyper som ikke kan følge hverandre",
    "veiledningsdag": "Natt før veiledningsdag",
    "praksisdag": "Natt før praksisdag",
    "netter": "Netter på rad",
    "nattblokk": "Netter i blokk",
    "dager-på-rad": "Arbeidsdager på rad",
    "min-dager-på-rad": "Korteste arbeidsperiode",
    "fridager": "Fridager mellom arbeidsperioder",
    "uke-vakter": "Vakter per 7 dager",
    "uke-timer": "Timer per 7 dager",
    "antall": "Antall vakter i perioden",
    "antall-type": "Antall vakter per vakttype",
    "timer": "Timer i perioden",
    "helger": "Helger",
    "låst": "Låste vakter",
}
RULE_ORDER = {code: i for i, code in enumerate(RULES)}


@dataclass(frozen=True)
class Violation:
    """One broken hard rule. ``start``/``end`` place it on the timeline (for sorting and for the
    bakvakt gaps); ``missing`` is the shortfall of an understaffed shift, matched against the
    roster's declared open slots. ``excess`` is how far the rule's figure is past its limit, over
    a maximum positive and under a minimum negative (3 shifts against a maximum of 1: 2), for the
    rules whose breach stays in its place while the figure moves (a period's count or hours, a
    7-day window, a shift's staff): a change there can make a breach worse without making a new
    one. ``run``: the breach is a run of dates (nights, working days, days off) whose ends move
    when a shift next to it is added or taken: a run after a change that overlaps one before is the
    same breach, however far its ends moved."""

    rule: str
    message: str
    doctor: str | None = None
    shift: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    missing: int | None = None
    excess: float | None = None
    run: bool = False

    @property
    def place(self) -> tuple[object, ...]:
        """Where the breach is and on which side of its limit: two check results of one roster
        before and after a change hold the same breach when its place is the same, whatever its
        figures (``worse_than`` compares those)."""
        side = None if self.excess is None else self.excess > 0
        return (self.rule, self.doctor, self.shift, self.start, self.end, side)

    def same_run(self, earlier: Violation) -> bool:
        """``earlier``'s run after a change: one doctor's runs of one rule overlap only when one
        grew or shrank into the other."""
        return (self.run and earlier.run and self.rule == earlier.rule and self.doctor == earlier.doctor
                and self.place[-1] == earlier.place[-1] and self.start < earlier.end and earlier.start < self.end)

    def worse_than(self, earlier: Violation) -> bool:
        """The same breach further past its limit than ``earlier`` (3 shifts against a maximum of
        1 where there were 2)."""
        return self.excess is not None and earlier.excess is not None and abs(self.excess) > abs(earlier.excess) + EPS


@dataclass(frozen=True, eq=False)
class Shift:
    key: str
    template: ShiftTemplate
    date: dt.date
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    text: str  # "Natt Bergen legevakt 03.12.2026 23:00–08:00"
    night: bool
    demand_min: int  # the template's, or the date's demand change
    demand_max: int
    min_qualified: int

    @property
    def on_site(self) -> bool:
        return self.template.duty == DutyKind.ON_SITE

    @property
    def hours(self) -> float:
        return hours_between(self.start, self.end)

    @property
    def label(self) -> str:
        return self.template.label

    @property
    def carried(self) -> bool:
        """A shift of this period's roster (``Earlier`` is one from before it)."""
        return False


@dataclass(frozen=True, eq=False)
class Earlier:
    """A shift carried in from before the period (``scenario.carry_in``): it is judged only
    together with a shift of the period, never on its own (that was the last period's roster)."""

    key: str
    date: dt.date  # Oslo date it starts
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC
    text: str  # "Natt (forrige periode) 30.11.2026 23:00–01.12.2026 08:00"
    night: bool
    label: str
    on_site: bool
    carried: bool = True

    @property
    def hours(self) -> float:
        return hours_between(self.start, self.end)


def _earlier(i: int, c: CarriedShift, scenario: Scenario) -> Earlier:
    """The checker's own reading of a carried shift: naive moments are Oslo time; a night when
    ``night`` says so or, when empty, by its night hours under this period's rules."""
    start, end = as_utc(c.start), as_utc(c.end)
    if c.night is not None:
        night = c.night
    else:
        night = _night_hours(start, end, scenario) >= scenario.rules.night_category_min_hours - EPS
    label = c.label[:1].upper() + c.label[1:]
    return Earlier(f"forrige:{i}", start.astimezone(OSLO).date(), start, end,
                   f"{label} (forrige periode) {span(start, end)}", night, c.label, c.duty == DutyKind.ON_SITE)


def _runs_on(template: ShiftTemplate, day: dt.date, day_types: DayTypes) -> bool:
    """A template runs on a date when the date's day type is one of its day types and the date is
    inside its active dates."""
    if template.active_from is not None and day < template.active_from:
        return False
    if template.active_to is not None and day > template.active_to:
        return False
    return day_types(day) in template.day_types


def _night_hours(start: dt.datetime, end: dt.datetime, scenario: Scenario) -> float:
    """Real hours of [start, end) between ``night_start`` and ``night_end`` of any day."""
    r = scenario.rules
    total = 0.0
    first = start.astimezone(OSLO).date() - DAY
    last = end.astimezone(OSLO).date()
    day = first
    while day <= last:
        w_start = instant(day, r.night_start)
        w_end = instant(day + DAY if r.night_end <= r.night_start else day, r.night_end)
        s, e = max(start, w_start), min(end, w_end)
        if s < e:
            total += hours_between(s, e)
        day += DAY
    return total


def _staffing(template: ShiftTemplate, change: DemandChange | None) -> tuple[int, int, int]:
    """A demand change sets demand_min; an empty maximum is the template's or, if that is less,
    demand_min, and 0 with a minimum of 0 (the shift is closed); an empty min_qualified is the
    template's or, if that is more, demand_min."""
    if change is None:
        return template.demand_min, template.demand_max, template.min_qualified
    low = change.demand_min
    if change.demand_max is not None:
        high = change.demand_max
    elif low == 0:
        high = 0
    else:
        high = max(template.demand_max, low)
    qualified = min(template.min_qualified, low) if change.min_qualified is None else change.min_qualified
    return low, high, qualified


def _make_shift(scenario: Scenario, template: ShiftTemplate, day: dt.date, station_name: str,
                change: DemandChange | None) -> Shift:
    start = instant(day, template.start)
    end = instant(day + DAY if template.end < template.start else day, template.end)
    # a night by its hours whatever counts_as says (it prices a shift), or by counts_as
    night = (_night_hours(start, end, scenario) >= scenario.rules.night_category_min_hours - EPS
             or BurdenCategory.NIGHT in (template.counts_as or ()))
    label = template.label[:1].upper() + template.label[1:]
    text = f"{label} {station_name} {dmy(day)} {hm(start)}–{hm(end)}"
    return Shift(shift_key(template.id, day), template, day, start, end, text, night, *_staffing(template, change))


class Context:
    """Everything the rules need, computed once: the period's shifts and the valid assignments."""

    def __init__(self, scenario: Scenario, roster: Roster):
        self.scenario = scenario
        self.rules = scenario.rules
        self.day_types = DayTypes(scenario)
        self.doctors: dict[str, Doctor] = {d.id: d for d in scenario.doctors}
        self.templates: dict[str, ShiftTemplate] = {t.id: t for t in scenario.templates}
        stations = {s.id: s.name for s in scenario.stations}
        self.qualified = {d.id: may_work_alone(d, self.rules) for d in scenario.doctors}
        changes = {(c.template, c.date): c for c in scenario.demand_changes}
        self.shifts: dict[str, Shift] = {}
        for day in scenario.period.days():
            for t in scenario.templates:
                if _runs_on(t, day, self.day_types):
                    s = _make_shift(scenario, t, day, stations.get(t.station, t.station), changes.get((t.id, day)))
                    self.shifts[s.key] = s
        self.unknown: list[Violation] = []
        self.doubles: list[Violation] = []
        counts = Counter((a.doctor, a.template, a.date) for a in roster.assignments)
        self.staff: dict[str, list[str]] = defaultdict(list)  # shift key -> doctor ids
        self.by_doctor: dict[str, list[Shift]] = defaultdict(list)  # sorted by start
        for (doc, tpl, day), n in counts.items():
            key = shift_key(tpl, day)
            problem = self._unknown_reason(doc, tpl, day)
            if problem:
                self.unknown.append(Violation("ukjent-vakt", problem, doc, key, instant(day, dt.time(0))))
                continue
            shift = self.shifts[key]
            if n > 1:
                self.doubles.append(Violation(
                    "dobbel", f"{self.name(doc)} står {n} ganger på {shift.text}.", doc, key,
                    shift.start, shift.end,
                ))
            self.staff[key].append(doc)
            self.by_doctor[doc].append(shift)
        for shifts in self.by_doctor.values():
            shifts.sort(key=lambda s: (s.start, s.end, s.key))
        self.before: dict[str, list[Earlier]] = defaultdict(list)  # carried in, sorted by start
        for i, c in enumerate(scenario.carry_in):
            self.before[c.doctor].append(_earlier(i, c, scenario))
        for earlier in self.before.values():
            earlier.sort(key=lambda s: (s.start, s.end, s.key))
        self.known_from = scenario.carry_in_from or scenario.period.start  # complete knowledge from here

    def with_before(self, doctor_id: str) -> list[Shift | Earlier]:
        """The doctor's carried shifts, then the period's, in start order (carried ones start
        before the period)."""
        return [*self.before.get(doctor_id, ()), *self.by_doctor.get(doctor_id, ())]

    def _unknown_reason(self, doctor: str, template: str, day: dt.date) -> str | None:
        where = f"{template} {dmy(day)}"
        if doctor not in self.doctors:
            return f"Ukjent lege «{doctor}» på vakt {where}."
        if template not in self.templates:
            return f"{self.name(doctor)}: ukjent vakttype «{template}» ({dmy(day)})."
        if day not in self.scenario.period:
            return (f"{self.name(doctor)}: vakten {where} er utenfor perioden "
                    f"{dmy(self.scenario.period.start)}–{dmy(self.scenario.period.end)}.")
        if shift_key(template, day) not in self.shifts:
            return (f"{self.name(doctor)}: vakttypen «{template}» går ikke {dmy(day)} "
                    f"({self.day_types(day).value}).")
        return None

    def name(self, doctor_id: str) -> str:
        d = self.doctors.get(doctor_id)
        return d.name if d else doctor_id

    def assignments(self) -> Iterator[tuple[Doctor, Shift]]:
        """(doctor, shift) of every valid assignment, each once."""
        for doc, shifts in self.by_doctor.items():
            for s in shifts:
                yield self.doctors[doc], s

    def windows(self) -> list[tuple[dt.date, dt.date]]:
        """The 7-date windows of uke-vakter/uke-timer; a period under 7 days is one window."""
        p = self.scenario.period
        if (p.end - p.start).days < 6:
            return [(p.start, p.end)]
        return [(d, d + 6 * DAY) for d in p.days() if d + 6 * DAY <= p.end]


def own_or_rule(own: int | None, rule: int | None) -> int | None:
    """A doctor's own limit, else the rules'."""
    return rule if own is None else own
