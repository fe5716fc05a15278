"""Blueprint ``vorlagen``: a cycle's Vorlage, its versions as PDF, the Beratungsfolge.

The blueprint and shared helpers live in ``blueprint``; configuration by the Stabsstelle in
``views_verwalten``, the bodies' decisions and the Beschlussauszug in ``views_beschluss``,
start-page tasks and links in ``aufgaben``.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import login_required

from app.core.permissions import require
from app.core.types import utcnow
from app.extensions import db
from app.vorlagen import aufgaben, services, views_beschluss, views_verwalten  # noqa: F401
from app.vorlagen.blueprint import bp, pdf_response, render_detail, vorlage_or_404
from app.vorlagen.forms import VorlageForm
from app.workflows.models import Zyklus


@bp.route("/zyklus/<int:zyklus_id>")
@login_required
def zyklus(zyklus_id: int):
    """The cycle's Vorlage, or (Stabsstelle) the form to create it."""
    z = db.session.get(Zyklus, zyklus_id)
    if z is None:
        abort(404)
    vorlage = services.vorlage_of(z.id)
    if vorlage is not None:
        return redirect(url_for("vorlagen.detail", vorlage_id=vorlage.id))
    require("vorlage.ansehen")
    form = VorlageForm(formdata=None, data={"titel": f"Prioritäten der Sozialplanung – {z.titel}"})
    return render_template("vorlagen/anlegen.html", zyklus=z, form=form)


@bp.route("/<int:vorlage_id>")
@login_required
def detail(vorlage_id: int):
    """The Vorlage: current version, versions, Beratungsfolge with decisions."""
    vorlage = vorlage_or_404(vorlage_id)
    require("vorlage.ansehen", vorlage)
    return render_detail(vorlage)


@bp.route("/<int:vorlage_id>/fassung/<int:nummer>.pdf")
@login_required
def fassung_pdf(vorlage_id: int, nummer: int):
    """One version of the Vorlage as PDF (the rendering of its frozen content)."""
    vorlage = vorlage_or_404(vorlage_id)
    require("vorlage.ansehen", vorlage)
    fassung = next((f for f in vorlage.fassungen if f.nummer == nummer), None)
    if fassung is None:
        abort(404)
    html = render_template(
        "vorlagen/fassung_pdf.html", vorlage=vorlage, fassung=fassung, erstellt=utcnow()
    )
    return pdf_response(html, f"vorlage-{vorlage.id}-fassung-{nummer}.pdf")
