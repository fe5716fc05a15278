"""Demo data at scale: ``flask demo-daten --umfang 10`` for trials and the page benchmark.

``--umfang N`` keeps the Hilden demo (one current cycle, twenty people) and adds what N turns
of the planning cycle leave behind: N cycles (the demo's current one and N-1 closed ones),
twenty people per turn with their memberships, and per cycle the meetings of every Gremium
with invitations, replies and outbox mails, minutes, impulses, measures with decisions, a
Rückmeldebogen answered by every Träger, a Sozialreport with charts and notifications; the
indicators get six years of values per turn (N = 10: sixty years). ``--umfang 1`` adds one
cycle's worth to the demo, so 1× and 10× differ only in history.

Idempotent: people are found by e-mail, a cycle's content by its Sozialreport's title, values
only where missing. Written directly (no services), so nothing is mailed or enqueued.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from sqlalchemy import select

from app.auth.models import User
from app.auth.services import hash_password
from app.datenbasis.models import Indikator, Indikatorwert
from app.demo_umfang_zyklus import ZyklusInhalt, fill_zyklus
from app.extensions import db
from app.stammdaten.demo import DEMO_PASSWORD, load_demo_data
from app.stammdaten.models import (
    Funktion,
    Gremium,
    GremiumTyp,
    Mitgliedschaft,
    Organisation,
    OrganisationArt,
    Sozialraum,
)
from app.workflows.machine import STRANG_TYPEN
from app.workflows.models import (
    Phase,
    Strang,
    StrangStatus,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
)

PERSONEN_JE_UMFANG = 20
JAHRE_JE_UMFANG = 6
LETZTES_JAHR = 2024
DOMAIN = "umfang.hilden.example"
STABSSTELLE = "stabsstelle@demo.hilden.example"

# what the twenty people of one turn do: (Gremium type, function, is a Träger's staff)
ROLLEN = (
    *[(GremiumTyp.TRAEGERRUNDE, Funktion.MITGLIED, True)] * 5,
    *[(GremiumTyp.STADTTEILARBEITSKREIS, Funktion.MITGLIED, False)] * 7,
    *[(GremiumTyp.PLANUNGSRUNDE, Funktion.MITGLIED, False)] * 3,
    *[(GremiumTyp.VERWALTUNGSVORSTAND, Funktion.MITGLIED, False)] * 2,
    *[(GremiumTyp.FACHAUSSCHUSS, Funktion.MITGLIED, False)] * 3,
)


def load_umfang(umfang: int) -> dict[str, int]:
    """Scale the demo to ``umfang`` turns of the cycle; returns what exists afterwards."""
    from app.audit.context import paused
    from app.audit.models import Aktion
    from app.audit.services import record_event
    from app.demo import DEMO_LOADERS, _load_optional

    load_demo_data()
    for loader in DEMO_LOADERS:
        _load_optional(loader)
    with paused():  # tens of thousands of generated rows: one summary entry instead
        counts = _generate(umfang)
    record_event(
        Aktion.ANGELEGT,
        objekt_typ="Demodaten",
        label=f"Umfang {umfang}",
        hinweis="Demo-Verlauf erzeugt (flask demo-daten --umfang)",
        aenderungen={k: {"neu": v} for k, v in counts.items()},
    )
    return counts


def _generate(umfang: int) -> dict[str, int]:
    """People, values, cycles and their content (see the module docstring)."""
    stab = db.session.scalar(select(User).where(User.email == STABSSTELLE))
    gremien = db.session.scalars(select(Gremium).where(Gremium.aktiv).order_by(Gremium.id)).all()
    _people(umfang, gremien)
    _values(umfang)
    zyklen = _cycles(umfang, stab, gremien)
    raeume = db.session.scalars(select(Sozialraum).order_by(Sozialraum.nummer)).all()
    indikatoren = db.session.scalars(select(Indikator).order_by(Indikator.id)).all()
    for nummer, zyklus in enumerate(zyklen):
        fill_zyklus(ZyklusInhalt(zyklus, nummer, stab, gremien, raeume, indikatoren))
        db.session.flush()
    return _counts()


# --------------------------------------------------------------------------- people


def _people(umfang: int, gremien: list[Gremium]) -> None:
    """Twenty more people per turn beyond the first, each in the Gremium of their role."""
    password = hash_password(DEMO_PASSWORD)
    by_typ: dict[GremiumTyp, list[Gremium]] = {}
    for gremium in gremien:
        by_typ.setdefault(gremium.typ, []).append(gremium)
    verwaltung = db.session.scalar(
        select(Organisation).where(Organisation.art == OrganisationArt.VERWALTUNG)
    )
    existing = set(db.session.scalars(select(User.email).where(User.email.like(f"%@{DOMAIN}"))))
    for index in range(PERSONEN_JE_UMFANG * (umfang - 1)):
        email = f"person{index:04d}@{DOMAIN}"
        if email in existing:
            continue
        typ, funktion, traeger = ROLLEN[index % len(ROLLEN)]
        org = (
            _traeger(index)
            if traeger
            else (verwaltung if typ == GremiumTyp.PLANUNGSRUNDE else None)
        )
        user = User(
            email=email,
            name=f"Person {index + 1:04d} (Umfang-Demo)",
            password_hash=password,
            organisation_id=org.id if org else None,
        )
        db.session.add(user)
        db.session.flush()
        choices = by_typ.get(typ, [])
        if choices:
            gremium = choices[index % len(choices)]
            db.session.add(
                Mitgliedschaft(
                    gremium_id=gremium.id,
                    user_id=user.id,
                    funktion=funktion,
                    organisation_id=user.organisation_id,
                )
            )
    db.session.flush()


def _traeger(index: int) -> Organisation:
    """One more Träger per Träger person, so answers grow with the people."""
    name = f"Träger {index + 1:04d} (Umfang-Demo)"
    org = db.session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name, kurzname=f"T{index + 1:04d}", art=OrganisationArt.TRAEGER)
        db.session.add(org)
        db.session.flush()
    return org


# --------------------------------------------------------------------------- indicator values


def _values(umfang: int) -> None:
    """Six years of values per turn for every indicator and area, going back from 2024."""
    first = LETZTES_JAHR - JAHRE_JE_UMFANG * umfang + 1
    raeume = [None, *db.session.scalars(select(Sozialraum.id).order_by(Sozialraum.nummer))]
    rows = []
    for indikator in db.session.scalars(select(Indikator).order_by(Indikator.id)):
        have = {
            (r, j)
            for r, j in db.session.execute(
                select(Indikatorwert.sozialraum_id, Indikatorwert.jahr).where(
                    Indikatorwert.indikator_id == indikator.id
                )
            )
        }
        base = _base(indikator.id)
        for jahr in range(first, LETZTES_JAHR + 1):
            for nummer, raum in enumerate(raeume):
                if (raum, jahr) not in have:
                    wert = round(base * (1 + 0.01 * ((jahr * 7 + nummer * 13) % 11 - 5)), 1)
                    rows.append(
                        Indikatorwert(
                            indikator_id=indikator.id, sozialraum_id=raum, jahr=jahr, wert=wert
                        )
                    )
    db.session.add_all(rows)
    db.session.flush()


def _base(indikator_id: int) -> float:
    """A stored value of the indicator as the level of the generated series."""
    wert = db.session.scalar(
        select(Indikatorwert.wert)
        .where(Indikatorwert.indikator_id == indikator_id, Indikatorwert.wert.is_not(None))
        .limit(1)
    )
    return float(wert) if wert is not None else 10.0


# --------------------------------------------------------------------------- cycles


def _cycles(umfang: int, stab: User, gremien: list[Gremium]) -> list[Zyklus]:
    """The demo's running cycle with its predecessors, and closed ones before them up to
    ``umfang`` cycles in all, chained."""
    current = db.session.scalar(
        select(Zyklus)
        .where(Zyklus.phase != Phase.ABGESCHLOSSEN)
        .order_by(Zyklus.beginn.desc(), Zyklus.id.desc())
    )
    chain: list[Zyklus] = []
    while current is not None:
        chain.insert(0, current)
        current = db.session.get(Zyklus, current.vorgaenger_id) if current.vorgaenger_id else None
    year = chain[0].beginn.year if chain else date.today().year
    closed: list[Zyklus] = []
    previous: Zyklus | None = None
    for back in range(umfang - len(chain), 0, -1):
        zyklus = _closed_cycle(year - back, stab, gremien, previous)
        closed.append(zyklus)
        previous = zyklus
    if chain and previous is not None and chain[0].vorgaenger_id is None:
        chain[0].vorgaenger_id = previous.id
    return [*closed, *chain]


def _closed_cycle(year: int, stab: User, gremien: list[Gremium], previous: Zyklus | None) -> Zyklus:
    """A finished cycle of ``year`` with its history through every phase."""
    titel = f"Sozialplanung {year} (Umfang-Demo)"
    zyklus = db.session.scalar(select(Zyklus).where(Zyklus.titel == titel))
    if zyklus is not None:
        return zyklus
    zyklus = Zyklus(
        titel=titel,
        beginn=date(year, 1, 15),
        ende=date(year, 12, 15),
        phase=Phase.ABGESCHLOSSEN,
        version=6,
        vorgaenger_id=previous.id if previous else None,
        angelegt_von_id=stab.id,
        abgeschlossen_at=datetime(year, 12, 15, 10, tzinfo=UTC),
    )
    zyklus.gremien = list(gremien)
    zyklus.straenge = [
        Strang(
            gremium_id=g.id,
            status=StrangStatus.ABGESCHLOSSEN,
            abgeschlossen_at=datetime(year, 8, 1, 10, tzinfo=UTC),
            abgeschlossen_von_id=stab.id,
        )
        for g in gremien
        if g.typ in STRANG_TYPEN
    ]
    db.session.add(zyklus)
    db.session.flush()
    phases = list(Phase)
    start = datetime(year, 1, 15, 9, tzinfo=UTC)
    db.session.add(
        Verlaufseintrag(
            zyklus_id=zyklus.id,
            art=VerlaufArt.ANGELEGT,
            user_id=stab.id,
            zeitpunkt=start,
            nach_phase=Phase.DATENBASIS,
        )
    )
    for step, (von, nach) in enumerate(pairwise(phases), start=1):
        db.session.add(
            Verlaufseintrag(
                zyklus_id=zyklus.id,
                art=VerlaufArt.VORWAERTS,
                von_phase=von,
                nach_phase=nach,
                user_id=stab.id,
                zeitpunkt=start + timedelta(days=60 * step),
                begruendung=f"Weiter nach {nach.label}.",
            )
        )
    return zyklus


def _counts() -> dict[str, int]:
    """How many of the growing things exist (printed by the command)."""
    from sqlalchemy import func

    from app.impulse.models import Impuls
    from app.mail.models import Mail
    from app.sitzungen.models import Einladung, Sitzung

    def count(model: type) -> int:
        return db.session.scalar(select(func.count()).select_from(model)) or 0

    return {
        "Zyklen": count(Zyklus),
        "Personen": count(User),
        "Sitzungen": count(Sitzung),
        "Einladungen": count(Einladung),
        "E-Mails": count(Mail),
        "Impulse": count(Impuls),
        "Indikatorwerte": count(Indikatorwert),
    }
