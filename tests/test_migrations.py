"""The Alembic history builds exactly the schema the models describe, on PostgreSQL and SQLite.

When this fails after a model change, generate a migration (see docs/ENTWICKLUNG.md).
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.support.services import create_database


@contextlib.contextmanager
def migration_env() -> Iterator[None]:
    """Run Alembic's env.py without side effects on the rest of the test run.

    env.py (Flask-Migrate's template) calls ``logging.config.fileConfig``, which disables
    every existing logger and adds a stderr handler: both are undone afterwards. It also
    tries ``db.get_engine()`` first, deprecated in Flask-SQLAlchemy 3.1: that warning is
    ignored here, and Alembic's note that SQLite cannot compare expression indexes.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    disabled = {
        name: logger.disabled
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="'get_engine' is deprecated", category=DeprecationWarning
            )
            # the search's GIN indexes exist on PostgreSQL only (``ddl_if``); SQLite cannot
            # reflect expression indexes, so Alembic says it skips them there
            warnings.filterwarnings(
                "ignore",
                message="autogenerate skipping metadata-specified expression-based index",
                category=UserWarning,
            )
            yield
    finally:
        for handler in root.handlers:
            if handler not in handlers:
                handler.close()
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, logger in logging.Logger.manager.loggerDict.items():
            if isinstance(logger, logging.Logger):
                logger.disabled = disabled.get(name, False)


def _differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def _describe(difference: tuple | list) -> str:
    """One readable line per difference ("add_table wahl", "add_column mail.kind", …)."""
    if isinstance(difference, list):  # modify_* entries come as a list of tuples
        return "; ".join(_describe(d) for d in difference)
    action, *rest = difference
    names = []
    for item in rest:
        name = getattr(item, "name", None)
        table = getattr(getattr(item, "table", None), "name", None)
        if name is not None:
            names.append(f"{table}.{name}" if table else str(name))
        elif item is not None:
            names.append(str(item))
    return f"{action} " + " ".join(names)


def _table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def _check_history(database_url: str, test_env: dict[str, str]) -> None:
    overrides = {
        key: int(value) if value.isdigit() else value
        for key, value in test_env.items()
        if key != "DATABASE_URL"
    }
    app = create_app("testing", {**overrides, "SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context(), migration_env():
        try:
            upgrade()
            differences = _differences()
            assert differences == [], (
                "Modelle und Migrationen weichen voneinander ab; bitte eine Migration erzeugen:\n"
                + "\n".join(_describe(d) for d in differences)
            )
            model_tables = {table.name for table in db.metadata.sorted_tables}
            assert model_tables <= _table_names()
            downgrade(revision="base")
            assert _table_names() <= {"alembic_version"}
        finally:
            db.session.remove()
            db.engine.dispose()


def test_migrations_match_models_on_postgresql(test_env: dict[str, str]) -> None:
    base_url = test_env["DATABASE_URL"]
    name = urlsplit(base_url).path.lstrip("/") + "_migrationen"
    url = create_database(base_url, name)
    try:
        _check_history(url, test_env)
    finally:
        admin = urlsplit(base_url.replace("postgresql+psycopg://", "postgresql://"))
        with psycopg.connect(admin._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrations_match_models_on_sqlite(test_env: dict[str, str], tmp_path: Path) -> None:
    _check_history(f"sqlite:///{tmp_path / 'migrationen.sqlite'}", test_env)
