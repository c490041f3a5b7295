"""Cheap necessary checks before solving, in plain Norwegian.

"INFEASIBLE" tells a manager nothing; a sentence such as "Natt 24.12 Bergen legevakt krever 2 leger
som kan gå alene; bare 1 er tilgjengelig: 3 har fravær (ferie), 2 har nattfritak" tells them what to
fix. Every check here is a *necessary* condition for a roster without open slots or bakvakt gaps:
a finding proves that no such roster exists, but no finding does not prove that one does (rest,
weekly limits and counts over the whole period are left to the solver). ``docs/explain.md`` says
what each check proves.

Pure function of the scenario: who may take each shift, and why the others may not, comes from
``roster.candidates`` (the same pools the explanation and the unfilled places name doctors from);
the joint check of shifts that no doctor can combine is a bipartite max-flow (Hall's condition),
whose minimum cut names the smallest set of shifts that clash. No CP-SAT.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
from ortools.graph.python import max_flow

from roster.calendar import OSLO, ShiftIndex, ShiftInstance
from roster.candidates import (
    ABSENCE,
    COURSE,
    EXEMPTION,
    LABEL,
    NO_COURSE,
    ON_CALL,
    PINNED,
    PRACTICE_EVE,
    SKILL,
    STATION,
    SUPERVISION_EVE,
    UNQUALIFIED,
    Pool,
    Pools,
    counted,
    join,
    phrase,
    pinned_shifts,
)
from roster.eligibility import Eligibility, specialist
from roster.models import Doctor, Scenario, Supervision, shift_key
from roster.terms import count_doctors, count_shifts, number
from roster.workload import counts_as_work, rest_hours, weekly_shift_cap, work_hours
from solver.bakvakt import pilot

#: Finding kinds, in report order (the codes follow docs/hard-rules.md where one rule is at stake).
KINDS = ("låst", "antall-min", "kompetanse", "bemanning", "samtidighet", "uke-vakter", "antall", "bakvakt-dekning")
# Kinds whose finding leaves no roster at all (the model is infeasible), not open places.
NO_ROSTER = ("låst", "antall-min")
# Kinds that prove a shortage over a week or the period: listed before the single shifts, which
# often only show the same shortage piecemeal (a rural month: one doctor for fourteen shifts a
# week came third of 65 findings, after evening/night pairs dated earlier).
SPANNING = ("uke-vakter", "antall")

# Reason codes (roster.candidates). Temporary reasons make an otherwise suitable doctor unavailable
# on one date; static reasons mean the doctor never takes this kind of shift (another rota, no
# skill …) or, on a place that needs one, may not work alone.
TEMPORARY = (ABSENCE, EXEMPTION, PRACTICE_EVE, SUPERVISION_EVE, COURSE, NO_COURSE, PINNED)
STATIC = (STATION, LABEL, ON_CALL, UNQUALIFIED, SKILL)
# What keeps a doctor off a shift, as the subject of «hindrer 6 av de 6 vaktene legen ellers kunne tatt».
BLOCKED = {ABSENCE: "fravær", EXEMPTION: "nattfritak", PRACTICE_EVE: "praksisdag dagen etter",
           SUPERVISION_EVE: "veiledningsdag dagen etter", COURSE: "kurs som har gått ut", NO_COURSE: "manglende kurs",
           PINNED: "en låst vakt samtidig"}
# Reasons whose details are counted after them: «3 har fravær (2 ferie, 1 sykdom)», «1 mangler
# påkrevd kurs («vold og overgrep»)».
DETAILED = (ABSENCE, NO_COURSE)


@dataclass(frozen=True)
class Finding:
    """One failed necessary check. ``shift`` is the key of the shift at stake (the first one when
    several clash, all of them in ``shifts``); ``numbers`` holds the figures of the message."""

    kind: str
    message: str
    shift: str | None
    date: dt.date | None
    numbers: dict[str, int | float]
    shifts: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- Norwegian text


def _dm(day: dt.date) -> str:
    return f"{day.day:02d}.{day.month:02d}"


def _hm(moment: dt.datetime) -> str:
    return moment.astimezone(OSLO).strftime("%H:%M")


def _span(start: dt.datetime, end: dt.datetime) -> str:
    a, b = start.astimezone(OSLO), end.astimezone(OSLO)
    if a.date() == b.date():
        return f"{_dm(a.date())} {_hm(a)}–{_hm(b)}"
    return f"{_dm(a.date())} {_hm(a)}–{_dm(b.date())} {_hm(b)}"


def _available(n: int) -> str:
    if n == 0:
        return "ingen er tilgjengelig"
    return f"bare {n} er tilgjengelig" if n == 1 else f"bare {n} er tilgjengelige"


def _reason_parts(counts: Counter[str], details: dict[str, Counter[str]], label: str, skill: str | None) -> list[str]:
    """"3 har fravær (ferie), 2 har nattfritak …" in a fixed order: what changes by date first."""
    return [f"{counts[code]} {phrase(code, label, skill)}" + counted(details.get(code, Counter()))
            for code in (*TEMPORARY, *STATIC) if counts.get(code)]


def _who(pool: _Pool, qualified_only: bool) -> str:
    """« Bare Kari Nordmann kan ta den; …» when few doctors can (``Pool.who``), else nothing."""
    who = pool.pool.who(qualified_only)
    return f" {who[:1].upper()}{who[1:]}." if who else ""


def _uncovered(start: dt.datetime, end: dt.datetime,
               cover: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of [start, end) that no interval of ``cover`` covers."""
    gaps, at = [], start
    for a, b in sorted(cover):
        if a > at:
            gaps.append((at, min(a, end)))
        at = max(at, b)
        if at >= end:
            break
    if at < end:
        gaps.append((at, end))
    return [(a, b) for a, b in gaps if a < b]


# --------------------------------------------------------------------------- per shift


@dataclass
class _Pool:
    """Who may take one shift, and why the others may not."""

    shift: ShiftInstance
    head: str  # "Natt 24.12 Bergen legevakt"
    pool: Pool  # every doctor and their reasons (roster.candidates), what the sets below come from
    available: set[str] = field(default_factory=set)
    available_q: set[str] = field(default_factory=set)
    codes: dict[str, str] = field(default_factory=dict)  # doctor -> reason code (unavailable only)
    detail: dict[str, str] = field(default_factory=dict)  # doctor -> detail of a ``DETAILED`` reason

    def breakdown(self, qualified_only: bool,
                  qualified: dict[str, bool]) -> tuple[Counter[str], dict[str, Counter[str]], int]:
        """(temporary reason counts, their details by reason, candidates) among doctors who would
        otherwise take the shift; only the qualified ones when ``qualified_only``."""
        temp: Counter[str] = Counter()
        details: dict[str, Counter[str]] = {}
        candidates = len(self.available_q if qualified_only else self.available)
        for doc, code in self.codes.items():
            if code in STATIC or (qualified_only and not qualified[doc]):
                continue
            candidates += 1
            temp[code] += 1
            if code in DETAILED:
                details.setdefault(code, Counter())[self.detail[doc]] += 1
        return temp, details, candidates

    def static(self, qualified_only: bool, qualified: dict[str, bool]) -> Counter[str]:
        """Counts of the permanent reasons (and, for qualified places, of who cannot work alone)."""
        out: Counter[str] = Counter(c for c in self.codes.values() if c in STATIC)
        if qualified_only:
            out[UNQUALIFIED] += sum(1 for doc, code in self.codes.items() if code not in STATIC and not qualified[doc])
            out[UNQUALIFIED] += len(self.available) - len(self.available_q)
        return +out


class _Precheck:
    """The scenario's pools, computed once, and the checks that read them."""

    def __init__(self, scenario: Scenario, index: ShiftIndex):
        self.scenario = scenario
        self.index = index
        self.elig = Eligibility(scenario)
        self.qualified = {d.id: self.elig.qualified(d.id) for d in scenario.doctors}
        self.specialists = {d.id for d in scenario.doctors if specialist(d)}
        self.names = {d.id: d.name for d in scenario.doctors}
        self.station_names = {s.id: s.name for s in scenario.stations}
        self.pins = pinned_shifts(scenario, index)
        self.pool_of = Pools(self.elig, self.pins)
        self.pools = {s.key: self._pool(s) for s in index.shifts}
        self.findings: list[Finding] = []

    def head(self, shift: ShiftInstance) -> str:
        label = shift.label[:1].upper() + shift.label[1:]
        return f"{label} {_dm(shift.date)} {self.station_names.get(shift.station, shift.station)}"

    def _pool(self, shift: ShiftInstance) -> _Pool:
        out = _Pool(shift, self.head(shift), self.pool_of(shift))
        for c in out.pool.candidates:
            if not c.obstacles:
                out.available.add(c.doctor.id)
                if c.qualified:
                    out.available_q.add(c.doctor.id)
                continue
            first = c.obstacles[0]
            out.codes[c.doctor.id] = first.code
            if first.code in DETAILED:
                out.detail[c.doctor.id] = first.detail
        return out

    def need_qualified(self, shift: ShiftInstance) -> int:
        """Qualified doctors a full on-site shift needs: ``min_qualified``, and at least one
        whenever anyone works it (rule ``alene``: no unqualified doctor works alone, unless the
        rules let the bakvakt be enough)."""
        if not shift.on_site or shift.demand_min == 0:
            return 0
        return shift.min_qualified if self.scenario.rules.alone_with_bakvakt else max(shift.min_qualified, 1)

    # ----------------------------------------------------------------------- pins

    def check_pins(self) -> None:
        """A pin the doctor cannot work, or two pins of one doctor at the same time or too close,
        also a pin too close after a shift the doctor worked just before the period (carried in)."""
        for p in self.scenario.pins:
            name = self.names[p.doctor]
            key = shift_key(p.template, p.date)
            shift = self.index.by_key.get(key)
            if shift is None:
                tpl = self.scenario.template(p.template)
                what = f"{tpl.label[:1].upper()}{tpl.label[1:]} {_dm(p.date)} {self.station_names[tpl.station]}"
                self.add("låst", f"Låst vakt: {name} er låst til {what}, men den vakttypen går ikke den dagen.",
                         key, p.date, {})
                continue
            reason = self.elig.reason(self.scenario.doctor(p.doctor), shift)
            if reason is not None:
                self.add("låst", f"Låst vakt: {name} er låst til {self.head(shift)}, men kan ikke ta den: {reason}.",
                         key, p.date, {})
            elif shift.on_site and not self.qualified[p.doctor]:
                self.unsupervised_pin(self.scenario.doctor(p.doctor), shift)
        carried = self.index.carried
        for doc, shifts in self.pins.items():
            shifts = sorted(shifts, key=lambda s: s.start)
            before = carried.get(doc, [])
            rest = rest_hours(self.scenario.rules, self.scenario.doctor(doc).employment)
            for i, a in enumerate([*before, *shifts]):
                for b in shifts[max(0, i + 1 - len(before)):]:
                    gap = (b.start_utc - a.end_utc).total_seconds() / 3600
                    if gap < 0:
                        why = "som overlapper"
                    elif gap < rest and counts_as_work(self.scenario.rules, a) and counts_as_work(self.scenario.rules, b):
                        why = f"som har bare {number(gap)} t hvile mellom seg (krever {number(rest)} t)"
                    else:
                        continue
                    if i < len(before):
                        self.add("låst", f"Låst vakt: {self.names[doc]} er låst til {self.head(b)}, men hadde "
                                         f"{self.head(a)} i forrige periode, {why}.", b.key, b.date, {}, (b.key,))
                    else:
                        self.add("låst", f"Låst vakt: {self.names[doc]} er låst til både {self.head(a)} og "
                                         f"{self.head(b)}, {why}.", a.key, a.date, {}, (a.key, b.key))
            self.pins_over_limits(self.scenario.doctor(doc), shifts)

    def pins_over_limits(self, doctor: Doctor, pinned: list[ShiftInstance]) -> None:
        """More pinned shifts, or hours, than the doctor's own limits or the shifts per 7 days
        allow (rules ``antall``, ``antall-type``, ``timer``, ``uke-vakter``)."""
        r = self.scenario.rules
        over: list[tuple[str, list[ShiftInstance]]] = []
        if doctor.max_shifts is not None and len(pinned) > doctor.max_shifts:
            over.append((f"{count_shifts(len(pinned))}, men kan ha høyst {doctor.max_shifts} i perioden", pinned))
        for label, most in doctor.max_shifts_by_label.items():
            mine = [s for s in pinned if s.label == label]
            if len(mine) > most > 0:
                over.append((f"{len(mine)} {label}vakter, men kan ha høyst {most} i perioden", mine))
        hours = sum(work_hours(r, s) for s in pinned)
        if doctor.max_hours is not None and hours > doctor.max_hours + 1e-9:
            over.append((f"vakter på til sammen {number(hours)} t, men kan ha høyst {number(doctor.max_hours)} t i "
                         f"perioden", pinned))
        weekly = weekly_shift_cap(doctor, r)
        if weekly is not None:
            for a in pinned:
                week = [s for s in pinned if a.date <= s.date <= a.date + dt.timedelta(days=6)]
                if len(week) > weekly:
                    over.append((f"{count_shifts(len(week))} {_dm(week[0].date)}–{_dm(week[-1].date)}, men kan ha "
                                 f"høyst {weekly} per 7 dager", week))
                    break
        for text, shifts in over:
            self.add("låst", f"Låst vakt: {doctor.name} er låst til {text}.", shifts[0].key, shifts[0].date, {},
                     tuple(s.key for s in shifts))

    def unsupervised_pin(self, doctor: Doctor, shift: ShiftInstance) -> None:
        """A pinned doctor who may not work alone needs a qualified bakvakt (one who can come in,
        for supervision ``tilstede``) at every minute of the shift (rule ``veiledning``): a minute
        no such on-call shift covers, or none a qualified doctor is free for, cannot be kept."""
        attend = doctor.supervision == Supervision.ON_SITE
        fitting = [s for s in self.index.shifts if not s.on_site and (s.on_call_can_attend or not attend)]
        staffed = [s for s in fitting if self.pools[s.key].available_q - {doctor.id}]
        who = "kvalifisert bakvakt som kan møte," if attend else "kvalifisert bakvakt"
        for shifts, missing in ((fitting, f"ingen bakvaktvakt{' som kan møte,' if attend else ''} dekker"),
                                (staffed, "ingen kvalifisert lege kan ta bakvakten")):
            gaps = _uncovered(shift.start, shift.end, [(s.start, s.end) for s in shifts])
            if gaps:
                self.add("låst", f"Låst vakt: {doctor.name} er låst til {self.head(shift)}, men kan ikke gå alene og må "
                                 f"ha en {who} på hele vakten; {missing} {join([_span(a, b) for a, b in gaps])}.",
                         shift.key, shift.date, {"timer": round(sum((b - a).total_seconds() for a, b in gaps) / 3600, 2)})
                return

    # ----------------------------------------------------------------------- per shift

    def check_shifts(self) -> None:
        """Each shift alone: enough available doctors, and enough of them qualified."""
        for shift in self.index.shifts:
            pool = self.pools[shift.key]
            short = shift.demand_min - len(pool.available)
            if shift.on_site and shift.min_qualified > 0:
                short_q = max(0, shift.min_qualified - len(pool.available_q))
                if short_q > 0:
                    self.shortage(pool, shift.min_qualified, qualified_only=True)
            else:
                short_q = 0
                if self.need_qualified(shift) and pool.available and not pool.available_q:
                    self.nobody_alone(pool)
            if short > short_q:
                self.shortage(pool, shift.demand_min, qualified_only=False)

    def nobody_alone(self, pool: _Pool) -> None:
        """Doctors are free, but none may work alone, and the shift asks for nobody who may (rule
        ``alene``: an unqualified doctor never works without a qualified colleague)."""
        shift = pool.shift
        temp, details, _ = pool.breakdown(True, self.qualified)
        parts = _reason_parts(temp, details, shift.label, shift.required_skill)
        n = len(pool.available)
        self.add("kompetanse",
                 f"{pool.head}: {count_doctors(n)} er {'tilgjengelig' if n == 1 else 'tilgjengelige'}, men ingen som kan gå alene, og de som ikke kan gå "
                 f"alene, får ikke gå vakten uten en som kan" + (f": {join(parts)}" if parts else "") + "."
                 + _who(pool, qualified_only=True),
                 shift.key, shift.date, {"krever": 1, "tilgjengelig": 0, **temp})

    def shortage(self, pool: _Pool, need: int, qualified_only: bool) -> None:
        shift = pool.shift
        have = len(pool.available_q if qualified_only else pool.available)
        temp, details, candidates = pool.breakdown(qualified_only, self.qualified)
        parts = _reason_parts(temp, details, shift.label, shift.required_skill)
        what = count_doctors(need) + (" som kan gå alene" if qualified_only else "")
        numbers: dict[str, int | float] = {"krever": need, "tilgjengelig": have, **temp}
        text = f"{pool.head} krever {what}; "
        if candidates < need:
            static = pool.static(qualified_only, self.qualified)
            numbers.update({f"ikke {k}": v for k, v in static.items()})
            sparts = _reason_parts(static, {}, shift.label, shift.required_skill)
            whole = ("ingen" if candidates == 0 else f"bare {candidates}") + \
                f" av de {len(self.scenario.doctors)} legene kan ta denne vakten"
            if parts:
                text += f"{_available(have)}: {join(parts)}; {whole} i det hele tatt"
            else:
                text += whole
            text += f" ({join(sparts)})" if sparts else ""
        else:
            text += _available(have) + (f": {join(parts)}" if parts else "")
        self.add("kompetanse" if qualified_only else "bemanning", text + "." + _who(pool, qualified_only),
                 shift.key, shift.date, numbers)

    # ----------------------------------------------------------------------- shifts that clash

    def _min_rest(self) -> float:
        r = self.scenario.rules
        kinds = {d.employment for d in self.scenario.doctors}
        return min(rest_hours(r, k) for k in kinds)

    def cliques(self) -> list[tuple[list[ShiftInstance], bool]]:
        """Sets of shifts of which one doctor takes at most one: shifts running at the same instant,
        and work shifts less than the shortest rest apart (``hvile``). The flag says which."""
        out: list[tuple[list[ShiftInstance], bool]] = []
        seen: set[frozenset[str]] = set()
        rest = dt.timedelta(hours=self._min_rest())
        work = [s for s in self.index.shifts if counts_as_work(self.scenario.rules, s)]
        families = ((self.index.shifts, dt.timedelta(0), False), (work, rest, True))
        for shifts, extend, by_rest in families:
            for s in shifts:
                clique = [t for t in shifts if t.start <= s.start < t.end + extend]
                key = frozenset(t.key for t in clique)
                if len(clique) > 1 and key not in seen:
                    seen.add(key)
                    out.append((clique, by_rest))
        return out

    def check_clashes(self) -> None:
        """Hall's condition on each clique: the shifts' demand (capped to what each shift alone can
        get, so single-shift shortages are not counted twice) against the distinct doctors. A clash
        inside a larger one with at least the same shortfall is left out: the larger one says more."""
        found: dict[frozenset[str], tuple[tuple[list[ShiftInstance], int, int, int, bool], bool]] = {}
        for clique, by_rest in self.cliques():
            deficient = self._deficient(clique)
            if deficient is not None:
                found.setdefault(frozenset(s.key for s in deficient[0]), (deficient, by_rest))
        for key, ((shifts, need, need_q, have, only_q), by_rest) in found.items():
            if any(key < other and o_need - o_have >= need - have
                   for other, ((_, o_need, _, o_have, _), _) in found.items()):
                continue
            shifts = sorted(shifts, key=lambda s: (s.start, s.key))
            names = join([self.head(s) for s in shifts])
            why = (f"de overlapper eller har under {number(self._min_rest())} t hvile mellom seg" if by_rest
                   else f"de går samtidig {_span(max(s.start for s in shifts), min(s.end for s in shifts))}")
            alone = " som kan gå alene" if only_q else ""
            want = count_doctors(need_q) + alone if only_q else (
                count_doctors(need) + (f" ({need_q} som kan gå alene)" if need_q else ""))
            if have == 0:
                got = "ingen er tilgjengelig"
            elif have == 1:
                got = f"bare 1 lege{alone} er tilgjengelig"
            else:
                got = f"bare {have} ulike leger{alone} er tilgjengelige"
            self.add("samtidighet",
                     f"{names} krever til sammen {want}, og ingen lege kan ta to av dem fordi {why}; {got}.",
                     shifts[0].key, shifts[0].date,
                     {"krever": need, "krever som kan gå alene": need_q, "tilgjengelig": have},
                     tuple(s.key for s in shifts))

    def _slot_groups(self, shifts: list[ShiftInstance]) -> list[tuple[ShiftInstance, bool, int]]:
        """(shift, qualified places?, how many) of each shift's demand, capped to what the shift
        alone can get, so that a shortage of one shift is not reported again with others."""
        groups = []
        for s in shifts:
            pool = self.pools[s.key]
            d = min(s.demand_min, len(pool.available))
            q = min(self.need_qualified(s), len(pool.available_q), d)
            if q:
                groups.append((s, True, q))
            if d - q:
                groups.append((s, False, d - q))
        return groups

    def _deficient(self, clique: list[ShiftInstance]) -> tuple[list[ShiftInstance], int, int, int, bool] | None:
        """The smallest set of the clique's shifts whose demand exceeds the doctors who could take
        them: (shifts, demand, qualified demand, distinct doctors, only qualified slots at stake)."""
        groups = self._slot_groups(clique)
        total = sum(g[2] for g in groups)
        if total == 0:
            return None
        signatures: Counter[tuple[frozenset[str], bool]] = Counter()
        for doc in set().union(*(self.pools[s.key].available for s in clique)):
            mine = frozenset(s.key for s in clique if doc in self.pools[s.key].available)
            signatures[(mine, self.qualified[doc])] += 1
        sigs = list(signatures.items())
        flow = max_flow.SimpleMaxFlow()
        source, sink, first_sig = 0, 1, 2 + len(groups)
        for i, (s, qual_slot, demand) in enumerate(groups):
            flow.add_arc_with_capacity(source, 2 + i, demand)
            for j, ((mine, qualified), _) in enumerate(sigs):
                if s.key in mine and (qualified or not qual_slot):
                    flow.add_arc_with_capacity(2 + i, first_sig + j, total)
        for j, (_, count) in enumerate(sigs):
            flow.add_arc_with_capacity(first_sig + j, sink, count)
        flow.solve(source, sink)
        if flow.optimal_flow() >= total:
            return None
        side = set(flow.get_source_side_min_cut())
        chosen = [groups[i] for i in range(len(groups)) if 2 + i in side]
        shifts = list({g[0].key: g[0] for g in chosen}.values())
        need = sum(g[2] for g in chosen)
        need_q = sum(g[2] for g in chosen if g[1])
        have = sum(count for j, (_, count) in enumerate(sigs) if first_sig + j in side)
        return shifts, need, need_q, have, need == need_q

    # ----------------------------------------------------------------------- doctors' counts

    def check_minimums(self) -> None:
        """A doctor who must take ``min_shifts`` but is free for fewer shifts in all (rule
        ``antall``): then the model has no roster at all, open places or not."""
        for d in self.scenario.doctors:
            free = sum(d.id in p.available for p in self.pools.values())
            if free >= d.min_shifts:
                continue
            away = Counter(p.codes[d.id] for p in self.pools.values() if p.codes.get(d.id) in TEMPORARY)
            text = f"{d.name} skal ha minst {count_shifts(d.min_shifts)} i perioden, men "
            if away:
                text += (f"kan bare ta {free}: " + join([f"{BLOCKED[code]} hindrer {n}" for code, n in away.items()])
                         + f" av de {free + away.total()} vaktene legen ellers kunne tatt")
            else:
                text += f"kan bare ta {free} (stasjon, vakttype, ferdighet eller bakvakt)" if free else \
                    "ingen vakt i perioden passer legen (stasjon, vakttype, ferdighet eller bakvakt)"
            self.add("antall-min", text + ".", None, None, {"krever": d.min_shifts, "tilgjengelig": free, **away})

    def windows(self) -> list[tuple[dt.date, dt.date, bool]]:
        """(first, last date, weekly?): the 7-day windows of rule ``uke-vakter`` (one window when
        the period is shorter), and the period itself when a doctor has a ``max_shifts`` (a weekly
        window of a short period holds it already)."""
        r, p = self.scenario.rules, self.scenario.period
        days = (p.end - p.start).days + 1
        out = []
        if r.max_shifts_per_7_days is not None or any(d.max_shifts_per_7_days for d in self.scenario.doctors):
            out += [(p.start + dt.timedelta(i), min(p.end, p.start + dt.timedelta(i + 6)), True)
                    for i in range(max(1, days - 6))]
        if (days > 7 or not out) and any(d.max_shifts is not None for d in self.scenario.doctors):
            out.append((p.start, p.end, False))
        return out

    def check_capacity(self) -> None:
        """Each window's shifts against what the doctors free for them may take in it: at most
        ``max_shifts_per_7_days`` in 7 days (rule ``uke-vakter``) and their own ``max_shifts`` in
        the period (rule ``antall``). A week with four specialists for fourteen bakvakts passes
        every check of one shift or one instant, and the full model needs minutes to prove it."""
        rules = self.scenario.rules
        weekly = rules.max_shifts_per_7_days
        found: dict[frozenset[str], tuple[list[tuple[ShiftInstance, bool, int]], dict[str, int], bool]] = {}
        for first, last, is_week in self.windows():
            limits = {d.id: [x for x in (weekly_shift_cap(d, rules) if is_week else None, d.max_shifts) if x is not None]
                      for d in self.scenario.doctors}
            caps = {d: min(xs) for d, xs in limits.items() if xs}
            short = self._short_of_capacity([s for s in self.index.shifts if first <= s.date <= last], caps)
            if short is not None:
                found.setdefault(frozenset(g[0].key for g in short), (short, caps, is_week))
        kept: list[frozenset[str]] = []  # windows overlap: of findings sharing shifts, the largest shortfall
        for key, (groups, caps, is_week) in sorted(found.items(), key=lambda f: (-self._shortfall(*f[1][:2]), -len(f[0]))):
            if not any(key & other for other in kept):
                kept.append(key)
                self.capacity_finding(groups, caps, weekly if is_week else None, is_week)

    def _most(self, groups: list[tuple[ShiftInstance, bool, int]], caps: dict[str, int],
              qualified_only: bool) -> tuple[set[str], int]:
        """The doctors who could fill one of the places (only those who may work alone) and the
        most places they can fill: one per shift, at most their limit. A doctor who may not work
        alone counts only for a shift whose other places are among them."""
        others = {g[0].key for g in groups if not g[1]}
        keys = {g[0].key for g in groups}
        fills: Counter[str] = Counter(d for k in keys for d in self.pools[k].available
                                      if self.qualified[d] or (k in others and not qualified_only))
        return set(fills), sum(min(caps.get(d, n), n) for d, n in fills.items())

    def _shortfall(self, groups: list[tuple[ShiftInstance, bool, int]], caps: dict[str, int]) -> int:
        return max(sum(g[2] for g in groups) - self._most(groups, caps, False)[1],
                   sum(g[2] for g in groups if g[1]) - self._most(groups, caps, True)[1])

    def capacity_finding(self, groups: list[tuple[ShiftInstance, bool, int]], caps: dict[str, int],
                         weekly: int | None, is_week: bool) -> None:
        """«Vaktene 07.12–13.12 (14 på Bakvakt spesialist) krever til sammen 14 leger, og …»: the
        doctors' limit, who can take the shifts and how many, and why the others cannot."""
        need, need_q = sum(g[2] for g in groups), sum(g[2] for g in groups if g[1])
        doctors, most = self._most(groups, caps, False)
        doctors_q, most_q = self._most(groups, caps, True)
        alone = need_q > most_q and (need <= most or need_q == need)
        have, can = (len(doctors_q), most_q) if alone else (len(doctors), most)
        shifts = sorted({g[0].key: g[0] for g in groups}.values(), key=lambda s: (s.start, s.key))
        where = join([f"{n} på {name}" for name, n in
                      Counter(self.station_names.get(s.station, s.station) for s in shifts).items()])
        want = count_doctors(need_q if alone else need) + (" som kan gå alene" if alone or need == need_q else
                                                           f" ({need_q} som kan gå alene)" if need_q else "")
        own = weekly is not None and any(caps.get(d, weekly) != weekly for d in doctors)
        if weekly is not None:
            limit = f"ingen lege kan ta flere enn {weekly} vakter på 7 dager" + (" eller flere enn sitt eget maks antall"
                                                                              if own else "")
        else:
            limit = f"ingen lege kan ta flere enn sitt eget maks antall vakter {'på 7 dager' if is_week else 'i perioden'}"
        text = f"Vaktene {_dm(shifts[0].date)}–{_dm(shifts[-1].date)} ({where}) krever til sammen {want}, og {limit}; "
        if alone or need > most:
            text += (f"bare {count_doctors(have)}{' som kan gå alene' if alone else ''} kan ta dem, og de kan til sammen "
                     f"ta høyst {can}")
        else:  # the flow's proof needs the mix of places: no one sum shows it
            text += f"de {have} legene som kan ta dem, rekker ikke over alle plassene"
        temp: Counter[str] = Counter()  # why the others who would take them cannot: each doctor's first reason
        details: dict[str, Counter[str]] = {}
        for doc in {d for s in shifts for d, c in self.pools[s.key].codes.items() if c in TEMPORARY} - doctors:
            code = next(c for s in shifts if (c := self.pools[s.key].codes.get(doc)) in TEMPORARY)
            temp[code] += 1
            if code in DETAILED:
                details.setdefault(code, Counter())[next(self.pools[s.key].detail[doc] for s in shifts
                                                         if self.pools[s.key].codes.get(doc) == code)] += 1
        parts = _reason_parts(temp, details, shifts[0].label, None)
        others = f"; av de andre som ellers kunne tatt dem: {join(parts)}" if parts else ""
        self.add("uke-vakter" if weekly is not None else "antall", text + others + ".",
                 shifts[0].key, shifts[0].date,
                 {"krever": need_q if alone else need, "tilgjengelig": have, "kapasitet": can, **temp},
                 tuple(s.key for s in shifts))

    def _short_of_capacity(self, shifts: list[ShiftInstance],
                           caps: dict[str, int]) -> list[tuple[ShiftInstance, bool, int]] | None:
        """The places (``_slot_groups``) of the smallest set of the shifts whose demand exceeds
        what their doctors may take, each doctor at most one place per shift and ``caps`` shifts
        in all (a max-flow; overlaps and rest are left out, so a shortfall is a proof)."""
        groups = self._slot_groups(shifts)
        total = sum(g[2] for g in groups)
        signatures: Counter[tuple[frozenset[str], bool, int]] = Counter()
        for doc in set().union(*(self.pools[s.key].available for s in shifts)):
            mine = frozenset(s.key for s in shifts if doc in self.pools[s.key].available)
            signatures[(mine, self.qualified[doc], min(caps.get(doc, len(mine)), len(mine)))] += 1
        if total == 0 or all(cap == len(mine) for mine, _, cap in signatures):
            return None  # no limit binds: each shift alone is staffable (check_shifts), so all are
        sigs = list(signatures.items())
        first_sig = 2 + len(groups)
        tails, heads, capacities = [], [], []
        pair: dict[tuple[str, int], int] = {}  # (shift, signature) → node: one place per doctor and shift

        def arc(tail: int, head: int, capacity: int) -> None:
            tails.append(tail)
            heads.append(head)
            capacities.append(capacity)

        for j, ((mine, _, cap), n) in enumerate(sigs):
            arc(first_sig + j, 1, n * cap)
        for i, (s, qual_slot, demand) in enumerate(groups):
            arc(0, 2 + i, demand)
            for j, ((mine, qualified, _), n) in enumerate(sigs):
                if s.key in mine and (qualified or not qual_slot):
                    if (s.key, j) not in pair:
                        pair[(s.key, j)] = first_sig + len(sigs) + len(pair)
                        arc(pair[(s.key, j)], first_sig + j, n)
                    arc(2 + i, pair[(s.key, j)], n)
        flow = max_flow.SimpleMaxFlow()
        flow.add_arcs_with_capacity(np.array(tails), np.array(heads), np.array(capacities))
        flow.solve(0, 1)
        if flow.optimal_flow() >= total:
            return None
        side = set(flow.get_source_side_min_cut())
        return [g for i, g in enumerate(groups) if 2 + i in side]

    # ----------------------------------------------------------------------- bakvakt

    def check_bakvakt(self) -> None:
        """The pilot rule: every minute a station is open, an on-call shift runs with at least one
        specialist who could take it (``roster.eligibility.specialist``; an optional shift opens a
        station only when staffed, so it proves nothing here). Segments are merged into intervals
        for the message."""
        if not pilot(self.scenario):
            return  # outside the pilot: the rule does not apply (docs/hard-rules.md)
        open_shifts = [s for s in self.index.shifts if s.on_site and s.demand_min > 0]
        on_call = [s for s in self.index.shifts if not s.on_site]
        cuts = sorted({t for s in open_shifts + on_call for t in (s.start, s.end)})
        reported_empty = {f.shift for f in self.findings if f.kind == "bemanning"}
        gaps: list[tuple[str, dt.datetime, dt.datetime, set[str], list[ShiftInstance]]] = []
        for a, b in pairwise(cuts):
            stations = {s.station for s in open_shifts if s.start <= a and b <= s.end}
            if not stations:
                continue
            covering = [s for s in on_call if s.start <= a and b <= s.end]
            if not covering:
                kind = "ingen vakt"
            elif (any(self.pools[s.key].available & self.specialists for s in covering)
                  or all(s.key in reported_empty for s in covering)):
                continue
            else:
                kind = "ingen spesialist"
            if gaps and gaps[-1][0] == kind and gaps[-1][2] == a:
                _, start, _, seen_stations, seen_covering = gaps[-1]
                seen_covering += [s for s in covering if s not in seen_covering]
                gaps[-1] = (kind, start, b, seen_stations | stations, seen_covering)
            else:
                gaps.append((kind, a, b, stations, covering))
        for kind, a, b, stations, covering in gaps:
            where = join(sorted(self.station_names.get(s, s) for s in stations))
            hours = (b - a).total_seconds() / 3600
            day = a.astimezone(OSLO).date()
            numbers: dict[str, int | float] = {"timer": round(hours, 2)}
            if kind == "ingen vakt":
                self.add("bakvakt-dekning",
                         f"Ingen bakvaktvakt er satt opp {_span(a, b)} mens {where} er åpen; legg til en "
                         f"bakvaktvakt som dekker tiden.", None, day, numbers)
                continue
            temp: Counter[str] = Counter()
            details: dict[str, Counter[str]] = {}
            for doc in {d for s in covering for d, c in self.pools[s.key].codes.items()
                        if c not in STATIC and d in self.specialists}:
                s = next(s for s in covering if self.pools[s.key].codes.get(doc) not in (None, *STATIC))
                code = self.pools[s.key].codes[doc]
                temp[code] += 1
                if code in DETAILED:
                    details.setdefault(code, Counter())[self.pools[s.key].detail[doc]] += 1
            parts = _reason_parts(temp, details, covering[0].label, None)
            numbers.update(temp)
            others = len(set().union(*(self.pools[s.key].available for s in covering)))
            if others:
                parts.append(f"{others} kan ta bakvakten, men er ikke "
                             + ("spesialist" if others == 1 else "spesialister"))
                numbers["ikke spesialist"] = others
            self.add("bakvakt-dekning",
                     f"Ingen spesialist kan være bakvakt {_span(a, b)} mens {where} er åpen"
                     + (f": {join(parts)}" if parts else ": ingen spesialist kan ta bakvaktvaktene") + ".",
                     covering[0].key, day, numbers, tuple(s.key for s in covering))

    # ----------------------------------------------------------------------- results

    def add(self, kind: str, message: str, shift: str | None, day: dt.date | None,
            numbers: dict[str, int | float], shifts: Iterable[str] = ()) -> None:
        keys = tuple(shifts) or ((shift,) if shift else ())
        self.findings.append(Finding(kind, message, shift, day, numbers, keys))


def precheck(scenario: Scenario, index: ShiftIndex | None = None) -> list[Finding]:
    """Every failed necessary check: those that leave no roster at all first, then those over a
    week or the period, then the single shifts, each group by date (then kind). Empty when nothing
    is provably missing; the solver may still find the rules too tight (see ``docs/explain.md``)."""
    check = _Precheck(scenario, index or ShiftIndex(scenario))
    check.check_pins()
    check.check_shifts()
    check.check_clashes()
    check.check_capacity()
    check.check_minimums()
    check.check_bakvakt()
    order = {k: i for i, k in enumerate(KINDS)}
    far = dt.date.max
    def rank(f: Finding) -> int:
        return 0 if f.kind in NO_ROSTER else 1 if f.kind in SPANNING else 2

    return sorted(check.findings, key=lambda f: (rank(f), f.date or far, order.get(f.kind, 99)))


def format_findings(findings: list[Finding]) -> str:
    """Plain Norwegian text for the CLI: one line per finding."""
    if not findings:
        return "Forhåndskontrollen fant ingen krav som åpenbart ikke kan oppfylles."
    what = []
    if any(f.kind not in NO_ROSTER for f in findings):
        what.append("disse vaktene får ubesatte plasser eller må løses ved å endre fravær, fritak eller krav")
    if any(f.kind == "låst" for f in findings):
        what.append("en låst vakt som ikke kan holdes, gir ingen vaktplan i det hele tatt før den fjernes eller endres")
    if any(f.kind == "antall-min" for f in findings):
        what.append("et minste antall vakter legen ikke kan nå, gir ingen vaktplan i det hele tatt før det senkes")
    head = f"Forhåndskontrollen fant {len(findings)} krav som ikke kan oppfylles ({'; '.join(what)}):"
    return "\n".join([head, *(f"  - {f.message}" for f in findings)])
