"""The form builder's sections and questions: add, change, move, delete (Stabsstelle)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from app.beteiligung import services
from app.beteiligung.blueprint import bogen_or_404, bp
from app.beteiligung.forms import AbschnittForm, FrageForm
from app.beteiligung.models import BogenAbschnitt, BogenFrage, BogenStatus
from app.beteiligung.views_builder import _action, _field_error
from app.core.permissions import require
from app.extensions import db


@bp.route("/<int:bogen_id>/abschnitte", methods=["POST"])
@login_required
def abschnitt_neu(bogen_id: int):
    """Append a section."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    form = AbschnittForm()
    if not form.validate_on_submit():
        return render_template(
            "beteiligung/abschnitt_form.html", form=form, bogen=bogen, abschnitt=None
        ), 422
    try:
        services.add_abschnitt(bogen, form.titel.data, form.beschreibung.data or None)
    except services.BeteiligungError as exc:
        flash(exc.message, "fehler")
        return redirect(url_for("beteiligung.bogen", bogen_id=bogen.id), 303)
    db.session.commit()
    flash(f"Der Abschnitt „{form.titel.data}“ wurde angelegt.", "erfolg")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen.id), 303)


def _abschnitt_or_404(abschnitt_id: int) -> BogenAbschnitt:
    abschnitt = db.session.get(BogenAbschnitt, abschnitt_id)
    if abschnitt is None:
        abort(404)
    return abschnitt


@bp.route("/abschnitte/<int:abschnitt_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def abschnitt_bearbeiten(abschnitt_id: int):
    """Rename a section."""
    require("rueckmeldebogen.verwalten")
    abschnitt = _abschnitt_or_404(abschnitt_id)
    form = AbschnittForm(obj=abschnitt)
    if form.validate_on_submit():
        try:
            services.update_abschnitt(abschnitt, form.titel.data, form.beschreibung.data or None)
        except services.BeteiligungError as exc:
            flash(exc.message, "fehler")
            return redirect(url_for("beteiligung.bogen", bogen_id=abschnitt.bogen_id), 303)
        db.session.commit()
        flash("Der Abschnitt wurde gespeichert.", "erfolg")
        return redirect(
            url_for(
                "beteiligung.bogen",
                bogen_id=abschnitt.bogen_id,
                _anchor=f"abschnitt-{abschnitt.id}",
            ),
            303,
        )
    status = 422 if form.is_submitted() else 200
    return render_template(
        "beteiligung/abschnitt_form.html", form=form, bogen=abschnitt.bogen, abschnitt=abschnitt
    ), status


@bp.route("/abschnitte/<int:abschnitt_id>/loeschen", methods=["POST"])
@login_required
def abschnitt_loeschen(abschnitt_id: int):
    """Remove a section with its questions."""
    require("rueckmeldebogen.verwalten")
    abschnitt = _abschnitt_or_404(abschnitt_id)
    bogen_id = abschnitt.bogen_id
    _action(lambda: services.delete_abschnitt(abschnitt), "Der Abschnitt wurde gelöscht.")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen_id), 303)


def _frage_data(form: FrageForm) -> dict[str, Any]:
    return {k: getattr(form, k).data for k in services.FRAGE_FELDER}


def _render_frage_form(
    form: FrageForm, abschnitt: BogenAbschnitt, frage: BogenFrage | None, status: int
):
    return render_template(
        "beteiligung/frage_form.html",
        form=form,
        abschnitt=abschnitt,
        bogen=abschnitt.bogen,
        frage=frage,
    ), status


@bp.route("/abschnitte/<int:abschnitt_id>/fragen/neu", methods=["GET", "POST"])
@login_required
def frage_neu(abschnitt_id: int):
    """Add a question of any type to a section."""
    require("rueckmeldebogen.verwalten")
    abschnitt = _abschnitt_or_404(abschnitt_id)
    if abschnitt.bogen.status != BogenStatus.ENTWURF:
        flash(
            "Der Bogen ist veröffentlicht; Fragen können nicht mehr hinzugefügt werden.", "fehler"
        )
        return redirect(url_for("beteiligung.bogen", bogen_id=abschnitt.bogen_id), 303)
    form = FrageForm()
    if not form.validate_on_submit():
        return _render_frage_form(form, abschnitt, None, 422 if form.is_submitted() else 200)
    try:
        frage = services.add_frage(abschnitt, **_frage_data(form))
    except services.BeteiligungError as exc:
        _field_error(form, exc)
        return _render_frage_form(form, abschnitt, None, 422)
    db.session.commit()
    flash(f"Die Frage „{frage.text}“ wurde hinzugefügt.", "erfolg")
    return redirect(
        url_for("beteiligung.bogen", bogen_id=abschnitt.bogen_id, _anchor=f"frage-{frage.id}"), 303
    )


def _frage_or_404(frage_id: int) -> BogenFrage:
    frage = db.session.get(BogenFrage, frage_id)
    if frage is None:
        abort(404)
    return frage


@bp.route("/fragen/<int:frage_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def frage_bearbeiten(frage_id: int):
    """Change a question."""
    require("rueckmeldebogen.verwalten")
    frage = _frage_or_404(frage_id)
    form = FrageForm(obj=frage)
    if not form.validate_on_submit():
        return _render_frage_form(form, frage.abschnitt, frage, 422 if form.is_submitted() else 200)
    try:
        services.update_frage(frage, **_frage_data(form))
    except services.BeteiligungError as exc:
        db.session.rollback()
        _field_error(form, exc)
        return _render_frage_form(form, frage.abschnitt, frage, 422)
    db.session.commit()
    flash("Die Frage wurde gespeichert.", "erfolg")
    return redirect(
        url_for(
            "beteiligung.bogen", bogen_id=frage.abschnitt.bogen_id, _anchor=f"frage-{frage.id}"
        ),
        303,
    )


@bp.route("/fragen/<int:frage_id>/loeschen", methods=["POST"])
@login_required
def frage_loeschen(frage_id: int):
    """Remove a question."""
    require("rueckmeldebogen.verwalten")
    frage = _frage_or_404(frage_id)
    bogen_id = frage.abschnitt.bogen_id
    _action(lambda: services.delete_frage(frage), "Die Frage wurde gelöscht.")
    return redirect(url_for("beteiligung.bogen", bogen_id=bogen_id), 303)


@bp.route("/fragen/<int:frage_id>/verschieben", methods=["POST"])
@login_required
def frage_verschieben(frage_id: int):
    """Move a question up or down within its section."""
    require("rueckmeldebogen.verwalten")
    frage = _frage_or_404(frage_id)
    richtung = {"hoch": -1, "runter": 1}.get(request.form.get("richtung", ""))
    if richtung is None:
        abort(400)
    _action(lambda: services.move_frage(frage, richtung), "Die Reihenfolge wurde geändert.")
    return redirect(
        url_for(
            "beteiligung.bogen", bogen_id=frage.abschnitt.bogen_id, _anchor=f"frage-{frage.id}"
        ),
        303,
    )
