"""Why no complete roster exists: the few requirements that clash, and what would resolve them.

"INFEASIBLE" tells a manager nothing. Here the strict model is built with every hard constraint in
a named group (one shift's demand, one doctor's limit, one absence on one shift, one doctor's rest
…, see ``ModelContext.guard``), each group behind an assumption literal. CP-SAT's
``sufficient_assumptions_for_infeasibility`` names a set of groups that cannot hold together;
deletion shrinks it to an irreducible one (remove a member; if the rest still clashes, the member
was not needed), each test on a small sub-model of just those groups. Every member left is needed,
so lifting any one of them resolves the clash. Whether that leaves a roster possible once the
other reasons that keep the same doctors off the same shifts are added back is tested, not
assumed; for a group of one linear row (a demand, a count, an hour limit) the solver also finds
how far it must move, by maximising (or minimising) the row: "lower the demand to 1" is a number
the solver reached, not a guess.

A scenario can clash in several places (Christmas: Fana, the evening and night of Christmas Eve,
New Year's night …). After one clash is explained, its preferred fix is applied to the model in
place and the search runs again, up to ``max_conflicts``; at the end the scenario with every
chosen change is built and solved once more in strict mode to verify that, together, they give a
complete roster.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from ortools.sat.python import cp_model

from roster.calendar import OSLO, ShiftInstance
from roster.candidates import Pools, pinned_shifts
from roster.eligibility import absence_interval, exemptions
from roster.models import Absence, AbsenceKind, Clash, DemandChange, Exemption, Scenario, Supervision
from roster.models import Explanation as ExplanationModel
from roster.terms import count, count_doctors, count_shifts, genitive, number
from roster.workload import rest_hours, weekly_shift_cap
from solver.builder import OutOfTime, build_model
from solver.collector import Model
from solver.context import (
    INT_MAX,
    INT_MIN,
    Bound,
    Group,
    ModelContext,
    set_domain,
)
from solver.replan import shift_text

# Order in which fixes are preferred when one must be chosen to look for the next clash: what
# changes least for patients and colleagues first (a course renewed, a doctor's own limit raised)
# and fewer places on a shift last.
PREFERENCE = ("kurs", "antall-maks", "antall-type", "timer-maks", "helger", "låst", "fravær", "fritak",
              "antall-min", "timer-min", "dager-på-rad", "min-dager-på-rad", "fridager", "netter", "nattblokk",
              "uke-vakter", "uke-timer", "rekkefølge", "veiledningsdag", "praksisdag", "bemanning-maks", "kompetanse",
              "bemanning")
# Rules of law (akuttmedisinforskriften §7, arbeidsmiljøloven, SFS 2305, the pilot) are named as
# reasons but never offered as something to relax.
LAW = ("overlapp", "hvile", "ukehvile", "søndagsfri", "alene", "veiledning", "bakvakt-dekning")
PER_KIND = 3
ABSENCE_PHRASES = {
    AbsenceKind.HOLIDAY: "har ferie", AbsenceKind.COURSE: "er på kurs", AbsenceKind.SICK: "er syk",
    AbsenceKind.PARENTAL: "har permisjon", AbsenceKind.OTHER: "har annet fravær",
}
PLURAL = {"er syk": "er syke"}  # the reasons whose words change with the count («1 er syk», «2 er syke»)
BLOCKS = ("fravær", "fritak", "kurs")  # groups that only hold assignments at 0
SHIFT_GROUPS = ("bemanning", "bemanning-maks", "kompetanse", "alene")  # subject: a shift key
WHERE = (*SHIFT_GROUPS, "bakvakt-dekning", "låst")  # groups about given shifts rather than a person


@dataclass(frozen=True)
class Requirement:
    group: Group
    text: str  # Norwegian: what the requirement says, with names and figures


@dataclass(frozen=True)
class Fix:
    """A change that resolves one clash, verified by the solver: with the rest of the clash, the
    other reasons its doctors are kept off its shifts and the clashes resolved before enforced,
    this requirement lifted (or moved to ``value``) leaves a roster possible."""

    group: Group
    text: str  # Norwegian suggestion
    edit: Callable[[Scenario], Scenario] | None  # the same change on the scenario; None: an exception only
    value: int | None = None  # a one-row group moved to this number, else lifted


@dataclass
class Conflict:
    requirements: list[Requirement]
    summary: str  # one Norwegian paragraph
    fixes: list[Fix]  # each alone resolves this clash, in order of preference
    minimal: bool = True  # False when a test ran out of time and the set may hold a member too many


@dataclass
class Explanation:
    status: str  # "mulig": a complete roster exists; "konflikter"; "ukjent": nothing proved in time
    conflicts: list[Conflict] = field(default_factory=list)
    verified: bool | None = None  # the chosen fixes together give a complete roster (strict re-solve)
    chosen: list[Fix] = field(default_factory=list)
    seconds: float = 0.0
    complete: bool = True  # False when max_conflicts or the time limit stopped the search

    @property
    def feasible(self) -> bool:
        return self.status == "mulig"

    def to_model(self) -> ExplanationModel:
        """The explanation as stored with a roster (roster.json, the workbook, the web page)."""
        return ExplanationModel(
            status=self.status,
            clashes=[Clash(summary=c.summary, requirements=[r.text for r in c.requirements],
                           fixes=[f.text for f in c.fixes], minimal=c.minimal) for c in self.conflicts],
            verified=self.verified, complete=self.complete, seconds=round(self.seconds, 1),
        )


# --------------------------------------------------------------------------- the solver side


FIRST_TRY = 15.0  # seconds of the first try at the whole model (the Bergen month's usually take 5–7 s)
KINDS = ("linear", "bool_or", "bool_and", "at_most_one", "exactly_one")  # what the hard families write


def _literals(c: object) -> list[int]:
    """Variable indices a constraint proto refers to. Another constraint kind would be copied into
    sub-models without its variables being followed, so it is refused."""
    refs = list(c.enforcement_literal)
    kind = next((k for k in KINDS if getattr(c, f"has_{k}")()), None)
    if kind is None:
        raise ValueError(f"the explain model holds a constraint kind it cannot follow: {c}")
    part = getattr(c, kind)
    refs += list(part.vars if kind == "linear" else part.literals)
    return [r if r >= 0 else -r - 1 for r in refs]


def _renumber(c: object, index: dict[int, int]) -> None:
    """Point a copied constraint at the sub-model's variable numbers (negative: negated literal)."""
    def new(ref: int) -> int:
        return index[ref] if ref >= 0 else -index[-ref - 1] - 1

    refs = list(c.enforcement_literal)
    c.enforcement_literal.clear()
    c.enforcement_literal.extend(new(r) for r in refs)
    for kind in KINDS:
        if getattr(c, f"has_{kind}")():
            part = getattr(c, kind)
            field = part.vars if kind == "linear" else part.literals
            refs = list(field)
            field.clear()
            field.extend(new(r) for r in refs)


@dataclass
class _Result:
    """A test's outcome; ``value`` reads a model variable (one the sub-model left out is 0: no
    row needed it, so 0 is as good as any value)."""

    code: int
    solver: cp_model.CpSolver
    index: dict[int, int]

    @property
    def found(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    @cached_property
    def solution(self) -> list[int]:
        return list(self.solver.response_proto.solution)

    def value(self, var: int) -> int:
        new = self.index.get(var)
        return 0 if new is None else self.solution[new]


class _Tester:
    """Solves the explain model with a chosen set of groups enforced and the rest lifted.

    With assumptions on the whole model CP-SAT can name a core, but loading and presolving the
    Bergen month takes seconds per call. A test of a small set runs on a copy holding only that
    set's constraints and the definitions of the helper variables they use (a helper such as
    "a bakvakt is on call in this segment" is defined by constraints of no group, which any
    roster satisfies): milliseconds instead of seconds.
    """

    def __init__(self, ctx: ModelContext, seed: int):
        self.ctx = ctx
        self.seed = seed
        self.by_index = {lit.index: g for g, lit in ctx.groups.items()}
        self.solves = 0
        proto = ctx.model.proto
        grouped = {i for rows in ctx.rows.values() for i in rows}
        x_vars = {v.index for v in ctx.x.values()}
        self.defining: dict[int, list[int]] = {}  # helper variable → constraints of no group using it
        for i, c in enumerate(proto.constraints):
            if i in grouped:
                continue
            for ref in _literals(c):
                if ref not in x_vars and ref not in self.by_index:
                    self.defining.setdefault(ref, []).append(i)
        self.touching: dict[int, set[Group]] = {}  # x variable → groups whose rows use it
        self.uses: dict[Group, set[int]] = {}
        for g, rows in ctx.rows.items():
            used = {r for i in rows for r in _literals(proto.constraints[i]) if r in x_vars}
            self.uses[g] = used
            for r in used:
                self.touching.setdefault(r, set()).add(g)

    def _params(self, solver: cp_model.CpSolver, limit: float, seed: int | None = None) -> None:
        p = solver.parameters
        p.max_time_in_seconds = max(0.05, limit)
        p.num_workers = 1  # cores from assumptions are reliable with one worker
        p.random_seed = self.seed if seed is None else seed
        self.solves += 1

    def solve_all(self, enforced: set[Group], limit: float) -> tuple[int, cp_model.CpSolver]:
        """The whole model with ``enforced`` assumed and every other group lifted: a core, or a
        roster. The time to a roster varies widely with the seed (the hard Christmas month with its
        clashes lifted: 114 s on seed 0, 6 s on seeds 1 and 2; two workers found none in 60 s), so
        a try left unanswered is cut and retried with the next seed and twice the time
        (randomised restarts), until ``limit``."""
        m = self.ctx.model
        m.clear_assumptions()
        m.add_assumptions([lit if g in enforced else ~lit for g, lit in self.ctx.groups.items()])
        deadline = time.perf_counter() + limit
        attempt, slice_ = 0, FIRST_TRY
        while True:
            solver = cp_model.CpSolver()
            left = deadline - time.perf_counter()
            self._params(solver, min(slice_, left), self.seed + attempt)
            code = solver.solve(m)
            if code != cp_model.UNKNOWN or slice_ >= left:
                return code, solver
            attempt, slice_ = attempt + 1, 2 * slice_

    def submodel(self, enforced: set[Group], extra: Iterable[int] = ()) -> tuple[cp_model.CpModel, dict[int, int]]:
        """Only the enforced groups' rows and the helper definitions they need, over only the
        variables those rows use (renumbered; ``extra`` adds variables an objective needs); a
        doctor kept off shifts (absence, exemption, course) becomes variables fixed at 0."""
        proto = self.ctx.model.proto
        wanted = sorted({i for g in enforced if g[0] not in BLOCKS for i in self.ctx.rows.get(g, ())})
        seen = set(wanted)
        todo = list(wanted)
        while todo:
            for ref in _literals(proto.constraints[todo.pop()]):
                for j in self.defining.get(ref, ()):
                    if j not in seen:
                        seen.add(j)
                        todo.append(j)
        rows = sorted(seen)
        zero = {r for g in enforced if g[0] in BLOCKS for r in self.uses[g]}
        one = {self.ctx.groups[g].index for g in enforced}
        used = sorted({r for i in rows for r in _literals(proto.constraints[i])} | set(extra))
        index = {old: new for new, old in enumerate(used)}
        sub = Model()
        for old in used:
            var = sub.proto.variables.add()
            var.copy_from(proto.variables[old])
            if old in zero or old in one:
                value = int(old in one)
                set_domain(var.domain, value, value)
        for i in rows:
            c = sub.proto.constraints.add()
            c.copy_from(proto.constraints[i])
            _renumber(c, index)
        return sub, index

    def solve(self, enforced: set[Group], limit: float, objective: Bound | None = None,
              maximise: bool = False) -> _Result:
        """A test of ``enforced`` alone (with an objective: how far one row can move)."""
        sub, index = self.submodel(enforced, (v for v, _ in objective.terms) if objective else ())
        if objective is not None:
            expr = cp_model.LinearExpr.weighted_sum(
                [sub.get_int_var_from_proto_index(index[v]) for v, _ in objective.terms],
                [c for _, c in objective.terms]) + objective.offset
            (sub.maximize if maximise else sub.minimize)(expr)
        solver = cp_model.CpSolver()
        self._params(solver, limit)
        return _Result(solver.solve(sub), solver, index)

    def move(self, group: Group, value: int) -> None:
        """Move a one-row group's bound to ``value`` in the model itself (a fix applied in place)."""
        row = self.ctx.bounds[group][0]
        lo, hi = (value, row.hi) if row.sense == "≥" else (row.lo, value)
        set_domain(self.ctx.model.proto.constraints[self.ctx.rows[group][0]].linear.domain,
                   lo - row.offset if lo > INT_MIN else lo, hi - row.offset if hi < INT_MAX else hi)
        self.ctx.bounds[group][0] = replace(row, lo=lo, hi=hi)

    def around(self, clash: list[Group]) -> set[Group]:
        """The clash and every other reason the same doctors are kept off the same shifts (their
        absences, exemptions, courses, limits and rest). A fix is tested against these, so "ask
        X" is offered only when nothing else keeps X away too; other shifts' demands stay out, or
        a neighbouring clash would veto every fix."""
        out = set(clash)
        for g in clash:
            # a doctor's own rule (a minimum of shifts, a limit of hours) is kept to their absences
            # and pins on every shift it counts, not only the clash's: one shift asked of a holiday
            # is not enough for a minimum of two, nor one more hour for two pinned shifts
            own = g[0] not in WHERE
            for r in self.uses.get(g, ()):
                out |= {h for h in self.touching[r] if (h[0] in (*BLOCKS, "låst") if own else h[0] not in WHERE)}
        return out

    def core(self, solver: cp_model.CpSolver, enforced: set[Group]) -> set[Group] | None:
        """The groups of the infeasibility core, or None when it names none of them (CP-SAT can
        report a presolved literal instead, or-tools issue #5141)."""
        found = {self.by_index.get(i) for i in solver.sufficient_assumptions_for_infeasibility()}
        found &= enforced
        return found or None


def _shrink(tester: _Tester, start: set[Group], deadline: float) -> tuple[list[Group], bool]:
    """An irreducible clashing subset of ``start`` by deletion, and whether every test finished
    in time (an unfinished test keeps its member)."""
    members = sorted(start, key=_shrink_order)
    complete = True
    i = 0
    while i < len(members):
        result = tester.solve(set(members[:i] + members[i + 1:]), deadline - time.perf_counter())
        if result.code == cp_model.INFEASIBLE:
            del members[i]
        else:
            complete &= result.found
            i += 1
        if time.perf_counter() > deadline:
            return members, False
    return members, complete


def _shrink_order(group: Group) -> tuple[int, str]:
    """Try to delete people's absences and limits before the demands they clash with, so the
    demand a clash is about stays in it."""
    code = group[0]
    return (2 if code in ("bemanning", "kompetanse", "bakvakt-dekning") else 1 if code in LAW else 0, group[1])


# --------------------------------------------------------------------------- Norwegian text


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def _names(names: list[str], most: int = 4) -> str:
    shown = names[:most]
    rest = len(names) - len(shown)
    return _join(shown + [f"{rest} til"]) if rest else _join(shown)


def _dmy(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


class _Words:
    """Norwegian sentences for the groups of one scenario."""

    def __init__(self, ctx: ModelContext):
        self.ctx = ctx
        self.sc = ctx.scenario
        self.doctors = ctx.doctors

    def shift(self, key: str) -> ShiftInstance:
        return self.ctx.index.by_key[key]

    def shift_text(self, key: str) -> str:
        text = shift_text(self.sc, self.shift(key))
        return text[:1].upper() + text[1:]

    def name(self, doctor_id: str) -> str:
        return self.doctors[doctor_id].name

    def absence(self, i: int) -> Absence:
        return self.sc.absences[i]

    def bound(self, group: Group) -> int:
        """The number a one-row group asks for now (a fix may have moved it in the model)."""
        row = self.ctx.bounds[group][0]
        return row.lo if row.sense == "≥" else row.hi

    def doctor_of(self, group: Group) -> str:
        """The doctor a block group is about."""
        code, subject = group
        if code == "fravær":
            return self.absence(int(subject.split("@")[0])).doctor
        return subject.split("/", 1)[0]

    def absence_span(self, a: Absence) -> str:
        if isinstance(a.start, dt.datetime):
            return f"{a.start:%d.%m %H:%M}–{a.end:%d.%m %H:%M}"
        return _dmy(a.start) if a.start == a.end else f"{a.start:%d.%m}–{_dmy(a.end)}"  # type: ignore[arg-type]

    def requirement(self, group: Group) -> str:
        code, subject = group
        r = self.sc.rules
        if code in SHIFT_GROUPS:
            s = self.shift(subject)
            allowed = sum(1 for d in self.sc.doctors if self.ctx.statically_allowed(d, s.template))
            if code == "bemanning":
                return f"{self.shift_text(subject)} krever {count_doctors(self.bound(group))} ({allowed} kan ta vakttypen)"
            if code == "bemanning-maks":
                return f"{self.shift_text(subject)} tar høyst {count_doctors(self.bound(group))}"
            if code == "kompetanse":
                return f"{self.shift_text(subject)} krever {count_doctors(self.bound(group))} som kan gå alene"
            return f"{self.shift_text(subject)}: en lege som ikke kan gå alene må ha en kvalifisert lege med seg"
        if code == "bakvakt-dekning":
            return (f"en navngitt spesialist på bakvakt hele tiden en stasjon er åpen "
                    f"{dt.date.fromisoformat(subject):%d.%m} (pilotens krav)")
        if code == "låst":
            pin = self.sc.pins[int(subject)]
            key = f"{pin.template}/{pin.date.isoformat()}"
            what = self.shift_text(key) if key in self.ctx.index.by_key else f"{pin.template} {_dmy(pin.date)}"
            return f"{self.name(pin.doctor)} er låst til {what}"
        if code == "fravær":
            a = self.absence(int(subject.split("@")[0]))
            return f"{self.name(a.doctor)} har fravær ({a.kind.value}) {self.absence_span(a)}"
        if code == "fritak":
            doctor_id, i = subject.split("@")[0].rsplit("/", 1)
            e = self.ctx.eligibility.exempt[doctor_id][int(i)]
            return f"{self.name(doctor_id)} er fritatt for vakt 16–08 ({e.reason.value})"
        if code == "kurs":
            doctor_id, course = subject.split("/", 1)
            if course in self.ctx.eligibility.missing[doctor_id]:
                return f"{self.name(doctor_id)} mangler kurset «{course}»"
            expiry = self.doctors[doctor_id].courses[course]
            return f"{self.name(doctor_id)}: kurset «{course}» gikk ut {_dmy(expiry)}"
        d = self.doctors[subject.split("/", 1)[0]]
        if code == "overlapp":
            return f"{d.name} kan ikke ha to vakter samtidig"
        if code == "hvile":
            return f"{d.name} må ha {number(rest_hours(r, d.employment))} t hvile mellom to vakter"
        if code == "ukehvile":
            return f"{d.name} (ansatt) må ha {number(r.weekly_rest_hours_employee)} t sammenhengende fri hver 7. dag"
        if code == "veiledning":  # «som kan møte»: the checker's words for supervision on site
            who = "kvalifisert bakvakt som kan møte," if d.supervision == Supervision.ON_SITE else "kvalifisert bakvakt"
            return f"{d.name} kan ikke gå alene og må ha en {who} på hele vakten"
        if code == "søndagsfri":
            return f"{d.name} (ansatt) skal ha fri søn- eller helligdagen etter en søn- eller helligdag med vakt"
        if code == "veiledningsdag":
            return f"{d.name} skal ikke ha nattevakt natten før en veiledningsdag"
        if code == "praksisdag":
            return f"{d.name} skal ikke ha nattevakt natten før en praksisdag"
        if code == "rekkefølge":
            pairs = ", ".join(f"{p.first} før {p.then}" for p in r.forbidden_successions)
            return f"{d.name} kan ikke ha {pairs} dagen etter"
        if code == "netter":
            return f"{d.name} kan ha høyst {count(r.max_consecutive_nights, 'natt', 'netter')} på rad"
        if code == "nattblokk":
            return f"{genitive(d.name)} netter kommer i blokker på minst {r.min_consecutive_nights}"
        if code == "dager-på-rad":
            return f"{d.name} kan ha høyst {count(d.max_consecutive_days or r.max_consecutive_days, 'arbeidsdag', 'arbeidsdager')} på rad"
        if code == "min-dager-på-rad":
            return f"{d.name} arbeider minst {d.min_consecutive_days or r.min_consecutive_days} dager på rad"
        if code == "fridager":
            return f"{d.name} skal ha minst {count(d.min_days_off or r.min_days_off, 'fridag', 'fridager')} mellom arbeidsperioder"
        if code == "uke-vakter":
            return f"{d.name} kan ha høyst {count_shifts(weekly_shift_cap(d, r))} per 7 dager"
        if code == "uke-timer":
            return f"{d.name} kan ha høyst {number(r.max_hours_per_7_days or 0)} t per 7 dager"
        if code == "antall-min":
            if group not in self.ctx.bounds:  # fewer shifts to take than the minimum (``mark_infeasible``)
                n = len(self.ctx.by_doctor.get(d.id, ()))
                return (f"{d.name} skal ha minst {count_shifts(d.min_shifts)} i perioden, men kan "
                        + (f"bare ta {n}" if n else "ikke ta noen"))
            return f"{d.name} skal ha minst {count_shifts(self.bound(group))} i perioden"
        if code == "antall-maks":
            return f"{d.name} kan ha høyst {count_shifts(self.bound(group))} i perioden"
        if code == "antall-type":
            label = subject.split("/", 1)[1]
            n = self.bound(group)
            return f"{d.name} kan ha høyst {count(n, label + 'vakt', label + 'vakter')} i perioden"
        if code == "timer-min":
            return f"{d.name} skal ha minst {number(self.bound(group) / self.ctx.hour_units.per_hour)} t i perioden"
        if code == "timer-maks":
            return f"{d.name} kan ha høyst {number(self.bound(group) / self.ctx.hour_units.per_hour)} t i perioden"
        if code == "helger":
            return f"{d.name} kan ha høyst {count(self.bound(group), 'helg', 'helger')} med vakt"
        raise KeyError(code)

    def summary(self, groups: list[Group], lifted: Collection[Group] = ()) -> str:
        """The clash as one paragraph: what is demanded, who is kept away and why, and, for a
        shift few doctors can take, who can and who could if one thing changed (``lifted``: the
        fixes already applied)."""
        by_code: dict[str, list[Group]] = {}
        for g in groups:
            by_code.setdefault(g[0], []).append(g)
        parts: list[str] = []
        for code in ("bemanning", "kompetanse", "bemanning-maks", "alene", "bakvakt-dekning", "låst"):
            parts += [self.requirement(g) for g in by_code.pop(code, [])]
        away = [g for code in ("fravær", "fritak", "kurs") for g in by_code.pop(code, [])]
        if away:
            why: dict[str, str] = {}  # doctor → their first reason in the clash
            for code, subject in away:
                doctor_id = self.doctor_of((code, subject))
                if code == "fravær":
                    reason = ABSENCE_PHRASES[self.absence(int(subject.split("@")[0])).kind]
                elif code == "fritak":
                    reason = "er fritatt 16–08"
                elif subject.split("/", 1)[1] in self.ctx.eligibility.missing[doctor_id]:
                    reason = "mangler påkrevd kurs"
                else:
                    reason = "har kurs som har gått ut"
                why.setdefault(doctor_id, reason)
            counts = Counter(why.values())
            reasons = _join([f"{n} {reason if n == 1 else PLURAL.get(reason, reason)}" for reason, n in counts.most_common()])
            names = [self.name(d) for d in why]
            shifts = "vaktene" if sum(c in SHIFT_GROUPS for c in by_code) or len(parts) > 1 else "vakten"
            parts.append(f"{count_doctors(len(names))} som ellers kunne tatt {shifts} er borte ({reasons}: {_names(names)})")
        for code in sorted(by_code, key=lambda c: (c not in LAW, c)):
            parts += [self.requirement(g) for g in by_code[code]]
        who = self.who(groups, lifted, named={self.doctor_of(g) for g in away})
        return "; ".join(parts) + "." + "".join(f" {w[:1].upper()}{w[1:]}." for w in who)

    def who(self, groups: list[Group], lifted: Collection[Group], named: set[str]) -> list[str]:
        """``Pool.who`` of each shift the clash asks doctors for, from the same facts as the
        pre-solve checks and the reason on an unfilled place; doctors the clash already names as
        away are not named again."""
        shifts = [g for g in groups if g[0] in ("bemanning", "kompetanse")]
        pool_of = Pools(self.ctx.eligibility, pinned_shifts(self.sc, self.ctx.index, lifted), lifted)
        out = []
        for code, key in shifts:
            who = pool_of(self.shift(key)).who(code == "kompetanse", named)
            if who:
                out.append(f"{self.shift_text(key)}: {who}" if len(shifts) > 1 else who)
        return out


# --------------------------------------------------------------------------- fixes


def _replace_doctor(sc: Scenario, doctor_id: str, **changes: object) -> Scenario:
    doctors = [d.model_copy(update=changes) if d.id == doctor_id else d for d in sc.doctors]
    return sc.model_copy(update={"doctors": doctors})


def _demand_change(sc: Scenario, key: str, **changes: int) -> Scenario:
    """The scenario with one shift's staffing changed (a new or updated demand change)."""
    template, day = key.rsplit("/", 1)
    date = dt.date.fromisoformat(day)
    tpl = sc.template(template)
    old = next((c for c in sc.demand_changes if c.template == template and c.date == date), None)
    low, high, qualified = old.staffing(tpl) if old else (tpl.demand_min, tpl.demand_max, tpl.min_qualified)
    new = {"demand_min": low, "demand_max": high, "min_qualified": qualified, **changes}
    new["min_qualified"] = min(new["min_qualified"], new["demand_min"])
    new["demand_max"] = max(new["demand_max"], new["demand_min"])
    kept = [c for c in sc.demand_changes if c is not old]
    return sc.model_copy(update={"demand_changes": [*kept, DemandChange(template=template, date=date, **new)]})


def _without_absence_around(sc: Scenario, original: Absence, shift: ShiftInstance) -> Scenario:
    """The absence split so that the doctor is free for this one shift. Fixes compose: an absence
    already split for another shift is found by its pieces (same doctor, kind and note, inside the
    original span), never by its index, which the earlier split moved."""
    first, last = absence_interval(original)
    absences: list[Absence] = []
    for a in sc.absences:
        start, end = absence_interval(a)
        piece = (a.doctor, a.kind, a.note) == (original.doctor, original.kind, original.note) \
            and first <= start and end <= last
        if piece and start < shift.end and shift.start < end:
            absences += [a.model_copy(update={"start": _wall(x), "end": _wall(y)})
                         for x, y in ((start, shift.start), (shift.end, end)) if x < y]
        else:
            absences.append(a)
    return sc.model_copy(update={"absences": absences})


def _wall(t: dt.datetime) -> dt.datetime:
    """Oslo wall-clock time without zone, as a manager writes an absence's start and end."""
    return t.astimezone(OSLO).replace(tzinfo=None)


def _age_made_explicit(sc: Scenario, doctor_id: str) -> Scenario:
    """The exemption a fastlege has by age (``roster.eligibility.exemptions``) written out as an
    explicit one and waived as derived, so it can be lifted piece by piece like the others."""
    doctor = sc.doctor(doctor_id)
    if doctor.waives_age_exemption:
        return sc
    return _replace_doctor(sc, doctor_id, exemptions=exemptions(doctor, sc.rules), waives_age_exemption=True)


def _without_exemption_on(sc: Scenario, doctor_id: str, original: Exemption, shift: ShiftInstance) -> Scenario:
    """The exemption lifted for the dates whose 16–08 window the shift touches; like absences,
    found by its pieces (same reason, inside the original dates) so that fixes compose."""
    first, last = shift.date - dt.timedelta(days=1), shift.date + dt.timedelta(days=1)
    lo, hi = original.start or dt.date.min, original.end or dt.date.max
    exemptions: list[Exemption] = []
    for e in sc.doctor(doctor_id).exemptions:
        start, end = e.start or dt.date.min, e.end or dt.date.max
        piece = e.reason == original.reason and lo <= start and end <= hi
        if not (piece and start <= last and first <= end):
            exemptions.append(e)
            continue
        if start < first:
            exemptions.append(Exemption(reason=e.reason, start=e.start, end=first - dt.timedelta(days=1)))
        if end > last:
            exemptions.append(Exemption(reason=e.reason, start=last + dt.timedelta(days=1), end=e.end))
    return _replace_doctor(sc, doctor_id, exemptions=exemptions)


class _Fixer:
    """Finds, for each member of a clash, whether and how far lifting it resolves the clash."""

    def __init__(self, tester: _Tester, words: _Words, deadline: float):
        self.tester = tester
        self.words = words
        self.ctx = tester.ctx
        self.deadline = deadline

    def fixes(self, clash: list[Group], lifted: set[Group], earlier: set[Group]) -> list[Fix]:
        """Verified fixes, at most ``PER_KIND`` of each kind from at most twice as many tries (a
        clash with 78 absent doctors needs a few names to ask, not 78 solves). Each is tested
        with the clashes already resolved (``earlier``): a doctor asked for the night is not
        offered for the evening before it."""
        out: list[Fix] = []
        found: Counter[str] = Counter()
        tried: Counter[str] = Counter()
        context = (self.tester.around(clash) | earlier) - lifted
        for group in sorted(clash, key=lambda g: (PREFERENCE.index(g[0]) if g[0] in PREFERENCE else 99, g[1])):
            code = group[0]
            if code in LAW or found[code] >= PER_KIND or tried[code] >= 2 * PER_KIND:
                continue
            if time.perf_counter() > self.deadline:
                break
            tried[code] += 1
            fix = self.fix(group, context - {group})
            if fix is not None:
                found[code] += 1
                out.append(fix)
        return out

    def _solution(self, rest: set[Group], group: Group) -> tuple[_Result, int | None] | None:
        """A roster of the clash without ``group`` and, for a one-row group, the nearest value its
        row can take (maximised for "at least", minimised for "at most")."""
        rows = self.ctx.bounds.get(group, [])
        row = rows[0] if len(rows) == 1 and rows[0].sense else None
        limit = min(10.0, self.deadline - time.perf_counter())
        result = self.tester.solve(rest, limit, row, maximise=row is not None and row.sense == "≥")
        if not result.found:
            return None
        if row is None:
            return result, None
        return result, sum(c * result.value(v) for v, c in row.terms) + row.offset

    def fix(self, group: Group, rest: set[Group]) -> Fix | None:
        found = self._solution(rest, group)
        if found is None:
            return None
        fix = self._describe(group, found[1])
        return fix if fix is None else replace(fix, value=found[1])

    def _describe(self, group: Group, value: int | None) -> Fix | None:
        code, subject = group
        w = self.words
        sc = w.sc
        if code == "bemanning":
            return Fix(group, f"Senk bemanningen på {w.shift_text(subject)} fra {w.bound(group)} til {value}",
                       lambda x, k=subject, v=value: _demand_change(x, k, demand_min=v))
        if code == "kompetanse":
            return Fix(group, f"Godta {value} i stedet for {w.bound(group)} som kan gå alene på "
                              f"{w.shift_text(subject)}",
                       lambda x, k=subject, v=value: _demand_change(x, k, min_qualified=v))
        if code == "bemanning-maks":
            return Fix(group, f"Tillat {count_doctors(value)} på {w.shift_text(subject)}",
                       lambda x, k=subject, v=value: _demand_change(x, k, demand_max=v))
        if code == "låst":
            pin = sc.pins[int(subject)]
            return Fix(group, f"Fjern den låste vakten: {w.requirement(group)}",
                       lambda x, p=pin: x.model_copy(update={"pins": [q for q in x.pins if q != p]}))
        if code == "fravær":
            ref, key = subject.split("@")
            a, shift = sc.absences[int(ref)], w.shift(key)
            return Fix(group, f"Spør {w.name(a.doctor)} om å ta {shift_text(sc, shift)} "
                              f"tross fraværet ({a.kind.value} {w.absence_span(a)})",
                       lambda x, a=a, sh=shift: _without_absence_around(x, a, sh))
        if code == "fritak":
            ref, key = subject.split("@")
            doctor_id, k = ref.rsplit("/", 1)
            d, shift = w.doctors[doctor_id], w.shift(key)
            e = w.ctx.eligibility.exempt[doctor_id][int(k)]
            return Fix(group, f"Spør {d.name} om å ta {shift_text(sc, shift)} frivillig "
                              f"(fritatt 16–08: {e.reason.value})",
                       lambda x, d=doctor_id, e=e, sh=shift: _without_exemption_on(_age_made_explicit(x, d), d, e, sh))
        if code == "kurs":
            doctor_id, course = subject.split("/", 1)
            renewed = sc.period.end + dt.timedelta(days=366)
            d = w.doctors[doctor_id]
            text = (f"Registrer kurset «{course}» for {d.name} (mangler)" if course in w.ctx.eligibility.missing[d.id]
                    else f"Forny kurset «{course}» for {d.name} (gikk ut {_dmy(d.courses[course])})")
            return Fix(group, text,
                       lambda x, d=d.id, c=course: _replace_doctor(x, d, courses={**x.doctor(d).courses, c: renewed}))
        d = w.doctors[subject.split("/", 1)[0]]
        if code == "antall-maks":
            return Fix(group, f"Øk maks antall vakter for {d.name} fra {w.bound(group)} til {value}",
                       lambda x, d=d, v=value: _replace_doctor(x, d.id, max_shifts=v))
        if code == "antall-min":
            if value is None:  # no row: the doctor can take fewer shifts than the minimum at all
                start, value = d.min_shifts, len(self.ctx.by_doctor.get(d.id, ()))
            else:
                start = w.bound(group)
            return Fix(group, f"Senk min antall vakter for {d.name} fra {start} til {value}",
                       lambda x, d=d, v=value: _replace_doctor(x, d.id, min_shifts=v))
        if code == "antall-type":
            label = subject.split("/", 1)[1]
            return Fix(group, f"Øk maks {label}vakter for {d.name} fra {w.bound(group)} til {value}",
                       lambda x, d=d.id, lab=label, v=value: _replace_doctor(
                           x, d, max_shifts_by_label={**x.doctor(d).max_shifts_by_label, lab: v}))
        per_hour = self.ctx.hour_units.per_hour
        if code == "timer-maks":
            hours = value / per_hour
            return Fix(group, f"Øk maks timer for {d.name} fra {number(w.bound(group) / per_hour)} til {number(hours)}",
                       lambda x, d=d, h=hours: _replace_doctor(x, d.id, max_hours=h))
        if code == "timer-min":
            hours = value / per_hour
            return Fix(group, f"Senk min timer for {d.name} fra {number(w.bound(group) / per_hour)} til {number(hours)}",
                       lambda x, d=d, h=hours: _replace_doctor(x, d.id, min_hours=h))
        if code == "helger":
            return Fix(group, f"Tillat {count(value, 'helg', 'helger')} med vakt for {d.name}",
                       lambda x, d=d, v=value: _replace_doctor(x, d.id, max_weekends=v))
        period = (sc.period.end - sc.period.start).days + 1
        if code == "dager-på-rad":
            return Fix(group, f"Gjør unntak fra grensen for arbeidsdager på rad for {d.name}",
                       lambda x, d=d: _replace_doctor(x, d.id, max_consecutive_days=period))
        if code == "min-dager-på-rad":
            return Fix(group, f"Gjør unntak fra korteste arbeidsperiode for {d.name}",
                       lambda x, d=d: _replace_doctor(x, d.id, min_consecutive_days=1))
        if code == "fridager":
            return Fix(group, f"Gjør unntak fra kravet om fridager mellom arbeidsperioder for {d.name}",
                       lambda x, d=d: _replace_doctor(x, d.id, min_days_off=1))
        if code == "veiledningsdag":
            return Fix(group, f"Flytt {genitive(d.name)} veiledningsdager bort fra nattevaktene",
                       lambda x, d=d.id: x.model_copy(update={
                           "supervision_days": [v for v in x.supervision_days if v.doctor != d]}))
        if code == "praksisdag":
            return Fix(group, f"La {d.name} ta nattevakter før praksisdagene sine i perioden "
                              f"(fri fra praksis dagen etter)",
                       lambda x, d=d: _replace_doctor(x, d.id, practice_days=[]))
        rule = {"netter": "netter på rad", "nattblokk": "netter i blokk", "uke-vakter": "vakter per 7 dager",
                "uke-timer": "timer per 7 dager", "rekkefølge": "vakttyper som ikke kan følge hverandre"}[code]
        return Fix(group, f"Gjør unntak fra regelen om {rule} for {d.name} (en regel for alle i dag)", None)


# --------------------------------------------------------------------------- the loop


def explain(scenario: Scenario, *, time_limit: float = 120.0, max_conflicts: int = 8, seed: int = 0,
            on_step: Callable[[str], None] | None = None) -> Explanation:
    """The clashes that keep a complete roster (no open slot, no hour without bakvakt) from
    existing, each irreducible, with verified fixes; ``status`` "mulig" when there is none.

    Each chosen fix is applied to the model in place (a bound moved, or a group lifted: a doctor
    asked to take one shift of a holiday is free for that shift only), so the next clash is one
    the scenario with the fixes still has. The scenario with every chosen change is then built
    and solved once more: the fixes are verified together, not only one by one.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    say = on_step or (lambda _: None)
    out = Explanation(status="konflikter")
    say("Bygger modellen …")
    try:
        ctx = build_model(scenario, explain=True, deadline=deadline)
    except OutOfTime:  # the limit was spent building the model: nothing proved
        return replace(out, status="ukjent", complete=False, seconds=time.perf_counter() - started)
    tester = _Tester(ctx, seed)
    words = _Words(ctx)
    fixer = _Fixer(tester, words, deadline)
    lifted: set[Group] = set()
    earlier: set[Group] = set()  # the clashes resolved so far, with what surrounds them
    for _ in range(max_conflicts):
        enforced = set(ctx.groups) - lifted
        say("Leter etter krav som ikke kan oppfylles samtidig …")
        code, solver = tester.solve_all(enforced, deadline - time.perf_counter())
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if code != cp_model.INFEASIBLE:
            out.complete = False
            break
        say(f"Fant konflikt {len(out.conflicts) + 1}; gjør den så liten som mulig …")
        members, minimal = _shrink(tester, tester.core(solver, enforced) or enforced, deadline)
        say("Prøver hvilke endringer som løser den …")
        conflict = Conflict(
            requirements=[Requirement(g, words.requirement(g)) for g in members],
            summary=words.summary(members, lifted),
            fixes=fixer.fixes(members, lifted, earlier),
            minimal=minimal,
        )
        out.conflicts.append(conflict)
        if not conflict.fixes:
            out.complete = False
            break
        chosen = conflict.fixes[0]
        out.chosen.append(chosen)
        earlier |= tester.around(members)
        if chosen.value is None:
            lifted.add(chosen.group)
        else:
            tester.move(chosen.group, chosen.value)
    else:
        out.complete = False
    if not out.conflicts:
        out.status = "mulig" if out.complete else "ukjent"
    elif out.complete:
        say("Kontrollerer endringene sammen …")
        out.verified = _verify(scenario, out.chosen, seed, deadline)
    out.seconds = time.perf_counter() - started
    return out


def _verify(scenario: Scenario, chosen: list[Fix], seed: int, deadline: float) -> bool | None:
    """Whether the scenario with every chosen change has a complete roster (an exception with no
    scenario field stays lifted as its group). None: not decided in time."""
    changed = scenario
    for fix in chosen:
        if fix.edit is not None:
            changed = fix.edit(changed)
    try:
        ctx = build_model(changed, explain=True, deadline=deadline)
    except OutOfTime:
        return None
    kept = {fix.group for fix in chosen if fix.edit is None}
    code, _ = _Tester(ctx, seed).solve_all(set(ctx.groups) - kept, max(1.0, deadline - time.perf_counter()))
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if code == cp_model.INFEASIBLE else None
