"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import select, text
from test_publish_concurrency import tiny

from api.db import alembic_config, make_engine, upgrade
from api.main import create_app
from api.orm import RosterRow
from api.services.published import doctor_shifts
from roster.models import Assignment, Roster


def test_migrations_match_the_models(settings):
    engine = make_engine(settings.db_url())
    upgrade(engine)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.check(cfg)  # raises when autogenerate would find a difference
    upgrade(engine)  # a second upgrade at the next start is a no-op
    engine.dispose()


def test_upgrade_links_earlier_replans_to_their_base(settings):
    """Before 0002 a re-plan named its base only in its scenario's source; the upgrade copies it."""
    import sqlalchemy as sa

    engine = make_engine(settings.db_url())
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        for i, source in ((1, "bergen.xlsx"), (2, "omplanlegging av vaktplan 1")):
            conn.execute(sa.text("INSERT INTO scenarios (id, name, period_start, period_end, source, body, created_by, "
                                 "created_at) VALUES (:i, 'x', '2026-12-01', '2026-12-31', :s, '{}', 'leder', "
                                 "'2026-12-01 00:00:00')"), {"i": i, "s": source})
            conn.execute(sa.text("INSERT INTO roster_versions (id, scenario_id, status, period_start, period_end, body, "
                                 "violations, created_at) VALUES (:i, :i, 'draft', '2026-12-01', '2026-12-31', '{}', "
                                 "'[]', '2026-12-01 00:00:00')"), {"i": i})
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, parent_id, origin FROM roster_versions ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, None, "beregning"), (2, 1, "omplanlegging")]
    with engine.begin() as conn:  # and back down again
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()


def test_upgrade_repairs_a_double_publish_and_the_start_indexes_what_was_published(settings):
    """A database the publish race left with two published versions of one period: the newest
    stays published (the unique index can then be made), and the doctors' index is filled."""
    engine = make_engine(settings.db_url())
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    scenario = tiny()
    roster = Roster(scenario=scenario.name, period=scenario.period,
                    assignments=[Assignment(doctor="anne", template="dag", date=scenario.period.start)])
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO scenarios (id, name, period_start, period_end, source, body, created_by, "
                          "created_at) VALUES (1, 'liten', :a, :b, '', :body, 'leder', :now)"),
                     {"a": scenario.period.start, "b": scenario.period.end, "body": scenario.model_dump_json(),
                      "now": dt.datetime.now(dt.timezone.utc)})
        for version in (1, 2):
            conn.execute(text("INSERT INTO roster_versions (id, scenario_id, status, period_start, period_end, body, "
                              "violations, created_at) VALUES (:id, 1, 'published', :a, :b, :body, '[]', :now)"),
                         {"id": version, "a": scenario.period.start, "b": scenario.period.end,
                          "body": roster.model_dump_json(), "now": dt.datetime.now(dt.timezone.utc)})
    engine.dispose()
    app = create_app(settings)  # upgrades to head, then fills the index
    with app.state.sessions() as s:
        assert [(r.id, r.status, r.superseded_by) for r in s.scalars(select(RosterRow).order_by(RosterRow.id))] == [
            (1, "superseded", 2), (2, "published", None)]
        name, shifts = doctor_shifts(s, "anne")
    assert name == "Anne Aas" and [(x.shift.key, x.roster_id) for x in shifts] == [("dag/2026-10-24", 2)]
    app.state.engine.dispose()
