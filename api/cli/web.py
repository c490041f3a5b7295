"""``roster serve``, ``roster add-manager`` and ``roster backup``: the web service's commands
(registered in api/cli/__init__.py).

Heavy imports (uvicorn, the app) happen inside the commands so ``roster --help`` stays fast.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from api.cli.common import EXIT_BAD_INPUT, check_outputs, fail_input, fail_write
from api.config import Settings, StartupError, env_settings
from roster.scenario_io import InputError


# A stop waits this long for open requests, then closes them. Without a limit uvicorn waited for every
# connection, and a manager's run page holds its progress stream until the run ends: a stop took
# the run's whole time limit (up to an hour), since the solves are told to stop only afterwards.
GRACE_SECONDS = 5


def serve(
    host: Annotated[str, typer.Option(metavar="ADRESSE", help="adresse å lytte på")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="port")] = 8000,
    data_dir: Annotated[Path | None, typer.Option("--data", metavar="MAPPE", help="mappe for SQLite-filen og lederkontoene")] = None,
) -> None:
    """Start nettjenesten (ledersider, legesider, kalenderstrøm og API på /docs)."""
    import uvicorn

    from api.main import create_app

    settings = _settings(data_dir)
    try:
        app = create_app(settings)
    except StartupError as exc:
        _refuse(exc)
    typer.echo(f"Vaktplan-tjenesten: http://{host}:{port}/  (database: {settings.db_url().split('@')[-1]})")
    uvicorn.run(app, host=host, port=port, log_config=log_config(), timeout_graceful_shutdown=GRACE_SECONDS)


def log_config() -> dict:
    """uvicorn's logging with the time (local, with its UTC offset) on every line, and the service's
    own loggers (``api.*``: a failed solve's traceback, the mailer, a refused upload) on the same
    handler: without one they fell to Python's last resort, which prints no time and no level
    (an operator's «grep ERROR» missed a failed solve) and drops everything below WARNING."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    for formatter in config["formatters"].values():
        formatter["fmt"] = "%(asctime)s " + formatter["fmt"]
        formatter["datefmt"] = "%Y-%m-%dT%H:%M:%S%z"
    config["loggers"]["api"] = {"handlers": ["default"], "level": "INFO"}
    return config


def _settings(data_dir: Path | None) -> Settings:
    """The environment's settings, the data folder of ``--data`` first; a bad value exits 2 with
    the variable it came from."""
    try:
        return env_settings(data_dir=data_dir) if data_dir else env_settings()
    except StartupError as exc:
        _refuse(exc)


def _refuse(exc: Exception) -> NoReturn:
    typer.echo(f"Tjenesten kan ikke starte: {exc}", err=True)  # one line, however narrow the terminal
    raise typer.Exit(EXIT_BAD_INPUT)


def _ask_password() -> str:
    """Twice, hidden; asked here rather than by the option's ``prompt=``, whose answer to a mismatch
    is Typer's English."""
    password = typer.prompt("Passord", hide_input=True)
    if typer.prompt("Gjenta passord", hide_input=True) != password:
        typer.echo("Passordene er ikke like.", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    return password


def add_manager(
    name: Annotated[str, typer.Argument(metavar="NAVN", help="brukernavn")],
    data_dir: Annotated[Path | None, typer.Option("--data", metavar="MAPPE", help="mappe for lederkontoene")] = None,
    password: Annotated[str | None, typer.Option(metavar="PASSORD", help="spørres om når det ikke er gitt")] = None,
) -> None:
    """Legg til eller bytt passord for en leder (lagres som scrypt-hash i lederfilen)."""
    from api.security import write_manager

    if password is None:
        password = _ask_password()
    if len(password) < 10:
        typer.echo("Passordet må ha minst 10 tegn.", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    settings = _settings(data_dir)
    try:
        write_manager(settings.managers_path(), name, password)
    except StartupError as exc:
        typer.echo(f"{exc}.", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(f"Lederen «{name}» er lagret i {settings.managers_path()}.")


def backup(
    target: Annotated[Path, typer.Argument(metavar="FIL", help="sikkerhetskopien som skrives, f.eks. vaktplan-2026-12-07.sqlite")],
    data_dir: Annotated[Path | None, typer.Option("--data", metavar="MAPPE", help="mappe for SQLite-filen")] = None,
) -> None:
    """Ta sikkerhetskopi av SQLite-databasen, også mens tjenesten kjører (PostgreSQL: pg_dump)."""
    import errno
    import os
    import sqlite3
    from contextlib import closing

    from api.db import sqlite_file
    from roster.files import WriteError, write_all

    settings = _settings(data_dir)
    url = settings.db_url()
    database = sqlite_file(url) if url.startswith("sqlite") else None
    if database is None or not database.is_file():
        fail_input(InputError(["ingen SQLite-fil å kopiere; en PostgreSQL-database kopieres med pg_dump (docs/web.md)"]
                              if database is None else ["finnes ikke"], str(database or "DATABASE_URL")))
    check_outputs([target], [database])

    def snapshot(path: Path) -> None:
        """SQLite's online backup: one consistent state with what is still in the WAL file, which a
        copy of the database file alone misses while the service runs."""
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # it holds the same sick leave
        try:
            with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(path)) as copied:
                source.backup(copied)
        except sqlite3.Error as exc:  # a full disk is SQLITE_FULL here, not an OSError
            raise OSError(errno.ENOSPC if exc.sqlite_errorcode == sqlite3.SQLITE_FULL else errno.EIO, str(exc)) from exc

    try:
        write_all({target: snapshot})
    except WriteError as exc:
        fail_write(exc)
    typer.echo(f"Sikkerhetskopien er skrevet til {target}. Ta også vare på lederfilen {settings.managers_path()}.")
