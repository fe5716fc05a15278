"""Delivering a built message: SMTP with a reused connection, or the development store."""

from __future__ import annotations

import smtplib
import ssl
import time

from flask import current_app


class TemporaryMailError(Exception):
    """The server may accept the mail later (4xx, connection problems)."""


class PermanentMailError(Exception):
    """The server refused the mail for good (5xx)."""


_connection: smtplib.SMTP | None = None
_answered_at = 0.0
FRESH_SECONDS = 5.0  # far below any server's idle timeout


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
    """The process's SMTP connection, reopened when the server dropped it.

    A connection that answered within the last ``FRESH_SECONDS`` is used without asking
    (a NOOP per message would cost a round trip each); an older one is checked first.
    """
    global _connection, _answered_at
    fresh = _connection is not None and time.monotonic() - _answered_at < FRESH_SECONDS
    if not fresh and (_connection is None or not _alive(_connection)):
        close_connection()
        _connection = _open()
    _answered_at = time.monotonic()
    return _connection


def close_connection(polite: bool = False) -> None:
    """Drop the cached connection: after an error just close the socket (the server may hang),
    at worker shutdown say QUIT first."""
    global _connection, _answered_at
    conn, _connection, _answered_at = _connection, None, 0.0
    if conn is None:
        return
    try:
        if polite:
            conn.quit()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        conn.close()


def deliver(sender: str, recipient: str, data: bytes) -> str:
    """Send one message in its wire form (``mime.wire_bytes``); returns the transport's name,
    raises Temporary/PermanentMailError."""
    if current_app.config["MAIL_BACKEND"] == "store":
        return "store"
    options = [] if (sender + recipient).isascii() else ["SMTPUTF8"]
    try:
        refused = get_connection().sendmail(sender, [recipient], data, mail_options=options)
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
