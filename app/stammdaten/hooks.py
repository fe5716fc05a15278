"""What the master data register with lower packages: the person's Gremien on the start page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.datenstand import zwischengespeichert
from app.core.startseite import startseiten_kontext
from app.extensions import db
from app.stammdaten import suchquellen  # noqa: F401  (registers the search source)
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.stammdaten.rollen import sitz_von


@dataclass(frozen=True)
class MeinSitz:
    """One line of "Meine Gremien" on the start page (plain values: cached between writes)."""

    gremium_id: int
    gremium: str
    art: str
    eigener_sitz: bool
    funktion: str
    vertreten: str


@startseiten_kontext
def meine_gremien(user: Any) -> dict[str, Any]:
    """The active memberships in active Gremien and the seats the person deputises, by type
    and name (one query, kept until the next write)."""
    sitze = zwischengespeichert(("meine_gremien", user.id), lambda: _meine_sitze(user.id))
    return {"mitgliedschaften": sitze}


def _meine_sitze(user_id: int) -> tuple[MeinSitz, ...]:
    memberships = db.session.scalars(
        select(Mitgliedschaft)
        .options(
            joinedload(Mitgliedschaft.gremium).joinedload(Gremium.sozialraum),
            joinedload(Mitgliedschaft.user),
        )
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .where(sitz_von(user_id), Gremium.aktiv)
        .order_by(Gremium.typ, Gremium.name, Mitgliedschaft.id)
    ).all()
    return tuple(_sitz(m, user_id) for m in memberships)


def _sitz(m: Mitgliedschaft, user_id: int) -> MeinSitz:
    art = str(m.gremium.typ.label)
    if m.gremium.sozialraum:
        art += f" ({m.gremium.sozialraum.name})"
    return MeinSitz(
        m.gremium.id, m.gremium.name, art, m.user_id == user_id, str(m.funktion.label), m.user.name
    )
