"""The meeting pack as a download: for whoever may see the meeting, and by personal reply link."""

from __future__ import annotations

from flask import Response
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.sitzungen import mappe
from app.sitzungen.blueprint import agenda_tops, bp, einladung_from_token, sitzung_or_404
from app.sitzungen.models import Sitzung, Tagesordnungspunkt


@bp.route(f"/<int:sitzung_id>/{mappe.DATEINAME}")
@login_required
def sitzungsmappe(sitzung_id: int):
    """The pack: the same rule as the agenda documents (whoever may see the meeting)."""
    return _download(sitzung_or_404(sitzung_id))


@bp.route(f"/antwort/<token>/{mappe.DATEINAME}")
def antwort_sitzungsmappe(token: str):
    """The pack for invitees, also guests without an account (link in the invitation)."""
    einladung = einladung_from_token(token)
    sitzung = db.session.scalar(
        select(Sitzung)
        .options(joinedload(Sitzung.gremium))
        .where(Sitzung.id == einladung.sitzung_id)
    )
    return _download(sitzung)


@bp.app_template_global("sitzungsmappe_hinweis")
def _hinweis(tops: list[Tagesordnungspunkt]) -> mappe.Hinweis:
    """For the link on the meeting and reply pages: contents and size, without building it."""
    return mappe.hinweis(tops)


def _download(sitzung: Sitzung) -> Response:
    """Build (or take from the cache) and send the pack as an attachment."""
    ergebnis = mappe.erstellen(sitzung, agenda_tops(sitzung))
    response = Response(ergebnis.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{mappe.dateiname(sitzung)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
