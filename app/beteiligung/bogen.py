"""Building a feedback form: its settings, sections, questions and copies."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.beteiligung.grundlagen import BOGEN_FELDER, FRAGE_FELDER, BeteiligungError, require_entwurf
from app.beteiligung.models import (
    BogenAbschnitt,
    BogenFrage,
    BogenStatus,
    FrageTyp,
    Rueckmeldebogen,
)
from app.beteiligung.versand import invite_due, sync_rueckmeldungen
from app.core.types import utcnow
from app.extensions import db
from app.stammdaten.models import Organisation

# --------------------------------------------------------------------------- builder


def _bogen_werte(data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's columns; a track's Gremium becomes the addressee when none was chosen."""
    values = {k: data.get(k) for k in BOGEN_FELDER}
    if values["gremium_id"] is None and data.get("strang_gremium_id"):
        values["gremium_id"] = data["strang_gremium_id"]
    return values


def _check_dates(oeffnet_am: datetime, frist: datetime) -> None:
    if frist <= oeffnet_am:
        raise BeteiligungError("Die Frist muss nach dem Öffnungszeitpunkt liegen.", "frist")


def create_bogen(user: User, organisation_ids: Iterable[int], **data: Any) -> Rueckmeldebogen:
    """A new form in preparation with its addressees."""
    _check_dates(data["oeffnet_am"], data["frist"])
    bogen = Rueckmeldebogen(
        erstellt_von_id=user.id, status=BogenStatus.ENTWURF, **_bogen_werte(data)
    )
    bogen.organisationen = _organisationen(organisation_ids)
    db.session.add(bogen)
    db.session.flush()
    return bogen


def _organisationen(ids: Iterable[int]) -> list[Organisation]:
    ids = list(ids)
    if not ids:
        return []
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))))


def update_bogen(bogen: Rueckmeldebogen, organisation_ids: Iterable[int], **data: Any) -> None:
    """Change title, dates and addressees; after publishing addressees can only be added."""
    _check_dates(data["oeffnet_am"], data["frist"])
    for key, value in _bogen_werte(data).items():
        setattr(bogen, key, value)
    chosen = _organisationen(organisation_ids)
    if bogen.status == BogenStatus.ENTWURF:
        bogen.organisationen = chosen
        return
    bogen.organisationen = list({o.id: o for o in [*bogen.organisationen, *chosen]}.values())
    if bogen.status == BogenStatus.GESCHLOSSEN and bogen.frist > utcnow():
        bogen.status, bogen.geschlossen_at = BogenStatus.VEROEFFENTLICHT, None
    db.session.flush()
    sync_rueckmeldungen(bogen)
    invite_due(bogen_id=bogen.id)


def add_abschnitt(bogen: Rueckmeldebogen, titel: str, beschreibung: str | None) -> BogenAbschnitt:
    """Append a section."""
    require_entwurf(bogen)
    position = max((a.position for a in bogen.abschnitte), default=0) + 1
    abschnitt = BogenAbschnitt(titel=titel, beschreibung=beschreibung, position=position)
    bogen.abschnitte.append(abschnitt)
    db.session.flush()
    return abschnitt


def update_abschnitt(abschnitt: BogenAbschnitt, titel: str, beschreibung: str | None) -> None:
    """Rename a section or change its text."""
    require_entwurf(abschnitt.bogen)
    abschnitt.titel, abschnitt.beschreibung = titel, beschreibung


def delete_abschnitt(abschnitt: BogenAbschnitt) -> None:
    """Remove a section with its questions."""
    require_entwurf(abschnitt.bogen)
    abschnitt.bogen.abschnitte.remove(abschnitt)
    db.session.flush()


def _check_frage(data: Mapping[str, Any]) -> None:
    typ: FrageTyp = data["typ"]
    optionen = data.get("optionen") or []
    if typ in (FrageTyp.EINFACHAUSWAHL, FrageTyp.MEHRFACHAUSWAHL) and len(optionen) < 2:
        raise BeteiligungError(
            "Bitte geben Sie mindestens zwei Antwortmöglichkeiten an.", "optionen"
        )
    if len(set(optionen)) != len(optionen):
        raise BeteiligungError("Jede Antwortmöglichkeit darf nur einmal vorkommen.", "optionen")
    low, high = data.get("zahl_min"), data.get("zahl_max")
    if low is not None and high is not None and low > high:
        raise BeteiligungError(
            "Der kleinste Wert darf nicht größer als der größte sein.", "zahl_max"
        )


def _frage_werte(data: Mapping[str, Any]) -> dict[str, Any]:
    """Only the settings that matter for the question's type."""
    typ: FrageTyp = data["typ"]
    values = {k: data.get(k) for k in FRAGE_FELDER}
    values["pflicht"] = bool(values["pflicht"])
    values["optionen"] = list(data.get("optionen") or []) if typ.hat_optionen else []
    if typ != FrageTyp.SKALA:
        values["skala_min_label"] = values["skala_max_label"] = None
    if typ != FrageTyp.ZAHL:
        values["zahl_min"] = values["zahl_max"] = None
    return values


def add_frage(abschnitt: BogenAbschnitt, **data: Any) -> BogenFrage:
    """Append a question to a section."""
    require_entwurf(abschnitt.bogen)
    _check_frage(data)
    position = max((f.position for f in abschnitt.fragen), default=0) + 1
    frage = BogenFrage(position=position, **_frage_werte(data))
    abschnitt.fragen.append(frage)
    db.session.flush()
    return frage


def update_frage(frage: BogenFrage, **data: Any) -> None:
    """Change a question's text, type and settings."""
    require_entwurf(frage.abschnitt.bogen)
    _check_frage(data)
    for key, value in _frage_werte(data).items():
        setattr(frage, key, value)


def delete_frage(frage: BogenFrage) -> None:
    """Remove a question."""
    require_entwurf(frage.abschnitt.bogen)
    frage.abschnitt.fragen.remove(frage)
    db.session.flush()


def move_frage(frage: BogenFrage, richtung: int) -> None:
    """Swap a question with its neighbour (-1 up, +1 down) within its section."""
    require_entwurf(frage.abschnitt.bogen)
    fragen = frage.abschnitt.fragen
    index = fragen.index(frage)
    other = index + richtung
    if 0 <= other < len(fragen):
        fragen[index].position, fragen[other].position = (
            fragen[other].position,
            fragen[index].position,
        )
        fragen.sort(key=lambda f: f.position)
    db.session.flush()


def copy_bogen(bogen: Rueckmeldebogen, user: User) -> Rueckmeldebogen:
    """A new form in preparation with the same sections, questions and addressees."""
    dauer = bogen.frist - bogen.oeffnet_am
    start = utcnow().replace(second=0, microsecond=0)
    kopie = Rueckmeldebogen(
        titel=f"{bogen.titel} (Kopie)"[:200],
        einleitung=bogen.einleitung,
        status=BogenStatus.ENTWURF,
        oeffnet_am=start,
        frist=start + dauer,
        erinnerung_tage=bogen.erinnerung_tage,
        gremium_id=bogen.gremium_id,
        kopiert_von_id=bogen.id,
        erstellt_von_id=user.id,
    )
    kopie.organisationen = list(bogen.organisationen)
    for abschnitt in bogen.abschnitte:
        neu = BogenAbschnitt(
            titel=abschnitt.titel, beschreibung=abschnitt.beschreibung, position=abschnitt.position
        )
        for frage in abschnitt.fragen:
            values = {k: getattr(frage, k) for k in FRAGE_FELDER}
            neu.fragen.append(BogenFrage(position=frage.position, **values))
        kopie.abschnitte.append(neu)
    db.session.add(kopie)
    db.session.flush()
    return kopie
