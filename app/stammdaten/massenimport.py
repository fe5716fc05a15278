"""Bulk import of organisations, people and memberships from a table as offices keep them.

``pruefen`` reads the file and plans every row against the database with a fixed number of
queries (all e-mails, names and memberships are looked up at once); ``ausfuehren`` plans again
and stores the plan only when no row has an error (all or nothing). Existing people (by e-mail)
and organisations (by name) are linked, never duplicated, so importing the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func, select, tuple_

from app.auth.models import User
from app.core.tabellenlesen import Cell, TableSource, UploadError, cell_text, open_table
from app.extensions import db
from app.stammdaten.models import Funktion, Gremium, Mitgliedschaft, Organisation, OrganisationArt
from app.stammdaten.organisationen import create_organisation
from app.stammdaten.personen import create_user

MAX_ZEILEN = 2000

# column key → accepted headers (compared without case and surrounding blanks)
SPALTEN: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "email": ("e-mail", "email", "e-mail-adresse", "mail"),
    "organisation": ("organisation",),
    "gremium": ("gremium",),
    "funktion": ("funktion",),
    "kurzname": ("kurzname",),
    "art": ("art",),
}
PFLICHT = {"name": "Name", "email": "E-Mail"}
SPALTEN_TEXT = "Name, E-Mail, Organisation, Gremium, Funktion, Kurzname, Art"

_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")
_FUNKTIONEN = {f.label.lower(): f for f in Funktion} | {f.value: f for f in Funktion}
_ARTEN = {a.label.lower(): a for a in OrganisationArt} | {a.value: a for a in OrganisationArt}
_ARTEN["verwaltung"] = OrganisationArt.VERWALTUNG
FUNKTIONEN_TEXT = ", ".join(f.label for f in Funktion)
ARTEN_TEXT = ", ".join(a.label for a in OrganisationArt)


class ImportAbgelehnt(Exception):
    """The file has errors; nothing was stored."""

    def __init__(self, vorschau: Vorschau) -> None:
        super().__init__("Die Datei enthält Fehler.")
        self.vorschau = vorschau


@dataclass
class Zeile:
    """One data row: what it says, what it will do, or why it cannot be imported."""

    nummer: int
    name: str
    email: str
    organisation: str
    gremium: str
    funktion: Funktion | None
    kurzname: str = ""
    art: OrganisationArt | None = None
    aktionen: list[str] = field(default_factory=list)
    fehler: list[str] = field(default_factory=list)
    neue_person: bool = False
    neue_organisation: bool = False
    neue_mitgliedschaft: bool = False


@dataclass
class Vorschau:
    """The plan of a whole file; ``ok`` when no row has an error."""

    kodierung: str
    zeilen: list[Zeile]

    @property
    def fehlerhaft(self) -> list[Zeile]:
        return [z for z in self.zeilen if z.fehler]

    @property
    def ok(self) -> bool:
        return not self.fehlerhaft

    def anzahl(self, merkmal: str) -> int:
        """Rows that create something (``neue_person``, …), each new object counted once."""
        if merkmal == "neue_person":
            return len({z.email for z in self.zeilen if z.neue_person})
        if merkmal == "neue_organisation":
            return len({z.organisation.lower() for z in self.zeilen if z.neue_organisation})
        return sum(1 for z in self.zeilen if getattr(z, merkmal))


def _spalten(source: TableSource) -> dict[str, int]:
    """Column key → index; a missing required column refuses the whole file."""
    found: dict[str, int] = {}
    for key, names in SPALTEN.items():
        for index, header in enumerate(source.header):
            if header in names and key not in found:
                found[key] = index
    missing = [PFLICHT[k] for k in PFLICHT if k not in found]
    if missing:
        raise UploadError(
            f"Der Datei fehlt die Spalte {' und '.join(missing)}. Erwartet werden die "
            f"Spalten {SPALTEN_TEXT} (erste Zeile)."
        )
    return found


def _zelle(raw: list[Cell], spalten: dict[str, int], key: str) -> str:
    index = spalten.get(key)
    if index is None or index >= len(raw):
        return ""
    return " ".join(cell_text(raw[index]).split())


def _lesen(data: bytes, filename: str) -> tuple[str, list[Zeile]]:
    """The rows of the file with their cells checked one by one."""
    source = open_table(data, filename, MAX_ZEILEN)
    spalten = _spalten(source)
    zeilen = []
    for nummer, raw in source.rows:
        z = Zeile(
            nummer=nummer,
            name=_zelle(raw, spalten, "name"),
            email=_zelle(raw, spalten, "email").lower(),
            organisation=_zelle(raw, spalten, "organisation"),
            gremium=_zelle(raw, spalten, "gremium"),
            funktion=None,
            kurzname=_zelle(raw, spalten, "kurzname"),
        )
        fehler = z.fehler.append
        if not z.email:
            fehler("E-Mail-Adresse fehlt.")
        elif not _EMAIL.match(z.email) or len(z.email) > 254:
            fehler(f"„{z.email}“ ist keine gültige E-Mail-Adresse.")
        funktion = _zelle(raw, spalten, "funktion")
        if funktion:
            z.funktion = _FUNKTIONEN.get(funktion.lower())
            if z.funktion is None:
                fehler(f"Funktion „{funktion}“ ist unbekannt (erlaubt: {FUNKTIONEN_TEXT}).")
            elif not z.gremium:
                fehler("Eine Funktion ohne Gremium: Bitte tragen Sie das Gremium ein.")
        elif z.gremium:
            z.funktion = Funktion.MITGLIED
        art = _zelle(raw, spalten, "art")
        if art:
            z.art = _ARTEN.get(art.lower())
            if z.art is None:
                fehler(f"Art „{art}“ ist unbekannt (erlaubt: {ARTEN_TEXT}).")
        if len(z.name) > 200 or len(z.organisation) > 200 or len(z.kurzname) > 40:
            fehler("Ein Eintrag ist zu lang (Name und Organisation höchstens 200 Zeichen).")
        zeilen.append(z)
    if not zeilen:
        raise UploadError("Die Datei enthält nur eine Kopfzeile, aber keine Datenzeilen.")
    return source.kodierung, zeilen


def _doppelte(zeilen: list[Zeile]) -> None:
    """The same address twice: only for different Gremien and always with the same name."""
    erste: dict[str, Zeile] = {}
    paare: dict[tuple[str, str], int] = {}
    for z in zeilen:
        if not z.email:
            continue
        vorher = erste.setdefault(z.email, z)
        paar = (z.email, z.gremium.lower())
        if paar in paare:
            z.fehler.append(
                f"Die E-Mail-Adresse {z.email} steht bereits in Zeile {paare[paar]}"
                + (f" (Gremium „{z.gremium}“)." if z.gremium else ".")
            )
        elif vorher is not z and (
            vorher.name != z.name or vorher.organisation.lower() != z.organisation.lower()
        ):
            z.fehler.append(
                f"Die E-Mail-Adresse {z.email} steht bereits in Zeile {vorher.nummer} "
                "mit anderem Namen oder anderer Organisation."
            )
        paare.setdefault(paar, z.nummer)


def _planen(zeilen: list[Zeile]) -> None:
    """Link each row to existing rows (four queries for the whole file) and note its actions."""
    emails = {z.email for z in zeilen if z.email}
    personen = {
        u.email.lower(): u
        for u in db.session.scalars(select(User).where(func.lower(User.email).in_(emails)))
    }
    org_namen = {z.organisation.lower() for z in zeilen if z.organisation}
    organisationen = {
        o.name.lower(): o
        for o in db.session.scalars(
            select(Organisation).where(func.lower(Organisation.name).in_(org_namen))
        )
    }
    gremium_namen = {z.gremium.lower() for z in zeilen if z.gremium}
    gremien = {
        g.name.lower(): g
        for g in db.session.scalars(
            select(Gremium).where(func.lower(Gremium.name).in_(gremium_namen))
        )
    }
    paare = {
        (personen[z.email].id, gremien[z.gremium.lower()].id)
        for z in zeilen
        if z.email in personen and z.gremium.lower() in gremien
    }
    mitglied: dict[tuple[int, int], Funktion] = {}
    if paare:
        mitglied = {
            (m.user_id, m.gremium_id): m.funktion
            for m in db.session.execute(
                select(Mitgliedschaft.user_id, Mitgliedschaft.gremium_id, Mitgliedschaft.funktion)
                .where(Mitgliedschaft.aktiv)
                .where(tuple_(Mitgliedschaft.user_id, Mitgliedschaft.gremium_id).in_(paare))
            )
        }
    neue_orgs: set[str] = set()
    for z in zeilen:
        _zeile_planen(z, personen, organisationen, gremien, mitglied, neue_orgs)


def _zeile_planen(
    z: Zeile,
    personen: dict[str, User],
    organisationen: dict[str, Organisation],
    gremien: dict[str, Gremium],
    mitglied: dict[tuple[int, int], Funktion],
    neue_orgs: set[str],
) -> None:
    """Actions (or errors) of one row against the looked-up rows."""
    aktion, fehler = z.aktionen.append, z.fehler.append
    org = organisationen.get(z.organisation.lower()) if z.organisation else None
    if z.organisation and org is None:
        z.neue_organisation = z.organisation.lower() not in neue_orgs
        neue_orgs.add(z.organisation.lower())
        if z.neue_organisation:
            art = (z.art or OrganisationArt.TRAEGER).label
            aktion(f"Organisation „{z.organisation}“ ({art}) wird angelegt.")
    elif org is not None and not org.aktiv:
        fehler(f"Die Organisation „{org.name}“ ist deaktiviert.")
    person = personen.get(z.email)
    if person is None and z.email:
        if not z.name:
            fehler("Name fehlt (die Person ist noch nicht eingetragen).")
        z.neue_person = True
        aktion(f"Person {z.name} ({z.email}) wird eingeladen und angelegt.")
    elif person is not None:
        if not person.aktiv:
            fehler(f"Das Konto {person.email} ist deaktiviert.")
        else:
            aktion(f"Vorhandene Person {person.name} wird verknüpft.")
    if not z.gremium:
        return
    gremium = gremien.get(z.gremium.lower())
    if gremium is None:
        fehler(f"Gremium „{z.gremium}“ ist unbekannt.")
        return
    if not gremium.aktiv:
        fehler(f"Das Gremium „{gremium.name}“ ist deaktiviert.")
        return
    funktion = z.funktion.label if z.funktion else ""
    bisher = mitglied.get((person.id, gremium.id)) if person is not None else None
    if bisher is not None:
        aktion(f"Ist bereits Mitglied in „{gremium.name}“ ({bisher.label}); bleibt unverändert.")
    elif z.funktion is not None:
        z.neue_mitgliedschaft = True
        aktion(f"Wird in „{gremium.name}“ aufgenommen ({funktion}).")


def pruefen(data: bytes, filename: str) -> Vorschau:
    """The plan of the file; raises ``UploadError`` when the file as a whole is unreadable."""
    kodierung, zeilen = _lesen(data, filename)
    _doppelte(zeilen)
    _planen(zeilen)
    return Vorschau(kodierung, zeilen)


@dataclass
class Ergebnis:
    """What an import stored."""

    personen: int
    organisationen: int
    mitgliedschaften: int
    eingeladen: int


def ausfuehren(data: bytes, filename: str, *, einladen: bool) -> Ergebnis:
    """Store the file's plan, or nothing when a row has an error (flushes, never commits)."""
    vorschau = pruefen(data, filename)
    if not vorschau.ok:
        raise ImportAbgelehnt(vorschau)
    organisationen = {
        o.name.lower(): o
        for o in db.session.scalars(
            select(Organisation).where(
                func.lower(Organisation.name).in_({z.organisation.lower() for z in vorschau.zeilen})
            )
        )
    }
    personen: dict[str, User] = {}
    anzahl = Ergebnis(0, 0, 0, 0)
    for z in vorschau.zeilen:
        org = organisationen.get(z.organisation.lower()) if z.organisation else None
        if z.organisation and org is None:
            org = create_organisation(
                name=z.organisation,
                art=z.art or OrganisationArt.TRAEGER,
                kurzname=z.kurzname or None,
            )
            organisationen[z.organisation.lower()] = org
            anzahl.organisationen += 1
        if z.neue_person and z.email not in personen:
            personen[z.email] = create_user(
                email=z.email, name=z.name, organisation=org, invite=einladen
            )
            anzahl.personen += 1
            anzahl.eingeladen += int(einladen)
        if z.neue_mitgliedschaft:
            user = personen.get(z.email) or db.session.scalar(
                select(User).where(func.lower(User.email) == z.email)
            )
            gremium = db.session.scalar(
                select(Gremium).where(func.lower(Gremium.name) == z.gremium.lower())
            )
            db.session.add(
                Mitgliedschaft(
                    gremium_id=gremium.id,
                    user_id=user.id,
                    funktion=z.funktion,
                    organisation_id=org.id if org else None,
                )
            )
            anzahl.mitgliedschaften += 1
    db.session.flush()
    return anzahl
