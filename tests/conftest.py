"""Shared test setup: Debian's Chromium for the browser tests, and Hypothesis profiles for the
tests that take their size from the profile (the property test and the checker/model agreement
test): ``ci``, loaded by default, fits the default run; ``nightly`` is ten times the examples:

    python -m pytest -m slow --hypothesis-profile=nightly tests/test_property.py tests/test_agreement.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package: Playwright's own browser download fails here

# pytest-xdist starts its workers with COLUMNS=80 set, and rich fixes a console's width from it when
# the console is made (api.cli.common, at import); a single process leaves the width to each print,
# where the CLI tests' runners set it. The workers are made to behave as the single process does.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)

settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True)  # CI reproducible; nightly explores
settings.register_profile("nightly", max_examples=400, deadline=None)
settings.load_profile("ci")  # --hypothesis-profile overrides it


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium. Without it a browser test is skipped, except where it is required
    (``ROSTER_REQUIRE_CHROMIUM=1``, set by ``.ci/run``): there its absence fails the test."""
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"Debian's chromium is not installed ({CHROMIUM})"
    if os.environ.get("ROSTER_REQUIRE_CHROMIUM") == "1":
        pytest.fail(message + " but ROSTER_REQUIRE_CHROMIUM=1 requires it")
    pytest.skip(message)
