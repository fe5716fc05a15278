"""Blueprint ``benachrichtigungen``: the personal list, open (marks read), mark all read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from app.benachrichtigungen import services
from app.benachrichtigungen.forms import AllReadForm, OpenForm
from app.benachrichtigungen.models import Benachrichtigung
from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.errors import german_abort
from app.core.permissions import require
from app.core.urls import safe_next
from app.extensions import db

bp = Blueprint("benachrichtigungen", __name__, url_prefix="/benachrichtigungen")
PAGE_SIZE = 50


@bp.record_once
def _register_header_count(state) -> None:
    """base.html shows the unread count through this global (queried only when rendered)."""
    state.app.jinja_env.globals["ungelesene_benachrichtigungen"] = _unread_for_current_user


def _unread_for_current_user() -> int:
    if not getattr(current_user, "is_authenticated", False):
        return 0
    return services.unread_count(current_user.id)


@bp.route("/")
@login_required
def liste():
    """The person's notifications, newest first, unread marked in words."""
    require("benachrichtigungen.ansehen")
    page = max(request.args.get("seite", 1, type=int) or 1, 1)
    rows = db.session.scalars(
        select(Benachrichtigung)
        .where(Benachrichtigung.user_id == current_user.id)
        .order_by(Benachrichtigung.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "benachrichtigungen/liste.html",
        benachrichtigungen=rows,
        page=page,
        page_size=PAGE_SIZE,
        open_form=OpenForm(),
        all_form=AllReadForm(),
    )


@bp.route("/<int:benachrichtigung_id>/oeffnen", methods=["POST"])
@login_required
def oeffnen(benachrichtigung_id: int) -> ResponseReturnValue:
    """Mark read and go to where the notification points (local paths only)."""
    benachrichtigung = db.get_or_404(Benachrichtigung, benachrichtigung_id)
    require("benachrichtigung.lesen", benachrichtigung)
    if not OpenForm().validate_on_submit():
        german_abort(400, "Das Formular ist unvollständig. Bitte laden Sie die Seite neu.")
    services.mark_read(benachrichtigung)
    db.session.commit()
    return redirect(safe_next(benachrichtigung.url) or url_for("benachrichtigungen.liste"), 303)


@bp.route("/alle-gelesen", methods=["POST"])
@login_required
def alle_gelesen() -> ResponseReturnValue:
    """Mark every unread notification of the person read."""
    require("benachrichtigungen.ansehen")
    if not AllReadForm().validate_on_submit():
        german_abort(400, "Das Formular ist unvollständig. Bitte laden Sie die Seite neu.")
    count = services.mark_all_read(current_user.id)
    db.session.commit()
    flash(f"{count} Benachrichtigung(en) als gelesen markiert.", "erfolg")
    return redirect(url_for("benachrichtigungen.liste"), 303)


@aufgaben_provider
def _unread_notifications(user) -> list[Aufgabe]:
    count = services.unread_count(user.id)
    if not count:
        return []
    text = (
        "1 ungelesene Benachrichtigung" if count == 1 else f"{count} ungelesene Benachrichtigungen"
    )
    return [Aufgabe(text, url_for("benachrichtigungen.liste"), "Benachrichtigungen ansehen")]
