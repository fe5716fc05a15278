"""Blueprint ``massnahmen``: a cycle's Themen and prioritised Maßnahmen, one Maßnahme, Vorlage.

Writing routes live in ``views_bearbeiten``.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from app.core.datenstand import zwischengespeichert
from app.core.navigation import nav_entry
from app.core.pdf import html_to_pdf
from app.core.permissions import can, require
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
    darf = (can(current_user, "massnahme.bearbeiten"), can(current_user, "thema.bearbeiten"))
    schluessel = ("massnahmen-zyklus", z.id, *darf, tuple(sorted(request.args.items(multi=True))))
    inhalt = zwischengespeichert(schluessel, lambda: _zyklus_inhalt(z, feld))
    return render_template("massnahmen/zyklus.html", zyklus=z, inhalt=inhalt)


def _zyklus_inhalt(z, feld) -> Markup:
    """Themen and the page of prioritised measures as HTML (pure: data, query and rights)."""
    from app.massnahmen.wirkung import staende

    blatt, summen = services.liste(z.id, feld)  # the sums cover all, the table one page
    return Markup(
        render_template(
            "massnahmen/_zyklus_inhalt.html",
            zyklus=z,
            massnahmen=blatt.eintraege,
            blatt=blatt,
            staende=staende(ziel for m, _, _ in blatt.eintraege for ziel in m.wirkungsziele),
            themen=services.themen_of(z.id, feld),
            summen=summen,
            felder=planungsfelder.active_felder(),
            feld=feld,
        )
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
