"""Maßnahmen, Themen and Beschlüsse; operations flush, never commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.i18n import anzahl
from app.extensions import db
from app.impulse.models import Impuls, ImpulsStatus
from app.impulse.services import ImpulsError, advance_to
from app.massnahmen.models import (
    Beschluss,
    Bewertung,
    Drittmittel,
    DrittmittelStatus,
    Ergebnis,
    Massnahme,
    MassnahmeArt,
    MassnahmeStatus,
    Meilenstein,
    Thema,
    Wirkungsziel,
    massnahme_planungsfeld,
    thema_planungsfeld,
)
from app.planungsfelder.models import Planungsfeld
from app.planungsfelder.services import tagged_with
from app.stammdaten.models import Gremium, GremiumTyp
from app.workflows.models import Zyklus
from app.workflows.phasenregeln import require_bearbeitbar, require_phase_flag
from app.workflows.signals import carry_over_provider

WIRKUNGSZIEL_SPALTEN = (
    "indikator_id",
    "sozialraum_id",
    "basis_jahr",
    "basis_wert",
    "ziel_jahr",
    "ziel_wert",
    "pruefen_am",
)
BESCHLUSS_GREMIEN = (GremiumTyp.VERWALTUNGSVORSTAND, GremiumTyp.FACHAUSSCHUSS)


class MassnahmeError(ValueError):
    """A refused operation; the message is German."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


# --------------------------------------------------------------------------- Maßnahmen


def set_oeffentlichkeit(massnahme: Massnahme, oeffentlich: bool, fortschritt: int | None) -> None:
    """Show the measure's progress in the public portal (or not) and set the percentage."""
    require_bearbeitbar(massnahme.zyklus)
    if fortschritt is not None and not 0 <= fortschritt <= 100:
        raise MassnahmeError("Der Fortschritt liegt zwischen 0 und 100 Prozent.")
    massnahme.oeffentlich = oeffentlich
    massnahme.fortschritt = fortschritt
    db.session.flush()


def add_meilenstein(
    massnahme: Massnahme, titel: str, datum: date, erreicht_am: date | None = None
) -> Meilenstein:
    """Add a milestone with its target date (and the date it was reached, if it was)."""
    require_bearbeitbar(massnahme.zyklus)
    titel = (titel or "").strip()
    if not titel:
        raise MassnahmeError("Bitte benennen Sie den Meilenstein.")
    row = Meilenstein(titel=titel[:200], datum=datum, erreicht_am=erreicht_am)
    massnahme.meilensteine.append(row)
    db.session.flush()
    return row


def reach_meilenstein(meilenstein: Meilenstein, am: date) -> None:
    """Mark a milestone as reached on ``am``."""
    require_bearbeitbar(meilenstein.massnahme.zyklus)
    if meilenstein.erreicht_am is not None:
        raise MassnahmeError("Dieser Meilenstein ist bereits erreicht.", 409)
    meilenstein.erreicht_am = am
    db.session.flush()


def delete_meilenstein(meilenstein: Meilenstein) -> None:
    """Remove a milestone (e.g. one entered by mistake)."""
    require_bearbeitbar(meilenstein.massnahme.zyklus)
    db.session.delete(meilenstein)
    db.session.flush()


def save_massnahme(
    massnahme: Massnahme | None, zyklus_id: int, felder: dict[str, Any], user: User | None
) -> Massnahme:
    """Create or update a measure; only while the cycle's priorities may be drafted."""
    require_phase_flag(_zyklus(zyklus_id), "prioritaeten_bearbeitbar")
    _check_assessment(felder)
    if massnahme is None:
        massnahme = Massnahme(zyklus_id=zyklus_id, erstellt_von_id=user.id if user else None)
        db.session.add(massnahme)
    for key in (
        "titel",
        "beschreibung",
        "art",
        "sozialraum_id",
        "kosten",
        "haushalt",
        "engagement",
        "bewertung",
        "bewertung_begruendung",
        "prioritaet",
        "planungsfelder",
    ):
        if key in felder:
            setattr(massnahme, key, felder[key])
    db.session.flush()
    _make_room(massnahme)
    return massnahme


def _make_room(massnahme: Massnahme) -> None:
    """No two measures of a cycle share a rank: the ones from a taken rank on move down one."""
    rang = massnahme.prioritaet
    if rang is None:
        return
    andere = db.session.scalars(
        select(Massnahme)
        .where(
            Massnahme.zyklus_id == massnahme.zyklus_id,
            Massnahme.id != massnahme.id,
            Massnahme.prioritaet >= rang,
        )
        .order_by(Massnahme.prioritaet, Massnahme.id)
    ).all()
    naechster = rang
    for m in andere:  # shift only the block that collides, leave later gaps as they are
        if m.prioritaet > naechster:
            break
        naechster += 1
        m.prioritaet = naechster
    db.session.flush()


def _zyklus(zyklus_id: int) -> Zyklus:
    zyklus = db.session.get(Zyklus, zyklus_id)
    if zyklus is None:
        raise MassnahmeError("Den Planungszyklus gibt es nicht (mehr).", 404)
    return zyklus


def _check_assessment(felder: dict[str, Any]) -> None:
    art, bewertung = felder.get("art"), felder.get("bewertung")
    if bewertung and art != MassnahmeArt.BESTEHEND:
        raise MassnahmeError(
            "Eine Bewertung (weiterführen, anpassen, beenden) gibt es nur für bestehende Angebote."
        )
    if bewertung and not (felder.get("bewertung_begruendung") or "").strip():
        raise MassnahmeError("Bitte begründen Sie die Bewertung des bestehenden Angebots.")


def link_impulse(massnahme: Massnahme, impuls_ids: list[int], user: User | None) -> None:
    """Link impulses; each one becomes ``aufgenommen`` through the declared moves."""
    require_bearbeitbar(massnahme.zyklus)
    wanted = set(impuls_ids)
    current = {i.id for i in massnahme.impulse}
    for impuls in list(massnahme.impulse):
        if impuls.id not in wanted:
            massnahme.impulse.remove(impuls)
    neue = db.session.scalars(select(Impuls).where(Impuls.id.in_(wanted - current))).all()
    for impuls in neue:
        if impuls.status in (
            ImpulsStatus.EINGEGANGEN,
            ImpulsStatus.IN_PRUEFUNG,
            ImpulsStatus.WEITERGELEITET,
        ):
            try:
                advance_to(impuls, ImpulsStatus.AUFGENOMMEN, user)
            except ImpulsError as exc:
                raise MassnahmeError(exc.message, exc.status_code) from None
        massnahme.impulse.append(impuls)
    db.session.flush()


def add_drittmittel(
    massnahme: Massnahme, quelle: str, betrag: Decimal | None, status: DrittmittelStatus
) -> Drittmittel:
    """Record a third-party funding source."""
    require_bearbeitbar(massnahme.zyklus)
    quelle = (quelle or "").strip()
    if not quelle:
        raise MassnahmeError("Bitte nennen Sie die Drittmittelquelle.")
    row = Drittmittel(quelle=quelle[:200], betrag=betrag, status=status)
    massnahme.drittmittel.append(row)
    db.session.flush()
    return row


def record_beschluss(
    massnahme: Massnahme,
    gremium: Gremium,
    ergebnis: Ergebnis,
    datum: date,
    user: User | None,
    drucksache: str | None = None,
    bemerkung: str | None = None,
) -> Beschluss:
    """A decision of the board or a committee; it moves the measure's status."""
    require_phase_flag(massnahme.zyklus, "beschluesse")
    if gremium.typ not in BESCHLUSS_GREMIEN:
        raise MassnahmeError("Beschlüsse fassen der Verwaltungsvorstand und die Fachausschüsse.")
    if massnahme.status == MassnahmeStatus.UMGESETZT:
        raise MassnahmeError("Die Maßnahme ist bereits umgesetzt.", 409)
    beschluss = Beschluss(
        gremium_id=gremium.id,
        ergebnis=ergebnis,
        datum=datum,
        drucksache=(drucksache or "").strip() or None,
        bemerkung=(bemerkung or "").strip() or None,
        erfasst_von_id=user.id if user else None,
    )
    massnahme.beschluesse.append(beschluss)
    folge_beschluss(massnahme, ergebnis)
    db.session.flush()
    return beschluss


def folge_beschluss(massnahme: Massnahme, ergebnis: Ergebnis) -> None:
    """The measure's status follows the last decision (taking note changes nothing)."""
    if ergebnis == Ergebnis.ABGELEHNT:
        massnahme.status = MassnahmeStatus.ABGELEHNT
    elif ergebnis in (Ergebnis.ZUGESTIMMT, Ergebnis.GEAENDERT):
        massnahme.status = MassnahmeStatus.BESCHLOSSEN
    elif ergebnis == Ergebnis.VERTAGT:
        massnahme.status = MassnahmeStatus.GEPLANT


def mark_umgesetzt(massnahme: Massnahme, user: User | None) -> int:
    """The measure is implemented; its taken-up impulses become ``umgesetzt``."""
    require_bearbeitbar(massnahme.zyklus)
    if massnahme.status != MassnahmeStatus.BESCHLOSSEN:
        raise MassnahmeError(
            "Nur beschlossene Maßnahmen können als umgesetzt markiert werden.", 409
        )
    massnahme.status = MassnahmeStatus.UMGESETZT
    moved = 0
    for impuls in massnahme.impulse:
        if impuls.status == ImpulsStatus.AUFGENOMMEN:
            advance_to(impuls, ImpulsStatus.UMGESETZT, user)
            moved += 1
    db.session.flush()
    return moved


def prioritised(zyklus_id: int, feld: Planungsfeld | None = None) -> list[Massnahme]:
    """The cycle's measures in priority order (unranked last), with what lists show."""
    query = (
        select(Massnahme)
        .options(
            selectinload(Massnahme.impulse).joinedload(Impuls.quelle_gremium),
            selectinload(Massnahme.drittmittel),
            selectinload(Massnahme.beschluesse).joinedload(Beschluss.gremium),
            selectinload(Massnahme.planungsfelder),
            selectinload(Massnahme.wirkungsziele).options(
                joinedload(Wirkungsziel.indikator), joinedload(Wirkungsziel.sozialraum)
            ),
            joinedload(Massnahme.sozialraum),
        )
        .where(Massnahme.zyklus_id == zyklus_id)
        .order_by(Massnahme.prioritaet.is_(None), Massnahme.prioritaet, Massnahme.id)
    )
    if feld is not None:
        query = query.where(
            tagged_with(Massnahme.id, massnahme_planungsfeld, "massnahme_id", feld.id)
        )
    return list(db.session.scalars(query))


def totals(massnahmen: list[Massnahme]) -> dict[str, Decimal]:
    """Sums for the Vorlage: cost, Haushalt and third-party money."""
    zero = Decimal(0)
    return {
        "kosten": sum((m.kosten or zero for m in massnahmen), zero),
        "haushalt": sum((m.haushalt or zero for m in massnahmen), zero),
        "drittmittel": sum((m.drittmittel_summe for m in massnahmen), zero),
    }


def beschluss_gremien() -> list[Gremium]:
    return list(
        db.session.scalars(
            select(Gremium)
            .where(Gremium.typ.in_(BESCHLUSS_GREMIEN), Gremium.aktiv)
            .order_by(Gremium.typ.desc(), Gremium.name)
        )
    )


def zyklen() -> list[Zyklus]:
    return list(db.session.scalars(select(Zyklus).order_by(Zyklus.beginn.desc(), Zyklus.id.desc())))


# --------------------------------------------------------------------------- Themen


def save_thema(
    thema: Thema | None,
    zyklus_id: int,
    felder: dict[str, Any],
    gremien: list[Gremium],
    user: User | None,
    planungsfelder: list[Planungsfeld] | None = None,
) -> Thema:
    """Create or update a topic and its assignment; only while the Planungsrunde collects."""
    require_phase_flag(_zyklus(zyklus_id), "themen_sammeln")
    if any(g.typ != GremiumTyp.STADTTEILARBEITSKREIS for g in gremien):
        raise MassnahmeError("Themen werden Stadtteilarbeitskreisen zugeordnet.")
    if thema is None:
        thema = Thema(zyklus_id=zyklus_id, erstellt_von_id=user.id if user else None)
        db.session.add(thema)
    thema.titel = felder["titel"]
    thema.beschreibung = felder.get("beschreibung") or None
    thema.sozialraum_id = felder.get("sozialraum_id")
    thema.gremien = gremien
    thema.planungsfelder = planungsfelder or []
    db.session.flush()
    return thema


def delete_thema(thema: Thema) -> None:
    """Remove a topic (and its assignments) while topics are being collected."""
    require_phase_flag(thema.zyklus, "themen_sammeln")
    db.session.delete(thema)
    db.session.flush()


def themen_of(zyklus_id: int, feld: Planungsfeld | None = None) -> list[Thema]:
    query = (
        select(Thema)
        .options(
            selectinload(Thema.gremien),
            selectinload(Thema.planungsfelder),
            joinedload(Thema.sozialraum),
        )
        .where(Thema.zyklus_id == zyklus_id)
        .order_by(Thema.id)
    )
    if feld is not None:
        query = query.where(tagged_with(Thema.id, thema_planungsfeld, "thema_id", feld.id))
    return list(db.session.scalars(query))


def stadtteilarbeitskreise() -> list[Gremium]:
    return list(
        db.session.scalars(
            select(Gremium)
            .where(Gremium.typ == GremiumTyp.STADTTEILARBEITSKREIS, Gremium.aktiv)
            .order_by(Gremium.name)
        )
    )


# --------------------------------------------------------------------------- carry-over


@carry_over_provider
def carry_over_massnahmen(alt: Zyklus, neu: Zyklus) -> list[str]:
    """Unfinished measures continue in the next cycle, linked to their carried-over impulses."""
    offen = [s for s in MassnahmeStatus if s.offen]
    rows = list(
        db.session.scalars(
            select(Massnahme)
            .options(
                selectinload(Massnahme.impulse),
                selectinload(Massnahme.drittmittel),
                selectinload(Massnahme.planungsfelder),
                selectinload(Massnahme.meilensteine),
                selectinload(Massnahme.wirkungsziele),
            )
            .where(Massnahme.zyklus_id == alt.id, Massnahme.status.in_(offen))
            .order_by(Massnahme.id)
        )
    )
    if not rows:
        return []
    nachfolger = _impulse_successors(neu.id)
    for m in rows:
        db.session.add(_copy(m, neu.id, nachfolger))
    db.session.flush()
    return [anzahl(len(rows), "offene Maßnahme", "offene Maßnahmen") + " übernommen"]


def _impulse_successors(zyklus_id: int) -> dict[int, Impuls]:
    rows = db.session.scalars(
        select(Impuls).where(Impuls.zyklus_id == zyklus_id, Impuls.vorgaenger_id.is_not(None))
    )
    return {i.vorgaenger_id: i for i in rows}


def _copy(m: Massnahme, zyklus_id: int, nachfolger: dict[int, Impuls]) -> Massnahme:
    copy = Massnahme(
        zyklus_id=zyklus_id,
        titel=m.titel,
        beschreibung=m.beschreibung,
        art=m.art,
        sozialraum_id=m.sozialraum_id,
        kosten=m.kosten,
        haushalt=m.haushalt,
        engagement=m.engagement,
        bewertung=m.bewertung,
        bewertung_begruendung=m.bewertung_begruendung,
        prioritaet=m.prioritaet,
        status=m.status,
        vorgaenger_id=m.id,
        erstellt_von_id=m.erstellt_von_id,
        oeffentlich=m.oeffentlich,  # public accountability continues with the measure
        fortschritt=m.fortschritt,
    )
    copy.meilensteine = [
        Meilenstein(titel=x.titel, datum=x.datum, erreicht_am=x.erreicht_am) for x in m.meilensteine
    ]
    copy.wirkungsziele = [  # targets continue, so the next cycle reviews them
        Wirkungsziel(**{c: getattr(z, c) for c in WIRKUNGSZIEL_SPALTEN}) for z in m.wirkungsziele
    ]
    copy.impulse = [nachfolger.get(i.id, i) for i in m.impulse]
    copy.planungsfelder = list(m.planungsfelder)
    copy.drittmittel = [
        Drittmittel(quelle=d.quelle, betrag=d.betrag, status=d.status) for d in m.drittmittel
    ]
    return copy


__all__ = ["Bewertung", "DrittmittelStatus", "Ergebnis", "MassnahmeArt", "MassnahmeStatus"]
