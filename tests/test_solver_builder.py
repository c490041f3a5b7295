"""The builder's relaxation: hard families left out are not in the model (what
benchmarks/fairness_floor.py proves things on), and the full model keeps them."""

from ortools.sat.python import cp_model

from factories import doctor, scenario, template
from solver.builder import build_model
from solver.registry import HARD


def _open_places(hard=HARD) -> int:
    """One doctor, a day and an evening shift that overlap by an hour: the full model leaves one open."""
    sc = scenario("2026-12-01", "2026-12-01", [template("dag", "08:00", "17:00"), template("kveld", "16:00", "23:00")],
                  [doctor("d0")])
    ctx = build_model(sc, hard=hard)
    solver = cp_model.CpSolver()
    assert solver.solve(ctx.model) == cp_model.OPTIMAL
    return sum(solver.value(v) for v in ctx.short.values())


def test_the_full_model_keeps_a_doctor_off_overlapping_shifts():
    assert _open_places() == 1


def test_a_relaxation_with_staffing_alone_fills_both():
    """Also the fairness level's test: the doctor's capacity (9 points, from their own rules) is
    below the 16 the relaxation lets them take; a capacity is an estimate, never a cap on work."""
    assert _open_places([f for f in HARD if f.name == "Bemanning"]) == 0
