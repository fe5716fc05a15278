"""Indicator catalogue routes of the ``datenbasis`` blueprint."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.core.datenstand import zwischengespeichert
from app.core.forms import options
from app.core.permissions import can, require
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
    bearbeiten = can(current_user, "datenbasis.bearbeiten")
    key = ("indikatoren", tuple(sorted(request.args.items(multi=True))), bearbeiten)
    inhalt = zwischengespeichert(key, _indikatoren_inhalt)
    return render_template("datenbasis/indikatoren.html", inhalt=inhalt)


def _indikatoren_inhalt() -> Markup:
    """Actions, the GET field filter and the catalogue table (no tokens inside)."""
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
    return Markup(
        render_template(
            "datenbasis/_indikatoren_inhalt.html",
            rows=db.session.execute(query).all(),
            felder=felder.active_felder(),
            feld=feld,
        )
    )


@dataclass(frozen=True)
class IndikatorSeite:
    """The indicator page's title and form-free content (the period form is a GET form)."""

    titel: str
    inhalt: Markup
    ungueltig: bool


@bp.route("/datenbasis/indikatoren/<int:indikator_id>")
@login_required
def indikator_detail(indikator_id: int) -> tuple[str, int]:
    """One indicator: definition and both charts of the chosen period (all values: download)."""
    require("datenbasis.ansehen")
    leser = (can(current_user, "datenbasis.bearbeiten"), can(current_user, "audit.ansehen"))
    key = ("indikator", indikator_id, tuple(sorted(request.args.items(multi=True))), *leser)
    seite = zwischengespeichert(key, lambda: _indikator_seite(indikator_id))
    if seite is None:
        abort(404)
    html = render_template("datenbasis/indikator_detail.html", seite=seite)
    return html, 400 if seite.ungueltig else 200


def _indikator_seite(indikator_id: int) -> IndikatorSeite | None:
    """Definition, period control, both charts and the history (None: no such indicator)."""
    indikator = db.session.get(Indikator, indikator_id)
    if indikator is None:
        return None
    periode = zeitraum([indikator.id])
    series = charts.load_values([indikator.id], periode.jahre).series(indikator.id)
    diagramme = [
        charts.time_series(f"indikator-{indikator.id}-zeitreihe", indikator, series),
        charts.comparison(f"indikator-{indikator.id}-vergleich", indikator, series, None),
    ]
    inhalt = render_template(
        "datenbasis/_indikator_inhalt.html",
        indikator=indikator,
        diagramme=diagramme,
        zeitraum=periode,
    )
    return IndikatorSeite(indikator.name, Markup(inhalt), periode.ungueltig)


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
