"""The pages of the roster in daily life: filters, print layout, the doctor picker, hand edits,
the publish confirmation, uploads of edited workbooks, swaps, wishes, the doctor's page and the
whole roster for doctors; manager pages in plain words."""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re

import openpyxl
import pytest
from sqlalchemy import func, select
from test_api import solved
from web_helpers import WEEK_NAMES, holder, login, publish_week

from api.services import links
from api.services import rosters as roster_service
from api.orm import RunRow, ScenarioRow
from api.services.scenarios import load, store
from roster.calendar import OSLO
from roster.models import Assignment, Roster
from tests import factories as f


def _section(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start:page.index("</section>", start)]


def _confirmed(page: str) -> dict[str, str | list[str]]:
    """What the confirmation page's button posts: its hidden fields."""
    form = page[page.index('id="publish-confirm"'):page.index("</form>", page.index('id="publish-confirm"'))]
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    return {"bekreftet": dict(fields)["bekreftet"], "erstatter": [v for k, v in fields if k == "erstatter"]}


def _version(client, start: str, end: str, published: bool = False) -> int:
    """A version of its own scenario for the days from ``start`` to ``end``: Anne and Bjørn take the
    day shift in turn."""
    sc = f.scenario(start, end, templates=[f.template("dag", "08:00", "16:00", label="dag")],
                    doctors=[f.doctor("anne", name="Anne Aas"), f.doctor("bjorn", name="Bjørn Berg")],
                    stations=[f.station("BLV", name="Bergen legevakt")], name=f"fra {start}")
    roster = Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=("anne", "bjorn")[i % 2], template="dag", date=day) for i, day in enumerate(sc.period.days())])
    with client.app.state.sessions() as s:
        row = roster_service.add_version(s, store(s, sc, "test", "leder").id, None, roster, [])
        if published:
            roster_service.publish(s, row, "leder")
        s.commit()
        return row.id


def test_roster_filters_by_station_doctor_and_week(client, auth):
    _, rid, _ = publish_week(client)
    login(client)
    page = client.get(f"/vaktplaner/{rid}").text
    assert 'id="st-BLV"' in page and 'id="st-BAK"' in page
    # weekday and weekend day bakvakt: one column, not two with the same heading
    bak = _section(page, 'id="st-BAK"')
    assert re.findall(r"<th>(bakvakt [^<]*)</th>", bak) == ["bakvakt 08:00–16:00", "bakvakt 16:00–08:00"]
    page = client.get(f"/vaktplaner/{rid}?stasjon=BAK").text
    assert 'id="st-BAK"' in page and 'id="st-BLV"' not in page
    page = client.get(f"/vaktplaner/{rid}?lege=eva").text
    rows = re.findall(r"<tr class=\"[^\"]*\"><th>([^<]*)", _section(page, 'id="st-BLV"'))
    assert rows == ["ons 04.11", "lør 07.11"] and page.count("<mark>Eva Fos</mark>") == 2
    assert 'id="st-BAK"' not in page  # Eva has no bakvakt
    page = client.get(f"/vaktplaner/{rid}?uke=2026-W45&stasjon=BLV").text
    assert len(re.findall(r"<tr class=\"[^\"]*\"><th>", page)) == 7
    assert '<option value="2026-W45" selected>uke 45 (02.11–08.11)</option>' in page


def test_roster_prints_one_station_a_page_with_version_and_status(client, auth):
    _, rid, _ = publish_week(client)
    login(client)
    page = client.get(f"/vaktplaner/{rid}").text
    for station in ("BLV", "BAK"):
        section = _section(page, f'id="st-{station}"')
        caption = re.search(r'<p class="print-only print-header">([^<]*)</p>', section).group(1)
        assert f"Vaktplan {rid},\npublisert" in caption and "02.11.2026–08.11.2026" in caption
    css = client.get("/static/style.css").text
    assert "@media print" in css and "section.station { break-after: page;" in css
    # every form and button is outside print: in no-print sections or hidden by the print rules
    printing = css[css.index("@media print"):]
    assert "header.top, nav, .no-print, form, button, .button, .flash { display: none !important; }" in printing


def test_doctor_picker_is_sorted_the_norwegian_way(client, auth):
    _, rid, _ = publish_week(client)
    login(client)
    page = client.get(f"/vaktplaner/{rid}").text
    picker = page[page.index('id="edit-lege"'):]
    picker = picker[:picker.index("</select>")]
    names = re.findall(r'<option value="\w+">([^<]*)</option>', picker)
    assert names == ["Anne Aas", "Bjørn Berg", "Cecilie Dahl", "Dag Eide", "Eva Fos", "Siri Spes", "Tor Bak",
                     "Una Vik", "Åse Ødegård"]
    assert 'class="picker-filter"' in page and "picker.js" in page


def test_hand_edit_form_refuses_with_the_rule_and_stores_nothing(client, auth):
    _, rid, _ = publish_week(client)
    login(client)
    before = len(client.get("/api/rosters", headers=auth).json())
    r = client.post(f"/vaktplaner/{rid}/endre", data={"handling": "assign", "lege": "bjorn", "vakttype": "dag",
                                                     "dato": "2026-11-03", "erstatter": "cecilie"})
    assert r.status_code == 422
    errors = _section(r.text, 'id="endre"')
    assert "Endringen ble ikke gjort" in errors and "Hvile mellom vakter:" in errors and "Bjørn Berg" in errors
    assert '<option value="bjorn" selected>' in errors  # the form comes back as typed
    assert len(client.get("/api/rosters", headers=auth).json()) == before
    r = client.post(f"/vaktplaner/{rid}/endre", data={"handling": "assign", "lege": "eva", "vakttype": "dag",
                                                     "dato": "2026-11-03", "erstatter": "cecilie"},
                    follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "lagret i utkastet vaktplan" in page and "endret for hånd fra" in page
    diff = _section(page, 'id="endringer"')
    assert "Eva Fos får dag Bergen legevakt 03.11 08:00–16:00" in diff
    assert "Cecilie Dahl mister dag Bergen legevakt 03.11 08:00–16:00" in diff and "2 endringer." in diff


def _over_max_shifts(client) -> int:
    """A version in which Per may have 1 shift but holds 2 (made before his limit was lowered)."""
    sc = f.scenario("2026-12-07", "2026-12-10",
                    templates=[f.template("kveld", "16:00", "23:00", label="kveld", day_types=f.ALL_DAYS)],
                    doctors=[f.doctor("anne", name="Anne Aas"), f.doctor("per", name="Per Berg", max_shifts=1)],
                    stations=[f.station("BLV", name="Bergen legevakt")], name="over grensen")
    holders = ("per", "per", "anne", "anne")
    roster = Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=d, template="kveld", date=day) for d, day in zip(holders, sc.period.days())])
    with client.app.state.sessions() as s:
        row = roster_service.add_version(s, store(s, sc, "test", "leder").id, None, roster, [])
        s.commit()
        return row.id


def test_a_swap_or_edit_that_worsens_a_breach_is_refused_and_one_that_leaves_it_is_not(client, auth):
    rid = _over_max_shifts(client)
    worse = client.post(f"/api/rosters/{rid}/swap-check", headers=auth,
                        json={"giver": "anne", "shift": "kveld/2026-12-10", "taker": "per"}).json()
    assert worse["legal"] is False and worse["new_violations"] == []
    assert [(v["rule"], v["message"]) for v in worse["worsened"]] == [
        ("antall", "Per Berg har 3 vakter i perioden; maks 1.")]
    even = client.post(f"/api/rosters/{rid}/swap-check", headers=auth,
                       json={"giver": "anne", "shift": "kveld/2026-12-10", "taker": "per",
                             "back_shift": "kveld/2026-12-08"}).json()
    assert even["legal"] is True and even["worsened"] == [] and even["new_violations"] == []
    login(client)
    r = client.post(f"/vaktplaner/{rid}/endre", data={"handling": "assign", "lege": "per", "vakttype": "kveld",
                                                     "dato": "2026-12-10", "erstatter": "anne"})
    assert r.status_code == 422
    errors = _section(r.text, 'id="endre"')
    assert "Antall vakter i perioden (verre enn før): Per Berg har 3 vakter i perioden; maks 1." in errors
    r = client.post(f"/vaktplaner/{rid}/endre", data={"handling": "assign", "lege": "anne", "vakttype": "kveld",
                                                     "dato": "2026-12-08", "erstatter": "per"}, follow_redirects=False)
    assert r.status_code == 303


def test_publishing_asks_first_and_names_who_is_told(client, auth):
    _, rid, _ = publish_week(client)
    login(client)
    draft = client.post(f"/api/rosters/{rid}/edits", headers=auth, json={
        "action": "assign", "doctor": "eva", "shift": "dag/2026-11-03", "replaces": "cecilie"}).json()["roster"]["id"]
    page = client.get(f"/vaktplaner/{draft}").text
    assert f'href="/vaktplaner/{draft}/publiser" id="publish"' in page
    assert f'action="/vaktplaner/{draft}/publiser"' not in page  # no one-click publishing on the roster page
    confirm = client.get(f"/vaktplaner/{draft}/publiser").text
    assert f"Publisere vaktplan {draft}?" in confirm and f"vaktplan {rid}</a>" in confirm
    assert "2 leger får endrede vakter: Cecilie Dahl, Eva Fos" in confirm
    assert 'id="warnings"' not in confirm  # the same period, made from the version published now
    assert _confirmed(confirm) == {"bekreftet": "ja", "erstatter": [str(rid)]}
    assert client.get(f"/api/rosters/{draft}", headers=auth).json()["status"] == "draft"  # asking changes nothing
    done = client.post(f"/vaktplaner/{draft}/publiser", data=_confirmed(confirm)).text
    assert "er publisert" in done
    r = client.get(f"/vaktplaner/{rid}/publiser", follow_redirects=False)  # superseded: nothing to confirm
    assert r.status_code == 303


def test_publishing_at_dawn_names_whom_to_phone_and_who_gets_no_mail(client, auth):
    """At 06:00 the doctor given the 08:00 shift must be phoned: the page said every changed doctor
    «får varsel», though no mail is sent without an e-mail server or an address."""
    _, rid, _ = publish_week(client)
    login(client)
    client.app.state.clock = lambda: dt.datetime(2026, 11, 3, 6, 0, tzinfo=OSLO)
    draft = client.post(f"/api/rosters/{rid}/edits", headers=auth, json={
        "action": "assign", "doctor": "sp1", "shift": "bak-natt/2026-11-04", "replaces": "sp2"}).json()["roster"]["id"]
    confirm = client.get(f"/vaktplaner/{draft}/publiser").text
    assert "2 leger får endrede vakter: Siri Spes, Tor Bak." in confirm
    assert "Ingen av dem får varsel på e-post: tjenesten har ingen e-postserver" in confirm
    call = _section(confirm, 'id="call-now"')
    assert '<li>Siri Spes <a href="tel:55112233" class="phone">55 11 22 33</a>: ' \
           "+ bakvakt Bakvakt spesialist 04.11 16:00–08:00</li>" in call
    assert "<li>Tor Bak (ikke noe telefonnummer registrert): − bakvakt Bakvakt spesialist 04.11 16:00–08:00</li>" in call
    client.app.state.clock = lambda: dt.datetime(2026, 11, 1, 6, 0, tzinfo=OSLO)  # three days before: no call
    assert 'id="call-now"' not in client.get(f"/vaktplaner/{draft}/publiser").text
    client.app.state.settings = client.app.state.settings.model_copy(update={"smtp_host": "smtp.example.no"})
    confirm = client.get(f"/vaktplaner/{draft}/publiser").text
    assert "Ingen av dem har e-postadresse, så ingen får varsel på e-post." in confirm
    draft = client.post(f"/api/rosters/{rid}/edits", headers=auth, json={
        "action": "assign", "doctor": "eva", "shift": "dag/2026-11-03", "replaces": "cecilie"}).json()["roster"]["id"]
    assert "Alle får varsel på e-post." in client.get(f"/vaktplaner/{draft}/publiser").text


def test_publishing_names_the_days_left_without_a_published_roster(client, auth):
    login(client)
    old = _version(client, "2026-11-02", "2026-11-15", published=True)
    draft = _version(client, "2026-11-04", "2026-11-08")
    confirm = client.get(f"/vaktplaner/{draft}/publiser").text
    uncovered = _section(confirm, 'id="uncovered"')
    assert "02.11.2026–03.11.2026 får ingen publisert vaktplan" in uncovered
    assert "09.11.2026–15.11.2026 får ingen publisert vaktplan" in uncovered
    assert "legene som har vakter der, får varsel" in uncovered
    # the two share the draft's days as before; each loses the shifts on the days outside them
    assert "2 leger får endrede vakter: Anne Aas, Bjørn Berg" in confirm
    assert f"vaktplan {old}</a>" in confirm and 'id="stale-base"' not in confirm
    one_day = _version(client, "2026-11-03", "2026-11-15")
    assert "02.11.2026 får ingen publisert vaktplan" in client.get(f"/vaktplaner/{one_day}/publiser").text
    done = client.post(f"/vaktplaner/{draft}/publiser", data=_confirmed(confirm)).text
    assert f"Vaktplan {draft} er publisert. Den erstatter {old}." in done
    assert client.get(f"/api/rosters/{old}", headers=auth).json()["status"] == "superseded"
    notices = {o["doctor_id"]: o["body"] for o in client.get("/api/outbox", headers=auth).json()}
    assert "− Ikke lenger: dag Bergen legevakt 02.11" in notices["anne"]
    assert "− Ikke lenger: dag Bergen legevakt 03.11" in notices["bjorn"] and "04.11" not in notices["bjorn"]


def test_publishing_a_draft_of_a_superseded_version_warns_that_later_changes_are_undone(client, auth):
    _, rid, _ = publish_week(client)
    login(client)

    def edit(**body) -> int:
        return client.post(f"/api/rosters/{rid}/edits", headers=auth, json=body).json()["roster"]["id"]

    late = edit(action="assign", doctor="eva", shift="dag/2026-11-03", replaces="cecilie")
    newer = edit(action="remove", doctor="anne", shift="dag/2026-11-05")
    assert client.post(f"/api/rosters/{newer}/publish", headers=auth).status_code == 200
    assert client.post(f"/api/rosters/{late}/publish", headers=auth).status_code == 409  # without the warning
    confirm = client.get(f"/vaktplaner/{late}/publiser").text
    warning = " ".join(_section(confirm, 'id="stale-base"').split())
    assert f'Utkastet er laget fra <a href="/vaktplaner/{rid}">vaktplan {rid}</a>' in warning
    assert f'erstattet av <a href="/vaktplaner/{newer}">vaktplan {newer}</a>' in warning and "blir angret" in warning
    assert 'id="uncovered"' not in confirm
    done = client.post(f"/vaktplaner/{late}/publiser", data=_confirmed(confirm)).text  # the manager saw it
    assert f"Vaktplan {late} er publisert. Den erstatter {newer}." in done
    assert holder(client, auth, late, "dag/2026-11-05") == ["anne"]  # the later removal is undone, as warned


def test_publishing_is_refused_when_what_is_published_changed_after_the_confirmation(client, auth):
    _, rid, _ = publish_week(client)
    login(client)
    drafts = [client.post(f"/api/rosters/{rid}/edits", headers=auth, json={
        "action": "remove", "doctor": doctor, "shift": shift}).json()["roster"]["id"]
        for doctor, shift in (("anne", "dag/2026-11-05"), ("eva", "dag/2026-11-04"))]
    confirm = client.get(f"/vaktplaner/{drafts[0]}/publiser").text
    assert client.post(f"/api/rosters/{drafts[1]}/publish", headers=auth).status_code == 200
    page = client.post(f"/vaktplaner/{drafts[0]}/publiser", data=_confirmed(confirm)).text
    assert (f"vaktplan {drafts[1]} for samme periode ble publisert samtidig; se over den før du eventuelt "
            f"publiserer vaktplan {drafts[0]}") in page
    assert client.get(f"/api/rosters/{drafts[0]}", headers=auth).json()["status"] == "draft"
    # a version shown as replaced, superseded meanwhile by one outside the draft's period
    shown = _version(client, "2026-12-07", "2026-12-13", published=True)
    draft = _version(client, "2026-12-12", "2026-12-20")
    confirm = client.get(f"/vaktplaner/{draft}/publiser").text
    _version(client, "2026-12-01", "2026-12-10", published=True)
    page = client.post(f"/vaktplaner/{draft}/publiser", data=_confirmed(confirm)).text
    assert f"vaktplan {shown} er ikke lenger publisert; se over vaktplan {draft} på nytt" in page
    assert client.get(f"/api/rosters/{draft}", headers=auth).json()["status"] == "draft"


def test_edited_workbook_uploaded_on_the_overview_finds_its_version(client, auth):
    _, rid, _ = publish_week(client)
    login(client)
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/rosters/{rid}/workbook", headers=auth).content))
    del wb["Per lege"]
    ws = wb["Vaktplan Bakvakt spesialist"]
    row = next(r[0].row for r in ws.iter_rows(min_row=5) if getattr(r[0].value, "day", None) == 4)
    ws.cell(row, 4).value = "Una Vik"  # the day bakvakt of the 4th: Una instead of herself is no change …
    ws.cell(row, 5).value = "Siri Spes"  # … Siri takes the night instead of Tor
    buffer = io.BytesIO()
    wb.save(buffer)
    r = client.post("/scenarier", files={"fil": ("vaktplan-endret.xlsx", buffer.getvalue())}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"]).text
    assert "er lastet opp som utkast og følger de harde reglene" in page and "lastet opp fra arbeidsbok fra" in page
    new_id = int(re.search(r"/vaktplaner/(\d+)", r.headers["location"]).group(1))
    assert holder(client, auth, new_id, "bak-natt/2026-11-04") == ["sp1"]


def test_manager_pages_keep_solver_words_in_the_details(client, auth):
    _, run = solved(client, auth)
    login(client)
    page = client.get(f"/vaktplaner/{run['roster_id']}").text
    visible = page.split('<details id="detaljer">')[0]
    for word in ("gap", "feasible", "optimal", "Nedre grense", "objective", "Mål (lavere"):
        assert word not in visible, word
    details = page.split('<details id="detaljer">')[1]
    assert "Hvor god er vaktplanen?" in details and "nedre grense" in details
    run_page = client.get(f"/beregninger/{run['id']}").text
    assert "Kan bli bedre med inntil" in run_page and ">Gap<" not in run_page and ">Mål (lavere er bedre)<" not in run_page


@pytest.mark.parametrize("level, label", [(0, "Kan bli bedre med inntil"), (1, "Kan bli bedre med inntil"),
                                          (2, "Fordelingen kan bli bedre med inntil"),
                                          (3, "Ønsker og resten kan bli bedre med inntil")])
def test_the_run_pages_gap_says_which_level_it_is_about(client, auth, level, label):
    _, run = solved(client, auth)
    with client.app.state.sessions() as s:
        s.get(RunRow, run["id"]).level = level
        s.commit()
    login(client)
    page = client.get(f"/beregninger/{run['id']}").text
    assert f'<dt id="gap-label">{label}</dt>' in page
    labels = json.loads(html.unescape(re.search(r'data-gap-labels="([^"]*)"', page).group(1)))
    assert labels[str(level)] == label  # run.js writes the same when the level changes live


def test_swaps_page_lets_a_manager_approve(client, auth):
    _, rid, tokens = publish_week(client)
    login(client)
    swap = client.post(f"/api/lege/{tokens['cecilie']}/swaps", json={"shift": "dag/2026-11-03", "taker": "anne"}).json()
    client.post(f"/api/lege/{tokens['anne']}/swaps/{swap['id']}/accept")
    page = client.get("/bytter").text
    waiting = _section(page, 'id="waiting"')
    assert "Venter på godkjenning (1)" in waiting and "mer enn 15 % over rettferdig andel" in waiting
    assert "Anne Aas: 26,6 → 34,6 poeng, avvik fra rettferdig andel -1 % → +29 %" in waiting
    r = client.post(f"/bytter/{swap['id']}/godkjenn", follow_redirects=False)
    assert r.status_code == 303 and "er publisert" in client.get(r.headers["location"]).text
    assert holder(client, auth, rid + 1, "dag/2026-11-03") == ["anne"]
    assert "1 bytte venter" not in client.get("/").text


def test_doctor_page_on_call_swaps_changes_and_wishes(client, auth):
    _, rid, tokens = publish_week(client)
    login(client)
    client.post("/onskerunder", data={"fra": "2026-12-01", "til": "2026-12-31", "frist": "2026-11-15T12:00"})
    client.cookies.clear()
    eva = f"/lege/{tokens['eva']}"
    page = client.get(f"{eva}?dato=2026-11-03").text
    on_call = _section(page, 'id="paa-vakt"')
    assert "Hvem er på vakt tirsdag 03.11.2026" in on_call
    assert 'Siri Spes <a href="tel:55112233" class="phone">55 11 22 33</a>' in on_call and "Tor Bak" in on_call
    assert 'id="swap-form"' in page and 'id="request-form-1"' in page and "Frist 15.11.2026 kl. 12:00." in page
    # a wish through the form
    r = client.post(f"{eva}/onsker/1", data={"hva": "ønske", "fra": "2026-12-24", "vil": "nei", "vakttype": "natt"},
                    follow_redirects=False)
    assert r.status_code == 303 and "ønsker ikke vakt 24.12.2026 (natt 23:00–08:00)" in client.get(eva).text
    # a swap in two steps: the colleague's shifts come second, the message written first kept
    r = client.post(f"{eva}/bytte", data={"vakt": "dag/2026-11-04", "handling": "bytt", "kollega": "cecilie",
                                          "merknad": "Bryllup & fest"}, follow_redirects=False)
    step2 = _section(client.get(r.headers["location"]).text, 'id="swap-step2"')
    assert 'value="dag/2026-11-03"' in step2 and 'value="dag/2026-11-06"' in step2
    assert 'name="merknad" maxlength="300" value="Bryllup &amp; fest"' in step2
    r = client.post(f"{eva}/bytte", data={"vakt": "dag/2026-11-04", "handling": "bytt", "kollega": "cecilie",
                                          "tilbake": "dag/2026-11-06", "merknad": "Bryllup & fest"},
                    follow_redirects=False)
    assert "Tilbudet er sendt" in client.get(r.headers["location"]).text
    cecilie = f"/lege/{tokens['cecilie']}"
    swap_id = client.get(f"/api/lege/{tokens['cecilie']}/swaps").json()["to_me"][0]["id"]
    assert f'action="{cecilie}/bytte/{swap_id}/ja"' in client.get(cecilie).text
    assert "«Bryllup &amp; fest»" in client.get(cecilie).text
    r = client.post(f"{cecilie}/bytte/{swap_id}/ja", follow_redirects=False)
    assert "Byttet er godkjent" in client.get(r.headers["location"]).text
    page = client.get(eva).text
    changed = _section(page, 'id="changes-')
    assert "Ny</span> dag Bergen legevakt 06.11 08:00–16:00" in changed and "<s>dag Bergen legevakt 04.11" in changed
    assert '<li class="new"><span class="when">fredag 06.11.2026' in page


def test_a_swap_form_pressed_twice_shows_what_the_first_press_did(client, auth):
    """The browser shows the second press's answer: it must not say the first one failed."""
    _, rid, tokens = publish_week(client)
    anne, cecilie = f"/lege/{tokens['anne']}", f"/lege/{tokens['cecilie']}"
    for _ in range(2):
        r = client.post(f"{anne}/bytte", data={"vakt": "dag/2026-11-02", "handling": "gi", "kollega": ""},
                        follow_redirects=False)
        assert "Tilbudet er sendt" in client.get(r.headers["location"]).text
    offers = client.get(f"/api/lege/{tokens['cecilie']}/swaps").json()["offers"]
    assert len(offers) == 1
    for _ in range(2):
        r = client.post(f"{cecilie}/bytte/{offers[0]['id']}/ja", follow_redirects=False)
        page = client.get(r.headers["location"]).text
        assert "Byttet er godkjent" in page and "kan du ikke ta imot" not in page
    assert holder(client, auth, rid + 1, "dag/2026-11-02") == ["cecilie"]
    assert len(client.get("/api/rosters", headers=auth).json()) == 2  # one new version, not two
    # another colleague's yes is still told the offer is taken, and a new offer of a shift on offer is refused
    r = client.post(f"/lege/{tokens['dag']}/bytte/{offers[0]['id']}/ja", follow_redirects=False)
    assert "tilbudet er allerede tatt" in client.get(r.headers["location"]).text
    client.post(f"{cecilie}/bytte", data={"vakt": "dag/2026-11-03", "handling": "gi", "kollega": ""})
    r = client.post(f"{cecilie}/bytte", data={"vakt": "dag/2026-11-03", "handling": "gi", "kollega": "anne"},
                    follow_redirects=False)
    assert "du har allerede tilbudt denne vakten" in client.get(r.headers["location"]).text


def test_a_wish_form_pressed_twice_stores_the_wish_once(client, auth):
    _, _, tokens = publish_week(client)
    login(client)
    client.post("/onskerunder", data={"fra": "2026-12-01", "til": "2026-12-31", "frist": "2026-11-15T12:00"})
    client.cookies.clear()
    eva = f"/lege/{tokens['eva']}"
    wish = {"hva": "ønske", "fra": "2026-12-24", "vil": "nei", "vakttype": "natt"}
    for _ in range(2):
        r = client.post(f"{eva}/onsker/1", data=wish, follow_redirects=False)
        assert "Ønsket er lagret" in client.get(r.headers["location"]).text
    assert client.get(eva).text.count("ønsker ikke vakt 24.12.2026 (natt 23:00–08:00)") == 1
    client.post(f"{eva}/onsker/1", data={**wish, "vil": "ja"})  # a different wish is a wish of its own
    assert len(client.get(f"/api/lege/{tokens['eva']}/requests").json()) == 2


def test_doctor_sees_the_whole_roster_read_only(client, auth):
    _, rid, tokens = publish_week(client)
    page = client.get(f"/lege/{tokens['sp1']}/vaktplan").text
    assert 'id="st-BLV"' in page and 'id="st-BAK"' in page and "<mark>Siri Spes</mark>" in page
    assert 'method="post"' not in page and "Rettferdighet" not in page
    assert 'id="st-BLV"' not in client.get(f"/lege/{tokens['sp1']}/vaktplan?stasjon=BAK").text
    assert client.get("/lege/ukjent/vaktplan").status_code == 404
    mine = client.get(f"/lege/{tokens['eva']}/vaktplan?mine=ja").text  # Eva works 04.11 and 07.11 on site
    rows = re.findall(r"<tr class=\"[^\"]*\"><th[^>]*>([^<]*)", _section(mine, 'id="st-BLV"'))
    assert rows == ["ons 04.11", "lør 07.11"] and 'id="st-BAK"' not in mine
    assert 'name="mine" value="ja" checked' in mine
    assert 'id="st-BAK"' in client.get(f"/lege/{tokens['eva']}/vaktplan").text  # unticked: everyone's


def test_request_round_page_and_deadline_messages(client, auth):
    publish_week(client)
    login(client)
    r = client.post("/onskerunder", data={"fra": "2026-12-31", "til": "2026-12-01", "frist": "2026-11-15T12:00"})
    assert r.status_code == 422 and "Siste dag: kan ikke være før første dag" in r.text
    r = client.post("/onskerunder", data={"fra": "2026-12-01", "til": "2026-12-31", "frist": "2026-11-15T12:00"},
                    follow_redirects=False)
    page = client.get(r.headers["location"]).text
    assert "Legene kan legge inn ønsker til 15.11.2026 kl. 12:00" in page and "Ønsker og fravær lagt inn: 0." in page
    client.app.state.clock = lambda: dt.datetime(2026, 11, 16, tzinfo=OSLO)
    assert "Fristen gikk ut 15.11.2026 kl. 12:00" in client.get(r.headers["location"].split("?")[0]).text
    assert set(WEEK_NAMES) >= {"eva"}


def _week_after(client, start: str, end: str) -> int:
    """A scenario for the days after ``_version``'s: Anne stays, Bjørn has left, Cato is new."""
    sc = f.scenario(start, end, templates=[f.template("dag", "08:00", "16:00", label="dag")],
                    doctors=[f.doctor("anne", name="Anne Aas"), f.doctor("cato", name="Cato Carlsen")],
                    stations=[f.station("BLV", name="Bergen legevakt")], name=f"neste fra {start}")
    with client.app.state.sessions() as s:
        row = store(s, sc, "test", "leder")
        s.commit()
        return row.id


def test_the_period_before_is_carried_from_its_published_roster(client, auth):
    rid = _version(client, "2026-11-30", "2026-12-06", published=True)  # Anne: 30.11, 02.12, 04.12, 06.12
    sid = _week_after(client, "2026-12-07", "2026-12-13")
    login(client)
    page = client.get(f"/scenarier/{sid}").text
    assert f"Vaktplan {rid} (30.11.2026–06.12.2026) er publisert for tiden før" in page
    answer = client.post(f"/scenarier/{sid}/for-inn", follow_redirects=False)
    new_id = int(re.search(r"/scenarier/(\d+)\?", answer.headers["location"]).group(1))
    assert new_id != sid
    page = client.get(answer.headers["location"]).text
    assert (f"Nytt scenario med vaktplan {rid} ført inn: historikk for 1 lege, 4 tidligere vakter fra 30.11.2026 "
            f"og 0 høytidsvakter. 1 lege i vaktplan {rid} er ikke med i scenarioet og er ikke tatt med: "
            "Bjørn Berg.") in page
    assert "Scenarioet har vaktene fra 30.11.2026 og historikk for 1 lege ført inn." in page
    with client.app.state.sessions() as s:
        carried = load(s.get(ScenarioRow, new_id))
        original = load(s.get(ScenarioRow, sid))
    assert original.carry_in == [] and original.history == []  # the uploaded scenario is left as it was
    assert carried.carry_in_from == dt.date(2026, 11, 30)
    assert sorted((c.doctor, c.start.date()) for c in carried.carry_in) == [
        ("anne", dt.date(2026, 11, 30)), ("anne", dt.date(2026, 12, 2)), ("anne", dt.date(2026, 12, 4)),
        ("anne", dt.date(2026, 12, 6))]
    assert [(h.doctor, h.shifts) for h in carried.history] == [("anne", 4)]  # Bjørn has left, Cato is new


def test_carrying_is_refused_without_a_published_roster_ending_the_day_before(client, auth):
    _version(client, "2026-11-30", "2026-12-06", published=True)
    gap = _week_after(client, "2026-12-08", "2026-12-14")
    overlap = _week_after(client, "2026-12-05", "2026-12-11")
    login(client)
    assert "Ingen publisert vaktplan har 07.12.2026, dagen før perioden" in client.get(f"/scenarier/{gap}").text
    page = client.post(f"/scenarier/{gap}/for-inn").text
    refusal = page[page.index('id="forrige-feil"'):page.index("</div>", page.index('id="forrige-feil"'))]
    assert "Forrige periode ble ikke ført inn: ingen publisert vaktplan har 07.12.2026, dagen før perioden" in refusal
    page = client.post(f"/scenarier/{overlap}/for-inn").text
    assert "går til 06.12.2026, inn i denne perioden; bare en vaktplan som slutter 04.12.2026 kan føres inn" in page
    with client.app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ScenarioRow)) == 3  # nothing stored


def test_the_api_carries_the_period_before_too(client, auth):
    _version(client, "2026-11-30", "2026-12-06", published=True)
    sid = _week_after(client, "2026-12-07", "2026-12-13")
    gap = _week_after(client, "2026-12-08", "2026-12-14")
    answer = client.post(f"/api/scenarios/{sid}/carry", headers=auth)
    assert answer.status_code == 201
    with client.app.state.sessions() as s:
        carried = load(s.get(ScenarioRow, answer.json()["id"]))
    assert carried.carry_in_from == dt.date(2026, 11, 30) and {c.doctor for c in carried.carry_in} == {"anne"}
    refused = client.post(f"/api/scenarios/{gap}/carry", headers=auth)
    assert refused.status_code == 422 and refused.json()["problems"][0].startswith(
        "ingen publisert vaktplan har 07.12.2026, dagen før perioden")


def test_the_scenario_page_warns_when_a_published_doctors_id_has_another_name_here(client, auth):
    _version(client, "2026-11-30", "2026-12-06", published=True)  # Anne Aas and Bjørn Berg
    same = _week_after(client, "2026-12-07", "2026-12-13")  # Anne Aas again, and a new id
    sc = f.scenario("2026-12-14", "2026-12-20", templates=[f.template("dag", "08:00", "16:00", label="dag")],
                    doctors=[f.doctor("anne", name="ANNE  aas"), f.doctor("bjorn", name="Berit Bø")],
                    stations=[f.station("BLV", name="Bergen legevakt")], name="id gitt videre")
    with client.app.state.sessions() as s:
        reused = store(s, sc, "test", "leder").id
        s.commit()
    login(client)
    assert 'id="renamed"' not in client.get(f"/scenarier/{same}").text
    page = client.get(f"/scenarier/{reused}").text
    assert "bjorn: «Bjørn Berg» i publisert vaktplan, «Berit Bø» her" in page and "anne:" not in page


def test_a_link_shows_colleagues_only_for_the_periods_its_doctor_works_in(client, auth):
    """A link outlives the doctor's part in the rota; the whole roster and who is on call (names and
    phone numbers) are shown only for published periods whose scenario has the doctor."""
    _version(client, "2026-11-30", "2026-12-06", published=True)  # Anne and Bjørn
    _week_after(client, "2026-12-07", "2026-12-13")  # Cato is in a stored scenario, in no published one
    with client.app.state.sessions() as s:
        tokens = links.ensure(s, ["anne", "cato"])
        s.commit()
    assert [d["station"] for d in client.get(f"/api/lege/{tokens['anne']}/on-call?date=2026-12-01").json()]
    assert client.get(f"/api/lege/{tokens['anne']}/on-call?date=2027-03-01").json() == []
    assert client.get(f"/api/lege/{tokens['cato']}/on-call?date=2026-12-01").json() == []
    assert "Anne Aas" in client.get(f"/lege/{tokens['anne']}/vaktplan").text
    page = client.get(f"/lege/{tokens['cato']}/vaktplan").text
    assert "Anne Aas" not in page and "Ingen publisert vaktplan har deg med ennå." in page
    assert "Anne Aas" not in client.get(f"/lege/{tokens['cato']}?dato=2026-12-01").text


def test_a_doctor_sees_what_is_registered_about_them(client, auth):
    """GDPR art. 15 from the doctor's own link: their row, absences and history, nobody else's."""
    sc = f.scenario("2026-12-07", "2026-12-13", templates=[f.template("dag", "08:00", "16:00", label="dag")],
                    doctors=[f.doctor("anne", name="Anne Aas", phone="55 00 11 22", birth_date="1970-05-04",
                                      exemptions=[{"reason": "amming", "start": "2026-12-01", "end": "2027-03-31"}]),
                             f.doctor("bjorn", name="Bjørn Berg", exemptions=[{"reason": "graviditet"}])],
                    stations=[f.station("BLV", name="Bergen legevakt")], name="desember",
                    absences=[{"doctor": "anne", "start": "2026-12-08", "end": "2026-12-09", "kind": "kurs"},
                              {"doctor": "bjorn", "start": "2026-12-10", "end": "2026-12-11", "kind": "sykdom"}])
    with client.app.state.sessions() as s:
        store(s, sc, "test", "leder")
        tokens = links.ensure(s, ["anne"])
        s.commit()
    page = _section(client.get(f"/lege/{tokens['anne']}").text, 'id="opplysninger"')
    assert "04.05.1970" in page and "55 00 11 22" in page and "amming (01.12.2026–31.03.2027)" in page
    assert "kurs 08.12.2026–09.12.2026" in page
    assert "graviditet" not in page and "sykdom" not in page and "Bjørn" not in page
    record = client.get(f"/api/lege/{tokens['anne']}/opplysninger").json()
    assert record["doctor"]["id"] == "anne" and [a["kind"] for a in record["absences"]] == ["kurs"]
