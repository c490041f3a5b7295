"""Engine, sessions and schema migrations (Alembic, run at start-up)."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from api.config import StartupError

MIGRATIONS = Path(__file__).parent / "migrations"


def private_sqlite_file(url: str) -> None:
    """The SQLite file (it holds sick leave) readable by the service's user only: created 0600,
    and an existing file (with its WAL and shared-memory files, which SQLite creates with the
    database file's mode) tightened to 0600."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists():
            part.chmod(0o600)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        private_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record):  # noqa: ANN001
            # WAL lets the page read while a solve thread writes progress; FKs are off by default.
            cur = dbapi_conn.cursor()
            if ":memory:" not in url:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision on the engine's own connection. A database a newer
    version of the service has upgraded is refused by name (Alembic's own words are «Can't locate
    revision»): this version would misread its tables."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        script = ScriptDirectory.from_config(cfg)
        if current is not None and current not in {r.revision for r in script.walk_revisions()}:
            raise StartupError(f"databasen er oppgradert av en nyere versjon av tjenesten (skjema {current}; denne "
                               f"versjonen kjenner skjemaene til og med {script.get_current_head()}); start den nyere "
                               "versjonen, eller gjenopprett sikkerhetskopien fra før oppgraderingen")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
