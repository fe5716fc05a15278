"""Blueprint ``protokolle``: the list of meetings with minutes, one minutes page, downloads.

Writing routes (upload, results, impulses, approval) live in ``views_bearbeiten``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.forms import options
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.dateien.services import send_datei
from app.datenbasis.rendering import render_markdown
from app.extensions import db
from app.protokolle import services
from app.protokolle import zyklus as _guard  # noqa: F401  (registers "Protokoll liegt vor")
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
nav_entry("Protokolle", "protokolle.liste", "protokolle.liste", order=32)
LIST_LIMIT = 200


def load(sitzung_id: int) -> tuple[Sitzung, Protokoll | None]:
    """The meeting and its minutes; 404 when the meeting does not exist."""
    found = services.sitzung_with_protokoll(sitzung_id)
    if found is None:
        abort(404)
    return found


def require_read(sitzung: Sitzung, protokoll: Protokoll | None) -> None:
    """Drafts for writers and approvers; approved minutes for members (or all, if public)."""
    if can(current_user, "protokoll.entwurf_ansehen", sitzung):
        return
    if (
        protokoll is not None
        and protokoll.freigegeben
        and can(current_user, "protokoll.ansehen", sitzung)
    ):
        return
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    abort(403)


@bp.route("/")
@login_required
def liste():
    """Held meetings the person may read minutes of, with the state of the minutes."""
    require("protokolle.liste")
    rows = db.session.execute(services.visible_sitzungen(current_user).limit(LIST_LIMIT)).all()
    return render_template("protokolle/liste.html", rows=rows)


@bp.route("/sitzung/<int:sitzung_id>")
def detail(sitzung_id: int):
    """The minutes of one meeting: file revisions, results, impulses; forms for the writers."""
    sitzung, protokoll = load(sitzung_id)
    require_read(sitzung, protokoll)
    if not current_user.is_authenticated:  # visitors read released minutes in the portal
        return redirect(url_for("oeffentlich.protokoll", sitzung_id=sitzung.id))
    return render_page(sitzung, protokoll)


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


@bp.route("/sitzung/<int:sitzung_id>/fassungen/<int:revision_id>")
def datei(sitzung_id: int, revision_id: int):
    """Download one revision of the minutes file (whoever may read the minutes)."""
    sitzung, protokoll = load(sitzung_id)
    require_read(sitzung, protokoll)
    if protokoll is None:  # a meeting without minutes has no file versions
        abort(404)
    revision = next((r for r in protokoll.revisionen if r.id == revision_id), None)
    if revision is None:
        abort(404)
    if not current_user.is_authenticated:  # visitors get only the current, released file
        if revision is not protokoll.aktuelle_revision:
            abort(404)
        return redirect(url_for("oeffentlich.datei", datei_id=revision.datei_id, download=1))
    return send_datei(revision.datei)


from app.protokolle import aufgaben, views_bearbeiten  # noqa: E402, F401
