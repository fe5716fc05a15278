"""Recording the Planungsrunde's outputs and the decisions (Stabsstelle)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.forms import options
from app.core.permissions import require
from app.extensions import db
from app.impulse.models import Impuls, ImpulsStatus
from app.massnahmen import services, wirkung
from app.massnahmen.blueprint import (
    bp,
    gremium_options,
    in_place,
    massnahme_or_404,
    render_detail,
    zyklus_or_404,
)
from app.massnahmen.forms import (
    BeschlussForm,
    ButtonForm,
    DrittmittelForm,
    MassnahmeForm,
)
from app.massnahmen.models import Bewertung, Massnahme
from app.massnahmen.services import MassnahmeError
from app.planungsfelder import services as planungsfelder
from app.stammdaten.models import Gremium, Sozialraum
from app.workflows.phasenregeln import PhasenFehler


def _sozialraum_options() -> list:
    rows = db.session.scalars(
        select(Sozialraum).where(Sozialraum.aktiv).order_by(Sozialraum.nummer)
    )
    return options([(s.id, s.name) for s in rows], "– gesamte Stadt –")


def _impuls_options(zyklus_id: int, linked: list[Impuls]) -> list:
    """Open impulses of the cycle plus those already linked."""
    offene = [s for s in ImpulsStatus if s.offen]
    rows = list(
        db.session.scalars(
            select(Impuls)
            .where(Impuls.zyklus_id == zyklus_id, Impuls.status.in_(offene))
            .order_by(Impuls.id)
        )
    )
    rows += [i for i in linked if i not in rows]
    return options([(i.id, f"{i.titel} ({i.status.label})") for i in rows])


def _felder(form: MassnahmeForm) -> dict:
    data = {
        k: form[k].data
        for k in (
            "titel",
            "beschreibung",
            "art",
            "sozialraum_id",
            "kosten",
            "haushalt",
            "engagement",
            "bewertung_begruendung",
            "prioritaet",
        )
    }
    data["bewertung"] = Bewertung(form.bewertung.data) if form.bewertung.data else None
    data["planungsfelder"] = planungsfelder.resolve(form.planungsfelder.data)
    return data


def _massnahme_form(zyklus_id: int, massnahme: Massnahme | None) -> MassnahmeForm:
    if request.method == "POST":
        form = MassnahmeForm()
    elif massnahme is not None:
        form = MassnahmeForm(
            obj=massnahme,
            data={
                "impulse": [i.id for i in massnahme.impulse],
                "bewertung": massnahme.bewertung.value if massnahme.bewertung else "",
                "planungsfelder": [f.id for f in massnahme.planungsfelder],
            },
        )
    else:
        impuls = db.session.get(Impuls, request.args.get("impuls", type=int) or 0)
        form = MassnahmeForm(data={"art": "neu", "impulse": [impuls.id] if impuls else []})
        if impuls is not None:
            form.titel.data, form.beschreibung.data = impuls.titel, impuls.beschreibung
            form.sozialraum_id.data = impuls.sozialraum_id
            form.planungsfelder.data = [f.id for f in impuls.planungsfelder]
    form.sozialraum_id.choices = _sozialraum_options()
    form.planungsfelder.choices = options(
        planungsfelder.form_choices(massnahme.planungsfelder if massnahme else [])
    )
    form.impulse.choices = _impuls_options(zyklus_id, massnahme.impulse if massnahme else [])
    return form


def _save(zyklus_id: int, massnahme: Massnahme | None):
    form = _massnahme_form(zyklus_id, massnahme)
    if not form.validate_on_submit():
        code = 422 if request.method == "POST" else 200
        return render_template(
            "massnahmen/form.html",
            form=form,
            zyklus=zyklus_or_404(zyklus_id),
            massnahme=massnahme,
            staende=wirkung.staende(massnahme.wirkungsziele) if massnahme else {},
        ), code
    try:
        saved = services.save_massnahme(massnahme, zyklus_id, _felder(form), current_user)
        services.link_impulse(saved, form.impulse.data or [], current_user)
    except (MassnahmeError, PhasenFehler, planungsfelder.PlanungsfeldError) as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return render_template(
            "massnahmen/form.html",
            form=form,
            zyklus=zyklus_or_404(zyklus_id),
            massnahme=massnahme,
            staende=wirkung.staende(massnahme.wirkungsziele) if massnahme else {},
        ), exc.status_code
    db.session.commit()
    flash(f"Die Maßnahme „{saved.titel}“ wurde gespeichert.", "erfolg")
    return redirect(url_for("massnahmen.detail", massnahme_id=saved.id), 303)


@bp.route("/zyklus/<int:zyklus_id>/neu", methods=["GET", "POST"])
@login_required
def neu(zyklus_id: int):
    """A new measure (optionally from an impulse)."""
    require("massnahme.bearbeiten")
    zyklus_or_404(zyklus_id)
    return _save(zyklus_id, None)


@bp.route("/<int:massnahme_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def bearbeiten(massnahme_id: int):
    """Change a measure, its assessment, priority and impulses."""
    require("massnahme.bearbeiten")
    massnahme = massnahme_or_404(massnahme_id)
    return _save(massnahme.zyklus_id, massnahme)


@bp.route("/<int:massnahme_id>/drittmittel", methods=["POST"])
@login_required
def drittmittel(massnahme_id: int):
    """Add a third-party funding source."""
    require("massnahme.bearbeiten")
    massnahme = massnahme_or_404(massnahme_id)
    form = DrittmittelForm()
    if not form.validate_on_submit():
        return render_detail(massnahme, 422, drittmittel_form=form)
    try:
        services.add_drittmittel(massnahme, form.quelle.data, form.betrag.data, form.status.data)
    except (MassnahmeError, PhasenFehler) as exc:
        return in_place(massnahme, exc, "drittmittel_form", form)
    db.session.commit()
    flash("Die Drittmittelquelle wurde hinzugefügt.", "erfolg")
    return redirect(
        url_for("massnahmen.detail", massnahme_id=massnahme.id, _anchor="abschnitt-finanzierung"),
        303,
    )


@bp.route("/<int:massnahme_id>/beschluesse", methods=["POST"])
@login_required
def beschluss(massnahme_id: int):
    """Record a decision of the Verwaltungsvorstand or a Fachausschuss."""
    require("beschluss.erfassen")
    massnahme = massnahme_or_404(massnahme_id)
    form = BeschlussForm()
    form.gremium_id.choices = gremium_options()
    if not form.validate_on_submit():
        return render_detail(massnahme, 422, beschluss_form=form)
    gremium = db.session.get(Gremium, form.gremium_id.data)
    try:
        services.record_beschluss(
            massnahme,
            gremium,
            form.ergebnis.data,
            form.datum.data,
            current_user,
            form.drucksache.data,
            form.bemerkung.data,
        )
    except (MassnahmeError, PhasenFehler) as exc:
        return in_place(massnahme, exc, "beschluss_form", form)
    db.session.commit()
    flash("Der Beschluss wurde erfasst.", "erfolg")
    return redirect(
        url_for("massnahmen.detail", massnahme_id=massnahme.id, _anchor="abschnitt-beschluesse"),
        303,
    )


@bp.route("/<int:massnahme_id>/umgesetzt", methods=["POST"])
@login_required
def umgesetzt(massnahme_id: int):
    """Mark a decided measure implemented; its impulses follow."""
    require("massnahme.bearbeiten")
    massnahme = massnahme_or_404(massnahme_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.mark_umgesetzt(massnahme, current_user)
    except (MassnahmeError, PhasenFehler) as exc:
        return in_place(massnahme, exc, "", None)
    db.session.commit()
    flash("Die Maßnahme ist als umgesetzt markiert.", "erfolg")
    return redirect(url_for("massnahmen.detail", massnahme_id=massnahme.id), 303)
