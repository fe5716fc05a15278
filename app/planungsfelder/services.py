"""Planungsfelder as master data: create, change, (de)activate, resolve ids and filter lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Table, exists, func, select

from app.extensions import db
from app.planungsfelder.models import STANDARD_FELDER, Planungsfeld


class PlanungsfeldError(ValueError):
    """A refused operation; the message is German and names the field when it can."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def make_schluessel(name: str) -> str:
    """A stable URL key from a German name: 'Mobilität' -> 'mobilitaet'."""
    text = unicodedata.normalize("NFKD", name.strip().lower().translate(_UMLAUTE))
    text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40]


def ensure_standard_felder() -> list[Planungsfeld]:
    """The six fields of the concept paper exist (idempotent; the migration seeds the same)."""
    existing = {f.schluessel: f for f in db.session.scalars(select(Planungsfeld))}
    for position, (key, name, beschreibung, kern) in enumerate(STANDARD_FELDER, start=1):
        if key not in existing:
            existing[key] = Planungsfeld(
                schluessel=key, name=name, beschreibung=beschreibung, kern=kern, position=position
            )
            db.session.add(existing[key])
    db.session.flush()
    return all_felder()


def save_planungsfeld(
    feld: Planungsfeld | None, *, name: str, beschreibung: str | None, position: int | None
) -> Planungsfeld:
    """Create or rename a field; names and keys stay unique (case-insensitive)."""
    name = (name or "").strip()
    if not name:
        raise PlanungsfeldError("Bitte geben Sie einen Namen ein.", "name")
    clash = db.session.scalar(
        select(Planungsfeld).where(func.lower(Planungsfeld.name) == name.lower())
    )
    if clash is not None and clash is not feld:
        raise PlanungsfeldError(f"Ein Planungsfeld „{name}“ gibt es bereits.", "name")
    if feld is None:
        feld = Planungsfeld(schluessel=_free_key(name), position=position or _next_position())
        db.session.add(feld)
    elif position is not None:
        feld.position = position
    feld.name = name
    feld.beschreibung = (beschreibung or "").strip() or None
    db.session.flush()
    return feld


def _free_key(name: str) -> str:
    """The key of a new field; a number is appended when the plain key is taken."""
    base = make_schluessel(name) or "feld"
    taken = set(db.session.scalars(select(Planungsfeld.schluessel)))
    key, n = base, 2
    while key in taken:
        key, n = f"{base[:36]}-{n}", n + 1
    return key


def _next_position() -> int:
    return (db.session.scalar(select(func.max(Planungsfeld.position))) or 0) + 1


def set_aktiv(feld: Planungsfeld, aktiv: bool) -> None:
    """Deactivate or reactivate; the Stabsstelle's three own fields always stay."""
    if not aktiv and feld.kern:
        raise PlanungsfeldError(
            f"„{feld.name}“ gehört zu den drei Planungsfeldern der Stabsstelle und bleibt aktiv."
        )
    feld.aktiv = aktiv
    db.session.flush()


def all_felder() -> list[Planungsfeld]:
    """Every field in its order (active and inactive)."""
    return list(
        db.session.scalars(select(Planungsfeld).order_by(Planungsfeld.position, Planungsfeld.name))
    )


def active_felder() -> list[Planungsfeld]:
    return [f for f in all_felder() if f.aktiv]


def by_schluessel(key: str | None) -> Planungsfeld | None:
    """The field behind a filter value such as ``?feld=jugendhilfeplanung``."""
    if not key:
        return None
    return db.session.scalar(select(Planungsfeld).where(Planungsfeld.schluessel == key))


def form_choices(assigned: Iterable[Planungsfeld] = ()) -> list[tuple[int, str]]:
    """Options of a checkbox list: active fields, plus inactive ones already assigned."""
    keep = {f.id for f in assigned}
    return [(f.id, f.name) for f in all_felder() if f.aktiv or f.id in keep]


def resolve(ids: Iterable[Any]) -> list[Planungsfeld]:
    """Fields for submitted ids, in their order; unknown ids are refused."""
    wanted = {int(i) for i in ids or ()}
    if not wanted:
        return []
    found = [f for f in all_felder() if f.id in wanted]
    if len(found) != len(wanted):
        raise PlanungsfeldError("Bitte wählen Sie nur vorhandene Planungsfelder.", "planungsfelder")
    return found


def tagged_with(object_id: Any, association: Table, column: str, feld_id: int) -> ColumnElement:
    """WHERE clause: the row (``object_id``) carries the field (for lists and the portal)."""
    return exists().where(
        association.c[column] == object_id, association.c.planungsfeld_id == feld_id
    )
