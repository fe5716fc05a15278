"""What the impulses of a cycle contribute to the Planungsfelder per Sozialraum."""

from __future__ import annotations

from collections.abc import Iterator

from flask import url_for
from sqlalchemy import select

from app.extensions import db
from app.impulse.models import Impuls, impuls_planungsfeld
from app.planungsfelder.beitraege import Beitrag, Eintrag, beitrag_quelle


@beitrag_quelle("impulse", "Impulse", order=40)
def impuls_beitraege(zyklus_id: int | None) -> Iterator[Eintrag]:
    """Tagged impulses of the cycle with their status."""
    if zyklus_id is None:
        return
    rows = db.session.execute(
        select(
            impuls_planungsfeld.c.planungsfeld_id,
            Impuls.sozialraum_id,
            Impuls.id,
            Impuls.titel,
            Impuls.status,
        )
        .join(Impuls, Impuls.id == impuls_planungsfeld.c.impuls_id)
        .where(Impuls.zyklus_id == zyklus_id)
        .order_by(Impuls.id)
    )
    for feld_id, raum_id, impuls_id, titel, status in rows:
        url = url_for("impulse.detail", impuls_id=impuls_id)
        yield feld_id, raum_id, Beitrag(titel, url, status.label)
