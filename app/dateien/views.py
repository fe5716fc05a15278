"""Blueprint ``dateien``: no routes of its own.

Every file belongs to something (a TOP, a Protokoll); the owning feature checks its permission
and then serves the file with ``app.dateien.services.send_datei``.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dateien", __name__)
