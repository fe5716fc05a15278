"""Blueprint ``stammdaten``: organisations, Sozialräume, Gremien, memberships, accounts."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.navigation import nav_entry
from app.core.permissions import require
from app.extensions import db
from app.stammdaten.models import Gremium, Mitgliedschaft

bp = Blueprint("stammdaten", __name__, url_prefix="/stammdaten")
nav_entry("Stammdaten", "stammdaten.gremien", "stammdaten.verwalten", order=80)


@bp.route("/gremien")
@login_required
def gremien():
    """All Gremien with type and Sozialraum."""
    require("stammdaten.verwalten")
    rows = db.session.scalars(
        select(Gremium).options(joinedload(Gremium.sozialraum)).order_by(Gremium.typ, Gremium.name)
    ).all()
    return render_template("stammdaten/gremien.html", gremien=rows)


@bp.route("/gremien/<int:gremium_id>")
@login_required
def gremium_detail(gremium_id: int):
    """A Gremium with its members; visible to its members and the Stabsstelle."""
    gremium = db.session.scalar(
        select(Gremium)
        .options(
            joinedload(Gremium.sozialraum),
            selectinload(Gremium.mitgliedschaften).joinedload(Mitgliedschaft.user),
            selectinload(Gremium.mitgliedschaften).joinedload(Mitgliedschaft.organisation),
        )
        .where(Gremium.id == gremium_id)
    )
    if gremium is None:
        from flask import abort

        abort(404)
    require("gremium.ansehen", gremium)
    return render_template("stammdaten/gremium_detail.html", gremium=gremium)
