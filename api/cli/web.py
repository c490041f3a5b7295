"""``roster serve`` and ``roster add-manager``: the web service's commands (registered in api/cli/__init__.py).

Heavy imports (uvicorn, the app) happen inside the commands so ``roster --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from api.cli.common import EXIT_BAD_INPUT
from api.config import Settings, StartupError, env_settings


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
    uvicorn.run(app, host=host, port=port, log_level="info")


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
    write_manager(settings.managers_path(), name, password)
    typer.echo(f"Lederen «{name}» er lagret i {settings.managers_path()}.")
