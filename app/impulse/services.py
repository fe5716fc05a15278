"""Impulse operations: create, move status, answer, publish, carry over; they flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.core.i18n import anzahl
from app.core.types import utcnow
from app.extensions import db
from app.impulse.herkunft import fortschreiben
from app.impulse.models import (
    BEGRUENDUNG_NOETIG,
    UEBERGAENGE,
    Impuls,
    ImpulsAdressat,
    ImpulsQuelle,
    ImpulsStatus,
    ImpulsVerlauf,
    impuls_planungsfeld,
)
from app.mail.services import queue_mail
from app.planungsfelder.models import Planungsfeld
from app.planungsfelder.services import tagged_with
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft
from app.workflows.machine import impulse_offen
from app.workflows.models import Zyklus
from app.workflows.phasenregeln import abgeschlossen_text
from app.workflows.signals import carry_over_provider


class ImpulsError(ValueError):
    """A refused impulse operation; the message is German."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


QUELLE_FUER_TYP = {
    GremiumTyp.STADTTEILARBEITSKREIS: ImpulsQuelle.STADTTEILARBEITSKREIS,
    GremiumTyp.TRAEGERRUNDE: ImpulsQuelle.TRAEGER,
    GremiumTyp.VERWALTUNGSVORSTAND: ImpulsQuelle.VERWALTUNGSVORSTAND,
    GremiumTyp.FACHAUSSCHUSS: ImpulsQuelle.POLITIK,
    GremiumTyp.PLANUNGSRUNDE: ImpulsQuelle.PLANUNGSRUNDE,
}


def _check_zyklus_offen(zyklus_id: int | None) -> None:
    """A concluded cycle takes no new impulses; they belong to the follow-up cycle."""
    if zyklus_id is None:
        return
    zyklus = db.session.get(Zyklus, zyklus_id)
    if zyklus is not None and not impulse_offen(zyklus):
        raise ImpulsError(
            abgeschlossen_text(zyklus) + " Bitte ordnen Sie den Impuls dem Folgezyklus zu.", 409
        )


def create_impuls(
    titel: str,
    quelle: ImpulsQuelle,
    *,
    erstellt_von_id: int | None,
    beschreibung: str | None = None,
    thema: str | None = None,
    sozialraum_id: int | None = None,
    adressiert_an: ImpulsAdressat = ImpulsAdressat.PLANUNGSRUNDE,
    zyklus_id: int | None = None,
    quelle_gremium_id: int | None = None,
    planungsfelder: list[Planungsfeld] | None = None,
) -> Impuls:
    """Record a new impulse as ``eingegangen``; every feature that creates impulses calls this."""
    titel = (titel or "").strip()
    if not titel:
        raise ImpulsError("Ein Impuls braucht einen Titel.")
    _check_zyklus_offen(zyklus_id)
    impuls = Impuls(
        titel=titel[:200],
        beschreibung=(beschreibung or "").strip() or None,
        thema=(thema or "").strip()[:200] or None,
        quelle=quelle,
        sozialraum_id=sozialraum_id,
        adressiert_an=adressiert_an,
        status=ImpulsStatus.EINGEGANGEN,
        zyklus_id=zyklus_id,
        quelle_gremium_id=quelle_gremium_id,
        erstellt_von_id=erstellt_von_id,
    )
    impuls.planungsfelder = list(planungsfelder or [])
    impuls.verlauf.append(
        ImpulsVerlauf(von=None, nach=ImpulsStatus.EINGEGANGEN, user_id=erstellt_von_id)
    )
    db.session.add(impuls)
    db.session.flush()
    return impuls


# --------------------------------------------------------------------------- lifecycle


def allowed_moves(status: ImpulsStatus) -> list[tuple[ImpulsStatus, str]]:
    """The moves out of ``status`` with their button labels."""
    return [(nach, label) for (von, nach), label in UEBERGAENGE.items() if von == status]


def lock_impuls(impuls_id: int) -> Impuls:
    """The impulse row locked for a status change (concurrent moves wait)."""
    impuls = db.session.get(Impuls, impuls_id, with_for_update=True, populate_existing=True)
    if impuls is None:
        raise ImpulsError("Den Impuls gibt es nicht (mehr).", 404)
    return impuls


def change_status(
    impuls: Impuls,
    nach: ImpulsStatus | str,
    user: User | None,
    begruendung: str | None = None,
    *,
    erwartet: ImpulsStatus | str | None = None,
) -> ImpulsVerlauf:
    """Move the impulse along a declared move; illegal or stale moves change nothing."""
    try:
        ziel = ImpulsStatus(nach)
    except ValueError:
        raise ImpulsError("Diesen Status gibt es nicht.") from None
    if erwartet is not None and str(erwartet) != impuls.status.value:
        raise ImpulsError(
            f"Der Impuls hat inzwischen den Status „{impuls.status.label}“. "
            "Bitte laden Sie die Seite neu.",
            409,
        )
    if (impuls.status, ziel) not in UEBERGAENGE:
        raise ImpulsError(
            f"Ein Impuls mit dem Status „{impuls.status.label}“ kann nicht auf "
            f"„{ziel.label}“ gesetzt werden.",
            409,
        )
    grund = (begruendung or "").strip() or None
    if ziel in BEGRUENDUNG_NOETIG and not grund:
        raise ImpulsError("Bitte begründen Sie die Ablehnung.")
    eintrag = ImpulsVerlauf(
        von=impuls.status, nach=ziel, begruendung=grund, user_id=user.id if user else None
    )
    impuls.verlauf.append(eintrag)
    impuls.status = ziel
    if grund:
        impuls.begruendung = grund
    db.session.flush()
    inform_source(impuls, f"Impuls „{impuls.titel}“: neuer Status „{ziel.label}“.", exclude=user)
    return eintrag


def advance_to(impuls: Impuls, ziel: ImpulsStatus, user: User | None) -> None:
    """Walk the declared moves (shortest path) until ``ziel``; no shortcut around the table."""
    path = _path_to(impuls.status, ziel)
    if path is None:
        raise ImpulsError(
            f"Ein Impuls mit dem Status „{impuls.status.label}“ kann nicht mehr "
            f"„{ziel.label}“ werden.",
            409,
        )
    for step in path:
        change_status(impuls, step, user)


def _path_to(start: ImpulsStatus, ziel: ImpulsStatus) -> list[ImpulsStatus] | None:
    frontier: list[tuple[ImpulsStatus, list[ImpulsStatus]]] = [(start, [])]
    seen = {start}
    while frontier:
        status, path = frontier.pop(0)
        if status == ziel:
            return path
        for nach, _label in allowed_moves(status):
            if nach not in seen:
                seen.add(nach)
                frontier.append((nach, [*path, nach]))
    return None


# --------------------------------------------------------------------------- answer


def set_planungsfelder(impuls: Impuls, felder: list[Planungsfeld]) -> None:
    """The Stabsstelle files an impulse under one or more planning fields."""
    impuls.planungsfelder = list(felder)
    db.session.flush()


def write_answer(impuls: Impuls, text: str) -> None:
    """Save the official answer as a draft; the source Gremium sees it only once published."""
    text = (text or "").strip()
    if not text:
        raise ImpulsError("Bitte schreiben Sie eine Antwort.")
    impuls.antwort = text
    impuls.beantwortet_at = utcnow()
    db.session.flush()


def publish_answer(impuls: Impuls, user: User | None) -> None:
    """Publish the current answer to the source Gremium and tell its members."""
    if not impuls.antwort:
        raise ImpulsError("Es gibt noch keine Antwort, die veröffentlicht werden kann.", 409)
    if impuls.veroeffentlicht and impuls.antwort_veroeffentlicht == impuls.antwort:
        raise ImpulsError("Diese Antwort ist bereits veröffentlicht.", 409)
    impuls.antwort_veroeffentlicht = impuls.antwort
    impuls.veroeffentlicht_at = utcnow()
    db.session.flush()
    inform_source(
        impuls, f"Impuls „{impuls.titel}“: Die Antwort wurde veröffentlicht.", exclude=user
    )


def set_oeffentlich(impuls: Impuls, oeffentlich: bool) -> None:
    """Show the impulse (with its *published* answer only) in the public portal, or stop."""
    impuls.oeffentlich = oeffentlich
    db.session.flush()


# --------------------------------------------------------------------------- notifications


def path_for(endpoint: str, **values: Any) -> str:
    """A path inside the app, also outside a request (worker)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def gremium_members(
    gremium_ids: Iterable[int], funktionen: Iterable[Any] | None = None
) -> list[User]:
    """Active people with an active membership in one of ``gremium_ids``."""
    query = (
        select(User)
        .join(Mitgliedschaft, Mitgliedschaft.user_id == User.id)
        .where(Mitgliedschaft.gremium_id.in_(list(gremium_ids)), Mitgliedschaft.aktiv, User.aktiv)
        .order_by(User.id)
        .distinct()
    )
    if funktionen is not None:
        query = query.where(Mitgliedschaft.funktion.in_(list(funktionen)))
    return list(db.session.scalars(query))


def inform(
    users: list[User], text: str, path: str, *, kind: str, template: str, **context: Any
) -> int:
    """In-app notification plus a mail through the outbox for each person."""
    if not users:
        return 0
    notify([u.id for u in users], text, path, art=kind)
    for person in users:
        queue_mail(
            person.email,
            text,
            template,
            recipient_name=person.name,
            kind=kind,
            text=text,
            link=absolute(path),
            **context,
        )
    return len(users)


def inform_source(impuls: Impuls, text: str, exclude: User | None = None) -> int:
    """Tell the members of the source Gremium about a change they can see."""
    if impuls.quelle_gremium_id is None:
        return 0
    users = [
        u
        for u in gremium_members([impuls.quelle_gremium_id])
        if exclude is None or u.id != exclude.id
    ]
    return inform(
        users,
        text,
        path_for("impulse.detail", impuls_id=impuls.id),
        kind="impuls.status",
        template="mail/impuls_status",
        impuls=impuls,
    )


# --------------------------------------------------------------------------- register


@dataclass(frozen=True)
class Filter:
    quelle: str | None = None
    gremium_id: int | None = None
    sozialraum_id: int | None = None
    status: str | None = None
    zyklus_id: int | None = None
    planungsfeld_id: int | None = None


def register_query(f: Filter) -> Select:
    """Impulses matching the filter, newest first, with what the list shows loaded."""
    query = select(Impuls).options(
        joinedload(Impuls.sozialraum),
        joinedload(Impuls.quelle_gremium),
        joinedload(Impuls.zyklus),
        selectinload(Impuls.planungsfelder),
    )
    if f.quelle:
        query = query.where(Impuls.quelle == f.quelle)
    if f.gremium_id:
        query = query.where(Impuls.quelle_gremium_id == f.gremium_id)
    if f.sozialraum_id:
        query = query.where(Impuls.sozialraum_id == f.sozialraum_id)
    if f.status:
        query = query.where(Impuls.status == f.status)
    if f.zyklus_id:
        query = query.where(Impuls.zyklus_id == f.zyklus_id)
    if f.planungsfeld_id:
        query = query.where(
            tagged_with(Impuls.id, impuls_planungsfeld, "impuls_id", f.planungsfeld_id)
        )
    return query.order_by(Impuls.created_at.desc(), Impuls.id.desc())


def status_counts() -> dict[ImpulsStatus, int]:
    rows = db.session.execute(select(Impuls.status, func.count()).group_by(Impuls.status))
    return {status: count for status, count in rows}


def source_gremien() -> list[Gremium]:
    return list(db.session.scalars(select(Gremium).order_by(Gremium.typ, Gremium.name)))


# --------------------------------------------------------------------------- carry-over


@carry_over_provider
def carry_over_impulse(alt: Any, neu: Any) -> list[str]:
    """Open impulses of the finished cycle continue in the next one (linked to their origin)."""
    offene = [s for s in ImpulsStatus if s.offen]
    rows = list(
        db.session.scalars(
            select(Impuls)
            .options(selectinload(Impuls.planungsfelder))
            .where(Impuls.zyklus_id == alt.id, Impuls.status.in_(offene))
            .order_by(Impuls.id)
        )
    )
    kopien = [(alt_impuls, _copy(alt_impuls, neu.id)) for alt_impuls in rows]
    db.session.add_all([kopie for _, kopie in kopien])
    db.session.flush()
    if kopien:  # minutes and forms copy their links to the impulses' new rows
        fortschreiben([(alt.id, kopie.id) for alt, kopie in kopien])
    return [anzahl(len(rows), "offener Impuls", "offene Impulse") + " übernommen"] if rows else []


def _copy(impuls: Impuls, zyklus_id: int) -> Impuls:
    copy = Impuls(
        titel=impuls.titel,
        beschreibung=impuls.beschreibung,
        thema=impuls.thema,
        sozialraum_id=impuls.sozialraum_id,
        quelle=impuls.quelle,
        quelle_gremium_id=impuls.quelle_gremium_id,
        adressiert_an=impuls.adressiert_an,
        status=impuls.status,
        antwort=impuls.antwort,
        beantwortet_at=impuls.beantwortet_at,
        antwort_veroeffentlicht=impuls.antwort_veroeffentlicht,
        veroeffentlicht_at=impuls.veroeffentlicht_at,
        zyklus_id=zyklus_id,
        vorgaenger_id=impuls.id,
        erstellt_von_id=impuls.erstellt_von_id,
        oeffentlich=impuls.oeffentlich,  # the public follows the impulse into the next cycle
    )
    copy.planungsfelder = list(impuls.planungsfelder)
    copy.verlauf.append(
        ImpulsVerlauf(
            von=None, nach=impuls.status, begruendung="Aus dem vorigen Planungszyklus übernommen."
        )
    )
    return copy
