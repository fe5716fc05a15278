"""Import routes (upload, job page with progress, confirm) for indicator values and Einrichtungen.

No route reads the rows of a file: the upload stores the bytes and the worker checks and
imports them (``importjobs``), so every request stays short whatever the file's size.
"""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.core.permissions import require
from app.core.zahlen import format_zahl
from app.datenbasis.blueprint import _redirect, _require_valid, bp
from app.datenbasis.forms import ConfirmForm, UploadForm
from app.datenbasis.importjobs import confirm_import, stage_import
from app.datenbasis.models import EinrichtungTyp, ImportArt, Importdatei, Indikator
from app.datenbasis.parsing import UploadError
from app.datenbasis.services import NotPossible, sozialraeume
from app.extensions import db

# Where each kind of import leads after it is done.
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
    """Upload a file; it is stored and checked by the worker, the job page shows the progress."""
    require("datenbasis.importieren")
    import_art = _import_art(art)
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(import_art, form), 400 if form.errors else 200
    upload = form.datei.data
    try:
        datei = stage_import(import_art, upload.read(), upload.filename or "", current_user)
    except UploadError as exc:
        form.datei.errors = [str(exc)]
        return _upload_page(import_art, form), exc.status
    db.session.commit()
    return _redirect("datenbasis.import_vorschau", datei_id=datei.id)


def _upload_page(art: ImportArt, form: UploadForm) -> str:
    """The upload form with the expected columns, the row limit and the known names."""
    indikatoren = db.session.scalars(select(Indikator.name).order_by(Indikator.name)).all()
    return render_template(
        "datenbasis/import.html",
        art=art,
        form=form,
        indikatoren=indikatoren,
        raeume=sozialraeume(),
        typen=list(EinrichtungTyp),
        max_zeilen=format_zahl(current_app.config["IMPORT_MAX_ZEILEN"]),
    )


def _job(datei_id: int) -> Importdatei:
    """An import job; only those who import may see it."""
    datei = db.get_or_404(Importdatei, datei_id)
    require("datenbasis.importieren", datei)
    return datei


@bp.route("/datenbasis/import/datei/<int:datei_id>")
@login_required
def import_vorschau(datei_id: int) -> str:
    """The job page: progress while the worker reads, then the report or the preview."""
    datei = _job(datei_id)
    return render_template(
        "datenbasis/import_vorschau.html",
        datei=datei,
        bericht=datei.bericht or {},
        form=ConfirmForm(),
        ziel=ZIEL_NACH_IMPORT[datei.art],
    )


@bp.route("/datenbasis/import/datei/<int:datei_id>/stand")
@login_required
def import_stand(datei_id: int) -> Response:
    """The job's progress as JSON, polled by the job page while the worker reads."""
    datei = _job(datei_id)
    return jsonify(
        status=datei.status.value,
        status_text=datei.status.label,
        laeuft=datei.status.laeuft,
        zeilen=datei.zeilen_gelesen,
        geschaetzt=datei.zeilen_geschaetzt,
        fehler=datei.fehler_bisher,
    )


@bp.route("/datenbasis/import/datei/<int:datei_id>/bestaetigen", methods=["POST"])
@login_required
def import_bestaetigen(datei_id: int) -> Response:
    """Hand the previewed file to the worker: it imports all rows or, with any error, none."""
    datei = _job(datei_id)
    _require_valid(ConfirmForm())
    try:
        confirm_import(datei.id)
    except NotPossible as exc:
        db.session.rollback()
        flash(str(exc), "hinweis")
        return _redirect("datenbasis.import_vorschau", datei_id=datei_id)
    db.session.commit()
    return _redirect("datenbasis.import_vorschau", datei_id=datei_id)
