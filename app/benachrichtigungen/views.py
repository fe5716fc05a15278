"""Blueprint ``benachrichtigungen``: the personal list, open (marks read), mark all read."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from app.audit.context import acting_as
from app.auth.models import User
from app.benachrichtigungen import einstellungen as settings
from app.benachrichtigungen import services
from app.benachrichtigungen.arten import ARTEN, ARTEN_NACH_SCHLUESSEL, IMMER_SOFORT, Rhythmus
from app.benachrichtigungen.forms import AllReadForm, OpenForm, einstellungen_form
from app.benachrichtigungen.models import Benachrichtigung
from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.errors import german_abort
from app.core.i18n import anzahl
from app.core.permissions import require
from app.core.seiten import blaettern
from app.core.urls import safe_next
from app.extensions import csrf, db

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
    blatt = blaettern(
        select(Benachrichtigung)
        .where(Benachrichtigung.user_id == current_user.id)
        .order_by(Benachrichtigung.id.desc()),
        PAGE_SIZE,
    )
    return render_template(
        "benachrichtigungen/liste.html",
        benachrichtigungen=blatt.eintraege,
        blatt=blatt,
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
    flash(
        anzahl(count, "Benachrichtigung", "Benachrichtigungen", "Keine Benachrichtigung")
        + " als gelesen markiert.",
        "erfolg",
    )
    return redirect(url_for("benachrichtigungen.liste"), 303)


@bp.route("/einstellungen", methods=["GET", "POST"])
@login_required
def einstellungen() -> ResponseReturnValue:
    """How the person wants to hear of each kind: at once, daily, weekly or not by mail."""
    require("benachrichtigungen.ansehen")
    werte = settings.einstellungen(current_user)
    form = einstellungen_form(werte)
    if form.validate_on_submit():
        neu = {a.schluessel: Rhythmus(form[f"art_{a.schluessel}"].data) for a in ARTEN}
        try:
            anzahl = settings.set_einstellungen(current_user, neu)
        except settings.EinstellungFehler as exc:
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                "Ihre Benachrichtigungseinstellungen wurden gespeichert."
                if anzahl
                else "Es gab keine Änderung.",
                "erfolg",
            )
            return redirect(url_for("benachrichtigungen.einstellungen"), 303)
    status = 400 if request.method == "POST" else 200
    return (
        render_template(
            "benachrichtigungen/einstellungen.html",
            form=form,
            arten=ARTEN,
            immer_sofort=IMMER_SOFORT,
        ),
        status,
    )


@bp.route("/abbestellen/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the authorisation; mail clients post without a session
def abbestellen(token: str) -> ResponseReturnValue:
    """Unsubscribe without login: GET asks, POST (the button or RFC 8058 one-click) does it."""
    gelesen = settings.lies_abmelde_token(token)
    user = db.session.get(User, gelesen[0]) if gelesen else None
    if gelesen is None or user is None or not user.aktiv:
        german_abort(404, "Dieser Abmeldelink ist ungültig oder das Konto besteht nicht mehr.")
    schluessel = gelesen[1]
    arten = list(ARTEN) if schluessel == settings.ALLE else [ARTEN_NACH_SCHLUESSEL[schluessel]]
    if request.method == "POST":
        with acting_as(user.id, user.name):
            geaendert = settings.abbestellen(user, schluessel)
            db.session.commit()
        return render_template(
            "benachrichtigungen/abbestellen.html",
            erledigt=True,
            geaendert=geaendert,
            arten=arten,
            leisester=settings.leisester,
        )
    return render_template(
        "benachrichtigungen/abbestellen.html",
        erledigt=False,
        arten=arten,
        leisester=settings.leisester,
    )


@aufgaben_provider
def _unread_notifications(user) -> list[Aufgabe]:
    count = services.unread_count(user.id)
    if not count:
        return []
    text = (
        "1 ungelesene Benachrichtigung" if count == 1 else f"{count} ungelesene Benachrichtigungen"
    )
    return [Aufgabe(text, url_for("benachrichtigungen.liste"), "Benachrichtigungen ansehen")]
