"""Service settings: one pydantic-settings class, read from the environment (prefix ``ROSTER_``).

No secret has a default. Manager accounts come from ``ROSTER_MANAGERS`` or the managers file
(written by ``roster add-manager``); see docs/web.md.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from roster.models import MAX_TIME_LIMIT, MAX_WORKERS
from roster.terms import number


class Settings(BaseSettings):
    # allow_inf_nan: «inf» or «nan» in a time or a share passed every bound written as «gt=0»
    # (ROSTER_SSE_POLL_SECONDS=inf held every progress page open for ever)
    model_config = SettingsConfigDict(env_prefix="ROSTER_", extra="ignore", populate_by_name=True, allow_inf_nan=False)

    data_dir: Path = Field(Path("roster-data"), description="SQLite file and managers file live here")
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "ROSTER_DATABASE_URL"),
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db; default SQLite in data_dir",
    )
    managers: str = Field(
        "",
        description="extra manager accounts: 'name:scrypt$…' separated by commas (hashes, never passwords)",
    )
    managers_file: Path | None = Field(None, description="default: <data_dir>/managers.json")
    bootstrap_manager: bool = Field(
        True,
        description="with no manager configured, create 'leder' with a random password printed once",
    )
    max_concurrent_solves: int = Field(1, ge=1, description="solves beyond this wait in a queue")
    max_queued_runs: int = Field(10, ge=0, le=10_000, description="solves waiting in the queue; more are refused")
    solver_workers: int | None = Field(None, ge=1, le=MAX_WORKERS, description="CP-SAT workers per solve; None: all cores")
    default_time_limit: float = Field(60.0, gt=0)
    max_time_limit: float = Field(3600.0, gt=0, le=MAX_TIME_LIMIT)
    explain_time_limit: float = Field(
        60.0, ge=0, le=MAX_TIME_LIMIT,
        description="seconds to explain open slots (or a strict run without roster) after a solve; 0: never",
    )
    session_hours: float = Field(12.0, gt=0, le=8784, description="how long a manager login lasts (at most a year)")
    secure_cookies: bool = Field(False, description="Secure session cookie even when the request looks like plain HTTP")
    login_max_failures_per_user: int = Field(10, ge=1, description="failed logins of one name within the window")
    login_max_failures_per_address: int = Field(30, ge=1, description="failed logins from one address within the window")
    login_window_minutes: float = Field(15.0, gt=0, le=1440, description="at most a day: failures are kept a day")
    login_hash_workers: int = Field(2, ge=1, description="password hashes computed at once")
    trusted_origins: str = Field("", description="extra origins allowed to post forms (comma-separated), e.g. behind a proxy")
    sse_poll_seconds: float = Field(0.5, gt=0, le=60)
    parse_seconds: float = Field(60.0, gt=0, le=3600, description="an upload taking longer to parse is refused")
    parse_memory_mb: int = Field(1024, ge=256, description="address space of the process parsing one upload")
    parse_workers: int = Field(2, ge=1, description="uploads parsed at once; more wait")
    replan_time_limit: float = Field(
        10.0, gt=0, le=MAX_TIME_LIMIT,
        description="seconds a re-plan searches; the repair itself comes after ~3 s on the Bergen month (benchmarks/replan.py)",
    )
    swap_auto_approve: bool = Field(
        True, description="approve a legal swap without a manager when it keeps every doctor within swap_max_deviation",
    )
    swap_max_deviation: float = Field(
        0.15, ge=0, le=100,
        description="a swap that leaves a doctor more than this over their fair share (the period's target, "
        "moved by the ledger) waits for a manager",
    )
    smtp_host: str | None = Field(None, description="SMTP server for change notices; none: notices stay queued")
    smtp_port: int = Field(25, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = Field(None, description="only with smtp_user; never has a default")
    mail_from: str = Field("legevakt-vaktplan@localhost", description="sender of change notices")
    smtp_poll_seconds: float = Field(10.0, gt=0, le=86_400, description="how often the outbox is looked at besides after a publish")

    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'roster.sqlite').resolve()}"

    def managers_path(self) -> Path:
        return self.managers_file or self.data_dir / "managers.json"


class StartupError(Exception):
    """Why the service cannot start, in Norwegian for the operator: ``roster serve`` prints it
    without a traceback and exits."""


_PROBLEMS = {"int_parsing": "må være et heltall", "float_parsing": "må være et tall",
             "finite_number": "må være et endelig tall", "bool_parsing": "må være true eller false"}
_BOUNDS = {"greater_than_equal": ("ge", "må være minst"), "greater_than": ("gt", "må være større enn"),
           "less_than_equal": ("le", "kan være høyst")}


def env_settings(**given: object) -> Settings:
    """Settings from the environment (and ``given``, e.g. the data folder of ``--data``); a bad
    value is a StartupError naming its variable, not pydantic's English traceback."""
    try:
        settings = Settings(**given)
    except ValidationError as exc:
        raise StartupError("; ".join(_problem(error) for error in exc.errors())) from None
    if settings.default_time_limit > settings.max_time_limit:  # every solve without its own limit was refused
        raise StartupError(f"ROSTER_DEFAULT_TIME_LIMIT={settings.default_time_limit:g}: kan være høyst "
                           f"ROSTER_MAX_TIME_LIMIT ({settings.max_time_limit:g})")
    return settings


def _problem(error: dict) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    variable = "DATABASE_URL" if field == "database_url" else f"ROSTER_{field.upper()}"
    bound = _BOUNDS.get(error["type"])
    reason = f"{bound[1]} {number(error['ctx'][bound[0]])}" if bound else _PROBLEMS.get(error["type"], "ugyldig verdi")
    return f"{variable}={error.get('input')!s}: {reason}"
