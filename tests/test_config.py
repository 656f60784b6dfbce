"""Configuration: development keeps its own secret; production refuses to start unsafely."""

from __future__ import annotations

import pytest

from config import ConfigurationError, ProductionConfig, finalise


def production_settings(**overrides):
    settings = {k: getattr(ProductionConfig, k) for k in dir(ProductionConfig) if k.isupper()}
    settings.update(overrides)
    return settings


def test_production_refuses_without_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="COORDINATION_SECRET_KEY"):
        finalise(production_settings(DATABASE_URL="postgresql://x/y"), tmp_path)


def test_production_refuses_without_database_url(tmp_path):
    with pytest.raises(ConfigurationError, match="COORDINATION_DATABASE_URL"):
        finalise(production_settings(SECRET_KEY="k" * 40), tmp_path)


def test_production_refuses_a_short_secret(tmp_path):
    with pytest.raises(ConfigurationError, match="at least 32"):
        finalise(production_settings(SECRET_KEY="short", DATABASE_URL="sqlite://"), tmp_path)


def test_production_cookies_are_secure(tmp_path):
    settings = production_settings(SECRET_KEY="k" * 40, DATABASE_URL="sqlite://")
    finalise(settings, tmp_path)
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_generates_and_keeps_its_secret(tmp_path):
    first = {"ENV_NAME": "development"}
    finalise(first, tmp_path)
    second = {"ENV_NAME": "development"}
    finalise(second, tmp_path)
    assert len(first["SECRET_KEY"]) >= 32
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["DATABASE_URL"].startswith("sqlite:///")
    assert str(tmp_path) in first["DATABASE_URL"]


def test_environment_variables_override(monkeypatch, tmp_path):
    from coordination import create_app

    monkeypatch.setenv("COORDINATION_ENV", "testing")
    monkeypatch.setenv("COORDINATION_BASE_URL", "https://coordination.example.be/")
    monkeypatch.setenv("COORDINATION_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite")
    app = create_app()
    assert app.config["BASE_URL"] == "https://coordination.example.be"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite")
