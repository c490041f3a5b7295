"""The rule families in the order the builder adds them: hard constraints first, then the soft
terms, whose penalties the objective sums (solver.objective).

Each hard family names the rule codes of docs/hard-rules.md it implements, each soft family the
``ObjectiveWeights`` fields of the penalties it returns, so a reader finds any rule in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from solver import (
    availability,
    bakvakt,
    coverage,
    fairness,
    limits,
    protected_days,
    rest,
    rotation,
    runs,
    spacing,
    sundays,
    wishes,
)
from solver.context import ModelContext, Penalty


@dataclass(frozen=True)
class Family:
    """Hard: adds constraints (and the slack a default-mode roster may leave) to the model."""

    name: str  # Norwegian display name
    add: Callable[[ModelContext], None]
    codes: tuple[str, ...]  # hard-rule codes


@dataclass(frozen=True)
class SoftFamily:
    """Soft: returns its penalties (adding what variables it needs), as in OR-Tools'
    shift_scheduling_sat example."""

    name: str  # Norwegian display name
    penalties: Callable[[ModelContext], list[Penalty]]
    terms: tuple[str, ...]  # ObjectiveWeights fields


HARD: tuple[Family, ...] = (
    Family("Bemanning", coverage.add_demand, ("bemanning", "ukjent-vakt")),
    Family("Kompetanse", coverage.add_min_qualified, ("kompetanse",)),
    Family("Ikke alene uten å være vaktkompetent", coverage.add_not_alone, ("alene",)),
    Family("Låste vakter", availability.add_pins, ("låst",)),
    Family("Ingen overlapp", rest.add_no_overlap, ("overlapp", "dobbel")),
    Family("Hvile mellom vakter", rest.add_rest, ("hvile",)),
    Family("Ukehvile for ansatte", rest.add_weekly_rest, ("ukehvile",)),
    Family("Fri søn- eller helligdag etter søndagsarbeid", sundays.add_sunday_off, ("søndagsfri",)),
    Family("Ingen natt før veiledningsdag", protected_days.add_no_night_before_supervision, ("veiledningsdag",)),
    Family("Ingen natt før praksisdag", protected_days.add_no_night_before_practice, ("praksisdag",)),
    Family("Bakvakt når stasjoner er åpne", bakvakt.add_bakvakt_coverage, ("bakvakt-dekning",)),
    Family("Bakvakt for leger som ikke kan gå alene", bakvakt.add_supervision, ("veiledning",)),
    Family("Vakttyper som ikke kan følge hverandre", rest.add_successions, ("rekkefølge",)),
    Family("Netter på rad", runs.add_consecutive_nights, ("netter", "nattblokk")),
    Family("Arbeidsdager og fridager på rad", runs.add_work_runs, ("dager-på-rad", "min-dager-på-rad", "fridager")),
    Family("Vakter per 7 dager", limits.add_shifts_per_7_days, ("uke-vakter",)),
    Family("Timer per 7 dager", limits.add_hours_per_7_days, ("uke-timer",)),
    Family("Antall vakter", limits.add_shift_counts, ("antall",)),
    Family("Antall vakter per vakttype", limits.add_label_counts, ("antall-type",)),
    Family("Timer i perioden", limits.add_period_hours, ("timer",)),
    Family("Helger", limits.add_weekends, ("helger",)),
)
# Eligibility (stasjon, vakttype, ferdighet, kurs, fravær, fritak, bakvakt-evne) is the variable set
# itself: ModelContext.create_variables makes no variable for a forbidden pair.

SOFT: tuple[SoftFamily, ...] = (
    SoftFamily("Ubesatte plasser", coverage.open_slots, ("open_slot",)),
    SoftFamily("Timer uten bakvakt", bakvakt.uncovered_hours, ("uncovered_bakvakt_hour",)),
    SoftFamily("Alle tar del", fairness.participation, ("participation",)),
    SoftFamily("Rettferdig fordeling", fairness.fair_shares, ("max_deviation", "sum_deviation")),
    SoftFamily("Netter, helger og helligdager", fairness.category_balance, ("category_balance",)),
    SoftFamily("Jul, nyttår og påske på omgang", rotation.holiday_rotation, ("holiday_repeat",)),
    SoftFamily("Spredning", spacing.spacing, ("spacing",)),
    SoftFamily("Ønsker", wishes.wishes, ("wish",)),
    SoftFamily("Foretrukket stasjon", wishes.preferred_station, ("preferred_station",)),
    SoftFamily("Overbemanning", coverage.surplus, ("surplus",)),
)
# Re-planning adds the `change` term (ModelContext.add_baseline).
