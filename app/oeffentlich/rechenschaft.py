"""Read operations for accountability: released impulses, measures and the Sozialraum pages.

In the spirit of Decidim's "Accountability": each measure shows its status, progress,
milestones and decisions and is traced back to the impulses and the Sozialraum it came from.
Only released rows appear, and of an impulse only the *published* answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.datenbasis.models import Sozialreport
from app.extensions import db
from app.impulse.models import Impuls, ImpulsStatus, impuls_planungsfeld
from app.massnahmen.models import (
    Beschluss,
    Massnahme,
    MassnahmeStatus,
    Wirkungsziel,
    massnahme_impuls,
    massnahme_planungsfeld,
)
from app.oeffentlich import sichtbarkeit as sicht
from app.planungsfelder.services import tagged_with
from app.stammdaten.models import Gremium, GremiumTyp, Sozialraum

LIST_LIMIT = 200


def _impulse() -> Select:
    return (
        select(Impuls)
        .options(
            joinedload(Impuls.sozialraum),
            joinedload(Impuls.quelle_gremium),
            selectinload(Impuls.planungsfelder),
        )
        .where(sicht.impuls_oeffentlich())
    )


def public_impulse(
    sozialraum_id: int | None = None,
    status: ImpulsStatus | None = None,
    limit: int = LIST_LIMIT,
    feld_id: int | None = None,
) -> list[Impuls]:
    """Released impulses, newest first (optionally of one Planungsfeld)."""
    query = _impulse().order_by(Impuls.created_at.desc(), Impuls.id.desc())
    if feld_id:
        query = query.where(tagged_with(Impuls.id, impuls_planungsfeld, "impuls_id", feld_id))
    if sozialraum_id:
        query = query.where(Impuls.sozialraum_id == sozialraum_id)
    if status:
        query = query.where(Impuls.status == status)
    return list(db.session.scalars(query.limit(limit)))


def public_impuls(impuls_id: int) -> Impuls | None:
    """One released impulse."""
    return db.session.scalar(_impulse().where(Impuls.id == impuls_id))


def _massnahmen() -> Select:
    return (
        select(Massnahme)
        .options(
            joinedload(Massnahme.sozialraum),
            joinedload(Massnahme.zyklus),
            selectinload(Massnahme.meilensteine),
            selectinload(Massnahme.planungsfelder),
        )
        .where(sicht.massnahme_oeffentlich())
    )


def public_massnahmen(
    sozialraum_id: int | None = None,
    status: MassnahmeStatus | None = None,
    limit: int = LIST_LIMIT,
    feld_id: int | None = None,
) -> list[Massnahme]:
    """Released measures, the cycle's priorities first (optionally of one Planungsfeld)."""
    query = _massnahmen().order_by(
        Massnahme.zyklus_id.desc(),
        Massnahme.prioritaet.is_(None),
        Massnahme.prioritaet,
        Massnahme.id,
    )
    if sozialraum_id:
        query = query.where(Massnahme.sozialraum_id == sozialraum_id)
    if status:
        query = query.where(Massnahme.status == status)
    if feld_id:
        query = query.where(
            tagged_with(Massnahme.id, massnahme_planungsfeld, "massnahme_id", feld_id)
        )
    return list(db.session.scalars(query.limit(limit)))


def public_massnahme(massnahme_id: int) -> Massnahme | None:
    """One released measure with its milestones and decisions."""
    return db.session.scalar(
        _massnahmen()
        .options(
            selectinload(Massnahme.beschluesse).joinedload(Beschluss.gremium),
            selectinload(Massnahme.wirkungsziele).options(
                joinedload(Wirkungsziel.indikator), joinedload(Wirkungsziel.sozialraum)
            ),
        )
        .where(Massnahme.id == massnahme_id)
    )


def massnahmen_of_impuls(impuls_id: int) -> list[Massnahme]:
    """The released measures an impulse led to."""
    return list(
        db.session.scalars(
            _massnahmen()
            .join(massnahme_impuls, massnahme_impuls.c.massnahme_id == Massnahme.id)
            .where(massnahme_impuls.c.impuls_id == impuls_id)
            .order_by(Massnahme.id)
        )
    )


def impulse_of_massnahme(massnahme_id: int) -> list[Impuls]:
    """The released impulses a measure came from."""
    return list(
        db.session.scalars(
            _impulse()
            .join(massnahme_impuls, massnahme_impuls.c.impuls_id == Impuls.id)
            .where(massnahme_impuls.c.massnahme_id == massnahme_id)
            .order_by(Impuls.id)
        )
    )


def massnahmen_counts(impuls_ids: list[int]) -> dict[int, int]:
    """How many released measures each impulse led to (one query for a list)."""
    if not impuls_ids:
        return {}
    rows = db.session.execute(
        select(massnahme_impuls.c.impuls_id, func.count())
        .join(Massnahme, Massnahme.id == massnahme_impuls.c.massnahme_id)
        .where(massnahme_impuls.c.impuls_id.in_(impuls_ids), sicht.massnahme_oeffentlich())
        .group_by(massnahme_impuls.c.impuls_id)
    )
    return {impuls_id: n for impuls_id, n in rows}


# --------------------------------------------------------------------------- Sozialräume


def sozialraeume() -> list[Sozialraum]:
    return list(
        db.session.scalars(select(Sozialraum).where(Sozialraum.aktiv).order_by(Sozialraum.nummer))
    )


def sozialraum(sozialraum_id: int) -> Sozialraum | None:
    return db.session.scalar(
        select(Sozialraum).where(Sozialraum.id == sozialraum_id, Sozialraum.aktiv)
    )


@dataclass
class Zaehlung:
    """Released impulses and measures of one Sozialraum, for the overview."""

    impulse: int = 0
    massnahmen: int = 0


def counts_per_sozialraum() -> dict[int, Zaehlung]:
    """Released impulses and measures per Sozialraum (two queries)."""
    result: dict[int, Zaehlung] = {}
    for sr_id, n in db.session.execute(
        select(Impuls.sozialraum_id, func.count())
        .where(sicht.impuls_oeffentlich(), Impuls.sozialraum_id.is_not(None))
        .group_by(Impuls.sozialraum_id)
    ):
        result.setdefault(sr_id, Zaehlung()).impulse = n
    for sr_id, n in db.session.execute(
        select(Massnahme.sozialraum_id, func.count())
        .where(sicht.massnahme_oeffentlich(), Massnahme.sozialraum_id.is_not(None))
        .group_by(Massnahme.sozialraum_id)
    ):
        result.setdefault(sr_id, Zaehlung()).massnahmen = n
    return result


def gremien_of(sozialraum_id: int) -> list[Gremium]:
    """The Stadtteilarbeitskreise of a Sozialraum."""
    return list(
        db.session.scalars(
            select(Gremium)
            .where(
                Gremium.sozialraum_id == sozialraum_id,
                Gremium.aktiv,
                Gremium.typ == GremiumTyp.STADTTEILARBEITSKREIS,
            )
            .order_by(Gremium.name)
        )
    )


def latest_report() -> Sozialreport | None:
    """The newest published Sozialreport."""
    return db.session.scalar(
        select(Sozialreport)
        .where(sicht.bericht_oeffentlich())
        .order_by(Sozialreport.veroeffentlicht_at.desc(), Sozialreport.id.desc())
        .limit(1)
    )
