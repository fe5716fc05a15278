"""Factories for test data; every factory commits (a savepoint release in rollback tests)."""

from __future__ import annotations

import itertools

from app.auth.models import LoginSession, User
from app.auth.services import hash_password
from app.extensions import db
from app.stammdaten.models import (
    Funktion,
    Gremium,
    GremiumTyp,
    Mitgliedschaft,
    Organisation,
    OrganisationArt,
    Sozialraum,
)

PASSWORD = "Test-Passwort-123"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _n() -> int:
    return next(_seq)


def _save(obj):  # noqa: ANN001, ANN202
    db.session.add(obj)
    db.session.commit()
    return obj


def password_hash(password: str = PASSWORD) -> str:
    """argon2id hash, computed once per password (hashing needs an app context)."""
    if password not in _hash_cache:
        from argon2 import PasswordHasher

        _hash_cache[password] = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(password)
    return _hash_cache[password]


def organisation(name: str | None = None, art: OrganisationArt = OrganisationArt.TRAEGER, **kw) -> Organisation:
    n = _n()
    return _save(Organisation(name=name or f"Träger {n}", kurzname=kw.pop("kurzname", f"T{n}"), art=art, **kw))


def user(
    email: str | None = None,
    name: str | None = None,
    *,
    stabsstelle: bool = False,
    organisation: Organisation | None = None,
    password: str | None = PASSWORD,
    **kw,
) -> User:
    n = _n()
    return _save(
        User(
            email=email or f"person{n}@test.example",
            name=name or f"Person {n}",
            ist_stabsstelle=stabsstelle,
            organisation_id=organisation.id if organisation else None,
            password_hash=password_hash(password) if password else None,
            **kw,
        )
    )


def stabsstelle(**kw) -> User:
    return user(stabsstelle=True, **kw)


def traeger_user(**kw) -> User:
    """A staff member of a (new) Träger organisation."""
    org = kw.pop("organisation", None) or organisation()
    return user(organisation=org, **kw)


def sozialraum(name: str | None = None, **kw) -> Sozialraum:
    n = _n()
    return _save(Sozialraum(nummer=kw.pop("nummer", 100 + n), name=name or f"Sozialraum {n}", **kw))


def gremium(typ: GremiumTyp = GremiumTyp.PLANUNGSRUNDE, name: str | None = None, **kw) -> Gremium:
    n = _n()
    if typ == GremiumTyp.STADTTEILARBEITSKREIS and "sozialraum_id" not in kw:
        kw["sozialraum_id"] = kw.pop("sozialraum", None).id if kw.get("sozialraum") else sozialraum().id
    kw.pop("sozialraum", None)
    return _save(Gremium(name=name or f"{typ.label} {n}", typ=typ, **kw))


def mitgliedschaft(gremium: Gremium, user: User, funktion: Funktion = Funktion.MITGLIED, **kw) -> Mitgliedschaft:
    return _save(
        Mitgliedschaft(
            gremium_id=gremium.id,
            user_id=user.id,
            funktion=funktion,
            organisation_id=kw.pop("organisation_id", user.organisation_id),
            **kw,
        )
    )


def login_session(user: User) -> str:
    """A live server-side login session for ``user``; returns its token."""
    session = _save(LoginSession(user_id=user.id))
    return session.token


__all__ = ["PASSWORD", "hash_password"]
