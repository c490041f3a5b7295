"""CP-SAT roster model: builder, one module per constraint family, objective, solution."""

from solver.solve import solve

__all__ = ["solve"]
