"""Einrichtungen routes of the ``datenbasis`` blueprint."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from app.core.permissions import require
from app.datenbasis.blueprint import _form_status, _get_or_none, _redirect, bp
from app.datenbasis.forms import EinrichtungForm, choices
from app.datenbasis.models import Einrichtung, EinrichtungTyp
from app.datenbasis.services import count_einrichtungen, save_einrichtung, sozialraeume
from app.extensions import db
from app.stammdaten.models import Organisation


@bp.route("/datenbasis/einrichtungen")
@login_required
def einrichtungen() -> str:
    """Einrichtungen, filterable by Sozialraum and type, and the counts per Sozialraum and type."""
    require("datenbasis.ansehen")
    raeume = sozialraeume()
    raum_id = request.args.get("sozialraum", type=int)
    typ = request.args.get("typ") or None
    if typ and typ not in {t.value for t in EinrichtungTyp}:
        abort(400)
    query = select(Einrichtung).options(
        joinedload(Einrichtung.sozialraum), joinedload(Einrichtung.traeger)
    )
    if raum_id:
        query = query.where(Einrichtung.sozialraum_id == raum_id)
    if typ:
        query = query.where(Einrichtung.typ == EinrichtungTyp(typ))
    rows = db.session.scalars(query.order_by(Einrichtung.typ, Einrichtung.name).limit(1000)).all()
    counts = count_einrichtungen()
    typen = [t for t in EinrichtungTyp if any(k[1] == t for k in counts)]
    return render_template(
        "datenbasis/einrichtungen.html",
        einrichtungen=rows,
        raeume=raeume,
        counts=counts,
        typen=typen,
        alle_typen=list(EinrichtungTyp),
        raum_id=raum_id,
        typ=typ,
    )


def _einrichtung_choices(form: EinrichtungForm) -> None:
    """Sozialräume and active organisations as options."""
    form.sozialraum_id.choices = choices((r.id, r.name) for r in sozialraeume())
    orgs = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.aktiv)
        .order_by(Organisation.name)
    )
    form.traeger_id.choices = choices([(0, "– kein eingetragener Träger –"), *orgs])


@bp.route("/datenbasis/einrichtungen/neu", methods=["GET", "POST"])
@bp.route("/datenbasis/einrichtungen/<int:einrichtung_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def einrichtung_bearbeiten(einrichtung_id: int | None = None) -> Response | tuple[str, int]:
    """Record or change one Einrichtung."""
    require("datenbasis.bearbeiten")
    einrichtung = _get_or_none(Einrichtung, einrichtung_id)
    form = EinrichtungForm(obj=einrichtung)
    _einrichtung_choices(form)
    if request.method == "GET" and einrichtung:
        form.typ.data = einrichtung.typ.value
    if form.validate_on_submit():
        saved = _save(einrichtung, form)
        db.session.commit()
        flash(f"Die Einrichtung „{saved.name}“ wurde gespeichert.", "erfolg")
        return _redirect("datenbasis.einrichtungen")
    page = render_template("datenbasis/einrichtung_form.html", form=form, einrichtung=einrichtung)
    return page, _form_status(form)


def _save(einrichtung: Einrichtung | None, form: EinrichtungForm) -> Einrichtung:
    """Save the validated form through the service (flushes, does not commit)."""
    return save_einrichtung(
        einrichtung,
        name=form.name.data,
        typ=EinrichtungTyp(form.typ.data),
        strasse=form.strasse.data or "",
        plz=form.plz.data or "",
        ort=form.ort.data or "Hilden",
        sozialraum_id=form.sozialraum_id.data,
        traeger_id=form.traeger_id.data,
        betreiber=form.betreiber.data or "",
        breite=form.breite.data,
        laenge=form.laenge.data,
    )
