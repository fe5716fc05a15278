"""Blueprint ``planungsfelder``: the matrix Sozialraum × Planungsfeld and the field list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.core.errors import render_error
from app.core.forms import options
from app.core.navigation import nav_entry
from app.core.permissions import require
from app.extensions import db
from app.planungsfelder import beitraege, services
from app.planungsfelder.forms import ButtonForm, PlanungsfeldForm, ZyklusWahlForm
from app.planungsfelder.models import Planungsfeld
from app.planungsfelder.services import PlanungsfeldError
from app.stammdaten.models import Sozialraum
from app.workflows.models import Phase, Zyklus

bp = Blueprint("planungsfelder", __name__, url_prefix="/planungsfelder")
nav_entry("Planungsfelder", "planungsfelder.uebersicht", "planungsfelder.uebersicht", order=35)


def _zyklus_wahl() -> tuple[ZyklusWahlForm, Zyklus | None]:
    """The chosen cycle, by default the newest unfinished one."""
    zyklen = list(
        db.session.scalars(select(Zyklus).order_by(Zyklus.beginn.desc(), Zyklus.id.desc()))
    )
    form = ZyklusWahlForm(request.args)
    form.zyklus.choices = options([(z.id, z.titel) for z in zyklen], "– keiner –")
    if request.args.get("zyklus") is not None:
        if not form.validate():
            abort(400)
        return form, next((z for z in zyklen if z.id == form.zyklus.data), None)
    laufend = [z for z in zyklen if z.phase != Phase.ABGESCHLOSSEN]
    gewaehlt = (laufend or zyklen or [None])[0]
    form.zyklus.data = gewaehlt.id if gewaehlt else None
    return form, gewaehlt


def _raeume() -> list[tuple[int, str]]:
    """Active Sozialräume in their order, then the whole city."""
    rows = db.session.execute(
        select(Sozialraum.id, Sozialraum.name).where(Sozialraum.aktiv).order_by(Sozialraum.nummer)
    )
    return [*((rid, name) for rid, name in rows), (beitraege.GESAMTSTADT, "Gesamte Stadt")]


@bp.route("/")
@login_required
def uebersicht() -> str:
    """Per Sozialraum, how many items each field contributes (one query per source)."""
    require("planungsfelder.uebersicht")
    form, zyklus = _zyklus_wahl()
    return render_template(
        "planungsfelder/uebersicht.html",
        form=form,
        zyklus=zyklus,
        felder=services.active_felder(),
        raeume=_raeume(),
        matrix=beitraege.collect(zyklus.id if zyklus else None),
        quellen=beitraege.quellen(),
    )


@bp.route("/sozialraum/<int:raum_key>")
@login_required
def sozialraum(raum_key: int) -> str:
    """One Sozialraum (0 = the whole city): every field with what it contributes there."""
    require("planungsfelder.uebersicht")
    name = dict(_raeume()).get(raum_key)
    if name is None:
        abort(404)
    form, zyklus = _zyklus_wahl()
    return render_template(
        "planungsfelder/sozialraum.html",
        form=form,
        zyklus=zyklus,
        raum_key=raum_key,
        raum_name=name,
        felder=services.active_felder(),
        matrix=beitraege.collect(zyklus.id if zyklus else None),
        quellen=beitraege.quellen(),
    )


# --------------------------------------------------------------------------- administration


@bp.route("/verwalten")
@login_required
def liste() -> str:
    """All fields, the three of the Stabsstelle first."""
    require("planungsfeld.verwalten")
    return render_template(
        "planungsfelder/liste.html", felder=services.all_felder(), button=ButtonForm()
    )


@bp.route("/verwalten/neu", methods=["GET", "POST"])
@bp.route("/verwalten/<int:feld_id>", methods=["GET", "POST"])
@login_required
def bearbeiten(feld_id: int | None = None) -> Response | tuple[str, int]:
    """Add a further field (e.g. Wohnen) or rename one."""
    require("planungsfeld.verwalten")
    feld = db.get_or_404(Planungsfeld, feld_id) if feld_id else None
    form = PlanungsfeldForm(obj=feld)
    if form.validate_on_submit():
        try:
            saved = services.save_planungsfeld(
                feld,
                name=form.name.data,
                beschreibung=form.beschreibung.data,
                position=form.position.data,
            )
        except PlanungsfeldError as exc:
            db.session.rollback()
            form.name.errors = [*form.name.errors, exc.message]
        else:
            db.session.commit()
            flash(f"Das Planungsfeld „{saved.name}“ wurde gespeichert.", "erfolg")
            return redirect(url_for("planungsfelder.liste"), 303)
    page = render_template("planungsfelder/form.html", form=form, feld=feld)
    return page, 422 if form.errors else 200


@bp.route("/verwalten/<int:feld_id>/<any(aktivieren, deaktivieren):aktion>", methods=["POST"])
@login_required
def aktiv(feld_id: int, aktion: str) -> Response | tuple[str, int]:
    """Switch a further field off (kept on tagged rows) or on again."""
    require("planungsfeld.verwalten")
    feld = db.get_or_404(Planungsfeld, feld_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.set_aktiv(feld, aktion == "aktivieren")
    except PlanungsfeldError as exc:
        db.session.rollback()
        return render_error(409, exc.message)
    db.session.commit()
    zustand = "aktiv" if feld.aktiv else "deaktiviert"
    flash(f"Das Planungsfeld „{feld.name}“ ist jetzt {zustand}.", "erfolg")
    return redirect(url_for("planungsfelder.liste"), 303)
