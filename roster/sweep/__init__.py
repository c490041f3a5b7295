"""Scenario sweeps (``roster sweep``): the sweep file and its grid (``spec``), one run's figures and
the results on disk (``results``). Running the grid is the faces' job (``api.sweep``, on Ray); the
comparison across rule sets is ``roster.report.sweep``."""
