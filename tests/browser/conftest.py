"""Browser fixture: Debian's headless Chromium through Playwright (its own browser download fails here)."""

from __future__ import annotations

import pytest
from browser_helpers import ARGS, CHROMIUM


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()
