"""Blueprint ``massnahmen``: a cycle's Themen and prioritised Maßnahmen, one Maßnahme, Vorlage.

Writing routes live in ``views_bearbeiten``.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import login_required

from app.core.navigation import nav_entry
from app.core.pdf import html_to_pdf
from app.core.permissions import require
from app.core.seiten import blatt_aus_liste
from app.core.types import utcnow
from app.massnahmen import services
from app.massnahmen.blueprint import (  # noqa: F401  kept importable from views
    bp,
    gremium_options,
    in_place,
    massnahme_or_404,
    render_detail,
    zyklus_or_404,
)
from app.planungsfelder import services as planungsfelder

nav_entry("Maßnahmen", "massnahmen.index", "massnahmen.ansehen", order=46)


@bp.route("/")
@login_required
def index():
    """The cycles, each with a link to its Themen and Maßnahmen."""
    require("massnahmen.ansehen")
    return render_template("massnahmen/index.html", zyklen=services.zyklen())


@bp.route("/zyklus/<int:zyklus_id>")
@login_required
def zyklus(zyklus_id: int):
    """Themen for the Stadtteilarbeitskreise and the measures in priority order."""
    require("massnahmen.ansehen")
    z = zyklus_or_404(zyklus_id)
    feld = planungsfelder.by_schluessel(request.args.get("feld"))
    massnahmen = services.prioritised(z.id, feld)
    blatt = blatt_aus_liste(massnahmen)  # the sums below cover all, the table one page
    from app.massnahmen.wirkung import staende

    return render_template(
        "massnahmen/zyklus.html",
        zyklus=z,
        massnahmen=blatt.eintraege,
        blatt=blatt,
        staende=staende(ziel for m in blatt.eintraege for ziel in m.wirkungsziele),
        themen=services.themen_of(z.id, feld),
        summen=services.totals(massnahmen),
        felder=planungsfelder.active_felder(),
        feld=feld,
    )


@bp.route("/<int:massnahme_id>")
@login_required
def detail(massnahme_id: int):
    """One measure: figures, funding, impulses, decisions."""
    require("massnahmen.ansehen")
    return render_detail(massnahme_or_404(massnahme_id))


@bp.route("/zyklus/<int:zyklus_id>/vorlage.pdf")
@login_required
def vorlage(zyklus_id: int):
    """The Vorlage for the Verwaltungsvorstand: prioritised measures, impulses, figures."""

    require("massnahmen.ansehen")
    z = zyklus_or_404(zyklus_id)
    massnahmen = services.prioritised(z.id)
    from app.massnahmen.wirkung import staende

    html = render_template(
        "massnahmen/vorlage_pdf.html",
        zyklus=z,
        massnahmen=massnahmen,
        staende=staende(ziel for m in massnahmen for ziel in m.wirkungsziele),
        summen=services.totals(massnahmen),
        erstellt=utcnow(),
    )
    pdf = html_to_pdf(html)
    return (
        pdf,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="vorlage-verwaltungsvorstand-{z.id}.pdf"',
            "X-Content-Type-Options": "nosniff",
        },
    )


from app.massnahmen import (  # noqa: E402, F401
    felder,
    themen_abschnitte,
    views_bearbeiten,
    views_rechenschaft,
    views_themen,
    views_wirkung,
    wirkung_aufgaben,
    wirkung_bericht,
)
