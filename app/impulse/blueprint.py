"""The impulse blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.datenstand import zwischengespeichert
from app.core.forms import options
from app.core.permissions import can
from app.core.seitenspeicher import seite
from app.extensions import db
from app.impulse import herkunft, services
from app.impulse.forms import (
    AntwortForm,
    ButtonForm,
    PlanungsfelderForm,
    StatusForm,
)
from app.impulse.kette import Glied, build
from app.impulse.models import Impuls
from app.planungsfelder import services as planungsfelder

bp = Blueprint("impulse", __name__, url_prefix="/impulse")


def impuls_or_404(impuls_id: int) -> Impuls:
    impuls = db.session.scalar(
        select(Impuls)
        .options(
            joinedload(Impuls.sozialraum),
            joinedload(Impuls.erstellt_von),
            joinedload(Impuls.quelle_gremium),
            joinedload(Impuls.zyklus),
            selectinload(Impuls.planungsfelder),
        )
        .where(Impuls.id == impuls_id)
    )
    if impuls is None:
        abort(404)
    return impuls


def status_form(impuls: Impuls, formdata: Any = None) -> StatusForm:
    form = StatusForm(formdata=formdata, data={"erwartet": impuls.status.value})
    form.nach.choices = options(
        [(nach.value, label) for nach, label in services.allowed_moves(impuls.status)]
    )
    return form


def render_detail(impuls: Impuls, code: int = 200, **forms: Any) -> tuple[str, int]:
    """The impulse page (after a refused form: with its errors, not cached)."""
    return seite(*detail_inhalt(impuls, code, **forms))


def detail_inhalt(impuls: Impuls, code: int = 200, **forms: Any) -> tuple[str, Markup, int]:
    """Title, content and status of the impulse page for the logged-in reader."""
    verwalten = can(current_user, "impuls.verwalten", impuls)
    if verwalten:  # the forms are only shown to those who manage the impulse
        forms = {
            "status_form": forms.get("status_form") or status_form(impuls),
            "antwort_form": forms.get("antwort_form")
            or AntwortForm(formdata=None, data={"antwort": impuls.antwort}),
            "button_form": ButtonForm(formdata=None),
            "felder_form": forms.get("felder_form") or felder_form(impuls),
        }
    inhalt = render_template(
        "impulse/_detail_seite.html",
        impuls=impuls,
        kette_html=zwischengespeichert(("impuls-kette", impuls.id), lambda: _kette_html(impuls)),
        verwalten=verwalten,
        **forms,
    )
    return f"Impuls: {impuls.titel}", Markup(inhalt), code


def _kette_html(impuls: Impuls) -> Markup:
    """The chain from the source to the decisions (the same for every reader)."""
    kette = build(impuls, source_step(impuls))
    return Markup(render_template("impulse/_kette.html", impuls=impuls, kette=kette))


def felder_form(impuls: Impuls, formdata: Any = None) -> PlanungsfelderForm:
    """The Stabsstelle's checkbox list of fields, preset with the impulse's own."""
    form = PlanungsfelderForm(
        formdata=formdata, data={"planungsfelder": [f.id for f in impuls.planungsfelder]}
    )
    form.planungsfelder.choices = options(planungsfelder.form_choices(impuls.planungsfelder))
    return form


def source_step(impuls: Impuls) -> Glied:
    """Where the impulse came from: what a registered package says (minutes, a form answer), or
    a direct entry."""
    found = herkunft.quelle_von(impuls)
    if found is not None:
        return found
    gremium = f" ({impuls.quelle_gremium.name})" if impuls.quelle_gremium else ""
    return Glied("Herkunft", f"Direkt erfasst: {impuls.quelle.label}{gremium}", impuls.created_at)
