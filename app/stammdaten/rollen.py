"""A person's active memberships, read once per request for every permission check.

Permission rules ask "is this person a member / the chair of that Gremium?" many times on one
page (navigation, buttons, each listed meeting). ``mitgliedschaften(user)`` answers from one
query per request: ``{gremium_id: {Funktion, …}}`` of the active memberships. Any flush that
adds, changes or removes a membership forgets the answer, so a request (or a test) that
changes memberships and then asks again sees the change.

A seat's Stellvertretung (``Mitgliedschaft.stellvertretung_id``) reads what the member reads:
in the map the deputy has ``Funktion.MITGLIED`` for that Gremium (never the seat's Vorsitz or
Moderation, whose rights stay with the member). List queries that filter in SQL use
``gremien_abfrage(user)``, built from the same condition (``sitz_von``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context
from sqlalchemy import ColumnElement, Select, and_, event, or_, select
from sqlalchemy.orm import Session

from app.core.datenstand import zwischengespeichert
from app.extensions import db
from app.stammdaten.models import Funktion, Gremium, GremiumTyp, Mitgliedschaft

_KEY = "_aktive_mitgliedschaften"


@dataclass(frozen=True)
class Rollen:
    """A person's active memberships: functions per Gremium and the Gremien's types."""

    funktionen: dict[int, frozenset[Funktion]]
    typen: dict[int, GremiumTyp]  # of active Gremien only


def sitz_von(user_id: int, sitz: Any = Mitgliedschaft) -> ColumnElement[bool]:
    """An active seat the person holds or deputises (``sitz``: Mitgliedschaft or an alias)."""
    return and_(sitz.aktiv, or_(sitz.user_id == user_id, sitz.stellvertretung_id == user_id))


def gremien_abfrage(user: Any) -> Select:
    """Ids of the Gremien the person reads as member or Stellvertretung, as a SQL subquery
    for list queries (the same seats as the per-request map, no extra query)."""
    return select(Mitgliedschaft.gremium_id).where(sitz_von(user.id))


def _rollen(user: Any) -> Rollen:
    """The person's memberships and deputised seats (one query, kept until the next write)."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return Rollen({}, {})
    cache = g.setdefault(_KEY, {}) if has_request_context() else {}
    if user_id not in cache:  # across requests: until the next write anywhere
        cache[user_id] = zwischengespeichert(("rollen", user_id), lambda: _lesen(user_id))
    return cache[user_id]


def _lesen(user_id: int) -> Rollen:
    """The one query behind ``_rollen``."""
    found: dict[int, set[Funktion]] = {}
    typen: dict[int, GremiumTyp] = {}
    for gremium_id, funktion, eigen, typ, aktiv in db.session.execute(
        select(
            Mitgliedschaft.gremium_id,
            Mitgliedschaft.funktion,
            Mitgliedschaft.user_id == user_id,
            Gremium.typ,
            Gremium.aktiv,
        )
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .where(sitz_von(user_id))
    ):
        # a deputy reads as a member; the seat's Vorsitz/Moderation stays the member's
        found.setdefault(gremium_id, set()).add(Funktion(funktion) if eigen else Funktion.MITGLIED)
        if aktiv:
            typen[gremium_id] = GremiumTyp(typ)
    return Rollen({k: frozenset(v) for k, v in found.items()}, typen)


def mitgliedschaften(user: Any) -> dict[int, frozenset[Funktion]]:
    """Gremium id → functions of ``user``'s active memberships, deputised seats as
    ``MITGLIED`` (one query per request)."""
    return _rollen(user).funktionen


def in_aktivem_gremium(user: Any, typen: tuple[GremiumTyp, ...]) -> bool:
    """An active membership in an active Gremium of one of these types."""
    return any(t in typen for t in _rollen(user).typen.values())


def gremien_mit_funktion(user: Any, funktion: Funktion) -> set[int]:
    """Ids of the Gremien where ``user`` has this function (active membership)."""
    return {gid for gid, f in mitgliedschaften(user).items() if funktion in f}


def ist_mitglied(user: Any, gremium_id: int | None) -> bool:
    """An active membership of ``user`` in the Gremium, or the Stellvertretung of one."""
    return gremium_id is not None and gremium_id in mitgliedschaften(user)


def hat_funktion(user: Any, funktionen: tuple[Funktion, ...], gremium_id: int | None) -> bool:
    """An active membership with one of ``funktionen`` (in ``gremium_id``; None: anywhere)."""
    rollen = mitgliedschaften(user)
    if gremium_id is not None:
        return bool(rollen.get(gremium_id, frozenset()) & set(funktionen))
    return any(f & set(funktionen) for f in rollen.values())


@event.listens_for(Session, "after_flush")
def _vergessen(session: Session, _context: Any) -> None:
    """A flushed change of a membership or a Gremium: ask the database again."""
    if not has_request_context() or _KEY not in g:
        return
    if any(
        isinstance(obj, Mitgliedschaft | Gremium)
        for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        g.pop(_KEY, None)


@event.listens_for(Session, "do_orm_execute")
def _vergessen_bei_massenaenderung(state: Any) -> None:
    """An ORM ``update()``/``delete()`` of memberships or Gremien (e.g. ending all of a
    person's memberships): ask the database again."""
    if not (state.is_update or state.is_delete) or not has_request_context():
        return
    mapper = state.bind_mapper
    if mapper is not None and mapper.class_ in (Mitgliedschaft, Gremium):
        g.pop(_KEY, None)
