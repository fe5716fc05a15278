"""German error pages for every 4xx and for 500; database refusals become form errors.

Every error page first rolls the session back, so it never queries on a failed transaction.
When the database refuses a POST (unique, foreign-key, not-null, check or value errors), the
view runs once more with the refusal set on ``g``: ``app.core.forms.Form.validate`` then
fails with a German message and the view shows its form again with everything entered.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from app.core.forms import DB_FEHLER
from app.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Ungültige Anfrage", "Die Anfrage konnte nicht verarbeitet werden."),
    403: ("Keine Berechtigung", "Sie haben keine Berechtigung, diese Seite aufzurufen."),
    404: ("Seite nicht gefunden", "Die angeforderte Seite gibt es nicht (mehr)."),
    405: ("Aktion nicht erlaubt", "Diese Aktion ist auf diesem Weg nicht möglich."),
    409: ("Konflikt", "Die Daten wurden inzwischen geändert. Bitte laden Sie die Seite neu."),
    413: ("Datei zu groß", "Die hochgeladene Datei überschreitet die zulässige Größe."),
    429: (
        "Zu viele Versuche",
        "Sie haben zu viele Versuche unternommen. Bitte warten Sie einige Minuten "
        "und versuchen Sie es dann erneut.",
    ),
    500: (
        "Interner Fehler",
        "Es ist ein unerwarteter Fehler aufgetreten. Bitte versuchen Sie es später erneut.",
    ),
}

# SQLSTATE of the refusal → German message (SQLite: matched by its message text).
REFUSALS = {
    "23505": ("UNIQUE", "Ein Eintrag mit diesen Angaben besteht bereits."),
    "23503": (
        "FOREIGN KEY",
        "Ein ausgewählter Eintrag besteht nicht mehr. Bitte laden Sie die Seite neu.",
    ),
    "23502": ("NOT NULL", "Bitte füllen Sie alle Pflichtfelder aus."),
    "23514": ("CHECK", "Eine Eingabe ist nicht zulässig. Bitte prüfen Sie Ihre Angaben."),
}
WERTFEHLER = (
    "Eine Eingabe ist zu lang oder liegt außerhalb des zulässigen Bereichs. "
    "Bitte prüfen Sie Ihre Angaben."
)


def render_error(code: int, detail: str | None = None):
    """The German error page for ``code``, rendered on a clean session."""
    _rollback()
    title, text = MESSAGES.get(code, ("Fehler", "Die Anfrage konnte nicht verarbeitet werden."))
    return render_template("fehler.html", code=code, title=title, text=text, detail=detail), code


def _rollback() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:  # a dead connection: the next checkout replaces it
        log.exception("Rollback vor der Fehlerseite fehlgeschlagen")


def _http_error(exc: HTTPException):
    detail = exc.description if getattr(exc, "german", False) else None
    return render_error(exc.code or 500, detail)


def _csrf_error(exc: CSRFError):
    return render_error(
        400,
        "Das Formular ist abgelaufen oder unvollständig (Sicherheitsprüfung). "
        "Bitte laden Sie die Seite neu und senden Sie es erneut ab.",
    )


def refusal_of(exc: SQLAlchemyError) -> tuple[str, str | None]:
    """German message and constraint name (if known) for a database refusal."""
    if isinstance(exc, DataError):
        return WERTFEHLER, None
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None)
    constraint = getattr(getattr(orig, "diag", None), "constraint_name", None)
    text = str(orig or exc)
    for code, (marker, message) in REFUSALS.items():
        if state == code or f"{marker} constraint failed" in text:
            if constraint is None and ":" in text:  # SQLite: "… failed: table.column"
                constraint = text.rsplit(":", 1)[1].strip().split(",")[0].replace(".", "_")
            return message, constraint
    return WERTFEHLER, constraint


def _database_error(exc: SQLAlchemyError):
    """Roll back; a refused POST shows its form again with a German message."""
    _rollback()
    message, constraint = refusal_of(exc)
    level = logging.ERROR if isinstance(exc, DataError) else logging.WARNING
    log.log(level, "Datenbank verweigerte %s %s: %s", request.method, request.path, exc.orig)
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method != "POST" or view is None or g.get(DB_FEHLER) is not None:
        return render_error(409 if isinstance(exc, IntegrityError) else 400, message)
    g.formular_token = None
    g.setdefault(DB_FEHLER, (message, constraint))
    try:
        return current_app.make_response(current_app.ensure_sync(view)(**(request.view_args or {})))
    except HTTPException as http:
        return _http_error(http)
    except (IntegrityError, DataError):
        return render_error(409 if isinstance(exc, IntegrityError) else 400, message)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(IntegrityError, _database_error)
    app.register_error_handler(DataError, _database_error)
    app.register_error_handler(500, lambda exc: render_error(500))


def german_abort(code: int, message: str) -> None:
    """Abort with a German explanation shown on the error page."""
    from werkzeug.exceptions import default_exceptions

    exc = default_exceptions[code](description=message)
    exc.german = True  # type: ignore[attr-defined]
    raise exc
