"""``roster sweep``: the sweep file and its grid, results kept as they arrive, the comparison across
rule sets, and the runs themselves on a local Ray (started once for the module, two CPUs), with
worker processes killed to see that no finished run is lost and a killed run is solved again."""

from __future__ import annotations

import csv
import functools
import json
import logging
import os
import signal
import sys
from pathlib import Path

import pytest
import ray
import yaml
from factories import doctor, scenario, station, template
from typer.testing import CliRunner

from api.cli import app
from api.cli.common import EXIT_BAD_INPUT, EXIT_OK
from api.sweep import SweepSetupError, run_sweep, solve_run
from roster.check import unexpected_violations
from roster.models import Roster, Scenario
from roster.report.build import HIGHER, LOWER
from roster.report.sweep import group_rows, summary_rows, sweep_report, text_summary, write_html
from roster.scenario_io import InputError, dump_scenario, load_roster
from roster.sweep.results import ERRORS, RESULTS, TABLE, ResultStore, RunResult, measure
from roster.sweep.spec import Run, Settings, load_sweep

runner = CliRunner()


def tiny_month(start: str, end: str) -> Scenario:
    """Three days of a day shift at a clinic, with a specialist bakvakt while it is open."""
    return scenario(
        start, end,
        [template("dag", "08:00", "16:00", demand_max=2, min_qualified=1),
         template("bak", "08:00", "16:00", station="BAK", duty="bakvakt", label="bakvakt", min_qualified=0)],
        [doctor(f"d{i}", name=f"Lege {i}", share=1.0 + 0.5 * (i % 2)) for i in range(4)]
        + [doctor("s", name="Spesialist", role="spesialist", can_bakvakt=True, stations=["BAK"])],
        stations=[station("BLV", name="Bergen legevakt"), station("BAK", kind="fjernvakt", name="Bakvakt")],
    )


def write_sweep(folder: Path, **changes: object) -> Path:
    """Two months (October, November), the current rules and a rule set file asking two doctors on
    the day shift, two seeds."""
    dump_scenario(tiny_month("2026-10-05", "2026-10-07"), folder / "okt.yaml")
    dump_scenario(tiny_month("2026-11-02", "2026-11-04"), folder / "nov.yaml")
    (folder / "to-leger.yaml").write_text(
        "name: To leger på dag\ntemplates:\n  - id: dag\n    demand_min: 2\n    demand_max: 2\n", encoding="utf-8")
    spec = {"name": "Prøve", "scenarios": ["okt.yaml", "nov.yaml"],
            "rule_sets": [{"name": "Gjeldende regler"}, "to-leger.yaml"], "seeds": 2, "time_limit": 5}
    spec.update(changes)
    path = folder / "sweep.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the sweep file


def test_the_grid_is_scenarios_times_rule_sets_times_seeds(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path))
    assert sweep.scenarios == ["okt", "nov"]
    assert sweep.rule_sets == ["Gjeldende regler", "To leger på dag"]
    assert [(r.seed, r.scenario, r.rule_set) for r in sweep.runs[:4]] == [
        (0, "okt", "Gjeldende regler"), (0, "okt", "To leger på dag"),
        (0, "nov", "Gjeldende regler"), (0, "nov", "To leger på dag")]
    assert len(sweep.runs) == 8 and len({r.key for r in sweep.runs}) == 8
    assert sweep.variant("okt", "To leger på dag").templates[0].demand_min == 2
    assert sweep.variant("okt", "Gjeldende regler").templates[0].demand_min == 1


def test_without_rule_sets_the_current_rules_are_solved(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, rule_sets=[], seeds=[3, 7]))
    assert sweep.rule_sets == ["Gjeldende regler"]
    assert [r.seed for r in sweep.runs] == [3, 3, 7, 7]


def test_a_key_changes_with_what_the_result_depends_on_and_only_then(tmp_path):
    before = {(r.scenario, r.rule_set, r.seed): r.key for r in load_sweep(write_sweep(tmp_path)).runs}
    (tmp_path / "to-leger.yaml").write_text(
        "name: Tre leger på dag\ntemplates:\n  - id: dag\n    demand_min: 3\n    demand_max: 3\n", encoding="utf-8")
    edited = {(r.scenario, r.rule_set, r.seed): r.key for r in load_sweep(tmp_path / "sweep.yaml").runs}
    kept = {k: v for k, v in edited.items() if k[1] == "Gjeldende regler"}
    assert kept == {k: v for k, v in before.items() if k[1] == "Gjeldende regler"}
    changed = {k: v for k, v in edited.items() if k[1] == "Tre leger på dag"}
    assert len(changed) == 4 and not set(changed.values()) & set(before.values())

    renamed = load_sweep(write_sweep(tmp_path, rule_sets=[{"name": "Dagens regler"}, "to-leger.yaml"]))
    assert {r.key for r in renamed.runs if r.rule_set == "Dagens regler"} == set(kept.values())
    longer = load_sweep(write_sweep(tmp_path, time_limit=6))
    assert not {r.key for r in longer.runs} & set(before.values())


def test_a_bad_sweep_file_names_every_problem_in_norwegian(tmp_path):
    path = write_sweep(tmp_path, scenarios=["okt.yaml", "mangler.yaml", "okt.yaml"],
                       rule_sets=[{"rules": {"max_consecutive_nights": 2}}, "to-leger.yaml", {"name": "To leger på dag"},
                                  {"name": "Ukjent", "templates": [{"id": "natt", "enabled": False}]}])
    with pytest.raises(InputError) as err:
        load_sweep(path)
    text = "\n".join(err.value.problems)
    assert "scenarios[1]:" in text and "finner ikke filen" in text
    assert "scenarios[2]: «okt» er allerede med" in text
    assert "rule_sets[0].name: mangler" in text
    assert "rule_sets: navnet «To leger på dag» står flere ganger" in text
    assert "regelsett «Ukjent» på scenario «okt»: templates[0]: fant ingen vakttype «natt»" in text
    assert err.value.source == str(path)


def test_a_rule_set_that_is_neither_a_file_nor_a_rule_set_is_named_once_by_its_place(tmp_path):
    with pytest.raises(InputError) as caught:
        load_sweep(write_sweep(tmp_path, rule_sets=[{"name": "Gjeldende regler"}, 42]))
    assert caught.value.problems == ["rule_sets[1]: ventet filnavnet til et regelsett, eller et regelsett med name, "
                                     "rules og templates (fikk «42»)"]


def test_the_bergen_example_sweep_is_three_rule_sets_times_three_seeds():
    sweep = load_sweep(Path(__file__).parents[1] / "examples" / "bergen" / "sweep.yaml")
    assert len(sweep.runs) == 9 and len(sweep.rule_sets) == 3
    closed = sweep.variant("scenario", "Bydelene stengt på hverdagskvelder")
    assert not {"ASA-kveld", "FAN-kveld", "LOD-kveld"} & {t.id for t in closed.templates}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"seeds": 0}, "seeds: antall frø må være minst 1"),
    ({"seeds": [1, 1]}, "seeds: samme frø står flere ganger"),
    ({"threads": 0}, "threads: må være minst 1"),
    ({"tidsgrense": 5}, "tidsgrense: ukjent felt"),
])
def test_a_bad_setting_is_named(tmp_path, changes, expected):
    with pytest.raises(InputError) as err:
        load_sweep(write_sweep(tmp_path, **changes))
    assert any(p.startswith(expected) for p in err.value.problems), err.value.problems


# --------------------------------------------------------------------------- one run's figures, on disk


def _solved(tmp_path: Path) -> tuple[Run, Scenario, Roster]:
    sweep = load_sweep(write_sweep(tmp_path))
    run = sweep.runs[0]
    variant = sweep.variant(run.scenario, run.rule_set)
    solved = solve_run(variant, run, Settings(5, 1, False))
    return run, variant, Roster.model_validate_json(solved.roster_json)


def test_a_run_is_measured_by_the_metrics_and_the_independent_checker(tmp_path):
    run, variant, roster = _solved(tmp_path)
    clean = measure(run, variant, roster, "maskin")
    assert clean.has_roster and clean.violations == 0 and clean.open_places == 0
    assert set(clean.groups) == {"alle", "rolle: fastlege", "rolle: spesialist", "gruppe: fastleger",
                                 "gruppe: spesialister", "stasjon: Bergen legevakt", "stasjon: Bakvakt"}
    assert clean.group("gruppe: fastleger", "spread") is not None  # the fairness pools, by roster.metrics
    assert clean.group("alle", "spread") is not None

    day_shift = next(a for a in roster.assignments if a.template == "dag")
    broken = roster.model_copy(update={"assignments": [a for a in roster.assignments if a != day_shift]})
    assert measure(run, variant, broken, "maskin").violations == len(unexpected_violations(variant, broken)) > 0


def test_results_are_kept_run_by_run_and_a_line_cut_short_is_solved_again(tmp_path):
    run, variant, roster = _solved(tmp_path)
    sweep = load_sweep(tmp_path / "sweep.yaml")
    out = tmp_path / "ut"
    store = ResultStore(out, sweep.runs)
    stored = store.add(run, measure(run, variant, roster, "maskin"), roster.model_dump_json())
    assert load_roster(variant, out / stored.roster_file) == roster

    with (out / RESULTS).open("a", encoding="utf-8") as f:
        f.write(stored.model_copy(update={"key": sweep.runs[1].key}).model_dump_json()[:40])  # killed mid-write
    again = ResultStore(out, sweep.runs)
    assert again.done(run) and not again.done(sweep.runs[1]) and again.unreadable == 1
    with (out / TABLE).open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert len(rows) == 1 and rows[0]["regelsett"] == "Gjeldende regler" and rows[0]["ubesatte plasser"] == "0"
    assert "," in rows[0]["gini alle"] and rows[0]["vaktplan"] == stored.roster_file


def test_a_run_s_roster_is_kept_with_the_scenario_its_rule_set_made(tmp_path):
    """docs/sweep.md sends the evaluator to roster report with a run's roster: measured against
    the scenario file as it was, a run of a rule set that closes the day shift read as three
    unfilled places; against the cell's scenario it reads as the sweep measured it."""
    from roster.report.build import check_view
    from roster.scenario_io import load_scenario

    closed = {"name": "Dag stengt", "templates": [{"id": "dag", "enabled": False}]}
    sweep = load_sweep(write_sweep(tmp_path, seeds=1, rule_sets=[{"name": "Gjeldende regler"}, closed]))
    run = next(r for r in sweep.runs if r.rule_set == "Dag stengt" and r.scenario == "okt")
    variant = sweep.variant(run.scenario, run.rule_set)
    roster = Roster.model_validate_json(solve_run(variant, run, Settings(5, 1, False)).roster_json)
    result = measure(run, variant, roster, "maskin")
    ResultStore(tmp_path / "ut", sweep.runs).add(run, result, roster.model_dump_json(), variant)

    kept = load_scenario(tmp_path / "ut" / "scenarios" / "okt_Dag-stengt.json")
    assert kept == variant
    assert check_view("kjøring", kept, roster).open_slots == result.open_places == 0
    assert check_view("kjøring", sweep.bases["okt"], roster).open_slots == 3  # what the docs' advice gave


def test_a_label_never_becomes_a_formula_in_the_table(tmp_path):
    run = Run("=HYPERLINK(\"http://angriper.example\")", "@SUM(1+1)", 0, "k" * 24)
    store = ResultStore(tmp_path, [run])
    store.add(run, RunResult(key=run.key, scenario=run.scenario, rule_set=run.rule_set, seed=0, status="optimal",
                             has_roster=True, assignments=1, host="-maskin"), "{}")
    with (tmp_path / TABLE).open(encoding="utf-8-sig") as f:
        row = next(csv.DictReader(f, delimiter=";"))
    assert (row["scenario"], row["regelsett"], row["maskin"]) == (
        "'=HYPERLINK(\"http://angriper.example\")", "'@SUM(1+1)", "'-maskin")


def test_the_solver_s_status_is_norwegian_in_the_table_and_the_report(tmp_path):
    """The status is stored as the solver's code, and shown in the evaluator's words: «umulig»,
    not «infeasible», in results.csv and in the table per run."""
    sweep = load_sweep(write_sweep(tmp_path, seeds=1))
    store = ResultStore(tmp_path / "ut", sweep.runs)
    for run, spread in zip(sweep.runs, (0.3, None)):
        store.add(run, _result(run, spread), "{}")
    with (tmp_path / "ut" / TABLE).open(encoding="utf-8-sig") as f:
        assert [row["status"] for row in csv.DictReader(f, delimiter=";")] == ["gyldig", "umulig"]
    html = write_html(sweep_report(sweep, store.current()), tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert '<td class="name">umulig</td>' in html and "infeasible" not in html


def test_the_objective_is_never_called_mål_beside_the_targets(tmp_path):
    """«Mål» is a doctor's target everywhere in the report («Over mål»); the solver's objective
    value is «målverdi», as in the solve summary."""
    sweep = load_sweep(write_sweep(tmp_path, seeds=1))
    store = ResultStore(tmp_path / "ut", sweep.runs)
    store.add(sweep.runs[0], _result(sweep.runs[0], 0.3), "{}")
    with (tmp_path / "ut" / TABLE).open(encoding="utf-8-sig") as f:
        header = next(csv.reader(f, delimiter=";"))
    assert "målverdi" in header and "nedre grense" in header and "mål" not in header
    gap = next(r for r in sweep_report(sweep, store.current()).summary if r.name == "Gap %")
    assert gap.definition.startswith("(målverdi − løserens nedre grense) / målverdi")


# --------------------------------------------------------------------------- the comparison


def _result(run: Run, spread: float | None, open_places: int = 0, **kw: object) -> RunResult:
    groups = {} if spread is None else {"alle": {"spread": spread, "gini": spread / 10},
                                        "pulje: fastleger": {"spread": 2 * spread, "gini": 0.0}}
    return RunResult(key=run.key, scenario=run.scenario, rule_set=run.rule_set, seed=run.seed,
                     status="feasible" if spread is not None else "infeasible", has_roster=spread is not None,
                     assignments=10, open_places=open_places if spread is not None else None, groups=groups, **kw)


def test_the_report_takes_medians_over_seeds_and_scenarios_per_rule_set(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, seeds=3))
    # (spread, unfilled places) per run of each rule set, in grid order: okt seed 0, nov seed 0, okt seed 1, …
    figures = {"Gjeldende regler": [(0.5, 0), (0.1, 1), (0.3, 0), (0.9, 1), (0.2, 0), (0.4, 1)],
               "To leger på dag": [(0.2, 2), (0.2, 2), (0.1, 1), (0.3, 0), (None, 0), (0.2, 3)]}
    done = []
    for run in sweep.runs:
        spread, open_places = figures[run.rule_set].pop(0)
        done.append((run, _result(run, spread, open_places=open_places, wishes_granted=3)))
    report = sweep_report(sweep, done)

    rows = {r.name: r for r in report.summary}
    assert rows["Spenn"].values == [pytest.approx(0.35), pytest.approx(0.2)]  # the None run is left out
    assert rows["Spenn"].verdict(1) == "bedre" and rows["Spenn"].better == LOWER
    assert rows["Ubesatte plasser"].values == [0.5, 2]
    assert rows["Ønsker innfridd"].better == HIGHER and rows["Ønsker innfridd"].verdict(1) == ""
    counts = {r.name: r.values for r in report.counts}
    assert counts["Kjøringer"] == [6, 6] and counts["Uten vaktplan"] == [0, 1]

    by_scenario = dict(report.per_scenario)
    okt = {r.name: r for r in by_scenario["okt"]}
    assert okt["Spenn"].values == [pytest.approx(0.3), pytest.approx(0.15)]  # October: 0.5, 0.3, 0.2 and 0.2, 0.1

    text = text_summary(report)
    assert "median over 3 frø og 2 scenario(er)" in text and "Spenn" in text
    html = write_html(report, tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert "Per scenario (median over frø)" in html and "To leger på dag" in html


def test_a_median_count_halfway_between_two_runs_keeps_its_half(tmp_path):
    """Two seeds with 0 and 1 unfilled places: the median 0,5 is neither shown as 0 nor taken for
    the other rule set's 0."""
    sweep = load_sweep(write_sweep(tmp_path, seeds=2))
    places = {"Gjeldende regler": [0, 0, 0, 0], "To leger på dag": [0, 1, 0, 1]}
    done = [(run, _result(run, 0.3, open_places=places[run.rule_set].pop(0))) for run in sweep.runs]
    row = next(r for r in sweep_report(sweep, done).summary if r.name == "Ubesatte plasser")
    assert row.values == [0, 0.5]
    assert [row.fmt(v) for v in row.values] == ["0,0", "0,5"]
    assert row.verdict(1) == "dårligere"


def test_the_report_shows_every_group_the_metrics_report(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, seeds=1))
    columns = [[_result(run, 0.4)] for run in sweep.runs[:2]]
    names = [r.name for r in group_rows(columns)]
    assert names == ["Spenn: alle", "Gini: alle", "Spenn: pulje: fastleger", "Gini: pulje: fastleger"]
    assert [r.name for r in summary_rows(columns)][:2] == ["Ubesatte plasser", "Timer uten bakvakt"]


def test_an_unfinished_sweep_says_so(tmp_path):
    sweep = load_sweep(write_sweep(tmp_path))
    report = sweep_report(sweep, [(sweep.runs[0], _result(sweep.runs[0], 0.3))])
    assert report.missing == 7
    assert "7 av 8 kjøringer mangler" in text_summary(report)


def test_an_output_folder_that_is_a_file_is_refused_in_norwegian(tmp_path):
    taken = tmp_path / "ut"
    taken.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["sweep", str(write_sweep(tmp_path)), "-o", str(taken)])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "kan ikke bruke mappen: finnes fra før og er ikke en mappe" in result.output
    assert "File exists" not in result.output


def test_a_result_that_cannot_be_written_stops_the_sweep_in_norwegian(tmp_path, monkeypatch):
    """A write failing midway (the disk full, a file where rosters/ should be) is no traceback: it
    names the file and the reason, and says the stored runs are kept."""
    import api.sweep

    def stores_one(grid, store, progress, **kw):
        store.add(grid.runs[0], _result(grid.runs[0], 0.3), "{}")

    out = tmp_path / "ut"
    out.mkdir()
    (out / "rosters").write_text("", encoding="utf-8")
    monkeypatch.setattr(api.sweep, "run_sweep", stores_one)
    result = runner.invoke(app, ["sweep", str(write_sweep(tmp_path)), "-o", str(out)])
    said = " ".join(result.output.split())  # the console wraps long lines
    assert result.exit_code == EXIT_BAD_INPUT and isinstance(result.exception, SystemExit)
    assert "kan ikke skrive resultatene: finnes fra før og er ikke en mappe; 0 av 8 kjøringer er lagret" in said
    assert f"{out.name}/rosters" in "".join(result.output.split())  # a long path is folded mid-word


def test_a_bad_sweep_file_exits_with_bad_input(tmp_path):
    result = runner.invoke(app, ["sweep", str(write_sweep(tmp_path, seeds=0)), "-o", str(tmp_path / "ut")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "seeds: antall frø må være minst 1" in result.output
    assert not (tmp_path / "ut" / RESULTS).exists()


def test_without_ray_the_command_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # as if the extra were not installed
    monkeypatch.delitem(sys.modules, "api.sweep")
    result = runner.invoke(app, ["sweep", str(write_sweep(tmp_path)), "-o", str(tmp_path / "ut")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "roster sweep trenger Ray: pip install 'legevakt-roster[sweep]'" in result.output


# --------------------------------------------------------------------------- on a local Ray


@pytest.fixture(scope="module")
def local_ray():
    """One private Ray for the module (start-up takes seconds); two CPUs, as on the CI machine. The
    tasks below are sent by value: Ray's workers cannot import a test module."""
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
    yield
    ray.shutdown()


class Seen:
    """The progress a sweep reports."""

    def __init__(self) -> None:
        self.total = self.skipped = 0
        self.solved: list[Run] = []
        self.lost: list[tuple[Run, str]] = []

    def started(self, total: int, skipped: int) -> None:
        self.total, self.skipped = total, skipped

    def finished(self, run: Run, result: RunResult) -> None:
        self.solved.append(run)

    def failed(self, run: Run, message: str) -> None:
        self.lost.append((run, message))


def records_cores(scenario: Scenario, run: Run, settings: Settings, folder: str):
    """The real solve, noting the CPUs Ray gave the task and the process it ran in."""
    assigned = ray.get_runtime_context().get_assigned_resources()
    Path(folder, f"{run.key}.json").write_text(json.dumps({"cpu": assigned.get("CPU"), "pid": os.getpid()}))
    return solve_run(scenario, run, settings)


def killed_the_first_time(scenario: Scenario, run: Run, settings: Settings, folder: str):
    """The worker process is killed (as by the OOM killer) the first time it takes a run."""
    try:
        os.close(os.open(Path(folder, f"{run.key}.killed"), os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return solve_run(scenario, run, settings)
    os.kill(os.getpid(), signal.SIGKILL)


def always_killed(scenario: Scenario, run: Run, settings: Settings, seed: int):
    if run.seed == seed:
        os.kill(os.getpid(), signal.SIGKILL)
    return solve_run(scenario, run, settings)


def test_a_sweep_on_ray_keeps_every_run_and_a_rerun_skips_them(local_ray, tmp_path):
    sweep = load_sweep(write_sweep(tmp_path))
    out = tmp_path / "ut"
    seen = Seen()
    assert run_sweep(sweep, ResultStore(out, sweep.runs), seen) == []
    assert (seen.total, seen.skipped, len(seen.solved)) == (8, 0, 8)

    store = ResultStore(out, sweep.runs)
    assert [run for run, _r in store.current()] == sweep.runs
    for run, result in store.current():
        variant = sweep.variant(run.scenario, run.rule_set)
        roster = load_roster(variant, out / result.roster_file)
        assert result.has_roster and roster.assignments
        assert unexpected_violations(variant, roster) == []  # the independent checker, not the record
    demand_two = [r for run, r in store.current() if run.rule_set == "To leger på dag"]
    assert all(r.assignments == 3 * 3 for r in demand_two)  # two on the day shift and a bakvakt, three days

    again = Seen()
    assert run_sweep(sweep, ResultStore(out, sweep.runs), again) == []
    assert (again.total, again.skipped, again.solved) == (8, 8, [])


def test_each_solve_declares_its_cores_and_uses_them(local_ray, tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, scenarios=["okt.yaml"], rule_sets=[], threads=2))
    task = functools.partial(records_cores, folder=str(tmp_path))
    assert run_sweep(sweep, ResultStore(tmp_path / "ut", sweep.runs), seen := Seen(), task=task) == [], seen.lost
    noted = [json.loads((tmp_path / f"{run.key}.json").read_text()) for run in sweep.runs]
    assert [n["cpu"] for n in noted] == [2.0, 2.0]
    assert [r.threads for _run, r in ResultStore(tmp_path / "ut", sweep.runs).current()] == [2, 2]
    assert all(n["pid"] != os.getpid() for n in noted)


def test_a_solve_wider_than_any_machine_is_refused_rather_than_left_waiting(local_ray, tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, threads=3))
    with pytest.raises(SweepSetupError, match="3 tråder per løsning, men den største maskinen i Ray har 2 kjerner"):
        run_sweep(sweep, ResultStore(tmp_path / "ut", sweep.runs), Seen())
    assert not (tmp_path / "ut" / RESULTS).exists()


def test_a_killed_worker_is_retried_and_its_run_finished(local_ray, tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, scenarios=["okt.yaml"]))
    seen = Seen()
    task = functools.partial(killed_the_first_time, folder=str(tmp_path))
    assert run_sweep(sweep, ResultStore(tmp_path / "ut", sweep.runs), seen, retries=1, task=task) == []
    assert sorted(seen.solved, key=sweep.runs.index) == sweep.runs
    assert all((tmp_path / f"{run.key}.killed").exists() for run in sweep.runs)  # each was killed once


def test_a_run_that_keeps_dying_is_recorded_the_rest_kept_and_the_next_sweep_solves_it(local_ray, tmp_path):
    sweep = load_sweep(write_sweep(tmp_path, scenarios=["okt.yaml"], rule_sets=[]))
    out = tmp_path / "ut"
    seen = Seen()
    task = functools.partial(always_killed, seed=1)
    failed = run_sweep(sweep, ResultStore(out, sweep.runs), seen, retries=0, task=task)
    assert [run.seed for run in failed] == [1] and [run.seed for run in seen.solved] == [0]
    errors = [json.loads(line) for line in (out / ERRORS).read_text(encoding="utf-8").splitlines()]
    assert [e["seed"] for e in errors] == [1] and "døde" in errors[0]["message"]

    again = Seen()
    assert run_sweep(sweep, ResultStore(out, sweep.runs), again) == []
    assert (again.skipped, [run.seed for run in again.solved]) == (1, [1])


def test_roster_sweep_on_the_command_line(local_ray, tmp_path):
    two = {"name": "To leger [dag]", "templates": [{"id": "dag", "demand_min": 2, "demand_max": 2}]}
    path = write_sweep(tmp_path, seeds=1, rule_sets=[{"name": "Gjeldende regler"}, two])
    out = tmp_path / "ut"
    first = runner.invoke(app, ["sweep", str(path), "-o", str(out), "--workers", "1"])
    assert first.exit_code == EXIT_OK, first.output
    assert "✓ okt / To leger [dag] / frø 0: 0 ubesatte plasser" in first.output  # a label is text, not markup
    assert "To leger [dag]" in (out / "report.html").read_text(encoding="utf-8")
    second = runner.invoke(app, ["sweep", str(path), "-o", str(out)])
    assert second.exit_code == EXIT_OK and "4 av 4 kjøringer er allerede ferdige" in second.output
