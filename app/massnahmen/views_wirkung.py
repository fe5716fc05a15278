"""Wirkungsziele of a measure: add and remove them (Stabsstelle); shown on the measure's page."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import login_required

from app.core.permissions import require
from app.extensions import db
from app.massnahmen import wirkung
from app.massnahmen.blueprint import (
    bp,
    massnahme_or_404,
    render_detail,
    wirkungsziel_form,
)
from app.massnahmen.forms import ButtonForm, WirkungszielForm
from app.massnahmen.models import Massnahme, Wirkungsziel
from app.massnahmen.services import MassnahmeError


def _back(massnahme: Massnahme):
    return redirect(
        url_for("massnahmen.detail", massnahme_id=massnahme.id, _anchor="abschnitt-wirkung"), 303
    )


@bp.route("/<int:massnahme_id>/wirkungsziele", methods=["POST"])
@login_required
def wirkungsziel_neu(massnahme_id: int):
    """Add a target; its baseline is read from the Datenbasis."""
    require("massnahme.bearbeiten")
    massnahme = massnahme_or_404(massnahme_id)
    form = wirkungsziel_form(WirkungszielForm(prefix="ziel"))
    if not form.validate_on_submit():
        return render_detail(massnahme, 422, wirkungsziel_form=form)
    try:
        wirkung.add_wirkungsziel(
            massnahme,
            form.indikator_id.data,
            form.sozialraum_id.data,
            form.basis_jahr.data,
            form.ziel_wert.data,
            form.ziel_jahr.data,
            form.pruefen_am.data,
        )
    except MassnahmeError as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return render_detail(massnahme_or_404(massnahme_id), 422, wirkungsziel_form=form)
    db.session.commit()
    flash("Das Wirkungsziel wurde hinzugefügt.", "erfolg")
    return _back(massnahme)


@bp.route("/<int:massnahme_id>/wirkungsziele/<int:ziel_id>/entfernen", methods=["POST"])
@login_required
def wirkungsziel_entfernen(massnahme_id: int, ziel_id: int):
    """Remove a target of this measure."""
    require("massnahme.bearbeiten")
    massnahme = massnahme_or_404(massnahme_id)
    ziel = db.session.get(Wirkungsziel, ziel_id)
    if ziel is None or ziel.massnahme_id != massnahme.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    wirkung.delete_wirkungsziel(ziel)
    db.session.commit()
    flash("Das Wirkungsziel wurde entfernt.", "erfolg")
    return _back(massnahme)
