"""The beteiligung blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from flask import Blueprint, abort

from app.beteiligung import services
from app.beteiligung.models import Rueckmeldebogen, Rueckmeldung
from app.extensions import db

bp = Blueprint("beteiligung", __name__, url_prefix="/beteiligung")


def bogen_or_404(bogen_id: int) -> Rueckmeldebogen:
    """The form with sections and questions, or 404."""
    bogen = services.load_bogen(bogen_id)
    if bogen is None:
        abort(404)
    return bogen


def rueckmeldung_or_404(rueckmeldung_id: int) -> Rueckmeldung:
    """One organisation's answer row, or 404."""
    rm = db.session.get(Rueckmeldung, rueckmeldung_id)
    if rm is None:
        abort(404)
    return rm
