"""Factories for test data; every factory commits (a savepoint release in rollback tests)."""

from __future__ import annotations

import itertools

from app.auth.models import LoginSession, User
from app.auth.services import hash_password
from app.extensions import db
from app.stammdaten.models import (
    Funktion,
    Gremium,
    GremiumTyp,
    Mitgliedschaft,
    Organisation,
    OrganisationArt,
    Sozialraum,
)

PASSWORD = "Test-Passwort-123"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _n() -> int:
    return next(_seq)


def _save(obj):
    db.session.add(obj)
    db.session.commit()
    return obj


def password_hash(password: str = PASSWORD) -> str:
    """argon2id hash, computed once per password (hashing needs an app context)."""
    if password not in _hash_cache:
        from argon2 import PasswordHasher

        _hash_cache[password] = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(
            password
        )
    return _hash_cache[password]


def organisation(
    name: str | None = None, art: OrganisationArt = OrganisationArt.TRAEGER, **kw
) -> Organisation:
    n = _n()
    return _save(
        Organisation(
            name=name or f"Träger {n}", kurzname=kw.pop("kurzname", f"T{n}"), art=art, **kw
        )
    )


def user(
    email: str | None = None,
    name: str | None = None,
    *,
    stabsstelle: bool = False,
    organisation: Organisation | None = None,
    password: str | None = PASSWORD,
    **kw,
) -> User:
    n = _n()
    return _save(
        User(
            email=email or f"person{n}@test.example",
            name=name or f"Person {n}",
            ist_stabsstelle=stabsstelle,
            organisation_id=organisation.id if organisation else None,
            password_hash=password_hash(password) if password else None,
            **kw,
        )
    )


def stabsstelle(**kw) -> User:
    return user(stabsstelle=True, **kw)


def traeger_user(**kw) -> User:
    """A staff member of a (new) Träger organisation."""
    org = kw.pop("organisation", None) or organisation()
    return user(organisation=org, **kw)


def sozialraum(name: str | None = None, **kw) -> Sozialraum:
    n = _n()
    return _save(Sozialraum(nummer=kw.pop("nummer", 100 + n), name=name or f"Sozialraum {n}", **kw))


def gremium(typ: GremiumTyp = GremiumTyp.PLANUNGSRUNDE, name: str | None = None, **kw) -> Gremium:
    n = _n()
    if typ == GremiumTyp.STADTTEILARBEITSKREIS and "sozialraum_id" not in kw:
        kw["sozialraum_id"] = (
            kw.pop("sozialraum", None).id if kw.get("sozialraum") else sozialraum().id
        )
    kw.pop("sozialraum", None)
    return _save(Gremium(name=name or f"{typ.label} {n}", typ=typ, **kw))


def mitgliedschaft(
    gremium: Gremium, user: User, funktion: Funktion = Funktion.MITGLIED, **kw
) -> Mitgliedschaft:
    return _save(
        Mitgliedschaft(
            gremium_id=gremium.id,
            user_id=user.id,
            funktion=funktion,
            organisation_id=kw.pop("organisation_id", user.organisation_id),
            **kw,
        )
    )


def login_session(user: User) -> str:
    """A live server-side login session for ``user``; returns its token."""
    session = _save(LoginSession(user_id=user.id))
    return session.token


__all__ = ["PASSWORD", "hash_password"]


# --------------------------------------------------------------------------- Datenbasis


def indikator(name: str | None = None, einheit: str = "%", **kw):
    """A catalogue entry of the Datenbasis."""
    from app.datenbasis.models import Indikator

    return _save(Indikator(name=name or f"Indikator {_n()}", einheit=einheit, **kw))


def indikatorwert(indikator, sozialraum, jahr: int, wert: float):
    """One value; ``sozialraum=None`` is the city total."""
    from app.datenbasis.models import Indikatorwert

    return _save(
        Indikatorwert(
            indikator_id=indikator.id,
            sozialraum_id=sozialraum.id if sozialraum else None,
            jahr=jahr,
            wert=wert,
        )
    )


def report_zyklus(phase: str = "datenbasis", **kw):
    """A planning cycle for a Sozialreport, in ``phase``."""
    from datetime import date

    from app.workflows.models import Phase, Zyklus

    n = _n()
    return _save(
        Zyklus(
            titel=kw.pop("titel", f"Sozialplanung {2000 + n}"),
            beginn=date(2026, 1, 1),
            ende=date(2026, 12, 31),
            phase=Phase(phase),
            **kw,
        )
    )


def sozialreport(zyklus=None, status: str = "entwurf", **kw):
    """A Sozialreport with one chapter (status given directly, for permission tests)."""
    from app.datenbasis.models import Kapitel, ReportStatus, Sozialreport

    zyklus = zyklus or report_zyklus()
    report = Sozialreport(
        zyklus_id=zyklus.id,
        titel=kw.pop("titel", f"Sozialreport {_n()}"),
        status=ReportStatus(status),
        **kw,
    )
    report.kapitel = [Kapitel(position=1, titel="Lebenslagen", text="Ein **Kapitel**.")]
    if status == "veroeffentlicht":
        from app.core.types import utcnow

        report.veroeffentlicht_at = utcnow()
    return _save(report)


# ---------------------------------------------------------------- planning cycle (workflows)


def zyklus(gremien=(), titel: str | None = None, phase=None, **kw):
    """A planning cycle taking part with ``gremien``; one open Strang per Beteiligung Gremium."""
    from datetime import date

    from app.workflows.machine import STRANG_TYPEN
    from app.workflows.models import Phase, Strang, Zyklus

    n = _n()
    gremien = list(gremien)
    obj = Zyklus(
        titel=titel or f"Sozialplanung {2000 + n}",
        beginn=kw.pop("beginn", date(2027, 1, 1)),
        ende=kw.pop("ende", date(2027, 12, 31)),
        phase=phase or Phase.DATENBASIS,
        **kw,
    )
    obj.gremien = gremien
    obj.straenge = [Strang(gremium=g) for g in gremien if g.typ in STRANG_TYPEN]
    return _save(obj)


def verlaufseintraege(zyklus, count: int, user=None) -> None:
    """``count`` history entries (alternating moves) for query-count tests."""
    from app.workflows.models import Phase, VerlaufArt, Verlaufseintrag

    for i in range(count):
        von, nach = Phase.DATENBASIS, Phase.PLANUNGSRUNDE
        if i % 2:
            von, nach = nach, von
        db.session.add(
            Verlaufseintrag(
                zyklus_id=zyklus.id,
                art=VerlaufArt.VORWAERTS,
                von_phase=von,
                nach_phase=nach,
                user_id=user.id if user else None,
                begruendung=f"Eintrag {i}",
                uebersteuert=[{"name": "x", "label": "T", "erklaerung": "fehlt"}] if i % 3 else [],
                uebersteuerung_begruendung="weil" if i % 3 else None,
            )
        )
    db.session.commit()


# ------------------------------------------------------------------ Rückmeldebögen (beteiligung)

ALLE_FRAGEN = [
    {"typ": "kurztext", "text": "Ansprechperson", "pflicht": True},
    {"typ": "langtext", "text": "Was fehlt im Stadtteil?", "hilfetext": "Bitte konkret."},
    {
        "typ": "einfachauswahl",
        "text": "Wichtigstes Handlungsfeld",
        "optionen": ["Kinder", "Familien", "Senioren"],
    },
    {"typ": "mehrfachauswahl", "text": "Ihre Angebote", "optionen": ["Beratung", "Treff", "Kita"]},
    {
        "typ": "skala",
        "text": "Zufriedenheit mit der Datenlage",
        "skala_min_label": "gering",
        "skala_max_label": "hoch",
    },
    {"typ": "zahl", "text": "Zahl der Plätze", "zahl_min": 0, "zahl_max": 500},
    {"typ": "janein", "text": "Planen Sie neue Angebote?"},
    {"typ": "matrix", "text": "Bedarf je Stadtbereich", "optionen": ["hoch", "mittel", "gering"]},
    {"typ": "datei", "text": "Konzept (optional)"},
]


def rueckmeldebogen(
    titel: str | None = None,
    *,
    fragen: list[dict] | None = None,
    organisationen: list[Organisation] = (),
    gremium: Gremium | None = None,
    veroeffentlicht: bool = False,
    **kw,
):
    """A form with one section holding ``fragen`` (default: one question of every type).

    ``veroeffentlicht=True`` publishes it without mails: answer rows exist, invitations are
    marked as sent.
    """
    from datetime import timedelta

    from app.beteiligung.models import (
        BogenAbschnitt,
        BogenFrage,
        BogenStatus,
        FrageTyp,
        Rueckmeldebogen,
        Rueckmeldung,
    )
    from app.core.types import utcnow

    n = _n()
    now = utcnow()
    bogen = Rueckmeldebogen(
        titel=titel or f"Rückmeldebogen {n}",
        oeffnet_am=kw.pop("oeffnet_am", now - timedelta(days=1)),
        frist=kw.pop("frist", now + timedelta(days=14)),
        gremium_id=gremium.id if gremium else None,
        status=BogenStatus.VEROEFFENTLICHT if veroeffentlicht else BogenStatus.ENTWURF,
        veroeffentlicht_at=now if veroeffentlicht else None,
        **kw,
    )
    bogen.organisationen = list(organisationen)
    abschnitt = BogenAbschnitt(titel="Allgemeines", position=1)
    for position, spec in enumerate(ALLE_FRAGEN if fragen is None else fragen, start=1):
        spec = dict(spec)
        typ = FrageTyp(spec.pop("typ"))
        abschnitt.fragen.append(BogenFrage(position=position, typ=typ, **spec))
    bogen.abschnitte.append(abschnitt)
    db.session.add(bogen)
    db.session.flush()
    if veroeffentlicht:
        for org in organisationen:
            db.session.add(
                Rueckmeldung(bogen_id=bogen.id, organisation_id=org.id, eingeladen_at=now)
            )
    db.session.commit()
    return bogen


def rueckmeldung(bogen, organisation: Organisation):
    """The answer row of ``organisation`` for ``bogen``."""
    from sqlalchemy import select

    from app.beteiligung.models import Rueckmeldung

    return db.session.scalar(
        select(Rueckmeldung).where(
            Rueckmeldung.bogen_id == bogen.id, Rueckmeldung.organisation_id == organisation.id
        )
    )


# --------------------------------------------------------------------------- Sitzungen


def sitzung(in_gremium: Gremium | None = None, **kw):
    """A planned meeting a week from now (two hours, in the Rathaus)."""
    from datetime import timedelta

    from app.core.types import utcnow
    from app.sitzungen.models import Sitzung

    n = _n()
    beginn = kw.pop("beginn", utcnow().replace(second=0, microsecond=0) + timedelta(days=7))
    return _save(
        Sitzung(
            gremium_id=(in_gremium or gremium()).id,
            titel=kw.pop("titel", f"Sitzung {n}"),
            beginn=beginn,
            ende=kw.pop("ende", beginn + timedelta(hours=2)),
            ort_name=kw.pop("ort_name", "Rathaus Hilden"),
            **kw,
        )
    )


def top(in_sitzung, titel: str | None = None, **kw):
    """An agenda item at the end of the agenda."""
    from app.sitzungen.models import Tagesordnungspunkt

    position = kw.pop("position", len(in_sitzung.tagesordnungspunkte) + 1)
    item = Tagesordnungspunkt(
        sitzung_id=in_sitzung.id, titel=titel or f"TOP {position}", position=position, **kw
    )
    _save(item)
    if in_sitzung in db.session:
        db.session.expire(in_sitzung, ["tagesordnungspunkte"])
    return item


def einladung(in_sitzung, person: User | None = None, **kw):
    """An invitation row (as the fan-out writes it), without a mail."""
    from app.sitzungen.models import Einladung

    n = _n()
    return _save(
        Einladung(
            sitzung_id=in_sitzung.id,
            user_id=person.id if person else None,
            email=kw.pop("email", person.email.lower() if person else f"gast{n}@test.example"),
            name=kw.pop("name", person.name if person else f"Gast {n}"),
            gast=kw.pop("gast", person is None),
            sequence_gesendet=kw.pop("sequence_gesendet", in_sitzung.sequence),
            **kw,
        )
    )


# --------------------------------------------------------------- Protokolle, Impulse, Maßnahmen


def vergangene_sitzung(in_gremium: Gremium, tage: int = 3, **kw):
    """A meeting that took place ``tage`` days ago (two hours)."""
    from datetime import timedelta

    from app.core.types import utcnow

    beginn = utcnow().replace(second=0, microsecond=0) - timedelta(days=tage)
    return sitzung(in_gremium, beginn=beginn, ende=beginn + timedelta(hours=2), **kw)


def protokoll(in_sitzung, *, freigegeben: bool = False, **kw):
    """A minutes row without a file (add revisions through the service)."""
    from app.core.types import utcnow
    from app.protokolle.models import Protokoll, ProtokollStatus

    return _save(
        Protokoll(
            sitzung_id=in_sitzung.id,
            status=ProtokollStatus.FREIGEGEBEN if freigegeben else ProtokollStatus.ENTWURF,
            freigegeben_at=utcnow() if freigegeben else None,
            **kw,
        )
    )


def impuls(titel: str | None = None, **kw):
    """An impulse as ``eingegangen`` (through the service, with its first history entry)."""
    from app.impulse.models import ImpulsQuelle
    from app.impulse.services import create_impuls

    quelle = kw.pop("quelle", ImpulsQuelle.STADTTEILARBEITSKREIS)
    obj = create_impuls(
        titel or f"Impuls {_n()}", quelle, erstellt_von_id=kw.pop("von", None), **kw
    )
    db.session.commit()
    return obj


def massnahme(in_zyklus, titel: str | None = None, impulse=(), **kw):
    """A measure of ``in_zyklus`` linked to ``impulse`` (status untouched)."""
    from app.massnahmen.models import Massnahme

    obj = Massnahme(zyklus_id=in_zyklus.id, titel=titel or f"Maßnahme {_n()}", **kw)
    obj.impulse = list(impulse)
    return _save(obj)


# --------------------------------------------------------------------------- Planungsfelder


def planungsfelder() -> dict:
    """The six standard fields by key (created once per test)."""
    from app.planungsfelder.services import ensure_standard_felder

    felder = {f.schluessel: f for f in ensure_standard_felder()}
    db.session.commit()
    return felder
