"""A database that is down answers a styled 503 in the user's language (JSON on /health),
with Retry-After, and the platform recovers by itself when the database is back."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from coordination.db import db
from tests.conftest import POSTGRES_URL, fresh_postgres_database, make_app, upgrade_to_head

FRENCH = {"Accept-Language": "fr-BE,fr;q=0.9"}


def test_health_and_pages_say_503_while_the_database_is_away(tmp_path: Path):
    folder = tmp_path / "db"
    folder.mkdir()
    app = make_app(f"sqlite:///{folder / 'live.sqlite'}")
    upgrade_to_head(app)
    client = app.test_client()
    assert client.get("/health").status_code == 200

    folder.rename(tmp_path / "away")  # the database file is gone: it cannot be opened
    with app.app_context():
        db.engine.dispose()  # (an open SQLite connection would still read the moved file)
    health = client.get("/health")
    assert health.status_code == 503
    assert health.is_json
    assert health.json["status"] == "unavailable"
    assert health.headers["Retry-After"] == "30"
    page = client.post("/login", data={"email": "a@b.be", "password": "x"}, headers=FRENCH)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    text = page.get_data(as_text=True)
    assert '<html lang="fr">' in text
    assert "Internal Server Error" not in text
    assert "<h1>" in text

    (tmp_path / "away").rename(folder)  # back: no restart needed
    assert client.get("/health").status_code == 200


def test_an_unreachable_postgresql_is_a_503(tmp_path: Path):
    app = make_app("postgresql+psycopg://nobody@127.0.0.1:1/none", DATABASE_CONNECT_TIMEOUT=2)
    client = app.test_client()
    assert client.get("/health").status_code == 503
    response = client.post("/login", data={"email": "a@b.be", "password": "x"})
    assert response.status_code == 503
    assert "The platform is unavailable for a moment" in response.get_data(as_text=True)


def test_a_mistake_in_a_statement_stays_a_500(app, client, monkeypatch):
    """Only an unreachable or silent database is a 503: a broken statement is our bug."""
    import sqlalchemy as sa

    from coordination.core import views

    def broken():
        from coordination.db import db

        db.session.execute(sa.text("SELECT * FROM no_such_table"))

    monkeypatch.setitem(app.view_functions, "core.health", broken)
    assert client.get("/health").status_code == 500
    assert views.RETRY_AFTER == 30


@pytest.mark.parametrize("idle_seconds", [0, 3600])
def test_connections_cut_while_idle_are_replaced_before_use(tmp_path: Path, idle_seconds):
    """No ping on every request (db.ping_idle_connections): a connection idle for longer than
    DATABASE_PING_AFTER_IDLE is checked first and replaced if the database cut it (a restart,
    a firewall); one used more recently is trusted, and a cut is then one 503 "try again"."""
    with fresh_postgres_database() as url:
        app = make_app(url, DATABASE_PING_AFTER_IDLE=idle_seconds)
        upgrade_to_head(app)
        client = app.test_client()
        assert client.get("/health").status_code == 200
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            cut = connection.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": sa.engine.make_url(url).database},
            ).scalar_one()
        admin.dispose()
        assert cut >= 1
        expected = 200 if idle_seconds == 0 else 503
        assert client.get("/health").status_code == expected
        assert client.get("/health").status_code == 200  # the pool has replaced it
        with app.app_context():
            db.engine.dispose()
