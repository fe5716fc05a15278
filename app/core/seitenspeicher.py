"""Whole page contents cached per reader until the next write (``app.core.datenstand``).

A detail page's content depends on its object, the reader (rights, own answer, own draft), the
query arguments, the data and the clock (to the minute): all of these are in the key, so a
warm request only checks the session and fills the forms' tokens. The content is rendered with
placeholders for the CSRF and one-time tokens (``formulare_als_platzhalter``); ``seite``
puts fresh ones in on every request. Only GET views use it; a page after a refused form
(errors, conflicts) is rendered directly, never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup

from app.core.datenstand import zwischengespeichert
from app.core.submissions import formulare_als_platzhalter, mit_formularfeldern


def je_leser(key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()`` (plain values, forms as placeholders) per reader and query arguments."""

    def berechnen() -> Any:
        with formulare_als_platzhalter():
            return compute()

    leser = current_user.id if current_user.is_authenticated else None
    return zwischengespeichert((*key, leser, tuple(request.args.items(multi=True))), berechnen)


def seite(titel: str, inhalt: Markup, status: int = 200) -> tuple[str, int]:
    """The page around cached content, with fresh tokens in its forms."""
    return render_template("_seite.html", titel=titel, inhalt=mit_formularfeldern(inhalt)), status
