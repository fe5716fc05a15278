"""Master-data operations: create, change, deactivate and reactivate; they flush, never commit.

Rows that history refers to are never deleted: organisations, Sozialräume, Gremien and
accounts are deactivated, memberships are ended. Every refusal raises ``StammdatenError``
with a German message (and the form field it belongs to, if any).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.auth.services import end_all_login_sessions, find_user_by_email, invite_user
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


class StammdatenError(ValueError):
    """A refused change; ``message`` is German, ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _clean(value: str | None) -> str | None:
    """Trimmed text, or None when empty."""
    value = (value or "").strip()
    return value or None


def _taken(model: Any, column: Any, value: Any, exclude_id: int | None) -> bool:
    """Whether another row of ``model`` has ``value`` in ``column`` (text: case-insensitive)."""
    condition = func.lower(column) == value.lower() if isinstance(value, str) else column == value
    query = select(model.id).where(condition)
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return db.session.scalar(query.limit(1)) is not None


def _flush(message: str, field: str | None = None) -> None:
    """Flush; a unique violation (a concurrent duplicate) becomes a German error.

    After a ``StammdatenError`` the caller rolls the session back (the views do).
    """
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise StammdatenError(message, field) from exc


def _set_active(obj: Any, aktiv: bool, what: str) -> None:
    if obj.aktiv == aktiv:
        zustand = "aktiv" if aktiv else "deaktiviert"
        raise StammdatenError(f"{what} ist bereits {zustand}.")
    obj.aktiv = aktiv
    db.session.flush()


# --------------------------------------------------------------------------- Organisation

ORGANISATION_NAME_TAKEN = "Es gibt bereits eine Organisation mit diesem Namen."


def create_organisation(
    *, name: str, art: OrganisationArt, kurzname: str | None = None, email: str | None = None
) -> Organisation:
    """A new active organisation (city office, Träger or other)."""
    name = _clean(name) or ""
    if _taken(Organisation, Organisation.name, name, None):
        raise StammdatenError(ORGANISATION_NAME_TAKEN, "name")
    organisation = Organisation(
        name=name, art=OrganisationArt(art), kurzname=_clean(kurzname), email=_clean(email)
    )
    db.session.add(organisation)
    _flush(ORGANISATION_NAME_TAKEN, "name")
    return organisation


def update_organisation(
    organisation: Organisation,
    *,
    name: str,
    art: OrganisationArt,
    kurzname: str | None,
    email: str | None,
) -> Organisation:
    """Change all fields (Stabsstelle)."""
    name = _clean(name) or ""
    if _taken(Organisation, Organisation.name, name, organisation.id):
        raise StammdatenError(ORGANISATION_NAME_TAKEN, "name")
    organisation.name = name
    organisation.art = OrganisationArt(art)
    return update_organisation_contact(organisation, kurzname=kurzname, email=email)


def update_organisation_contact(
    organisation: Organisation, *, kurzname: str | None, email: str | None
) -> Organisation:
    """Change the contact data (what staff of the organisation may change themselves)."""
    organisation.kurzname = _clean(kurzname)
    organisation.email = _clean(email)
    _flush(ORGANISATION_NAME_TAKEN, "name")
    return organisation


def deactivate_organisation(organisation: Organisation) -> None:
    """Hide the organisation from selection lists; accounts and history keep referring to it."""
    _set_active(organisation, False, "Die Organisation")


def reactivate_organisation(organisation: Organisation) -> None:
    """Offer the organisation in selection lists again."""
    _set_active(organisation, True, "Die Organisation")


# --------------------------------------------------------------------------- Sozialraum

SOZIALRAUM_NAME_TAKEN = "Es gibt bereits einen Sozialraum mit diesem Namen."
SOZIALRAUM_NUMMER_TAKEN = "Diese Nummer ist bereits vergeben."


def _check_sozialraum(nummer: int, name: str, exclude_id: int | None) -> None:
    if _taken(Sozialraum, Sozialraum.name, name, exclude_id):
        raise StammdatenError(SOZIALRAUM_NAME_TAKEN, "name")
    if _taken(Sozialraum, Sozialraum.nummer, nummer, exclude_id):
        raise StammdatenError(SOZIALRAUM_NUMMER_TAKEN, "nummer")


def create_sozialraum(*, nummer: int, name: str, beschreibung: str | None = None) -> Sozialraum:
    """A new active Sozialraum (Stadtbereich)."""
    name = _clean(name) or ""
    _check_sozialraum(nummer, name, None)
    raum = Sozialraum(nummer=nummer, name=name, beschreibung=_clean(beschreibung))
    db.session.add(raum)
    _flush(SOZIALRAUM_NAME_TAKEN, "name")
    return raum


def update_sozialraum(
    raum: Sozialraum, *, nummer: int, name: str, beschreibung: str | None
) -> Sozialraum:
    """Change number, name and description."""
    name = _clean(name) or ""
    _check_sozialraum(nummer, name, raum.id)
    raum.nummer, raum.name, raum.beschreibung = nummer, name, _clean(beschreibung)
    _flush(SOZIALRAUM_NAME_TAKEN, "name")
    return raum


def active_stadtteilarbeitskreise(raum: Sozialraum) -> list[Gremium]:
    """The active Stadtteilarbeitskreise of ``raum``."""
    return list(
        db.session.scalars(
            select(Gremium)
            .where(Gremium.sozialraum_id == raum.id, Gremium.aktiv)
            .order_by(Gremium.name)
        )
    )


def deactivate_sozialraum(raum: Sozialraum) -> None:
    """Hide the Sozialraum from selection lists; refused while an active Arbeitskreis uses it."""
    kreise = active_stadtteilarbeitskreise(raum)
    if kreise:
        namen = ", ".join(g.name for g in kreise)
        raise StammdatenError(
            "Der Sozialraum kann nicht deaktiviert werden, solange ihm ein aktiver "
            f"Stadtteilarbeitskreis zugeordnet ist ({namen}). Bitte deaktivieren Sie "
            "zuerst den Arbeitskreis."
        )
    _set_active(raum, False, "Der Sozialraum")


def reactivate_sozialraum(raum: Sozialraum) -> None:
    """Offer the Sozialraum in selection lists again."""
    _set_active(raum, True, "Der Sozialraum")


# --------------------------------------------------------------------------- Gremium

GREMIUM_NAME_TAKEN = "Es gibt bereits ein Gremium mit diesem Namen."


def _check_gremium(
    name: str, typ: GremiumTyp, sozialraum: Sozialraum | None, exclude_id: int | None
) -> None:
    if _taken(Gremium, Gremium.name, name, exclude_id):
        raise StammdatenError(GREMIUM_NAME_TAKEN, "name")
    if typ == GremiumTyp.STADTTEILARBEITSKREIS and sozialraum is None:
        raise StammdatenError(
            "Ein Stadtteilarbeitskreis gehört zu einem Sozialraum. Bitte wählen Sie ihn aus.",
            "sozialraum_id",
        )
    if typ != GremiumTyp.STADTTEILARBEITSKREIS and sozialraum is not None:
        raise StammdatenError(
            "Nur ein Stadtteilarbeitskreis gehört zu einem Sozialraum. Bitte lassen Sie das "
            "Feld für diese Art leer.",
            "sozialraum_id",
        )


def create_gremium(
    *,
    name: str,
    typ: GremiumTyp,
    sozialraum: Sozialraum | None = None,
    beschreibung: str | None = None,
    email: str | None = None,
) -> Gremium:
    """A new active Gremium; a Stadtteilarbeitskreis needs its Sozialraum, others have none."""
    name, typ = _clean(name) or "", GremiumTyp(typ)
    _check_gremium(name, typ, sozialraum, None)
    if sozialraum is not None and not sozialraum.aktiv:
        raise StammdatenError("Dieser Sozialraum ist deaktiviert.", "sozialraum_id")
    gremium = Gremium(
        name=name,
        typ=typ,
        sozialraum_id=sozialraum.id if sozialraum else None,
        beschreibung=_clean(beschreibung),
        email=_clean(email),
    )
    db.session.add(gremium)
    _flush(GREMIUM_NAME_TAKEN, "name")
    return gremium


def update_gremium(
    gremium: Gremium,
    *,
    name: str,
    typ: GremiumTyp,
    sozialraum: Sozialraum | None,
    beschreibung: str | None,
    email: str | None,
) -> Gremium:
    """Change a Gremium's data (memberships are changed separately)."""
    name, typ = _clean(name) or "", GremiumTyp(typ)
    _check_gremium(name, typ, sozialraum, gremium.id)
    if sozialraum is not None and not sozialraum.aktiv and sozialraum.id != gremium.sozialraum_id:
        raise StammdatenError("Dieser Sozialraum ist deaktiviert.", "sozialraum_id")
    gremium.name, gremium.typ = name, typ
    gremium.sozialraum_id = sozialraum.id if sozialraum else None
    gremium.sozialraum = sozialraum
    gremium.beschreibung, gremium.email = _clean(beschreibung), _clean(email)
    _flush(GREMIUM_NAME_TAKEN, "name")
    return gremium


def deactivate_gremium(gremium: Gremium) -> None:
    """The Gremium no longer meets; its memberships stay as history."""
    _set_active(gremium, False, "Das Gremium")


def reactivate_gremium(gremium: Gremium) -> None:
    """The Gremium meets again."""
    _set_active(gremium, True, "Das Gremium")


# --------------------------------------------------------------------------- Mitgliedschaft

ALREADY_MEMBER = "Diese Person ist bereits Mitglied dieses Gremiums."


def _check_organisation_choice(organisation: Organisation | None, current_id: int | None) -> None:
    if organisation is not None and not organisation.aktiv and organisation.id != current_id:
        raise StammdatenError("Diese Organisation ist deaktiviert.", "organisation_id")


def add_mitgliedschaft(
    gremium: Gremium,
    user: User,
    funktion: Funktion,
    organisation: Organisation | None = None,
) -> Mitgliedschaft:
    """Add a person to a Gremium with a function, optionally on behalf of an organisation."""
    if not gremium.aktiv:
        raise StammdatenError(
            "Einem deaktivierten Gremium können keine Mitglieder hinzugefügt werden."
        )
    if not user.aktiv:
        raise StammdatenError("Dieses Konto ist deaktiviert.", "user_id")
    _check_organisation_choice(organisation, None)
    existing = db.session.scalar(
        select(Mitgliedschaft.id).where(
            Mitgliedschaft.gremium_id == gremium.id,
            Mitgliedschaft.user_id == user.id,
            Mitgliedschaft.aktiv,
        )
    )
    if existing is not None:
        raise StammdatenError(ALREADY_MEMBER, "user_id")
    mitgliedschaft = Mitgliedschaft(
        gremium_id=gremium.id,
        user_id=user.id,
        funktion=Funktion(funktion),
        organisation_id=organisation.id if organisation else None,
    )
    db.session.add(mitgliedschaft)
    _flush(ALREADY_MEMBER, "user_id")
    return mitgliedschaft


def update_mitgliedschaft(
    mitgliedschaft: Mitgliedschaft, *, funktion: Funktion, organisation: Organisation | None
) -> Mitgliedschaft:
    """Change the function (and the organisation the person acts for) of an active membership."""
    if not mitgliedschaft.aktiv:
        raise StammdatenError("Eine beendete Mitgliedschaft kann nicht geändert werden.")
    _check_organisation_choice(organisation, mitgliedschaft.organisation_id)
    mitgliedschaft.funktion = Funktion(funktion)
    mitgliedschaft.organisation_id = organisation.id if organisation else None
    mitgliedschaft.organisation = organisation
    db.session.flush()
    return mitgliedschaft


def end_mitgliedschaft(mitgliedschaft: Mitgliedschaft) -> None:
    """End a membership; the row stays for the history of the Gremium."""
    if not mitgliedschaft.aktiv:
        raise StammdatenError("Diese Mitgliedschaft ist bereits beendet.")
    mitgliedschaft.aktiv = False
    db.session.flush()


# --------------------------------------------------------------------------- Benutzer

EMAIL_TAKEN = "Für diese E-Mail-Adresse gibt es bereits ein Konto."


def create_user(
    *,
    email: str,
    name: str,
    organisation: Organisation | None = None,
    ist_stabsstelle: bool = False,
    invite: bool = True,
) -> User:
    """A new account without password; the invitation mail goes out after the commit."""
    email = (email or "").strip().lower()
    if find_user_by_email(email) is not None:
        raise StammdatenError(EMAIL_TAKEN, "email")
    _check_organisation_choice(organisation, None)
    user = User(
        email=email,
        name=_clean(name) or "",
        organisation_id=organisation.id if organisation else None,
        ist_stabsstelle=ist_stabsstelle,
    )
    db.session.add(user)
    _flush(EMAIL_TAKEN, "email")
    if invite:
        invite_user(user)
    return user


def is_invitation_open(user: User) -> bool:
    """The account has not been activated yet (no password set)."""
    return user.password_hash is None


def resend_invitation(user: User) -> None:
    """Mail a fresh invitation link to an active account that has not set a password yet."""
    if not user.aktiv:
        raise StammdatenError("Ein deaktiviertes Konto kann nicht eingeladen werden.")
    if not is_invitation_open(user):
        raise StammdatenError(
            "Dieses Konto ist bereits aktiviert. Die Person kann über „Passwort vergessen“ "
            "ein neues Passwort festlegen."
        )
    invite_user(user)


def update_user(
    user: User,
    *,
    name: str,
    organisation: Organisation | None,
    ist_stabsstelle: bool,
    acting_user: User | None = None,
    name_oeffentlich: bool | None = None,
) -> User:
    """Change name, organisation and the Stabsstelle flag; nobody removes their own flag.

    ``name_oeffentlich`` (None: unchanged) records an office holder's consent to be named
    in the public portal and the OParl API.
    """
    removes_own_role = user.ist_stabsstelle and not ist_stabsstelle
    if acting_user is not None and acting_user.id == user.id and removes_own_role:
        raise StammdatenError(
            "Sie können sich die Rolle Stabsstelle nicht selbst entziehen.", "ist_stabsstelle"
        )
    _check_organisation_choice(organisation, user.organisation_id)
    user.name = _clean(name) or ""
    user.organisation_id = organisation.id if organisation else None
    user.organisation = organisation
    user.ist_stabsstelle = ist_stabsstelle
    if name_oeffentlich and not user.name_oeffentlich and not holds_office(user):
        raise StammdatenError(
            "Öffentlich genannt werden nur Amtsträgerinnen und Amtsträger: Beschäftigte eines "
            "städtischen Amtes, Mitglieder von Verwaltungsvorstand, Fachausschüssen oder "
            "Planungsrunde, Vorsitz oder Moderation eines Gremiums. Private Personen nie.",
            "name_oeffentlich",
        )
    if name_oeffentlich is not None:
        user.name_oeffentlich = name_oeffentlich
    db.session.flush()
    return user


AMTSGREMIEN = (GremiumTyp.FACHAUSSCHUSS, GremiumTyp.VERWALTUNGSVORSTAND, GremiumTyp.PLANUNGSRUNDE)


def holds_office(user: User) -> bool:
    """An office holder: staff of a city office, or an active seat that is a public office."""
    if user.organisation is not None and user.organisation.art == OrganisationArt.VERWALTUNG:
        return True
    seat = (
        select(Mitgliedschaft.id)
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .where(
            Mitgliedschaft.user_id == user.id,
            Mitgliedschaft.aktiv,
            (Gremium.typ.in_(AMTSGREMIEN))
            | Mitgliedschaft.funktion.in_((Funktion.VORSITZ, Funktion.MODERATION)),
        )
    )
    return db.session.scalar(select(seat.exists())) or False


def deactivate_user(user: User, acting_user: User | None = None) -> int:
    """Lock the account: end its login sessions and its active memberships (rows stay).

    Returns the number of memberships ended.
    """
    if acting_user is not None and acting_user.id == user.id:
        raise StammdatenError("Sie können Ihr eigenes Konto nicht deaktivieren.")
    _set_active(user, False, "Das Konto")
    end_all_login_sessions(user)
    ended = db.session.execute(
        update(Mitgliedschaft)
        .where(Mitgliedschaft.user_id == user.id, Mitgliedschaft.aktiv)
        .values(aktiv=False)
        .execution_options(synchronize_session="fetch")
    )
    return ended.rowcount or 0


def reactivate_user(user: User) -> None:
    """Allow the account to log in again (memberships must be added anew)."""
    _set_active(user, True, "Das Konto")


# --------------------------------------------------------------------------- selection lists


def choices(model: Any, current_id: int | None = None, label: Callable[[Any], str] = str) -> list:
    """(id, label) pairs of active rows for a select; a deactivated current value is kept."""
    order = model.nummer if model is Sozialraum else model.name
    query = select(model).order_by(order)
    if current_id is not None:
        query = query.where(model.aktiv | (model.id == current_id))
    else:
        query = query.where(model.aktiv)
    return [
        (obj.id, label(obj) if obj.aktiv else f"{label(obj)} (deaktiviert)")
        for obj in db.session.scalars(query)
    ]
