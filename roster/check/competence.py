"""The checker's own reading of akuttmedisinforskriften §7 (FOR-2015-03-20-231), from the doctor's
fields: ``roster.eligibility.qualification`` is not used, so a mistake there shows up as a
disagreement instead of fooling both."""

from __future__ import annotations

from roster.models import Doctor, Role, Rules

# §7: 30 months of clinical service after authorisation and either 40 legevakt shifts or one year
# as a municipal GP (shared/domain.md, "Competence").
MONTHS = 30
SHIFTS = 40
GP_YEARS = 1.0


def may_work_alone(doctor: Doctor, rules: Rules) -> bool:
    """A specialist in general practice, a doctor with the months and either the shifts or the GP
    year, a doctor with LIS1 completed while the temporary rule is on, or as stated explicitly."""
    c = doctor.competence
    if c.qualified is not None:
        return c.qualified
    if c.specialist_general_practice or (rules.lis1_temporary_rule and c.lis1_completed):
        return True
    return c.clinical_months >= MONTHS and (c.legevakt_shifts_done >= SHIFTS or c.municipal_gp_years >= GP_YEARS)


def is_specialist(doctor: Doctor) -> bool:
    """A specialist for the pilot's bakvakt (domain.md "The pilot": "a specialist on call"): role
    `spesialist`, or a specialist in general practice in any role."""
    return doctor.role == Role.SPECIALIST or doctor.competence.specialist_general_practice
