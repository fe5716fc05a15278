"""Fixtures for every test: app, client, login helper, factories, real servers.

Plain tests run inside one transaction that is rolled back at the end. Tests marked
``worker`` or ``browser`` (or ``committed``) commit for real, because another process
(the Celery worker, the browser's server thread) must see their rows; the tables are
emptied after each of them.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask.testing import FlaskClient
from sqlalchemy import event, orm, text
from werkzeug.serving import make_server

from app import create_app
from app.core import datenstand
from app.extensions import db, limiter
from tests import factories
from tests.support.services import chromium_path, ensure_postgres, ensure_redis, free_port
from tests.support.smtp import SMTPServer
from tests.support.worker import WorkerProcess


def _import_all_models() -> None:
    """Every model class is known before any test module builds one at collection time."""
    import importlib

    from app import FEATURES

    for feature in FEATURES:
        importlib.import_module(f"app.{feature}.models")


_import_all_models()

COMMITTED_MARKERS = ("worker", "browser", "committed")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "committed: rows are committed; tables emptied afterwards")


# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    """The real SMTP server every mail goes to."""
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _reset_smtp(smtp_server: SMTPServer) -> None:
    smtp_server.reset()


@pytest.fixture(scope="session")
def live_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def test_env(smtp_server: SMTPServer, live_port: int) -> dict[str, str]:
    """Settings shared by the in-process app and the worker process (as environment)."""
    pg = ensure_postgres()
    redis_base = ensure_redis()
    db_no = int(os.environ.get("TEST_REDIS_DB", "14"))
    return {
        "APP_ENV": "testing",
        "DATABASE_URL": pg,
        "REDIS_URL": f"{redis_base}/{db_no}",
        "CELERY_BROKER_URL": f"{redis_base}/{db_no}",
        "RATELIMIT_STORAGE_URI": f"{redis_base}/{db_no + 1}",
        "MAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_server.port),
        "SMTP_TIMEOUT": "30",
        "CELERY_VISIBILITY_TIMEOUT": "10",
        "MAIL_RETRY_BASE_SECONDS": "1",
        "MAIL_RETRY_MAX_SECONDS": "3",
        "MAIL_LEASE_SECONDS": "4",
        "OUTBOX_SWEEP_SECONDS": "2",
        "OUTBOX_SWEEP_GRACE_SECONDS": "1",
        "BASE_URL": f"http://127.0.0.1:{live_port}",
    }


def _overrides(env: dict[str, str]) -> dict:
    typed: dict = {"SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"], "PROXY_FIX": False}
    for key, value in env.items():
        typed[key] = int(value) if value.isdigit() else value
    return typed


# --------------------------------------------------------------------------- app and database


@pytest.fixture(scope="session")
def app(test_env: dict[str, str]):
    """The application on the test PostgreSQL; the schema is built fresh once per run."""
    application = create_app("testing", _overrides(test_env))
    application.test_client_class = IsolatedClient
    with application.app_context():
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()
        db.create_all()
    yield application
    from app.mail.transport import close_connection

    with application.app_context():
        close_connection()


@pytest.fixture(autouse=True)
def _database(request: pytest.FixtureRequest, app) -> Iterator[None]:
    """One rolled-back transaction per test, or real commits for worker/browser tests."""
    datenstand.vergessen()  # no derived value of an earlier test's rows
    if any(request.node.get_closest_marker(m) for m in COMMITTED_MARKERS):
        yield
        _empty_tables(app)
        return
    with app.app_context():
        engine = db.engine
    connection = engine.connect()
    outer = connection.begin()
    factory = orm.sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    original = db.session
    db.session = orm.scoped_session(factory, scopefunc=lambda: "test")
    try:
        yield
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


def _empty_tables(app) -> None:
    with app.app_context():
        db.session.remove()
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {names} CASCADE"))
        db.session.commit()


@pytest.fixture(autouse=True)
def _reset_rate_limits(app, test_env: dict[str, str]) -> None:
    redis.Redis.from_url(test_env["RATELIMIT_STORAGE_URI"]).flushdb()
    with app.app_context():
        limiter.reset()


@pytest.fixture
def ctx(app) -> Iterator[None]:
    """An app and request context for calling services directly."""
    with app.test_request_context():
        yield


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, so ``g`` and the app context never leak from the test."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login(client: FlaskClient):
    """``login(user)`` logs the test client in as ``user`` through a real login session."""

    def _login(user, on_client: FlaskClient | None = None) -> FlaskClient:
        target = on_client or client
        token = factories.login_session(user)
        with target.session_transaction() as session:
            session["_user_id"] = token
            session["_fresh"] = True
        return target

    return _login


@pytest.fixture
def make():
    """The factories module: ``make.user(...)``, ``make.gremium(...)``, …"""
    return factories


@pytest.fixture
def query_counter(app):
    """Context manager counting SQL statements (savepoints excluded), with every derived page
    part computed afresh (``app.core.datenstand`` off) unless ``zwischenspeicher=True``: counts
    show the uncached worst case."""

    @contextlib.contextmanager
    def counting(zwischenspeicher: bool = False) -> Iterator[list[str]]:
        statements: list[str] = []

        def record(conn, cursor, statement, *args) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        cache = app.config.get("DATENSTAND_CACHE", True)
        app.config["DATENSTAND_CACHE"] = zwischenspeicher
        try:
            yield statements
        finally:
            app.config["DATENSTAND_CACHE"] = cache
            event.remove(engine, "before_cursor_execute", record)

    return counting


# --------------------------------------------------------------------------- worker, live server, browser


@pytest.fixture(scope="session")
def worker_env(test_env: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update(test_env)
    return env


@pytest.fixture(scope="session")
def celery_worker(worker_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory):
    """One real worker process (prefork, embedded beat) for the whole run."""
    redis.Redis.from_url(worker_env["CELERY_BROKER_URL"]).flushdb()
    worker = WorkerProcess(worker_env, tmp_path_factory.mktemp("worker")).start()
    yield worker
    worker.stop()


@pytest.fixture
def worker_factory(worker_env: dict[str, str], tmp_path: Path):
    """Start extra workers a test may kill; all are stopped at the end."""
    started: list[WorkerProcess] = []

    def start() -> WorkerProcess:
        worker = WorkerProcess(worker_env, tmp_path).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def _dateien_geschlossen(app):
    """The app with files (static fonts, downloads) read and closed before they are sent.

    Werkzeug's development server leaves a file response open when the browser resets the
    connection while it drains the request (the reset is raised before it closes the
    response), and the ResourceWarning then fails whichever test is running."""
    from werkzeug.wsgi import FileWrapper

    def wsgi(environ, start_response):
        antwort = app(environ, start_response)
        if not isinstance(antwort, FileWrapper):
            return antwort
        try:
            return [b"".join(antwort)]
        finally:
            antwort.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(app, live_port: int) -> Iterator[str]:
    """The app served over HTTP on loopback, for the browser."""
    server = make_server("127.0.0.1", live_port, _dateien_geschlossen(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{live_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


@pytest.fixture
def csrf_token():
    """``csrf_token(client, url)`` reads the CSRF token from the form at ``url``."""
    import re

    def read(on_client: FlaskClient, url: str) -> str:
        body = on_client.get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
        assert match, f"kein CSRF-Token auf {url}"
        return match.group(1)

    return read


# --------------------------------------------------------------------------- no silent skips


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test fails the run: every part of the real stack must be exercised."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(
            f"FEHLER: {len(skipped)} Test(s) übersprungen – die Suite darf nichts überspringen.",
            red=True,
        )
        session.exitstatus = 1
