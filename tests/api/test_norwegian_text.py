"""Norwegian as the pages write it: decimal commas in numbers and nowhere else, Norwegian words for
the solver's states, the form's own names for its choices and fields."""

from __future__ import annotations

import re

import web_helpers
from web_helpers import login, publish_week, week_scenario

from api.services.rosters import no_roster_message
from solver.budget import Budget
from solver.solve import _out_of_time


def test_the_swap_page_puts_decimal_commas_in_the_numbers_only(client, monkeypatch):
    monkeypatch.setitem(web_helpers.WEEK_NAMES, "anne", "Dr. Anne A.")
    _, _, tokens = publish_week(client)
    swap = client.post(f"/api/lege/{tokens['cecilie']}/swaps", json={"shift": "dag/2026-11-03", "taker": "anne"}).json()
    client.post(f"/api/lege/{tokens['anne']}/swaps/{swap['id']}/accept")
    login(client)
    lines = re.findall(r"<li>([^<]*poeng[^<]*)</li>", client.get("/bytter").text)
    assert "Dr. Anne A.: 26,6 → 34,6 poeng, avvik fra rettferdig andel -1 % → +29 %" in lines


def test_a_run_without_roster_says_why_in_norwegian_words_and_numbers():
    """The solver's state in the words of the CLI and the workbook, its limit with a decimal comma
    («status unknown: Tidsgrensen på 0.5 sekunder» before)."""
    sc = week_scenario()
    message = no_roster_message(_out_of_time(sc, Budget(limit=0.5), {}))
    assert message.startswith("ingen vaktplan funnet (ukjent: fant ingen vaktplan innen tidsgrensen): "
                              "Tidsgrensen på 0,5 sekunder gikk ut mens modellen ble bygget")


def test_an_edit_with_an_action_the_form_does_not_offer_names_the_forms_choices(client):
    _, roster_id, _ = publish_week(client)
    login(client)
    r = client.post(f"/vaktplaner/{roster_id}/endre",
                    data={"handling": "tull", "lege": "anne", "vakttype": "dag", "dato": "2026-11-03"})
    assert r.status_code == 422
    assert ("Handling: «tull» er ikke et valg; velg «Sett inn lege på vakten», «Fjern lege fra vakten», "
            "«Lås lege på vakten» eller «Lås lege på vakten frivillig»") in r.text
    assert "bruk assign" not in r.text
