"""``roster backup``: a consistent copy of the SQLite database while the service runs."""

from __future__ import annotations

import sqlite3
import stat
from contextlib import closing

from typer.testing import CliRunner
from web_helpers import tiny_scenario_json

from api.cli import app as cli
from api.cli.common import EXIT_BAD_INPUT, EXIT_OK

runner = CliRunner()


def test_the_copy_has_what_the_running_service_wrote_last(client, auth, settings, tmp_path, monkeypatch):
    """A copy of roster.sqlite alone lacks what is still in its WAL file: a link made just before
    came back in such a copy as the old, possibly leaked one."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    client.post("/api/scenarios", headers=auth, files={"file": ("s.json", tiny_scenario_json(), "application/json")})
    link = client.post("/api/doctors/anne/link", headers=auth).json()["page"].rsplit("/", 1)[1]
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
        result = runner.invoke(cli, ["backup", str(tmp_path / "kopi.sqlite")])
        assert result.exit_code == EXIT_BAD_INPUT and "pg_dump" in result.output
        return
    result = runner.invoke(cli, ["backup", str(tmp_path / "kopi" / "vaktplan.sqlite"), "--data", str(settings.data_dir)])
    assert result.exit_code == EXIT_OK, result.output
    copy = tmp_path / "kopi" / "vaktplan.sqlite"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT token FROM doctor_links WHERE doctor_id = 'anne'").fetchone() == (link,)


def test_a_data_folder_without_a_database_is_named(tmp_path):
    result = runner.invoke(cli, ["backup", str(tmp_path / "roster.sqlite"), "--data", str(tmp_path)])
    assert result.exit_code == EXIT_BAD_INPUT and "finnes ikke" in result.output
