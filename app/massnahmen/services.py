"""Maßnahmen, Themen and Beschlüsse; operations flush, never commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.seiten import Blatt, blaettern
from app.extensions import db
from app.impulse.models import Impuls, ImpulsStatus
from app.impulse.services import ImpulsError, advance_to
from app.massnahmen.fortschreibung import (  # noqa: F401  re-exported: public operations unchanged
    carry_over_massnahmen,
)
from app.massnahmen.grundlagen import (  # noqa: F401  re-exported: public operations unchanged
    BESCHLUSS_GREMIEN,
    WIRKUNGSZIEL_SPALTEN,
    MassnahmeError,
    zyklus_or_error,
)
from app.massnahmen.models import (
    Beschluss,
    Drittmittel,
    DrittmittelStatus,
    Ergebnis,
    Massnahme,
    MassnahmeArt,
    MassnahmeStatus,
    Meilenstein,
    Wirkungsziel,
    massnahme_impuls,
    massnahme_planungsfeld,
)
from app.massnahmen.themen import (  # noqa: F401  re-exported: public operations unchanged
    delete_thema,
    save_thema,
    stadtteilarbeitskreise,
    themen_of,
)
from app.planungsfelder.models import Planungsfeld
from app.planungsfelder.services import tagged_with
from app.stammdaten.models import Gremium
from app.workflows.models import Zyklus
from app.workflows.phasenregeln import require_bearbeitbar, require_phase_flag

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
    require_phase_flag(zyklus_or_error(zyklus_id), "prioritaeten_bearbeitbar")
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


def _drittmittel_der_massnahme() -> Any:
    """Correlated sum of a measure's third-party money (missing amounts count as 0)."""
    return (
        select(func.coalesce(func.sum(Drittmittel.betrag), 0))
        .where(Drittmittel.massnahme_id == Massnahme.id)
        .scalar_subquery()
    )


def liste(zyklus_id: int, feld: Planungsfeld | None = None) -> tuple[Blatt, dict[str, Decimal]]:
    """One page of the prioritised list and the sums over all (the page's rows only loaded).

    Rows are ``(massnahme, impulse, drittmittel)``: the counts come from SQL, the measure has
    its fields and targets loaded, not its impulses, decisions and funding."""
    bedingung = [Massnahme.zyklus_id == zyklus_id]
    if feld is not None:
        bedingung.append(tagged_with(Massnahme.id, massnahme_planungsfeld, "massnahme_id", feld.id))
    impulse = (
        select(func.count())
        .select_from(massnahme_impuls)
        .where(massnahme_impuls.c.massnahme_id == Massnahme.id)
        .scalar_subquery()
    )
    query = (
        select(Massnahme, impulse, _drittmittel_der_massnahme())
        .options(
            selectinload(Massnahme.planungsfelder),
            selectinload(Massnahme.wirkungsziele).options(
                joinedload(Wirkungsziel.indikator), joinedload(Wirkungsziel.sozialraum)
            ),
        )
        .where(*bedingung)
        .order_by(Massnahme.prioritaet.is_(None), Massnahme.prioritaet, Massnahme.id)
    )
    blatt = blaettern(query, scalars=False)
    zero = Decimal(0)
    kosten, haushalt, drittmittel = db.session.execute(
        select(
            func.sum(Massnahme.kosten),
            func.sum(Massnahme.haushalt),
            func.sum(_drittmittel_der_massnahme()),
        ).where(*bedingung)
    ).one()
    summen = {
        "kosten": kosten or zero,
        "haushalt": haushalt or zero,
        "drittmittel": drittmittel or zero,
    }
    return blatt, summen


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
