"""Configuration classes: development (embedded default), testing and production."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_DIR", BASE_DIR / "instance"))
DEFAULT_SECRET = "entwicklung-nicht-geheim"


class ConfigurationError(RuntimeError):
    """Raised when production starts without a required setting."""


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigurationError(
            f"Umgebungsvariable {name} muss eine ganze Zahl sein, nicht {value!r}."
        ) from None


def _psycopg_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class BaseConfig:
    """Settings shared by every environment; environment variables override them."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = _psycopg_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'planungskreislauf.sqlite'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    CELERY_BROKER_URL = os.environ.get(
        "CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_DIR / 'broker.sqlite'}"
    )
    CELERY_VISIBILITY_TIMEOUT = _env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ACCOUNT_TOTAL = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT_TOTAL", "30 per hour")
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes")
    # Redis down: limits run in memory instead of failing the login (the outage is logged).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # How many reverse proxies stand in front of gunicorn (their X-Forwarded-* are trusted).
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)

    # Mail: "smtp" sends, "store" keeps mails in the Postausgang (development default).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "store")
    SMTP_HOST = os.environ.get("SMTP_HOST", "127.0.0.1")
    SMTP_PORT = _env_int("SMTP_PORT", 25)
    SMTP_USER = os.environ.get("SMTP_USER", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "none")  # none | starttls | ssl
    SMTP_TIMEOUT = _env_int("SMTP_TIMEOUT", 30)
    MAIL_FROM = os.environ.get(
        "MAIL_FROM", "Stabsstelle Sozialplanung <sozialplanung@hilden.example>"
    )
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
    PRODUKTION = False  # True only in ProductionConfig (demo data refuses to load there)

    # Uploads (app/dateien): stored outside the web root under random names.
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    DATEI_MAX_BYTES = _env_int("DATEI_MAX_BYTES", 20 * 1024 * 1024)
    DATEI_ZIP_MAX_EINTRAEGE = _env_int("DATEI_ZIP_MAX_EINTRAEGE", 1000)
    DATEI_ZIP_MAX_BYTES = _env_int("DATEI_ZIP_MAX_BYTES", 100 * 1024 * 1024)
    DATEI_ZIP_MAX_VERHAELTNIS = _env_int("DATEI_ZIP_MAX_VERHAELTNIS", 100)
    CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
    CLAMD_PORT = _env_int("CLAMD_PORT", 3310)
    CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
    CLAMD_TIMEOUT = _env_int("CLAMD_TIMEOUT", 30)

    # Public portal and OParl API (app/oeffentlich, app/oparl).
    OEFFENTLICHE_NAMEN = os.environ.get("OEFFENTLICHE_NAMEN", "1") == "1"
    OPARL_SEITENGROESSE = _env_int("OPARL_SEITENGROESSE", 100)
    OPARL_LIZENZ = os.environ.get("OPARL_LIZENZ", "https://creativecommons.org/licenses/by/4.0/")
    OPARL_ORT = os.environ.get("OPARL_ORT", "Hilden")
    OPARL_AGS = os.environ.get("OPARL_AGS", "")
    OPARL_ABGLEICH_SEKUNDEN = _env_int("OPARL_ABGLEICH_SEKUNDEN", 3600)

    # Imports of indicator values and Einrichtungen (a Celery job each, see app/datenbasis).
    IMPORT_MAX_ZEILEN = _env_int("IMPORT_MAX_ZEILEN", 100_000)
    IMPORT_SWEEP_SECONDS = _env_int("IMPORT_SWEEP_SECONDS", 60)
    IMPORT_STILLSTAND_SECONDS = _env_int("IMPORT_STILLSTAND_SECONDS", 120)

    # Reminders and deadlines (checked by beat; each mail is sent once).
    ZYKLUS_ERINNERUNG_TAGE = _env_int("ZYKLUS_ERINNERUNG_TAGE", 7)
    ZYKLUS_FRISTEN_SEKUNDEN = _env_int("ZYKLUS_FRISTEN_SEKUNDEN", 3600)
    SITZUNG_ANTWORT_MAX_AGE = _env_int("SITZUNG_ANTWORT_MAX_AGE", 180 * 24 * 3600)
    SITZUNG_ERINNERUNG_SWEEP_SECONDS = _env_int("SITZUNG_ERINNERUNG_SWEEP_SECONDS", 600)
    # larger meeting packs are not attached to the invitation; the mail links to them
    SITZUNGSMAPPE_MAX_ANHANG_MB = _env_int("SITZUNGSMAPPE_MAX_ANHANG_MB", 10)
    PROTOKOLL_ERINNERUNG_TAGE = _env_int("PROTOKOLL_ERINNERUNG_TAGE", 14)
    PROTOKOLL_ERINNERUNG_INTERVALL = _env_int("PROTOKOLL_ERINNERUNG_INTERVALL", 3600)

    # Notification digests (app/benachrichtigungen): due this Berlin hour after the period
    # ended (daily: the previous day; weekly: Monday to Sunday), checked by beat.
    ZUSAMMENFASSUNG_STUNDE = _env_int("ZUSAMMENFASSUNG_STUNDE", 7)
    ZUSAMMENFASSUNG_SWEEP_SECONDS = _env_int("ZUSAMMENFASSUNG_SWEEP_SECONDS", 600)

    # Data-protection rights and retention (app/datenschutz).
    MEINE_DATEN_GUELTIGKEIT = _env_int("MEINE_DATEN_GUELTIGKEIT", 7 * 24 * 3600)
    KONTO_SELBST_LOESCHEN = os.environ.get("KONTO_SELBST_LOESCHEN", "0") == "1"
    AUFBEWAHRUNG_ANMELDUNGEN_TAGE = _env_int("AUFBEWAHRUNG_ANMELDUNGEN_TAGE", 90)
    AUFBEWAHRUNG_POSTAUSGANG_TAGE = _env_int("AUFBEWAHRUNG_POSTAUSGANG_TAGE", 90)
    AUFBEWAHRUNG_BENACHRICHTIGUNGEN_TAGE = _env_int("AUFBEWAHRUNG_BENACHRICHTIGUNGEN_TAGE", 365)
    AUFBEWAHRUNG_ENTWUERFE_TAGE = _env_int("AUFBEWAHRUNG_ENTWUERFE_TAGE", 180)
    AUFBEWAHRUNG_GAESTE_TAGE = _env_int("AUFBEWAHRUNG_GAESTE_TAGE", 30)
    AUFBEWAHRUNG_INTERVIEWNOTIZEN_TAGE = _env_int("AUFBEWAHRUNG_INTERVIEWNOTIZEN_TAGE", 1095)
    BEREINIGUNG_STUNDE = _env_int("BEREINIGUNG_STUNDE", 3)


class DevelopmentConfig(BaseConfig):
    """Embedded default: SQLite file and SQLite broker, no servers needed."""

    DEBUG = False


class TestingConfig(BaseConfig):
    """Real PostgreSQL and Redis; URLs come from the test harness."""

    TESTING = True
    SECRET_KEY = "test-geheimnis-nur-fuer-tests"
    MAIL_BACKEND = "smtp"
    SERVER_NAME = None
    PASSWORD_HASH_FAST = True


class ProductionConfig(BaseConfig):
    """PostgreSQL, Redis and SMTP from the environment; refuses unsafe defaults."""

    PRODUKTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")

    @classmethod
    def validate(cls) -> None:
        """Refuse to start when a required setting is missing or a default secret is used."""
        env = os.environ
        missing = [
            name
            for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SMTP_HOST", "BASE_URL")
            if not env.get(name, "").strip()
        ]
        if missing:
            raise ConfigurationError(
                "Produktionsbetrieb nicht möglich, es fehlen Umgebungsvariablen: "
                + ", ".join(missing)
            )
        secret = env["SECRET_KEY"]
        if secret == DEFAULT_SECRET or len(secret) < 32:
            raise ConfigurationError(
                "SECRET_KEY ist der Standardwert oder kürzer als 32 Zeichen; "
                "bitte einen zufälligen Schlüssel setzen (z. B. python -c "
                "'import secrets; print(secrets.token_urlsafe(48))')."
            )
        if not env["DATABASE_URL"].startswith(("postgresql", "postgres://")):
            raise ConfigurationError(
                "DATABASE_URL muss auf PostgreSQL zeigen (postgresql+psycopg://…)."
            )
        backend = env.get("MAIL_BACKEND", "smtp")
        if backend not in ("smtp", "store"):
            raise ConfigurationError(
                f"MAIL_BACKEND muss 'smtp' oder 'store' sein, nicht {backend!r}."
            )
        security = env.get("SMTP_SECURITY", "none")
        if security not in ("none", "starttls", "ssl"):
            raise ConfigurationError(
                f"SMTP_SECURITY muss 'none', 'starttls' oder 'ssl' sein, nicht {security!r}."
            )
        visibility = _env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
        if _env_int("MAIL_RETRY_MAX_SECONDS", 900) >= visibility:
            raise ConfigurationError(
                "MAIL_RETRY_MAX_SECONDS muss kleiner als CELERY_VISIBILITY_TIMEOUT sein "
                "(Celery-Aufgaben dürfen nicht länger warten, als der Broker sie zurückhält)."
            )
        if _env_int("MAIL_LEASE_SECONDS", 300) <= 2 * _env_int("SMTP_TIMEOUT", 30):
            raise ConfigurationError(
                "MAIL_LEASE_SECONDS muss mehr als doppelt so groß wie SMTP_TIMEOUT sein, "
                "sonst kann eine langsame Zustellung doppelt versendet werden."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> type[BaseConfig]:
    """Pick the configuration class named by APP_ENV (default development).

    Production reads the environment at this moment (not at import), validates it and
    returns a subclass, so the checked values are exactly the ones the app uses.
    """
    name = name or os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise ConfigurationError(f"Unbekannte Umgebung APP_ENV={name!r}")
    config = CONFIGS[name]
    if config is not ProductionConfig:
        return config
    ProductionConfig.validate()
    env = os.environ
    settings: dict[str, object] = {
        "SECRET_KEY": env["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": _psycopg_url(env["DATABASE_URL"]),
        "REDIS_URL": env["REDIS_URL"],
        "CELERY_BROKER_URL": env.get("CELERY_BROKER_URL", env["REDIS_URL"]),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", env["REDIS_URL"]),
        "BASE_URL": env["BASE_URL"],
        "MAIL_BACKEND": env.get("MAIL_BACKEND", "smtp"),
        "SMTP_HOST": env["SMTP_HOST"],
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_SECURITY": env.get("SMTP_SECURITY", "none"),
        "MAIL_FROM": env.get("MAIL_FROM", BaseConfig.MAIL_FROM),
        "TRUSTED_PROXIES": _env_int("TRUSTED_PROXIES", 0),
        "UPLOAD_DIR": env.get("UPLOAD_DIR", BaseConfig.UPLOAD_DIR),
    }
    if env.get("ALLOW_INSECURE_HTTP") == "1":  # http-only test deployments: no Secure cookies
        settings.update(SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False)
    for key, default in (
        ("SMTP_PORT", 25),
        ("SMTP_TIMEOUT", 30),
        ("CELERY_VISIBILITY_TIMEOUT", 3600),
        ("MAIL_MAX_ATTEMPTS", 6),
        ("MAIL_RETRY_BASE_SECONDS", 30),
        ("MAIL_RETRY_MAX_SECONDS", 900),
        ("MAIL_LEASE_SECONDS", 300),
    ):
        settings[key] = _env_int(key, default)
    return type("ProductionConfig", (ProductionConfig,), settings)
