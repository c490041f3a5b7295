"""The app factory: ``create_app(settings)`` wires settings, database, job pool and routers.

Everything mutable hangs off ``app.state`` (one app, one pool, one engine), never module globals, so
tests build as many independent apps as they like.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from api import access_log, db, errors
from api.config import Settings, StartupError, env_settings
from api.jobs import JobManager
from api.protection import Protection
from api.request_limits import RequestLimits
from api.routers import (
    audit,
    auth,
    daily_pages,
    doctor_pages,
    doctors,
    pages,
    rosters,
    runs,
    scenarios,
    swaps,
    wishes,
)
from api.security import bootstrap_managers
from api.services import published
from api.services.auth import PasswordChecker, manager_for_token
from api.services.notices import Mailer
from api.services.parsing import UploadParser
from api.templating import install_filters
from roster.files import reason
from roster.calendar import OSLO

HERE = Path(__file__).parent


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or env_settings()
    access_log.install()
    engine, release = _database(settings)
    sessions = db.session_factory(engine)
    with sessions() as session:
        published.backfill(session)  # versions published before the per-doctor index existed
    jobs = JobManager(settings, sessions)
    jobs.mark_interrupted()  # before any new job: whatever was running died with the old process
    mailer = Mailer(settings, sessions)
    mailer.start()

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        jobs.shutdown()
        mailer.stop()
        app.state.passwords.shutdown()
        release()
        engine.dispose()

    app = FastAPI(title="Legevakt vaktplan", version="0.1.0", lifespan=lifespan,
                  description="Vaktplanlegging for legevakt: opplasting, beregning, publisering og legenes kalendere.")
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.jobs = jobs
    app.state.parser = UploadParser(settings)
    app.state.mailer = mailer
    app.state.clock = lambda: dt.datetime.now(OSLO)  # tests set a fixed moment
    app.state.accounts = bootstrap_managers(settings)
    app.state.passwords = PasswordChecker(app.state.accounts, settings)
    templates = Jinja2Templates(directory=HERE / "templates")
    install_filters(templates.env)
    app.state.templates = templates

    def is_manager(token: str) -> bool:
        with sessions() as session:
            return manager_for_token(session, token) is not None

    app.add_middleware(RequestLimits, is_manager=is_manager)  # inside Protection: its refusals get the headers too
    app.add_middleware(Protection, trusted_origins=settings.trusted_origins)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (auth, scenarios, runs, rosters, doctors, swaps, wishes, audit, pages, daily_pages, doctor_pages):
        app.include_router(module.router)

    errors.install(app, templates)
    return app


def _database(settings: Settings) -> tuple[Engine, Callable[[], None]]:
    """The data folder, the engine, this process's claim to the database (``db.claim``; the
    release is returned) and the schema brought up to date. A folder that cannot be made, a
    database that cannot be opened or reached (a wrong URL or password, a full disk) or that
    another process serves is a StartupError naming where it is configured, not a traceback."""
    where = "DATABASE_URL" if settings.database_url else f"datamappen {settings.data_dir}, ROSTER_DATA_DIR eller --data"
    try:
        if not settings.data_dir.exists():  # a new data folder is the service's alone (0700)
            settings.data_dir.mkdir(parents=True)
            settings.data_dir.chmod(0o700)
        engine = db.make_engine(settings.db_url())
        release = db.claim(engine)  # before the upgrade: never migrate under a running service
        try:
            db.upgrade(engine)
        except BaseException:
            release()
            raise
    except StartupError as exc:  # another process serves it, or a newer version upgraded it
        raise StartupError(f"{exc} ({where})") from None
    except OSError as exc:  # the operating system's words are English: the common causes in Norwegian
        raise StartupError(f"databasen kan ikke åpnes ({where}): {exc.filename}: {reason(exc)}") from exc
    except (ImportError, SQLAlchemyError) as exc:  # ImportError: a URL's driver is not installed
        said = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StartupError(f"databasen kan ikke åpnes ({where}): {said}") from exc
    return engine, release
