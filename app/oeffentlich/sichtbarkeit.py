"""What is public, defined once: the portal, the OParl API and the public feeds all use these.

Nothing is public by default. Each thing needs an explicit decision of the Stabsstelle:

- a Sitzung: ``Sitzung.oeffentlich`` (its agenda and the documents of its items come with it);
- its Protokoll: approved, ``Protokoll.oeffentlich`` and the Sitzung public;
- an Impuls: ``Impuls.oeffentlich``; only the *published* answer is shown, never the draft;
- a Maßnahme: ``Massnahme.oeffentlich`` (with progress, milestones and decisions);
- a Sozialreport: status ``veroeffentlicht``;
- a Vorlage: as soon as a step of its Beratungsfolge is on the agenda of a public Sitzung
  (the Stabsstelle decides by making that meeting public, as a council publishes the papers of
  its public sessions). Then its current version, its Beratungsfolge and the bodies' decisions
  on it are public; of its measures only the released ones are shown by name, and never the
  impulses behind them (``vorlage_massnahmen_oeffentlich``);
- a person's name: ``User.name_oeffentlich`` (an office holder who agreed), the account
  active, and the setting ``OEFFENTLICHE_NAMEN`` on. Private persons never appear.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import ColumnElement, and_, false, func, select

from app.auth.models import User
from app.core.oeffentlichkeit import oeffentlich_pruefer
from app.datenbasis.models import ReportStatus, Sozialreport
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.models import Massnahme
from app.protokolle.models import Protokoll, ProtokollStatus
from app.sitzungen.models import Sitzung, Tagesordnungspunkt, tagesordnungspunkt_datei
from app.vorlagen.models import Beratung, Vorlage


def sitzung_oeffentlich() -> ColumnElement[bool]:
    """SQL: the Sitzung is public."""
    return Sitzung.oeffentlich.is_(True)


def protokoll_oeffentlich() -> ColumnElement[bool]:
    """SQL (needs Sitzung joined): approved, released and of a public Sitzung."""
    return and_(
        Protokoll.status == ProtokollStatus.FREIGEGEBEN,
        Protokoll.oeffentlich.is_(True),
        sitzung_oeffentlich(),
    )


def impuls_oeffentlich() -> ColumnElement[bool]:
    """SQL: the Stabsstelle released the impulse (a copy carried into the next cycle keeps
    the release; each cycle's record stays visible on its own)."""
    return Impuls.oeffentlich.is_(True)


def massnahme_oeffentlich() -> ColumnElement[bool]:
    """SQL: the Stabsstelle released the measure and its progress (carried over alike)."""
    return Massnahme.oeffentlich.is_(True)


def ist_sitzung_oeffentlich(sitzung: Any) -> bool:
    """Python twin of ``sitzung_oeffentlich`` for one loaded meeting (or None)."""
    return bool(sitzung is not None and sitzung.oeffentlich)


def oeffentliche_vorlage_ids():
    """Select of the ids of Vorlagen with a step on the agenda of a public Sitzung."""
    return (
        select(Beratung.vorlage_id)
        .join(Sitzung, Sitzung.id == Beratung.sitzung_id)
        .where(sitzung_oeffentlich())
    )


def vorlage_oeffentlich() -> ColumnElement[bool]:
    """SQL: the Vorlage is public (its Beratungsfolge reached a public meeting)."""
    return Vorlage.id.in_(oeffentliche_vorlage_ids())


@oeffentlich_pruefer(Vorlage)
def ist_vorlage_oeffentlich(vorlage: Any) -> bool:
    """Python twin of ``vorlage_oeffentlich`` for a Vorlage with loaded Beratungen."""
    return any(ist_sitzung_oeffentlich(b.sitzung) for b in vorlage.beratungen)


def vorlage_massnahmen_oeffentlich(inhalt: list[dict[str, Any]]) -> set[int]:
    """Of the measures listed in a version, the ids that are released (one query)."""
    ids = [row["id"] for row in inhalt if isinstance(row.get("id"), int)]
    if not ids:
        return set()
    return set(
        db.session.scalars(
            select(Massnahme.id).where(Massnahme.id.in_(ids), massnahme_oeffentlich())
        )
    )


def bericht_oeffentlich() -> ColumnElement[bool]:
    """SQL: the Sozialreport is published."""
    return Sozialreport.status == ReportStatus.VEROEFFENTLICHT


def namen_erlaubt() -> bool:
    """Names of office holders may appear at all (setting ``OEFFENTLICHE_NAMEN``, default on;
    outside an application context, e.g. a script's commit, the default applies)."""
    if not has_app_context():
        return True
    return bool(current_app.config.get("OEFFENTLICHE_NAMEN", True))


def person_oeffentlich() -> ColumnElement[bool]:
    """SQL: an active office holder who agreed to be named (and names are switched on)."""
    if not namen_erlaubt():
        return false()
    return and_(User.name_oeffentlich.is_(True), User.aktiv.is_(True))


def ist_person_oeffentlich(user: Any) -> bool:
    """Python twin of ``person_oeffentlich`` for one loaded user."""
    return bool(namen_erlaubt() and user is not None and user.name_oeffentlich and user.aktiv)


def oeffentliche_top_dateien():
    """Select (datei_id, tagesordnungspunkt_id, sitzung_id) of documents of public agendas."""
    return (
        select(
            tagesordnungspunkt_datei.c.datei_id,
            Tagesordnungspunkt.id,
            Tagesordnungspunkt.sitzung_id,
        )
        .join(
            Tagesordnungspunkt,
            Tagesordnungspunkt.id == tagesordnungspunkt_datei.c.tagesordnungspunkt_id,
        )
        .join(Sitzung, Sitzung.id == Tagesordnungspunkt.sitzung_id)
        .where(sitzung_oeffentlich())
    )


def oeffentliche_protokoll_dateien():
    """Select (datei_id, sitzung_id) of the current file of every public Protokoll."""
    from app.protokolle.models import ProtokollRevision

    newest = (
        select(ProtokollRevision.protokoll_id, func.max(ProtokollRevision.nummer).label("nummer"))
        .group_by(ProtokollRevision.protokoll_id)
        .subquery()
    )
    return (
        select(ProtokollRevision.datei_id, Protokoll.sitzung_id)
        .join(
            newest,
            and_(
                newest.c.protokoll_id == ProtokollRevision.protokoll_id,
                newest.c.nummer == ProtokollRevision.nummer,
            ),
        )
        .join(Protokoll, Protokoll.id == ProtokollRevision.protokoll_id)
        .join(Sitzung, Sitzung.id == Protokoll.sitzung_id)
        .where(protokoll_oeffentlich())
    )


def oeffentliche_datei_ids():
    """Select of the ids of every public file (agenda documents and minutes)."""
    tops = oeffentliche_top_dateien().with_only_columns(tagesordnungspunkt_datei.c.datei_id)
    minutes = oeffentliche_protokoll_dateien().with_only_columns(
        oeffentliche_protokoll_dateien().selected_columns[0]
    )
    return tops.union(minutes).subquery().select()
