"""A stored roster and its scenario read back, for every service that needs them.

Its own module so that publishing (``rosters``) can call the services that read rosters back
(``notices``, ``published``) without either importing the other.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.orm import Session

from api.orm import RosterRow, ScenarioRow
from api.services.scenarios import load, stored_before_checks
from roster.models import Roster, Scenario


def load_roster(row: RosterRow) -> Roster:
    try:
        return Roster.model_validate_json(row.body)
    except ValidationError as exc:
        raise stored_before_checks(f"vaktplan {row.id}", exc) from None


def scenario_of(session: Session, row: RosterRow) -> Scenario:
    return load(session.get_one(ScenarioRow, row.scenario_id))
