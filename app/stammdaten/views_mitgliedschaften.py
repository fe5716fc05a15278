"""Membership routes of the ``stammdaten`` blueprint: add, change (also the seat's
Stellvertretung) and end memberships."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from app.auth.models import User
from app.core.permissions import require
from app.extensions import db
from app.stammdaten import services
from app.stammdaten.blueprint import (
    Page,
    blank,
    bp,
    confirm,
    get_or_none,
    invalid_status,
    load,
    render,
    save,
    save_form,
    user_label,
)
from app.stammdaten.forms import MitgliedHinzufuegenForm, MitgliedschaftForm
from app.stammdaten.models import Mitgliedschaft, Organisation
from app.stammdaten.views_gremien import add_member_choices, detail_url, gremium_page, load_gremium


@bp.route("/gremien/<int:gremium_id>/mitglieder", methods=["POST"])
@login_required
def mitglied_hinzufuegen(gremium_id: int) -> Page | Response:
    """Add a person with a function, optionally on behalf of an organisation."""
    gremium = load_gremium(gremium_id)
    require("mitgliedschaft.bearbeiten", gremium)
    form = MitgliedHinzufuegenForm()
    add_member_choices(form, gremium, include_members=True)
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        saved = save(
            form,
            lambda: services.add_mitgliedschaft(
                gremium,
                user,
                form.funktion.data,
                get_or_none(Organisation, form.organisation_id.data),
            ),
        )
        if saved is not None:
            flash(f"{user.name} wurde als {saved.funktion.label} hinzugefügt.", "erfolg")
            return redirect(detail_url(gremium.id), 303)
        gremium = load_gremium(gremium_id)
    return gremium_page(gremium, form, 400)


def _load_mitgliedschaft(mitgliedschaft_id: int) -> Mitgliedschaft:
    """The membership with Gremium, person, organisation and Stellvertretung, or 404."""
    return load(
        Mitgliedschaft,
        mitgliedschaft_id,
        joinedload(Mitgliedschaft.gremium),
        joinedload(Mitgliedschaft.user),
        joinedload(Mitgliedschaft.organisation),
        joinedload(Mitgliedschaft.stellvertretung),
    )


def _stellvertretung_choices(form: MitgliedschaftForm, mitgliedschaft: Mitgliedschaft) -> None:
    """Active people other than the member, "keine" first."""
    users = db.session.scalars(
        select(User).where(User.aktiv, User.id != mitgliedschaft.user_id).order_by(User.name)
    ).all()
    form.stellvertretung_id.choices = blank([(u.id, user_label(u)) for u in users])


@bp.route("/mitgliedschaften/<int:mitgliedschaft_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def mitgliedschaft_bearbeiten(mitgliedschaft_id: int) -> Page | Response:
    """Change the function, the organisation or the Stellvertretung of an active membership."""
    mitgliedschaft = _load_mitgliedschaft(mitgliedschaft_id)
    require("mitgliedschaft.bearbeiten", mitgliedschaft.gremium)
    if not mitgliedschaft.aktiv:
        abort(404)
    form = MitgliedschaftForm(obj=mitgliedschaft)
    form.organisation_id.choices = blank(
        services.choices(Organisation, mitgliedschaft.organisation_id)
    )
    _stellvertretung_choices(form, mitgliedschaft)
    done = save_form(
        form,
        lambda: services.update_mitgliedschaft(
            mitgliedschaft,
            funktion=form.funktion.data,
            organisation=get_or_none(Organisation, form.organisation_id.data),
            stellvertretung=get_or_none(User, form.stellvertretung_id.data),
        ),
        erfolg=lambda _: f"Die Mitgliedschaft von {mitgliedschaft.user.name} wurde geändert.",
        ziel=lambda _: detail_url(mitgliedschaft.gremium_id),
    )
    if done is not None:
        return done
    return render(
        "mitgliedschaft_form.html",
        "gremien",
        invalid_status(),
        form=form,
        mitgliedschaft=mitgliedschaft,
    )


@bp.route("/mitgliedschaften/<int:mitgliedschaft_id>/beenden", methods=["GET", "POST"])
@login_required
def mitgliedschaft_beenden(mitgliedschaft_id: int) -> Page | Response:
    """End a membership after confirmation; it stays visible as a former one."""
    mitgliedschaft = _load_mitgliedschaft(mitgliedschaft_id)
    require("mitgliedschaft.bearbeiten", mitgliedschaft.gremium)
    name, gremium = mitgliedschaft.user.name, mitgliedschaft.gremium
    return confirm(
        titel=f"Mitgliedschaft von {name} beenden",
        frage=f"Soll die Mitgliedschaft von {name} im Gremium „{gremium.name}“ beendet werden?",
        hinweis="Die Person erhält keine Einladungen dieses Gremiums mehr. Die Mitgliedschaft "
        "bleibt als frühere Mitgliedschaft sichtbar.",
        knopf="Mitgliedschaft beenden",
        gefahr=True,
        zurueck=detail_url(gremium.id),
        action=lambda: services.end_mitgliedschaft(mitgliedschaft),
        erfolg=f"Die Mitgliedschaft von {name} wurde beendet.",
        bereich="gremien",
    )
