"""CP-SAT roster model: builder, one module per constraint family, objective, solution."""
