"""Tiny hand-built scenarios for rule tests: a station or two, a few doctors, a few days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from roster.models import LAST_DAY, REQUIRED_COURSES, Scenario

ALL_DAYS = ["hverdag", "lørdag", "søndag", "helligdag"]
# Every doctor holds the courses the law requires, valid as long as the calendar runs, so a tiny
# scenario tests its own rule; ``doctor(courses=…)`` adds, replaces or (with None) removes them one
# by one.
COURSES = {course: LAST_DAY.isoformat() for course in REQUIRED_COURSES}


def station(id: str = "BLV", kind: str = "legevakt", name: str | None = None) -> dict[str, Any]:
    return {"id": id, "name": name or id, "kind": kind}


def template(id: str, start: str, end: str, station: str = "BLV", **kw: Any) -> dict[str, Any]:
    t = {"id": id, "station": station, "label": kw.pop("label", id), "start": start, "end": end,
         "day_types": kw.pop("day_types", ALL_DAYS), "demand_min": kw.pop("demand_min", 1),
         "demand_max": kw.pop("demand_max", 1), "min_qualified": kw.pop("min_qualified", 0)}
    t.update(kw)
    return t


def doctor(id: str, qualified: bool = True, **kw: Any) -> dict[str, Any]:
    courses = {name: expiry for name, expiry in {**COURSES, **kw.pop("courses", {})}.items() if expiry is not None}
    d = {"id": id, "name": kw.pop("name", id.capitalize()), "role": kw.pop("role", "fastlege"),
         "competence": {"qualified": qualified}, "courses": courses}
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
    """A validated scenario; rules default to none of the optional limits getting in the way, no
    notice of the hours a tiny scenario leaves without a doctor (§6c), and to the pilot's specialist
    bakvakt exactly when the scenario has an on-call shift type."""
    base_rules = {"max_shifts_per_7_days": None, "max_hours_per_7_days": None, "doctor_around_the_clock": False,
                  "specialist_bakvakt": any(t.get("duty") == "bakvakt" for t in templates)}
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


def one_may_work_alone() -> Scenario:
    """Issue 19's shape: a weekend night at Fana needs two doctors who may work alone, and only
    Kari Nordmann may (Ola Hansen and Per Olsen work there, but not alone); the central clinic's
    nights and a specialist bakvakt are easy to staff, so that night is the one conflict."""
    every_day = {"day_types": ALL_DAYS}
    return scenario(
        "2026-12-04", "2026-12-06",
        [template("BLV-natt", "23:00", "08:00", label="natt", min_qualified=1, **every_day),
         template("FAN-helgnatt", "23:00", "08:00", station="FAN", label="natt", demand_min=2, demand_max=2,
                  min_qualified=2, day_types=["lørdag"]),
         template("bakvakt", "23:00", "08:00", station="BAK", label="bakvakt", duty="bakvakt", **every_day)],
        [doctor("kari", name="Kari Nordmann", stations=["FAN"]),
         doctor("ola", qualified=False, name="Ola Hansen", stations=["FAN"]),
         doctor("per", qualified=False, name="Per Olsen", stations=["FAN"]),
         doctor("berit", name="Berit Lie", stations=["BLV"]),
         doctor("bjorn", name="Bjørn Dahl", stations=["BLV"]),
         doctor("bente", name="Bente Moe", stations=["BLV"]),
         doctor("siri", name="Siri Spes", role="spesialist", can_bakvakt=True, stations=["BAK"])],
        stations=[station("BLV", name="Bergen legevakt"), station("FAN", "bydelslegevakt", "Fana legevakt"),
                  station("BAK", "fjernvakt", "Bakvakt")],
        name="Fana-helg",
    )
