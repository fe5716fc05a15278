"""Demo Rückmeldebögen in "Sozialplanung 2027" (idempotent, written directly: no mails).

The story: the Trägerrunde answered the form on the Sozialreport (all five Träger submitted,
so the track closed); the AWO has since noticed a wrong number and asks for a correction,
which the Stabsstelle finds on its start page. A second survey (outside the cycle's guards) runs: the
AWO has a draft (its start page asks to finish it), the SKFM asks for more time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.beteiligung.models import (
    AnfrageArt,
    BogenAbschnitt,
    BogenFrage,
    BogenStatus,
    EreignisArt,
    FrageTyp,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAnfrage,
    RueckmeldungAntwort,
    RueckmeldungEreignis,
    RueckmeldungStatus,
)
from app.core.types import utcnow
from app.extensions import db
from app.stammdaten.models import Gremium, GremiumTyp, Organisation, OrganisationArt
from app.workflows.models import Phase, Zyklus

TITEL = "Rückmeldung der Träger zum Sozialreport 2027"
LAUFEND = "Bedarfe in den Stadtbereichen 2027"
FRAGEN = [
    (FrageTyp.KURZTEXT, "Ansprechperson", True),
    (FrageTyp.SKALA, "Wie gut bildet der Sozialreport Ihre Arbeit ab?", False),
    (FrageTyp.ZAHL, "Wie viele Plätze bieten Sie in Hilden an?", False),
    (FrageTyp.LANGTEXT, "Welche Bedarfe sehen Sie, die der Sozialreport nicht zeigt?", False),
]
ANTWORTEN = {
    "AWO": ("Anna Awo-Beispiel", 4, 120, "Mehr Treffpunkte für Jugendliche im Norden."),
    "Diakonie": ("Dieter Diakonie-Muster", 3, 85, "Schuldnerberatung ist überlastet."),
    "SKFM": ("Sina Skfm-Probe", 4, 40, "Betreuungsvereine finden kaum Ehrenamtliche."),
    "Caritas": ("Carl Caritas-Demo", 5, 60, "Pflegende Angehörige brauchen Entlastung."),
    "DRK": ("Dora Drk-Test", 3, 35, "Erste-Hilfe-Kurse an Grundschulen fehlen."),
}


def load_demo_beteiligung() -> None:
    """Create both forms with answers, the correction and the extension request, if missing."""
    if db.session.scalar(select(Rueckmeldebogen.id).where(Rueckmeldebogen.titel == TITEL)):
        return
    from app.workflows.demo import STABSSTELLE, load_demo_zyklus

    zyklus = load_demo_zyklus()
    stab = db.session.scalar(select(User).where(User.email == STABSSTELLE))
    runde = db.session.scalar(select(Gremium).where(Gremium.typ == GremiumTyp.TRAEGERRUNDE))
    traeger = {
        o.kurzname: o
        for o in db.session.scalars(
            select(Organisation).where(Organisation.art == OrganisationArt.TRAEGER)
        )
    }
    if stab is None or runde is None or not set(ANTWORTEN) <= set(traeger):
        return
    now = utcnow().replace(second=0, microsecond=0)
    _eingereicht(zyklus, runde, stab, traeger, now)
    _laufend(zyklus, runde, stab, traeger, now)
    db.session.flush()


def _bogen(
    titel: str, zyklus: Zyklus | None, runde: Gremium, stab: User, **kw: Any
) -> Rueckmeldebogen:
    """A form to the Trägerrunde; tied to the cycle's Trägerrunde track when ``zyklus`` given."""
    strang = (
        next((s for s in zyklus.straenge if s.gremium_id == runde.id), None) if zyklus else None
    )
    bogen = Rueckmeldebogen(
        titel=titel,
        gremium_id=runde.id,
        zyklus_id=zyklus.id if zyklus else None,
        strang_id=strang.id if strang else None,
        phase=Phase.BETEILIGUNG if zyklus and not strang else None,
        erstellt_von_id=stab.id,
        erinnerung_tage=3,
        **kw,
    )
    abschnitt = BogenAbschnitt(titel="Angebote und Bedarfe", position=1)
    abschnitt.fragen = [
        BogenFrage(typ=typ, text=text, pflicht=pflicht, position=i)
        for i, (typ, text, pflicht) in enumerate(FRAGEN, start=1)
    ]
    bogen.abschnitte = [abschnitt]
    db.session.add(bogen)
    db.session.flush()
    return bogen


def _antworten(bogen: Rueckmeldebogen, werte: tuple) -> list[RueckmeldungAntwort]:
    return [
        RueckmeldungAntwort(frage_id=frage.id, wert=wert)
        for frage, wert in zip(bogen.fragen, werte, strict=True)
    ]


def _snapshot(bogen: Rueckmeldebogen, werte: tuple) -> list[dict[str, Any]]:
    return [
        {"abschnitt": "Angebote und Bedarfe", "frage_id": f.id, "frage": f.text, "antwort": str(w)}
        for f, w in zip(bogen.fragen, werte, strict=True)
    ]


def _person(kurz: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.email == f"{kurz.lower()}@demo.traeger.example")
    )


def _eingereicht(zyklus, runde, stab, traeger, now) -> None:
    """All five Träger submitted; the AWO asks to correct its number of places."""
    bogen = _bogen(
        TITEL,
        zyklus,
        runde,
        stab,
        einleitung="Bitte geben Sie uns Ihre Einschätzung zum Entwurf des Sozialreports.",
        status=BogenStatus.GESCHLOSSEN,
        oeffnet_am=now - timedelta(days=30),
        frist=now - timedelta(days=3),
        veroeffentlicht_at=now - timedelta(days=30),
        geschlossen_at=now - timedelta(days=3),
        ergebnisse_freigegeben_at=now - timedelta(days=2),
    )
    bogen.organisationen = [traeger[k] for k in ANTWORTEN]
    for tage, (kurz, werte) in enumerate(ANTWORTEN.items(), start=4):
        person = _person(kurz)
        zeit = now - timedelta(days=tage)
        rm = Rueckmeldung(
            bogen_id=bogen.id,
            organisation_id=traeger[kurz].id,
            status=RueckmeldungStatus.EINGEREICHT,
            version=2,
            bearbeitet_at=zeit,
            bearbeitet_von_id=person.id if person else None,
            eingereicht_at=zeit,
            eingereicht_von_id=person.id if person else None,
            eingeladen_at=now - timedelta(days=30),
        )
        rm.antworten = _antworten(bogen, werte)
        db.session.add(rm)
        db.session.flush()
        db.session.add(
            RueckmeldungEreignis(
                rueckmeldung_id=rm.id,
                art=EreignisArt.EINGEREICHT,
                user_id=person.id if person else None,
                zeitpunkt=zeit,
                antworten=_snapshot(bogen, werte),
            )
        )
        if kurz == "AWO":
            grund = (
                "Bei der Zahl der Plätze haben wir uns vertan: Es sind 150, nicht 120 – die "
                "Plätze im neuen Familienzentrum Nord fehlen."
            )
            _anfrage(rm, AnfrageArt.KORREKTUR, grund, person, now - timedelta(days=1))


def _laufend(zyklus, runde, stab, traeger, now) -> None:
    """A running survey outside the cycle: the AWO has a draft, the SKFM asks for more time."""
    bogen = _bogen(
        LAUFEND,
        None,
        runde,
        stab,
        einleitung="Welche Bedarfe sehen Sie in den einzelnen Stadtbereichen?",
        status=BogenStatus.VEROEFFENTLICHT,
        oeffnet_am=now - timedelta(days=5),
        frist=now + timedelta(days=9),
        veroeffentlicht_at=now - timedelta(days=5),
    )
    bogen.organisationen = [traeger[k] for k in ANTWORTEN]
    for kurz in ANTWORTEN:
        rm = Rueckmeldung(
            bogen_id=bogen.id,
            organisation_id=traeger[kurz].id,
            eingeladen_at=now - timedelta(days=5),
        )
        person = _person(kurz)
        if kurz == "AWO" and person is not None:
            rm.status, rm.version = RueckmeldungStatus.ENTWURF, 1
            rm.bearbeitet_at, rm.bearbeitet_von_id = now - timedelta(days=1), person.id
            rm.antworten = [RueckmeldungAntwort(frage_id=bogen.fragen[0].id, wert=person.name)]
        db.session.add(rm)
        db.session.flush()
        if kurz == "SKFM":
            grund = "Unser Vorstand tagt erst nach der Frist und muss die Antwort abstimmen."
            _anfrage(
                rm,
                AnfrageArt.FRISTVERLAENGERUNG,
                grund,
                person,
                now - timedelta(hours=6),
                gewuenschte_frist=now + timedelta(days=21),
            )


def _anfrage(rm, art, grund, person, zeit, gewuenschte_frist=None) -> None:
    db.session.add(
        RueckmeldungAnfrage(
            rueckmeldung_id=rm.id,
            art=art,
            grund=grund,
            gestellt_von_id=person.id if person else None,
            gestellt_at=zeit,
            gewuenschte_frist=gewuenschte_frist,
        )
    )
    ereignis = (
        EreignisArt.KORREKTUR_ANGEFRAGT
        if art == AnfrageArt.KORREKTUR
        else EreignisArt.FRIST_ANGEFRAGT
    )
    db.session.add(
        RueckmeldungEreignis(
            rueckmeldung_id=rm.id,
            art=ereignis,
            grund=grund,
            user_id=person.id if person else None,
            zeitpunkt=zeit,
        )
    )
