"""Tiny hand-built scenarios for rule tests: a station or two, a few doctors, a few days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from roster.models import Scenario

ALL_DAYS = ["hverdag", "lørdag", "søndag", "helligdag"]


def station(id: str = "BLV", kind: str = "legevakt", name: str | None = None) -> dict[str, Any]:
    return {"id": id, "name": name or id, "kind": kind}


def template(id: str, start: str, end: str, station: str = "BLV", **kw: Any) -> dict[str, Any]:
    t = {"id": id, "station": station, "label": kw.pop("label", id), "start": start, "end": end,
         "day_types": kw.pop("day_types", ALL_DAYS), "demand_min": kw.pop("demand_min", 1),
         "demand_max": kw.pop("demand_max", 1), "min_qualified": kw.pop("min_qualified", 0)}
    t.update(kw)
    return t


def doctor(id: str, qualified: bool = True, **kw: Any) -> dict[str, Any]:
    d = {"id": id, "name": kw.pop("name", id.capitalize()), "role": kw.pop("role", "fastlege"),
         "competence": {"qualified": qualified}}
    d.update(kw)
    return d


def scenario(
    start: dt.date | str,
    end: dt.date | str,
    templates: list[dict[str, Any]],
    doctors: list[dict[str, Any]],
    stations: list[dict[str, Any]] | None = None,
    rules: dict[str, Any] | None = None,
    **kw: Any,
) -> Scenario:
    """A validated scenario; rules default to none of the optional limits getting in the way."""
    base_rules = {"max_shifts_per_7_days": None, "max_hours_per_7_days": None}
    base_rules.update(rules or {})
    return Scenario.model_validate({
        "name": kw.pop("name", "test"),
        "period": {"start": str(start), "end": str(end)},
        "rules": base_rules,
        "stations": stations or [station()],
        "templates": templates,
        "doctors": doctors,
        **kw,
    })
