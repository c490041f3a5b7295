"""``Search.full_workers``: how many CP-SAT workers run the named full-problem subsolvers. With 2
workers CP-SAT on its own runs one and gives the other to neighbourhoods; the Curtois benchmark's
``max_lp+pseudo_costs`` search wants both on the full problem (benchmarks/README.md, section 1)."""

from __future__ import annotations

import re
import time

from factories import doctor, scenario, template
from solver.builder import build_model
from solver.solve import Progress, Search, _Canceller, _optimiser


def _full_subsolvers(search: Search) -> list[str]:
    """The full-problem subsolvers CP-SAT reports starting, with 2 workers."""
    sc = scenario("2026-12-01", "2026-12-03", [template("dag", "08:00", "16:00")], [doctor("a"), doctor("b")])
    ctx = build_model(sc)
    solver = _optimiser(2.0, 2, 0, search, Progress(ctx, None, None, time.perf_counter()), _Canceller(None))
    lines: list[str] = []
    solver.parameters.log_search_progress = True
    solver.parameters.log_to_stdout = False
    solver.log_callback = lines.append
    solver.solve(ctx.model)
    found = [m for line in lines if (m := re.search(r"full problem subsolvers?: \[(.*)\]", line))]
    assert found, "CP-SAT's log names its full-problem subsolvers"
    return [s.strip() for s in found[0].group(1).split(",")]


def test_both_workers_run_the_named_subsolvers_when_asked():
    assert _full_subsolvers(Search(subsolvers=("max_lp", "pseudo_costs"), full_workers=2)) == ["max_lp", "pseudo_costs"]


def test_by_default_cp_sat_keeps_one_of_two_workers_for_neighbourhoods():
    assert _full_subsolvers(Search(subsolvers=("max_lp", "pseudo_costs"))) == ["max_lp"]
