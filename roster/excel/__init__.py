"""The Excel workbook door: template, import with cell-precise errors, printable roster, manual rosters.

Layout and model meet in ``schema`` only; see docs/excel.md for the manager's view.
"""

from roster.excel.reader import read_scenario_workbook
from roster.excel.roster_reader import RosterSource, read_roster_source, read_roster_workbook
from roster.excel.template import write_template
from roster.excel.writer import write_roster_workbook

__all__ = [
    "RosterSource",
    "read_roster_source",
    "read_roster_workbook",
    "read_scenario_workbook",
    "write_roster_workbook",
    "write_template",
]
