"""The shipped "hand-made" roster for the Bergen example: ``python -m examples.bergen.manual_roster``.

Made by the simple greedy rule of ``roster.greedy`` (first free doctor in the list) from the
committed ``scenario.yaml``, so the comparison report has a realistic, unfair roster to set beside
the optimised one: ``roster report examples/bergen/manual_roster.json out/roster.json
--scenario examples/bergen/scenario.yaml``.
"""

from __future__ import annotations

from pathlib import Path

from roster.greedy import greedy_roster
from roster.scenario_io import load_scenario
from roster.terms import open_places

HERE = Path(__file__).resolve().parent
MANUAL_ROSTER_PATH = HERE / "manual_roster.json"


def main() -> None:
    scenario = load_scenario(HERE / "scenario.yaml")
    roster = greedy_roster(scenario)
    MANUAL_ROSTER_PATH.write_text(roster.model_dump_json(indent=1), encoding="utf-8")
    print(f"Skrev {MANUAL_ROSTER_PATH} ({len(roster.assignments)} vakter, {open_places(sum(o.missing for o in roster.open_slots))})")


if __name__ == "__main__":
    main()
