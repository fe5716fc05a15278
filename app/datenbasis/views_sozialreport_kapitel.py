"""Sozialreport chapter routes: writing chapters and adding or removing their charts."""

from __future__ import annotations

from flask import abort, flash, render_template
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.datenbasis.blueprint import _form_status, _redirect, _require_valid, bp
from app.datenbasis.erweiterungen import kapitel_arten
from app.datenbasis.forms import ButtonForm, DiagrammForm, KapitelForm, choices
from app.datenbasis.models import DiagrammArt, Indikator, Kapitel, Sozialreport
from app.datenbasis.services import NotPossible, add_diagramm, remove_diagramm, save_kapitel
from app.datenbasis.views_sozialreport import _editable, _kapitel, _perform, _refuse
from app.extensions import db


def _diagramm_form() -> DiagrammForm:
    """The chart form with the catalogue as options."""
    form = DiagrammForm(prefix="diagramm")
    rows = db.session.execute(select(Indikator.id, Indikator.name).order_by(Indikator.name))
    form.indikator_id.choices = choices(rows)
    return form


def _kapitel_form(kapitel: Kapitel | None, submitted: bool = True) -> KapitelForm:
    """The chapter form with the registered chapter types as options."""
    form = KapitelForm(obj=kapitel) if submitted else KapitelForm(formdata=None, obj=kapitel)
    form.art.choices = choices((a.key, a.label) for a in kapitel_arten())
    return form


def _kapitel_page(
    report: Sozialreport, kapitel: Kapitel | None, form: KapitelForm, diagramm_form: DiagrammForm
) -> str:
    """The chapter editor with its charts."""
    return render_template(
        "datenbasis/kapitel_form.html",
        report=report,
        kapitel=kapitel,
        form=form,
        diagramm_form=diagramm_form,
        button=ButtonForm(),
    )


@bp.route("/datenbasis/sozialreports/<int:report_id>/kapitel/neu", methods=["GET", "POST"])
@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/kapitel/<int:kapitel_id>", methods=["GET", "POST"]
)
@login_required
def kapitel_bearbeiten(report_id: int, kapitel_id: int | None = None) -> Response | tuple[str, int]:
    """Write a chapter; its charts are added on the same page."""
    report = _editable(report_id)
    kapitel = _kapitel(report, kapitel_id) if kapitel_id else None
    form = _kapitel_form(kapitel)
    if form.validate_on_submit():
        try:
            saved = save_kapitel(
                report, kapitel, form.titel.data, form.text.data or "", form.art.data
            )
        except NotPossible as exc:
            return _refuse(exc)
        db.session.commit()
        flash(f"Das Kapitel „{saved.titel}“ wurde gespeichert.", "erfolg")
        return _redirect("datenbasis.kapitel_bearbeiten", report_id=report.id, kapitel_id=saved.id)
    return _kapitel_page(report, kapitel, form, _diagramm_form()), _form_status(form)


@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/kapitel/<int:kapitel_id>/diagramme", methods=["POST"]
)
@login_required
def diagramm_neu(report_id: int, kapitel_id: int) -> Response | tuple[str, int]:
    """Add a chart of a chosen indicator to a chapter."""
    report = _editable(report_id)
    kapitel = _kapitel(report, kapitel_id)
    form = _diagramm_form()
    if not form.validate_on_submit():
        return _kapitel_page(report, kapitel, _kapitel_form(kapitel, False), form), 422
    return _perform(
        lambda: add_diagramm(
            kapitel,
            form.indikator_id.data,
            DiagrammArt(form.art.data),
            form.jahr.data,
            form.einrichtung_typen.data,
        ),
        "Das Diagramm wurde hinzugefügt.",
        "datenbasis.kapitel_bearbeiten",
        report_id=report.id,
        kapitel_id=kapitel.id,
    )


@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/diagramme/<int:diagramm_id>/loeschen",
    methods=["POST"],
)
@login_required
def diagramm_loeschen(report_id: int, diagramm_id: int) -> Response | tuple[str, int]:
    """Take a chart out of its chapter."""
    report = _editable(report_id)
    diagramm = next((d for k in report.kapitel for d in k.diagramme if d.id == diagramm_id), None)
    if diagramm is None:
        abort(404)
    _require_valid(ButtonForm())
    return _perform(
        lambda: remove_diagramm(diagramm),
        "Das Diagramm wurde entfernt.",
        "datenbasis.kapitel_bearbeiten",
        report_id=report.id,
        kapitel_id=diagramm.kapitel_id,
    )
