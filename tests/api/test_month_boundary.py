"""Where two published months meet: a change to the last days of a month after the next month was
published (a swap, a hand edit, a re-plan) must not break that month's rules that look back."""

from __future__ import annotations

import datetime as dt

from web_helpers import holder, login

from api.services import carry, links
from api.services import rosters as roster_service
from api.orm import RosterRow
from api.services.scenarios import store
from roster.calendar import OSLO
from roster.models import Assignment, Roster
from tests import factories as f

DOCTORS = {"anne": "Anne Aas", "bjorn": "Bjørn Berg", "cato": "Cato Carlsen"}


def _month(start: str, end: str):
    return f.scenario(start, end, templates=[f.template("dag", "08:00", "16:00", label="dag"),
                                             f.template("natt", "23:00", "08:00", label="natt")],
                      doctors=[f.doctor(d, name=n) for d, n in DOCTORS.items()],
                      stations=[f.station("BLV", name="Bergen legevakt")], name=f"fra {start}")


def _published(s, scenario_id: int, sc, shifts: list[tuple[str, str, str]]) -> int:
    roster = Roster(scenario=sc.name, period=sc.period, assignments=[
        Assignment(doctor=d, template=t, date=dt.date.fromisoformat(day)) for d, t, day in shifts])
    row = roster_service.add_version(s, scenario_id, None, roster, roster_service.unexpected(sc, roster))
    roster_service.publish(s, row, "leder")
    return row.id


def _two_months(client) -> tuple[int, int, dict[str, str]]:
    """December's last two days and January's first two, both published, January carried from
    December: Bjørn's night of 31.12 ends 08:00 on 1.1, when Anne starts the day shift."""
    client.app.state.clock = lambda: dt.datetime(2026, 12, 1, 12, tzinfo=OSLO)
    december, january = _month("2026-12-30", "2026-12-31"), _month("2027-01-01", "2027-01-02")
    with client.app.state.sessions() as s:
        dec = _published(s, store(s, december, "des.json", "leder").id, december, [
            ("cato", "dag", "2026-12-30"), ("anne", "natt", "2026-12-30"),
            ("cato", "dag", "2026-12-31"), ("bjorn", "natt", "2026-12-31")])
        carried = carry.carry(s, store(s, january, "jan.json", "leder"), "leder").row
        jan = _published(s, carried.id, january, [
            ("anne", "dag", "2027-01-01"), ("bjorn", "natt", "2027-01-01"),
            ("cato", "dag", "2027-01-02"), ("anne", "natt", "2027-01-02")])
        tokens = links.ensure(s, list(DOCTORS))
        s.commit()
    return dec, jan, tokens


def _cato_on_the_last_night_after_the_carry(client) -> tuple[int, dict[str, str]]:
    """``_two_months``, then December published again with Cato on the night of 31.12 where
    January's scenario, carried before, still has Bjørn: (January's version, tokens)."""
    dec, jan, tokens = _two_months(client)
    december = _month("2026-12-30", "2026-12-31")
    with client.app.state.sessions() as s:
        _published(s, s.get(RosterRow, dec).scenario_id, december, [
            ("cato", "dag", "2026-12-30"), ("anne", "natt", "2026-12-30"),
            ("bjorn", "dag", "2026-12-31"), ("cato", "natt", "2026-12-31")])
        s.commit()
    return jan, tokens


def _cato_takes_the_last_night(client, auth, tokens: dict[str, str]) -> dict:
    """Cato's day of 31.12 traded for Bjørn's night, approved (by a manager when over the share
    limit); the swap as the API returns it."""
    r = client.post(f"/api/lege/{tokens['cato']}/swaps", json={"shift": "dag/2026-12-31", "taker": "bjorn",
                                                               "back_shift": "natt/2026-12-31"})
    assert r.status_code == 201, r.text
    done = client.post(f"/api/lege/{tokens['bjorn']}/swaps/{r.json()['id']}/accept").json()
    if done["status"] == "accepted":
        done = client.post(f"/api/swaps/{done['id']}/approve", headers=auth).json()
    assert done["status"] == "approved", done
    return done


def test_a_swap_on_the_last_night_is_checked_against_the_next_months_published_roster(client, auth):
    dec, jan, tokens = _two_months(client)
    # within December the trade is fine; but Anne would end the 31.12 night at 08:00 on 1.1, when
    # January has her on the day shift
    r = client.post(f"/api/lege/{tokens['bjorn']}/swaps", json={"shift": "natt/2026-12-31", "taker": "anne",
                                                                "back_shift": "natt/2026-12-30"})
    assert r.status_code == 422 and r.json()["problems"] == [
        "Byttet bryter harde regler:",
        "Anne Aas kan ikke ta vakten etter reglene som gjelder for hen (legevakten ser hvorfor)"]
    check = client.post(f"/api/rosters/{dec}/swap-check", headers=auth, json={
        "giver": "bjorn", "shift": "natt/2026-12-31", "taker": "anne", "back_shift": "natt/2026-12-30"}).json()
    assert not check["legal"] and [v["doctor"] for v in check["new_violations"]] == ["anne"]
    assert "01.01.2027" in check["new_violations"][0]["message"]
    # the same as a hand edit becomes a draft, but is not published over January's roster
    edit = client.post(f"/api/rosters/{dec}/edits", headers=auth,
                       json={"action": "assign", "doctor": "anne", "shift": "natt/2026-12-31", "replaces": "bjorn"})
    assert edit.status_code == 201, edit.text
    draft = edit.json()["roster"]["id"]
    refused = client.post(f"/api/rosters/{draft}/publish", headers=auth)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(
        f"vaktplan {draft} bryter harde regler i vaktplan {jan} (01.01.2027–02.01.2027), som er publisert for "
        "perioden etter: Anne Aas: ")
    assert holder(client, auth, dec, "natt/2026-12-31") == ["bjorn"]  # December stays as published


def test_a_change_that_leaves_the_next_month_legal_is_published(client, auth):
    _, _, tokens = _two_months(client)
    done = _cato_takes_the_last_night(client, auth, tokens)
    assert holder(client, auth, done["result_roster_id"], "natt/2026-12-31") == ["cato"]


def test_a_replan_of_the_last_night_that_breaks_the_next_month_says_so_on_the_draft(client, auth):
    """Bjørn falls ill on the 31st; only Anne may take his night within December, but she has the
    08:00 shift on 1.1. The draft showed no problem and offered «Publiser …», which was refused."""
    dec, _, _ = _two_months(client)
    r = client.post(f"/api/rosters/{dec}/replan", headers=auth, json={
        "now": "2026-12-31T06:00", "absences": [{"doctor": "bjorn", "start": "2026-12-31", "end": "2026-12-31"}]})
    assert "Anne Aas får natt Bergen legevakt 31.12 23:00–08:00" in r.json()["diff"]
    draft = r.json()["roster"]["id"]
    login(client)
    page = client.get(f"/vaktplaner/{draft}").text
    assert 'id="violations"' in page and 'id="publish"' not in page
    assert "I vaktplan 2, publisert for perioden etter: Anne Aas: bare 0 t hvile mellom Natt" in page


def test_a_month_carried_before_the_last_swap_is_not_published_against_what_was_really_worked(client, auth):
    client.app.state.clock = lambda: dt.datetime(2026, 12, 1, 12, tzinfo=OSLO)
    december, january = _month("2026-12-30", "2026-12-31"), _month("2027-01-01", "2027-01-02")
    with client.app.state.sessions() as s:
        _published(s, store(s, december, "des.json", "leder").id, december, [
            ("cato", "dag", "2026-12-30"), ("anne", "natt", "2026-12-30"),
            ("cato", "dag", "2026-12-31"), ("bjorn", "natt", "2026-12-31")])
        carried = carry.carry(s, store(s, january, "jan.json", "leder"), "leder").row.id  # Bjørn has the last night
        tokens = links.ensure(s, list(DOCTORS))
        s.commit()
    done = _cato_takes_the_last_night(client, auth, tokens)  # Cato works the night of 31.12 now
    roster = Roster(scenario=january.name, period=january.period, assignments=[
        Assignment(doctor=d, template=t, date=dt.date.fromisoformat(day)) for d, t, day in [
            ("cato", "dag", "2027-01-01"), ("bjorn", "natt", "2027-01-01"),
            ("anne", "dag", "2027-01-02"), ("cato", "natt", "2027-01-02")]])
    with client.app.state.sessions() as s:
        draft = roster_service.add_version(s, carried, None, roster, []).id  # legal under the old carry
        s.commit()
    refused = client.post(f"/api/rosters/{draft}/publish", headers=auth)
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert detail.startswith(f"vaktplan {draft} bryter harde regler mot vaktplan {done['result_roster_id']} "
                             "(30.12.2026–31.12.2026), som er publisert for perioden før: Cato Carlsen: ")
    assert detail.endswith(f"Før vaktplan {done['result_roster_id']} inn i scenarioet på nytt og beregn "
                           "vaktplanen på nytt.")


def test_a_swap_on_the_first_day_sees_the_month_before_as_it_was_really_worked(client, auth):
    jan, tokens = _cato_on_the_last_night_after_the_carry(client)
    # January's scenario still says Bjørn worked that night; Cato would start at 08:00 after it
    r = client.post(f"/api/lege/{tokens['anne']}/swaps", json={"shift": "dag/2027-01-01", "taker": "cato"})
    assert r.status_code == 422 and r.json()["problems"] == [
        "Byttet bryter harde regler:",
        "Cato Carlsen kan ikke ta vakten etter reglene som gjelder for hen (legevakten ser hvorfor)"]
    assert holder(client, auth, jan, "dag/2027-01-01") == ["anne"]


def test_a_replan_of_the_first_days_sees_the_month_before_as_it_was_really_worked(client, auth):
    jan, _ = _cato_on_the_last_night_after_the_carry(client)
    # Anne falls ill on 1.1: Cato cannot take her day shift, his night ends 08:00 that morning,
    # though January's scenario still says the night was Bjørn's
    r = client.post(f"/api/rosters/{jan}/replan", headers=auth, json={
        "now": "2026-12-20T12:00", "absences": [{"doctor": "anne", "start": "2027-01-01", "end": "2027-01-01",
                                                 "kind": "sykdom"}]})
    assert r.status_code == 201, r.text
    new = r.json()["roster"]["id"]
    assert "cato" not in holder(client, auth, new, "dag/2027-01-01")
    assert client.post(f"/api/rosters/{new}/publish", headers=auth).status_code == 200


def test_the_scenario_page_says_when_the_month_before_changed_after_it_was_carried(client, auth):
    dec, jan, _ = _two_months(client)
    with client.app.state.sessions() as s:
        carried = s.get(RosterRow, jan).scenario_id
    login(client)
    page = client.get(f"/scenarier/{carried}").text
    assert f"Det er vaktplan {dec} slik den er publisert nå." in page and 'id="forrige-endret"' not in page
    december = _month("2026-12-30", "2026-12-31")
    with client.app.state.sessions() as s:
        changed = _published(s, s.get(RosterRow, dec).scenario_id, december, [
            ("cato", "dag", "2026-12-30"), ("anne", "natt", "2026-12-30"),
            ("bjorn", "dag", "2026-12-31"), ("cato", "natt", "2026-12-31")])
        s.commit()
    page = client.get(f"/scenarier/{carried}").text
    assert (f"Det som er ført inn, er ikke vaktplan {changed} slik den er publisert nå: den er endret etter at den "
            "ble ført inn") in page
    assert f"Lag nytt scenario med vaktplan {changed} ført inn" in page
