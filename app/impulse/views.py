"""Blueprint ``impulse``: the register, one impulse with its chain, direct entry.

Status moves, the answer and its publication live in ``views_aktionen``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.forms import options
from app.core.i18n import datum
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.extensions import db
from app.impulse import services
from app.impulse.forms import (
    AntwortForm,
    ButtonForm,
    DirektImpulsForm,
    FilterForm,
    PlanungsfelderForm,
    StatusForm,
)
from app.impulse.kette import Glied, build
from app.impulse.models import Impuls, ImpulsAdressat
from app.planungsfelder import services as planungsfelder
from app.stammdaten.models import Sozialraum
from app.workflows.models import Zyklus

bp = Blueprint("impulse", __name__, url_prefix="/impulse")
nav_entry("Impulse", "impulse.register", "impulse.register", order=45)
LIST_LIMIT = 200


def impuls_or_404(impuls_id: int) -> Impuls:
    impuls = db.session.scalar(
        select(Impuls)
        .options(
            joinedload(Impuls.sozialraum),
            joinedload(Impuls.erstellt_von),
            joinedload(Impuls.quelle_gremium),
            joinedload(Impuls.zyklus),
            selectinload(Impuls.planungsfelder),
        )
        .where(Impuls.id == impuls_id)
    )
    if impuls is None:
        abort(404)
    return impuls


def sozialraum_options(blank: str) -> list:
    rows = db.session.scalars(select(Sozialraum).order_by(Sozialraum.nummer))
    return options([(s.id, s.name) for s in rows], blank)


def zyklus_options(blank: str) -> list:
    rows = db.session.scalars(select(Zyklus).order_by(Zyklus.beginn.desc(), Zyklus.id.desc()))
    return options([(z.id, z.titel) for z in rows], blank)


def gremium_options(blank: str) -> list:
    return options([(g.id, g.name) for g in services.source_gremien()], blank)


@bp.route("/")
@login_required
def register():
    """All impulses, filtered by source, Gremium, Sozialraum, status and cycle."""
    require("impulse.register")
    form = FilterForm(request.args)
    form.gremium_id.choices = gremium_options("– alle –")
    form.sozialraum_id.choices = sozialraum_options("– alle –")
    form.zyklus_id.choices = zyklus_options("– alle –")
    form.planungsfeld_id.choices = options(planungsfelder.form_choices(), "– alle –")
    if not form.validate():
        return render_template("impulse/register.html", form=form, impulse=[]), 400
    filt = services.Filter(
        form.quelle.data or None,
        form.gremium_id.data,
        form.sozialraum_id.data,
        form.status.data or None,
        form.zyklus_id.data,
        form.planungsfeld_id.data,
    )
    impulse = db.session.scalars(services.register_query(filt).limit(LIST_LIMIT)).all()
    return render_template("impulse/register.html", form=form, impulse=impulse)


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def neu():
    """The Stabsstelle enters an impulse of the Verwaltungsvorstand or of politics."""
    require("impuls.anlegen")
    form = DirektImpulsForm(
        data=None if request.method == "POST" else {"adressiert_an": ImpulsAdressat.PLANUNGSRUNDE}
    )
    form.sozialraum_id.choices = sozialraum_options("– gesamte Stadt –")
    form.quelle_gremium_id.choices = gremium_options("– keines –")
    form.zyklus_id.choices = zyklus_options("– keinem Zyklus zugeordnet –")
    form.planungsfelder.choices = options(planungsfelder.form_choices())
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("impulse/neu.html", form=form), status
    impuls = services.create_impuls(
        form.titel.data,
        form.quelle.data,
        erstellt_von_id=current_user.id,
        beschreibung=form.beschreibung.data,
        thema=form.thema.data,
        sozialraum_id=form.sozialraum_id.data,
        adressiert_an=form.adressiert_an.data,
        zyklus_id=form.zyklus_id.data,
        quelle_gremium_id=form.quelle_gremium_id.data,
        planungsfelder=planungsfelder.resolve(form.planungsfelder.data),
    )
    db.session.commit()
    flash("Der Impuls wurde angelegt.", "erfolg")
    return redirect(url_for("impulse.detail", impuls_id=impuls.id), 303)


@bp.route("/<int:impuls_id>")
@login_required
def detail(impuls_id: int):
    """One impulse: status, answer, and its chain from the source to the decisions."""
    impuls = impuls_or_404(impuls_id)
    require("impuls.ansehen", impuls)
    return render_detail(impuls)


def status_form(impuls: Impuls, formdata: Any = None) -> StatusForm:
    form = StatusForm(formdata=formdata, data={"erwartet": impuls.status.value})
    form.nach.choices = options(
        [(nach.value, label) for nach, label in services.allowed_moves(impuls.status)]
    )
    return form


def render_detail(impuls: Impuls, code: int = 200, **forms: Any) -> tuple[str, int]:
    verwalten = can(current_user, "impuls.verwalten", impuls)
    return render_template(
        "impulse/detail.html",
        impuls=impuls,
        kette=build(impuls, source_step(impuls)),
        verwalten=verwalten,
        status_form=forms.get("status_form") or status_form(impuls),
        antwort_form=forms.get("antwort_form")
        or AntwortForm(formdata=None, data={"antwort": impuls.antwort}),
        button_form=ButtonForm(formdata=None),
        felder_form=forms.get("felder_form") or felder_form(impuls),
    ), code


def felder_form(impuls: Impuls, formdata: Any = None) -> PlanungsfelderForm:
    """The Stabsstelle's checkbox list of fields, preset with the impulse's own."""
    form = PlanungsfelderForm(
        formdata=formdata, data={"planungsfelder": [f.id for f in impuls.planungsfelder]}
    )
    form.planungsfelder.choices = options(planungsfelder.form_choices(impuls.planungsfelder))
    return form


def source_step(impuls: Impuls) -> Glied:
    """Where the impulse came from: minutes, a form answer, or a direct entry."""
    if impuls.quelle_protokoll_id is not None:
        from app.protokolle.models import Protokoll
        from app.sitzungen.models import Sitzung

        protokoll = db.session.scalar(
            select(Protokoll)
            .options(joinedload(Protokoll.sitzung).joinedload(Sitzung.gremium))
            .where(Protokoll.id == impuls.quelle_protokoll_id)
        )
        if protokoll is not None:
            s = protokoll.sitzung
            return Glied(
                "Herkunft",
                f"Protokoll der Sitzung „{s.titel}“ ({s.gremium.name}, {datum(s.beginn)})",
                s.beginn,
                url_for("protokolle.detail", sitzung_id=s.id),
            )
    if impuls.quelle_antwort_id is not None:
        from app.beteiligung.services import antwort_quelle

        found = antwort_quelle(impuls.quelle_antwort_id)
        if found:
            return Glied("Herkunft", found[0], impuls.created_at, found[1])
    gremium = f" ({impuls.quelle_gremium.name})" if impuls.quelle_gremium else ""
    return Glied("Herkunft", f"Direkt erfasst: {impuls.quelle.label}{gremium}", impuls.created_at)


from app.impulse import felder, views_aktionen  # noqa: E402, F401
