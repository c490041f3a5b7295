"""Accessibility in a real browser (Debian's Chromium): the doctor picker is named, tells what its
search did and never sends the form on Enter; the run page announces its end and keeps focus."""

from __future__ import annotations

import pytest
from browser_helpers import PHONE, live, wait_until

from tests.api.web_helpers import publish_week_in

PASSWORD = "nettleser-test-passord"

pytestmark = pytest.mark.slow  # without Chromium: skipped, or failed in CI (the chromium fixture)


@pytest.fixture
def week(tmp_path):
    from api.config import Settings
    from api.main import create_app
    from api.security import hash_password

    app = create_app(Settings(data_dir=tmp_path, managers=f"leder:{hash_password(PASSWORD)}", bootstrap_manager=False,
                              solver_workers=1, replan_time_limit=4))
    _, rid, tokens = publish_week_in(app)
    with live(app) as url:
        yield url, rid, tokens


def test_the_doctor_picker_is_named_and_says_what_it_chose(week, browser):
    url, _, tokens = week
    page = browser.new_page(**PHONE)
    page.goto(f"{url}/lege/{tokens['anne']}")
    select = page.get_by_role("combobox", name="Kollega", exact=True)
    assert select.get_attribute("id") == "swap-kollega"
    box = page.get_by_role("searchbox", name="Søk i Kollega")
    assert box.get_attribute("aria-controls") == "swap-kollega"
    page.eval_on_selector("#swap-kollega", "s => { window.changes = []; "
                                           "s.addEventListener('change', () => window.changes.push(s.value)); }")
    box.fill("ceci")
    assert select.input_value() == "cecilie"
    assert page.evaluate("() => window.changes") == ["cecilie"]
    status = page.locator("#swap-kollega-treff")
    assert status.get_attribute("role") == "status"
    wait_until(lambda: status.inner_text() == "1 treff; valgt: Cecilie Dahl", 5)
    assert page.eval_on_selector("#swap-kollega", "s => Array.from(s.options).map(o => o.value)") == ["", "cecilie"]
    before = page.url
    box.press("Enter")  # moves to the list; the form is not sent
    assert page.evaluate("() => document.activeElement.id") == "swap-kollega"
    page.wait_for_timeout(500)
    assert page.url == before and "Tilbudet er sendt" not in page.content()
    box.fill("")  # every name back, the choice kept
    assert select.input_value() == "cecilie" and page.locator("#swap-kollega option").count() > 5
