"""What the master data register with lower packages: the person's Gremien on the start page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.startseite import startseiten_kontext
from app.extensions import db
from app.stammdaten import suchquellen  # noqa: F401  (registers the search source)
from app.stammdaten.models import Gremium, Mitgliedschaft


@startseiten_kontext
def meine_gremien(user: Any) -> dict[str, Any]:
    """The active memberships in active Gremien, by type and name (one query)."""
    memberships = db.session.scalars(
        select(Mitgliedschaft)
        .options(joinedload(Mitgliedschaft.gremium).joinedload(Gremium.sozialraum))
        .join(Gremium)
        .where(Mitgliedschaft.user_id == user.id, Mitgliedschaft.aktiv, Gremium.aktiv)
        .order_by(Gremium.typ, Gremium.name)
    ).all()
    return {"mitgliedschaften": memberships}
