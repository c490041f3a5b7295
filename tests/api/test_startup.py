"""What an operator sees when the service cannot start: one Norwegian line naming the setting, no traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from api.cli import app as cli
from api.cli.common import EXIT_BAD_INPUT
from api.config import StartupError
from api.main import create_app

runner = CliRunner()


@pytest.mark.parametrize(("variable", "value", "reason"), [
    ("ROSTER_MAX_CONCURRENT_SOLVES", "abc", "må være et heltall"),
    ("ROSTER_MAX_CONCURRENT_SOLVES", "-1", "må være minst 1"),
    ("ROSTER_SOLVER_WORKERS", "0", "må være minst 1"),
    ("ROSTER_SECURE_COOKIES", "kanskje", "må være true eller false"),
])
def test_a_bad_setting_is_named_and_nothing_starts(tmp_path, monkeypatch, variable, value, reason):
    monkeypatch.setenv(variable, value)
    result = runner.invoke(cli, ["serve", "--data", str(tmp_path / "data")])
    assert result.exit_code == EXIT_BAD_INPUT
    assert f"Tjenesten kan ikke starte: {variable}={value}: {reason}" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "data").exists()


def test_an_unreachable_database_is_named(settings):
    wrong = settings.model_copy(update={"database_url": "postgresql+psycopg://dev:hemmelig@127.0.0.1:1/vakt"})
    with pytest.raises(StartupError, match=r"^databasen kan ikke åpnes \(DATABASE_URL\): .*refused") as refused:
        create_app(wrong)
    assert "hemmelig" not in str(refused.value)


def test_a_data_folder_that_is_a_file_is_named(settings, tmp_path):
    (tmp_path / "fil").touch()
    with pytest.raises(StartupError, match=r"datamappen .*fil, ROSTER_DATA_DIR eller --data\): .*Not a directory"):
        create_app(settings.model_copy(update={"data_dir": tmp_path / "fil", "database_url": None}))


def test_a_database_a_newer_version_upgraded_is_refused_untouched(settings):
    app = create_app(settings)
    with app.state.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    app.state.engine.dispose()
    with pytest.raises(StartupError, match="oppgradert av en nyere versjon .*skjema 0099_from_the_future"):
        create_app(settings)
