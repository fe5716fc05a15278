"""Blueprint ``datenbasis``: indicators, imports, Einrichtungen, interviews and the Sozialreport.

The routes live in the ``views_*`` modules, imported at the bottom so they register on ``bp``.
"""

from __future__ import annotations

from flask import render_template
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.core.navigation import nav_entry
from app.core.permissions import require
from app.datenbasis import charts
from app.datenbasis.blueprint import (  # noqa: F401  kept importable from views
    M,
    _form_status,
    _get_or_none,
    _redirect,
    _require_valid,
    bp,
)
from app.datenbasis.erweiterungen import uebersicht_abschnitte
from app.datenbasis.models import Einrichtung, Importdatei, Indikator, Indikatorwert, Interview
from app.extensions import db

nav_entry("Datenbasis", "datenbasis.uebersicht", "datenbasis.ansehen", order=30)
nav_entry("Sozialreports", "datenbasis.berichte", "sozialreport.liste", order=31)


@bp.app_template_filter("zahl")
def _zahl_filter(value: float | None, einheit: str = "") -> str:
    """Numbers in templates the German way."""
    return charts.zahl(value, einheit)


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
    return render_template(
        "datenbasis/uebersicht.html",
        zahlen=zahlen,
        importe=importe,
        abschnitte=uebersicht_abschnitte(),
    )


# Route modules register on ``bp``; imported last because they import ``bp`` from here.
from app.datenbasis import (  # noqa: E402
    felder,
    views_downloads,
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
    "views_downloads",
    "views_einrichtungen",
    "views_importe",
    "views_indikatoren",
    "views_interviews",
    "views_sozialreport",
    "views_sozialreport_kapitel",
    "views_sozialreport_public",
]
