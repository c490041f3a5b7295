"""The sweep file of ``roster sweep``: scenarios (typically months) × rule sets × seeds, one solve each.

An evaluator asks what a policy costs over many months and seeds, e.g.::

    name: Netter høsten 2026              # report title (default: the file name)
    scenarios:                            # scenario files, relative to this file; label = file name
      - maaneder/2026-10.yaml
      - maaneder/2026-11.yaml
    rule_sets:                            # as for roster compare; the first is the reference
      - name: Gjeldende regler            # inline: no changes
      - regelsett/maks-2-netter.yaml      # a rule-set file (roster.report.rulesets)
      - name: Distriktene stengt på kveld # inline with changes
        templates: [{station: ASA, label: kveld, enabled: false}]
    seeds: 3                              # a count (0, 1, 2) or a list: [0, 7, 42]
    time_limit: 60                        # seconds per solve
    threads: 1                            # CP-SAT threads per solve = the cores each task declares
    strict: false

Every run has a key: a hash of everything its result depends on (the scenario after the rule set
is applied, seed, time limit, threads, strict). A re-run skips the keys already done, so editing
one rule set re-runs only its runs, and renaming a label re-runs nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, PlainValidator, ValidationError, field_validator

from roster.input_errors import InputError, shown, validation_problems
from roster.models import Model, Scenario
from roster.report.rulesets import RuleSet, apply_rule_set, load_rule_set
from roster.scenario_io import load_scenario, read_data

CURRENT_RULES = "Gjeldende regler"  # the rule set used when the file names none, as in roster compare


def _rule_set_entry(value: Any) -> str | dict[str, Any]:
    """A rule-set file's name or a rule set written out. Anything else gets one message; as a
    union it got one per kind it is not, under pydantic's names for them
    («rule_sets[0].constrained-str», «rule_sets[0].dict[constrained-str,any]»)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return value
    raise ValueError(f"ventet filnavnet til et regelsett, eller et regelsett med name, rules og templates "
                     f"(fikk «{shown(value)}»)")


class SweepFile(Model):
    name: str | None = Field(None, min_length=1)
    scenarios: list[str] = Field(min_length=1)
    rule_sets: list[Annotated[str | dict[str, Any], PlainValidator(_rule_set_entry)]] = Field(default_factory=list)
    seeds: list[int] = Field([0], min_length=1)
    time_limit: float = Field(60.0, gt=0)
    threads: int = Field(1, ge=1)
    strict: bool = False

    @field_validator("seeds", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        """``seeds: 3`` is the first three seeds; a list names them."""
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 1:
                raise ValueError(f"antall frø må være minst 1 (fikk {value})")
            return list(range(value))
        return value

    @field_validator("seeds")
    @classmethod
    def _distinct(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError("samme frø står flere ganger")
        return value


@dataclass(frozen=True)
class Run:
    """One cell of the grid. ``key`` says whether it is done; the labels are for people."""

    scenario: str
    rule_set: str
    seed: int
    key: str

    @property
    def label(self) -> str:
        return f"{self.scenario} / {self.rule_set} / frø {self.seed}"


@dataclass(frozen=True)
class Settings:
    """What every solve of the sweep shares."""

    time_limit: float
    threads: int
    strict: bool


@dataclass
class Sweep:
    name: str
    scenarios: list[str]  # labels, in file order
    rule_sets: list[str]  # names, in file order: the first is the reference of the report
    seeds: list[int]
    settings: Settings
    runs: list[Run]  # seeds outermost, so a sweep stopped early has compared every rule set
    bases: dict[str, Scenario]  # label → the scenario as its file says
    changes: dict[str, RuleSet]  # name → the rule set

    def variant(self, scenario: str, rule_set: str) -> Scenario:
        """The scenario to solve for one cell, made when asked: a grid of 20 rule sets × 12 months
        would otherwise hold 240 months in memory."""
        return apply_rule_set(self.bases[scenario], self.changes[rule_set])


def _rule_sets(spec: SweepFile, base: Path, problems: list[str]) -> list[RuleSet]:
    out = []
    for i, entry in enumerate(spec.rule_sets):
        if isinstance(entry, str):
            try:
                out.append(load_rule_set(base / entry))
            except InputError as exc:
                problems += [f"rule_sets[{i}]: {exc.source}: {p}" for p in exc.problems]
            continue
        try:
            rule_set = RuleSet.model_validate(entry)
        except ValidationError as exc:
            problems += [f"rule_sets[{i}].{p}" for p in validation_problems(exc)]
            continue
        if rule_set.name is None:
            problems.append(f"rule_sets[{i}].name: mangler (et regelsett i sveipefilen trenger et navn)")
        else:
            out.append(rule_set)
    out = out if spec.rule_sets else [RuleSet(name=CURRENT_RULES)]
    names = [r.name for r in out]
    problems += [f"rule_sets: navnet «{n}» står flere ganger" for n in dict.fromkeys(names) if names.count(n) > 1]
    return out


def _scenarios(spec: SweepFile, base: Path, problems: list[str]) -> dict[str, Scenario]:
    out: dict[str, Scenario] = {}
    for i, entry in enumerate(spec.scenarios):
        label = Path(entry).stem
        if label in out:
            problems.append(f"scenarios[{i}]: «{label}» er allerede med (to scenarioer med samme filnavn)")
            continue
        try:
            out[label] = load_scenario(base / entry)
        except InputError as exc:
            problems += [f"scenarios[{i}]: {exc.source}: {p}" for p in exc.problems]
    return out


def scenario_digest(scenario: Scenario) -> str:
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


def run_key(scenario_digest: str, seed: int, settings: Settings) -> str:
    text = f"{scenario_digest}|{seed}|{settings.time_limit!r}|{settings.threads}|{settings.strict}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def load_sweep(path: str | Path) -> Sweep:
    """Read the sweep file, its scenarios and rule sets, and lay out the grid; every problem of
    every file is reported at once, in Norwegian, before anything is solved."""
    p = Path(path)
    data = read_data(p)
    if not isinstance(data, dict):
        raise InputError(["(rot): ventet et objekt med scenarios, rule_sets og seeds"], str(p))
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), str(p)) from None
    problems: list[str] = []
    scenarios = _scenarios(spec, p.parent, problems)
    rule_sets = _rule_sets(spec, p.parent, problems)
    digests: dict[tuple[str, str], str] = {}
    for label, scenario in scenarios.items():
        for rule_set in rule_sets:
            try:
                digests[(label, rule_set.name)] = scenario_digest(apply_rule_set(scenario, rule_set))
            except InputError as exc:
                problems += [f"regelsett «{rule_set.name}» på scenario «{label}»: {q}" for q in exc.problems]
    if problems:
        raise InputError(problems, str(p))
    settings = Settings(spec.time_limit, spec.threads, spec.strict)
    runs = [Run(label, rule_set.name, seed, run_key(digests[(label, rule_set.name)], seed, settings))
            for seed in spec.seeds for label in scenarios for rule_set in rule_sets]
    return Sweep(spec.name or p.stem, list(scenarios), [r.name for r in rule_sets], spec.seeds, settings, runs,
                 scenarios, {r.name: r for r in rule_sets})
