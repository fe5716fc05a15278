"""The Stabsstelle's evaluation: status per organisation, results, export, reopening, impulses."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.beteiligung import ergebnisse, export, services
from app.beteiligung.antworten import anzeige
from app.beteiligung.blueprint import bogen_or_404, bp, rueckmeldung_or_404
from app.beteiligung.forms import AktionForm, WiedereroeffnenForm
from app.beteiligung.models import (
    FrageTyp,
    Rueckmeldung,
    RueckmeldungAnhang,
    RueckmeldungAntwort,
    RueckmeldungEreignis,
)
from app.beteiligung.permissions import editable
from app.core.permissions import is_stabsstelle, require
from app.extensions import db
from app.impulse.forms import ImpulsForm
from app.impulse.models import ImpulsAdressat, ImpulsQuelle
from app.impulse.services import create_impuls
from app.stammdaten.models import Organisation


@bp.route("/<int:bogen_id>/status")
@login_required
def status(bogen_id: int):
    """Status per organisation: offen, Entwurf, eingereicht, with dates."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    rows = db.session.scalars(
        select(Rueckmeldung)
        .join(Organisation, Organisation.id == Rueckmeldung.organisation_id)
        .options(
            joinedload(Rueckmeldung.organisation),
            joinedload(Rueckmeldung.bearbeitet_von),
            joinedload(Rueckmeldung.eingereicht_von),
        )
        .where(Rueckmeldung.bogen_id == bogen.id)
        .order_by(Rueckmeldung.status, Organisation.name)
    ).all()
    zaehlung = {s: sum(1 for r in rows if r.status == s) for s in {r.status for r in rows}}
    return render_template("beteiligung/status.html", bogen=bogen, rows=rows, zaehlung=zaehlung)


@bp.route("/<int:bogen_id>/ergebnisse", endpoint="ergebnisse")
@login_required
def ergebnisse_seite(bogen_id: int):
    """Results per question: charts with data tables, free text, the matrix per Sozialraum."""
    bogen = bogen_or_404(bogen_id)
    require("rueckmeldebogen.ergebnisse", bogen)
    raeume = services.sozialraeume()
    return render_template(
        "beteiligung/ergebnisse.html",
        bogen=bogen,
        ergebnisse=ergebnisse.auswerten(bogen, raeume),
        eingereicht=ergebnisse.eingereicht_anzahl(bogen.id),
        diagramm=ergebnisse.balkendiagramm,
        mit_herkunft=is_stabsstelle(current_user),
        form=AktionForm(),
    )


@bp.route("/<int:bogen_id>/freigeben", methods=["POST"])
@login_required
def freigeben(bogen_id: int):
    """Release the results to the Planungsrunde."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    if not AktionForm().validate_on_submit():
        abort(400)
    try:
        services.release_results(bogen)
    except services.BeteiligungError as exc:
        flash(exc.message, "fehler")
        return redirect(url_for("beteiligung.ergebnisse", bogen_id=bogen.id), 303)
    db.session.commit()
    flash("Die Ergebnisse sind jetzt für die Planungsrunde sichtbar.", "erfolg")
    return redirect(url_for("beteiligung.ergebnisse", bogen_id=bogen.id), 303)


@bp.route("/<int:bogen_id>/export.xlsx")
@login_required
def export_xlsx(bogen_id: int):
    """All answers as an Excel workbook."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    data = export.xlsx(bogen, services.sozialraeume())
    return _download(data, export.XLSX_TYPE, f"rueckmeldungen-{bogen.id}.xlsx")


@bp.route("/<int:bogen_id>/export.csv")
@login_required
def export_csv(bogen_id: int):
    """All answers as CSV (semicolon, UTF-8)."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    data = export.csv_bytes(bogen, services.sozialraeume())
    return _download(data, "text/csv; charset=utf-8", f"rueckmeldungen-{bogen.id}.csv")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/rueckmeldungen/<int:rueckmeldung_id>")
@login_required
def rueckmeldung(rueckmeldung_id: int):
    """One organisation's answer with its history; the Stabsstelle sees it once submitted."""
    rm = rueckmeldung_or_404(rueckmeldung_id)
    require("rueckmeldung.ansehen", rm)
    bogen = bogen_or_404(rm.bogen_id)
    eigene = not is_stabsstelle(current_user)
    sichtbar = rm.eingereicht or eigene
    ereignisse = db.session.scalars(
        select(RueckmeldungEreignis)
        .options(joinedload(RueckmeldungEreignis.user))
        .where(RueckmeldungEreignis.rueckmeldung_id == rm.id)
        .order_by(RueckmeldungEreignis.id)
    ).all()
    return render_template(
        "beteiligung/rueckmeldung.html",
        bogen=bogen,
        rm=rm,
        ereignisse=ereignisse,
        antworten=_antworten(rm) if sichtbar else {},
        sichtbar=sichtbar,
        eigene=eigene,
        bearbeitbar=eigene and editable(rm),
        form=WiedereroeffnenForm(),
    )


def _antworten(rm: Rueckmeldung) -> dict[int, list[tuple[RueckmeldungAntwort, str]]]:
    """Per question the stored rows and their text (with links to attachments)."""
    rows = db.session.scalars(
        select(RueckmeldungAntwort)
        .options(
            selectinload(RueckmeldungAntwort.frage),
            joinedload(RueckmeldungAntwort.sozialraum),
            joinedload(RueckmeldungAntwort.anhang).joinedload(RueckmeldungAnhang.datei),
        )
        .where(RueckmeldungAntwort.rueckmeldung_id == rm.id)
        .order_by(RueckmeldungAntwort.id)
    ).all()
    result: dict[int, list[tuple[RueckmeldungAntwort, str]]] = {}
    for row in rows:
        if row.frage.typ == FrageTyp.MATRIX:
            text = f"{row.sozialraum.name if row.sozialraum else ''}: {row.wert}"
        else:
            namen = {row.anhang_id: row.anhang.dateiname} if row.anhang else {}
            text = anzeige(row.frage, row.anhang_id if row.anhang_id else row.wert, {}, namen)
        result.setdefault(row.frage_id, []).append((row, text))
    return result


@bp.route("/rueckmeldungen/<int:rueckmeldung_id>/wiedereroeffnen", methods=["POST"])
@login_required
def wiedereroeffnen(rueckmeldung_id: int):
    """The Stabsstelle reopens a submitted answer; the reason stays in the history."""
    require("rueckmeldebogen.verwalten")
    rm = rueckmeldung_or_404(rueckmeldung_id)
    form = WiedereroeffnenForm()
    if not form.validate_on_submit():
        flash("Bitte geben Sie einen Grund für die Wiedereröffnung an.", "fehler")
        return redirect(
            url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id, _anchor="wiedereroeffnen"),
            303,
        )
    try:
        services.reopen_rueckmeldung(rm, form.grund.data, current_user)
    except services.BeteiligungError as exc:
        db.session.rollback()
        flash(exc.message, "fehler")
        return redirect(url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id), 303)
    db.session.commit()
    flash(
        f"Die Rückmeldung von {rm.organisation.name} ist wieder zur Bearbeitung geöffnet.", "erfolg"
    )
    return redirect(url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id), 303)


@bp.route("/antworten/<int:antwort_id>/impuls", methods=["GET", "POST"])
@login_required
def impuls(antwort_id: int):
    """Turn an answer into an Impuls (prefilled from the answer)."""
    require("impuls.anlegen")
    antwort = db.session.get(RueckmeldungAntwort, antwort_id)
    if antwort is None or not antwort.rueckmeldung.eingereicht:
        abort(404)
    rm, frage = antwort.rueckmeldung, antwort.frage
    form = ImpulsForm(
        data=None
        if _posted()
        else {
            "titel": f"{rm.organisation.kurzname or rm.organisation.name}: {frage.text}"[:200],
            "beschreibung": _beschreibung(antwort),
            "sozialraum_id": antwort.sozialraum_id,
            "adressiert_an": ImpulsAdressat.PLANUNGSRUNDE,
        }
    )
    form.sozialraum_id.choices = [("", "– gesamte Stadt –")] + [
        (s.id, s.name) for s in services.sozialraeume()
    ]
    if not form.validate_on_submit():
        return render_template(
            "beteiligung/impuls_form.html", form=form, antwort=antwort, rm=rm, frage=frage
        ), 422 if _posted() else 200
    neu = create_impuls(
        form.titel.data,
        ImpulsQuelle.TRAEGER,
        erstellt_von_id=current_user.id,
        beschreibung=form.beschreibung.data,
        sozialraum_id=form.sozialraum_id.data,
        adressiert_an=form.adressiert_an.data,
        quelle_antwort_id=antwort.id,
    )
    db.session.commit()
    flash("Der Impuls wurde angelegt.", "erfolg")
    return redirect(url_for("impulse.detail", impuls_id=neu.id), 303)


def _posted() -> bool:
    return request.method == "POST"


def _beschreibung(antwort: RueckmeldungAntwort) -> str:
    text = (
        antwort.wert
        if isinstance(antwort.wert, str)
        else anzeige(antwort.frage, antwort.wert, {}, {})
    )
    organisation = antwort.rueckmeldung.organisation.name
    return f"Rückmeldung von {organisation} zur Frage „{antwort.frage.text}“:\n\n{text}"
