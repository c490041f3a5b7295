"""Browser tests: Debian's headless Chromium driven by Playwright against a live uvicorn server.

A manager uploads the Bergen workbook, solves, watches the gap improve, stops the solve early (keeping
the best roster so far) and publishes;
a doctor opens their personal link on a phone-sized screen; the doctor falls ill and the manager
re-plans the published roster with the form on its page. Screenshots go to test-artifacts/.
Skipped when /usr/bin/chromium is absent, except in CI, which installs it from Debian and fails
without it (the ``chromium`` fixture, tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import ARTIFACTS, PASSWORD, live, service, shot, wait_until

from roster.calendar import OSLO, ShiftIndex
from roster.scenario_io import load_scenario

SOLVE_SECONDS = int(os.environ.get("ROSTER_BROWSER_SOLVE_SECONDS", "180"))  # an upper bound: the test stops early

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path) -> Iterator[str]:
    with live(service(tmp_path, replan_time_limit=20)) as url:
        yield url


BERGEN_WORKBOOK = Path(__file__).resolve().parents[2] / "examples" / "bergen" / "bergen.xlsx"


def test_manager_publishes_and_doctor_sees_shifts(server, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    assert "/logg-inn" in page.url
    page.fill("input[name=brukernavn]", "leder")
    page.fill("input[name=passord]", PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(server + "/")

    # upload the Bergen workbook: validated, stored, scenario page shown
    page.set_input_files("input[name=fil]", str(BERGEN_WORKBOOK))
    page.get_by_role("button", name="Last opp").click()
    page.wait_for_url(re.compile(r".*/scenarier/\d+.*"))
    assert "er lastet opp og godkjent" in page.content()
    shot(page, "1-scenario")
    scenario_url = page.url.split("?")[0]

    # solve and watch the progress bar move and the gap improve
    page.fill("input[name=tidsgrense]", str(SOLVE_SECONDS))
    page.get_by_role("button", name="Start beregning").click()
    page.wait_for_url(re.compile(r".*/beregninger/\w+"))
    wait_until(lambda: float(page.get_attribute("#bar", "value") or 0) > 0, 30)
    shot(page, "2-progress")
    # improving solutions arrive with an objective, a bound and the gap between them
    wait_until(lambda: page.locator("#history tbody tr").count() >= 3 and page.inner_text("#gap").endswith("%"),
               SOLVE_SECONDS)
    time.sleep(5)
    shot(page, "2b-improving")
    # stop early: the best roster so far is kept
    page.get_by_role("button", name="Stopp og behold beste vaktplan").click()
    page.wait_for_selector("#result a", timeout=60_000)
    assert page.inner_text("#status") == "avbrutt"
    shot(page, "3-finished")
    # the rows the server listed after the stop are not listed again by the live script, and both
    # write numbers alike («41 107»)
    assert page.locator("#history tbody tr").count() == int(page.inner_text("#solutions"))
    scores = page.locator("#history tbody tr td:nth-child(3)").all_inner_texts()
    assert scores and all(re.fullmatch(r"\d{1,3}( \d{3})*", s) for s in scores), scores

    # the roster: grid per station, fairness, publish
    roster_id = page.get_attribute("#result a", "href").rsplit("/", 1)[1]
    page.click("#result a")
    page.wait_for_selector("table.grid")
    assert page.locator("table.grid").count() >= 2  # one grid per station
    assert page.locator("table.fair tbody tr").count() > 100
    shot(page, "4-roster")
    page.locator("table.grid").first.screenshot(path=str(ARTIFACTS / "4b-grid.png"))
    page.click("#publish")
    page.wait_for_selector("#publish-confirm")
    shot(page, "4c-publish-confirm")
    page.click("#publish-confirm button")
    page.wait_for_selector("text=er publisert")
    assert page.inner_text("#roster-status") == "publisert"

    page.goto(server + "/")
    assert page.locator(f'a[href="/vaktplaner/{roster_id}"]').count() == 1  # listed as published
    shot(page, "6-overview")

    # a doctor with shifts opens their personal link, on a phone
    assignments = page.request.get(f"{server}/api/rosters/{roster_id}").json()["roster"]["assignments"]
    doctor = assignments[0]["doctor"]
    page.goto(scenario_url)
    href = page.locator(f'a.doctor-link[data-doctor="{doctor}"]').get_attribute("href")
    phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    opened = dt.datetime.now(OSLO)
    phone.goto(server + href if href.startswith("/") else href)
    shown = dt.datetime.now(OSLO)
    assert "Mine vakter" in phone.content()
    shot(phone, "5-doctor-phone", full=True)
    feed = phone.get_by_role("link", name="Last ned .ics").get_attribute("href")
    ics = phone.request.get(feed)
    assert ics.ok and b"BEGIN:VCALENDAR" in ics.body()
    mine = {(a["template"], a["date"]) for a in assignments if a["doctor"] == doctor}
    index = ShiftIndex(load_scenario(BERGEN_WORKBOOK))
    listed = phone.locator("ul.shifts li").count()
    assert listed == len(mine)
    # the next shift is one that has not ended when the page was made (Oslo time, not the date of
    # the machine's clock: December is now, and a shift of today may be over); one ending while
    # the page loaded may be shown or not
    ends = [index.by_key[f"{template}/{day}"].end for template, day in mine]
    assert phone.locator("#next-shift").count() in {int(any(end > at for end in ends)) for at in (opened, shown)}

    # the doctor falls ill on the day of a shift: the re-plan form makes a draft with the diff
    sick_day = assignments[0]["date"]
    page.goto(f"{server}/vaktplaner/{roster_id}")
    page.select_option("#replan-lege", doctor)
    page.select_option("#replan-form select[name=hva]", "sykdom")
    page.fill("#replan-form input[name=fra]", sick_day)
    page.fill("#replan-form input[name=naa]", "2026-12-01T00:00")
    page.get_by_role("button", name="Planlegg om").click()
    page.wait_for_url(re.compile(r".*/beregninger/\w+"))  # the re-plan is a job with live progress
    page.wait_for_selector("#result a", timeout=120_000)
    page.click("#result a")
    page.wait_for_selector("#endringer")
    assert page.inner_text("#roster-status") == "utkast"
    lines = page.locator("#endringer ul.diff li").all_inner_texts()
    assert any(" mister " in line and "(kan ikke gå vakten lenger)" in line for line in lines)
    shot(page, "7-replanned", full=True)
    page.click("#publish-replan")
    page.click("#publish-confirm button")
    page.wait_for_selector("text=er publisert")
    assert f"Den erstatter {roster_id}" in page.content()


def test_unknown_doctor_link_is_refused(server, browser):
    page = browser.new_page()
    response = page.goto(server + "/lege/ikke-en-ekte-lenke")
    assert response.status == 404
    assert "Ukjent lenke" in page.content()
