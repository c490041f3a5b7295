"""What every refusal of a malformed input must look like (shared by the robustness tests)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from malformed import Case
from typer.testing import CliRunner

from api.cli import app
from api.cli.common import EXIT_BAD_INPUT
from roster.scenario_io import InputError, load_scenario

# A hang detector, not a measurement: the slowest case takes well under a second on 2 cores.
SECONDS = 10
ENGLISH = re.compile(r"\b(should|Input|valid|Value|Field|required|Traceback|Error|Exception|expected|Expecting|"
                     r"Exceeds|unable|invalid|NoneType|object|string|integer|number)\b")


def refusal(case: Case, tmp_path: Path) -> list[str]:
    """The problems ``load_scenario`` (the door of the CLI and the web) reports for the case, after
    checking it refused in time."""
    path = tmp_path / f"plan{case.suffix}"
    path.write_bytes(case.make())
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        load_scenario(path)
    assert time.monotonic() - started < SECONDS
    assert info.value.source == str(path)
    return info.value.problems


def assert_norwegian_and_located(problems: list[str], case: Case, located: re.Pattern[str]) -> None:
    assert problems, case.name
    english = [p for p in problems if ENGLISH.search(p)]
    assert not english, english
    if case.file_level:
        assert any(case.where in p for p in problems), (case.where, problems)
        return
    assert any(p.startswith(case.where) for p in problems), (case.where, problems)
    unplaced = [p for p in problems if not located.match(p)]
    assert not unplaced, unplaced


def assert_cli_exit_2(case: Case, tmp_path: Path) -> None:
    """``roster precheck`` on the file: exit 2, a Norwegian headline, no traceback."""
    path = tmp_path / f"cli{case.suffix}"
    path.write_bytes(case.make())
    result = CliRunner().invoke(app, ["precheck", str(path)])
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Feil i inndata" in result.output and "Traceback" not in result.output
