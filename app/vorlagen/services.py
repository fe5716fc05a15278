"""Vorlage, versions, Beratungsfolge and the bodies' decisions; operations flush, never commit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.permissions import is_stabsstelle
from app.extensions import db
from app.massnahmen.models import Beschluss, Ergebnis, Massnahme, MassnahmeStatus
from app.massnahmen.services import folge_beschluss, prioritised, totals
from app.sitzungen.models import Sitzung, Tagesordnungspunkt
from app.sitzungen.services import add_top
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft
from app.vorlagen import zyklus as _guards  # noqa: F401  (registers the cycle guards)
from app.vorlagen.models import Beratung, Beschlussrecht, Vorlage, VorlageFassung
from app.vorlagen.permissions import darf_fuer_gremium_beschliessen
from app.workflows.machine import beschluesse_erwartet, ist_abgeschlossen, phase_fuer_gremium
from app.workflows.models import Zyklus

BERATENDE_TYPEN = (GremiumTyp.VERWALTUNGSVORSTAND, GremiumTyp.FACHAUSSCHUSS)


class VorlageError(ValueError):
    """A refused operation; the message is German."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


# --------------------------------------------------------------------------- reading


def vorlage_options() -> tuple:
    return (
        joinedload(Vorlage.zyklus),
        selectinload(Vorlage.fassungen),
        selectinload(Vorlage.beratungen).options(
            joinedload(Beratung.gremium),
            joinedload(Beratung.sitzung),
            joinedload(Beratung.tagesordnungspunkt),
            selectinload(Beratung.beschluesse),
        ),
    )


def vorlage_of(zyklus_id: int) -> Vorlage | None:
    """The cycle's Vorlage with its versions and Beratungsfolge."""
    return db.session.scalar(
        select(Vorlage).options(*vorlage_options()).where(Vorlage.zyklus_id == zyklus_id)
    )


def get_vorlage(vorlage_id: int) -> Vorlage | None:
    return db.session.scalar(
        select(Vorlage).options(*vorlage_options()).where(Vorlage.id == vorlage_id)
    )


def beratung_phase_aktiv(beratung: Beratung) -> bool:
    """The cycle stands in the phase in which this body decides."""
    zyklus = beratung.vorlage.zyklus
    return beschluesse_erwartet(zyklus) and phase_fuer_gremium(beratung.gremium) == zyklus.phase


def vorherige_offen(beratung: Beratung) -> list[Beratung]:
    """Earlier steps of the Beratungsfolge that have not decided yet."""
    return [
        b
        for b in beratung.vorlage.beratungen
        if (b.position, b.id) < (beratung.position, beratung.id) and not b.erledigt
    ]


def wartet_auf(beratung: Beratung) -> bool:
    """The Vorlage awaits this body's decision now."""
    return (
        beratung_phase_aktiv(beratung) and not beratung.erledigt and not vorherige_offen(beratung)
    )


def massnahmen_der_fassung(fassung: VorlageFassung | None) -> list[Massnahme]:
    """The measures of a version that still exist, in the version's order."""
    if fassung is None:
        return []
    ids = [row["id"] for row in fassung.inhalt]
    rows = {m.id: m for m in db.session.scalars(select(Massnahme).where(Massnahme.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def sitzungen_fuer(beratung: Beratung) -> list[Sitzung]:
    """Meetings of the body (of this cycle or not tied to one), newest first."""
    return list(
        db.session.scalars(
            select(Sitzung)
            .options(selectinload(Sitzung.tagesordnungspunkte))
            .where(
                Sitzung.gremium_id == beratung.gremium_id,
                (Sitzung.zyklus_id == beratung.vorlage.zyklus_id) | Sitzung.zyklus_id.is_(None),
            )
            .order_by(Sitzung.beginn.desc())
        )
    )


def sitzungen_der_gremien(gremium_ids: list[int], zyklus_id: int) -> dict[int, list[Sitzung]]:
    """Meetings of several bodies (of the cycle or not tied to one), newest first, per body."""
    result: dict[int, list[Sitzung]] = {}
    if not gremium_ids:
        return result
    rows = db.session.scalars(
        select(Sitzung)
        .where(
            Sitzung.gremium_id.in_(gremium_ids),
            (Sitzung.zyklus_id == zyklus_id) | Sitzung.zyklus_id.is_(None),
        )
        .order_by(Sitzung.beginn.desc())
    )
    for sitzung in rows:
        result.setdefault(sitzung.gremium_id, []).append(sitzung)
    return result


def mitglieder_der_gremien(gremium_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Active members (id, name) of several bodies, by name, per body."""
    result: dict[int, list[tuple[int, str]]] = {}
    if not gremium_ids:
        return result
    rows = db.session.execute(
        select(Mitgliedschaft.gremium_id, User.id, User.name)
        .join(User, User.id == Mitgliedschaft.user_id)
        .where(Mitgliedschaft.gremium_id.in_(gremium_ids), Mitgliedschaft.aktiv)
        .order_by(User.name, User.id)
    )
    for gremium_id, user_id, name in rows:
        result.setdefault(gremium_id, []).append((user_id, name))
    return result


# --------------------------------------------------------------------------- Vorlage, versions


def _euro(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _snapshot(zyklus_id: int) -> tuple[list[dict[str, Any]], dict[str, str]]:
    massnahmen = prioritised(zyklus_id)
    inhalt = [
        {
            "id": m.id,
            "rang": m.prioritaet,
            "titel": m.titel,
            "beschreibung": m.beschreibung or "",
            "art": m.art.label,
            "bewertung": m.bewertung.label if m.bewertung else "",
            "sozialraum": m.sozialraum.name if m.sozialraum else "gesamte Stadt",
            "kosten": _euro(m.kosten),
            "haushalt": _euro(m.haushalt),
            "drittmittel": _euro(m.drittmittel_summe),
            "impulse": [i.titel for i in m.impulse],
        }
        for m in massnahmen
    ]
    summen = {k: str(v) for k, v in totals(massnahmen).items()}
    return inhalt, summen


def _offen(zyklus: Zyklus) -> None:
    if ist_abgeschlossen(zyklus):
        raise VorlageError(
            "Der Planungszyklus ist abgeschlossen; seine Vorlage ändert sich nicht mehr.", 409
        )


def standard_folge(zyklus: Zyklus) -> list[Gremium]:
    """Verwaltungsvorstand first, then the committees: the cycle's own, else all active ones."""
    eigene = [g for g in zyklus.gremien if g.typ in BERATENDE_TYPEN and g.aktiv]
    if not eigene:
        eigene = list(
            db.session.scalars(
                select(Gremium)
                .where(Gremium.typ.in_(BERATENDE_TYPEN), Gremium.aktiv)
                .order_by(Gremium.name)
            )
        )
    return sorted(eigene, key=lambda g: (g.typ != GremiumTyp.VERWALTUNGSVORSTAND, g.name))


def create_vorlage(
    zyklus: Zyklus,
    user: User | None,
    titel: str | None = None,
    drucksache: str | None = None,
    ris_url: str | None = None,
) -> Vorlage:
    """The first version of the Vorlage from today's priorities, with the standard sequence."""
    _offen(zyklus)
    if vorlage_of(zyklus.id) is not None:
        raise VorlageError("Für diesen Planungszyklus gibt es bereits eine Vorlage.", 409)
    vorlage = Vorlage(
        zyklus_id=zyklus.id,
        titel=(titel or "").strip() or f"Prioritäten der Sozialplanung – {zyklus.titel}",
        drucksache=(drucksache or "").strip() or None,
        ris_url=(ris_url or "").strip() or None,
        erstellt_von_id=user.id if user else None,
    )
    db.session.add(vorlage)
    for position, gremium in enumerate(standard_folge(zyklus), 1):
        vorlage.beratungen.append(Beratung(gremium_id=gremium.id, position=position))
    db.session.flush()
    neue_fassung(vorlage, user, "Erste Fassung")
    return vorlage


def neue_fassung(vorlage: Vorlage, user: User | None, anlass: str | None = None) -> VorlageFassung:
    """Freeze today's priorities as the next version; decisions refer to a version."""
    _offen(vorlage.zyklus)
    inhalt, summen = _snapshot(vorlage.zyklus_id)
    if not inhalt:
        raise VorlageError("Der Planungszyklus hat noch keine Maßnahmen für eine Vorlage.", 409)
    nummer = max((f.nummer for f in vorlage.fassungen), default=0) + 1
    fassung = VorlageFassung(
        nummer=nummer,
        inhalt=inhalt,
        summen=summen,
        anlass=(anlass or "").strip() or None,
        erstellt_von_id=user.id if user else None,
    )
    vorlage.fassungen.append(fassung)
    db.session.flush()
    return fassung


def update_vorlage(
    vorlage: Vorlage, titel: str, drucksache: str | None, ris_url: str | None
) -> None:
    """Title, Drucksache number and link to the council information system."""
    _offen(vorlage.zyklus)
    vorlage.titel = titel.strip()
    vorlage.drucksache = (drucksache or "").strip() or None
    vorlage.ris_url = (ris_url or "").strip() or None
    db.session.flush()


# --------------------------------------------------------------------------- Beratungsfolge


def add_beratung(vorlage: Vorlage, gremium: Gremium) -> Beratung:
    """Append a body to the Beratungsfolge."""
    _offen(vorlage.zyklus)
    if gremium.typ not in BERATENDE_TYPEN:
        raise VorlageError("Vorlagen beraten der Verwaltungsvorstand und die Fachausschüsse.")
    if any(b.gremium_id == gremium.id for b in vorlage.beratungen):
        raise VorlageError(f"„{gremium.name}“ steht bereits in der Beratungsfolge.", 409)
    position = max((b.position for b in vorlage.beratungen), default=0) + 1
    beratung = Beratung(gremium_id=gremium.id, position=position)
    vorlage.beratungen.append(beratung)
    db.session.flush()
    return beratung


def remove_beratung(beratung: Beratung) -> None:
    """Take a body out of the sequence, as long as it has not decided."""
    _offen(beratung.vorlage.zyklus)
    if beratung.beschluesse:
        raise VorlageError(
            f"„{beratung.gremium.name}“ hat bereits beschlossen und bleibt in der Beratungsfolge.",
            409,
        )
    db.session.delete(beratung)
    db.session.flush()


def assign_sitzung(beratung: Beratung, sitzung: Sitzung) -> Tagesordnungspunkt:
    """Put the Vorlage on the agenda of one of the body's meetings (a TOP links to it)."""
    _offen(beratung.vorlage.zyklus)
    if sitzung.gremium_id != beratung.gremium_id:
        raise VorlageError("Die Sitzung gehört nicht zu diesem Gremium.")
    if beratung.sitzung_id == sitzung.id and beratung.tagesordnungspunkt_id:
        return beratung.tagesordnungspunkt
    vorlage = beratung.vorlage
    hinweis = f"Drucksache {vorlage.drucksache}" if vorlage.drucksache else None
    top = add_top(sitzung, f"Vorlage: {vorlage.titel}"[:300], hinweis)
    beratung.sitzung_id = sitzung.id
    beratung.tagesordnungspunkt_id = top.id
    db.session.flush()
    return top


def grant_recht(gremium: Gremium, user: User, by: User | None) -> Beschlussrecht:
    """Let a member record the body's decisions."""
    if not any(m.aktiv and m.user_id == user.id for m in gremium.mitgliedschaften):
        raise VorlageError("Das Recht erhalten nur Mitglieder des Gremiums.")
    existing = db.session.scalar(
        select(Beschlussrecht).where(
            Beschlussrecht.gremium_id == gremium.id, Beschlussrecht.user_id == user.id
        )
    )
    if existing is not None:
        return existing
    row = Beschlussrecht(
        gremium_id=gremium.id, user_id=user.id, erteilt_von_id=by.id if by else None
    )
    db.session.add(row)
    db.session.flush()
    return row


def revoke_recht(recht: Beschlussrecht) -> None:
    db.session.delete(recht)
    db.session.flush()


def rechte_of(gremium_ids: list[int]) -> list[Beschlussrecht]:
    return list(
        db.session.scalars(
            select(Beschlussrecht)
            .options(joinedload(Beschlussrecht.user))
            .where(Beschlussrecht.gremium_id.in_(gremium_ids))
            .order_by(Beschlussrecht.id)
        )
    )


# --------------------------------------------------------------------------- decisions


def record_entscheidung(
    beratung: Beratung,
    user: User,
    *,
    ergebnis: Ergebnis,
    datum: date,
    sitzung: Sitzung | None = None,
    top: Tagesordnungspunkt | None = None,
    einzeln: dict[int, Ergebnis] | None = None,
    drucksache: str | None = None,
    ris_url: str | None = None,
    bemerkung: str | None = None,
) -> Beschluss:
    """The body's decision on the Vorlage as a whole and per Maßnahme; measures follow it."""
    vorlage = beratung.vorlage
    zyklus = vorlage.zyklus
    _offen(zyklus)
    if not beratung_phase_aktiv(beratung):
        raise VorlageError(
            f"„{beratung.gremium.name}“ beschließt in der Phase "
            f"„{phase_fuer_gremium(beratung.gremium).kurz}“; der Planungszyklus steht in "
            f"„{zyklus.phase.kurz}“.",
            409,
        )
    offen = vorherige_offen(beratung)
    if offen:
        raise VorlageError(
            "Zuerst beschließt " + ", ".join(f"„{b.gremium.name}“" for b in offen) + ".", 409
        )
    if sitzung is not None and sitzung.gremium_id != beratung.gremium_id:
        raise VorlageError("Die Sitzung gehört nicht zu diesem Gremium.")
    if top is not None and (sitzung is None or top.sitzung_id != sitzung.id):
        raise VorlageError("Der Tagesordnungspunkt gehört nicht zu der gewählten Sitzung.")
    fassung = vorlage.aktuelle_fassung
    im_auftrag = is_stabsstelle(user) and not darf_fuer_gremium_beschliessen(
        user, beratung.gremium_id
    )
    gemeinsam = {
        "gremium_id": beratung.gremium_id,
        "beratung_id": beratung.id,
        "datum": datum,
        "sitzung_id": sitzung.id if sitzung else None,
        "tagesordnungspunkt_id": top.id if top else None,
        "fassung": fassung.nummer if fassung else None,
        "drucksache": (drucksache or "").strip() or vorlage.drucksache,
        "ris_url": (ris_url or "").strip() or vorlage.ris_url,
        "erfasst_von_id": user.id,
        "im_auftrag": im_auftrag,
    }
    gesamt = Beschluss(
        massnahme_id=None,
        ergebnis=ergebnis,
        bemerkung=(bemerkung or "").strip() or None,
        **gemeinsam,
    )
    db.session.add(gesamt)
    einzeln = einzeln or {}
    for massnahme in massnahmen_der_fassung(fassung):
        if massnahme.status == MassnahmeStatus.UMGESETZT:
            continue
        eigenes = einzeln.get(massnahme.id) or ergebnis
        db.session.add(Beschluss(massnahme_id=massnahme.id, ergebnis=eigenes, **gemeinsam))
        folge_beschluss(massnahme, eigenes)
    if sitzung is not None and beratung.sitzung_id is None:
        beratung.sitzung_id = sitzung.id
        beratung.tagesordnungspunkt_id = top.id if top else None
    db.session.flush()
    db.session.expire(beratung, ["beschluesse"])
    return gesamt
