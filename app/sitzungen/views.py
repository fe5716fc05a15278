"""Blueprint ``sitzungen``: meetings, agenda, invitations, reply links, calendar files and feeds.

This module defines ``bp``, the shared view helpers and the list/detail pages; the other
routes live in ``views_planung`` (create, edit, agenda), ``views_einladungen`` (invite,
cancel, held, reply links) and ``views_kalender`` (calendar files and feeds), imported at the
bottom so they register on the same blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.errors import german_abort
from app.core.forms import Form
from app.core.i18n import datumzeit
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.types import utcnow
from app.dateien.models import Datei
from app.dateien.services import send_datei
from app.extensions import db
from app.sitzungen import services
from app.sitzungen.forms import ButtonForm
from app.sitzungen.models import Antwort, Einladung, Sitzung, Tagesordnungspunkt

bp = Blueprint("sitzungen", __name__, url_prefix="/sitzungen")
nav_entry("Sitzungen", "sitzungen.liste", None, order=30)
LIST_LIMIT = 100


# --------------------------------------------------------------------------- shared helpers


def sitzung_or_404(sitzung_id: int, action: str = "sitzung.ansehen") -> Sitzung:
    """The meeting with its Gremium; 404 when missing, 403 without ``action``."""
    sitzung = db.session.scalar(
        select(Sitzung).options(joinedload(Sitzung.gremium)).where(Sitzung.id == sitzung_id)
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


# --------------------------------------------------------------------------- list and detail


@bp.route("/")
@login_required
def liste():
    """Upcoming (or past) meetings the person may see, with reply counts for organisers."""
    vergangen = request.args.get("zeitraum") == "vergangen"
    sitzungen = _listed_sitzungen(vergangen)
    organisiert = services.organised_gremium_ids(current_user)
    eigene = _own_answers([s.id for s in sitzungen])
    return render_template(
        "sitzungen/liste.html",
        sitzungen=sitzungen,
        vergangen=vergangen,
        zaehler=services.reply_counts([s.id for s in sitzungen]),
        organisiert=organisiert,
        eigene=eigene,
        darf_anlegen=current_user.ist_stabsstelle or bool(organisiert),
    )


def _listed_sitzungen(vergangen: bool) -> list[Sitzung]:
    """Visible upcoming meetings (soonest first) or past ones (latest first)."""
    now = utcnow()
    query = services.visible_sitzungen(current_user).options(joinedload(Sitzung.gremium))
    if vergangen:
        query = query.where(Sitzung.ende < now).order_by(Sitzung.beginn.desc())
    else:
        query = query.where(Sitzung.ende >= now).order_by(Sitzung.beginn)
    return list(db.session.scalars(query.limit(LIST_LIMIT)))


def _own_answers(sitzung_ids: list[int]) -> dict[int, Antwort]:
    """The current person's reply per listed meeting."""
    if not sitzung_ids:
        return {}
    rows = db.session.execute(
        select(Einladung.sitzung_id, Einladung.antwort).where(
            Einladung.sitzung_id.in_(sitzung_ids), Einladung.user_id == current_user.id
        )
    ).all()
    return {row.sitzung_id: row.antwort for row in rows}


@bp.route("/<int:sitzung_id>")
@login_required
def detail(sitzung_id: int):
    """Meeting data and agenda; organisers also see the attendance list and reply history."""
    sitzung = sitzung_or_404(sitzung_id)
    tops = agenda_tops(sitzung)
    bearbeiten = can(current_user, "sitzung.bearbeiten", sitzung)
    einladungen = _einladungen(sitzung) if bearbeiten else []
    eigene = services.own_einladung(sitzung, current_user)
    return render_template(
        "sitzungen/detail.html",
        sitzung=sitzung,
        tops=tops,
        bearbeiten=bearbeiten,
        einladungen=einladungen,
        zaehler=services.attendance_counts(einladungen),
        verlauf=services.history(sitzung) if bearbeiten else [],
        eigene=eigene,
        eigener_link=url_for("sitzungen.antwort", token=services.reply_token(eigene))
        if eigene
        else None,
        form=ButtonForm(),
        jetzt=utcnow(),
    )


def _einladungen(sitzung: Sitzung) -> list[Einladung]:
    """All invitations of the meeting: members first, then guests, by name."""
    return list(
        db.session.scalars(
            select(Einladung)
            .where(Einladung.sitzung_id == sitzung.id)
            .order_by(Einladung.gast, Einladung.name, Einladung.id)
        )
    )


# --------------------------------------------------------------------------- start page


@aufgaben_provider
def _offene_einladungen(user: Any) -> list[Aufgabe]:
    """Upcoming invitations the person has not answered yet."""
    if not getattr(user, "is_authenticated", False):
        return []
    soon = utcnow().timestamp() + 3 * 24 * 3600
    return [
        Aufgabe(
            f"Rückmeldung zur Sitzung „{e.sitzung.titel}“ ({e.sitzung.gremium.name}) "
            f"am {datumzeit(e.sitzung.beginn)}",
            url_for("sitzungen.antwort", token=services.reply_token(e)),
            "Zusage, Absage oder Vertretung angeben",
            dringend=e.sitzung.beginn.timestamp() < soon,
        )
        for e in services.open_einladungen(user)
    ]


from app.sitzungen import (  # noqa: E402, F401
    views_einladungen,
    views_kalender,
    views_planung,
)
