"""Blueprint ``mail``: the Postausgang for the Stabsstelle."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.datenstand import zwischengespeichert
from app.core.errors import german_abort
from app.core.i18n import anzahl
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.seiten import aktuelle_seite, blaettern
from app.core.submissions import mit_formularfeldern
from app.extensions import db
from app.mail.forms import ResendForm
from app.mail.models import Mail, MailStatus
from app.mail.secrets import has_personal_link, redact
from app.mail.services import ResendError, resend_mail

bp = Blueprint("mail", __name__, url_prefix="/postausgang")
nav_entry("Postausgang", "mail.postausgang", "mail.postausgang", order=90)
PAGE_SIZE = 50


_LISTENSPALTEN = (
    Mail.id,
    Mail.created_at,
    Mail.recipient,
    Mail.subject,
    Mail.status,
    Mail.last_error,
    Mail.attempts,
    Mail.replaced_by_id,
)


def _status_counts() -> dict[MailStatus, int]:
    """Mails per status (an aggregate over the whole outbox, kept until the next write)."""
    return dict(db.session.execute(select(Mail.status, func.count()).group_by(Mail.status)).all())


@bp.route("/")
@login_required
def postausgang():
    """All outgoing mails, newest first, filterable by status."""
    require("mail.postausgang")
    status = request.args.get("status") or None
    if status and status not in {s.value for s in MailStatus}:
        german_abort(400, "Unbekannter Status für den Postausgang.")
    schluessel = ("postausgang", aktuelle_seite(), tuple(sorted(request.args.items(multi=True))))
    inhalt = zwischengespeichert(schluessel, lambda: _postausgang_inhalt(status))
    return render_template(
        "mail/postausgang.html",
        inhalt=mit_formularfeldern(inhalt),
        store_mode=current_app.config["MAIL_BACKEND"] == "store",
    )


def _postausgang_inhalt(status: str | None) -> Markup:
    """Filter with counts, one page of mails and the page links (no tokens inside)."""
    query = (
        select(Mail)
        .options(load_only(*_LISTENSPALTEN))  # not the bodies: a page holds fifty mails
        .order_by(Mail.id.desc())
    )
    if status:
        query = query.where(Mail.status == MailStatus(status))
    blatt = blaettern(query, PAGE_SIZE)
    return Markup(
        render_template(
            "mail/_postausgang_inhalt.html",
            mails=blatt.eintraege,
            blatt=blatt,
            counts=_status_counts(),
            status=status,
            statuses=list(MailStatus),
        )
    )


@bp.route("/<int:mail_id>")
@login_required
def detail(mail_id: int):
    """One mail with its text, as the recipient gets it."""
    require("mail.postausgang")
    mail = db.get_or_404(Mail, mail_id)
    return render_template(
        "mail/detail.html",
        mail=mail,
        text=redact(mail.body_text),
        persoenlicher_link=has_personal_link(mail.body_text),
        form=ResendForm(),
    )


@bp.route("/<int:mail_id>/erneut-senden", methods=["POST"])
@login_required
def resend(mail_id: int):
    """Queue a failed mail again."""
    require("mail.resend")
    mail = db.get_or_404(Mail, mail_id)
    form = ResendForm()
    if not form.validate_on_submit():
        german_abort(400, "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu.")
    if mail.status != MailStatus.FAILED:
        flash("Nur fehlgeschlagene E-Mails können erneut gesendet werden.", "fehler")
        return redirect(url_for("mail.detail", mail_id=mail.id)), 303
    try:
        sent = resend_mail(mail)
    except ResendError as exc:
        flash(str(exc), "fehler")
        return redirect(url_for("mail.detail", mail_id=mail.id), 303)
    db.session.commit()
    if sent is mail:
        flash(f"Die E-Mail an {mail.recipient} wurde erneut in den Versand gegeben.", "erfolg")
    else:
        flash(
            f"An {mail.recipient} geht eine neue E-Mail mit einem neuen persönlichen Link; "
            "der alte Link ist damit ungültig.",
            "erfolg",
        )
    return redirect(url_for("mail.postausgang", status="failed"), 303)


@aufgaben_provider
def _failed_mails(user) -> list[Aufgabe]:
    if not can(user, "mail.postausgang"):
        return []
    failed = db.session.scalar(
        select(func.count()).where(Mail.status == MailStatus.FAILED, Mail.replaced_by_id.is_(None))
    )
    if not failed:
        return []
    return [
        Aufgabe(
            anzahl(failed, "E-Mail konnte", "E-Mails konnten") + " nicht zugestellt werden",
            url_for("mail.postausgang", status="failed"),
            "Adresse prüfen und erneut senden",
            dringend=True,
        )
    ]
