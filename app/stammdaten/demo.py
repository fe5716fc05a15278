"""Demo data for Hilden: five Stadtbereiche, the real Gremien, clearly fictional people.

Idempotent: every object is looked up by its natural key first, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import hash_password, verify_password
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

DEMO_PASSWORD = "Demo-Passwort-2026"

SOZIALRAEUME = [
    (1, "Stadtbereich Nord", "Demo: nördlicher Stadtbereich"),
    (2, "Stadtbereich Ost", "Demo: östlicher Stadtbereich"),
    (3, "Stadtbereich Süd", "Demo: südlicher Stadtbereich"),
    (4, "Stadtbereich West", "Demo: westlicher Stadtbereich"),
    (5, "Stadtbereich Mitte", "Demo: Innenstadt"),
]

ORGANISATIONEN = [
    (
        "Stabsstelle für Soziales, Jugend und Bildung (Dezernat III)",
        "Stabsstelle",
        OrganisationArt.VERWALTUNG,
    ),
    ("Amt für Soziales und Integration", "Sozialamt", OrganisationArt.VERWALTUNG),
    ("Amt für Jugend, Schule und Sport", "Jugendamt", OrganisationArt.VERWALTUNG),
    ("Planungs- und Vermessungsamt", "Planungsamt", OrganisationArt.VERWALTUNG),
    ("Tiefbau- und Grünflächenamt", "Tiefbauamt", OrganisationArt.VERWALTUNG),
    ("Wirtschaftsförderung", "WiFö", OrganisationArt.VERWALTUNG),
    ("Stadtmarketing", "Stadtmarketing", OrganisationArt.VERWALTUNG),
    ("Stellwerk – Familienbüro der Stadt Hilden", "Stellwerk", OrganisationArt.VERWALTUNG),
    ("Arbeiterwohlfahrt Ortsverein Hilden", "AWO", OrganisationArt.TRAEGER),
    ("Diakonie Hilden", "Diakonie", OrganisationArt.TRAEGER),
    ("SKFM Hilden", "SKFM", OrganisationArt.TRAEGER),
    ("Caritasverband Hilden", "Caritas", OrganisationArt.TRAEGER),
    ("DRK Ortsverein Hilden", "DRK", OrganisationArt.TRAEGER),
]


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    organisation: str | None
    stabsstelle: bool = False
    rolle: str = ""


PERSONEN = [
    Person(
        "stabsstelle@demo.hilden.example", "Dana Demo-Planer", "Stabsstelle", True, "Stabsstelle"
    ),
    Person(
        "sozialamt@demo.hilden.example", "Paul Probe", "Sozialamt", rolle="Planungsrunde (Vorsitz)"
    ),
    Person(
        "jugendamt@demo.hilden.example", "Jana Jugend-Beispiel", "Jugendamt", rolle="Planungsrunde"
    ),
    Person(
        "planungsamt@demo.hilden.example", "Peter Plan-Muster", "Planungsamt", rolle="Planungsrunde"
    ),
    Person("tiefbau@demo.hilden.example", "Tilo Tiefbau-Test", "Tiefbauamt", rolle="Planungsrunde"),
    Person("wifoe@demo.hilden.example", "Wiebke Wirtschaft-Demo", "WiFö", rolle="Planungsrunde"),
    Person(
        "marketing@demo.hilden.example",
        "Mara Marketing-Fiktiv",
        "Stadtmarketing",
        rolle="Planungsrunde",
    ),
    Person("awo@demo.traeger.example", "Anna Awo-Beispiel", "AWO", rolle="Träger (AWO)"),
    Person(
        "diakonie@demo.traeger.example",
        "David Diakonie-Muster",
        "Diakonie",
        rolle="Träger (Diakonie)",
    ),
    Person("skfm@demo.traeger.example", "Sina Skfm-Probe", "SKFM", rolle="Träger (SKFM)"),
    Person(
        "caritas@demo.traeger.example", "Carl Caritas-Demo", "Caritas", rolle="Träger (Caritas)"
    ),
    Person(
        "drk@demo.traeger.example",
        "Dora Drk-Test",
        "DRK",
        rolle="Träger (DRK), Stellvertretung der AWO im SAK Nord",
    ),
    Person(
        "moderation.nord@demo.hilden.example",
        "Nora Nord-Moderation",
        "Stellwerk",
        rolle="Moderation SAK Nord",
    ),
    Person(
        "moderation.ost@demo.hilden.example",
        "Otto Ost-Moderation",
        "Stellwerk",
        rolle="Moderation SAK Ost",
    ),
    Person(
        "moderation.sued@demo.hilden.example",
        "Susi Süd-Moderation",
        "Stellwerk",
        rolle="Moderation SAK Süd",
    ),
    Person(
        "moderation.west@demo.hilden.example",
        "Willi West-Moderation",
        "Stellwerk",
        rolle="Moderation SAK West",
    ),
    Person(
        "moderation.mitte@demo.hilden.example",
        "Mia Mitte-Moderation",
        "Stellwerk",
        rolle="Moderation SAK Mitte",
    ),
    Person(
        "buergerin.nord@demo.hilden.example",
        "Berta Bürger-Beispiel",
        None,
        rolle="SAK Nord (Mitglied)",
    ),
    Person(
        "vorstand@demo.hilden.example", "Viktor Vorstand-Fiktiv", None, rolle="Verwaltungsvorstand"
    ),
    Person(
        "ausschuss@demo.hilden.example",
        "Amelie Ausschuss-Demo",
        None,
        rolle="Sozialausschuss, Jugendhilfeausschuss",
    ),
]

SAK_KUERZEL = {1: "nord", 2: "ost", 3: "sued", 4: "west", 5: "mitte"}


def _get_or_create(model, lookup: dict, **values):
    obj = db.session.scalar(select(model).filter_by(**lookup))
    if obj is None:
        obj = model(**lookup, **values)
        db.session.add(obj)
        db.session.flush()
    return obj


def load_demo_data() -> list[Person]:
    """Create the Hilden demo data if missing; returns the demo people for the login list."""
    raeume = {
        n: _get_or_create(Sozialraum, {"nummer": n}, name=name, beschreibung=b)
        for n, name, b in SOZIALRAEUME
    }
    orgs = {
        kurz: _get_or_create(Organisation, {"name": name}, kurzname=kurz, art=art)
        for name, kurz, art in ORGANISATIONEN
    }
    users = {p.email: _demo_user(p, orgs) for p in PERSONEN}
    gremien = _demo_gremien(raeume)
    _demo_memberships(gremien, users, orgs)
    return PERSONEN


def _demo_user(person: Person, orgs: dict[str, Organisation]) -> User:
    org = orgs[person.organisation] if person.organisation else None
    user = _get_or_create(
        User,
        {"email": person.email},
        name=person.name,
        ist_stabsstelle=person.stabsstelle,
        organisation_id=org.id if org else None,
    )
    if not user.password_hash or not verify_password(user, DEMO_PASSWORD):
        user.password_hash = hash_password(DEMO_PASSWORD)
    return user


def _demo_gremien(raeume: dict[int, Sozialraum]) -> dict[str, Gremium]:
    gremien = {
        "planungsrunde": _get_or_create(
            Gremium,
            {"name": "Städtische Planungsrunde"},
            typ=GremiumTyp.PLANUNGSRUNDE,
            beschreibung="Leitungskräfte der Ämter des Dezernates III, des Planungs- und "
            "Vermessungsamtes, des Tiefbau- und Grünflächenamtes, der Wirtschaftsförderung "
            "und des Stadtmarketings.",
        ),
        "traegerrunde": _get_or_create(
            Gremium,
            {"name": "Trägerrunde Dezernat III"},
            typ=GremiumTyp.TRAEGERRUNDE,
            beschreibung="Träger der freien Wohlfahrtspflege in Hilden.",
        ),
        "verwaltungsvorstand": _get_or_create(
            Gremium, {"name": "Verwaltungsvorstand"}, typ=GremiumTyp.VERWALTUNGSVORSTAND
        ),
        "sozialausschuss": _get_or_create(
            Gremium, {"name": "Sozialausschuss"}, typ=GremiumTyp.FACHAUSSCHUSS
        ),
        "jugendhilfeausschuss": _get_or_create(
            Gremium, {"name": "Jugendhilfeausschuss"}, typ=GremiumTyp.FACHAUSSCHUSS
        ),
    }
    for nummer, raum in raeume.items():
        gremien[f"sak_{SAK_KUERZEL[nummer]}"] = _get_or_create(
            Gremium,
            {"name": f"Stadtteilarbeitskreis {raum.name.removeprefix('Stadtbereich ')}"},
            typ=GremiumTyp.STADTTEILARBEITSKREIS,
            sozialraum_id=raum.id,
            beschreibung=f"Arbeitskreis für den {raum.name}, organisiert über das Stellwerk.",
        )
    return gremien


def _demo_memberships(
    gremien: dict[str, Gremium], users: dict[str, User], orgs: dict[str, Organisation]
) -> None:
    def member(gremium: str, email: str, funktion: Funktion) -> None:
        user = users[email]
        _get_or_create(
            Mitgliedschaft,
            {"gremium_id": gremien[gremium].id, "user_id": user.id},
            funktion=funktion,
            organisation_id=user.organisation_id,
        )

    def deputy(gremium: str, email: str, vertretung: str) -> None:
        """The seat of ``email`` gets ``vertretung`` as Stellvertretung (if it has none)."""
        sitz = db.session.scalar(
            select(Mitgliedschaft).filter_by(
                gremium_id=gremien[gremium].id, user_id=users[email].id, aktiv=True
            )
        )
        if sitz is not None and sitz.stellvertretung_id is None:
            sitz.stellvertretung_id = users[vertretung].id
            db.session.flush()

    stab = "stabsstelle@demo.hilden.example"
    member("planungsrunde", "sozialamt@demo.hilden.example", Funktion.VORSITZ)
    for kurz in ("jugendamt", "planungsamt", "tiefbau", "wifoe", "marketing"):
        member("planungsrunde", f"{kurz}@demo.hilden.example", Funktion.MITGLIED)
    member("planungsrunde", stab, Funktion.MODERATION)
    member("traegerrunde", stab, Funktion.VORSITZ)
    for kurz in ("awo", "diakonie", "skfm", "caritas", "drk"):
        member("traegerrunde", f"{kurz}@demo.traeger.example", Funktion.MITGLIED)
    for kurz in SAK_KUERZEL.values():
        member(f"sak_{kurz}", f"moderation.{kurz}@demo.hilden.example", Funktion.MODERATION)
    member("sak_nord", "buergerin.nord@demo.hilden.example", Funktion.MITGLIED)
    member("sak_nord", "awo@demo.traeger.example", Funktion.MITGLIED)
    deputy("sak_nord", "awo@demo.traeger.example", "drk@demo.traeger.example")
    member("verwaltungsvorstand", "vorstand@demo.hilden.example", Funktion.VORSITZ)
    member("verwaltungsvorstand", stab, Funktion.GAST)
    member("sozialausschuss", "ausschuss@demo.hilden.example", Funktion.MITGLIED)
    member("jugendhilfeausschuss", "ausschuss@demo.hilden.example", Funktion.MITGLIED)
