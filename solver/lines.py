"""A first roster built one doctor's line at a time, for rules the greedy (solver.warmstart) does
not build for: a minimum of hours with minimum runs of work and of days off over a long period.

Where the doctors share only soft rules (open places and over-staffing are priced, not forbidden),
the hard rules fall apart into one small problem per doctor. A whole year of such lines is out of
reach for a search without the LP, and even with it for the whole model (Curtois & Qu instance
20: none in 60 s either way), but one line with the LP takes about a second (benchmarks/README.md,
section 7). Each line is the doctor's own hard rules (the same families, on a scenario holding only
that doctor) with the doctor's wishes and a cover objective: a needed place still open gains, a
place already full costs. The lines together are then read through the whole model (solver.solve),
which checks the rules between doctors; when a line is not found in the time given there is no
roster from here. Built one after another, the lines fill the cover in the doctors' order; sweeps
then re-solve each line against all the others (``sweep_lines``), a neighbourhood of one whole
staff line that the LP solves where a search over the whole model finds nothing.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Any

from ortools.sat.python import cp_model

from roster.models import Scenario
from solver.builder import build_model
from solver.context import OBJ_SCALE, ModelContext, held_at_hint
from solver.objective import weighted_terms
from solver.wishes import wishes

Pair = tuple[str, str]  # (doctor id, shift key)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
# Of a line's even share of the time left, the part its cover may be optimised for; the rest is
# kept for the lines whose first solution comes late. Curtois 22 (50 staff, a year, 400 s, two
# workers): with the whole share most lines took all of it and the last line had too little.
OPTIMISE_SHARE = 0.5
# Seconds at most a line's cover is optimised for, built or swept: on Curtois 20 the lines built
# with half their share each took 80 of 100 s and gave 25 780; sweeps of lines of 2 s each took it
# to 9 022 in 104 s more (benchmarks/README.md, section 7).
LINE_LIMIT = 2.0
# A sweep after the first ends the sweeps once its last lines (``FADE_WINDOW`` of the staff, at
# least ``FADE_LINES``) gained at less than this share of the first sweep's rate a second: the
# neighbourhood search after them gains more. Curtois 22: the second sweep gained 34–45 a second
# against the first's ~320, the neighbourhood search after it ~350; Curtois 20: the third 15
# against the first's 266, the search after it 19 (benchmarks/README.md, section 7, "Sweeps that
# fade").
FADE = 0.1
FADE_WINDOW, FADE_LINES = 0.2, 5
# The objective's terms a line's own objective prices as the whole model does (``LineModels.priced``):
# where the objective has no other, a line so much better makes the roster so much better.
LINE_TERMS = frozenset({"open_slot", "surplus", "wish"})


def one_doctor(scenario: Scenario, doctor_id: str) -> Scenario:
    """The scenario with this doctor alone (and only their absences, wishes, pins, history…)."""
    update: dict[str, Any] = {"doctors": [d for d in scenario.doctors if d.id == doctor_id]}
    for name, value in scenario:
        if isinstance(value, list) and value and hasattr(value[0], "doctor"):
            update[name] = [item for item in value if item.doctor == doctor_id]
    return scenario.model_copy(update=update)


class LineModels:
    """One model per doctor, built once: their own hard rules and their wishes. Its objective is
    set for each solve from the cover the other doctors' lines give: a needed place still open
    gains the open-slot weight, a place already full costs the over-staffing weight. Where the
    doctors share only soft rules (the Curtois & Qu instances) that is the whole model's
    objective seen from one line, so a better line is a better roster; ``exact`` says whether the
    whole objective is thus seen (it has no term but ``LINE_TERMS``)."""

    def __init__(self, ctx: ModelContext):
        self.ctx = ctx
        self.demand = {s.key: s.demand_min for s in ctx.shifts}
        self.gain, self.cost = OBJ_SCALE * ctx.weight("open_slot"), OBJ_SCALE * ctx.weight("surplus")
        self.built: dict[str, tuple[ModelContext, cp_model.LinearExprT]] = {}
        self.exact = set(weighted_terms(ctx)) <= LINE_TERMS

    def open_places(self, cover: Counter[str]) -> int:
        """Places still open under this cover (doctors per shift)."""
        return sum(max(0, need - cover[key]) for key, need in self.demand.items())

    def priced(self, doctor_id: str, cover: Counter[str]) -> ModelContext:
        """The doctor's model, its objective their line's given ``cover`` (the others' doctors per
        shift), without hints."""
        return self.at_prices(doctor_id, lambda key: -self.gain if cover[key] < self.demand[key] else self.cost)

    def at_prices(self, doctor_id: str, price: Callable[[str], int]) -> ModelContext:
        """The doctor's model, its objective their wishes plus ``price(shift key)`` for each shift
        they take, without hints."""
        line, wished = self.line(doctor_id)
        coeffs = [price(key) for _, key in line.x]
        line.model.minimize(cp_model.LinearExpr.weighted_sum(list(line.x.values()), coeffs) + wished)
        line.model.clear_hints()
        return line

    def line(self, doctor_id: str) -> tuple[ModelContext, cp_model.LinearExprT]:
        """The doctor's model (built on first use) and what their wishes cost in it."""
        if doctor_id not in self.built:
            line = build_model(one_doctor(self.ctx.scenario, doctor_id), hard_only=True, index=self.ctx.index)
            self.built[doctor_id] = line, sum(self.ctx.weight(p.weight) * p.expr for p in wishes(line))
        return self.built[doctor_id]


def _solver(seed: int, workers: int, watch: Any) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    p = solver.parameters
    # Two workers found the hard lines of Curtois 22 (a year) 1.1–4× as fast as one: 3.8 against
    # 8.3 s, 0.8 against 3.0 s, 1.4 against 1.6 s (benchmarks/README.md, section 7).
    p.num_workers = workers
    p.random_seed = seed
    p.linearization_level = 2  # the LP is what finds a line under a minimum of hours (module docstring)
    watch.solver = solver
    return solver


class _FirstAfter(cp_model.CpSolverSolutionCallback):
    """Ends a line's search at ``seconds`` when it has a line, else at its first line after that.
    One search, not a second from scratch for the first line: Curtois 22's hard lines took 2 s
    more each that way (benchmarks/README.md, section 7, "Sweeps that fade": "A line found in one
    search")."""

    def __init__(self, solver: cp_model.CpSolver, seconds: float):
        super().__init__()
        self.solver = solver
        self.found = self.late = False
        self.timer = threading.Timer(max(0.0, seconds), self._time_up)

    def _time_up(self) -> None:
        self.late = True
        if self.found:
            self.solver.stop_search()

    def on_solution_callback(self) -> None:
        self.found = True
        if self.late:
            self.stop_search()


def _line(models: LineModels, doctor_id: str, cover: Counter[str], limit: float, left: float, seed: int,
          watch: Any, workers: int) -> set[Pair] | None:
    """The doctor's line that keeps their hard rules and fills the most needed places, searched
    for ``limit`` seconds; when that found none, the first line found in what is ``left``."""
    started = time.perf_counter()
    line = models.priced(doctor_id, cover)
    solver = _solver(seed, workers, watch)
    solver.parameters.relative_gap_limit = 0.02  # near the line's best cover is enough: the whole roster is optimised next
    solver.parameters.max_time_in_seconds = max(0.0, left - (time.perf_counter() - started))
    enough = _FirstAfter(solver, limit - (time.perf_counter() - started))
    enough.timer.start()
    try:
        status = solver.solve(line.model, enough)
    finally:
        enough.timer.cancel()
    if status in FOUND:
        return {pair for pair, v in line.x.items() if solver.value(v)}
    return None


def line_by_line(ctx: ModelContext, limit: float, seed: int, watch: Any, workers: int = 1,
                 models: LineModels | None = None) -> set[Pair] | None:
    """(doctor, shift key) pairs of every doctor's line, or None when a line cannot exist, is not
    found within ``limit`` seconds, or ``watch`` (solver.solve's canceller) is cancelled. Each line
    is optimised for half its share of the time left (at most ``LINE_LIMIT``); one that needs
    longer for a first line may take from the lines after it."""
    deadline = time.perf_counter() + limit
    models = models or LineModels(ctx)
    cover: Counter[str] = Counter()
    chosen: set[Pair] = set()
    doctors = [d for d in ctx.by_doctor if ctx.by_doctor[d]]
    for i, doctor_id in enumerate(doctors):
        left = deadline - time.perf_counter()
        if left <= 0 or watch.cancelled:
            return None
        share = min(LINE_LIMIT, OPTIMISE_SHARE * left / (len(doctors) - i))
        line = _line(models, doctor_id, cover, share, left, seed, watch, workers)
        if line is None:
            return None
        chosen |= line
        cover.update(key for _, key in line)
    return chosen


def sweep_lines(ctx: ModelContext, chosen: set[Pair], deadline: float, seed: int, watch: Any, workers: int = 1,
                models: LineModels | None = None,
                on_better: Callable[[int, int], None] | None = None, fade: bool = False) -> tuple[set[Pair], int]:
    """The roster improved one whole line at a time: each doctor in turn (a shuffled order per
    sweep) gets the best line against everyone else's, kept only when it is better; sweeps go on
    until the ``deadline``, a sweep changes nothing, or, with ``fade``, the sweeps fade
    (``Fading``: measured against the neighbourhood search that follows them in ``lines+lns``).
    The lines built one after another fill the cover in the doctors' order (Curtois 20–23 ended
    2.5–4.5 × the optimum); a line re-solved against all the others repairs that. Returns the
    pairs and how many lines were changed. ``on_better`` hears of each better line as it is kept
    (the sweeps of a year took minutes): how much better it is in model units, and the places
    then open."""
    models = models or LineModels(ctx)
    rng = random.Random(seed)
    lines: dict[str, set[Pair]] = {d: set() for d in ctx.by_doctor if ctx.by_doctor[d]}
    for pair in chosen:
        lines[pair[0]].add(pair)
    cover = Counter(key for _, key in chosen)
    order = list(lines)
    changed = 0
    fading = Fading(len(order))
    while True:
        rng.shuffle(order)
        before = changed
        for doctor_id in order:
            started = time.perf_counter()
            left = deadline - started
            if left <= 0 or watch.cancelled or (fade and fading.faded()):
                return set().union(*lines.values()), changed
            mine = lines[doctor_id]
            cover.subtract(key for _, key in mine)
            better = _better_line(models, doctor_id, mine, cover, min(LINE_LIMIT, left), seed, watch, workers)
            gain = 0
            if better is not None:
                mine, gain = better
                lines[doctor_id], changed = mine, changed + 1
            cover.update(key for _, key in mine)
            fading.line(time.perf_counter() - started, gain)
            if better is not None and on_better is not None:
                on_better(gain, models.open_places(cover))
        fading.sweep_done()
        if changed == before:
            return set().union(*lines.values()), changed


class Fading:
    """Whether the sweeps have faded: after the first sweep, the last lines solved gained less a
    second than ``FADE`` of what the first sweep gained a second. A second sweep changes fewer
    lines by less, and it takes most of a minute on a year-long roster to find that out sweep by
    sweep; the lines solved last tell within a few."""

    def __init__(self, doctors: int):
        self.recent: deque[tuple[float, int]] = deque(maxlen=max(FADE_LINES, round(FADE_WINDOW * doctors)))
        self.seconds = self.gained = 0.0
        self.first_rate: float | None = None

    def line(self, seconds: float, gain: int) -> None:
        self.recent.append((seconds, gain))
        if self.first_rate is None:
            self.seconds += seconds
            self.gained += gain

    def sweep_done(self) -> None:
        if self.first_rate is None:
            self.first_rate = self.gained / max(self.seconds, 1e-9)
            self.recent.clear()

    def faded(self) -> bool:
        if self.first_rate is None or len(self.recent) < (self.recent.maxlen or 0):
            return False
        seconds = sum(s for s, _ in self.recent)
        return sum(g for _, g in self.recent) < FADE * self.first_rate * seconds


def _better_line(models: LineModels, doctor_id: str, mine: set[Pair], cover: Counter[str], limit: float, seed: int,
                 watch: Any, workers: int) -> tuple[set[Pair], int] | None:
    """A line better than ``mine`` against ``cover`` found within ``limit`` seconds and how much
    better it is (model units), or None."""
    line = models.priced(doctor_id, cover)
    solver = _solver(seed, workers, watch)
    solver.parameters.max_time_in_seconds = limit
    with held_at_hint(line.model, line.hint_pairs(mine)) as held:  # the line as it stands, its wishes at best
        if not held or solver.solve(line.model) not in FOUND:
            return None
    now = round(solver.objective_value)
    solver.parameters.max_time_in_seconds = max(0.0, limit - solver.wall_time)  # from ``mine``, hinted again
    if solver.solve(line.model) not in FOUND or round(solver.objective_value) >= now:
        return None
    return {pair for pair, v in line.x.items() if solver.value(v)}, now - round(solver.objective_value)
