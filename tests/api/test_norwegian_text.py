"""Norwegian as the pages write it: decimal commas in numbers and nowhere else, Norwegian words for
the solver's states, the form's own names for its choices and fields."""

from __future__ import annotations

import re

import web_helpers
from web_helpers import login, publish_week


def test_the_swap_page_puts_decimal_commas_in_the_numbers_only(client, monkeypatch):
    monkeypatch.setitem(web_helpers.WEEK_NAMES, "anne", "Dr. Anne A.")
    _, _, tokens = publish_week(client)
    swap = client.post(f"/api/lege/{tokens['cecilie']}/swaps", json={"shift": "dag/2026-11-03", "taker": "anne"}).json()
    client.post(f"/api/lege/{tokens['anne']}/swaps/{swap['id']}/accept")
    login(client)
    lines = re.findall(r"<li>([^<]*poeng[^<]*)</li>", client.get("/bytter").text)
    assert "Dr. Anne A.: 26,6 → 34,6 poeng, avvik fra rettferdig andel -1 % → +29 %" in lines
