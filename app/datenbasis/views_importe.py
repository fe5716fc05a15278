"""CSV import routes (upload, preview, confirm) shared by indicator values and Einrichtungen."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.core.permissions import require
from app.datenbasis.forms import ConfirmForm, UploadForm
from app.datenbasis.imports import ImportReport, check_file
from app.datenbasis.models import EinrichtungTyp, ImportArt, Importdatei, Indikator
from app.datenbasis.parsing import UploadError
from app.datenbasis.services import (
    NotPossible,
    confirm_import,
    preview_import,
    sozialraeume,
    stage_import,
)
from app.datenbasis.views import _redirect, _require_valid, bp
from app.extensions import db

# Where each kind of import leads after a successful confirmation.
ZIEL_NACH_IMPORT = {
    ImportArt.INDIKATORWERTE: "datenbasis.indikatoren",
    ImportArt.EINRICHTUNGEN: "datenbasis.einrichtungen",
}


def _import_art(art: str) -> ImportArt:
    """The kind of import from the URL; unknown kinds do not exist."""
    try:
        return ImportArt(art)
    except ValueError:
        abort(404)


@bp.route("/datenbasis/import/<art>", methods=["GET", "POST"])
@login_required
def import_hochladen(art: str) -> Response | tuple[str, int]:
    """Upload a file; it is checked at once and kept for the preview only when it has no errors."""
    require("datenbasis.importieren")
    import_art = _import_art(art)
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(import_art, form, None), 400 if form.errors else 200
    upload = form.datei.data
    data, filename = upload.read(), upload.filename or ""
    try:
        report = check_file(import_art, data, filename)
    except UploadError as exc:
        form.datei.errors = [str(exc)]
        return _upload_page(import_art, form, None), exc.status
    if not report.ok:
        return _upload_page(import_art, form, report), 422
    datei = stage_import(import_art, data, filename, current_user)
    db.session.commit()
    return _redirect("datenbasis.import_vorschau", datei_id=datei.id)


def _upload_page(art: ImportArt, form: UploadForm, report: ImportReport | None) -> str:
    """The upload form with the expected columns and, if any, the validation report."""
    indikatoren = db.session.scalars(select(Indikator.name).order_by(Indikator.name)).all()
    return render_template(
        "datenbasis/import.html",
        art=art,
        form=form,
        report=report,
        indikatoren=indikatoren,
        raeume=sozialraeume(),
        typen=list(EinrichtungTyp),
    )


def _staged(datei_id: int) -> Importdatei:
    """A staged upload; only those who import may see it."""
    datei = db.get_or_404(Importdatei, datei_id)
    require("datenbasis.importieren", datei)
    return datei


def _preview_page(datei: Importdatei, report: ImportReport, form: ConfirmForm) -> str:
    """The preview of a staged file with its report and the confirmation button."""
    return render_template("datenbasis/import_vorschau.html", datei=datei, report=report, form=form)


@bp.route("/datenbasis/import/datei/<int:datei_id>")
@login_required
def import_vorschau(datei_id: int) -> str:
    """The preview of a checked file: the first rows and what the import would change."""
    datei = _staged(datei_id)
    return _preview_page(datei, preview_import(datei), ConfirmForm())


@bp.route("/datenbasis/import/datei/<int:datei_id>/bestaetigen", methods=["POST"])
@login_required
def import_bestaetigen(datei_id: int) -> Response | tuple[str, int]:
    """Import the previewed file: all rows or, with any error, none."""
    datei = _staged(datei_id)
    form = ConfirmForm()
    _require_valid(form)
    try:
        report = confirm_import(datei)
    except NotPossible as exc:
        flash(str(exc), "fehler")
        return _redirect("datenbasis.import_vorschau", datei_id=datei.id)
    if not report.ok:
        db.session.rollback()
        return _preview_page(datei, report, form), 422
    db.session.commit()
    flash(
        f"{report.importiert} Zeilen wurden importiert "
        f"({report.ersetzt} davon ersetzt oder aktualisiert).",
        "erfolg",
    )
    return _redirect(ZIEL_NACH_IMPORT[datei.art])
