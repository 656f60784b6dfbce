"""The coordination platform: ``create_app`` builds a configured Flask application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

import config as config_module

#: Every module that defines tables (migrations and tests need the complete metadata).
MODEL_MODULES = (
    "coordination.core.models",
    # The data versions, and the session events that replace them on every write.
    "coordination.core.versions",
    "coordination.agencies.models",
    "coordination.users.models",
    "coordination.auth.models",
    "coordination.audit.models",
    "coordination.notifications.models",
    "coordination.meetings.models",
    # Not models: the mapper events that keep each meeting's calendar event's time of change.
    "coordination.meetings.calendar_changes",
    "coordination.feeds.models",
    "coordination.measures.models",
    "coordination.minutes.models",
    "coordination.decisions.models",
    # The search index, and the session event that keeps it current with every write.
    "coordination.search.models",
    "coordination.search.index",
)

#: The package folder. An installed wheel carries templates/ and migrations/ in it (setup.py
#: copies them there); a checkout keeps them at the top of the repository, one level up.
PACKAGE_DIR = Path(__file__).resolve().parent

#: The modules of every route; each exposes its blueprint as ``bp`` (several modules may share
#: one) and optionally ``NAV_ITEMS``.
BLUEPRINT_MODULES = (
    "coordination.core.views",
    "coordination.auth.views",
    "coordination.auth.security_views",
    "coordination.users.views",
    "coordination.agencies.views",
    "coordination.audit.views",
    "coordination.notifications.views",
    "coordination.translation.views",
    "coordination.minutes.views",
    "coordination.minutes.parts_views",
    "coordination.minutes.circulation_views",
    "coordination.dashboard.views",
    "coordination.feeds.views",
    "coordination.measures.views",
    "coordination.measures.plan_views",
    "coordination.decisions.views",
    "coordination.meetings.views",
    "coordination.meetings.agenda_views",
    "coordination.meetings.reply_views",
    "coordination.search.views",
)


def create_app(config: dict[str, Any] | type | None = None) -> Flask:
    """Build the application.

    ``config`` may be a configuration class (e.g. ``config.TestingConfig``) or a mapping of
    overrides applied last. Without it the class comes from ``COORDINATION_ENV``.

    :raise config.ConfigurationError: when production settings are missing, or a compiled
        translation catalog is.
    """
    # Flask's default instance path is <repo>/instance in a checkout and
    # <prefix>/var/coordination-instance once installed (never inside site-packages).
    app = Flask(__name__, template_folder=str(app_folder("templates")))
    overrides: dict[str, Any] = {}
    if isinstance(config, type):
        app.config.from_object(config)
    else:
        app.config.from_object(config_module.config_class_from_env())
        overrides = dict(config or {})
    app.config.from_prefixed_env("COORDINATION")
    app.config.update(overrides)
    config_module.finalise(app.config, Path(app.instance_path))

    import_models()
    _register_url_converters(app)
    _configure_database_engine(app)
    _init_extensions(app)
    _require_compiled_catalogs(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_handlers(app)
    _register_cli(app)
    _register_request_hooks(app)
    _trust_reverse_proxies(app)
    if app.config["WARM_UP"]:
        from coordination.core.warmup import warm_up

        warm_up(app)
    return app


def app_folder(name: str) -> Path:
    """The app's ``templates`` or ``migrations`` folder: in the package when installed from the
    wheel, else at the top of the checkout (editable install, ``make run``)."""
    bundled = PACKAGE_DIR / name
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent / name


def _trust_reverse_proxies(app: Flask) -> None:
    """Behind N trusted proxies, take the client address and scheme from X-Forwarded-*."""
    proxies = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def import_models() -> None:
    """Import every model module so that ``db.metadata`` knows the whole schema."""
    from importlib import import_module

    for module_name in MODEL_MODULES:
        import_module(module_name)


def _register_url_converters(app: Flask) -> None:
    from coordination.core.converters import IdConverter

    app.url_map.converters["id"] = IdConverter


def _configure_database_engine(app: Flask) -> None:
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        connect_args = dict(options.get("connect_args") or {})
        # Dates derived from timestamps in SQL must be UTC dates, whatever the server says.
        # A database that does not answer must not hold a web worker: give up on connecting
        # and on any statement or lock well before gunicorn's own 30 s (the page says 503).
        statement_ms = int(float(app.config["DATABASE_STATEMENT_TIMEOUT"]) * 1000)
        connect_args.setdefault(
            "options",
            f"-c timezone=UTC -c statement_timeout={statement_ms} "
            f"-c lock_timeout={statement_ms // 2}",
        )
        connect_args.setdefault("connect_timeout", int(app.config["DATABASE_CONNECT_TIMEOUT"]))
        # A silent network: notice a dead server instead of waiting on the socket forever.
        connect_args.setdefault("keepalives_idle", 10)
        connect_args.setdefault("keepalives_interval", 5)
        connect_args.setdefault("keepalives_count", 3)
        options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _init_extensions(app: Flask) -> None:
    from coordination.core.i18n import select_locale
    from coordination.db import db, include_in_schema_comparison
    from coordination.extensions import babel, csrf, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(app_folder("migrations")),
        include_name=include_in_schema_comparison,
    )
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(PACKAGE_DIR / "translations"),
    )
    app.config["RATELIMIT_STORAGE_URI"] = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)

    from coordination.core.cache import init_cache

    init_cache(app)

    from coordination.auth.session import configure_login_manager
    from coordination.db import enable_sqlite_foreign_keys, ping_idle_connections

    configure_login_manager(login_manager)
    with app.app_context():
        enable_sqlite_foreign_keys(db.engine)
        ping_idle_connections(db.engine, float(app.config["DATABASE_PING_AFTER_IDLE"]))


def _require_compiled_catalogs(app: Flask) -> None:
    """Refuse to start without the .mo of a configured language rather than speak English.

    :raise config.ConfigurationError: naming the missing files and how to build them.
    """
    from coordination.core.i18n import missing_catalogs

    babel_config = app.extensions["babel"]
    missing = missing_catalogs(
        app.config["LANGUAGES"], babel_config.translation_directories, babel_config.default_domain
    )
    if missing:
        raise config_module.ConfigurationError(
            f"Compiled translation catalog missing: {', '.join(map(str, missing))}. "
            "Run `make translations-compile` "
            "(or `pybabel compile -d coordination/translations`)."
        )


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from coordination.core.navigation import register_nav_items

    # Every module first: a blueprint whose routes live in several modules is complete only
    # once they are all imported, and is registered once.
    modules = [import_module(module_name) for module_name in BLUEPRINT_MODULES]
    for module in modules:
        if module.bp.name not in app.blueprints:
            app.register_blueprint(module.bp)
        register_nav_items(app, getattr(module, "NAV_ITEMS", []))


def _register_template_helpers(app: Flask) -> None:
    from coordination.core.templating import register_template_helpers

    register_template_helpers(app)


def _register_error_handlers(app: Flask) -> None:
    from coordination.core.views import register_error_handlers

    register_error_handlers(app)


def _register_cli(app: Flask) -> None:
    from coordination.cli import register_cli

    register_cli(app)


def _register_request_hooks(app: Flask) -> None:
    from coordination.core.http import apply_security_headers

    app.after_request(lambda response: apply_security_headers(app, response))
