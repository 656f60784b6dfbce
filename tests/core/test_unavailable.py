"""A database that is down answers a styled 503 in the user's language (JSON on /health),
with Retry-After, and the platform recovers by itself when the database is back."""

from __future__ import annotations

from pathlib import Path

from coordination.db import db
from tests.conftest import make_app, upgrade_to_head

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
