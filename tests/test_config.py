"""Production refuses to start with missing settings or an unsafe secret."""

from __future__ import annotations

import pytest

import config
from config import ConfigurationError, load_config

GOOD = {
    "DATABASE_URL": "postgresql://planung@db.example/planung",
    "REDIS_URL": "redis://redis.example:6379/0",
    "SECRET_KEY": "k" * 48,
    "SMTP_HOST": "mail.example",
    "BASE_URL": "https://sozialplanung.example",
}
OPTIONAL = (
    "CELERY_BROKER_URL",
    "RATELIMIT_STORAGE_URI",
    "MAIL_BACKEND",
    "SMTP_SECURITY",
    "SMTP_PORT",
    "SMTP_TIMEOUT",
    "CELERY_VISIBILITY_TIMEOUT",
    "MAIL_RETRY_MAX_SECONDS",
    "MAIL_LEASE_SECONDS",
    "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_BASE_SECONDS",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "MAIL_FROM",
)


@pytest.fixture
def production_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in OPTIONAL:
        monkeypatch.delenv(name, raising=False)
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_complete_production_environment_is_accepted(production_env) -> None:
    cfg = load_config("production")
    assert issubclass(cfg, config.ProductionConfig)
    assert cfg.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://planung@db.example/planung"
    assert cfg.SECRET_KEY == "k" * 48  # read now, not when config.py was imported
    assert cfg.CELERY_BROKER_URL == cfg.RATELIMIT_STORAGE_URI == "redis://redis.example:6379/0"
    assert (cfg.SMTP_HOST, cfg.MAIL_BACKEND) == ("mail.example", "smtp")
    assert cfg.BASE_URL == "https://sozialplanung.example"
    assert cfg.SESSION_COOKIE_SECURE is True
    assert cfg.MAIL_RETRY_MAX_SECONDS < cfg.CELERY_VISIBILITY_TIMEOUT


@pytest.mark.parametrize("missing", list(GOOD))
def test_missing_setting_refuses_to_start(production_env, missing: str) -> None:
    production_env.delenv(missing)
    with pytest.raises(ConfigurationError, match=f"es fehlen Umgebungsvariablen: {missing}"):
        load_config("production")


def test_empty_setting_counts_as_missing(production_env) -> None:
    production_env.setenv("SMTP_HOST", "  ")
    with pytest.raises(ConfigurationError, match="SMTP_HOST"):
        load_config("production")


def test_all_missing_are_named_together(production_env) -> None:
    for name in GOOD:
        production_env.delenv(name)
    with pytest.raises(ConfigurationError) as error:
        load_config("production")
    assert str(error.value).endswith("DATABASE_URL, REDIS_URL, SECRET_KEY, SMTP_HOST, BASE_URL")


@pytest.mark.parametrize("secret", [config.DEFAULT_SECRET, "zu-kurz", "x" * 31])
def test_default_or_short_secret_refuses_to_start(production_env, secret: str) -> None:
    production_env.setenv("SECRET_KEY", secret)
    message = "SECRET_KEY ist der Standardwert oder kürzer als 32 Zeichen"
    with pytest.raises(ConfigurationError, match=message):
        load_config("production")


def test_secret_of_32_characters_is_enough(production_env) -> None:
    production_env.setenv("SECRET_KEY", "y" * 32)
    assert load_config("production").SECRET_KEY == "y" * 32


def test_sqlite_is_refused_in_production(production_env) -> None:
    production_env.setenv("DATABASE_URL", "sqlite:////tmp/x.sqlite")
    with pytest.raises(ConfigurationError, match="PostgreSQL"):
        load_config("production")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("MAIL_BACKEND", "smpt", "MAIL_BACKEND muss"),
        ("SMTP_SECURITY", "tls", "SMTP_SECURITY muss"),
        ("SMTP_PORT", "fünfundzwanzig", "SMTP_PORT muss eine ganze Zahl sein"),
        ("MAIL_RETRY_MAX_SECONDS", "3600", "kleiner als CELERY_VISIBILITY_TIMEOUT"),
        ("MAIL_LEASE_SECONDS", "60", "doppelt so groß wie SMTP_TIMEOUT"),
    ],
)
def test_inconsistent_settings_refuse_to_start(
    production_env, name: str, value: str, message: str
) -> None:
    production_env.setenv(name, value)
    with pytest.raises(ConfigurationError, match=message):
        load_config("production")


def test_unknown_environment_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="Unbekannte Umgebung"):
        load_config("staging")


def test_load_config_does_not_change_the_production_class(production_env) -> None:
    before = config.ProductionConfig.SQLALCHEMY_DATABASE_URI
    load_config("production")
    assert before == config.ProductionConfig.SQLALCHEMY_DATABASE_URI
