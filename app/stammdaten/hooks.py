"""What the master data register with lower packages: the person's Gremien on the start page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.startseite import startseiten_kontext
from app.extensions import db
from app.stammdaten import suchquellen  # noqa: F401  (registers the search source)
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.stammdaten.rollen import sitz_von


@startseiten_kontext
def meine_gremien(user: Any) -> dict[str, Any]:
    """The active memberships in active Gremien and the seats the person deputises, by type
    and name (one query)."""
    memberships = db.session.scalars(
        select(Mitgliedschaft)
        .options(
            joinedload(Mitgliedschaft.gremium).joinedload(Gremium.sozialraum),
            joinedload(Mitgliedschaft.user),
        )
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .where(sitz_von(user.id), Gremium.aktiv)
        .order_by(Gremium.typ, Gremium.name, Mitgliedschaft.id)
    ).all()
    return {"mitgliedschaften": memberships}
