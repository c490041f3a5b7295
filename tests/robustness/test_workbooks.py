"""At least 200 malformed workbooks made from the product's own template (fixed seed): each is
refused with exit 2 and Norwegian messages naming the sheet and cell, without a traceback, in time."""

from __future__ import annotations

import re

import pytest
from check import assert_cli_exit_2, assert_norwegian_and_located, refusal
from malformed import workbook_cases

from roster.excel.schema import SETTINGS_TITLE, TABLES

CASES = workbook_cases()
SHEETS = "|".join(re.escape(t) for t in [SETTINGS_TITLE, "Instruksjoner", *(t.title for t in TABLES)])
LOCATED = re.compile(rf"^({SHEETS})(![A-Z]{{1,3}}\d+|!\d+:\d+)?: ")


def test_there_are_at_least_200_cases():
    assert len(CASES) >= 200 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_malformed_workbook_is_refused_naming_its_cell(case, tmp_path):
    assert_norwegian_and_located(refusal(case, tmp_path), case, LOCATED)


@pytest.mark.parametrize("case", CASES[::4], ids=[c.name for c in CASES[::4]])
def test_the_command_line_exits_2_on_a_malformed_workbook(case, tmp_path):
    assert_cli_exit_2(case, tmp_path)
