"""Accounts and memberships: invite, change, deactivate; who holds an office."""

from __future__ import annotations

from sqlalchemy import select, update

from app.auth.models import User
from app.auth.services import end_all_login_sessions, find_user_by_email, invite_user
from app.extensions import db
from app.stammdaten.grundlagen import StammdatenError, _clean, _flush, _set_active
from app.stammdaten.models import (
    Funktion,
    Gremium,
    GremiumTyp,
    Mitgliedschaft,
    Organisation,
    OrganisationArt,
)

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


def _check_stellvertretung(mitgliedschaft: Mitgliedschaft, stellvertretung: User | None) -> None:
    """A deputy is another person with an active account."""
    if stellvertretung is None:
        return
    if stellvertretung.id == mitgliedschaft.user_id:
        raise StammdatenError(
            "Die Stellvertretung muss eine andere Person als das Mitglied sein.",
            "stellvertretung_id",
        )
    if not stellvertretung.aktiv:
        raise StammdatenError(
            "Dieses Konto ist deaktiviert und kann keine Stellvertretung übernehmen.",
            "stellvertretung_id",
        )


def update_mitgliedschaft(
    mitgliedschaft: Mitgliedschaft,
    *,
    funktion: Funktion,
    organisation: Organisation | None,
    stellvertretung: User | None,
) -> Mitgliedschaft:
    """Change the function, the organisation the person acts for and the seat's
    Stellvertretung (None: none) of an active membership."""
    if not mitgliedschaft.aktiv:
        raise StammdatenError("Eine beendete Mitgliedschaft kann nicht geändert werden.")
    _check_organisation_choice(organisation, mitgliedschaft.organisation_id)
    _check_stellvertretung(mitgliedschaft, stellvertretung)
    mitgliedschaft.funktion = Funktion(funktion)
    mitgliedschaft.organisation_id = organisation.id if organisation else None
    mitgliedschaft.organisation = organisation
    mitgliedschaft.stellvertretung_id = stellvertretung.id if stellvertretung else None
    mitgliedschaft.stellvertretung = stellvertretung
    db.session.flush()
    return mitgliedschaft


def end_stellvertretungen(user: User) -> int:
    """The person no longer deputises any seat (account deactivated or deleted)."""
    ended = db.session.execute(
        update(Mitgliedschaft)
        .where(Mitgliedschaft.stellvertretung_id == user.id)
        .values(stellvertretung_id=None)
        .execution_options(synchronize_session="fetch")
    )
    return ended.rowcount or 0


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


GELOESCHT = "Dieses Konto wurde gelöscht (DSGVO); es kann nicht mehr geändert werden."


def _refuse_deleted(user: User) -> None:
    """A deleted account keeps only its pseudonym; nobody brings it back."""
    if getattr(user, "geloescht_at", None) is not None:
        raise StammdatenError(GELOESCHT)


def resend_invitation(user: User) -> None:
    """Mail a fresh invitation link to an active account that has not set a password yet."""
    _refuse_deleted(user)
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
    _refuse_deleted(user)
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
    """Lock the account: end its login sessions and its active memberships (rows stay) and
    remove it as Stellvertretung everywhere.

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
    end_stellvertretungen(user)
    return ended.rowcount or 0


def reactivate_user(user: User) -> None:
    """Allow the account to log in again (memberships must be added anew)."""
    _refuse_deleted(user)
    _set_active(user, True, "Das Konto")
