"""The re-plan form on a published roster's page: its fields, read into a change file
(``roster.changes.Changes``) with a Norwegian message per bad field, named as the form labels it.

One absence (or a departure) and one demand change per submit; the JSON API
(``POST /api/rosters/{id}/replan``) takes whole change files.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict

from roster.changes import Changes, Leaving, change_problems
from roster.models import (
    FIRST_DAY,
    LAST_DAY,
    MAX_DEMAND,
    OUTSIDE_CALENDAR,
    Absence,
    AbsenceKind,
    DemandChange,
    Scenario,
)
from roster.input_errors import InputError, shown

KINDS = {"sykdom": "Sykdom", "ferie": "Ferie", "annet": "Annet fravær", "slutter": "Slutter"}
ABSENCE_KINDS = {"sykdom": AbsenceKind.SICK, "ferie": AbsenceKind.HOLIDAY, "annet": AbsenceKind.OTHER}

# Form field → its label on the page; every message starts with the label.
LABELS = {
    "lege": "Lege", "hva": "Type fravær", "fra": "Fra dato", "til": "Til dato",
    "naa": "Tidspunkt for omplanleggingen", "vakttype": "Vakttype", "dato": "Dato for bemanningen",
    "min_leger": "Min leger", "maks_leger": "Maks leger",
}
# Paths in the change file (roster.changes.change_problems) → the form field they came from.
PATHS = {
    "absences[0].doctor": "lege", "leaving[0].doctor": "lege", "leaving[0].from": "fra",
    "demand_changes[0].template": "vakttype", "demand_changes[0].date": "dato",
}


class ReplanForm(BaseModel):
    """The submitted fields, as typed (so a refused form is shown again with the same values)."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="ignore")

    lege: str = ""
    hva: str = "sykdom"
    fra: str = ""
    til: str = ""
    naa: str = ""
    vakttype: str = ""
    dato: str = ""
    min_leger: str = ""
    maks_leger: str = ""
    innsending: str = ""  # the page's one-time token (api.jobs.form_submission)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, field: str, text: str) -> None:
        self.items.append(f"{LABELS[field]}: {text}")

    def date(self, form: ReplanForm, field: str) -> dt.date | None:
        value = getattr(form, field)
        if not value:
            self.add(field, "mangler")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self.add(field, f"«{shown(value)}» er ikke en dato (f.eks. 2026-12-08)")
            return None
        if not FIRST_DAY <= day <= LAST_DAY:
            self.add(field, OUTSIDE_CALENDAR)
            return None
        return day

    def count(self, form: ReplanForm, field: str, required: bool) -> int | None:
        value = getattr(form, field)
        if not value:
            if required:
                self.add(field, "mangler")
            return None
        if not re.fullmatch(r"\d{1,3}", value):
            self.add(field, f"«{shown(value)}» er ikke et helt tall fra 0 og opp")
            return None
        if int(value) > MAX_DEMAND:
            self.add(field, f"kan være høyst {MAX_DEMAND}")
            return None
        return int(value)


def changes_from_form(scenario: Scenario, form: ReplanForm) -> Changes:
    """The change file the form describes. Raises InputError with one Norwegian message per bad
    field ("Til dato: kan ikke være før fra dato"); nothing is stored before this has passed."""
    p = _Problems()
    period = scenario.period
    doctors = {d.id for d in scenario.doctors}
    absences: list[Absence] = []
    leaving: list[Leaving] = []
    demand: list[DemandChange] = []
    if not any((form.lege, form.fra, form.til, form.vakttype, form.dato, form.min_leger, form.maks_leger)):
        p.add("lege", "velg en lege som er borte, eller en vakttype med endret bemanning (eller begge)")
    if form.lege:
        if form.lege not in doctors:
            p.add("lege", f"«{shown(form.lege)}» finnes ikke i scenarioet")
        if form.hva not in KINDS:
            p.add("hva", f"ukjent valg «{shown(form.hva)}»")
        start = p.date(form, "fra")
        if form.hva == "slutter":
            if start is not None and form.lege in doctors:
                leaving.append(Leaving(doctor=form.lege, from_=start))
        else:
            end = p.date(form, "til") if form.til else start  # one day when "til" is empty
            if start is not None and end is not None:
                if end < start:
                    p.add("til", "kan ikke være før fra dato")
                elif end < period.start or start > period.end:
                    p.add("fra", f"fraværet {start:%d.%m.%Y}–{end:%d.%m.%Y} er utenfor perioden "
                                 f"{period.start:%d.%m.%Y}–{period.end:%d.%m.%Y}")
                elif form.hva in ABSENCE_KINDS and form.lege in doctors:
                    absences.append(Absence(doctor=form.lege, start=start, end=end, kind=ABSENCE_KINDS[form.hva],
                                            note="omplanlegging"))
    elif form.fra or form.til:
        p.add("lege", "mangler (fra dato er fylt ut)")
    if form.vakttype:
        day = p.date(form, "dato")
        low = p.count(form, "min_leger", required=True)
        high = p.count(form, "maks_leger", required=False)
        if low is not None and high is not None and high < low:
            p.add("maks_leger", "kan ikke være mindre enn min leger")
        elif form.vakttype not in {t.id for t in scenario.templates}:
            p.add("vakttype", f"«{shown(form.vakttype)}» finnes ikke i scenarioet")
        elif day is not None and low is not None:
            demand.append(DemandChange(template=form.vakttype, date=day, demand_min=low, demand_max=high))
    elif form.dato or form.min_leger or form.maks_leger:
        p.add("vakttype", "mangler (dato eller antall leger er fylt ut)")
    now = None
    if form.naa:
        try:
            now = dt.datetime.fromisoformat(form.naa)
        except ValueError:
            p.add("naa", f"«{shown(form.naa)}» er ikke et tidspunkt (dato og klokkeslett, f.eks. 2026-12-08T07:00)")
        if now is not None and not FIRST_DAY <= now.date() <= LAST_DAY:
            p.add("naa", f"tidspunktet må ligge mellom {FIRST_DAY:%d.%m.%Y} og {LAST_DAY:%d.%m.%Y}")
            now = None
    changes = Changes(now=now, absences=absences, leaving=leaving, demand_changes=demand)
    for problem in change_problems(scenario, changes):  # references the scenario cannot resolve
        path, _, text = problem.partition(": ")
        field = PATHS.get(path)
        if field == "lege" and any(x.startswith(LABELS["lege"] + ":") for x in p.items):
            continue  # already said
        if field == "vakttype" and text.startswith("ukjent vakttype"):
            text = f"«{form.vakttype}» finnes ikke i scenarioet"
        p.items.append(f"{LABELS[field]}: {text}" if field else problem)
    if p.items:
        raise InputError(p.items)
    return changes
