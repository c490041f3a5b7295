"""Large-neighbourhood search on top of CP-SAT: fix most of a roster, re-optimise the rest, repeat.

A model of a year (the Curtois & Qu instances 20–24, or legevakt rosters over several months) is
too large for one CP-SAT search to improve much in minutes, but a window of days or a group of
doctors with everything else fixed solves to optimality in a second. Each round holds every
assignment outside the neighbourhood at its value in the best roster, on one copy of the model kept
for the whole search (presolve then removes them), hints the best roster (so the round can only
keep or improve it) and solves for a short time. Neighbourhoods alternate between a window of dates
for every doctor, a group of doctors for every date, and a smaller window around a shift that is
short of doctors. Their size adapts: a round proved optimal quickly grows the next one; a round
that ran out of time shrinks it.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from solver.context import OBJ_SCALE, ModelContext, hint_all, set_domain

GROW, SHRINK = 1.25, 0.8
MIN_FREE, MAX_FREE = 0.02, 0.5  # share of the assignment variables a neighbourhood frees


@dataclass
class Round:
    kind: str
    freed: int
    status: str
    objective: float
    seconds: float


class Neighbourhoods:
    """Which assignment variables a round frees, by date and doctor."""

    def __init__(self, ctx: ModelContext, seed: int):
        self.ctx = ctx
        self.rng = random.Random(seed)
        self.days = ctx.scenario.period.days()
        self.doctors = [d for d, items in ctx.by_doctor.items() if items]
        self.pairs = [(d, s.date, s.key, v.index) for d, items in ctx.by_doctor.items() for s, v in items]
        self.share = 0.1

    def _window(self, share: float, centre: dt.date | None = None) -> tuple[dt.date, dt.date]:
        length = max(1, round(share * len(self.days)))
        if centre is None:
            first = self.rng.randrange(0, max(1, len(self.days) - length + 1))
        else:
            first = max(0, min(len(self.days) - length, self.days.index(centre) - length // 2))
        return self.days[first], self.days[min(len(self.days) - 1, first + length - 1)]

    def choose(self, values: list[int]) -> tuple[str, set[int]]:
        """(kind, indices of the variables to free)."""
        short = [k for k, v in self.ctx.short.items() if values[v.index] > 0]
        kinds = ["dager", "leger", "leger og dager"] + (["ubesatt plass"] if short else [])
        kind = self.rng.choice(kinds)
        if kind == "dager":
            a, b = self._window(self.share)
            return kind, {i for _, day, _, i in self.pairs if a <= day <= b}
        if kind == "leger":
            group = set(self.rng.sample(self.doctors, max(1, round(self.share * len(self.doctors)))))
            return kind, {i for d, _, _, i in self.pairs if d in group}
        if kind == "leger og dager":
            side = min(1.0, self.share ** 0.5)
            group = set(self.rng.sample(self.doctors, max(1, round(side * len(self.doctors)))))
            a, b = self._window(side)
            return kind, {i for d, day, _, i in self.pairs if d in group and a <= day <= b}
        centre = self.ctx.index.by_key[self.rng.choice(short)].date
        a, b = self._window(min(self.share * 2, 0.5), centre)
        return kind, {i for _, day, _, i in self.pairs if a <= day <= b}

    def adapt(self, proved: bool) -> None:
        self.share = min(MAX_FREE, self.share * GROW) if proved else max(MIN_FREE, self.share * SHRINK)


def objective_of(model: cp_model.CpModel, values: list[int]) -> int:
    """A complete solution's objective in model units, from the model itself: CP-SAT's reported
    ``objective_value`` was seen 4e7 above the solution it returned when stopped at the first one
    (OR-Tools 9.15), and a search that starts from an objective too high keeps a roster it never had."""
    objective = model.proto.objective
    return round(objective.offset + sum(c * values[v] for v, c in zip(objective.vars, objective.coeffs, strict=True)))


class Pinned:
    """One copy of the model for the whole search, every assignment held at the roster's value but
    a round's neighbourhood. A round holds again only what the round before freed: copying the
    model and holding all of it took 0.3–0.4 s a round on Curtois 22 (139 000 variables) and about
    1.6 s on 23, against 2-s rounds (benchmarks/README.md, section 7, "Neighbourhood search on one
    copy of the model")."""

    def __init__(self, model: cp_model.CpModel, assignments: list[int], values: list[int]):
        self.original = model.proto.variables
        self.model = model.clone()
        self.free: set[int] = set()
        variables = self.model.proto.variables
        for i in assignments:
            set_domain(variables[i].domain, values[i], values[i])

    def round(self, free: set[int], values: list[int]) -> cp_model.CpModel:
        """The model with ``free`` free and every other assignment held at ``values``; only the
        last round's free assignments can have moved since it."""
        variables = self.model.proto.variables
        for i in self.free - free:
            set_domain(variables[i].domain, values[i], values[i])
        for i in free - self.free:
            variables[i].domain.clear()
            variables[i].domain.extend(self.original[i].domain)
        self.free = set(free)
        hint_all(self.model, values)
        return self.model


def improve(
    ctx: ModelContext,
    values: list[int],
    *,
    deadline: float,
    workers: int,
    seed: int,
    round_limit: float = 5.0,
    on_improve: Callable[[list[int], int], None] | None = None,
    stop: threading.Event | None = None,
) -> tuple[list[int], int, list[Round]]:
    """The best roster found by rounds of neighbourhood search from ``values`` (a complete
    solution of ``ctx.model``) until ``deadline``, with its objective in model units."""
    objective = objective_of(ctx.model, values)
    hoods = Neighbourhoods(ctx, seed)
    rounds: list[Round] = []
    x_vars = [i for *_, i in hoods.pairs]
    pinned = Pinned(ctx.model, x_vars, values)
    n = 0
    while time.perf_counter() < deadline - 0.2 and not (stop is not None and stop.is_set()):
        n += 1
        kind, free = hoods.choose(values)
        sub = pinned.round(free, values)
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.max_time_in_seconds = max(0.1, min(round_limit, deadline - time.perf_counter()))
        p.num_workers = workers
        p.random_seed = seed + n
        started = time.perf_counter()
        code = solver.solve(sub)
        found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        value = objective_of(sub, solver.response_proto.solution) if found else objective
        seconds = time.perf_counter() - started
        rounds.append(Round(kind, len(free), solver.status_name(code), value / OBJ_SCALE, seconds))
        hoods.adapt(code == cp_model.OPTIMAL and seconds < round_limit / 2)
        if found and value < objective:
            values = list(solver.response_proto.solution)
            objective = value
            if on_improve is not None:
                on_improve(values, objective)
    return values, objective, rounds
