"""The sitzungen blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from app.core.errors import german_abort
from app.core.forms import Form
from app.core.permissions import require
from app.dateien.models import Datei
from app.dateien.services import send_datei
from app.extensions import db
from app.sitzungen import services
from app.sitzungen.forms import ButtonForm
from app.sitzungen.models import Einladung, Sitzung, Tagesordnungspunkt

bp = Blueprint("sitzungen", __name__, url_prefix="/sitzungen")


def sitzung_or_404(sitzung_id: int, action: str = "sitzung.ansehen", *optionen: Any) -> Sitzung:
    """The meeting with its Gremium (and ``optionen``); 404 when missing, 403 without ``action``."""
    sitzung = db.session.scalar(
        select(Sitzung)
        .options(joinedload(Sitzung.gremium), *optionen)
        .where(Sitzung.id == sitzung_id)
    )
    if sitzung is None:
        abort(404)
    require(action, sitzung)
    return sitzung


def changeable(sitzung: Sitzung) -> None:
    """409 when the meeting was held or cancelled."""
    if not sitzung.offen_fuer_aenderungen:
        german_abort(
            409, "Eine durchgeführte oder abgesagte Sitzung kann nicht mehr geändert werden."
        )


def editable_sitzung_or_404(sitzung_id: int) -> Sitzung:
    """The meeting the person may edit and that is still open for changes."""
    sitzung = sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    changeable(sitzung)
    return sitzung


def top_or_404(sitzung: Sitzung, top_id: int) -> Tagesordnungspunkt:
    """The agenda item ``top_id`` of this meeting; 404 otherwise."""
    top = db.session.get(Tagesordnungspunkt, top_id)
    if top is None or top.sitzung_id != sitzung.id:
        abort(404)
    return top


def agenda_tops(sitzung: Sitzung) -> list[Tagesordnungspunkt]:
    """The meeting's agenda items in order, with their documents loaded."""
    return list(
        db.session.scalars(
            select(Tagesordnungspunkt)
            .options(selectinload(Tagesordnungspunkt.dateien))
            .where(Tagesordnungspunkt.sitzung_id == sitzung.id)
            .order_by(Tagesordnungspunkt.position, Tagesordnungspunkt.id)
        )
    )


def valid_button() -> None:
    """400 unless the posted button form (CSRF) is valid."""
    if not ButtonForm().validate_on_submit():
        abort(400)


def form_status(form: Form) -> int:
    """400 when the form has errors, else 200."""
    return 400 if form.errors else 200


def to_sitzung(sitzung: Sitzung, endpoint: str = "sitzungen.detail") -> Response:
    """Redirect (303) to a page of this meeting."""
    return redirect(url_for(endpoint, sitzung_id=sitzung.id), 303)


def finish(
    sitzung: Sitzung, endpoint: str = "sitzungen.detail", message: str | None = None
) -> Response:
    """Commit, flash ``message`` as success and redirect to a page of this meeting."""
    db.session.commit()
    if message:
        flash(message, "erfolg")
    return to_sitzung(sitzung, endpoint)


def send_or_404(datei: Datei | None) -> Response:
    """Send the document; 404 when it was not found."""
    if datei is None:
        abort(404)
    return send_datei(datei)


def einladung_from_token(token: str) -> Einladung:
    """The invitation of a reply link; 400 with the reason when the link is invalid."""
    try:
        return services.read_reply_token(token)
    except services.LinkError as exc:
        german_abort(400, str(exc))  # raises
    raise AssertionError("nicht erreichbar")
