"""Engine, sessions and schema migrations (Alembic, run at start-up)."""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.config import StartupError

MIGRATIONS = Path(__file__).parent / "migrations"


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None in memory or for a ``file:`` URI."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def private_sqlite_file(url: str) -> None:
    """The SQLite file (it holds sick leave) readable by the service's user only: created 0600,
    and an existing file (with its WAL and shared-memory files, which SQLite creates with the
    database file's mode) tightened to 0600."""
    path = sqlite_file(url)
    if path is None:
        return
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


IN_USE = ("databasen brukes allerede av en annen prosess med vaktplan-tjenesten (startet to ganger, eller med "
          "flere arbeidsprosesser); tjenesten kjører i én prosess per database: stopp den andre først")

_claims: dict[str, list] = {}  # the database's URL: [its unclaim, the apps of this process holding it]
_claims_lock = threading.Lock()
CHECK_SECONDS = 15.0  # how often a PostgreSQL claim is checked (``_AdvisoryLock.held``)
log = logging.getLogger(__name__)


def stop_process() -> None:
    """What a service does when another process has taken its database: stop as Ctrl-C does
    (runs keep their best roster; the other process has marked them interrupted already)."""
    os.kill(os.getpid(), signal.SIGTERM)


def claim(engine: Engine, on_lost: Callable[[], None] = stop_process) -> Callable[[], None]:
    """This process's claim to the database, until the returned release; StartupError when another
    process holds it. Two service processes on one database each took the other's live runs for a
    dead process's (start-up marks them interrupted: the queued ones never ran, the running ones
    could not be stopped), and a cancel reached only the process running the solve. The claim is
    a lock the operating system or PostgreSQL drops when its process dies, so a killed service
    restarts at once. The apps of one process (tests build many) share it. On PostgreSQL it is
    checked every ``CHECK_SECONDS``, and ``on_lost`` called once another process holds it."""
    key = engine.url.render_as_string(hide_password=True)
    with _claims_lock:
        held = _claims.get(key)
        if held is None:
            held = _claims[key] = [_lock(engine, on_lost), 0]
        held[1] += 1

    def release() -> None:
        with _claims_lock:
            held[1] -= 1
            if held[1] == 0:
                del _claims[key]
                held[0]()

    return release


def _lock(engine: Engine, on_lost: Callable[[], None]) -> Callable[[], None]:
    """SQLite: ``flock`` on a file beside the database file (SQLite's own locks are ``fcntl``
    locks, which ``flock`` leaves alone); PostgreSQL: an advisory lock of the schema, held by a
    connection kept out of the pool and watched. Returns what frees it."""
    if engine.dialect.name == "sqlite":
        path = sqlite_file(engine.url.render_as_string())
        if path is None:
            return lambda: None
        handle = os.open(path.with_name(path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            raise StartupError(IN_USE) from None
        return lambda: os.close(handle)
    lock = _AdvisoryLock(engine)
    stop = _watched(lock, on_lost)

    def unlock() -> None:
        stop.set()
        lock.release()

    return unlock


def _watched(lock: _AdvisoryLock, on_lost: Callable[[], None], every: float = CHECK_SECONDS) -> threading.Event:
    """Checks ``lock`` every ``every`` seconds until the returned event is set, and calls
    ``on_lost`` once (then stops) when another process holds it."""
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(every):
            if not lock.held():
                log.error("another process has taken the database since its server restarted; stopping")
                on_lost()
                return

    threading.Thread(target=watch, name="claim-watch", daemon=True).start()
    return stop


class _AdvisoryLock:
    """The PostgreSQL claim. A restart of the server ends the lock's connection and with it the
    lock, and nothing told the service: a second service started after it ran beside the first
    unrefused. ``held`` takes the lock again on a new connection."""

    SQL = "SELECT pg_try_advisory_lock(hashtext('legevakt-roster ' || coalesce(current_schema(), '')))"

    def __init__(self, engine: Engine):
        self.engine = engine
        self._mutex = threading.Lock()  # the watch and the release never use the connection at once
        self._released = False
        self.conn: Connection | None = self._take()
        if self.conn is None:
            raise StartupError(IN_USE)

    def _take(self) -> Connection | None:
        conn = self.engine.connect()
        if not conn.scalar(text(self.SQL)):
            conn.close()
            return None
        conn.commit()  # the lock is the session's; no transaction stays open for months
        return conn

    def held(self) -> bool:
        """False once another process holds the claim. While the server cannot be reached no
        other process can take it either, so it stays this one's until the server answers."""
        with self._mutex:
            if self._released:
                return True
            if self.conn is not None:
                try:
                    self.conn.exec_driver_sql("SELECT 1")
                    self.conn.commit()
                    return True
                except SQLAlchemyError:
                    self._drop()
            try:
                self.conn = self._take()
            except SQLAlchemyError:
                return True
            if self.conn is not None:
                log.warning("the database claim was lost (a restart of its server?) and is taken again")
            return self.conn is not None

    def release(self) -> None:
        with self._mutex:
            self._released = True
            self._drop()

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.invalidate()  # closes the session itself, and with it the lock
            self.conn.close()
            self.conn = None


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
