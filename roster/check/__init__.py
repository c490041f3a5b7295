"""The independent hard-rule checker: the oracle every roster must pass before it is published.

It implements ``docs/hard-rules.md`` a second time, straight from the text, and shares no code with
the CP-SAT model (``solver/``), with ``roster.eligibility.Eligibility`` or with ``roster.targets``:
shift instances, real times, night hours, overlaps, rest gaps and windows are computed here, so a
mistake in either place shows up as a disagreement. It uses only the models, the holiday calendar
(day types) and ``qualification`` (akuttmedisinforskriften §7, pure data → yes/no).

All arithmetic is on UTC instants, so durations are real hours across daylight-saving changes;
times are shown in Oslo wall-clock time. Each rule is one small function returning violations
with a Norwegian message that names the doctor, the shift and the numbers.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from roster.days import HolidayCalendar
from roster.eligibility import qualification
from roster.models import (
    BurdenCategory,
    DemandChange,
    Doctor,
    DutyKind,
    Employment,
    Roster,
    Scenario,
    ShiftTemplate,
    Supervision,
    shift_key,
)

_OSLO = ZoneInfo("Europe/Oslo")
_UTC = dt.timezone.utc
_DAY = dt.timedelta(days=1)
_EPS = 1e-9

Interval = tuple[dt.datetime, dt.datetime]

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
    "rekkefølge": "Vakttyper som ikke kan følge hverandre",
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
_RULE_ORDER = {code: i for i, code in enumerate(RULES)}


@dataclass(frozen=True)
class Violation:
    """One broken hard rule. ``start``/``end`` place it on the timeline (for sorting and for the
    bakvakt gaps); ``missing`` is the shortfall of an understaffed shift, matched against the
    roster's declared open slots."""

    rule: str
    message: str
    doctor: str | None = None
    shift: str | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    missing: int | None = None


# --------------------------------------------------------------------------- time helpers


def _instant(day: dt.date, time: dt.time) -> dt.datetime:
    """Oslo wall-clock time on a day as a UTC instant (a time skipped in March lands an hour later)."""
    return dt.datetime.combine(day, time, tzinfo=_OSLO).astimezone(_UTC)


def _as_utc(moment: dt.datetime) -> dt.datetime:
    """Naive datetimes in scenario files and rosters are Oslo wall-clock times."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_OSLO)
    return moment.astimezone(_UTC)


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 3600


def _num(x: float) -> str:
    """Norwegian number: decimal comma, at most two decimals."""
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _hm(moment: dt.datetime) -> str:
    return moment.astimezone(_OSLO).strftime("%H:%M")


def _dmy(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(_OSLO)
    return moment.strftime("%d.%m.%Y")


def _span(start: dt.datetime, end: dt.datetime) -> str:
    """``03.12.2026 14:00–16:00``, or with both dates when the interval crosses midnight."""
    if end.astimezone(_OSLO).date() == start.astimezone(_OSLO).date():
        return f"{_dmy(start)} {_hm(start)}–{_hm(end)}"
    return f"{_dmy(start)} {_hm(start)}–{_dmy(end)} {_hm(end)}"


def _union(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _subtract(base: list[Interval], cut: list[Interval]) -> list[Interval]:
    """Parts of ``base`` not inside ``cut`` (both merged and sorted)."""
    out: list[Interval] = []
    j = 0
    for s, e in base:
        while j < len(cut) and cut[j][1] <= s:
            j += 1
        k, cur = j, s
        while k < len(cut) and cut[k][0] < e:
            if cut[k][0] > cur:
                out.append((cur, cut[k][0]))
            cur = max(cur, cut[k][1])
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


# --------------------------------------------------------------------------- shifts


@dataclass(frozen=True, eq=False)
class _Shift:
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
        return _hours(self.start, self.end)


def _runs_on(template: ShiftTemplate, day: dt.date, calendar: HolidayCalendar) -> bool:
    """A template runs on a date when the date's day type is one of its day types and the date is
    inside its active dates."""
    if template.active_from is not None and day < template.active_from:
        return False
    if template.active_to is not None and day > template.active_to:
        return False
    return calendar.day_type(day) in template.day_types


def _night_hours(start: dt.datetime, end: dt.datetime, scenario: Scenario) -> float:
    """Real hours of [start, end) between ``night_start`` and ``night_end`` of any day."""
    r = scenario.rules
    total = 0.0
    first = start.astimezone(_OSLO).date() - _DAY
    last = end.astimezone(_OSLO).date()
    day = first
    while day <= last:
        w_start = _instant(day, r.night_start)
        w_end = _instant(day + _DAY if r.night_end <= r.night_start else day, r.night_end)
        s, e = max(start, w_start), min(end, w_end)
        if s < e:
            total += _hours(s, e)
        day += _DAY
    return total


def _staffing(template: ShiftTemplate, change: DemandChange | None) -> tuple[int, int, int]:
    """A demand change sets demand_min; an empty maximum is the template's or, if that is less,
    demand_min; an empty min_qualified is the template's or, if that is more, demand_min."""
    if change is None:
        return template.demand_min, template.demand_max, template.min_qualified
    low = change.demand_min
    high = max(template.demand_max, low) if change.demand_max is None else change.demand_max
    qualified = min(template.min_qualified, low) if change.min_qualified is None else change.min_qualified
    return low, high, qualified


def _make_shift(scenario: Scenario, template: ShiftTemplate, day: dt.date, station_name: str,
                change: DemandChange | None) -> _Shift:
    start = _instant(day, template.start)
    end = _instant(day + _DAY if template.end < template.start else day, template.end)
    if template.counts_as is not None:
        night = BurdenCategory.NIGHT in template.counts_as
    else:
        night = _night_hours(start, end, scenario) >= scenario.rules.night_category_min_hours - _EPS
    label = template.label[:1].upper() + template.label[1:]
    text = f"{label} {station_name} {_dmy(day)} {_hm(start)}–{_hm(end)}"
    return _Shift(shift_key(template.id, day), template, day, start, end, text, night, *_staffing(template, change))


class _Context:
    """Everything the rules need, computed once: the period's shifts and the valid assignments."""

    def __init__(self, scenario: Scenario, roster: Roster):
        self.scenario = scenario
        self.rules = scenario.rules
        self.calendar = scenario.holiday_calendar()
        self.doctors: dict[str, Doctor] = {d.id: d for d in scenario.doctors}
        self.templates: dict[str, ShiftTemplate] = {t.id: t for t in scenario.templates}
        stations = {s.id: s.name for s in scenario.stations}
        self.qualified = {d.id: qualification(d, self.rules).qualified for d in scenario.doctors}
        changes = {(c.template, c.date): c for c in scenario.demand_changes}
        self.shifts: dict[str, _Shift] = {}
        for day in scenario.period.days():
            for t in scenario.templates:
                if _runs_on(t, day, self.calendar):
                    s = _make_shift(scenario, t, day, stations.get(t.station, t.station), changes.get((t.id, day)))
                    self.shifts[s.key] = s
        self.unknown: list[Violation] = []
        self.doubles: list[Violation] = []
        counts = Counter((a.doctor, a.template, a.date) for a in roster.assignments)
        self.staff: dict[str, list[str]] = defaultdict(list)  # shift key -> doctor ids
        self.by_doctor: dict[str, list[_Shift]] = defaultdict(list)  # sorted by start
        for (doc, tpl, day), n in counts.items():
            key = shift_key(tpl, day)
            problem = self._unknown_reason(doc, tpl, day)
            if problem:
                self.unknown.append(Violation("ukjent-vakt", problem, doc, key, _instant(day, dt.time(0))))
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

    def _unknown_reason(self, doctor: str, template: str, day: dt.date) -> str | None:
        where = f"{template} {_dmy(day)}"
        if doctor not in self.doctors:
            return f"Ukjent lege «{doctor}» på vakt {where}."
        if template not in self.templates:
            return f"{self.name(doctor)}: ukjent vakttype «{template}» ({_dmy(day)})."
        if day not in self.scenario.period:
            return (f"{self.name(doctor)}: vakten {where} er utenfor perioden "
                    f"{_dmy(self.scenario.period.start)}–{_dmy(self.scenario.period.end)}.")
        if shift_key(template, day) not in self.shifts:
            return (f"{self.name(doctor)}: vakttypen «{template}» går ikke {_dmy(day)} "
                    f"({self.calendar.day_type(day).value}).")
        return None

    def name(self, doctor_id: str) -> str:
        d = self.doctors.get(doctor_id)
        return d.name if d else doctor_id

    def assignments(self) -> Iterator[tuple[Doctor, _Shift]]:
        """(doctor, shift) of every valid assignment, each once."""
        for doc, shifts in self.by_doctor.items():
            for s in shifts:
                yield self.doctors[doc], s

    def windows(self) -> list[tuple[dt.date, dt.date]]:
        """The 7-date windows of uke-vakter/uke-timer; a period under 7 days is one window."""
        p = self.scenario.period
        if (p.end - p.start).days < 6:
            return [(p.start, p.end)]
        return [(d, d + 6 * _DAY) for d in p.days() if d + 6 * _DAY <= p.end]


# --------------------------------------------------------------------------- the rules


def _check_unknown(ctx: _Context) -> list[Violation]:
    """ukjent-vakt: the assignment names an existing doctor and a shift that runs on that date."""
    return list(ctx.unknown)


def _check_double(ctx: _Context) -> list[Violation]:
    """dobbel: a doctor appears at most once on a shift."""
    return list(ctx.doubles)


def _check_staffing(ctx: _Context) -> list[Violation]:
    """bemanning: between demand_min and demand_max doctors; a shortfall carries its count."""
    out = []
    for key, shift in ctx.shifts.items():
        n = len(ctx.staff.get(key, ()))
        if n < shift.demand_min:
            missing = shift.demand_min - n
            out.append(Violation(
                "bemanning",
                f"{shift.text} har {n} {_leger(n)}; krever minst {shift.demand_min} ({missing} mangler).",
                None, key, shift.start, shift.end, missing,
            ))
        elif n > shift.demand_max:
            out.append(Violation(
                "bemanning", f"{shift.text} har {n} {_leger(n)}; maks {shift.demand_max}.",
                None, key, shift.start, shift.end,
            ))
    return out


def _leger(n: int) -> str:
    return "lege" if n == 1 else "leger"


def _vakter(n: int) -> str:
    return "vakt" if n == 1 else "vakter"


def _check_competence(ctx: _Context) -> list[Violation]:
    """kompetanse: at least min_qualified qualified doctors on an on-site shift; each missing doctor
    (open slot) may stand in for a qualified one."""
    out = []
    for key, shift in ctx.shifts.items():
        if not shift.on_site or shift.min_qualified == 0:
            continue
        staff = ctx.staff.get(key, [])
        qualified = sum(ctx.qualified[d] for d in staff)
        missing = max(0, shift.demand_min - len(staff))
        if qualified + missing < shift.min_qualified:
            out.append(Violation(
                "kompetanse",
                f"{shift.text} har {qualified} {_leger(qualified)} som kan gå alene"
                + (f" og {missing} ubesatt" if missing else "")
                + f"; krever {shift.min_qualified}.",
                None, key, shift.start, shift.end,
            ))
    return out


def _check_alone(ctx: _Context) -> list[Violation]:
    """alene: a doctor who is not qualified works on site only beside a qualified doctor."""
    out = []
    for doctor, shift in ctx.assignments():
        if not shift.on_site or ctx.qualified[doctor.id]:
            continue
        if not any(ctx.qualified[d] for d in ctx.staff[shift.key] if d != doctor.id):
            out.append(Violation(
                "alene",
                f"{doctor.name} kan ikke gå alene, men har ingen kvalifisert lege med seg på {shift.text}.",
                doctor.id, shift.key, shift.start, shift.end,
            ))
    return out


def _on_call_staff(ctx: _Context) -> list[tuple[_Shift, str]]:
    """(on-call shift, doctor) of every valid on-call assignment, sorted by start."""
    out = [(s, d.id) for d, s in ctx.assignments() if not s.on_site]
    out.sort(key=lambda x: (x[0].start, x[0].end))
    return out


def _check_supervision(ctx: _Context) -> list[Violation]:
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
        cover = _union([
            (s.start, s.end) for s, d in on_call[lo:hi]
            if d != doctor.id and ctx.qualified[d] and (s.template.on_call_can_attend or not attend)
        ])
        gaps = _subtract([(shift.start, shift.end)], cover)
        if gaps:
            kind = "kvalifisert bakvakt som kan møte" if attend else "kvalifisert bakvakt"
            hours = sum(_hours(s, e) for s, e in gaps)
            out.append(Violation(
                "veiledning",
                f"{doctor.name} kan ikke gå alene, men mangler {kind} i {_num(hours)} t "
                f"({', '.join(_span(s, e) for s, e in gaps)}) på {shift.text}.",
                doctor.id, shift.key, shift.start, shift.end,
            ))
    return out


def _bakvakt_gaps(ctx: _Context) -> list[Interval]:
    """Times an on-site shift with demand_min > 0 runs and no doctor is on an on-call shift."""
    open_ = _union([(s.start, s.end) for s in ctx.shifts.values() if s.on_site and s.demand_min > 0])
    covered = _union([(s.start, s.end) for s, _ in _on_call_staff(ctx)])
    return _subtract(open_, covered)


def _gap_violation(ctx: _Context, gap: Interval, note: str = "") -> Violation:
    s, e = gap
    stations = sorted({
        sh.template.station for sh in ctx.shifts.values()
        if sh.on_site and sh.demand_min > 0 and sh.start < e and s < sh.end
    })
    names = ", ".join(next((st.name for st in ctx.scenario.stations if st.id == sid), sid) for sid in stations)
    return Violation(
        "bakvakt-dekning",
        f"Ingen bakvakt {_span(s, e)} ({_num(_hours(s, e))} t) mens {names} er åpen{note}.",
        None, None, s, e,
    )


def _check_bakvakt_coverage(ctx: _Context) -> list[Violation]:
    """bakvakt-dekning: a doctor on call at every minute any station is open (the pilot rule),
    when the scenario has at least one on-call template."""
    if not any(t.duty == DutyKind.ON_CALL for t in ctx.scenario.templates):
        return []
    return [_gap_violation(ctx, g) for g in _bakvakt_gaps(ctx)]


def _check_bakvakt_ability(ctx: _Context) -> list[Violation]:
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


def _check_station(ctx: _Context) -> list[Violation]:
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


def _check_label(ctx: _Context) -> list[Violation]:
    """vakttype: a doctor with a shift_labels list works only shifts with those labels."""
    return [
        Violation(
            "vakttype", f"{d.name} går bare {', '.join(d.shift_labels)}, men har {s.text}.",
            d.id, s.key, s.start, s.end,
        )
        for d, s in ctx.assignments()
        if d.shift_labels and s.template.label not in d.shift_labels
    ]


def _check_skill(ctx: _Context) -> list[Violation]:
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


def _check_courses(ctx: _Context) -> list[Violation]:
    """kurs: every course is valid on the date the shift ends (expiry ≥ that date)."""
    out = []
    for d, s in ctx.assignments():
        ends = s.end.astimezone(_OSLO).date()
        for course, expiry in d.courses.items():
            if expiry < ends:
                out.append(Violation(
                    "kurs",
                    f"{d.name}: kurset «{course}» gikk ut {_dmy(expiry)}, før {s.text} slutter {_dmy(ends)}.",
                    d.id, s.key, s.start, s.end,
                ))
    return out


def _absence_interval(start: dt.datetime | dt.date, end: dt.datetime | dt.date) -> Interval:
    """Whole days run from 00:00 on the first day to 24:00 on the last."""
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        return _as_utc(start), _as_utc(end)
    return _instant(start, dt.time(0)), _instant(end + _DAY, dt.time(0))  # type: ignore[operator]


def _check_absence(ctx: _Context) -> list[Violation]:
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
                    f"{d.name} har fravær ({kind}) {_span(a_start, a_end)}, men har {s.text}.",
                    d.id, s.key, s.start, s.end,
                ))
    return out


def _check_exemption(ctx: _Context) -> list[Violation]:
    """fritak: on an exempt day D no shift overlaps exemption_start on D to exemption_end on D+1
    (fastlegeforskriften §13)."""
    r = ctx.rules
    out = []
    for d, s in ctx.assignments():
        if not d.exemptions:
            continue
        day = s.start.astimezone(_OSLO).date() - _DAY
        last = s.end.astimezone(_OSLO).date()
        while day <= last:
            w_start, w_end = _instant(day, r.exemption_start), _instant(day + _DAY, r.exemption_end)
            ex = next((e for e in d.exemptions if e.covers(day)), None)
            if ex is not None and s.start < w_end and w_start < s.end:
                out.append(Violation(
                    "fritak",
                    f"{d.name} er fritatt ({ex.reason.value}) for vakt {_span(w_start, w_end)}, "
                    f"men har {s.text}.",
                    d.id, s.key, s.start, s.end,
                ))
                break
            day += _DAY
    return out


def _check_overlap(ctx: _Context) -> list[Violation]:
    """overlapp: a doctor's shifts never overlap (sweep in start order, remembering the latest end)."""
    out = []
    for doc, shifts in ctx.by_doctor.items():
        latest: _Shift | None = None
        for s in shifts:
            if latest is not None and s.start < latest.end:
                overlap = _hours(s.start, min(s.end, latest.end))
                out.append(Violation(
                    "overlapp",
                    f"{ctx.name(doc)} har overlappende vakter: {latest.text} og {s.text} ({_num(overlap)} t).",
                    doc, s.key, s.start, s.end,
                ))
            if latest is None or s.end > latest.end:
                latest = s
    return out


def _work(ctx: _Context, doc: str) -> list[_Shift]:
    """Shifts that count as work for rest rules: on-site, and on-call unless it counts as rest."""
    return [s for s in ctx.by_doctor[doc] if s.on_site or not ctx.rules.on_call_counts_as_rest]


def _check_rest(ctx: _Context) -> list[Violation]:
    """hvile: at least 8 h (self-employed, SFS 2305 pkt 7.4) or 11 h (employee, aml §10-8) from the
    end of one work shift to the start of the next; overlaps are left to ``overlapp``."""
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        need = ctx.rules.rest_hours_employee if d.employment == Employment.EMPLOYEE else ctx.rules.rest_hours_self_employed
        latest: _Shift | None = None
        for s in _work(ctx, doc):
            if latest is not None:
                gap = _hours(latest.end, s.start)
                if 0 <= gap < need - _EPS:
                    out.append(Violation(
                        "hvile",
                        f"{d.name}: bare {_num(gap)} t hvile mellom {latest.text} og {s.text}; "
                        f"krever {_num(need)} t.",
                        doc, s.key, s.start, s.end,
                    ))
            if latest is None or s.end > latest.end:
                latest = s
    return out


def _check_weekly_rest(ctx: _Context) -> list[Violation]:
    """ukehvile: employees have a continuous free stretch of 35 h inside every 7-day window that
    starts at 00:00 of a day of the period and ends inside it (aml §10-8)."""
    need = ctx.rules.weekly_rest_hours_employee
    p = ctx.scenario.period
    out = []
    for doc in ctx.by_doctor:
        d = ctx.doctors[doc]
        if d.employment != Employment.EMPLOYEE:
            continue
        busy = _union([(s.start, s.end) for s in _work(ctx, doc)])
        ends = [e for _, e in busy]
        for day in p.days():
            if day + 6 * _DAY > p.end:
                break
            w_start, w_end = _instant(day, dt.time(0)), _instant(day + 7 * _DAY, dt.time(0))
            cursor, longest = w_start, 0.0
            i = bisect.bisect_right(ends, w_start)
            while i < len(busy) and busy[i][0] < w_end:
                longest = max(longest, _hours(cursor, busy[i][0]))
                cursor = max(cursor, busy[i][1])
                i += 1
            longest = max(longest, _hours(cursor, w_end) if cursor < w_end else 0.0)
            if longest < need - _EPS:
                out.append(Violation(
                    "ukehvile",
                    f"{d.name}: lengste sammenhengende hvile {_dmy(day)}–{_dmy(day + 6 * _DAY)} er "
                    f"{_num(longest)} t; krever {_num(need)} t.",
                    doc, None, w_start, w_end,
                ))
    return out


def _check_nights(ctx: _Context) -> list[Violation]:
    """netter: night shifts on at most max_consecutive_nights consecutive dates."""
    limit = ctx.rules.max_consecutive_nights
    out = []
    for doc, shifts in ctx.by_doctor.items():
        nights = sorted({s.date: s for s in shifts if s.night}.items())
        run: list[_Shift] = []
        for i, (day, s) in enumerate(nights):
            if run and day - run[-1].date != _DAY:
                run = []
            run.append(s)
            ends_run = i + 1 == len(nights) or nights[i + 1][0] - day != _DAY
            if ends_run and len(run) > limit:
                first, extra = run[0], run[limit]
                out.append(Violation(
                    "netter",
                    f"{ctx.name(doc)}: nattevakt {len(run)} netter på rad {_dmy(first.date)}–{_dmy(day)}; "
                    f"maks {limit}.",
                    doc, extra.key, first.start, s.end,
                ))
    return out


def _check_successions(ctx: _Context) -> list[Violation]:
    """rekkefølge: no shift labelled `first` on date D and one labelled `then` on D + 1."""
    banned = {(p.first, p.then) for p in ctx.rules.forbidden_successions}
    out = []
    if not banned:
        return out
    for doc, shifts in ctx.by_doctor.items():
        by_date: dict[dt.date, list[_Shift]] = defaultdict(list)
        for s in shifts:
            by_date[s.date].append(s)
        for a in shifts:
            for b in by_date.get(a.date + _DAY, ()):
                if (a.template.label, b.template.label) in banned:
                    out.append(Violation(
                        "rekkefølge",
                        f"{ctx.name(doc)}: {b.text} dagen etter {a.text}; "
                        f"{b.template.label} kan ikke følge {a.template.label}.",
                        doc, b.key, b.start, b.end,
                    ))
    return out


def _runs(dates: set[dt.date], period_days: list[dt.date], on: bool) -> list[tuple[dt.date, dt.date, bool]]:
    """Maximal runs of period dates in (on=True) or not in ``dates``: (first, last, touches an
    edge of the period)."""
    out = []
    first: dt.date | None = None
    for i, day in enumerate(period_days):
        inside = (day in dates) == on
        if inside and first is None:
            first = day
        if first is not None and (not inside or i == len(period_days) - 1):
            last = day if inside else period_days[i - 1]
            out.append((first, last, first == period_days[0] or last == period_days[-1]))
            first = None
    return out


def _run_length(first: dt.date, last: dt.date) -> int:
    return (last - first).days + 1


def _check_night_blocks(ctx: _Context) -> list[Violation]:
    """nattblokk: runs of night dates at least min_consecutive_nights long, unless at an edge."""
    need = ctx.rules.min_consecutive_nights
    out = []
    if need <= 1:
        return out
    days = ctx.scenario.period.days()
    for doc, shifts in ctx.by_doctor.items():
        for first, last, edge in _runs({s.date for s in shifts if s.night}, days, True):
            if not edge and _run_length(first, last) < need:
                out.append(Violation(
                    "nattblokk",
                    f"{ctx.name(doc)}: {_run_length(first, last)} natt(er) {_dmy(first)}–{_dmy(last)}; "
                    f"netter kommer i blokker på minst {need}.",
                    doc, None, _instant(first, dt.time(0)), _instant(last + _DAY, dt.time(0)),
                ))
    return out


def _own_or_rule(own: int | None, rule: int | None) -> int | None:
    return rule if own is None else own


def _check_work_runs(ctx: _Context) -> list[Violation]:
    """dager-på-rad, min-dager-på-rad, fridager: runs of working dates (a shift starts that date)
    at most max_consecutive_days and, away from the period's edges, at least
    min_consecutive_days; runs of free dates, away from the edges, at least min_days_off."""
    r = ctx.rules
    days = ctx.scenario.period.days()
    out = []
    for d in ctx.scenario.doctors:
        longest = _own_or_rule(d.max_consecutive_days, r.max_consecutive_days)
        shortest = _own_or_rule(d.min_consecutive_days, r.min_consecutive_days) or 1
        rest = _own_or_rule(d.min_days_off, r.min_days_off) or 1
        worked = {s.date for s in ctx.by_doctor.get(d.id, ())}
        for first, last, edge in _runs(worked, days, True):
            n = _run_length(first, last)
            where = (d.id, None, _instant(first, dt.time(0)), _instant(last + _DAY, dt.time(0)))
            if longest is not None and n > longest:
                out.append(Violation(
                    "dager-på-rad", f"{d.name}: vakt {n} dager på rad {_dmy(first)}–{_dmy(last)}; maks {longest}.",
                    *where,
                ))
            if not edge and n < shortest:
                out.append(Violation(
                    "min-dager-på-rad",
                    f"{d.name}: bare {n} dag(er) på rad med vakt {_dmy(first)}–{_dmy(last)}; minst {shortest}.",
                    *where,
                ))
        if rest > 1:
            for first, last, edge in _runs(worked, days, False):
                n = _run_length(first, last)
                if not edge and n < rest:
                    out.append(Violation(
                        "fridager",
                        f"{d.name}: bare {n} fridag(er) {_dmy(first)}–{_dmy(last)} mellom vakter; minst {rest}.",
                        d.id, None, _instant(first, dt.time(0)), _instant(last + _DAY, dt.time(0)),
                    ))
    return out


def _window_violations(
    ctx: _Context, rule: str, measure: Callable[[list[_Shift]], float], limit: float, unit: str,
) -> list[Violation]:
    """Rolling 7-date windows; a window holding the same shifts as an already reported one is the
    same breach and is not repeated."""
    out = []
    for doc, shifts in ctx.by_doctor.items():
        dates = [s.date for s in shifts]
        seen: set[tuple[str, ...]] = set()
        for first, last in ctx.windows():
            inside = shifts[bisect.bisect_left(dates, first):bisect.bisect_right(dates, last)]
            value = measure(inside)
            keys = tuple(s.key for s in inside)
            if value > limit + _EPS and keys not in seen:
                seen.add(keys)
                out.append(Violation(
                    rule,
                    f"{ctx.name(doc)}: {_num(value)} {unit} {_dmy(first)}–{_dmy(last)}; maks {_num(limit)}.",
                    doc, inside[-1].key, inside[0].start, inside[-1].end,
                ))
    return out


def _check_shifts_per_week(ctx: _Context) -> list[Violation]:
    """uke-vakter: at most max_shifts_per_7_days shifts (by start date) in every 7-date window."""
    limit = ctx.rules.max_shifts_per_7_days
    if limit is None:
        return []
    return _window_violations(ctx, "uke-vakter", len, limit, "vakter")


def _check_hours_per_week(ctx: _Context) -> list[Violation]:
    """uke-timer: at most max_hours_per_7_days in every window; on-call hours weighted by
    on_call_factor (aml §10-4(3))."""
    limit = ctx.rules.max_hours_per_7_days
    if limit is None:
        return []
    factor = ctx.rules.burden.on_call_factor
    return _window_violations(
        ctx, "uke-timer", lambda ss: sum(s.hours * (1 if s.on_site else factor) for s in ss), limit, "t",
    )


def _check_count(ctx: _Context) -> list[Violation]:
    """antall: each doctor's shifts in the period within min_shifts .. max_shifts."""
    out = []
    for d in ctx.scenario.doctors:
        n = len(ctx.by_doctor.get(d.id, ()))
        if n < d.min_shifts:
            out.append(Violation("antall", f"{d.name} har {n} {_vakter(n)} i perioden; minst {d.min_shifts}.", d.id))
        elif d.max_shifts is not None and n > d.max_shifts:
            out.append(Violation("antall", f"{d.name} har {n} {_vakter(n)} i perioden; maks {d.max_shifts}.", d.id))
    return out


def _check_label_counts(ctx: _Context) -> list[Violation]:
    """antall-type: at most max_shifts_by_label[label] shifts with that label in the period."""
    out = []
    for d in ctx.scenario.doctors:
        labels = Counter(s.template.label for s in ctx.by_doctor.get(d.id, ()))
        for label, limit in d.max_shifts_by_label.items():
            if labels[label] > limit:
                out.append(Violation(
                    "antall-type", f"{d.name} har {labels[label]} {label}vakter i perioden; maks {limit}.", d.id,
                ))
    return out


def _check_period_hours(ctx: _Context) -> list[Violation]:
    """timer: hours in the period (on-call hours × on_call_factor) within min_hours .. max_hours."""
    factor = ctx.rules.burden.on_call_factor
    out = []
    for d in ctx.scenario.doctors:
        hours = sum(s.hours * (1 if s.on_site else factor) for s in ctx.by_doctor.get(d.id, ()))
        if hours < d.min_hours - _EPS:
            out.append(Violation("timer", f"{d.name} har {_num(hours)} t i perioden; minst {_num(d.min_hours)}.", d.id))
        elif d.max_hours is not None and hours > d.max_hours + _EPS:
            out.append(Violation("timer", f"{d.name} har {_num(hours)} t i perioden; maks {_num(d.max_hours)}.", d.id))
    return out


def _check_weekends(ctx: _Context) -> list[Violation]:
    """helger: weekends with a shift starting on their Saturday or Sunday at most max_weekends."""
    out = []
    for d in ctx.scenario.doctors:
        limit = _own_or_rule(d.max_weekends, ctx.rules.max_weekends)
        if limit is None:
            continue
        saturdays = {s.date - (s.date.weekday() - 5) * _DAY for s in ctx.by_doctor.get(d.id, ()) if s.date.weekday() >= 5}
        if len(saturdays) > limit:
            out.append(Violation(
                "helger",
                f"{d.name} har vakt {len(saturdays)} helger ({', '.join(_dmy(x) for x in sorted(saturdays))}); "
                f"maks {limit}.",
                d.id,
            ))
    return out


def _check_pins(ctx: _Context) -> list[Violation]:
    """låst: every pin is in the roster."""
    out = []
    for pin in ctx.scenario.pins:
        key = shift_key(pin.template, pin.date)
        if pin.doctor in ctx.staff.get(key, ()):
            continue
        shift = ctx.shifts.get(key)
        what = shift.text if shift else f"{pin.template} {_dmy(pin.date)} (vakten går ikke den dagen)"
        out.append(Violation(
            "låst", f"Låst vakt mangler: {ctx.name(pin.doctor)} på {what}.", pin.doctor, key,
            shift.start if shift else _instant(pin.date, dt.time(0)), shift.end if shift else None,
        ))
    return out


_CHECKS = (
    _check_unknown, _check_double, _check_staffing, _check_competence, _check_alone,
    _check_supervision, _check_bakvakt_coverage, _check_bakvakt_ability, _check_station,
    _check_label, _check_skill, _check_courses, _check_absence, _check_exemption, _check_overlap,
    _check_rest, _check_weekly_rest, _check_successions, _check_nights, _check_night_blocks,
    _check_work_runs, _check_shifts_per_week, _check_hours_per_week, _check_count, _check_label_counts,
    _check_period_hours, _check_weekends, _check_pins,
)


# --------------------------------------------------------------------------- public API


def _order(v: Violation) -> tuple[dt.datetime, int, str, str, str]:
    far = dt.datetime.max.replace(tzinfo=_UTC)
    return (v.start or far, _RULE_ORDER.get(v.rule, 99), v.doctor or "", v.shift or "", v.message)


def _check(ctx: _Context) -> list[Violation]:
    found = [v for check in _CHECKS for v in check(ctx)]
    return sorted(found, key=_order)


def check_roster(scenario: Scenario, roster: Roster) -> list[Violation]:
    """Every hard-rule violation, open slots and bakvakt gaps included (what ``--strict`` forbids),
    sorted by date."""
    return _check(_Context(scenario, roster))


def unexpected_violations(scenario: Scenario, roster: Roster) -> list[Violation]:
    """What makes the roster illegal to publish: all violations except the understaffing the roster
    declares in ``open_slots`` (same shift, same count) and the bakvakt gaps it declares in
    ``uncovered_bakvakt`` where an on-call shift running then is a declared open slot or no on-call
    shift runs at all."""
    ctx = _Context(scenario, roster)
    declared_slots = {(o.template, o.date): o.missing for o in roster.open_slots}
    declared_gaps = _union([g for g in ((_as_utc(s), _as_utc(e)) for s, e in roster.uncovered_bakvakt) if g[0] < g[1]])
    on_call = [s for s in ctx.shifts.values() if not s.on_site]
    open_on_call = _union([
        (s.start, s.end) for s in on_call if (s.template.id, s.date) in declared_slots
    ])
    any_on_call = _union([(s.start, s.end) for s in on_call])
    out = []
    for v in _check(ctx):
        if v.rule == "bemanning" and v.missing is not None and v.shift is not None:
            tpl, day = v.shift.rsplit("/", 1)
            if declared_slots.get((tpl, dt.date.fromisoformat(day))) == v.missing:
                continue
        if v.rule == "bakvakt-dekning" and v.start is not None and v.end is not None:
            gap = [(v.start, v.end)]
            explained = _intersect(gap, _union(open_on_call + _subtract(gap, any_on_call)))
            rest = _subtract(gap, _intersect(explained, declared_gaps))
            undeclared = _intersect(rest, explained)
            unexplained = _subtract(rest, explained)
            out.extend(_gap_violation(ctx, g, " (ikke oppgitt som ubesatt bakvakt i rosteren)") for g in undeclared)
            out.extend(_gap_violation(ctx, g, " (ikke forklart av en ubesatt bakvakt)") for g in unexplained)
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
    for rule in sorted(by_rule, key=lambda r: _RULE_ORDER.get(r, 99)):
        lines.append(f"\n{RULES.get(rule, rule)} ({rule}): {len(by_rule[rule])}")
        lines.extend(f"  - {v.message}" for v in by_rule[rule])
    return "\n".join(lines)
