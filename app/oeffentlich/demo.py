"""Demo data for the public portal: released meetings, minutes, an answer, a measure, a report.

Idempotent (looked up by a marker title) and written directly, so no mail goes out. Runs after
the other demo loaders; it releases some of their rows explicitly, as the Stabsstelle would.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.auth.models import User
from app.core.types import utcnow
from app.datenbasis.models import (
    Diagramm,
    DiagrammArt,
    Indikator,
    Kapitel,
    ReportStatus,
    Sozialreport,
)
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.models import Beschluss, Ergebnis, Massnahme, MassnahmeStatus, Meilenstein
from app.protokolle.hooks import protokoll_id_of
from app.protokolle.models import Protokoll, ProtokollStatus
from app.sitzungen.models import Sitzung, SitzungStatus, Tagesordnungspunkt
from app.stammdaten.models import Gremium, GremiumTyp
from app.workflows.models import Phase, Zyklus

BERLIN = ZoneInfo("Europe/Berlin")
MARKER = "Sozialplanung 2027: Ergebnisse der Beteiligung"
REPORT = "Sozialreport Hilden 2026 (Demo)"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BERLIN)


def load_demo_oeffentlich() -> None:
    """Release demo rows to the portal and add a public committee meeting and a report."""
    if db.session.scalar(select(Sitzung.id).where(Sitzung.titel == MARKER)) is not None:
        return
    zyklus = db.session.scalar(select(Zyklus).order_by(Zyklus.id.desc()))
    gremien = {g.name: g for g in db.session.scalars(select(Gremium))}
    ausschuss = gremien.get("Sozialausschuss")
    if zyklus is None or ausschuss is None:
        return
    _meetings(zyklus, gremien, ausschuss)
    _released_minutes_and_answer()
    _measure(gremien)
    _report(zyklus)
    chair = db.session.scalar(select(User).where(User.email == "ausschuss@demo.hilden.example"))
    if chair is not None:  # an office holder who agreed to be named
        chair.name_oeffentlich = True
    db.session.flush()


def _meetings(zyklus: Zyklus, gremien: dict[str, Gremium], ausschuss: Gremium) -> None:
    today = utcnow().astimezone(BERLIN).date()
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=15)
    sitzung = Sitzung(
        gremium_id=ausschuss.id,
        titel=MARKER,
        beginn=_at(next_month, 17),
        ende=_at(next_month, 19),
        ort_name="Rathaus Hilden",
        ort_raum="Ratssaal",
        ort_adresse="Am Rathaus 1, 40721 Hilden",
        oeffentlich=True,
        status=SitzungStatus.EINGELADEN,
        zyklus_id=zyklus.id,
        phase=Phase.POLITIK,
    )
    sitzung.tagesordnungspunkte = [
        Tagesordnungspunkt(position=1, titel="Eröffnung und Feststellung der Tagesordnung"),
        Tagesordnungspunkt(
            position=2,
            titel="Bericht der Sozialplanung: Ergebnisse der Beteiligung",
            beschreibung="Die Stabsstelle berichtet aus Trägerrunde und Stadtteilarbeitskreisen.",
        ),
        Tagesordnungspunkt(position=3, titel="Offener Jugendtreff im Stadtbereich Nord"),
        Tagesordnungspunkt(position=4, titel="Mitteilungen und Anfragen"),
    ]
    db.session.add(sitzung)
    kreis = next((g for g in gremien.values() if g.typ == GremiumTyp.STADTTEILARBEITSKREIS), None)
    if kreis is not None:
        soon = today + timedelta(days=9)
        treffen = Sitzung(
            gremium_id=kreis.id,
            titel="Sommertreffen",
            beginn=_at(soon, 18),
            ende=_at(soon, 20),
            ort_name="Stellwerk Hilden",
            oeffentlich=True,
            status=SitzungStatus.EINGELADEN,
            zyklus_id=zyklus.id,
            phase=Phase.BETEILIGUNG,
        )
        treffen.tagesordnungspunkte = [
            Tagesordnungspunkt(position=1, titel="Rückblick auf die Frühjahrssitzung"),
            Tagesordnungspunkt(position=2, titel="Ideen für den Jugendtreff"),
        ]
        db.session.add(treffen)


def _released_minutes_and_answer() -> None:
    from app.protokolle.demo import MARKER as IMPULS

    impuls = db.session.scalar(select(Impuls).where(Impuls.titel == IMPULS))
    if impuls is None:
        return
    antwort = (
        "Die Stabsstelle hat den Bedarf aufgenommen. Ein offener Treff wird als Maßnahme "
        "für den Verwaltungsvorstand vorbereitet; Räume im Stadtbereich werden geprüft."
    )
    impuls.antwort = impuls.antwort_veroeffentlicht = antwort
    impuls.beantwortet_at = impuls.veroeffentlicht_at = utcnow()
    impuls.oeffentlich = True
    protokoll_id = protokoll_id_of(impuls.id)
    protokoll = db.session.get(Protokoll, protokoll_id) if protokoll_id else None
    if protokoll is not None:
        protokoll.status = ProtokollStatus.FREIGEGEBEN
        protokoll.freigegeben_at = utcnow()
        protokoll.oeffentlich = True
        db.session.get(Sitzung, protokoll.sitzung_id).oeffentlich = True


def _measure(gremien: dict[str, Gremium]) -> None:
    massnahme = db.session.scalar(
        select(Massnahme).where(Massnahme.titel == "Offener Jugendtreff im Stadtbereich")
    )
    vorstand = gremien.get("Verwaltungsvorstand")
    if massnahme is None or vorstand is None:
        return
    today = utcnow().astimezone(BERLIN).date()
    massnahme.oeffentlich = True
    massnahme.fortschritt = 25
    massnahme.status = MassnahmeStatus.BESCHLOSSEN
    massnahme.beschreibung = (
        "Ein offener Treff für Jugendliche an zwei Abenden pro Woche, betreut von einer "
        "Fachkraft und Ehrenamtlichen."
    )
    massnahme.meilensteine = [
        Meilenstein(
            titel="Bedarf im Stadtteilarbeitskreis festgestellt",
            datum=today - timedelta(days=20),
            erreicht_am=today - timedelta(days=20),
        ),
        Meilenstein(
            titel="Beschluss des Verwaltungsvorstands",
            datum=today - timedelta(days=5),
            erreicht_am=today - timedelta(days=5),
        ),
        Meilenstein(titel="Räume angemietet", datum=today + timedelta(days=60)),
        Meilenstein(titel="Eröffnung des Treffs", datum=today + timedelta(days=150)),
    ]
    db.session.add(
        Beschluss(
            massnahme_id=massnahme.id,
            gremium_id=vorstand.id,
            ergebnis=Ergebnis.ZUGESTIMMT,
            datum=today - timedelta(days=5),
            drucksache="VV 2027/014",
        )
    )


def _report(zyklus: Zyklus) -> None:
    if db.session.scalar(select(Sozialreport.id).where(Sozialreport.titel == REPORT)):
        return
    report = Sozialreport(
        zyklus_id=zyklus.id,
        titel=REPORT,
        einleitung="Der Sozialreport fasst die **Demo-Daten** der fünf Stadtbereiche zusammen.",
        status=ReportStatus.VEROEFFENTLICHT,
        veroeffentlicht_at=utcnow() - timedelta(days=30),
    )
    kapitel = Kapitel(
        position=1,
        titel="Armut und Teilhabe",
        text="Die Quoten sinken leicht, unterscheiden sich aber deutlich zwischen den Stadtbereichen.",
    )
    for name, art in (
        ("Kinderarmutsquote", DiagrammArt.VERGLEICH),
        ("SGB-II-Quote", DiagrammArt.ZEITREIHE),
    ):
        indikator = db.session.scalar(select(Indikator).where(Indikator.name == name))
        if indikator is not None:
            kapitel.diagramme.append(Diagramm(indikator_id=indikator.id, art=art))
    report.kapitel = [kapitel]
    db.session.add(report)


def load_demo_vorlage_oeffentlich() -> None:
    """The Stabsstelle makes the Sozialausschuss meeting that discusses the cycle's Vorlage
    public; with it the Vorlage, its Beratungsfolge and the board's decision become public."""
    from app.vorlagen.models import Beratung

    sitzungen = db.session.scalars(
        select(Sitzung)
        .join(Beratung, Beratung.sitzung_id == Sitzung.id)
        .join(Gremium, Gremium.id == Sitzung.gremium_id)
        .where(Gremium.typ == GremiumTyp.FACHAUSSCHUSS, Gremium.name == "Sozialausschuss")
    )
    for sitzung in sitzungen:
        sitzung.oeffentlich = True
    db.session.flush()
