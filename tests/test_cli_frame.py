"""The command line's frame in Norwegian (``api.cli.frame``): the help pages carry no English word
of Typer's or Click's, every bad option or argument exits 2 with a Norwegian message naming it and
what it allows, and the CLI calls an unfilled place by the product's term."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from api.cli import app
from api.cli.common import EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_INTERRUPTED, EXIT_OK
from api.cli.solving import ProgressLine
from roster.models import ProgressEvent
from roster.terms import OPEN_PLACES

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner(env={"COLUMNS": "200"})  # wide enough that no help line wraps
COMMANDS = ["solve", "explain", "check", "template", "precheck", "swap-check", "replan", "report", "compare",
            "serve", "add-manager", "backup"]

# Every English word of the frame, from typer.rich_utils, typer.core, typer._click (core, exceptions,
# formatting, decorators, termui) and Typer's type column.
ENGLISH = ["Usage", "Options", "Arguments", "Commands", "Show this message", "[default", "[required]", "Try '",
           "for help.", "Error", "Aborted", "<bool>", "<path>", "<str>", "<int", "<float", "range]", "OPTIONS",
           "COMMAND", "[ARGS]", "Invalid value", "Missing", "No such", "Possible options", "Did you mean",
           "requires an argument", "does not take a value", "unexpected extra", "Input should"]


def _english(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.mark.parametrize(("args", "norwegian"), [
    (["--help"], ["Bruk: roster [VALG] KOMMANDO [ARGUMENTER]...", "╭─ Valg", "╭─ Kommandoer",
                  "--help  Vis denne hjelpen og avslutt.", "Avslutningskoder"]),
    (["solve", "--help"], ["Bruk: roster solve [VALG] {SCENARIO}", "╭─ Argumenter", "╭─ Valg",
                           "SCENARIO  Scenario: .json, .yaml eller .xlsx [påkrevd]", "--time-limit SEKUNDER",
                           "[fra 0.1 til 604800] [standard: 60]", "-o, --out MAPPE", "[standard: out]",
                           "Vis denne hjelpen og avslutt."]),
])
def test_help_frame_is_norwegian(args, norwegian):
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_OK, result.output
    assert _english(result.output) == []
    missing = [word for word in norwegian if word not in result.output]
    assert missing == [], result.output


def test_every_command_help_page_is_norwegian():
    for command in COMMANDS:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == EXIT_OK, result.output
        assert _english(result.output) == [], (command, result.output)
        assert f"Bruk: roster {command} [VALG]" in result.output


def test_no_arguments_shows_the_norwegian_help_and_exits_2():
    result = runner.invoke(app, [])
    assert result.exit_code == EXIT_BAD_INPUT
    assert "Bruk: roster" in result.output and "Kommandoer" in result.output
    assert _english(result.output) == []


@pytest.mark.parametrize(("args", "message"), [
    (["solve", "s.yaml", "--seed", "3000000000"], "--seed må være fra 0 til 1073741824 (fikk «3000000000»)."),
    (["solve", "s.yaml", "--seed", "abc"], "--seed må være et heltall fra 0 til 1073741824 (fikk «abc»)."),
    (["solve", "s.yaml", "--seed", "9" * 5000], f"--seed må være et heltall fra 0 til 1073741824 (fikk «{'9' * 39}…»)."),
    (["solve", "s.yaml", "--time-limit", "fort"], "--time-limit må være et tall fra 0.1 til 604800 (fikk «fort»)."),
    (["solve", "s.yaml", "--time-limit", "nan"], "--time-limit må være fra 0.1 til 604800 (fikk «nan»)."),
    (["solve", "s.yaml", "--workers", "0"], "--workers må være fra 1 til 1024 (fikk «0»)."),
    (["compare", "s.yaml", "-r", "a.yaml", "--seed", "-1"], "--seed må være fra 0 til 1073741824 (fikk «-1»)."),
    (["serve", "--port", "x"], "--port må være et heltall (fikk «x»)."),
    (["solve", "s.yaml", "--sed", "3"], "ukjent valg --sed; mente du --seed?"),
    (["solve", "s.yaml", "--seed"], "--seed mangler en verdi."),
    (["solve", "s.yaml", "--strict=ja"], "--strict tar ingen verdi."),
    (["solve"], "mangler argumentet SCENARIO."),
    (["replan", "s.yaml", "--change", "c.yaml"], "mangler valget --roster."),
    (["report", "a.json"], "mangler valget -s/--scenario."),
    (["check", "s.yaml", "r.json", "mer", "til"], "uventede argumenter «mer», «til»."),
    (["solv", "s.yaml"], "ukjent kommando «solv»; mente du «solve»?"),
    (["--verbose"], "ukjent valg --verbose."),
])
def test_a_bad_option_or_argument_exits_2_with_a_norwegian_message_naming_it(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_BAD_INPUT, result.output
    assert f"Feil i kommandolinjen: {message}" in result.output
    assert "Bruk: roster" in result.output and "--help» for hjelp." in result.output
    assert _english(result.output) == [] and "Traceback" not in result.output


def test_the_console_script_prints_the_norwegian_error_on_stderr():
    """Through ``Typer.__call__`` as the installed ``roster`` runs it, not the test runner."""
    done = subprocess.run([sys.executable, "-c", "from api.cli import app; app()", "solve", "s.yaml", "--seed",
                           "3000000000"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == EXIT_BAD_INPUT
    assert "Feil i kommandolinjen: --seed må være fra 0 til 1073741824" in done.stderr
    assert done.stdout == "" and _english(done.stderr) == []


def test_add_manager_asks_twice_and_refuses_a_mismatch_in_norwegian(tmp_path):
    data = tmp_path / "data"
    mismatch = runner.invoke(app, ["add-manager", "kari", "--data", str(data)], input="riktig-passord\nannet-passord\n")
    assert mismatch.exit_code == EXIT_BAD_INPUT
    assert "Passordene er ikke like." in mismatch.output and not data.exists()
    stored = runner.invoke(app, ["add-manager", "kari", "--data", str(data)], input="riktig-passord\nriktig-passord\n")
    assert stored.exit_code == EXIT_OK, stored.output
    assert "«kari»" in stored.output and (data / "managers.json").is_file()
    aborted = runner.invoke(app, ["add-manager", "ola", "--data", str(data)], input="")
    assert aborted.exit_code == EXIT_INTERRUPTED
    assert "Avbrutt." in aborted.output and _english(aborted.output) == []


def test_the_cli_calls_an_unfilled_place_by_the_products_term():
    for command in COMMANDS:
        page = runner.invoke(app, [command, "--help"]).output.lower()
        assert "åpne vakt" not in page and "åpen vakt" not in page, command
    assert OPEN_PLACES in runner.invoke(app, ["solve", "--help"]).output
    assert OPEN_PLACES in EXIT_CODES_HELP
    line = ProgressLine()
    line.update(ProgressEvent(elapsed=1.0, objective=200_000, bound=0, gap=1.0, open_slots=2, solutions=1))
    console = Console(width=200)
    with console.capture() as captured:
        console.print(line)
    assert f"{OPEN_PLACES} 2" in captured.get() and "åpne" not in captured.get()


def test_the_progress_line_names_the_level_its_bound_and_gap_belong_to():
    line = ProgressLine()
    line.update(ProgressEvent(elapsed=1.0, level=2, objective=41_530, level_objective=32_290, bound=24_350, gap=0.246,
                              open_slots=0, solutions=5))
    console = Console(width=200)
    with console.capture() as captured:
        console.print(line)
    text = captured.get()
    assert "nivå 2: 32 290  grense 24 350  gap 24,60 %" in text and "hele målet 41 530" in text


def _shown(line: ProgressLine) -> str:
    console = Console(width=200)
    with console.capture() as captured:
        console.print(line)
    return captured.get()


def test_the_progress_line_writes_decimal_commas_like_the_summary_beside_it():
    line = ProgressLine()
    line.started = time.monotonic() - 0.3
    assert re.search(r"Løser … +\d+,\d s  \(venter på første vaktplan\)", _shown(line))
    line.update(ProgressEvent(elapsed=0.3, objective=12_345.6, bound=11_933, gap=0.0334, open_slots=0, solutions=3))
    text = _shown(line)
    assert re.search(r"Løser … +\d+,\d s  mål 12 346  grense 11 933  gap 3,34 %", text), text
    assert not re.search(r"\d\.\d", text), text
