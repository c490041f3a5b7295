"""Browser fixture: Debian's headless Chromium (the ``chromium`` fixture, tests/conftest.py) through
Playwright (its own browser download fails here)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_helpers import ARGS


@pytest.fixture
def browser(chromium: Path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(chromium), args=ARGS)
        yield b
        b.close()
