"""The form builder of the Stabsstelle: forms, addressees, dates, preview, publish, copy."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select

from app.beteiligung import services, zyklus
from app.beteiligung.blueprint import bogen_or_404, bp
from app.beteiligung.forms import AbschnittForm, AktionForm, BogenForm, to_local, to_utc
from app.beteiligung.models import (
    Rueckmeldebogen,
    Rueckmeldung,
)
from app.core.datenstand import zwischengespeichert
from app.core.permissions import require
from app.core.submissions import mit_formularfeldern
from app.extensions import db
from app.stammdaten.models import Gremium, Organisation


@bp.route("/")
@login_required
def liste():
    """All forms, newest first, with how many organisations submitted."""
    require("rueckmeldebogen.verwalten")
    inhalt = zwischengespeichert(("rueckmeldeboegen",), _liste_inhalt)
    return render_template("beteiligung/liste.html", inhalt=mit_formularfeldern(inhalt))


def _liste_inhalt() -> Markup:
    """The table of all forms (the same for everyone who manages them)."""
    boegen = db.session.scalars(
        select(Rueckmeldebogen).order_by(Rueckmeldebogen.created_at.desc())
    ).all()
    zahlen = {
        (bogen_id, status): count
        for bogen_id, status, count in db.session.execute(
            select(Rueckmeldung.bogen_id, Rueckmeldung.status, func.count()).group_by(
                Rueckmeldung.bogen_id, Rueckmeldung.status
            )
        )
    }
    return Markup(render_template("beteiligung/_liste_inhalt.html", boegen=boegen, zahlen=zahlen))


def _bogen_choices(form: BogenForm, bogen: Rueckmeldebogen | None = None) -> None:
    gremien = db.session.scalars(
        select(Gremium).where(Gremium.aktiv).order_by(Gremium.typ, Gremium.name)
    )
    form.gremium_id.choices = [("", "– kein Gremium –")] + [
        (g.id, f"{g.name} ({g.typ.label})") for g in gremien
    ]
    orgs = db.session.scalars(
        select(Organisation).where(Organisation.aktiv).order_by(Organisation.name)
    )
    form.organisation_ids.choices = [(o.id, o.name) for o in orgs]
    form.zuordnung.choices = zyklus.zuordnung_choices(bogen)


def _bogen_data(form: BogenForm) -> dict[str, Any]:
    return {
        "titel": form.titel.data,
        "einleitung": form.einleitung.data or None,
        "oeffnet_am": to_utc(form.oeffnet_am.data),
        "frist": to_utc(form.frist.data),
        "erinnerung_tage": form.erinnerung_tage.data,
        "gremium_id": form.gremium_id.data,
        **zyklus.parse_zuordnung(form.zuordnung.data),
    }


def _render_bogen_form(form: BogenForm, bogen: Rueckmeldebogen | None, status: int = 200):
    return render_template("beteiligung/bogen_form.html", form=form, bogen=bogen), status


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def neu():
    """Create a form: title, introduction, addressees, dates."""
    require("rueckmeldebogen.verwalten")
    form = BogenForm()
    _bogen_choices(form)
    if not form.validate_on_submit():
        return _render_bogen_form(form, None, 422 if form.is_submitted() else 200)
    try:
        bogen = services.create_bogen(
            current_user, form.organisation_ids.data or [], **_bogen_data(form)
        )
    except services.BeteiligungError as exc:
        _field_error(form, exc)
        return _render_bogen_form(form, None, 422)
    db.session.commit()
    flash("Der Rückmeldebogen wurde angelegt. Fügen Sie nun Abschnitte und Fragen hinzu.", "erfolg")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen.id), 303)


def _field_error(form: Any, exc: services.BeteiligungError) -> None:
    """Show a service refusal at its field (or at the top of the form)."""
    target = getattr(form, exc.field, None) if exc.field else None
    if target is not None:
        target.errors = [*target.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


@bp.route("/<int:bogen_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def bearbeiten(bogen_id: int):
    """Change title, dates (e.g. extend the deadline) and addressees."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    form = BogenForm(obj=bogen if request.method == "GET" else None)
    if request.method == "GET":
        form.oeffnet_am.data, form.frist.data = to_local(bogen.oeffnet_am), to_local(bogen.frist)
        form.organisation_ids.data = [o.id for o in bogen.organisationen]
        form.zuordnung.data = zyklus.zuordnung_value(bogen)
    _bogen_choices(form, bogen)
    if not form.validate_on_submit():
        return _render_bogen_form(form, bogen, 422 if form.is_submitted() else 200)
    try:
        services.update_bogen(bogen, form.organisation_ids.data or [], **_bogen_data(form))
    except services.BeteiligungError as exc:
        db.session.rollback()
        _field_error(form, exc)
        return _render_bogen_form(form, bogen, 422)
    db.session.commit()
    flash("Die Angaben wurden gespeichert.", "erfolg")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen.id), 303)


@bp.route("/<int:bogen_id>")
@login_required
def bogen(bogen_id: int):
    """The builder: sections and questions, addressees, actions."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    return render_template(
        "beteiligung/bogen.html",
        bogen=bogen,
        adressaten=services.adressaten(bogen),
        abschnitt_form=AbschnittForm(),
        form=AktionForm(),
    )


def _action(operation: Any, message: str) -> bool:
    """Run a button's service call after the CSRF check; German flash either way."""
    if not AktionForm().validate_on_submit():
        abort(400)
    try:
        operation()
    except services.BeteiligungError as exc:
        db.session.rollback()
        flash(exc.message, "fehler")
        return False
    db.session.commit()
    flash(message, "erfolg")
    return True


@bp.route("/<int:bogen_id>/vorschau")
@login_required
def vorschau(bogen_id: int):
    """The form as the organisations will see it, without sending."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    return render_template("beteiligung/vorschau.html", bogen=bogen, raeume=services.sozialraeume())


@bp.route("/<int:bogen_id>/veroeffentlichen", methods=["POST"])
@login_required
def veroeffentlichen(bogen_id: int):
    """Publish: answer rows for every addressee, invitations by mail."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    _action(
        lambda: services.publish_bogen(bogen),
        "Der Bogen wurde veröffentlicht. Die Einladungen werden versendet, sobald er geöffnet ist.",
    )
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen.id), 303)


@bp.route("/<int:bogen_id>/kopieren", methods=["POST"])
@login_required
def kopieren(bogen_id: int):
    """Copy a form (e.g. from an earlier cycle) as a new one in preparation."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    if not AktionForm().validate_on_submit():
        abort(400)
    kopie = services.copy_bogen(bogen, current_user)
    db.session.commit()
    flash("Die Kopie wurde angelegt. Bitte prüfen Sie Titel, Termine und Adressaten.", "erfolg")
    return redirect(url_for("beteiligung.bearbeiten", bogen_id=kopie.id), 303)
