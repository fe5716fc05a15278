"""Production safety: demo data refused, plain-HTTP warning, first account from the CLI."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.mail.models import Mail


@pytest.fixture
def cli(app, ctx):
    return app.test_cli_runner()


def test_demo_data_refuses_production_without_the_flag(app, cli, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "PRODUKTION", True)
    result = cli.invoke(args=["demo-daten"])
    assert result.exit_code != 0
    assert "nicht geladen" in result.output and "--auch-in-produktion" in result.output
    assert db.session.scalar(select(User).where(User.email.like("%@demo.%"))) is None


def test_demo_data_loads_in_production_only_with_the_documented_flag(app, cli, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUKTION", True)
    result = cli.invoke(args=["demo-daten", "--auch-in-produktion"])
    assert result.exit_code == 0, result.output
    assert "Demo-Zugänge" in result.output


def test_first_account_is_created_outside_a_request(app, cli) -> None:
    """Former crash: url_for without SERVER_NAME in invite_user."""
    result = cli.invoke(args=["stabsstelle-anlegen", "erste@stadt.example", "Erika Erste"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "erste@stadt.example"))
    assert user is not None and user.ist_stabsstelle
    mail = db.session.scalar(select(Mail).where(Mail.recipient == "erste@stadt.example"))
    assert app.config["BASE_URL"].rstrip("/") + "/einladung/" in mail.body_text


def _started(**config) -> None:
    from flask import Flask

    from app.core.security import warn_without_https

    bare = Flask("app")
    bare.config.update(PRODUKTION=True, **config)
    warn_without_https(bare)


def test_plain_http_base_url_warns_at_startup(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        _started(BASE_URL="http://intranet.example", SESSION_COOKIE_SECURE=True)
    assert any("keine https-Adresse" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        _started(BASE_URL="https://sozialplanung.example", SESSION_COOKIE_SECURE=True)
    assert not caplog.records
    with caplog.at_level(logging.WARNING):
        _started(BASE_URL="http://test.example", SESSION_COOKIE_SECURE=False)
    assert any("ALLOW_INSECURE_HTTP=1" in r.getMessage() for r in caplog.records)


def test_allow_insecure_http_drops_secure_cookies(monkeypatch) -> None:
    from config import load_config

    env = {
        "APP_ENV": "production",
        "DATABASE_URL": "postgresql://p@db.example/p",
        "REDIS_URL": "redis://r.example:6379/0",
        "SECRET_KEY": "k" * 48,
        "SMTP_HOST": "mail.example",
        "BASE_URL": "http://test.intranet.example",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert load_config().SESSION_COOKIE_SECURE is True
    monkeypatch.setenv("ALLOW_INSECURE_HTTP", "1")
    assert load_config().SESSION_COOKIE_SECURE is False
