"""Who may work which shift: competence (akuttmedisinforskriften §7), courses, stations, labels,
skills, absences and night exemptions — each rule defined here once.

These are domain facts the solver's variables, the first roster, the explanations, the precheck
and the pages all need. The independent checker (``roster.check``) deliberately does not use this
module, so a mistake here is caught there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from roster.calendar import OSLO, ShiftInstance, local
from roster.models import (
    Absence,
    Doctor,
    DutyKind,
    Exemption,
    ExemptionReason,
    Role,
    Rules,
    Scenario,
    ShiftTemplate,
    shift_key,
)
from roster.terms import name_key

CLINICAL_MONTHS_REQUIRED = 30  # §7: 30 months of clinical service after authorisation
LEGEVAKT_SHIFTS_REQUIRED = 40  # §7: ... and 40 legevakt shifts, or
MUNICIPAL_GP_YEARS_REQUIRED = 1.0  # §7: ... one year as a municipal GP


@dataclass(frozen=True)
class Block:
    """A dated reason a doctor cannot take a shift: ``code`` is the hard rule (kurs, fravær,
    fritak), ``subject`` names the one course (``doctor/course``: renewing or registering it lifts
    every shift it blocks), or the absence (``index@shift``, index in the scenario) or exemption
    (``doctor/index@shift``) and the one shift it keeps the doctor off: asking a doctor to work
    one shift of a holiday lifts that and nothing else."""

    code: str
    subject: str
    message: str


@dataclass(frozen=True)
class Qualification:
    qualified: bool
    reason: str


def qualification(doctor: Doctor, rules: Rules) -> Qualification:
    """Whether the doctor may work legevakt alone, and why (akuttmedisinforskriften §7)."""
    c = doctor.competence
    if c.qualified is not None:
        return Qualification(c.qualified, "oppgitt: kan gå alene" if c.qualified else "oppgitt: kan ikke gå alene")
    if c.specialist_general_practice:
        return Qualification(True, "spesialist i allmennmedisin")
    if rules.lis1_temporary_rule and c.lis1_completed:
        return Qualification(True, "fullført LIS1 (midlertidig unntak slått på)")
    months_ok = c.clinical_months >= CLINICAL_MONTHS_REQUIRED
    if months_ok and c.legevakt_shifts_done >= LEGEVAKT_SHIFTS_REQUIRED:
        return Qualification(True, f"{c.clinical_months} mnd klinisk tjeneste og {c.legevakt_shifts_done} legevakter")
    if months_ok and c.municipal_gp_years >= MUNICIPAL_GP_YEARS_REQUIRED:
        return Qualification(True, f"{c.clinical_months} mnd klinisk tjeneste og ett år som kommunelege")
    missing = []
    if not months_ok:
        missing.append(f"{CLINICAL_MONTHS_REQUIRED - c.clinical_months} mnd klinisk tjeneste")
    to_go = max(0, LEGEVAKT_SHIFTS_REQUIRED - c.legevakt_shifts_done)
    if to_go and c.municipal_gp_years < MUNICIPAL_GP_YEARS_REQUIRED:
        missing.append(f"{to_go} legevakter eller ett år som kommunelege")
    return Qualification(False, "mangler " + " og ".join(missing))


def specialist(doctor: Doctor) -> bool:
    """A specialist the pilot's bakvakt may be (`bakvakt-dekning`; domain.md "The pilot": "a
    specialist on call"): the role `spesialist` (the specialists on the bakvakt rota), or a
    specialist in general practice in any role. Whether they may be bakvakt at all is
    `bakvakt-evne`'s question."""
    return doctor.role == Role.SPECIALIST or doctor.competence.specialist_general_practice


def birthday(born: dt.date, years: int) -> dt.date:
    """The day a person born on ``born`` turns ``years`` (29 February: 1 March in other years)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


def exemptions(doctor: Doctor, rules: Rules) -> list[Exemption]:
    """`fritak`: the doctor's explicit exemptions, and for a fastlege with a birth date the one
    fastlegeforskriften §13 gives from the day they turn ``rules.exemption_age`` ("over 60" read
    from the 60th birthday) unless they waive it; it comes last, after the explicit ones."""
    out = list(doctor.exemptions)
    if doctor.role == Role.FASTLEGE and doctor.birth_date is not None and not doctor.waives_age_exemption:
        out.append(Exemption(reason=ExemptionReason.OVER_AGE, start=birthday(doctor.birth_date, rules.exemption_age)))
    return out


def missing_courses(doctor: Doctor, rules: Rules) -> list[str]:
    """`kurs`: the required courses the doctor has no record of, as the rules spell them; such a
    course blocks every shift, as one that expired before the period would."""
    held = {name_key(c) for c in doctor.courses}
    return [c for c in rules.required_courses if name_key(c) not in held]


def lapsed(expiry: dt.date, shift: ShiftInstance) -> bool:
    """`kurs`: a course that expires before the date the shift ends (Oslo time) is not valid for it."""
    return expiry < shift.end.astimezone(OSLO).date()


def absence_interval(absence: Absence) -> tuple[dt.datetime, dt.datetime]:
    """Real interval of an absence; whole days run from 00:00 on the first to 24:00 on the last."""
    if isinstance(absence.start, dt.datetime):
        start = absence.start if absence.start.tzinfo else absence.start.replace(tzinfo=OSLO)
        end = absence.end if absence.end.tzinfo else absence.end.replace(tzinfo=OSLO)  # type: ignore[union-attr]
        return start, end
    return local(absence.start, dt.time(0)), local(absence.end + dt.timedelta(days=1), dt.time(0))  # type: ignore[operator]


class Eligibility:
    """Precomputed per-doctor facts; ``reason(doctor, shift)`` is None when the doctor may work it."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        self.rules = scenario.rules
        self.quals = {d.id: qualification(d, scenario.rules) for d in scenario.doctors}
        self.exempt = {d.id: exemptions(d, scenario.rules) for d in scenario.doctors}
        self.missing = {d.id: missing_courses(d, scenario.rules) for d in scenario.doctors}
        self.volunteered = {(p.doctor, shift_key(p.template, p.date)) for p in scenario.pins if p.voluntary}
        self.absences: dict[str, list[tuple[dt.datetime, dt.datetime, str, int]]] = {}
        for i, a in enumerate(scenario.absences):
            s, e = absence_interval(a)
            self.absences.setdefault(a.doctor, []).append((s, e, a.kind.value, i))

    def qualified(self, doctor_id: str) -> bool:
        return self.quals[doctor_id].qualified

    def exemption_window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """`fritak`: an exempt day's window, 16:00 to 08:00 the next day (``exemption_start`` and
        ``exemption_end``; fastlegeforskriften §13)."""
        return local(day, self.rules.exemption_start), local(day + dt.timedelta(days=1), self.rules.exemption_end)

    def absent(self, doctor: Doctor) -> list[tuple[dt.datetime, dt.datetime]]:
        """The intervals no shift of the doctor may overlap: their absences."""
        return [(s, e) for s, e, _, _ in self.absences.get(doctor.id, ())]

    def exempt_windows(self, doctor: Doctor, first: dt.date, last: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The windows of the doctor's exempt days a shift of the dates ``first`` .. ``last`` may
        overlap (from the day before ``first``); a shift the doctor volunteered for is not kept
        off by them (``volunteered``)."""
        out = []
        exempt = self.exempt[doctor.id]
        if exempt:
            for i in range((last - first).days + 2):
                day = first + dt.timedelta(days=i - 1)
                if any(e.covers(day) for e in exempt):
                    out.append(self.exemption_window(day))
        return out

    def exemptions_touched(self, doctor: Doctor, shift: ShiftInstance) -> list[int]:
        """Indices (in ``exemptions``) of the doctor's exemptions whose 16:00–08:00 windows the
        shift touches."""
        out: list[int] = []
        for day in (shift.date - dt.timedelta(days=1), shift.date, shift.date + dt.timedelta(days=1)):
            covering = [i for i, e in enumerate(self.exempt[doctor.id]) if e.covers(day) and i not in out]
            if covering and shift.overlaps(*self.exemption_window(day)):
                out += covering
        return out

    def static_reason(self, doctor: Doctor, shift: ShiftInstance | ShiftTemplate) -> str | None:
        """What keeps the doctor off this kind of shift for good: station, label, bakvakt, skill
        (the same for every shift of a template, so it takes either)."""
        if doctor.stations and shift.station not in doctor.stations:
            return "ikke på denne stasjonen"
        if doctor.shift_labels and shift.label not in doctor.shift_labels:
            return f"går ikke {shift.label}vakter"
        if doctor.max_shifts_by_label.get(shift.label, 1) == 0:
            return f"skal ikke ha {shift.label}vakter"
        if shift.duty == DutyKind.ON_CALL:
            if not doctor.can_bakvakt:
                return "kan ikke være bakvakt"
            if not self.qualified(doctor.id):
                return "bakvakt må kunne gå alene"
        if shift.required_skill and shift.required_skill not in doctor.skills:
            return f"mangler ferdigheten «{shift.required_skill}»"
        return None

    def blocks(self, doctor: Doctor, shift: ShiftInstance) -> list[Block]:
        """The dated reasons the doctor cannot take the shift (course, absence, exemption), each
        with what would lift it, in the order ``reason`` reports them."""
        out = [Block("kurs", f"{doctor.id}/{course}", f"mangler kurset «{course}»")
               for course in self.missing[doctor.id]]
        for course, expiry in doctor.courses.items():
            if lapsed(expiry, shift):
                out.append(Block("kurs", f"{doctor.id}/{course}", f"kurset «{course}» gikk ut {expiry:%d.%m.%Y}"))
        for s, e, kind, i in self.absences.get(doctor.id, ()):
            if shift.overlaps(s, e):
                out.append(Block("fravær", f"{i}@{shift.key}", f"fravær ({kind})"))
        for i in [] if (doctor.id, shift.key) in self.volunteered else self.exemptions_touched(doctor, shift):
            out.append(Block("fritak", f"{doctor.id}/{i}@{shift.key}",
                             f"fritatt for vakt 16–08 ({self.exempt[doctor.id][i].reason.value})"))
        return out

    def reason(self, doctor: Doctor, shift: ShiftInstance) -> str | None:
        """Norwegian reason the doctor cannot take the shift, or None."""
        why = self.static_reason(doctor, shift)
        if why is not None:
            return why
        blocks = self.blocks(doctor, shift)
        return blocks[0].message if blocks else None

    def may_work(self, doctor: Doctor, shift: ShiftInstance) -> bool:
        return self.reason(doctor, shift) is None
