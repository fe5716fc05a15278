"""What the Vorlage asks of people: start-page tasks, agenda links, links in the phase mail."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.abschnitte import Abschnitt, abschnitt_provider
from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.permissions import can, is_stabsstelle
from app.extensions import db
from app.sitzungen.verweise import top_verweis_provider
from app.stammdaten.rollen import mitgliedschaften
from app.vorlagen import services
from app.vorlagen.models import Beratung, Vorlage
from app.vorlagen.permissions import beschluss_gremien
from app.workflows.machine import PHASEN
from app.workflows.models import Zyklus
from app.workflows.signals import phase_link_provider


def wartende_beratungen(user: Any) -> list[Beratung]:
    """Steps of running cycles' Vorlagen that await a decision now, of the user's bodies."""
    stab = is_stabsstelle(user)
    query = (
        select(Vorlage)
        .options(  # what the tasks read: no versions (their JSON content is the bulk)
            joinedload(Vorlage.zyklus),
            selectinload(Vorlage.beratungen).options(
                joinedload(Beratung.gremium),
                joinedload(Beratung.sitzung),
                selectinload(Beratung.beschluesse),
            ),
        )
        .join(Zyklus, Zyklus.id == Vorlage.zyklus_id)
        .where(Zyklus.abgeschlossen_at.is_(None))
        .order_by(Vorlage.id)
    )
    eigene: set[int] = set()
    if not stab:
        eigene = set(mitgliedschaften(user))
        if not eigene:
            return []
        query = query.where(
            Vorlage.id.in_(select(Beratung.vorlage_id).where(Beratung.gremium_id.in_(eigene)))
        )
    return [
        b
        for vorlage in db.session.scalars(query)
        for b in vorlage.beratungen
        if (stab or b.gremium_id in eigene) and services.wartet_auf(b)
    ]


@aufgaben_provider
def _vorlagen_aufgaben(user: Any) -> list[Aufgabe]:
    """Decide (Vorsitz, granted members), record on behalf (Stabsstelle), or read (members)."""
    tasks = []
    wartend = wartende_beratungen(user)
    if not wartend:
        return tasks
    eigene = beschluss_gremien(user)
    for b in wartend:
        titel = b.vorlage.titel
        termin = f"Sitzung am {b.sitzung.beginn:%d.%m.%Y}" if b.sitzung else "noch ohne Sitzung"
        if b.gremium_id in eigene:
            tasks.append(
                Aufgabe(
                    f"Beschluss von „{b.gremium.name}“ zur Vorlage „{titel}“ erfassen",
                    url_for("vorlagen.beschluss", beratung_id=b.id),
                    termin,
                    True,
                )
            )
        elif is_stabsstelle(user):
            tasks.append(
                Aufgabe(
                    f"Vorlage „{titel}“: Beschluss von „{b.gremium.name}“ steht aus",
                    url_for("vorlagen.detail", vorlage_id=b.vorlage_id, _anchor=f"beratung-{b.id}"),
                    f"{termin}; Sie können ihn im Auftrag des Gremiums erfassen",
                )
            )
        else:
            tasks.append(
                Aufgabe(
                    f"Vorlage „{titel}“ lesen – „{b.gremium.name}“ berät sie",
                    url_for("vorlagen.detail", vorlage_id=b.vorlage_id),
                    termin,
                )
            )
    return tasks


@top_verweis_provider
def _vorlage_am_top(top_ids: list[int], user: Any) -> dict[int, list[tuple[str, str]]]:
    """An agenda item that discusses a Vorlage links to it (for those who may read it)."""
    rows = db.session.execute(
        select(Beratung.tagesordnungspunkt_id, Vorlage)
        .join(Vorlage, Vorlage.id == Beratung.vorlage_id)
        .where(Beratung.tagesordnungspunkt_id.in_(top_ids))
    ).all()
    result: dict[int, list[tuple[str, str]]] = {}
    for top_id, vorlage in rows:
        if can(user, "vorlage.ansehen", vorlage):
            label = f"Zur Vorlage „{vorlage.titel}“"
            result.setdefault(top_id, []).append(
                (label, url_for("vorlagen.detail", vorlage_id=vorlage.id))
            )
    return result


@phase_link_provider
def _vorlage_im_phasenwechsel(zyklus: Zyklus, phase: Any) -> list[tuple[str, str, dict]]:
    """The mail announcing a deciding phase links to the Vorlage."""
    if not PHASEN[phase].beschluesse:
        return []
    vorlage_id = db.session.scalar(select(Vorlage.id).where(Vorlage.zyklus_id == zyklus.id))
    if vorlage_id is None:
        return []
    return [("Zur Vorlage, über die Sie beraten", "vorlagen.detail", {"vorlage_id": vorlage_id})]


@abschnitt_provider("gremium")
def _vorlagen_des_gremiums(gremium: Any, user: Any) -> Abschnitt | None:
    """A deciding body's page lists the Vorlagen in whose Beratungsfolge it stands."""
    if gremium is None:
        return None
    vorlagen = [
        v
        for v in db.session.scalars(
            select(Vorlage)
            .options(*services.vorlage_options())
            .join(Beratung, Beratung.vorlage_id == Vorlage.id)
            .where(Beratung.gremium_id == gremium.id)
            .order_by(Vorlage.id.desc())
        ).unique()
        if can(user, "vorlage.ansehen", v)
    ]
    if not vorlagen:
        return None
    zeilen = []
    for vorlage in vorlagen:
        beratung = next(b for b in vorlage.beratungen if b.gremium_id == gremium.id)
        if beratung.gesamtbeschluss is not None:
            stand = f"Beschluss: {beratung.gesamtbeschluss.ergebnis.label}"
        elif services.wartet_auf(beratung):
            stand = "wartet auf den Beschluss"
        else:
            stand = "noch nicht an der Reihe"
        zeilen.append((vorlage, stand))
    return Abschnitt("vorlagen/_gremium_abschnitt.html", {"zeilen": zeilen}, order=20)
