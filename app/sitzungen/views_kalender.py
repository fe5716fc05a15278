"""Calendar files and feeds: per meeting, per reply link, personal and per Gremium."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.permissions import require
from app.extensions import db
from app.sitzungen import kalender, services
from app.sitzungen.blueprint import bp, einladung_from_token, sitzung_or_404
from app.sitzungen.forms import ButtonForm
from app.stammdaten.models import Gremium


def _ics_response(data: bytes, filename: str, attachment: bool = True) -> Response:
    """Serve calendar data as a download (or inline for subscribed feeds)."""
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = kalender.CALENDAR_CONTENT_TYPE
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.route("/antwort/<token>/kalender.ics")
def antwort_ics(token: str):
    """The personal calendar entry again (in case the mail attachment got lost)."""
    einladung = einladung_from_token(token)
    _, data = kalender.invitation_ics(einladung.sitzung, einladung)
    return _ics_response(data, "einladung.ics")


@bp.route("/<int:sitzung_id>/kalender.ics")
@login_required
def sitzung_ics(sitzung_id: int):
    """The meeting as a calendar file (METHOD:PUBLISH)."""
    sitzung = sitzung_or_404(sitzung_id)
    return _ics_response(kalender.publish_ics([sitzung]), f"sitzung-{sitzung.id}.ics")


def _change_abo(form: ButtonForm) -> None:
    """Renew or revoke the person's feed URL as posted, with a success message."""
    if not form.validate_on_submit():
        abort(400)
    if request.form.get("aktion") == "widerrufen":
        services.revoke_abo(current_user)
        flash("Der Kalender-Link wurde widerrufen und funktioniert nicht mehr.", "erfolg")
    else:
        services.renew_abo(current_user)
        flash(
            "Ein neuer Kalender-Link wurde erzeugt; ein früherer funktioniert nicht mehr.",
            "erfolg",
        )


@bp.route("/kalender", methods=["GET", "POST"])
@login_required
def kalender_abo():
    """Show, create, renew or revoke the personal calendar feed URL."""
    require("kalender.abo")
    form = ButtonForm()
    if request.method == "POST":
        _change_abo(form)
        db.session.commit()
        return redirect(url_for("sitzungen.kalender_abo"), 303)
    abo = services.active_abo(current_user)
    link = url_for("sitzungen.feed", token=abo.token, _external=True) if abo else None
    return render_template("sitzungen/kalender.html", abo=abo, link=link, form=form)


@bp.route("/kalender/<token>.ics")
def feed(token: str):
    """A person's subscribed calendar: meetings of their Gremien and their invitations."""
    found = services.feed_for_token(token)
    if found is None:
        abort(404)
    user, sitzungen = found
    data = kalender.publish_ics(sitzungen, f"Sitzungen – {user.name}")
    return _ics_response(data, "sitzungen.ics", attachment=False)


@bp.route("/gremien/<int:gremium_id>/kalender.ics")
def gremium_feed(gremium_id: int):
    """The public meetings of a Gremium as a subscribable calendar (no login)."""
    gremium = db.get_or_404(Gremium, gremium_id)
    if not gremium.aktiv:
        abort(404)
    data = kalender.publish_ics(
        services.public_feed(gremium),
        f"{gremium.name} – öffentliche Sitzungen",
        public_url=lambda s: url_for("sitzungen.detail", sitzung_id=s.id, _external=True),
    )
    return _ics_response(data, f"gremium-{gremium.id}.ics", attachment=False)
