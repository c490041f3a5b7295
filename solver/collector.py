"""Python's cycle collector kept off the model's objects while a solve runs.

A big model is millions of long-lived Python objects (variable handles, dictionaries, lists of
pairs) that hold no reference cycles, yet every full collection walks all of them: at 2 950
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
from collections.abc import Iterator
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
            if _paused == 0:
                if _sparing:
                    gc.freeze()  # else the first collection after it walks all the build made (1 s at Curtois 24)
                if _resume:
                    gc.enable()


@contextmanager
def model_spared() -> Iterator[None]:
    """Every object alive now, and what a build makes meanwhile, out of the collector's walks
    until this solve ends (``gc.freeze``); other objects made meanwhile are collected as usual.
    Cycles among the spared objects wait for the end to be found: ``gc.unfreeze`` hands them all
    back to the oldest generation. While other solves still run (the web app's
    ``max_concurrent_solves`` above 1) a full collection finds those cycles before their models
    are spared again, so solves that keep overlapping never hold garbage for good."""
    global _sparing
    with _lock:
        gc.freeze()
        _sparing += 1
    try:
        yield
    finally:
        with _lock:
            _sparing -= 1
            gc.unfreeze()
            if _sparing:
                gc.collect()
                gc.freeze()
