"""Who can take one shift, who could if one thing changed, and why each other doctor cannot.

A manager trusts an explanation only when it is exactly right, and three of them speak about the
same doctors: the pre-solve checks (``solver.precheck``), the explanation of a clash
(``solver.explain``) and the reason on an unfilled place (``solver.solution``). All three render
from one ``Pool`` per shift, built from the facts the model itself uses: ``Eligibility`` (the
model's variable set: station, label, skill, bakvakt ability, course, absence, exemption), the
nights kept free before a practice or supervision day (fixed by date like an absence), the
doctor's qualification (rules ``kompetanse`` and ``alene``: a place that needs a doctor who may
work alone) and the pins. On a solved roster, what keeps a free doctor off an unfilled place is
what the independent checker finds one more shift would break for that doctor (overlap, rest, a
limit, supervision), so a reason shown there is one a roster cannot get around.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from roster.calendar import ShiftIndex, ShiftInstance
from roster.check import RULES, Violation, check_roster
from roster.eligibility import Eligibility
from roster.models import Assignment, Doctor, Roster, Scenario, shift_key
from roster.terms import count
from roster.workload import is_night, practice_eves, supervision_eves

FEW = 5  # a list of doctors is named when it is this long or shorter (issue 19: "say up to five")

# Reason codes. What keeps a doctor off this kind of shift for good (another rota) …
STATION, LABEL, ON_CALL, SKILL = "stasjon", "vakttype", "bakvakt-evne", "ferdighet"
PERMANENT = (STATION, LABEL, ON_CALL, SKILL)
# … competence (a place that needs a doctor who may work alone; the bakvakt always does) …
UNQUALIFIED = "kan ikke gå alene"
# … what changes by date (the model's dated reasons, and pins in the scenario; rule `kurs` is a
# course that expired, or a required one with no record, which the manager registers) …
COURSE, NO_COURSE, ABSENCE, EXEMPTION, PINNED = "kurs", "mangler kurs", "fravær", "fritak", "låst"
# (rules `praksisdag` and `veiledningsdag`: no night before the doctor's practice or supervision day)
PRACTICE_EVE, SUPERVISION_EVE = "praksisdag", "veiledningsdag"
# … and, on a solved roster, what one more shift would break (the checker's rules).
BUSY, REST, LIMIT, SUPERVISION = "overlapp", "hvile", "grense", "veiledning"
#: A doctor's reasons are listed, and the first one chosen, in this order (``Eligibility.reason``'s,
#: and competence before what changes by date, as the pre-solve checks count).
ORDER = (*PERMANENT, UNQUALIFIED, NO_COURSE, COURSE, ABSENCE, EXEMPTION, PRACTICE_EVE, SUPERVISION_EVE, PINNED,
         BUSY, REST, LIMIT, SUPERVISION)
#: Groups of doctors are shown in this order: what changes by date first, as the pre-solve checks.
DISPLAY = (ABSENCE, EXEMPTION, PRACTICE_EVE, SUPERVISION_EVE, COURSE, NO_COURSE, PINNED, BUSY, REST, LIMIT, SUPERVISION,
           UNQUALIFIED, *PERMANENT)

# Prefixes of the sentences ``Eligibility.static_reason`` returns; tests/test_candidates.py covers
# each one, so a reworded reason fails a test instead of landing in no group.
_STATIC_PREFIXES = (
    ("ikke på denne stasjonen", STATION),
    ("går ikke", LABEL),
    ("skal ikke ha", LABEL),
    ("kan ikke være bakvakt", ON_CALL),
    ("bakvakt må kunne gå alene", UNQUALIFIED),
    ("mangler ferdigheten", SKILL),
)

#: The checker's rules that one more shift can break for that doctor alone, by reason code. Rules
#: about the shift (bemanning, kompetanse, alene) depend on who else is added, competence is the
#: pool's own reason, and eligibility is settled before the checker is asked.
ROSTER_RULES = {
    "overlapp": BUSY,
    "hvile": REST, "ukehvile": REST, "søndagsfri": REST,
    "veiledningsdag": SUPERVISION_EVE, "praksisdag": PRACTICE_EVE,
    "rekkefølge": LIMIT, "netter": LIMIT, "nattblokk": LIMIT, "dager-på-rad": LIMIT,
    "min-dager-på-rad": LIMIT, "fridager": LIMIT, "uke-vakter": LIMIT, "uke-timer": LIMIT,
    "antall": LIMIT, "antall-type": LIMIT, "timer": LIMIT, "helger": LIMIT,
    "veiledning": SUPERVISION,
}


def static_code(reason: str) -> str:
    """Reason code of a sentence from ``Eligibility.static_reason``."""
    for prefix, code in _STATIC_PREFIXES:
        if reason.startswith(prefix):
            return code
    raise ValueError(f"no reason code for «{reason}»")


@dataclass(frozen=True, slots=True)
class Obstacle:
    """One reason a doctor cannot take a shift; ``detail`` is the absence's kind («ferie»), the
    required courses the doctor has no record of («akuttmedisin» og «vold og overgrep»), the
    limit reached («netter på rad») or the sentence of a permanent reason."""

    code: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    doctor: Doctor
    qualified: bool  # may work alone (akuttmedisinforskriften §7)
    obstacles: tuple[Obstacle, ...]  # every reason except competence, which depends on the place


def needs_alone(shift: ShiftInstance) -> bool:
    """Whether a doctor who may not work alone can never take the shift: the bakvakt must be
    qualified (a rule of law, not something a manager changes), so it is permanent there."""
    return not shift.on_site


# --------------------------------------------------------------------------- the pool


@dataclass
class Pool:
    """Every doctor of the scenario and why they can or cannot take one shift."""

    shift: ShiftInstance
    candidates: list[Candidate]

    def why(self, c: Candidate, qualified_only: bool) -> tuple[Obstacle, ...]:
        """The candidate's reasons for a place that needs a doctor who may work alone (when
        ``qualified_only``), in ``ORDER``."""
        if not qualified_only or c.qualified or any(o.code == UNQUALIFIED for o in c.obstacles):
            return c.obstacles
        return tuple(sorted((*c.obstacles, Obstacle(UNQUALIFIED)), key=lambda o: ORDER.index(o.code)))

    def can(self, qualified_only: bool) -> list[Doctor]:
        return [c.doctor for c in self.candidates if not self.why(c, qualified_only)]

    def one_change(self, qualified_only: bool) -> list[tuple[Doctor, Obstacle]]:
        """Doctors kept off by exactly one reason that a manager can change (not another rota,
        not the bakvakt's competence), in ``DISPLAY`` order of that reason."""
        out = []
        for c in self.candidates:
            why = self.why(c, qualified_only)
            if len(why) != 1 or why[0].code in PERMANENT:
                continue
            if why[0].code == UNQUALIFIED and needs_alone(self.shift):
                continue
            out.append((c.doctor, why[0]))
        return sorted(out, key=lambda pair: DISPLAY.index(pair[1].code))

    def who(self, qualified_only: bool, named: Collection[str] = ()) -> str | None:
        """«bare Kari Nordmann kan ta den; Ola Hansen og Per Olsen (kan ikke gå alene) kunne tatt
        den om én ting var annerledes» (without the first part when nobody can: the text around
        it says so), or None when more than ``FEW`` can take it (nothing worth naming) or nobody
        is left to name. Doctors in ``named`` (already named by the text around it) are left out
        of the second part."""
        can = self.can(qualified_only)
        if len(can) > FEW:
            return None
        near = [(d, o) for d, o in self.one_change(qualified_only) if d.id not in named]
        if not can and not near:
            return None
        could = f"{_grouped(near)} kunne tatt den om én ting var annerledes" if near else ""
        if not can:
            return could
        head = f"bare {join([d.name for d in can])} kan ta den"
        return f"{head}; {could}" if could else head


class Pools:
    """Makes the ``Pool`` of any shift of one scenario; ``pins`` maps a doctor to the shifts they
    are pinned to, ``lifted`` holds an explanation's fixes already applied (dated reasons and pins
    by their group). A doctor's permanent reason is the same on every shift of a template, so it
    is found once per template (a pool per shift of the Bergen month is 80 000 pairs)."""

    def __init__(self, elig: Eligibility, pins: Mapping[str, Sequence[ShiftInstance]] | None = None,
                 lifted: Collection[tuple[str, str]] = ()):
        self.elig = elig
        self.pins = pins or {}
        self.lifted = lifted
        scenario = elig.scenario
        self.eves = {PRACTICE_EVE: practice_eves(scenario, scenario.holiday_calendar()),
                     SUPERVISION_EVE: supervision_eves(scenario)}
        self._static: dict[tuple[str, str], tuple[Obstacle, ...]] = {}

    def __call__(self, shift: ShiftInstance) -> Pool:
        return Pool(shift, [Candidate(d, self.elig.qualified(d.id), self.obstacles(d, shift))
                            for d in self.elig.scenario.doctors])

    def obstacles(self, doctor: Doctor, shift: ShiftInstance) -> tuple[Obstacle, ...]:
        """Every reason the doctor cannot take the shift, competence aside: each dated one
        (``Eligibility.blocks``) unless its group is lifted, and a pin on another shift at the
        same time; or only the permanent one (``Eligibility.static_reason``), when there is one,
        since nothing else then matters."""
        key = (doctor.id, shift.template)
        static = self._static.get(key)
        if static is None:
            why = self.elig.static_reason(doctor, shift)
            static = self._static[key] = () if why is None else (Obstacle(static_code(why), why),)
        if static:
            return static
        out: list[Obstacle] = []
        missing: list[str] = []  # one reason, as registering them is one change to the doctor's record
        for b in self.elig.blocks(doctor, shift):
            if (b.code, b.subject) in self.lifted:
                continue
            if b.code == ABSENCE:
                out.append(Obstacle(ABSENCE, self.elig.scenario.absences[int(b.subject.split("@")[0])].kind.value))
            elif b.code == COURSE and (course := b.subject.split("/", 1)[1]) in self.elig.missing[doctor.id]:
                missing.append(f"«{course}»")
            else:
                out.append(Obstacle(b.code, b.message))
        if missing:  # Eligibility.blocks gives them first
            out.insert(0, Obstacle(NO_COURSE, join(missing)))
        if is_night(shift):  # the solver's group per doctor (solver.protected_days) lifts the rule
            for code, eves in self.eves.items():
                if (shift.date in eves.get(doctor.id, ()) and (code, doctor.id) not in self.lifted
                        and (code == SUPERVISION_EVE or shift.on_site)):
                    out.append(Obstacle(code))
        if any(p.key != shift.key and p.overlaps(shift.start, shift.end) for p in self.pins.get(doctor.id, ())):
            out.append(Obstacle(PINNED))
        return tuple(out)


def pinned_shifts(scenario: Scenario, index: ShiftIndex,
                  lifted: Collection[tuple[str, str]] = ()) -> dict[str, list[ShiftInstance]]:
    """Each doctor's pinned shifts (a pin whose ``låst`` group is ``lifted`` left out)."""
    out: dict[str, list[ShiftInstance]] = {}
    for i, p in enumerate(scenario.pins):
        shift = index.by_key.get(shift_key(p.template, p.date))
        if shift is not None and ("låst", str(i)) not in lifted:
            out.setdefault(p.doctor, []).append(shift)
    return out


# --------------------------------------------------------------------------- Norwegian text


def phrase(code: str, label: str, skill: str | None) -> str:
    """What a group of doctors with this first reason «har» or «er», after their number: «3 har
    fravær», «2 kan ikke gå alene» (the pre-solve checks and unfilled places say it alike)."""
    return {
        ABSENCE: "har fravær",
        EXEMPTION: "har nattfritak",
        PRACTICE_EVE: "har praksisdag dagen etter",
        SUPERVISION_EVE: "har veiledningsdag dagen etter",
        COURSE: "har kurs som har gått ut",
        NO_COURSE: "mangler påkrevd kurs",
        PINNED: "er låst til en annen vakt samtidig",
        BUSY: "har en annen vakt samtidig",
        REST: "trenger hvile",
        LIMIT: "har nådd en grense",
        SUPERVISION: "har ingen bakvakt som kan veilede dem",
        STATION: "går ikke på denne stasjonen",
        LABEL: f"går ikke {label}vakter",
        ON_CALL: "kan ikke være bakvakt",
        UNQUALIFIED: "kan ikke gå alene",
        SKILL: f"mangler ferdigheten «{skill}»",
    }[code]


def counted(details: Counter[str]) -> str:
    """« (ferie)» for one kind, « (2 ferie, 1 sykdom)» for several, most first."""
    if not details:
        return ""
    ordered = sorted(details.items(), key=lambda item: (-item[1], item[0]))
    return " (" + ", ".join(d if len(details) == 1 else f"{n} {d}" for d, n in ordered) + ")"


_ABSENCE_WORDS = {"kurs": "på kurs", "annet": "annet fravær"}  # the other kinds read well as they are


def _near_label(o: Obstacle) -> str:
    """What one change would lift, in a few words after a name."""
    if o.code == ABSENCE:
        return _ABSENCE_WORDS.get(o.detail, o.detail)
    if o.code == NO_COURSE:
        return f"mangler {o.detail}"
    return {UNQUALIFIED: "kan ikke gå alene", COURSE: "kurset har gått ut", EXEMPTION: "nattfritak",
            PRACTICE_EVE: "praksisdag dagen etter", SUPERVISION_EVE: "veiledningsdag dagen etter",
            PINNED: "låst til en annen vakt"}.get(o.code, o.detail or o.code)


def _grouped(near: list[tuple[Doctor, Obstacle]]) -> str:
    """«Ola Hansen og Per Olsen (kan ikke gå alene), Anne Berg (ferie) og 3 til»: ``FEW`` names
    grouped by what keeps them off, taken in turn from each group so that every kind of change
    is seen before a long list of one kind fills the names."""
    groups: dict[str, list[str]] = {}
    for d, o in near:
        groups.setdefault(_near_label(o), []).append(d.name)
    shown: dict[str, list[str]] = {label: [] for label in groups}
    for turn in range(FEW):
        for label, names in groups.items():
            if turn < len(names) and sum(map(len, shown.values())) < FEW:
                shown[label].append(names[turn])
    parts = [f"{join(names)} ({label})" for label, names in shown.items() if names]
    if len(near) > FEW:
        parts.append(f"{len(near) - FEW} til")
    return join(parts)


def join(parts: Sequence[str]) -> str:
    """«A», «A og B», «A, B og C»."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


# --------------------------------------------------------------------------- unfilled places of a roster


TAKEN, FREE = "satt på vakten", "ledig"  # the two groups an unfilled place adds


def qualified_place(shift: ShiftInstance, on_shift: Collection[str], qualified: Mapping[str, bool],
                    missing: int, alone_with_bakvakt: bool = False) -> bool:
    """Whether every unfilled place of an on-site shift needs a doctor who may work alone: the
    shift still lacks that many qualified doctors (``kompetanse``), or none is on it, so a doctor
    who may not work alone would be alone (``alene``, unless the rules let the bakvakt be enough)."""
    if not shift.on_site:
        return False
    have = sum(qualified[d] for d in on_shift)
    return (have == 0 and not alone_with_bakvakt) or shift.min_qualified - have >= missing


def _after_one_more(scenario: Scenario, roster: Roster, shift: ShiftInstance, doctors: list[str],
                    before: Mapping[tuple, Violation], on_call: Collection[str]) -> dict[str, list[Obstacle]]:
    """What the checker finds the shift would break for each of ``doctors`` on top of their shifts
    in the roster: a new breach, or one of the roster's (``before``, by place) made worse. One
    check adds them all: the rules asked about (``ROSTER_RULES``) each look at one doctor's own
    shifts (and ``veiledning`` at who is on call, keys in ``on_call``), so the doctors do not
    affect one another, and the roster checked needs nothing else."""
    if not doctors:
        return {}
    wanted = set(doctors)
    extra = [Assignment(doctor=d, template=shift.template, date=shift.date) for d in doctors]
    mine = [a for a in roster.assignments if a.doctor in wanted or a.shift in on_call]
    added = roster.model_copy(update={"assignments": [*mine, *extra], "open_slots": []})
    out: dict[str, list[Obstacle]] = defaultdict(list)
    for v in check_roster(scenario, added):
        earlier = before.get(v.place)
        if v.doctor in wanted and v.rule in ROSTER_RULES and (earlier is None or v.worse_than(earlier)):
            o = Obstacle(ROSTER_RULES[v.rule], RULES[v.rule].lower())
            if o not in out[v.doctor]:
                out[v.doctor].append(o)
    return out


def _names(doctors: list[tuple[Doctor, Obstacle | None]]) -> str:
    """« (A og B)», with the absence's kind, the missing course or the limit « (A og B: ferie, C:
    sykdom)», up to ``FEW`` doctors; over that the kinds counted « (75 ferie, 1 kurs)»."""
    def detail(o: Obstacle | None) -> str:
        return o.detail if o is not None and o.code in (ABSENCE, NO_COURSE, LIMIT) else ""

    if len(doctors) > FEW:
        return counted(Counter(detail(o) for _, o in doctors if detail(o)))
    groups: dict[str, list[str]] = {}
    for d, o in doctors:
        groups.setdefault(_near_label(o) if o is not None and o.code == ABSENCE else detail(o), []).append(d.name)
    return " (" + ", ".join(f"{join(names)}: {label}" if label else join(names)
                            for label, names in groups.items()) + ")"


def unfilled_text(p: Pool, taken: Collection[str], reasons: Mapping[str, Sequence[Obstacle]]) -> str:
    """«3 mulige leger: 1 er satt på vakten (Kari Nordmann) og 2 kan ikke gå alene (Ola Hansen og
    Per Olsen)»: the doctors who could take this kind of shift, grouped by their first reason for
    this place (``reasons``, from ``place_reasons``)."""
    possible = [c for c in p.candidates if not any(o.code in PERMANENT for o in c.obstacles)
                and not (needs_alone(p.shift) and not c.qualified)]
    if not possible:
        return "ingen leger kan ta denne vakttypen (stasjon, vakttype, ferdighet eller bakvakt)"
    groups: dict[str, list[tuple[Doctor, Obstacle | None]]] = defaultdict(list)
    for c in possible:
        why = reasons.get(c.doctor.id, ())
        first = why[0] if why else None
        code = TAKEN if c.doctor.id in taken else first.code if first else FREE
        groups[code].append((c.doctor, first))
    # FREE: the checker finds nothing one more shift would break; a search stopped early (or a
    # re-plan holding a started shift) leaves such a place, and the manager can fill it by hand.
    words = {TAKEN: "er satt på vakten", FREE: "kunne tatt plassen uten å bryte noen regel"}
    parts = [f"{len(groups[code])} {words.get(code) or phrase(code, p.shift.label, p.shift.required_skill)}"
             f"{_names(groups[code])}" for code in (TAKEN, *DISPLAY, FREE) if groups.get(code)]
    n = len(possible)
    return f"{count(n, 'mulig lege', 'mulige leger')}: {join(parts)}"


def place_reasons(scenario: Scenario, roster: Roster, p: Pool, taken: Collection[str], missing: int,
                  before: Mapping[tuple, Violation], on_call: Collection[str]) -> dict[str, tuple[Obstacle, ...]]:
    """Each doctor's reasons for not filling an unfilled place of ``p.shift``: the pool's (with
    competence when every unfilled place needs a doctor who may work alone), and for a doctor
    with none of those, what the checker finds one more shift would break."""
    qualified = {c.doctor.id: c.qualified for c in p.candidates}
    alone = qualified_place(p.shift, taken, qualified, missing, scenario.rules.alone_with_bakvakt)
    out = {c.doctor.id: p.why(c, alone) for c in p.candidates if c.doctor.id not in taken}
    free = [d for d, why in out.items() if not why]
    for d, found in _after_one_more(scenario, roster, p.shift, free, before, on_call).items():
        out[d] = tuple(sorted(found, key=lambda o: ORDER.index(o.code)))
    return out


#: The reason of a place not looked into before the deadline (``open_place_reasons``).
NOT_EXPLAINED = "ikke undersøkt: tidsgrensen for beregningen gikk ut før grunnen ble funnet"


def open_place_reasons(scenario: Scenario, roster: Roster, index: ShiftIndex | None = None,
                       elig: Eligibility | None = None, deadline: float | None = None,
                       clock: Callable[[], float] = time.perf_counter) -> dict[str, str]:
    """The reason of every unfilled place of a roster, by shift key (``unfilled_text``). Each
    place costs one run of the checker over its free doctors' lines: a half-year roster with
    hundreds of places under-covered would take tens of seconds, so with a ``deadline`` (a
    ``clock`` reading) the places whose run would end past it, the longest run so far taken as the
    measure, say ``NOT_EXPLAINED`` instead."""
    index = index or ShiftIndex(scenario)
    elig = elig or Eligibility(scenario)
    longest = 0.0

    def in_time() -> bool:
        return deadline is None or clock() + longest < deadline

    def timed(check: Callable[..., Any], *args: Any) -> Any:
        nonlocal longest
        started = clock()
        out = check(*args)
        longest = max(longest, clock() - started)
        return out

    on_shift: dict[str, set[str]] = defaultdict(set)
    for a in roster.assignments:
        on_shift[a.shift].add(a.doctor)
    before = {v.place: v for v in timed(check_roster, scenario, roster)} if roster.open_slots and in_time() else {}
    pools = Pools(elig)
    on_call = {s.key for s in index.shifts if not s.on_site}
    out = {}
    for o in roster.open_slots:
        shift = index.by_key.get(shift_key(o.template, o.date))
        if shift is None:
            continue
        if not in_time():
            out[shift.key] = NOT_EXPLAINED
            continue
        p = pools(shift)
        taken = on_shift[shift.key]
        reasons = timed(place_reasons, scenario, roster, p, taken, o.missing, before, on_call)
        out[shift.key] = unfilled_text(p, taken, reasons)
    return out

