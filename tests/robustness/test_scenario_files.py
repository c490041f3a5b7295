"""At least 100 malformed scenario files (JSON and YAML) made from a valid scenario (fixed seed):
each is refused with exit 2 and Norwegian messages naming the JSON path or the line, without a
traceback, in time."""

from __future__ import annotations

import re

import pytest
from check import assert_cli_exit_2, assert_norwegian_and_located, refusal
from malformed import scenario_cases

CASES = scenario_cases()
LOCATED = re.compile(r"^(\(rot\)|linje \d+, kolonne \d+|[A-Za-z_][\w.\[\]æøåÆØÅ -]*): ")


def test_there_are_at_least_100_cases():
    assert len(CASES) >= 100 and len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_malformed_scenario_file_is_refused_naming_its_path(case, tmp_path):
    assert_norwegian_and_located(refusal(case, tmp_path), case, LOCATED)


@pytest.mark.parametrize("case", CASES[::2], ids=[c.name for c in CASES[::2]])
def test_the_command_line_exits_2_on_a_malformed_scenario_file(case, tmp_path):
    assert_cli_exit_2(case, tmp_path)
