"""The error, text cleaning, uniqueness checks and choice lists shared by the master-data operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.stammdaten.models import Gremium, Organisation, Sozialraum

NAME_IST_STR = (Gremium, Organisation, Sozialraum)  # their str() is the name


class StammdatenError(ValueError):
    """A refused change; ``message`` is German, ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _clean(value: str | None) -> str | None:
    """Trimmed text, or None when empty."""
    value = (value or "").strip()
    return value or None


def _taken(model: Any, column: Any, value: Any, exclude_id: int | None) -> bool:
    """Whether another row of ``model`` has ``value`` in ``column`` (text: case-insensitive)."""
    condition = func.lower(column) == value.lower() if isinstance(value, str) else column == value
    query = select(model.id).where(condition)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def _flush(message: str, field: str | None = None) -> None:
    """Flush; a unique violation (a concurrent duplicate) becomes a German error.

    After a ``StammdatenError`` the caller rolls the session back (the views do).
    """
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise StammdatenError(message, field) from exc


def _set_active(obj: Any, aktiv: bool, what: str) -> None:
    if obj.aktiv == aktiv:
        zustand = "aktiv" if aktiv else "deaktiviert"
        raise StammdatenError(f"{what} ist bereits {zustand}.")
    obj.aktiv = aktiv
    db.session.flush()


# --------------------------------------------------------------------------- selection lists


def choices(model: Any, current_id: int | None = None, label: Callable[[Any], str] = str) -> list:
    """(id, label) pairs of active rows for a select; a deactivated current value is kept."""
    order = model.nummer if model is Sozialraum else model.name
    wanted = model.aktiv | (model.id == current_id) if current_id is not None else model.aktiv
    if label is str and model in NAME_IST_STR:  # the label is the name: three columns suffice
        rows = db.session.execute(
            select(model.id, model.name, model.aktiv).where(wanted).order_by(order)
        )
        return [(i, name if aktiv else f"{name} (deaktiviert)") for i, name, aktiv in rows]
    return [
        (obj.id, label(obj) if obj.aktiv else f"{label(obj)} (deaktiviert)")
        for obj in db.session.scalars(select(model).where(wanted).order_by(order))
    ]
