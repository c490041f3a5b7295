"""A hard Christmas week in Bergen: the December example with so many absences 22.12–02.01 that some
shifts cannot be filled legally, for the pre-solve checks (``solver.precheck``) to explain.

Derived from ``examples.bergen.generate.build_bergen_scenario`` (same doctors, shifts and rules);
only absences are added, each with a note saying why:

1. *juleferie*: 85 % of the front-line doctors not pinned to a shift that week are away
   22.12–02.01 (clipped to the period);
2. *jul hos familien*: every doctor who could still work Fana legevakt is away 24.–26.12, so Fana
   has no one who may work alone on Christmas Eve, Christmas Day and Boxing Day;
3. *influensa*: on Christmas Eve all but three of the remaining doctors who may work alone and
   can take the night are ill, so the evening and night shifts of 24.12 need more such doctors than
   there are (no one may work two of them: they overlap or leave less than 8 h rest);
4. *fri nyttårsnatt*: every remaining doctor who may work alone has the New Year's night off, so
   the central clinic's night on 31.12 has no one who may work alone.

``python -m examples.bergen.christmas`` rewrites the committed ``christmas.yaml``;
``roster precheck examples/bergen/christmas.yaml`` explains it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

from examples.bergen.generate import HERE, build_bergen_scenario
from roster.calendar import ShiftIndex
from roster.eligibility import Eligibility
from roster.models import Role, Scenario, shift_key
from roster.scenario_io import dump_scenario

CHRISTMAS_PATH = HERE / "christmas.yaml"

HARD_START = dt.date(2026, 12, 22)
HARD_END = dt.date(2027, 1, 2)
AWAY_SHARE = 0.85  # of the front-line doctors on juleferie through the hard week
KEEP_ON_CHRISTMAS_EVE = 3  # doctors who may work alone and are not ill on 24.12


def _able(scenario: Scenario, template: str, day: dt.date, *, qualified: bool) -> list[str]:
    """Doctors who may take the shift (and work alone, when ``qualified``), in scenario order."""
    index, elig = ShiftIndex(scenario), Eligibility(scenario)
    shift = index.by_key[shift_key(template, day)]
    return [d.id for d in scenario.doctors
            if elig.may_work(d, shift) and (not qualified or elig.qualified(d.id))]


def _keep_one_for_each(scenario: Scenario, night: list[str], day: dt.date) -> list[str]:
    """KEEP_ON_CHRISTMAS_EVE of the night's doctors, chosen so that each of the day's shifts that
    need one who may work alone has one of them able to take it: no shift is impossible on its
    own, only all of them together."""
    keep: list[str] = []
    for template in ("BLV-barn", "LOD-helg", "ASA-helg", "BLV-kveld"):
        able = _able(scenario, template, day, qualified=True)
        if not set(keep) & set(able):
            keep += [d for d in night if d in able and d not in keep][:1]
    return (keep + [d for d in night if d not in keep])[:KEEP_ON_CHRISTMAS_EVE]


def _with(scenario: Scenario, absences: list[dict[str, Any]]) -> Scenario:
    data = scenario.model_dump(mode="json")
    data["absences"] += absences
    return Scenario.model_validate(data)


def build_christmas_scenario(seed: int = 0) -> Scenario:
    """The December 2026 Bergen scenario with the hard Christmas week's absences (deterministic)."""
    base = build_bergen_scenario(seed=seed)
    rng = random.Random(seed)
    last = min(HARD_END, base.period.end)
    christmas_eve, new_years_eve = dt.date(2026, 12, 24), dt.date(2026, 12, 31)

    pinned = {p.doctor for p in base.pins if HARD_START <= p.date <= last}  # at work, so not on holiday
    front = [d for d in base.doctors if d.role != Role.SPECIALIST and d.id not in pinned]
    away = sorted(rng.sample(range(len(front)), round(AWAY_SHARE * len(front))))
    scenario = _with(base, [
        {"doctor": front[i].id, "start": HARD_START.isoformat(), "end": last.isoformat(),
         "kind": "ferie", "note": "juleferie"} for i in away
    ])

    fana = _able(scenario, "FAN-helg", christmas_eve, qualified=False)
    scenario = _with(scenario, [
        {"doctor": d, "start": "2026-12-24", "end": "2026-12-26", "kind": "ferie", "note": "jul hos familien"}
        for d in fana
    ])

    night = _able(scenario, "BLV-natt", christmas_eve, qualified=True)
    keep = _keep_one_for_each(scenario, night, christmas_eve)
    scenario = _with(scenario, [
        {"doctor": d, "start": "2026-12-24", "end": "2026-12-24", "kind": "sykdom", "note": "influensa"}
        for d in night if d not in keep
    ])

    new_year = _able(scenario, "BLV-natt", new_years_eve, qualified=True)
    scenario = _with(scenario, [
        {"doctor": d, "start": "2026-12-31T23:00:00", "end": "2027-01-01T08:00:00", "kind": "annet",
         "note": "fri nyttårsnatt"} for d in new_year
    ])
    data = scenario.model_dump(mode="json")
    data["name"] = f"{base.name} – hard juleuke"
    return Scenario.model_validate(data)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Skriv Bergen-eksempelet med en hard juleuke som scenariofil.")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--out", type=Path, default=CHRISTMAS_PATH)
    args = parser.parse_args(argv)
    dump_scenario(build_christmas_scenario(args.seed), args.out)
    print(f"Skrev {args.out}")


if __name__ == "__main__":
    main()
