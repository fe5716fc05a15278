"""Inviting, cancelling, recording attendance and the personal reply links (no login)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.errors import german_abort
from app.extensions import db
from app.sitzungen import services
from app.sitzungen.blueprint import (
    bp,
    editable_sitzung_or_404,
    einladung_from_token,
    finish,
    form_status,
    send_or_404,
    sitzung_or_404,
    valid_button,
)
from app.sitzungen.forms import AbsageForm, AntwortForm, EinladenForm
from app.sitzungen.models import Antwort, Einladung, Sitzung, Tagesordnungspunkt

# --------------------------------------------------------------------------- invite, cancel, held


@bp.route("/<int:sitzung_id>/einladen", methods=["GET", "POST"])
@login_required
def einladen(sitzung_id: int):
    """Invite all members plus guests; a second run only invites whoever is new."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    form = EinladenForm()
    if form.validate_on_submit():
        try:
            gaeste = services.parse_gaeste(form.gaeste.data)
            services.invite(sitzung, gaeste)
        except services.SitzungError as exc:
            form.gaeste.errors.append(str(exc))
        else:
            return finish(
                sitzung,
                message="Die Einladungen werden jetzt versendet. "
                "Die Rückmeldungen sehen Sie auf dieser Seite.",
            )
    mitglieder = services.recipients(sitzung)
    return render_template(
        "sitzungen/einladen.html", sitzung=sitzung, form=form, empfaenger=mitglieder
    ), form_status(form)


@bp.route("/<int:sitzung_id>/absagen", methods=["GET", "POST"])
@login_required
def absagen(sitzung_id: int):
    """Cancel the meeting; everyone invited gets a calendar cancellation."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    form = AbsageForm()
    if form.validate_on_submit():
        services.cancel_sitzung(sitzung, (form.grund.data or "").strip())
        return finish(
            sitzung,
            message="Die Sitzung wurde abgesagt; die Eingeladenen werden benachrichtigt.",
        )
    page = render_template("sitzungen/absagen.html", sitzung=sitzung, form=form)
    return page, form_status(form)


@bp.route("/<int:sitzung_id>/durchgefuehrt", methods=["POST"])
@login_required
def durchgefuehrt(sitzung_id: int):
    """Record that the meeting took place."""
    sitzung = sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    valid_button()
    try:
        services.mark_held(sitzung)
    except services.SitzungError as exc:
        german_abort(409, str(exc))
    return finish(sitzung, message="Die Sitzung ist als durchgeführt vermerkt.")


# --------------------------------------------------------------------------- replies (no login)


def _reply_sitzung(einladung: Einladung) -> Sitzung | None:
    """The invitation's meeting with Gremium, agenda and documents loaded."""
    return db.session.scalar(
        select(Sitzung)
        .options(
            joinedload(Sitzung.gremium),
            selectinload(Sitzung.tagesordnungspunkte).selectinload(Tagesordnungspunkt.dateien),
        )
        .where(Sitzung.id == einladung.sitzung_id)
    )


def _prefill(form: AntwortForm, einladung: Einladung) -> None:
    """Show an earlier reply in the form (GET only)."""
    if request.method == "GET" and einladung.antwort != Antwort.OFFEN:
        form.antwort.data = einladung.antwort.value
        form.vertretung_name.data = einladung.vertretung_name
        form.kommentar.data = einladung.kommentar


def _save_reply(form: AntwortForm, einladung: Einladung) -> bool:
    """Store the posted reply; False (with the message on the form) when refused."""
    if not form.validate_on_submit():
        return False
    try:
        services.answer_einladung(
            einladung,
            Antwort(form.antwort.data),
            form.vertretung_name.data,
            form.kommentar.data,
            current_user,
        )
    except services.SitzungError as exc:
        form.antwort.errors.append(str(exc))
        return False
    return True


@bp.route("/antwort/<token>", methods=["GET", "POST"])
def antwort(token: str):
    """The personal reply page from the invitation mail: Zusage, Absage or Vertretung."""
    einladung = einladung_from_token(token)
    sitzung = _reply_sitzung(einladung)
    form = AntwortForm()
    _prefill(form, einladung)
    geschlossen = services.reply_closed_reason(sitzung)
    status = 200
    if request.method == "POST":
        if geschlossen:
            german_abort(409, geschlossen)
        if _save_reply(form, einladung):
            db.session.commit()
            flash("Vielen Dank, Ihre Rückmeldung wurde gespeichert.", "erfolg")
            return redirect(url_for("sitzungen.antwort", token=token), 303)
        status = 400
    return render_template(
        "sitzungen/antwort.html",
        einladung=einladung,
        sitzung=sitzung,
        form=form,
        token=token,
        geschlossen=geschlossen,
        vertretung_hinweis=services.vertretung_hinweis(einladung),
    ), status


@bp.route("/antwort/<token>/dateien/<int:datei_id>")
def antwort_datei(token: str, datei_id: int):
    """Agenda documents for invitees, also guests without an account."""
    einladung = einladung_from_token(token)
    return send_or_404(services.find_top_datei(einladung.sitzung, datei_id))
