"""Accounts and their login sessions."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import TimestampMixin, UTCDateTime, utcnow
from app.extensions import db
from app.suche.volltext import suchindex

if TYPE_CHECKING:
    from app.stammdaten.models import Mitgliedschaft, Organisation


class User(TimestampMixin, UserMixin, db.Model):
    """A person who logs in; acts for an organisation and sits in Gremien."""

    __audit_name__ = "Konto"
    __audit_ignore__ = frozenset({"last_login_at"})
    __audit_secret__ = frozenset({"link_nonce"})  # only that a new link was issued
    __audit_berechtigung__ = frozenset({"ist_stabsstelle", "aktiv", "organisation_id"})

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    ist_stabsstelle: Mapped[bool] = mapped_column(default=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    aktiv: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # an office holder who agreed to be named in the public portal and the OParl API
    name_oeffentlich: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Renewed with every invitation or reset link, so only the newest link works.
    link_nonce: Mapped[str | None] = mapped_column(String(32))
    # Art. 17: the account was deleted; only its pseudonym remains (app/datenschutz)
    geloescht_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship(back_populates="users")
    mitgliedschaften: Mapped[list[Mitgliedschaft]] = relationship(
        back_populates="user", foreign_keys="Mitgliedschaft.user_id"
    )

    login_token = None  # the LoginSession token this request runs under (not a column)

    def get_id(self) -> str | None:
        """Flask-Login stores the login-session token, never the bare user id."""
        return self.login_token

    @property
    def is_active(self) -> bool:
        return self.aktiv

    def __str__(self) -> str:
        return self.name


def new_token() -> str:
    """An unguessable session token."""
    return secrets.token_urlsafe(32)


class LoginSession(db.Model):
    """One login on one device; revoked at logout so a replayed cookie is refused."""

    __audit__ = False  # logins are explicit audit events (app.audit)

    token: Mapped[str] = mapped_column(String(64), primary_key=True, default=new_token)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship()


suchindex("ix_user_suche", User.__table__.c.name, User.__table__.c.email)
