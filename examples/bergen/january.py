"""January 2027 in Bergen, with December carried in: ``python -m examples.bergen.january``.

The month after the December example, for the same doctors, stations and shifts: January's own
absences, wishes, pins and supervision days are drawn as for December
(``examples.bergen.generate.build_bergen_scenario`` with December's doctors), and what December's
roster hands on — the burden history, the shifts of its last days (so rest, nights in a row,
weekly rest and the 7-day limits hold across 31.12 → 01.01) and the holiday ledger with
Christmas and New Year 2026 — comes from ``roster.carry.next_period`` of the committed December
roster (``december_roster.json``: ``roster solve examples/bergen/scenario.yaml`` with 60 s, 2
workers, seed 0, checked by the checker). The same as the two commands

    roster solve examples/bergen/scenario.yaml -o out-dec
    roster carry <January without history> out-dec/history_out.json -o examples/bergen/january.yaml

A test checks that the committed ``january.yaml`` equals a fresh run, so edit this file, never
the YAML.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from examples.bergen.generate import HERE, SCENARIO_PATH, build_bergen_scenario
from roster.carry import next_period
from roster.models import Scenario
from roster.scenario_io import dump_scenario, load_roster, load_scenario

JANUARY_PATH = HERE / "january.yaml"
DECEMBER_ROSTER_PATH = HERE / "december_roster.json"
JANUARY_START = dt.date(2027, 1, 1)


def build_january_scenario(december: Scenario, december_roster_path: Path = DECEMBER_ROSTER_PATH) -> Scenario:
    """January 2027 for December's doctors, with December's roster carried in."""
    roster = load_roster(december, december_roster_path)
    doctors = [d.model_dump(mode="json") for d in december.doctors]
    base = build_bergen_scenario(start=JANUARY_START, doctors=doctors)
    return Scenario.model_validate({**base.model_dump(mode="json"), **next_period(december, roster)})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Skriv januar-eksempelet med desember ført inn.")
    parser.add_argument("-o", "--out", type=Path, default=JANUARY_PATH)
    args = parser.parse_args(argv)
    january = build_january_scenario(load_scenario(SCENARIO_PATH))
    dump_scenario(january, args.out)
    print(f"Skrev {args.out} ({len(january.carry_in)} tidligere vakter fra {january.carry_in_from:%d.%m.%Y})")


if __name__ == "__main__":
    main()
