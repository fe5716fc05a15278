"""Planungskreislauf: the application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from config import BASE_DIR, INSTANCE_DIR, load_config

FEATURES = (
    "core",
    "suche",  # the search field: a registry of sources the owning packages fill (hooks)
    "audit",
    "auth",
    "stammdaten",
    "mail",
    "benachrichtigungen",
    "rundschreiben",  # circular mails of the Stabsstelle (mail, dateien, stammdaten)
    "workflows",
    "planungsfelder",
    "datenbasis",
    "karten",  # the Sozialraum map: reads datenbasis, registers its map chart type there
    "impulse",
    "beteiligung",
    "dateien",
    "sitzungen",
    "protokolle",
    "massnahmen",
    "vorlagen",
    "datenschutz",  # Meine Daten, deletion, retention: reads the packages above
    "exporte",  # XLSX/CSV of registers and lists: reads the packages above, nothing imports it
    "oeffentlich",  # reads everything above, nothing imports it
    "oparl",  # the OParl API: reads the portal's visibility rules, nothing imports it
)


def create_app(config: str | type | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app for ``config`` (name or class; default from APP_ENV)."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        static_folder=str(BASE_DIR / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.config.from_object(config if isinstance(config, type) else load_config(config))
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _init_extensions(app)
    _register_features(app)
    from worker.celery_app import init_celery

    init_celery(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app.core import boundary, i18n, lesespeicher, markdown, security, submissions
    from app.extensions import csrf, db, limiter, login_manager, migrate

    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    boundary.init_app(app)
    lesespeicher.init_app(app)
    db.init_app(app)
    _tune_sqlite(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    i18n.init_app(app)
    markdown.init_app(app)
    security.init_app(app)
    submissions.init_app(app)


def _register_features(app: Flask) -> None:
    """Import every feature's models, permissions, tasks, listeners (``hooks``) and blueprint."""
    import importlib

    from app.core import errors

    errors.init_app(app)
    for feature in FEATURES:
        importlib.import_module(f"app.{feature}.models")
        for optional in ("permissions", "tasks", "hooks"):
            _import_optional(f"app.{feature}.{optional}")
        views = importlib.import_module(f"app.{feature}.views")
        app.register_blueprint(views.bp)
    from app import cli

    cli.init_app(app)


def _import_optional(module: str) -> None:
    import importlib
    import importlib.util

    if importlib.util.find_spec(module) is not None:
        importlib.import_module(module)


def _tune_sqlite(app: Flask) -> None:
    """WAL, busy timeout and foreign keys, so web server and worker share the quickstart file."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
