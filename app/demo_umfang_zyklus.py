"""What one turn of the cycle leaves behind, for ``app.demo_umfang`` (see there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import make_msgid

from sqlalchemy import select

from app.auth.models import User
from app.benachrichtigungen.models import Benachrichtigung
from app.beteiligung.models import (
    BogenAbschnitt,
    BogenFrage,
    BogenStatus,
    FrageTyp,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAntwort,
    RueckmeldungStatus,
)
from app.core.types import utcnow
from app.datenbasis.models import (
    Diagramm,
    DiagrammArt,
    Indikator,
    Kapitel,
    Kommentar,
    ReportStatus,
    Sozialreport,
)
from app.extensions import db
from app.impulse.models import Impuls, ImpulsAdressat, ImpulsQuelle, ImpulsStatus, ImpulsVerlauf
from app.mail.models import Mail, MailStatus
from app.massnahmen.models import (
    Beschluss,
    Ergebnis,
    Massnahme,
    MassnahmeArt,
    MassnahmeStatus,
    Thema,
)
from app.protokolle.hooks import link_impulse
from app.protokolle.models import Protokoll, ProtokollStatus
from app.sitzungen.models import Antwort, Einladung, Sitzung, SitzungStatus, Tagesordnungspunkt
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft, Organisation, Sozialraum
from app.workflows.models import Phase, Zyklus

MAIL_TEXT = (
    "Guten Tag,\n\nhiermit laden wir Sie herzlich zur Sitzung ein. Die Tagesordnung und die "
    "Unterlagen finden Sie auf der Plattform; bitte sagen Sie über den Link zu oder ab.\n\n"
) * 3
TOPS = ("Begrüßung und Protokoll", "Bericht aus der Datenbasis", "Verschiedenes")
ANTWORTEN = (Antwort.ZUSAGE, Antwort.ZUSAGE, Antwort.ABSAGE, Antwort.VERTRETUNG)


@dataclass
class ZyklusInhalt:
    """One cycle to fill and what its content refers to."""

    zyklus: Zyklus
    nummer: int
    stab: User
    gremien: list[Gremium]
    raeume: list[Sozialraum]
    indikatoren: list[Indikator]

    @property
    def laufend(self) -> bool:
        return self.zyklus.phase != Phase.ABGESCHLOSSEN

    def zeitpunkt(self, tag: int) -> datetime:
        """A moment ``tag`` days into a closed cycle, or around today in the running one."""
        if self.laufend:
            return utcnow().replace(minute=0, second=0, microsecond=0) + timedelta(days=tag - 60)
        start = datetime.combine(self.zyklus.beginn, datetime.min.time(), tzinfo=UTC)
        return start + timedelta(days=tag, hours=9)


def fill_zyklus(inhalt: ZyklusInhalt) -> None:
    """Meetings, minutes, impulses, measures, a Rückmeldebogen and a Sozialreport; once."""
    titel = f"Sozialreport – {inhalt.zyklus.titel}"
    if db.session.scalar(select(Sozialreport.id).where(Sozialreport.titel == titel)):
        return
    members = _members()
    impulse: list[Impuls] = []
    for index, gremium in enumerate(inhalt.gremien):
        meetings = 2 if gremium.typ in _TWICE else 1
        for n in range(meetings):
            tag = 20 + 9 * index + 45 * n
            sitzung = _sitzung(inhalt, gremium, tag, members.get(gremium.id, []))
            if gremium.typ == GremiumTyp.STADTTEILARBEITSKREIS and sitzung.status == _HELD:
                impulse += _protokoll(inhalt, gremium, sitzung)
    _massnahmen(inhalt, impulse)
    _bogen(inhalt)
    _report(inhalt, titel)


_TWICE = (GremiumTyp.PLANUNGSRUNDE, GremiumTyp.STADTTEILARBEITSKREIS)
_HELD = SitzungStatus.DURCHGEFUEHRT


def _members() -> dict[int, list[User]]:
    """Active members per Gremium, read once per cycle."""
    result: dict[int, list[User]] = {}
    for gremium_id, user in db.session.execute(
        select(Mitgliedschaft.gremium_id, User)
        .join(User, User.id == Mitgliedschaft.user_id)
        .where(Mitgliedschaft.aktiv)
        .order_by(Mitgliedschaft.id)
    ):
        result.setdefault(gremium_id, []).append(user)
    return result


def _sitzung(inhalt: ZyklusInhalt, gremium: Gremium, tag: int, people: list[User]) -> Sitzung:
    """A meeting with three agenda items, an invitation, reply and mail per member."""
    beginn = inhalt.zeitpunkt(tag)
    held = beginn < utcnow()
    sitzung = Sitzung(
        gremium_id=gremium.id,
        titel=f"{gremium.name}: Sitzung {tag // 30 + 1} ({inhalt.zyklus.titel})",
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        ort_name="Rathaus Hilden",
        ort_raum=f"Raum {100 + tag % 20}",
        ort_adresse="Am Rathaus 1, 40721 Hilden",
        status=_HELD if held else SitzungStatus.EINGELADEN,
        zyklus_id=inhalt.zyklus.id,
        erstellt_von_id=inhalt.stab.id,
        sequence=1,
    )
    sitzung.tagesordnungspunkte = [
        Tagesordnungspunkt(position=i, titel=t, beschreibung=f"Zu „{t}“: Vorlage folgt.")
        for i, t in enumerate(TOPS, start=1)
    ]
    db.session.add(sitzung)
    db.session.flush()
    for number, person in enumerate(people):
        antwort = ANTWORTEN[number % 4] if held or number % 3 else Antwort.OFFEN
        db.session.add(
            Einladung(
                sitzung_id=sitzung.id,
                user_id=person.id,
                email=person.email,
                name=person.name,
                antwort=antwort,
                vertretung_name="Kollegin aus dem Amt" if antwort == Antwort.VERTRETUNG else None,
                beantwortet_at=None if antwort == Antwort.OFFEN else beginn - timedelta(days=3),
                sequence_gesendet=1,
                created_at=beginn - timedelta(days=14),
            )
        )
        db.session.add(_mail(person, sitzung, beginn - timedelta(days=14)))
        db.session.add(
            Benachrichtigung(
                user_id=person.id,
                text=f"Einladung: {sitzung.titel}",
                url=f"/sitzungen/{sitzung.id}",
                created_at=beginn - timedelta(days=14),
                gelesen_at=beginn - timedelta(days=10) if held else None,
            )
        )
    return sitzung


def _mail(person: User, sitzung: Sitzung, when: datetime) -> Mail:
    """The invitation as the outbox kept it (already sent)."""
    return Mail(
        recipient=person.email,
        recipient_name=person.name,
        subject=f"Einladung: {sitzung.titel}"[:300],
        body_text=MAIL_TEXT,
        body_html=f"<p>{MAIL_TEXT}</p>",
        kind="sitzung.einladung",
        status=MailStatus.SENT,
        attempts=1,
        message_id=make_msgid(domain="umfang.hilden.example"),
        created_at=when,
        next_attempt_at=when,
        sent_at=when + timedelta(seconds=5),
        transport="smtp",
    )


def _protokoll(inhalt: ZyklusInhalt, gremium: Gremium, sitzung: Sitzung) -> list[Impuls]:
    """Approved minutes with results and two impulses to the Planungsrunde."""
    protokoll = Protokoll(
        sitzung_id=sitzung.id,
        status=ProtokollStatus.FREIGEGEBEN,
        teilnehmende_anzahl=12,
        teilnehmende_organisationen="Stellwerk\nAWO Hilden\nGrundschule",
        ergebnisse="- Bedarf an **Treffpunkten** festgestellt\n- Spielplatz begehen",
        vereinbarungen="Das Stellwerk lädt zur nächsten Sitzung ein.",
        freigegeben_at=sitzung.ende + timedelta(days=7),
        freigegeben_von_id=inhalt.stab.id,
    )
    db.session.add(protokoll)
    db.session.flush()
    statuses = (
        ImpulsStatus.AUFGENOMMEN,
        ImpulsStatus.EINGEGANGEN if inhalt.laufend else ImpulsStatus.UMGESETZT,
    )
    impulse = []
    for n, status in enumerate(statuses):
        impuls = Impuls(
            titel=f"{gremium.name}: Anliegen {n + 1} ({inhalt.zyklus.titel})",
            beschreibung="Aus dem Protokoll: mehr Angebote im Quartier.",
            thema="Quartier",
            quelle=ImpulsQuelle.STADTTEILARBEITSKREIS,
            quelle_gremium_id=gremium.id,
            sozialraum_id=gremium.sozialraum_id,
            adressiert_an=ImpulsAdressat.PLANUNGSRUNDE,
            status=status,
            zyklus_id=inhalt.zyklus.id,
            erstellt_von_id=inhalt.stab.id,
            created_at=protokoll.freigegeben_at,
        )
        impuls.verlauf.append(ImpulsVerlauf(von=None, nach=ImpulsStatus.EINGEGANGEN))
        if status != ImpulsStatus.EINGEGANGEN:
            impuls.verlauf.append(ImpulsVerlauf(von=ImpulsStatus.EINGEGANGEN, nach=status))
        db.session.add(impuls)
        impulse.append(impuls)
    db.session.flush()
    link_impulse(protokoll.id, [i.id for i in impulse])
    return impulse


def _massnahmen(inhalt: ZyklusInhalt, impulse: list[Impuls]) -> None:
    """Five measures from the impulses, decided by the board in closed cycles; two topics."""
    vorstand = next((g for g in inhalt.gremien if g.typ == GremiumTyp.VERWALTUNGSVORSTAND), None)
    for n in range(5):
        raum = inhalt.raeume[n % len(inhalt.raeume)] if inhalt.raeume else None
        massnahme = Massnahme(
            zyklus_id=inhalt.zyklus.id,
            titel=f"Maßnahme {n + 1}: Angebot im {raum.name if raum else 'Stadtgebiet'}",
            beschreibung="Aus den Impulsen der Stadtteilarbeitskreise.",
            art=MassnahmeArt.NEU if n % 2 else MassnahmeArt.BESTEHEND,
            sozialraum_id=raum.id if raum else None,
            kosten=Decimal(12000 + 3000 * n),
            haushalt=Decimal(8000 + 1000 * n),
            prioritaet=n + 1,
            status=MassnahmeStatus.GEPLANT if inhalt.laufend else MassnahmeStatus.BESCHLOSSEN,
            erstellt_von_id=inhalt.stab.id,
        )
        massnahme.impulse = impulse[n * 2 : n * 2 + 2]
        if vorstand is not None and not inhalt.laufend:
            massnahme.beschluesse = [
                Beschluss(
                    gremium_id=vorstand.id,
                    ergebnis=Ergebnis.ZUGESTIMMT,
                    datum=inhalt.zeitpunkt(250).date(),
                    drucksache=f"VV/{inhalt.zyklus.beginn.year}/{n + 1:03d}",
                    erfasst_von_id=inhalt.stab.id,
                )
            ]
        db.session.add(massnahme)
    for n in range(2):
        db.session.add(
            Thema(
                zyklus_id=inhalt.zyklus.id,
                titel=f"Thema {n + 1} ({inhalt.zyklus.titel})",
                beschreibung="In der Planungsrunde gesammelt.",
                erstellt_von_id=inhalt.stab.id,
            )
        )


FRAGEN = (
    (FrageTyp.KURZTEXT, "Ansprechperson", None),
    (FrageTyp.ZAHL, "Plätze im Angebot", 40),
    (FrageTyp.SKALA, "Wie gut ist der Bedarf gedeckt?", "3"),
    (FrageTyp.LANGTEXT, "Was fehlt im Quartier?", "Mehr Beratung am Nachmittag."),
)


def _bogen(inhalt: ZyklusInhalt) -> None:
    """A Rückmeldebogen to every Träger; all answered in closed cycles, most in the running one."""
    traeger = db.session.scalars(
        select(Organisation).where(Organisation.art == "traeger").order_by(Organisation.id)
    ).all()
    runde = next((g for g in inhalt.gremien if g.typ == GremiumTyp.TRAEGERRUNDE), None)
    bogen = Rueckmeldebogen(
        titel=f"Rückmeldung der Träger – {inhalt.zyklus.titel}",
        einleitung="Bitte schildern Sie Ihre Angebote und den Bedarf.",
        status=BogenStatus.VEROEFFENTLICHT if inhalt.laufend else BogenStatus.GESCHLOSSEN,
        oeffnet_am=inhalt.zeitpunkt(30),
        frist=inhalt.zeitpunkt(100),
        gremium_id=runde.id if runde else None,
        zyklus_id=inhalt.zyklus.id,
        phase=Phase.BETEILIGUNG,
        erstellt_von_id=inhalt.stab.id,
        veroeffentlicht_at=inhalt.zeitpunkt(30),
    )
    bogen.organisationen = list(traeger)
    abschnitt = BogenAbschnitt(titel="Angebote und Bedarf", position=1)
    abschnitt.fragen = [
        BogenFrage(typ=typ, text=text, position=i, pflicht=i == 0)
        for i, (typ, text, _) in enumerate(FRAGEN)
    ]
    bogen.abschnitte = [abschnitt]
    db.session.add(bogen)
    db.session.flush()
    for n, org in enumerate(traeger):
        submitted = not inhalt.laufend or n % 3 == 1
        rueckmeldung = Rueckmeldung(
            bogen_id=bogen.id,
            organisation_id=org.id,
            status=RueckmeldungStatus.EINGEREICHT if submitted else RueckmeldungStatus.OFFEN,
            version=1 if submitted else 0,
            eingereicht_at=inhalt.zeitpunkt(80) if submitted else None,
            eingeladen_at=inhalt.zeitpunkt(30),
        )
        if submitted:
            rueckmeldung.antworten = [
                RueckmeldungAntwort(frage_id=frage.id, wert=value or org.name)
                for frage, (_, _, value) in zip(abschnitt.fragen, FRAGEN, strict=True)
            ]
        db.session.add(rueckmeldung)


def _report(inhalt: ZyklusInhalt, titel: str) -> None:
    """Three chapters with a time series and a comparison each, and a comment; published
    (every cycle here is past its Planungsrunde)."""
    report = Sozialreport(
        zyklus_id=inhalt.zyklus.id,
        titel=titel,
        einleitung="Die Lage in den Stadtbereichen im Überblick.",
        status=ReportStatus.VEROEFFENTLICHT,
        veroeffentlicht_at=inhalt.zeitpunkt(50),
    )
    for n, indikator in enumerate(inhalt.indikatoren[:3]):
        kapitel = Kapitel(
            position=n,
            titel=indikator.name,
            text=f"Die Entwicklung von *{indikator.name}* in allen Stadtbereichen.",
        )
        kapitel.diagramme = [
            Diagramm(indikator_id=indikator.id, art=DiagrammArt.ZEITREIHE),
            Diagramm(indikator_id=indikator.id, art=DiagrammArt.VERGLEICH),
        ]
        kapitel.kommentare = [Kommentar(user_id=inhalt.stab.id, text="Bitte prüfen.")]
        report.kapitel.append(kapitel)
    db.session.add(report)
