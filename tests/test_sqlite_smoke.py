"""The quickstart path on SQLite: migrate, demo data, log in, Postausgang, and a worker on a
SQLite broker that "delivers" into the Postausgang (MAIL_BACKEND=store)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app import create_app
from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.stammdaten.demo import DEMO_PASSWORD
from tests.mail.conftest import wait_until
from tests.support.worker import WorkerProcess
from tests.test_migrations import migration_env

# committed: the suite's rolled-back session must not replace the SQLite app's session.
# kombu's SQLAlchemy transport maps its tables with lazy="noload", deprecated in SQLAlchemy 2.1.
pytestmark = [
    pytest.mark.sqlite,
    pytest.mark.committed,
    pytest.mark.filterwarnings(
        "ignore:The ``noload`` loader strategy is deprecated:sqlalchemy.exc.SADeprecationWarning"
    ),
]

STABSSTELLE = "stabsstelle@demo.hilden.example"


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The settings of a fresh quickstart: a SQLite database and a SQLite broker."""
    base = tmp_path_factory.mktemp("schnellstart")
    return {
        "APP_ENV": "development",
        "INSTANCE_DIR": str(base),
        "DATABASE_URL": f"sqlite:///{base / 'planungskreislauf.sqlite'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{base / 'broker.sqlite'}",
        "MAIL_BACKEND": "store",
        "RATELIMIT_STORAGE_URI": "memory://",
        "OUTBOX_SWEEP_SECONDS": "2",
        "OUTBOX_SWEEP_GRACE_SECONDS": "1",
    }


@pytest.fixture(scope="module")
def sqlite_app(sqlite_env: dict[str, str], test_env: dict[str, str]) -> Iterator:
    overrides = {
        "SQLALCHEMY_DATABASE_URI": sqlite_env["DATABASE_URL"],
        "CELERY_BROKER_URL": sqlite_env["CELERY_BROKER_URL"],
        "MAIL_BACKEND": "store",
        # Flask-Limiter keeps one storage for all apps of a process: keep the suite's
        "RATELIMIT_STORAGE_URI": test_env["RATELIMIT_STORAGE_URI"],
        "OUTBOX_SWEEP_SECONDS": 2,
        "PASSWORD_HASH_FAST": True,  # argon2id with test costs: the suite's time, same code path
    }
    app = create_app("development", overrides)
    runner = app.test_cli_runner()
    with migration_env():
        result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():  # the flask command pushes one for every command; the runner does not
        result = runner.invoke(args=["demo-daten"])
    assert result.exit_code == 0, result.output
    assert STABSSTELLE in result.output and DEMO_PASSWORD in result.output
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _login(client, email: str, password: str):
    page = client.get("/anmelden").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/anmelden", data=data)


def test_quickstart_login_start_page_and_postausgang(sqlite_app) -> None:
    client = sqlite_app.test_client()
    response = _login(client, STABSSTELLE, DEMO_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/start"
    start = client.get("/start")
    body = start.get_data(as_text=True)
    assert start.status_code == 200
    assert '<html lang="de">' in body and "Guten Tag, Dana Demo-Planer" in body
    assert "Offene Aufgaben" in body
    postausgang = client.get("/postausgang/")
    assert postausgang.status_code == 200
    assert "Entwicklungsmodus: E-Mails werden nicht versendet" in postausgang.get_data(as_text=True)


def test_wrong_demo_password_is_refused(sqlite_app) -> None:
    response = _login(sqlite_app.test_client(), STABSSTELLE, "falsch")
    assert response.status_code == 200
    assert "nicht korrekt" in response.get_data(as_text=True)


def test_worker_on_the_sqlite_broker_keeps_the_mail_in_the_postausgang(
    sqlite_app, sqlite_env: dict[str, str], tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update(sqlite_env)
    for name in ("REDIS_URL", "SMTP_HOST", "SMTP_PORT", "SECRET_KEY"):
        env.pop(name, None)
    worker = WorkerProcess(env, tmp_path).start()
    try:
        with sqlite_app.test_request_context():
            from app.auth.services import find_user_by_email, request_password_reset

            request_password_reset(STABSSTELLE)
            db.session.commit()
            user = find_user_by_email(STABSSTELLE)
            assert user is not None

            def sent() -> Mail | None:
                db.session.expire_all()
                mail = db.session.query(Mail).filter_by(recipient=STABSSTELLE).one()
                return mail if mail.status == MailStatus.SENT else None

            mail = wait_until(sent, f"E-Mail im Postausgang versendet\n{worker.log()}")
            assert (mail.transport, mail.attempts) == ("store", 1)
            assert "/passwort/neu/" in mail.body_text
            db.session.remove()
    finally:
        worker.kill9()  # a throwaway worker on a throwaway broker: no warm shutdown needed

    client = sqlite_app.test_client()
    _login(client, STABSSTELLE, DEMO_PASSWORD)
    page = client.get("/postausgang/?status=sent").get_data(as_text=True)
    assert "Passwort zurücksetzen" in page and STABSSTELLE in page


def test_search_runs_on_sqlite_through_the_same_sources(sqlite_app) -> None:
    """The LIKE fallback: the demo's agenda item naming the Trägerrunde is found and marked."""
    client = sqlite_app.test_client()
    _login(client, STABSSTELLE, DEMO_PASSWORD)
    body = client.get("/suche/", query_string={"q": "Trägerrunde"}).get_data(as_text=True)
    assert '<h2 id="art-tagesordnungspunkte">Tagesordnungspunkte</h2>' in body
    assert "<mark>Trägerrunde</mark>" in body


def test_bulk_import_of_the_example_file_on_sqlite(sqlite_app) -> None:
    """The Stammdaten import (row values, lower()) on SQLite: the example file into the demo."""
    import io

    client = sqlite_app.test_client()
    _login(client, STABSSTELLE, DEMO_PASSWORD)
    page = client.get("/stammdaten/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    beispiel = Path(__file__).resolve().parents[1] / "static/beispiele/stammdaten_import.csv"
    data = {"csrf_token": token, "datei": (io.BytesIO(beispiel.read_bytes()), "beispiel.csv")}
    preview = client.post("/stammdaten/import", data=data, content_type="multipart/form-data")
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200, body
    fields = dict(
        re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"', body)
    )
    fields |= {
        n: v
        for v, n in re.findall(
            r'<input[^>]*type="hidden"[^>]*value="([^"]*)"[^>]*name="([^"]+)"', body
        )
    }
    response = client.post("/stammdaten/import/bestaetigen", data=fields)
    assert response.status_code == 303
    follow = client.get("/stammdaten/import").get_data(as_text=True)
    assert "3 Personen, 1 Organisation und 2 Mitgliedschaften angelegt" in follow
