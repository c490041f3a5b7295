"""The ``roster`` command line: the composition root that ties the domain (``roster``), the
engine (``solver``) and the web service together, one module per command group.

Thin on purpose: reading is ``roster.scenario_io``, solving ``solver.solve``, checking
``roster.check`` and the output files ``roster.output``. Heavy modules (the solver, matplotlib,
uvicorn) are imported inside the commands, so ``roster --help`` stays fast. The help pages and the
errors for bad options are Norwegian through the classes of ``api.cli.frame``.
"""

from __future__ import annotations

import typer

from api.cli.checking import check, swap_check
from api.cli.common import EXIT_CODES_HELP
from api.cli.frame import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, NorwegianCommand, NorwegianGroup
from api.cli.report import compare, report
from api.cli.solving import explain, precheck, replan, solve
from api.cli.sweep import sweep
from api.cli.web import add_manager, backup, serve
from api.cli.workbook import carry, template

app = typer.Typer(
    name="roster",
    cls=NorwegianGroup,
    help="Vaktplanlegger for legevakt: lager rettferdige vaktplaner som følger reglene.\n\n" + EXIT_CODES_HELP,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for name, command in (
    ("solve", solve), ("explain", explain), ("check", check), ("template", template),
    ("carry", carry), ("precheck", precheck), ("swap-check", swap_check), ("replan", replan), ("report", report),
    ("compare", compare), ("sweep", sweep), ("serve", serve), ("add-manager", add_manager),
    ("backup", backup),
):
    app.command(name, cls=NorwegianCommand)(command)
