"""Public accountability of a measure: publicity, progress and milestones (Stabsstelle)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import login_required

from app.core.permissions import require
from app.core.types import utcnow
from app.extensions import db
from app.massnahmen import services
from app.massnahmen.blueprint import bp, in_place, massnahme_or_404, render_detail
from app.massnahmen.forms import ButtonForm, MeilensteinForm, OeffentlichkeitForm
from app.massnahmen.models import Meilenstein
from app.massnahmen.services import MassnahmeError
from app.workflows.phasenregeln import PhasenFehler


def _back(massnahme_id: int):
    return redirect(
        url_for("massnahmen.detail", massnahme_id=massnahme_id, _anchor="abschnitt-oeffentlich"),
        303,
    )


def _meilenstein_or_404(massnahme_id: int, meilenstein_id: int) -> Meilenstein:
    row = db.session.get(Meilenstein, meilenstein_id)
    if row is None or row.massnahme_id != massnahme_id:
        abort(404)
    return row


@bp.route("/<int:massnahme_id>/oeffentlichkeit", methods=["POST"])
@login_required
def oeffentlichkeit(massnahme_id: int):
    """Release the measure's progress to the public portal (or not) and set the percentage."""
    massnahme = massnahme_or_404(massnahme_id)
    require("massnahme.bearbeiten", massnahme)
    form = OeffentlichkeitForm()
    if not form.validate_on_submit():
        return render_detail(massnahme, 422, oeffentlichkeit_form=form)
    try:
        services.set_oeffentlichkeit(massnahme, form.oeffentlich.data, form.fortschritt.data)
    except (MassnahmeError, PhasenFehler) as exc:
        return in_place(massnahme, exc, "oeffentlichkeit_form", form)
    db.session.commit()
    flash(
        "Die Maßnahme ist im öffentlichen Portal sichtbar."
        if massnahme.oeffentlich
        else "Die Maßnahme ist nicht öffentlich.",
        "erfolg",
    )
    return _back(massnahme_id)


@bp.route("/<int:massnahme_id>/meilensteine", methods=["POST"])
@login_required
def meilenstein_neu(massnahme_id: int):
    """Add a milestone with its target date."""
    massnahme = massnahme_or_404(massnahme_id)
    require("massnahme.bearbeiten", massnahme)
    form = MeilensteinForm(prefix="meilenstein")
    if not form.validate_on_submit():
        return render_detail(massnahme, 422, meilenstein_form=form)
    try:
        services.add_meilenstein(massnahme, form.titel.data, form.datum.data, form.erreicht_am.data)
    except (MassnahmeError, PhasenFehler) as exc:
        return in_place(massnahme, exc, "meilenstein_form", form)
    db.session.commit()
    flash("Der Meilenstein wurde hinzugefügt.", "erfolg")
    return _back(massnahme_id)


@bp.route("/<int:massnahme_id>/meilensteine/<int:meilenstein_id>/erreicht", methods=["POST"])
@login_required
def meilenstein_erreicht(massnahme_id: int, meilenstein_id: int):
    """Mark a milestone as reached today."""
    massnahme = massnahme_or_404(massnahme_id)
    require("massnahme.bearbeiten", massnahme)
    if not ButtonForm().validate_on_submit():
        abort(400)
    row = _meilenstein_or_404(massnahme_id, meilenstein_id)
    try:
        services.reach_meilenstein(row, utcnow().date())
    except (MassnahmeError, PhasenFehler) as exc:
        return in_place(massnahme, exc, "", None)
    db.session.commit()
    flash(f"Meilenstein „{row.titel}“ ist erreicht.", "erfolg")
    return _back(massnahme_id)


@bp.route("/<int:massnahme_id>/meilensteine/<int:meilenstein_id>/entfernen", methods=["POST"])
@login_required
def meilenstein_entfernen(massnahme_id: int, meilenstein_id: int):
    """Remove a milestone entered by mistake."""
    massnahme = massnahme_or_404(massnahme_id)
    require("massnahme.bearbeiten", massnahme)
    if not ButtonForm().validate_on_submit():
        abort(400)
    row = _meilenstein_or_404(massnahme_id, meilenstein_id)
    try:
        services.delete_meilenstein(row)
    except PhasenFehler as exc:
        return in_place(massnahme, exc, "", None)
    db.session.commit()
    flash("Der Meilenstein wurde entfernt.", "erfolg")
    return _back(massnahme_id)
