"""Blueprint ``datenbasis``: indicators, imports, Einrichtungen, interviews and the Sozialreport.

The routes live in the ``views_*`` modules, imported at the bottom so they register on ``bp``.
"""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from app.core.forms import Form
from app.core.navigation import nav_entry
from app.core.permissions import require
from app.datenbasis import charts
from app.datenbasis.models import Einrichtung, Importdatei, Indikator, Indikatorwert, Interview
from app.datenbasis.rendering import render_markdown
from app.extensions import db

M = TypeVar("M")

bp = Blueprint("datenbasis", __name__)
nav_entry("Datenbasis", "datenbasis.uebersicht", "datenbasis.ansehen", order=30)
nav_entry("Sozialreports", "datenbasis.berichte", "sozialreport.liste", order=31)


@bp.app_template_filter("zahl")
def _zahl_filter(value: float | None, einheit: str = "") -> str:
    """Numbers in templates the German way."""
    return charts.zahl(value, einheit)


@bp.app_template_filter("markdown")
def _markdown_filter(text: str) -> object:
    """Chapter text as sanitised HTML."""
    return render_markdown(text)


def _redirect(endpoint: str, **values: object) -> Response:
    """Redirect after POST with 303, so a reload does not post again."""
    return redirect(url_for(endpoint, **values), 303)


def _get_or_none(model: type[M], object_id: int | None) -> M | None:
    """The row to edit, or None when a new one is created; unknown ids are 404."""
    return db.get_or_404(model, object_id) if object_id else None


def _form_status(form: Form) -> int:
    """422 when the submitted form has errors, else 200."""
    return 422 if form.errors else 200


def _require_valid(form: Form) -> None:
    """A bare button or confirmation form must validate (CSRF), else 400."""
    if not form.validate_on_submit():
        abort(400)


@bp.route("/datenbasis/")
@login_required
def uebersicht() -> str:
    """Start of the data base: what is there and what can be done."""
    require("datenbasis.ansehen")
    zahlen = {
        "indikatoren": db.session.scalar(select(func.count(Indikator.id))),
        "werte": db.session.scalar(select(func.count(Indikatorwert.id))),
        "einrichtungen": db.session.scalar(select(func.count(Einrichtung.id))),
        "interviews": db.session.scalar(select(func.count(Interview.id))),
    }
    importe = db.session.scalars(
        select(Importdatei)
        .options(joinedload(Importdatei.user))
        .order_by(Importdatei.id.desc())
        .limit(10)
    ).all()
    return render_template("datenbasis/uebersicht.html", zahlen=zahlen, importe=importe)


# Route modules register on ``bp``; imported last because they import ``bp`` from here.
from app.datenbasis import (  # noqa: E402
    felder,
    views_einrichtungen,
    views_importe,
    views_indikatoren,
    views_interviews,
    views_sozialreport,
    views_sozialreport_kapitel,
    views_sozialreport_public,
)

__all__ = [
    "bp",
    "felder",
    "views_einrichtungen",
    "views_importe",
    "views_indikatoren",
    "views_interviews",
    "views_sozialreport",
    "views_sozialreport_kapitel",
    "views_sozialreport_public",
]
