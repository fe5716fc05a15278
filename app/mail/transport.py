"""Delivering a built message: SMTP with a reused connection, or the development store."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


class TemporaryMailError(Exception):
    """The server may accept the mail later (4xx, connection problems)."""


class PermanentMailError(Exception):
    """The server refused the mail for good (5xx)."""


_connection: smtplib.SMTP | None = None


def _open() -> smtplib.SMTP:
    cfg = current_app.config
    host, port, timeout = cfg["SMTP_HOST"], cfg["SMTP_PORT"], cfg["SMTP_TIMEOUT"]
    if cfg["SMTP_SECURITY"] == "ssl":
        conn: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if cfg["SMTP_SECURITY"] == "starttls":
            conn.starttls(context=ssl.create_default_context())
        if cfg["SMTP_USER"]:
            conn.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"])
    except BaseException:
        conn.close()
        raise
    return conn


def _alive(conn: smtplib.SMTP) -> bool:
    try:
        return conn.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def get_connection() -> smtplib.SMTP:
    """The process's SMTP connection, reopened when the server dropped it."""
    global _connection
    if _connection is None or not _alive(_connection):
        close_connection()
        _connection = _open()
    return _connection


def close_connection(polite: bool = False) -> None:
    """Drop the cached connection: after an error just close the socket (the server may hang),
    at worker shutdown say QUIT first."""
    global _connection
    conn, _connection = _connection, None
    if conn is None:
        return
    try:
        if polite:
            conn.quit()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        conn.close()


def deliver(message: EmailMessage) -> str:
    """Send one message; returns the transport's name, raises Temporary/PermanentMailError."""
    if current_app.config["MAIL_BACKEND"] == "store":
        return "store"
    try:
        refused = get_connection().send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        close_connection()
        code, text = next(iter(exc.recipients.values()))
        raise _classify(code, text) from exc
    except smtplib.SMTPAuthenticationError as exc:
        # our credentials, not this mail: retry with backoff instead of failing every mail
        close_connection()
        raise TemporaryMailError(
            f"Anmeldung am Mailserver fehlgeschlagen (SMTP {exc.smtp_code})"
        ) from exc
    except smtplib.SMTPResponseException as exc:
        close_connection()
        raise _classify(exc.smtp_code, exc.smtp_error) from exc
    except (smtplib.SMTPException, OSError) as exc:
        close_connection()
        raise TemporaryMailError(f"Verbindung zum Mailserver fehlgeschlagen: {exc}") from exc
    if refused:
        code, text = next(iter(refused.values()))
        raise _classify(code, text)
    return "smtp"


def _classify(code: int, text: bytes | str) -> Exception:
    detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    message = f"SMTP {code}: {detail}"
    return PermanentMailError(message) if 500 <= code < 600 else TemporaryMailError(message)
