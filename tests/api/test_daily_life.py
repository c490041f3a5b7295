"""The roster in daily life through the JSON API: hand edits and edited workbooks, swaps and
give-aways, wishes for the next period, the re-plan job, who is on call, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from web_helpers import WEEK_NAMES, holder, publish_week, wait_for, week_scenario

from api.orm import RosterRow
from api.services import edits
from api.services.rosters import load_roster
from roster.calendar import OSLO
from roster.edits import Edit
from roster.models import Period


def _edit(client, auth, rid, **body):
    return client.post(f"/api/rosters/{rid}/edits", headers=auth, json=body)


def _set_clock(client, *moment):
    client.app.state.clock = lambda: dt.datetime(*moment, tzinfo=OSLO)


# --------------------------------------------------------------------------- hand edits


def test_hand_edit_makes_a_draft_and_further_edits_collect_in_it(client, auth):
    _, rid, _ = publish_week(client)
    r = _edit(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-03", replaces="cecilie")
    assert r.status_code == 201, r.text
    body = r.json()
    draft = body["roster"]
    assert body["description"] == ("Eva Fos satt inn på Dag Bergen legevakt 03.11.2026 08:00–16:00 "
                                   "i stedet for Cecilie Dahl")
    assert (draft["status"], draft["parent_id"], draft["origin"], draft["violations"]) == ("draft", rid, "endring", [])
    assert holder(client, auth, draft["id"], "dag/2026-11-03") == ["eva"]
    assert holder(client, auth, rid, "dag/2026-11-03") == ["cecilie"]  # the published version is untouched
    # a second edit goes into the same hand-edited draft; the removed place is declared, so it may be published
    r = _edit(client, auth, draft["id"], action="remove", doctor="Anne Aas", shift="dag/08.11.2026")
    assert r.status_code == 201 and r.json()["roster"]["id"] == draft["id"]
    assert r.json()["roster"]["roster"]["open_slots"] == [
        {"template": "dag", "date": "2026-11-08", "missing": 1, "reason": "fjernet for hånd"}]
    assert client.post(f"/api/rosters/{draft['id']}/publish", headers=auth).status_code == 200
    assert client.get(f"/api/rosters/{rid}", headers=auth).json()["status"] == "superseded"
    assert [a["action"] for a in client.get("/api/audit", headers=auth).json()].count("endre-vaktplan") == 2


def test_an_edit_that_read_its_draft_before_a_publish_goes_to_a_new_draft_made_from_it(client, auth):
    _, rid, _ = publish_week(client)
    draft = _edit(client, auth, rid, action="remove", doctor="anne", shift="dag/2026-11-08").json()["roster"]["id"]
    with client.app.state.sessions() as s:
        seen = s.get(RosterRow, draft)  # the edit's request read the draft ...
        assert seen.status == "draft"
        assert client.post(f"/api/rosters/{draft}/publish", headers=auth).status_code == 200  # ... then it was published
        target, _ = edits.edit_version(s, seen, Edit("remove", "cecilie", "dag/2026-11-03", None), "leder")
        s.commit()
        assert (target.id != draft, target.parent_id, target.status) == (True, draft, "draft")
        assert "cecilie" not in [a.doctor for a in load_roster(target).assignments if a.date == dt.date(2026, 11, 3)]
    assert client.get(f"/api/rosters/{draft}", headers=auth).json()["status"] == "published"
    assert holder(client, auth, draft, "dag/2026-11-03") == ["cecilie"]  # the published roster never changed


def test_hand_edit_that_breaks_a_rule_is_refused_with_the_rule_and_the_doctor(client, auth):
    _, rid, _ = publish_week(client)
    before = len(client.get("/api/rosters", headers=auth).json())
    # Bjørn's night ends 08:00 on the 3rd: the day shift from 08:00 leaves him no rest
    r = _edit(client, auth, rid, action="assign", doctor="bjorn", shift="dag/2026-11-03", replaces="cecilie")
    assert r.status_code == 422
    problems = r.json()["problems"]
    assert problems[0] == ("Bjørn Berg satt inn på Dag Bergen legevakt 03.11.2026 08:00–16:00 i stedet for "
                           "Cecilie Dahl bryter harde regler:")
    assert any(p.startswith("Hvile mellom vakter: ") and "Bjørn Berg" in p for p in problems[1:])
    assert len(client.get("/api/rosters", headers=auth).json()) == before  # nothing stored
    r = _edit(client, auth, rid, action="assign", doctor="ukjent", shift="dag/2026-11-03")
    assert r.status_code == 422 and r.json()["problems"] == ["ukjent lege «ukjent»"]
    r = _edit(client, auth, rid, action="remove", doctor="eva", shift="dag/2026-11-03")
    assert r.status_code == 422 and r.json()["problems"] == [
        "Eva Fos har ikke vakten Dag Bergen legevakt 03.11.2026 08:00–16:00"]


def test_pin_is_kept_in_the_scenario(client, auth):
    sid, rid, _ = publish_week(client)
    r = _edit(client, auth, rid, action="pin", doctor="dag", shift="natt/2026-11-04", replaces="aase")
    assert r.status_code == 201, r.text
    new = r.json()["roster"]
    assert new["scenario_id"] != sid
    pins = client.get(f"/api/scenarios/{new['scenario_id']}/body", headers=auth).json()["pins"]
    assert pins == [{"doctor": "dag", "date": "2026-11-04", "template": "natt", "voluntary": False}]
    # taking a pinned doctor off again breaks the pin rule
    r = _edit(client, auth, new["id"], action="remove", doctor="dag", shift="natt/2026-11-04")
    assert r.status_code == 422 and any(p.startswith("Låste vakter: ") for p in r.json()["problems"])


def test_superseded_version_is_not_edited(client, auth):
    _, rid, _ = publish_week(client)
    draft = _edit(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-03",
                  replaces="cecilie").json()["roster"]["id"]
    client.post(f"/api/rosters/{draft}/publish", headers=auth)
    r = _edit(client, auth, rid, action="remove", doctor="anne", shift="dag/2026-11-02")
    assert r.status_code == 409 and f"erstattet av vaktplan {draft}" in r.json()["detail"]


# --------------------------------------------------------------------------- edited workbooks


def _edited_workbook(client, auth, rid, day: str, name: str) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/rosters/{rid}/workbook", headers=auth).content))
    ws = wb["Vaktplan Bergen legevakt"]
    column = next(c.column for c in ws[4] if c.value == "dag 08:00–16:00")
    row = next(r[0].row for r in ws.iter_rows(min_row=5) if isinstance(r[0].value, dt.datetime)
               and r[0].value.date().isoformat() == day)
    ws.cell(row, column).value = name
    del wb["Per lege"]  # as the reader asks when the two disagree: the station sheets are the ones edited
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_draft_of_a_superseded_version_is_not_published_over_the_newer_one(client, auth):
    _, rid, _ = publish_week(client)
    late = _edit(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-03",
                 replaces="cecilie").json()["roster"]["id"]
    newer = _edit(client, auth, rid, action="remove", doctor="anne", shift="dag/2026-11-05").json()["roster"]["id"]
    assert client.post(f"/api/rosters/{newer}/publish", headers=auth).status_code == 200
    r = client.post(f"/api/rosters/{late}/publish", headers=auth)
    assert r.status_code == 409 and r.json()["detail"].startswith(
        f"vaktplan {late} er laget fra vaktplan {rid}, som er erstattet av vaktplan {newer} siden; "
        "publisering ville angre det som er publisert etter den.")
    assert client.get(f"/api/rosters/{late}", headers=auth).json()["status"] == "draft"
    assert client.get(f"/api/rosters/{newer}", headers=auth).json()["status"] == "published"


def test_edited_workbook_comes_back_as_a_draft_of_its_version(client, auth):
    _, rid, _ = publish_week(client)
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/rosters/{rid}/workbook", headers=auth).content))
    assert wb["Sammendrag"].oddHeader.right.text == f"Vaktplan {rid} · publisert"
    data = _edited_workbook(client, auth, rid, "2026-11-03", "Eva Fos")
    r = client.post("/api/rosters", headers=auth, files={"file": ("endret.xlsx", data)})
    assert r.status_code == 201, r.text
    new = r.json()
    assert (new["parent_id"], new["origin"], new["violations"]) == (rid, "opplasting", [])
    assert holder(client, auth, new["id"], "dag/2026-11-03") == ["eva"]
    assert client.post(f"/api/rosters/{new['id']}/publish", headers=auth).status_code == 200


def test_edited_workbook_with_a_breach_is_stored_with_the_cell_and_cannot_be_published(client, auth):
    _, rid, _ = publish_week(client)
    data = _edited_workbook(client, auth, rid, "2026-11-03", "Bjørn Berg")
    r = client.post(f"/api/rosters/{rid}/workbook", headers=auth, files={"file": ("endret.xlsx", data)})
    assert r.status_code == 201
    [breach] = r.json()["violations"]
    assert breach["rule"] == "hvile" and breach["message"].startswith("Vaktplan Bergen legevakt!")
    assert client.post(f"/api/rosters/{r.json()['id']}/publish", headers=auth).status_code == 409
    bad = _edited_workbook(client, auth, rid, "2026-11-03", "Ukjent Person")
    r = client.post("/api/rosters", headers=auth, files={"file": ("feil.xlsx", bad)})
    assert r.status_code == 422
    assert any("ukjent lege «Ukjent Person»" in p and "!" in p for p in r.json()["problems"])


# --------------------------------------------------------------------------- swaps


def _propose(client, tokens, giver, **body):
    return client.post(f"/api/lege/{tokens[giver]}/swaps", json=body)


def _answer(client, tokens, doctor, swap_id, action):
    return client.post(f"/api/lege/{tokens[doctor]}/swaps/{swap_id}/{action}")


def test_legal_fair_swap_is_approved_by_the_rules_and_published(client, auth):
    _, rid, tokens = publish_week(client)
    r = _propose(client, tokens, "anne", shift="dag/2026-11-05", taker="cecilie", back_shift="dag/2026-11-06",
                 note="tannlege")
    assert r.status_code == 201, r.text
    swap = r.json()
    assert swap["status"] == "proposed" and swap["shift_text"] == "Dag Bergen legevakt 05.11.2026 08:00–16:00"
    assert [s["id"] for s in client.get(f"/api/lege/{tokens['cecilie']}/swaps").json()["to_me"]] == [swap["id"]]
    r = _answer(client, tokens, "cecilie", swap["id"], "accept")
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["status"] == "approved" and done["result_roster_id"] not in (None, rid)
    new = client.get(f"/api/rosters/{done['result_roster_id']}", headers=auth).json()
    assert (new["status"], new["origin"], new["parent_id"]) == ("published", "bytte", rid)
    assert client.get(f"/api/rosters/{rid}", headers=auth).json()["status"] == "superseded"
    # both calendars follow
    def days(who: str) -> set[str]:
        feed = client.get(f"/lege/{tokens[who]}/kalender.ics").text
        return set(re.findall(r"DTSTART;TZID=Europe/Oslo:(\d{8})T08", feed))  # the day shifts' dates

    assert "20261106" in days("anne") and "20261105" not in days("anne")
    assert "20261105" in days("cecilie") and "20261106" not in days("cecilie")
    # both get a change notice (queued: no SMTP here) and see it on their page
    outbox = client.get("/api/outbox", headers=auth).json()
    assert sorted((o["doctor_id"], o["recipient"], o["status"]) for o in outbox) == [
        ("anne", "anne@example.no", "queued"), ("cecilie", "cecilie@example.no", "queued")]
    [change] = client.get(f"/api/lege/{tokens['anne']}/changes").json()
    assert change == {"roster_id": new["id"], "gained": ["dag Bergen legevakt 06.11 08:00–16:00"],
                      "lost": ["dag Bergen legevakt 05.11 08:00–16:00"]}


def test_swap_over_the_share_limit_waits_for_a_manager(client, auth):
    _, rid, tokens = publish_week(client)
    swap = _propose(client, tokens, "cecilie", shift="dag/2026-11-03", taker="anne").json()
    r = _answer(client, tokens, "anne", swap["id"], "accept")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    assert r.json()["message"] == "Byttet gir en av dere mer enn 15 % over rettferdig andel; da godkjenner leder byttet."
    assert client.get(f"/api/rosters/{rid}", headers=auth).json()["status"] == "published"  # nothing yet
    waiting = client.get("/api/swaps", headers=auth).json()["waiting"]
    assert [w["id"] for w in waiting] == [swap["id"]]
    r = client.post(f"/api/swaps/{swap['id']}/approve", headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert holder(client, auth, r.json()["result_roster_id"], "dag/2026-11-03") == ["anne"]
    # a second one is rejected
    other = _propose(client, tokens, "aase", shift="natt/2026-11-04").json()  # to anyone
    assert _answer(client, tokens, "dag", other["id"], "accept").json()["status"] == "accepted"
    r = client.post(f"/api/swaps/{other['id']}/reject", headers=auth, json={"reason": "for mange netter"})
    assert r.json()["status"] == "rejected" and r.json()["message"] == "for mange netter"


def test_illegal_swap_is_refused_before_anyone_is_asked(client, auth):
    _, _, tokens = publish_week(client)
    r = _propose(client, tokens, "bjorn", shift="natt/2026-11-02", taker="cecilie")
    assert r.status_code == 422
    problems = r.json()["problems"]  # Cecilie's own rule (her rest) is hers: Bjørn is told only that she cannot
    assert problems == ["Byttet bryter harde regler:",
                        f"{WEEK_NAMES['cecilie']} kan ikke ta vakten etter reglene som gjelder for hen (legevakten ser hvorfor)"]
    assert client.get(f"/api/lege/{tokens['cecilie']}/swaps").json()["to_me"] == []
    r = _propose(client, tokens, "bjorn", shift="dag/2026-11-03", taker="eva")
    assert r.status_code == 422 and r.json()["problems"] == [
        "Bjørn Berg har ikke vakten Dag Bergen legevakt 03.11.2026 08:00–16:00"]
    _set_clock(client, 2026, 11, 2, 23, 30)  # the night has begun
    r = _propose(client, tokens, "bjorn", shift="natt/2026-11-02", taker="dag")
    assert r.status_code == 422 and "har allerede begynt" in r.json()["problems"][0]


def test_open_offer_is_shown_to_those_who_may_work_it_and_checked_on_accept(client, auth):
    _, _, tokens = publish_week(client)
    offer = _propose(client, tokens, "aase", shift="natt/2026-11-04").json()
    assert [o["id"] for o in client.get(f"/api/lege/{tokens['eva']}/swaps").json()["offers"]] == [offer["id"]]
    assert client.get(f"/api/lege/{tokens['sp1']}/swaps").json()["offers"] == []  # bakvakt only: not her station
    r = _answer(client, tokens, "eva", offer["id"], "accept")  # Eva's day shift ends 16:00: 7 h before 23:00
    assert r.status_code == 422 and any(p.startswith("Hvile mellom vakter: ") for p in r.json()["problems"])
    assert client.get(f"/api/lege/{tokens['aase']}/swaps").json()["mine"][0]["status"] == "proposed"
    r = _answer(client, tokens, "aase", offer["id"], "withdraw")
    assert r.json()["status"] == "withdrawn"


def test_swap_goes_stale_when_the_roster_changed_under_it(client, auth):
    _, rid, tokens = publish_week(client)
    swap = _propose(client, tokens, "anne", shift="dag/2026-11-05", taker="cecilie").json()
    draft = _edit(client, auth, rid, action="assign", doctor="eva", shift="dag/2026-11-05",
                  replaces="anne").json()["roster"]["id"]
    client.post(f"/api/rosters/{draft}/publish", headers=auth)
    r = _answer(client, tokens, "cecilie", swap["id"], "accept")
    assert r.status_code == 422 and "Anne Aas har ikke vakten" in r.json()["problems"][0]
    assert client.get(f"/api/lege/{tokens['anne']}/swaps").json()["mine"][0]["status"] == "stale"


def test_a_shift_that_has_begun_is_neither_offered_taken_nor_approved(client, auth):
    client.app.state.settings.swap_auto_approve = False
    _, rid, tokens = publish_week(client)
    offer = _propose(client, tokens, "anne", shift="dag/2026-11-02").json()  # to anyone
    waiting = _propose(client, tokens, "cecilie", shift="dag/2026-11-03", taker="anne").json()
    assert _answer(client, tokens, "anne", waiting["id"], "accept").json()["status"] == "accepted"
    _set_clock(client, 2026, 11, 2, 12, 0)  # Anne's day shift began at 08:00
    assert client.get(f"/api/lege/{tokens['cecilie']}/swaps").json()["offers"] == []
    r = _answer(client, tokens, "cecilie", offer["id"], "accept")
    assert r.status_code == 422 and r.json()["problems"] == [
        "Dag Bergen legevakt 02.11.2026 08:00–16:00 har allerede begynt"]
    assert client.get(f"/api/lege/{tokens['anne']}/swaps").json()["mine"][0]["status"] == "stale"
    _set_clock(client, 2026, 11, 3, 9, 0)  # the manager comes to the waiting swap after its shift began
    r = client.post(f"/api/swaps/{waiting['id']}/approve", headers=auth)
    assert r.status_code == 422 and "har allerede begynt" in r.json()["problems"][0]
    assert holder(client, auth, rid, "dag/2026-11-02") == ["anne"] and holder(client, auth, rid, "dag/2026-11-03") == ["cecilie"]
    assert client.get(f"/api/rosters/{rid}", headers=auth).json()["status"] == "published"


# --------------------------------------------------------------------------- wishes for the next period


def test_doctors_enter_wishes_before_the_deadline_and_the_manager_takes_them_in(client, auth):
    _, _, tokens = publish_week(client)
    r = client.post("/api/request-rounds", headers=auth, json={
        "period_start": "2026-12-01", "period_end": "2026-12-31", "deadline": "2026-12-02T12:00"})
    assert r.status_code == 422 and r.json()["problems"] == ["Frist: må være før periodens første dag"]
    rnd = client.post("/api/request-rounds", headers=auth, json={
        "period_start": "2026-12-01", "period_end": "2026-12-31", "deadline": "2026-11-15T12:00"}).json()
    url = f"/api/lege/{tokens['eva']}/request-rounds/{rnd['id']}/requests"
    wish = client.post(url, json={"kind": "ønske", "start": "2026-12-24", "template": "natt", "wants": False})
    absence = client.post(url, json={"kind": "fravær", "start": "2026-12-26", "end": "2026-12-31",
                                     "absence_kind": "ferie", "note": "jul"})
    assert wish.status_code == 201 and absence.status_code == 201, absence.text
    r = client.post(url, json={"kind": "ønske", "start": "2027-01-02"})
    assert r.status_code == 422 and r.json()["problems"] == ["Dato: må være i perioden 01.12.2026–31.12.2026"]
    # after the deadline nothing is added or removed
    _set_clock(client, 2026, 11, 15, 12, 1)
    r = client.post(url, json={"kind": "ønske", "start": "2026-12-10"})
    assert r.status_code == 422 and r.json()["problems"] == ["fristen for ønsker til perioden gikk ut 15.11.2026 kl. 12:00"]
    r = client.delete(f"/api/lege/{tokens['eva']}/requests/{wish.json()['id']}")
    assert r.status_code == 422
    # the manager takes them into December's scenario and its workbook
    december = week_scenario().model_copy(update={
        "name": "desember", "period": Period(start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31))})
    sid = client.post("/api/scenarios", headers=auth,
                      files={"file": ("des.json", december.model_dump_json().encode())}).json()["id"]
    merged = client.post(f"/api/scenarios/{sid}/requests", headers=auth).json()
    assert merged["added"] == 2 and merged["skipped"] == []
    body = client.get(f"/api/scenarios/{merged['scenario_id']}/body", headers=auth).json()
    assert {"doctor": "eva", "date": "2026-12-24", "template": "natt", "wants": False, "weight": 1} in body["wishes"]
    assert {"doctor": "eva", "start": "2026-12-26", "end": "2026-12-31", "kind": "ferie", "note": "jul"} in body["absences"]
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/scenarios/{sid}/template?with_requests=true",
                                                      headers=auth).content))
    assert any(r[0].value == "eva" for r in wb["Ønsker"].iter_rows(min_row=2))


# --------------------------------------------------------------------------- re-plan job


def test_replan_runs_as_a_job_with_progress_and_a_draft_at_the_end(client, auth):
    _, rid, _ = publish_week(client)
    changes = {"now": "2026-11-02T00:00",
               "absences": [{"doctor": "cecilie", "start": "2026-11-03", "end": "2026-11-03", "kind": "sykdom"}]}
    r = client.post(f"/api/rosters/{rid}/replan/runs", headers=auth, json=changes)
    assert r.status_code == 202, r.text
    run = wait_for(client, r.json()["run_id"], auth)
    assert (run["status"], run["kind"], run["base_roster_id"]) == ("finished", "omplanlegging", rid)
    assert run["solutions"] >= 1 and client.get(f"/api/runs/{run['id']}/progress", headers=auth).json()
    new = client.get(f"/api/rosters/{run['roster_id']}", headers=auth).json()
    assert (new["status"], new["parent_id"], new["origin"], new["violations"]) == ("draft", rid, "omplanlegging", [])
    assert "cecilie" not in holder(client, auth, new["id"], "dag/2026-11-03")
    r = client.post(f"/api/rosters/{rid}/replan/runs", headers=auth, json={"absences": [{"doctor": "x",
                                                                                          "start": "2026-11-03",
                                                                                          "end": "2026-11-03"}]})
    assert r.status_code == 422 and r.json()["problems"] == ["absences[0].doctor: lege «x» finnes ikke"]
    assert client.post(f"/api/rosters/{new['id']}/replan/runs", headers=auth, json=changes).status_code == 409


# --------------------------------------------------------------------------- who is on call, exports


def test_who_is_on_call_with_phone_numbers(client, auth):
    _, _, tokens = publish_week(client)
    duties = client.get(f"/api/lege/{tokens['eva']}/on-call", params={"date": "2026-11-03"}).json()
    night = next(d for d in duties if d["shift"] == "bak-natt/2026-11-03")
    assert night["bakvakt"] and night["doctors"] == [{"name": "Siri Spes", "phone": "55 11 22 33"}]
    assert {d["shift"] for d in duties} == {"natt/2026-11-02", "dag/2026-11-03", "natt/2026-11-03",
                                            "bak-natt/2026-11-02", "bak-hverdag/2026-11-03", "bak-natt/2026-11-03"}
    assert next(d for d in duties if d["shift"] == "bak-hverdag/2026-11-03")["doctors"] == [
        {"name": "Tor Bak", "phone": ""}]
    _set_clock(client, 2026, 11, 3, 2, 0)  # 02:00: last night's shifts are running
    running = {d["shift"] for d in client.get(f"/api/lege/{tokens['eva']}/on-call").json() if d["running"]}
    assert running == {"natt/2026-11-02", "bak-natt/2026-11-02"}
    assert client.get("/api/lege/ukjent/on-call").status_code == 404


def test_all_links_in_one_csv_and_workbook(client, auth):
    sid, _, _ = publish_week(client)
    listed = {d["doctor"]: d for d in client.get(f"/api/scenarios/{sid}/doctors", headers=auth).json()}
    r = client.get(f"/api/scenarios/{sid}/doctors.csv", headers=auth)
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Navn", "ID", "Rolle", "E-post", "Telefon", "Personlig side", "Kalender (iCal)"]
    assert {row[1]: (row[0], row[5], row[6]) for row in rows[1:]} == {
        d: (WEEK_NAMES[d], listed[d]["page"], listed[d]["feed"]) for d in WEEK_NAMES}
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/api/scenarios/{sid}/doctors.xlsx", headers=auth).content))
    ws = wb["Lenker"]
    assert ws.cell(4, 6).hyperlink.target == listed[ws.cell(4, 2).value]["page"]
    assert client.get(f"/api/scenarios/{sid}/doctors.csv").status_code == 401
    template = openpyxl.load_workbook(io.BytesIO(client.get("/api/scenarios/template", headers=auth).content))
    assert "Telefon" in [c.value for c in template["Leger"][1]]


@pytest.mark.parametrize("path", ["/api/swaps", "/api/outbox", "/api/request-rounds"])
def test_manager_endpoints_need_a_manager(client, path):
    assert client.get(path).status_code == 401


def test_a_doctor_is_not_told_a_colleagues_grounds():
    """Offering a night to a pregnant colleague: the checker's breach names the ground
    («fritatt (graviditet)»), health data the giver has no need to know; the manager's list keeps it."""
    from api.services.swaps import _breaches, _breaches_for
    from roster.models import Assignment, Roster
    from roster.swap import check_swap
    from tests import factories as f

    sc = f.scenario("2026-11-02", "2026-11-03", templates=[f.template("natt", "23:00", "08:00", label="natt")],
                    doctors=[f.doctor("ola", name="Ola Li"),
                             f.doctor("kari", name="Kari Ness",
                                      exemptions=[{"reason": "graviditet", "start": "2026-10-01", "end": "2027-01-31"}])])
    roster = Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor="ola", template="natt", date=day) for day in sc.period.days()])
    result = check_swap(sc, roster, "ola", "natt/2026-11-02", "kari", None)
    assert not result.legal and any("graviditet" in line for line in _breaches(result))
    told = _breaches_for(result, "ola", sc)
    assert told == ["Byttet bryter harde regler:",
                    "Kari Ness kan ikke ta vakten etter reglene som gjelder for hen (legevakten ser hvorfor)"]
