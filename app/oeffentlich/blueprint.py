"""The oeffentlich blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("oeffentlich", __name__, url_prefix="/oeffentlich")
