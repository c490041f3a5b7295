"""A first roster chosen among whole staff lines: column generation, then a dive to one line each.

Where the doctors share only soft rules (``LineModels.exact``: open places, over-staffing and
wishes), a roster is one line per doctor, and the choice among lines is a set-partitioning
problem: pick one line per doctor so that the cover's open and extra places and the wishes cost
least. Its LP (the master: GLOP over the lines found so far, the cover rows priced as the model
prices them, one convexity row per doctor) is far tighter than the compact model's, because a
line already keeps every rule of its doctor: on Curtois & Qu instance 12 it reaches 4 042 within
a minute against a published optimum of 4 040, where CP-SAT's bound on the compact model stood at
3 472 after a minute (benchmarks/README.md, section 1). New lines come from each doctor's own model (solver.lines), priced with the cover rows'
duals: a line whose reduced cost is negative joins the master (Dantzig–Wolfe decomposition, as in
the branch-and-price literature on nurse rostering; e.g. Burke & Curtois, *New approaches to
nurse rostering benchmark instances*, EJOR 237, 2014).

The LP's lines are fractional; a dive makes them whole: the doctors whose line the LP already
holds whole are fixed to it, else the likeliest few, then the others' lines are priced again
against the fixed ones, until every doctor has one line. Every LP on the way is also rounded
(each doctor's likeliest line) into a roster; the best of these starts CP-SAT's choice among all
the lines found, which may go back on the dive's fixes. The read of the roster through the whole
model (solver.solve) checks it and hands it to CP-SAT as its start.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from solver.lines import FOUND, LineModels, Pair

# Seconds at most for one doctor's line at given prices: a round of Curtois 12's 60 lines takes
# 0.5–0.9 s on two threads.
PRICE_LIMIT = 0.5
# Of the phase, at most this share goes to the master's LP before the dive: Curtois 12's LP came
# within 0.3 % of its end in 30 of 60 s; on 5 and 10 the pricing and a dive together took 6 and 17 s.
PRICING_SHARE = 0.5
# The pricing stops when the LP gained less than this share of its value over the last rounds:
# the tail of column generation moves the bound little and the dive needs the time.
TAIL_ROUNDS, TAIL_GAIN = 5, 1e-3
# The dive ends by this share of the phase; the rest goes to the best choice among all the lines
# found (``_best_choice``), which took Curtois 5 from 1 146 to its optimum 1 143.
DIVE_SHARE = 0.8
WHOLE = 0.99  # a doctor whose best line holds this much of the LP's weight is fixed to it
DIVE_ROUNDS = 5  # pricing rounds at most after each fix of the dive


@dataclass
class Column:
    keys: frozenset[str]
    cost: int  # the line's wishes in model units
    var: Any  # its weight in the master (pywraplp.Variable)


class Master:
    """The master LP: each doctor's lines weighted (summing to one), every shift's cover row with
    its open places (the open-slot weight) and extra doctors (the over-staffing weight)."""

    def __init__(self, models: LineModels, doctors: list[str]):
        self.models = models
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = self.lp.Objective()
        self.cover = {}
        for key, need in models.demand.items():
            row = self.cover[key] = self.lp.Constraint(need, need)
            open_places, extra = self.lp.NumVar(0, need, ""), self.lp.NumVar(0, self.lp.infinity(), "")
            row.SetCoefficient(open_places, 1)
            row.SetCoefficient(extra, -1)
            self.objective.SetCoefficient(open_places, models.gain)
            self.objective.SetCoefficient(extra, models.cost)
        self.objective.SetMinimization()
        self.one_line = {d: self.lp.Constraint(1, 1) for d in doctors}
        self.columns: dict[str, list[Column]] = {d: [] for d in doctors}
        self.fixed: dict[str, Column] = {}
        self.duals: dict[str, float] = {}
        self.line_duals: dict[str, float] = {}

    def add(self, doctor_id: str, keys: frozenset[str], cost: int) -> bool:
        """The line as a column unless the doctor has it already (or is fixed)."""
        if doctor_id in self.fixed or any(c.keys == keys for c in self.columns[doctor_id]):
            return False
        var = self.lp.NumVar(0, 1, "")
        for key in keys:
            self.cover[key].SetCoefficient(var, 1)
        self.one_line[doctor_id].SetCoefficient(var, 1)
        self.objective.SetCoefficient(var, cost)
        self.columns[doctor_id].append(Column(keys, cost, var))
        return True

    def solve(self) -> float:
        """The LP's value (model units); its duals kept for the pricing."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:  # every doctor has a line, the cover has slack: never
            raise RuntimeError("the master LP of the lines has no optimum")
        self.duals = {key: row.dual_value() for key, row in self.cover.items()}
        self.line_duals = {d: row.dual_value() for d, row in self.one_line.items()}
        return self.objective.Value()

    def reduced_cost(self, doctor_id: str, keys: frozenset[str], cost: int) -> float:
        return cost - sum(self.duals[k] for k in keys) - self.line_duals[doctor_id]

    def likeliest(self, doctor_id: str) -> tuple[float, Column]:
        """The doctor's line the LP weighs most, and its weight."""
        return max(((c.var.solution_value(), c) for c in self.columns[doctor_id]), key=lambda p: p[0])

    def rounded(self) -> dict[str, Column]:
        """A roster from the LP: each doctor's likeliest line (a fixed doctor's own)."""
        return {d: self.fixed.get(d) or self.likeliest(d)[1] for d in self.columns}

    def cost(self, choice: dict[str, Column]) -> tuple[int, int]:
        """What a roster of these lines costs in model units (wishes, open places, extra doctors),
        and the places it leaves open."""
        cover = Counter(key for column in choice.values() for key in column.keys)
        open_places = sum(max(0, need - cover[key]) for key, need in self.models.demand.items())
        extra = sum(max(0, cover[key] - need) for key, need in self.models.demand.items())
        wishes = sum(column.cost for column in choice.values())
        return wishes + self.models.gain * open_places + self.models.cost * extra, open_places

    def fix(self, doctor_id: str, column: Column) -> None:
        for other in self.columns[doctor_id]:
            if other is not column:
                other.var.SetUb(0)
        self.fixed[doctor_id] = column


class Pricing:
    """Each doctor's best line at the master's prices, from their own model; ``workers`` lines at
    once, one CP-SAT worker each (the solves release the GIL)."""

    def __init__(self, models: LineModels, master: Master, seed: int, workers: int, watch: Any):
        self.models, self.master, self.seed, self.watch = models, master, seed, watch
        self.pool = ThreadPoolExecutor(max(1, workers))

    def line(self, doctor_id: str, price: dict[str, int], limit: float) -> tuple[frozenset[str], int] | None:
        if self.watch.cancelled or limit <= 0:
            return None
        line = self.models.at_prices(doctor_id, price.__getitem__)
        wished = self.models.line(doctor_id)[1]
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers, p.random_seed, p.max_time_in_seconds = 1, self.seed, limit
        p.linearization_level = 2  # a line under a minimum of hours needs the LP (solver.lines)
        if solver.solve(line.model) not in FOUND:
            return None
        keys = frozenset(key for (_, key), v in line.x.items() if solver.value(v))
        return keys, (wished if isinstance(wished, int) else round(solver.value(wished)))

    def round(self, doctors: Iterable[str], deadline: float, improving: bool = True) -> int:
        """One line per doctor at the master's current duals; how many joined the master (with
        ``improving``, only those with a negative reduced cost)."""
        price = {k: -round(v) for k, v in self.master.duals.items()}
        doctors = list(doctors)
        found = self.pool.map(lambda d: self.line(d, price, min(PRICE_LIMIT, deadline - time.perf_counter())), doctors)
        added = 0
        for doctor_id, line in zip(doctors, found):
            if line is not None and (not improving or self.master.reduced_cost(doctor_id, *line) < -1e-6):
                added += self.master.add(doctor_id, *line)
        return added

    def close(self) -> None:
        self.pool.shutdown()


@dataclass
class Outcome:
    pairs: set[Pair]  # (doctor, shift key) of every doctor's line
    root: float  # the master LP's value when the dive began (model units)
    rounds: int  # pricing rounds before the dive
    columns: int  # lines in the master at the end


class Incumbent:
    """The best roster of whole lines seen so far: each of the LP's roundings (every doctor's
    likeliest line) is one, so the search shows its progress long before the dive ends."""

    def __init__(self, master: Master, on_better: Callable[[int, int], None] | None):
        self.master, self.on_better = master, on_better
        self.choice: dict[str, Column] = {}
        self.value: int | None = None

    def offer(self, choice: dict[str, Column]) -> None:
        value, open_places = self.master.cost(choice)
        if self.value is None or value < self.value:
            self.choice, self.value = dict(choice), value
            if self.on_better is not None:
                self.on_better(value, open_places)


def price_and_dive(models: LineModels, limit: float, seed: int, watch: Any, workers: int = 1,
                   on_better: Callable[[int, int], None] | None = None) -> Outcome | None:
    """One line per doctor, chosen by column generation and a dive within ``limit`` seconds; None
    when a doctor has no line (or the search is cancelled). ``on_better`` hears of each better
    roster of lines: its objective (model units) and the places it leaves open."""
    started = time.perf_counter()
    deadline = started + limit
    doctors = [d for d in models.ctx.by_doctor if models.ctx.by_doctor[d]]
    master = Master(models, doctors)
    pricing = Pricing(models, master, seed, workers, watch)
    best = Incumbent(master, on_better)

    def solve() -> float:
        value = master.solve()
        best.offer(master.rounded())
        return value

    try:
        for doctor_id in doctors:  # built one by one: the builder is not shared between threads
            models.line(doctor_id)
        # the first lines: every place wanted, so each doctor's line is as full as their rules allow
        master.duals = {key: models.gain for key in models.demand}
        pricing.round(doctors, deadline, improving=False)
        if any(not master.columns[d] for d in doctors):
            return None
        values: list[float] = []
        step = 0.1  # seconds a step of the dive takes: at first a pricing round's
        pricing_until, dive_until = started + PRICING_SHARE * limit, started + DIVE_SHARE * limit
        while time.perf_counter() < pricing_until and not watch.cancelled:
            round_started = time.perf_counter()
            values.append(solve())
            added = pricing.round(doctors, pricing_until)
            step = time.perf_counter() - round_started
            if not added or (len(values) > TAIL_ROUNDS
                             and values[-TAIL_ROUNDS - 1] - values[-1] < TAIL_GAIN * abs(values[-1])):
                break
        root = solve()
        rounds = len(values)
        while len(master.fixed) < len(doctors):
            step_started = time.perf_counter()
            if watch.cancelled:
                return None
            free = [d for d in doctors if d not in master.fixed]
            likeliest = sorted(((*master.likeliest(d), d) for d in free), key=lambda t: -t[0])
            chosen = [t for t in likeliest if t[0] >= WHOLE]
            if not chosen:
                steps_left = max(1, int((dive_until - time.perf_counter()) / max(step, 1e-3)))
                chosen = likeliest[:math.ceil(len(free) / steps_left)]
            for _, column, doctor_id in chosen:
                master.fix(doctor_id, column)
            free = [d for d in doctors if d not in master.fixed]
            for _ in range(DIVE_ROUNDS):
                solve()
                if not free or time.perf_counter() >= dive_until or not pricing.round(free, dive_until):
                    break
            else:
                solve()
            step = time.perf_counter() - step_started
        best.offer(_best_choice(models, master, best.choice, deadline, seed, workers, watch))
        pairs = {(d, key) for d, column in best.choice.items() for key in column.keys}
        return Outcome(pairs, root, rounds, sum(map(len, master.columns.values())))
    finally:
        pricing.close()


def _best_choice(models: LineModels, master: Master, start: dict[str, Column], deadline: float, seed: int,
                 workers: int, watch: Any) -> dict[str, Column]:
    """The best choice of one line per doctor among all the lines the master holds, by CP-SAT
    from ``start`` (the best roster of lines so far), until ``deadline``: the dive fixes lines one
    after another and cannot go back on them (price-and-branch's last step)."""
    model = cp_model.CpModel()
    chosen: dict[str, list[tuple[Any, Column]]] = {}
    by_key: dict[str, list[Any]] = {key: [] for key in models.demand}
    costs = []
    for doctor_id, columns in master.columns.items():
        chosen[doctor_id] = [(model.new_bool_var(""), c) for c in columns]
        model.add_exactly_one(v for v, _ in chosen[doctor_id])
        for v, column in chosen[doctor_id]:
            model.add_hint(v, column is start[doctor_id])
            costs.append(column.cost * v)
            for key in column.keys:
                by_key[key].append(v)
    for key, need in models.demand.items():
        open_places, extra = model.new_int_var(0, need, ""), model.new_int_var(0, len(by_key[key]), "")
        model.add(sum(by_key[key]) + open_places - extra == need)
        costs += [models.gain * open_places, models.cost * extra]
    model.minimize(sum(costs))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers, p.random_seed = max(1, workers), seed
    p.max_time_in_seconds = max(0.0, deadline - time.perf_counter())
    p.linearization_level = 2
    watch.solver = solver
    if watch.cancelled or solver.solve(model) not in FOUND:
        return start
    return {d: next(c for v, c in options if solver.value(v)) for d, options in chosen.items()}
