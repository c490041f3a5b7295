"""Rule sets for ``roster compare``: a partial ``Rules`` plus template changes, merged into a scenario.

A rule-set file (YAML or JSON) lets an evaluator ask what a policy change costs, e.g.::

    name: Maks 2 netter på rad          # label in the report (default: the file name)
    rules:
      max_consecutive_nights: 2
      burden: {weekday_night: 1.6}       # nested fields merge, the rest keep the scenario's values
    templates:
      - id: ASA-kveld                   # one template by id …
        enabled: false                  # … switched off (district station closed on weekday evenings)
      - station: BLV                    # … or every template of a station (optionally one label)
        label: kveld
        demand_min: 3
        demand_max: 3

Pins and wishes that name a switched-off template are dropped with the template.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, model_validator

from roster.input_errors import InputError, validation_problems
from roster.models import DayType, Model, Rules, Scenario
from roster.scenario_io import parse_text


class TemplateChange(Model):
    """Changes to the templates matched by ``id``, or by ``station`` (and ``label`` if given)."""

    id: str | None = None
    station: str | None = None
    label: str | None = None
    enabled: bool = True
    demand_min: int | None = Field(None, ge=0)
    demand_max: int | None = Field(None, ge=0)
    min_qualified: int | None = Field(None, ge=0)
    start: dt.time | None = None
    end: dt.time | None = None
    day_types: list[DayType] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _selector(self) -> TemplateChange:
        if (self.id is None) == (self.station is None):
            raise ValueError("oppgi enten id (én vakttype) eller station (alle vakttypene på en stasjon)")
        if self.id is not None and self.label is not None:
            raise ValueError("label kan bare brukes sammen med station")
        return self

    def matches(self, template_id: str, station: str, label: str) -> bool:
        if self.id is not None:
            return template_id == self.id
        return station == self.station and (self.label is None or label == self.label)

    def overrides(self) -> dict[str, Any]:
        fields = ("demand_min", "demand_max", "min_qualified", "start", "end", "day_types")
        return {f: getattr(self, f) for f in fields if getattr(self, f) is not None}


class RuleSet(Model):
    name: str | None = Field(None, min_length=1)
    rules: dict[str, Any] = Field(default_factory=dict)
    templates: list[TemplateChange] = Field(default_factory=list)


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_rule_set(path: str | Path) -> RuleSet:
    """Read and validate a rule-set file; every problem is reported with its path, in Norwegian."""
    p = Path(path)
    if not p.exists():
        raise InputError([f"finner ikke filen {p}"], str(p))
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(["filen er ikke tekst i UTF-8"], str(p)) from None
    data = parse_text(text, ".yaml", str(p))  # YAML is a superset of JSON
    if not isinstance(data, dict):
        raise InputError(["(rot): ventet et objekt med rules og/eller templates"], str(p))
    try:
        rule_set = RuleSet.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), str(p)) from None
    return rule_set.model_copy(update={"name": rule_set.name or p.stem})


def apply_rule_set(scenario: Scenario, rule_set: RuleSet, source: str = "") -> Scenario:
    """The scenario with the rule set's rules merged in and its template changes made."""
    problems: list[str] = []
    try:
        rules = Rules.model_validate(_merge(scenario.rules.model_dump(), rule_set.rules))
    except ValidationError as exc:
        problems += [f"rules.{p}" for p in validation_problems(exc)]
        rules = scenario.rules
    templates = []
    used = [False] * len(rule_set.templates)
    for tpl in scenario.templates:
        data = tpl.model_dump()
        enabled = True
        for i, change in enumerate(rule_set.templates):
            if change.matches(tpl.id, tpl.station, tpl.label):
                used[i] = True
                enabled = enabled and change.enabled
                data.update(change.overrides())
        if enabled:
            templates.append(data)
    for i, change in enumerate(rule_set.templates):
        if not used[i]:
            what = f"vakttype «{change.id}»" if change.id else f"stasjon «{change.station}»" + (
                f" med vakttype «{change.label}»" if change.label else "")
            problems.append(f"templates[{i}]: fant ingen {what} i scenarioet")
    if problems:
        raise InputError(problems, source)
    kept = {t["id"] for t in templates}
    data = scenario.model_dump()
    data.update(
        rules=rules.model_dump(),
        templates=templates,
        pins=[p for p in data["pins"] if p["template"] in kept],
        wishes=[w for w in data["wishes"] if w["template"] is None or w["template"] in kept],
    )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(validation_problems(exc), source) from None
