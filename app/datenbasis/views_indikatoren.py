"""Indicator catalogue routes of the ``datenbasis`` blueprint."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.core.forms import options
from app.core.permissions import require
from app.datenbasis import charts
from app.datenbasis.blueprint import _form_status, _get_or_none, _redirect, bp
from app.datenbasis.forms import IndikatorForm
from app.datenbasis.models import Indikator, Indikatorwert, Richtung, indikator_planungsfeld
from app.datenbasis.services import NotPossible, save_indikator
from app.datenbasis.zeitraum import zeitraum
from app.extensions import db
from app.planungsfelder import services as felder


@bp.route("/datenbasis/indikatoren")
@login_required
def indikatoren() -> str:
    """The catalogue with how many values each indicator has and for which years."""
    require("datenbasis.ansehen")
    feld = felder.by_schluessel(request.args.get("feld"))
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
    query = (
        select(Indikator, stats.c.anzahl, stats.c.von, stats.c.bis)
        .outerjoin(stats, stats.c.iid == Indikator.id)
        .options(selectinload(Indikator.planungsfelder))
        .order_by(Indikator.name)
    )
    if feld is not None:
        query = query.where(
            felder.tagged_with(Indikator.id, indikator_planungsfeld, "indikator_id", feld.id)
        )
    return render_template(
        "datenbasis/indikatoren.html",
        rows=db.session.execute(query).all(),
        felder=felder.active_felder(),
        feld=feld,
    )


@bp.route("/datenbasis/indikatoren/<int:indikator_id>")
@login_required
def indikator_detail(indikator_id: int) -> tuple[str, int]:
    """One indicator: definition and both charts of the chosen period (all values: download)."""
    require("datenbasis.ansehen")
    indikator = db.get_or_404(Indikator, indikator_id)
    periode = zeitraum([indikator.id])
    series = charts.load_values([indikator.id], periode.jahre).series(indikator.id)
    diagramme = [
        charts.time_series(f"indikator-{indikator.id}-zeitreihe", indikator, series),
        charts.comparison(f"indikator-{indikator.id}-vergleich", indikator, series, None),
    ]
    html = render_template(
        "datenbasis/indikator_detail.html",
        indikator=indikator,
        diagramme=diagramme,
        zeitraum=periode,
    )
    return html, 400 if periode.ungueltig else 200


@bp.route("/datenbasis/indikatoren/neu", methods=["GET", "POST"])
@bp.route("/datenbasis/indikatoren/<int:indikator_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def indikator_bearbeiten(indikator_id: int | None = None) -> Response | tuple[str, int]:
    """Create or change a catalogue entry."""
    require("datenbasis.bearbeiten")
    indikator = _get_or_none(Indikator, indikator_id)
    form = IndikatorForm(obj=indikator)
    form.planungsfelder.choices = options(
        felder.form_choices(indikator.planungsfelder if indikator else [])
    )
    if request.method == "GET" and indikator:
        form.richtung.data = indikator.richtung.value
        form.planungsfelder.data = [f.id for f in indikator.planungsfelder]
    if form.validate_on_submit():
        try:
            saved = _save(indikator, form)
        except (NotPossible, felder.PlanungsfeldError) as exc:
            db.session.rollback()
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
        planungsfelder=felder.resolve(form.planungsfelder.data),
    )
