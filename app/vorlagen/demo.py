"""Demo "Sozialplanung 2026": the previous turn stands in Politik, its Vorlage awaits the committee.

The Verwaltungsvorstand has decided (recorded by its chair); the Sozialausschuss meets in ten
days with the Vorlage on its agenda, and Amelie Ausschuss-Demo may record its decision; the
Jugendhilfeausschuss follows. "Sozialplanung 2027" continues from it. Idempotent (looked up by
title), written directly, so loading sends no notifications or mails.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.massnahmen.models import Ergebnis, Massnahme, MassnahmeArt
from app.sitzungen.models import Einladung, Sitzung, SitzungStatus
from app.stammdaten.models import Gremium, GremiumTyp, Sozialraum
from app.vorlagen import services
from app.workflows.models import (
    Phase,
    Phasenfrist,
    StrangStatus,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
)
from app.workflows.services import berlin_today, create_zyklus

TITEL = "Sozialplanung 2026"
NACHFOLGER = "Sozialplanung 2027"
DRUCKSACHE = "SV 51/2026/118"

MASSNAHMEN = [
    ("Schulsozialarbeit an der Grundschule Süd ausbauen", 3, "62000", "42000"),
    ("Familiencafé im Stadtbereich Ost", 2, "18500", "18500"),
    ("Seniorenmittagstisch in der Innenstadt", 5, "9000", "6000"),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def load_demo_vorlagen() -> Zyklus | None:
    """Create the 2026 cycle in Politik with its Vorlage and decisions (once)."""
    existing = db.session.scalar(select(Zyklus).where(Zyklus.titel == TITEL))
    if existing is not None:
        return existing
    stab = _user("stabsstelle@demo.hilden.example")
    vorsitz = _user("vorstand@demo.hilden.example")
    ausschuss_person = _user("ausschuss@demo.hilden.example")
    gremien = {g.name: g for g in db.session.scalars(select(Gremium).where(Gremium.aktiv))}
    vorstand = gremien.get("Verwaltungsvorstand")
    sozial = gremien.get("Sozialausschuss")
    jugend = gremien.get("Jugendhilfeausschuss")
    if None in (stab, vorsitz, ausschuss_person, vorstand, sozial, jugend):
        return None
    today = berlin_today()
    zyklus = create_zyklus(
        TITEL, date(today.year - 1, 1, 1), date(today.year, 6, 30), list(gremien.values()), stab
    )
    _history(zyklus, stab, today)
    _massnahmen(zyklus)
    db.session.flush()
    vorlage = services.create_vorlage(
        zyklus, stab, f"Prioritäten der Sozialplanung – {TITEL}", DRUCKSACHE
    )
    db.session.flush()
    beratungen = {b.gremium_id: b for b in vorlage.beratungen}
    # the Vorlage goes to the Verwaltungsvorstand, the Sozialausschuss, then Jugendhilfe
    for position, gremium in enumerate((vorstand, sozial, jugend), 1):
        beratung = beratungen.get(gremium.id) or services.add_beratung(vorlage, gremium)
        beratung.position = position
    for beratung in list(vorlage.beratungen):
        if beratung.gremium_id not in (vorstand.id, sozial.id, jugend.id):
            db.session.delete(beratung)
    db.session.flush()
    db.session.expire(vorlage, ["beratungen"])
    vv, sa = (beratungen[vorstand.id], beratungen[sozial.id])
    vv_sitzung = _sitzung(vorstand, zyklus, today - timedelta(days=21), SitzungStatus.DURCHGEFUEHRT)
    top_vv = services.assign_sitzung(vv, vv_sitzung)
    sa_sitzung = _sitzung(sozial, zyklus, today + timedelta(days=10), SitzungStatus.EINGELADEN)
    services.assign_sitzung(sa, sa_sitzung)
    for person in (ausschuss_person,):  # the committee member still has to reply
        sa_sitzung.einladungen.append(
            Einladung(user_id=person.id, email=person.email, name=person.name)
        )
    # the board decided in phase Verwaltungsvorstand; its chair recorded it
    zyklus.phase = Phase.VERWALTUNGSVORSTAND
    db.session.flush()
    services.record_entscheidung(
        vv,
        vorsitz,
        ergebnis=Ergebnis.ZUGESTIMMT,
        datum=today - timedelta(days=21),
        sitzung=vv_sitzung,
        top=top_vv,
        bemerkung="Der Verwaltungsvorstand empfiehlt den Fachausschüssen die Prioritäten.",
    )
    zyklus.phase = Phase.POLITIK
    db.session.add(
        Verlaufseintrag(
            zyklus_id=zyklus.id,
            art=VerlaufArt.VORWAERTS,
            von_phase=Phase.VERWALTUNGSVORSTAND,
            nach_phase=Phase.POLITIK,
            user_id=stab.id,
            zeitpunkt=_at(today - timedelta(days=14)),
            begruendung="Der Verwaltungsvorstand hat der Vorlage zugestimmt.",
        )
    )
    services.grant_recht(sozial, ausschuss_person, stab)
    nachfolger = db.session.scalar(select(Zyklus).where(Zyklus.titel == NACHFOLGER))
    if nachfolger is not None and nachfolger.vorgaenger_id is None:
        nachfolger.vorgaenger_id = zyklus.id
    _offene_einladungen(vorstand, vorsitz, nachfolger, today)
    db.session.flush()
    return zyklus


def _offene_einladungen(
    vorstand: Gremium, vorsitz: User, nachfolger: Zyklus | None, today: date
) -> None:
    """The board meets soon to prepare 2027; its chair and a citizen still have to reply."""
    sitzung = _sitzung(vorstand, nachfolger, today + timedelta(days=17), SitzungStatus.EINGELADEN)
    sitzung.titel = "Verwaltungsvorstand: Ausblick auf die Sozialplanung 2027"
    sitzung.einladungen.append(
        Einladung(user_id=vorsitz.id, email=vorsitz.email, name=vorsitz.name)
    )
    buergerin = _user("buergerin.nord@demo.hilden.example")
    treffen = db.session.scalar(select(Sitzung).where(Sitzung.titel == "Sommertreffen"))
    if buergerin is not None and treffen is not None:
        treffen.einladungen.append(
            Einladung(user_id=buergerin.id, email=buergerin.email, name=buergerin.name)
        )


def _history(zyklus: Zyklus, stab: User, today: date) -> None:
    db.session.scalars(
        select(Verlaufseintrag).where(Verlaufseintrag.zyklus_id == zyklus.id)
    ).one().zeitpunkt = _at(today - timedelta(days=330))
    steps = [
        (Phase.DATENBASIS, Phase.PLANUNGSRUNDE, 280, "Sozialreport 2025 liegt vor."),
        (Phase.PLANUNGSRUNDE, Phase.BETEILIGUNG, 200, "Prioritäten-Entwurf der Planungsrunde."),
        (
            Phase.BETEILIGUNG,
            Phase.VERWALTUNGSVORSTAND,
            60,
            "Trägerrunde und Stadtteilarbeitskreise haben ihre Rückmeldungen gegeben.",
        ),
    ]
    for von, nach, days, note in steps:
        db.session.add(
            Verlaufseintrag(
                zyklus_id=zyklus.id,
                art=VerlaufArt.VORWAERTS,
                von_phase=von,
                nach_phase=nach,
                user_id=stab.id,
                zeitpunkt=_at(today - timedelta(days=days)),
                begruendung=note,
            )
        )
    for strang in zyklus.straenge:
        strang.status = StrangStatus.ABGESCHLOSSEN
        strang.abgeschlossen_at = _at(today - timedelta(days=62))
        strang.abgeschlossen_von_id = stab.id
    for phase, days in (
        (Phase.DATENBASIS, -285),
        (Phase.PLANUNGSRUNDE, -205),
        (Phase.BETEILIGUNG, -65),
        (Phase.VERWALTUNGSVORSTAND, -18),
        (Phase.POLITIK, 40),
    ):
        zyklus.fristen.append(Phasenfrist(phase=phase, faellig_am=today + timedelta(days=days)))


def _massnahmen(zyklus: Zyklus) -> None:
    raeume = {r.nummer: r for r in db.session.scalars(select(Sozialraum))}
    for rang, (titel, nummer, kosten, haushalt) in enumerate(MASSNAHMEN, 1):
        db.session.add(
            Massnahme(
                zyklus_id=zyklus.id,
                titel=titel,
                art=MassnahmeArt.NEU,
                sozialraum_id=raeume[nummer].id if nummer in raeume else None,
                kosten=Decimal(kosten),
                haushalt=Decimal(haushalt),
                prioritaet=rang,
            )
        )


def _sitzung(gremium: Gremium, zyklus: Zyklus | None, tag: date, status: SitzungStatus) -> Sitzung:
    sitzung = Sitzung(
        gremium_id=gremium.id,
        titel=f"{gremium.name}: Sitzung am {tag:%d.%m.%Y}",
        beginn=_at(tag, 15),
        ende=_at(tag, 17),
        ort_name="Rathaus Hilden",
        ort_raum="Ratssaal",
        status=status,
        zyklus_id=zyklus.id if zyklus else None,
        phase=Phase.VERWALTUNGSVORSTAND
        if gremium.typ == GremiumTyp.VERWALTUNGSVORSTAND
        else Phase.POLITIK,
    )
    db.session.add(sitzung)
    db.session.flush()
    return sitzung
