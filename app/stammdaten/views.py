"""Blueprint ``stammdaten``: organisations, Sozialräume, Gremien, memberships, accounts.

Every view checks its permission on the object it touches (``require(action, obj)``);
state changes are POST only, each runs one service call and commits once. The routes live in
``views_*`` modules imported at the bottom; this module holds the blueprint and shared helpers.
"""

from __future__ import annotations

from flask_login import login_required
from sqlalchemy import case, func, select

from app.auth.models import User
from app.core.navigation import nav_entry
from app.core.permissions import require
from app.extensions import db
from app.stammdaten.blueprint import (  # noqa: F401  kept importable from views
    Page,
    _show_error,
    blank,
    bp,
    confirm,
    confirm_status,
    count_by,
    get_or_none,
    invalid_status,
    load,
    render,
    save,
    save_form,
    user_label,
)
from app.stammdaten.models import Gremium, Organisation, Sozialraum

nav_entry("Stammdaten", "stammdaten.uebersicht", "stammdaten.verwalten", order=80)
nav_entry("Meine Organisation", "stammdaten.meine_organisation", "organisation.eigene", order=70)


# --------------------------------------------------------------------------- helpers


# --------------------------------------------------------------------------- overview


@bp.route("/")
@login_required
def uebersicht() -> Page:
    """Entry to the administration with the number of entries per area."""
    require("stammdaten.verwalten")
    counts = {}
    for key, model in (
        ("organisationen", Organisation),
        ("sozialraeume", Sozialraum),
        ("gremien", Gremium),
        ("benutzer", User),
    ):
        total, active = db.session.execute(
            select(func.count(), func.count(case((model.aktiv, 1))))
        ).one()
        counts[key] = {"gesamt": total, "aktiv": active}
    return render("uebersicht.html", None, counts=counts)


from app.stammdaten import (  # noqa: E402, F401
    views_benutzer,
    views_gremien,
    views_import,
    views_mitgliedschaften,
    views_organisationen,
    views_sozialraeume,
)
