"""German error pages for every 4xx and for 500."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def render_error(code: int, detail: str | None = None):
    """The German error page for ``code``, with an optional specific explanation."""
    title, text = MESSAGES.get(code, ("Fehler", "Die Anfrage konnte nicht verarbeitet werden."))
    return render_template("fehler.html", code=code, title=title, text=text, detail=detail), code


def _http_error(exc: HTTPException):
    detail = exc.description if getattr(exc, "german", False) else None
    return render_error(exc.code or 500, detail)


def _csrf_error(exc: CSRFError):
    return render_error(
        400,
        "Das Formular ist abgelaufen oder unvollständig (Sicherheitsprüfung). "
        "Bitte laden Sie die Seite neu und senden Sie es erneut ab.",
    )


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, lambda exc: render_error(500))


def german_abort(code: int, message: str) -> None:
    """Abort with a German explanation shown on the error page."""
    from werkzeug.exceptions import default_exceptions

    exc = default_exceptions[code](description=message)
    exc.german = True  # type: ignore[attr-defined]
    raise exc
