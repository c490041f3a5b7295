"""Python's cycle collector kept off the model's objects while a solve runs.

A big model is millions of long-lived Python objects (variable handles, dictionaries, lists of
pairs), none of them garbage while the solve runs, yet every full collection walks all of them: at 2 950
doctors × 3 months the build took 51.1 s with the collector and 44.5 s without, and after the
build the collections that walked the model cost the greedy roster 1.25 s more (0.55 against
1.80 s); a whole 75 s solve there left 368 objects in cycles (benchmarks/README.md, section 7).

Both holds are process-wide (the web app solves in threads, several at once), so each counts its
holders: the collector comes back when the last build ends, and the models are handed back when
the last solve ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # builds running with the collector held off
_resume = False  # whether the first of them found it on
_sparing = 0  # solves whose model the collector leaves alone


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
    A collection first frees an earlier solve's model, which is in a reference cycle (OR-Tools
    9.15's ``CpModel`` holds bound methods of itself) and would otherwise be spared with this one;
    models built later in the solve (one per doctor's line) are collected as usual. At the end
    ``gc.unfreeze`` hands the spared objects back; while other solves still run (the web app's
    ``max_concurrent_solves`` above 1) a full collection then finds what this one held and the
    others' models are spared again, so overlapping solves never hold garbage for good."""
    global _sparing
    gc.collect()
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
