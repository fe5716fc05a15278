"""Idempotent submissions: every rendered form carries a one-time token.

The first POST with a token claims it in the request's own transaction (a row in
``form_submission``) and so commits it together with whatever the view creates. A second
POST with the same token (double click, reload, replay) cannot claim it: PostgreSQL makes it
wait until the first transaction ends, then it is answered with a redirect to the first's
result page instead of running the view again. A request that does not commit (validation
error, 403) releases its claim with the rollback, so the same token may be sent again.

Forms get the token without doing anything: ``app.core.forms.Form`` renders it next to the
CSRF token; hand-written forms use ``{{ formular_felder() }}`` instead of a bare CSRF input.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, flash, g, redirect, request, url_for
from markupsafe import Markup, escape
from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.datenstand import zwischengespeichert
from app.core.models import FormSubmission
from app.core.types import utcnow
from app.extensions import db

TOKEN_FIELD = "formular_token"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
_CLAIM = "formular_token_anspruch"
_COMMITTED = "formular_token_gespeichert"
_FLUSHED = "formular_token_danach_geschrieben"
REDIRECTS = (301, 302, 303, 307, 308)
BEREITS = "Dieses Formular wurde bereits abgeschickt; es wurde nur einmal gespeichert."


def token_input() -> Markup:
    """A hidden input with a fresh one-time token (URL-safe characters: nothing to escape)."""
    return Markup(f'<input type="hidden" name="{TOKEN_FIELD}" value="{secrets.token_urlsafe(24)}">')


def _csrf() -> str:
    """The request's CSRF token, escaped once (Flask-WTF makes it once per request)."""
    from flask_wtf.csrf import generate_csrf

    return str(escape(generate_csrf()))


def form_inputs() -> Markup:
    """CSRF token and one-time token for a hand-written ``<form method="post">``; while a
    cached fragment is rendered (``formulare_als_platzhalter``) a placeholder instead."""
    if g.get(_PLATZHALTER_MODUS):
        return PLATZHALTER
    return Markup(f'<input type="hidden" name="csrf_token" value="{_csrf()}">') + token_input()


PLATZHALTER = Markup("<!--formular-felder-->")  # escaped user text can never contain it
_PLATZHALTER = re.compile(r"<!--formular-(felder|feld:([A-Za-z0-9_-]{1,100}))-->")
_PLATZHALTER_MODUS = "formulare_als_platzhalter"


def feld_platzhalter(name: str) -> Markup | None:
    """A form class's CSRF field as a placeholder (named: forms may carry a prefix), or None
    when no cached markup is being rendered."""
    return Markup(f"<!--formular-feld:{name}-->") if g.get(_PLATZHALTER_MODUS) else None


def _ersetzen(treffer: re.Match, csrf: str) -> str:
    """Fresh inputs for one placeholder, in the markup the form itself would have written."""
    name = treffer.group(2)  # from the placeholder pattern: [A-Za-z0-9_-] only
    if name is None:
        feld = f'<input type="hidden" name="csrf_token" value="{csrf}">'
    else:
        feld = f'<input id="{name}" name="{name}" type="hidden" value="{csrf}">'
    return feld + str(token_input())


def mit_formularfeldern(html: str) -> Markup:
    """A cached fragment with fresh CSRF and one-time tokens in place of each placeholder:
    tokens belong to one session and one submission, so they are never cached."""
    text = str(html)
    if "<!--formular-feld" not in text:
        return Markup(text)
    csrf = _csrf()
    return Markup(_PLATZHALTER.sub(lambda treffer: _ersetzen(treffer, csrf), text))


@contextmanager
def formulare_als_platzhalter() -> Iterator[None]:
    """Render forms with placeholders for their tokens (for markup that is cached)."""
    vorher = g.get(_PLATZHALTER_MODUS, False)
    setattr(g, _PLATZHALTER_MODUS, True)
    try:
        yield
    finally:
        setattr(g, _PLATZHALTER_MODUS, vorher)


def zwischengespeichert_mit_formularen(key: tuple, compute: Callable[[], str]) -> Markup:
    """Markup with forms cached like any page part (``datenstand``): rendered once with
    placeholders, filled with fresh tokens on every request."""

    def berechnen() -> Markup:
        with formulare_als_platzhalter():
            return Markup(compute())

    return mit_formularfeldern(zwischengespeichert(key, berechnen))


def _claim() -> Response | None:
    """Claim the submitted token inside this request's transaction, or answer a repeat."""
    if request.method != "POST" or request.endpoint is None:
        return None
    token = request.form.get(TOKEN_FIELD, "")
    if not _TOKEN.fullmatch(token):
        return None
    db.session.add(FormSubmission(token=token, endpoint=request.endpoint[:200]))
    try:
        db.session.flush()  # waits for a concurrent first submission to end
    except IntegrityError:
        db.session.rollback()  # nothing else happened in this request yet
        return _answer_repeat(token)
    db.session.info[_CLAIM] = token
    g.formular_token = token
    return None


def _answer_repeat(token: str) -> Response:
    """Send the repeat where the first submission went (waiting briefly for it)."""
    target = None
    for _ in range(20):
        target = db.session.scalar(
            select(FormSubmission.result_url).where(FormSubmission.token == token)
        )
        if target:
            break
        db.session.rollback()
        time.sleep(0.1)
    flash(BEREITS, "hinweis")
    return redirect(target or _fallback(), 303)


def _fallback() -> str:
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("core.index")


def _record(response: Response) -> Response:
    """Remember where the first submission's result is, once its claim is committed."""
    token = g.pop("formular_token", None)
    session = db.session()
    if (
        token is None
        or response.status_code not in REDIRECTS
        or session.info.get(_COMMITTED) != token
        or session.info.get(_FLUSHED)
        or session.new
        or session.dirty
        or session.deleted
    ):
        return response
    location = urlsplit(response.location or "")
    if location.netloc and location.netloc != request.host:
        return response
    target = location.path + (f"?{location.query}" if location.query else "")
    db.session.execute(
        update(FormSubmission).where(FormSubmission.token == token).values(result_url=target[:2000])
    )
    db.session.commit()
    return response


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    token = session.info.pop(_CLAIM, None)
    if token is not None:
        session.info[_COMMITTED] = token
        session.info.pop(_FLUSHED, None)


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: object) -> None:
    if _COMMITTED in session.info:
        session.info[_FLUSHED] = True


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: object) -> None:
    """A claim not moved to 'committed' by now was rolled back with its transaction."""
    if getattr(transaction, "parent", None) is None and not getattr(transaction, "nested", False):
        session.info.pop(_CLAIM, None)


def _forget(_exc: BaseException | None = None) -> None:
    session = db.session()
    for key in (_CLAIM, _COMMITTED, _FLUSHED):
        session.info.pop(key, None)


def purge_submissions(max_age: timedelta = timedelta(days=2)) -> int:
    """Delete tokens older than ``max_age``; a replay after that is a new submission."""
    result = db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < utcnow() - max_age)
    )
    return result.rowcount or 0


def init_app(app: Flask) -> None:
    app.before_request(_claim)
    app.after_request(_record)
    app.teardown_request(_forget)
    app.jinja_env.globals["formular_felder"] = form_inputs
    app.jinja_env.globals["formular_platzhalter"] = PLATZHALTER
