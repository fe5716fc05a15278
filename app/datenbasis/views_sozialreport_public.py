"""Public Sozialreport routes: published reports and their PDF, without login."""

from __future__ import annotations

from flask import abort, render_template
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.pdf import html_to_pdf
from app.core.seitenspeicher import je_leser, seite
from app.datenbasis.blueprint import bp
from app.datenbasis.models import Diagramm, Kapitel, ReportStatus, Sozialreport
from app.datenbasis.views_sozialreport import bericht_inhalt, report_context
from app.extensions import db


def _published(report_id: int, kapitel: bool = True) -> Sozialreport:
    """A published report (with its charts unless the page comes from the cache), else 404."""
    optionen = (
        [
            selectinload(Sozialreport.kapitel)
            .selectinload(Kapitel.diagramme)
            .joinedload(Diagramm.indikator)
        ]
        if kapitel
        else []
    )
    report = db.session.scalar(
        select(Sozialreport)
        .options(*optionen)
        .where(Sozialreport.id == report_id, Sozialreport.status == ReportStatus.VEROEFFENTLICHT)
    )
    if report is None:
        abort(404)
    return report


@bp.route("/sozialreport/")
def public_berichte() -> str:
    """Published Sozialreports, for everybody without login."""
    rows = db.session.scalars(
        select(Sozialreport)
        .where(Sozialreport.status == ReportStatus.VEROEFFENTLICHT)
        .order_by(Sozialreport.veroeffentlicht_at.desc())
    ).all()
    return render_template("datenbasis/public_berichte.html", berichte=rows)


@bp.route("/sozialreport/<int:report_id>")
def public_bericht(report_id: int) -> tuple[str, int]:
    """A published Sozialreport (charts of the chosen period; 400 for a refused period)."""
    return seite(*je_leser(("sozialreport-oeffentlich", report_id), lambda: _inhalt(report_id)))


def _inhalt(report_id: int) -> tuple[str, Markup, int]:
    """Title, content and status of the public page (no form with a token on it)."""
    report = _published(report_id, kapitel=False)
    context = report_context(report, oeffentlich=True)
    inhalt = bericht_inhalt(report, context, oeffentlich=True, bearbeiten=False)
    html = render_template(
        "datenbasis/_public_bericht_seite.html", report=report, inhalt=inhalt, **context
    )
    return report.titel, Markup(html), 400 if context["zeitraum"].ungueltig else 200


@bp.route("/sozialreport/<int:report_id>.pdf")
def public_pdf(report_id: int) -> tuple[bytes, int, dict[str, str]]:
    """A published Sozialreport as PDF (WeasyPrint, charts as vector graphics)."""

    report = _published(report_id)
    html = render_template(
        "datenbasis/bericht_pdf.html", report=report, **report_context(report, oeffentlich=True)
    )
    pdf = html_to_pdf(html)
    filename = f"sozialreport-{report.id}.pdf"
    headers = {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    return pdf, 200, headers
