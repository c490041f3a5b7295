"""The constraint families in the order the builder adds them: hard rules first, then soft terms.

Each entry names the rule codes of docs/hard-rules.md it implements (or the objective weight of a
soft term), so a reader finds any rule in seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from solver import availability, bakvakt, coverage, fairness, limits, rest, runs, spacing, wishes
from solver.context import ModelContext


@dataclass(frozen=True)
class Family:
    name: str  # Norwegian display name
    add: Callable[[ModelContext], None]
    hard: bool
    codes: tuple[str, ...]  # hard-rule codes, or the ObjectiveWeights field of a soft term


FAMILIES: tuple[Family, ...] = (
    Family("Bemanning", coverage.add_demand, True, ("bemanning", "ukjent-vakt")),
    Family("Kompetanse", coverage.add_min_qualified, True, ("kompetanse",)),
    Family("Ikke alene uten å være vaktkompetent", coverage.add_not_alone, True, ("alene",)),
    Family("Låste vakter", availability.add_pins, True, ("låst",)),
    Family("Ingen overlapp", rest.add_no_overlap, True, ("overlapp", "dobbel")),
    Family("Hvile mellom vakter", rest.add_rest, True, ("hvile",)),
    Family("Ukehvile for ansatte", rest.add_weekly_rest, True, ("ukehvile",)),
    Family("Bakvakt når stasjoner er åpne", bakvakt.add_bakvakt_coverage, True, ("bakvakt-dekning",)),
    Family("Bakvakt for leger som ikke kan gå alene", bakvakt.add_supervision, True, ("veiledning",)),
    Family("Vakttyper som ikke kan følge hverandre", rest.add_successions, True, ("rekkefølge",)),
    Family("Netter på rad", runs.add_consecutive_nights, True, ("netter", "nattblokk")),
    Family("Arbeidsdager og fridager på rad", runs.add_work_runs, True,
           ("dager-på-rad", "min-dager-på-rad", "fridager")),
    Family("Vakter per 7 dager", limits.add_shifts_per_7_days, True, ("uke-vakter",)),
    Family("Timer per 7 dager", limits.add_hours_per_7_days, True, ("uke-timer",)),
    Family("Antall vakter", limits.add_shift_counts, True, ("antall",)),
    Family("Antall vakter per vakttype", limits.add_label_counts, True, ("antall-type",)),
    Family("Timer i perioden", limits.add_period_hours, True, ("timer",)),
    Family("Helger", limits.add_weekends, True, ("helger",)),
    Family("Rettferdig fordeling", fairness.add_fairness, False, ("max_relative_deviation", "sum_deviation")),
    Family("Netter, helger og helligdager", fairness.add_category_balance, False, ("category_balance",)),
    Family("Spredning", spacing.add_spacing, False, ("spacing",)),
    Family("Ønsker", wishes.add_wishes, False, ("wish",)),
    Family("Foretrukket stasjon", wishes.add_preferred_station, False, ("preferred_station",)),
    Family("Overbemanning", coverage.add_surplus, False, ("surplus",)),
)
# Eligibility (stasjon, vakttype, ferdighet, kurs, fravær, fritak, bakvakt-evne) is the variable set
# itself: ModelContext.create_variables makes no variable for a forbidden pair.
