"""Blueprint ``rundschreiben``: write (Stabsstelle), list and read circulars, attachments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.core.forms import options
from app.core.navigation import nav_entry
from app.core.permissions import require
from app.dateien.errors import UploadError
from app.dateien.services import send_datei
from app.extensions import db
from app.rundschreiben import services
from app.rundschreiben.forms import RundschreibenForm
from app.rundschreiben.models import EmpfaengerArt, Rundschreiben, RundschreibenEmpfaenger
from app.stammdaten.models import Gremium

bp = Blueprint("rundschreiben", __name__, url_prefix="/rundschreiben")
nav_entry("Rundschreiben", "rundschreiben.liste", "rundschreiben.liste", order=50)


@bp.route("/")
@login_required
def liste():
    """The Stabsstelle's sent circulars, or those addressed to the person (two queries)."""
    require("rundschreiben.liste")
    anzahl = (
        select(func.count(RundschreibenEmpfaenger.id))
        .where(RundschreibenEmpfaenger.rundschreiben_id == Rundschreiben.id)
        .scalar_subquery()
    )
    query = services.sichtbare(current_user).add_columns(anzahl).limit(500)
    rows = db.session.execute(query.options(selectinload(Rundschreiben.dateien))).all()
    return render_template("rundschreiben/liste.html", rows=rows)


def _form() -> RundschreibenForm:
    form = RundschreibenForm()
    gremien = db.session.execute(
        select(Gremium.id, Gremium.name).where(Gremium.aktiv).order_by(Gremium.name)
    ).all()
    form.gremium.choices = options([(g.id, g.name) for g in gremien], "– bitte wählen –")
    personen = db.session.execute(
        select(User.id, User.name, User.email).where(User.aktiv).order_by(User.name)
    ).all()
    form.personen.choices = options([(p.id, f"{p.name} ({p.email})") for p in personen])
    return form


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def neu():
    """Write and send a circular; refused input comes back with everything entered."""
    require("rundschreiben.verfassen")
    form = _form()
    status = 200
    if form.validate_on_submit():
        try:
            rs = services.create_rundschreiben(
                betreff=form.betreff.data,
                text=form.text.data,
                art=EmpfaengerArt(form.empfaenger.data),
                gremium_id=form.gremium.data,
                user_ids=list(form.personen.data or []),
                dateien=request.files.getlist(form.anhaenge.name),
                autor=current_user,
            )
        except (services.RundschreibenFehler, UploadError) as exc:
            db.session.rollback()
            feld = form.anhaenge if isinstance(exc, UploadError) else form.empfaenger
            feld.errors = [getattr(exc, "message", str(exc))]
            status = exc.status_code
        else:
            anzahl = len(rs.empfaenger)
            db.session.commit()
            flash(
                f"Das Rundschreiben „{rs.betreff}“ geht an {anzahl} "
                + ("Person." if anzahl == 1 else "Personen."),
                "erfolg",
            )
            return redirect(url_for("rundschreiben.detail", rundschreiben_id=rs.id))
    elif request.method == "POST":
        status = 400
    return render_template("rundschreiben/neu.html", form=form), status


def _load(rundschreiben_id: int) -> Rundschreiben:
    rs = db.session.get(Rundschreiben, rundschreiben_id)
    if rs is None:
        abort(404)
    require("rundschreiben.ansehen", rs)
    return rs


@bp.route("/<int:rundschreiben_id>")
@login_required
def detail(rundschreiben_id: int):
    """The circular as its recipients read it; the Stabsstelle also sees who got it."""
    rs = _load(rundschreiben_id)
    return render_template("rundschreiben/detail.html", rs=rs)


@bp.route("/<int:rundschreiben_id>/dateien/<int:datei_id>")
@login_required
def datei(rundschreiben_id: int, datei_id: int):
    """An attachment, for the same people who may read the circular."""
    rs = _load(rundschreiben_id)
    datei = next((d for d in rs.dateien if d.id == datei_id), None)
    if datei is None:
        abort(404)
    return send_datei(datei)
