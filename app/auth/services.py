"""Account operations: hashing, login sessions, signed single-use links."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from app.audit.models import Aktion
from app.audit.services import record_event
from app.auth.models import LoginSession, User
from app.core.datenstand import Zeile, angehaengt, zeile, zwischengespeichert
from app.core.types import utcnow
from app.core.urls import external_url
from app.extensions import db, login_manager
from app.mail.models import Mail
from app.mail.secrets import reissuer
from app.mail.services import queue_mail

_DUMMY_HASH: str | None = None


class TokenError(Exception):
    """A link is tampered with, expired or already used; the message is German."""


def _hasher() -> PasswordHasher:
    if current_app.config.get("PASSWORD_HASH_FAST"):
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()  # argon2id with RFC 9106 low-memory defaults


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Check a password in constant-ish time, also when the account does not exist."""
    global _DUMMY_HASH
    if user is None or not user.password_hash:
        _DUMMY_HASH = _DUMMY_HASH or _hasher().hash("dummy-passwort")
        with contextlib.suppress(VerificationError):
            _hasher().verify(_DUMMY_HASH, password)
        return False
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def find_user_by_email(email: str) -> User | None:
    """Look an account up by its address, case-insensitively."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None."""
    user = find_user_by_email(email)
    if not verify_password(user, password) or user is None or not user.aktiv:
        return None
    return user


def start_login_session(user: User) -> LoginSession:
    """Create the server-side session a login cookie refers to."""
    session = LoginSession(
        user_id=user.id,
        ip=request.remote_addr if request else None,
        user_agent=(request.user_agent.string[:300] if request else None),
    )
    db.session.add(session)
    db.session.flush()
    user.login_token = session.token
    user.last_login_at = utcnow()
    record_event(Aktion.ANMELDUNG, objekt=user, akteur=user, ip=_client_ip())
    return session


def record_failed_login(email: str) -> None:
    """Audit a failed login; what was typed is kept only when it names an existing account."""
    user = find_user_by_email(email)
    record_event(
        Aktion.ANMELDUNG_FEHLGESCHLAGEN,
        objekt=user,
        hinweis=None if user else "Anmeldeversuch mit einer unbekannten E-Mail-Adresse",
        ip=_client_ip(),
    )


def record_logout(user: User) -> None:
    """Audit the end of a login session."""
    record_event(Aktion.ABMELDUNG, objekt=user, akteur=user)


def _client_ip() -> str | None:
    return request.remote_addr if request else None


def load_session_user(token: str) -> User | None:
    """The user of a live login session; revoked, expired or deactivated: None.

    Every request needs it, so the row is kept until the next write anywhere (a logout,
    deactivation or role change is a write) and put into the request's session without SQL."""
    gefunden = zwischengespeichert(("anmeldung", token), lambda: _session_user_row(token))
    if gefunden is None:
        return None
    created_at, snapshot = gefunden
    age = (utcnow() - created_at).total_seconds()
    if age > current_app.config["LOGIN_SESSION_MAX_AGE"]:
        return None
    user = angehaengt(snapshot)
    user.login_token = token
    return user


def _session_user_row(token: str) -> tuple[datetime, Zeile] | None:
    """The login session's start and a snapshot of its live user with the organisation."""
    row = db.session.execute(
        select(LoginSession.created_at, User)
        .join(User, User.id == LoginSession.user_id)
        .options(joinedload(User.organisation))  # every page's header names it
        .where(LoginSession.token == token, LoginSession.revoked_at.is_(None), User.aktiv)
    ).first()
    return None if row is None else (row[0], zeile(row[1], "organisation"))


@login_manager.user_loader
def _load_user(token: str) -> User | None:
    """Flask-Login asks the package that owns accounts whom a session cookie belongs to."""
    return load_session_user(token)


def end_login_session(token: str | None) -> None:
    """Revoke one login session (logout)."""
    if token:
        db.session.execute(
            update(LoginSession)
            .where(LoginSession.token == token, LoginSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def end_all_login_sessions(user: User) -> None:
    """Revoke every session of the user (password change, deactivation)."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"konto-{purpose}")


def _fingerprint(user: User) -> str:
    """Changes with the password and with every new link: a link works once, the newest only."""
    material = f"{user.password_hash or 'ohne-passwort'}|{user.link_nonce or ''}"
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def make_account_token(user: User, purpose: str) -> str:
    """A signed link token for ``purpose`` 'einladung' or 'zuruecksetzen'; older links expire."""
    user.link_nonce = secrets.token_hex(8)
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def read_account_token(token: str, purpose: str) -> User:
    """The user a valid token belongs to; raises TokenError with a German message."""
    max_age = current_app.config[
        "INVITATION_MAX_AGE" if purpose == "einladung" else "PASSWORD_RESET_MAX_AGE"
    ]
    try:
        data: dict[str, Any] = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError("Dieser Link ist abgelaufen. Bitte fordern Sie einen neuen an.") from exc
    except BadSignature as exc:
        raise TokenError(
            "Dieser Link ist ungültig. Bitte prüfen Sie, ob er vollständig ist."
        ) from exc
    user = db.session.get(User, data.get("u"))
    if user is None or not user.aktiv:
        raise TokenError("Dieses Konto ist nicht (mehr) aktiv.")
    if data.get("f") != _fingerprint(user):
        raise TokenError(
            "Dieser Link wurde bereits verwendet. Falls Ihnen inzwischen ein neuerer Link "
            "geschickt wurde, gilt nur dieser."
        )
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password and end all existing sessions."""
    user.password_hash = hash_password(password)
    end_all_login_sessions(user)


def invite_user(user: User) -> Mail:
    """Mail the account invitation with a signed single-use link."""
    token = make_account_token(user, "einladung")
    link = external_url("auth.accept_invitation", token=token)
    return queue_mail(
        user.email,
        "Einladung zur Plattform Sozialplanung",
        "mail/konto_einladung",
        recipient_name=user.name,
        kind="konto.einladung",
        user=user,
        link=link,
    )


def request_password_reset(email: str) -> Mail | None:
    """Mail a reset link if the account exists; the answer to the visitor is the same either way."""
    user = find_user_by_email(email)
    if user is None or not user.aktiv:
        return None
    token = make_account_token(user, "zuruecksetzen")
    link = external_url("auth.reset_password", token=token)
    return queue_mail(
        user.email,
        "Passwort zurücksetzen",
        "mail/passwort_zuruecksetzen",
        recipient_name=user.name,
        kind="konto.zuruecksetzen",
        user=user,
        link=link,
    )


@reissuer("konto.einladung")
def _reissue_invitation(mail: Mail) -> Mail | None:
    """A resent invitation carries a new link; the old one stops working."""
    user = find_user_by_email(mail.recipient)
    return invite_user(user) if user is not None and user.aktiv else None


@reissuer("konto.zuruecksetzen")
def _reissue_reset(mail: Mail) -> Mail | None:
    """A resent reset mail carries a new link; the old one stops working."""
    return request_password_reset(mail.recipient)
