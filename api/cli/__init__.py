"""The ``roster`` command line: the composition root that ties the domain (``roster``), the
engine (``solver``) and the web service together, one module per command group.

Thin on purpose: reading is ``roster.scenario_io``, solving ``solver.solve``, checking
``roster.check`` and the output files ``roster.output``. Heavy modules (the solver, matplotlib,
uvicorn) are imported inside the commands, so ``roster --help`` stays fast.
"""

from __future__ import annotations

import typer

from api.cli.checking import check, swap_check
from api.cli.common import EXIT_CODES_HELP
from api.cli.report import compare, report
from api.cli.solving import explain, precheck, replan, solve
from api.cli.web import add_manager, serve
from api.cli.workbook import carry, template

app = typer.Typer(
    name="roster",
    help="Vaktplanlegger for legevakt: lager rettferdige vaktplaner som følger reglene.\n\n" + EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(solve)
app.command()(explain)
app.command()(check)
app.command()(template)
app.command()(carry)
app.command()(precheck)
app.command("swap-check")(swap_check)
app.command()(replan)
app.command()(report)
app.command()(compare)
app.command()(serve)
app.command("add-manager")(add_manager)
