"""The protokolle blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from app.core.forms import options
from app.core.markdown import render_markdown
from app.core.permissions import can
from app.extensions import db
from app.protokolle import services
from app.protokolle.forms import (
    ButtonForm,
    ErgebnisseForm,
    ProtokollImpulsForm,
    RueckgabeForm,
    UploadForm,
)
from app.protokolle.freigabe import naechster_schritt
from app.protokolle.models import Protokoll
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Sozialraum

bp = Blueprint("protokolle", __name__, url_prefix="/protokolle")


def load(sitzung_id: int) -> tuple[Sitzung, Protokoll | None]:
    """The meeting and its minutes; 404 when the meeting does not exist."""
    found = services.sitzung_with_protokoll(sitzung_id)
    if found is None:
        abort(404)
    return found


def sozialraum_options(blank: str = "– Sozialraum des Gremiums bzw. gesamte Stadt –") -> list:
    rows = db.session.scalars(
        select(Sozialraum).where(Sozialraum.aktiv).order_by(Sozialraum.nummer)
    )
    return options([(s.id, s.name) for s in rows], blank)


def render_page(
    sitzung: Sitzung, protokoll: Protokoll | None, status: int = 200, **forms: Any
) -> tuple[str, int]:
    """The minutes page, with forms (possibly carrying errors) for those who write."""
    darf_schreiben = can(current_user, "protokoll.hochladen", sitzung)
    impuls_form = forms.get("impuls_form") or ProtokollImpulsForm(formdata=None)
    impuls_form.sozialraum_id.choices = sozialraum_options()
    ergebnisse_form = forms.get("ergebnisse_form") or ErgebnisseForm(formdata=None, obj=protokoll)
    return render_template(
        "protokolle/detail.html",
        sitzung=sitzung,
        protokoll=protokoll,
        impulse=services.impulse_of(protokoll),
        ergebnisse=render_markdown(protokoll.ergebnisse or "") if protokoll else "",
        vereinbarungen=render_markdown(protokoll.vereinbarungen or "") if protokoll else "",
        darf_schreiben=darf_schreiben,
        darf_freigeben=can(current_user, "protokoll.freigeben", sitzung),
        upload_form=forms.get("upload_form") or UploadForm(formdata=None),
        ergebnisse_form=ergebnisse_form,
        impuls_form=impuls_form,
        button_form=ButtonForm(formdata=None),
        rueckgabe_form=forms.get("rueckgabe_form") or RueckgabeForm(formdata=None),
        naechster_schritt=naechster_schritt(sitzung, protokoll),
    ), status
