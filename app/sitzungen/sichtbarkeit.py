"""Who sees which meetings: lists, organisers, calendar subscriptions and feeds."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.types import utcnow
from app.extensions import db
from app.sitzungen.models import (
    Einladung,
    KalenderAbo,
    Sitzung,
    SitzungStatus,
)
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.stammdaten.rollen import gremien_abfrage

# --------------------------------------------------------------------------- visibility and feeds


def visible_sitzungen(user: User) -> Select:
    """The meetings ``user`` may see: all for the Stabsstelle; else public, own Gremien (also as
    Stellvertretung), invited."""
    query = select(Sitzung)
    if getattr(user, "ist_stabsstelle", False):
        return query
    gremien = gremien_abfrage(user)  # own seats and deputised ones
    eingeladen = select(Einladung.sitzung_id).where(Einladung.user_id == user.id)
    return query.where(
        or_(Sitzung.oeffentlich, Sitzung.gremium_id.in_(gremien), Sitzung.id.in_(eingeladen))
    )


def organised_gremium_ids(user: User) -> set[int]:
    """Gremien in which ``user`` holds Vorsitz or Moderation."""
    from app.sitzungen.permissions import ORGANISATION

    return set(
        db.session.scalars(
            select(Mitgliedschaft.gremium_id).where(
                Mitgliedschaft.user_id == user.id,
                Mitgliedschaft.aktiv,
                Mitgliedschaft.funktion.in_(ORGANISATION),
            )
        )
    )


def creatable_gremien(user: User) -> list[Gremium]:
    """Active Gremien ``user`` may plan meetings for."""
    query = select(Gremium).where(Gremium.aktiv).order_by(Gremium.typ, Gremium.name)
    if not getattr(user, "ist_stabsstelle", False):
        query = query.where(Gremium.id.in_(organised_gremium_ids(user) or {-1}))
    return list(db.session.scalars(query))


def active_abo(user: User) -> KalenderAbo | None:
    """The person's current calendar feed, if any."""
    return db.session.scalar(
        select(KalenderAbo).where(KalenderAbo.user_id == user.id, KalenderAbo.revoked_at.is_(None))
    )


def renew_abo(user: User) -> KalenderAbo:
    """A new feed URL; the previous one stops working at once."""
    revoke_abo(user)
    abo = KalenderAbo(user_id=user.id)
    db.session.add(abo)
    db.session.flush()
    return abo


def revoke_abo(user: User) -> None:
    """Make the person's feed URL useless."""
    db.session.execute(
        update(KalenderAbo)
        .where(KalenderAbo.user_id == user.id, KalenderAbo.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _feed_query() -> Select:
    return (
        select(Sitzung)
        .options(joinedload(Sitzung.gremium), selectinload(Sitzung.tagesordnungspunkte))
        .where(
            Sitzung.status != SitzungStatus.GEPLANT, Sitzung.ende >= utcnow() - timedelta(days=365)
        )
        .order_by(Sitzung.beginn)
    )


def feed_for_token(token: str) -> tuple[User, list[Sitzung]] | None:
    """The person and the meetings of a live feed token; None when unknown or revoked."""
    abo = db.session.scalar(
        select(KalenderAbo)
        .options(joinedload(KalenderAbo.user))
        .where(KalenderAbo.token == token, KalenderAbo.revoked_at.is_(None))
    )
    if abo is None or not abo.user.aktiv:
        return None
    user = abo.user
    gremien = gremien_abfrage(user)
    eingeladen = select(Einladung.sitzung_id).where(Einladung.user_id == user.id)
    query = _feed_query().where(or_(Sitzung.gremium_id.in_(gremien), Sitzung.id.in_(eingeladen)))
    return user, list(db.session.scalars(query).unique())


def public_feed(gremium: Gremium) -> list[Sitzung]:
    """A Gremium's public meetings for its subscribable calendar."""
    query = _feed_query().where(Sitzung.gremium_id == gremium.id, Sitzung.oeffentlich)
    return list(db.session.scalars(query).unique())
