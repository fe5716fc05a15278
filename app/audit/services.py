"""Audit operations: record explicit events, query the log, an object's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, inspect, or_, select

from app.audit import erfassung, hook
from app.audit.models import Aktion, AuditEintrag
from app.extensions import db

BERLIN = ZoneInfo("Europe/Berlin")


def record_event(
    aktion: str,
    *,
    objekt: Any = None,
    objekt_typ: str | None = None,
    objekt_id: Any = None,
    label: str | None = None,
    hinweis: str | None = None,
    akteur: Any = None,
    ip: str | None = None,
    aenderungen: dict | None = None,
    berechtigung: bool = False,
) -> None:
    """Add an explicit event (login, export, data request) to the current transaction.

    It is written with the transaction's other entries at commit; a rollback drops it.
    ``akteur`` (an account) overrides who is recorded, e.g. at login before the session
    knows the user.
    """
    objekt = _unproxied(objekt)
    akteur = _unproxied(akteur)
    if objekt is not None:
        state = inspect(objekt)
        cfg = erfassung.model_config(type(objekt))
        objekt_typ = cfg.name
        objekt_id = erfassung.object_id(state)
        label = label or erfassung.object_label(state)
    entry: dict[str, Any] = {
        "aktion": aktion,
        "objekt_typ": objekt_typ,
        "objekt_id": None if objekt_id is None else str(objekt_id),
        "objekt_label": label[:300] if label else None,
        "aenderungen": aenderungen,
        "berechtigung": berechtigung,
        "hinweis": hinweis,
        "ip": ip,
    }
    if akteur is not None:
        entry["akteur_id"], entry["akteur_name"] = akteur.id, akteur.name
    hook.add_entry(db.session(), entry)


def _unproxied(obj: Any) -> Any:
    """``current_user`` is a proxy; the log needs the model object behind it."""
    getter = getattr(obj, "_get_current_object", None)
    return getter() if getter is not None else obj


def type_name(cls: type) -> str:
    """The name a model's entries carry in ``objekt_typ``."""
    return erfassung.model_config(cls).name


# --------------------------------------------------------------------------- queries


@dataclass
class Filter:
    """The log's filter: who, which object, which action, which period (German dates)."""

    akteur_id: int | None = None
    objekt_typ: str | None = None
    objekt_id: str | None = None
    aktion: str | None = None
    von: date | None = None
    bis: date | None = None


BERECHTIGUNG = "berechtigung"  # pseudo action: every permission change


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BERLIN)


def filtered(f: Filter) -> Select:
    """Entries matching ``f``, newest first."""
    query = select(AuditEintrag).order_by(AuditEintrag.id.desc())
    if f.akteur_id is not None:
        query = query.where(AuditEintrag.akteur_id == f.akteur_id)
    if f.objekt_typ:
        query = query.where(AuditEintrag.objekt_typ == f.objekt_typ)
    if f.objekt_id:
        query = query.where(AuditEintrag.objekt_id == f.objekt_id)
    if f.aktion == BERECHTIGUNG:
        query = query.where(AuditEintrag.berechtigung.is_(True))
    elif f.aktion:
        query = query.where(AuditEintrag.aktion == f.aktion)
    if f.von:
        query = query.where(AuditEintrag.zeitpunkt >= _start_of(f.von))
    if f.bis:
        query = query.where(AuditEintrag.zeitpunkt < _start_of(f.bis + timedelta(days=1)))
    return query


def actors() -> list[tuple[int, str]]:
    """Accounts that appear as actors, for the filter (latest name of each)."""
    latest = (
        select(AuditEintrag.akteur_id, db.func.max(AuditEintrag.id).label("last"))
        .where(AuditEintrag.akteur_id.is_not(None))
        .group_by(AuditEintrag.akteur_id)
        .subquery()
    )
    rows = db.session.execute(
        select(AuditEintrag.akteur_id, AuditEintrag.akteur_name)
        .join(latest, AuditEintrag.id == latest.c.last)
        .order_by(AuditEintrag.akteur_name)
    ).all()
    return [(row[0], row[1]) for row in rows]


def object_types() -> list[str]:
    """Object types that appear in the log."""
    return list(
        db.session.scalars(
            select(AuditEintrag.objekt_typ)
            .where(AuditEintrag.objekt_typ.is_not(None))
            .distinct()
            .order_by(AuditEintrag.objekt_typ)
        )
    )


def history(obj: Any, limit: int | None = None) -> list[AuditEintrag]:
    """The entries about ``obj``, newest first."""
    state = inspect(obj)
    query = filtered(Filter(objekt_typ=type_name(type(obj)), objekt_id=erfassung.object_id(state)))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def about_person(user_id: int) -> Select:
    """Entries a person caused or that describe their account (for "Meine Daten")."""
    return (
        select(AuditEintrag)
        .where(
            or_(
                AuditEintrag.akteur_id == user_id,
                (AuditEintrag.objekt_typ == "User") & (AuditEintrag.objekt_id == str(user_id)),
            )
        )
        .order_by(AuditEintrag.id)
    )


def action_choices() -> list[tuple[str, str]]:
    """(value, German label) of every action, permission changes included."""
    return [*Aktion.LABELS.items(), (BERECHTIGUNG, "Berechtigungsänderung")]
