"""The comparison across rule sets of a sweep: medians over seeds and scenarios (months).

Every figure is a ``Row`` of the comparison report (a direction and the smallest difference that
matters), so the sweep report colours the same differences as ``roster compare``; the first rule
set is the reference. A rule set's column pools all its runs (every scenario × every seed); the
per-scenario tables take the median over seeds alone. Medians are over the runs that found a
roster: a run without one is counted in its own row, never as zeros.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from roster.calendar import OSLO
from roster.metrics import EVERYONE
from roster.report.build import HIGHER, LOWER, MATERIAL, Row
from roster.report.pages import pages
from roster.report.text import rows_text
from roster.sweep.results import RunResult
from roster.sweep.spec import Run, Sweep
from roster.terms import OPEN_PLACES

Value = Callable[[RunResult], float | None]


@dataclass(frozen=True)
class Figure:
    """A figure per run, summarised per column by its median."""

    name: str
    definition: str
    value: Value
    better: str | None
    decimals: int = 0
    material: float = 0.0


def _group(name: str, figure: str) -> Value:
    return lambda r: r.group(name, figure)


def _percent(r: RunResult) -> float | None:
    return None if r.gap is None else 100 * r.gap


FIGURES = (
    Figure(OPEN_PLACES.capitalize(), f"{OPEN_PLACES} som vaktplanen selv melder", lambda r: r.open_places, LOWER),
    Figure("Timer uten bakvakt", "timer med åpen stasjon og ingen navngitt spesialist på bakvakt",
           lambda r: r.uncovered_bakvakt_hours, LOWER, 1),
    Figure("Spenn", "høyeste − laveste belastning i forhold til mål, alle leger (1,00 = rettferdig andel)",
           _group(EVERYONE, "spread"), LOWER, 2, MATERIAL["spread"]),
    Figure("Gini", "Gini-koeffisient av belastning, alle leger (0 = helt jevnt)", _group(EVERYONE, "gini"), LOWER, 3,
           MATERIAL["gini"]),
    Figure("Høyeste belastning", "største belastning i forhold til mål", _group(EVERYONE, "max"), LOWER, 2,
           MATERIAL["max"]),
    Figure("Over mål (> 10 %)", "leger med belastning mer enn 10 % over målet", _group(EVERYONE, "over_target"), LOWER),
    Figure("Ønsker innfridd", "ønsker og ikke-ønsker som vaktplanen følger", lambda r: r.wishes_granted, HIGHER),
    Figure("Ønsker ikke innfridd", "ønsker og ikke-ønsker som vaktplanen bryter", lambda r: r.wishes_denied, LOWER),
    Figure("Gap %", "(målverdi − løserens nedre grense) / målverdi ved slutt", _percent, LOWER, 1, 1.0),
    Figure("Første vaktplan (s)", "sekunder til løseren fant en vaktplan", lambda r: r.first_feasible_time, LOWER, 1, 1.0),
    Figure("Tid (s)", "sekunder for hele løsningen, modellbygging medregnet", lambda r: r.wall_time, LOWER, 1, 1.0),
)
GROUP_FIGURES = (("spread", "Spenn", 2), ("gini", "Gini", 3))


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _figure_row(figure: Figure, columns: list[list[RunResult]]) -> Row:
    """A count's median over an even number of runs can fall halfway (0,5 unfilled places): shown
    with its decimal, it is neither rounded away nor taken for the same as 0."""
    values = [_median([figure.value(r) for r in column if r.has_roster]) for column in columns]
    halfway = figure.decimals == 0 and any(v is not None and v != int(v) for v in values)
    return Row(figure.name, figure.definition + " (median)", values, figure.better, 1 if halfway else figure.decimals,
               figure.material)


def count_rows(columns: list[list[RunResult]], planned: list[int]) -> list[Row]:
    """How many runs each column rests on, and how many found no roster or broke a rule."""
    return [
        Row("Kjøringer", "ferdige kjøringer", [float(len(c)) for c in columns], None),
        Row("Planlagt", "kjøringer i sveipet", [float(n) for n in planned], None),
        Row("Uten vaktplan", "kjøringer der løseren ikke fant noen vaktplan (umulig eller tiden ute)",
            [float(sum(not r.has_roster for r in c)) for c in columns], LOWER),
        Row("Med regelbrudd", "kjøringer der den uavhengige kontrollen fant brudd vaktplanen ikke melder (programfeil)",
            [float(sum(bool(r.violations) for r in c)) for c in columns], LOWER),
    ]


def summary_rows(columns: list[list[RunResult]]) -> list[Row]:
    return [_figure_row(f, columns) for f in FIGURES]


def group_rows(columns: list[list[RunResult]]) -> list[Row]:
    """Spread and Gini of every group ``roster.metrics.groups`` reports (roles or pools, stations),
    in first-seen order."""
    names = list(dict.fromkeys(g for column in columns for r in column for g in r.groups))
    return [
        _figure_row(Figure(f"{heading}: {name}", f"{heading.lower()} av belastning i forhold til mål",
                           _group(name, figure), LOWER, decimals, MATERIAL[figure]), columns)
        for name in names for figure, heading, decimals in GROUP_FIGURES
    ]


@dataclass
class SweepReport:
    title: str
    sweep: Sweep
    done: list[tuple[Run, RunResult]]
    counts: list[Row]
    summary: list[Row]
    groups: list[Row]
    per_scenario: list[tuple[str, list[Row]]]

    @property
    def missing(self) -> int:
        return len(self.sweep.runs) - len(self.done)


def _columns(sweep: Sweep, done: list[tuple[Run, RunResult]], scenario: str | None = None) -> list[list[RunResult]]:
    return [[r for run, r in done if run.rule_set == name and scenario in (None, run.scenario)]
            for name in sweep.rule_sets]


def sweep_report(sweep: Sweep, done: list[tuple[Run, RunResult]]) -> SweepReport:
    columns = _columns(sweep, done)
    planned = [sum(run.rule_set == name for run in sweep.runs) for name in sweep.rule_sets]
    per_scenario = [(label, summary_rows(_columns(sweep, done, label))) for label in sweep.scenarios]
    return SweepReport(sweep.name, sweep, done, count_rows(columns, planned), summary_rows(columns),
                       group_rows(columns), per_scenario)


def text_summary(report: SweepReport) -> str:
    lines = [f"{report.title}: median over {len(report.sweep.seeds)} frø og {len(report.sweep.scenarios)} scenario(er)"]
    if report.missing:
        lines.append(f"Sveipet er ikke ferdig: {report.missing} av {len(report.sweep.runs)} kjøringer mangler.")
    lines += rows_text(report.counts + report.summary, report.sweep.rule_sets)
    return "\n".join(lines)


def write_html(report: SweepReport, path: Path) -> Path:
    html = pages.get_template("sweep.html.j2").render(
        report=report, everyone=EVERYONE, created=dt.datetime.now(OSLO).strftime("%d.%m.%Y %H:%M"))
    path.write_text(html, encoding="utf-8")
    return path
