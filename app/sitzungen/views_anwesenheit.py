"""The attendance list of a meeting: print page and XLSX, for the meeting's organisers."""

from __future__ import annotations

from flask import Response, render_template
from flask_login import login_required

from app.core.tabellen import XLSX_TYPE
from app.sitzungen import anwesenheit
from app.sitzungen.blueprint import bp, sitzung_or_404


@bp.route("/<int:sitzung_id>/anwesenheitsliste")
@login_required
def anwesenheitsliste(sitzung_id: int):
    """Invitees with their replies and an empty signature column, ready to print."""
    sitzung = sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    liste = anwesenheit.teilnehmer(sitzung)
    return render_template(
        "sitzungen/anwesenheitsliste.html",
        sitzung=sitzung,
        teilnehmer=liste,
        zaehlung=anwesenheit.zaehlung(liste),
        termin=anwesenheit.termin(sitzung),
        leerzeilen=anwesenheit.LEERZEILEN,
    )


@bp.route("/<int:sitzung_id>/anwesenheitsliste.xlsx")
@login_required
def anwesenheitsliste_xlsx(sitzung_id: int):
    """The same list as an Excel workbook (German headers; text never a formula)."""
    sitzung = sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    data = anwesenheit.als_xlsx(sitzung, anwesenheit.teilnehmer(sitzung))
    response = Response(data, mimetype=XLSX_TYPE)
    name = anwesenheit.dateiname(sitzung, "anwesenheitsliste", "xlsx")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
