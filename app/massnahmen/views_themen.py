"""Themen for the Stadtteilarbeitskreise: create, edit, delete – only while the Planungsrunde
collects them (phase flag ``themen_sammeln``); outside, the form explains why (409)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.forms import options
from app.core.permissions import require
from app.extensions import db
from app.massnahmen import services
from app.massnahmen.blueprint import bp, zyklus_or_404
from app.massnahmen.forms import ButtonForm, ThemaForm
from app.massnahmen.models import Thema
from app.massnahmen.services import MassnahmeError
from app.massnahmen.views_bearbeiten import _sozialraum_options
from app.planungsfelder import services as planungsfelder
from app.workflows.models import Zyklus
from app.workflows.phasenregeln import PhasenFehler, phase_sperre

FLAG = "themen_sammeln"


def thema_or_404(thema_id: int) -> Thema:
    thema = db.session.scalar(
        select(Thema)
        .options(
            joinedload(Thema.zyklus),
            selectinload(Thema.gremien),
            selectinload(Thema.planungsfelder),
        )
        .where(Thema.id == thema_id)
    )
    if thema is None:
        abort(404)
    return thema


def _back(zyklus_id: int):
    return redirect(
        url_for("massnahmen.zyklus", zyklus_id=zyklus_id, _anchor="abschnitt-themen"), 303
    )


def _form(thema: Thema | None) -> ThemaForm:
    if request.method == "POST" or thema is None:
        form = ThemaForm()
    else:
        form = ThemaForm(
            obj=thema,
            data={
                "gremien": [g.id for g in thema.gremien],
                "planungsfelder": [f.id for f in thema.planungsfelder],
            },
        )
    form.sozialraum_id.choices = _sozialraum_options()
    form.gremien.choices = options([(g.id, g.name) for g in services.stadtteilarbeitskreise()])
    form.planungsfelder.choices = options(
        planungsfelder.form_choices(thema.planungsfelder if thema else [])
    )
    return form


def _page(form: ThemaForm, zyklus: Zyklus, thema: Thema | None, code: int):
    return render_template(
        "massnahmen/thema_form.html",
        form=form,
        zyklus=zyklus,
        thema=thema,
        sperre=phase_sperre(zyklus, FLAG),
    ), code


def _save(zyklus: Zyklus, thema: Thema | None):
    form = _form(thema)
    if not form.validate_on_submit():
        return _page(form, zyklus, thema, 422 if request.method == "POST" else 200)
    gewaehlt = [g for g in services.stadtteilarbeitskreise() if g.id in (form.gremien.data or [])]
    try:
        felder = planungsfelder.resolve(form.planungsfelder.data)
        services.save_thema(thema, zyklus.id, form.data, gewaehlt, current_user, felder)
    except (PhasenFehler, MassnahmeError, planungsfelder.PlanungsfeldError) as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return _page(form, zyklus, thema, exc.status_code)
    db.session.commit()
    flash(f"Das Thema „{form.titel.data}“ wurde gespeichert.", "erfolg")
    return _back(zyklus.id)


@bp.route("/zyklus/<int:zyklus_id>/themen/neu", methods=["GET", "POST"])
@login_required
def thema_neu(zyklus_id: int):
    """A topic for the Stadtteilarbeitskreise, assigned to one or more of them."""
    require("thema.bearbeiten")
    return _save(zyklus_or_404(zyklus_id), None)


@bp.route("/themen/<int:thema_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def thema_bearbeiten(thema_id: int):
    """Change a topic's text, Sozialraum, Planungsfelder and Stadtteilarbeitskreise."""
    require("thema.bearbeiten")
    thema = thema_or_404(thema_id)
    return _save(thema.zyklus, thema)


@bp.route("/themen/<int:thema_id>/loeschen", methods=["GET", "POST"])
@login_required
def thema_loeschen(thema_id: int):
    """Ask, then delete a topic (with its assignments)."""
    require("thema.bearbeiten")
    thema = thema_or_404(thema_id)
    form = ButtonForm()
    sperre = phase_sperre(thema.zyklus, FLAG)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        zyklus_id, titel = thema.zyklus_id, thema.titel
        try:
            services.delete_thema(thema)
        except PhasenFehler as exc:
            db.session.rollback()
            return render_template(
                "massnahmen/thema_loeschen.html", thema=thema, form=form, sperre=exc.message
            ), exc.status_code
        db.session.commit()
        flash(f"Das Thema „{titel}“ wurde gelöscht.", "erfolg")
        return _back(zyklus_id)
    return render_template("massnahmen/thema_loeschen.html", thema=thema, form=form, sperre=sperre)
