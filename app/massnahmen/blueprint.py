"""The massnahmen blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.forms import options
from app.core.types import utcnow
from app.datenbasis.models import Indikator
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen import services, wirkung
from app.massnahmen.forms import (
    BeschlussForm,
    ButtonForm,
    DrittmittelForm,
    MeilensteinForm,
    OeffentlichkeitForm,
    WirkungszielForm,
)
from app.massnahmen.models import Beschluss, Massnahme, Wirkungsziel
from app.stammdaten.models import Sozialraum
from app.workflows.models import Zyklus

bp = Blueprint("massnahmen", __name__, url_prefix="/massnahmen")


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
            selectinload(Massnahme.wirkungsziele).options(
                joinedload(Wirkungsziel.indikator), joinedload(Wirkungsziel.sozialraum)
            ),
        )
        .where(Massnahme.id == massnahme_id)
    )
    if massnahme is None:
        abort(404)
    return massnahme


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
        wirkungsziel_form=wirkungsziel_form(forms.get("wirkungsziel_form")),
        **detail_context(massnahme),
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


def wirkungsziel_form(form: WirkungszielForm | None = None) -> WirkungszielForm:
    """The target form with the catalogue and the areas as options."""
    form = form or WirkungszielForm(formdata=None, prefix="ziel")
    form.indikator_id.choices = options(
        list(db.session.execute(select(Indikator.id, Indikator.name).order_by(Indikator.name))),
        "– bitte wählen –",
    )
    raeume = db.session.execute(
        select(Sozialraum.id, Sozialraum.name).where(Sozialraum.aktiv).order_by(Sozialraum.nummer)
    )
    form.sozialraum_id.choices = options(list(raeume), "Gesamtstadt")
    return form


def detail_context(massnahme: Massnahme) -> dict[str, Any]:
    """Targets with status and chart for the measure's page (one query of values)."""
    staende = wirkung.staende(massnahme.wirkungsziele)
    return {
        "wirkung": [
            (staende[z.id], wirkung.diagramm(staende[z.id], f"wirkungsziel-{z.id}"))
            for z in massnahme.wirkungsziele
        ],
    }
