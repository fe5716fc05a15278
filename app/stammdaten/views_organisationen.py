"""Organisation routes of the ``stammdaten`` blueprint: list, create, show, edit, (de)activate."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.models import User
from app.core.permissions import can, require
from app.core.seiten import blaettern
from app.extensions import db
from app.stammdaten import services
from app.stammdaten.blueprint import (
    Page,
    bp,
    confirm_status,
    count_by,
    invalid_status,
    load,
    render,
    save_form,
)
from app.stammdaten.forms import ConfirmForm, OrganisationContactForm, OrganisationForm
from app.stammdaten.models import Organisation

DEAKTIVIEREN_HINWEIS = (
    "Sie wird in Auswahllisten nicht mehr angeboten. Konten, Mitgliedschaften und "
    "bisherige Rückmeldungen bleiben erhalten. Sie können die Organisation später wieder "
    "aktivieren."
)


def _detail_url(org: Organisation) -> str:
    """The organisation's detail page."""
    return url_for("stammdaten.organisation_detail", organisation_id=org.id)


@bp.route("/organisationen")
@login_required
def organisationen() -> Page:
    """All organisations, deactivated ones marked, with the number of active accounts."""
    require("stammdaten.verwalten")
    blatt = blaettern(
        select(Organisation).order_by(Organisation.aktiv.desc(), Organisation.name, Organisation.id)
    )
    ids = [o.id for o in blatt.eintraege]
    user_counts = count_by(User.organisation_id, User.aktiv, User.organisation_id.in_(ids))
    return render(
        "organisationen.html",
        "organisationen",
        organisationen=blatt.eintraege,
        blatt=blatt,
        user_counts=user_counts,
    )


@bp.route("/organisationen/neu", methods=["GET", "POST"])
@login_required
def organisation_neu() -> Page | Response:
    """Create an organisation."""
    require("organisation.anlegen")
    form = OrganisationForm()
    done = save_form(
        form,
        lambda: services.create_organisation(
            name=form.name.data,
            art=form.art.data,
            kurzname=form.kurzname.data,
            email=form.email.data,
        ),
        erfolg=lambda org: f"Die Organisation „{org.name}“ wurde angelegt.",
        ziel=_detail_url,
    )
    if done is not None:
        return done
    return render(
        "organisation_form.html",
        "organisationen",
        invalid_status(),
        form=form,
        organisation=None,
        voll=True,
    )


def _organisation_page(org: Organisation, bereich: str | None) -> Page:
    """An organisation's detail page; accounts only for those who manage accounts."""
    users = []
    if can(current_user, "benutzer.verwalten"):
        users = db.session.scalars(
            select(User)
            .where(User.organisation_id == org.id)
            .order_by(User.aktiv.desc(), User.name)
        ).all()
    return render(
        "organisation_detail.html", bereich, organisation=org, users=users, form=ConfirmForm()
    )


@bp.route("/organisationen/<int:organisation_id>")
@login_required
def organisation_detail(organisation_id: int) -> Page:
    """An organisation's data; the Stabsstelle also sees its accounts."""
    org = load(Organisation, organisation_id)
    require("organisation.ansehen", org)
    return _organisation_page(org, "organisationen")


@bp.route("/meine-organisation")
@login_required
def meine_organisation() -> Page:
    """The organisation the current user works for."""
    require("organisation.eigene")
    org = load(Organisation, current_user.organisation_id)
    require("organisation.ansehen", org)
    return _organisation_page(org, None)


def _update(org: Organisation, form: OrganisationForm, voll: bool) -> Organisation:
    """Save everything (Stabsstelle) or only the contact data (own organisation)."""
    if voll:
        return services.update_organisation(
            org,
            name=form.name.data,
            art=form.art.data,
            kurzname=form.kurzname.data,
            email=form.email.data,
        )
    return services.update_organisation_contact(
        org, kurzname=form.kurzname.data, email=form.email.data
    )


def _after_edit_url(org: Organisation) -> str:
    """The Stabsstelle returns to the detail page, staff to their own organisation."""
    if can(current_user, "stammdaten.verwalten"):
        return _detail_url(org)
    return url_for("stammdaten.meine_organisation")


@bp.route("/organisationen/<int:organisation_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def organisation_bearbeiten(organisation_id: int) -> Page | Response:
    """The Stabsstelle edits everything; staff edit the contact data of their own organisation."""
    org = load(Organisation, organisation_id)
    require("organisation.bearbeiten", org)
    voll = can(current_user, "organisation.verwalten", org)
    form = (OrganisationForm if voll else OrganisationContactForm)(obj=org)
    done = save_form(
        form,
        lambda: _update(org, form, voll),
        erfolg=lambda _: "Die Angaben zur Organisation wurden gespeichert.",
        ziel=lambda _: _after_edit_url(org),
    )
    if done is not None:
        return done
    return render(
        "organisation_form.html",
        "organisationen" if voll else None,
        invalid_status(),
        form=form,
        organisation=org,
        voll=voll,
    )


def _statuswechsel(organisation_id: int, aktivieren: bool) -> Page | Response:
    """Confirm and (de)activate an organisation."""
    org = load(Organisation, organisation_id)
    require("organisation.verwalten", org)
    wechsel = services.reactivate_organisation if aktivieren else services.deactivate_organisation
    return confirm_status(
        aktivieren=aktivieren,
        artikel="die",
        nomen="Organisation",
        bezeichnung=f"Organisation „{org.name}“",
        hinweis=None if aktivieren else DEAKTIVIEREN_HINWEIS,
        zurueck=_detail_url(org),
        action=lambda: wechsel(org),
        bereich="organisationen",
    )


@bp.route("/organisationen/<int:organisation_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def organisation_deaktivieren(organisation_id: int) -> Page | Response:
    """Deactivate an organisation after confirmation."""
    return _statuswechsel(organisation_id, aktivieren=False)


@bp.route("/organisationen/<int:organisation_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def organisation_reaktivieren(organisation_id: int) -> Page | Response:
    """Reactivate an organisation after confirmation."""
    return _statuswechsel(organisation_id, aktivieren=True)
