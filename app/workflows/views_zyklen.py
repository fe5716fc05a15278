"""Cycle routes of ``workflows``: list, create, cycle page and next cycle."""

from __future__ import annotations

import re
from datetime import date

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.core.datenstand import zwischengespeichert
from app.core.permissions import can, is_stabsstelle, require
from app.extensions import db
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.stammdaten.rollen import sitz_von
from app.workflows import services
from app.workflows.blueprint import (
    _done,
    _form_page,
    _permitted,
    _render_detail,
    _visible,
    bp,
    seite_fuer_leser,
)
from app.workflows.forms import FolgezyklusForm, ZyklusForm
from app.workflows.models import Zyklus, zyklus_gremium
from app.workflows.services import WorkflowError

# --------------------------------------------------------------------------- list and create


@bp.route("/")
@login_required
def liste() -> ResponseReturnValue:
    """Cycles the person may see, newest first."""
    require("zyklus.liste")
    alle = is_stabsstelle(current_user)
    leser = ("alle" if alle else current_user.id, can(current_user, "zyklus.anlegen"))
    inhalt = zwischengespeichert(("zyklen", *leser), lambda: _liste_inhalt(alle))
    return render_template("workflows/liste.html", inhalt=inhalt)


def _liste_inhalt(alle: bool) -> Markup:
    """The table of the cycles the reader may see (all for the Stabsstelle)."""
    query = (
        select(Zyklus)
        .options(selectinload(Zyklus.straenge))
        .order_by(Zyklus.beginn.desc(), Zyklus.id.desc())
    )
    if not alle:
        query = query.where(Zyklus.id.in_(_eigene_zyklus_ids()))
    zyklen = db.session.scalars(query).all()
    return Markup(render_template("workflows/_liste_inhalt.html", zyklen=zyklen))


def _eigene_zyklus_ids() -> Select[tuple[int]]:
    """Ids of the cycles in which the current user holds (or deputises) an active seat of an
    active Gremium."""
    return (
        select(zyklus_gremium.c.zyklus_id)
        .join(Mitgliedschaft, Mitgliedschaft.gremium_id == zyklus_gremium.c.gremium_id)
        .join(Gremium, Gremium.id == zyklus_gremium.c.gremium_id)
        .where(sitz_von(current_user.id), Gremium.aktiv)
    )


def _gremium_choices() -> list[tuple[int, str]]:
    """Active Gremien as select options, the type added where the name does not say it."""
    gremien = db.session.scalars(
        select(Gremium).where(Gremium.aktiv).order_by(Gremium.typ, Gremium.name)
    )
    return [
        (g.id, g.name if g.name == g.typ.label else f"{g.name} ({g.typ.label})") for g in gremien
    ]


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def anlegen() -> ResponseReturnValue:
    """Create a cycle: title, period, participating Gremien, reminder days."""
    require("zyklus.anlegen")
    form = ZyklusForm()
    form.gremien.choices = _gremium_choices()
    if request.method == "GET":
        form.gremien.data = [value for value, _ in form.gremien.choices]
    if form.validate_on_submit():
        return _create_zyklus(form)
    return _form_page("workflows/anlegen.html", form=form)


def _create_zyklus(form: ZyklusForm) -> ResponseReturnValue:
    """Create the cycle from a valid form, or show the form with the refusal."""
    gremien = db.session.scalars(select(Gremium).where(Gremium.id.in_(form.gremien.data))).all()
    try:
        zyklus = services.create_zyklus(
            form.titel.data,
            form.beginn.data,
            form.ende.data,
            gremien,
            current_user,
            erinnerung_tage=form.erinnerung_tage.data,
        )
    except WorkflowError as exc:
        db.session.rollback()
        form[exc.field or "titel"].errors.append(exc.message)
        return render_template("workflows/anlegen.html", form=form), exc.status_code
    return _done(zyklus.id, f"Der Planungszyklus „{zyklus.titel}“ wurde angelegt.")


# --------------------------------------------------------------------------- cycle page


@bp.route("/<int:zyklus_id>")
@login_required
def detail(zyklus_id: int) -> ResponseReturnValue:
    """Diagram, next steps, Stränge, deadlines and (for the city's Gremien) the history."""
    return seite_fuer_leser(zyklus_id)


# --------------------------------------------------------------------------- next cycle


def _next_title(titel: str) -> str:
    """'Sozialplanung 2027' → 'Sozialplanung 2028'."""
    match = list(re.finditer(r"\d{4}", titel))
    if not match:
        return f"{titel} (Folgezyklus)"
    last = match[-1]
    return titel[: last.start()] + str(int(last.group()) + 1) + titel[last.end() :]


def _plus_year(value: date) -> date:
    """The same day one year later (28 February for 29 February)."""
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


@bp.route("/<int:zyklus_id>/folgezyklus", methods=["GET", "POST"])
@login_required
def folgezyklus(zyklus_id: int) -> ResponseReturnValue:
    """Start the next cycle from a finished one (Gremien, Stränge, settings, open items)."""
    zyklus = _permitted(zyklus_id, "zyklus.folgezyklus")
    form = FolgezyklusForm()
    if request.method == "GET":
        form.titel.data = _next_title(zyklus.titel)
        form.beginn.data, form.ende.data = _plus_year(zyklus.beginn), _plus_year(zyklus.ende)
    elif form.validate_on_submit():
        return _start_folgezyklus(zyklus_id, form)
    return _form_page("workflows/folgezyklus.html", zyklus=zyklus, form=form)


def _start_folgezyklus(zyklus_id: int, form: FolgezyklusForm) -> ResponseReturnValue:
    """Start the next cycle from a valid form, or answer the refusal."""
    try:
        neu, notes = services.start_folgezyklus(
            zyklus_id,
            user=current_user,
            titel=form.titel.data,
            beginn=form.beginn.data,
            ende=form.ende.data,
        )
    except WorkflowError as exc:
        return _folgezyklus_refused(zyklus_id, form, exc)
    return _done(neu.id, f"Der Folgezyklus „{neu.titel}“ wurde angelegt: " + "; ".join(notes) + ".")


def _folgezyklus_refused(
    zyklus_id: int, form: FolgezyklusForm, exc: WorkflowError
) -> ResponseReturnValue:
    """The form with a field refusal (400), or the cycle page with any other refusal."""
    db.session.rollback()
    if exc.field:
        form[exc.field].errors.append(exc.message)
        return render_template(
            "workflows/folgezyklus.html", zyklus=_visible(zyklus_id), form=form
        ), 400
    return _render_detail(_visible(zyklus_id), exc.status_code, exc.message)
