"""A small city with public and non-public things side by side, for the portal and OParl.

Every "geheim"/"intern" string must never appear in a public response; the leak tests look
for exactly these markers.
"""

from __future__ import annotations

import io
from datetime import UTC, date, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import FileStorage

from app.core.types import utcnow
from app.dateien.services import store_upload
from app.datenbasis.models import Diagramm, DiagrammArt
from app.extensions import db
from app.impulse.models import ImpulsStatus
from app.massnahmen.models import Beschluss, Ergebnis, MassnahmeStatus, Meilenstein
from app.protokolle.models import ProtokollRevision
from app.sitzungen.models import SitzungStatus
from app.stammdaten.models import Funktion, GremiumTyp
from app.vorlagen.models import Beratung, Vorlage, VorlageFassung
from app.workflows.models import Phase
from tests.support.dateien import MINIMAL_PDF

PDF = MINIMAL_PDF

# Strings that must never appear publicly.
GEHEIM = (
    "Geheime Klausur",  # a non-public meeting
    "Geheimer TOP",  # its agenda item
    "geheim-anlage.pdf",  # its document
    "Unveröffentlichte Ergebnisse",  # approved but unreleased minutes
    "Entwurf der Ergebnisse",  # minutes not approved
    "Entwurfsantwort geheim",  # an impulse answer not yet published
    "Interner Impuls",  # an impulse not released
    "Interne Maßnahme",  # a measure not released
    "Sozialreport Entwurf geheim",  # a draft Sozialreport
    "Paula Privat",  # a private person (no consent)
    "Olga Ohne-Zustimmung",  # an office holder without consent
    "https://video.example/geheim",  # the online link of a public meeting
    "Geheime Vorlage",  # a Vorlage whose Beratungsfolge reaches no public meeting
    "Bemerkung im Vorstand",  # a remark on a decision about a public Vorlage
)


def pdf(name: str, data: bytes = PDF) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type="application/pdf")


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(target))
    return target


def _datei(name: str):
    datei = store_upload(pdf(name))
    db.session.commit()
    return datei


@pytest.fixture
def stadt(app, make, upload_dir) -> SimpleNamespace:
    """Public and non-public meetings, minutes, impulses, measures, people, reports."""
    w = SimpleNamespace()
    with app.test_request_context():
        _build(w, make)
    return w


def _build(w: SimpleNamespace, make) -> None:
    now = utcnow().replace(second=0, microsecond=0)
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.nord = make.sozialraum("Stadtbereich Nord")
    w.sak = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Nord", sozialraum=w.nord)
    w.ausschuss = make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss")
    w.vv = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand")
    w.vorsitz = make.user(name="Vera Vorsitz", name_oeffentlich=True)
    w.ohne = make.user(name="Olga Ohne-Zustimmung")
    w.privat = make.user(name="Paula Privat")
    make.mitgliedschaft(w.ausschuss, w.vorsitz, Funktion.VORSITZ)
    make.mitgliedschaft(w.ausschuss, w.ohne, Funktion.MITGLIED)
    make.mitgliedschaft(w.sak, w.privat, Funktion.MITGLIED)
    w.zyklus = make.zyklus(
        [w.sak, w.ausschuss, w.vv], titel="Sozialplanung 2027", phase=Phase.BETEILIGUNG
    )

    # next month: a public committee meeting with agenda and a document
    hier = now.astimezone(ZoneInfo("Europe/Berlin"))  # the portal's months are Hilden's
    naechster = (hier.replace(day=1) + timedelta(days=40)).replace(day=12, hour=15)
    naechster = naechster.astimezone(UTC)
    w.sitzung = make.sitzung(
        w.ausschuss,
        titel="Sozialausschuss Juni",
        beginn=naechster,
        oeffentlich=True,
        online_link="https://video.example/geheim",
        status=SitzungStatus.EINGELADEN,
        zyklus_id=w.zyklus.id,
        phase=Phase.POLITIK,
    )
    w.top = make.top(w.sitzung, "Jugendtreff im Norden", beschreibung="Vorlage der Verwaltung")
    w.top2 = make.top(w.sitzung, "Verschiedenes")
    w.anlage = _datei("vorlage-jugendtreff.pdf")
    w.top.dateien.append(w.anlage)
    db.session.commit()

    # a non-public meeting with its own agenda and document
    w.geheim = make.sitzung(w.vv, titel="Geheime Klausur", beginn=naechster + timedelta(days=1))
    w.geheim_top = make.top(w.geheim, "Geheimer TOP")
    w.geheim_datei = _datei("geheim-anlage.pdf")
    w.geheim_top.dateien.append(w.geheim_datei)
    db.session.commit()

    # past public meetings: released minutes, approved-but-unreleased, draft
    w.vergangen = make.vergangene_sitzung(w.sak, titel="SAK Nord Frühjahr", oeffentlich=True)
    w.protokoll = make.protokoll(
        w.vergangen,
        freigegeben=True,
        oeffentlich=True,
        ergebnisse="Ein offener Treff wird gewünscht.",
    )
    w.protokoll_datei = _datei("protokoll-fruehjahr.pdf")
    db.session.add(
        ProtokollRevision(protokoll_id=w.protokoll.id, nummer=1, datei_id=w.protokoll_datei.id)
    )
    w.unveroeffentlicht = make.vergangene_sitzung(
        w.sak, titel="SAK Nord Winter", oeffentlich=True, tage=60
    )
    make.protokoll(w.unveroeffentlicht, freigegeben=True, ergebnisse="Unveröffentlichte Ergebnisse")
    w.entwurf = make.vergangene_sitzung(w.sak, titel="SAK Nord Herbst", oeffentlich=True, tage=90)
    make.protokoll(w.entwurf, ergebnisse="Entwurf der Ergebnisse", oeffentlich=True)
    db.session.commit()

    # impulses: released with published answer (draft changed since), and an internal one
    w.impuls = make.impuls(
        "Offener Treff für Jugendliche",
        quelle_gremium_id=w.sak.id,
        sozialraum_id=w.nord.id,
        beschreibung="Die Jugendlichen wünschen sich einen Treffpunkt.",
        von=w.privat.id,
    )
    w.impuls.antwort_veroeffentlicht = "Die Stabsstelle prüft einen Standort."
    w.impuls.veroeffentlicht_at = now
    w.impuls.antwort = "Entwurfsantwort geheim"
    w.impuls.status = ImpulsStatus.AUFGENOMMEN
    w.impuls.oeffentlich = True
    w.intern = make.impuls("Interner Impuls", sozialraum_id=w.nord.id)
    db.session.commit()

    # measures: released with progress, milestones and a decision; an internal one
    w.massnahme = make.massnahme(
        w.zyklus,
        "Jugendtreff Nord",
        impulse=[w.impuls, w.intern],
        sozialraum_id=w.nord.id,
        oeffentlich=True,
        fortschritt=40,
        status=MassnahmeStatus.BESCHLOSSEN,
    )
    w.massnahme.meilensteine = [
        Meilenstein(titel="Räume gefunden", datum=date(2026, 3, 1), erreicht_am=date(2026, 3, 5)),
        Meilenstein(titel="Eröffnung", datum=date(2027, 9, 1)),
    ]
    w.beschluss = Beschluss(
        massnahme_id=w.massnahme.id,
        gremium_id=w.ausschuss.id,
        ergebnis=Ergebnis.ZUGESTIMMT,
        datum=date(2026, 5, 4),
        drucksache="SV 12/2026",
    )
    db.session.add(w.beschluss)
    w.interne_massnahme = make.massnahme(w.zyklus, "Interne Maßnahme", sozialraum_id=w.nord.id)
    db.session.commit()

    w.bericht = make.sozialreport(w.zyklus, status="veroeffentlicht", titel="Sozialreport 2026")
    quote = make.indikator("Kinderarmutsquote")
    for jahr in range(2019, 2025):
        make.indikatorwert(quote, w.nord, jahr, 12.0 - (jahr - 2019) * 0.3)
        make.indikatorwert(quote, None, jahr, 14.0 - (jahr - 2019) * 0.2)
    db.session.add(
        Diagramm(
            kapitel_id=w.bericht.kapitel[0].id, indikator_id=quote.id, art=DiagrammArt.ZEITREIHE
        )
    )
    db.session.commit()
    w.entwurf_bericht = make.sozialreport(w.zyklus, titel="Sozialreport Entwurf geheim")
    _vorlagen(w, make)


def _fassung(*massnahmen) -> VorlageFassung:
    inhalt = [
        {
            "id": m.id,
            "rang": rang,
            "titel": m.titel,
            "sozialraum": "Stadtbereich Nord",
            "kosten": "12000.00",
            "haushalt": "10000.00",
            "drittmittel": "2000.00",
            "art": "neues Angebot",
            "bewertung": "",
            "beschreibung": "",
            "impulse": [i.titel for i in m.impulse],
        }
        for rang, m in enumerate(massnahmen, 1)
    ]
    return VorlageFassung(
        nummer=1,
        inhalt=inhalt,
        summen={"kosten": "24000.00", "haushalt": "20000.00", "drittmittel": "4000.00"},
    )


def _vorlagen(w: SimpleNamespace, make) -> None:
    """A Vorlage before the VV (non-public meeting) and then the public committee meeting, and
    one that only went to the non-public VV meeting."""
    w.vorlage = Vorlage(
        zyklus_id=w.zyklus.id, titel="Prioritäten der Sozialplanung 2027", drucksache="SV 20/2027"
    )
    w.vorlage.fassungen.append(_fassung(w.massnahme, w.interne_massnahme))
    w.beratung_vv = Beratung(
        gremium_id=w.vv.id,
        position=1,
        sitzung_id=w.geheim.id,
        tagesordnungspunkt_id=w.geheim_top.id,
    )
    w.beratung_ausschuss = Beratung(
        gremium_id=w.ausschuss.id,
        position=2,
        sitzung_id=w.sitzung.id,
        tagesordnungspunkt_id=w.top.id,
    )
    w.vorlage.beratungen += [w.beratung_vv, w.beratung_ausschuss]
    db.session.add(w.vorlage)
    db.session.flush()
    db.session.add(
        Beschluss(
            beratung_id=w.beratung_vv.id,
            gremium_id=w.vv.id,
            ergebnis=Ergebnis.ZUGESTIMMT,
            datum=date(2026, 4, 20),
            drucksache="SV 20/2027",
            bemerkung="Bemerkung im Vorstand",
        )
    )
    db.session.commit()
    w.zyklus_alt = make.zyklus(
        [w.vv], titel="Sozialplanung 2025", beginn=date(2025, 1, 1), ende=date(2025, 12, 31)
    )
    w.geheime_vorlage = Vorlage(zyklus_id=w.zyklus_alt.id, titel="Geheime Vorlage")
    w.geheime_vorlage.fassungen.append(_fassung(w.interne_massnahme))
    w.geheime_vorlage.beratungen.append(
        Beratung(gremium_id=w.vv.id, position=1, sitzung_id=w.geheim.id)
    )
    db.session.add(w.geheime_vorlage)
    db.session.commit()
    w.geheime_beratung = w.geheime_vorlage.beratungen[0]
