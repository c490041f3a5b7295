"""``roster serve`` and ``roster add-manager``: the web service's commands (registered in api/cli/__init__.py).

Heavy imports (uvicorn, the app) happen inside the commands so ``roster --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import EXIT_BAD_INPUT


def serve(
    host: Annotated[str, typer.Option(metavar="ADRESSE", help="adresse å lytte på")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="port")] = 8000,
    data_dir: Annotated[Path | None, typer.Option("--data", metavar="MAPPE", help="mappe for SQLite-filen og lederkontoene")] = None,
) -> None:
    """Start nettjenesten (ledersider, legesider, kalenderstrøm og API på /docs)."""
    import uvicorn

    from api.config import Settings
    from api.main import create_app

    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    app = create_app(settings)
    typer.echo(f"Vaktplan-tjenesten: http://{host}:{port}/  (database: {settings.db_url().split('@')[-1]})")
    uvicorn.run(app, host=host, port=port, log_level="info")


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
    from api.config import Settings
    from api.security import write_manager

    if password is None:
        password = _ask_password()
    if len(password) < 10:
        typer.echo("Passordet må ha minst 10 tegn.", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    settings = Settings(data_dir=data_dir) if data_dir else Settings()
    write_manager(settings.managers_path(), name, password)
    typer.echo(f"Lederen «{name}» er lagret i {settings.managers_path()}.")
