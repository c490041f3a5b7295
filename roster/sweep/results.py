"""One run's figures, and the sweep's results on disk.

``results.jsonl`` is the record: a line per finished run, appended and synced to disk as the run
arrives, so a finished run is never lost when the sweep stops (Ctrl-C, a crash, a lost cluster);
a re-run reads it and skips what is done. ``results.csv`` (the table per run) is rewritten from it
after every run, the roster of each run is kept in ``rosters/``, and runs that failed even after
Ray's retries are listed in ``errors.jsonl`` (and solved again by the next run of the sweep).

Every figure comes from ``roster.metrics`` and the independent checker (``roster.check``); the
group figures are whatever ``roster.metrics.groups`` reports (all doctors, each role or pool, each
station), so a new kind of group shows up here without a change.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
from dataclasses import asdict
from pathlib import Path

from pydantic import ValidationError

from roster.check import unexpected_violations
from roster.metrics import doctor_metrics, groups
from roster.models import Model, Roster, Scenario
from roster.output import csv_safe, has_roster, uncovered_bakvakt_hours
from roster.terms import decimal, status_word
from roster.sweep.spec import Run

RESULTS = "results.jsonl"
TABLE = "results.csv"
ERRORS = "errors.jsonl"
ROSTERS = "rosters"
SCENARIOS = "scenarios"  # each cell's scenario, the rule set applied: what its rosters are measured against
GROUP_COLUMNS = (("spread", "spenn"), ("gini", "gini"))  # per group in the table per run


class RunResult(Model):
    """What one solve gave. Figures of the roster are None when the solver found none."""

    key: str
    scenario: str
    rule_set: str
    seed: int
    status: str
    has_roster: bool
    assignments: int
    open_places: int | None = None
    uncovered_bakvakt_hours: float | None = None
    violations: int | None = None  # undeclared hard-rule breaks (independent checker): a bug if above 0
    wishes_granted: int | None = None
    wishes_denied: int | None = None
    groups: dict[str, dict[str, float | int | None]] = {}  # group → GroupMetrics' figures
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    wall_time: float = 0.0
    build_time: float = 0.0
    first_feasible_time: float | None = None
    threads: int = 0
    host: str = ""
    roster_file: str | None = None

    def group(self, name: str, figure: str) -> float | None:
        value = self.groups.get(name, {}).get(figure)
        return None if value is None else float(value)


def measure(run: Run, scenario: Scenario, roster: Roster, host: str) -> RunResult:
    """The run's figures: coverage, legality by the independent checker, fairness per group, wishes
    and the solver's figures."""
    stats = roster.stats
    found = has_roster(roster)
    solver = {} if stats is None else {
        "status": stats.status.value, "objective": stats.objective, "bound": stats.bound, "gap": stats.gap,
        "wall_time": stats.wall_time, "build_time": stats.build_time,
        "first_feasible_time": stats.first_feasible_time, "threads": stats.workers,
    }
    result = RunResult(key=run.key, scenario=run.scenario, rule_set=run.rule_set, seed=run.seed,
                       status=solver.pop("status", "ukjent"), has_roster=found,
                       assignments=len(roster.assignments), host=host, **solver)
    if not found:
        return result
    metrics = doctor_metrics(scenario, roster)
    return result.model_copy(update={
        "open_places": sum(o.missing for o in roster.open_slots),
        "uncovered_bakvakt_hours": uncovered_bakvakt_hours(roster),
        "violations": len(unexpected_violations(scenario, roster)),
        "wishes_granted": sum(m.wishes_granted for m in metrics),
        "wishes_denied": sum(m.wishes_denied for m in metrics),
        "groups": {g.group: {k: v for k, v in asdict(g).items() if k != "group"} for g in groups(scenario, metrics)},
    })


def _slug(text: str) -> str:
    return re.sub(r"[^\wæøåÆØÅ]+", "-", text).strip("-") or "x"


def _number(value: float | None, decimals: int) -> str:
    """Decimal comma: the table is for a spreadsheet in Norwegian (like roster.csv's ';' and BOM)."""
    return "" if value is None else decimal(value, decimals)


class ResultStore:
    """The results of one output folder, read back at start and added to run by run."""

    def __init__(self, folder: Path, runs: list[Run]):
        self.folder = folder
        self.runs = runs
        self.results: dict[str, RunResult] = {}
        self.unreadable = 0  # lines cut short by a crash mid-write: those runs are solved again
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / RESULTS
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        for line in filter(None, lines):
            try:
                result = RunResult.model_validate_json(line)
            except ValidationError:
                self.unreadable += 1
                continue
            self.results[result.key] = result

    def done(self, run: Run) -> bool:
        return run.key in self.results

    def current(self) -> list[tuple[Run, RunResult]]:
        """The grid's runs that are done, in grid order (results of runs no longer in the grid are
        kept on disk but left out)."""
        return [(run, self.results[run.key]) for run in self.runs if run.key in self.results]

    def add(self, run: Run, result: RunResult, roster_json: str, scenario: Scenario | None = None) -> RunResult:
        """Keep the roster and the cell's scenario, then append the result: the line in
        results.jsonl is what makes the run count as done, so it is written last and synced before
        returning."""
        cell = f"{_slug(run.scenario)}_{_slug(run.rule_set)}"
        if scenario is not None:  # written each time: an edited rule set changes the cell's scenario
            # roster report measures a run's roster against this; against the scenario file as it
            # was, a rule set that moves shifts or weights reads as unfilled places and rule breaks
            self._replace(f"{SCENARIOS}/{cell}.json", scenario.model_dump_json(indent=1))
        name = f"{ROSTERS}/{cell}_frø{run.seed}_{run.key[:8]}.json"
        self._replace(name, roster_json)
        result = result.model_copy(update={"roster_file": name})
        self._append(RESULTS, result.model_dump_json())
        self.results[result.key] = result
        self.write_table()
        return result

    def _replace(self, name: str, text: str) -> None:
        path = self.folder / name
        path.parent.mkdir(exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)

    def add_failure(self, run: Run, message: str) -> None:
        record = {"key": run.key, "scenario": run.scenario, "rule_set": run.rule_set, "seed": run.seed,
                  "message": message, "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        self._append(ERRORS, json.dumps(record, ensure_ascii=False))

    def _append(self, file: str, line: str) -> None:
        with (self.folder / file).open("a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def write_table(self) -> Path:
        """results.csv: a row per finished run of the grid, spread and Gini for every group. Labels
        are the user's (file names, rule-set names) and never become formulas (issue 14)."""
        done = self.current()
        group_names = list(dict.fromkeys(g for _run, r in done for g in r.groups))
        header = ["scenario", "regelsett", "frø", "status", "tildelte vakter", "ubesatte plasser",
                  "timer uten bakvakt", "regelbrudd", "ønsker innfridd", "ønsker ikke innfridd", "målverdi", "nedre grense",
                  "gap %", "tid s", "byggetid s", "første vaktplan s", "tråder", "maskin", "vaktplan"]
        header += [f"{word} {g}" for g in group_names for _field, word in GROUP_COLUMNS]  # a word first: no formula
        rows = []
        for run, r in done:
            row = [csv_safe(run.scenario), csv_safe(run.rule_set), str(run.seed), status_word(r.status), str(r.assignments),
                   _number(r.open_places, 0), _number(r.uncovered_bakvakt_hours, 1), _number(r.violations, 0),
                   _number(r.wishes_granted, 0), _number(r.wishes_denied, 0), _number(r.objective, 0),
                   _number(r.bound, 0), _number(None if r.gap is None else 100 * r.gap, 2),
                   _number(r.wall_time, 1), _number(r.build_time, 1), _number(r.first_feasible_time, 1),
                   str(r.threads), csv_safe(r.host), r.roster_file or ""]
            rows.append(row + [_number(r.group(g, f), 3) for g in group_names for f, _word in GROUP_COLUMNS])
        path = self.folder / TABLE
        partial = path.with_suffix(".part")
        with partial.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL)
            writer.writerow(header)
            writer.writerows(rows)
        os.replace(partial, path)
        return path
