"""Internal Sozialreport routes: drafting, charts, comments and status changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.wrappers import Response

from app.core.datenstand import zwischengespeichert
from app.core.pdf import html_to_pdf
from app.core.permissions import can, require
from app.core.submissions import formulare_als_platzhalter, mit_formularfeldern
from app.datenbasis import charts
from app.datenbasis.blueprint import _form_status, _redirect, _require_valid, bp
from app.datenbasis.erweiterungen import kapitel_inhalte, render_diagramme
from app.datenbasis.forms import (
    ButtonForm,
    KommentarForm,
    ReportEditForm,
    ReportForm,
    choices,
)
from app.datenbasis.models import (
    Diagramm,
    DiagrammArt,
    Kapitel,
    Kommentar,
    ReportStatus,
    Sozialreport,
)
from app.datenbasis.services import (
    NotPossible,
    add_kommentar,
    back_to_draft,
    create_report,
    publish_report,
    submit_to_planungsrunde,
    update_report,
)
from app.datenbasis.zeitraum import Zeitraum, zeitraum
from app.extensions import db

STATUS_ACTIONS = {
    "planungsrunde": (
        submit_to_planungsrunde,
        "Der Sozialreport liegt jetzt der Planungsrunde vor.",
    ),
    "entwurf": (back_to_draft, "Der Sozialreport ist wieder ein Entwurf."),
    "veroeffentlichen": (publish_report, "Der Sozialreport ist veröffentlicht."),
}


def _load_report(report_id: int) -> Sozialreport:
    """A report with chapters, charts and comments in a fixed number of queries."""
    report = db.session.scalar(
        select(Sozialreport)
        .options(
            joinedload(Sozialreport.zyklus),
            selectinload(Sozialreport.kapitel)
            .selectinload(Kapitel.diagramme)
            .joinedload(Diagramm.indikator),
            selectinload(Sozialreport.kapitel)
            .selectinload(Kapitel.kommentare)
            .joinedload(Kommentar.user),
        )
        .where(Sozialreport.id == report_id)
    )
    if report is None or not can(current_user, "sozialreport.ansehen", report):
        abort(404)  # drafts are not revealed to those who may not see them
    return report


def _report_kopf(report_id: int) -> Sozialreport:
    """The report row with its cycle only (one query); chapters load when a fragment is built."""
    report = db.session.scalar(
        select(Sozialreport)
        .options(joinedload(Sozialreport.zyklus))
        .where(Sozialreport.id == report_id)
    )
    if report is None or not can(current_user, "sozialreport.ansehen", report):
        abort(404)  # drafts are not revealed to those who may not see them
    return report


def mit_kapiteln(report: Sozialreport, kommentare: bool = True) -> Sozialreport:
    """Load the chapters with charts (and comments) unless loaded: a fixed number of queries."""
    if "kapitel" not in sa_inspect(report).unloaded:
        return report
    optionen = [selectinload(Kapitel.diagramme).joinedload(Diagramm.indikator)]
    if kommentare:
        optionen.append(selectinload(Kapitel.kommentare).joinedload(Kommentar.user))
    kapitel = db.session.scalars(
        select(Kapitel)
        .options(*optionen)
        .where(Kapitel.report_id == report.id)
        .order_by(Kapitel.position, Kapitel.id)
    ).all()
    set_committed_value(report, "kapitel", list(kapitel))
    return report


def _editable(report_id: int) -> Sozialreport:
    """A report the current user may edit (404 if hidden, 403 if only visible)."""
    report = _load_report(report_id)
    require("sozialreport.bearbeiten", report)
    return report


def report_indikatoren(report: Sozialreport) -> list[int]:
    """Ids of the indicators the report's charts draw (maps excluded)."""
    return sorted(
        {d.indikator_id for k in report.kapitel for d in k.diagramme if d.art != DiagrammArt.KARTE}
    )


def _indikatoren_zwischengespeichert(report: Sozialreport, kommentare: bool) -> list[int]:
    """``report_indikatoren`` until the next write (the cached page needs no chapters)."""
    return list(
        zwischengespeichert(
            ("sozialreport-indikatoren", report.id),
            lambda: tuple(report_indikatoren(mit_kapiteln(report, kommentare))),
        )
    )


def report_charts(report: Sozialreport, periode: Zeitraum) -> dict[int, charts.Chart]:
    """Every chart of the report for the period, rendered from one query of values."""
    diagramme = [d for k in report.kapitel for d in k.diagramme]
    karten = [d for d in diagramme if d.art == DiagrammArt.KARTE]
    fest = [d.jahr for d in diagramme if d.art == DiagrammArt.VERGLEICH and d.jahr]
    values = charts.load_values(report_indikatoren(report), periode.jahre, fest)
    result = dict(render_diagramme(DiagrammArt.KARTE.value, karten))
    for d in diagramme:
        key = f"diagramm-{d.id}"
        if d.art == DiagrammArt.ZEITREIHE:
            series = values.series(d.indikator_id, periode.jahre)
            result[d.id] = charts.time_series(key, d.indikator, series)
        elif d.art == DiagrammArt.VERGLEICH:
            series = values.series(d.indikator_id, None if d.jahr else periode.jahre)
            result[d.id] = charts.comparison(key, d.indikator, series, d.jahr)
        elif d.id not in result:
            result[d.id] = charts.Chart(key, d.art.label, "", Markup(""), [], [], leer=True)
    return result


def report_context(report: Sozialreport, oeffentlich: bool) -> dict[str, object]:
    """Charts of the chosen period and the content of registered chapter types, for page and PDF."""
    periode = zeitraum(_indikatoren_zwischengespeichert(report, kommentare=not oeffentlich))

    def berechnen() -> tuple[dict[int, charts.Chart], dict[int, Markup]]:
        mit_kapiteln(report, kommentare=not oeffentlich)
        return report_charts(report, periode), kapitel_inhalte(report.kapitel, oeffentlich)

    diagramme, inhalte = zwischengespeichert(
        ("sozialreport", report.id, oeffentlich, periode.von, periode.bis), berechnen
    )
    return {"zeitraum": periode, "diagramme": diagramme, "inhalte": inhalte}


@dataclass(frozen=True)
class KapitelTeil:
    """A chapter's form-free parts as Markup (content, comment list) for the cached page."""

    id: int
    titel: str
    inhalt: Markup
    kommentare: Markup
    hat_kommentare: bool


@dataclass(frozen=True)
class BerichtInhalt:
    """The report page's form-free content: introduction and chapters (no CSRF token inside)."""

    einleitung: Markup
    teile: tuple[KapitelTeil, ...]


def bericht_inhalt(
    report: Sozialreport, context: dict[str, object], oeffentlich: bool, bearbeiten: bool
) -> BerichtInhalt:
    """Introduction and chapters rendered per report, period and right to edit, until a write."""
    periode = context["zeitraum"]

    def berechnen() -> BerichtInhalt:
        mit_kapiteln(report, kommentare=not oeffentlich)
        einleitung = Markup(render_template("datenbasis/_einleitung.html", report=report))
        teile = tuple(
            KapitelTeil(
                k.id,
                k.titel,
                Markup(
                    render_template(
                        "datenbasis/_kapitel.html",
                        k=k,
                        report=report,
                        diagramme=context["diagramme"],
                        inhalte=context["inhalte"],
                        bearbeiten=bearbeiten,
                    )
                ),
                Markup("")
                if oeffentlich
                else Markup(render_template("datenbasis/_kommentare.html", k=k)),
                False if oeffentlich else bool(k.kommentare),
            )
            for k in report.kapitel
        )
        return BerichtInhalt(einleitung, teile)

    key = ("sozialreport-inhalt", report.id, oeffentlich, bearbeiten, periode.von, periode.bis)
    return zwischengespeichert(key, berechnen)


def _refuse(exc: NotPossible) -> tuple[str, int]:
    """A domain rule said no: German explanation, 409, nothing written."""
    from app.core.errors import render_error

    db.session.rollback()
    return render_error(409, str(exc))


def _perform(
    action: Callable[[], object], message: str, endpoint: str, **values: object
) -> Response | tuple[str, int]:
    """Run one service call, commit, flash and redirect; a refused rule gives 409."""
    try:
        action()
    except NotPossible as exc:
        return _refuse(exc)
    db.session.commit()
    flash(message, "erfolg")
    return _redirect(endpoint, **values)


def _bericht_page(
    report: Sozialreport, fehlerhaft: KommentarForm | None = None, kapitel_id: int | None = None
) -> tuple[str, int]:
    """The report page (after a refused form: with its errors, not cached)."""
    inhalt, status = _bericht_inhalt(report, fehlerhaft, kapitel_id)
    return render_template("datenbasis/bericht.html", titel=report.titel, inhalt=inhalt), status


def _bericht_inhalt(
    report: Sozialreport, fehlerhaft: KommentarForm | None = None, kapitel_id: int | None = None
) -> tuple[Markup, int]:
    """The report's content with its charts and one comment form per chapter (400: bad period).

    The chapters come from the cached fragments; the comment forms (CSRF token) are made here,
    ``fehlerhaft`` being the refused form of chapter ``kapitel_id``."""
    from app.datenbasis.zyklus import cycle_passed_planungsrunde

    sperre = (
        None
        if cycle_passed_planungsrunde(report.zyklus)
        else "Veröffentlichen ist möglich, sobald der Planungszyklus die Phase Planungsrunde "
        f"abgeschlossen hat; er steht jetzt in der Phase {report.zyklus.phase.kurz}."
    )
    context = report_context(report, oeffentlich=False)
    inhalt = bericht_inhalt(
        report,
        context,
        oeffentlich=False,
        bearbeiten=can(current_user, "sozialreport.bearbeiten", report),
    )
    kommentieren = can(current_user, "sozialreport.kommentieren", report)
    kommentar_forms = {
        t.id: fehlerhaft if t.id == kapitel_id and fehlerhaft else KommentarForm(prefix=f"k{t.id}")
        for t in inhalt.teile
        if kommentieren
    }
    html = render_template(
        "datenbasis/_bericht_seite.html",
        report=report,
        inhalt=inhalt,
        kommentieren=kommentieren,
        kommentar_forms=kommentar_forms,
        **context,
        button=ButtonForm(),
        veroeffentlichen_sperre=sperre,
    )
    return Markup(html), 400 if context["zeitraum"].ungueltig else 200


def _bericht_inhalt_fuer_leser(report_id: int) -> tuple[str, Markup, int]:
    """Title, content (tokens as placeholders) and status of the page for this reader."""
    with formulare_als_platzhalter():
        report = _report_kopf(report_id)
        inhalt, status = _bericht_inhalt(report)
        return report.titel, inhalt, status


@bp.route("/datenbasis/sozialreports")
@login_required
def berichte() -> str:
    """Reports the person may see: all for the Stabsstelle, the others from the Planungsrunde on."""
    require("sozialreport.liste")
    query = (
        select(Sozialreport)
        .options(joinedload(Sozialreport.zyklus))
        .order_by(Sozialreport.id.desc())
    )
    if not can(current_user, "sozialreport.anlegen"):
        query = query.where(Sozialreport.status != ReportStatus.ENTWURF)
    return render_template("datenbasis/berichte.html", berichte=db.session.scalars(query).all())


@bp.route("/datenbasis/sozialreports/neu", methods=["GET", "POST"])
@login_required
def bericht_neu() -> Response | tuple[str, int]:
    """Start the report of a cycle."""
    from app.datenbasis.zyklus import cycles

    require("sozialreport.anlegen")
    form = ReportForm()
    form.zyklus_id.choices = choices((z.id, z.titel) for z in cycles())
    if form.validate_on_submit():
        report = create_report(form.zyklus_id.data, form.titel.data, form.einleitung.data or "")
        db.session.commit()
        flash("Der Sozialreport-Entwurf wurde angelegt.", "erfolg")
        return _redirect("datenbasis.bericht", report_id=report.id)
    return render_template("datenbasis/bericht_neu.html", form=form), _form_status(form)


@bp.route("/datenbasis/sozialreports/<int:report_id>")
@login_required
def bericht(report_id: int) -> tuple[str, int]:
    """The report as the Stabsstelle and the Planungsrunde work on it, with comments."""
    titel, inhalt, status = zwischengespeichert(  # per reader: rights and forms shape it
        ("sozialreport-seite", report_id, current_user.id, tuple(request.args.items(multi=True))),
        lambda: _bericht_inhalt_fuer_leser(report_id),
    )
    seite = render_template(
        "datenbasis/bericht.html", titel=titel, inhalt=mit_formularfeldern(inhalt)
    )
    return seite, status


@bp.route("/datenbasis/sozialreports/<int:report_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def bericht_bearbeiten(report_id: int) -> Response | tuple[str, int]:
    """Change title and introduction."""
    report = _editable(report_id)
    form = ReportEditForm(obj=report)
    if form.validate_on_submit():
        return _perform(
            lambda: update_report(report, form.titel.data, form.einleitung.data or ""),
            "Der Sozialreport wurde gespeichert.",
            "datenbasis.bericht",
            report_id=report.id,
        )
    page = render_template("datenbasis/bericht_form.html", form=form, report=report)
    return page, _form_status(form)


def _kapitel(report: Sozialreport, kapitel_id: int) -> Kapitel:
    """A chapter of this report (already loaded), else 404."""
    kapitel = next((k for k in report.kapitel if k.id == kapitel_id), None)
    if kapitel is None:
        abort(404)
    return kapitel


@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/kapitel/<int:kapitel_id>/kommentare",
    methods=["POST"],
)
@login_required
def kommentar_neu(report_id: int, kapitel_id: int) -> Response | tuple[str, int]:
    """A Planungsrunde member comments on a chapter."""
    report = _load_report(report_id)
    require("sozialreport.kommentieren", report)
    kapitel = _kapitel(report, kapitel_id)
    form = KommentarForm(prefix=f"k{kapitel.id}")
    if not form.validate_on_submit():
        flash("Bitte schreiben Sie einen Kommentar.", "fehler")
        return _bericht_page(report, form, kapitel.id)[0], 422
    try:
        add_kommentar(kapitel, current_user, form.text.data)
    except NotPossible as exc:
        return _refuse(exc)
    db.session.commit()
    flash("Ihr Kommentar wurde gespeichert.", "erfolg")
    return redirect(
        url_for("datenbasis.bericht", report_id=report.id) + f"#kapitel-{kapitel.id}", 303
    )


@bp.route("/datenbasis/sozialreports/<int:report_id>/status/<ziel>", methods=["POST"])
@login_required
def bericht_status(report_id: int, ziel: str) -> Response | tuple[str, int]:
    """Move the report on: into the Planungsrunde, back to draft, or to publication."""
    report = _load_report(report_id)
    require("sozialreport.status", report)
    if ziel not in STATUS_ACTIONS:
        abort(404)
    _require_valid(ButtonForm())
    action, message = STATUS_ACTIONS[ziel]
    try:
        action(report)
    except NotPossible as exc:  # explained on the report page itself, not a bare 409 page
        db.session.rollback()
        flash(str(exc), "fehler")
        return _bericht_page(report)[0], 409
    db.session.commit()
    flash(message, "erfolg")
    return _redirect("datenbasis.bericht", report_id=report.id)


@bp.route("/datenbasis/sozialreports/<int:report_id>/entwurf.pdf")
@login_required
def bericht_pdf(report_id: int) -> tuple[bytes, int, dict[str, str]]:
    """The report as PDF while it is worked on (the published one is in the portal)."""

    report = _load_report(report_id)
    html = render_template(
        "datenbasis/bericht_pdf.html", report=report, **report_context(report, oeffentlich=False)
    )
    pdf = html_to_pdf(html)
    headers = {
        "Content-Type": "application/pdf",
        "Content-Disposition": f'inline; filename="sozialreport-entwurf-{report.id}.pdf"',
        "X-Content-Type-Options": "nosniff",
    }
    return pdf, 200, headers
