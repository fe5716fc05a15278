"""Helpers for the request tests: post a form as the page renders it (with its tokens)."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.beteiligung.models import Rueckmeldung, RueckmeldungAnfrage
from app.extensions import db
from app.mail.models import Mail


def tokens(body: str) -> dict[str, str]:
    """CSRF and one-time token of the first form on the page."""
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    token = re.search(r'name="formular_token" value="([^"]+)"', body)
    assert csrf and token, "kein Formular mit Tokens auf der Seite"
    return {"csrf_token": csrf.group(1), "formular_token": token.group(1)}


def form_tokens(body: str, action: str) -> dict[str, str]:
    """CSRF and one-time token of the form posting to ``action``."""
    start = body.index(f'action="{action}"')
    return tokens(body[start:])


def post_on_page(client, page: str, action: str, data: dict, *, prefix: str = ""):
    """Load ``page``, take the tokens of the form to ``action`` and post ``data`` there."""
    body = client.get(page).get_data(as_text=True)
    values = form_tokens(body, action)
    if prefix:
        values = {f"{prefix}-csrf_token": values["csrf_token"], **values}
    return client.post(action, data={**values, **data})


def reload(rm_id: int) -> Rueckmeldung:
    return db.session.get(Rueckmeldung, rm_id, populate_existing=True)


def anfragen_of(rm_id: int) -> list[RueckmeldungAnfrage]:
    return list(
        db.session.scalars(
            select(RueckmeldungAnfrage)
            .where(RueckmeldungAnfrage.rueckmeldung_id == rm_id)
            .order_by(RueckmeldungAnfrage.id)
            .execution_options(populate_existing=True)
        )
    )


def mails(kind: str) -> list[Mail]:
    return list(db.session.scalars(select(Mail).where(Mail.kind == kind).order_by(Mail.id)))
