"""Planning a meeting: create, edit, agenda items and their documents."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request
from flask_login import current_user, login_required

from app.core.forms import option
from app.core.permissions import require
from app.dateien.services import UploadError, store_upload
from app.extensions import db
from app.sitzungen import services
from app.sitzungen.blueprint import (
    agenda_tops,
    bp,
    changeable,
    editable_sitzung_or_404,
    finish,
    form_status,
    send_or_404,
    sitzung_or_404,
    to_sitzung,
    top_or_404,
    valid_button,
)
from app.sitzungen.forms import ButtonForm, DateiForm, SitzungForm, TopEditForm, TopForm
from app.sitzungen.models import Sitzung, SitzungStatus
from app.stammdaten.models import Gremium

AGENDA = "sitzungen.tagesordnung"


# --------------------------------------------------------------------------- create and edit


def _gremium_choices(form: SitzungForm) -> list[Gremium]:
    """Offer the Gremien the person may plan meetings for."""
    gremien = services.creatable_gremien(current_user)
    form.gremium_id.choices = [option(g.id, g.name) for g in gremien]
    return gremien


def _zyklus_choices(form: SitzungForm, gremium_id: int | None, current: int | None) -> None:
    """Offer the planning cycles the meeting can be tied to."""
    zyklen = services.zyklus_choices(gremium_id, current)
    form.zyklus_id.choices = [
        option("", "– kein Planungszyklus –"),
        *(option(z.id, z.titel) for z in zyklen),
    ]


def _tie(form: SitzungForm, sitzung: Sitzung) -> bool:
    """Apply the cycle fields; False (with the message on the field) when refused."""
    try:
        services.tie_to_zyklus(sitzung, form.zyklus_id.data, form.phase.data or None)
    except services.SitzungError as exc:
        form.zyklus_id.errors.append(str(exc))
        return False
    return True


def _zeiten(values: dict[str, Any]) -> dict[str, Any]:
    """Convert the entered Berlin local times to UTC."""
    values["beginn"] = services.berlin_to_utc(values["beginn"])
    values["ende"] = services.berlin_to_utc(values["ende"])
    return values


def _render_form(form: SitzungForm, sitzung: Sitzung | None) -> tuple[str, int]:
    """The meeting form page, 400 when it has errors."""
    return render_template("sitzungen/form.html", form=form, sitzung=sitzung), form_status(form)


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def neu():
    """Plan a meeting for a Gremium the person organises."""
    require("sitzung.anlegen")
    form = SitzungForm()
    gremien = _gremium_choices(form)
    _zyklus_choices(form, None, None)
    if request.method == "GET" and request.args.get("gremium", type=int):
        form.gremium_id.data = request.args.get("gremium", type=int)
    if form.validate_on_submit():
        gremium = next(g for g in gremien if g.id == form.gremium_id.data)
        require("sitzung.anlegen", gremium)
        sitzung = services.create_sitzung(gremium, current_user, **_zeiten(form.values()))
        if _tie(form, sitzung):
            return finish(
                sitzung, AGENDA, "Die Sitzung wurde angelegt. Ergänzen Sie jetzt die Tagesordnung."
            )
        db.session.rollback()
    return _render_form(form, None)


def _edit_form(sitzung: Sitzung) -> SitzungForm:
    """The edit form for the meeting, filled from it on GET."""
    form = SitzungForm(obj=sitzung)
    form.gremium_id.choices = [option(sitzung.gremium_id, sitzung.gremium.name)]
    form.gremium_id.data = sitzung.gremium_id
    _zyklus_choices(form, sitzung.gremium_id, sitzung.zyklus_id)
    if request.method == "GET":
        form.beginn.data = services.utc_to_berlin_naive(sitzung.beginn)
        form.ende.data = services.utc_to_berlin_naive(sitzung.ende)
        form.erinnerung_an.data = sitzung.erinnerung_an.value
        form.phase.data = sitzung.phase.value if sitzung.phase else ""
    return form


@bp.route("/<int:sitzung_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def bearbeiten(sitzung_id: int):
    """Change the meeting; a new time or place is sent to everyone invited."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    form = _edit_form(sitzung)
    if form.validate_on_submit() and _tie(form, sitzung):
        moved = services.update_sitzung(sitzung, **_zeiten(form.values()))
        db.session.commit()
        invited = sitzung.status == SitzungStatus.EINGELADEN
        flash(
            "Die Änderung wurde gespeichert und geht als Aktualisierung an alle Eingeladenen."
            if moved and invited
            else "Die Änderungen wurden gespeichert.",
            "erfolg",
        )
        return to_sitzung(sitzung)
    return _render_form(form, sitzung)


# --------------------------------------------------------------------------- agenda


@bp.route("/<int:sitzung_id>/tagesordnung", methods=["GET", "POST"])
@login_required
def tagesordnung(sitzung_id: int):
    """Add agenda items (with a first document), reorder and remove them."""
    sitzung = sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    form = TopForm()
    if request.method != "POST":
        return _agenda_page(sitzung, form)
    changeable(sitzung)
    if not form.validate_on_submit():
        return _agenda_page(sitzung, form, 400)
    try:
        datei = store_upload(form.datei.data) if form.datei.data else None
    except UploadError as exc:
        form.datei.errors.append(str(exc))
        return _agenda_page(sitzung, form, exc.status_code)
    services.add_top(sitzung, form.titel.data.strip(), form.beschreibung.data, datei)
    return finish(sitzung, AGENDA, "Der Tagesordnungspunkt wurde hinzugefügt.")


def _agenda_page(
    sitzung: Sitzung,
    form: TopForm,
    status: int = 200,
    datei_form: DateiForm | None = None,
    datei_top_id: int | None = None,
) -> tuple[str, int]:
    """The agenda page; ``datei_form`` carries an upload error for item ``datei_top_id``."""
    return render_template(
        "sitzungen/tagesordnung.html",
        sitzung=sitzung,
        tops=agenda_tops(sitzung),
        form=form,
        button=ButtonForm(),
        datei_form=datei_form or DateiForm(formdata=None),
        datei_top_id=datei_top_id,
    ), status


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def top_bearbeiten(sitzung_id: int, top_id: int):
    """Change title and description of an agenda item."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    top = top_or_404(sitzung, top_id)
    form = TopEditForm(obj=top)
    if form.validate_on_submit():
        top.titel = form.titel.data.strip()
        top.beschreibung = (form.beschreibung.data or "").strip() or None
        return finish(sitzung, AGENDA, "Der Tagesordnungspunkt wurde gespeichert.")
    page = render_template("sitzungen/top_form.html", sitzung=sitzung, top=top, form=form)
    return page, form_status(form)


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/verschieben/<richtung>", methods=["POST"])
@login_required
def top_verschieben(sitzung_id: int, top_id: int, richtung: str):
    """Move an agenda item up or down."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    if richtung not in ("hoch", "runter"):
        abort(404)
    valid_button()
    services.move_top(top_or_404(sitzung, top_id), richtung)
    return finish(sitzung, AGENDA)


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/loeschen", methods=["POST"])
@login_required
def top_loeschen(sitzung_id: int, top_id: int):
    """Remove an agenda item with its documents."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    valid_button()
    services.delete_top(top_or_404(sitzung, top_id))
    return finish(sitzung, AGENDA, "Der Tagesordnungspunkt wurde entfernt.")


# --------------------------------------------------------------------------- documents


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/dateien", methods=["POST"])
@login_required
def datei_hochladen(sitzung_id: int, top_id: int):
    """Attach another document to an agenda item."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    top = top_or_404(sitzung, top_id)
    form = DateiForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        datei = store_upload(form.datei.data)
    except UploadError as exc:
        form.datei.errors.append(str(exc))
        return _agenda_page(sitzung, TopForm(formdata=None), exc.status_code, form, top.id)
    services.attach_datei(top, datei)
    return finish(sitzung, AGENDA, f"Die Anlage „{datei.original_name}“ wurde hochgeladen.")


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/dateien/<int:datei_id>/entfernen", methods=["POST"])
@login_required
def datei_entfernen(sitzung_id: int, top_id: int, datei_id: int):
    """Remove a document from an agenda item."""
    sitzung = editable_sitzung_or_404(sitzung_id)
    top = top_or_404(sitzung, top_id)
    datei = next((d for d in top.dateien if d.id == datei_id), None)
    if datei is None:
        abort(404)
    valid_button()
    services.remove_datei(top, datei)
    return finish(sitzung, AGENDA, "Die Anlage wurde entfernt.")


@bp.route("/<int:sitzung_id>/dateien/<int:datei_id>")
@login_required
def datei(sitzung_id: int, datei_id: int):
    """Download an agenda document (everyone who may see the meeting)."""
    sitzung = sitzung_or_404(sitzung_id)
    return send_or_404(services.find_top_datei(sitzung, datei_id))
