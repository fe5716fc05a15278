"""Blueprint ``vorlagen``: a cycle's Vorlage, its versions as PDF, the Beratungsfolge.

Configuration by the Stabsstelle lives in ``views_verwalten``, the bodies' decisions and the
Beschlussauszug in ``views_beschluss``, start-page tasks and links in ``aufgaben``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.core.permissions import can, require
from app.core.types import utcnow
from app.extensions import db
from app.massnahmen.models import Massnahme
from app.stammdaten.models import Gremium, GremiumTyp
from app.vorlagen import services
from app.vorlagen.forms import (
    BeratungForm,
    ButtonForm,
    FassungForm,
    RechtForm,
    SitzungForm,
    VorlageForm,
)
from app.vorlagen.models import Beratung, Vorlage
from app.workflows.models import Zyklus

bp = Blueprint("vorlagen", __name__, url_prefix="/vorlagen")


def vorlage_or_404(vorlage_id: int) -> Vorlage:
    vorlage = services.get_vorlage(vorlage_id)
    if vorlage is None:
        abort(404)
    return vorlage


def beratung_or_404(beratung_id: int) -> Beratung:
    beratung = db.session.get(Beratung, beratung_id)
    if beratung is None:
        abort(404)
    return beratung


def no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """PDFs are self-contained: nothing is loaded, so user text cannot fetch URLs."""
    raise ValueError(f"Externe Ressourcen sind im PDF nicht erlaubt: {url}")


def pdf_response(html: str, filename: str) -> tuple[bytes, int, dict[str, str]]:
    from weasyprint import HTML

    pdf = HTML(string=html, url_fetcher=no_fetch).write_pdf()
    return (
        pdf,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


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


def render_detail(vorlage: Vorlage, code: int = 200, **forms: Any) -> tuple[str, int]:
    fassung = vorlage.aktuelle_fassung
    verwalten = can(current_user, "vorlage.verwalten")
    context: dict[str, Any] = {}
    if verwalten:
        context = _verwalten_context(vorlage, forms)
    return render_template(
        "vorlagen/detail.html",
        vorlage=vorlage,
        fassung=fassung,
        massnahmen_sichtbar=can(current_user, "massnahmen.ansehen"),
        status={m.id: m.status for m in services.massnahmen_der_fassung(fassung)},
        wartet={b.id: services.wartet_auf(b) for b in vorlage.beratungen},
        darf={b.id: can(current_user, "beratung.beschliessen", b) for b in vorlage.beratungen},
        verwalten=verwalten,
        **context,
    ), code


def _verwalten_context(vorlage: Vorlage, forms: dict[str, Any]) -> dict[str, Any]:
    from app.core.forms import options

    vorlage_form = forms.get("vorlage_form") or VorlageForm(formdata=None, obj=vorlage)
    beratung_form = forms.get("beratung_form") or BeratungForm(formdata=None)
    vorhandene = {b.gremium_id for b in vorlage.beratungen}
    gremien = db.session.scalars(
        db.select(Gremium)
        .where(
            Gremium.typ.in_((GremiumTyp.VERWALTUNGSVORSTAND, GremiumTyp.FACHAUSSCHUSS)),
            Gremium.aktiv,
        )
        .order_by(Gremium.typ.desc(), Gremium.name)
    ).all()
    beratung_form.gremium_id.choices = options(
        [(g.id, g.name) for g in gremien if g.id not in vorhandene], "– bitte wählen –"
    )
    sitzung_forms = {}
    recht_forms = {}
    for b in vorlage.beratungen:
        sf = SitzungForm(formdata=None, prefix=f"sitzung-{b.id}")
        sf.sitzung_id.choices = options(
            [(s.id, f"{s.titel} ({s.beginn:%d.%m.%Y})") for s in services.sitzungen_fuer(b)],
            "– bitte wählen –",
        )
        sitzung_forms[b.id] = sf
        rf = RechtForm(formdata=None, prefix=f"recht-{b.id}")
        rf.user_id.choices = options(
            [(m.user_id, m.user.name) for m in b.gremium.mitgliedschaften if m.aktiv],
            "– bitte wählen –",
        )
        recht_forms[b.id] = rf
    rechte: dict[int, list] = {}
    for r in services.rechte_of([b.gremium_id for b in vorlage.beratungen]):
        rechte.setdefault(r.gremium_id, []).append(r)
    return {
        "vorlage_form": vorlage_form,
        "fassung_form": forms.get("fassung_form") or FassungForm(formdata=None),
        "beratung_form": beratung_form,
        "sitzung_forms": sitzung_forms,
        "recht_forms": recht_forms,
        "rechte": rechte,
        "button_form": ButtonForm(formdata=None),
    }


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


def massnahme_titel(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(db.select(Massnahme.id, Massnahme.titel).where(Massnahme.id.in_(ids)))
    return dict(rows.all())


from app.vorlagen import aufgaben, views_beschluss, views_verwalten  # noqa: E402, F401
