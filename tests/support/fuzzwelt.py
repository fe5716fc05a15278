"""The demo data plus the objects every form needs to appear (for the suite-wide fuzz test).

The Hilden demo data has one cycle and a few meetings; many forms appear only for objects in a
particular state (a draft Rückmeldebogen, a submitted answer, a future meeting with a file on
its agenda, a deactivated organisation, …). ``build()`` adds one of each through the factories
and services, so the crawler finds every form. Add here what a new form needs.
"""

from __future__ import annotations

import io

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.auth.models import User
from app.extensions import db
from app.stammdaten.models import Gremium, GremiumTyp, Organisation, Sozialraum
from tests import factories as make
from tests.support.dateien import MINIMAL_PDF

PDF = MINIMAL_PDF


def load_demo() -> None:
    """The same demo data ``flask demo-daten`` loads."""
    from app.cli import DEMO_LOADERS, _load_optional
    from app.stammdaten.demo import load_demo_data

    load_demo_data()
    for loader in DEMO_LOADERS:
        _load_optional(loader)
    db.session.commit()


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def _gremium(typ: GremiumTyp) -> Gremium:
    return db.session.scalars(
        select(Gremium).where(Gremium.typ == typ).order_by(Gremium.id)
    ).first()


def _org(kurz: str) -> Organisation:
    return db.session.scalar(select(Organisation).where(Organisation.kurzname == kurz))


def _pdf(name: str = "anlage.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name, content_type="application/pdf")


def build() -> list[str]:
    """Objects in every state a form depends on; returns their pages as crawl seeds."""
    stab = _user("stabsstelle@demo.hilden.example")
    seeds = [
        *_laufende_zyklen(),
        *_beteiligung(stab),
        *_sitzungen(stab),
        *_stammdaten(),
        *_datenbasis_und_zyklus(stab),
        *_postausgang_und_benachrichtigung(stab),
    ]
    db.session.commit()
    return seeds


def _beteiligung(stab: User) -> list[str]:
    from app.beteiligung import fristen, services
    from app.beteiligung.models import FrageTyp

    awo, diakonie = _org("AWO"), _org("Diakonie")
    runde = _gremium(GremiumTyp.TRAEGERRUNDE)
    entwurf = make.rueckmeldebogen("Fuzz: Entwurf", organisationen=[awo], gremium=runde)
    offen = make.rueckmeldebogen(
        "Fuzz: laufende Umfrage",
        organisationen=[awo, diakonie],
        gremium=runde,
        veroeffentlicht=True,
    )
    raeume = db.session.scalars(select(Sozialraum.id).where(Sozialraum.aktiv)).all()
    werte = {
        FrageTyp.KURZTEXT: "Dora Diakonie",
        FrageTyp.LANGTEXT: "Mehr Treffpunkte.",
        FrageTyp.EINFACHAUSWAHL: "Familien",
        FrageTyp.MEHRFACHAUSWAHL: ["Beratung"],
        FrageTyp.SKALA: 3,
        FrageTyp.ZAHL: 12,
        FrageTyp.JANEIN: True,
        FrageTyp.MATRIX: dict.fromkeys(raeume, "hoch"),
    }
    antworten = {f.id: werte[f.typ] for f in offen.fragen if f.typ in werte}
    person = _user("diakonie@demo.traeger.example")
    rm = services.rueckmeldung_for(offen.id, diakonie.id, lock=True)
    services.save_rueckmeldung(rm, antworten, person, rm.version, einreichen=True)
    # the AWO submitted a second form (it may ask for a correction); the Diakonie asks for time
    zweiter = make.rueckmeldebogen(
        "Fuzz: eingereicht", organisationen=[awo, diakonie], gremium=runde, veroeffentlicht=True
    )
    eigene = services.rueckmeldung_for(zweiter.id, awo.id, lock=True)
    antworten = {f.id: werte[f.typ] for f in zweiter.fragen if f.typ in werte}
    awo_person = _user("awo@demo.traeger.example")
    services.save_rueckmeldung(eigene, antworten, awo_person, eigene.version, einreichen=True)
    wartet = services.rueckmeldung_for(zweiter.id, diakonie.id)
    fristen.request_verlaengerung(wartet, "Fuzz: mehr Zeit", None, person)
    db.session.flush()
    return [
        f"/beteiligung/{entwurf.id}",
        f"/beteiligung/{offen.id}/ergebnisse",
        f"/beteiligung/{offen.id}/status",
        f"/beteiligung/{offen.id}/einreichen",
        f"/beteiligung/rueckmeldungen/{eigene.id}",
        f"/beteiligung/rueckmeldungen/{wartet.id}",
    ]


def _sitzungen(stab: User) -> list[str]:
    from app.dateien.services import store_upload
    from app.protokolle.services import upload_revision
    from app.sitzungen.services import attach_datei

    sak = _gremium(GremiumTyp.STADTTEILARBEITSKREIS)
    kuenftig = make.sitzung(sak, titel="Fuzz: kommende Sitzung")
    top = make.top(kuenftig, titel="Fuzz: Bericht")
    attach_datei(top, store_upload(_pdf(), uploaded_by=stab))
    make.top(kuenftig, titel="Fuzz: Verschiedenes")
    for email in ("buergerin.nord@demo.hilden.example", "moderation.nord@demo.hilden.example"):
        make.einladung(kuenftig, _user(email))
    vergangen = make.vergangene_sitzung(sak, titel="Fuzz: gestrige Sitzung", tage=1)
    upload_revision(vergangen, _pdf("protokoll.pdf"), stab)
    offen = make.vergangene_sitzung(sak, titel="Fuzz: noch nicht abgeschlossen", tage=2)
    db.session.flush()
    return [
        f"/sitzungen/{kuenftig.id}",
        f"/sitzungen/{kuenftig.id}/tagesordnung",
        f"/protokolle/sitzung/{vergangen.id}",
        f"/sitzungen/{offen.id}",
    ]


def _stammdaten() -> list[str]:
    org = make.organisation("Fuzz: aufgelöster Verein", aktiv=False)
    raum = make.sozialraum("Fuzz: ehemaliger Bereich", aktiv=False, nummer=99)
    gremium = make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Fuzz: ruhender Ausschuss", aktiv=False)
    neu = make.user(name="Fuzz: Noch-nicht-angemeldet", password=None)
    alt = make.user(name="Fuzz: Ausgeschieden", aktiv=False)
    return [
        f"/stammdaten/organisationen/{org.id}",
        f"/stammdaten/sozialraeume/{raum.id}",
        f"/stammdaten/gremien/{gremium.id}",
        f"/stammdaten/benutzer/{neu.id}",
        f"/stammdaten/benutzer/{alt.id}",
    ]


def _datenbasis_und_zyklus(stab: User) -> list[str]:
    from app.datenbasis.models import Diagramm, DiagrammArt, Indikator
    from app.impulse.services import write_answer
    from app.massnahmen.models import MassnahmeStatus
    from app.workflows.models import Phase

    zyklus = make.report_zyklus(titel="Fuzz: Zyklus im Datenbasis-Schritt")
    report = make.sozialreport(zyklus)
    beratung = make.sozialreport(make.report_zyklus(titel="Fuzz: Beratung"), status="planungsrunde")
    indikator = db.session.scalars(select(Indikator).order_by(Indikator.id)).first()
    if indikator is not None:
        db.session.add(
            Diagramm(
                kapitel_id=report.kapitel[0].id,
                indikator_id=indikator.id,
                art=DiagrammArt.VERGLEICH,
            )
        )
    fertig = make.report_zyklus(phase=Phase.ABGESCHLOSSEN.value, titel="Fuzz: abgeschlossen")
    impuls = make.impuls("Fuzz: Impuls mit Antwortentwurf", von=stab.id)
    write_answer(impuls, "Entwurf der Antwort")
    massnahme = make.massnahme(fertig, titel="Fuzz: beschlossene Maßnahme")
    massnahme.status = MassnahmeStatus.BESCHLOSSEN
    db.session.flush()
    return [
        f"/datenbasis/sozialreports/{report.id}",
        f"/datenbasis/sozialreports/{beratung.id}",
        f"/zyklen/{fertig.id}",
        f"/impulse/{impuls.id}",
        f"/massnahmen/{massnahme.id}",
    ]


def _postausgang_und_benachrichtigung(stab: User) -> list[str]:
    from app.auth.services import invite_user
    from app.benachrichtigungen.services import notify
    from app.mail.models import Mail, MailStatus

    invite_user(_user("skfm@demo.traeger.example"))
    people = [stab.id, _user("buergerin.nord@demo.hilden.example").id]
    notify(people, "Fuzz: neue Nachricht", "/start")
    db.session.flush()
    mail = db.session.scalars(select(Mail).order_by(Mail.id.desc())).first()
    mail.status, mail.last_error = MailStatus.FAILED, "550 Postfach unbekannt"
    return [f"/postausgang/{mail.id}", "/benachrichtigungen/"]


def _laufende_zyklen() -> list[str]:
    """The demo cycle in Beteiligung first: only two cycle pages are crawled, another demo
    cycle (2026, in Politik) must not take its place."""
    from flask import url_for

    from app.workflows.models import Zyklus

    zyklen = db.session.scalars(select(Zyklus).where(Zyklus.titel == "Sozialplanung 2027")).all()
    return [url_for("workflows.detail", zyklus_id=z.id) for z in zyklen]
