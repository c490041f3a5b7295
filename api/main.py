"""The app factory: ``create_app(settings)`` wires settings, database, job pool and routers.

Everything mutable hangs off ``app.state`` (one app, one pool, one engine), never module globals, so
tests build as many independent apps as they like.
"""

from __future__ import annotations

import datetime as dt
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from api import db
from api.config import Settings
from api.deps import LoginRequired
from api.jobs import JobManager
from api.protection import Protection
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
from api.services.auth import PasswordChecker
from api.services.notices import Mailer
from api.services.parsing import UploadParser
from api.templating import install_filters
from roster.calendar import OSLO
from roster.scenario_io import InputError, validation_problems

HERE = Path(__file__).parent


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    if not settings.data_dir.exists():  # a new data folder is the service's alone (0700)
        settings.data_dir.mkdir(parents=True)
        settings.data_dir.chmod(0o700)
    engine = db.make_engine(settings.db_url())
    db.upgrade(engine)
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

    app.add_middleware(Protection, trusted_origins=settings.trusted_origins)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for module in (auth, scenarios, runs, rosters, doctors, swaps, wishes, audit, pages, daily_pages, doctor_pages):
        app.include_router(module.router)

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> RedirectResponse:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/logg-inn?neste={quote(target)}", status_code=status.HTTP_303_SEE_OTHER)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
        """Norwegian, like every other refusal: the field's path and what was wrong."""
        problems = validation_problems(exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "ugyldig forespørsel", "problems": problems},
                                status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
        return templates.TemplateResponse(request, "bad_request.html", {"problems": problems},
                                          status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    @app.exception_handler(InputError)
    async def _bad_input(request: Request, exc: InputError) -> Response:
        if not request.url.path.startswith("/api/"):
            return templates.TemplateResponse(request, "bad_request.html", {"problems": exc.problems,
                                              "heading": "Dataene kunne ikke leses"},
                                              status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
        return JSONResponse({"detail": "ugyldig scenario", "problems": exc.problems},
                            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)

    return app
