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
