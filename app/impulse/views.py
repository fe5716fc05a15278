"""Blueprint ``impulse``: the detail page of one impulse (the register comes with its own issue)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.permissions import require
from app.extensions import db
from app.impulse.models import Impuls

bp = Blueprint("impulse", __name__, url_prefix="/impulse")


@bp.route("/<int:impuls_id>")
@login_required
def detail(impuls_id: int):
    """One impulse with source, addressee, Sozialraum and status."""
    impuls = db.session.scalar(
        select(Impuls)
        .options(
            joinedload(Impuls.sozialraum),
            joinedload(Impuls.erstellt_von),
            joinedload(Impuls.quelle_gremium),
        )
        .where(Impuls.id == impuls_id)
    )
    if impuls is None:
        abort(404)
    require("impuls.ansehen", impuls)
    return render_template("impulse/detail.html", impuls=impuls, quelle=_quelle_link(impuls))


def _quelle_link(impuls: Impuls) -> tuple[str, str] | None:
    """Text and URL of the source answer, when the impulse came from a Rückmeldung."""
    if impuls.quelle_antwort_id is None:
        return None
    from app.beteiligung.services import antwort_quelle

    return antwort_quelle(impuls.quelle_antwort_id)
