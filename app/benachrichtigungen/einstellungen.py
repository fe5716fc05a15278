"""Each person's notification settings, the mail policy built on them, unsubscribe links."""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from app.auth.models import User
from app.benachrichtigungen.arten import (
    ARTEN,
    ARTEN_NACH_SCHLUESSEL,
    ZUSAMMENFASSUNG_KIND,
    Art,
    Rhythmus,
    art_fuer,
    erlaubt,
    standard,
)
from app.benachrichtigungen.models import Benachrichtigungseinstellung
from app.core.urls import external_url
from app.extensions import db
from app.mail.richtlinie import Zustellung, register_policy

ABMELDE_SALT = "benachrichtigungen.abbestellen"
ALLE = "alle"  # the unsubscribe link of a digest covers every kind in it


class EinstellungFehler(Exception):
    """A rhythm that is not allowed for a kind; the message is German."""


def einstellungen(user: Any) -> dict[str, Rhythmus]:
    """The rhythm of every settable kind for ``user`` (saved value or the role's default)."""
    saved = dict(
        db.session.execute(
            select(Benachrichtigungseinstellung.art, Benachrichtigungseinstellung.rhythmus).where(
                Benachrichtigungseinstellung.user_id == user.id
            )
        ).all()
    )
    return {
        art.schluessel: saved.get(art.schluessel) or standard(user, art.schluessel) for art in ARTEN
    }


def set_einstellungen(user: Any, werte: dict[str, Rhythmus]) -> int:
    """Save the chosen rhythms (only changed kinds get a row, so the log shows the change)."""
    bisher = {
        row.art: row
        for row in db.session.scalars(
            select(Benachrichtigungseinstellung).where(
                Benachrichtigungseinstellung.user_id == user.id
            )
        )
    }
    geaendert = 0
    for schluessel, rhythmus in werte.items():
        art = ARTEN_NACH_SCHLUESSEL.get(schluessel)
        if art is None or rhythmus not in erlaubt(art):
            name = art.titel if art else schluessel
            raise EinstellungFehler(f"„{rhythmus.label}“ ist für „{name}“ nicht möglich.")
        row = bisher.get(schluessel)
        if row is not None and row.rhythmus != rhythmus:
            row.rhythmus = rhythmus
        elif row is None and rhythmus != standard(user, schluessel):
            db.session.add(
                Benachrichtigungseinstellung(user_id=user.id, art=schluessel, rhythmus=rhythmus)
            )
        else:
            continue
        geaendert += 1
    db.session.flush()
    return geaendert


# --------------------------------------------------------------------------- unsubscribe


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=ABMELDE_SALT)


def abmelde_token(user_id: int, art: str) -> str:
    """A signed token for "no more mails of ``art``" (or ``alle``); works without login."""
    return _serializer().dumps([user_id, art])


def lies_abmelde_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) of a valid token, else None."""
    try:
        user_id, art = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or (art != ALLE and art not in ARTEN_NACH_SCHLUESSEL):
        return None
    return user_id, art


def abmelde_link(user_id: int, art: str) -> str:
    return external_url("benachrichtigungen.abbestellen", token=abmelde_token(user_id, art))


def leisester(art: Art) -> Rhythmus:
    """The quietest allowed rhythm: "aus", or the weekly digest where "aus" is not allowed."""
    return Rhythmus.AUS if art.aus_erlaubt else Rhythmus.WOECHENTLICH


def abbestellen(user: Any, schluessel: str) -> list[Art]:
    """Set one kind (or every kind) to its quietest rhythm; returns the kinds changed."""
    arten = list(ARTEN) if schluessel == ALLE else [ARTEN_NACH_SCHLUESSEL[schluessel]]
    aktuell = einstellungen(user)
    neu = {a.schluessel: leisester(a) for a in arten if aktuell[a.schluessel] != leisester(a)}
    set_einstellungen(user, neu)
    return [a for a in arten if a.schluessel in neu]


# --------------------------------------------------------------------------- mail policy


@register_policy
def _zustellung(recipient: str, kind: str) -> Zustellung | None:
    """Mails of settable kinds go out at once only for "sofort", with an unsubscribe link."""
    art = art_fuer(kind)
    if art is None and kind != ZUSAMMENFASSUNG_KIND:
        return None  # essential: invitations, meeting changes, account mails
    rows = db.session.execute(  # the account and its saved settings in one query
        select(User, Benachrichtigungseinstellung.art, Benachrichtigungseinstellung.rhythmus)
        .outerjoin(Benachrichtigungseinstellung, Benachrichtigungseinstellung.user_id == User.id)
        .where(func.lower(User.email) == recipient.lower())
    ).all()
    if not rows:
        return None  # not an account (a guest): nothing to configure
    user = rows[0][0]
    if art is None:  # a digest: its link quiets every kind it may contain
        return Zustellung(senden=True, abmelde_link=abmelde_link(user.id, ALLE))
    saved = {schluessel: rhythmus for _, schluessel, rhythmus in rows if schluessel}
    if saved.get(art.schluessel, standard(user, art.schluessel)) != Rhythmus.SOFORT:
        return Zustellung(senden=False)
    return Zustellung(senden=True, abmelde_link=abmelde_link(user.id, art.schluessel))
