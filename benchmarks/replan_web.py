"""Re-planning through the web service's job against the direct call (the command line's path):
is the web path slower, and where does the time go?

    python -m benchmarks.replan_web --seeds 0 1 --publish-time 60 --time-limit 10

For each seed the Bergen month is solved and published in a throw-away service (SQLite in a temp
folder). Each change of ``benchmarks.replan`` is then re-planned twice with the same time limit:
directly with ``solver.replan.replan`` and as the re-plan job the form starts
(``JobManager.submit_replan``). For each: seconds from the call to the first roster with no more
unfilled places than the published one (the repair), seconds to the end, changes. Medians over seeds.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from benchmarks.replan import CASES, _changes, published_month, run_seeds


def _job(app, base_id: int, changes, open_before: int, time_limit: float) -> tuple[float | None, float, int]:  # noqa: ANN001
    from api.orm import ProgressRow, RosterRow, RunRow

    with app.state.sessions() as s:
        base = s.get_one(RosterRow, base_id)
        started = time.perf_counter()
        run_id = app.state.jobs.submit_replan(base, changes, time_limit, "benchmark")
    repaired = None
    while True:
        with app.state.sessions() as s:
            run = s.get_one(RunRow, run_id)
            if repaired is None and s.scalar(select(ProgressRow.id).where(
                    ProgressRow.run_id == run_id, ProgressRow.open_slots <= open_before)) is not None:
                repaired = time.perf_counter() - started
            if run.status not in ("queued", "running"):
                wall = time.perf_counter() - started
                new = s.scalar(select(RosterRow).where(RosterRow.run_id == run_id))
                changed = len(set(_assignments(new)) ^ set(_assignments(base)))
                return repaired, wall, changed
        time.sleep(0.02)


def _assignments(row):  # noqa: ANN001, ANN202
    from api.services.rosters import load_roster

    return load_roster(row).assignments


def run(seed: int, publish_time: float, time_limit: float, workers: int | None, keep: Path | None) -> list[tuple]:
    from api.config import Settings
    from api.main import create_app
    from api.services import rosters, scenarios
    from examples.bergen.generate import build_bergen_scenario
    from solver.replan import replan

    scenario = build_bergen_scenario(seed=seed)
    published = published_month(scenario, seed, publish_time, workers, keep)
    open_before = sum(o.missing for o in published.open_slots)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=Path(tmp), managers="", bootstrap_manager=False, solver_workers=workers))
        with app.state.sessions() as s:
            row = rosters.add_version(s, scenarios.store(s, scenario, "bergen", "benchmark").id, None, published, [])
            rosters.publish(s, row, "benchmark")
            s.commit()
            base_id = row.id
        for case in CASES:
            _, changes = _changes(case, published, scenario)
            events: list[tuple[float, int]] = []
            started = time.perf_counter()
            result = replan(scenario, published, changes, time_limit=time_limit, workers=workers, seed=0,
                            on_progress=lambda e, t0=started: events.append((time.perf_counter() - t0, e.open_slots)))
            wall = time.perf_counter() - started
            direct = next((t for t, n in events if n <= open_before), None)
            job = _job(app, base_id, changes, open_before, time_limit)
            out.append((seed, case.name, direct, wall, result.changes, *job))
        app.state.jobs.shutdown()
        app.state.engine.dispose()
    return out


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f}"


def main(argv: list[str] | None = None) -> None:
    rows = run_seeds(__doc__.splitlines()[0], run, argv, seeds=(0, 1))
    print("| seed | change | direct: repaired after s | direct: wall s | direct: changes | job: repaired after s "
          "| job: wall s | job: changes |")
    print("|---|---|---|---|---|---|---|---|")
    for seed, case, d_rep, d_wall, d_changes, j_rep, j_wall, j_changes in rows:
        print(f"| {seed} | {case} | {_fmt(d_rep)} | {d_wall:.1f} | {d_changes} | {_fmt(j_rep)} | {j_wall:.1f} "
              f"| {j_changes} |")
    for label, rep, wall in (("direct", 2, 3), ("job", 5, 6)):
        reps = [r[rep] for r in rows if r[rep] is not None]
        print(f"median {label}: repaired after {statistics.median(reps):.1f} s, wall {statistics.median(r[wall] for r in rows):.1f} s"
              if reps else f"median {label}: never repaired")


if __name__ == "__main__":
    main()
