"""The Alembic migrations build exactly the schema the ORM models describe."""

from __future__ import annotations

from alembic import command

from api.db import alembic_config, make_engine, upgrade


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
