"""Blueprint ``datenschutz``: "Mein Konto" with "Meine Daten", account deletion, retention page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.auth.models import User
from app.core.errors import german_abort
from app.core.permissions import require
from app.datenschutz import aufbewahrung, loeschung, services
from app.datenschutz.auskunft import export_dir
from app.datenschutz.forms import AnfordernForm, LoeschenForm
from app.extensions import db

bp = Blueprint("datenschutz", __name__)


@bp.route("/konto/")
@login_required
def konto() -> ResponseReturnValue:
    """The person's own account: notification settings, "Meine Daten", deletion if allowed."""
    require("datenschutz.eigene_daten")
    return render_template(
        "datenschutz/konto.html",
        auskuenfte=services.own_requests(current_user),
        form=AnfordernForm(),
        gueltig_stunden=current_app.config["MEINE_DATEN_GUELTIGKEIT"] // 3600,
    )


@bp.route("/konto/meine-daten", methods=["POST"])
@login_required
def anfordern() -> ResponseReturnValue:
    """Ask for the ZIP; the worker builds it, the account page offers it."""
    require("datenschutz.eigene_daten")
    if not AnfordernForm().validate_on_submit():
        german_abort(400, "Das Formular ist unvollständig. Bitte laden Sie die Seite neu.")
    try:
        services.request_auskunft(current_user)
    except services.AuskunftFehler as exc:
        flash(str(exc), "fehler")
        return redirect(url_for("datenschutz.konto"), 303)
    db.session.commit()
    flash(
        "Ihre Daten werden zusammengestellt. Sobald sie bereitstehen, erscheint hier der "
        "Link zum Herunterladen (und eine Benachrichtigung).",
        "erfolg",
    )
    return redirect(url_for("datenschutz.konto"), 303)


@bp.route("/konto/meine-daten/<int:auskunft_id>/herunterladen")
@login_required
def herunterladen(auskunft_id: int) -> ResponseReturnValue:
    """The ZIP, only for its owner, only with the link's token, only until it expires."""
    row = services.for_download(auskunft_id, request.args.get("schluessel"))
    if row is None:
        german_abort(
            404, "Dieser Link ist abgelaufen oder ungültig. Fordern Sie Ihre Daten neu an."
        )
    require("datenauskunft.herunterladen", row)
    path = export_dir() / row.dateiname
    if not path.is_file():
        german_abort(404, "Die Datei ist nicht mehr vorhanden. Fordern Sie Ihre Daten neu an.")
    g.audit_export = "Meine Daten (Datenauskunft)"
    response = Response(path.read_bytes(), mimetype="application/zip")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="meine-daten-{row.fertig_at:%Y-%m-%d}.zip"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/konten/<int:user_id>/loeschen", methods=["GET", "POST"])
@login_required
def loeschen(user_id: int) -> ResponseReturnValue:
    """Delete an account (Art. 17): confirm with the account's e-mail address."""
    konto = db.get_or_404(User, user_id)
    require("konto.loeschen", konto)
    form = LoeschenForm()
    if form.validate_on_submit():
        if form.bestaetigung.data.strip().lower() != konto.email.lower():
            form.bestaetigung.errors.append(
                "Bitte geben Sie zur Bestätigung genau die E-Mail-Adresse des Kontos ein."
            )
        else:
            selbst = konto.id == current_user.id
            pseudonym = loeschung.delete_account(konto, current_user)
            db.session.commit()
            if selbst:
                return redirect(url_for("auth.login"), 303)
            flash(f"Das Konto wurde gelöscht; es heißt jetzt „{pseudonym}“.", "erfolg")
            return redirect(url_for("stammdaten.benutzer"), 303)
    status = 400 if request.method == "POST" else 200
    return render_template("datenschutz/loeschen.html", konto=konto, form=form), status


@bp.route("/datenschutz/loeschfristen")
def loeschfristen() -> ResponseReturnValue:
    """The retention periods, public, for the Datenschutzerklärung."""
    require("datenschutz.loeschfristen")
    return render_template("datenschutz/loeschfristen.html", fristen=aufbewahrung.fristen())
