"""The re-plan form and change files with values no manager means (issue 14): a year-1 moment, a
demand of 999, a 200-character shift type. Each is a Norwegian message naming the field; none is a
500 or stores anything."""

from __future__ import annotations

import pytest
from test_replan_api import _published
from web_helpers import tiny_scenario_json

from api.services.replan_form import ReplanForm, changes_from_form
from roster.models import Scenario
from roster.scenario_io import InputError

SCENARIO = Scenario.model_validate_json(tiny_scenario_json())


@pytest.mark.parametrize(("form", "expected"), [
    ({"lege": "anne", "fra": "2026-10-24", "naa": "0001-01-01"},
     ["Tidspunkt for omplanleggingen: tidspunktet må ligge mellom 01.01.1900 og 31.12.2199"]),
    ({"lege": "anne", "fra": "0001-01-01", "hva": "slutter"},
     ["Fra dato: datoen må ligge mellom 01.01.1900 og 31.12.2199"]),
    ({"vakttype": "dag", "dato": "2026-10-24", "min_leger": "999"}, ["Min leger: kan være høyst 100"]),
    ({"vakttype": "x" * 200, "dato": "2026-10-24", "min_leger": "1"},
     [f"Vakttype: «{'x' * 60}… (200 tegn)» finnes ikke i scenarioet"]),
    ({"lege": "y" * 200, "fra": "2026-10-24", "hva": "slutter"},
     [f"Lege: «{'y' * 60}… (200 tegn)» finnes ikke i scenarioet"]),
])
def test_hostile_replan_form_values_are_named_by_their_label(form, expected):
    with pytest.raises(InputError) as info:
        changes_from_form(SCENARIO, ReplanForm(**form))
    assert info.value.problems == expected


def test_a_change_file_moment_in_the_year_1_is_refused_with_its_path(client, auth):
    rid, _ = _published(client, auth)
    r = client.post(f"/api/rosters/{rid}/replan", headers=auth, json={"now": "0001-01-01T00:00"})
    assert r.status_code == 422
    assert r.json()["problems"] == ["now: datoen må ligge mellom 01.01.1900 og 31.12.2199"]
