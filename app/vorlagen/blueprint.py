"""The ``vorlagen`` blueprint and the helpers its view modules share (no view imports it back)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.core.forms import options
from app.core.pdf import html_to_pdf
from app.core.permissions import can, is_stabsstelle
from app.extensions import db
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
from app.vorlagen.permissions import beschluss_gremien

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


def pdf_response(html: str, filename: str) -> tuple[bytes, int, dict[str, str]]:
    """A self-contained PDF download."""
    return (
        html_to_pdf(html),
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


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
        darf=_darf(vorlage),
        verwalten=verwalten,
        **context,
    ), code


def _darf(vorlage: Vorlage) -> dict[int, bool]:
    """Per step: may the person record the body's decision (one query for all steps)."""
    if is_stabsstelle(current_user):
        return {b.id: True for b in vorlage.beratungen}
    eigene = beschluss_gremien(current_user)
    return {b.id: b.gremium_id in eigene for b in vorlage.beratungen}


def _verwalten_context(vorlage: Vorlage, forms: dict[str, Any]) -> dict[str, Any]:
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
    gremium_ids = [b.gremium_id for b in vorlage.beratungen]
    sitzungen = services.sitzungen_der_gremien(gremium_ids, vorlage.zyklus_id)
    mitglieder = services.mitglieder_der_gremien(gremium_ids)
    sitzung_forms = {}
    recht_forms = {}
    for b in vorlage.beratungen:
        sf = SitzungForm(formdata=None, prefix=f"sitzung-{b.id}")
        sf.sitzung_id.choices = options(
            [(s.id, f"{s.titel} ({s.beginn:%d.%m.%Y})") for s in sitzungen.get(b.gremium_id, [])],
            "– bitte wählen –",
        )
        sitzung_forms[b.id] = sf
        rf = RechtForm(formdata=None, prefix=f"recht-{b.id}")
        rf.user_id.choices = options(mitglieder.get(b.gremium_id, []), "– bitte wählen –")
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
