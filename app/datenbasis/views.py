"""Blueprint ``datenbasis``: indicators, imports, Einrichtungen, interviews and the Sozialreport."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.datenbasis import charts
from app.datenbasis.forms import (
    ButtonForm,
    ConfirmForm,
    DiagrammForm,
    EinrichtungForm,
    IndikatorForm,
    InterviewForm,
    KapitelForm,
    KommentarForm,
    ReportEditForm,
    ReportForm,
    UploadForm,
    choices,
)
from app.datenbasis.imports import ImportReport, check_file
from app.datenbasis.models import (
    Diagramm,
    DiagrammArt,
    Einrichtung,
    EinrichtungTyp,
    ImportArt,
    Importdatei,
    Indikator,
    Indikatorwert,
    Interview,
    Kapitel,
    Kommentar,
    ReportStatus,
    Richtung,
    Schlagwort,
    Sozialreport,
)
from app.datenbasis.parsing import UploadError
from app.datenbasis.rendering import render_markdown
from app.datenbasis.services import (
    NotPossible,
    add_diagramm,
    add_kommentar,
    back_to_draft,
    confirm_import,
    count_einrichtungen,
    create_report,
    personal_data_hints,
    preview_import,
    publish_report,
    remove_diagramm,
    save_einrichtung,
    save_indikator,
    save_interview,
    save_kapitel,
    sozialraeume,
    stage_import,
    submit_to_planungsrunde,
    update_report,
)
from app.extensions import db
from app.stammdaten.models import Organisation

bp = Blueprint("datenbasis", __name__)
nav_entry("Datenbasis", "datenbasis.uebersicht", "datenbasis.ansehen", order=30)
nav_entry("Sozialreports", "datenbasis.berichte", "sozialreport.liste", order=31)


@bp.app_template_filter("zahl")
def _zahl_filter(value: float | None, einheit: str = "") -> str:
    """Numbers in templates the German way."""
    return charts.zahl(value, einheit)


@bp.app_template_filter("markdown")
def _markdown_filter(text: str) -> object:
    """Chapter text as sanitised HTML."""
    return render_markdown(text)


def _redirect(endpoint: str, **values: object):
    """Redirect after POST with 303, so a reload does not post again."""
    return redirect(url_for(endpoint, **values), 303)


# --------------------------------------------------------------------------- overview


@bp.route("/datenbasis/")
@login_required
def uebersicht():
    """Start of the data base: what is there and what can be done."""
    require("datenbasis.ansehen")
    zahlen = {
        "indikatoren": db.session.scalar(select(func.count(Indikator.id))),
        "werte": db.session.scalar(select(func.count(Indikatorwert.id))),
        "einrichtungen": db.session.scalar(select(func.count(Einrichtung.id))),
        "interviews": db.session.scalar(select(func.count(Interview.id))),
    }
    importe = db.session.scalars(
        select(Importdatei)
        .options(joinedload(Importdatei.user))
        .order_by(Importdatei.id.desc())
        .limit(10)
    ).all()
    return render_template("datenbasis/uebersicht.html", zahlen=zahlen, importe=importe)


# --------------------------------------------------------------------------- indicators


@bp.route("/datenbasis/indikatoren")
@login_required
def indikatoren():
    """The catalogue with how many values each indicator has and for which years."""
    require("datenbasis.ansehen")
    stats = (
        select(
            Indikatorwert.indikator_id.label("iid"),
            func.count(Indikatorwert.id).label("anzahl"),
            func.min(Indikatorwert.jahr).label("von"),
            func.max(Indikatorwert.jahr).label("bis"),
        )
        .group_by(Indikatorwert.indikator_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Indikator, stats.c.anzahl, stats.c.von, stats.c.bis)
        .outerjoin(stats, stats.c.iid == Indikator.id)
        .order_by(Indikator.name)
    ).all()
    return render_template("datenbasis/indikatoren.html", rows=rows)


@bp.route("/datenbasis/indikatoren/<int:indikator_id>")
@login_required
def indikator_detail(indikator_id: int):
    """One indicator: definition, both charts and all values."""
    require("datenbasis.ansehen")
    indikator = db.get_or_404(Indikator, indikator_id)
    values = charts.load_values([indikator.id])
    series = values.series(indikator.id)
    diagramme = [
        charts.time_series(f"indikator-{indikator.id}-zeitreihe", indikator, series),
        charts.comparison(f"indikator-{indikator.id}-vergleich", indikator, series, None),
    ]
    return render_template(
        "datenbasis/indikator_detail.html", indikator=indikator, diagramme=diagramme
    )


@bp.route("/datenbasis/indikatoren/neu", methods=["GET", "POST"])
@bp.route("/datenbasis/indikatoren/<int:indikator_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def indikator_bearbeiten(indikator_id: int | None = None):
    """Create or change a catalogue entry."""
    require("datenbasis.bearbeiten")
    indikator = db.get_or_404(Indikator, indikator_id) if indikator_id else None
    form = IndikatorForm(obj=indikator)
    if request.method == "GET" and indikator:
        form.richtung.data = indikator.richtung.value
    if form.validate_on_submit():
        try:
            saved = save_indikator(
                indikator,
                name=form.name.data,
                einheit=form.einheit.data,
                definition=form.definition.data or "",
                quelle=form.quelle.data or "",
                richtung=Richtung(form.richtung.data),
            )
        except NotPossible as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            db.session.commit()
            flash(f"Der Indikator „{saved.name}“ wurde gespeichert.", "erfolg")
            return _redirect("datenbasis.indikator_detail", indikator_id=saved.id)
    status = 422 if form.errors else 200
    return render_template("datenbasis/indikator_form.html", form=form, indikator=indikator), status


# --------------------------------------------------------------------------- imports


def _import_art(art: str) -> ImportArt:
    """The kind of import from the URL; unknown kinds do not exist."""
    try:
        return ImportArt(art)
    except ValueError:
        abort(404)


@bp.route("/datenbasis/import/<art>", methods=["GET", "POST"])
@login_required
def import_hochladen(art: str):
    """Upload a file; it is checked at once and kept for the preview only when it has no errors."""
    require("datenbasis.importieren")
    import_art = _import_art(art)
    form = UploadForm()
    report: ImportReport | None = None
    if form.validate_on_submit():
        upload = form.datei.data
        data, filename = upload.read(), upload.filename or ""
        try:
            report = check_file(import_art, data, filename)
        except UploadError as exc:
            form.datei.errors = [str(exc)]
            return _upload_page(import_art, form, None), exc.status
        if report.ok:
            datei = stage_import(import_art, data, filename, current_user)
            db.session.commit()
            return _redirect("datenbasis.import_vorschau", datei_id=datei.id)
        return _upload_page(import_art, form, report), 422
    return _upload_page(import_art, form, None), 400 if form.errors else 200


def _upload_page(art: ImportArt, form: UploadForm, report: ImportReport | None) -> str:
    """The upload form with the expected columns and, if any, the validation report."""
    indikatoren = db.session.scalars(select(Indikator.name).order_by(Indikator.name)).all()
    return render_template(
        "datenbasis/import.html",
        art=art,
        form=form,
        report=report,
        indikatoren=indikatoren,
        raeume=sozialraeume(),
        typen=list(EinrichtungTyp),
    )


def _staged(datei_id: int) -> Importdatei:
    """A staged upload; only those who import may see it."""
    datei = db.get_or_404(Importdatei, datei_id)
    require("datenbasis.importieren", datei)
    return datei


@bp.route("/datenbasis/import/datei/<int:datei_id>")
@login_required
def import_vorschau(datei_id: int):
    """The preview of a checked file: the first rows and what the import would change."""
    datei = _staged(datei_id)
    report = preview_import(datei)
    return render_template(
        "datenbasis/import_vorschau.html", datei=datei, report=report, form=ConfirmForm()
    )


@bp.route("/datenbasis/import/datei/<int:datei_id>/bestaetigen", methods=["POST"])
@login_required
def import_bestaetigen(datei_id: int):
    """Import the previewed file: all rows or, with any error, none."""
    datei = _staged(datei_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        report = confirm_import(datei)
    except NotPossible as exc:
        flash(str(exc), "fehler")
        return _redirect("datenbasis.import_vorschau", datei_id=datei.id)
    if not report.ok:
        db.session.rollback()
        return render_template(
            "datenbasis/import_vorschau.html", datei=datei, report=report, form=form
        ), 422
    db.session.commit()
    flash(
        f"{report.importiert} Zeilen wurden importiert "
        f"({report.ersetzt} davon ersetzt oder aktualisiert).",
        "erfolg",
    )
    target = (
        "datenbasis.indikatoren"
        if datei.art == ImportArt.INDIKATORWERTE
        else "datenbasis.einrichtungen"
    )
    return _redirect(target)


# --------------------------------------------------------------------------- Einrichtungen


@bp.route("/datenbasis/einrichtungen")
@login_required
def einrichtungen():
    """Einrichtungen, filterable by Sozialraum and type, and the counts per Sozialraum and type."""
    require("datenbasis.ansehen")
    raeume = sozialraeume()
    raum_id = request.args.get("sozialraum", type=int)
    typ = request.args.get("typ") or None
    if typ and typ not in {t.value for t in EinrichtungTyp}:
        abort(400)
    query = select(Einrichtung).options(
        joinedload(Einrichtung.sozialraum), joinedload(Einrichtung.traeger)
    )
    if raum_id:
        query = query.where(Einrichtung.sozialraum_id == raum_id)
    if typ:
        query = query.where(Einrichtung.typ == EinrichtungTyp(typ))
    rows = db.session.scalars(query.order_by(Einrichtung.typ, Einrichtung.name).limit(1000)).all()
    counts = count_einrichtungen()
    typen = [t for t in EinrichtungTyp if any(k[1] == t for k in counts)]
    return render_template(
        "datenbasis/einrichtungen.html",
        einrichtungen=rows,
        raeume=raeume,
        counts=counts,
        typen=typen,
        alle_typen=list(EinrichtungTyp),
        raum_id=raum_id,
        typ=typ,
    )


def _einrichtung_choices(form: EinrichtungForm) -> None:
    """Sozialräume and active organisations as options."""
    form.sozialraum_id.choices = choices((r.id, r.name) for r in sozialraeume())
    orgs = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.aktiv)
        .order_by(Organisation.name)
    )
    form.traeger_id.choices = choices([(0, "– kein eingetragener Träger –"), *orgs])


@bp.route("/datenbasis/einrichtungen/neu", methods=["GET", "POST"])
@bp.route("/datenbasis/einrichtungen/<int:einrichtung_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def einrichtung_bearbeiten(einrichtung_id: int | None = None):
    """Record or change one Einrichtung."""
    require("datenbasis.bearbeiten")
    einrichtung = db.get_or_404(Einrichtung, einrichtung_id) if einrichtung_id else None
    form = EinrichtungForm(obj=einrichtung)
    _einrichtung_choices(form)
    if request.method == "GET" and einrichtung:
        form.typ.data = einrichtung.typ.value
    if form.validate_on_submit():
        saved = save_einrichtung(
            einrichtung,
            name=form.name.data,
            typ=EinrichtungTyp(form.typ.data),
            strasse=form.strasse.data or "",
            plz=form.plz.data or "",
            ort=form.ort.data or "Hilden",
            sozialraum_id=form.sozialraum_id.data,
            traeger_id=form.traeger_id.data,
            betreiber=form.betreiber.data or "",
        )
        db.session.commit()
        flash(f"Die Einrichtung „{saved.name}“ wurde gespeichert.", "erfolg")
        return _redirect("datenbasis.einrichtungen")
    status = 422 if form.errors else 200
    return render_template(
        "datenbasis/einrichtung_form.html", form=form, einrichtung=einrichtung
    ), status


# --------------------------------------------------------------------------- interviews


@bp.route("/datenbasis/interviews")
@login_required
def interviews():
    """Interview summaries, filterable by tag and Sozialraum."""
    require("datenbasis.ansehen")
    tag = (request.args.get("schlagwort") or "").strip()
    raum_id = request.args.get("sozialraum", type=int)
    query = select(Interview).options(
        joinedload(Interview.sozialraum), selectinload(Interview.schlagworte)
    )
    if tag:
        query = query.where(Interview.schlagworte.any(func.lower(Schlagwort.name) == tag.lower()))
    if raum_id:
        query = query.where(Interview.sozialraum_id == raum_id)
    rows = db.session.scalars(
        query.order_by(Interview.datum.desc().nulls_last(), Interview.id.desc())
    ).all()
    tags = db.session.scalars(select(Schlagwort.name).order_by(Schlagwort.name)).all()
    return render_template(
        "datenbasis/interviews.html",
        interviews=rows,
        tags=tags,
        tag=tag,
        raeume=sozialraeume(),
        raum_id=raum_id,
    )


@bp.route("/datenbasis/interviews/neu", methods=["GET", "POST"])
@bp.route("/datenbasis/interviews/<int:interview_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def interview_bearbeiten(interview_id: int | None = None):
    """Record a summary; text that looks like personal data needs an explicit confirmation."""
    require("datenbasis.bearbeiten")
    interview = db.get_or_404(Interview, interview_id) if interview_id else None
    form = InterviewForm(obj=interview)
    form.sozialraum_id.choices = choices(
        [(0, "Gesamtstadt"), *((r.id, r.name) for r in sozialraeume())]
    )
    if request.method == "GET" and interview:
        form.schlagworte.data = ", ".join(s.name for s in interview.schlagworte)
    hints: list[str] = []
    if form.validate_on_submit():
        hints = personal_data_hints(f"{form.titel.data}\n{form.zusammenfassung.data}")
        if not hints or form.keine_personendaten.data:
            saved = save_interview(
                interview,
                titel=form.titel.data,
                datum=form.datum.data,
                sozialraum_id=form.sozialraum_id.data,
                zusammenfassung=form.zusammenfassung.data,
                schlagworte=form.schlagworte.data or "",
            )
            db.session.commit()
            flash(f"Die Zusammenfassung „{saved.titel}“ wurde gespeichert.", "erfolg")
            return _redirect("datenbasis.interviews")
    status = 422 if form.errors or hints else 200
    return render_template(
        "datenbasis/interview_form.html", form=form, interview=interview, hints=hints
    ), status


# ------------------------------------------------------------------------ Sozialreport (internal)


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


def report_charts(report: Sozialreport) -> dict[int, charts.Chart]:
    """Every chart of the report, rendered from one query of values."""
    diagramme = [d for k in report.kapitel for d in k.diagramme]
    values = charts.load_values(d.indikator_id for d in diagramme)
    result = {}
    for d in diagramme:
        series = values.series(d.indikator_id)
        key = f"diagramm-{d.id}"
        if d.art == DiagrammArt.ZEITREIHE:
            result[d.id] = charts.time_series(key, d.indikator, series)
        else:
            result[d.id] = charts.comparison(key, d.indikator, series, d.jahr)
    return result


@bp.route("/datenbasis/sozialreports")
@login_required
def berichte():
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
def bericht_neu():
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
    return render_template("datenbasis/bericht_neu.html", form=form), 422 if form.errors else 200


@bp.route("/datenbasis/sozialreports/<int:report_id>")
@login_required
def bericht(report_id: int):
    """The report as the Stabsstelle and the Planungsrunde work on it, with comments."""
    report = _load_report(report_id)
    kommentar_forms = {k.id: KommentarForm(prefix=f"k{k.id}") for k in report.kapitel}
    return render_template(
        "datenbasis/bericht.html",
        report=report,
        diagramme=report_charts(report),
        kommentar_forms=kommentar_forms,
        button=ButtonForm(),
    )


@bp.route("/datenbasis/sozialreports/<int:report_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def bericht_bearbeiten(report_id: int):
    """Change title and introduction."""
    report = _load_report(report_id)
    require("sozialreport.bearbeiten", report)
    form = ReportEditForm(obj=report)
    if form.validate_on_submit():
        try:
            update_report(report, form.titel.data, form.einleitung.data or "")
        except NotPossible as exc:
            return _refuse(exc)
        db.session.commit()
        flash("Der Sozialreport wurde gespeichert.", "erfolg")
        return _redirect("datenbasis.bericht", report_id=report.id)
    return render_template(
        "datenbasis/bericht_form.html", form=form, report=report
    ), 422 if form.errors else 200


def _refuse(exc: NotPossible):
    """A domain rule said no: German explanation, 409, nothing written."""
    from app.core.errors import render_error

    db.session.rollback()
    return render_error(409, str(exc))


def _kapitel(report: Sozialreport, kapitel_id: int) -> Kapitel:
    """A chapter of this report (already loaded), else 404."""
    kapitel = next((k for k in report.kapitel if k.id == kapitel_id), None)
    if kapitel is None:
        abort(404)
    return kapitel


@bp.route("/datenbasis/sozialreports/<int:report_id>/kapitel/neu", methods=["GET", "POST"])
@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/kapitel/<int:kapitel_id>", methods=["GET", "POST"]
)
@login_required
def kapitel_bearbeiten(report_id: int, kapitel_id: int | None = None):
    """Write a chapter; its charts are added on the same page."""
    report = _load_report(report_id)
    require("sozialreport.bearbeiten", report)
    kapitel = _kapitel(report, kapitel_id) if kapitel_id else None
    form = KapitelForm(obj=kapitel)
    if form.validate_on_submit():
        try:
            saved = save_kapitel(report, kapitel, form.titel.data, form.text.data or "")
        except NotPossible as exc:
            return _refuse(exc)
        db.session.commit()
        flash(f"Das Kapitel „{saved.titel}“ wurde gespeichert.", "erfolg")
        return _redirect("datenbasis.kapitel_bearbeiten", report_id=report.id, kapitel_id=saved.id)
    return _kapitel_page(report, kapitel, form, _diagramm_form()), 422 if form.errors else 200


def _diagramm_form() -> DiagrammForm:
    """The chart form with the catalogue as options."""
    form = DiagrammForm(prefix="diagramm")
    rows = db.session.execute(select(Indikator.id, Indikator.name).order_by(Indikator.name))
    form.indikator_id.choices = choices(rows)
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


@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/kapitel/<int:kapitel_id>/diagramme", methods=["POST"]
)
@login_required
def diagramm_neu(report_id: int, kapitel_id: int):
    """Add a chart of a chosen indicator to a chapter."""
    report = _load_report(report_id)
    require("sozialreport.bearbeiten", report)
    kapitel = _kapitel(report, kapitel_id)
    form = _diagramm_form()
    if form.validate_on_submit():
        try:
            add_diagramm(
                kapitel, form.indikator_id.data, DiagrammArt(form.art.data), form.jahr.data
            )
        except NotPossible as exc:
            return _refuse(exc)
        db.session.commit()
        flash("Das Diagramm wurde hinzugefügt.", "erfolg")
        return _redirect(
            "datenbasis.kapitel_bearbeiten", report_id=report.id, kapitel_id=kapitel.id
        )
    return _kapitel_page(report, kapitel, KapitelForm(obj=kapitel), form), 422


@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/diagramme/<int:diagramm_id>/loeschen",
    methods=["POST"],
)
@login_required
def diagramm_loeschen(report_id: int, diagramm_id: int):
    """Take a chart out of its chapter."""
    report = _load_report(report_id)
    require("sozialreport.bearbeiten", report)
    diagramm = next((d for k in report.kapitel for d in k.diagramme if d.id == diagramm_id), None)
    if diagramm is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        remove_diagramm(diagramm)
    except NotPossible as exc:
        return _refuse(exc)
    db.session.commit()
    flash("Das Diagramm wurde entfernt.", "erfolg")
    return _redirect(
        "datenbasis.kapitel_bearbeiten", report_id=report.id, kapitel_id=diagramm.kapitel_id
    )


@bp.route(
    "/datenbasis/sozialreports/<int:report_id>/kapitel/<int:kapitel_id>/kommentare",
    methods=["POST"],
)
@login_required
def kommentar_neu(report_id: int, kapitel_id: int):
    """A Planungsrunde member comments on a chapter."""
    report = _load_report(report_id)
    require("sozialreport.kommentieren", report)
    kapitel = _kapitel(report, kapitel_id)
    form = KommentarForm(prefix=f"k{kapitel.id}")
    if not form.validate_on_submit():
        flash("Bitte schreiben Sie einen Kommentar.", "fehler")
        kommentar_forms = {
            k.id: (form if k.id == kapitel.id else KommentarForm(prefix=f"k{k.id}"))
            for k in report.kapitel
        }
        return render_template(
            "datenbasis/bericht.html",
            report=report,
            diagramme=report_charts(report),
            kommentar_forms=kommentar_forms,
            button=ButtonForm(),
        ), 422
    try:
        add_kommentar(kapitel, current_user, form.text.data)
    except NotPossible as exc:
        return _refuse(exc)
    db.session.commit()
    flash("Ihr Kommentar wurde gespeichert.", "erfolg")
    return redirect(
        url_for("datenbasis.bericht", report_id=report.id) + f"#kapitel-{kapitel.id}", 303
    )


STATUS_ACTIONS = {
    "planungsrunde": (
        submit_to_planungsrunde,
        "Der Sozialreport liegt jetzt der Planungsrunde vor.",
    ),
    "entwurf": (back_to_draft, "Der Sozialreport ist wieder ein Entwurf."),
    "veroeffentlichen": (publish_report, "Der Sozialreport ist veröffentlicht."),
}


@bp.route("/datenbasis/sozialreports/<int:report_id>/status/<ziel>", methods=["POST"])
@login_required
def bericht_status(report_id: int, ziel: str):
    """Move the report on: into the Planungsrunde, back to draft, or to publication."""
    report = _load_report(report_id)
    require("sozialreport.status", report)
    if ziel not in STATUS_ACTIONS:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    action, message = STATUS_ACTIONS[ziel]
    try:
        action(report)
    except NotPossible as exc:
        return _refuse(exc)
    db.session.commit()
    flash(message, "erfolg")
    return _redirect("datenbasis.bericht", report_id=report.id)


# --------------------------------------------------------------------------- Sozialreport (public)


def _published(report_id: int) -> Sozialreport:
    """A published report with its charts, else 404 (drafts stay hidden)."""
    report = db.session.scalar(
        select(Sozialreport)
        .options(
            selectinload(Sozialreport.kapitel)
            .selectinload(Kapitel.diagramme)
            .joinedload(Diagramm.indikator)
        )
        .where(Sozialreport.id == report_id, Sozialreport.status == ReportStatus.VEROEFFENTLICHT)
    )
    if report is None:
        abort(404)
    return report


@bp.route("/sozialreport/")
def public_berichte():
    """Published Sozialreports, for everybody without login."""
    rows = db.session.scalars(
        select(Sozialreport)
        .where(Sozialreport.status == ReportStatus.VEROEFFENTLICHT)
        .order_by(Sozialreport.veroeffentlicht_at.desc())
    ).all()
    return render_template("datenbasis/public_berichte.html", berichte=rows)


@bp.route("/sozialreport/<int:report_id>")
def public_bericht(report_id: int):
    """A published Sozialreport."""
    report = _published(report_id)
    return render_template(
        "datenbasis/public_bericht.html", report=report, diagramme=report_charts(report)
    )


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """The PDF is self-contained: nothing is loaded, so user text cannot fetch URLs."""
    raise ValueError(f"Externe Ressourcen sind im PDF nicht erlaubt: {url}")


@bp.route("/sozialreport/<int:report_id>.pdf")
def public_pdf(report_id: int):
    """A published Sozialreport as PDF (WeasyPrint, charts as vector graphics)."""
    from weasyprint import HTML

    report = _published(report_id)
    html = render_template(
        "datenbasis/bericht_pdf.html", report=report, diagramme=report_charts(report)
    )
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    filename = f"sozialreport-{report.id}.pdf"
    return (
        pdf,
        200,
        {
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="{filename}"',
        },
    )
