"""CP-SAT roster model: builder, one module per constraint family, objective, solution."""

from solver.solve import Search, solve

__all__ = ["Search", "solve"]
