"""The Stabsstelle's actions on one impulse: status move, answer, publication."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.core.errors import german_abort
from app.core.forms import options
from app.core.permissions import require
from app.extensions import db
from app.impulse import services
from app.impulse.blueprint import bp, felder_form, impuls_or_404, render_detail, status_form
from app.impulse.forms import AntwortForm, ButtonForm
from app.impulse.models import ImpulsStatus
from app.impulse.services import ImpulsError
from app.planungsfelder.services import PlanungsfeldError, resolve


def _refused(exc: ImpulsError) -> None:
    db.session.rollback()
    german_abort(exc.status_code, exc.message)


def _back(impuls_id: int):
    return redirect(url_for("impulse.detail", impuls_id=impuls_id), 303)


@bp.route("/<int:impuls_id>/status", methods=["POST"])
@login_required
def status(impuls_id: int):
    """Move the status along a declared move; illegal moves: 409, nothing changes."""
    impuls = impuls_or_404(impuls_id)
    require("impuls.verwalten", impuls)
    form = status_form(impuls, request.form)
    form.nach.choices = options([(s.value, s.label) for s in ImpulsStatus])
    if not form.validate_on_submit():
        form.nach.choices = status_form(impuls).nach.choices
        return render_detail(impuls, 400, status_form=form)
    try:
        locked = services.lock_impuls(impuls.id)
        services.change_status(
            locked,
            form.nach.data,
            current_user,
            form.begruendung.data,
            erwartet=form.erwartet.data or None,
        )
    except ImpulsError as exc:
        _refused(exc)
    db.session.commit()
    flash(f"Neuer Status: {ImpulsStatus(form.nach.data).label}.", "erfolg")
    return _back(impuls_id)


@bp.route("/<int:impuls_id>/planungsfelder", methods=["POST"])
@login_required
def planungsfelder(impuls_id: int):
    """File the impulse under planning fields (lists and the overview filter by them)."""
    impuls = impuls_or_404(impuls_id)
    require("impuls.verwalten", impuls)
    form = felder_form(impuls, request.form)
    if not form.validate_on_submit():
        return render_detail(impuls, 422, felder_form=form)
    try:
        services.set_planungsfelder(impuls, resolve(form.planungsfelder.data))
    except PlanungsfeldError as exc:
        db.session.rollback()
        german_abort(400, exc.message)
    db.session.commit()
    flash("Die Planungsfelder wurden gespeichert.", "erfolg")
    return _back(impuls_id)


@bp.route("/<int:impuls_id>/antwort", methods=["POST"])
@login_required
def antwort(impuls_id: int):
    """Save the official answer (not yet visible to the source Gremium)."""
    impuls = impuls_or_404(impuls_id)
    require("impuls.verwalten", impuls)
    form = AntwortForm()
    if not form.validate_on_submit():
        return render_detail(impuls, 422, antwort_form=form)
    services.write_answer(impuls, form.antwort.data)
    db.session.commit()
    flash("Die Antwort wurde gespeichert. Sie ist noch nicht veröffentlicht.", "erfolg")
    return _back(impuls_id)


@bp.route("/<int:impuls_id>/veroeffentlichen", methods=["POST"])
@login_required
def veroeffentlichen(impuls_id: int):
    """Publish the answer; the source Gremium's members are told."""
    impuls = impuls_or_404(impuls_id)
    require("impuls.verwalten", impuls)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.publish_answer(impuls, current_user)
    except ImpulsError as exc:
        _refused(exc)
    db.session.commit()
    flash("Die Antwort ist veröffentlicht.", "erfolg")
    return _back(impuls_id)


@bp.route("/<int:impuls_id>/oeffentlich", methods=["POST"])
@login_required
def oeffentlich(impuls_id: int):
    """Show the impulse and its published answer in the public portal, or take it back."""
    impuls = impuls_or_404(impuls_id)
    require("impuls.verwalten", impuls)
    if not ButtonForm().validate_on_submit():
        abort(400)
    wert = request.form.get("wert") == "1"
    services.set_oeffentlich(impuls, wert)
    db.session.commit()
    flash(
        "Der Impuls ist jetzt im öffentlichen Portal sichtbar."
        if wert
        else "Der Impuls ist nicht mehr öffentlich.",
        "erfolg",
    )
    return _back(impuls_id)
