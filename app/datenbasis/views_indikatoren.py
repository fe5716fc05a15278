"""Indicator catalogue routes of the ``datenbasis`` blueprint."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_login import login_required
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.core.permissions import require
from app.datenbasis import charts
from app.datenbasis.forms import IndikatorForm
from app.datenbasis.models import Indikator, Indikatorwert, Richtung
from app.datenbasis.services import NotPossible, save_indikator
from app.datenbasis.views import _form_status, _get_or_none, _redirect, bp
from app.extensions import db


@bp.route("/datenbasis/indikatoren")
@login_required
def indikatoren() -> str:
    """The catalogue with how many values each indicator has and for which years."""
    require("datenbasis.ansehen")
    stats = (
        select(
            Indikatorwert.indikator_id.label("iid"),
            func.count(Indikatorwert.id).label("anzahl"),
            func.min(Indikatorwert.jahr).label("von"),
            func.max(Indikatorwert.jahr).label("bis"),
        )
        .group_by(Indikatorwert.indikator_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Indikator, stats.c.anzahl, stats.c.von, stats.c.bis)
        .outerjoin(stats, stats.c.iid == Indikator.id)
        .order_by(Indikator.name)
    ).all()
    return render_template("datenbasis/indikatoren.html", rows=rows)


@bp.route("/datenbasis/indikatoren/<int:indikator_id>")
@login_required
def indikator_detail(indikator_id: int) -> str:
    """One indicator: definition, both charts and all values."""
    require("datenbasis.ansehen")
    indikator = db.get_or_404(Indikator, indikator_id)
    values = charts.load_values([indikator.id])
    series = values.series(indikator.id)
    diagramme = [
        charts.time_series(f"indikator-{indikator.id}-zeitreihe", indikator, series),
        charts.comparison(f"indikator-{indikator.id}-vergleich", indikator, series, None),
    ]
    return render_template(
        "datenbasis/indikator_detail.html", indikator=indikator, diagramme=diagramme
    )


@bp.route("/datenbasis/indikatoren/neu", methods=["GET", "POST"])
@bp.route("/datenbasis/indikatoren/<int:indikator_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def indikator_bearbeiten(indikator_id: int | None = None) -> Response | tuple[str, int]:
    """Create or change a catalogue entry."""
    require("datenbasis.bearbeiten")
    indikator = _get_or_none(Indikator, indikator_id)
    form = IndikatorForm(obj=indikator)
    if request.method == "GET" and indikator:
        form.richtung.data = indikator.richtung.value
    if form.validate_on_submit():
        try:
            saved = _save(indikator, form)
        except NotPossible as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(f"Der Indikator „{saved.name}“ wurde gespeichert.", "erfolg")
            return _redirect("datenbasis.indikator_detail", indikator_id=saved.id)
    page = render_template("datenbasis/indikator_form.html", form=form, indikator=indikator)
    return page, _form_status(form)


def _save(indikator: Indikator | None, form: IndikatorForm) -> Indikator:
    """Save the validated form through the service (flushes, does not commit)."""
    return save_indikator(
        indikator,
        name=form.name.data,
        einheit=form.einheit.data,
        definition=form.definition.data or "",
        quelle=form.quelle.data or "",
        richtung=Richtung(form.richtung.data),
    )
