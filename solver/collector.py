"""Python's cycle collector kept off the model's objects while a solve runs.

A big model is millions of long-lived Python objects (variable handles, dictionaries, lists of
pairs), none of them garbage while the solve runs, yet every full collection walks all of them: at 2 950
doctors × 3 months the build took 51.1 s with the collector and 44.5 s without, and after the
build the collections that walked the model cost the greedy roster 1.25 s more (0.55 against
1.80 s); a whole 75 s solve there left 368 objects in cycles (benchmarks/README.md, section 7).

The models themselves are ``Model``: without OR-Tools' pre-PEP 8 aliases they hold no reference
cycle, so a model is freed the moment its last reference goes, not at some later collection.

Both holds are process-wide (the web app solves in threads, several at once), so each counts its
holders: the collector comes back when the last build ends, and the models are handed back when
the last solve ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ortools.sat.python import cp_model

_lock = threading.Lock()
_paused = 0  # builds running with the collector held off
_resume = False  # whether the first of them found it on
_sparing = 0  # solves whose model the collector leaves alone


class Model(cp_model.CpModel):
    """A CP-SAT model freed by reference counting alone. OR-Tools 9.15 gives every ``CpModel``
    its pre-PEP 8 names (``AddBoolOr`` …) as bound methods of itself, kept on the model: a
    reference cycle, so a dropped model (a whole Bergen month's proto) waited for a full
    collection, which walks every object of the process (0.2–0.3 s each in the test suite)."""

    def _add_pre_pep8_methods(self) -> None:
        """None: the code here uses the PEP 8 names only."""

    def clone(self) -> Model:
        twin = Model()
        twin.proto.copy_from(self.proto)
        twin.rebuild_constant_map()
        return twin


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection at all while a model is built: the build makes no garbage cycles to find."""
    global _paused, _resume
    with _lock:
        if _paused == 0:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.enable()


@contextmanager
def model_spared() -> Iterator[Callable[[], None]]:
    """Yields ``spare``, to be called once the solve's model is built and the collector still
    paused: everything alive then is left out of the collector's walks (``gc.freeze``) until this
    solve ends, so no collection walks the model (1 s at Curtois 24 for the first after a build).
    Models built later in the solve (one per doctor's line) are collected as usual. An earlier
    solve's ``Model`` is already freed, having no cycle; other garbage cycles alive at ``spare``
    wait for this solve's end. At the end ``gc.unfreeze`` hands the spared objects back; while
    other solves still run (the web app's ``max_concurrent_solves`` above 1) a full collection
    then finds what this one held and the others' models are spared again, so overlapping solves
    never hold garbage for good."""
    global _sparing
    with _lock:
        _sparing += 1
    try:
        yield gc.freeze
    finally:
        with _lock:
            _sparing -= 1
            gc.unfreeze()
            if _sparing:
                gc.collect()
                gc.freeze()
