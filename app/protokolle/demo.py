"""Demo minutes, impulses and measures in "Sozialplanung 2027" (idempotent, no mails)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.impulse.models import Impuls, ImpulsAdressat, ImpulsQuelle, ImpulsStatus, ImpulsVerlauf
from app.massnahmen.models import (
    Drittmittel,
    DrittmittelStatus,
    Massnahme,
    MassnahmeArt,
    Thema,
)
from app.planungsfelder.services import ensure_standard_felder
from app.protokolle.hooks import link_impulse
from app.protokolle.models import Protokoll
from app.sitzungen.models import Sitzung, SitzungStatus
from app.stammdaten.models import Gremium, GremiumTyp
from app.workflows.models import Zyklus

MARKER = "Demo: Treffpunkt für Jugendliche"


def load_demo_protokolle() -> None:
    """A held Stadtteilarbeitskreis meeting with minutes, two impulses, a measure and a topic."""
    if db.session.scalar(select(Impuls.id).where(Impuls.titel == MARKER)) is not None:
        return
    from app.workflows.demo import load_demo_zyklus

    zyklus = load_demo_zyklus()
    kreis = db.session.scalar(
        select(Gremium).where(Gremium.typ == GremiumTyp.STADTTEILARBEITSKREIS).order_by(Gremium.id)
    )
    if kreis is None:
        return
    sitzung = _sitzung(kreis, zyklus)
    protokoll = Protokoll(
        sitzung_id=sitzung.id,
        teilnehmende_anzahl=14,
        teilnehmende_organisationen="Stellwerk\nAWO Hilden\nGrundschule",
        ergebnisse="- Bedarf an einem **offenen Treff** für Jugendliche\n- Spielplatz sanieren",
        vereinbarungen="Das Stellwerk sammelt Angebote bis zur nächsten Sitzung.",
    )
    db.session.add(protokoll)
    db.session.flush()
    felder = {f.schluessel: f for f in ensure_standard_felder()}
    jugend = [felder["jugendhilfeplanung"]]
    treff = _impuls(MARKER, kreis, zyklus, protokoll, ImpulsStatus.AUFGENOMMEN)
    treff.planungsfelder = jugend
    spielplatz = _impuls(
        "Demo: Spielplatz am Bürgerhaus sanieren",
        kreis,
        zyklus,
        protokoll,
        ImpulsStatus.EINGEGANGEN,
    )
    spielplatz.planungsfelder = [felder["stadtentwicklung"], *jugend]
    massnahme = Massnahme(
        zyklus_id=zyklus.id,
        titel="Offener Jugendtreff im Stadtbereich",
        art=MassnahmeArt.NEU,
        sozialraum_id=kreis.sozialraum_id,
        kosten=Decimal("48000"),
        haushalt=Decimal("28000"),
        engagement="Ehrenamtliche Betreuung an zwei Abenden pro Woche.",
        prioritaet=1,
    )
    massnahme.impulse = [treff]
    massnahme.planungsfelder = jugend
    massnahme.drittmittel = [
        Drittmittel(
            quelle="Landesprogramm Jugendarbeit",
            betrag=Decimal("20000"),
            status=DrittmittelStatus.BEANTRAGT,
        )
    ]
    thema = Thema(
        zyklus_id=zyklus.id, titel="Angebote für Jugendliche", sozialraum_id=kreis.sozialraum_id
    )
    thema.gremien = [kreis]
    thema.planungsfelder = jugend
    db.session.add_all([massnahme, thema])
    db.session.flush()


def _sitzung(kreis: Gremium, zyklus: Zyklus) -> Sitzung:
    beginn = utcnow().replace(second=0, microsecond=0) - timedelta(days=20)
    sitzung = Sitzung(
        gremium_id=kreis.id,
        titel=f"{kreis.name}: Frühjahrssitzung",
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        ort_name="Stellwerk Hilden",
        status=SitzungStatus.DURCHGEFUEHRT,
        zyklus_id=zyklus.id,
    )
    db.session.add(sitzung)
    db.session.flush()
    return sitzung


def _impuls(
    titel: str, kreis: Gremium, zyklus: Zyklus, protokoll: Protokoll, status: ImpulsStatus
) -> Impuls:
    impuls = Impuls(
        titel=titel,
        quelle=ImpulsQuelle.STADTTEILARBEITSKREIS,
        quelle_gremium_id=kreis.id,
        sozialraum_id=kreis.sozialraum_id,
        adressiert_an=ImpulsAdressat.PLANUNGSRUNDE,
        status=status,
        zyklus_id=zyklus.id,
        thema="Jugend",
    )
    impuls.verlauf.append(ImpulsVerlauf(von=None, nach=ImpulsStatus.EINGEGANGEN))
    if status != ImpulsStatus.EINGEGANGEN:
        impuls.verlauf.append(
            ImpulsVerlauf(von=ImpulsStatus.EINGEGANGEN, nach=ImpulsStatus.IN_PRUEFUNG)
        )
        impuls.verlauf.append(ImpulsVerlauf(von=ImpulsStatus.IN_PRUEFUNG, nach=status))
    db.session.add(impuls)
    db.session.flush()
    link_impulse(protokoll.id, [impuls.id])
    return impuls
