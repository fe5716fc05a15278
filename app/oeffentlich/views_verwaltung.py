"""The Stabsstelle's overview: everything that is public right now, each with its link."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core.navigation import nav_entry
from app.core.permissions import require
from app.extensions import db
from app.oeffentlich import drucksachen, rechenschaft, services
from app.oeffentlich import sichtbarkeit as sicht
from app.oeffentlich.blueprint import bp

nav_entry("Öffentlichkeit", "oeffentlich.uebersicht", "oeffentlichkeit.uebersicht", order=90)


@bp.route("/verwaltung")
@login_required
def uebersicht() -> str:
    """So nothing is public by accident: the complete list of what visitors can see."""
    require("oeffentlichkeit.uebersicht")
    personen = db.session.scalars(
        select(User)
        .options(joinedload(User.organisation))
        .where(sicht.person_oeffentlich())
        .order_by(User.name)
    ).all()
    return render_template(
        "oeffentlich/uebersicht.html",
        sitzungen=services.upcoming_meetings(limit=services.LIST_LIMIT),
        protokolle=services.public_minutes(limit=50),
        impulse=rechenschaft.public_impulse(limit=rechenschaft.LIST_LIMIT),
        massnahmen=rechenschaft.public_massnahmen(limit=rechenschaft.LIST_LIMIT),
        vorlagen=drucksachen.public_vorlagen(),
        personen=personen,
        namen_erlaubt=sicht.namen_erlaubt(),
    )
