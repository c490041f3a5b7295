"""The roster in daily life in a real browser (Debian's Chromium), desktop and phone, on a small
published week so it runs in seconds: the manager filters, prints, searches the doctor picker,
edits by hand and publishes after the confirmation; doctors see who is on call, swap a shift on
their phones and enter a wish; the manager re-plans and watches the job. Screenshots go to
test-artifacts/ (daily-*.png)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_helpers import DESKTOP, PHONE, live, log_in, service, shot

from tests.api.web_helpers import publish_week_in

pytestmark = pytest.mark.slow  # without Chromium: skipped, or failed in CI (the chromium fixture)


@pytest.fixture
def week(tmp_path):
    """A live server with the week published, a wish round open and the clock before the week."""
    import datetime as dt

    from api.services import wishes
    from roster.calendar import OSLO

    app = service(tmp_path, solver_workers=1, replan_time_limit=4)
    _, rid, tokens = publish_week_in(app)
    with app.state.sessions() as s:
        wishes.open_round(s, dt.date(2026, 12, 1), dt.date(2026, 12, 31), dt.datetime(2026, 11, 15, 12, tzinfo=OSLO),
                          "leder", app.state.clock())
        s.commit()
    with live(app) as url:
        yield url, rid, tokens


def test_manager_and_doctors_in_daily_life(week, browser):
    url, rid, tokens = week
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, url)

    # filter: the bakvakt station only, one column for the weekday and weekend day bakvakt
    page.goto(f"{url}/vaktplaner/{rid}")
    page.select_option("#grid-filter select[name=stasjon]", "BAK")
    page.locator("#grid-filter button").click()
    page.wait_for_url(re.compile(r".*stasjon=BAK.*"))
    assert page.locator("section.station").count() == 1
    assert page.locator("#st-BAK thead th").all_inner_texts() == ["Dato", "bakvakt 08:00–16:00", "bakvakt 16:00–08:00"]
    shot(page, "daily-1-filter")
    # print: no forms, a caption with version and status on each station page
    page.goto(f"{url}/vaktplaner/{rid}")
    page.emulate_media(media="print")
    assert not page.locator("#edit-form").is_visible() and not page.locator("header.top").is_visible()
    assert page.locator("#st-BLV .print-header").is_visible()
    assert f"Vaktplan {rid}," in page.inner_text("#st-BAK .print-header")
    shot(page, "daily-2-print", full=True)
    page.emulate_media(media="screen")

    # the searchable picker, then a hand edit checked at once and published after the confirmation
    page.fill('input[data-picker="edit-lege"]', "øde")
    shown = page.eval_on_selector("#edit-lege", "s => Array.from(s.options).filter(o => !o.hidden && o.value)"
                                                ".map(o => o.text)")
    assert shown == ["Åse Ødegård"]
    page.fill('input[data-picker="edit-lege"]', "")
    page.select_option("#edit-form select[name=handling]", "assign")
    page.select_option("#edit-lege", "eva")
    page.select_option("#edit-form select[name=vakttype]", "dag")
    page.fill("#edit-form input[name=dato]", "2026-11-03")
    page.select_option("#edit-erstatter", "cecilie")
    page.locator("#edit-form button").click()
    page.wait_for_selector("#endringer")
    assert "Eva Fos får dag Bergen legevakt 03.11" in page.inner_text("#endringer")
    page.click("#publish")
    page.wait_for_selector("#publish-confirm")
    assert "Cecilie Dahl, Eva Fos" in page.inner_text("#notified")
    shot(page, "daily-3-confirm")
    page.click("#publish-confirm button")
    page.wait_for_selector("text=er publisert")
    published = int(re.search(r"/vaktplaner/(\d+)", page.url).group(1))

    # doctors on their phones: what changed, who is on call tonight, a swap in two steps
    phone = browser.new_page(**PHONE)
    phone.goto(f"{url}/lege/{tokens['eva']}?dato=2026-11-03")
    assert "dag Bergen legevakt 03.11 08:00–16:00" in phone.inner_text(".card.changed")
    assert phone.locator('#paa-vakt a.phone[href="tel:55112233"]').is_visible()
    shot(phone, "daily-4-doctor-phone", full=True)
    phone.goto(f"{url}/lege/{tokens['anne']}")
    phone.select_option("#swap-form select[name=vakt]", "dag/2026-11-05")
    phone.select_option("#swap-form select[name=handling]", "bytt")
    phone.select_option("#swap-kollega", "cecilie")
    phone.locator("#swap-form button").click()
    phone.wait_for_selector("#swap-step2")
    phone.check('#swap-step2 input[value="dag/2026-11-06"]')
    phone.locator("#swap-step2 button").click()
    phone.wait_for_selector("text=Tilbudet er sendt")
    colleague = browser.new_page(**PHONE)
    colleague.goto(f"{url}/lege/{tokens['cecilie']}")
    colleague.get_by_role("button", name="Ja, jeg tar den").click()
    colleague.wait_for_selector("text=Byttet er godkjent")
    shot(colleague, "daily-5-swap-approved")
    # a wish for December
    colleague.select_option("#request-form-1 select[name=hva]", "fravær")
    colleague.fill("#request-form-1 input[name=fra]", "2026-12-20")
    colleague.fill("#request-form-1 input[name=til]", "2026-12-27")
    colleague.locator("#request-form-1 button").click()
    colleague.wait_for_selector("text=Ønsket er lagret")
    assert "ferie 20.12.2026–27.12.2026" in colleague.inner_text("#onsker")

    # downloads: the template from the upload card, every doctor's links from the scenario page
    page.goto(url + "/")
    with page.expect_download() as download:
        page.click("#template-link")
    assert download.value.suggested_filename == "vaktplan-mal.xlsx"
    page.goto(f"{url}/scenarier/1")
    with page.expect_download() as download:
        page.click("#links-csv")
    assert download.value.suggested_filename == "lenker-1.csv"
    assert f"/lege/{tokens['eva']}" in Path(download.value.path()).read_text(encoding="utf-8-sig")

    # the manager re-plans the newest version for a sick day and watches the job; on a phone the
    # form lies below the edit form, so the first screen leads to it
    phone = browser.new_page(**PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{url}/vaktplaner/{published + 1}")
    link = phone.get_by_role("link", name="Planlegg om etter fravær …")
    assert link.bounding_box()["y"] + link.bounding_box()["height"] <= PHONE["viewport"]["height"]
    link.click()
    phone.locator("#replan-form select[name=lege]").wait_for()
    assert 0 <= phone.locator("#omplanlegg h2").bounding_box()["y"] < PHONE["viewport"]["height"]
    phone.close()
    page.goto(f"{url}/vaktplaner/{published + 1}")
    assert page.inner_text("#roster-status") == "publisert"
    page.select_option("#replan-lege", "dag")
    page.fill("#replan-form input[name=fra]", "2026-11-03")
    page.fill("#replan-form input[name=naa]", "2026-11-01T12:00")
    page.get_by_role("button", name="Planlegg om").click()
    page.wait_for_url(re.compile(r".*/beregninger/\w+"))
    assert "Omplanlegging av" in page.inner_text("h1")
    page.wait_for_selector("#result a", timeout=60_000)
    shot(page, "daily-6-replan-job")
    page.click("#result a")
    page.wait_for_selector("#endringer")
    assert "Dag Eide mister natt Bergen legevakt 03.11 23:00–08:00 (kan ikke gå vakten lenger)" in page.inner_text(
        "#endringer")


def test_edited_workbook_upload_and_comparison_report(week, browser, tmp_path):
    """An edited workbook uploaded on the overview becomes a draft; the comparison report says at the
    top that the two rosters are not staffed alike (desktop and phone)."""
    import io

    import openpyxl

    from roster.report.build import check_view
    from roster.report.html import render_html
    from tests.api.web_helpers import week_roster, week_scenario

    url, rid, _ = week
    page = browser.new_page(viewport=DESKTOP)
    log_in(page, url)
    wb = openpyxl.load_workbook(io.BytesIO(page.request.get(f"{url}/api/rosters/{rid}/workbook").body()))
    del wb["Per lege"]
    ws = wb["Vaktplan Bergen legevakt"]
    row = next(r[0].row for r in ws.iter_rows(min_row=5) if getattr(r[0].value, "day", None) == 8)
    ws.cell(row, 4).value = "UBESATT"  # Anne's Sunday day shift left open
    path = tmp_path / "vaktplan-endret.xlsx"
    wb.save(path)
    page.set_input_files("input[name=fil]", str(path))
    page.get_by_role("button", name="Last opp").click()
    page.wait_for_selector("#endringer")
    assert "er lastet opp som utkast og følger de harde reglene" in page.inner_text(".flash")
    assert "Anne Aas mister dag Bergen legevakt 08.11" in page.inner_text("#endringer")
    assert "1 ubesatt" in page.inner_text("#ubesatt")
    shot(page, "daily-7-uploaded", full=True)

    sc = week_scenario()
    full = week_roster(sc)
    short = full.model_copy(update={"assignments": full.assignments[:-4]})
    html = render_html([check_view("Publisert", sc, full), check_view("Kortere", sc, short)])
    for name, viewport in (("daily-8-report", DESKTOP), ("daily-8-report-phone", PHONE["viewport"])):
        report = browser.new_page(viewport=viewport)
        report.set_content(html)
        assert report.locator("#ulikt").is_visible()
        assert "ikke like bemannet" in report.inner_text("#ulikt")
        shot(report, name)
