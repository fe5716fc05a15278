"""Writing the minutes: upload a revision, record results and impulses, approve."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user, login_required

from app.core.errors import german_abort
from app.core.i18n import anzahl
from app.core.permissions import require
from app.dateien.services import UploadError
from app.extensions import db
from app.impulse.services import ImpulsError
from app.protokolle import freigabe, services
from app.protokolle.blueprint import bp, load, render_page, sozialraum_options
from app.protokolle.forms import (
    ButtonForm,
    ErgebnisseForm,
    ProtokollImpulsForm,
    RueckgabeForm,
    UploadForm,
)
from app.protokolle.services import ProtokollError


def _writable(sitzung_id: int, action: str = "protokoll.hochladen"):
    sitzung, protokoll = load(sitzung_id)
    require(action, sitzung)
    return sitzung, protokoll


def _refused(exc: ProtokollError | ImpulsError) -> None:
    db.session.rollback()
    german_abort(exc.status_code, exc.message)


def _back(sitzung_id: int, anchor: str | None = None):
    return redirect(url_for("protokolle.detail", sitzung_id=sitzung_id, _anchor=anchor), 303)


@bp.route("/sitzung/<int:sitzung_id>/hochladen", methods=["POST"])
@login_required
def hochladen(sitzung_id: int):
    """A new file revision (PDF, DOCX, ODT), validated by content and optionally scanned."""
    sitzung, protokoll = _writable(sitzung_id)
    form = UploadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        revision = services.upload_revision(sitzung, form.datei.data, current_user)
    except UploadError as exc:
        db.session.rollback()
        form.datei.errors = [str(exc)]
        return render_page(sitzung, protokoll, exc.status_code, upload_form=form)
    except ProtokollError as exc:
        _refused(exc)
    db.session.commit()
    flash(f"Fassung {revision.nummer} des Protokolls wurde gespeichert.", "erfolg")
    return _back(sitzung_id)


@bp.route("/sitzung/<int:sitzung_id>/ergebnisse", methods=["POST"])
@login_required
def ergebnisse(sitzung_id: int):
    """Attendees, results and agreements."""
    sitzung, protokoll = _writable(sitzung_id)
    form = ErgebnisseForm()
    if not form.validate_on_submit():
        return render_page(sitzung, protokoll, 422, ergebnisse_form=form)
    try:
        services.save_ergebnisse(sitzung, form.data, current_user)
    except ProtokollError as exc:
        _refused(exc)
    db.session.commit()
    flash("Die Ergebnisse wurden gespeichert.", "erfolg")
    return _back(sitzung_id, "abschnitt-ergebnisse")


@bp.route("/sitzung/<int:sitzung_id>/impulse", methods=["POST"])
@login_required
def impuls(sitzung_id: int):
    """An impulse raised in the meeting."""
    sitzung, protokoll = _writable(sitzung_id)
    form = ProtokollImpulsForm()
    form.sozialraum_id.choices = sozialraum_options()
    if not form.validate_on_submit():
        return render_page(sitzung, protokoll, 422, impuls_form=form)
    try:
        neu = services.add_impuls(sitzung, form.data, current_user)
    except (ProtokollError, ImpulsError) as exc:  # shown on the form, the input kept
        db.session.rollback()
        form.form_errors.append(exc.message)
        return render_page(sitzung, protokoll, exc.status_code, impuls_form=form)
    db.session.commit()
    flash(f"Der Impuls „{neu.titel}“ wurde erfasst.", "erfolg")
    return _back(sitzung_id, "abschnitt-impulse")


@bp.route("/sitzung/<int:sitzung_id>/oeffentlich", methods=["POST"])
@login_required
def oeffentlich(sitzung_id: int):
    """Release the approved minutes of a public meeting to the public portal, or take back."""
    sitzung, protokoll = _writable(sitzung_id, "protokoll.veroeffentlichen")
    if not ButtonForm().validate_on_submit():
        abort(400)
    wert = request.form.get("wert") == "1"
    try:
        services.set_oeffentlich(sitzung, protokoll, wert)
    except ProtokollError as exc:
        _refused(exc)
    db.session.commit()
    flash(
        "Das Protokoll ist jetzt im öffentlichen Portal sichtbar."
        if wert
        else "Das Protokoll ist nicht mehr öffentlich.",
        "erfolg",
    )
    return _back(sitzung_id)


@bp.route("/sitzung/<int:sitzung_id>/freigeben", methods=["POST"])
@login_required
def freigeben(sitzung_id: int):
    """Approve the minutes; the Gremium's members are told in the app and by mail."""
    sitzung, protokoll = _writable(sitzung_id, "protokoll.freigeben")
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        count = services.approve(sitzung, protokoll, current_user)
    except ProtokollError as exc:
        _refused(exc)
    db.session.commit()
    flash(
        "Das Protokoll ist freigegeben; "
        + anzahl(count, "Mitglied wurde", "Mitglieder wurden", "kein weiteres Mitglied wurde")
        + " benachrichtigt.",
        "erfolg",
    )
    return _back(sitzung_id)


@bp.route("/sitzung/<int:sitzung_id>/einreichen", methods=["POST"])
@login_required
def einreichen(sitzung_id: int):
    """The moderation hands the minutes in; Stabsstelle and Vorsitz are told."""
    sitzung, protokoll = _writable(sitzung_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        count = freigabe.submit(sitzung, protokoll, current_user)
    except ProtokollError as exc:
        db.session.rollback()
        flash(exc.message, "fehler")
        return render_page(sitzung, protokoll, exc.status_code)
    db.session.commit()
    flash(
        "Das Protokoll ist zur Freigabe eingereicht; "
        + anzahl(count, "Person wurde", "Personen wurden", "niemand wurde")
        + " benachrichtigt.",
        "erfolg",
    )
    return _back(sitzung_id)


@bp.route("/sitzung/<int:sitzung_id>/zurueckgeben", methods=["POST"])
@login_required
def zurueckgeben(sitzung_id: int):
    """Stabsstelle or Vorsitz hands the minutes back with a comment the moderation sees."""
    sitzung, protokoll = _writable(sitzung_id, "protokoll.freigeben")
    form = RueckgabeForm()
    if not form.validate_on_submit():
        return render_page(sitzung, protokoll, 422, rueckgabe_form=form)
    try:
        freigabe.hand_back(sitzung, protokoll, current_user, form.kommentar.data)
    except ProtokollError as exc:
        db.session.rollback()
        flash(exc.message, "fehler")
        return render_page(sitzung, protokoll, exc.status_code, rueckgabe_form=form)
    db.session.commit()
    flash("Das Protokoll ist an die Moderation zurückgegeben.", "erfolg")
    return _back(sitzung_id)
