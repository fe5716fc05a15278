"""Where each OParl type comes from: which rows are public (keys) and how a page is loaded.

Keys are strings, stable for the life of the row: ``12`` (a Sitzung, a Gremium, …) or
``sozialreport-3`` when one OParl type has several sources (Paper, File, Location).
Visibility is read from ``app.oeffentlich.sichtbarkeit`` only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.dateien.models import Datei
from app.datenbasis.models import Sozialreport
from app.extensions import db
from app.massnahmen.models import Beschluss, Massnahme
from app.oeffentlich import sichtbarkeit as sicht
from app.sitzungen.models import Sitzung, Tagesordnungspunkt
from app.stammdaten.models import Gremium, Mitgliedschaft, Sozialraum
from app.vorlagen.models import Beratung, Vorlage
from app.workflows.models import Zyklus

TYPEN = (
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "file",
    "location",
    "paper",
    "consultation",
    "legislativeterm",
)


def _ids(query) -> set[str]:
    return {str(i) for i in db.session.scalars(query)}


def _prefixed(prefix: str, query) -> set[str]:
    return {f"{prefix}-{i}" for i in db.session.scalars(query)}


def _public_person_ids():
    return select(User.id).where(sicht.person_oeffentlich())


def public_keys(typ: str) -> set[str]:
    """The keys of every object of ``typ`` that is public right now."""
    if typ == "organization":
        return _ids(select(Gremium.id))
    if typ == "person":
        return _ids(_public_person_ids())
    if typ == "membership":
        return _ids(
            select(Mitgliedschaft.id).where(
                Mitgliedschaft.aktiv, Mitgliedschaft.user_id.in_(_public_person_ids())
            )
        )
    if typ == "meeting":
        return _ids(select(Sitzung.id).where(sicht.sitzung_oeffentlich()))
    if typ == "agendaitem":
        return _ids(
            select(Tagesordnungspunkt.id)
            .join(Sitzung, Sitzung.id == Tagesordnungspunkt.sitzung_id)
            .where(sicht.sitzung_oeffentlich())
        )
    if typ == "file":
        reports = select(Sozialreport.id).where(sicht.bericht_oeffentlich())
        vorlagen = select(Vorlage.id).where(sicht.vorlage_oeffentlich())
        return (
            _ids(sicht.oeffentliche_datei_ids())
            | _prefixed("sozialreport", reports)
            | _prefixed("vorlage", vorlagen)
        )
    if typ == "location":
        meetings = select(Sitzung.id).where(
            sicht.sitzung_oeffentlich(), Sitzung.ort_name.is_not(None)
        )
        raeume = select(Sozialraum.id).where(Sozialraum.aktiv)
        return _prefixed("sitzung", meetings) | _prefixed("sozialraum", raeume)
    if typ == "paper":
        reports = select(Sozialreport.id).where(sicht.bericht_oeffentlich())
        measures = select(Massnahme.id).where(sicht.massnahme_oeffentlich())
        vorlagen = select(Vorlage.id).where(sicht.vorlage_oeffentlich())
        return (
            _prefixed("sozialreport", reports)
            | _prefixed("massnahme", measures)
            | _prefixed("vorlage", vorlagen)
        )
    if typ == "consultation":
        decisions = (
            select(Beschluss.id)
            .join(Massnahme, Massnahme.id == Beschluss.massnahme_id)
            .where(sicht.massnahme_oeffentlich())
        )
        steps = select(Beratung.id).where(Beratung.vorlage_id.in_(sicht.oeffentliche_vorlage_ids()))
        return _prefixed("beschluss", decisions) | _prefixed("beratung", steps)
    if typ == "legislativeterm":
        return _ids(select(Zyklus.id))
    raise KeyError(typ)


# --------------------------------------------------------------------------- loading pages


def split(keys: list[str]) -> dict[str, list[int]]:
    """``["3", "sozialreport-4"]`` → ``{"": [3], "sozialreport": [4]}``."""
    groups: dict[str, list[int]] = {}
    for key in keys:
        prefix, _, number = key.rpartition("-")
        if number.isdigit():
            groups.setdefault(prefix, []).append(int(number))
    return groups


def _by_id(query, keys_prefix: str = "") -> dict[str, Any]:
    prefix = f"{keys_prefix}-" if keys_prefix else ""
    return {f"{prefix}{row.id}": row for row in db.session.scalars(query).unique()}


def _load_meetings(ids: list[int]) -> dict[str, Any]:
    return _by_id(
        select(Sitzung)
        .options(
            joinedload(Sitzung.gremium),
            selectinload(Sitzung.tagesordnungspunkte).selectinload(Tagesordnungspunkt.dateien),
        )
        .where(Sitzung.id.in_(ids), sicht.sitzung_oeffentlich())
    )


def _load_agendaitems(ids: list[int]) -> dict[str, Any]:
    return _by_id(
        select(Tagesordnungspunkt)
        .join(Sitzung, Sitzung.id == Tagesordnungspunkt.sitzung_id)
        .options(selectinload(Tagesordnungspunkt.dateien))
        .where(Tagesordnungspunkt.id.in_(ids), sicht.sitzung_oeffentlich())
    )


def _load_vorlagen(ids: list[int], prefix: str = "vorlage") -> dict[str, Any]:
    return _by_id(
        select(Vorlage)
        .options(
            selectinload(Vorlage.fassungen),
            selectinload(Vorlage.beratungen).options(
                joinedload(Beratung.sitzung), selectinload(Beratung.beschluesse)
            ),
        )
        .where(Vorlage.id.in_(ids), sicht.vorlage_oeffentlich()),
        prefix,
    )


def _load_beratungen(ids: list[int]) -> dict[str, Any]:
    return _by_id(
        select(Beratung)
        .options(
            joinedload(Beratung.sitzung),
            selectinload(Beratung.beschluesse),
            joinedload(Beratung.vorlage).selectinload(Vorlage.beratungen),
        )
        .where(Beratung.id.in_(ids), Beratung.vorlage_id.in_(sicht.oeffentliche_vorlage_ids())),
        "beratung",
    )


LOADERS: dict[tuple[str, str], Callable[[list[int]], dict[str, Any]]] = {
    ("organization", ""): lambda ids: _by_id(
        select(Gremium).options(joinedload(Gremium.sozialraum)).where(Gremium.id.in_(ids))
    ),
    ("person", ""): lambda ids: _by_id(
        select(User).where(User.id.in_(ids), sicht.person_oeffentlich())
    ),
    ("membership", ""): lambda ids: _by_id(
        select(Mitgliedschaft)
        .join(User, User.id == Mitgliedschaft.user_id)
        .where(Mitgliedschaft.id.in_(ids), Mitgliedschaft.aktiv, sicht.person_oeffentlich())
    ),
    ("meeting", ""): _load_meetings,
    ("agendaitem", ""): _load_agendaitems,
    ("file", ""): lambda ids: _by_id(
        select(Datei).where(Datei.id.in_(ids), Datei.id.in_(sicht.oeffentliche_datei_ids()))
    ),
    ("file", "sozialreport"): lambda ids: _by_id(
        select(Sozialreport).where(Sozialreport.id.in_(ids), sicht.bericht_oeffentlich()),
        "sozialreport",
    ),
    ("location", "sitzung"): lambda ids: _by_id(
        select(Sitzung).where(
            Sitzung.id.in_(ids), sicht.sitzung_oeffentlich(), Sitzung.ort_name.is_not(None)
        ),
        "sitzung",
    ),
    ("location", "sozialraum"): lambda ids: _by_id(
        select(Sozialraum).where(Sozialraum.id.in_(ids), Sozialraum.aktiv), "sozialraum"
    ),
    ("paper", "sozialreport"): lambda ids: _by_id(
        select(Sozialreport).where(Sozialreport.id.in_(ids), sicht.bericht_oeffentlich()),
        "sozialreport",
    ),
    ("paper", "massnahme"): lambda ids: _by_id(
        select(Massnahme)
        .options(
            joinedload(Massnahme.sozialraum),
            selectinload(Massnahme.beschluesse).joinedload(Beschluss.gremium),
        )
        .where(Massnahme.id.in_(ids), sicht.massnahme_oeffentlich()),
        "massnahme",
    ),
    ("consultation", "beschluss"): lambda ids: _by_id(
        select(Beschluss)
        .join(Massnahme, Massnahme.id == Beschluss.massnahme_id)
        .options(joinedload(Beschluss.gremium))
        .where(Beschluss.id.in_(ids), sicht.massnahme_oeffentlich()),
        "beschluss",
    ),
    ("paper", "vorlage"): _load_vorlagen,
    ("file", "vorlage"): _load_vorlagen,
    ("consultation", "beratung"): _load_beratungen,
    ("legislativeterm", ""): lambda ids: _by_id(select(Zyklus).where(Zyklus.id.in_(ids))),
}


def load(typ: str, keys: list[str]) -> dict[str, Any]:
    """The live, still public rows for ``keys`` of ``typ`` (one query per source)."""
    found: dict[str, Any] = {}
    for prefix, ids in split(keys).items():
        loader = LOADERS.get((typ, prefix))
        if loader is not None:
            found.update(loader(ids))
    return found
