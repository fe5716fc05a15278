"""The form builder of the Stabsstelle: forms, sections, questions, preview, publish, copy."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.beteiligung import services, zyklus
from app.beteiligung.forms import AbschnittForm, AktionForm, BogenForm, FrageForm, to_local, to_utc
from app.beteiligung.models import (
    BogenAbschnitt,
    BogenFrage,
    BogenStatus,
    Rueckmeldebogen,
    Rueckmeldung,
)
from app.beteiligung.views import bogen_or_404, bp
from app.core.permissions import require
from app.extensions import db
from app.stammdaten.models import Gremium, Organisation


@bp.route("/")
@login_required
def liste():
    """All forms, newest first, with how many organisations submitted."""
    require("rueckmeldebogen.verwalten")
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
    return render_template(
        "beteiligung/liste.html", boegen=boegen, zahlen=zahlen, form=AktionForm()
    )


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


@bp.route("/<int:bogen_id>/abschnitte", methods=["POST"])
@login_required
def abschnitt_neu(bogen_id: int):
    """Append a section."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    form = AbschnittForm()
    if not form.validate_on_submit():
        return render_template(
            "beteiligung/abschnitt_form.html", form=form, bogen=bogen, abschnitt=None
        ), 422
    try:
        services.add_abschnitt(bogen, form.titel.data, form.beschreibung.data or None)
    except services.BeteiligungError as exc:
        flash(exc.message, "fehler")
        return redirect(url_for("beteiligung.bogen", bogen_id=bogen.id), 303)
    db.session.commit()
    flash(f"Der Abschnitt „{form.titel.data}“ wurde angelegt.", "erfolg")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen.id), 303)


def _abschnitt_or_404(abschnitt_id: int) -> BogenAbschnitt:
    abschnitt = db.session.get(BogenAbschnitt, abschnitt_id)
    if abschnitt is None:
        abort(404)
    return abschnitt


@bp.route("/abschnitte/<int:abschnitt_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def abschnitt_bearbeiten(abschnitt_id: int):
    """Rename a section."""
    require("rueckmeldebogen.verwalten")
    abschnitt = _abschnitt_or_404(abschnitt_id)
    form = AbschnittForm(obj=abschnitt)
    if form.validate_on_submit():
        try:
            services.update_abschnitt(abschnitt, form.titel.data, form.beschreibung.data or None)
        except services.BeteiligungError as exc:
            flash(exc.message, "fehler")
            return redirect(url_for("beteiligung.bogen", bogen_id=abschnitt.bogen_id), 303)
        db.session.commit()
        flash("Der Abschnitt wurde gespeichert.", "erfolg")
        return redirect(
            url_for(
                "beteiligung.bogen",
                bogen_id=abschnitt.bogen_id,
                _anchor=f"abschnitt-{abschnitt.id}",
            ),
            303,
        )
    status = 422 if form.is_submitted() else 200
    return render_template(
        "beteiligung/abschnitt_form.html", form=form, bogen=abschnitt.bogen, abschnitt=abschnitt
    ), status


@bp.route("/abschnitte/<int:abschnitt_id>/loeschen", methods=["POST"])
@login_required
def abschnitt_loeschen(abschnitt_id: int):
    """Remove a section with its questions."""
    require("rueckmeldebogen.verwalten")
    abschnitt = _abschnitt_or_404(abschnitt_id)
    bogen_id = abschnitt.bogen_id
    _action(lambda: services.delete_abschnitt(abschnitt), "Der Abschnitt wurde gelöscht.")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen_id), 303)


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


def _frage_data(form: FrageForm) -> dict[str, Any]:
    return {k: getattr(form, k).data for k in services.FRAGE_FELDER}


def _render_frage_form(
    form: FrageForm, abschnitt: BogenAbschnitt, frage: BogenFrage | None, status: int
):
    return render_template(
        "beteiligung/frage_form.html",
        form=form,
        abschnitt=abschnitt,
        bogen=abschnitt.bogen,
        frage=frage,
    ), status


@bp.route("/abschnitte/<int:abschnitt_id>/fragen/neu", methods=["GET", "POST"])
@login_required
def frage_neu(abschnitt_id: int):
    """Add a question of any type to a section."""
    require("rueckmeldebogen.verwalten")
    abschnitt = _abschnitt_or_404(abschnitt_id)
    if abschnitt.bogen.status != BogenStatus.ENTWURF:
        flash(
            "Der Bogen ist veröffentlicht; Fragen können nicht mehr hinzugefügt werden.", "fehler"
        )
        return redirect(url_for("beteiligung.bogen", bogen_id=abschnitt.bogen_id), 303)
    form = FrageForm()
    if not form.validate_on_submit():
        return _render_frage_form(form, abschnitt, None, 422 if form.is_submitted() else 200)
    try:
        frage = services.add_frage(abschnitt, **_frage_data(form))
    except services.BeteiligungError as exc:
        _field_error(form, exc)
        return _render_frage_form(form, abschnitt, None, 422)
    db.session.commit()
    flash(f"Die Frage „{frage.text}“ wurde hinzugefügt.", "erfolg")
    return redirect(
        url_for("beteiligung.bogen", bogen_id=abschnitt.bogen_id, _anchor=f"frage-{frage.id}"), 303
    )


def _frage_or_404(frage_id: int) -> BogenFrage:
    frage = db.session.get(BogenFrage, frage_id)
    if frage is None:
        abort(404)
    return frage


@bp.route("/fragen/<int:frage_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def frage_bearbeiten(frage_id: int):
    """Change a question."""
    require("rueckmeldebogen.verwalten")
    frage = _frage_or_404(frage_id)
    form = FrageForm(obj=frage)
    if not form.validate_on_submit():
        return _render_frage_form(form, frage.abschnitt, frage, 422 if form.is_submitted() else 200)
    try:
        services.update_frage(frage, **_frage_data(form))
    except services.BeteiligungError as exc:
        db.session.rollback()
        _field_error(form, exc)
        return _render_frage_form(form, frage.abschnitt, frage, 422)
    db.session.commit()
    flash("Die Frage wurde gespeichert.", "erfolg")
    return redirect(
        url_for(
            "beteiligung.bogen", bogen_id=frage.abschnitt.bogen_id, _anchor=f"frage-{frage.id}"
        ),
        303,
    )


@bp.route("/fragen/<int:frage_id>/loeschen", methods=["POST"])
@login_required
def frage_loeschen(frage_id: int):
    """Remove a question."""
    require("rueckmeldebogen.verwalten")
    frage = _frage_or_404(frage_id)
    bogen_id = frage.abschnitt.bogen_id
    _action(lambda: services.delete_frage(frage), "Die Frage wurde gelöscht.")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen_id), 303)


@bp.route("/fragen/<int:frage_id>/verschieben", methods=["POST"])
@login_required
def frage_verschieben(frage_id: int):
    """Move a question up or down within its section."""
    require("rueckmeldebogen.verwalten")
    frage = _frage_or_404(frage_id)
    richtung = {"hoch": -1, "runter": 1}.get(request.form.get("richtung", ""))
    if richtung is None:
        abort(400)
    _action(lambda: services.move_frage(frage, richtung), "Die Reihenfolge wurde geändert.")
    return redirect(
        url_for(
            "beteiligung.bogen", bogen_id=frage.abschnitt.bogen_id, _anchor=f"frage-{frage.id}"
        ),
        303,
    )


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
