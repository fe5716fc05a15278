"""Bulk import routes of the ``stammdaten`` blueprint: upload, preview, confirm (Stabsstelle)."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.after_commit import after_commit
from app.core.permissions import require
from app.core.tabellenlesen import UploadError
from app.extensions import db
from app.stammdaten import massenimport, massenimport_ablage
from app.stammdaten.blueprint import Page, bp, render
from app.stammdaten.forms import MassenimportBestaetigenForm, MassenimportForm


def _upload_page(form: MassenimportForm, status: int = 200, fehler: str | None = None) -> Page:
    return render(
        "import.html",
        "import",
        status,
        form=form,
        fehler=fehler,
        max_zeilen=massenimport.MAX_ZEILEN,
        funktionen=massenimport.FUNKTIONEN_TEXT,
        arten=massenimport.ARTEN_TEXT,
    )


def _preview_page(
    vorschau: massenimport.Vorschau,
    form: MassenimportBestaetigenForm,
    dateiname: str,
    status: int = 200,
    abgelehnt: bool = False,
) -> Page:
    return render(
        "import_vorschau.html",
        "import",
        status,
        vorschau=vorschau,
        form=form,
        dateiname=dateiname,
        abgelehnt=abgelehnt,
    )


@bp.route("/import", methods=["GET", "POST"])
@login_required
def massenimport_hochladen() -> Page:
    """Upload a table; a readable file is checked row by row and shown as a preview."""
    require("benutzer.verwalten")
    form = MassenimportForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400 if form.is_submitted() else 200)
    upload = form.datei.data
    data, dateiname = upload.read(), upload.filename or ""
    try:
        vorschau = massenimport.pruefen(data, dateiname)
    except UploadError as exc:
        return _upload_page(MassenimportForm(formdata=None), exc.status, str(exc))
    bestaetigen = MassenimportBestaetigenForm(formdata=None)
    if vorschau.ok:
        bestaetigen.referenz.data = massenimport_ablage.ablegen(data, dateiname, current_user.id)
    return _preview_page(vorschau, bestaetigen, dateiname, 200 if vorschau.ok else 422)


@bp.route("/import/bestaetigen", methods=["POST"])
@login_required
def massenimport_bestaetigen() -> Page | Response:
    """Import the checked file all or nothing; invitations go out after the commit."""
    require("benutzer.verwalten")
    form = MassenimportBestaetigenForm()
    if not form.validate_on_submit():
        flash("Die Bestätigung war ungültig oder wurde schon gesendet.", "fehler")
        return redirect(url_for("stammdaten.massenimport_hochladen"), 303)
    referenz = form.referenz.data or ""
    try:
        data, dateiname = massenimport_ablage.laden(referenz, current_user.id)
    except massenimport_ablage.AblageFehler as exc:
        return _upload_page(MassenimportForm(formdata=None), 410, str(exc))
    try:
        ergebnis = massenimport.ausfuehren(data, dateiname, einladen=bool(form.einladen.data))
    except massenimport.ImportAbgelehnt as exc:
        db.session.rollback()
        return _preview_page(exc.vorschau, form, dateiname, 409, abgelehnt=True)
    except UploadError as exc:
        db.session.rollback()
        return _upload_page(MassenimportForm(formdata=None), exc.status, str(exc))
    after_commit(lambda: massenimport_ablage.entfernen(referenz))
    db.session.commit()
    flash(_zusammenfassung(ergebnis), "erfolg")
    return redirect(url_for("stammdaten.massenimport_hochladen"), 303)


def _zahl(n: int, eins: str, mehr: str) -> str:
    return f"{n} {eins if n == 1 else mehr}"


def _zusammenfassung(ergebnis: massenimport.Ergebnis) -> str:
    """The flash message after the import, with German plurals."""
    text = (
        "Import abgeschlossen: "
        f"{_zahl(ergebnis.personen, 'Person', 'Personen')}, "
        f"{_zahl(ergebnis.organisationen, 'Organisation', 'Organisationen')} und "
        f"{_zahl(ergebnis.mitgliedschaften, 'Mitgliedschaft', 'Mitgliedschaften')} angelegt."
    )
    if ergebnis.eingeladen:
        text += f" {_zahl(ergebnis.eingeladen, 'Einladung wird', 'Einladungen werden')} versendet."
    return text
