"""Sozialraum routes of the ``stammdaten`` blueprint: list, create, show, edit, (de)activate."""

from __future__ import annotations

from flask import url_for
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.core.permissions import require
from app.extensions import db
from app.stammdaten import services
from app.stammdaten.blueprint import (
    Page,
    bp,
    confirm_status,
    invalid_status,
    load,
    render,
    save_form,
)
from app.stammdaten.forms import SozialraumForm
from app.stammdaten.models import Gremium, Sozialraum

DEAKTIVIEREN_HINWEIS = (
    "Er wird in Auswahllisten nicht mehr angeboten. Bisherige Daten, die sich auf "
    "ihn beziehen, bleiben erhalten."
)


def _detail_url(raum: Sozialraum) -> str:
    """The Sozialraum's detail page."""
    return url_for("stammdaten.sozialraum_detail", sozialraum_id=raum.id)


@bp.route("/sozialraeume")
@login_required
def sozialraeume() -> Page:
    """All Sozialräume with their Stadtteilarbeitskreise."""
    require("stammdaten.verwalten")
    rows = db.session.scalars(select(Sozialraum).order_by(Sozialraum.nummer)).all()
    kreise: dict[int, list[Gremium]] = {}
    for gremium in db.session.scalars(
        select(Gremium).where(Gremium.sozialraum_id.is_not(None)).order_by(Gremium.name)
    ):
        kreise.setdefault(gremium.sozialraum_id, []).append(gremium)
    return render("sozialraeume.html", "sozialraeume", sozialraeume=rows, kreise=kreise)


@bp.route("/sozialraeume/neu", methods=["GET", "POST"])
@login_required
def sozialraum_neu() -> Page | Response:
    """Create a Sozialraum."""
    require("sozialraum.bearbeiten")
    form = SozialraumForm()
    done = save_form(
        form,
        lambda: services.create_sozialraum(
            nummer=form.nummer.data, name=form.name.data, beschreibung=form.beschreibung.data
        ),
        erfolg=lambda raum: f"Der Sozialraum „{raum.name}“ wurde angelegt.",
        ziel=_detail_url,
    )
    if done is not None:
        return done
    return render(
        "sozialraum_form.html", "sozialraeume", invalid_status(), form=form, sozialraum=None
    )


@bp.route("/sozialraeume/<int:sozialraum_id>")
@login_required
def sozialraum_detail(sozialraum_id: int) -> Page:
    """A Sozialraum with its Stadtteilarbeitskreise."""
    raum = load(Sozialraum, sozialraum_id)
    require("sozialraum.bearbeiten", raum)
    kreise = db.session.scalars(
        select(Gremium)
        .where(Gremium.sozialraum_id == raum.id)
        .order_by(Gremium.aktiv.desc(), Gremium.name)
    ).all()
    return render("sozialraum_detail.html", "sozialraeume", sozialraum=raum, kreise=kreise)


@bp.route("/sozialraeume/<int:sozialraum_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def sozialraum_bearbeiten(sozialraum_id: int) -> Page | Response:
    """Edit number, name and description of a Sozialraum."""
    raum = load(Sozialraum, sozialraum_id)
    require("sozialraum.bearbeiten", raum)
    form = SozialraumForm(obj=raum)
    done = save_form(
        form,
        lambda: services.update_sozialraum(
            raum,
            nummer=form.nummer.data,
            name=form.name.data,
            beschreibung=form.beschreibung.data,
        ),
        erfolg=lambda _: "Der Sozialraum wurde gespeichert.",
        ziel=lambda _: _detail_url(raum),
    )
    if done is not None:
        return done
    return render(
        "sozialraum_form.html", "sozialraeume", invalid_status(), form=form, sozialraum=raum
    )


def _statuswechsel(sozialraum_id: int, aktivieren: bool) -> Page | Response:
    """Confirm and (de)activate a Sozialraum."""
    raum = load(Sozialraum, sozialraum_id)
    require("sozialraum.bearbeiten", raum)
    wechsel = services.reactivate_sozialraum if aktivieren else services.deactivate_sozialraum
    return confirm_status(
        aktivieren=aktivieren,
        artikel="der",
        nomen="Sozialraum",
        bezeichnung=f"Sozialraum „{raum.name}“",
        hinweis=None if aktivieren else DEAKTIVIEREN_HINWEIS,
        zurueck=_detail_url(raum),
        action=lambda: wechsel(raum),
        bereich="sozialraeume",
    )


@bp.route("/sozialraeume/<int:sozialraum_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def sozialraum_deaktivieren(sozialraum_id: int) -> Page | Response:
    """Deactivate a Sozialraum after confirmation."""
    return _statuswechsel(sozialraum_id, aktivieren=False)


@bp.route("/sozialraeume/<int:sozialraum_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def sozialraum_reaktivieren(sozialraum_id: int) -> Page | Response:
    """Reactivate a Sozialraum after confirmation."""
    return _statuswechsel(sozialraum_id, aktivieren=True)
