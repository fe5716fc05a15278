"""Blueprint ``exporte``: the overview and the downloads (XLSX, CSV)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.tabellen import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes
from app.core.types import utcnow
from app.exporte.tabellen import EXPORTE

bp = Blueprint("exporte", __name__, url_prefix="/exporte")
nav_entry("Exporte", "exporte.uebersicht", "exporte.uebersicht", order=85)


@bp.route("/")
@login_required
def uebersicht():
    """The exports this person may download."""
    require("exporte.uebersicht")
    erlaubt = [e for e in EXPORTE.values() if can(current_user, e.recht)]
    return render_template("exporte/uebersicht.html", exporte=erlaubt)


@bp.route("/<schluessel>.<any(xlsx, csv):fmt>")
@login_required
def herunterladen(schluessel: str, fmt: str):
    """One export as a spreadsheet (recorded in the audit log as an export)."""
    export = EXPORTE.get(schluessel)
    if export is None:
        abort(404)
    require(export.recht)
    kopf, rows = export.tabelle()
    name = f"{schluessel}-{utcnow():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        daten, typ = xlsx_bytes(export.titel, kopf, rows, width=22), XLSX_TYPE
    else:
        daten, typ = csv_bytes(kopf, rows), CSV_TYPE
    return (
        daten,
        200,
        {"Content-Type": typ, "Content-Disposition": f'attachment; filename="{name}"'},
    )
