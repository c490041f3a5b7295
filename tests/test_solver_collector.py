"""The cycle collector held off while a model is built and kept off the model while it is solved,
and given back as it was found, also when solves overlap in threads (the web app's jobs)."""

import gc
import importlib
import threading
import weakref
from contextlib import contextmanager

from ortools.sat.python import cp_model

from factories import doctor, scenario, template
from solver import solve
from solver.builder import build_model
from solver.collector import collector_paused, model_spared
from solver.registry import Family


class _Cyclic:
    def __init__(self) -> None:
        self.me = self


def _tiny():
    return scenario("2026-12-01", "2026-12-02", [template("dag", "08:00", "17:00")], [doctor("d0"), doctor("d1")])


def test_the_collector_is_off_during_a_build_and_back_after():
    seen = []
    probe = Family("probe", lambda ctx: seen.append(gc.isenabled()), ())
    assert gc.isenabled()
    build_model(_tiny(), hard=[probe])
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def _overlapping(hold, observe) -> dict:
    """Thread A takes ``hold``, B takes it, A leaves, B looks (``observe``) and leaves."""
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def a() -> None:
        with hold():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with hold():
            b_in.set()
            a_out.wait(5)
            seen["after A left"] = observe()

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return seen


def test_overlapping_builds_give_the_collector_back_when_the_last_ends():
    """A pause that restored what it found would leave the collector off for good after B."""
    assert _overlapping(collector_paused, gc.isenabled) == {"after A left": False}
    assert gc.isenabled()


@contextmanager
def _spared():
    with model_spared() as spare:
        spare()
        yield


def test_overlapping_solves_keep_the_models_spared_until_the_last_ends():
    assert _overlapping(_spared, gc.get_freeze_count)["after A left"] > 0
    assert gc.get_freeze_count() == 0


def test_a_solve_spares_its_model_while_it_runs_and_hands_it_back_after():
    frozen = []
    roster = solve(_tiny(), time_limit=5, workers=1, on_progress=lambda event: frozen.append(gc.get_freeze_count()))
    assert roster.assignments
    assert frozen and min(frozen) > 0
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_a_solves_model_is_spared_before_any_collection_walks_it():
    with model_spared() as spare:
        with collector_paused():
            ctx = build_model(_tiny())
            spare()
        assert not any(o is ctx.by_shift for o in gc.get_objects())  # the generations walked hold none of it
    assert any(o is ctx.by_shift for o in gc.get_objects())  # handed back at the end


@contextmanager
def _no_collection():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def test_a_dropped_model_is_freed_at_once_without_a_collection():
    """OR-Tools' own CpModel is in a reference cycle (bound methods of itself), so it waits for a
    full collection; ``Model`` goes as soon as nothing refers to it, its clones too."""
    with _no_collection():
        ctx = build_model(_tiny())
        model, twin = weakref.ref(ctx.model), weakref.ref(ctx.model.clone())
        del ctx
        assert model() is None and twin() is None
        plain = cp_model.CpModel()
        kept = weakref.ref(plain)
        del plain
        assert kept() is not None  # what Model avoids, as long as OR-Tools' CpModel does this


def test_a_solves_model_is_freed_when_the_solve_returns(monkeypatch):
    """So the next solve has no earlier model to spare with its own, and no collection is
    needed first (it cost 0.2–0.3 s a solve in the test suite)."""
    built = []

    def recording(*args, **kwargs):
        ctx = build_model(*args, **kwargs)
        built.append(weakref.ref(ctx.model))
        return ctx

    monkeypatch.setattr(importlib.import_module("solver.solve"), "build_model", recording)
    with _no_collection():
        roster = solve(_tiny(), time_limit=5, workers=1)
        assert roster.assignments
        assert len(built) == 1 and built[0]() is None


def test_models_built_during_a_solve_and_dropped_are_freed_before_it_ends():
    """One per doctor's line (solver.lines): spared with the solve's model, 150 of them would wait
    for its end."""
    with model_spared() as spare:
        spare()
        ctx = build_model(_tiny())
        model = weakref.ref(ctx.model)
        del ctx
        assert model() is None


def test_garbage_spared_with_a_solve_is_handed_back_when_it_ends():
    cycle = _Cyclic()
    gone = weakref.ref(cycle)
    del cycle  # a garbage cycle the collector has not come to yet
    with model_spared() as spare:
        spare()
        gc.collect()
        assert gone() is not None  # spared with the solve's model
    gc.collect()
    assert gone() is None


def test_garbage_spared_with_a_solve_is_found_when_it_ends_though_another_still_runs():
    """Solves that keep overlapping (several at once in the web app) must not hold on to garbage
    cycles frozen with them until a moment when none runs."""
    first, second = model_spared(), model_spared()
    cycle = _Cyclic()
    gone = weakref.ref(cycle)
    first.__enter__()()
    del cycle  # garbage now, but frozen with the first solve
    second.__enter__()()
    try:
        gc.collect()
        assert gone() is not None  # spared: no walk finds it
        first.__exit__(None, None, None)
        assert gone() is None  # found when the first solve ended, the second still running
        assert gc.get_freeze_count() > 0  # the second's model spared again
    finally:
        second.__exit__(None, None, None)
    assert gc.get_freeze_count() == 0
