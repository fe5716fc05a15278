"""Configuration classes: development (embedded default), testing and production."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))
DEFAULT_SECRET = "entwicklung-nicht-geheim"  # noqa: S105 - refused in production


class ConfigurationError(RuntimeError):
    """Raised when production starts without a required setting."""


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class BaseConfig:
    """Settings shared by every environment; environment variables override them."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'planungskreislauf.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    CELERY_BROKER_URL = os.environ.get(
        "CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_DIR / 'broker.sqlite'}"
    )
    CELERY_VISIBILITY_TIMEOUT = _env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes")

    # Mail: "smtp" sends, "store" keeps mails in the Postausgang (development default).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "store")
    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "none")  # none | starttls | ssl
    SMTP_TIMEOUT = _env_int("SMTP_TIMEOUT", 30)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Stabsstelle Sozialplanung <sozialplanung@hilden.example>")
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 6)
    MAIL_RETRY_BASE_SECONDS = _env_int("MAIL_RETRY_BASE_SECONDS", 30)
    MAIL_RETRY_MAX_SECONDS = _env_int("MAIL_RETRY_MAX_SECONDS", 900)
    MAIL_LEASE_SECONDS = _env_int("MAIL_LEASE_SECONDS", 300)
    OUTBOX_SWEEP_SECONDS = _env_int("OUTBOX_SWEEP_SECONDS", 60)
    OUTBOX_SWEEP_GRACE_SECONDS = _env_int("OUTBOX_SWEEP_GRACE_SECONDS", 30)

    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")
    INVITATION_MAX_AGE = _env_int("INVITATION_MAX_AGE", 14 * 24 * 3600)
    PASSWORD_RESET_MAX_AGE = _env_int("PASSWORD_RESET_MAX_AGE", 2 * 3600)
    PERMANENT_SESSION_LIFETIME = _env_int("SESSION_LIFETIME", 10 * 3600)
    LOGIN_SESSION_MAX_AGE = PERMANENT_SESSION_LIFETIME

    SESSION_COOKIE_NAME = "pk_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 25 * 1024 * 1024)

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Stadt Hilden")
    IMPRESSUM_TEXT = os.environ.get(
        "IMPRESSUM_TEXT",
        "Stadt Hilden, Dezernat III, Stabsstelle für Soziales, Jugend und Bildung, "
        "Am Rathaus 1, 40721 Hilden. Vertreten durch den Bürgermeister.",
    )
    DATENSCHUTZ_TEXT = os.environ.get(
        "DATENSCHUTZ_TEXT",
        "Diese Plattform verarbeitet Name, E-Mail-Adresse und Gremienzugehörigkeit der "
        "Beteiligten zur Durchführung der Sozialplanung (Art. 6 Abs. 1 lit. e DSGVO). "
        "Verantwortlich ist die Stadt Hilden.",
    )
    BARRIEREFREIHEIT_KONTAKT = os.environ.get(
        "BARRIEREFREIHEIT_KONTAKT", "sozialplanung@hilden.example"
    )
    DEMO_MODE = os.environ.get("DEMO_MODE", "0") == "1"


class DevelopmentConfig(BaseConfig):
    """Embedded default: SQLite file and SQLite broker, no servers needed."""

    DEBUG = False


class TestingConfig(BaseConfig):
    """Real PostgreSQL and Redis; URLs come from the test harness."""

    TESTING = True
    SECRET_KEY = "test-geheimnis-nur-fuer-tests"  # noqa: S105
    MAIL_BACKEND = "smtp"
    SERVER_NAME = None
    PASSWORD_HASH_FAST = True


class ProductionConfig(BaseConfig):
    """PostgreSQL, Redis and SMTP from the environment; refuses unsafe defaults."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")

    @classmethod
    def validate(cls) -> None:
        """Refuse to start when a required setting is missing or a default secret is used."""
        missing = [
            name
            for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SMTP_HOST", "BASE_URL")
            if not os.environ.get(name)
        ]
        if missing:
            raise ConfigurationError(
                "Produktionsbetrieb nicht möglich, es fehlen Umgebungsvariablen: "
                + ", ".join(missing)
            )
        secret = os.environ["SECRET_KEY"]
        if secret == DEFAULT_SECRET or len(secret) < 32:
            raise ConfigurationError(
                "SECRET_KEY ist der Standardwert oder kürzer als 32 Zeichen; "
                "bitte einen zufälligen Schlüssel setzen (z. B. python -c "
                "'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if not os.environ["DATABASE_URL"].startswith("postgresql"):
            raise ConfigurationError("DATABASE_URL muss auf PostgreSQL zeigen (postgresql+psycopg://…).")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> type[BaseConfig]:
    """Pick the configuration class named by APP_ENV (default development)."""
    name = name or os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise ConfigurationError(f"Unbekannte Umgebung APP_ENV={name!r}")
    config = CONFIGS[name]
    if config is ProductionConfig:
        ProductionConfig.validate()
        ProductionConfig.SQLALCHEMY_DATABASE_URI = _psycopg_url(os.environ["DATABASE_URL"])
        ProductionConfig.CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", os.environ["REDIS_URL"])
        ProductionConfig.RATELIMIT_STORAGE_URI = os.environ.get(
            "RATELIMIT_STORAGE_URI", os.environ["REDIS_URL"]
        )
    return config


def _psycopg_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
