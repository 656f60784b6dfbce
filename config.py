"""Configuration classes, overridden by ``COORDINATION_*`` environment variables.

``create_app`` picks the class from ``COORDINATION_ENV`` (development by default), then lets
``Flask.config.from_prefixed_env("COORDINATION")`` override any key, so that
``COORDINATION_DATABASE_URL`` becomes ``DATABASE_URL`` and so on.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import click

BASE_DIR = Path(__file__).resolve().parent


class ConfigurationError(click.ClickException, RuntimeError):
    """Raised when the application cannot start safely with the given configuration.

    A ClickException because ``flask --app coordination ...`` builds the app before it runs a
    command: click then prints the one-line message and exits with code 2, no traceback.
    """

    exit_code = 2


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None
    #: No ping before every use (a round trip per request): connections idle for
    #: DATABASE_PING_AFTER_IDLE seconds are checked first (db.ping_idle_connections), and every
    #: connection is replaced after half an hour.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_recycle": 1800}
    DATABASE_PING_AFTER_IDLE = 10
    #: Seconds before a PostgreSQL statement (half of it: a lock wait) is cancelled, and before
    #: an attempt to connect gives up: the user gets a "try again" page, not a hung worker.
    DATABASE_STATEMENT_TIMEOUT = 10
    DATABASE_CONNECT_TIMEOUT = 5
    BASE_URL = "http://127.0.0.1:5000"

    # Sessions: HttpOnly and SameSite=Lax everywhere; Secure where we serve HTTPS.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "coordination_session"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    #: How long a fresh login counts as "recent" for changing a password or an e-mail address.
    REAUTHENTICATION_WINDOW = timedelta(minutes=10)

    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - an algorithm name, not a password

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    WTF_I18N_ENABLED = True

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    LANGUAGES = ("nl", "fr", "en")

    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    MAIL_FROM = "coordination@localhost"
    #: "smtp" sends through MAIL_SERVER; "console" prints messages (development without SMTP).
    MAIL_BACKEND = "smtp"

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True

    #: Where computed results (feeds, dashboard figures and charts) are kept (core.cache):
    #: Redis when a URL is set, else files in the instance folder; "memory" for the tests.
    CACHE_TYPE = "filesystem"
    CACHE_REDIS_URL: str | None = None
    RATELIMIT_ENABLED = True

    UPLOAD_DIR: str | None = None
    #: The distribution marking of the briefing pack, at the top of every page.
    BRIEFING_MARKING = "Beperkte verspreiding / Diffusion restreinte"

    MAX_UPLOAD_BYTES = 25 * 1024 * 1024
    #: The files of one upload together (several documents at once).
    MAX_UPLOADS_TOTAL_BYTES = 100 * 1024 * 1024
    #: Any request: the files of an upload and the rest of its form.
    MAX_CONTENT_LENGTH = MAX_UPLOADS_TOTAL_BYTES + 1024 * 1024

    #: The words of uploaded PDF, DOCX and ODT files are read for search in the background
    #: (search.extraction): larger files are not opened; a reading is stopped after this time.
    SEARCH_EXTRACT_MAX_BYTES = MAX_UPLOAD_BYTES
    SEARCH_EXTRACT_SECONDS = 20

    #: Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted
    #: (0: none). Set it behind the TLS proxy so rate limits and the audit log see client IPs.
    PROXY_FIX_X_FOR = 0

    #: Strict-Transport-Security is only sent where the site is served over HTTPS.
    HSTS_ENABLED = False
    DEMO_ALLOWED = False
    #: Compile the templates and load Markdown when the application is created, not on the
    #: first requests (core.warmup): in production, where templates do not change.
    WARM_UP = False


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEMO_ALLOWED = True
    MAIL_BACKEND = "console"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105 - tests only
    DATABASE_URL = "sqlite://"
    WTF_CSRF_ENABLED = False
    DEMO_ALLOWED = True
    RATELIMIT_ENABLED = False
    CACHE_TYPE = "memory"
    BASE_URL = "http://localhost"
    #: Cheap hashing keeps the suite fast; never used outside tests.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - an algorithm name


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    HSTS_ENABLED = True
    BASE_URL = ""
    WARM_UP = True


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_class_from_env() -> type[Config]:
    """Return the configuration class named by ``COORDINATION_ENV`` (development by default)."""
    name = os.environ.get("COORDINATION_ENV", "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigurationError(
            f"COORDINATION_ENV={name!r} is not one of: {', '.join(CONFIGS)}"
        ) from None


def development_secret_key(instance_path: Path) -> str:
    """Read (or create once) the development secret key kept under ``instance/``.

    Keeping it on disk means sessions survive a restart of ``make run``; it is never used
    in production, which must set ``COORDINATION_SECRET_KEY``.
    """
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def finalise(config: dict, instance_path: Path) -> None:
    """Fill derived settings and refuse unsafe production settings with a clear message."""
    env_name = config.get("ENV_NAME")
    if env_name == "production":
        missing = [
            name
            for name in ("SECRET_KEY", "DATABASE_URL")
            if not config.get(name) or str(config.get(name)).strip() == ""
        ]
        if missing:
            raise ConfigurationError(
                "Production configuration refuses to start without "
                + " and ".join(f"COORDINATION_{name}" for name in missing)
                + "."
            )
        if len(str(config["SECRET_KEY"])) < 32:
            raise ConfigurationError("COORDINATION_SECRET_KEY must be at least 32 characters.")
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = development_secret_key(instance_path)
    if not config.get("DATABASE_URL"):
        instance_path.mkdir(parents=True, exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'coordination.sqlite'}"
    config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    if not config.get("UPLOAD_DIR"):
        config["UPLOAD_DIR"] = str(instance_path / "uploads")
    config["BASE_URL"] = str(config.get("BASE_URL") or "").rstrip("/")
