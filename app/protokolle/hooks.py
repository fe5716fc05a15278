"""Impulses taken from minutes: their link, and what this package registers with the impulse
register (the origin, the link's carry-over)."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

from app.core.i18n import datum
from app.extensions import db
from app.impulse.herkunft import Glied, quelle, verknuepfungstabelle
from app.impulse.models import Impuls
from app.protokolle import (
    sitzungsabschnitt,  # noqa: F401  (the template on the meeting page)
    suchquellen,  # noqa: F401  (registers the search source)
)
from app.protokolle.models import Protokoll, protokoll_impuls
from app.sitzungen.models import Sitzung


def link_impulse(protokoll_id: int, impuls_ids: list[int]) -> None:
    """Record that these (flushed) impulses were taken from the minutes ``protokoll_id``."""
    if impuls_ids:
        rows = [{"impuls_id": i, "protokoll_id": protokoll_id} for i in impuls_ids]
        db.session.execute(insert(protokoll_impuls), rows)


def protokoll_id_of(impuls_id: int) -> int | None:
    """The minutes an impulse was taken from, if any."""
    return db.session.scalar(
        select(protokoll_impuls.c.protokoll_id).where(protokoll_impuls.c.impuls_id == impuls_id)
    )


@quelle
def aus_protokoll(impuls: Impuls) -> Glied | None:
    """The meeting whose minutes the impulse was taken from."""
    protokoll = db.session.scalar(
        select(Protokoll)
        .options(joinedload(Protokoll.sitzung).joinedload(Sitzung.gremium))
        .join(protokoll_impuls, protokoll_impuls.c.protokoll_id == Protokoll.id)
        .where(protokoll_impuls.c.impuls_id == impuls.id)
    )
    if protokoll is None:
        return None
    s = protokoll.sitzung
    return Glied(
        "Herkunft",
        f"Protokoll der Sitzung „{s.titel}“ ({s.gremium.name}, {datum(s.beginn)})",
        s.beginn,
        url_for("protokolle.detail", sitzung_id=s.id),
    )


verknuepfungstabelle(
    protokoll_impuls, "protokoll_id"
)  # its links follow an impulse into the next cycle
