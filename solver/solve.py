"""Solve a scenario: build, find a first roster fast, optimise with progress and cancellation,
extract the roster.

Two phases. CP-SAT's LP-guided search is what proves a good bound, but on a month of Bergen it
can take long to find any roster at all; a feasibility-only pass without the LP finds one in
seconds, and it becomes a complete warm start (and the first progress event) for the
optimisation.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

import roster
from roster.candidates import Pools, place_reasons
from roster.check import check_roster
from roster.models import Assignment, LevelStats, ProgressEvent, Roster, Scenario, SolveStats, SolveStatus
from roster.terms import OPEN_PLACES, TERM_NAMES, number
from solver.budget import Budget, HandOver, cp_sat_lag
from solver.builder import OutOfTime, build_model
from solver.collector import collector_paused, model_spared
from solver.columns import price_and_dive
from solver.context import OBJ_SCALE, Baseline, ModelContext, held_at_hint, hint_all, roster_pairs
from solver.fairness import FAIRNESS_TERM, hold_levels
from solver.lines import LineModels, line_by_line, sweep_lines
from solver.lns import improve, objective_of
from solver.moves import improve_lines, pool_levels
from solver.objective import minimise
from solver.solution import STATUS, extract_roster, gap, solve_stats
from solver.warmstart import greedy_assignment

FIRST_PHASE_SHARE = 0.5  # at most this share of the time limit goes to finding a first roster
LINES_PHASE_SHARE = 0.9  # … when it is built line by line (Search.first_lines): only the lines find one there
LINES_SHARE = 0.9  # of that phase, at most this share goes to building the lines
# Of the time the first roster leaves, at most this share goes to sweeping its lines, the rest to
# the neighbourhood search: at 0.9 the sweeps of Curtois 22 and 23 (a year) took it all and ended
# at 3.6 and 5.1 × the optimum, at 0.5 1.73 and 3.47 × (benchmarks/README.md, section 7)
SWEEP_SHARE = 0.5
# At most this share of the time goes to choosing the first roster among whole lines
# (Search.columns); what it leaves goes to CP-SAT from that roster. Of its share, this much is
# kept for the roster's read through the whole model.
COLUMNS_SHARE, COLUMNS_READ_SHARE = 0.8, 0.1
HINT_SHARE = 0.2  # at most this share goes to completing the caller's hint as it stands
COMPLETE_FIRST_SHARE = 0.5  # of that, at most this share goes to looking for a roster with no open slot
TRIVIAL_BOUND = 0.0  # every objective term is non-negative, so 0 bounds any roster from below
NEAR_SHARE = 0.5  # a re-plan's share of the time with only the dates near the change free
# Kept back from the neighbourhood search for reading its roster back: this many slowest reads so
# far, at most this share of its time (a tenth of Curtois 20's 435 s was 43 s kept for a 1-s read)
RECHECK_READS, RECHECK_SHARE = 3, 0.1
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
LEVEL_SHARES = (0.3, 0.6)  # of the time left when a level starts, for each level but the last (it gets the rest)
FILL_SHARE = 0.15  # at most this share of the time left, for filling open places one free doctor at a time
LAST_READ_RESERVE = 1.5  # × the slowest read so far (at most half the levels' time): kept for the last level's read
READ_MARGIN = 1.1  # × the slowest read so far: a level's time stretched to this for its read (a read needs it all)
# Kept back from the searches for the unfilled places' reasons (a check per place), which stop at
# the caller's limit: this share of it, at most this many seconds. The Bergen month's take well
# under a second; Curtois 20's hundreds of soft-cover places took ~9 s.
EXPLAIN_SHARE, EXPLAIN_MOST = 0.02, 1.0
# Freeing the solve's model when solve() returns (its proto and Python objects) takes ~5 % of its
# build: 4.3–5.6 % from Curtois 12 to 24 and on the Bergen month, 0.75 s after 24's 13.4-s build
# (2 cores, 6 December 2026), which put 24's ten-minute solves 1.1–1.9 s past the limit. This
# share of the build is kept back from the searches and the reasons, so the return ends by it.
FREE_SHARE = 0.08
# The flow relaxation's bound on the fairness level (solver.fairness_bound): at most this share
# of the level's time, and this many seconds. The Bergen month's takes 1.4–2.4 s on 2 cores, and
# ~0.7 s more per count of extra doctors asked about (solver.fairness.add_extras_cuts); at 0.1 of
# the level the counts were never reached, and CP-SAT after the line moves seldom improves the roster.
RELAXATION_SHARE, RELAXATION_LIMIT = 0.3, 5.0
REREAD_LIMIT = 10.0  # seconds at most to read a roster back through the model (well under one on the Bergen month)


@dataclass(frozen=True)
class Search:
    """How CP-SAT searches, not what it solves: the model is the same either way.

    ``subsolvers`` names CP-SAT's full-problem workers for the optimisation (empty: CP-SAT's own
    portfolio for the worker count; with 2 workers it has only ``default_lp``). ``full_workers``
    sets how many workers run them (0: CP-SAT's choice, which with 2 workers is one, the other
    taking turns at neighbourhoods and local search). On the small
    Curtois & Qu instances ``max_lp`` (every constraint in the LP, more cuts) finds far better
    rosters and bounds, on the larger ones ``no_lp`` with neighbourhood search does
    (benchmarks/README.md); on the Bergen month the default is as good and its LP cheaper.
    ``lexicographic`` minimises the objective's levels in turn, each with the ones before held
    (``solver.objective.LEVELS``: the benchmark's weighted sum turns it off); ``line_moves`` gives
    that share of the fairness level's time to local search on whole doctor lines (``solver.moves``)
    before CP-SAT proves its bound. ``complete_first`` looks for a roster without open slots before one with slack (worth it
    when a complete roster exists, as in legevakt). ``first_pass`` finds a first roster without
    the LP before the optimisation (seconds instead of minutes on the Bergen month; where the LP
    finds rosters fast, as on the benchmark, it only costs time). ``light_presolve`` keeps the
    presolve to one pass (the full one took half the Bergen month's minute). ``lns_share`` gives
    the last part of the time to neighbourhood search (solver.lns), ``lns_round`` seconds each.
    ``columns`` chooses the first roster among whole doctor lines (solver.columns) where the
    doctors share only soft rules, then sweeps its lines as ``first_lines`` does: on Curtois & Qu
    1–12 it took the count at the published optimum from 6 to 8–9 of 12 (benchmarks/README.md,
    section 1).
    """

    subsolvers: tuple[str, ...] = ()
    full_workers: int = 0
    complete_first: bool = True
    first_pass: bool = True  # a feasibility pass (no LP) before the optimisation
    light_presolve: bool = True  # one presolve pass with light probing (the Bergen month's setting)
    lns_share: float = 0.0  # the last share of the time goes to neighbourhood search (solver.lns)
    lns_round: float = 5.0  # seconds per neighbourhood
    lexicographic: bool = True  # the objective's levels one by one (solver.objective.LEVELS); False: their sum
    line_moves: float = 0.7  # of the fairness level's time, local search on doctors' lines first (solver.moves)
    first_lines: bool = False  # the first roster built line by line and its lines swept (solver.lines), not the greedy
    columns: bool = False  # the first roster chosen among whole lines by column generation (solver.columns), then swept


class Progress(cp_model.CpSolverSolutionCallback):
    """Streams a ``ProgressEvent`` per improving solution (and per better bound once a solution
    exists) and stops the search when the caller's ``stop`` event is set."""

    def __init__(self, ctx: ModelContext, on_progress: Callable[[ProgressEvent], None] | None,
                 stop: threading.Event | None, started: float):
        super().__init__()
        self.ctx = ctx
        self.on_progress = on_progress
        self.stop = stop
        self.started = started
        self.solutions = 0
        self.first_feasible: float | None = None
        self.objective: float | None = None
        self.level_objective: float | None = None
        self.open_slots = 0
        self.level = 0  # the level being solved (0: the whole objective)
        self._lock = threading.Lock()

    def record(self, objective: float, open_slots: int, bound: float, level_objective: float | None = None) -> None:
        """A roster: its whole objective, and (in a lexicographic solve) the level's value, whose
        bound ``bound`` is."""
        with self._lock:
            self.solutions += 1
            if self.first_feasible is None:
                self.first_feasible = time.perf_counter() - self.started
            self.objective = objective
            self.level_objective = level_objective
            self.open_slots = open_slots
            self._emit(bound)

    def start_level(self, level: int, value: float) -> None:
        """A lexicographic solve's next level, starting from a roster whose value there is ``value``."""
        with self._lock:
            self.level, self.level_objective = level, value

    def on_solution_callback(self) -> None:
        open_slots = _open_places(self.ctx, self)
        if self.level:
            # a level's search may first find rosters worse there than the one it started from: not progress
            if self.level_objective is None or self.objective_value / OBJ_SCALE <= self.level_objective:
                self.record(self.value(self.ctx.objective) / OBJ_SCALE, open_slots,
                            self.best_objective_bound / OBJ_SCALE, self.objective_value / OBJ_SCALE)
        else:
            self.record(self.objective_value / OBJ_SCALE, open_slots, self.best_objective_bound / OBJ_SCALE)
        if self.stop is not None and self.stop.is_set():
            self.stop_search()

    def on_bound(self, bound: float) -> None:
        with self._lock:
            if self.objective is not None:
                self._emit(bound / OBJ_SCALE)

    def _emit(self, bound: float) -> None:
        if self.on_progress is None or self.objective is None:
            return
        judged = self.objective if self.level_objective is None else self.level_objective
        self.on_progress(ProgressEvent(
            elapsed=time.perf_counter() - self.started,
            level=self.level,
            objective=self.objective,
            level_objective=self.level_objective,
            bound=bound,
            gap=gap(judged, bound),
            open_slots=self.open_slots,
            solutions=self.solutions,
        ))


class _Canceller:
    """Calls ``stop_search`` on the running solver as soon as the caller's event is set."""

    def __init__(self, stop: threading.Event | None):
        self.stop = stop
        self.solver: cp_model.CpSolver | None = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True) if stop is not None else None

    def _watch(self) -> None:
        assert self.stop is not None
        while not self.done.is_set():
            if self.stop.wait(0.05):
                if self.solver is not None:
                    self.solver.stop_search()
                if self.done.wait(0.05):
                    return

    def __enter__(self) -> _Canceller:
        if self.thread is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join()

    @property
    def cancelled(self) -> bool:
        return self.stop is not None and self.stop.is_set()


def _first_roster(ctx: ModelContext, limit: float, seed: int, canceller: _Canceller,
                  complete_first: bool = True, lines: LineModels | None = None, workers: int = 1,
                  read_limit: float = 0.0) -> tuple[int, cp_model.CpSolver]:
    """The greedy roster (solver.warmstart) with every assignment fixed and the other variables
    as CP-SAT first sets them (the optimisation that follows improves them): presolve removes
    nearly everything, so this takes under a second on the Bergen month and ~6 s at 1000 doctors ×
    3 months, where a search guided by the same roster found
    none in a minute. The caller's hint instead was already tried as it stands (``_hinted_roster``).

    Otherwise (the roster breaks a rule the greedy does not build for, or it has open slots while
    ``complete_first``) a search guided by the hint: no objective, no LP, light presolve, stop at
    the first roster. In default mode it looks for a complete roster first (no open slot, no hour
    without bakvakt; ~3 s on the Bergen month), as one that may leave slots open stops at a
    roster with several, which the optimisation then spends 20–30 s filling; only when none turns
    up within ``COMPLETE_FIRST_SHARE`` of the limit are open slots allowed (or the fixed roster
    taken). The model is changed in place and restored: a clone costs ~300 MB at 1000 doctors.

    With ``lines`` (the doctors' own models, solver.lines) the roster to fix is built one doctor's
    line at a time instead (minimum hours with minimum runs over a year, which the greedy does not
    build for), each line searched with the solve's ``workers``; when a line is not found the
    search above follows.

    The read of the built roster may go on past ``limit``, to ``read_limit`` seconds from the
    start (the searches' deadline): a read cut short is lost, and nothing after it has a roster to
    start from (at 2 950 doctors × 3 months the read took ~34 s, ~14 s since it narrows the domains
    itself, and a 120 s solve gave this phase 31 s and ended without a roster).
    """
    started = time.perf_counter()
    model, proto = ctx.model, ctx.model.proto
    slack = [*ctx.short.values(), *ctx.uncovered.values()]
    fallback: tuple[int, cp_model.CpSolver] | None = None
    chosen = None
    if not proto.solution_hint.vars:
        chosen = (greedy_assignment(ctx) if lines is None
                  else line_by_line(ctx, LINES_SHARE * limit, seed, canceller, workers, lines))
    if chosen is not None:
        code, solver = _fixed_pass(ctx, max(limit, read_limit) - (time.perf_counter() - started), seed,
                                   canceller, chosen, first=True)
        if canceller.cancelled or (code in FOUND and not (complete_first and any(map(solver.value, slack)))):
            return code, solver
        if code in FOUND:
            fallback = code, solver

    def left() -> float:
        return limit - (time.perf_counter() - started)

    if chosen is not None and not _time_to_read(ctx, started + limit):  # a search over the whole model would end late
        return fallback or (cp_model.UNKNOWN, solver)

    had_objective = model.has_objective()
    model.clear_objective()
    try:
        if slack and complete_first:
            domains = [proto.variables[v.index].domain for v in slack]  # [0, most that may be open]
            upper = [d[1] for d in domains]
            for d in domains:
                d[1] = 0
            try:
                code, solver = _feasibility(model, COMPLETE_FIRST_SHARE * left(), seed, canceller)
            finally:
                for d, most in zip(domains, upper):
                    d[1] = most
            if code in FOUND or canceller.cancelled:
                return code, solver
        return fallback or _feasibility(model, left(), seed, canceller)
    finally:
        if had_objective:
            minimise(model, ctx.objective)


def _hinted_roster(ctx: ModelContext, pairs: Collection[tuple[str, str]], limit: float, seed: int, canceller: _Canceller,
                   ) -> tuple[int, cp_model.CpSolver]:
    """The caller's roster as it stands, the other variables as CP-SAT first sets them (the
    optimisation that follows improves them): assignments fixed to the hint, so presolve removes
    them and this takes about a second on the Bergen month. Setting those variables to their
    best took the whole of this phase's share instead (1.5–1.6 s of a 10-s re-plan, 2 cores) and
    at times ended it with no roster at all: 5 of 9 re-plans of three published months found none
    in 10 s, against 0 of 9 now (benchmarks/README.md, section 4).

    A re-plan's hint (the published roster minus what became impossible) is usually feasible
    with open slots; the feasibility pass, guided but not bound by the hint, wanders off it, and
    the optimisation then spends its time walking back (measured on the Bergen month: a sick
    night re-planned in 10 s left 5 needless changes).
    """
    return _fixed_pass(ctx, limit, seed, canceller, pairs, first=True)


def _emptied_hint(ctx: ModelContext, pairs: set[tuple[str, str]], baseline: Baseline) -> list[tuple[str, str]] | None:
    """A re-plan's hint may break a hard rule on a shift that lost a doctor: the doctor left there
    may not work alone, or not without a more senior colleague. Read again with those shifts left
    empty (open slots, which the re-plan fills next; a doctor put back costs no change), it is a
    roster: refused at once, the usual first pass took ~3 s to the same repair. None when no
    shift lost a doctor (a hard rule is broken elsewhere: the usual first pass runs instead)."""
    lost = ctx.lost_shifts(baseline)
    emptied = [(d, k) for d, k in pairs if k not in lost]
    return emptied if len(emptied) < len(pairs) else None


def _one_worker(limit: float, seed: int, canceller: _Canceller) -> cp_model.CpSolver:
    """A stoppable solver for a quick pass: one worker, one presolve pass, no probing or symmetry."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.0, limit)
    p.num_workers = 1
    p.random_seed = seed
    p.max_presolve_iterations = 1
    p.cp_model_probing_level = 0
    p.symmetry_level = 0
    canceller.solver = solver
    return solver


def _feasibility(model: cp_model.CpModel, limit: float, seed: int, canceller: _Canceller,
                 ) -> tuple[int, cp_model.CpSolver]:
    """The first roster a quick pass without LP finds."""
    solver = _one_worker(limit, seed, canceller)
    solver.parameters.stop_after_first_solution = True
    solver.parameters.linearization_level = 0
    return solver.solve(model), solver


def _warm_start(ctx: ModelContext, solver: cp_model.CpSolver) -> None:
    """The solver's roster as the next search's first solution."""
    hint_all(ctx.model, solver.response_proto.solution)


def _optimise(ctx: ModelContext, limit: float, workers: int, seed: int, search: Search, progress: Progress,
              canceller: _Canceller, code: int, final: cp_model.CpSolver | None, optimised: bool = False,
              hand_over_at: float | None = None) -> tuple[int, cp_model.CpSolver | None, bool]:
    """The LP-guided optimisation from the warm start: (status, solver, optimised); a search that
    finds nothing better keeps the roster it started from. With ``hand_over_at``
    (``time.perf_counter``) it stops there once it has a roster (solver.budget.HandOver)."""
    solver = _optimiser(limit, workers, seed, search, progress, canceller)
    if hand_over_at is None:
        result = solver.solve(ctx.model, progress)
    else:
        before = progress.solutions
        with HandOver(solver, hand_over_at, lambda: progress.solutions > before):
            result = solver.solve(ctx.model, progress)
    if result != cp_model.UNKNOWN or code != cp_model.FEASIBLE:
        return result, solver, True
    return code, final, optimised


def _level_solve(ctx: ModelContext, limit: float, workers: int, seed: int, search: Search, progress: Progress,
                 canceller: _Canceller) -> tuple[int, cp_model.CpSolver]:
    """The LP-guided optimisation of the model's objective from the warm start: (status, solver);
    the solver's bound holds whether or not it found a better roster."""
    solver = _optimiser(limit, workers, seed, search, progress, canceller)
    started = time.perf_counter()
    try:
        return solver.solve(ctx.model, progress), solver
    except IndexError:  # OR-Tools 9.15 raises absl::btree_map::at on some hinted level models; unhinted they solve
        ctx.model.clear_hints()
        solver = _optimiser(limit - (time.perf_counter() - started), workers, seed, search, progress, canceller)
        return solver.solve(ctx.model, progress), solver


def _optimiser(limit: float, workers: int, seed: int, search: Search, progress: Progress, canceller: _Canceller,
               ) -> cp_model.CpSolver:
    """A CP-SAT solver set up for the optimisation, reporting its bound and stoppable."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.max_time_in_seconds = max(0.0, limit)
    p.num_workers = workers
    p.random_seed = seed
    # Measured on the Bergen month (2 cores, 60 s; benchmarks/README.md): the full presolve
    # spends up to half the time limit; one pass with light probing ends at a gap of
    # 20–30 % instead of ~85 %, with a better bound.
    if search.light_presolve:
        p.max_presolve_iterations = 1
        p.cp_model_probing_level = 1
    p.subsolvers.extend(search.subsolvers)
    if search.full_workers:
        p.num_full_subsolvers = min(search.full_workers, workers)
    solver.best_bound_callback = progress.on_bound
    canceller.solver = solver
    return solver


def _neighbourhood_search(ctx: ModelContext, best: cp_model.CpSolver, deadline: float, workers: int, seed: int,
                          search: Search, progress: Progress, canceller: _Canceller) -> cp_model.CpSolver:
    """Improve the optimisation's roster by neighbourhood search (solver.lns) until the deadline;
    the bound stays the optimisation's. The result is read back through one solve with every
    assignment fixed, so the roster and its figures come out of the model as usual: that solve
    gets what is left of the caller's time (``RECHECK_READS`` reads' time is kept back from the search),
    and should it not finish, the optimisation's roster stands."""
    bound = best.best_objective_bound
    left = max(0.0, deadline - time.perf_counter())
    search_until = deadline - min(RECHECK_SHARE * left, RECHECK_READS * max(ctx.read_seconds, 0.1))

    def report(values: list[int], objective: int) -> None:
        open_slots = sum(values[v.index] for v in ctx.short.values())
        if progress.level:  # the model's objective is the level's; the whole one is not at hand here
            progress.record(progress.objective or 0.0, open_slots, bound / OBJ_SCALE, objective / OBJ_SCALE)
        else:
            progress.record(objective / OBJ_SCALE, open_slots, bound / OBJ_SCALE)

    start = list(best.response_proto.solution)
    values, objective, _ = improve(ctx, start, deadline=search_until, workers=workers, seed=seed,
                                   round_limit=search.lns_round, on_improve=report, stop=canceller.stop)
    if objective >= objective_of(ctx.model, start):
        return best
    hint_all(ctx.model, values)
    code, fixed = _fixed_pass(ctx, deadline - time.perf_counter(), seed, canceller)
    return fixed if code in FOUND else best


def _by_levels(ctx: ModelContext, deadline: float, workers: int, seed: int, search: Search, progress: Progress,
               canceller: _Canceller, final: cp_model.CpSolver) -> tuple[int, cp_model.CpSolver, list[LevelStats]]:
    """Each level of the objective minimised from the best roster so far, then held at its value
    for the levels after it; a level already at 0 (its trivial bound) is held at once. Returns
    (status: optimal only when every level is, the solver of the final roster, each level's
    figures)."""
    values: list[int] = []
    bounds: list[int] = []
    unread: list[int] = []  # levels whose variables no read has set for the roster
    # the last level's read sets the last terms' variables to their best: without it the roster's
    # figures are those of its first read (a re-plan at 10 s reported a sum of deviations of
    # 12.5 M points for a roster whose own is ~4 300), so the levels before it leave it the time
    reserve = min(LAST_READ_RESERVE * ctx.read_seconds, 0.5 * max(0.0, deadline - time.perf_counter()))
    for k, (expr, names) in enumerate(zip(ctx.levels, ctx.level_names)):
        if canceller.cancelled:
            break
        last = k == len(ctx.levels) - 1
        share = 1.0 if last else LEVEL_SHARES[min(k, len(LEVEL_SHARES) - 1)]
        until = time.perf_counter() + share * max(0.0, deadline - time.perf_counter() - (0.0 if last else reserve))
        if 0 < k and not last:  # time for the read, if the reserve allows, before a share for the search
            until = max(until, min(time.perf_counter() + READ_MARGIN * ctx.read_seconds, deadline - reserve))
        minimise(ctx.model, expr)
        if k > 0:  # the same roster, its auxiliary variables at their best for this level
            before = final
            final = _reread(ctx, final, {pair for pair, v in ctx.x.items() if final.boolean_value(v)}, seed, canceller,
                            until)
            if final is before:
                unread.append(k)
        progress.start_level(k + 1, final.value(expr) / OBJ_SCALE)
        filled = bool(values) and values[0] == 0 and "open_slot" in ctx.level_names[0]
        floor = ctx.change_floor if "change" in names else 0
        final, bound = _level(ctx, expr, FAIRNESS_TERM in names, filled, final, until, workers, seed, search, progress,
                              canceller, floor)
        if "open_slot" in names and final.value(expr) > bound:
            fill_until = time.perf_counter() + FILL_SHARE * max(0.0, deadline - time.perf_counter() - reserve)
            final = _fill_open_places(ctx, final, expr, fill_until, seed, canceller, progress)
        value = final.value(expr)
        values.append(value)
        bounds.append(bound)
        ctx.model.add(expr <= value)
    minimise(ctx.model, ctx.objective)
    # each level as the final roster has it, up to the first whose read had no time: its variables
    # hold CP-SAT's first values (a 10-s re-plan reported 20.6 M points on the fairness level for a
    # roster whose own is ~56 000), and the levels after it were read without it held at its best
    first_unread = min(unread, default=len(bounds))
    ctx.unread_terms = [t for names in ctx.level_names[first_unread:len(bounds)] for t in names]
    if ctx.unread_terms:
        ctx.warnings.append(
            "Tiden rakk ikke til å regne ut tallene for denne vaktplanen for "
            f"{', '.join(TERM_NAMES[t] for t in ctx.unread_terms)}; de og målverdien vises derfor ikke. "
            "Vaktplanen følger like fullt alle harde regler; gi beregningen mer tid for å få tallene.")
    levels = [_level_stats(names, final.value(expr), bound)
              for expr, names, bound in zip(ctx.levels[:first_unread], ctx.level_names, bounds)]
    proved = len(levels) == len(ctx.levels) and all(lv.bound >= lv.objective for lv in levels)
    return (cp_model.OPTIMAL if proved else cp_model.FEASIBLE), final, levels


def _level_stats(names: list[str], value: int, bound: int) -> LevelStats:
    return LevelStats(terms=[TERM_NAMES[t] for t in names], objective=value / OBJ_SCALE,
                      bound=min(bound, value) / OBJ_SCALE, gap=gap(value / OBJ_SCALE, min(bound, value) / OBJ_SCALE))


def _level(ctx: ModelContext, expr: cp_model.LinearExprT, fairness: bool, filled: bool, final: cp_model.CpSolver,
           until: float, workers: int, seed: int, search: Search, progress: Progress, canceller: _Canceller,
           floor: int = 0) -> tuple[cp_model.CpSolver, int]:
    """One level until ``until``: (the fairness level) line moves, then each pool's level held
    with the flow relaxation's cuts (``filled``: every place is held filled); then CP-SAT, for a
    better roster and the bound. ``floor``: a bound known beforehand (a re-plan's changes); a
    roster at it ends the level at once and leaves its time to the next. Returns (solver of the
    best roster, the level's proven bound in model units)."""
    if fairness and search.line_moves > 0 and final.value(expr) > 0:
        before = final
        final = _line_moves(ctx, final, expr, time.perf_counter() + search.line_moves * (until - time.perf_counter()),
                            until, seed, canceller, progress)
        if final is not before:
            progress.record(final.value(ctx.objective) / OBJ_SCALE, _open_places(ctx, final),
                            0.0, final.value(expr) / OBJ_SCALE)
    value, bound = final.value(expr), floor
    if value <= bound or canceller.cancelled or not _time_to_read(ctx, until):
        return final, bound
    if fairness and ctx.pools:
        relaxed = hold_levels(ctx, {name: final.value(pm.level) for name, pm in ctx.pools.items()},
                              {name: final.value(pm.largest) for name, pm in ctx.pools.items()}, filled,
                              time.perf_counter() + min(RELAXATION_LIMIT, RELAXATION_SHARE * (until - time.perf_counter())))
        bound = max(bound, relaxed.level)
    _warm_start(ctx, final)
    result, solver = _level_solve(ctx, until - time.perf_counter(), workers, seed, search, progress, canceller)
    if result in FOUND and solver.value(expr) <= value:
        final = solver
    if result != cp_model.MODEL_INVALID:
        bound = max(bound, math.ceil(solver.best_objective_bound - 1e-6))
    return final, bound


def _fill_open_places(ctx: ModelContext, final: cp_model.CpSolver, expr: cp_model.LinearExprT, until: float,
                      seed: int, canceller: _Canceller, progress: Progress) -> cp_model.CpSolver:
    """The open places a free doctor could take with one more shift (``roster.candidates``: the
    checker finds nothing that shift would break for them), each tried through a read of the
    roster with it (the model judges the whole roster), one doctor after another, until a place
    is filled or ``until``. On the hard Christmas week the open-places level's search (17 s of a
    60-s solve) left 7 places open, one of them an evening three ALIS could each take: 6 was one
    shift away, and the roster said so."""
    pairs = {pair for pair, v in ctx.x.items() if final.boolean_value(v)}
    on_shift: dict[str, set[str]] = {s.key: set() for s in ctx.shifts}
    for doctor_id, key in pairs:
        on_shift[key].add(doctor_id)
    open_shifts = [s for s in ctx.shifts if len(on_shift[s.key]) < s.demand_min]
    current = Roster(scenario=ctx.scenario.name, period=ctx.scenario.period, assignments=[
        Assignment.model_construct(doctor=d, template=s.template, date=s.date)
        for s in ctx.shifts for d in on_shift[s.key]])
    before = {v.place: v for v in check_roster(ctx.scenario, current)}
    pools = Pools(ctx.eligibility)
    on_call = {s.key for s in ctx.shifts if not s.on_site}
    value = final.value(expr)
    for s in open_shifts:
        missing = s.demand_min - len(on_shift[s.key])
        reasons = place_reasons(ctx.scenario, current, pools(s), on_shift[s.key], missing, before, on_call)
        for doctor_id in sorted(d for d, why in reasons.items() if not why and (d, s.key) in ctx.x):
            if canceller.cancelled or not _time_to_read(ctx, until):
                return final
            tried = _reread(ctx, final, pairs | {(doctor_id, s.key)}, seed, canceller, until)
            if tried is not final and tried.value(expr) < value:
                final, value = tried, tried.value(expr)
                pairs.add((doctor_id, s.key))
                progress.record(final.value(ctx.objective) / OBJ_SCALE, _open_places(ctx, final), 0.0,
                                value / OBJ_SCALE)
                break
    return final


def _line_moves(ctx: ModelContext, best: cp_model.CpSolver, expr: cp_model.LinearExprT, moves_until: float,
                until: float, seed: int, canceller: _Canceller, progress: Progress) -> cp_model.CpSolver:
    """The roster improved by local search on whole doctor lines (solver.moves) until
    ``moves_until``, read back through one solve with every assignment fixed, so it comes out of
    the model as usual; the roster it started from when the level is no better that way (or the
    model refuses it). The read may take the level's time up to ``until``: held to
    ``moves_until``, a descent that ran to it had all its moves thrown away. The search's better
    levels are reported as they come, without a bound (the level's comes after it)."""
    pairs = {pair for pair, v in ctx.x.items() if best.boolean_value(v)}
    open_slots = _open_places(ctx, best)

    def report(level: float) -> None:
        progress.record(progress.objective or 0.0, open_slots, 0.0, level)

    better, _ = improve_lines(ctx, pairs, deadline=moves_until, seed=seed, stop=canceller.stop, on_improve=report)
    if better == pairs:
        return best
    fixed = _reread(ctx, best, better, seed, canceller, until, pool_levels(ctx, better))
    return fixed if fixed.value(expr) < best.value(expr) else best


def _reread(ctx: ModelContext, best: cp_model.CpSolver, pairs: set[tuple[str, str]], seed: int,
            canceller: _Canceller, until: float, levels: dict[str, int] | None = None) -> cp_model.CpSolver:
    """The roster of these assignment pairs through the model: every assignment fixed, the other
    variables at their best for the model's objective (presolve removes the assignments, so this
    takes a fraction of a second on the Bergen month); ``best`` when the model refuses it, or when
    a read would not end by ``until`` (``ModelContext.read_seconds``). The read starts from
    ``best``'s values, or, for a roster whose burden moved, from its pools' ``levels`` alone
    (``solver.moves.pool_levels``): ``best``'s targets and deviations no longer fit it, and
    CP-SAT's repair of that hint found no values in 10 s on 2 runs of 7 of the Bergen month with
    pools on levels of their own."""
    if not _time_to_read(ctx, until):
        return best
    start: Sequence[int] | dict[int, int] = best.response_proto.solution
    if levels is not None:  # another roster than ``best``'s: none of its values but the levels hold
        start = {}
        for name, value in levels.items():
            level = ctx.pools[name].level
            start[level.index] = min(max(value, level.proto.domain[0]), level.proto.domain[-1])
    code, fixed = _fixed_pass(ctx, min(REREAD_LIMIT, until - time.perf_counter()), seed, canceller, pairs,
                              start=start)
    return fixed if code in FOUND else best


def _fixed_pass(ctx: ModelContext, limit: float, seed: int, canceller: _Canceller,
                pairs: Collection[tuple[str, str]] | None = None, first: bool = False,
                start: Sequence[int] | dict[int, int] | None = None) -> tuple[int, cp_model.CpSolver]:
    """A read of a roster through the model: the assignments of ``pairs`` (None: of the hint
    already set) held (``held_at_hint``; infeasible when the model refuses them) and the other
    variables optimised, or with ``first`` taken as CP-SAT first sets them (at 2 950 doctors × 3
    months proving those values the best took 36 s, the first 25 s, with the same objective). Its
    wall time is kept as what a read costs (``ModelContext.read_seconds``).

    ``start``: a solution (every variable's value) whose values for the variables other than the
    assignments are CP-SAT's hint, so the read starts from a roster: the last level's read of a
    re-plan (spacing, sums of deviations) found none in 2.4 s from scratch on the Bergen month. As a
    dict (variable index → value), only those variables are hinted besides the assignments."""
    started = time.perf_counter()
    booleans = None if pairs is None else ctx.hint_pairs(pairs)
    solver = _one_worker(limit - (time.perf_counter() - started), seed, canceller)
    solver.parameters.stop_after_first_solution = first
    if first:
        # no cuts for values that need no proof: at 2 950 doctors × 3 months the LP's cuts held the
        # first values back 9.4–11.4 s against 7.0 without, same objective; a read to the best
        # values (not ``first``) is 5 times slower without them (benchmarks/README.md, section 7)
        solver.parameters.cut_level = 0
    try:
        with held_at_hint(ctx.model, booleans) as held:
            if not held:
                return cp_model.INFEASIBLE, solver
            if start is None:
                return solver.solve(ctx.model), solver
            if isinstance(start, dict):
                others, values = list(start), list(start.values())
            else:
                assignments = ctx.assignment_indices
                others = [i for i in range(len(start)) if i not in assignments]
                values = [start[i] for i in others]
            ctx.model.proto.solution_hint.vars.extend(others)
            ctx.model.proto.solution_hint.values.extend(values)
            try:
                return solver.solve(ctx.model), solver
            finally:
                ctx.model.clear_hints()  # so held_at_hint gives the caller's hint back
    finally:
        ctx.read_seconds = max(ctx.read_seconds, time.perf_counter() - started)


def _swept(ctx: ModelContext, lines: LineModels, first: cp_model.CpSolver, limit: float, workers: int, seed: int,
           canceller: _Canceller, progress: Progress, fade: bool) -> cp_model.CpSolver:
    """The first roster with its lines swept (solver.lines.sweep_lines), read back through the
    model and set as the next search's start when it is better; the sweep ends early enough for
    that read (twice the slowest read so far), or once the sweeps fade when ``fade`` (a
    neighbourhood search follows: on Curtois 12, where CP-SAT's max_lp follows, faded sweeps
    ended at a median of 4 975 against 4 759 over three seeds; benchmarks/README.md, section 7).

    Where a line's objective is the whole one seen from that line (``LineModels.exact``), each
    better line is reported as it is kept: the first roster's objective less what the lines
    gained. That is never below the swept roster's own (the first read set the variables other
    than the assignments as CP-SAT first found them, not at their best), which its read then
    reports; should the read not keep it, the first roster is reported again."""
    started = time.perf_counter()
    pairs = {pair for pair, v in ctx.x.items() if first.value(v)}
    reserve = 2 * max(ctx.read_seconds, 0.1)
    before = objective = first.value(ctx.objective)  # not ``objective_value``: see solver.lns.objective_of

    def report(gain: int, open_places: int) -> None:
        nonlocal objective
        objective -= gain
        progress.record(objective / OBJ_SCALE, open_places, TRIVIAL_BOUND)

    swept, changed = sweep_lines(ctx, pairs, started + limit - reserve, seed, canceller, workers, lines,
                                 report if lines.exact else None, fade=fade)
    if not changed:
        return first
    code, read = _fixed_pass(ctx, limit - (time.perf_counter() - started), seed, canceller, swept)
    if code not in FOUND or read.objective_value >= before:
        if lines.exact:
            progress.record(before / OBJ_SCALE, _open_places(ctx, first), TRIVIAL_BOUND)
        return first
    progress.record(read.objective_value / OBJ_SCALE, _open_places(ctx, read), TRIVIAL_BOUND)
    _warm_start(ctx, read)
    return read


def _columns_roster(ctx: ModelContext, models: LineModels, limit: float, workers: int, seed: int,
                    canceller: _Canceller, progress: Progress) -> tuple[int, cp_model.CpSolver | None]:
    """The roster of whole lines that column generation and its dive choose (solver.columns), read
    through the whole model, which checks the rules between doctors. Only where a line's
    objective is the whole one seen from that line (``LineModels.exact``): otherwise the lines'
    prices would miss terms of the roster's cost. Each better roster of lines is reported as it
    is found (the whole phase takes most of a minute on Curtois 12). (UNKNOWN, None) when there is
    no such roster."""
    started = time.perf_counter()
    if not models.exact:
        return cp_model.UNKNOWN, None
    outcome = price_and_dive(models, (1 - COLUMNS_READ_SHARE) * limit, seed, canceller, workers,
                             lambda value, open_places: progress.record(value / OBJ_SCALE, open_places, TRIVIAL_BOUND))
    if outcome is None:
        return cp_model.UNKNOWN, None
    code, read = _fixed_pass(ctx, limit - (time.perf_counter() - started), seed, canceller, outcome.pairs)
    # refused by a rule between doctors (e.g. a doctor who may not work alone): no roster from
    # here, but the model may well have one
    return (code, read) if code in FOUND else (cp_model.UNKNOWN, None)


def _open_places(ctx: ModelContext, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> int:
    """Places the roster of a solver (or of a solution it is reporting) leaves open, as its progress
    events report them."""
    return sum(solver.value(v) for v in ctx.short.values())


def _time_to_read(ctx: ModelContext, until: float) -> bool:
    """Whether a CP-SAT pass over the whole model started now can end by ``until``: no pass is
    shorter than a read of a roster (at 2 950 doctors × 3 months one started late ran 16 s past
    the caller's limit)."""
    return until - time.perf_counter() >= max(0.1, ctx.read_seconds)


def _start(ctx: ModelContext, hint: Roster | None, search: Search, budget: Budget, workers: int, seed: int,
           canceller: _Canceller, progress: Progress, baseline: Baseline | None = None,
           lines: LineModels | None = None) -> tuple[int, cp_model.CpSolver | None]:
    """The first roster (from the hint, else a first pass without the LP, or ``lines`` with
    ``Search.first_lines``), recorded and set as the optimisation's warm start: (status, its solver)."""
    code, first = cp_model.UNKNOWN, None
    if hint is not None and budget.left() > 0:
        pairs = roster_pairs(hint)
        with budget.phase("hint", budget.share(HINT_SHARE)) as seconds:
            code, first = _hinted_roster(ctx, pairs, seconds, seed, canceller)
        emptied = None
        if code == cp_model.INFEASIBLE and baseline is not None and not canceller.cancelled:
            emptied = _emptied_hint(ctx, pairs, baseline)
        if emptied is not None:
            # it stands in for the first pass, so it has that pass's time: read in what the hint's
            # share left (0.7–0.9 s of a 10-s re-plan where a read of the Bergen month takes
            # 1.0–1.2 s) it ran out, and so did the first pass after it: one sick night of a
            # published month got no roster in 7 of 9 runs (12 of 12 repaired since;
            # benchmarks/README.md, section 4)
            with budget.phase("hint, lost shifts emptied", budget.share(FIRST_PHASE_SHARE)) as seconds:
                code, first = _hinted_roster(ctx, emptied, seconds, seed, canceller)
    if search.columns and lines is not None and hint is None and not canceller.cancelled and budget.left() > 0:
        with budget.phase("lines by columns", budget.share(COLUMNS_SHARE)) as seconds:
            code, first = _columns_roster(ctx, lines, seconds, workers, seed, canceller, progress)
    if (hint is not None or search.first_pass) and code not in FOUND and not canceller.cancelled and budget.left() > 0:
        share = LINES_PHASE_SHARE if search.first_lines else FIRST_PHASE_SHARE
        with budget.phase("first roster", budget.share(share)) as seconds:
            code, first = _first_roster(ctx, seconds, seed, canceller, search.complete_first,
                                        lines if search.first_lines else None, workers, read_limit=budget.left())
    if first is not None and code in FOUND:
        open_slots = _open_places(ctx, first)
        progress.record(first.value(ctx.objective) / OBJ_SCALE, open_slots, TRIVIAL_BOUND)
        _warm_start(ctx, first)
        code = cp_model.FEASIBLE
    return code, first


def solve(
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    workers: int | None = None,
    seed: int = 0,
    strict: bool = False,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    hint: Roster | None = None,
    stop: threading.Event | None = None,
    baseline: Baseline | None = None,
    search: Search = Search(),
) -> Roster:
    """The best roster found within `time_limit` seconds, the model's build and its freeing at the
    return included (solver.budget).
    Never raises on infeasibility: the roster then has `stats.status` set, no assignments, and the
    reasons known in `warnings`. `baseline` is for re-planning (solver.replan): changes to a
    published roster cost."""
    budget = Budget(time_limit)
    workers = workers or os.cpu_count() or 1
    figures = {"seed": seed, "workers": workers, "time_limit": time_limit, "strict": strict}
    with model_spared() as spare:  # the model lives as long as this solve (solver.collector)
        with collector_paused():
            try:
                ctx = build_model(scenario, strict=strict, baseline=baseline, deadline=budget.deadline)
            except OutOfTime:
                return _out_of_time(scenario, budget, figures)
            spare()
        figures["build_time"] = budget.elapsed()
        freeing = FREE_SHARE * figures["build_time"]
        budget.keep_back(cp_sat_lag(len(ctx.model.proto.constraints)) + min(EXPLAIN_SHARE * time_limit, EXPLAIN_MOST)
                         + freeing)
        if ctx.infeasible:
            stats = solve_stats(ctx, None, SolveStatus.INFEASIBLE, wall_time=figures["build_time"], **figures)
            return extract_roster(ctx, None, stats)
        progress = Progress(ctx, on_progress, stop, budget.started)
        with _Canceller(stop) as canceller:
            code, final, optimised, bound, levels = _phases(ctx, budget, workers, seed, search, hint, baseline,
                                                            progress, canceller)
        status = STATUS[code]
        if status == SolveStatus.INFEASIBLE and not ctx.warnings:
            ctx.warnings.append(
                "Ingen vaktplan oppfyller alle harde regler."
                + (f" Prøv uten streng modus, så vises {OPEN_PLACES}." if strict else "")
            )
        stats = solve_stats(
            ctx, final, status,
            optimised=optimised,
            bound=bound,
            levels=levels,
            wall_time=budget.elapsed(),
            first_feasible_time=progress.first_feasible,
            phases=budget.phases,
            kept_back=budget.kept,
            **figures,
        )
        return extract_roster(ctx, final, stats, budget.end - freeing)


def _out_of_time(scenario: Scenario, budget: Budget, figures: dict) -> Roster:
    """No roster: the time limit ran out while the model was being built."""
    elapsed = budget.elapsed()
    stats = SolveStats(status=SolveStatus.UNKNOWN, program_version=roster.__version__, wall_time=elapsed,
                       build_time=elapsed, **figures)
    warning = (f"Tidsgrensen på {number(budget.limit)} sekunder gikk ut mens modellen ble bygget, "
               "før noen vaktplan ble søkt etter. Gi beregningen mer tid.")
    return Roster(scenario=scenario.name, period=scenario.period, stats=stats, warnings=[warning])


def _phases(ctx: ModelContext, budget: Budget, workers: int, seed: int, search: Search, hint: Roster | None,
            baseline: Baseline | None, progress: Progress, canceller: _Canceller,
            ) -> tuple[int, cp_model.CpSolver | None, bool, float | None, list[LevelStats]]:
    """The search phases in order, each given a share of what the ones before it left: (status,
    solver holding the roster, optimised, bound of a neighbourhood search's roster, levels)."""
    near = baseline is not None and baseline.free is not None
    if near:
        ctx.hold_far(baseline)
    # built as needed, kept for the sweeps
    lines = LineModels(ctx) if search.first_lines or search.columns else None
    code, final = _start(ctx, hint, search, budget, workers, seed, canceller, progress, baseline, lines)
    optimised = False
    by_levels = search.lexicographic and bool(ctx.levels)

    def going() -> bool:
        return code != cp_model.INFEASIBLE and not canceller.cancelled and budget.left() > 0

    if lines is not None and code == cp_model.FEASIBLE and final is not None and going():
        with budget.phase("lines swept", budget.share(SWEEP_SHARE)) as seconds:
            final = _swept(ctx, lines, final, seconds, workers, seed, canceller, progress,
                           fade=search.lns_share > 0 and not by_levels)
    lines = None  # the doctors' models, a year each on Curtois 22–24, are not held through the searches after
    lns_time = 0.0 if by_levels else search.lns_share * budget.left()
    if near:
        # near the change first: most of the model is held, so the repair comes in seconds
        if by_levels:
            minimise(ctx.model, ctx.levels[0])
        if going():
            with budget.phase("near the change", budget.share(NEAR_SHARE)) as seconds:
                code, final, optimised = _optimise(ctx, seconds, workers, seed, search, progress,
                                                   canceller, code, final)
        ctx.release()
        if final is not None and code in FOUND:
            _warm_start(ctx, final)
            code, optimised = cp_model.FEASIBLE, False  # the near bound does not hold for every date
        else:
            code = cp_model.UNKNOWN
        if by_levels:
            minimise(ctx.model, ctx.objective)
    if going() and (code != cp_model.FEASIBLE or (not by_levels and budget.left() > lns_time)):
        # with no roster yet the search goes on until the limit: what follows needs one to start from
        roster_held = code == cp_model.FEASIBLE
        seconds = budget.share(1.0, keep=lns_time) if roster_held else budget.left()
        hand_over = None
        if not roster_held and (by_levels or lns_time > 0):
            hand_over = budget.deadline - lns_time if not by_levels else time.perf_counter()
        with budget.phase("optimise", seconds) as seconds:
            code, final, optimised = _optimise(ctx, seconds, workers, seed, search, progress,
                                               canceller, code, final, optimised, hand_over)
        if by_levels and code == cp_model.FEASIBLE and final is not None:
            _warm_start(ctx, final)
    bound, levels = None, []
    if by_levels and code == cp_model.FEASIBLE and final is not None and going():
        with budget.phase("levels", budget.left()):
            code, final, levels = _by_levels(ctx, budget.deadline, workers, seed, search, progress, canceller, final)
        optimised = True
    elif search.lns_share > 0 and not by_levels and code == cp_model.FEASIBLE and final is not None and going():
        bound = final.best_objective_bound if optimised else TRIVIAL_BOUND  # a read's own bound proves nothing
        with budget.phase("neighbourhood search", budget.left()):
            final = _neighbourhood_search(ctx, final, budget.deadline, workers, seed, search, progress, canceller)
    return code, final, optimised, bound, levels
