"""Organisations (Träger, Verwaltung, …): create, change, contact, deactivate."""

from __future__ import annotations

from app.extensions import db
from app.stammdaten.grundlagen import StammdatenError, _clean, _flush, _set_active, _taken
from app.stammdaten.models import (
    Organisation,
    OrganisationArt,
)

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
