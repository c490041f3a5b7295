"""Reading a roster through the model: the hinted variables held at their hint in place, the model
given back as it was, and a roster the model refuses read as infeasible, not repaired."""

from __future__ import annotations

import datetime as dt
import importlib
import time

import pytest
from factories import doctor, scenario, template
from ortools.sat.python import cp_model

from roster.check import unexpected_violations
from solver.builder import build_model
from solver.context import Baseline, held_at_hint, set_domain
from solver.objective import minimise

solve_module = importlib.import_module("solver.solve")


def _domains(model: cp_model.CpModel) -> list[list[int]]:
    return [list(v.domain) for v in model.proto.variables]


def _model():
    m = cp_model.CpModel()
    b, n = m.new_bool_var("b"), m.new_int_var(0, 10, "n")
    gaps = m.new_int_var_from_domain(cp_model.Domain.from_intervals([[0, 2], [5, 7]]), "gaps")
    return m, b, n, gaps


def test_the_hinted_variables_are_held_at_their_hint_and_given_back_after():
    m, b, n, gaps = _model()
    for var, value in ((b, 1), (n, 3), (gaps, 6)):
        m.add_hint(var, value)
    with held_at_hint(m) as held:
        assert held
        assert _domains(m) == [[1, 1], [3, 3], [6, 6]]
        assert not m.proto.solution_hint.vars  # CP-SAT spends longer on a hint than on the read
    assert _domains(m) == [[0, 1], [0, 10], [0, 2, 5, 7]]
    assert list(m.proto.solution_hint.vars) == [b.index, n.index, gaps.index]
    assert list(m.proto.solution_hint.values) == [1, 3, 6]


def test_a_hint_outside_a_domain_is_refused_and_nothing_stays_narrowed():
    m, b, n, gaps = _model()
    set_domain(m.proto.variables[b.index].domain, 0, 0)  # held, as a re-plan holds a published shift
    m.add_hint(n, 3)
    m.add_hint(b, 1)
    with held_at_hint(m) as held:
        assert not held
    assert _domains(m) == [[0, 0], [0, 10], [0, 2, 5, 7]]
    assert list(m.proto.solution_hint.values) == [3, 1]
    m.clear_hints()
    m.add_hint(gaps, 4)  # in the gap between the domain's intervals
    with held_at_hint(m) as held:
        assert not held


def test_booleans_the_caller_vouches_for_are_held_and_given_back_without_reading_their_domains():
    m = cp_model.CpModel()
    bs = [m.new_bool_var(f"b{i}") for i in range(3)]
    for var, value in zip(bs, (1, 0, 1), strict=True):
        m.add_hint(var, value)
    with held_at_hint(m, bs) as held:
        assert held
        assert _domains(m) == [[1, 1], [0, 0], [1, 1]]
    assert _domains(m) == [[0, 1]] * 3
    with pytest.raises(ValueError):  # not the hint's variables
        with held_at_hint(m, bs[:2]):
            pass
    assert _domains(m) == [[0, 1]] * 3


def _week():
    return scenario("2026-12-01", "2026-12-07", [template("dag", "08:00", "16:00"), template("natt", "23:00", "08:00")],
                    [doctor(f"d{i}") for i in range(4)])


def _first_roster_pairs(ctx, canceller) -> set[tuple[str, str]]:
    code, first = solve_module._first_roster(ctx, 10.0, 0, canceller)
    assert code in solve_module.FOUND
    return {pair for pair, v in ctx.x.items() if first.boolean_value(v)}


@pytest.mark.parametrize("first", [False, True], ids=["best values", "first values"])
@pytest.mark.parametrize("vouched", [False, True], ids=["domains read", "booleans vouched for"])
def test_a_read_gives_back_exactly_the_hinted_roster_and_leaves_the_model_as_it_was(vouched, first):
    ctx = build_model(_week())
    with solve_module._Canceller(None) as canceller:
        pairs = _first_roster_pairs(ctx, canceller)
        wanted = pairs - {sorted(pairs)[0]}  # one place left open: a worse roster, but a legal one
        before = _domains(ctx.model)
        if not vouched:
            assert ctx.hint_pairs(wanted) is not None  # the hint set beforehand: its domains are read
        code, read = solve_module._fixed_pass(ctx, 10.0, 0, canceller, wanted if vouched else None, first=first)
        assert _domains(ctx.model) == before
        assert code in solve_module.FOUND
        assert {pair for pair, v in ctx.x.items() if read.boolean_value(v)} == wanted  # not filled again
        assert sum(read.value(v) for v in ctx.short.values()) == 1


def test_a_read_of_a_roster_against_a_held_assignment_is_infeasible():
    ctx = build_model(_week())
    with solve_module._Canceller(None) as canceller:
        pairs = _first_roster_pairs(ctx, canceller)
        taken = sorted(pairs)[0]
        now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
        ctx.hold_far(Baseline(frozenset(pairs - {taken}), now, free=frozenset()))  # a re-plan holds it at 0
        assert ctx.hint_pairs(pairs) is None  # a held assignment is not a free Boolean
        code, _ = solve_module._fixed_pass(ctx, 10.0, 0, canceller, pairs)
        assert code == cp_model.INFEASIBLE
        assert list(ctx.model.proto.variables[ctx.x[taken].index].domain) == [0, 0]
        ctx.release()
        assert list(ctx.model.proto.variables[ctx.x[taken].index].domain) == [0, 1]
        assert ctx.hint_pairs(pairs) is not None


def test_a_read_from_a_solution_reaches_the_same_best_values_and_gives_the_hint_back():
    """The last level's read starts from the roster's own values (``start``): the same optimum as
    a read from scratch, and the caller's hint is as it was after it."""
    ctx = build_model(_week())
    with solve_module._Canceller(None) as canceller:
        pairs = _first_roster_pairs(ctx, canceller)
        code, plain = solve_module._fixed_pass(ctx, 10.0, 0, canceller, pairs)
        assert code == cp_model.OPTIMAL
        ctx.hint_pairs(pairs)
        hint = list(ctx.model.proto.solution_hint.vars), list(ctx.model.proto.solution_hint.values)
        code, started = solve_module._fixed_pass(ctx, 10.0, 0, canceller, start=plain.response_proto.solution)
        assert code == cp_model.OPTIMAL
        assert started.objective_value == plain.objective_value
        assert {pair for pair, v in ctx.x.items() if started.boolean_value(v)} == pairs
        assert (list(ctx.model.proto.solution_hint.vars), list(ctx.model.proto.solution_hint.values)) == hint


def _levels_of_a_read(sc, pairs) -> list[float]:
    """Each level's value for a roster, its variables at their best level by level."""
    ctx = build_model(sc)
    values = []
    with solve_module._Canceller(None) as canceller:
        for expr in ctx.levels:
            minimise(ctx.model, expr)
            code, read = solve_module._fixed_pass(ctx, 10.0, 0, canceller, pairs)
            assert code == cp_model.OPTIMAL
            values.append(read.value(expr))
            ctx.model.add(expr <= values[-1])
    return [v / solve_module.OBJ_SCALE for v in values]


def test_the_last_levels_figures_without_a_read_are_left_out_the_others_are_the_rosters(monkeypatch):
    """The last level's read skipped, and its search with it (as when too little time is left):
    its variables hold CP-SAT's first values (a re-plan reported 12.5 M points for a sum of
    deviations of ~4 300), so its terms and the objective are left out, and the levels before it
    report the roster's own figures."""
    reread, level, started, skipped = solve_module._reread, solve_module._level, [], []

    def last_skipped(ctx, best, *args):  # the last level's read, not one of a level's line moves
        if len(started) == len(ctx.levels) - 1 and started[-1] == "done":
            skipped.append(1)
            return best
        return reread(ctx, best, *args)

    def no_time_after_a_skipped_read(ctx, expr, fairness, filled, final, *args):
        started.append("running")
        result = (final, 0) if skipped else level(ctx, expr, fairness, filled, final, *args)
        started[-1] = "done"
        return result

    monkeypatch.setattr(solve_module, "_reread", last_skipped)
    monkeypatch.setattr(solve_module, "_level", no_time_after_a_skipped_read)
    sc = _week()
    roster = solve_module.solve(sc, time_limit=10, workers=1)
    assert len(started) == 3 and skipped == [1]
    assert not unexpected_violations(sc, roster)
    stats = roster.stats
    pairs = {(a.doctor, a.shift) for a in roster.assignments}
    assert [lv.objective for lv in stats.levels] == pytest.approx(_levels_of_a_read(sc, pairs)[:2])
    assert stats.objective is None and set(stats.terms) == {t for lv in stats.levels for t in lv.terms}
    warning = next(w for w in roster.warnings if w.startswith("Tiden rakk ikke til å regne ut tallene"))
    assert "sum avvik fra mål" in warning and "største avvik" not in warning


def test_figures_no_read_has_given_are_left_out_and_said_so(monkeypatch):
    """No level after the first read at all (a starved re-plan): its variables hold CP-SAT's first
    values, which are no figures of the roster, so they, the objective and its gap are not shown."""
    monkeypatch.setattr(solve_module, "_reread", lambda ctx, best, *args: best)
    sc = _week()
    roster = solve_module.solve(sc, time_limit=10, workers=1)
    assert not unexpected_violations(sc, roster)
    stats = roster.stats
    assert stats.objective is None and len(stats.levels) == 1
    assert stats.levels[0].gap == 0  # every place filled: the first level is proven, the later ones unknown
    assert stats.gap is None and stats.bound is None and stats.gap_level is None
    assert set(stats.terms) <= set(stats.levels[0].terms)
    assert any(w.startswith("Tiden rakk ikke til å regne ut tallene") for w in roster.warnings)


def test_an_open_place_a_free_doctor_can_take_is_filled_through_a_read():
    """A roster with a place left open that a doctor could take with one more shift: the fill
    pass after the open-places level tries the free doctors one by one and keeps the first roster
    the model accepts with fewer places open (the hard Christmas week left one at 60 s)."""
    ctx = build_model(_week())
    with solve_module._Canceller(None) as canceller:
        pairs = _first_roster_pairs(ctx, canceller)
        expr = ctx.levels[0]
        minimise(ctx.model, expr)
        code, holed = solve_module._fixed_pass(ctx, 10.0, 0, canceller, pairs - {sorted(pairs)[0]})
        assert code in solve_module.FOUND and sum(holed.value(v) for v in ctx.short.values()) == 1
        progress = solve_module.Progress(ctx, None, None, time.perf_counter())
        filled = solve_module._fill_open_places(ctx, holed, expr, time.perf_counter() + 30, 0, canceller, progress)
        assert filled is not holed and sum(filled.value(v) for v in ctx.short.values()) == 0
        assert filled.value(expr) < holed.value(expr) and progress.solutions == 1
        # nothing to fill: the roster comes back as it was, no read tried
        assert solve_module._fill_open_places(ctx, filled, expr, time.perf_counter() + 30, 0, canceller,
                                              progress) is filled
