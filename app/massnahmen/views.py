"""Blueprint ``massnahmen``: a cycle's Themen and prioritised Maßnahmen, one Maßnahme, Vorlage.

Writing routes live in ``views_bearbeiten``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, render_template, request
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.forms import options
from app.core.navigation import nav_entry
from app.core.permissions import require
from app.core.types import utcnow
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen import services
from app.massnahmen.forms import (
    BeschlussForm,
    ButtonForm,
    DrittmittelForm,
    MeilensteinForm,
    OeffentlichkeitForm,
)
from app.massnahmen.models import Beschluss, Massnahme
from app.planungsfelder import services as planungsfelder
from app.workflows.models import Zyklus

bp = Blueprint("massnahmen", __name__, url_prefix="/massnahmen")
nav_entry("Maßnahmen", "massnahmen.index", "massnahmen.ansehen", order=46)


def zyklus_or_404(zyklus_id: int) -> Zyklus:
    zyklus = db.session.get(Zyklus, zyklus_id)
    if zyklus is None:
        abort(404)
    return zyklus


def massnahme_or_404(massnahme_id: int) -> Massnahme:
    massnahme = db.session.scalar(
        select(Massnahme)
        .options(
            joinedload(Massnahme.zyklus),
            joinedload(Massnahme.sozialraum),
            selectinload(Massnahme.impulse).joinedload(Impuls.quelle_gremium),
            selectinload(Massnahme.drittmittel),
            selectinload(Massnahme.beschluesse).joinedload(Beschluss.gremium),
            selectinload(Massnahme.planungsfelder),
            selectinload(Massnahme.meilensteine),
        )
        .where(Massnahme.id == massnahme_id)
    )
    if massnahme is None:
        abort(404)
    return massnahme


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
    return render_template(
        "massnahmen/zyklus.html",
        zyklus=z,
        massnahmen=massnahmen,
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


def render_detail(massnahme: Massnahme, code: int = 200, **forms: Any) -> tuple[str, int]:
    beschluss_form = forms.get("beschluss_form") or BeschlussForm(
        formdata=None, data={"datum": utcnow().date()}
    )
    beschluss_form.gremium_id.choices = gremium_options()
    oeffentlichkeit_form = forms.get("oeffentlichkeit_form") or OeffentlichkeitForm(
        formdata=None, obj=massnahme
    )
    return render_template(
        "massnahmen/detail.html",
        massnahme=massnahme,
        oeffentlichkeit_form=oeffentlichkeit_form,
        meilenstein_form=forms.get("meilenstein_form")
        or MeilensteinForm(formdata=None, prefix="meilenstein"),
        drittmittel_form=forms.get("drittmittel_form") or DrittmittelForm(formdata=None),
        beschluss_form=beschluss_form,
        button_form=ButtonForm(formdata=None),
    ), code


def in_place(massnahme: Massnahme, exc: Any, form_name: str, form: Any):
    """The measure's page again (409 etc.), the refusal shown on the form that caused it."""
    db.session.rollback()
    if form is None:
        flash(exc.message, "fehler")
        return render_detail(massnahme, exc.status_code)
    form.form_errors.append(exc.message)
    return render_detail(massnahme, exc.status_code, **{form_name: form})


def gremium_options() -> list:
    return options(
        [(g.id, f"{g.name} ({g.typ.label})") for g in services.beschluss_gremien()],
        "– bitte wählen –",
    )


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """The PDF is self-contained: nothing is loaded, so user text cannot fetch URLs."""
    raise ValueError(f"Externe Ressourcen sind im PDF nicht erlaubt: {url}")


@bp.route("/zyklus/<int:zyklus_id>/vorlage.pdf")
@login_required
def vorlage(zyklus_id: int):
    """The Vorlage for the Verwaltungsvorstand: prioritised measures, impulses, figures."""
    from weasyprint import HTML

    require("massnahmen.ansehen")
    z = zyklus_or_404(zyklus_id)
    massnahmen = services.prioritised(z.id)
    html = render_template(
        "massnahmen/vorlage_pdf.html",
        zyklus=z,
        massnahmen=massnahmen,
        summen=services.totals(massnahmen),
        erstellt=utcnow(),
    )
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
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
)
